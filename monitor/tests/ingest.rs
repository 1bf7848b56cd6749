//! `ingest` on a real SQLite file and (with TEST_DATABASE_URL) a real PostgreSQL: flagged postings open cases
//! with source `scan` and their contacts, a malformed line is reported with its number and skipped, and
//! re-ingesting the same postings opens nothing new; `POST /v1/ingest` needs the admin token.

mod common;

use common::{settings, start, Backend};
use jobguard_monitor::ingest::ingest_reader;
use serde_json::json;

both_backends!(ingest_opens_cases_once, ingest_over_http_needs_the_token);

const LURE: &str = "캄보디아 현지 근무, 항공권·숙소 제공, 월 1500만원 보장, 경력 무관, 텔레그램 @gd_recruit_desk 문의";

fn postings() -> String {
    [
        json!({ "url": "https://a.example/job/1", "title": "해외 고수익", "text": LURE }).to_string(),
        json!({ "url": "https://b.example/p/2?utm_source=x", "title": "해외", "html": format!("<p>{LURE}</p><script>x</script>") }).to_string(),
        "{ not json".to_string(),
        json!({ "url": "https://c.example/cafe", "title": "카페", "text": "카페 바리스타 채용, 주 5일 근무, 시급 10,030원" }).to_string(),
        String::new(),
        json!({ "url": "javascript:alert(1)", "text": LURE }).to_string(),
        json!({ "url": "https://d.example/x" }).to_string(),
    ]
    .join("\n")
}

async fn ingest_opens_cases_once(b: Backend) {
    let (s, _db) = start(&b, settings()).await;
    let served = s.state.packs.current().unwrap();
    let classifier = served.classifier.clone().unwrap();
    let sum = ingest_reader(&s.state.db, &classifier, std::io::Cursor::new(postings()), 1_796_000_000).await.unwrap();
    assert_eq!(sum.read, 6, "the empty line is not a posting");
    assert_eq!(sum.scored, 3);
    assert_eq!(sum.flagged, 2, "{sum:?}");
    assert_eq!(sum.opened, 2);
    let lines: Vec<usize> = sum.malformed.iter().map(|m| m.line).collect();
    assert_eq!(lines, [3, 6, 7], "{:?}", sum.malformed);
    assert!(sum.malformed[2].error.contains("text or html"));

    let again = ingest_reader(&s.state.db, &classifier, std::io::Cursor::new(postings()), 1_796_000_100).await.unwrap();
    assert_eq!((again.flagged, again.opened), (2, 0), "re-ingesting opens no new case");

    let cookie = s.sign_in("reviewer1", "correct horse battery").await;
    let list = s.get("/dashboard/indicators?lang=en", &[("cookie", &cookie)]).await;
    assert!(list.body.contains("data-value=\"gd_recruit_desk\""), "scanned contacts join the indicators");
    assert!(list.body.contains("appears in 2 reported ads on 2 sites"));
    let (n,): (i64,) =
        sqlx::query_as("SELECT COUNT(*) FROM cases WHERE source = 'scan'").fetch_one(&s.state.db.read).await.unwrap();
    assert_eq!(n, 2);
    let (excerpt,): (String,) = sqlx::query_as("SELECT excerpt FROM scans WHERE url_norm = 'https://b.example/p/2'")
        .fetch_one(&s.state.db.read)
        .await
        .unwrap();
    assert!(excerpt.contains("월 1500만원") && !excerpt.contains("<p>"), "the text the scan saw is kept");
}

async fn ingest_over_http_needs_the_token(b: Backend) {
    let (s, _db) = start(&b, settings()).await;
    let no = s.send("POST", "/v1/ingest", &[], postings()).await;
    assert_eq!(no.status, 401);
    let wrong = s.send("POST", "/v1/ingest", &[("authorization", "Bearer wrong-token-0123456789")], postings()).await;
    assert_eq!(wrong.status, 401);
    let ok = s.send("POST", "/v1/ingest", &[("authorization", "Bearer test-admin-token-0123456789")], postings()).await;
    assert_eq!(ok.status, 200, "{}", ok.body);
    let j = ok.json();
    assert_eq!(j["opened"], 2);
    assert_eq!(j["malformed"][0]["line"], 3);
}
