//! HTTP endpoints of meeting requests, their rules and availability. [`MeetingsError`]
//! becomes the common error body here.

use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use serde_json::json;
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use uuid::Uuid;

use super::availability::{self, Availability, AvailabilityInput};
use super::choice::{self, NoticeChoice, NoticeChoiceInput};
use super::overview::{self, RequestOverview};
use super::recommend::{self, Recommendations, RecommendationsQuery};
use super::requests::{
    self, AcceptInput, DeclineInput, MeetingRequestView, MyRequests, RequestInput,
};
use super::rules::{self, RequestRules, RequestRulesInput};
use super::{MeetingsError, Whose};
use crate::auth::CurrentUser;
use crate::domain::Lang;
use crate::error::{AppError, AppResult, ErrorBody};
use crate::http::{Json, Path, Query};
use crate::state::AppState;

impl From<MeetingsError> for AppError {
    fn from(err: MeetingsError) -> Self {
        let conflict = |code: &'static str, message: String, details| AppError::Coded {
            status: StatusCode::CONFLICT,
            code,
            message,
            details: Some(details),
        };
        let message = err.to_string();
        match err {
            MeetingsError::NotFound(what) => AppError::NotFound(what),
            MeetingsError::Forbidden(message) => AppError::Forbidden(message),
            MeetingsError::Invalid(fields) => AppError::Validation(fields),
            MeetingsError::Closed { deadline } => conflict(
                "requests_closed",
                format!(
                    "meeting requests and answers closed at {}",
                    deadline.to_rfc3339()
                ),
                json!({ "deadline": deadline }),
            ),
            MeetingsError::Exists { request_id, sent } => conflict(
                "request_exists",
                if sent {
                    "you already asked this person for a meeting".into()
                } else {
                    "this person already asked you for a meeting: answer their request".into()
                },
                json!({ "request_id": request_id, "direction": if sent { "sent" } else { "received" } }),
            ),
            MeetingsError::Declined { request_id } => conflict(
                "request_declined",
                message,
                json!({ "request_id": request_id }),
            ),
            MeetingsError::SendLimit { limit } => {
                conflict("request_limit_reached", message, json!({ "limit": limit }))
            }
            MeetingsError::MeetingLimit { whose, limit } => conflict(
                "meeting_limit_reached",
                match whose {
                    Whose::Mine => format!("you have as many meetings as allowed ({limit})"),
                    Whose::Theirs => {
                        format!("the other side has as many meetings as allowed ({limit})")
                    }
                },
                json!({ "whose": whose, "limit": limit }),
            ),
            MeetingsError::NotPending { status } => {
                conflict("request_not_pending", message, json!({ "status": status }))
            }
            MeetingsError::NotWithdrawable { status } => conflict(
                "request_not_withdrawable",
                message,
                json!({ "status": status }),
            ),
            MeetingsError::Conflict(message) => AppError::conflict(message),
            MeetingsError::App(e) => e,
            MeetingsError::Database(e) => AppError::from(e),
        }
    }
}

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(my_requests, create_request))
        .routes(routes!(accept_request))
        .routes(routes!(decline_request))
        .routes(routes!(withdraw_request))
        .routes(routes!(get_rules, put_rules))
        .routes(routes!(my_availability, set_availability))
        .routes(routes!(my_notice_choice, set_notice_choice))
        .routes(routes!(requests_overview))
        .routes(routes!(my_recommendations))
}

/// My meeting requests, sent and received, newest first, with the other side's name,
/// organisation and role, my counters and the rules that concern me.
#[utoipa::path(get, path = "/api/events/{event_id}/requests", tag = "meetings",
    params(("event_id" = Uuid, Path, description = "the event")),
    responses((status = 200, body = MyRequests), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn my_requests(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(event_id): Path<Uuid>,
) -> AppResult<Json<MyRequests>> {
    Ok(Json(requests::mine(&state, &user.person, event_id).await?))
}

/// Ask a participant for a one-to-one meeting (buyers and suppliers). A request holds no
/// time slot. Where the event needs no acceptance, it is accepted at once.
#[utoipa::path(post, path = "/api/events/{event_id}/requests", tag = "meetings",
    params(("event_id" = Uuid, Path, description = "the event")),
    request_body = RequestInput,
    responses((status = 201, body = MeetingRequestView), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
              (status = 409, description = "`request_exists` (either way round), `request_declined` (the pair declined before), `request_limit_reached`, `meeting_limit_reached` (`details.whose`: `mine` or `theirs`; when requests count as accepted at once), `requests_closed` (the deadline passed)", body = ErrorBody),
              (status = 422, description = "`participant_id`: `not_found`, `self`, `role_not_allowed`; `message`: too long", body = ErrorBody)))]
#[tracing::instrument(skip_all, fields(%event_id))]
async fn create_request(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(event_id): Path<Uuid>,
    Json(body): Json<RequestInput>,
) -> AppResult<(StatusCode, Json<MeetingRequestView>)> {
    Ok((
        StatusCode::CREATED,
        Json(requests::create(&state, &user.person, event_id, body).await?),
    ))
}

