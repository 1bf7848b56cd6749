//! The JSON API: reports and feedback in (validated, rate-limited, extension origins only), report status
//! look-up, the signed pack out with `ETag`, and admin publishing of packs.

use std::net::SocketAddr;

use axum::body::Bytes;
use axum::extract::{ConnectInfo, Path, Request, State};
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::Json;
use jobguard::signing::VerifyError;
use serde_json::json;

use crate::app::AppState;
use crate::clock::now;
use crate::error::ApiError;
use crate::packs::PublishError;
use crate::ratelimit::client_ip;
use crate::token::secret_eq;
use crate::{reports, validate};

/// True for `chrome-extension://...` and `moz-extension://...` origins.
pub fn is_extension_origin(origin: &HeaderValue) -> bool {
    let o = origin.as_bytes();
    o.starts_with(b"chrome-extension://") || o.starts_with(b"moz-extension://")
}

/// Refuses writes sent by browsers from web pages: a POST whose `Origin` is not an extension's. Requests
/// without `Origin` (non-browser clients) pass.
pub async fn extension_origins_only(req: Request, next: Next) -> Response {
    if req.method() == Method::POST {
        if let Some(origin) = req.headers().get(header::ORIGIN) {
            if !is_extension_origin(origin) {
                return ApiError::Forbidden("reports are accepted only from the JobGuard extension").into_response();
            }
        }
    }
    next.run(req).await
}

fn require_json(headers: &HeaderMap) -> Result<(), ApiError> {
    let ct = headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or("");
    // Requiring JSON also forces browsers to send a CORS preflight, which non-extension origins fail.
    if ct.split(';').next().is_some_and(|m| m.trim().eq_ignore_ascii_case("application/json")) {
        Ok(())
    } else {
        Err(ApiError::ContentType)
    }
}

fn rate_limit(st: &AppState, peer: SocketAddr, headers: &HeaderMap) -> Result<(), ApiError> {
    let ip = client_ip(peer, headers, st.settings.client_ip_header.as_ref());
    st.report_limit.check(ip).map_err(ApiError::RateLimited)
}

/// `POST /v1/reports`: 201 with the receipt once committed; 200 with the same receipt for a retry.
pub async fn post_report(
    State(st): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, ApiError> {
    rate_limit(&st, peer, &headers)?;
    require_json(&headers)?;
    let report = validate::report(&body)?;
    let receipt = reports::store(&st.db, &report, now()).await?;
    tracing::debug!(id = %receipt.id, case = receipt.case_id, created = receipt.created, "report");
    let code = if receipt.created { StatusCode::CREATED } else { StatusCode::OK };
    let location = HeaderValue::from_str(&receipt.status_url).ok();
    let mut resp = (code, Json(&receipt)).into_response();
    if let Some(l) = location {
        resp.headers_mut().insert(header::LOCATION, l);
    }
    Ok(resp)
}

/// `GET /v1/reports/{id}`: what became of a report.
pub async fn get_report(State(st): State<AppState>, Path(id): Path<String>) -> Result<Response, ApiError> {
    let plausible = id.len() == 26 && id.starts_with("r_") && id[2..].bytes().all(|b| b.is_ascii_hexdigit());
    if !plausible {
        return Err(ApiError::NotFound("report"));
    }
    let status = reports::status(&st.db, &id).await?.ok_or(ApiError::NotFound("report"))?;
    let mut resp = Json(status).into_response();
    resp.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    Ok(resp)
}

/// `POST /v1/feedback`: "not a scam" on a verdict, counted per rule.
pub async fn post_feedback(
    State(st): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, ApiError> {
    rate_limit(&st, peer, &headers)?;
    require_json(&headers)?;
    let fb = validate::feedback(&body)?;
    let (id, created) = reports::store_feedback(&st.db, &fb, now()).await?;
    let code = if created { StatusCode::CREATED } else { StatusCode::OK };
    Ok((code, Json(json!({ "id": id, "counted": fb.rules }))).into_response())
}

fn etag_matches(headers: &HeaderMap, etag: &str) -> bool {
    headers
        .get_all(header::IF_NONE_MATCH)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .map(|t| t.trim().trim_start_matches("W/"))
        .any(|t| t == etag || t == "*")
}

/// `GET /v1/packs/latest`: the signed envelope, `ETag`, `Cache-Control`; 304 when the client has it.
pub async fn latest_pack(State(st): State<AppState>, headers: HeaderMap) -> Result<Response, ApiError> {
    let Some(p) = st.packs.current() else {
        let body = Json(json!({ "error": "no pack is available yet" }));
        return Ok((StatusCode::SERVICE_UNAVAILABLE, body).into_response());
    };
    let etag = HeaderValue::from_str(&p.etag).map_err(|e| ApiError::Internal(e.to_string()))?;
    let cache = HeaderValue::from_static("public, max-age=300, must-revalidate");
    if etag_matches(&headers, &p.etag) {
        return Ok((StatusCode::NOT_MODIFIED, [(header::ETAG, etag), (header::CACHE_CONTROL, cache)]).into_response());
    }
    let version = HeaderValue::from(p.header.version);
    Ok((
        [
            (header::CONTENT_TYPE, HeaderValue::from_static("application/json")),
            (header::ETAG, etag),
            (header::CACHE_CONTROL, cache),
            (header::HeaderName::from_static("x-pack-version"), version),
        ],
        p.envelope.clone(),
    )
        .into_response())
}

/// `POST /v1/packs` with `Authorization: Bearer <admin token>`: publishes a signed pack whose version is
/// above the one served.
pub async fn publish_pack(
    State(st): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, ApiError> {
    let Some(token) = &st.settings.admin_token else {
        return Err(ApiError::Forbidden("publishing is switched off: start the service with JOBGUARD_ADMIN_TOKEN"));
    };
    let ip = client_ip(peer, &headers, st.settings.client_ip_header.as_ref());
    st.login_limit.check(ip).map_err(ApiError::RateLimited)?;
    let given = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .ok_or(ApiError::Unauthorized("an admin token is required (Authorization: Bearer ...)"))?;
    if !secret_eq(given.trim(), token) {
        tracing::warn!(%ip, "wrong admin token");
        return Err(ApiError::Unauthorized("wrong admin token"));
    }
    let text = std::str::from_utf8(&body).map_err(|_| ApiError::BadJson("the body is not UTF-8".into()))?;
    match st.packs.publish(&st.db, text).await {
        Ok(h) => {
            tracing::info!(version = h.version, key_id = %h.key_id, "pack published");
            Ok((StatusCode::CREATED, Json(json!({ "published": h }))).into_response())
        }
        Err(PublishError::Verify(e @ VerifyError::Rollback { .. })) => Err(ApiError::Conflict(e.to_string())),
        Err(e @ PublishError::Exists(_)) => Err(ApiError::Conflict(e.to_string())),
        Err(PublishError::Verify(e)) => Err(ApiError::field("pack", e.to_string())),
        Err(PublishError::Db(e)) => Err(ApiError::Db(e)),
    }
}
