//! `jobguard-monitor`: serves the monitoring service, or runs a subcommand (`add-reviewer`).

use std::io::{BufRead, IsTerminal, Write};
use std::process::ExitCode;

use clap::Parser;
use jobguard_monitor::app;
use jobguard_monitor::config::{Cli, Command, LogFormat};
use jobguard_monitor::db::Db;
use jobguard_monitor::packs::PackStore;
use tracing_subscriber::EnvFilter;

fn init_logs(format: LogFormat) {
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info,sqlx=warn"));
    // Logs go to stderr: stdout's first line is the address, for scripts and tests to read.
    let ansi = std::io::stderr().is_terminal();
    let b = tracing_subscriber::fmt().with_env_filter(filter).with_writer(std::io::stderr).with_ansi(ansi);
    match format {
        LogFormat::Text => b.init(),
        LogFormat::Json => b.json().init(),
    }
}

fn read_password(name: &str) -> Result<String, String> {
    if let Ok(p) = std::env::var("JOBGUARD_REVIEWER_PASSWORD") {
        return Ok(p);
    }
    if std::io::stdin().is_terminal() {
        // Typed at a terminal: not echoed.
        return rpassword::prompt_password(format!("password for {name}: "))
            .map_err(|e| format!("cannot read the password: {e}"));
    }
    let mut line = String::new();
    std::io::stdin().lock().read_line(&mut line).map_err(|e| format!("cannot read the password: {e}"))?;
    Ok(line.trim_end_matches(['\n', '\r']).to_string())
}

async fn run(cli: Cli) -> Result<(), String> {
    let db = Db::open(&cli.database).await.map_err(|e| e.to_string())?;
    if let Some(Command::AddReviewer { name, replace }) = &cli.command {
        let password = read_password(name)?;
        jobguard_monitor::auth::add_reviewer(&db, name, &password, *replace, jobguard_monitor::clock::now())
            .await
            .map_err(|e| e.to_string())?;
        db.close().await;
        println!("reviewer {name} can now sign in at /dashboard");
        return Ok(());
    }
    let settings = cli.settings().map_err(|e| e.to_string())?;
    let packs = PackStore::load(cli.pack_config().map_err(|e| e.to_string())?, cli.packs.as_deref(), &db).await;
    if let Some(Command::Ingest { file }) = &cli.command {
        return ingest(&db, &packs, file.as_deref()).await;
    }
    let shutdown = app::shutdown_signal().map_err(|e| format!("cannot listen for signals: {e}"))?;
    let listener = tokio::net::TcpListener::bind(&cli.listen)
        .await
        .map_err(|e| format!("cannot listen on {}: {e}", cli.listen))?;
    let addr = listener.local_addr().map_err(|e| e.to_string())?;
    println!("listening on http://{addr}");
    let _ = std::io::stdout().flush();
    tracing::info!(%addr, database = %redact(&cli.database), "jobguard-monitor started");
    let state = app::state(db, packs, settings);
    app::serve(listener, state, shutdown).await.map_err(|e| e.to_string())?;
    tracing::info!("stopped");
    Ok(())
}

/// `jobguard-monitor ingest`: malformed lines on stderr with their numbers, the summary as JSON on stdout.
async fn ingest(db: &Db, packs: &PackStore, file: Option<&std::path::Path>) -> Result<(), String> {
    let served = packs.current().ok_or("no pack is available to scan with")?;
    let classifier = served.classifier.clone().ok_or("the served pack does not compile")?;
    let started = std::time::Instant::now();
    let now = jobguard_monitor::clock::now();
    let sum = match file.filter(|p| p.as_os_str() != "-") {
        Some(p) => {
            let f = std::fs::File::open(p).map_err(|e| format!("cannot open {}: {e}", p.display()))?;
            jobguard_monitor::ingest::ingest_reader(db, &classifier, std::io::BufReader::new(f), now).await
        }
        None => jobguard_monitor::ingest::ingest_reader(db, &classifier, std::io::stdin().lock(), now).await,
    }
    .map_err(|e| e.to_string())?;
    db.close().await;
    for b in &sum.malformed {
        eprintln!("line {}: {}", b.line, b.error);
    }
    let secs = started.elapsed().as_secs_f64();
    let mut out = serde_json::to_value(&sum).map_err(|e| e.to_string())?;
    out["seconds"] = serde_json::json!((secs * 1000.0).round() / 1000.0);
    out["postings_per_second"] = serde_json::json!((sum.read as f64 / secs.max(1e-9)).round());
    if let Some(o) = out.as_object_mut() {
        o.remove("malformed");
    }
    println!("{out}");
    Ok(())
}

/// The database URL without its password, for logs.
fn redact(url: &str) -> String {
    match url::Url::parse(url) {
        Ok(mut u) if u.password().is_some() => {
            let _ = u.set_password(Some("***"));
            u.to_string()
        }
        _ => url.to_string(),
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    init_logs(cli.log_format);
    let rt = match tokio::runtime::Runtime::new() {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("jobguard-monitor: cannot start the runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    match rt.block_on(run(cli)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("jobguard-monitor: {e}");
            ExitCode::FAILURE
        }
    }
}
