//! The signed indicator list: the contacts reviewers confirmed, published apart from the rule pack, as
//! SHA-256 hashes of their keys (`kind:value`, see [`super::indicator_key`]) with the number of reported
//! ads each was confirmed in. Signed with its own key (the service holds it online) under its own format and
//! domain-separation prefix, so neither a pack signature nor a pack verifier can stand in for a list, and an
//! extension that trusts the list key only for lists cannot be given rules with it.
//!
//! The signed message is `b"JOBGUARD-INDICATORS\x01"` followed by the header laid out as a rule pack's is
//! ([`crate::signing::header_message`]); the header and the envelope checks are the pack's too.

use ed25519_dalek::{SigningKey, VerifyingKey};
use serde::{Deserialize, Serialize};
use thiserror::Error;

use super::{indicator_hash, Indicator, IndicatorKind};
use crate::signing::{check_envelope, hex_decode, hex_encode, sign_header, EnvelopeFault};

/// The `format` field of a signed list.
pub const LIST_FORMAT: &str = "jobguard-signed-indicators";
/// Domain separation for the signed message, with its layout version.
const MAGIC: &[u8] = b"JOBGUARD-INDICATORS\x01";
/// The list schema this engine reads.
pub const LIST_SCHEMA: u32 = 1;
/// Largest envelope accepted.
pub const MAX_LIST_BYTES: usize = 8 * 1024 * 1024;
/// Lists claiming to be created further in the future than this (seconds) are refused.
const CLOCK_SKEW: i64 = 3600;

/// What the signature covers besides the list bytes: the rule pack's header (the version only grows: the
/// service uses the time it built the list; a list expires a day after creation).
pub type ListHeader = crate::signing::EnvelopeHeader;

/// A signed indicator list, as served at `GET /v1/indicators/latest`.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct SignedList {
    /// Always [`LIST_FORMAT`].
    pub format: String,
    /// The signed header.
    pub header: ListHeader,
    /// The list JSON ([`IndicatorList`]), as a string.
    pub list: String,
    /// Base64 Ed25519 signature.
    pub signature: String,
}

/// One confirmed contact: the hash of its key and how many reported ads carried it.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct ListEntry {
    /// SHA-256 of `kind:value`, lower-case hex.
    pub h: String,
    /// Reported ads (cases) it was confirmed in.
    pub n: u32,
}

/// The list inside the envelope.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct IndicatorList {
    /// Same as the header's.
    pub schema: u32,
    /// Same as the header's.
    pub version: u64,
    /// Confirmed contacts, sorted by hash.
    pub entries: Vec<ListEntry>,
}

