//! Criterion benchmarks: compiling the bundled pack, scoring 3 KB / 10 KB / 30 KB / 100 KB / 1 MB job pages, and the obvious
//! alternative: each rule's regex (its phrases as an alternation, or its own regex) run over the lower-cased
//! text one rule after another, collecting every match (what highlighting needs). The alternative does less
//! than the classifier: no NFKC, no spaced-out letters, no pay parsing, no offset maps.
//!
//! Also: reading a ~1 MB result-list page (outline built from HTML once; `read_page` finds the cards and scores
//! each on its own), and building that outline from the HTML.
//!
//! Run: `cargo bench -p jobguard --bench scoring` (medians are printed as the middle "time" figure).

use criterion::{black_box, criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use jobguard::{Classifier, PageInput};

#[path = "common/page.rs"]
mod common_page;
use common_page::page;

fn classifier() -> Classifier {
    Classifier::new(jobguard::bundled::pack().expect("rules/ compiles")).expect("the bundled pack compiles")
}

fn compile(c: &mut Criterion) {
    let json = jobguard::bundled::pack_json().expect("rules/ compiles");
    c.bench_function("compile pack (from JSON)", |b| b.iter(|| Classifier::from_json(black_box(&json)).unwrap()));
}

fn score(c: &mut Criterion) {
    let cl = classifier();
    // The rules alone, to show what the learned model costs.
    let mut rules_only = cl.pack().clone();
    rules_only.model = None;
    let plain = Classifier::new(rules_only).expect("the pack without its model compiles");
    // The alternative: one regex per rule, each run over the lower-cased text.
    let naive: Vec<regex::Regex> = cl
        .pack()
        .rules
        .iter()
        .map(|r| match &r.regex {
            Some(re) => regex::Regex::new(re).unwrap(),
            None => {
                let alts: Vec<String> = r.phrases.iter().map(|p| regex::escape(&p.to_lowercase())).collect();
                regex::Regex::new(&alts.join("|")).unwrap()
            }
        })
        .collect();
    let mut g = c.benchmark_group("score");
    for size in [3_000usize, 10_000, 30_000, 100_000, 1_000_000] {
        let text = page(size);
        g.throughput(Throughput::Bytes(text.len() as u64));
        let input = PageInput { text: text.clone(), lang: Some("ko".into()), ..Default::default() };
        g.bench_with_input(BenchmarkId::new("jobguard", size), &input, |b, i| {
            b.iter(|| cl.score(black_box(i)).unwrap())
        });
        g.bench_with_input(BenchmarkId::new("jobguard without the model", size), &input, |b, i| {
            b.iter(|| plain.score(black_box(i)).unwrap())
        });
        g.bench_with_input(BenchmarkId::new("regex per rule", size), &text, |b, t| {
            b.iter(|| {
                let lower = black_box(t).to_lowercase();
                naive.iter().map(|re| re.find_iter(&lower).count()).sum::<usize>()
            })
        });
    }
    g.finish();
}

/// A result-list page of about `size` bytes of HTML: a menu, a filter column and cards, one in fifty a lure.
/// Written for the benchmark.
fn list_page(size: usize) -> String {
    let mut s = String::from(
        "<!doctype html><html><head><meta charset=utf-8><title>검색 결과</title></head><body>\
         <header><nav><a href=/>홈</a> <a href=/jobs>채용정보</a> <a href=/remote>재택근무</a></nav></header>\
         <div class=wrap><div class=col-side><h3>급여</h3><a href=/q?p=1>월 1000만원 이상</a> <a href=/q?b=1>숙소 제공</a></div>\
         <div class=col-main><ul class=job-list>",
    );
    let mut i = 0;
    while s.len() < size {
        let (title, detail) = if i % 50 == 7 {
            ("해외 고객상담", "캄보디아 현지 근무, 항공권·숙소 제공, 월 1000만원, 텔레그램 문의")
        } else {
            ("물류센터 상품 분류 주간", "인천 서구 · 시급 10,500원 · 주5일 · 4대보험 가입, 경력 무관 초보 가능")
        };
        s.push_str(&format!(
            "<li class=job-card><a class=title href=/jobs/{i}>{title} {i}</a><div class=company>회사 {i}</div>\
             <div class=meta>{detail}</div><div class=tags><span>정규직</span><span>주5일</span></div></li>\n"
        ));
        i += 1;
    }
    s.push_str("</ul></div></div><footer>취업사기 신고 112</footer></body></html>");
    s
}

fn read_page(c: &mut Criterion) {
    let cl = classifier();
    let html = list_page(1_000_000);
    let mut g = c.benchmark_group("read_page");
    g.sample_size(10);
    g.throughput(Throughput::Bytes(html.len() as u64));
    g.bench_function("html to outline, 1 MB list", |b| {
        b.iter(|| jobguard::page::html::page_input(black_box(&html), None))
    });
    let input = jobguard::page::html::page_input(&html, None);
    let r = cl.read_page(&input).unwrap();
    assert_eq!(r.kind, jobguard::Kind::List);
    assert!(r.card_count > 1000, "{} cards", r.card_count);
    g.bench_function("read_page, 1 MB list", |b| b.iter(|| cl.read_page(black_box(&input)).unwrap()));
    g.finish();
}

criterion_group!(benches, compile, score, read_page);
criterion_main!(benches);
