//! HTTP plumbing shared by all capabilities: a JSON extractor with our error body, cookies,
//! the client address, the cross-site check and the request log with metrics.

use std::net::SocketAddr;
use std::time::Instant;

use axum::extract::{ConnectInfo, FromRequest, FromRequestParts, MatchedPath, Request, State};
use axum::http::header::{COOKIE, HOST, ORIGIN};
use axum::http::request::Parts;
use axum::http::{HeaderMap, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::error::AppError;
use crate::state::AppState;

/// `axum::Json`, but a rejected body answers with the common error shape.
pub struct Json<T>(pub T);

impl<S, T> FromRequest<S> for Json<T>
where
    T: DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = AppError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let is_json = req
            .headers()
            .get(axum::http::header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|ct| {
                let ct = ct.split(';').next().unwrap_or("").trim();
                ct == "application/json"
                    || (ct.starts_with("application/") && ct.ends_with("+json"))
            });
        if !is_json {
            return Err(AppError::coded(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "unsupported_media_type",
                "send the body as JSON with Content-Type: application/json",
            ));
        }
        let bytes = axum::body::Bytes::from_request(req, state)
            .await
            .map_err(|r| crate::error::too_large_or_bad(r.status(), r.body_text()))?;
        parse_json(&bytes).map(Json)
    }
}

/// An optional JSON body: a request without a body (and without a `Content-Type`) is
/// `None`; one with a body is read as [`Json`] is, with the same errors.
impl<S, T> axum::extract::OptionalFromRequest<S> for Json<T>
where
    T: DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = AppError;

    async fn from_request(req: Request, state: &S) -> Result<Option<Self>, Self::Rejection> {
        if req
            .headers()
            .get(axum::http::header::CONTENT_TYPE)
            .is_some()
        {
            return <Json<T> as FromRequest<S>>::from_request(req, state)
                .await
                .map(Some);
        }
        let bytes = axum::body::Bytes::from_request(req, state)
            .await
            .map_err(|r| crate::error::too_large_or_bad(r.status(), r.body_text()))?;
        if bytes.is_empty() {
            Ok(None)
        } else {
            Err(AppError::coded(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "unsupported_media_type",
                "send the body as JSON with Content-Type: application/json",
            ))
        }
    }
}

/// Reads a JSON body; a value of the wrong shape becomes a field error naming its path.
/// Every body of the API is an object: serde would also read a struct from an array of its
/// fields in order (`[null, null]`), which no client means. A whole number written with a
/// fraction (`30.0`) is the number JSON Schema (and so the OpenAPI document) says it is.
pub fn parse_json<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, AppError> {
    let mut value: serde_json::Value = serde_json::from_slice(bytes).map_err(|e| {
        AppError::coded(
            StatusCode::BAD_REQUEST,
            "invalid_json",
            format!("the body is not valid JSON: {e}"),
        )
    })?;
    if value.is_array() {
        return Err(AppError::Validation(vec![crate::error::FieldError::new(
            "body",
            "invalid_value",
            "expected a JSON object, not an array",
        )]));
    }
    whole_numbers(&mut value);
    serde_path_to_error::deserialize(value).map_err(|err| {
        let path = err.path().to_string();
        let message = err.into_inner().to_string();
        let field = if path == "." {
            "body".to_string()
        } else {
            path
        };
        let code = if message.starts_with("unknown field") {
            "unknown_field"
        } else if message.starts_with("missing field") {
            "required"
        } else {
            "invalid_value"
        };
        AppError::Validation(vec![crate::error::FieldError::new(field, code, message)])
    })
}

/// Numbers such as `30.0` become the integer they are, so integer fields take them.
fn whole_numbers(value: &mut serde_json::Value) {
    use serde_json::Value;
    match value {
        Value::Number(n) => {
            // Within i64 and without a fraction: exact as an integer (2^63 itself is not).
            const LIMIT: f64 = 9_223_372_036_854_775_808.0;
            if let Some(f) = n.as_f64().filter(|_| n.is_f64())
                && f.fract() == 0.0
                && (-LIMIT..LIMIT).contains(&f)
            {
                *value = Value::from(f as i64);
            }
        }
        Value::Array(items) => items.iter_mut().for_each(whole_numbers),
        Value::Object(fields) => fields.values_mut().for_each(whole_numbers),
        _ => {}
    }
}

impl<T: Serialize> IntoResponse for Json<T> {
    fn into_response(self) -> Response {
        axum::Json(self.0).into_response()
    }
}

