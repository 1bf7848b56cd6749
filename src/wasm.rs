//! The WebAssembly API the extension calls (wasm-bindgen). Every error crosses the boundary as a JS `Error`
//! with a message; nothing panics across it (a panic hook still reports any bug to the console).

use serde::Serialize;
use wasm_bindgen::prelude::*;

use crate::signing::{parse_verifying_key, verify_signed, VerifiedPack};
use crate::verdict::PageInput;

pub(crate) fn js_error(msg: impl std::fmt::Display) -> JsError {
    JsError::new(&msg.to_string())
}

pub(crate) fn to_js<T: Serialize>(v: &T) -> Result<JsValue, JsError> {
    // Plain objects rather than Maps, so the extension can store and post them as they are.
    let ser = serde_wasm_bindgen::Serializer::json_compatible();
    v.serialize(&ser).map_err(js_error)
}

#[wasm_bindgen(start)]
fn start() {
    console_error_panic_hook::set_once();
}

/// The engine's version (the crate version).
#[wasm_bindgen(js_name = engineVersion)]
pub fn engine_version() -> String {
    env!("CARGO_PKG_VERSION").to_string()
}

/// A compiled pack, ready to score pages.
#[wasm_bindgen]
pub struct Classifier {
    inner: crate::Classifier,
}

#[derive(Serialize)]
struct Info<'a> {
    name: &'a str,
    version: u64,
    schema: u32,
    rules: usize,
}

#[wasm_bindgen]
impl Classifier {
    /// Parses, checks and compiles a pack JSON; throws an `Error` naming what is wrong.
    #[wasm_bindgen(constructor)]
    pub fn new(pack_json: &str) -> Result<Classifier, JsError> {
        crate::Classifier::from_json(pack_json).map(|inner| Classifier { inner }).map_err(js_error)
    }

    /// Loads a classifier from a compiled snapshot (`snapshot()`'s bytes); throws an `Error` saying why a
    /// snapshot of another format or engine, or a damaged one, is refused (the caller then compiles the pack).
    #[wasm_bindgen(js_name = fromSnapshot)]
    pub fn from_snapshot(bytes: &[u8]) -> Result<Classifier, JsError> {
        crate::Classifier::from_snapshot(bytes).map(|inner| Classifier { inner }).map_err(js_error)
    }

    /// A compiled snapshot of this classifier (a `Uint8Array`), for `Classifier.fromSnapshot` at a later
    /// wake-up. Make it only from a verified pack.
    pub fn snapshot(&self) -> Vec<u8> {
        self.inner.to_snapshot()
    }

    /// Scores a page: `{ text, title?, links?: [{href, text}], jsonld?: [string], lang? }` -> verdict.
    pub fn score(&self, input: JsValue) -> Result<JsValue, JsError> {
        let input: PageInput =
            serde_wasm_bindgen::from_value(input).map_err(|e| js_error(format!("bad page input: {e}")))?;
        let v = self.inner.score(&input).map_err(js_error)?;
        to_js(&v)
    }

    /// Scores a page given as JSON text (cheaper to pass across the boundary for large pages).
    #[wasm_bindgen(js_name = scoreJson)]
    pub fn score_json(&self, input_json: &str) -> Result<JsValue, JsError> {
        let input: PageInput =
            serde_json::from_str(input_json).map_err(|e| js_error(format!("bad page input: {e}")))?;
        let v = self.inner.score(&input).map_err(js_error)?;
        to_js(&v)
    }

    /// Reads a page given as JSON text (`PageInput` with `outline`, docs/interfaces.md "Page reading") and
    /// returns the `Reading`: `{ kind, how, posting: { node, regions, verdict } | null, cards, card_count }`.
    #[wasm_bindgen(js_name = readPage)]
    pub fn read_page(&self, input_json: &str) -> Result<JsValue, JsError> {
        let input: PageInput =
            serde_json::from_str(input_json).map_err(|e| js_error(format!("bad page input: {e}")))?;
        let r = self.inner.read_page(&input).map_err(js_error)?;
        to_js(&r)
    }

    /// `{ name, version, schema, rules }` of the pack.
    pub fn info(&self) -> Result<JsValue, JsError> {
        let p = self.inner.pack();
        to_js(&Info { name: &p.name, version: p.version, schema: p.schema, rules: p.rule_count() })
    }