/// Why a signed indicator list was refused. Every variant says exactly what is wrong.
#[derive(Debug, Error, Clone, PartialEq)]
pub enum ListError {
    /// The envelope is larger than accepted.
    #[error("indicator list is {0} bytes, more than allowed")]
    TooLarge(usize),
    /// Not a signed indicator list (not JSON, missing fields, another format such as a rule pack).
    #[error("not a signed indicator list: {0}")]
    Malformed(String),
    /// Written for a schema this engine does not read.
    #[error("indicator list schema {0} is not supported")]
    Schema(u32),
    /// The list's size or digest differs from the header's.
    #[error("indicator list does not match its header ({0}): it was changed after signing")]
    Tampered(&'static str),
    /// The signature is not that of any key trusted for indicator lists.
    #[error("indicator list signature does not verify with any trusted indicator key")]
    BadSignature,
    /// The list has expired.
    #[error("indicator list expired at {expires} (now {now})")]
    Expired {
        /// Expiry (Unix seconds).
        expires: i64,
        /// Now.
        now: i64,
    },
    /// The list claims to be made in the future.
    #[error("indicator list is dated {created}, in the future (now {now})")]
    FromTheFuture {
        /// Creation.
        created: i64,
        /// Now.
        now: i64,
    },
    /// Older than the list in use.
    #[error("indicator list version {version} is older than the one in use (need at least {min})")]
    Rollback {
        /// Version offered.
        version: u64,
        /// Lowest accepted.
        min: u64,
    },
    /// No key is trusted for indicator lists.
    #[error("no indicator list key is configured")]
    NoTrustedKey,
}

impl From<EnvelopeFault> for ListError {
    fn from(f: EnvelopeFault) -> Self {
        match f {
            EnvelopeFault::Malformed(m) => ListError::Malformed(m.into()),
            EnvelopeFault::Tampered(what) => ListError::Tampered(what),
            EnvelopeFault::BadSignature => ListError::BadSignature,
            EnvelopeFault::Expired { expires, now } => ListError::Expired { expires, now },
            EnvelopeFault::FromTheFuture { created, now } => ListError::FromTheFuture { created, now },
            EnvelopeFault::Rollback { version, min } => ListError::Rollback { version, min },
        }
    }
}

/// The list JSON of confirmed contacts (`kind`, normalised `value`, ads confirmed in); sorted by hash.
pub fn build_list(version: u64, confirmed: &[(IndicatorKind, String, u32)]) -> String {
    let mut entries: Vec<ListEntry> =
        confirmed.iter().map(|(k, v, n)| ListEntry { h: hex_encode(&indicator_hash(*k, v)), n: *n }).collect();
    entries.sort_by(|a, b| a.h.cmp(&b.h));
    entries.dedup_by(|a, b| a.h == b.h);
    let list = IndicatorList { schema: LIST_SCHEMA, version, entries };
    serde_json::to_string(&list).unwrap_or_default()
}

/// Signs a list JSON made by [`build_list`]; version and schema are read from it.
pub fn sign_list(
    list_json: &str,
    key: &SigningKey,
    key_id: &str,
    created: i64,
    expires: i64,
) -> Result<SignedList, ListError> {
    let inner: IndicatorList = serde_json::from_str(list_json).map_err(|e| ListError::Malformed(e.to_string()))?;
    if expires <= created {
        return Err(ListError::Malformed("expiry must be after creation".into()));
    }
    let header = ListHeader::for_body(inner.schema, inner.version, created, expires, list_json, key_id);
    let signature = sign_header(MAGIC, &header, key)?;
    Ok(SignedList { format: LIST_FORMAT.into(), header, list: list_json.into(), signature })
}

/// A list that passed every check.
#[derive(Debug, Clone, PartialEq)]
pub struct VerifiedList {
    /// Its header.
    pub header: ListHeader,
    /// Its entries.
    pub entries: Vec<ListEntry>,
}

/// Checks a signed list: shape and format, schema, size and digest, signature by one of `trusted` (keys
/// trusted for indicator lists only), expiry at `now`, and `version >= min_version`.
pub fn verify_list(
    envelope: &str,
    trusted: &[VerifyingKey],
    now: i64,
    min_version: u64,
) -> Result<VerifiedList, ListError> {
    if envelope.len() > MAX_LIST_BYTES {
        return Err(ListError::TooLarge(envelope.len()));
    }
    if trusted.is_empty() {
        return Err(ListError::NoTrustedKey);
    }
    let env: SignedList = serde_json::from_str(envelope).map_err(|e| ListError::Malformed(e.to_string()))?;
    if env.format != LIST_FORMAT {
        return Err(ListError::Malformed(format!("format is {:?}, not {LIST_FORMAT:?}", env.format)));
    }
    let h = &env.header;
    if h.schema != LIST_SCHEMA {
        return Err(ListError::Schema(h.schema));
    }
    check_envelope(MAGIC, h, &env.list, &env.signature, trusted, now, CLOCK_SKEW, min_version)?;
    let inner: IndicatorList = serde_json::from_str(&env.list).map_err(|e| ListError::Malformed(e.to_string()))?;
    if inner.version != h.version || inner.schema != h.schema {
        return Err(ListError::Malformed("the list inside disagrees with its header".into()));
    }
    if inner.entries.iter().any(|e| hex_decode(&e.h).is_none()) {
        return Err(ListError::Malformed("an entry's hash is not 64 hex digits".into()));
    }
    Ok(VerifiedList { header: env.header, entries: inner.entries })
}

/// The hex SHA-256 of an indicator's key, as list entries carry it.
pub fn indicator_hex(kind: IndicatorKind, value: &str) -> String {
    hex_encode(&indicator_hash(kind, value))
}

/// The page's indicators that the list confirms: `(index into indicators, ads confirmed in)`.
pub fn confirmed_on_page(entries: &[ListEntry], indicators: &[Indicator]) -> Vec<(usize, u32)> {
    indicators
        .iter()
        .enumerate()
        .filter_map(|(i, ind)| {
            let h = indicator_hex(ind.kind, &ind.value);
            entries.binary_search_by(|e| e.h.as_str().cmp(&h)).ok().map(|j| (i, entries[j].n))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::signing::{sign_pack, verify_signed};
    use base64::engine::general_purpose::STANDARD as B64;
    use base64::Engine as _;
    use ed25519_dalek::Signer;

    const NOW: i64 = 1_796_000_000;

    fn keys() -> (SigningKey, SigningKey) {
        (SigningKey::from_bytes(&[7u8; 32]), SigningKey::from_bytes(&[9u8; 32]))
    }

    fn list(version: u64) -> String {
        build_list(
            version,
            &[(IndicatorKind::Telegram, "gd_recruit_desk".into(), 3), (IndicatorKind::Phone, "+85512345678".into(), 1)],
        )
    }

    #[test]
    fn a_good_list_verifies_and_matches_a_page() {
        let (ind_key, _) = keys();
        let signed = sign_list(&list(5), &ind_key, "ind-1", NOW, NOW + 86_400).unwrap();
        let env = serde_json::to_string(&signed).unwrap();
        assert!(!env.contains("gd_recruit_desk") && !env.contains("85512345678"), "hashes only");
        let ok = verify_list(&env, &[ind_key.verifying_key()], NOW + 10, 5).unwrap();
        assert_eq!(ok.entries.len(), 2);
        let page = crate::indicators::extract_from("연락: 텔레그램 @GD_Recruit_Desk", &[]);
        assert_eq!(confirmed_on_page(&ok.entries, &page), [(0, 3)]);
        let other = crate::indicators::extract_from("연락: 텔레그램 @another_desk1", &[]);
        assert!(confirmed_on_page(&ok.entries, &other).is_empty());
    }

    #[test]
    fn tampered_expired_older_and_future_lists_are_refused() {
        let (k, _) = keys();
        let trusted = [k.verifying_key()];
        let signed = sign_list(&list(5), &k, "ind-1", NOW, NOW + 86_400).unwrap();
        let env = serde_json::to_string(&signed).unwrap();
        let mut t = signed.clone();
        t.list = t.list.replace("\"n\":3", "\"n\":9");
        assert_eq!(
            verify_list(&serde_json::to_string(&t).unwrap(), &trusted, NOW, 0),
            Err(ListError::Tampered("sha256"))
        );
        let mut t = signed.clone();
        t.header.expires += 86_400;
        assert_eq!(verify_list(&serde_json::to_string(&t).unwrap(), &trusted, NOW, 0), Err(ListError::BadSignature));
        assert!(matches!(verify_list(&env, &trusted, NOW + 86_400, 0), Err(ListError::Expired { .. })));
        assert_eq!(verify_list(&env, &trusted, NOW, 6), Err(ListError::Rollback { version: 5, min: 6 }));
        assert!(matches!(verify_list(&env, &trusted, NOW - 7200, 0), Err(ListError::FromTheFuture { .. })));
        assert!(matches!(verify_list("{", &trusted, NOW, 0), Err(ListError::Malformed(_))));
        assert_eq!(verify_list(&env, &[], NOW, 0), Err(ListError::NoTrustedKey));
    }

    #[test]
    fn each_key_only_for_its_own_kind_of_file() {
        let (ind_key, pack_key) = keys();
        // A list signed with the rule-pack key: refused where only the indicator key is trusted for lists.
        let by_pack_key = sign_list(&list(5), &pack_key, "dev", NOW, NOW + 86_400).unwrap();
        let env = serde_json::to_string(&by_pack_key).unwrap();
        assert_eq!(verify_list(&env, &[ind_key.verifying_key()], NOW, 0), Err(ListError::BadSignature));
        // A pack signed with the indicator key: refused where only the pack key is trusted for packs.
        let pack = format!("{{\"schema\":{},\"version\":3}}", crate::pack::SCHEMA_VERSION);
        let signed_pack = sign_pack(&pack, &ind_key, "ind-1", NOW, NOW + 86_400).unwrap();
        let penv = serde_json::to_string(&signed_pack).unwrap();
        assert!(verify_signed(&penv, &[pack_key.verifying_key()], NOW, 0).is_err());
        // A pack envelope is not a list, even for a verifier trusting the key that signed it.
        assert!(matches!(verify_list(&penv, &[ind_key.verifying_key()], NOW, 0), Err(ListError::Malformed(_))));
        // Domain separation: a pack signature over the same header fields does not verify as a list.
        let l = list(5);
        let mut forged = sign_list(&l, &ind_key, "ind-1", NOW, NOW + 86_400).unwrap();
        let h = &forged.header;
        let pack_sig = ind_key.sign(&crate::signing::signed_message(h).unwrap());
        forged.signature = B64.encode(pack_sig.to_bytes());
        let fenv = serde_json::to_string(&forged).unwrap();
        assert_eq!(verify_list(&fenv, &[ind_key.verifying_key()], NOW, 0), Err(ListError::BadSignature));
    }
}
