//! Publishing the signed indicator list (`GET /v1/indicators/latest`): the confirmed contacts as hashes,
//! signed with the service's own indicator key (never the rule-pack key), valid for a day, rebuilt as soon
//! as a reviewer confirms or withdraws a contact and at least hourly (fresh counts and expiry), with an ETag.

use std::sync::{Arc, Mutex};

use axum::extract::State;
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use ed25519_dalek::SigningKey;
use jobguard::indicators::signed::{build_list, sign_list};
use jobguard::signing::parse_signing_key;
use sha2::{Digest, Sha256};

use crate::app::AppState;
use crate::clock::now;
use crate::db::Db;

/// The development indicator key (`keys/dev-indicators.secret`): public knowledge, like `keys/dev.secret`; a
/// deployment passes `--indicator-key`.
const DEV_INDICATOR_SECRET: &str = include_str!("../../../keys/dev-indicators.secret");

/// How long a list is valid.
pub const LIST_TTL: i64 = 86_400;
/// A list older than this is rebuilt even when no review changed (counts and expiry refreshed).
pub const REBUILD_AFTER: i64 = 3_600;

/// The key that signs indicator lists, and its id.
#[derive(Clone)]
pub struct ListKey {
    /// The secret key.
    pub key: SigningKey,
    /// Written in each list's header.
    pub key_id: String,
}

impl std::fmt::Debug for ListKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ListKey").field("key_id", &self.key_id).finish_non_exhaustive()
    }
}

impl Default for ListKey {
    fn default() -> ListKey {
        // The committed development key always parses; a broken checkout is not a runtime condition.
        let key = parse_signing_key(DEV_INDICATOR_SECRET).expect("keys/dev-indicators.secret is a valid key");
        ListKey { key, key_id: "dev-indicators".into() }
    }
}

/// A built list.
#[derive(Debug, Clone)]
struct Built {
    /// Count and latest time of review events when built.
    marker: (i64, i64),
    built_at: i64,
    version: u64,
    body: Arc<String>,
    etag: String,
}

/// The last list built (shared by the handlers).
#[derive(Debug, Default)]
pub struct Cache(Mutex<Option<Built>>);

async fn marker(db: &Db) -> Result<(i64, i64), sqlx::Error> {
    sqlx::query_as("SELECT COUNT(*), COALESCE(MAX(at), 0) FROM indicator_events").fetch_one(&db.read).await
}

/// The current signed list (JSON) and its ETag, rebuilt when reviews changed or it is an hour old.
pub async fn current(db: &Db, key: &ListKey, cache: &Cache, at: i64) -> Result<(Arc<String>, String), sqlx::Error> {
    let m = marker(db).await?;
    let prev = cache.0.lock().map(|c| c.clone()).unwrap_or(None);
    if let Some(b) = &prev {
        if b.marker == m && at - b.built_at < REBUILD_AFTER {
            return Ok((b.body.clone(), b.etag.clone()));
        }
    }
    let (confirmed, _) = super::store::confirmed(db).await?;
    let entries: Vec<_> = confirmed.into_iter().map(|(k, v, n)| (k, v, u32::try_from(n).unwrap_or(u32::MAX))).collect();
    let version = (at.max(0) as u64).max(prev.as_ref().map_or(0, |b| b.version + 1));
    let list = build_list(version, &entries);
    let signed = sign_list(&list, &key.key, &key.key_id, at, at + LIST_TTL)
        .map_err(|e| sqlx::Error::Protocol(format!("cannot sign the indicator list: {e}")))?;
    let body = Arc::new(serde_json::to_string(&signed).unwrap_or_default());
    let digest = Sha256::digest(body.as_bytes());
    let etag = format!("\"i{version}-{}\"", digest[..8].iter().map(|b| format!("{b:02x}")).collect::<String>());
    if let Ok(mut c) = cache.0.lock() {
        *c = Some(Built { marker: m, built_at: at, version, body: body.clone(), etag: etag.clone() });
    }
    Ok((body, etag))
}

/// `GET /v1/indicators/latest`: the signed list with `ETag` and `Cache-Control`; 304 for a matching
/// `If-None-Match`.
pub async fn latest(State(st): State<AppState>, headers: HeaderMap) -> Response {
    let (body, etag) = match current(&st.db, &st.settings.indicator_key, &st.indicator_cache, now()).await {
        Ok(x) => x,
        Err(e) => {
            tracing::error!(error = %e, "indicator list failed");
            return (StatusCode::SERVICE_UNAVAILABLE, "indicator list unavailable").into_response();
        }
    };
    let matches = headers
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.split(',').any(|t| t.trim() == etag || t.trim() == "*"));
    let mut resp = if matches {
        StatusCode::NOT_MODIFIED.into_response()
    } else {
        ([(header::CONTENT_TYPE, "application/json")], body.to_string()).into_response()
    };
    let h = resp.headers_mut();
    if let Ok(v) = HeaderValue::from_str(&etag) {
        h.insert(header::ETAG, v);
    }
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("public, max-age=300"));
    resp
}
