//! HTTP endpoints for participants, the CSV import and public registration.

use axum::extract::State;
use axum::extract::rejection::StringRejection;
use axum::http::header::CONTENT_TYPE;
use axum::http::{HeaderMap, StatusCode};
use serde::Serialize;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use uuid::Uuid;

use super::csv_import::{self, ImportPreview, ImportResult};
use super::service::{
    self, AppointmentView, InviteInput, MyRegistration, ParticipantChange, ParticipantFilter,
    ParticipantView, PublicEvent, RegistrationInput,
};
use crate::auth::CurrentUser;
use crate::auth::routes::Accepted;
use crate::error::{AppError, AppResult, ErrorBody, too_large_or_bad};
use crate::http::{ClientAddr, Json, Path, Query};
use crate::state::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_participants, invite_participant))
        .routes(routes!(update_participant))
        .routes(routes!(send_invitation))
        .routes(routes!(preview_import))
        .routes(routes!(run_import))
        .routes(routes!(public_event))
        .routes(routes!(register))
        .routes(routes!(my_registration))
        .routes(routes!(appointments))
}

#[derive(Serialize, ToSchema)]
pub struct ParticipantList {
    pub participants: Vec<ParticipantView>,
}

/// Everyone in the event (organisers).
#[utoipa::path(get, path = "/api/events/{event_id}/participants", tag = "participants", params(ParticipantFilter),
    responses((status = 200, body = ParticipantList), (status = 403, body = ErrorBody)))]
async fn list_participants(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(event_id): Path<Uuid>,
    Query(filter): Query<ParticipantFilter>,
) -> AppResult<Json<ParticipantList>> {
    Ok(Json(ParticipantList {
        participants: service::list(&state, &user.person, event_id, filter).await?,
    }))
}

/// Invite one person.
#[utoipa::path(post, path = "/api/events/{event_id}/participants", tag = "participants", request_body = InviteInput,
    responses((status = 201, body = ParticipantView), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
#[tracing::instrument(skip_all, fields(%event_id))]
async fn invite_participant(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(event_id): Path<Uuid>,
    Json(body): Json<InviteInput>,
) -> AppResult<(StatusCode, Json<ParticipantView>)> {
    Ok((
        StatusCode::CREATED,
        Json(service::invite(&state, &user.person, event_id, body).await?),
    ))
}

/// Approve, decline or cancel a participant, or change their role.
#[utoipa::path(patch, path = "/api/events/{event_id}/participants/{participant_id}", tag = "participants",
    request_body = ParticipantChange,
    responses((status = 200, body = ParticipantView), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
#[tracing::instrument(skip_all, fields(%event_id, %participant_id))]
async fn update_participant(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((event_id, participant_id)): Path<(Uuid, Uuid)>,
    Json(body): Json<ParticipantChange>,
) -> AppResult<Json<ParticipantView>> {
    Ok(Json(
        service::update(&state, &user.person, event_id, participant_id, body).await?,
    ))
}

/// Send the invitation email (again).
#[utoipa::path(post, path = "/api/events/{event_id}/participants/{participant_id}/invitation", tag = "participants",
    responses((status = 202, body = Accepted), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
async fn send_invitation(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((event_id, participant_id)): Path<(Uuid, Uuid)>,
) -> AppResult<(StatusCode, Json<Accepted>)> {
    service::resend_invitation(&state, &user.person, event_id, participant_id).await?;
    Ok((StatusCode::ACCEPTED, Json(Accepted { status: "sent" })))
}

fn csv_body(headers: &HeaderMap, body: Result<String, StringRejection>) -> AppResult<String> {
    let content_type = headers
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    if !(content_type.starts_with("text/csv") || content_type.starts_with("text/plain")) {
        return Err(AppError::coded(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "unsupported_media_type",
            "send the file as text/csv",
        ));
    }
    body.map_err(|rejection| match rejection {
        StringRejection::InvalidUtf8(_) => AppError::coded(
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_csv",
            "the file is not UTF-8 text; save it as \"CSV UTF-8\"",
        ),
        other => too_large_or_bad(other.status(), other.body_text()),
    })
}

/// Check a CSV file of participants; imports nothing.
#[utoipa::path(post, path = "/api/events/{event_id}/participants/import/preview", tag = "participants",
    request_body(content = String, content_type = "text/csv"),
    responses((status = 200, body = ImportPreview), (status = 422, body = ErrorBody)))]
async fn preview_import(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(event_id): Path<Uuid>,
    headers: HeaderMap,
    body: Result<String, StringRejection>,
) -> AppResult<Json<ImportPreview>> {
    let text = csv_body(&headers, body)?;
    Ok(Json(
        csv_import::preview(&state, &user.person, event_id, &text).await?,
    ))
}

/// Import a clean CSV file and invite everyone in it.
#[utoipa::path(post, path = "/api/events/{event_id}/participants/import", tag = "participants",
    request_body(content = String, content_type = "text/csv"),
    responses((status = 201, body = ImportResult), (status = 422, body = ErrorBody)))]
