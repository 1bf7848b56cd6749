//! The service end to end over HTTP on 127.0.0.1, against a real SQLite file and (with TEST_DATABASE_URL) a
//! real PostgreSQL: reports, dedupe, idempotency, validation, rate limits, CORS, feedback, every reviewer and
//! admin route's auth, the dashboard, exports, and pack serving and publishing.

mod common;

use common::{report, settings, start, start_with, Backend};
use jobguard::signing::{sign_pack, SignedPack};
use jobguard_monitor::app::Settings;
use serde_json::{json, Value};

both_backends!(
    reports_dedupe_and_idempotency,
    concurrent_retries_count_once,
    validation_names_the_field,
    rate_limit_per_client,
    cors_only_extension_origins,
    feedback_counted_per_rule,
    reviewer_routes_need_a_session,
    dashboard_review_and_export,
    sessions_expire,
    packs_serve_and_publish,
    packs_from_a_directory_and_other_instances,
    case_page_shows_matched_phrases,
    case_list_pages,
    sign_in_attempts_are_limited,
);

async fn reports_dedupe_and_idempotency(b: Backend) {
    let (s, _db) = start(&b, settings()).await;
    let r1 = s
        .post_json("/v1/reports", &report("https://Jobs.Example.com/post/1?utm_source=fb#apply", "key-00000001"))
        .await;
    assert_eq!(r1.status, 201, "{}", r1.body);
    let j1 = r1.json();
    let id = j1["id"].as_str().unwrap().to_string();
    assert!(id.starts_with("r_"));
    assert_eq!(j1["status"], "new");
    assert_eq!(j1["status_url"], format!("/v1/reports/{id}"));
    assert_eq!(r1.header("location").unwrap(), format!("/v1/reports/{id}"));

    // A retry with the same key: same receipt, 200, not counted again.
    let again = s
        .post_json("/v1/reports", &report("https://Jobs.Example.com/post/1?utm_source=fb#apply", "key-00000001"))
        .await;
    assert_eq!(again.status, 200);
    assert_eq!(again.json()["id"], j1["id"]);

    // The same posting, another reader: same case, counted.
    let r2 = s.post_json("/v1/reports", &report("https://jobs.example.com:443/post/1?gclid=x", "key-00000002")).await;
    assert_eq!(r2.status, 201);
    assert_eq!(r2.json()["case_id"], j1["case_id"]);
    assert_ne!(r2.json()["id"], j1["id"]);

    // Another posting: another case.
    let r3 = s.post_json("/v1/reports", &report("https://jobs.example.com/post/2", "key-00000003")).await;
    assert_ne!(r3.json()["case_id"], j1["case_id"]);

    // A key reused for another URL is a conflict, and nothing is counted.
    let clash = s.post_json("/v1/reports", &report("https://other.example/x", "key-00000001")).await;
    assert_eq!(clash.status, 409, "{}", clash.body);

    let st = s.get(&format!("/v1/reports/{id}"), &[]).await;
    assert_eq!(st.status, 200);
    let st = st.json();
    assert_eq!(st["report_count"], 2);
    assert_eq!(st["status"], "new");
    assert_eq!(s.get("/v1/reports/r_000000000000000000000000", &[]).await.status, 404);
    assert_eq!(s.get("/v1/reports/nonsense", &[]).await.status, 404);
    s.stop().await;
}

async fn concurrent_retries_count_once(b: Backend) {
    let (s, _db) = start(&b, settings()).await;
    let s = std::sync::Arc::new(s);
    let mut tasks = Vec::new();
    for _ in 0..16 {
        let s = s.clone();
        tasks.push(tokio::spawn(async move {
            s.post_json("/v1/reports", &report("https://race.example/job", "same-key-123")).await
        }));
    }
    let mut created = 0;
    let mut ids = std::collections::HashSet::new();
    for t in tasks {
        let r = t.await.unwrap();
        assert!(r.status == 201 || r.status == 200, "{} {}", r.status, r.body);
        created += usize::from(r.status == 201);
        ids.insert(r.json()["id"].as_str().unwrap().to_string());
    }
    assert_eq!(created, 1, "exactly one 201");
    assert_eq!(ids.len(), 1, "every retry got the same id");
    let id = ids.into_iter().next().unwrap();
    assert_eq!(s.get(&format!("/v1/reports/{id}"), &[]).await.json()["report_count"], 1);
    let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM reports").fetch_one(&s.state.db.read).await.unwrap();
    assert_eq!(n, 1);
    std::sync::Arc::try_unwrap(s).ok().unwrap().stop().await;
}

