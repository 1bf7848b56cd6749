//! The signed indicator list in the extension's Wasm: `new IndicatorList(envelope, trustedKeys, now,
//! minVersion)` verifies it (throwing an `Error` that says why it was refused), `info()` describes it and
//! `confirmed(verdict.indicators)` names the page's contacts it confirms.

use serde::Serialize;
use wasm_bindgen::prelude::*;

use super::signed::{confirmed_on_page, verify_list, ListEntry, ListHeader};
use super::Indicator;
use crate::wasm::{js_error, to_js, trust_args};

/// A verified indicator list.
#[wasm_bindgen]
pub struct IndicatorList {
    header: ListHeader,
    entries: Vec<ListEntry>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Info<'a> {
    version: u64,
    created: i64,
    expires: i64,
    key_id: &'a str,
    count: usize,
}

#[derive(Serialize)]
struct Confirmed {
    index: usize,
    n: u32,
}

#[wasm_bindgen]
impl IndicatorList {
    /// Verifies a signed list against the keys trusted for indicator lists (base64), the time `now` (Unix
    /// seconds) and the lowest acceptable version.
    #[wasm_bindgen(constructor)]
    pub fn new(
        envelope: &str,
        trusted_keys: Vec<String>,
        now: f64,
        min_version: f64,
    ) -> Result<IndicatorList, JsError> {
        let (keys, now, min_version) = trust_args(&trusted_keys, now, min_version)?;
        let ok = verify_list(envelope, &keys, now, min_version).map_err(js_error)?;
        Ok(IndicatorList { header: ok.header, entries: ok.entries })
    }

    /// `{ version, created, expires, keyId, count }`.
    pub fn info(&self) -> Result<JsValue, JsError> {
        let h = &self.header;
        to_js(&Info {
            version: h.version,
            created: h.created,
            expires: h.expires,
            key_id: &h.key_id,
            count: self.entries.len(),
        })
    }

    /// The verdict's indicators (`[{ kind, value, start?, end? }]`) that the list confirms: `[{ index, n }]`.
    pub fn confirmed(&self, indicators: JsValue) -> Result<JsValue, JsError> {
        let list: Vec<Indicator> =
            serde_wasm_bindgen::from_value(indicators).map_err(|e| js_error(format!("bad indicators: {e}")))?;
        let found: Vec<Confirmed> =
            confirmed_on_page(&self.entries, &list).into_iter().map(|(index, n)| Confirmed { index, n }).collect();
        to_js(&found)
    }
}
