//! The time limit on every HTTP request: a request whose response has not started within
//! `server.request_timeout_seconds` (file uploads: `server.upload_timeout_seconds`) is
//! cut off with 503 `timeout` in the common error body, so a stuck database or a slow
//! client holds no connection, pool slot or memory indefinitely.

use std::time::Duration;

use axum::extract::{MatchedPath, Request, State};
use axum::http::{Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::error::AppError;
use crate::state::AppState;

/// Counts until the response head is ready: a download streams its body afterwards, and a
/// live socket runs in its own task once upgraded, so neither is cut off while in use.
pub async fn time_limit(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let server = &state.settings.server;
    // Uploads read a large body inside the handler, which takes longer on a slow line.
    let upload = req.method() == Method::POST
        && req
            .extensions()
            .get::<MatchedPath>()
            .is_some_and(|p| p.as_str().ends_with("/uploads"));
    let seconds = if upload {
        server.upload_timeout_seconds
    } else {
        server.request_timeout_seconds
    };
    // Settings validation keeps the value finite and positive.
    let limit = Duration::from_secs_f64(seconds);
    let path = req.uri().path().to_string();
    match tokio::time::timeout(limit, next.run(req)).await {
        Ok(response) => response,
        Err(_) => {
            tracing::warn!(%path, seconds, "request cut off at its time limit");
            AppError::coded(
                StatusCode::SERVICE_UNAVAILABLE,
                "timeout",
                "the server took too long to answer; try again",
            )
            .into_response()
        }
    }
}