async fn validation_names_the_field(b: Backend) {
    let (s, _db) = start(&b, settings()).await;
    let bad: Vec<(&str, Value)> = vec![
        ("url", json!("javascript:alert(1)")),
        ("url", json!(null)),
        ("rules", json!([1, 2])),
        ("score", json!(-5)),
        ("level", json!("DANGER!")),
        ("pack_version", json!("3")),
        ("lang", json!("ko KR")),
        ("country", json!("Korea")),
        ("excerpt", json!("가".repeat(4001))),
        ("comment", json!("x".repeat(2001))),
        ("idempotency_key", json!("bad key with spaces")),
    ];
    for (field, value) in bad {
        let mut r = report("https://v.example/1", "valid-key-1");
        r[field] = value;
        let resp = s.post_json("/v1/reports", &r).await;
        assert_eq!(resp.status, 422, "{field}: {}", resp.body);
        let j = resp.json();
        assert_eq!(j["field"], field);
        assert!(j["error"].as_str().unwrap().starts_with(field), "{}", j["error"]);
    }
    let not_json = s.send("POST", "/v1/reports", &[("content-type", "application/json")], "{not json").await;
    assert_eq!(not_json.status, 400);
    assert!(not_json.json()["error"].as_str().unwrap().contains("JSON"));
    let text = s
        .send(
            "POST",
            "/v1/reports",
            &[("content-type", "text/plain")],
            report("https://v.example/1", "valid-key-1").to_string(),
        )
        .await;
    assert_eq!(text.status, 415);
    let mut huge = report("https://v.example/1", "valid-key-2");
    huge["padding"] = json!("x".repeat(100_000));
    assert_eq!(s.post_json("/v1/reports", &huge).await.status, 413);
    // Nothing bad was stored.
    let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM reports").fetch_one(&s.state.db.read).await.unwrap();
    assert_eq!(n, 0);
    s.stop().await;
}

async fn rate_limit_per_client(b: Backend) {
    let (s, _db) = start(&b, Settings { reports_per_minute: 3, ..settings() }).await;
    for i in 0..3 {
        let r = s.post_json("/v1/reports", &report("https://rl.example/1", &format!("rate-key-{i:04}"))).await;
        assert_eq!(r.status, 201);
    }
    let limited = s.post_json("/v1/reports", &report("https://rl.example/1", "rate-key-9999")).await;
    assert_eq!(limited.status, 429);
    let wait: u64 = limited.header("retry-after").unwrap().parse().unwrap();
    assert!((1..=61).contains(&wait));
    // Feedback shares the budget; a client behind a trusted proxy header is another client.
    let fb = json!({"url": "https://rl.example/1", "rules": ["x.y"], "score": 10, "pack_version": 1,
                    "kind": "not_scam", "idempotency_key": "fb-key-0001"});
    assert_eq!(s.post_json("/v1/feedback", &fb).await.status, 429);
    s.stop().await;

    let db = common::fresh_db(&b).await;
    let header = Some(axum::http::HeaderName::from_static("x-forwarded-for"));
    let s = start_with(&db, Settings { reports_per_minute: 1, client_ip_header: header, ..settings() }, None).await;
    let post = |ip: &'static str, key: &'static str| {
        let body = report("https://rl.example/2", key).to_string();
        let s = &s;
        async move {
            s.send("POST", "/v1/reports", &[("content-type", "application/json"), ("x-forwarded-for", ip)], body)
                .await
                .status
        }
    };
    assert_eq!(post("10.0.0.1", "fwd-key-0001").await, 201);
    assert_eq!(post("10.0.0.1", "fwd-key-0002").await, 429);
    assert_eq!(post("10.0.0.2", "fwd-key-0003").await, 201);
    s.stop().await;
}

