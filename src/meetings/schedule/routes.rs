//! HTTP endpoints of scheduling meetings: runs, their preview, publishing, the meetings,
//! and the instance and schedule as files. [`ScheduleError`] becomes the common error body
//! here.

use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use serde_json::json;
use utoipa::IntoParams;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use uuid::Uuid;

use super::meetings::{self, MeetingList};
use super::publish::{self, PublishSummary};
use super::runs::{self, RunInput, RunList, RunView};
use super::whatif::{self, WhatIf, WhatIfInput};
use super::whynot::{self, WhyNotList};
use super::{ScheduleError, export};
use crate::auth::CurrentUser;
use crate::domain::Lang;
use crate::error::{AppError, AppResult, ErrorBody};
use crate::http::{Json, Path, Query};
use crate::state::AppState;

impl From<ScheduleError> for AppError {
    fn from(err: ScheduleError) -> Self {
        let conflict = |code: &'static str, message: String, details| AppError::Coded {
            status: StatusCode::CONFLICT,
            code,
            message,
            details: Some(details),
        };
        let message = err.to_string();
        match err {
            ScheduleError::NotFound(what) => AppError::NotFound(what),
            ScheduleError::Forbidden(message) => AppError::Forbidden(message),
            ScheduleError::Invalid(fields) => AppError::Validation(fields),
            ScheduleError::RunActive { run_id, status } => conflict(
                "schedule_run_active",
                message,
                json!({ "run_id": run_id, "status": status }),
            ),
            ScheduleError::RunState { status } => {
                conflict("schedule_run_state", message, json!({ "status": status }))
            }
            ScheduleError::NotLatest { latest_run_id } => conflict(
                "schedule_run_not_latest",
                message,
                json!({ "latest_run_id": latest_run_id }),
            ),
            ScheduleError::AlreadyPublished => {
                conflict("schedule_run_published", message, json!({}))
            }
            ScheduleError::Outdated(message) => conflict("schedule_outdated", message, json!({})),
            ScheduleError::App(e) => e,
            ScheduleError::Database(e) => AppError::from(e),
        }
    }
}

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_runs, start_run))
        .routes(routes!(get_run, cancel_run))
        .routes(routes!(publish_run))
        .routes(routes!(what_if))
        .routes(routes!(list_meetings))
        .routes(routes!(why_not))
        .routes(routes!(export_instance))
        .routes(routes!(export_schedule))
}

/// Start a run of the meeting scheduler (organisers): it is queued and runs in the
/// background on whichever server instance claims it; follow it with `GET` (or the live
/// `schedule_run` messages). One run per event at a time.
#[utoipa::path(post, path = "/api/events/{event_id}/schedule/runs", tag = "schedule",
    params(("event_id" = Uuid, Path, description = "the event")),
    request_body = Option<RunInput>,
    responses((status = 202, body = RunView), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
              (status = 409, description = "`schedule_run_active`: the event has a queued or running run (`details.run_id`, `details.status`)", body = ErrorBody),
              (status = 422, description = "`time_limit_seconds`, `seed`: `out_of_range`; `mode`: not `full` or `add_only`", body = ErrorBody)))]
#[tracing::instrument(skip_all, fields(%event_id))]
async fn start_run(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(event_id): Path<Uuid>,
    body: Option<Json<Option<RunInput>>>,
) -> AppResult<(StatusCode, Json<RunView>)> {
    let input = body.and_then(|Json(b)| b).unwrap_or_default();
    Ok((
        StatusCode::ACCEPTED,
        Json(runs::start(&state, &user.person, event_id, input).await?),
    ))
}

/// The event's recent runs, newest first (organisers), without their previews.
#[utoipa::path(get, path = "/api/events/{event_id}/schedule/runs", tag = "schedule",
    params(("event_id" = Uuid, Path, description = "the event")),
    responses((status = 200, body = RunList), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn list_runs(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(event_id): Path<Uuid>,
) -> AppResult<Json<RunList>> {
    Ok(Json(runs::list(&state, &user.person, event_id).await?))
}

/// The language of texts in an answer (the reasons why requests have no meeting).
#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct ReadingQuery {
    /// `nl` or `en`; by default the reader's language.
    #[param(inline)]
    pub lang: Option<Lang>,
}

