//! The Wasm API as JavaScript sees it (wasm-bindgen tests, run in Node by `scripts/test-rust.sh`):
//! verdicts, UTF-16 offsets on Korean and emoji text, errors as JS exceptions with messages, no panics.
#![cfg(all(target_arch = "wasm32", feature = "wasm", feature = "sources"))]

use jobguard::wasm::{verify_signed_pack, Classifier};
use wasm_bindgen::JsValue;
use wasm_bindgen_test::*;

fn pack_json() -> String {
    jobguard::bundled::pack_json().expect("rules/ compiles")
}

fn get(v: &JsValue, key: &str) -> JsValue {
    js_sys::Reflect::get(v, &JsValue::from_str(key)).unwrap()
}

fn input(text: &str) -> JsValue {
    let o = js_sys::Object::new();
    js_sys::Reflect::set(&o, &"text".into(), &text.into()).unwrap();
    js_sys::Reflect::set(&o, &"lang".into(), &"ko".into()).unwrap();
    o.into()
}

fn error_message(e: JsValue) -> String {
    let e: js_sys::Error = e.into();
    e.message().into()
}

#[wasm_bindgen_test]
fn scores_a_lure_and_a_plain_text() {
    let c = Classifier::new(&pack_json()).map_err(JsValue::from).unwrap();
    let lure = c
        .score(input("캄보디아 현지 근무, 항공권·숙소 제공, 월 1500만원 보장, 경력 무관, 텔레그램 문의"))
        .map_err(JsValue::from)
        .unwrap();
    assert_eq!(get(&lure, "level").as_string().unwrap(), "danger");
    assert!(js_sys::Array::from(&get(&lure, "reasons")).length() >= 3);
    let plain = c.score(input("오늘 날씨가 맑습니다.")).map_err(JsValue::from).unwrap();
    assert_eq!(get(&plain, "level").as_string().unwrap(), "safe");
    assert_eq!(get(&plain, "score").as_f64().unwrap(), 0.0);
}

#[wasm_bindgen_test]
fn offsets_are_utf16_code_units() {
    let c = Classifier::new(&pack_json()).map_err(JsValue::from).unwrap();
    let text = "🔥🔥🔥 텔레그램 문의 🔥";
    let v = c.score(input(text)).map_err(JsValue::from).unwrap();
    let matches = js_sys::Array::from(&get(&v, "matches"));
    assert!(matches.length() > 0);
    let js_text = js_sys::JsString::from(text);
    let found: Vec<String> = matches
        .iter()
        .map(|m| {
            let s = get(&m, "start").as_f64().unwrap() as u32;
            let e = get(&m, "end").as_f64().unwrap() as u32;
            js_text.slice(s, e).into()
        })
        .collect();
    assert!(found.iter().any(|f| f == "텔레그램"), "{found:?}");
}

#[wasm_bindgen_test]
fn bad_packs_and_inputs_throw_errors_with_messages() {
    let e = Classifier::new("{not json").err().map(JsValue::from).unwrap();
    assert!(error_message(e).contains("not valid pack JSON"));
    let mut pack: serde_json::Value = serde_json::from_str(&pack_json()).unwrap();
    pack["schema"] = 99.into();
    let e = Classifier::new(&pack.to_string()).err().map(JsValue::from).unwrap();
    assert!(error_message(e).contains("schema 99"));
    let c = Classifier::new(&pack_json()).map_err(JsValue::from).unwrap();
    let e = c.score(JsValue::from_f64(3.0)).err().map(JsValue::from).unwrap();
    assert!(error_message(e).contains("bad page input"));
    let e = c.score(JsValue::NULL).err().map(JsValue::from).unwrap();
    assert!(error_message(e).contains("bad page input"));
}