async fn cors_only_extension_origins(b: Backend) {
    let (s, _db) = start(&b, settings()).await;
    let preflight = |origin: &'static str| {
        let s = &s;
        async move {
            s.send(
                "OPTIONS",
                "/v1/reports",
                &[
                    ("origin", origin),
                    ("access-control-request-method", "POST"),
                    ("access-control-request-headers", "content-type"),
                ],
                "",
            )
            .await
        }
    };
    let ok = preflight("chrome-extension://abcdefghijklmnopabcdefghijklmnop").await;
    assert_eq!(
        ok.header("access-control-allow-origin").as_deref(),
        Some("chrome-extension://abcdefghijklmnopabcdefghijklmnop")
    );
    let ff = preflight("moz-extension://1b2c3d4e-0000-4000-8000-000000000000").await;
    assert!(ff.header("access-control-allow-origin").is_some());
    let evil = preflight("https://evil.example").await;
    assert_eq!(evil.header("access-control-allow-origin"), None);

    let body = report("https://cors.example/1", "cors-key-0001").to_string();
    let from_page = s
        .send(
            "POST",
            "/v1/reports",
            &[("content-type", "application/json"), ("origin", "https://evil.example")],
            body.clone(),
        )
        .await;
    assert_eq!(from_page.status, 403);
    let from_ext = s
        .send(
            "POST",
            "/v1/reports",
            &[("content-type", "application/json"), ("origin", "moz-extension://1b2c3d4e-0000-4000-8000-000000000000")],
            body,
        )
        .await;
    assert_eq!(from_ext.status, 201);
    s.stop().await;
}

async fn feedback_counted_per_rule(b: Backend) {
    let (s, _db) = start(&b, settings()).await;
    let fb = |rules: Value, key: &str| {
        json!({"url": "https://fb.example/job?id=1", "rules": rules, "score": 35, "pack_version": 2,
               "kind": "not_scam", "idempotency_key": key})
    };
    assert_eq!(
        s.post_json("/v1/feedback", &fb(json!(["en.wfh.easy_money", "any.link.telegram"]), "fb-0000001")).await.status,
        201
    );
    assert_eq!(
        s.post_json("/v1/feedback", &fb(json!(["en.wfh.easy_money", "any.link.telegram"]), "fb-0000001")).await.status,
        200
    );
    assert_eq!(s.post_json("/v1/feedback", &fb(json!(["en.wfh.easy_money"]), "fb-0000002")).await.status, 201);
    let bad = s.post_json("/v1/feedback", &json!({"url": "https://fb.example/", "rules": ["a"], "score": 1, "pack_version": 1, "kind": "spam", "idempotency_key": "fb-0000003"})).await;
    assert_eq!(bad.status, 422);
    assert_eq!(bad.json()["field"], "kind");
    let counts = jobguard_monitor::reports::rule_feedback(&s.state.db).await.unwrap();
    let counts: Vec<(String, i64)> = counts.into_iter().map(|(r, n, _)| (r, n)).collect();
    assert_eq!(counts, vec![("en.wfh.easy_money".to_string(), 2), ("any.link.telegram".to_string(), 1)]);
    let cookie = s.sign_in("maintainer", "long enough password").await;
    let page = s.get("/dashboard/feedback", &[("cookie", &cookie)]).await;
    assert_eq!(page.status, 200);
    assert!(page.body.contains("data-rule=\"en.wfh.easy_money\""));
    s.stop().await;
}

