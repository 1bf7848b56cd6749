//! Field-by-field validation of the reports and feedback that readers send: each refusal names its field.
//! The limits are those the extension checks before sending (`extension/background/reports.js`), so a report
//! it accepts is never refused here for size.

use serde_json::{Map, Value};

use crate::error::ApiError;
use crate::urlnorm::{normalize, NormalUrl};

/// Longest accepted URL, in characters.
pub const MAX_URL: usize = 4096;
/// Longest accepted page title, in characters.
pub const MAX_TITLE: usize = 1000;
/// Longest accepted excerpt the reader approved, in characters.
pub const MAX_EXCERPT: usize = 4000;
/// Longest accepted comment, in characters.
pub const MAX_COMMENT: usize = 2000;
/// Most rule ids in one report.
pub const MAX_RULES: usize = 200;

/// The levels a verdict can have.
pub const LEVELS: &[&str] = &["safe", "caution", "danger"];

/// A validated report.
#[derive(Debug, Clone, PartialEq)]
pub struct ReportIn {
    /// The URL as sent.
    pub url: String,
    /// The URL normalised (the case key) and its domain.
    pub norm: NormalUrl,
    /// The page title ("" when none was sent).
    pub title: String,
    /// The rule ids that matched.
    pub rules: Vec<String>,
    /// The verdict's score, 0..=100.
    pub score: i64,
    /// The verdict's level.
    pub level: String,
    /// The pack version the verdict came from.
    pub pack_version: i64,
    /// The extension's version.
    pub extension_version: String,
    /// The reader's language.
    pub lang: String,
    /// The reader's country (ISO 3166 alpha-2), if known.
    pub country: Option<String>,
    /// An excerpt the reader chose to send.
    pub excerpt: Option<String>,
    /// The reader's comment.
    pub comment: Option<String>,
    /// Contacts on the page (kind and normalised value), as the reader's verdict listed them.
    pub indicators: Vec<crate::indicators::IndicatorIn>,
    /// The client's key for this report; a retry sends the same key.
    pub idempotency_key: String,
}

/// Validated "not a scam" feedback on a verdict.
#[derive(Debug, Clone, PartialEq)]
pub struct FeedbackIn {
    /// The page's URL, normalised.
    pub norm: NormalUrl,
    /// The rules the reader says fired wrongly.
    pub rules: Vec<String>,
    /// The verdict's score.
    pub score: i64,
    /// The pack version.
    pub pack_version: i64,
    /// The client's key; a retry sends the same key.
    pub idempotency_key: String,
}

fn object(body: &[u8]) -> Result<Map<String, Value>, ApiError> {
    match serde_json::from_slice::<Value>(body) {
        Ok(Value::Object(m)) => Ok(m),
        Ok(_) => Err(ApiError::BadJson("expected an object".into())),
        Err(e) => Err(ApiError::BadJson(e.to_string())),
    }
}

/// A field that is absent or null.
fn missing(m: &Map<String, Value>, f: &str) -> bool {
    matches!(m.get(f), None | Some(Value::Null))
}

fn string(m: &Map<String, Value>, f: &'static str, max: usize) -> Result<String, ApiError> {
    match m.get(f) {
        None | Some(Value::Null) => Err(ApiError::field(f, "is required")),
        Some(Value::String(s)) => {
            let n = s.chars().count();
            if n > max {
                Err(ApiError::field(f, format!("is {n} characters long, more than the {max} allowed")))
            } else if s.chars().any(|c| c.is_control() && c != '\n' && c != '\t' && c != '\r') {
                Err(ApiError::field(f, "contains control characters"))
            } else {
                Ok(s.clone())
            }
        }
        Some(_) => Err(ApiError::field(f, "must be a string")),
    }
}

fn opt_string(m: &Map<String, Value>, f: &'static str, max: usize) -> Result<Option<String>, ApiError> {
    if missing(m, f) {
        return Ok(None);
    }
    let s = string(m, f, max)?;
    Ok(if s.trim().is_empty() { None } else { Some(s) })
}

