//! HTTP endpoints of the organisers' edits of the schedule by hand. [`EditError`] becomes
//! the common error body here.

use axum::extract::State;
use axum::http::StatusCode;
use serde_json::json;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use uuid::Uuid;

use super::agenda::MeetingView;
use super::edit::{self, EditAnswer, EditError, EditInput, PlaceInput};
use super::holds::Taken;
use crate::auth::CurrentUser;
use crate::error::{AppError, AppResult, ErrorBody};
use crate::http::{Json, Path};
use crate::state::AppState;

impl From<EditError> for AppError {
    fn from(err: EditError) -> Self {
        let conflict = |code: &'static str, message: String, details| AppError::Coded {
            status: StatusCode::CONFLICT,
            code,
            message,
            details: Some(details),
        };
        let message = err.to_string();
        match err {
            EditError::NotFound(what) => AppError::NotFound(what),
            EditError::Forbidden(message) => AppError::Forbidden(message),
            EditError::Invalid(fields) => AppError::Validation(fields),
            EditError::NotAccepted { status } => {
                conflict("request_not_accepted", message, json!({ "status": status }))
            }
            EditError::AlreadyScheduled { meeting_id } => conflict(
                "meeting_exists",
                message,
                json!({ "meeting_id": meeting_id }),
            ),
            EditError::Cancelled { meeting_id } => conflict(
                "meeting_cancelled",
                message,
                json!({ "meeting_id": meeting_id }),
            ),
            EditError::Left { person } => {
                conflict("participant_left", message, json!({ "person": person }))
            }
            EditError::Unavailable { person, slot_id } => conflict(
                "unavailable",
                message,
                json!({ "person": person, "slot_id": slot_id }),
            ),
            EditError::InSession {
                person,
                slot_id,
                session,
            } => conflict(
                "in_session",
                message,
                json!({ "person": person, "slot_id": slot_id, "session": session }),
            ),
            EditError::MeetingLimit { person, limit } => conflict(
                "meeting_limit_reached",
                message,
                json!({ "person": person, "limit": limit }),
            ),
            EditError::Taken(taken) => {
                let code = match taken.as_ref() {
                    Taken::Person { .. } => "person_busy",
                    Taken::Table { .. } => "table_taken",
                    Taken::Meanwhile { .. } => "slot_taken",
                };
                conflict(code, message, json!(taken))
            }
            EditError::App(e) => e,
            EditError::Database(e) => AppError::from(e),
        }
    }
}

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(place_meeting))
        .routes(routes!(edit_meeting))
}

const REFUSALS: &str = "`unavailable` (one of them marked the slot; `details.person`), \
`in_session` (a session of theirs takes the slot; `details.session` with its titles), \
`person_busy` (in another meeting then; `details.person`, `details.partner`, \
`details.meeting_id`), `table_taken` (`details.number`, `details.people`), \
`meeting_limit_reached` (`details.person`, `details.limit`), `participant_left`";

/// Place an accepted meeting request in a slot and at a table by hand (organisers of the
/// event), moving nobody else: for late requests after the schedule was published. The
/// request becomes `scheduled`; both people are told live (`my_meeting`) and by email.
#[utoipa::path(post, path = "/api/events/{event_id}/meetings", tag = "meetings",
    params(("event_id" = Uuid, Path, description = "the event")),
    request_body = PlaceInput,
    responses((status = 201, body = MeetingView), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
              (status = 409, description = "`request_not_accepted` (`details.status`), `meeting_exists` (the request has a scheduled meeting: move it), or a refusal of the place: see PATCH", body = ErrorBody),
              (status = 422, description = "`request_id`: `not_found`; `slot_id`: `not_found`, `not_a_meeting_slot`; `table_id`: `not_found`, `required` (the event has tables)", body = ErrorBody)))]
#[tracing::instrument(skip_all, fields(%event_id))]
async fn place_meeting(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(event_id): Path<Uuid>,
    Json(body): Json<PlaceInput>,
) -> AppResult<(StatusCode, Json<MeetingView>)> {
    Ok((
        StatusCode::CREATED,
        Json(edit::place(&state, &user.person, event_id, body).await?),
    ))
}

/// Change a scheduled meeting by hand (organisers of the event): move it (`slot_id` and/or
/// `table_id`), swap it with another (`swap_with`: the two exchange slot and table), pin
/// or unpin it (`pinned`), or cancel it (`status: "cancelled"`: its request is accepted
/// again). One of move, swap and cancel at a time, optionally with `pinned`. The people of
/// a moved or cancelled meeting are told live (`my_meeting`) and by email; pinning alone
/// tells nobody.
#[utoipa::path(patch, path = "/api/events/{event_id}/meetings/{meeting_id}", tag = "meetings",
    params(("event_id" = Uuid, Path, description = "the event"),
           ("meeting_id" = Uuid, Path, description = "the meeting")),
    request_body = EditInput,
    responses((status = 200, body = EditAnswer), (status = 403, body = ErrorBody),
              (status = 404, description = "not a meeting of this event, or not an event for the caller", body = ErrorBody),
              (status = 409, description = REFUSALS, body = ErrorBody),
              (status = 422, description = "`slot_id`, `table_id`, `swap_with`: `not_found`; `slot_id`: `not_a_meeting_slot`; `swap_with`: `same_meeting`; `one_change`, `no_change`", body = ErrorBody)))]
#[tracing::instrument(skip_all, fields(%event_id, %meeting_id))]
async fn edit_meeting(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((event_id, meeting_id)): Path<(Uuid, Uuid)>,
    Json(body): Json<EditInput>,
) -> AppResult<Json<EditAnswer>> {
    Ok(Json(
        edit::edit(&state, &user.person, event_id, meeting_id, body).await?,
    ))
}