async fn reviewer_routes_need_a_session(b: Backend) {
    let (s, _db) = start(&b, settings()).await;
    let r = s.post_json("/v1/reports", &report("https://auth.example/1", "auth-key-0001")).await;
    let case_id = r.json()["case_id"].as_i64().unwrap();
    let gets = [
        "/dashboard".to_string(),
        format!("/dashboard/cases/{case_id}"),
        "/dashboard/feedback".into(),
        "/dashboard/export.csv".into(),
        "/dashboard/export.json".into(),
    ];
    for path in &gets {
        let r = s.get(path, &[]).await;
        assert_eq!(r.status, 303, "{path}");
        assert_eq!(r.header("location").as_deref(), Some("/dashboard/login"), "{path}");
        let forged = s.get(path, &[("cookie", "jg_session=0123456789abcdef")]).await;
        assert_eq!(forged.status, 303, "{path} with a made-up session");
    }
    let post =
        s.post_form(&format!("/dashboard/cases/{case_id}/status"), "", &[("status", "removed"), ("csrf", "x")]).await;
    assert_eq!(post.status, 303);
    assert_eq!(s.post_form("/dashboard/logout", "", &[("csrf", "x")]).await.status, 303);

    // Signed in, but without the form's CSRF token: refused, and nothing changes.
    let cookie = s.sign_in("reviewer1", "correct horse battery").await;
    let no_csrf = s.post_form(&format!("/dashboard/cases/{case_id}/status"), &cookie, &[("status", "removed")]).await;
    assert_eq!(no_csrf.status, 403);
    let wrong = s
        .post_form(&format!("/dashboard/cases/{case_id}/status"), &cookie, &[("status", "removed"), ("csrf", "0000")])
        .await;
    assert_eq!(wrong.status, 403);
    let c = jobguard_monitor::cases::get(&s.state.db, case_id).await.unwrap().unwrap();
    assert_eq!(c.status, "new");

    // Sign-in needs its own CSRF cookie, and the right password.
    let form = s.get("/dashboard/login", &[]).await;
    let csrf = common::hidden(&form.body, "csrf");
    let no_cookie = s
        .post_form(
            "/dashboard/login",
            "",
            &[("name", "reviewer1"), ("password", "correct horse battery"), ("csrf", &csrf)],
        )
        .await;
    assert_eq!(no_cookie.status, 403);
    let login_cookie = format!("jg_login={csrf}");
    let bad_pw = s
        .post_form(
            "/dashboard/login",
            &login_cookie,
            &[("name", "reviewer1"), ("password", "wrong password!"), ("csrf", &csrf)],
        )
        .await;
    assert_eq!(bad_pw.status, 401);
    assert!(bad_pw.cookies().iter().all(|c| !c.starts_with("jg_session=")));
    let nobody = s
        .post_form(
            "/dashboard/login",
            &login_cookie,
            &[("name", "nobody"), ("password", "correct horse battery"), ("csrf", &csrf)],
        )
        .await;
    assert_eq!(nobody.status, 401);

    // Admin route: publishing needs the admin token.
    let none = s.send("POST", "/v1/packs", &[("content-type", "application/json")], "{}").await;
    assert_eq!(none.status, 401);
    let wrong = s.send("POST", "/v1/packs", &[("authorization", "Bearer not-the-token-at-all")], "{}").await;
    assert_eq!(wrong.status, 401);
    let session_is_not_admin = s.send("POST", "/v1/packs", &[("cookie", &cookie)], "{}").await;
    assert_eq!(session_is_not_admin.status, 401);
    s.stop().await;

    let db = common::fresh_db(&b).await;
    let off = start_with(&db, Settings { admin_token: None, ..settings() }, None).await;
    let r = off.send("POST", "/v1/packs", &[("authorization", "Bearer test-admin-token-0123456789")], "{}").await;
    assert_eq!(r.status, 403);
    off.stop().await;
}

