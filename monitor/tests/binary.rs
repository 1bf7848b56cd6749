//! The `jobguard-monitor` binary as a process: `--listen 127.0.0.1:0` prints the address first, the SQLite file
//! is created, `add-reviewer` creates an account that can sign in, and SIGTERM stops it cleanly with every
//! acknowledged report on disk.

use std::io::{BufRead, BufReader, Write};
use std::process::{Child, Command, Stdio};

use http_body_util::{BodyExt, Full};
use hyper::body::Bytes;
use hyper_util::client::legacy::Client;
use hyper_util::rt::TokioExecutor;

const BIN: &str = env!("CARGO_BIN_EXE_jobguard-monitor");

fn spawn(db: &str) -> (Child, String) {
    let mut child = Command::new(BIN)
        .args(["--listen", "127.0.0.1:0", "--database", db])
        .env_remove("DATABASE_URL")
        .env_remove("JOBGUARD_ADMIN_TOKEN")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap()).read_line(&mut line).unwrap();
    let base = line.trim().strip_prefix("listening on ").unwrap_or_else(|| panic!("first line: {line:?}")).to_string();
    assert!(base.starts_with("http://127.0.0.1:"), "{base}");
    (child, base)
}

async fn request(method: &str, url: &str, body: &str) -> (u16, String) {
    let client = Client::builder(TokioExecutor::new()).build_http::<Full<Bytes>>();
    let req = hyper::Request::builder()
        .method(method)
        .uri(url)
        .header("content-type", "application/json")
        .body(Full::new(Bytes::from(body.to_string())))
        .unwrap();
    let resp = client.request(req).await.unwrap();
    let status = resp.status().as_u16();
    let body = resp.into_body().collect().await.unwrap().to_bytes();
    (status, String::from_utf8_lossy(&body).into_owned())
}

fn add_reviewer(db: &str, name: &str, password_stdin: Option<&str>, password_env: Option<&str>) -> (bool, String) {
    let mut cmd = Command::new(BIN);
    cmd.args(["add-reviewer", name, "--database", db]).env_remove("JOBGUARD_REVIEWER_PASSWORD");
    if let Some(p) = password_env {
        cmd.env("JOBGUARD_REVIEWER_PASSWORD", p);
    }
    let mut child = cmd.stdin(Stdio::piped()).stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().unwrap();
    if let Some(p) = password_stdin {
        writeln!(child.stdin.take().unwrap(), "{p}").unwrap();
    } else {
        drop(child.stdin.take());
    }
    let out = child.wait_with_output().unwrap();
    let text = String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr);
    (out.status.success(), text)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn starts_reports_and_stops_on_sigterm() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("fresh.db");
    let db = format!("sqlite://{}", file.display());
    let (mut child, base) = spawn(&db);
    assert!(file.exists(), "the SQLite file is created");
    assert_eq!(request("GET", &format!("{base}/healthz"), "").await, (200, "ok".into()));

    let mut ids = Vec::new();
    for i in 0..5 {
        let body = serde_json::json!({
            "url": format!("https://proc.example/job/{i}"), "title": "t", "rules": [], "score": 50, "level": "caution",
            "pack_version": 1, "extension_version": "0.1.0", "lang": "en", "idempotency_key": format!("proc-key-{i:04}")
        });
        let (status, body) = request("POST", &format!("{base}/v1/reports"), &body.to_string()).await;
        assert_eq!(status, 201, "{body}");
        ids.push(serde_json::from_str::<serde_json::Value>(&body).unwrap()["id"].as_str().unwrap().to_string());
    }

    let kill = Command::new("kill").args(["-TERM", &child.id().to_string()]).status().unwrap();
    assert!(kill.success());
    let status = child.wait().unwrap();
    assert!(status.success(), "exits cleanly on SIGTERM: {status:?}");

    // Every acknowledged report is in the file, read by a fresh connection.
    let db2 = jobguard_monitor::db::Db::open(&db).await.unwrap();
    for id in &ids {
        let st = jobguard_monitor::reports::status(&db2, id).await.unwrap();
        assert!(st.is_some(), "{id} is stored");
    }
    db2.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn add_reviewer_subcommand() {
    let dir = tempfile::tempdir().unwrap();
    let db = format!("sqlite://{}", dir.path().join("r.db").display());
    let (ok, out) = add_reviewer(&db, "kim", Some("a password from stdin"), None);
    assert!(ok, "{out}");
    assert!(out.contains("reviewer kim can now sign in"));
    let (ok, out) = add_reviewer(&db, "kim", Some("another password here"), None);
    assert!(!ok);
    assert!(out.contains("already exists"), "{out}");
    let (ok, out) = add_reviewer(&db, "lee", None, Some("short"));
    assert!(!ok);
    assert!(out.contains("at least 10"), "{out}");
    let (ok, out) = add_reviewer(&db, "bad name!", None, Some("long enough password"));
    assert!(!ok);
    assert!(out.contains("reviewer name"), "{out}");
    let (ok, _) = add_reviewer(&db, "lee", None, Some("long enough password"));
    assert!(ok);

    let d = jobguard_monitor::db::Db::open(&db).await.unwrap();
    assert!(jobguard_monitor::auth::check_login(&d, "kim", "a password from stdin").await.unwrap().is_some());
    assert!(jobguard_monitor::auth::check_login(&d, "lee", "long enough password").await.unwrap().is_some());
    assert!(jobguard_monitor::auth::check_login(&d, "kim", "long enough password").await.unwrap().is_none());
    d.close().await;
}

#[test]
fn bad_settings_are_refused_with_a_message() {
    let out = Command::new(BIN).args(["--database", "mysql://x/y", "--listen", "127.0.0.1:0"]).output().unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("unsupported database URL"));
    let dir = tempfile::tempdir().unwrap();
    let db = format!("sqlite://{}", dir.path().join("x.db").display());
    let out = Command::new(BIN)
        .args(["--database", &db, "--listen", "127.0.0.1:0", "--admin-token", "short"])
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("at least 16"));
    let out = Command::new(BIN)
        .args(["--database", &db, "--listen", "127.0.0.1:0", "--signing-key", "/nonexistent/key"])
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("/nonexistent/key"));
}

#[test]
fn json_logs_are_one_object_per_line() {
    let dir = tempfile::tempdir().unwrap();
    let db = format!("sqlite://{}", dir.path().join("logs.db").display());
    let mut child = Command::new(BIN)
        .args(["--listen", "127.0.0.1:0", "--database", &db, "--log-format", "json"])
        .env("RUST_LOG", "info")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap()).read_line(&mut line).unwrap();
    assert!(line.starts_with("listening on http://127.0.0.1:"));
    assert!(Command::new("kill").args(["-TERM", &child.id().to_string()]).status().unwrap().success());
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success());
    let logs = String::from_utf8(out.stderr).unwrap();
    let lines: Vec<serde_json::Value> =
        logs.lines().map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}"))).collect();
    assert!(lines.iter().any(|l| l["fields"]["message"] == "jobguard-monitor started" && l["level"] == "INFO"));
    assert!(lines.iter().any(|l| l["fields"]["message"] == "stopped"));
}
