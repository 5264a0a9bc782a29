//! HTTP endpoints for organisations: members see and manage their own, organisers of an
//! event decide requests and assign their participants.

use axum::extract::State;
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use uuid::Uuid;

use super::service::{self, OrganisationRef, OrganisationView, RequestDecision, RequestView};
use crate::auth::CurrentUser;
use crate::error::{AppResult, ErrorBody};
use crate::http::{Json, Path};
use crate::state::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(show))
        .routes(routes!(remove_member))
        .routes(routes!(decide_as_member))
        .routes(routes!(event_organisations))
        .routes(routes!(event_requests))
        .routes(routes!(decide_as_organiser))
        .routes(routes!(assign))
}

/// My organisation: its members and the requests to join it (members only).
#[utoipa::path(get, path = "/api/organisations/{organisation_id}", tag = "organisations",
    params(("organisation_id" = Uuid, Path, description = "the organisation")),
    responses((status = 200, body = OrganisationView), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn show(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(organisation_id): Path<Uuid>,
) -> AppResult<Json<OrganisationView>> {
    Ok(Json(
        service::show(&state, &user.person, organisation_id).await?,
    ))
}

/// Remove a member (members only; removing yourself is leaving).
#[utoipa::path(delete, path = "/api/organisations/{organisation_id}/members/{person_id}", tag = "organisations",
    params(("organisation_id" = Uuid, Path, description = "the organisation"),
           ("person_id" = Uuid, Path, description = "the member")),
    responses((status = 204), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
#[tracing::instrument(skip_all, fields(%organisation_id, %person_id))]
async fn remove_member(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((organisation_id, person_id)): Path<(Uuid, Uuid)>,
) -> AppResult<StatusCode> {
    service::remove_member(&state, &user.person, organisation_id, person_id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Confirm or decline someone's request to join (members only).
#[utoipa::path(post, path = "/api/organisations/{organisation_id}/requests/{request_id}", tag = "organisations",
    params(("organisation_id" = Uuid, Path, description = "the organisation"),
           ("request_id" = Uuid, Path, description = "the request")),
    request_body = RequestDecision,
    responses((status = 200, body = OrganisationView), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
              (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
#[tracing::instrument(skip_all, fields(%organisation_id, %request_id))]
async fn decide_as_member(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((organisation_id, request_id)): Path<(Uuid, Uuid)>,
    Json(body): Json<RequestDecision>,
) -> AppResult<Json<OrganisationView>> {
    Ok(Json(
        service::decide_as_member(
            &state,
            &user.person,
            organisation_id,
            request_id,
            body.decision,
        )
        .await?,
    ))
}

#[derive(Serialize, ToSchema)]
pub struct OrganisationList {
    pub organisations: Vec<OrganisationRef>,
}

/// The organisations taking part in the event (organisers).
#[utoipa::path(get, path = "/api/events/{event_id}/organisations", tag = "organisations",
    params(("event_id" = Uuid, Path, description = "the event")),
    responses((status = 200, body = OrganisationList), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn event_organisations(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(event_id): Path<Uuid>,
) -> AppResult<Json<OrganisationList>> {
    Ok(Json(OrganisationList {
        organisations: service::of_event(&state, &user.person, event_id).await?,
    }))
}

#[derive(Serialize, ToSchema)]
pub struct RequestList {
    pub requests: Vec<RequestView>,
}

/// Requests to join an organisation that the event's organisers may decide.
#[utoipa::path(get, path = "/api/events/{event_id}/organisation-requests", tag = "organisations",
    params(("event_id" = Uuid, Path, description = "the event")),
    responses((status = 200, body = RequestList), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn event_requests(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(event_id): Path<Uuid>,
) -> AppResult<Json<RequestList>> {
    Ok(Json(RequestList {
        requests: service::requests_in_event(&state, &user.person, event_id).await?,
    }))
}

/// Confirm or decline a participant's request to join an organisation of the event (organisers).
#[utoipa::path(post, path = "/api/events/{event_id}/organisation-requests/{request_id}", tag = "organisations",
    params(("event_id" = Uuid, Path, description = "the event"),
           ("request_id" = Uuid, Path, description = "the request")),
    request_body = RequestDecision,
    responses((status = 204), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
              (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
#[tracing::instrument(skip_all, fields(%event_id, %request_id))]
async fn decide_as_organiser(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((event_id, request_id)): Path<(Uuid, Uuid)>,
    Json(body): Json<RequestDecision>,
) -> AppResult<StatusCode> {
    service::decide_as_organiser(&state, &user.person, event_id, request_id, body.decision).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Assignment {
    /// An organisation taking part in the event (see `/api/events/{event_id}/organisations`).
    pub organisation_id: Uuid,
}

/// Put a participant in an organisation taking part in the event (organisers).
#[utoipa::path(put, path = "/api/events/{event_id}/participants/{participant_id}/organisation", tag = "organisations",
    params(("event_id" = Uuid, Path, description = "the event"),
           ("participant_id" = Uuid, Path, description = "the participation")),
    request_body = Assignment,
    responses((status = 204), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
              (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
#[tracing::instrument(skip_all, fields(%event_id, %participant_id))]
async fn assign(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((event_id, participant_id)): Path<(Uuid, Uuid)>,
    Json(body): Json<Assignment>,
) -> AppResult<StatusCode> {
    service::assign(
        &state,
        &user.person,
        event_id,
        participant_id,
        body.organisation_id,
    )
    .await?;
    Ok(StatusCode::NO_CONTENT)
}
