//! Contact indicators through the service, on a real SQLite file and (with TEST_DATABASE_URL) a real
//! PostgreSQL: reports carry them, cases collect them, the dashboard counts them across cases and sites, and
//! reviewers confirm or reject them with a note and a kept history.

mod common;

use common::{report, settings, start, Backend};
use jobguard::indicators::signed::{indicator_hex, verify_list, ListEntry, ListError};
use jobguard::IndicatorKind;
use serde_json::json;

both_backends!(indicators_counted_and_reviewed, bad_indicators_are_refused, the_signed_list_follows_reviews);

fn with_indicators(url: &str, key: &str, inds: serde_json::Value) -> serde_json::Value {
    let mut r = report(url, key);
    r["indicators"] = inds;
    r
}

/// The `data-*` value of the first element carrying `attr` after `marker` in a page.
fn attr_after(html: &str, marker: &str, attr: &str) -> String {
    let at = html.find(marker).unwrap_or_else(|| panic!("no {marker} in {html}"));
    let key = format!("{attr}=\"");
    let s = at + html[at..].find(&key).unwrap() + key.len();
    html[s..].split('"').next().unwrap().to_string()
}

/// The row id of the indicator with `value` in a list page.
fn id_of(html: &str, value: &str) -> i64 {
    let at = html.find(&format!("data-value=\"{value}\"")).unwrap_or_else(|| panic!("no {value}"));
    let before = &html[..at];
    let p = before.rfind("data-indicator=\"").unwrap() + 16;
    before[p..].split('"').next().unwrap().parse().unwrap()
}

async fn indicators_counted_and_reviewed(b: Backend) {
    let (s, _db) = start(&b, settings()).await;
    let handle =
        json!([{ "kind": "telegram", "value": "@GD_Recruit_Desk" }, { "kind": "phone", "value": "+82 10-1234-5678" }]);
    // One handle on three postings on two sites; one posting reported twice.
    for (i, url) in
        ["https://a.example/job/1", "https://a.example/job/2", "https://b.example/p/9", "https://a.example/job/1"]
            .iter()
            .enumerate()
    {
        let r = s.post_json("/v1/reports", &with_indicators(url, &format!("ind-key-{i:04}"), handle.clone())).await;
        assert_eq!(r.status, 201, "{}", r.body);
    }
    let other = s
        .post_json(
            "/v1/reports",
            &with_indicators(
                "https://c.example/x",
                "ind-key-9999",
                json!([{ "kind": "email", "value": "hr@c.example" }]),
            ),
        )
        .await;
    assert_eq!(other.status, 201);
    let plain = s.post_json("/v1/reports", &report("https://d.example/old-extension", "ind-key-8888")).await;
    assert_eq!(plain.status, 201, "a report without the field (older extensions) is accepted");

    let cookie = s.sign_in("reviewer1", "correct horse battery").await;
    let list = s.get("/dashboard/indicators?lang=en", &[("cookie", &cookie)]).await;
    assert_eq!(list.status, 200);
    let row = "data-value=\"gd_recruit_desk\"";
    assert!(list.body.contains(row), "normalised: {}", list.body);
    assert_eq!(attr_after(&list.body, "data-kind=\"telegram\"", "data-cases"), "3", "three postings");
    assert_eq!(attr_after(&list.body, "data-kind=\"telegram\"", "data-sites"), "2", "on two sites");
    assert!(list.body.contains("appears in 3 reported ads on 2 sites since"));
    assert!(list.body.contains("data-value=\"+821012345678\""));
    let only_email = s.get("/dashboard/indicators?kind=email", &[("cookie", &cookie)]).await;
    assert!(only_email.body.contains("hr@c.example") && !only_email.body.contains("gd_recruit_desk"));

    // The case page lists its contacts.
    let case_id = s
        .post_json("/v1/reports", &with_indicators("https://b.example/p/9", "ind-key-0004", handle.clone()))
        .await
        .json()["case_id"]
        .as_i64()
        .unwrap();
    let case = s.get(&format!("/dashboard/cases/{case_id}?lang=en"), &[("cookie", &cookie)]).await;
    assert!(case.body.contains(row), "{}", case.body);

    // Confirm with a note, then withdraw: both kept in the history.
    let id = id_of(&list.body, "gd_recruit_desk");
    let page = s.get(&format!("/dashboard/indicators/{id}?lang=en"), &[("cookie", &cookie)]).await;
    assert_eq!(page.status, 200);
    assert!(page.body.contains("data-case=\""), "its cases are listed");
    let csrf = common::hidden(&page.body, "csrf");
    let path = format!("/dashboard/indicators/{id}/status");
    let no_csrf = s.post_form(&path, &cookie, &[("status", "confirmed"), ("csrf", "0000")]).await;
    assert_eq!(no_csrf.status, 403);
    let bad = s.post_form(&path, &cookie, &[("status", "evil"), ("csrf", &csrf)]).await;
    assert_eq!(bad.status, 422);
    let ok = s
        .post_form(
            &path,
            &cookie,
            &[("status", "confirmed"), ("csrf", &csrf), ("note", "recruiter of the Sihanoukville ads")],
        )
        .await;
    assert_eq!(ok.status, 303, "{}", ok.body);
    let confirmed = s.get("/dashboard/indicators?status=confirmed", &[("cookie", &cookie)]).await;
    assert!(confirmed.body.contains(row) && !confirmed.body.contains("+821012345678"));
    let ok = s
        .post_form(&path, &cookie, &[("status", "rejected"), ("csrf", &csrf), ("note", "withdrawn: a real agency")])
        .await;
    assert_eq!(ok.status, 303);
    let page = s.get(&format!("/dashboard/indicators/{id}?lang=en"), &[("cookie", &cookie)]).await;
    assert_eq!(page.body.matches("data-event").count(), 2, "{}", page.body);
    assert!(page.body.contains("recruiter of the Sihanoukville ads") && page.body.contains("withdrawn: a real agency"));
    assert!(page.body.contains("data-status=\"rejected\""));
    assert_eq!(
        s.post_form("/dashboard/indicators/999999/status", &cookie, &[("status", "new"), ("csrf", &csrf)]).await.status,
        404
    );
    // Phone numbers show what libphonenumber says of them.
    let phone_id = id_of(&list.body, "+821012345678");
    let phone = s.get(&format!("/dashboard/indicators/{phone_id}?lang=en"), &[("cookie", &cookie)]).await;
    assert!(phone.body.contains("region: KR"), "{}", phone.body);
    assert_eq!(s.get("/dashboard/indicators", &[]).await.status, 303, "reviewers only");
}

