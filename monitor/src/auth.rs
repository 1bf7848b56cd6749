//! Reviewer accounts (argon2 password hashes), sign-in sessions that expire (a random token in an
//! HttpOnly, SameSite=Strict cookie; only its SHA-256 is stored) with a CSRF token each, and cookie parsing.

use argon2::password_hash::rand_core::OsRng;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;
use axum::http::HeaderMap;
use thiserror::Error;

use crate::db::{is_unique_violation, Db};
use crate::token::{random_hex, sha256_hex};

/// The session cookie's name.
pub const SESSION_COOKIE: &str = "jg_session";
/// The cookie holding the sign-in form's CSRF token (before there is a session).
pub const LOGIN_COOKIE: &str = "jg_login";

/// Why a reviewer could not be added.
#[derive(Debug, Error)]
pub enum ReviewerError {
    /// Names are short and plain.
    #[error("reviewer name must be 1 to 64 letters, digits, . _ - or @")]
    BadName,
    /// Passwords must be long enough to resist guessing.
    #[error("password must be at least 10 characters")]
    ShortPassword,
    /// The name is taken.
    #[error("a reviewer named {0:?} already exists")]
    Exists(String),
    /// Hashing failed.
    #[error("cannot hash the password: {0}")]
    Hash(String),
    /// The database failed.
    #[error("database error: {0}")]
    Db(#[from] sqlx::Error),
}

/// A signed-in reviewer.
#[derive(Debug, Clone, PartialEq)]
pub struct Session {
    /// Reviewer id.
    pub reviewer_id: i64,
    /// Reviewer name.
    pub name: String,
    /// The token forms must carry.
    pub csrf: String,
    /// The session token's digest (to sign out).
    pub token_hash: String,
}

fn valid_name(name: &str) -> bool {
    !name.is_empty() && name.len() <= 64 && name.chars().all(|c| c.is_ascii_alphanumeric() || "._-@".contains(c))
}

/// Hashes a password with argon2id and a random salt (PHC string).
pub fn hash_password(password: &str) -> Result<String, ReviewerError> {
    let salt = SaltString::generate(&mut OsRng);
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| ReviewerError::Hash(e.to_string()))
}

/// Checks a password against a PHC hash; a malformed hash never matches.
pub fn verify_password(password: &str, hash: &str) -> bool {
    match PasswordHash::new(hash) {
        Ok(h) => Argon2::default().verify_password(password.as_bytes(), &h).is_ok(),
        Err(_) => false,
    }
}

/// Adds a reviewer, or sets a new password when `replace` and the name exists.
pub async fn add_reviewer(db: &Db, name: &str, password: &str, replace: bool, now: i64) -> Result<(), ReviewerError> {
    if !valid_name(name) {
        return Err(ReviewerError::BadName);
    }
    if password.chars().count() < 10 {
        return Err(ReviewerError::ShortPassword);
    }
    let hash = hash_password(password)?;
    let sql = if replace {
        "INSERT INTO reviewers (name, password_hash, created_at) VALUES ($1, $2, $3) \
         ON CONFLICT (name) DO UPDATE SET password_hash = excluded.password_hash"
    } else {
        "INSERT INTO reviewers (name, password_hash, created_at) VALUES ($1, $2, $3)"
    };
    match sqlx::query(sql).bind(name).bind(hash).bind(now).execute(&db.write).await {
        Ok(_) => Ok(()),
        Err(e) if is_unique_violation(&e) => Err(ReviewerError::Exists(name.to_string())),
        Err(e) => Err(e.into()),
    }
}

/// A hash of a password nobody has, checked when the name is unknown so that a wrong name takes as long
/// as a wrong password.
fn decoy_hash() -> &'static str {
    static DECOY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    DECOY.get_or_init(|| hash_password(&random_hex(16)).unwrap_or_default())
}

