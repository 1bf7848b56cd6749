//! Tests of the classifier: each extractor, the combiner, offsets and hostile packs.
use super::*;
use crate::pack::source::{build, SourceFile};
use crate::verdict::{Level, Link};

const HEAD: &str = r#"
name = "test"
version = 7
[thresholds]
caution = 30
danger = 60
[categories.destination]
cap = 30
name.ko = "목적지"
name.en = "Destination"
[categories.travel_paid]
cap = 25
name.ko = "항공"
name.en = "Travel paid"
[categories.messenger]
cap = 20
name.ko = "메신저"
name.en = "Messenger"
[categories.pay]
cap = 25
name.ko = "고임금"
name.en = "High pay"
[categories.legit]
cap = 30
name.ko = "정상"
name.en = "Legit"
[[combo]]
id = "combo.lure"
all = ["destination", "travel_paid"]
any = ["pay", "messenger"]
min_any = 1
bonus = 20
explain.ko = "전형적 미끼"
explain.en = "Classic lure"
"#;
const RULES: &str = r#"
[[rule]]
id = "ko.dest.cambodia"
category = "destination"
weight = 25
phrases = ["캄보디아", "cambodia"]
explain.ko = "캄보디아"
explain.en = "Cambodia"
[[rule]]
id = "ko.travel.flight"
category = "travel_paid"
weight = 20
phrases = ["항공권 지원", "flight paid"]
explain.ko = "항공권"
explain.en = "Flights paid"
[[rule]]
id = "ko.messenger.telegram"
category = "messenger"
weight = 15
phrases = ["텔레그램", "telegram"]
explain.ko = "텔레그램"
explain.en = "Telegram"
[[rule]]
id = "en.legit.benefits"
category = "legit"
weight = -30
regex = '401\(k\)'
explain.ko = "복리후생"
explain.en = "Benefits"
"#;
const SALARY: &str = r#"
[currency]
KRW = 7000000
USD = 5000
[[tier]]
id = "any.pay.high"
category = "pay"
weight = 15
factor = 1.0
explain.ko = "고임금"
explain.en = "High pay"
[[tier]]
id = "any.pay.very_high"
category = "pay"
weight = 25
factor = 2.0
explain.ko = "매우 높은 임금"
explain.en = "Very high pay"
"#;
const LINKS: &str = r#"
[[link]]
id = "any.messenger.telegram_link"
category = "messenger"
weight = 20
hosts = ["t.me"]
explain.ko = "텔레그램 링크"
explain.en = "Telegram link"
"#;
const HOTLINES: &str = r#"
[KR]
name.ko = "대한민국"
name.en = "South Korea"
[[KR.line]]
number = "112"
label.ko = "경찰"
label.en = "Police"
confirmed = true
"#;

fn classifier() -> Classifier {
    let f = |p: &str, t: &str| SourceFile { path: p.into(), text: t.into() };
    let pack = build(&[
        f("pack.toml", HEAD),
        f("ko/all.toml", RULES),
        f("salary.toml", SALARY),
        f("links.toml", LINKS),
        f("hotlines.toml", HOTLINES),
    ])
    .unwrap();
    Classifier::new(pack).unwrap()
}

fn score(text: &str) -> Verdict {
    classifier().score(&PageInput { text: text.into(), lang: Some("ko".into()), ..Default::default() }).unwrap()
}

fn slice16(s: &str, a: u32, b: u32) -> String {
    let u: Vec<u16> = s.encode_utf16().collect();
    String::from_utf16(&u[a as usize..b as usize]).unwrap()
}

#[test]
fn one_signal_stays_below_caution() {
    let v = score("캄보디아 여행 후기");
    assert_eq!(v.level, Level::Safe);
    assert_eq!(v.score, 25);
}