async fn dashboard_review_and_export(b: Backend) {
    let (s, _db) = start(&b, settings()).await;
    let mut hostile = report("https://scam.example/job?id=9", "dash-key-0001");
    hostile["title"] = json!("<script>alert(1)</script> 캄보디아 고수익");
    hostile["comment"] = json!("\"><img src=x onerror=alert(2)>");
    hostile["excerpt"] = json!("항공권 제공, 숙소 제공, 텔레그램으로 연락");
    let first = s.post_json("/v1/reports", &hostile).await.json();
    let case_id = first["case_id"].as_i64().unwrap();
    let rid = first["id"].as_str().unwrap().to_string();
    s.post_json("/v1/reports", &report("https://scam.example/job?id=9&utm_campaign=z", "dash-key-0002")).await;
    let mut vi = report("https://other.example/viec-lam", "dash-key-0003");
    vi["lang"] = json!("vi");
    vi["score"] = json!(99);
    let other_id = s.post_json("/v1/reports", &vi).await.json()["case_id"].as_i64().unwrap();

    let cookie = s.sign_in("reviewer.kim", "a long enough password").await;
    let list = s.get("/dashboard", &[("cookie", &cookie), ("accept-language", "ko-KR,ko;q=0.9")]).await;
    assert_eq!(list.status, 200);
    assert!(list.body.contains("<html lang=\"ko\""));
    assert!(list.body.contains("사례"));
    assert!(!list.body.contains("<script>alert"), "titles are escaped");
    assert!(list.body.contains("&lt;script&gt;"));
    assert!(!list.body.contains("<script"), "no JavaScript anywhere");
    // Sorted by reports: the case with two reports first; by score: the other first.
    let pos = |body: &str, id: i64| body.find(&format!("data-case=\"{id}\"")).unwrap();
    assert!(pos(&list.body, case_id) < pos(&list.body, other_id));
    let by_score = s.get("/dashboard?sort=score&lang=en", &[("cookie", &cookie)]).await;
    assert!(by_score.body.contains("<html lang=\"en\""));
    assert!(pos(&by_score.body, other_id) < pos(&by_score.body, case_id));
    assert!(by_score.cookies().contains(&"jg_lang=en".to_string()), "the chosen language is remembered");
    let filtered = s.get("/dashboard?domain=scam.example&status=new&rlang=ko", &[("cookie", &cookie)]).await;
    assert!(filtered.body.contains(&format!("data-case=\"{case_id}\"")));
    assert!(!filtered.body.contains(&format!("data-case=\"{other_id}\"")));
    let by_lang = s.get("/dashboard?rlang=vi", &[("cookie", &cookie)]).await;
    assert!(!by_lang.body.contains(&format!("data-case=\"{case_id}\"")));
    let future = s.get("/dashboard?from=2999-01-01", &[("cookie", &cookie)]).await;
    assert!(!future.body.contains("data-case="));
    let bad_date = s.get("/dashboard?from=yesterday", &[("cookie", &cookie)]).await;
    assert_eq!(bad_date.status, 200);
    assert!(bad_date.body.contains("class=\"err\""));

    let page = s.get(&format!("/dashboard/cases/{case_id}?lang=en"), &[("cookie", &cookie)]).await;
    assert_eq!(page.status, 200);
    assert!(page.body.contains(&format!("data-report=\"{rid}\"")));
    assert!(page.body.contains("data-report-count=\"2\""));
    assert!(page.body.contains("ko.travel.flight_paid"));
    assert!(page.body.contains("항공권 제공"), "the excerpt is shown");
    assert!(!page.body.contains("<img src=x"), "comments are escaped");
    assert_eq!(page.header("content-security-policy").map(|c| c.contains("default-src 'none'")), Some(true));
    assert_eq!(s.get("/dashboard/cases/999999", &[("cookie", &cookie)]).await.status, 404);

    // Confirm it with a note; the history and the reader's status look-up show it.
    let csrf = common::hidden(&page.body, "csrf");
    let r = s
        .post_form(
            &format!("/dashboard/cases/{case_id}/status"),
            &cookie,
            &[("csrf", &csrf), ("status", "confirmed_scam"), ("note", "Telegram recruiter, same ad on 3 boards")],
        )
        .await;
    assert_eq!(r.status, 303);
    let bad = s
        .post_form(&format!("/dashboard/cases/{case_id}/status"), &cookie, &[("csrf", &csrf), ("status", "deleted")])
        .await;
    assert_eq!(bad.status, 422);
    let page = s.get(&format!("/dashboard/cases/{case_id}"), &[("cookie", &cookie)]).await;
    assert!(page.body.contains("data-status=\"confirmed_scam\""));
    assert!(page.body.contains("Telegram recruiter, same ad on 3 boards"));
    assert!(page.body.contains("reviewer.kim"));
    assert_eq!(s.get(&format!("/v1/reports/{rid}"), &[]).await.json()["status"], "confirmed_scam");

    // Exports hold confirmed cases only.
    let csv = s.get("/dashboard/export.csv", &[("cookie", &cookie)]).await;
    assert_eq!(csv.status, 200);
    assert!(csv.header("content-type").unwrap().starts_with("text/csv"));
    let lines: Vec<&str> = csv.body.lines().collect();
    assert_eq!(lines.len(), 2, "{}", csv.body);
    assert!(lines[0].starts_with("case_id,url,domain,title,status,report_count"));
    assert!(lines[1].contains("https://scam.example/job?id=9"));
    assert!(lines[1].contains("confirmed_scam"));
    assert!(lines[1].contains("ko.travel.flight_paid (2)"));
    assert!(lines[1].contains("reviewer.kim: Telegram recruiter"));
    assert!(!csv.body.contains("other.example"));
    let js = s.get("/dashboard/export.json", &[("cookie", &cookie)]).await.json();
    let cases = js["cases"].as_array().unwrap();
    assert_eq!(cases.len(), 1);
    assert_eq!(cases[0]["case_id"], case_id);
    assert_eq!(cases[0]["report_count"], 2);
    assert_eq!(cases[0]["rules"]["ko.pay.high"], 2);
    assert_eq!(cases[0]["countries"], json!(["KR"]));
    let new_only = s.get("/dashboard/export.json?status=new", &[("cookie", &cookie)]).await.json();
    assert_eq!(new_only["cases"].as_array().unwrap().len(), 1);
    assert_eq!(new_only["cases"][0]["domain"], "other.example");

    // Signing out ends the session.
    let csrf = common::hidden(&s.get("/dashboard", &[("cookie", &cookie)]).await.body, "csrf");
    assert_eq!(s.post_form("/dashboard/logout", &cookie, &[("csrf", &csrf)]).await.status, 303);
    assert_eq!(s.get("/dashboard", &[("cookie", &cookie)]).await.status, 303);
    s.stop().await;
}

