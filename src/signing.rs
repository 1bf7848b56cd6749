//! Signed pack envelopes: Ed25519 signatures over a header (schema, version, creation, expiry, size, SHA-256
//! of the pack) and the checks a pack must pass before it replaces the one in use: signed by a trusted key,
//! not expired, not older than the pack in use.
//!
//! The envelope and the signed message are specified in `docs/interfaces.md`. The header, the signed message's
//! layout and the checks every envelope passes ([`EnvelopeHeader`], [`header_message`], [`check_envelope`]) are
//! shared with the signed indicator list (`crate::indicators::signed`), which differs only in its domain
//! prefix, its limits and what it carries.

use base64::engine::general_purpose::STANDARD as B64;
use base64::Engine as _;
use ed25519_dalek::{Signature, Signer, SigningKey, Verifier, VerifyingKey};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use thiserror::Error;

use crate::pack::{MAX_PACK_BYTES, SCHEMA_VERSION};

/// The `format` field of every envelope.
pub const ENVELOPE_FORMAT: &str = "jobguard-signed-pack";
/// Domain separation for the signed message, with its layout version.
const MAGIC: &[u8] = b"JOBGUARD-PACK\x01";
/// Largest envelope accepted (the pack is escaped inside a JSON string, so allow room).
pub const MAX_ENVELOPE_BYTES: usize = 2 * MAX_PACK_BYTES + 4096;
/// Packs claiming to be created further in the future than this (seconds) are refused.
const CLOCK_SKEW: i64 = 24 * 3600;

/// What a signature covers besides the signed body (a rule pack or an indicator list).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct EnvelopeHeader {
    /// Schema version of the body.
    pub schema: u32,
    /// Version of the body; only grows.
    pub version: u64,
    /// When it was made (Unix seconds).
    pub created: i64,
    /// When it expires (Unix seconds).
    pub expires: i64,
    /// SHA-256 of the body's bytes, lower-case hex.
    pub sha256: String,
    /// Size of the body in bytes.
    pub size: u64,
    /// Which key signed it (informational; every trusted key is tried).
    pub key_id: String,
}

/// The header of a signed rule pack.
pub type PackHeader = EnvelopeHeader;

impl EnvelopeHeader {
    /// The header for `body`, its size and digest computed here.
    pub fn for_body(schema: u32, version: u64, created: i64, expires: i64, body: &str, key_id: &str) -> Self {
        EnvelopeHeader {
            schema,
            version,
            created,
            expires,
            sha256: hex_encode(&Sha256::digest(body.as_bytes())),
            size: body.len() as u64,
            key_id: key_id.to_string(),
        }
    }
}

