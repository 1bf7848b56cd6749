//! Criterion benchmarks: compiling the bundled pack, scoring 10 KB / 100 KB / 1 MB job pages, and the obvious
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

/// A job page of about `size` bytes: ordinary posting text in several languages, with a few lure phrases.
/// Written for the benchmark (no dataset text).
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
    for size in [10_000usize, 100_000, 1_000_000] {
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