/// One run (organisers): its progress while queued or running, its `preview` once done
/// (with the reasons for requests left out in `lang`), its `error` when it failed.
#[utoipa::path(get, path = "/api/events/{event_id}/schedule/runs/{run_id}", tag = "schedule",
    params(("event_id" = Uuid, Path, description = "the event"), ("run_id" = Uuid, Path, description = "the run"), ReadingQuery),
    responses((status = 200, body = RunView), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
              (status = 400, description = "`lang`: not `nl` or `en`", body = ErrorBody)))]
async fn get_run(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((event_id, run_id)): Path<(Uuid, Uuid)>,
    Query(query): Query<ReadingQuery>,
) -> AppResult<Json<RunView>> {
    let lang = query.lang.unwrap_or(user.person.language);
    Ok(Json(
        runs::get(&state, &user.person, event_id, run_id, lang).await?,
    ))
}

/// Cancel a run (organisers): a queued run stops at once, a running one at the solver's
/// next check (`cancel_requested` is set meanwhile).
#[utoipa::path(delete, path = "/api/events/{event_id}/schedule/runs/{run_id}", tag = "schedule",
    params(("event_id" = Uuid, Path, description = "the event"), ("run_id" = Uuid, Path, description = "the run")),
    responses((status = 200, body = RunView), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
              (status = 409, description = "`schedule_run_state`: the run is done, failed or cancelled (`details.status`)", body = ErrorBody)))]
#[tracing::instrument(skip_all, fields(%event_id, %run_id))]
async fn cancel_run(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((event_id, run_id)): Path<(Uuid, Uuid)>,
) -> AppResult<Json<RunView>> {
    Ok(Json(
        runs::cancel(&state, &user.person, event_id, run_id).await?,
    ))
}

/// Publish a done run (organisers): its meetings become the ones people see, in one
/// transaction; the people whose meetings changed are told live and by email with their
/// whole day.
#[utoipa::path(post, path = "/api/events/{event_id}/schedule/runs/{run_id}/publish", tag = "schedule",
    params(("event_id" = Uuid, Path, description = "the event"), ("run_id" = Uuid, Path, description = "the run")),
    responses((status = 200, body = PublishSummary), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
              (status = 409, description = "`schedule_run_state` (not done), `schedule_run_not_latest` (`details.latest_run_id`), `schedule_run_published`, `schedule_outdated` (requests or meetings changed since the run: run again)", body = ErrorBody)))]
#[tracing::instrument(skip_all, fields(%event_id, %run_id))]
async fn publish_run(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((event_id, run_id)): Path<(Uuid, Uuid)>,
) -> AppResult<Json<PublishSummary>> {
    Ok(Json(
        publish::publish(&state, &user.person, event_id, run_id).await?,
    ))
}

/// What if the venue had more tables or the day more slots (organisers, a done run): the
/// proven maximum with and without the change at once, and with `solve` a schedule of the
/// changed problem started from the run's (searching at most `time_limit_seconds`). Nothing
/// is stored or changed.
#[utoipa::path(post, path = "/api/events/{event_id}/schedule/runs/{run_id}/what-if", tag = "schedule",
    params(("event_id" = Uuid, Path, description = "the event"), ("run_id" = Uuid, Path, description = "the run")),
    request_body = WhatIfInput,
    responses((status = 200, body = WhatIf), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
              (status = 409, description = "`schedule_run_state`: the run is not done (`details.status`); `schedule_outdated`: the run's last meeting slot is gone (for `extra_minutes`)", body = ErrorBody),
              (status = 422, description = "`count`, `minutes`, `time_limit_seconds`: `out_of_range`; `minutes`: `required` with `extra_minutes`, `not_allowed` with the others; `count`: `not_allowed` with `extra_minutes`; `scenario`: not one of the three", body = ErrorBody)))]
#[tracing::instrument(skip_all, fields(%event_id, %run_id))]
async fn what_if(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((event_id, run_id)): Path<(Uuid, Uuid)>,
    Json(input): Json<WhatIfInput>,
) -> AppResult<Json<WhatIf>> {
    Ok(Json(
        whatif::what_if(&state, &user.person, event_id, run_id, input).await?,
    ))
}

