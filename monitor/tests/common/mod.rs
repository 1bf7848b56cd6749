//! Test harness: starts the real service in-process on 127.0.0.1 (a free port) over a fresh SQLite file or
//! a fresh PostgreSQL database (when `TEST_DATABASE_URL` names a server), and a small HTTP client.

#![allow(dead_code)]

use std::path::Path;

use http_body_util::{BodyExt, Full};
use hyper::body::Bytes;
use hyper_util::client::legacy::Client;
use hyper_util::rt::TokioExecutor;
use jobguard_monitor::app::{self, AppState, Settings};
use jobguard_monitor::config::dev_pack_config;
use jobguard_monitor::db::Db;
use jobguard_monitor::packs::PackStore;
use sqlx::Connection;
use tokio::sync::oneshot;

/// Which database a test runs against.
#[derive(Debug, Clone)]
pub enum Backend {
    /// A new SQLite file.
    Sqlite,
    /// A new database on this PostgreSQL server (admin URL).
    Postgres(String),
}

/// The PostgreSQL server for tests, if any.
pub fn pg_url() -> Option<String> {
    std::env::var("TEST_DATABASE_URL").ok().filter(|s| !s.is_empty())
}

/// Runs `$test(backend)` once on SQLite and once on PostgreSQL (when configured).
#[macro_export]
macro_rules! both_backends {
    ($($name:ident),* $(,)?) => { $(
        mod $name {
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn sqlite() {
                super::$name(super::common::Backend::Sqlite).await
            }
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn postgres() {
                match super::common::pg_url() {
                    Some(url) => super::$name(super::common::Backend::Postgres(url)).await,
                    None => eprintln!("skipped: set TEST_DATABASE_URL to run against PostgreSQL"),
                }
            }
        }
    )* };
}

/// A database for one test: its URL (and the temp dir keeping a SQLite file alive).
pub struct TestDb {
    /// URL to open.
    pub url: String,
    _dir: Option<tempfile::TempDir>,
}

/// Makes a fresh, empty database.
pub async fn fresh_db(backend: &Backend) -> TestDb {
    match backend {
        Backend::Sqlite => {
            let dir = tempfile::tempdir().unwrap();
            let url = format!("sqlite://{}", dir.path().join("monitor.db").display());
            TestDb { url, _dir: Some(dir) }
        }
        Backend::Postgres(admin) => {
            sqlx::any::install_default_drivers();
            let name = format!("jg_test_{}", jobguard_monitor::token::random_hex(6));
            let mut c = sqlx::AnyConnection::connect(admin).await.expect("connect to TEST_DATABASE_URL");
            sqlx::query(&format!("CREATE DATABASE {name}")).execute(&mut c).await.unwrap();
            c.close().await.unwrap();
            let mut u = url::Url::parse(admin).unwrap();
            u.set_path(&format!("/{name}"));
            TestDb { url: u.to_string(), _dir: None }
        }
    }
}

/// A running service.
pub struct Server {
    /// `http://127.0.0.1:PORT`.
    pub base: String,
    /// Its state (to reach the database and packs directly).
    pub state: AppState,
    stop: Option<oneshot::Sender<()>>,
    task: Option<tokio::task::JoinHandle<std::io::Result<()>>>,
    client: Client<hyper_util::client::legacy::connect::HttpConnector, Full<Bytes>>,
}

/// Settings for tests: an admin token, generous limits.
pub fn settings() -> Settings {
    Settings {
        admin_token: Some("test-admin-token-0123456789".into()),
        reports_per_minute: 10_000,
        logins_per_minute: 10_000,
        ..Settings::default()
    }
}

/// Starts the service over `db` with `settings`, serving packs from `packs_dir` too.
pub async fn start_with(db: &TestDb, settings: Settings, packs_dir: Option<&Path>) -> Server {
    let database = Db::open(&db.url).await.expect("open database");
    let packs = PackStore::load(dev_pack_config(), packs_dir, &database).await;
    let state = app::state(database, packs, settings);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let (tx, rx) = oneshot::channel::<()>();
    let task = tokio::spawn(app::serve(listener, state.clone(), async move {
        let _ = rx.await;
    }));
    let client = Client::builder(TokioExecutor::new()).build_http();
    Server { base, state, stop: Some(tx), task: Some(task), client }
}