#[test]
fn the_classic_combination_is_danger() {
    let v = score("캄보디아 근무, 항공권 지원, 월 1500만원, 텔레그램 문의");
    // destination 25 + travel 20 + pay 25 (15M won >= 2 x 7M: the very-high tier) + messenger 15 + combo 20
    assert_eq!(v.level, Level::Danger);
    assert_eq!(v.score, 100);
    assert_eq!(v.reasons[0].weight, 25);
    assert!(v.reasons.iter().any(|r| r.rule == "combo.lure" && r.explanation == "전형적 미끼"));
    assert!(v.reasons.iter().any(|r| r.rule == "any.pay.very_high"));
    assert!(!v.reasons.iter().any(|r| r.rule == "any.pay.high"), "only the best pay tier counts");
}

#[test]
fn categories_are_capped() {
    let v = score("telegram 텔레그램 t.me/abc");
    let m = v.categories.iter().find(|c| c.id == "messenger").unwrap();
    assert_eq!(m.score, 20, "15 + 20 capped at 20");
    assert_eq!(m.name, "메신저");
}

#[test]
fn negative_rules_lower_the_score() {
    let v = score("Cambodia office, flight paid, telegram. Benefits: 401(k)");
    assert!(v.reasons.iter().any(|r| r.rule == "en.legit.benefits"));
    assert_eq!(v.score, 25 + 20 + 15 + 20 - 30);
}

#[test]
fn offsets_are_utf16_on_korean_and_emoji() {
    let text = "🔥🔥 캄 보 디 아 💰 텔💬레💬그💬램 🔥";
    let v = score(text);
    let got: Vec<String> = v.matches.iter().map(|m| slice16(text, m.start, m.end)).collect();
    assert_eq!(got, vec!["캄 보 디 아", "텔💬레💬그💬램"]);
}

#[test]
fn gated_regexes_run_near_their_literals_with_right_offsets() {
    let c = classifier();
    assert_eq!(c.pack().rules[3].near, vec!["401(k)".to_string()]);
    let text = format!("{}Benefits: 401(k) match", "filler text ".repeat(5000));
    let v = c.score(&PageInput { text: text.clone(), ..Default::default() }).unwrap();
    let m = v.matches.iter().find(|m| m.rule == "en.legit.benefits").expect("found far into the page");
    assert_eq!(slice16(&text, m.start, m.end), "401(k)");
}

#[test]
fn urls_written_in_the_text_are_found() {
    let text = "문의: https://T.me/recruit_kh 또는 at.me/x, t.me.example.com/y";
    let v = score(text);
    let spans: Vec<String> = v
        .matches
        .iter()
        .filter(|m| m.rule == "any.messenger.telegram_link")
        .map(|m| slice16(text, m.start, m.end))
        .collect();
    assert_eq!(spans, vec!["https://T.me/recruit_kh"]);
}

#[test]
fn latin_phrases_need_word_boundaries() {
    assert!(score("xcambodiax").reasons.is_empty());
    assert_eq!(score("(Cambodia)").reasons.len(), 1);
}

#[test]
fn links_title_and_jsonld_count_but_only_text_is_highlighted() {
    let c = classifier();
    let input = PageInput {
        text: "상담원 모집".into(),
        title: Some("캄보디아 항공권 지원".into()),
        links: vec![Link { href: "https://t.me/recruit".into(), text: "문의".into(), node: None }],
        jsonld: vec![
            r#"{"@type":"JobPosting","baseSalary":{"currency":"USD","value":{"value":12000,"unitText":"MONTH"}}}"#
                .into(),
        ],
        lang: Some("en".into()),
        outline: None,
    };
    let v = c.score(&input).unwrap();
    let ids: Vec<&str> = v.reasons.iter().map(|r| r.rule.as_str()).collect();
    for id in ["ko.dest.cambodia", "ko.travel.flight", "any.messenger.telegram_link", "any.pay.very_high", "combo.lure"]
    {
        assert!(ids.contains(&id), "{id} missing from {ids:?}");
    }
    assert!(v.matches.is_empty(), "nothing in the text itself: {:?}", v.matches);
    assert_eq!(v.level, Level::Danger);
}

