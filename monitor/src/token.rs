//! Random identifiers and secrets (report ids, session tokens, CSRF tokens), their digests, and a
//! constant-time comparison for secrets.

use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// `n` random bytes from the operating system, as lower-case hex.
pub fn random_hex(n: usize) -> String {
    let mut buf = vec![0u8; n];
    // The OS random source failing is not recoverable for a service that hands out secrets.
    getrandom::getrandom(&mut buf).expect("the operating system's random source failed");
    hex(&buf)
}

/// A new id with a prefix, e.g. `r_3f9a...` for a report.
pub fn new_id(prefix: &str) -> String {
    format!("{prefix}{}", random_hex(12))
}

/// SHA-256 of `s`, hex: how session tokens are stored (a leaked table does not leak live sessions).
pub fn sha256_hex(s: &str) -> String {
    hex(&Sha256::digest(s.as_bytes()))
}

/// Compares two secrets in time independent of where they differ.
pub fn secret_eq(a: &str, b: &str) -> bool {
    // Comparing digests makes the time independent of the lengths too.
    Sha256::digest(a.as_bytes()).ct_eq(&Sha256::digest(b.as_bytes())).into()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_random_and_prefixed() {
        let a = new_id("r_");
        let b = new_id("r_");
        assert!(a.starts_with("r_") && a.len() == 26);
        assert_ne!(a, b);
        assert!(secret_eq("abc", "abc"));
        assert!(!secret_eq("abc", "abd"));
        assert!(!secret_eq("abc", "abcd"));
    }
}