/// Why an envelope failed one of the checks [`check_envelope`] makes; each kind of envelope maps it onto its
/// own error type.
#[derive(Debug, Clone, PartialEq)]
pub enum EnvelopeFault {
    /// The header cannot be laid out (digest not hex, key id too long).
    Malformed(&'static str),
    /// The body's size or digest differs from the header's.
    Tampered(&'static str),
    /// The signature is not base64 of a signature, or not that of any trusted key.
    BadSignature,
    /// Expired at `expires` (Unix seconds), now `now`.
    Expired {
        /// Expiry.
        expires: i64,
        /// Now.
        now: i64,
    },
    /// Dated `created`, further ahead of `now` than the allowed clock skew.
    FromTheFuture {
        /// Creation.
        created: i64,
        /// Now.
        now: i64,
    },
    /// Version `version` is below `min`, the one in use.
    Rollback {
        /// Version offered.
        version: u64,
        /// Lowest accepted.
        min: u64,
    },
}

/// The bytes a signature covers: `magic` (the kind of envelope and its layout version), then schema (u32 BE),
/// version (u64 BE), created and expires (i64 BE), size (u64 BE), the 32 bytes of the digest, the key id's
/// length (u8) and its bytes.
pub fn header_message(magic: &[u8], h: &EnvelopeHeader) -> Result<Vec<u8>, EnvelopeFault> {
    let digest = hex_decode(&h.sha256).ok_or(EnvelopeFault::Malformed("sha256 is not 64 hex digits"))?;
    let key_id = h.key_id.as_bytes();
    if key_id.len() > 255 {
        return Err(EnvelopeFault::Malformed("key_id is longer than 255 bytes"));
    }
    let mut m = Vec::with_capacity(magic.len() + 4 + 8 * 4 + 32 + 1 + key_id.len());
    m.extend_from_slice(magic);
    m.extend_from_slice(&h.schema.to_be_bytes());
    m.extend_from_slice(&h.version.to_be_bytes());
    m.extend_from_slice(&h.created.to_be_bytes());
    m.extend_from_slice(&h.expires.to_be_bytes());
    m.extend_from_slice(&h.size.to_be_bytes());
    m.extend_from_slice(&digest);
    m.push(key_id.len() as u8);
    m.extend_from_slice(key_id);
    Ok(m)
}

/// Signs `h` under the domain prefix `magic`: the base64 signature an envelope carries.
pub fn sign_header(magic: &[u8], h: &EnvelopeHeader, key: &SigningKey) -> Result<String, EnvelopeFault> {
    Ok(B64.encode(key.sign(&header_message(magic, h)?).to_bytes()))
}

/// The checks every envelope passes once its shape, format and schema are known good, in this order: the
/// body's size and digest against the header, the signature (base64) over [`header_message`] by one of
/// `trusted`, expiry at `now`, a creation date at most `clock_skew` seconds ahead, and `version >=
/// min_version`.
#[allow(clippy::too_many_arguments)]
pub fn check_envelope(
    magic: &[u8],
    h: &EnvelopeHeader,
    body: &str,
    signature: &str,
    trusted: &[VerifyingKey],
    now: i64,
    clock_skew: i64,
    min_version: u64,
) -> Result<(), EnvelopeFault> {
    if h.size != body.len() as u64 {
        return Err(EnvelopeFault::Tampered("size"));
    }
    if hex_encode(&Sha256::digest(body.as_bytes())) != h.sha256.to_ascii_lowercase() {
        return Err(EnvelopeFault::Tampered("sha256"));
    }
    let sig = B64
        .decode(signature.trim())
        .ok()
        .and_then(|b| Signature::from_slice(&b).ok())
        .ok_or(EnvelopeFault::BadSignature)?;
    let msg = header_message(magic, h)?;
    if !trusted.iter().any(|k| k.verify(&msg, &sig).is_ok()) {
        return Err(EnvelopeFault::BadSignature);
    }
    if now >= h.expires {
        return Err(EnvelopeFault::Expired { expires: h.expires, now });
    }
    if h.created > now + clock_skew {
        return Err(EnvelopeFault::FromTheFuture { created: h.created, now });
    }
    if h.version < min_version {
        return Err(EnvelopeFault::Rollback { version: h.version, min: min_version });
    }
    Ok(())
}

/// A pack with its header and signature, as served and stored.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct SignedPack {
    /// Always [`ENVELOPE_FORMAT`].
    pub format: String,
    /// The signed header.
    pub header: PackHeader,
    /// The pack JSON.
    pub pack: String,
    /// Base64 Ed25519 signature over the header and the pack digest.
    pub signature: String,
}

/// Why a signed pack was refused. Every variant says exactly what is wrong.
#[derive(Debug, Error, Clone, PartialEq)]
pub enum VerifyError {
    /// The envelope is larger than accepted.
    #[error("signed pack is {size} bytes, more than the {limit} allowed")]
    TooLarge {
        /// Its size.
        size: usize,
        /// The limit.
        limit: usize,
    },
    /// Not an envelope (not JSON, missing fields, or another format).
    #[error("not a signed pack: {0}")]
    Malformed(String),
    /// Written for a schema this engine does not read.
    #[error("pack schema {found} is not supported (this engine reads schema {expected})")]
    Schema {
        /// Schema in the header.
        found: u32,
        /// Schema of this engine.
        expected: u32,
    },
    /// The pack's size or digest differs from the header's: the pack was changed.
    #[error("pack does not match its header ({0}): it was changed after signing")]
    Tampered(&'static str),
    /// The signature is not that of any trusted key.
    #[error("signature does not verify with any trusted key")]
    BadSignature,
    /// The pack has expired.
    #[error("pack expired at {expires} (now {now})")]
    Expired {
        /// Expiry (Unix seconds).
        expires: i64,
        /// Now (Unix seconds).
        now: i64,
    },
    /// The pack claims to be made in the future.
    #[error("pack is dated {created}, in the future (now {now})")]
    FromTheFuture {
        /// Creation (Unix seconds).
        created: i64,
        /// Now.
        now: i64,
    },
    /// The pack is older than the one in use.
    #[error("pack version {version} is older than the pack in use (need at least {min})")]
    Rollback {
        /// Version offered.
        version: u64,
        /// Lowest version accepted.
        min: u64,
    },
    /// The header and the pack inside disagree on version or schema.
    #[error("header says version {header}, the pack inside says {inner}")]
    VersionMismatch {
        /// Version in the header.
        header: u64,
        /// Version in the pack.
        inner: u64,
    },
    /// A key could not be read.
    #[error("bad key: {0}")]
    BadKey(String),
    /// No trusted key was given.
    #[error("no trusted key is configured")]
    NoTrustedKey,
}

/// A pack that passed every check.
#[derive(Debug, Clone, PartialEq)]
pub struct VerifiedPack {
    /// Its header.
    pub header: PackHeader,
    /// The pack JSON.
    pub pack: String,
}

impl From<EnvelopeFault> for VerifyError {
    fn from(f: EnvelopeFault) -> Self {
        match f {
            EnvelopeFault::Malformed(m) => VerifyError::Malformed(m.into()),
            EnvelopeFault::Tampered(what) => VerifyError::Tampered(what),
            EnvelopeFault::BadSignature => VerifyError::BadSignature,
            EnvelopeFault::Expired { expires, now } => VerifyError::Expired { expires, now },
            EnvelopeFault::FromTheFuture { created, now } => VerifyError::FromTheFuture { created, now },
            EnvelopeFault::Rollback { version, min } => VerifyError::Rollback { version, min },
        }
    }
}

/// The bytes a rule pack's signature covers.
pub fn signed_message(h: &PackHeader) -> Result<Vec<u8>, VerifyError> {
    Ok(header_message(MAGIC, h)?)
}

#[derive(Deserialize)]
struct PackVersion {
    schema: u32,
    version: u64,
}

/// Signs a pack. Version and schema are read from the pack itself.
pub fn sign_pack(
    pack_json: &str,
    key: &SigningKey,
    key_id: &str,
    created: i64,
    expires: i64,
) -> Result<SignedPack, VerifyError> {
    let inner: PackVersion =
        serde_json::from_str(pack_json).map_err(|e| VerifyError::Malformed(format!("pack is not pack JSON: {e}")))?;
    if expires <= created {
        return Err(VerifyError::Malformed("expiry must be after creation".into()));
    }
    let header = PackHeader::for_body(inner.schema, inner.version, created, expires, pack_json, key_id);
    let signature = sign_header(MAGIC, &header, key)?;
    Ok(SignedPack { format: ENVELOPE_FORMAT.into(), header, pack: pack_json.to_string(), signature })
}

/// Checks an envelope: shape, schema, size and digest, signature by one of `trusted`, expiry at `now`, and
/// `version >= min_version`. Returns the pack JSON only when everything holds.
pub fn verify_signed(
    envelope: &str,
    trusted: &[VerifyingKey],
    now: i64,
    min_version: u64,
) -> Result<VerifiedPack, VerifyError> {
    if envelope.len() > MAX_ENVELOPE_BYTES {
        return Err(VerifyError::TooLarge { size: envelope.len(), limit: MAX_ENVELOPE_BYTES });
    }
    if trusted.is_empty() {
        return Err(VerifyError::NoTrustedKey);
    }
    let env: SignedPack = serde_json::from_str(envelope).map_err(|e| VerifyError::Malformed(e.to_string()))?;
    if env.format != ENVELOPE_FORMAT {
        return Err(VerifyError::Malformed(format!("format is {:?}, not {ENVELOPE_FORMAT:?}", env.format)));
    }
    let h = &env.header;
    if h.schema != SCHEMA_VERSION {
        return Err(VerifyError::Schema { found: h.schema, expected: SCHEMA_VERSION });
    }
    check_envelope(MAGIC, h, &env.pack, &env.signature, trusted, now, CLOCK_SKEW, min_version)?;
    let inner: PackVersion =
        serde_json::from_str(&env.pack).map_err(|e| VerifyError::Malformed(format!("pack is not pack JSON: {e}")))?;
    if inner.version != h.version || inner.schema != h.schema {
        return Err(VerifyError::VersionMismatch { header: h.version, inner: inner.version });
    }
    Ok(VerifiedPack { header: env.header, pack: env.pack })
}

/// Reads a key file's base64 text (lines starting with `#` are comments) into 32 bytes.
fn key_bytes(text: &str) -> Result<[u8; 32], VerifyError> {
    let b64: String = text.lines().filter(|l| !l.trim_start().starts_with('#')).collect::<String>();
    let raw = B64.decode(b64.trim()).map_err(|e| VerifyError::BadKey(format!("not base64: {e}")))?;
    raw.try_into().map_err(|v: Vec<u8>| VerifyError::BadKey(format!("{} bytes, not 32", v.len())))
}

/// Parses a secret (signing) key: 32 raw bytes in base64.
pub fn parse_signing_key(text: &str) -> Result<SigningKey, VerifyError> {
    Ok(SigningKey::from_bytes(&key_bytes(text)?))
}

/// Parses a public (verifying) key: 32 raw bytes in base64.
pub fn parse_verifying_key(text: &str) -> Result<VerifyingKey, VerifyError> {
    VerifyingKey::from_bytes(&key_bytes(text)?).map_err(|e| VerifyError::BadKey(e.to_string()))
}

/// Base64 of a public key, as written to key files.
pub fn encode_verifying_key(k: &VerifyingKey) -> String {
    B64.encode(k.to_bytes())
}

/// Base64 of a secret key, as written to key files.
pub fn encode_signing_key(k: &SigningKey) -> String {
    B64.encode(k.to_bytes())
}

/// Lower-case hex of `b`.
pub fn hex_encode(b: &[u8]) -> String {
    b.iter().map(|x| format!("{x:02x}")).collect()
}

/// The 32 bytes of a 64-digit hex string (either case), or `None`.
pub fn hex_decode(s: &str) -> Option<[u8; 32]> {
    if s.len() != 64 || !s.is_ascii() {
        return None;
    }
    let mut out = [0u8; 32];
    for (i, o) in out.iter_mut().enumerate() {
        *o = u8::from_str_radix(&s[2 * i..2 * i + 2], 16).ok()?;
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(n: u8) -> SigningKey {
        SigningKey::from_bytes(&[n; 32])
    }

    fn pack(version: u64) -> String {
        format!(r#"{{"schema":1,"name":"t","version":{version}}}"#)
    }

    fn signed(version: u64, created: i64, expires: i64) -> String {
        serde_json::to_string(&sign_pack(&pack(version), &key(1), "test", created, expires).unwrap()).unwrap()
    }

    #[test]
    fn a_good_pack_verifies() {
        let v = verify_signed(&signed(5, 100, 1000), &[key(1).verifying_key()], 500, 5).unwrap();
        assert_eq!(v.header.version, 5);
        assert_eq!(v.pack, pack(5));
    }

    #[test]
    fn second_key_slot_works() {
        let keys = [key(9).verifying_key(), key(1).verifying_key()];
        assert!(verify_signed(&signed(5, 100, 1000), &keys, 500, 0).is_ok());
    }

    #[test]
    fn refusals_say_why() {
        let good = signed(5, 100, 1000);
        let k = [key(1).verifying_key()];
        assert_eq!(verify_signed(&good, &[key(2).verifying_key()], 500, 0), Err(VerifyError::BadSignature));
        assert_eq!(verify_signed(&good, &k, 1000, 0), Err(VerifyError::Expired { expires: 1000, now: 1000 }));
        assert_eq!(verify_signed(&good, &k, 500, 6), Err(VerifyError::Rollback { version: 5, min: 6 }));
        let tampered = good.replace(r#"\"name\":\"t\""#, r#"\"name\":\"x\""#);
        assert_ne!(tampered, good);
        assert_eq!(verify_signed(&tampered, &k, 500, 0), Err(VerifyError::Tampered("sha256")));
        // Raising the version in the header breaks the signature.
        let mut env: SignedPack = serde_json::from_str(&good).unwrap();
        env.header.version = 99;
        let bumped = serde_json::to_string(&env).unwrap();
        assert_eq!(verify_signed(&bumped, &k, 500, 0), Err(VerifyError::BadSignature));
        // Extending the expiry too.
        let mut env: SignedPack = serde_json::from_str(&good).unwrap();
        env.header.expires = 10_000;
        assert_eq!(verify_signed(&serde_json::to_string(&env).unwrap(), &k, 5000, 0), Err(VerifyError::BadSignature));
        assert!(matches!(verify_signed("<html>", &k, 500, 0), Err(VerifyError::Malformed(_))));
        assert!(matches!(verify_signed(&good, &[], 500, 0), Err(VerifyError::NoTrustedKey)));
    }

    #[test]
    fn keys_round_trip() {
        let k = key(3);
        let s = parse_signing_key(&format!("# dev\n{}\n", encode_signing_key(&k))).unwrap();
        assert_eq!(s.to_bytes(), k.to_bytes());
        let p = parse_verifying_key(&encode_verifying_key(&k.verifying_key())).unwrap();
        assert_eq!(p, k.verifying_key());
        assert!(parse_verifying_key("AAAA").is_err());
    }
}