fn integer(m: &Map<String, Value>, f: &'static str, min: i64, max: i64) -> Result<i64, ApiError> {
    match m.get(f) {
        None | Some(Value::Null) => Err(ApiError::field(f, "is required")),
        Some(Value::Number(n)) => match n.as_i64() {
            Some(v) if (min..=max).contains(&v) => Ok(v),
            _ => Err(ApiError::field(f, format!("must be a whole number from {min} to {max}"))),
        },
        Some(_) => Err(ApiError::field(f, "must be a number")),
    }
}

fn token(s: &str, max: usize, extra: &str) -> bool {
    !s.is_empty() && s.len() <= max && s.chars().all(|c| c.is_ascii_alphanumeric() || extra.contains(c))
}

fn rules(m: &Map<String, Value>) -> Result<Vec<String>, ApiError> {
    let f = "rules";
    let list = match m.get(f) {
        None | Some(Value::Null) => return Err(ApiError::field(f, "is required (an empty list is allowed)")),
        Some(Value::Array(a)) => a,
        Some(_) => return Err(ApiError::field(f, "must be a list of rule ids")),
    };
    if list.len() > MAX_RULES {
        return Err(ApiError::field(f, format!("has {} entries, more than the {MAX_RULES} allowed", list.len())));
    }
    let mut out = Vec::with_capacity(list.len());
    for (i, v) in list.iter().enumerate() {
        match v.as_str() {
            Some(s) if token(s, 200, "._-") => {
                if !out.iter().any(|r| r == s) {
                    out.push(s.to_string());
                }
            }
            _ => return Err(ApiError::field(f, format!("entry {i} is not a rule id (letters, digits, . _ -)"))),
        }
    }
    Ok(out)
}

fn url(m: &Map<String, Value>) -> Result<(String, NormalUrl), ApiError> {
    let raw = string(m, "url", MAX_URL)?;
    let norm = normalize(&raw).map_err(|e| ApiError::field("url", e.to_string()))?;
    Ok((raw, norm))
}

fn idempotency_key(m: &Map<String, Value>) -> Result<String, ApiError> {
    let k = string(m, "idempotency_key", 100)?;
    if k.len() < 8 || !token(&k, 100, "-_") {
        return Err(ApiError::field("idempotency_key", "must be 8 to 100 letters, digits, - or _ (a UUID fits)"));
    }
    Ok(k)
}

/// Validates a report body (see `docs/interfaces.md`).
pub fn report(body: &[u8]) -> Result<ReportIn, ApiError> {
    let m = object(body)?;
    let (url, norm) = url(&m)?;
    let title = opt_string(&m, "title", MAX_TITLE)?.unwrap_or_default();
    let rules = rules(&m)?;
    let score = integer(&m, "score", 0, 100)?;
    let level = string(&m, "level", 16)?;
    if !LEVELS.contains(&level.as_str()) {
        return Err(ApiError::field("level", "must be one of safe, caution, danger"));
    }
    let pack_version = integer(&m, "pack_version", 0, i64::MAX)?;
    let extension_version = string(&m, "extension_version", 50)?;
    if !token(&extension_version, 50, ".+-") {
        return Err(ApiError::field("extension_version", "must look like 1.2.3"));
    }
    let lang = string(&m, "lang", 16)?;
    if !token(&lang, 16, "-_") {
        return Err(ApiError::field("lang", "must be a language tag such as ko or en-US"));
    }
    let country = opt_string(&m, "country", 2)?;
    if let Some(c) = &country {
        if c.len() != 2 || !c.chars().all(|c| c.is_ascii_uppercase()) {
            return Err(ApiError::field("country", "must be two capital letters such as KR"));
        }
    }
    let excerpt = opt_string(&m, "excerpt", MAX_EXCERPT)?;
    let comment = opt_string(&m, "comment", MAX_COMMENT)?;
    let indicators = crate::indicators::parse_field(&m)?;
    let idempotency_key = idempotency_key(&m)?;
    Ok(ReportIn {
        url,
        norm,
        title,
        rules,
        score,
        level,
        pack_version,
        extension_version,
        lang,
        country,
        excerpt,
        comment,
        indicators,
        idempotency_key,
    })
}

