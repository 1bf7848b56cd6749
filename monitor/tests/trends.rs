//! The trends page on a real SQLite file and (with TEST_DATABASE_URL) a real PostgreSQL: SVG charts drawn on the
//! server with one series per language / country, the top contacts and a growing cluster; no session, no page.

mod common;

use common::{report, settings, start, Backend};
use serde_json::json;

both_backends!(trends_page_draws_the_charts);

/// The HTML of the figure `name`.
fn figure<'a>(page: &'a str, name: &str) -> &'a str {
    let at = page.find(&format!("data-chart=\"{name}\"")).unwrap_or_else(|| panic!("no chart {name}: {page}"));
    let end = page[at..].find("</figure>").unwrap() + at;
    &page[at..end]
}

async fn trends_page_draws_the_charts(b: Backend) {
    let (s, _db) = start(&b, settings()).await;
    let handle = json!([{ "kind": "telegram", "value": "@trend_recruiter" }]);
    for (i, (url, lang, country)) in
        [("https://a.example/1", "ko", "KR"), ("https://b.example/2", "ko", "KR"), ("https://c.example/3", "vi", "VN")]
            .iter()
            .enumerate()
    {
        let mut r = report(url, &format!("trend-key-{i:04}"));
        r["lang"] = json!(lang);
        r["country"] = json!(country);
        r["indicators"] = handle.clone();
        let resp = s.post_json("/v1/reports", &r).await;
        assert_eq!(resp.status, 201, "{}", resp.body);
    }

    let refused = s.get("/dashboard/trends", &[]).await;
    assert_eq!(refused.status, 303, "no session: to the sign-in page");
    assert!(!refused.body.contains("<svg"));

    let cookie = s.sign_in("reviewer1", "correct horse battery").await;
    let page = s.get("/dashboard/trends?lang=en", &[("cookie", &cookie)]).await;
    assert_eq!(page.status, 200, "{}", page.body);
    assert_eq!(page.body.matches("<svg").count(), 5, "five charts");

    let by_lang = figure(&page.body, "lang");
    assert!(by_lang.contains("data-series=\"2\""), "{by_lang}");
    assert_eq!(by_lang.matches("stroke-width=\"2\"").count(), 4, "two lines and two legend marks");
    assert!(by_lang.contains(">\nko\n<") && by_lang.contains(">\nvi\n<"));
    let by_country = figure(&page.body, "country");
    assert!(by_country.contains(">\nKR\n<") && by_country.contains(">\nVN\n<"));
    let by_category = figure(&page.body, "category");
    assert!(by_category.contains("data-series=\"1\"") && by_category.contains(">\ntravel\n<"), "{by_category}");
    let inds = figure(&page.body, "indicators");
    assert!(inds.contains("telegram:trend_recruiter"), "{inds}");
    let clusters = figure(&page.body, "clusters");
    assert!(clusters.contains("data-series=\"1\""), "one cluster grew this week: {clusters}");
}