#[test]
fn explanations_fall_back_to_english() {
    let v = classifier()
        .score(&PageInput { text: "cambodia".into(), lang: Some("th".into()), ..Default::default() })
        .unwrap();
    assert_eq!(v.reasons[0].explanation, "Cambodia");
}

#[test]
fn hotlines_by_country() {
    let c = classifier();
    assert_eq!(c.hotlines("kr", "en")[0].label, "Police");
    assert!(c.hotlines("ZZ", "en").is_empty());
}

#[test]
fn arbitrary_text_never_panics_and_offsets_fall_on_boundaries() {
    let c = classifier();
    let texts = [
        "",
        " ",
        "\u{200B}",
        "e\u{301}\u{301}",
        "🔥",
        "a\u{0}b",
        "캄\u{200B}보디아",
        "ｃａｍｂｏｄｉａ",
        "\u{10FFFF}x",
    ];
    for t in texts {
        let v = c.score(&PageInput { text: t.into(), ..Default::default() }).unwrap();
        let u: Vec<u16> = t.encode_utf16().collect();
        for m in v.matches {
            assert!(String::from_utf16(&u[..m.start as usize]).is_ok());
            assert!(String::from_utf16(&u[m.start as usize..m.end as usize]).is_ok());
        }
    }
}

#[test]
fn a_bad_regex_refuses_the_pack() {
    let mut pack = classifier().pack().clone();
    pack.rules[3].regex = Some("(".into());
    let e = Classifier::new(pack).unwrap_err();
    assert!(e.to_string().contains("en.legit.benefits"), "{e}");
}

#[test]
fn a_category_below_its_combo_min_scores_but_does_not_combine() {
    let run = |head: &str| {
        let f = |p: &str, t: &str| SourceFile { path: p.into(), text: t.into() };
        let c = Classifier::new(build(&[f("pack.toml", head), f("ko/all.toml", RULES)]).unwrap()).unwrap();
        c.score(&PageInput { text: "캄보디아 항공권 지원 텔레그램".into(), ..Default::default() }).unwrap()
    };
    // travel_paid scores 20 here: the combination fires at the default, not with combo_min = 25.
    let v = run(HEAD);
    assert!(v.reasons.iter().any(|r| r.rule == "combo.lure"), "{v:?}");
    let strict = HEAD.replace("[categories.travel_paid]\n", "[categories.travel_paid]\ncombo_min = 25\n");
    assert_ne!(strict, HEAD);
    let v2 = run(&strict);
    assert!(v2.reasons.iter().all(|r| r.rule != "combo.lure"), "{v2:?}");
    assert!(v2.reasons.iter().any(|r| r.rule == "ko.travel.flight"), "the category still scores");
    assert_eq!(i32::from(v.score) - i32::from(v2.score), 20);
}