#[wasm_bindgen_test]
fn signed_packs_verify_in_wasm() {
    let key = ed25519_dalek::SigningKey::from_bytes(&[7; 32]);
    let public = jobguard::signing::encode_verifying_key(&key.verifying_key());
    let pack = pack_json();
    let env = jobguard::signing::sign_pack(&pack, &key, "test", 1_000, 2_000).unwrap();
    let env = serde_json::to_string(&env).unwrap();
    let ok = verify_signed_pack(&env, vec![public.clone()], 1_500.0, 0.0).map_err(JsValue::from).unwrap();
    assert_eq!(get(&ok, "pack").as_string().unwrap(), pack);
    let expired = verify_signed_pack(&env, vec![public.clone()], 2_500.0, 0.0).err().map(JsValue::from).unwrap();
    assert!(error_message(expired).contains("expired"));
    let other =
        jobguard::signing::encode_verifying_key(&ed25519_dalek::SigningKey::from_bytes(&[8; 32]).verifying_key());
    let wrong = verify_signed_pack(&env, vec![other], 1_500.0, 0.0).err().map(JsValue::from).unwrap();
    assert!(error_message(wrong).contains("signature does not verify"));
    let bad_key = verify_signed_pack(&env, vec!["not a key".into()], 1_500.0, 0.0).err().map(JsValue::from).unwrap();
    assert!(error_message(bad_key).contains("bad key"));
}

#[wasm_bindgen_test]
fn indicators_cross_with_utf16_spans() {
    let c = Classifier::new(&pack_json()).map_err(JsValue::from).unwrap();
    let text = "🔥 해외 고수익 🔥 텔레그램 @Job_Recruit88 또는 010-1234-5678";
    let v = c.score(input(text)).map_err(JsValue::from).unwrap();
    let list = js_sys::Array::from(&get(&v, "indicators"));
    let js_text = js_sys::JsString::from(text);
    let got: Vec<(String, String, String)> = list
        .iter()
        .map(|i| {
            let s = get(&i, "start").as_f64().unwrap() as u32;
            let e = get(&i, "end").as_f64().unwrap() as u32;
            (get(&i, "kind").as_string().unwrap(), get(&i, "value").as_string().unwrap(), js_text.slice(s, e).into())
        })
        .collect();
    assert_eq!(
        got,
        [
            ("telegram".into(), "job_recruit88".into(), "@Job_Recruit88".into()),
            ("phone".into(), "+821012345678".into(), "010-1234-5678".into()),
        ]
    );
}

#[wasm_bindgen_test]
fn indicator_lists_verify_in_wasm_with_their_own_key_only() {
    use jobguard::indicators::signed::{build_list, sign_list};
    use jobguard::indicators::wasm::IndicatorList;
    use jobguard::IndicatorKind;
    let ind_secret = jobguard::signing::parse_signing_key(include_str!("../keys/dev-indicators.secret")).unwrap();
    let ind_public = include_str!("../keys/dev-indicators.public").trim().to_string();
    let pack_public = include_str!("../keys/dev.public").trim().to_string();
    let now = 1_796_000_000.0;
    let list = build_list(7, &[(IndicatorKind::Telegram, "gd_recruit_desk".into(), 4)]);
    let env = serde_json::to_string(
        &sign_list(&list, &ind_secret, "dev-indicators", now as i64, now as i64 + 86_400).unwrap(),
    )
    .unwrap();
    let l = IndicatorList::new(&env, vec![ind_public.clone()], now, 7.0).map_err(JsValue::from).unwrap();
    assert_eq!(get(&l.info().map_err(JsValue::from).unwrap(), "count").as_f64(), Some(1.0));
    let c = Classifier::new(&pack_json()).map_err(JsValue::from).unwrap();
    let v = c.score(input("문의는 텔레그램 @GD_Recruit_Desk 으로")).map_err(JsValue::from).unwrap();
    let found = js_sys::Array::from(&l.confirmed(get(&v, "indicators")).map_err(JsValue::from).unwrap());
    assert_eq!(found.length(), 1);
    assert_eq!(get(&found.get(0), "n").as_f64(), Some(4.0));
    let refused = IndicatorList::new(&env, vec![pack_public], now, 0.0).map(|_| ()).map_err(JsValue::from).unwrap_err();
    assert!(error_message(refused).contains("does not verify"));
    let old = IndicatorList::new(&env, vec![ind_public], now, 8.0).map(|_| ()).map_err(JsValue::from).unwrap_err();
    assert!(error_message(old).contains("older"));
}
