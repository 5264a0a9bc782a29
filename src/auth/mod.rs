//! Passwordless login: login links by email, sessions in an HttpOnly cookie, CSRF tokens,
//! and the extractor that tells handlers who is asking.

pub mod routes;
pub mod service;

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{Method, StatusCode};
use sha2::{Digest, Sha256};

use crate::entities::{person, session};
use crate::error::AppError;
use crate::http::cookie;
use crate::state::AppState;

pub const SESSION_COOKIE: &str = "mf_session";
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
        let token = cookie(&parts.headers, SESSION_COOKIE).ok_or(AppError::NotLoggedIn)?;
        let (person, session) = service::authenticate(state, &token)
            .await?
            .ok_or(AppError::NotLoggedIn)?;
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

/// For pages anyone may read (a public catalogue): the person when logged in, else nobody.
/// Only for reading: state-changing handlers take [`CurrentUser`], which checks CSRF.
pub struct MaybeUser(pub Option<person::Model>);

impl FromRequestParts<AppState> for MaybeUser {
    type Rejection = AppError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let Some(token) = cookie(&parts.headers, SESSION_COOKIE) else {
            return Ok(MaybeUser(None));
        };
        Ok(MaybeUser(
            service::authenticate(state, &token).await?.map(|(p, _)| p),
        ))
    }
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
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