async fn bad_indicators_are_refused(b: Backend) {
    let (s, _db) = start(&b, settings()).await;
    for bad in [
        json!("t.me/x"),
        json!([{ "kind": "fax", "value": "1" }]),
        json!([{ "kind": "telegram", "value": "ab" }]),
        json!([{ "kind": "email" }]),
    ] {
        let r = s.post_json("/v1/reports", &with_indicators("https://a.example/1", "bad-key-0001", bad)).await;
        assert_eq!(r.status, 422, "{}", r.body);
        assert_eq!(r.json()["field"], "indicators");
    }
    let too_many: Vec<_> = (0..101).map(|i| json!({ "kind": "email", "value": format!("a{i}@x.example") })).collect();
    let r = s.post_json("/v1/reports", &with_indicators("https://a.example/1", "bad-key-0002", json!(too_many))).await;
    assert_eq!(r.status, 422);
}

fn verify(
    body: &str,
    key: &str,
    min: u64,
) -> Result<jobguard::indicators::signed::VerifiedList, jobguard::indicators::signed::ListError> {
    let k = jobguard::signing::parse_verifying_key(key).unwrap();
    verify_list(body, &[k], jobguard_monitor::clock::now(), min)
}

async fn the_signed_list_follows_reviews(b: Backend) {
    let (s, _db) = start(&b, settings()).await;
    let ind_pub = include_str!("../../keys/dev-indicators.public");
    let pack_pub = include_str!("../../keys/dev.public");
    let handle = json!([{ "kind": "telegram", "value": "gd_recruit_desk" }]);
    for (i, url) in ["https://a.example/1", "https://b.example/2"].iter().enumerate() {
        assert_eq!(
            s.post_json("/v1/reports", &with_indicators(url, &format!("list-key-{i:04}"), handle.clone())).await.status,
            201
        );
    }
    let empty = s.get("/v1/indicators/latest", &[]).await;
    assert_eq!(empty.status, 200);
    let v0 = verify(&empty.body, ind_pub, 0).unwrap();
    assert!(v0.entries.is_empty(), "nothing confirmed yet");
    assert!(v0.header.expires - v0.header.created <= 86_400);
    assert!(matches!(verify(&empty.body, pack_pub, 0), Err(ListError::BadSignature)), "not signed with the pack key");

    let cookie = s.sign_in("reviewer1", "correct horse battery").await;
    let list = s.get("/dashboard/indicators", &[("cookie", &cookie)]).await;
    let id = id_of(&list.body, "gd_recruit_desk");
    let page = s.get(&format!("/dashboard/indicators/{id}"), &[("cookie", &cookie)]).await;
    let csrf = common::hidden(&page.body, "csrf");
    let path = format!("/dashboard/indicators/{id}/status");
    assert_eq!(
        s.post_form(&path, &cookie, &[("status", "confirmed"), ("csrf", &csrf), ("note", "n")]).await.status,
        303
    );

    let r = s.get("/v1/indicators/latest", &[]).await;
    assert!(!r.body.contains("gd_recruit_desk"), "hashes only");
    let v1 = verify(&r.body, ind_pub, v0.header.version + 1).expect("a newer list after the review");
    assert_eq!(v1.entries, [ListEntry { h: indicator_hex(IndicatorKind::Telegram, "gd_recruit_desk"), n: 2 }]);
    let etag = r.header("etag").unwrap();
    assert_eq!(r.header("cache-control").as_deref(), Some("public, max-age=300"));
    let again = s.get("/v1/indicators/latest", &[("if-none-match", &etag)]).await;
    assert_eq!(again.status, 304);

    // Withdrawn: gone from the next list.
    assert_eq!(
        s.post_form(&path, &cookie, &[("status", "rejected"), ("csrf", &csrf), ("note", "withdrawn")]).await.status,
        303
    );
    let r = s.get("/v1/indicators/latest", &[("if-none-match", &etag)]).await;
    assert_eq!(r.status, 200);
    let v2 = verify(&r.body, ind_pub, v1.header.version + 1).unwrap();
    assert!(v2.entries.is_empty());
}
