//! Where the time goes: compiling the bundled pack and scoring a ~100 KB page, stage by stage (medians of 41
//! runs), and, for comparison, an Aho-Corasick phrase automaton's build time, search time and memory at each
//! `dense_depth` (the classifier finds phrases with its own `LiteralSet` since branch `cold`). Prints figures;
//! not a test. Run: `cargo run --release --example stages`.
//!
//! Stages that are private to the classifier are timed by difference: the pack with its model, without it,
//! without its regex rules, without any phrase or regex rule, and without pay tiers and link rules.

use std::time::Instant;

use aho_corasick::{AhoCorasickBuilder, AhoCorasickKind, MatchKind};
use jobguard::normalize::Normalized;
use jobguard::{Classifier, Pack, PageInput};

/// The page of `benches/scoring.rs`.
#[path = "../benches/common/page.rs"]
mod common_page;
use common_page::page;

/// Median wall time of `f` over 41 runs, in milliseconds.
fn median(mut f: impl FnMut()) -> f64 {
    let mut t: Vec<f64> = (0..41)
        .map(|_| {
            let s = Instant::now();
            f();
            s.elapsed().as_secs_f64() * 1000.0
        })
        .collect();
    t.sort_by(f64::total_cmp);
    t[t.len() / 2]
}

fn compile(name: &str, pack: &Pack) -> Classifier {
    println!("compile pack, {name}: {:.3} ms", median(|| drop(Classifier::new(pack.clone()).unwrap())));
    Classifier::new(pack.clone()).unwrap()
}

fn main() {
    let json = jobguard::bundled::pack_json().expect("rules/ compiles");
    println!("parse pack JSON: {:.3} ms", median(|| drop(Pack::from_json(&json).unwrap())));
    let pack = Pack::from_json(&json).unwrap();
    let mut no_model = pack.clone();
    no_model.model = None;
    let mut phrases_only = no_model.clone();
    phrases_only.rules.retain(|r| r.regex.is_none());
    let mut no_rules = no_model.clone();
    no_rules.rules.clear();
    no_rules.combos.clear();
    let mut bare = no_rules.clone();
    bare.salary.tiers.clear();
    bare.links.clear();
    let full = compile("all", &pack);
    let plain = compile("without the model", &no_model);
    let phrases = compile("phrase rules only, no model", &phrases_only);
    let none = compile("no phrase or regex rules, no model", &no_rules);
    let bare = compile("no rules, pay tiers, links or model", &bare);

    let text = page(100_000);
    let input = PageInput { text: text.clone(), lang: Some("ko".into()), ..Default::default() };
    let norm = Normalized::new(&text);
    println!("normalise 100 KB: {:.3} ms", median(|| drop(Normalized::new(&text))));
    println!("indicators 100 KB: {:.3} ms", median(|| drop(jobguard::indicators::extract_from(&text, &[]))));
    let parser = jobguard::money::PayParser::new();
    println!("pay parser 100 KB: {:.3} ms", median(|| drop(parser.find(&norm.text, |_| Some(3000.0)))));
    if let Some(l) = full.learned() {
        println!("model 100 KB (with spans): {:.3} ms", median(|| drop(l.probability(&norm, true))));
    }
    for (name, c) in [
        ("all", &full),
        ("without the model", &plain),
        ("phrase rules only, no model", &phrases),
        ("no phrase or regex rules, no model", &none),
        ("no rules, pay tiers, links or model", &bare),
    ] {
        println!("score 100 KB, {name}: {:.3} ms", median(|| drop(c.score(&input).unwrap())));
    }

    // An Aho-Corasick automaton over the squeezed phrases (contiguous NFA, as the classifier built it before its
    // `LiteralSet`), by dense depth.
    let mut pats: Vec<String> =
        pack.rules.iter().flat_map(|r| r.phrases.iter().map(|p| Normalized::new(p).squeezed)).collect();
    pats.sort();
    pats.dedup();
    println!("{} distinct squeezed phrases, {} bytes", pats.len(), pats.iter().map(String::len).sum::<usize>());
    for depth in [1usize, 2, 3, 4] {
        let mut b = AhoCorasickBuilder::new();
        b.match_kind(MatchKind::Standard).kind(Some(AhoCorasickKind::ContiguousNFA)).dense_depth(depth);
        let ac = b.build(&pats).unwrap();
        let build = median(|| drop(b.build(&pats).unwrap()));
        let mut n = 0;
        let search = median(|| n = ac.find_overlapping_iter(&norm.squeezed).count());
        println!(
            "phrase automaton, dense_depth {depth}: build {build:.3} ms, search 100 KB {search:.3} ms, {n} matches, \
             {} bytes",
            ac.memory_usage()
        );
    }
}