#[tracing::instrument(skip_all, fields(%event_id))]
async fn run_import(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(event_id): Path<Uuid>,
    headers: HeaderMap,
    body: Result<String, StringRejection>,
) -> AppResult<(StatusCode, Json<ImportResult>)> {
    let text = csv_body(&headers, body)?;
    Ok((
        StatusCode::CREATED,
        Json(csv_import::import(&state, &user.person, event_id, &text).await?),
    ))
}

/// Public facts of an event, for its registration page.
#[utoipa::path(get, path = "/api/public/events/{slug}", tag = "public", security(()),
    responses((status = 200, body = PublicEvent), (status = 404, body = ErrorBody)))]
async fn public_event(
    State(state): State<AppState>,
    Path(slug): Path<String>,
) -> AppResult<Json<PublicEvent>> {
    Ok(Json(service::public_event(&state, &slug).await?))
}

/// Register as buyer or supplier. Always answers 202; the email says what happened.
#[utoipa::path(post, path = "/api/public/events/{slug}/registrations", tag = "public", request_body = RegistrationInput, security(()),
    responses((status = 202, body = Accepted), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody),
        (status = 429, body = ErrorBody, description = "`rate_limited`: too many registrations or login links from this client")))]
#[tracing::instrument(skip_all)]
async fn register(
    State(state): State<AppState>,
    ClientAddr(client): ClientAddr,
    Path(slug): Path<String>,
    Json(body): Json<RegistrationInput>,
) -> AppResult<(StatusCode, Json<Accepted>)> {
    service::register(&state, &slug, body, &client).await?;
    Ok((StatusCode::ACCEPTED, Json(Accepted { status: "sent" })))
}

/// My own registration for the event, whatever its status: what someone awaiting approval
/// may see (the event itself stays closed to them until an organiser approves).
#[utoipa::path(get, path = "/api/events/{event_id}/registration", tag = "participants",
    params(("event_id" = Uuid, Path, description = "the event")),
    responses((status = 200, body = MyRegistration), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn my_registration(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(event_id): Path<Uuid>,
) -> AppResult<Json<MyRegistration>> {
    Ok(Json(
        service::my_registration(&state, &user.person, event_id).await?,
    ))
}

#[derive(Serialize, ToSchema)]
pub struct AppointmentList {
    pub appointments: Vec<AppointmentView>,
}

/// Who made whom an organiser of the event, how and when (organisers).
#[utoipa::path(get, path = "/api/events/{event_id}/appointments", tag = "participants",
    params(("event_id" = Uuid, Path, description = "the event")),
    responses((status = 200, body = AppointmentList), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn appointments(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(event_id): Path<Uuid>,
) -> AppResult<Json<AppointmentList>> {
    Ok(Json(AppointmentList {
        appointments: service::appointments(&state, &user.person, event_id).await?,
    }))
}