#[test]
fn a_capping_combination_limits_the_score_and_says_by_how_much() {
    let head = format!(
        "{HEAD}[categories.news]\ncap = 0\ncontext = true\nname.ko = \"보도\"\nname.en = \"News\"\n\
         [[combo]]\nid = \"combo.news\"\nall = [\"news\"]\nbonus = 0\ncap = 20\n\
         explain.ko = \"보도\"\nexplain.en = \"A news report\"\n"
    );
    let news = "[[rule]]\nid = \"ko.news.footer\"\ncategory = \"news\"\nweight = 0\nphrases = [\"무단 전재\"]\n\
                explain.ko = \"보도\"\nexplain.en = \"News\"\n";
    let f = |p: &str, t: &str| SourceFile { path: p.into(), text: t.into() };
    let pack = build(&[f("pack.toml", &head), f("ko/all.toml", RULES), f("ko/news.toml", news)]).unwrap();
    let c = Classifier::new(pack.clone()).unwrap();
    let run = |t: &str| c.score(&PageInput { text: t.into(), lang: Some("ko".into()), ..Default::default() }).unwrap();
    let lure = "캄보디아 근무 항공권 지원 텔레그램 문의";
    let plain = run(lure);
    assert!(plain.score > 20, "{plain:?}");
    let v = run(&format!("{lure} 무단 전재 및 재배포 금지"));
    assert_eq!(v.score, 20);
    assert_eq!(v.level, Level::Safe);
    let r = v.reasons.iter().find(|r| r.rule == "combo.news").expect("the cap is listed");
    assert_eq!(r.weight, 20 - i32::from(plain.score));
    // Below the cap nothing changes, and the cap is not listed.
    let v = run("텔레그램 무단 전재");
    assert_eq!(v.score, run("텔레그램").score);
    assert!(v.reasons.iter().all(|r| r.rule != "combo.news"));
    let mut bad = pack;
    bad.combos.iter_mut().find(|c| c.id == "combo.news").unwrap().cap = Some(150);
    assert!(Classifier::new(bad).unwrap_err().to_string().contains("combo.news"));
}

#[test]
fn context_categories_only_feed_combinations() {
    let head = format!(
        "{HEAD}[categories.job]\ncap = 0\ncontext = true\nname.ko = \"구인\"\nname.en = \"Job offer\"\n\
         [[combo]]\nid = \"combo.messenger_job\"\nall = [\"messenger\", \"job\"]\nbonus = 20\n\
         explain.ko = \"메신저 구인\"\nexplain.en = \"Job by messenger\"\n"
    );
    let job = "[[rule]]\nid = \"ko.job.words\"\ncategory = \"job\"\nweight = 0\nphrases = [\"모집\"]\n\
               explain.ko = \"구인\"\nexplain.en = \"Job offer\"\n";
    let f = |p: &str, t: &str| SourceFile { path: p.into(), text: t.into() };
    let pack = build(&[f("pack.toml", &head), f("ko/all.toml", RULES), f("ko/job.toml", job)]).unwrap();
    let c = Classifier::new(pack.clone()).unwrap();
    let run = |t: &str| c.score(&PageInput { text: t.into(), lang: Some("ko".into()), ..Default::default() }).unwrap();
    // Alone, the context rule adds nothing and is neither listed, nor a category, nor highlighted.
    let v = run("직원 모집");
    assert_eq!(v.score, 0);
    assert!(v.reasons.is_empty() && v.categories.is_empty() && v.matches.is_empty(), "{v:?}");
    // With a messenger the combination fires: 15 + 20.
    let v = run("직원 모집 텔레그램");
    assert_eq!(v.score, 35);
    assert!(v.reasons.iter().any(|r| r.rule == "combo.messenger_job"));
    assert!(!v.reasons.iter().any(|r| r.rule == "ko.job.words"));
    assert!(v.categories.iter().all(|c| c.id != "job") && v.matches.iter().all(|m| m.category != "job"));
    // A context rule must weigh 0, and only a context rule may.
    let mut bad = pack.clone();
    bad.rules.iter_mut().find(|r| r.id == "ko.job.words").unwrap().weight = 5;
    assert!(Classifier::new(bad).unwrap_err().to_string().contains("ko.job.words"));
    let mut bad = pack;
    bad.rules.iter_mut().find(|r| r.id == "ko.dest.cambodia").unwrap().weight = 0;
    assert!(Classifier::new(bad).unwrap_err().to_string().contains("ko.dest.cambodia"));
}

/// A pack with a small model fitted on a few lines: Korean scam words against ordinary postings.
fn with_model(points: &[(f64, i32)], cap: i32) -> Classifier {
    with_model_by_script(points, &[], cap)
}

/// Steps as `(min_p, points)`.
type Steps<'a> = &'a [(f64, i32)];

