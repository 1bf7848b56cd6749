//! Clusters on a real SQLite file and (with TEST_DATABASE_URL) a real PostgreSQL: two reposts of one ad
//! (other sites, small edits, other spacing) fall in one cluster; two different ads of one recruiter join
//! through their shared Telegram handle; an unrelated ad stays apart; the takedown export groups a confirmed
//! cluster's URLs by host with its evidence.

mod common;

use common::{report, settings, start, Backend};
use serde_json::json;

both_backends!(reposts_and_recruiters_cluster);

// Ad texts written for this test.
const AD: &str = "Customer service staff wanted for an online shop in Phnom Penh. Salary 2,500 USD per month, \
                  free dormitory and meals, flight ticket paid by the company. No experience and no English \
                  needed, only a passport. Contact us today to start next week.";
const REPOST: &str = "Customer  service staff wanted for an online shop in Phnom Penh!\n\nSalary 2,800 USD per month, \
                      free dormitory and meals,   flight ticket paid by the company.\tNo experience and no \
                      English needed, only a passport. Contact us now to start next week.";
const SAME_RECRUITER_1: &str = "Data entry typists needed in Bavet, Cambodia. Work from the office, 12 hours a day, \
                                high commission, visa handled by us. Message the manager on Telegram.";
const SAME_RECRUITER_2: &str = "Looking for Korean-speaking game hosts in Myawaddy. Monthly income over ten million \
                                won, accommodation included, travel arranged. Apply via our Telegram desk.";
const UNRELATED: &str = "Family bakery in Daegu hiring a part-time cashier for weekend mornings, hourly wage \
                         10,030 won, five minutes from the subway station, training provided.";

fn with(url: &str, key: &str, excerpt: &str, inds: serde_json::Value) -> serde_json::Value {
    let mut r = report(url, key);
    r["excerpt"] = json!(excerpt);
    r["indicators"] = inds;
    r
}

async fn case_of(s: &common::Server, body: serde_json::Value) -> i64 {
    let r = s.post_json("/v1/reports", &body).await;
    assert_eq!(r.status, 201, "{}", r.body);
    r.json()["case_id"].as_i64().unwrap()
}

fn cluster_of(page: &str, case: i64) -> bool {
    page.contains(&format!("data-case=\"{case}\""))
}

async fn reposts_and_recruiters_cluster(b: Backend) {
    let (s, _db) = start(&b, settings()).await;
    let handle = json!([{ "kind": "telegram", "value": "@bavet_hr_manager" }]);
    let a = case_of(&s, with("https://jobs-a.example/post/11", "cl-key-0001", AD, json!([]))).await;
    let a2 = case_of(&s, with("https://jobs-a.example/post/11", "cl-key-0002", AD, json!([]))).await;
    assert_eq!(a, a2, "a second report of one posting is the same case");
    let b_ = case_of(&s, with("https://board-b.example/view?id=9", "cl-key-0003", REPOST, json!([]))).await;
    let c = case_of(&s, with("https://forum-c.example/t/5", "cl-key-0004", SAME_RECRUITER_1, handle.clone())).await;
    let d = case_of(&s, with("https://cafe-d.example/a/7", "cl-key-0005", SAME_RECRUITER_2, handle)).await;
    let e = case_of(
        &s,
        with(
            "https://local-e.example/j/1",
            "cl-key-0006",
            UNRELATED,
            json!([{ "kind": "email", "value": "hi@e.example" }]),
        ),
    )
    .await;

    let no_session = s.get("/dashboard/clusters", &[]).await;
    assert_ne!(no_session.status, 200, "the cluster pages need a session");

    let cookie = s.sign_in("reviewer1", "correct horse battery").await;
    let list = s.get("/dashboard/clusters?lang=en", &[("cookie", &cookie)]).await;
    assert_eq!(list.status, 200, "{}", list.body);
    let rows = list.body.matches("data-cluster=").count();
    assert_eq!(rows, 2, "two clusters of more than one case: {}", list.body);

    let repost = s.get(&format!("/dashboard/clusters/{a}"), &[("cookie", &cookie)]).await;
    assert_eq!(repost.status, 200);
    assert!(cluster_of(&repost.body, a) && cluster_of(&repost.body, b_), "the repost joins: {}", repost.body);
    assert!(!cluster_of(&repost.body, c) && !cluster_of(&repost.body, e));
    assert!(repost.body.contains("data-reports=\"3\""), "reports over the cluster");

    let recruiter = s.get(&format!("/dashboard/clusters/{c}"), &[("cookie", &cookie)]).await;
    assert!(cluster_of(&recruiter.body, c) && cluster_of(&recruiter.body, d), "{}", recruiter.body);
    assert!(!cluster_of(&recruiter.body, a) && !cluster_of(&recruiter.body, e));
    assert!(recruiter.body.contains("telegram:bavet_hr_manager"));

    let alone = s.get(&format!("/dashboard/clusters/{e}"), &[("cookie", &cookie)]).await;
    assert_eq!(alone.body.matches("data-case=").count(), 1, "the unrelated ad stays apart");
    assert_eq!(s.get("/dashboard/clusters/999999", &[("cookie", &cookie)]).await.status, 404);

    // Confirm one repost: the export groups the cluster's URLs by platform, with the evidence.
    sqlx::query("UPDATE cases SET status = 'confirmed_scam' WHERE id = $1")
        .bind(b_)
        .execute(&s.state.db.write)
        .await
        .unwrap();
    let export = s.get("/dashboard/export.json", &[("cookie", &cookie)]).await;
    assert_eq!(export.status, 200);
    let j = export.json();
    let clusters = j["clusters"].as_array().unwrap();
    assert_eq!(clusters.len(), 1, "only the confirmed cluster: {j}");
    let cl = &clusters[0];
    assert_eq!(cl["cluster_id"], a);
    let hosts: Vec<&str> = cl["platforms"].as_array().unwrap().iter().map(|p| p["host"].as_str().unwrap()).collect();
    assert_eq!(hosts, ["board-b.example", "jobs-a.example"]);
    assert_eq!(cl["platforms"][1]["urls"][0], "https://jobs-a.example/post/11");
    assert_eq!(cl["report_count"], 3);
    assert_eq!(cl["rules"]["ko.pay.high"], 3);
    assert!(cl["first_seen"].as_str().unwrap().ends_with('Z'));
    let texts = cl["texts"].as_array().unwrap();
    assert_eq!(texts.len(), 2);
    assert!(texts.iter().any(|t| t[1].as_str().unwrap().contains("2,800 USD")), "the stored texts: {cl}");
}
