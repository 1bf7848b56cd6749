//! The Wasm API as JavaScript sees it (wasm-bindgen tests, run in Node by `scripts/test-rust.sh`):
//! verdicts, UTF-16 offsets on Korean and emoji text, errors as JS exceptions with messages, no panics.
#![cfg(all(target_arch = "wasm32", feature = "wasm", feature = "sources"))]

use jobguard::wasm::{verify_signed_pack, Classifier};
use wasm_bindgen::{JsCast, JsValue};
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
fn read_page_marks_the_lure_card_of_a_list_and_throws_on_bad_outlines() {
    let c = Classifier::new(&pack_json()).map_err(JsValue::from).unwrap();
    // A list: a menu and four cards, the third a lure. Text offsets are UTF-16 (the 🔥 counts two).
    let cards = [
        ("물류센터 상품 분류", "주간 근무, 시급 10,030원, 인천"),
        ("편의점 야간 스태프", "주 3일, 서울 마포구"),
        ("🔥해외 상담원 모집", "캄보디아 현지 근무, 항공권·숙소 제공, 월 1500만원 보장, 텔레그램 문의"),
        ("카페 바리스타 구함", "경력 우대, 부산 해운대구"),
    ];
    let mut text = String::from("홈 채용정보");
    let mut nodes = vec![
        serde_json::json!([-1, "body", 0, 0, "", "", {}]),
        serde_json::json!([0, "nav", 0, 6, "", "", {}]),
        serde_json::json!([0, "ul", 0, 0, "", "list", {}]),
    ];
    let len16 = |s: &str| s.encode_utf16().count();
    for (title, details) in cards {
        text.push('\n');
        let start = len16(&text);
        text.push_str(title);
        let title_end = len16(&text);
        text.push('\n');
        text.push_str(details);
        let end = len16(&text);
        let li = nodes.len();
        nodes.push(serde_json::json!([2, "li", start, end, "", "item", {}]));
        nodes.push(serde_json::json!([li, "a", start, title_end, "", "", {"href": "/job"}]));
        nodes.push(serde_json::json!([li, "p", title_end + 1, end, "", "", {}]));
    }
    let total = len16(&text);
    nodes[0][3] = total.into();
    nodes[2][2] = 7.into();
    nodes[2][3] = total.into();
    let input =
        serde_json::json!({ "text": text, "lang": "ko", "outline": { "host": "jobs.example", "nodes": nodes } });
    let r = c.read_page(&input.to_string()).map_err(JsValue::from).unwrap();
    assert_eq!(get(&r, "kind").as_string().unwrap(), "list");
    assert!(get(&r, "posting").is_null());
    assert_eq!(get(&r, "card_count").as_f64().unwrap(), 4.0);
    let cards_js = js_sys::Array::from(&get(&r, "cards"));
    let levels: Vec<String> = cards_js.iter().map(|c| get(&get(&c, "verdict"), "level").as_string().unwrap()).collect();
    assert_eq!(levels, ["safe", "safe", "danger", "safe"]);
    let lure = cards_js.get(2);
    let js_text = js_sys::JsString::from(text.as_str());
    let found: Vec<String> = js_sys::Array::from(&get(&get(&lure, "verdict"), "matches"))
        .iter()
        .map(|m| {
            js_text.slice(get(&m, "start").as_f64().unwrap() as u32, get(&m, "end").as_f64().unwrap() as u32).into()
        })
        .collect();
    assert!(found.iter().any(|f| f == "텔레그램"), "{found:?}");

    let e =
        c.read_page(r#"{"text":"x","outline":{"nodes":[[5,"body",0,1,"","",{}]]}}"#).err().map(JsValue::from).unwrap();
    assert!(error_message(e).contains("parent 5"));
    let e = c.read_page("[1,2").err().map(JsValue::from).unwrap();
    assert!(error_message(e).contains("bad page input"));
}

#[wasm_bindgen_test]
fn the_learned_model_runs_in_wasm_and_a_damaged_one_is_refused() {
    let c = Classifier::new(&pack_json()).map_err(JsValue::from).unwrap();
    let text = "하루 1시간 간단한 부업, 쉬운 재택 업무로 고수익 보장합니다. 카톡으로 문의 주세요";
    let v = c.score(input(text)).map_err(JsValue::from).unwrap();
    let reasons = js_sys::Array::from(&get(&v, "reasons"));
    let model = reasons
        .iter()
        .find(|r| get(r, "rule").as_string().as_deref() == Some("model.ngrams"))
        .expect("the bundled pack's model fires on a side-job lure");
    let explanation = get(&model, "explanation").as_string().unwrap();
    assert!(explanation.contains("'부업'") && !explanation.contains("{ngrams}"), "{explanation}");
    let js_text = js_sys::JsString::from(text);
    let spans: Vec<String> = js_sys::Array::from(&get(&v, "matches"))
        .iter()
        .filter(|m| get(m, "rule").as_string().as_deref() == Some("model.ngrams"))
        .map(|m| {
            js_text.slice(get(&m, "start").as_f64().unwrap() as u32, get(&m, "end").as_f64().unwrap() as u32).into()
        })
        .collect();
    assert!(spans.iter().any(|s| s == "부업"), "{spans:?}");
    let mut pack: serde_json::Value = serde_json::from_str(&pack_json()).unwrap();
    let w = pack["model"]["weights"].as_str().unwrap().to_string();
    pack["model"]["weights"] = format!("AAAA{}", &w[4..]).into();
    let e = Classifier::new(&pack.to_string()).err().map(JsValue::from).unwrap();
    assert!(error_message(e).contains("model"), "a damaged model is refused");
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

#[wasm_bindgen_test]
fn country_names_are_a_plain_object_in_the_packs_order() {
    let json = pack_json();
    let pack = jobguard::Pack::from_json(&json).unwrap();
    let c = Classifier::new(&json).map_err(JsValue::from).unwrap();
    let codes: Vec<String> = pack.hotlines.keys().cloned().collect();
    assert!(codes.len() >= 2);
    for lang in ["ko", "en", "th", "xx"] {
        let names = c.country_names(lang).map_err(JsValue::from).unwrap();
        assert!(names.is_object() && !names.has_type::<js_sys::Map>(), "{lang}: a plain object");
        let keys: Vec<String> =
            js_sys::Object::keys(&names.clone().into()).iter().map(|k| k.as_string().unwrap()).collect();
        assert_eq!(keys, codes, "{lang}: every country, in the pack's order");
        for (code, country) in &pack.hotlines {
            assert_eq!(
                get(&names, code).as_string().unwrap(),
                jobguard::pack::pick(&country.name, lang),
                "{lang} {code}"
            );
        }
    }
    let ko = c.country_names("ko").map_err(JsValue::from).unwrap();
    assert_eq!(get(&ko, "KR").as_string().unwrap(), "대한민국");
}

#[wasm_bindgen_test]
fn a_snapshot_loads_and_scores_alike_and_damage_is_an_exception() {
    let json = pack_json();
    let c = Classifier::new(&json).map_err(JsValue::from).unwrap();
    let bytes = c.snapshot();
    let back = Classifier::from_snapshot(&bytes).map_err(JsValue::from).unwrap();
    let text = "해외 고수익 알바, 항공권 지원, 텔레그램 @job_desk 로 문의. Data entry, pay $900 per day, t.me/hr_desk";
    let verdict =
        |c: &Classifier| js_sys::JSON::stringify(&c.score(input(text)).map_err(JsValue::from).unwrap()).unwrap();
    assert_eq!(verdict(&back), verdict(&c));
    assert!(String::from(verdict(&c)).contains("\"danger\""));

    let mut damaged = bytes.clone();
    let last = damaged.len() - 1;
    damaged[last] ^= 1;
    let e = Classifier::from_snapshot(&damaged).err().map(JsValue::from).unwrap();
    assert!(error_message(e).contains("checksum"));
    let e = Classifier::from_snapshot(b"garbage").err().map(JsValue::from).unwrap();
    assert!(error_message(e).contains("not a JobGuard snapshot"));
    // The loaded pack answers as the compiled one (its hotlines, countries and info) and writes the same bytes.
    let js = |v: Result<JsValue, wasm_bindgen::JsError>| {
        js_sys::JSON::stringify(&v.map_err(JsValue::from).unwrap()).unwrap()
    };
    assert_eq!(js(back.hotlines("kr", "en")), js(c.hotlines("kr", "en")));
    assert_eq!(js(back.country_names("ko")), js(c.country_names("ko")));
    assert_eq!(js(back.info()), js(c.info()));
    assert!(String::from(js(back.hotlines("KR", "ko"))).len() > 20);
    assert_eq!(back.snapshot(), bytes);
}