/// [`with_model`], with steps of their own for some scripts: `(script, min_features, steps)`.
fn with_model_by_script(points: Steps, scripts: &[(&str, u32, Steps)], cap: i32) -> Classifier {
    let steps = |s: &[(f64, i32)]| s.iter().map(|&(min_p, points)| crate::pack::ModelStep { min_p, points }).collect();
    use crate::model::train::{fit, sample_weights, Example, Params};
    let ex = |t: &str, scam: bool| Example {
        text: t.into(),
        scam,
        lang: "ko".into(),
        file: "t".into(),
        group: t.chars().take(3).collect(),
    };
    let mut data = Vec::new();
    for i in 0..10 {
        data.push(ex(&format!("고수익 부업 🔥 하루 {i}시간 재택 알바 카톡 문의"), true));
        data.push(ex(&format!("정규직 사무 보조 채용 {i}년 경력 우대 4대보험"), false));
    }
    let blob = fit(&data, &sample_weights(&data), Params { bits: 16, ..Params::default() });
    let mut pack = classifier().pack().clone();
    pack.categories.insert(
        "model".into(),
        crate::pack::Category {
            cap,
            name: [("ko".to_string(), "모델".to_string()), ("en".to_string(), "Model".to_string())].into(),
            context: false,
            combo_min: None,
        },
    );
    pack.model = Some(crate::pack::ModelSpec {
        id: "model.ngrams".into(),
        category: "model".into(),
        platt: [1.0, 0.0],
        steps: steps(points),
        scripts: scripts
            .iter()
            .map(|&(name, min_features, s)| {
                (name.to_string(), crate::pack::ScriptSteps { min_features, steps: steps(s) })
            })
            .collect(),
        explain: [("ko".to_string(), "표현: {ngrams}".to_string()), ("en".to_string(), "Words: {ngrams}".to_string())]
            .into(),
        show: 2,
        weights: blob.to_base64(),
    });
    Classifier::new(pack).unwrap()
}

#[test]
fn the_model_scores_explains_and_highlights_through_its_capped_category() {
    let c = with_model(&[(0.6, 20), (0.7, 50)], 30);
    let text = "🔥 고수익 부업!! 재택 알바, 카톡 문의 👉";
    let v = c.score(&PageInput { text: text.into(), lang: Some("ko".into()), ..Default::default() }).unwrap();
    let r = v.reasons.iter().find(|r| r.rule == "model.ngrams").expect("the model fired");
    assert_eq!(r.weight, 50, "the top step");
    assert_eq!(v.categories.iter().find(|c| c.id == "model").unwrap().score, 30, "capped by its category");
    assert!(r.explanation.starts_with("표현: '") && !r.explanation.contains("{ngrams}"), "{}", r.explanation);
    let spans: Vec<String> =
        v.matches.iter().filter(|m| m.rule == "model.ngrams").map(|m| slice16(text, m.start, m.end)).collect();
    assert!(!spans.is_empty() && spans.iter().all(|s| text.contains(s.as_str())), "{spans:?}");
    // Every named word is highlighted somewhere.
    let named = r.explanation.trim_start_matches("표현: ");
    for w in named.split(", ") {
        let w = w.trim_matches('\'');
        assert!(spans.iter().any(|s| s.contains(w)), "{w} not in {spans:?}");
    }
    // An ordinary posting gets nothing from the model.
    let v = c.score(&PageInput { text: "정규직 사무 보조 채용 경력 우대".into(), ..Default::default() }).unwrap();
    assert!(v.reasons.iter().all(|r| r.rule != "model.ngrams"), "{v:?}");
}

