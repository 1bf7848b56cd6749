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