    /// Hotlines of a country (`KR`), labels in `lang`; `[]` for a country the pack does not know.
    pub fn hotlines(&self, country: &str, lang: &str) -> Result<JsValue, JsError> {
        to_js(&self.inner.hotlines(country, lang))
    }

    /// Country codes the pack has hotlines for.
    pub fn countries(&self) -> Result<JsValue, JsError> {
        to_js(&self.inner.pack().hotlines.keys().collect::<Vec<_>>())
    }

    /// Country names per language, keyed by code: `{ KR: "대한민국", ... }` in `lang`.
    #[wasm_bindgen(js_name = countryNames)]
    pub fn country_names(&self, lang: &str) -> Result<JsValue, JsError> {
        to_js(&CountryNames { hotlines: &self.inner.pack().hotlines, lang })
    }
}

/// The pack's countries as a map of code to name in one language, serialised straight from the pack's map
/// (already sorted by code) rather than collected into a second map, whose sort is a copy of std's sort code.
struct CountryNames<'a> {
    hotlines: &'a std::collections::BTreeMap<String, crate::pack::Country>,
    lang: &'a str,
}

impl Serialize for CountryNames<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_map(self.hotlines.iter().map(|(k, c)| (k, crate::pack::pick(&c.name, self.lang))))
    }
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Verified {
    version: u64,
    created: i64,
    expires: i64,
    key_id: String,
    sha256: String,
    pack: String,
}

/// A signed pack's header once its signature, dates and version are checked (`checkSignedPack`).
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Checked {
    version: u64,
    created: i64,
    expires: i64,
    key_id: String,
    sha256: String,
}

/// The arguments every signed file's check takes from JavaScript: the trusted keys (base64; blank ones
/// skipped), the time `now` (Unix seconds) and the lowest acceptable version, checked and converted.
pub(crate) fn trust_args(
    trusted_keys: &[String],
    now: f64,
    min_version: f64,
) -> Result<(Vec<ed25519_dalek::VerifyingKey>, i64, u64), JsError> {
    let keys = trusted_keys
        .iter()
        .filter(|k| !k.trim().is_empty())
        .map(|k| parse_verifying_key(k))
        .collect::<Result<Vec<_>, _>>()
        .map_err(js_error)?;
    if !(now.is_finite() && min_version.is_finite() && min_version >= 0.0) {
        return Err(js_error("now and minVersion must be finite numbers"));
    }
    Ok((keys, now as i64, min_version as u64))
}

/// The signature, dates and version checks `verifySignedPack` and `checkSignedPack` share.
fn check_signed(envelope: &str, trusted_keys: &[String], now: f64, min_version: f64) -> Result<VerifiedPack, JsError> {
    let (keys, now, min_version) = trust_args(trusted_keys, now, min_version)?;
    verify_signed(envelope, &keys, now, min_version).map_err(js_error)
}

/// Checks a signed pack envelope against the trusted public keys (base64), the time `now` (Unix seconds)
/// and the lowest acceptable version; also compiles every rule. Returns `{ version, created, expires, keyId,
/// pack }` or throws an `Error` that says exactly why the pack was refused.
#[wasm_bindgen(js_name = verifySignedPack)]
pub fn verify_signed_pack(
    envelope: &str,
    trusted_keys: Vec<String>,
    now: f64,
    min_version: f64,
) -> Result<JsValue, JsError> {
    let ok = check_signed(envelope, &trusted_keys, now, min_version)?;
    crate::Classifier::from_json(&ok.pack).map_err(|e| js_error(format!("pack does not compile: {e}")))?;
    let h = ok.header;
    let (version, created, expires) = (h.version, h.created, h.expires);
    to_js(&Verified { version, created, expires, key_id: h.key_id, sha256: h.sha256, pack: ok.pack })
}

/// Checks a signed pack envelope exactly as `verifySignedPack` does (signature, dates, version) but neither
/// compiles the pack nor returns it: for a wake-up that loads the pack's compiled snapshot. Returns `{ version,
/// created, expires, keyId, sha256 }` (the pack's digest, hex) or throws an `Error` saying why it was refused.
#[wasm_bindgen(js_name = checkSignedPack)]
pub fn check_signed_pack(
    envelope: &str,
    trusted_keys: Vec<String>,
    now: f64,
    min_version: f64,
) -> Result<JsValue, JsError> {
    let h = check_signed(envelope, &trusted_keys, now, min_version)?.header;
    to_js(&Checked { version: h.version, created: h.created, expires: h.expires, key_id: h.key_id, sha256: h.sha256 })
}