#[test]
fn the_model_uses_the_steps_of_the_texts_script() {
    let text = "🔥 고수익 부업!! 재택 알바, 카톡 문의 👉";
    let model_points = |c: &Classifier| {
        let v = c.score(&PageInput { text: text.into(), lang: Some("ko".into()), ..Default::default() }).unwrap();
        v.reasons.iter().find(|r| r.rule == "model.ngrams").map_or(0, |r| r.weight)
    };
    let steps: &[(f64, i32)] = &[(0.6, 20), (0.7, 50)];
    let only = |script, min, s: &[(f64, i32)]| model_points(&with_model_by_script(steps, &[(script, min, s)], 60));
    assert_eq!(only("latin", 0, &[(0.999, 5)]), 50, "not its script");
    assert_eq!(only("hangul", 0, &[(0.6, 7)]), 7, "its script's steps");
    assert_eq!(only("hangul", 0, &[]), 0, "no steps: no points");
    assert_eq!(only("hangul", 12, &[(0.6, 7)]), 7, "long enough");
    assert_eq!(only("hangul", 200, &[(0.6, 7)]), 0, "shorter than the script's least");
    let mut pack = with_model(steps, 60).pack().clone();
    pack.model.as_mut().unwrap().scripts.insert("cyrillic".into(), Default::default());
    assert!(Classifier::new(pack).unwrap_err().to_string().contains("cyrillic"), "an unknown script is refused");
}

#[test]
fn model_spans_fall_on_character_boundaries_of_any_text() {
    let c = with_model(&[(0.5, 10)], 30);
    for t in ["부\u{200B}업 고수익", "ｂｕ 부업 e\u{301} 🔥고수익🔥", "고수익\u{0}부업", "재택재택재택 알바알바"]
    {
        let v = c.score(&PageInput { text: t.into(), ..Default::default() }).unwrap();
        let u: Vec<u16> = t.encode_utf16().collect();
        for m in &v.matches {
            assert!(m.end as usize <= u.len());
            assert!(String::from_utf16(&u[..m.start as usize]).is_ok(), "{t:?} {m:?}");
            assert!(String::from_utf16(&u[m.start as usize..m.end as usize]).is_ok(), "{t:?} {m:?}");
        }
    }
}

#[test]
fn a_damaged_or_hostile_model_refuses_the_pack_with_a_typed_error() {
    use crate::model::ModelError;
    let good = with_model(&[(0.5, 10)], 30).pack().clone();
    let with_weights = |w: String| {
        let mut p = good.clone();
        p.model.as_mut().unwrap().weights = w;
        Classifier::new(p)
    };
    assert!(matches!(with_weights("@@@".into()), Err(PackError::Model(ModelError::Base64(_)))));
    assert!(matches!(
        with_weights("A".repeat(crate::model::blob::MAX_BASE64_BYTES + 1)),
        Err(PackError::Model(ModelError::TooLarge { .. }))
    ));
    use base64::Engine as _;
    let b64 = base64::engine::general_purpose::STANDARD;
    let mut bytes = b64.decode(&good.model.as_ref().unwrap().weights).unwrap();
    let mid = bytes.len() / 2;
    bytes[mid] ^= 0x40;
    assert!(matches!(with_weights(b64.encode(&bytes)), Err(PackError::Model(ModelError::Checksum))));
    bytes[mid] ^= 0x40;
    // A model of another format version (the next one: the current version is the good model's own).
    let other = crate::model::blob::FORMAT_VERSION + 1;
    bytes[4] = other;
    assert!(matches!(
        with_weights(b64.encode(&bytes)),
        Err(PackError::Model(ModelError::Version { found, .. })) if found == other
    ));
    // Steps that go down, an unknown category: refused by the pack's checks.
    let mut p = good.clone();
    p.model.as_mut().unwrap().steps =
        vec![crate::pack::ModelStep { min_p: 0.9, points: 10 }, crate::pack::ModelStep { min_p: 0.8, points: 20 }];
    assert!(Classifier::new(p).unwrap_err().to_string().contains("model.ngrams"));
    let mut p = good;
    p.model.as_mut().unwrap().category = "nope".into();
    assert!(Classifier::new(p).unwrap_err().to_string().contains("unknown category"));
}

