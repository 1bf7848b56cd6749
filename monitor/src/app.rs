//! The service assembled: shared state, settings, the router with its CORS, body-size and tracing layers,
//! health endpoints, background upkeep, and serving with graceful shutdown.

use std::future::{Future, IntoFuture};
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use axum::extract::{DefaultBodyLimit, State};
use axum::http::{HeaderName, HeaderValue, Method, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{middleware, Json, Router};
use serde_json::json;
use tokio::net::TcpListener;
use tower_http::cors::{AllowOrigin, CorsLayer};
use tower_http::limit::RequestBodyLimitLayer;
use tower_http::trace::TraceLayer;

use crate::db::Db;
use crate::packs::PackStore;
use crate::ratelimit::Limiter;
use crate::{api, dashboard};

/// Largest report, feedback or form body accepted.
pub const MAX_BODY: usize = 64 * 1024;

/// Settings that are not about storage or packs.
#[derive(Debug, Clone)]
pub struct Settings {
    /// Bearer token for admin routes (`POST /v1/packs`); `None` switches them off.
    pub admin_token: Option<String>,
    /// Reports and feedback accepted per client address per minute (0: no limit).
    pub reports_per_minute: u32,
    /// Sign-in and admin attempts per client address per minute (0: no limit).
    pub logins_per_minute: u32,
    /// How long a reviewer stays signed in.
    pub session_ttl_secs: i64,
    /// Mark cookies `Secure` (when served over HTTPS).
    pub secure_cookies: bool,
    /// A header set by a trusted load balancer naming the client's address (its last entry is used).
    pub client_ip_header: Option<HeaderName>,
    /// The key that signs the indicator list (its own, never the rule-pack key).
    pub indicator_key: crate::indicators::publish::ListKey,
}

impl Default for Settings {
    fn default() -> Settings {
        Settings {
            admin_token: None,
            reports_per_minute: 30,
            logins_per_minute: 10,
            session_ttl_secs: 8 * 3600,
            secure_cookies: false,
            client_ip_header: None,
            indicator_key: Default::default(),
        }
    }
}

/// What every handler shares.
#[derive(Debug)]
pub struct Inner {
    /// The database.
    pub db: Db,
    /// The pack in service.
    pub packs: PackStore,
    /// Settings.
    pub settings: Settings,
    /// Limit on reports and feedback.
    pub report_limit: Limiter,
    /// Limit on sign-in and admin attempts.
    pub login_limit: Limiter,
    /// The last signed indicator list built.
    pub indicator_cache: crate::indicators::publish::Cache,
}

/// The handlers' state (cheap to clone).
pub type AppState = Arc<Inner>;

/// Builds the state.
pub fn state(db: Db, packs: PackStore, settings: Settings) -> AppState {
    Arc::new(Inner {
        report_limit: Limiter::per_minute(settings.reports_per_minute),
        login_limit: Limiter::per_minute(settings.logins_per_minute),
        indicator_cache: Default::default(),
        db,
        packs,
        settings,
    })
}

/// Browsers may call the API only from extension pages (the report button); other origins get no CORS
/// headers, and their POSTs are refused outright by [`api::extension_origins_only`].
fn cors() -> CorsLayer {
    CorsLayer::new()
        .allow_origin(AllowOrigin::predicate(|origin: &HeaderValue, _| api::is_extension_origin(origin)))
        .allow_methods([Method::GET, Method::POST])
        .allow_headers([axum::http::header::CONTENT_TYPE, axum::http::header::IF_NONE_MATCH])
        .expose_headers([axum::http::header::ETAG, axum::http::header::LOCATION])
        .max_age(Duration::from_secs(3600))
}

/// The router.
pub fn router(state: AppState) -> Router {
    let public_api = Router::new()
        .route("/v1/reports", post(api::post_report))
        .route("/v1/reports/{id}", get(api::get_report))
        .route("/v1/feedback", post(api::post_feedback))
        .route("/v1/packs/latest", get(api::latest_pack))
        .route("/v1/indicators/latest", get(crate::indicators::publish::latest))
        .layer(middleware::from_fn(api::extension_origins_only))
        .layer(RequestBodyLimitLayer::new(MAX_BODY))
        .layer(cors());
    let admin_api = Router::new()
        .route("/v1/packs", post(api::publish_pack))
        .layer(DefaultBodyLimit::max(jobguard::signing::MAX_ENVELOPE_BYTES + 1024));
    let ingest_api = Router::new()
        .route("/v1/ingest", post(crate::ingest::post))
        .layer(DefaultBodyLimit::max(crate::ingest::MAX_INGEST_BODY));
    let dash = Router::new()
        .route("/", get(|| async { Redirect::to("/dashboard") }))
        .route("/dashboard", get(dashboard::cases))
        .route("/dashboard/login", get(dashboard::login_form).post(dashboard::login))
        .route("/dashboard/logout", post(dashboard::logout))
        .route("/dashboard/cases/{id}", get(dashboard::case))
        .route("/dashboard/cases/{id}/status", post(dashboard::set_status))
        .route("/dashboard/feedback", get(dashboard::feedback))
        .route("/dashboard/indicators", get(crate::indicators::pages::list))
        .route("/dashboard/indicators/{id}", get(crate::indicators::pages::one))
        .route("/dashboard/indicators/{id}/status", post(crate::indicators::pages::set_status))
        .route("/dashboard/trends", get(crate::trends::trends))
        .route("/dashboard/clusters", get(crate::clusters::pages::list))
        .route("/dashboard/clusters/{id}", get(crate::clusters::pages::one))
        .route("/dashboard/export.csv", get(dashboard::export_csv))
        .route("/dashboard/export.json", get(dashboard::export_json))
        .layer(RequestBodyLimitLayer::new(MAX_BODY));
    Router::new()
        .merge(public_api)
        .merge(admin_api)
        .merge(ingest_api)
        .merge(dash)
        .route("/healthz", get(|| async { "ok" }))
        .route("/readyz", get(readyz))
        .layer(TraceLayer::new_for_http())
        .with_state(state)
}

/// Ready when the database answers and an unexpired pack is loaded.
async fn readyz(State(st): State<AppState>) -> Response {
    let db_ok = st.db.ping().await.is_ok();
    let current = st.packs.current();
    let pack = current.as_ref().map(|p| p.header.version);
    let expired = current.as_ref().is_some_and(|p| p.header.expires <= crate::clock::now());
    let body =
        Json(json!({ "database": if db_ok { "ok" } else { "down" }, "pack_version": pack, "pack_expired": expired }));
    let code = if db_ok && pack.is_some() && !expired { StatusCode::OK } else { StatusCode::SERVICE_UNAVAILABLE };
    (code, body).into_response()
}

/// Periodic upkeep: forget recovered rate-limit entries; pick up packs published through other instances.
fn spawn_upkeep(state: &AppState) -> tokio::task::JoinHandle<()> {
    let weak = Arc::downgrade(state);
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(Duration::from_secs(30));
        tick.tick().await;
        loop {
            tick.tick().await;
            let Some(st) = weak.upgrade() else { break };
            st.report_limit.sweep();
            st.login_limit.sweep();
            if st.packs.refresh(&st.db).await {
                tracing::info!("picked up a newer published pack");
            }
        }
    })
}

