//! Normalising a posting's URL so that the same posting reported many times is one case: no fragment, no
//! tracking parameters, lower-case host, no default port, sorted query.

use url::Url;

/// Query parameters that only track where a click came from; they never select a different posting.
const TRACKING: &[&str] = &[
    "fbclid",
    "gclid",
    "dclid",
    "gbraid",
    "wbraid",
    "msclkid",
    "yclid",
    "igshid",
    "mc_cid",
    "mc_eid",
    "_ga",
    "_gl",
    "ref_src",
    "spm",
    "trk",
    "trackingid",
    "si",
];

/// Why a URL was refused.
#[derive(Debug, thiserror::Error, PartialEq)]
pub enum UrlError {
    /// Not a URL at all.
    #[error("is not a URL: {0}")]
    Parse(String),
    /// Not http or https.
    #[error("must be an http or https URL")]
    Scheme,
    /// No host.
    #[error("has no host")]
    NoHost,
}

/// A posting's URL, normalised, with its host.
#[derive(Debug, Clone, PartialEq)]
pub struct NormalUrl {
    /// The normalised URL (the case key).
    pub url: String,
    /// Its host, lower case, without a leading `www.`.
    pub domain: String,
}

fn is_tracking(name: &str) -> bool {
    let n = name.to_ascii_lowercase();
    n.starts_with("utm_") || TRACKING.contains(&n.as_str())
}

/// Normalises `raw`: http(s) only; host lower-cased (the parser does it, and IDNs become punycode); default
/// port, fragment, tracking parameters and an empty query dropped; remaining parameters sorted.
pub fn normalize(raw: &str) -> Result<NormalUrl, UrlError> {
    let mut u = Url::parse(raw.trim()).map_err(|e| UrlError::Parse(e.to_string()))?;
    if u.scheme() != "http" && u.scheme() != "https" {
        return Err(UrlError::Scheme);
    }
    let host = u.host_str().filter(|h| !h.is_empty()).ok_or(UrlError::NoHost)?.to_ascii_lowercase();
    u.set_fragment(None);
    // Credentials in a URL are never part of a posting's identity (and should not be stored).
    let _ = u.set_username("");
    let _ = u.set_password(None);
    let mut pairs: Vec<(String, String)> =
        u.query_pairs().filter(|(k, _)| !is_tracking(k)).map(|(k, v)| (k.into_owned(), v.into_owned())).collect();
    pairs.sort();
    if pairs.is_empty() {
        u.set_query(None);
    } else {
        u.query_pairs_mut().clear().extend_pairs(pairs);
    }
    let domain = host.strip_prefix("www.").unwrap_or(&host).to_string();
    Ok(NormalUrl { url: u.to_string(), domain })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_posting_same_key() {
        let a = normalize("https://Jobs.Example.COM:443/post/1?utm_source=x&id=7&fbclid=abc#apply").unwrap();
        let b = normalize("https://jobs.example.com/post/1?id=7").unwrap();
        assert_eq!(a, b);
        assert_eq!(a.url, "https://jobs.example.com/post/1?id=7");
        assert_eq!(a.domain, "jobs.example.com");
    }

    #[test]
    fn different_postings_stay_apart() {
        let a = normalize("https://example.com/post?id=1").unwrap();
        let b = normalize("https://example.com/post?id=2").unwrap();
        assert_ne!(a.url, b.url);
        let c = normalize("https://example.com/post?b=2&a=1").unwrap();
        assert_eq!(c.url, "https://example.com/post?a=1&b=2");
    }

    #[test]
    fn www_is_dropped_from_the_domain_only() {
        let a = normalize("http://www.Example.com/x?utm_medium=a#f").unwrap();
        assert_eq!(a.url, "http://www.example.com/x");
        assert_eq!(a.domain, "example.com");
    }

    #[test]
    fn refusals() {
        assert_eq!(normalize("javascript:alert(1)"), Err(UrlError::Scheme));
        assert_eq!(normalize("ftp://example.com/"), Err(UrlError::Scheme));
        assert!(matches!(normalize("not a url"), Err(UrlError::Parse(_))));
        assert!(normalize("https://user:pw@example.com/a").unwrap().url == "https://example.com/a");
    }
}