async fn sessions_expire(b: Backend) {
    // Expiry is kept in whole seconds (`created + ttl`), so a session lives between ttl - 1 and ttl seconds:
    // with a one-second ttl, a sign-in late in a second expired before the next request on a loaded machine.
    let (s, _db) = start(&b, Settings { session_ttl_secs: 3, ..settings() }).await;
    let cookie = s.sign_in("shortlived", "password for a second").await;
    assert_eq!(s.get("/dashboard", &[("cookie", &cookie)]).await.status, 200);
    tokio::time::sleep(std::time::Duration::from_millis(4100)).await;
    assert_eq!(s.get("/dashboard", &[("cookie", &cookie)]).await.status, 303);
    s.stop().await;
}

/// A minimal pack JSON of `version` signed with `key`, valid for a day.
fn signed(version: u64, key: &ed25519_dalek::SigningKey) -> String {
    let now = jobguard_monitor::clock::now();
    let pack = format!(r#"{{"schema":1,"name":"test","version":{version}}}"#);
    serde_json::to_string(&sign_pack(&pack, key, "test", now - 60, now + 86_400).unwrap()).unwrap()
}

fn dev_key() -> ed25519_dalek::SigningKey {
    jobguard_monitor::config::dev_pack_config().signing_key
}

async fn served_version(s: &common::Server) -> u64 {
    s.state.packs.current().map(|p| p.header.version).unwrap_or(0)
}

async fn packs_serve_and_publish(b: Backend) {
    let (s, _db) = start(&b, settings()).await;
    let base = served_version(&s).await;
    let ready = s.get("/readyz", &[]).await;
    assert_eq!(ready.json()["database"], "ok");
    assert_eq!(ready.status, if base == 0 { 503 } else { 200 }, "ready only with a pack to serve");
    let admin = [("authorization", "Bearer test-admin-token-0123456789"), ("content-type", "application/json")];
    let v = base + 1;
    let published = s.send("POST", "/v1/packs", &admin, signed(v, &dev_key())).await;
    assert_eq!(published.status, 201, "{}", published.body);
    assert_eq!(published.json()["published"]["version"], v);
    let ready = s.get("/readyz", &[]).await;
    assert_eq!(ready.status, 200);
    assert_eq!(ready.json()["pack_version"], v);

    let latest = s.get("/v1/packs/latest", &[]).await;
    assert_eq!(latest.status, 200);
    let etag = latest.header("etag").unwrap();
    assert!(etag.starts_with(&format!("\"v{v}-")));
    assert!(latest.header("cache-control").unwrap().contains("max-age"));
    let env: SignedPack = serde_json::from_str(&latest.body).unwrap();
    assert_eq!(env.header.version, v);
    let verified =
        jobguard::signing::verify_signed(&latest.body, &[dev_key().verifying_key()], jobguard_monitor::clock::now(), v)
            .unwrap();
    assert_eq!(verified.header.version, v);
    let cached = s.get("/v1/packs/latest", &[("if-none-match", &etag)]).await;
    assert_eq!(cached.status, 304);
    assert!(cached.body.is_empty());
    assert_eq!(s.get("/v1/packs/latest", &[("if-none-match", "\"v0-stale\"")]).await.status, 200);

    // Refusals: not newer, same version, foreign key, tampered, not an envelope.
    let older = s.send("POST", "/v1/packs", &admin, signed(v, &dev_key())).await;
    assert_eq!(older.status, 409, "{}", older.body);
    let foreign = ed25519_dalek::SigningKey::from_bytes(&[7; 32]);
    let r = s.send("POST", "/v1/packs", &admin, signed(v + 1, &foreign)).await;
    assert_eq!(r.status, 422);
    assert!(r.body.contains("signature"));
    let tampered = signed(v + 1, &dev_key()).replace("\\\"name\\\":\\\"test\\\"", "\\\"name\\\":\\\"evil\\\"");
    let r = s.send("POST", "/v1/packs", &admin, tampered).await;
    assert_eq!(r.status, 422, "{}", r.body);
    assert_eq!(s.send("POST", "/v1/packs", &admin, "<html>").await.status, 422);
    assert_eq!(served_version(&s).await, v);

    // A newer one replaces it, and the ETag changes.
    assert_eq!(s.send("POST", "/v1/packs", &admin, signed(v + 10, &dev_key())).await.status, 201);
    let newer = s.get("/v1/packs/latest", &[("if-none-match", &etag)]).await;
    assert_eq!(newer.status, 200);
    assert_ne!(newer.header("etag").unwrap(), etag);
    assert_eq!(newer.header("x-pack-version").unwrap(), (v + 10).to_string());
    s.stop().await;
}

async fn packs_from_a_directory_and_other_instances(b: Backend) {
    let db = common::fresh_db(&b).await;
    let probe = start_with(&db, settings(), None).await;
    let base = served_version(&probe).await;
    probe.stop().await;

    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("a.json"), signed(base + 3, &dev_key())).unwrap();
    std::fs::write(dir.path().join("b.json"), signed(base + 5, &dev_key())).unwrap();
    // Higher versions that must be skipped: a foreign signature, and junk.
    std::fs::write(dir.path().join("c.json"), signed(base + 9, &ed25519_dalek::SigningKey::from_bytes(&[9; 32])))
        .unwrap();
    std::fs::write(dir.path().join("d.json"), "not a pack").unwrap();
    let a = start_with(&db, settings(), Some(dir.path())).await;
    assert_eq!(served_version(&a).await, base + 5);
    assert_eq!(a.get("/v1/packs/latest", &[]).await.header("x-pack-version").unwrap(), (base + 5).to_string());

    // A second instance on the same database picks up a pack published through the first.
    let b2 = start_with(&db, settings(), None).await;
    let admin = [("authorization", "Bearer test-admin-token-0123456789")];
    assert_eq!(a.send("POST", "/v1/packs", &admin, signed(base + 6, &dev_key())).await.status, 201);
    assert!(b2.state.packs.refresh(&b2.state.db).await);
    assert_eq!(served_version(&b2).await, base + 6);
    // Publishing the same version through the second instance is refused.
    assert_eq!(b2.send("POST", "/v1/packs", &admin, signed(base + 6, &dev_key())).await.status, 409);
    a.stop().await;
    b2.stop().await;
}