/// Accept a request I received, optionally with my own priority (the body may be left
/// out, or `null`).
#[utoipa::path(post, path = "/api/events/{event_id}/requests/{request_id}/accept", tag = "meetings",
    params(("event_id" = Uuid, Path, description = "the event"),
           ("request_id" = Uuid, Path, description = "the request")),
    request_body = Option<AcceptInput>,
    responses((status = 200, body = MeetingRequestView), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
              (status = 409, description = "`request_not_pending` (`details.status`), `meeting_limit_reached` (`details.whose`), `requests_closed`", body = ErrorBody)))]
#[tracing::instrument(skip_all, fields(%event_id, %request_id))]
async fn accept_request(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((event_id, request_id)): Path<(Uuid, Uuid)>,
    body: Option<Json<Option<AcceptInput>>>,
) -> AppResult<Json<MeetingRequestView>> {
    let input = body.and_then(|Json(b)| b).unwrap_or_default();
    Ok(Json(
        requests::accept(&state, &user.person, event_id, request_id, input).await?,
    ))
}

/// Decline a request I received, optionally with a reason the requester reads (the body
/// may be left out, or `null`). The two of us cannot ask each other again.
#[utoipa::path(post, path = "/api/events/{event_id}/requests/{request_id}/decline", tag = "meetings",
    params(("event_id" = Uuid, Path, description = "the event"),
           ("request_id" = Uuid, Path, description = "the request")),
    request_body = Option<DeclineInput>,
    responses((status = 200, body = MeetingRequestView), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
              (status = 409, description = "`request_not_pending` (`details.status`), `requests_closed`", body = ErrorBody)))]
#[tracing::instrument(skip_all, fields(%event_id, %request_id))]
async fn decline_request(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((event_id, request_id)): Path<(Uuid, Uuid)>,
    body: Option<Json<Option<DeclineInput>>>,
) -> AppResult<Json<MeetingRequestView>> {
    let input = body.and_then(|Json(b)| b).unwrap_or_default();
    Ok(Json(
        requests::decline(&state, &user.person, event_id, request_id, input).await?,
    ))
}

/// Withdraw a request I sent, pending or accepted, until it is scheduled.
#[utoipa::path(post, path = "/api/events/{event_id}/requests/{request_id}/withdraw", tag = "meetings",
    params(("event_id" = Uuid, Path, description = "the event"),
           ("request_id" = Uuid, Path, description = "the request")),
    responses((status = 200, body = MeetingRequestView), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
              (status = 409, description = "`request_not_withdrawable` (`details.status`: scheduled, declined, withdrawn or expired)", body = ErrorBody)))]
#[tracing::instrument(skip_all, fields(%event_id, %request_id))]
async fn withdraw_request(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((event_id, request_id)): Path<(Uuid, Uuid)>,
) -> AppResult<Json<MeetingRequestView>> {
    Ok(Json(
        requests::withdraw(&state, &user.person, event_id, request_id).await?,
    ))
}

/// The event's rules for meeting requests (organisers); the defaults until set.
#[utoipa::path(get, path = "/api/events/{event_id}/request-rules", tag = "meetings",
    params(("event_id" = Uuid, Path, description = "the event")),
    responses((status = 200, body = RequestRules), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn get_rules(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(event_id): Path<Uuid>,
) -> AppResult<Json<RequestRules>> {
    Ok(Json(rules::get(&state, &user.person, event_id).await?))
}

/// Set the event's rules for meeting requests (organisers). Replaces them all: a field
/// left out takes its default. Requests already made stay as they are.
#[utoipa::path(put, path = "/api/events/{event_id}/request-rules", tag = "meetings",
    params(("event_id" = Uuid, Path, description = "the event")),
    request_body = RequestRulesInput,
    responses((status = 200, body = RequestRules), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
              (status = 422, body = ErrorBody)))]
#[tracing::instrument(skip_all, fields(%event_id))]
async fn put_rules(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(event_id): Path<Uuid>,
    Json(body): Json<RequestRulesInput>,
) -> AppResult<Json<RequestRules>> {
    Ok(Json(
        rules::put(&state, &user.person, event_id, body).await?,
    ))
}

/// The event's meeting slots as they stand for me: the ones I marked as unavailable, and
/// the ones my sessions of the programme block (marked by `session_id`).
#[utoipa::path(get, path = "/api/events/{event_id}/availability/me", tag = "meetings",
    params(("event_id" = Uuid, Path, description = "the event")),
    responses((status = 200, body = Availability), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn my_availability(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(event_id): Path<Uuid>,
) -> AppResult<Json<Availability>> {
    Ok(Json(
        availability::mine(&state, &user.person, event_id).await?,
    ))
}

/// Set the meeting slots I cannot meet in (replaces the ones marked before).
#[utoipa::path(put, path = "/api/events/{event_id}/availability/me", tag = "meetings",
    params(("event_id" = Uuid, Path, description = "the event")),
    request_body = AvailabilityInput,
    responses((status = 200, body = Availability), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
              (status = 422, description = "`slot_ids[i]`: `not_found` (not a slot of this event), `not_a_meeting_slot` (a break); `slot_ids`: `too_many`", body = ErrorBody)))]
