//! The rules' own examples (`rules/examples/*.jsonl`): sentences the team wrote in the style of real lures and
//! of real ads, each line `{"label": "scam" | "legit", "text": ...}`. Every scam line must reach `caution` with
//! the bundled pack and every legit line must stay `safe`; a failure lists every line that broke, with its score
//! and the rules that fired, so a rule edit that silences a lure or wakes on an ordinary ad shows up here.
#![cfg(feature = "sources")]

use jobguard::{Classifier, Level, PageInput};
use std::path::Path;

#[derive(serde::Deserialize)]
struct Example {
    label: String,
    text: String,
}

#[test]
fn every_example_scores_as_labelled() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("rules/examples");
    let classifier = Classifier::new(jobguard::bundled::pack().expect("rules/ compiles")).expect("pack is valid");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .expect("rules/examples exists")
        .map(|e| e.expect("readable entry").path())
        .filter(|p| p.extension().is_some_and(|x| x == "jsonl"))
        .collect();
    files.sort();
    assert!(!files.is_empty(), "no examples in {}", dir.display());
    let (mut checked, mut failures) = (0, Vec::new());
    for file in &files {
        let name = file.file_name().unwrap().to_string_lossy().into_owned();
        let body = std::fs::read_to_string(file).expect("readable example file");
        for (i, line) in body.lines().enumerate().filter(|(_, l)| !l.trim().is_empty()) {
            let ex: Example = serde_json::from_str(line).unwrap_or_else(|e| panic!("{name}:{}: {e}", i + 1));
            let want_flag = match ex.label.as_str() {
                "scam" => true,
                "legit" => false,
                other => panic!("{name}:{}: label {other:?} is neither scam nor legit", i + 1),
            };
            let v = classifier.score(&PageInput { text: ex.text.clone(), ..Default::default() }).expect("scores");
            checked += 1;
            if (v.level >= Level::Caution) != want_flag {
                let rules: Vec<_> = v.reasons.iter().map(|r| format!("{} {}", r.rule, r.weight)).collect();
                failures.push(format!(
                    "{name}:{} {} scored {} [{}]: {}",
                    i + 1,
                    ex.label,
                    v.score,
                    rules.join(", "),
                    ex.text
                ));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {checked} examples scored against their label:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

/// Sentences for rules whose examples are kept out of `rules/examples`, which the learned model is also fitted
/// and calibrated on: hard ordinary lines there move the model's steps (five added lines moved EMSCAD fraud
/// by six texts out of fold). Each names the rule it must (or must not) fire.
#[test]
fn rules_fire_on_their_wording_and_not_beside_it() {
    let classifier = Classifier::new(jobguard::bundled::pack().expect("rules/ compiles")).expect("pack is valid");
    let fired = |text: &str| -> Vec<String> {
        let v = classifier.score(&PageInput { text: text.into(), ..Default::default() }).expect("scores");
        v.reasons.iter().map(|r| r.rule.clone()).collect()
    };
    let cases: &[(&str, &str, bool)] = &[
        // Lending an account or a card, with words between the means and the verb.
        ("ko.duty.lend_account", "주말 부업 구합니다. 가지고 계신 통장이랑 OTP를 일주일만 빌려주시면 매일 20만원씩 드려요.", true),
        ("ko.duty.lend_account", "쉬운 알바 있어요. 본인 체크카드를 사흘만 대여해 주시면 건당 30만원 드립니다.", true),
        // An office's bookkeeping names rent, car rental and accounts, but nobody lends an account.
        (
            "ko.duty.lend_account",
            "[경리 사무원] 임대료 입금 계좌 확인, 법인 통장 입출금 정리, 차량 대여 후 정산 업무. 급여는 본인 명의 계좌로 지급.",
            false,
        ),
        ("zh.duty.telling", "招人在家放GOIP设备，每天开机八小时就行，日结500，设备我们寄。", true),
        ("zh.duty.telling", "长期收四方支付通道的合作伙伴，可做代付，流水越大返点越高。", true),
        ("zh.duty.telling", "招聘支付产品经理：负责第三方支付通道对接与风控规则设计，本科以上学历，五险一金。", false),
    ];
    for (rule, text, want) in cases {
        let got = fired(text);
        assert_eq!(got.iter().any(|r| r == rule), *want, "{rule} on {text:?}: fired {got:?}");
    }
}
