//! HTTP endpoints for announcements.

use axum::extract::State;
use axum::http::StatusCode;
use serde::Serialize;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use uuid::Uuid;

use super::announcements::{self, AnnouncementInput, AnnouncementView};
use crate::auth::CurrentUser;
use crate::error::{AppResult, ErrorBody};
use crate::http::{Json, Path};
use crate::state::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list, announce))
        .merge(super::unsubscribe::router())
}

#[derive(Serialize, ToSchema)]
pub struct AnnouncementList {
    pub announcements: Vec<AnnouncementView>,
}

/// Announcements I may read, newest first.
#[utoipa::path(get, path = "/api/events/{event_id}/announcements", tag = "live",
    responses((status = 200, body = AnnouncementList), (status = 404, body = ErrorBody)))]
async fn list(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(event_id): Path<Uuid>,
) -> AppResult<Json<AnnouncementList>> {
    Ok(Json(AnnouncementList {
        announcements: announcements::list(&state, &user.person, event_id).await?,
    }))
}

/// Announce something (organisers): it appears live on every open page it concerns, and
/// with `email: true` it is also emailed (in the background; `emails` shows how far).
#[utoipa::path(post, path = "/api/events/{event_id}/announcements", tag = "live", request_body = AnnouncementInput,
    responses((status = 201, body = AnnouncementView), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
#[tracing::instrument(skip_all, fields(%event_id))]
async fn announce(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(event_id): Path<Uuid>,
    Json(body): Json<AnnouncementInput>,
) -> AppResult<(StatusCode, Json<AnnouncementView>)> {
    Ok((
        StatusCode::CREATED,
        Json(announcements::announce(&state, &user.person, event_id, body).await?),
    ))
}