/// Validates a feedback body.
pub fn feedback(body: &[u8]) -> Result<FeedbackIn, ApiError> {
    let m = object(body)?;
    let (_, norm) = url(&m)?;
    let rules = rules(&m)?;
    if rules.is_empty() {
        return Err(ApiError::field("rules", "must name at least one rule"));
    }
    let score = integer(&m, "score", 0, 100)?;
    let pack_version = integer(&m, "pack_version", 0, i64::MAX)?;
    let kind = string(&m, "kind", 32)?;
    if kind != "not_scam" {
        return Err(ApiError::field("kind", "must be \"not_scam\""));
    }
    let idempotency_key = idempotency_key(&m)?;
    Ok(FeedbackIn { norm, rules, score, pack_version, idempotency_key })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn good() -> Value {
        json!({ "url": "https://jobs.example.com/p/1?utm_source=x", "title": "월 1000만원",
                "rules": ["ko.travel.flight_paid", "ko.pay.high"], "score": 78, "level": "danger",
                "pack_version": 3, "extension_version": "0.1.0", "lang": "ko", "country": "KR",
                "excerpt": null, "comment": null, "idempotency_key": "0b8f6c2e-1f4e-4e0e-9a57-5d7e2b1c9f00" })
    }

    fn field_of(v: Value) -> &'static str {
        match report(v.to_string().as_bytes()) {
            Err(ApiError::Field { field, .. }) => field,
            other => panic!("expected a field error, got {other:?}"),
        }
    }

    #[test]
    fn a_good_report_passes() {
        let r = report(good().to_string().as_bytes()).unwrap();
        assert_eq!(r.norm.url, "https://jobs.example.com/p/1");
        assert_eq!(r.rules.len(), 2);
        assert_eq!(r.country.as_deref(), Some("KR"));
        assert_eq!(r.excerpt, None);
    }

    #[test]
    fn each_bad_field_is_named() {
        let cases: Vec<(&str, Value)> = vec![
            ("url", json!("javascript:alert(1)")),
            ("url", json!(5)),
            ("title", json!("x".repeat(MAX_TITLE + 1))),
            ("rules", json!("ko.x")),
            ("rules", json!(["bad id!"])),
            ("score", json!(101)),
            ("score", json!("78")),
            ("level", json!("evil")),
            ("pack_version", json!(-1)),
            ("extension_version", json!("1.0 <script>")),
            ("lang", json!("")),
            ("country", json!("kr")),
            ("excerpt", json!("x".repeat(MAX_EXCERPT + 1))),
            ("comment", json!(["not", "text"])),
            ("indicators", json!([{ "kind": "telegram", "value": "x" }])),
            ("idempotency_key", json!("short")),
        ];
        for (field, value) in cases {
            let mut v = good();
            v[field] = value;
            assert_eq!(field_of(v), field);
        }
        let mut v = good();
        v.as_object_mut().unwrap().remove("idempotency_key");
        assert_eq!(field_of(v), "idempotency_key");
    }

    #[test]
    fn not_json_is_bad_json() {
        assert!(matches!(report(b"{"), Err(ApiError::BadJson(_))));
        assert!(matches!(report(b"[1]"), Err(ApiError::BadJson(_))));
    }

    #[test]
    fn feedback_needs_a_rule_and_the_kind() {
        let ok = json!({"url": "https://a.example/x", "rules": ["en.wfh.easy"], "score": 40, "pack_version": 1,
                        "kind": "not_scam", "idempotency_key": "abcdefgh12"});
        assert!(feedback(ok.to_string().as_bytes()).is_ok());
        let mut bad = ok.clone();
        bad["kind"] = json!("scam");
        assert!(matches!(feedback(bad.to_string().as_bytes()), Err(ApiError::Field { field: "kind", .. })));
        let mut bad = ok;
        bad["rules"] = json!([]);
        assert!(matches!(feedback(bad.to_string().as_bytes()), Err(ApiError::Field { field: "rules", .. })));
    }
}
