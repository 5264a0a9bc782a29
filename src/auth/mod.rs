//! Passwordless login: login links by email, sessions in an HttpOnly cookie, CSRF tokens,
//! and the extractor that tells handlers who is asking.

pub mod preferences;
pub mod routes;
pub mod service;

use std::sync::{Arc, OnceLock};

use axum::extract::{FromRequestParts, OptionalFromRequestParts, Request, State};
use axum::http::header::SET_COOKIE;
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::Response;
use sha2::{Digest, Sha256};

use crate::entities::{person, session};
use crate::error::AppError;
use crate::http::cookie;
use crate::state::AppState;

pub const SESSION_COOKIE: &str = "mf_session";
/// The session cookie's name behind HTTPS. Browsers take a `__Host-` cookie only when it is
/// `Secure`, `Path=/` and without `Domain`, so a neighbouring subdomain or a plain-HTTP
/// page cannot plant a session of its own choosing.
pub const SECURE_SESSION_COOKIE: &str = "__Host-mf_session";
pub const CSRF_HEADER: &str = "x-csrf-token";

/// 32 random bytes as 64 hex characters: login link tokens, session tokens, CSRF tokens.
pub fn new_token() -> String {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).expect("the operating system's random source failed");
    hex(&bytes)
}

/// Tokens are stored only as their SHA-256, so a database leak opens no session.
pub fn hash_token(token: &str) -> String {
    hex(&Sha256::digest(token.as_bytes()))
}

fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        out.push(DIGITS[(b >> 4) as usize] as char);
        out.push(DIGITS[(b & 15) as usize] as char);
    }
    out
}

/// The session cookie's name for this site: prefixed when `public_url` is `https://`.
pub fn session_cookie_name(state: &AppState) -> &'static str {
    if state.public_url.starts_with("https://") {
        SECURE_SESSION_COOKIE
    } else {
        SESSION_COOKIE
    }
}

/// The session token a request carries (only under this site's cookie name).
pub fn session_token(state: &AppState, headers: &HeaderMap) -> Option<String> {
    cookie(headers, session_cookie_name(state))
}

/// The `Set-Cookie` value that holds a session for the configured lifetime.
pub fn session_cookie(state: &AppState, token: &str) -> String {
    let max_age = state.settings.auth.session_days * 86_400;
    let secure = if state.public_url.starts_with("https://") {
        "; Secure"
    } else {
        ""
    };
    format!(
        "{}={token}; Path=/; HttpOnly; SameSite=Lax; Max-Age={max_age}{secure}",
        session_cookie_name(state)
    )
}

/// The `Set-Cookie` value that removes the session cookie.
pub fn removed_session_cookie(state: &AppState) -> String {
    let secure = if state.public_url.starts_with("https://") {
        "; Secure"
    } else {
        ""
    };
    format!(
        "{}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0{secure}",
        session_cookie_name(state)
    )
}

/// Where the session extractors leave the token of a session they renewed, for
/// [`refresh_session_cookie`] to send the cookie again with the new lifetime.
#[derive(Clone, Default)]
struct CookieRenewal(Arc<OnceLock<String>>);

fn note_renewal(parts: &Parts, token: &str) {
    if let Some(renewal) = parts.extensions.get::<CookieRenewal>() {
        let _ = renewal.0.set(token.to_string());
    }
}

/// Sends the session cookie again when this request renewed the session, so the browser's
/// copy slides with the stored expiry instead of ending at its first `Max-Age`. A response
/// that sets the cookie itself (login, logout) wins.
pub async fn refresh_session_cookie(
    State(state): State<AppState>,
    mut req: Request,
    next: Next,
) -> Response {
    let renewal = CookieRenewal::default();
    req.extensions_mut().insert(renewal.clone());
    let mut response = next.run(req).await;
    if let Some(token) = renewal.0.get() {
        let prefix = format!("{}=", session_cookie_name(&state));
        let sets_it = response
            .headers()
            .get_all(SET_COOKIE)
            .iter()
            .any(|v| v.as_bytes().starts_with(prefix.as_bytes()));
        if !sets_it && let Ok(value) = HeaderValue::from_str(&session_cookie(&state, token)) {
            response.headers_mut().append(SET_COOKIE, value);
        }
    }
    response
}

/// The logged-in person. Extracting it on a state-changing request also checks the
/// `X-CSRF-Token` header against the session.
pub struct CurrentUser {
    pub person: person::Model,
    pub session: session::Model,
}

impl FromRequestParts<AppState> for CurrentUser {
    type Rejection = AppError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let token = session_token(state, &parts.headers).ok_or(AppError::NotLoggedIn)?;
        let found = service::authenticate_session(state, &token)
            .await?
            .ok_or(AppError::NotLoggedIn)?;
        if found.renewed {
            note_renewal(parts, &token);
        }
        let (person, session) = (found.person, found.session);
        if !matches!(parts.method, Method::GET | Method::HEAD | Method::OPTIONS) {
            let sent = parts
                .headers
                .get(CSRF_HEADER)
                .and_then(|v| v.to_str().ok())
                .unwrap_or("");
            if !constant_time_eq(sent.as_bytes(), session.csrf_token.as_bytes()) {
                return Err(AppError::coded(
                    StatusCode::FORBIDDEN,
                    "csrf_failed",
                    "missing or wrong X-CSRF-Token header (take it from GET /api/me)",
                ));
            }
        }
        Ok(CurrentUser { person, session })
    }
}

/// `Option<CurrentUser>`: nobody when there is no valid session (instead of a 401); a
/// wrong CSRF token on a state-changing request is still refused.
impl OptionalFromRequestParts<AppState> for CurrentUser {
    type Rejection = AppError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Option<Self>, Self::Rejection> {
        match <CurrentUser as FromRequestParts<AppState>>::from_request_parts(parts, state).await {
            Ok(user) => Ok(Some(user)),
            Err(AppError::NotLoggedIn) => Ok(None),
            Err(other) => Err(other),
        }
    }
}

/// For pages anyone may read (a public catalogue): the person when logged in, else nobody.
/// Only for reading: state-changing handlers take [`CurrentUser`], which checks CSRF.
pub struct MaybeUser(pub Option<person::Model>);

impl FromRequestParts<AppState> for MaybeUser {
    type Rejection = AppError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let Some(token) = session_token(state, &parts.headers) else {
            return Ok(MaybeUser(None));
        };
        let found = service::authenticate_session(state, &token).await?;
        if found.as_ref().is_some_and(|f| f.renewed) {
            note_renewal(parts, &token);
        }
        Ok(MaybeUser(found.map(|f| f.person)))
    }
}

/// Compares secrets without leaking through timing how much of them matched.
pub(crate) fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_random_and_hashes_stable() {
        let a = new_token();
        assert_eq!(a.len(), 64);
        assert_ne!(a, new_token());
        assert_eq!(
            hash_token("abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
        assert!(constant_time_eq(b"same", b"same"));
        assert!(!constant_time_eq(b"same", b"sane"));
    }
}