/// How long requests in flight may take to finish after a shutdown signal.
pub const SHUTDOWN_GRACE: Duration = Duration::from_secs(30);

/// Serves on `listener` until `shutdown` completes, then stops accepting connections, lets in-flight
/// requests finish (each report is committed before its 201 is sent) for up to [`SHUTDOWN_GRACE`], and
/// closes the database.
pub async fn serve(
    listener: TcpListener,
    state: AppState,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let upkeep = spawn_upkeep(&state);
    let app = router(state.clone());
    let (tx, mut rx) = tokio::sync::watch::channel(false);
    let signal = async move {
        shutdown.await;
        let _ = tx.send(true);
    };
    let server = axum::serve(listener, app.into_make_service_with_connect_info::<SocketAddr>())
        .with_graceful_shutdown(signal)
        .into_future();
    // A client that keeps a request open must not keep the process alive for ever.
    let deadline = async move {
        let _ = rx.wait_for(|stopping| *stopping).await;
        tokio::time::sleep(SHUTDOWN_GRACE).await;
    };
    let result = tokio::select! {
        r = server => r,
        _ = deadline => {
            tracing::warn!("requests still running {} s after the shutdown signal: stopping anyway", SHUTDOWN_GRACE.as_secs());
            Ok(())
        }
    };
    upkeep.abort();
    if tokio::time::timeout(Duration::from_secs(5), state.db.close()).await.is_err() {
        tracing::warn!("database connections still in use after 5 s: exiting without waiting");
    }
    result
}

/// A future that completes on SIGINT or SIGTERM. The handlers are installed when this is called (not when
/// the future is first polled), so a signal that arrives right after start-up is not lost.
#[cfg(unix)]
pub fn shutdown_signal() -> std::io::Result<impl Future<Output = ()> + Send + 'static> {
    use tokio::signal::unix::{signal, SignalKind};
    let mut term = signal(SignalKind::terminate())?;
    let mut int = signal(SignalKind::interrupt())?;
    Ok(async move {
        tokio::select! {
            _ = term.recv() => {},
            _ = int.recv() => {},
        }
        tracing::info!("shutting down: finishing requests in flight");
    })
}

/// A future that completes on Ctrl-C.
#[cfg(not(unix))]
pub fn shutdown_signal() -> std::io::Result<impl Future<Output = ()> + Send + 'static> {
    Ok(async {
        let _ = tokio::signal::ctrl_c().await;
        tracing::info!("shutting down: finishing requests in flight");
    })
}
