//! Pages shaped like real boards' (fixtures the team wrote, in tests/fixtures/pages), read the way
//! `jobguard scan` reads them: a list with one lure card among twenty ordinary ones, menus, filters full of
//! signal words, a "people also searched" box and a scam-warning footer; the same lure as a posting page; a
//! posting that declares itself in JSON-LD next to a promotional box.

use std::path::Path;

use jobguard::page::html::input_from_bytes;
use jobguard::{Classifier, Kind, Level, PageInput, Reading};

fn classifier() -> Classifier {
    Classifier::new(jobguard::bundled::pack().expect("rules/ compile")).expect("the bundled pack compiles")
}

fn fixture(name: &str) -> PageInput {
    let p = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/pages").join(name);
    let bytes = std::fs::read(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()));
    let (mut input, _) = input_from_bytes(&bytes, None);
    input.lang = Some("ko".into());
    input
}

fn slice16(s: &str, a: u32, b: u32) -> String {
    let u: Vec<u16> = s.encode_utf16().collect();
    String::from_utf16(&u[a as usize..b as usize]).unwrap()
}

#[test]
fn a_list_marks_only_the_lure_card() {
    let c = classifier();
    let input = fixture("board-list.html");
    // The page as one text (what the extension scored before) is flagged: filters, menu and footer add up.
    assert!(c.score(&input).unwrap().level >= Level::Caution, "the fixture must be a trap for whole-page scoring");
    let r: Reading = c.read_page(&input).unwrap();
    assert_eq!(r.kind, Kind::List);
    assert!(r.posting.is_none());
    assert_eq!(r.card_count, 21);
    let risky: Vec<_> = r.cards.iter().filter(|c| c.verdict.level > Level::Safe).collect();
    assert_eq!(risky.len(), 1, "{:?}", r.cards.iter().map(|c| (&c.title, c.verdict.score)).collect::<Vec<_>>());
    let lure = risky[0];
    assert_eq!(lure.title, "해외 고객상담 (캄보디아)");
    assert_eq!(lure.verdict.level, Level::Danger);
    // Its highlights are inside the card, and read what they say.
    assert!(!lure.verdict.matches.is_empty());
    for m in &lure.verdict.matches {
        assert!(m.start >= lure.start && m.end <= lure.end, "{m:?} outside the card");
    }
    let found: Vec<String> = lure.verdict.matches.iter().map(|m| slice16(&input.text, m.start, m.end)).collect();
    assert!(found.iter().any(|f| f.contains("텔레그램")), "{found:?}");
}

#[test]
fn the_same_lure_as_a_posting_reaches_danger_inside_the_posting() {
    let c = classifier();
    let input = fixture("board-posting.html");
    let r = c.read_page(&input).unwrap();
    assert_eq!(r.kind, Kind::Posting);
    assert!(r.cards.is_empty());
    let p = r.posting.expect("a posting");
    assert_eq!(p.verdict.level, Level::Danger, "{:?}", p.verdict.reasons);
    let text = &input.text;
    let posting_text: String = p.regions.iter().map(|&[a, b]| slice16(text, a, b)).collect::<Vec<_>>().join("\n");
    assert!(posting_text.contains("출국 항공권과 숙소를"), "{posting_text}");
    assert!(posting_text.contains("월 1000만원"), "the summary table is part of the posting");
    for furniture in ["취업사기 신고", "함께 찾은", "이 공고를 본 사람들이", "조건으로 찾기", "包吃"]
    {
        assert!(!posting_text.contains(furniture), "{furniture} was read as the posting");
    }
    assert!(!p.verdict.matches.is_empty());
    for m in &p.verdict.matches {
        assert!(p.regions.iter().any(|&[a, b]| a <= m.start && m.end <= b), "{m:?} outside the regions");
    }
}

#[test]
fn a_posting_declared_in_json_ld_is_read_without_the_promotion_beside_it() {
    let c = classifier();
    let input = fixture("posting-jsonld.html");
    // Whole-page scoring reads the promotion box and the menu.
    let whole = c.score(&input).unwrap();
    let r = c.read_page(&input).unwrap();
    assert_eq!((r.kind, r.how.as_str()), (Kind::Posting, "jsonld"));
    let p = r.posting.expect("a posting");
    let posting_text: String =
        p.regions.iter().map(|&[a, b]| slice16(&input.text, a, b)).collect::<Vec<_>>().join("\n");
    assert!(posting_text.contains("shelve incoming stock"));
    assert!(posting_text.contains("overtime paid"));
    assert!(!posting_text.contains("Telegram") && !posting_text.contains("free flights"), "{posting_text}");
    assert_eq!(p.verdict.level, Level::Safe, "{:?}", p.verdict.reasons);
    assert!(p.verdict.score < whole.score || whole.score == 0, "reading the posting must not score more than the page");
}

#[test]
fn a_page_without_an_outline_is_scored_whole() {
    let c = classifier();
    let input = PageInput {
        text: "캄보디아 현지 근무 상담원 모집. 항공권, 숙소 제공. 월 1500만원 보장. 텔레그램 문의".into(),
        ..Default::default()
    };
    let r = c.read_page(&input).unwrap();
    assert_eq!((r.kind, r.how.as_str()), (Kind::Posting, "text"));
    assert_eq!(r.posting.unwrap().verdict, c.score(&input).unwrap());
}