#[test]
fn a_pack_without_a_model_scores_as_before() {
    let plain = classifier();
    assert!(plain.pack().model.is_none() && plain.learned().is_none());
    let json = plain.pack().to_json();
    assert!(!json.contains("\"model\""), "no model field written when there is none");
    let again = Classifier::from_json(&json).unwrap();
    let text = "캄보디아 근무, 항공권 지원, 텔레그램 문의";
    let a = plain.score(&PageInput { text: text.into(), ..Default::default() }).unwrap();
    let b = again.score(&PageInput { text: text.into(), ..Default::default() }).unwrap();
    assert_eq!(a, b);
    // With a model in the pack, the JSON round trip keeps it.
    let m = with_model(&[(0.5, 10)], 30);
    let back = Classifier::from_json(&m.pack().to_json()).unwrap();
    assert_eq!(back.pack().model, m.pack().model);
}

#[test]
fn every_bundled_phrase_squeezes_as_the_full_normalisation_does() {
    // The pack compile squeezes ASCII and Hangul/CJK/kana phrases without building offset maps; what it gives
    // must be what normalising the phrase as page text gives, or a phrase would silently stop matching.
    let pack = Pack::from_json(&crate::bundled::pack_json().unwrap()).unwrap();
    let mut sq = crate::normalize::PhraseSqueezer::default();
    let mut n = 0;
    for p in pack.rules.iter().flat_map(|r| &r.phrases) {
        assert_eq!(sq.squeeze(p), crate::normalize::squeeze_phrase(p), "{p:?}");
        n += 1;
    }
    assert!(n > 1000, "{n} phrases");
}

#[test]
fn phrases_of_two_rules_that_squeeze_alike_fire_both_rules() {
    let mut pack = classifier().pack().clone();
    // "텔 레그램" and "Telegram!" squeeze to the phrases of the telegram rule: one automaton pattern each.
    pack.rules[0].phrases.push("텔 레그램".into());
    pack.rules[1].phrases.push("Telegram!".into());
    let c = Classifier::new(pack).unwrap();
    let v = c.score(&PageInput { text: "문의는 텔레그램, 또는 telegram".into(), ..Default::default() }).unwrap();
    let fired = |id: &str| v.matches.iter().filter(|m| m.rule == id).count();
    assert_eq!(fired("ko.messenger.telegram"), 2, "{:?}", v.matches);
    assert_eq!(fired("ko.dest.cambodia"), 1, "{:?}", v.matches);
    assert_eq!(fired("ko.travel.flight"), 1, "{:?}", v.matches);
}

#[test]
fn a_pack_given_as_json_is_still_checked_before_it_compiles() {
    // A rule naming an unknown category would index past the categories: the JSON path must refuse it first.
    let mut pack = classifier().pack().clone();
    pack.rules[0].category = "nowhere".into();
    let e = Classifier::from_json(&pack.to_json()).map(|_| ()).unwrap_err();
    assert!(e.to_string().contains("ko.dest.cambodia") && e.to_string().contains("nowhere"), "{e}");
    pack.rules[0].category = "destination".into();
    pack.rules[1].id = pack.rules[0].id.clone();
    let e = Classifier::from_json(&pack.to_json()).map(|_| ()).unwrap_err();
    assert!(e.to_string().contains("duplicate"), "{e}");
}

/// `utf16_len` counts what `encode_utf16` gives, on random texts of one- to four-byte characters.
#[test]
fn utf16_len_is_the_count_of_utf16_units() {
    let chars = ['a', ' ', '\n', 'é', 'ß', '한', '万', '\u{200b}', '\u{FFFF}', '😀', '\u{10000}', '\u{10FFFF}'];
    let mut rng = fastrand::Rng::with_seed(0x16);
    for _ in 0..2000 {
        let s: String = (0..rng.usize(..200)).map(|_| chars[rng.usize(..chars.len())]).collect();
        assert_eq!(utf16_len(&s), s.encode_utf16().count(), "{s:?}");
    }
}