/// `axum::extract::Query` with the common error shape.
pub struct Query<T>(pub T);

impl<S, T> FromRequestParts<S> for Query<T>
where
    T: DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let axum::extract::Query(value) =
            axum::extract::Query::<T>::from_request_parts(parts, state).await?;
        Ok(Query(value))
    }
}

pub fn cookie(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.to_string())
}

/// The client's address: the socket peer, or, when `auth.trust_forwarded_for` says our own
/// proxy sits in front, the right-most `X-Forwarded-For` entry that is not one of the
/// proxies in `auth.trusted_proxies` (entries further left are whatever the client sent);
/// see [`crate::forwarded`].
pub struct ClientAddr(pub String);

impl FromRequestParts<AppState> for ClientAddr {
    type Rejection = AppError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let Some(peer) = parts
            .extensions
            .get::<ConnectInfo<SocketAddr>>()
            .map(|c| c.0.ip())
        else {
            return Ok(ClientAddr("unknown".into()));
        };
        let auth = &state.settings.auth;
        // Several headers are one list, in the order the proxies added them.
        let forwarded = parts
            .headers
            .get_all("x-forwarded-for")
            .iter()
            .filter_map(|v| v.to_str().ok())
            .collect::<Vec<_>>()
            .join(",");
        // The setting was checked at start-up, so nothing is dropped here.
        let trusted = crate::forwarded::parse_ranges(&auth.trusted_proxies).unwrap_or_default();
        let client = crate::forwarded::client_address(
            peer,
            Some(forwarded.as_str()).filter(|f| !f.is_empty()),
            auth.trust_forwarded_for,
            &trusted,
        );
        Ok(ClientAddr(client.to_string()))
    }
}

/// Whether a request's `Origin` (if any) is this site: the configured `server.public_url`,
/// or else the `Host` the request was sent to. Compared without regard to case.
pub fn same_origin(state: &AppState, headers: &HeaderMap) -> bool {
    let Some(origin) = headers.get(ORIGIN).and_then(|v| v.to_str().ok()) else {
        return true;
    };
    let origin = origin.trim_end_matches('/').to_ascii_lowercase();
    if origin == "null" {
        return false;
    }
    let public = state
        .settings
        .server
        .public_url
        .trim_end_matches('/')
        .to_ascii_lowercase();
    if !public.is_empty() {
        let public_origin = match public.split_once("://") {
            Some((scheme, rest)) => format!("{scheme}://{}", rest.split('/').next().unwrap_or("")),
            None => public.clone(),
        };
        if origin == public_origin {
            return true;
        }
    }
    let host = headers
        .get(HOST)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_ascii_lowercase();
    origin.split_once("://").map(|(_, h)| h) == Some(host.as_str())
}

/// Refuses state-changing requests whose `Origin` names another site. Together with the
/// SameSite cookie and the `X-CSRF-Token` header this keeps other sites from acting for a user.
pub async fn same_origin_guard(
    State(state): State<AppState>,
    req: Request,
    next: Next,
) -> Response {
    let unsafe_method = !matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS);
    if unsafe_method && !same_origin(&state, req.headers()) {
        return AppError::coded(
            StatusCode::FORBIDDEN,
            "csrf_failed",
            "cross-site request refused",
        )
        .into_response();
    }
    next.run(req).await
}

/// Counts and times every request for /metrics.
pub async fn observe(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let started = Instant::now();
    let method = req.method().to_string();
    let route = req
        .extensions()
        .get::<MatchedPath>()
        .map(|p| p.as_str().to_string())
        .unwrap_or_else(|| {
            if req.uri().path().starts_with("/api") {
                "unmatched".into()
            } else {
                "frontend".into()
            }
        });
    let response = next.run(req).await;
    state.metrics.observe_request(
        &method,
        &route,
        response.status().as_u16(),
        started.elapsed().as_secs_f64(),
    );
    response
}

/// `axum::extract::Path` with the common error shape (a malformed id is a 400, not text).
pub struct Path<T>(pub T);

impl<S, T> FromRequestParts<S> for Path<T>
where
    T: DeserializeOwned + Send,
    S: Send + Sync,
{
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        match axum::extract::Path::<T>::from_request_parts(parts, state).await {
            Ok(axum::extract::Path(value)) => Ok(Path(value)),
            Err(rejection) => Err(AppError::BadRequest(format!(
                "bad path: {}",
                rejection.body_text()
            ))),
        }
    }
}