/// A small pack the engine compiles: one phrase rule.
fn real_pack(version: u64) -> String {
    json!({
        "schema": 1, "name": "test", "version": version,
        "thresholds": { "caution": 20, "danger": 60 },
        "categories": { "travel_paid": { "cap": 40, "name": { "en": "Travel paid", "ko": "항공권 지원" } } },
        "rules": [{ "id": "ko.travel.flight_paid", "category": "travel_paid", "weight": 20, "langs": ["ko"],
                    "phrases": ["항공권 제공"],
                    "explain": { "en": "Paid flights are a classic lure.", "ko": "항공권 제공은 전형적인 미끼입니다." } }],
        "salary": { "currency": {}, "tiers": [] }
    })
    .to_string()
}

async fn case_page_shows_matched_phrases(b: Backend) {
    let (s, _db) = start(&b, settings()).await;
    let v = served_version(&s).await + 1;
    let now = jobguard_monitor::clock::now();
    let env =
        serde_json::to_string(&sign_pack(&real_pack(v), &dev_key(), "test", now - 60, now + 86_400).unwrap()).unwrap();
    let admin = [("authorization", "Bearer test-admin-token-0123456789")];
    assert_eq!(s.send("POST", "/v1/packs", &admin, env).await.status, 201);
    assert!(s.state.packs.current().unwrap().classifier.is_some(), "the published pack compiles");

    let mut r = report("https://lure.example/job/1", "phrase-key-01");
    r["excerpt"] = json!("월급 1000만원, 항공권 제공 <숙소>");
    let case_id = s.post_json("/v1/reports", &r).await.json()["case_id"].as_i64().unwrap();
    let cookie = s.sign_in("phrases", "a long enough password").await;
    let page = s.get(&format!("/dashboard/cases/{case_id}?lang=ko"), &[("cookie", &cookie)]).await;
    assert!(page.body.contains("항공권 제공은 전형적인 미끼입니다."), "the rule's explanation in Korean");
    assert!(page.body.contains("<mark title=\"ko.travel.flight_paid\">항공권 제공</mark>"), "{}", page.body);
    assert!(page.body.contains("&lt;숙소&gt;"), "the rest of the excerpt is escaped");
    let en = s.get(&format!("/dashboard/cases/{case_id}?lang=en"), &[("cookie", &cookie)]).await;
    assert!(en.body.contains("Paid flights are a classic lure."));

    // The export gives a takedown request its reasons, in English.
    let csrf = common::hidden(&en.body, "csrf");
    let form = [("csrf", csrf.as_str()), ("status", "takedown_requested"), ("note", "")];
    assert_eq!(s.post_form(&format!("/dashboard/cases/{case_id}/status"), &cookie, &form).await.status, 303);
    let js = s.get("/dashboard/export.json", &[("cookie", &cookie)]).await.json();
    assert_eq!(js["cases"][0]["reasons"], json!(["ko.travel.flight_paid: Paid flights are a classic lure."]));
    let csv = s.get("/dashboard/export.csv", &[("cookie", &cookie)]).await;
    assert!(csv.body.contains("ko.travel.flight_paid: Paid flights are a classic lure."));
    s.stop().await;
}