/// Checks a name and password; returns the reviewer's id when they match. Runs argon2 on a blocking thread.
pub async fn check_login(db: &Db, name: &str, password: &str) -> Result<Option<i64>, sqlx::Error> {
    let row: Option<(i64, String)> = sqlx::query_as("SELECT id, password_hash FROM reviewers WHERE name = $1")
        .bind(name)
        .fetch_optional(&db.read)
        .await?;
    let (id, hash) = match row {
        Some((id, h)) => (Some(id), h),
        None => (None, decoy_hash().to_string()),
    };
    let password = password.to_string();
    let ok = tokio::task::spawn_blocking(move || verify_password(&password, &hash)).await.unwrap_or(false);
    Ok(if ok { id } else { None })
}

/// Starts a session; returns the token for the cookie.
pub async fn create_session(db: &Db, reviewer_id: i64, ttl_secs: i64, now: i64) -> Result<String, sqlx::Error> {
    // Expired sessions are swept here rather than by a timer: sign-ins are rare and this keeps the table small.
    sqlx::query("DELETE FROM sessions WHERE expires_at <= $1").bind(now).execute(&db.write).await?;
    let token = random_hex(32);
    sqlx::query(
        "INSERT INTO sessions (token_hash, reviewer_id, csrf, created_at, expires_at) VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(sha256_hex(&token))
    .bind(reviewer_id)
    .bind(random_hex(16))
    .bind(now)
    .bind(now + ttl_secs)
    .execute(&db.write)
    .await?;
    Ok(token)
}

/// The live session named by the request's cookie, if any.
pub async fn session(db: &Db, headers: &HeaderMap, now: i64) -> Result<Option<Session>, sqlx::Error> {
    let Some(token) = cookie(headers, SESSION_COOKIE) else { return Ok(None) };
    let token_hash = sha256_hex(&token);
    let row: Option<(i64, String, String)> = sqlx::query_as(
        "SELECT s.reviewer_id, r.name, s.csrf FROM sessions s JOIN reviewers r ON r.id = s.reviewer_id \
         WHERE s.token_hash = $1 AND s.expires_at > $2",
    )
    .bind(&token_hash)
    .bind(now)
    .fetch_optional(&db.read)
    .await?;
    Ok(row.map(|(reviewer_id, name, csrf)| Session { reviewer_id, name, csrf, token_hash }))
}

/// Ends a session.
pub async fn end_session(db: &Db, token_hash: &str) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM sessions WHERE token_hash = $1").bind(token_hash).execute(&db.write).await.map(|_| ())
}

/// The value of cookie `name` in the request's `Cookie` headers.
pub fn cookie(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(axum::http::header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|kv| kv.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.trim().to_string())
        .filter(|v| !v.is_empty())
}

/// A `Set-Cookie` value: HttpOnly, SameSite=Strict, Path=/, and Secure when asked.
pub fn set_cookie(name: &str, value: &str, max_age: i64, secure: bool) -> String {
    let secure = if secure { "; Secure" } else { "" };
    format!("{name}={value}; Max-Age={max_age}; Path=/; HttpOnly; SameSite=Strict{secure}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    #[test]
    fn passwords_hash_and_verify() {
        let h = hash_password("correct horse battery").unwrap();
        assert!(h.starts_with("$argon2id$"));
        assert!(verify_password("correct horse battery", &h));
        assert!(!verify_password("correct horse batterx", &h));
        assert!(!verify_password("x", "not a hash"));
    }

    #[test]
    fn cookies_are_found_by_name() {
        let mut h = HeaderMap::new();
        h.append("cookie", HeaderValue::from_static("a=1; jg_session=abc ; b=2"));
        h.append("cookie", HeaderValue::from_static("jg_login=xyz"));
        assert_eq!(cookie(&h, SESSION_COOKIE).as_deref(), Some("abc"));
        assert_eq!(cookie(&h, LOGIN_COOKIE).as_deref(), Some("xyz"));
        assert_eq!(cookie(&h, "none"), None);
        assert!(set_cookie("a", "b", 5, true).ends_with("; Secure"));
    }
}
