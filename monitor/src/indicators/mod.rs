//! Contact indicators in the service: the `indicators` field of a report checked and normalised
//! ([`parse_field`]), what the `phonenumber` crate says of a phone number ([`phone_info`]), and their storage,
//! counts and reviews ([`store`]), the reviewers' pages ([`pages`]) and the signed list ([`publish`]).

pub mod pages;
pub mod publish;
pub mod store;

use jobguard::indicators::{normalize_value, IndicatorKind};
use serde_json::{Map, Value};

use crate::error::ApiError;

/// Most indicators in one report.
pub const MAX_REPORT_INDICATORS: usize = 100;

/// One indicator as a report or a scan carries it: kind and normalised value.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct IndicatorIn {
    /// What kind of contact.
    pub kind: IndicatorKind,
    /// Its normalised value (`jobguard::indicators::normalize_value`).
    pub value: String,
}

/// Checks a report's `indicators` (absent or null: none): a list of `{ kind, value }`, each value normalised
/// as the classifier does; duplicates folded. A malformed entry refuses the report naming the entry.
pub fn parse_field(m: &Map<String, Value>) -> Result<Vec<IndicatorIn>, ApiError> {
    let f = "indicators";
    let list = match m.get(f) {
        None | Some(Value::Null) => return Ok(Vec::new()),
        Some(Value::Array(a)) => a,
        Some(_) => return Err(ApiError::field(f, "must be a list of { kind, value }")),
    };
    if list.len() > MAX_REPORT_INDICATORS {
        return Err(ApiError::field(
            f,
            format!("has {} entries, more than the {MAX_REPORT_INDICATORS} allowed", list.len()),
        ));
    }
    let mut out: Vec<IndicatorIn> = Vec::with_capacity(list.len());
    for (i, v) in list.iter().enumerate() {
        let (Some(kind), Some(value)) = (v.get("kind").and_then(Value::as_str), v.get("value").and_then(Value::as_str))
        else {
            return Err(ApiError::field(f, format!("entry {i} needs a kind and a value (strings)")));
        };
        let kind =
            IndicatorKind::parse(kind).ok_or_else(|| ApiError::field(f, format!("entry {i} has an unknown kind")))?;
        let value = normalize_value(kind, value)
            .ok_or_else(|| ApiError::field(f, format!("entry {i} is not a valid {} value", kind.as_str())))?;
        let ind = IndicatorIn { kind, value };
        if !out.contains(&ind) {
            out.push(ind);
        }
    }
    Ok(out)
}

/// What the `phonenumber` crate (libphonenumber's metadata) says of an E.164 number: its region and whether
/// the number is valid there. `None` when it cannot parse it. Shown to reviewers beside phone indicators.
pub fn phone_info(e164: &str) -> Option<(String, bool)> {
    let n = phonenumber::parse(None, e164).ok()?;
    let region = n.country().id().map(|id| id.as_ref().to_string()).unwrap_or_default();
    Some((region, phonenumber::is_valid(&n)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use jobguard::indicators::phone::{normalize_phone, Region};
    use phonenumber::country::Id;
    use serde_json::json;

    #[test]
    fn the_field_is_checked_and_normalised() {
        let m = json!({ "indicators": [{ "kind": "telegram", "value": "@Job_Recruit88" },
                                       { "kind": "telegram", "value": "job_recruit88" },
                                       { "kind": "phone", "value": "+82 10-1234-5678" }] });
        let got = parse_field(m.as_object().unwrap()).unwrap();
        assert_eq!(got.len(), 2);
        assert_eq!(got[0].value, "job_recruit88");
        assert_eq!(got[1].value, "+821012345678");
        assert!(parse_field(json!({}).as_object().unwrap()).unwrap().is_empty());
        for bad in [
            json!("x"),
            json!([{ "kind": "fax", "value": "1" }]),
            json!([{ "kind": "email", "value": "nope" }]),
            json!([5]),
        ] {
            assert!(matches!(
                parse_field(json!({ "indicators": bad }).as_object().unwrap()),
                Err(ApiError::Field { field: "indicators", .. })
            ));
        }
    }

    /// The classifier's small normaliser (it runs in the extension's Wasm, where `phonenumber` is too large)
    /// must give what `phonenumber` gives, or the service and the extension would hash one number two ways.
    #[test]
    fn the_small_normaliser_agrees_with_phonenumber() {
        let cases: &[(&str, Region, Id)] = &[
            ("010-1234-5678", Region::Kr, Id::KR),
            ("010 9876 5432", Region::Kr, Id::KR),
            ("02-312-3456", Region::Kr, Id::KR),
            ("031-123-4567", Region::Kr, Id::KR),
            ("070-1234-5678", Region::Kr, Id::KR),
            ("090-1234-5678", Region::Jp, Id::JP),
            ("03-1234-5678", Region::Jp, Id::JP),
            ("138 0013 8000", Region::Han, Id::CN),
            ("0912-345-678", Region::Han, Id::TW),
            ("081 234 5678", Region::Th, Id::TH),
            ("02 123 4567", Region::Th, Id::TH),
            ("0912 345 678", Region::Vn, Id::VN),
            ("0389 123 456", Region::Vn, Id::VN),
            ("012 345 678", Region::Kh, Id::KH),
            ("097 123 4567", Region::Kh, Id::KH),
        ];
        for (raw, region, id) in cases {
            let ours = normalize_phone(raw, Some(*region)).unwrap_or_else(|| panic!("{raw}: ours refused it"));
            let theirs = phonenumber::parse(Some(*id), raw).unwrap();
            assert!(phonenumber::is_valid(&theirs), "{raw} is a valid {id:?} number");
            assert_eq!(ours, theirs.format().mode(phonenumber::Mode::E164).to_string(), "{raw}");
        }
        for raw in [
            "+82 10-1234-5678",
            "+82 010-1234-5678",
            "0082 10 1234 5678",
            "+855 12 345 678",
            "+60 12-345 6789",
            "+66 81 234 5678",
            "+84 912 345 678",
            "+1 415 555 2671",
            "+44 20 7946 0958",
            "+63 917 123 4567",
        ] {
            let ours = normalize_phone(raw, None).unwrap_or_else(|| panic!("{raw}: ours refused it"));
            let theirs = phonenumber::parse(None, raw.replace("0082 ", "+82 ")).unwrap();
            assert_eq!(ours, theirs.format().mode(phonenumber::Mode::E164).to_string(), "{raw}");
        }
    }

    #[test]
    fn phone_info_names_the_region() {
        assert_eq!(phone_info("+821012345678"), Some(("KR".into(), true)));
        assert_eq!(phone_info("+85512345678"), Some(("KH".into(), true)));
        assert_eq!(phone_info("+8210"), Some(("KR".into(), false)));
    }
}
