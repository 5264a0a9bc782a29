//! HTTP endpoints of the calendar feed: mine to make, see and revoke, and the feed itself
//! at its secret URL (no login: the token is the key).

use axum::extract::State;
use axum::http::header::{CACHE_CONTROL, CONTENT_TYPE};
use axum::http::{HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::feed::{self, CalendarError, FeedCreated, FeedStatus};
use crate::auth::CurrentUser;
use crate::error::{AppError, AppResult, ErrorBody};
use crate::http::{Json, Path};
use crate::state::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(feed_status, create_feed, revoke_feed))
        .routes(routes!(calendar_file))
}

impl From<CalendarError> for AppError {
    fn from(err: CalendarError) -> Self {
        match err {
            CalendarError::FeedNotFound | CalendarError::BadToken => {
                AppError::NotFound("calendar feed")
            }
            CalendarError::App(e) => e,
            CalendarError::Database(e) => AppError::Database(e),
        }
    }
}

fn no_store(mut response: Response) -> Response {
    response
        .headers_mut()
        .insert(CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

/// Whether I have a calendar feed, and since when.
#[utoipa::path(get, path = "/api/me/calendar-feed", tag = "auth",
    responses((status = 200, body = FeedStatus), (status = 401, body = ErrorBody)))]
async fn feed_status(
    State(state): State<AppState>,
    user: CurrentUser,
) -> AppResult<Json<FeedStatus>> {
    Ok(Json(feed::status(&state, &user.person).await?))
}

/// Makes my private calendar feed, or a new one in place of the old (whose URL stops
/// working). The URL is in this answer only.
#[utoipa::path(post, path = "/api/me/calendar-feed", tag = "auth",
    responses((status = 201, body = FeedCreated), (status = 401, body = ErrorBody)))]
#[tracing::instrument(skip_all)]
async fn create_feed(State(state): State<AppState>, user: CurrentUser) -> AppResult<Response> {
    let created = feed::create(&state, &user.person).await?;
    Ok(no_store(
        (StatusCode::CREATED, Json(created)).into_response(),
    ))
}

/// Revokes my calendar feed: its URL answers 404 from now on.
#[utoipa::path(delete, path = "/api/me/calendar-feed", tag = "auth",
    responses((status = 204, description = "revoked (or there was none)"), (status = 401, body = ErrorBody)))]
#[tracing::instrument(skip_all)]
async fn revoke_feed(State(state): State<AppState>, user: CurrentUser) -> AppResult<StatusCode> {
    feed::revoke(&state, &user.person).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// A person's calendar feed (`{token}.ics`, the URL `POST /api/me/calendar-feed` gave):
/// their meetings and seats in sessions as iCalendar, for calendar programs to subscribe
/// to. No login; an unknown or revoked token answers 404.
#[utoipa::path(get, path = "/calendar/{file}", tag = "auth", security(()),
    params(("file" = String, Path, description = "`{token}.ics`")),
    responses((status = 200, description = "the calendar", content_type = "text/calendar", body = String),
              (status = 404, body = ErrorBody)))]
async fn calendar_file(
    State(state): State<AppState>,
    Path(file): Path<String>,
) -> AppResult<Response> {
    let token = file.strip_suffix(".ics").unwrap_or(&file);
    let body = feed::calendar_for_token(&state, token).await?;
    let mut response = body.into_response();
    let headers = response.headers_mut();
    headers.insert(
        CONTENT_TYPE,
        HeaderValue::from_static("text/calendar; charset=utf-8"),
    );
    headers.insert(CACHE_CONTROL, HeaderValue::from_static("private, no-store"));
    Ok(response)
}