async fn case_list_pages(b: Backend) {
    let (s, _db) = start(&b, settings()).await;
    for i in 0..53 {
        let r = s
            .post_json("/v1/reports", &report(&format!("https://many.example/job/{i}"), &format!("page-key-{i:04}")))
            .await;
        assert_eq!(r.status, 201);
    }
    let cookie = s.sign_in("pager", "a long enough password").await;
    let first = s.get("/dashboard?domain=many.example&sort=recent", &[("cookie", &cookie)]).await;
    assert_eq!(first.body.matches("<tr data-case=").count(), 50);
    assert!(first.body.contains("53 "));
    assert!(first.body.contains("page=1"), "a link to the next page");
    let second = s.get("/dashboard?domain=many.example&sort=recent&page=1", &[("cookie", &cookie)]).await;
    assert_eq!(second.body.matches("<tr data-case=").count(), 3);
    assert!(second.body.contains("page=0"), "a link back");
    assert_eq!(s.get("/dashboard?page=x", &[("cookie", &cookie)]).await.status, 400);
    s.stop().await;
}

async fn sign_in_attempts_are_limited(b: Backend) {
    let (s, _db) = start(&b, Settings { logins_per_minute: 2, ..settings() }).await;
    let form = s.get("/dashboard/login", &[]).await;
    let csrf = common::hidden(&form.body, "csrf");
    let cookie = format!("jg_login={csrf}");
    let attempt = [("name", "nobody"), ("password", "guessing a password"), ("csrf", csrf.as_str())];
    assert_eq!(s.post_form("/dashboard/login", &cookie, &attempt).await.status, 401);
    assert_eq!(s.post_form("/dashboard/login", &cookie, &attempt).await.status, 401);
    let limited = s.post_form("/dashboard/login", &cookie, &attempt).await;
    assert_eq!(limited.status, 429);
    assert!(limited.body.contains("class=\"err\""));
    // The admin route shares the budget.
    let admin = [("authorization", "Bearer guessing-the-admin-token")];
    assert_eq!(s.send("POST", "/v1/packs", &admin, "{}").await.status, 429);
    s.stop().await;
}

/// The test cluster (scripts/test-service.sh) accepts TCP only over TLS, so every PostgreSQL test above ran over
/// a verified TLS connection; this checks that the refusal is real (plain TCP fails with a clear error) and that
/// the service refuses a server certificate its CA file does not vouch for.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_connections_use_tls() {
    let (Some(tls), Some(plain)) = (common::pg_url(), std::env::var("TEST_DATABASE_PLAIN_URL").ok()) else {
        eprintln!("skipped: set TEST_DATABASE_URL and TEST_DATABASE_PLAIN_URL (scripts/test-service.sh does)");
        return;
    };
    assert!(tls.contains("sslmode=verify-full"), "the test cluster's URL verifies the server: {tls}");
    let db = jobguard_monitor::db::Db::open(&tls).await.expect("TLS connection with a verified certificate");
    db.close().await;
    let Err(refused) = jobguard_monitor::db::Db::open(&plain).await else { panic!("plain TCP is refused") };
    assert!(refused.to_string().contains("cannot open the database"), "{refused}");
    // A CA file that did not sign the server's certificate: verification fails, nothing is sent.
    let dir = tempfile::tempdir().unwrap();
    let other_ca = dir.path().join("other-ca.crt");
    let made = std::process::Command::new("openssl")
        .args(["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-days", "1"])
        .args(["-subj", "/CN=not the test CA", "-keyout"])
        .arg(dir.path().join("other-ca.key"))
        .arg("-out")
        .arg(&other_ca)
        .output()
        .expect("openssl runs");
    assert!(made.status.success(), "{}", String::from_utf8_lossy(&made.stderr));
    let mut u = url::Url::parse(&tls).unwrap();
    let query: Vec<(String, String)> = u
        .query_pairs()
        .map(
            |(k, v)| if k == "sslrootcert" { (k.into(), other_ca.display().to_string()) } else { (k.into(), v.into()) },
        )
        .collect();
    u.query_pairs_mut().clear().extend_pairs(query);
    let Err(untrusted) = jobguard_monitor::db::Db::open(u.as_str()).await else {
        panic!("a certificate from another CA is refused")
    };
    assert!(untrusted.to_string().to_lowercase().contains("certificate"), "{untrusted}");
}
