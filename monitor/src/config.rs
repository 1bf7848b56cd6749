//! The command line: where to listen, which database, keys and packs, limits, and the `add-reviewer`
//! subcommand; and turning it into the service's settings.

use std::path::{Path, PathBuf};

use clap::{Parser, Subcommand, ValueEnum};
use ed25519_dalek::{SigningKey, VerifyingKey};
use jobguard::signing::{parse_signing_key, parse_verifying_key};
use thiserror::Error;

use crate::app::Settings;
use crate::packs::PackConfig;

/// The development signing key (`keys/dev.secret`), compiled in so that a fresh checkout serves a signed
/// pack with no set-up. Public knowledge: a real deployment passes `--signing-key`.
const DEV_SECRET: &str = include_str!("../../keys/dev.secret");

/// JobGuard monitoring service: reports in, packs out, reviewer dashboard.
#[derive(Debug, Parser)]
#[command(name = "jobguard-monitor", version, about)]
pub struct Cli {
    /// Address to listen on; port 0 picks a free one (the first line on stdout says which).
    #[arg(long, env = "JOBGUARD_LISTEN", default_value = "127.0.0.1:8080")]
    pub listen: String,
    /// Database: sqlite://FILE (created if missing) or postgres://USER:PASS@HOST/DB.
    #[arg(long, env = "DATABASE_URL", default_value = crate::db::DEFAULT_URL, global = true)]
    pub database: String,
    /// Directory of signed packs (*.json); the highest valid version is served if above the bundled one.
    #[arg(long, env = "JOBGUARD_PACKS")]
    pub packs: Option<PathBuf>,
    /// Secret key that signs the bundled pack (default: the development key, keys/dev.secret).
    #[arg(long, env = "JOBGUARD_SIGNING_KEY")]
    pub signing_key: Option<PathBuf>,
    /// Key id written into the bundled pack's header.
    #[arg(long, default_value = "dev")]
    pub key_id: String,
    /// Public key trusted for published and directory packs (repeatable; default: the signing key's).
    #[arg(long = "trusted-key")]
    pub trusted_keys: Vec<PathBuf>,
    /// Secret key that signs the indicator list (default: the development key, keys/dev-indicators.secret);
    /// must differ from the pack key.
    #[arg(long, env = "JOBGUARD_INDICATOR_KEY")]
    pub indicator_key: Option<PathBuf>,
    /// Key id written into the indicator list's header.
    #[arg(long, default_value = "dev-indicators")]
    pub indicator_key_id: String,
    /// Bearer token for POST /v1/packs; publishing is off without it.
    #[arg(long, env = "JOBGUARD_ADMIN_TOKEN", hide_env_values = true)]
    pub admin_token: Option<String>,
    /// Reports and feedback accepted per client address per minute (0: unlimited).
    #[arg(long, default_value_t = 30)]
    pub reports_per_minute: u32,
    /// Sign-in and admin attempts per client address per minute (0: unlimited).
    #[arg(long, default_value_t = 10)]
    pub logins_per_minute: u32,
    /// Hours a reviewer stays signed in.
    #[arg(long, default_value_t = 8)]
    pub session_hours: u32,
    /// Mark cookies Secure (set when serving over HTTPS, e.g. behind a TLS proxy).
    #[arg(long)]
    pub secure_cookies: bool,
    /// Header from a trusted load balancer naming the client address (e.g. X-Forwarded-For; last entry used).
    #[arg(long)]
    pub client_ip_header: Option<String>,
    /// Log format on stderr.
    #[arg(long, value_enum, default_value_t = LogFormat::Text)]
    pub log_format: LogFormat,
    /// A subcommand instead of serving.
    #[command(subcommand)]
    pub command: Option<Command>,
}

/// Log formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum LogFormat {
    /// Human-readable lines.
    Text,
    /// One JSON object per line.
    Json,
}

/// Subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Create a reviewer account. The password is read from JOBGUARD_REVIEWER_PASSWORD, else from the
    /// first line of standard input.
    AddReviewer {
        /// The reviewer's sign-in name.
        name: String,
        /// Replace the password if the reviewer exists.
        #[arg(long)]
        replace: bool,
    },
    /// Scan crawled postings (JSON lines: url, title, text or html) and open cases for flagged ones.
    Ingest {
        /// The file of postings; standard input when absent or "-".
        file: Option<PathBuf>,
    },
}