/// The event's meetings in time order: organisers see all, buyers and suppliers their
/// own; each with its slot, table, both people and the supplier's factsheet.
#[utoipa::path(get, path = "/api/events/{event_id}/meetings", tag = "schedule",
    params(("event_id" = Uuid, Path, description = "the event")),
    responses((status = 200, body = MeetingList),
              (status = 403, description = "facilitators (no one-to-one meetings)", body = ErrorBody),
              (status = 404, body = ErrorBody)))]
async fn list_meetings(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(event_id): Path<Uuid>,
) -> AppResult<Json<MeetingList>> {
    Ok(Json(meetings::list(&state, &user.person, event_id).await?))
}

/// Why accepted requests have no meeting in the published schedule: organisers every
/// one, buyers and suppliers their own, told from their side (their own sessions and
/// meetings named, the other side's only as not available or busy). In the reader's
/// language (or `lang`). Before anything is published, `published` is false and the list
/// empty.
#[utoipa::path(get, path = "/api/events/{event_id}/meetings/why-not", tag = "schedule",
    params(("event_id" = Uuid, Path, description = "the event"), ReadingQuery),
    responses((status = 200, body = WhyNotList),
              (status = 403, description = "facilitators (no one-to-one meetings)", body = ErrorBody),
              (status = 404, body = ErrorBody),
              (status = 400, description = "`lang`: not `nl` or `en`", body = ErrorBody)))]
async fn why_not(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(event_id): Path<Uuid>,
    Query(query): Query<ReadingQuery>,
) -> AppResult<Json<WhyNotList>> {
    let lang = query.lang.unwrap_or(user.person.language);
    Ok(Json(
        whynot::of_published(&state, &user.person, event_id, lang).await?,
    ))
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct ExportQuery {
    /// A run of the event: its own instance or schedule instead of the event's now.
    pub run_id: Option<Uuid>,
}

fn download(body: String, name: String) -> Response {
    (
        [
            (header::CONTENT_TYPE, "application/json".to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{name}\""),
            ),
            (header::CACHE_CONTROL, "no-store".to_string()),
        ],
        body,
    )
        .into_response()
}

/// The event's scheduling instance as a `matchfloor-instance/1` file (organisers): as built
/// from the event now, or with `run_id` the one that run used.
#[utoipa::path(get, path = "/api/events/{event_id}/schedule/instance", tag = "schedule",
    params(("event_id" = Uuid, Path, description = "the event"), ExportQuery),
    responses((status = 200, description = "the instance, as a download", content_type = "application/json", body = Object),
              (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
              (status = 409, description = "`schedule_run_state`: the run has no instance yet", body = ErrorBody)))]
async fn export_instance(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(event_id): Path<Uuid>,
    Query(query): Query<ExportQuery>,
) -> AppResult<Response> {
    let body = export::instance(&state, &user.person, event_id, query.run_id).await?;
    let name = match query.run_id {
        Some(run) => format!("instance-{event_id}-run-{run}.json"),
        None => format!("instance-{event_id}.json"),
    };
    Ok(download(body, name))
}

/// The published schedule as a `matchfloor-schedule/1` file with its objective and bound
/// against the instance built now (organisers); with `run_id` that run's schedule.
#[utoipa::path(get, path = "/api/events/{event_id}/schedule/export", tag = "schedule",
    params(("event_id" = Uuid, Path, description = "the event"), ExportQuery),
    responses((status = 200, description = "the schedule, as a download", content_type = "application/json", body = Object),
              (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
              (status = 409, description = "`schedule_run_state`: the run is not done; `schedule_outdated`: the event's data makes no valid instance", body = ErrorBody)))]
async fn export_schedule(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(event_id): Path<Uuid>,
    Query(query): Query<ExportQuery>,
) -> AppResult<Response> {
    let body = export::schedule(&state, &user.person, event_id, query.run_id).await?;
    let name = match query.run_id {
        Some(run) => format!("schedule-{event_id}-run-{run}.json"),
        None => format!("schedule-{event_id}.json"),
    };
    Ok(download(body, name))
}
