//! HTTP endpoints for login links, sessions and the profile.

use axum::extract::State;
use axum::http::header::{CACHE_CONTROL, SET_COOKIE};
use axum::http::{HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use uuid::Uuid;

use super::CurrentUser;
use super::service::{self, Me, ProfileChange};
use crate::error::{AppResult, ErrorBody};
use crate::http::{ClientAddr, Json};
use crate::state::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(request_link))
        .routes(routes!(confirm))
        .routes(routes!(logout))
        .routes(routes!(get_me, patch_me))
        .routes(routes!(get_session))
}

#[derive(Deserialize, ToSchema)]
pub struct LoginLinkRequest {
    pub email: String,
    /// Open this event after logging in.
    pub event_id: Option<Uuid>,
    /// Or open this page of the app after logging in (a path such as `/events/.../setup/grid`).
    pub next: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct Accepted {
    /// Always `sent`, whether or not the address is known.
    pub status: &'static str,
}

/// Ask for a login link by email.
#[utoipa::path(post, path = "/api/auth/login-link", tag = "auth", request_body = LoginLinkRequest, security(()),
    responses((status = 202, body = Accepted), (status = 422, body = ErrorBody), (status = 429, body = ErrorBody)))]
#[tracing::instrument(skip_all)]
async fn request_link(
    State(state): State<AppState>,
    ClientAddr(client): ClientAddr,
    Json(body): Json<LoginLinkRequest>,
) -> AppResult<(StatusCode, Json<Accepted>)> {
    service::request_login_link(
        &state,
        &body.email,
        &client,
        body.event_id,
        body.next.as_deref(),
    )
    .await?;
    Ok((StatusCode::ACCEPTED, Json(Accepted { status: "sent" })))
}

#[derive(Deserialize, ToSchema)]
pub struct ConfirmRequest {
    pub token: String,
}

/// Use a login link: opens a session and sets the session cookie.
#[utoipa::path(post, path = "/api/auth/confirm", tag = "auth", request_body = ConfirmRequest, security(()),
    responses((status = 200, body = Me), (status = 400, body = ErrorBody)))]
#[tracing::instrument(skip_all)]
async fn confirm(
    State(state): State<AppState>,
    Json(body): Json<ConfirmRequest>,
) -> AppResult<Response> {
    let (token, me) = service::confirm(&state, &body.token).await?;
    let cookie = super::session_cookie(&state, &token);
    let mut response = no_store(Json(me));
    response.headers_mut().insert(
        SET_COOKIE,
        HeaderValue::from_str(&cookie).map_err(anyhow::Error::from)?,
    );
    Ok(response)
}

/// End the current session.
#[utoipa::path(post, path = "/api/auth/logout", tag = "auth",
    responses((status = 204), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)))]
#[tracing::instrument(skip_all)]
async fn logout(State(state): State<AppState>, user: CurrentUser) -> AppResult<Response> {
    service::logout(&state, user.session.id).await?;
    let mut response = StatusCode::NO_CONTENT.into_response();
    response.headers_mut().insert(
        SET_COOKIE,
        HeaderValue::from_str(&super::removed_session_cookie(&state))
            .map_err(anyhow::Error::from)?,
    );
    Ok(response)
}

/// Who am I: profile, CSRF token and the events I take part in.
#[utoipa::path(get, path = "/api/me", tag = "auth",
    responses((status = 200, body = Me), (status = 401, body = ErrorBody)))]
async fn get_me(State(state): State<AppState>, user: CurrentUser) -> AppResult<Response> {
    Ok(no_store(Json(
        service::me(&state.db, &user.person, &user.session).await?,
    )))
}

/// Answers that carry the CSRF token must not be kept by a browser or proxy cache.
fn no_store(body: Json<Me>) -> Response {
    let mut response = body.into_response();
    response
        .headers_mut()
        .insert(CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

/// The answer to "is anyone logged in here?".
#[derive(Serialize, ToSchema)]
pub struct SessionState {
    /// The request carries a valid session.
    pub authenticated: bool,
    /// When logged in: the same body as `GET /api/me`, with the CSRF token.
    pub me: Option<Me>,
}

/// Is anyone logged in: answers 200 either way, so pages anyone may open (registration, a
/// public catalogue) ask without producing an error. `GET /api/me` stays 401 without a
/// session, for clients that need a person.
#[utoipa::path(get, path = "/api/session", tag = "auth", security((), ("session" = [])),
    responses((status = 200, body = SessionState)))]
async fn get_session(
    State(state): State<AppState>,
    user: Option<CurrentUser>,
) -> AppResult<Response> {
    let me = match user {
        Some(user) => Some(service::me(&state.db, &user.person, &user.session).await?),
        None => None,
    };
    let mut response = Json(SessionState {
        authenticated: me.is_some(),
        me,
    })
    .into_response();
    // It carries the CSRF token: never kept by a cache.
    response
        .headers_mut()
        .insert(CACHE_CONTROL, HeaderValue::from_static("no-store"));
    Ok(response)
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ProfileUpdate {
    pub name: Option<String>,
    pub phone: Option<String>,
    pub organisation: Option<String>,
    pub job_title: Option<String>,
    /// `nl` or `en`.
    pub language: Option<String>,
    /// Organisers' announcements also by email (`true`, the default) or only on the
    /// event's pages (`false`).
    pub announcement_emails: Option<bool>,
}

/// Edit my profile.
#[utoipa::path(patch, path = "/api/me", tag = "auth", request_body = ProfileUpdate,
    responses((status = 200, body = Me), (status = 401, body = ErrorBody), (status = 422, body = ErrorBody)))]
#[tracing::instrument(skip_all)]
async fn patch_me(
    State(state): State<AppState>,
    user: CurrentUser,
    Json(body): Json<ProfileUpdate>,
) -> AppResult<Json<Me>> {
    let person = service::update_profile(
        &state,
        user.person,
        ProfileChange {
            name: body.name.as_deref(),
            phone: body.phone.as_deref(),
            organisation: body.organisation.as_deref(),
            job_title: body.job_title.as_deref(),
            language: body.language.as_deref(),
            announcement_emails: body.announcement_emails,
        },
    )
    .await?;
    Ok(Json(service::me(&state.db, &person, &user.session).await?))
}
