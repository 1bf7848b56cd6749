//! Where the time goes: compiling the bundled pack and scoring a ~100 KB page, stage by stage (medians of 41
//! runs), and the phrase automaton's build time, search time and memory at each `dense_depth`. Prints figures;
//! not a test. Run: `cargo run --release --example stages`.
//!
//! Stages that are private to the classifier are timed by difference: the pack with its model, without it,
//! without its regex rules, without any phrase or regex rule, and without pay tiers and link rules.

use std::time::Instant;

use aho_corasick::{AhoCorasickBuilder, AhoCorasickKind, MatchKind};
use jobguard::normalize::Normalized;
use jobguard::{Classifier, Pack, PageInput};

/// The page of `benches/scoring.rs` (written for the benchmarks; no dataset text).
fn page(size: usize) -> String {
    const PARTS: &[&str] = &[
        "주요 업무: 고객 문의 응대 및 주문 관리, 사내 시스템 운영 지원. 자격 요건: 관련 학과 졸업, 엑셀 활용 가능자. ",
        "우대 사항: 유관 업무 경력 2년 이상. 근무 조건: 주 5일, 09:00~18:00, 4대보험, 퇴직금, 연차. ",
        "We are looking for a customer support specialist to join our Seoul office. Responsibilities include handling tickets. ",
        "Benefits: health insurance, paid leave, training budget. Apply through our careers page with your CV. ",
        "Mô tả công việc: hỗ trợ khách hàng, xử lý đơn hàng. Yêu cầu: tốt nghiệp cao đẳng trở lên. ",
        "Kualifikasi: pendidikan minimal D3, mampu bekerja dalam tim, menguasai Microsoft Office. ",
        "岗位职责：负责客户咨询与订单处理。任职要求：大专以上学历，熟练使用办公软件。",
        "募集要項：カスタマーサポート業務。応募資格：高卒以上、PCの基本操作ができる方。",
        "ตำแหน่งงาน: เจ้าหน้าที่บริการลูกค้า คุณสมบัติ: วุฒิปริญญาตรี มีความรับผิดชอบ ",
        "해외 근무 가능자 우대, 항공권 지원, 텔레그램으로 문의 주세요. 월 1,500만원 이상 가능. ",
    ];
    let mut s = String::with_capacity(size + 256);
    let mut i = 0;
    while s.len() < size {
        s.push_str(PARTS[i % PARTS.len()]);
        i += 1;
    }
    s
}

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

    // The phrase automaton as the classifier builds it (squeezed phrases, contiguous NFA), by dense depth.
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
