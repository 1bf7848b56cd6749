//! Scores the benchmark page (`benches/common/page.rs`) a few times: a small driver for profilers such as
//! `valgrind --tool=callgrind`, which count instructions repeatably where wall time is noisy. Prints the
//! verdict's score so the work is not optimised away.
//!
//! Run: `cargo run --release --example score_page -- [SIZE] [RUNS] [nomodel]` (defaults: 100000 bytes, 1 run,
//! with the model). To count only the scoring, not the pack compile:
//! `valgrind --tool=callgrind --toggle-collect='*Classifier*score_with*' target/release/examples/score_page`.
//! With `SCORE_PAGE_JSON=1` set, prints each whole verdict as JSON instead (to compare two builds).

use jobguard::{Classifier, PageInput};

#[path = "../benches/common/page.rs"]
mod common_page;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let size = args.get(1).and_then(|a| a.parse().ok()).unwrap_or(100_000);
    let runs: usize = args.get(2).and_then(|a| a.parse().ok()).unwrap_or(1);
    let mut pack = jobguard::bundled::pack().expect("rules/ compiles");
    if args.get(3).is_some_and(|a| a == "nomodel") {
        pack.model = None;
    }
    let classifier = Classifier::new(pack).expect("the bundled pack compiles");
    let input = PageInput { text: common_page::page(size), lang: Some("ko".into()), ..Default::default() };
    for _ in 0..runs {
        let v = classifier.score(&input).expect("scores");
        if std::env::var_os("SCORE_PAGE_JSON").is_some() {
            // The whole verdict (reasons, spans), to compare two builds byte for byte.
            println!("{}", serde_json::to_string(&v).expect("a verdict serialises"));
        } else {
            println!("score {} level {:?} reasons {} matches {}", v.score, v.level, v.reasons.len(), v.matches.len());
        }
    }
}