/// A setting that cannot be used.
#[derive(Debug, Error)]
pub enum ConfigError {
    /// A key file could not be read or parsed.
    #[error("key file {path}: {message}")]
    Key {
        /// The file.
        path: PathBuf,
        /// What is wrong.
        message: String,
    },
    /// A header name is not valid.
    #[error("--client-ip-header {0:?} is not a header name")]
    Header(String),
    /// The indicator list would be signed with a key trusted for packs.
    #[error("the indicator key must differ from the pack keys: a stolen service key must not sign rules")]
    SameKey,
    /// The admin token is too short to be secret.
    #[error("the admin token must be at least 16 characters")]
    WeakToken,
}

fn read_key<T>(
    path: &Path,
    parse: impl Fn(&str) -> Result<T, jobguard::signing::VerifyError>,
) -> Result<T, ConfigError> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| ConfigError::Key { path: path.to_path_buf(), message: e.to_string() })?;
    parse(&text).map_err(|e| ConfigError::Key { path: path.to_path_buf(), message: e.to_string() })
}

impl Cli {
    /// The pack keys: the signing key (file or development key) and the trusted public keys.
    pub fn pack_config(&self) -> Result<PackConfig, ConfigError> {
        let signing_key: SigningKey = match &self.signing_key {
            Some(p) => read_key(p, parse_signing_key)?,
            None => {
                tracing::warn!("signing the bundled pack with the DEVELOPMENT key (keys/dev.secret); use --signing-key in a deployment");
                parse_signing_key(DEV_SECRET)
                    .map_err(|e| ConfigError::Key { path: "keys/dev.secret".into(), message: e.to_string() })?
            }
        };
        let mut trusted: Vec<VerifyingKey> =
            self.trusted_keys.iter().map(|p| read_key(p, parse_verifying_key)).collect::<Result<_, _>>()?;
        if trusted.is_empty() {
            trusted.push(signing_key.verifying_key());
        }
        Ok(PackConfig { signing_key, key_id: self.key_id.clone(), trusted })
    }

    /// The service settings.
    pub fn settings(&self) -> Result<Settings, ConfigError> {
        let client_ip_header = match &self.client_ip_header {
            Some(h) => Some(h.parse().map_err(|_| ConfigError::Header(h.clone()))?),
            None => None,
        };
        let admin_token = self.admin_token.clone().filter(|t| !t.is_empty());
        if admin_token.as_ref().is_some_and(|t| t.len() < 16) {
            return Err(ConfigError::WeakToken);
        }
        let indicator_key = match &self.indicator_key {
            Some(p) => crate::indicators::publish::ListKey {
                key: read_key(p, parse_signing_key)?,
                key_id: self.indicator_key_id.clone(),
            },
            None => {
                tracing::warn!("signing the indicator list with the DEVELOPMENT key (keys/dev-indicators.secret); use --indicator-key in a deployment");
                crate::indicators::publish::ListKey::default()
            }
        };
        let packs = self.pack_config()?;
        let vk = indicator_key.key.verifying_key();
        if packs.signing_key.verifying_key() == vk || packs.trusted.contains(&vk) {
            return Err(ConfigError::SameKey);
        }
        Ok(Settings {
            indicator_key,
            admin_token,
            reports_per_minute: self.reports_per_minute,
            logins_per_minute: self.logins_per_minute,
            session_ttl_secs: i64::from(self.session_hours.max(1)) * 3600,
            secure_cookies: self.secure_cookies,
            client_ip_header,
        })
    }
}

/// The development pack configuration (tests, local runs).
pub fn dev_pack_config() -> PackConfig {
    // The committed development key always parses; a broken checkout is not a runtime condition.
    let signing_key = parse_signing_key(DEV_SECRET).expect("keys/dev.secret is a valid key");
    PackConfig { trusted: vec![signing_key.verifying_key()], signing_key, key_id: "dev".into() }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key_path(name: &str) -> String {
        format!("{}/../keys/{name}", env!("CARGO_MANIFEST_DIR"))
    }

    #[test]
    fn the_indicator_key_must_not_be_a_pack_key() {
        let ok = Cli::try_parse_from(["jobguard-monitor"]).unwrap().settings().unwrap();
        assert_eq!(ok.indicator_key.key_id, "dev-indicators");
        let same = Cli::try_parse_from(["jobguard-monitor", "--indicator-key", &key_path("dev.secret")]).unwrap();
        assert!(matches!(same.settings(), Err(ConfigError::SameKey)));
        let own = Cli::try_parse_from([
            "jobguard-monitor",
            "--indicator-key",
            &key_path("dev-indicators.secret"),
            "--indicator-key-id",
            "ind-2027",
        ])
        .unwrap();
        assert_eq!(own.settings().unwrap().indicator_key.key_id, "ind-2027");
    }
}
