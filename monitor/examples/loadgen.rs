//! Load generator for `jobguard-monitor` (used by `monitor/bench/loadtest.sh`), loopback only.
//!
//! `loadgen run --url http://127.0.0.1:PORT [--concurrency 32] [--seconds 20] [--max-requests N]
//!  [--postings 2000] [--acked FILE]` sends valid reports (unique idempotency keys; `--postings` distinct
//! URLs, so cases collect many reports) from keep-alive connections for a bounded time and count, and prints
//! reports/s and latency percentiles. Each acknowledged (201) report id is appended to FILE as it arrives.
//!
//! `loadgen verify --database URL --acked FILE` checks that every acknowledged report is in the database.

use std::io::Write;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use http_body_util::{BodyExt, Full};
use hyper::body::Bytes;
use hyper_util::client::legacy::Client;
use hyper_util::rt::TokioExecutor;

struct Args {
    url: String,
    concurrency: usize,
    seconds: u64,
    max_requests: u64,
    postings: u64,
    acked: Option<String>,
    database: Option<String>,
}

fn parse(mut it: impl Iterator<Item = String>) -> Result<Args, String> {
    let mut a = Args {
        url: String::new(),
        concurrency: 32,
        seconds: 20,
        max_requests: 1_000_000,
        postings: 2000,
        acked: None,
        database: None,
    };
    while let Some(flag) = it.next() {
        let mut val = || it.next().ok_or(format!("{flag} needs a value"));
        match flag.as_str() {
            "--url" => a.url = val()?,
            "--concurrency" => a.concurrency = val()?.parse().map_err(|e| format!("--concurrency: {e}"))?,
            "--seconds" => a.seconds = val()?.parse().map_err(|e| format!("--seconds: {e}"))?,
            "--max-requests" => a.max_requests = val()?.parse().map_err(|e| format!("--max-requests: {e}"))?,
            "--postings" => a.postings = val()?.parse().map_err(|e| format!("--postings: {e}"))?,
            "--acked" => a.acked = Some(val()?),
            "--database" => a.database = Some(val()?),
            other => return Err(format!("unknown argument {other}")),
        }
    }
    // Bounded by design: loopback only, at most 10 minutes.
    a.seconds = a.seconds.min(600);
    a.concurrency = a.concurrency.clamp(1, 512);
    a.postings = a.postings.max(1);
    Ok(a)
}

fn is_loopback(url: &str) -> bool {
    url::Url::parse(url)
        .ok()
        .and_then(|u| u.host_str().map(str::to_string))
        .is_some_and(|h| h == "localhost" || h.starts_with("127.") || h == "[::1]")
}

fn percentile(sorted: &[u64], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i] as f64 / 1000.0
}