#[test]
fn a_site_adapter_picks_the_posting_and_its_exclude_list_is_not_read() {
    let mut pack = jobguard::bundled::pack().unwrap();
    pack.sites = vec![jobguard::pack::Site {
        id: "example".into(),
        hosts: vec!["example.kr".into()],
        paths: vec![],
        posting: vec![".job-view".into()],
        cards: vec![],
        exclude: vec![".summary-table".into()],
    }];
    let c = Classifier::new(pack).unwrap();
    let input = fixture("board-posting.html");
    let r = c.read_page(&input).unwrap();
    assert_eq!(r.how, "site:example");
    let p = r.posting.unwrap();
    let text: String = p.regions.iter().map(|&[a, b]| slice16(&input.text, a, b)).collect();
    assert!(text.contains("고객 상담 업무") && !text.contains("성과급 별도"), "{text}");
    // A bad selector refuses the pack, naming the site and the selector.
    let mut bad = jobguard::bundled::pack().unwrap();
    bad.sites = vec![jobguard::pack::Site {
        id: "broken".into(),
        hosts: vec!["x.kr".into()],
        paths: vec![],
        posting: vec!["main:first-child".into()],
        cards: vec![],
        exclude: vec![],
    }];
    let e = Classifier::new(bad).unwrap_err().to_string();
    assert!(e.contains("broken") && e.contains("main:first-child"), "{e}");
}

/// A card of an ordinary job, as boards write them.
fn card_html(i: usize) -> String {
    format!(
        "<li class=\"job-card\"><a href=\"/jobs/{i}\">Warehouse associate {i}</a><div class=\"co\">Harbor Goods {i}</div>\
         <div class=\"meta\">Busan · 2,900,000 KRW a month · full time</div></li>"
    )
}

#[test]
fn a_long_posting_stays_a_posting_beside_many_similar_jobs_and_a_list_with_an_intro_stays_a_list() {
    let c = classifier();
    let duties = "You will receive, check and shelve incoming stock, pack orders for our shops, keep the loading \
                  bay tidy and safe, and help the team lead with the weekly inventory count. ";
    let similar: String = (0..15).map(card_html).collect();
    let posting = format!(
        "<!doctype html><html><head><title>Warehouse associate</title></head><body>\
         <div class=\"page\"><div class=\"view\"><h1>Warehouse associate</h1><div class=\"pay\">2,900,000 KRW a month</div>\
         <div class=\"body\"><p>{duties}</p><p>{duties}</p><p>{duties}</p></div></div>\
         <div class=\"more\"><h3>More jobs like this</h3><ul>{similar}</ul></div></div></body></html>"
    );
    let (input, _) = input_from_bytes(posting.as_bytes(), None);
    let r = c.read_page(&input).unwrap();
    assert_eq!((r.kind, r.how.as_str()), (Kind::Posting, "main"));
    let p = r.posting.unwrap();
    let text: String = p.regions.iter().map(|&[a, b]| slice16(&input.text, a, b)).collect();
    assert!(
        text.contains("Warehouse associate") && text.contains("weekly inventory") && !text.contains("Harbor Goods 3")
    );

    let cards: String = (0..20).map(card_html).collect();
    let list = format!(
        "<!doctype html><html><head><title>Jobs</title></head><body><div class=\"page\">\
         <div class=\"intro\"><h1>Warehouse jobs in Busan</h1><p>Browse 20 open warehouse jobs in Busan, updated daily, \
         from employers who hire through our board.</p></div><ul class=\"results\">{cards}</ul></div></body></html>"
    );
    let (input, _) = input_from_bytes(list.as_bytes(), None);
    let r = c.read_page(&input).unwrap();
    assert_eq!((r.kind, r.how.as_str(), r.card_count), (Kind::List, "cards", 20));
}

#[test]
fn a_bland_json_ld_does_not_hide_the_lure_the_page_shows() {
    let c = classifier();
    let page = r#"<!doctype html><html><head><meta charset="utf-8"><title>사무 보조</title>
        <script type="application/ld+json">{"@type":"JobPosting","title":"사무 보조",
        "description":"사무 보조 업무, 주 5일 근무, 4대 보험 가입."}</script></head>
        <body><nav><a href="/">홈</a></nav><main><h1>해외 지사 상담원 급구</h1>
        <p>태국 방콕 지사에서 근무할 상담원을 모집합니다. 경력 무관, 월 1200만원 보장합니다.</p>
        <p>왕복 항공권과 숙소를 제공하며, 여권만 있으면 바로 출국할 수 있습니다.</p>
        <p>문의는 텔레그램으로만 받습니다: <a href="https://t.me/some_desk">@some_desk</a></p></main></body></html>"#;
    let (mut input, _) = input_from_bytes(page.as_bytes(), None);
    input.lang = Some("ko".into());
    let r = c.read_page(&input).unwrap();
    let p = r.posting.expect("a posting");
    assert_eq!(p.verdict.level, Level::Danger, "{} {:?}", r.how, p.verdict.reasons);
    assert!(p.verdict.matches.iter().any(|m| slice16(&input.text, m.start, m.end).contains("텔레그램")));
    // The same description shown on the page is located, and the lure around it is still read.
    let shown = page.replace("<main><h1>", "<main><p>사무 보조 업무, 주 5일 근무, 4대 보험 가입.</p><h1>");
    let (mut input, _) = input_from_bytes(shown.as_bytes(), None);
    input.lang = Some("ko".into());
    let r = c.read_page(&input).unwrap();
    assert_eq!(r.posting.expect("a posting").verdict.level, Level::Danger, "{}", r.how);
}