/// Starts the service on a fresh database.
pub async fn start(backend: &Backend, settings: Settings) -> (Server, TestDb) {
    let db = fresh_db(backend).await;
    let s = start_with(&db, settings, None).await;
    (s, db)
}

/// A response, read whole.
#[derive(Debug)]
pub struct Resp {
    /// Status code.
    pub status: u16,
    /// Headers.
    pub headers: hyper::HeaderMap,
    /// Body as text.
    pub body: String,
}

impl Resp {
    /// The body as JSON.
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.body))
    }

    /// A header's value.
    pub fn header(&self, name: &str) -> Option<String> {
        self.headers.get(name).map(|v| v.to_str().unwrap().to_string())
    }

    /// Every `Set-Cookie` value's `name=value` part.
    pub fn cookies(&self) -> Vec<String> {
        self.headers
            .get_all("set-cookie")
            .iter()
            .map(|v| v.to_str().unwrap().split(';').next().unwrap().to_string())
            .collect()
    }
}

impl Server {
    /// Sends a request.
    pub async fn send(&self, method: &str, path: &str, headers: &[(&str, &str)], body: impl Into<Bytes>) -> Resp {
        let mut b = hyper::Request::builder().method(method).uri(format!("{}{}", self.base, path));
        for (k, v) in headers {
            b = b.header(*k, *v);
        }
        let resp = self.client.request(b.body(Full::new(body.into())).unwrap()).await.expect("request");
        let status = resp.status().as_u16();
        let headers = resp.headers().clone();
        let body = resp.into_body().collect().await.unwrap().to_bytes();
        Resp { status, headers, body: String::from_utf8_lossy(&body).into_owned() }
    }

    /// GET.
    pub async fn get(&self, path: &str, headers: &[(&str, &str)]) -> Resp {
        self.send("GET", path, headers, Bytes::new()).await
    }

    /// POST JSON.
    pub async fn post_json(&self, path: &str, body: &serde_json::Value) -> Resp {
        self.send("POST", path, &[("content-type", "application/json")], body.to_string()).await
    }

    /// POST a form with a cookie.
    pub async fn post_form(&self, path: &str, cookie: &str, form: &[(&str, &str)]) -> Resp {
        let body = url::form_urlencoded::Serializer::new(String::new()).extend_pairs(form).finish();
        let headers = [("content-type", "application/x-www-form-urlencoded"), ("cookie", cookie)];
        self.send("POST", path, &headers, body).await
    }

    /// Creates a reviewer and signs in through the form; returns the session cookie (`jg_session=...`).
    pub async fn sign_in(&self, name: &str, password: &str) -> String {
        jobguard_monitor::auth::add_reviewer(&self.state.db, name, password, true, jobguard_monitor::clock::now())
            .await
            .unwrap();
        let form = self.get("/dashboard/login", &[]).await;
        assert_eq!(form.status, 200);
        let csrf = hidden(&form.body, "csrf");
        let login_cookie = form.cookies().into_iter().find(|c| c.starts_with("jg_login=")).unwrap();
        let r = self
            .post_form("/dashboard/login", &login_cookie, &[("name", name), ("password", password), ("csrf", &csrf)])
            .await;
        assert_eq!(r.status, 303, "{}", r.body);
        r.cookies().into_iter().find(|c| c.starts_with("jg_session=") && c.len() > 12).expect("session cookie")
    }

    /// Stops the service gracefully and waits for it.
    pub async fn stop(mut self) {
        if let Some(tx) = self.stop.take() {
            let _ = tx.send(());
        }
        if let Some(t) = self.task.take() {
            t.await.unwrap().unwrap();
        }
    }
}

/// The value of the hidden input `name` in an HTML page.
pub fn hidden(html: &str, name: &str) -> String {
    let marker = format!("name=\"{name}\" value=\"");
    let start = html.find(&marker).unwrap_or_else(|| panic!("no hidden {name} in {html}")) + marker.len();
    html[start..].split('"').next().unwrap().to_string()
}

/// A valid report; `n` varies the idempotency key.
pub fn report(url: &str, key: &str) -> serde_json::Value {
    serde_json::json!({
        "url": url, "title": "월 1000만원 고수익 해외 취업", "rules": ["ko.travel.flight_paid", "ko.pay.high"],
        "score": 78, "level": "danger", "pack_version": 3, "extension_version": "0.1.0", "lang": "ko",
        "country": "KR", "excerpt": null, "comment": null, "idempotency_key": key
    })
}