#[tracing::instrument(skip_all, fields(%event_id))]
async fn set_availability(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(event_id): Path<Uuid>,
    Json(body): Json<AvailabilityInput>,
) -> AppResult<Json<Availability>> {
    Ok(Json(
        availability::set(&state, &user.person, event_id, body).await?,
    ))
}

/// When my emails about meeting requests come in this event (buyers and suppliers):
/// `immediate` or `digest`, my own choice or the organiser's default.
#[utoipa::path(get, path = "/api/events/{event_id}/request-notifications/me", tag = "meetings",
    params(("event_id" = Uuid, Path, description = "the event")),
    responses((status = 200, body = NoticeChoice), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn my_notice_choice(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(event_id): Path<Uuid>,
) -> AppResult<Json<NoticeChoice>> {
    Ok(Json(choice::get(&state, &user.person, event_id).await?))
}

/// Choose when my emails about meeting requests come: `immediate` (one per change) or
/// `digest` (one every few hours); `null` goes back to the organiser's default. Live
/// messages come at once either way.
#[utoipa::path(put, path = "/api/events/{event_id}/request-notifications/me", tag = "meetings",
    params(("event_id" = Uuid, Path, description = "the event")),
    request_body = NoticeChoiceInput,
    responses((status = 200, body = NoticeChoice), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
              (status = 422, body = ErrorBody)))]
#[tracing::instrument(skip_all, fields(%event_id))]
async fn set_notice_choice(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(event_id): Path<Uuid>,
    Json(body): Json<NoticeChoiceInput>,
) -> AppResult<Json<NoticeChoice>> {
    Ok(Json(
        choice::put(&state, &user.person, event_id, body).await?,
    ))
}

/// How the overview comes.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum OverviewFormat {
    #[default]
    Json,
    /// The per-person table as a spreadsheet (`text/csv`, UTF-8), as a download.
    Csv,
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct OverviewQuery {
    /// `json` (default) or `csv`.
    #[param(inline)]
    pub format: Option<OverviewFormat>,
    /// The language of the spreadsheet's headers and roles; by default the reader's.
    #[param(inline)]
    pub lang: Option<Lang>,
}

/// The organisers' overview of the event's meeting requests: per person sent, received,
/// accepted, declined and pending; unanswered requests by age with the oldest; buyers and
/// suppliers without any request; the most requested suppliers; the acceptance rate. With
/// `format=csv` the per-person table as a spreadsheet.
#[utoipa::path(get, path = "/api/events/{event_id}/requests/overview", tag = "meetings",
    params(("event_id" = Uuid, Path, description = "the event"), OverviewQuery),
    responses((status = 200, description = "the overview; with `format=csv` the per-person table to download",
               content((RequestOverview = "application/json"), (String = "text/csv"))),
              (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn requests_overview(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(event_id): Path<Uuid>,
    Query(query): Query<OverviewQuery>,
) -> AppResult<Response> {
    let overview = overview::overview(&state, &user.person, event_id).await?;
    if query.format.unwrap_or_default() == OverviewFormat::Json {
        return Ok(Json(overview).into_response());
    }
    let lang = query.lang.unwrap_or(user.person.language);
    let body = overview::people_csv(&overview, lang)?;
    let name = match lang {
        Lang::Nl => "gespreksverzoeken",
        Lang::En => "meeting-requests",
    };
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{name}-{event_id}.csv\""),
            ),
            (header::CACHE_CONTROL, "no-store".to_string()),
        ],
        body,
    )
        .into_response())
}

/// Whom I should ask for a meeting, best first, each with a score and the reasons in my
/// language: suppliers whose published factsheets fit my needs profile (for buyers), buyers
/// whose shared needs fit my factsheets (for suppliers). Leaves out whoever I already have a
/// standing or declined request with; an empty list comes with a `hint`.
#[utoipa::path(get, path = "/api/events/{event_id}/recommendations/me", tag = "meetings",
    params(("event_id" = Uuid, Path, description = "the event"), RecommendationsQuery),
    responses((status = 200, body = Recommendations),
              (status = 403, description = "organisers and facilitators (no one-to-one meetings); a platform admin who does not take part", body = ErrorBody),
              (status = 404, body = ErrorBody),
              (status = 422, description = "`limit`: `out_of_range`", body = ErrorBody)))]
#[tracing::instrument(skip_all, fields(%event_id))]
async fn my_recommendations(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(event_id): Path<Uuid>,
    Query(query): Query<RecommendationsQuery>,
) -> AppResult<Json<Recommendations>> {
    Ok(Json(
        recommend::for_me(&state, &user.person, event_id, query).await?,
    ))
}
