//! The signed rule pack the service hands out: chosen at start-up (the highest valid version among the
//! bundled pack signed with the configured key, a pack directory and packs published earlier), replaced by
//! admin publishing (verified, version must grow), and shared between instances through the database.

use std::path::Path;
use std::sync::{Arc, RwLock};

use ed25519_dalek::{SigningKey, VerifyingKey};
use jobguard::signing::{sign_pack, verify_signed, PackHeader, VerifyError};
use jobguard::Classifier;
use thiserror::Error;

use crate::clock::start_of_day;
use crate::db::{is_unique_violation, Db};
use crate::token::sha256_hex;

/// How long the bundled pack, signed at start-up, stays valid.
const BUNDLED_VALID_DAYS: i64 = 90;
/// The bundled pack is signed again when it has less than this left (a service may run for months).
const RENEW_BEFORE_DAYS: i64 = 30;

/// A pack being served.
pub struct Served {
    /// The envelope, exactly as served.
    pub envelope: String,
    /// Its header.
    pub header: PackHeader,
    /// The `ETag` (quoted).
    pub etag: String,
    /// Where it came from (`bundled`, a file path, `published`).
    pub origin: String,
    /// The pack compiled, to show reviewers rules and matched phrases; `None` if this engine cannot compile it.
    pub classifier: Option<Arc<Classifier>>,
}

impl std::fmt::Debug for Served {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Served").field("version", &self.header.version).field("origin", &self.origin).finish()
    }
}

impl Served {
    fn new(envelope: String, header: PackHeader, pack_json: &str, origin: String) -> Served {
        let etag = format!("\"v{}-{}\"", header.version, &sha256_hex(&envelope)[..16]);
        let classifier = match Classifier::from_json(pack_json) {
            Ok(c) => Some(Arc::new(c)),
            Err(e) => {
                tracing::warn!(version = header.version, error = %e, "pack does not compile with this engine");
                None
            }
        };
        Served { envelope, header, etag, origin, classifier }
    }
}

/// Why publishing a pack was refused.
#[derive(Debug, Error)]
pub enum PublishError {
    /// It failed verification (signature, expiry, size, rollback...).
    #[error("{0}")]
    Verify(#[from] VerifyError),
    /// A pack of that version was already published (by another instance, say).
    #[error("version {0} was already published")]
    Exists(u64),
    /// The database failed.
    #[error("database error: {0}")]
    Db(#[from] sqlx::Error),
}

/// Keys and where packs come from.
#[derive(Clone)]
pub struct PackConfig {
    /// Signs the bundled pack.
    pub signing_key: SigningKey,
    /// Key id written into the bundled pack's header.
    pub key_id: String,
    /// Keys whose signatures are accepted on published and directory packs.
    pub trusted: Vec<VerifyingKey>,
}

impl std::fmt::Debug for PackConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PackConfig").field("key_id", &self.key_id).field("trusted", &self.trusted.len()).finish()
    }
}

/// The pack in service, replaceable while requests read it.
#[derive(Debug)]
pub struct PackStore {
    current: RwLock<Option<Arc<Served>>>,
    config: PackConfig,
    /// The pack compiled from `rules/` at build time, if it compiled.
    bundled_json: Option<String>,
}

/// Signs the bundled pack, dated to the start of the day so that instances started the same day serve the
/// same bytes (and the same `ETag`).
fn sign_bundled(json: &str, config: &PackConfig, now: i64) -> Option<Served> {
    let created = start_of_day(now);
    match sign_pack(json, &config.signing_key, &config.key_id, created, created + BUNDLED_VALID_DAYS * 86_400) {
        Ok(signed) => {
            let envelope = serde_json::to_string(&signed).unwrap_or_default();
            Some(Served::new(envelope, signed.header, json, "bundled".into()))
        }
        Err(e) => {
            tracing::error!(error = %e, "cannot sign the bundled pack");
            None
        }
    }
}

fn unix_now() -> i64 {
    crate::clock::now()
}

impl PackStore {
    /// Chooses the pack to serve at start-up. Packs that fail verification are logged and skipped.
    pub async fn load(config: PackConfig, dir: Option<&Path>, db: &Db) -> PackStore {
        let now = unix_now();
        let mut best: Option<Served> = None;
        let mut consider = |s: Served| {
            if best.as_ref().is_none_or(|b| s.header.version > b.header.version) {
                best = Some(s);
            }
        };
        let bundled_json = match jobguard::bundled::pack_json() {
            Ok(json) => Some(json),
            Err(e) => {
                tracing::error!(error = %e, "the bundled rules do not compile");
                None
            }
        };
        if let Some(s) = bundled_json.as_deref().and_then(|j| sign_bundled(j, &config, now)) {
            consider(s);
        }
        if let Some(dir) = dir {
            match std::fs::read_dir(dir) {
                Ok(entries) => {
                    for path in entries.flatten().map(|e| e.path()) {
                        if path.extension().and_then(|x| x.to_str()) != Some("json") {
                            continue;
                        }
                        let Ok(text) = std::fs::read_to_string(&path) else { continue };
                        match verify_signed(&text, &config.trusted, now, 0) {
                            Ok(v) => consider(Served::new(text, v.header, &v.pack, path.display().to_string())),
                            Err(e) => tracing::warn!(file = %path.display(), error = %e, "skipping pack"),
                        }
                    }
                }
                Err(e) => tracing::error!(dir = %dir.display(), error = %e, "cannot read the pack directory"),
            }
        }
        if let Some(s) = latest_published(db, &config.trusted, now, 0).await {
            consider(s);
        }
        match &best {
            Some(s) => tracing::info!(version = s.header.version, origin = %s.origin, "serving pack"),
            None => tracing::error!("no valid pack to serve: GET /v1/packs/latest answers 503 until one is published"),
        }
        PackStore { current: RwLock::new(best.map(Arc::new)), config, bundled_json }
    }