async fn run(a: Args) -> Result<(), String> {
    if !is_loopback(&a.url) {
        return Err("--url must be a loopback address (127.0.0.1, localhost, [::1])".into());
    }
    let client =
        Client::builder(TokioExecutor::new()).pool_max_idle_per_host(a.concurrency).build_http::<Full<Bytes>>();
    let run_id = jobguard_monitor::token::random_hex(4);
    let sent = Arc::new(AtomicU64::new(0));
    let stop = Arc::new(AtomicBool::new(false));
    let latencies = Arc::new(Mutex::new(Vec::<u64>::new()));
    let errors = Arc::new(Mutex::new(std::collections::BTreeMap::<String, u64>::new()));
    let acked = match &a.acked {
        Some(p) => Some(Arc::new(Mutex::new(
            std::fs::OpenOptions::new().create(true).append(true).open(p).map_err(|e| format!("{p}: {e}"))?,
        ))),
        None => None,
    };
    let deadline = Instant::now() + Duration::from_secs(a.seconds);
    let started = Instant::now();
    let mut workers = Vec::new();
    for w in 0..a.concurrency {
        let (client, sent, stop, latencies, errors, acked) =
            (client.clone(), sent.clone(), stop.clone(), latencies.clone(), errors.clone(), acked.clone());
        let (url, run_id, postings, max) =
            (format!("{}/v1/reports", a.url), run_id.clone(), a.postings, a.max_requests);
        workers.push(tokio::spawn(async move {
            let mut mine = Vec::new();
            loop {
                let n = sent.fetch_add(1, Ordering::Relaxed);
                if n >= max || Instant::now() >= deadline || stop.load(Ordering::Relaxed) {
                    break;
                }
                let body = serde_json::json!({
                    "url": format!("https://load{}.example/jobs/{}?utm_source=bench", n % 17, n % postings),
                    "title": "월 1000만원 숙식 제공 해외 취업", "rules": ["ko.pay.high", "ko.travel.flight_paid"],
                    "score": 40 + (n % 60), "level": "danger", "pack_version": 1, "extension_version": "0.1.0",
                    "lang": "ko", "country": "KR", "excerpt": null, "comment": null,
                    "idempotency_key": format!("bench-{run_id}-{w}-{n}"),
                });
                let req = hyper::Request::post(&url)
                    .header("content-type", "application/json")
                    .body(Full::new(Bytes::from(body.to_string())))
                    .map_err(|e| e.to_string());
                let t0 = Instant::now();
                let outcome = match req {
                    Ok(req) => match client.request(req).await {
                        Ok(resp) => {
                            let status = resp.status().as_u16();
                            let bytes = resp.into_body().collect().await.map(|b| b.to_bytes());
                            match (status, bytes) {
                                (201, Ok(b)) => Ok(b),
                                (s, _) => Err(format!("HTTP {s}")),
                            }
                        }
                        Err(e) => {
                            Err(if e.is_connect() { "connection refused".into() } else { "connection error".into() })
                        }
                    },
                    Err(e) => Err(e),
                };
                match outcome {
                    Ok(b) => {
                        mine.push(t0.elapsed().as_micros() as u64);
                        if let Some(f) = &acked {
                            let id = serde_json::from_slice::<serde_json::Value>(&b)
                                .ok()
                                .and_then(|v| v["id"].as_str().map(str::to_string))
                                .unwrap_or_default();
                            let mut f = f.lock().unwrap_or_else(|p| p.into_inner());
                            // Written and flushed at once: the file must list every 201 even if we are stopped.
                            let _ = writeln!(f, "{id}");
                            let _ = f.flush();
                        }
                    }
                    Err(e) => {
                        *errors.lock().unwrap_or_else(|p| p.into_inner()).entry(e.clone()).or_insert(0) += 1;
                        if e == "connection refused" {
                            // The service is gone (the kill test): no point hammering a closed port.
                            stop.store(true, Ordering::Relaxed);
                        }
                    }
                }
            }
            latencies.lock().unwrap_or_else(|p| p.into_inner()).extend(mine);
        }));
    }
    for w in workers {
        let _ = w.await;
    }
    let elapsed = started.elapsed().as_secs_f64();
    let mut lat = std::mem::take(&mut *latencies.lock().unwrap_or_else(|p| p.into_inner()));
    lat.sort_unstable();
    let ok = lat.len();
    println!("concurrency {}  duration {elapsed:.1} s  acknowledged (201) {ok}", a.concurrency);
    println!("reports/s {:.0}", ok as f64 / elapsed);
    println!(
        "latency ms  p50 {:.2}  p90 {:.2}  p99 {:.2}  max {:.2}",
        percentile(&lat, 0.50),
        percentile(&lat, 0.90),
        percentile(&lat, 0.99),
        percentile(&lat, 1.0)
    );
    for (e, n) in errors.lock().unwrap_or_else(|p| p.into_inner()).iter() {
        println!("errors: {e} x{n}");
    }
    Ok(())
}

async fn verify(a: Args) -> Result<(), String> {
    let url = a.database.ok_or("--database is required")?;
    let path = a.acked.ok_or("--acked is required")?;
    let text = std::fs::read_to_string(&path).map_err(|e| format!("{path}: {e}"))?;
    let ids: Vec<&str> = text.lines().filter(|l| !l.is_empty()).collect();
    let db = jobguard_monitor::db::Db::open(&url).await.map_err(|e| e.to_string())?;
    let stored: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM reports").fetch_one(&db.read).await.map_err(|e| e.to_string())?;
    let mut missing = Vec::new();
    for id in &ids {
        let found = jobguard_monitor::reports::status(&db, id).await.map_err(|e| e.to_string())?;
        if found.is_none() {
            missing.push(*id);
        }
    }
    db.close().await;
    println!(
        "acknowledged {}  in database {}  acknowledged but missing {}  stored but not acknowledged (in flight at the kill) {}",
        ids.len(),
        stored,
        missing.len(),
        stored - (ids.len() - missing.len()) as i64
    );
    if missing.is_empty() {
        Ok(())
    } else {
        Err(format!("missing acknowledged reports: {}", missing.iter().take(10).cloned().collect::<Vec<_>>().join(" ")))
    }
}

fn main() -> std::process::ExitCode {
    let mut argv = std::env::args().skip(1);
    let cmd = argv.next().unwrap_or_default();
    let result = parse(argv).and_then(|a| {
        let rt = tokio::runtime::Runtime::new().map_err(|e| e.to_string())?;
        match cmd.as_str() {
            "run" => rt.block_on(run(a)),
            "verify" => rt.block_on(verify(a)),
            _ => Err("usage: loadgen run --url URL [...] | loadgen verify --database URL --acked FILE".into()),
        }
    });
    match result {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("loadgen: {e}");
            std::process::ExitCode::FAILURE
        }
    }
}
