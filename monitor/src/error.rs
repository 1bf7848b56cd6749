//! The errors the JSON API answers with: each maps to one HTTP status and a JSON body
//! `{ "error": "...", "field": "..." }` that says what is wrong.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::json;
use thiserror::Error;

/// An error answered to an API client.
#[derive(Debug, Error)]
pub enum ApiError {
    /// The body is not JSON (or not an object).
    #[error("the body is not a JSON object: {0}")]
    BadJson(String),
    /// One field is wrong; the message names it.
    #[error("{field} {message}")]
    Field {
        /// The field's name.
        field: &'static str,
        /// What is wrong with it.
        message: String,
    },
    /// The request is well formed but conflicts with the stored state.
    #[error("{0}")]
    Conflict(String),
    /// The content type is not JSON.
    #[error("Content-Type must be application/json")]
    ContentType,
    /// No such thing.
    #[error("{0} not found")]
    NotFound(&'static str),
    /// A missing or wrong credential.
    #[error("{0}")]
    Unauthorized(&'static str),
    /// Refused for who is asking (an origin that is not an extension, publishing switched off).
    #[error("{0}")]
    Forbidden(&'static str),
    /// Too many requests from this client.
    #[error("too many requests: wait {0} s")]
    RateLimited(u64),
    /// The database failed; logged, not shown in detail.
    #[error("database error")]
    Db(#[from] sqlx::Error),
    /// Something else failed on our side.
    #[error("internal error: {0}")]
    Internal(String),
}

impl ApiError {
    /// A field error.
    pub fn field(field: &'static str, message: impl Into<String>) -> ApiError {
        ApiError::Field { field, message: message.into() }
    }

    /// The HTTP status this error is answered with.
    pub fn status(&self) -> StatusCode {
        match self {
            ApiError::BadJson(_) => StatusCode::BAD_REQUEST,
            ApiError::Field { .. } => StatusCode::UNPROCESSABLE_ENTITY,
            ApiError::Conflict(_) => StatusCode::CONFLICT,
            ApiError::ContentType => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            ApiError::NotFound(_) => StatusCode::NOT_FOUND,
            ApiError::Unauthorized(_) => StatusCode::UNAUTHORIZED,
            ApiError::Forbidden(_) => StatusCode::FORBIDDEN,
            ApiError::RateLimited(_) => StatusCode::TOO_MANY_REQUESTS,
            ApiError::Db(_) | ApiError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let status = self.status();
        if status.is_server_error() {
            tracing::error!(error = ?self, "request failed");
        }
        let mut body = json!({ "error": self.to_string() });
        if let ApiError::Field { field, .. } = &self {
            body["field"] = json!(field);
        }
        let mut resp = (status, Json(body)).into_response();
        if let ApiError::RateLimited(secs) = self {
            resp.headers_mut().insert(axum::http::header::RETRY_AFTER, secs.max(1).into());
        }
        if let ApiError::Unauthorized(_) = self {
            resp.headers_mut()
                .insert(axum::http::header::WWW_AUTHENTICATE, axum::http::HeaderValue::from_static("Bearer"));
        }
        resp
    }
}