    /// The pack being served.
    pub fn current(&self) -> Option<Arc<Served>> {
        self.current.read().map(|g| g.clone()).unwrap_or_else(|p| p.into_inner().clone())
    }

    fn replace_if_newer(&self, s: Served) -> bool {
        let mut g = self.current.write().unwrap_or_else(|p| p.into_inner());
        if g.as_ref().is_none_or(|c| s.header.version > c.header.version) {
            *g = Some(Arc::new(s));
            true
        } else {
            false
        }
    }

    /// Verifies and publishes an envelope: stored in the database (so other instances pick it up) and
    /// served from now on. Its version must be above the one served.
    pub async fn publish(&self, db: &Db, envelope: &str) -> Result<PackHeader, PublishError> {
        let now = unix_now();
        let min = self.current().map(|c| c.header.version + 1).unwrap_or(0);
        let v = verify_signed(envelope, &self.config.trusted, now, min)?;
        let version = i64::try_from(v.header.version)
            .map_err(|_| VerifyError::Malformed("version is larger than this service stores".into()))?;
        match sqlx::query("INSERT INTO packs (version, envelope, published_at) VALUES ($1, $2, $3)")
            .bind(version)
            .bind(envelope)
            .bind(now)
            .execute(&db.write)
            .await
        {
            Ok(_) => {}
            Err(e) if is_unique_violation(&e) => return Err(PublishError::Exists(v.header.version)),
            Err(e) => return Err(e.into()),
        }
        let header = v.header.clone();
        self.replace_if_newer(Served::new(envelope.to_string(), v.header, &v.pack, "published".into()));
        Ok(header)
    }

    /// Picks up a newer pack published through another instance, and signs the bundled pack again when it
    /// is served and nears expiry. Returns true when the pack changed.
    pub async fn refresh(&self, db: &Db) -> bool {
        let now = unix_now();
        let current = self.current();
        let min = current.as_ref().map(|c| c.header.version + 1).unwrap_or(0);
        if let Some(s) = latest_published(db, &self.config.trusted, now, min).await {
            return self.replace_if_newer(s);
        }
        let Some(c) = current else { return false };
        if c.header.expires - now >= RENEW_BEFORE_DAYS * 86_400 {
            return false;
        }
        if c.origin == "bundled" {
            if let Some(fresh) = self.bundled_json.as_deref().and_then(|j| sign_bundled(j, &self.config, now)) {
                let mut g = self.current.write().unwrap_or_else(|p| p.into_inner());
                *g = Some(Arc::new(fresh));
                tracing::info!("signed the bundled pack again before it expires");
                return true;
            }
        }
        if c.header.expires <= now {
            tracing::error!(version = c.header.version, "the pack served has expired: publish a new one");
        } else {
            tracing::warn!(version = c.header.version, expires = c.header.expires, "the pack served expires soon");
        }
        false
    }
}

/// The newest published pack of at least `min` that still verifies.
async fn latest_published(db: &Db, trusted: &[VerifyingKey], now: i64, min: u64) -> Option<Served> {
    let min = i64::try_from(min).unwrap_or(i64::MAX);
    let rows: Vec<(i64, String)> =
        match sqlx::query_as("SELECT version, envelope FROM packs WHERE version >= $1 ORDER BY version DESC LIMIT 5")
            .bind(min)
            .fetch_all(&db.read)
            .await
        {
            Ok(r) => r,
            Err(e) => {
                tracing::error!(error = %e, "cannot read published packs");
                return None;
            }
        };
    for (version, envelope) in rows {
        match verify_signed(&envelope, trusted, now, 0) {
            Ok(v) => return Some(Served::new(envelope, v.header, &v.pack, "published".into())),
            Err(e) => tracing::warn!(version, error = %e, "published pack no longer verifies"),
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_bundled_pack_is_signed_from_the_start_of_the_day_and_verifies() {
        let config = crate::config::dev_pack_config();
        let json = jobguard::bundled::pack_json().expect("rules/ compiles");
        let now = 1_800_000_123;
        let s = sign_bundled(&json, &config, now).unwrap();
        assert_eq!(s.header.created, start_of_day(now));
        assert_eq!(s.header.expires - s.header.created, BUNDLED_VALID_DAYS * 86_400);
        assert!(s.classifier.is_some(), "the bundled pack compiles");
        let v = verify_signed(&s.envelope, &config.trusted, now, 0).unwrap();
        assert_eq!(v.pack, json);
        // Same day, same bytes and ETag; another day, another ETag.
        assert_eq!(sign_bundled(&json, &config, now + 60).unwrap().etag, s.etag);
        assert_ne!(sign_bundled(&json, &config, now + 86_400).unwrap().etag, s.etag);
    }
}
