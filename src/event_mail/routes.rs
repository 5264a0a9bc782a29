//! HTTP endpoints of the organisers' view of their event's mail. [`MailError`] becomes the
//! common error body here.

use axum::extract::State;
use axum::http::StatusCode;
use serde_json::json;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use uuid::Uuid;

use super::service::{self as organiser, MailDetail, MailError, MailList, MailQuery, MailSummary};
use crate::auth::CurrentUser;
use crate::error::{AppError, AppResult, ErrorBody};
use crate::http::{Json, Path, Query};
use crate::state::AppState;

impl From<MailError> for AppError {
    fn from(err: MailError) -> Self {
        let message = err.to_string();
        match err {
            MailError::NotFound(what) => AppError::NotFound(what),
            MailError::Invalid(fields) => AppError::Validation(fields),
            MailError::InProgress { status } => AppError::Coded {
                status: StatusCode::CONFLICT,
                code: "mail_in_progress",
                message,
                details: Some(json!({ "status": status })),
            },
            MailError::LinkNotRenewable => AppError::Coded {
                status: StatusCode::CONFLICT,
                code: "mail_link_not_renewable",
                message,
                details: None,
            },
            MailError::App(e) => e,
            MailError::Database(e) => AppError::from(e),
        }
    }
}

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_mail))
        .routes(routes!(get_mail))
        .routes(routes!(resend_mail))
}

/// The event's email (organisers): every message written for the event, newest first, with
/// its state (`pending`, `sending`, `sent`, `failed` with the reason), filtered by state,
/// kind, person or text in the address, name or subject; with all messages counted by kind
/// and state (the progress of a mass send).
#[utoipa::path(get, path = "/api/events/{event_id}/mail", tag = "mail",
    params(("event_id" = Uuid, Path, description = "the event"), MailQuery),
    responses((status = 200, body = MailList), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
              (status = 400, description = "`status`, `kind`, `person`, `before` or `limit` not of their type", body = ErrorBody),
              (status = 422, description = "`limit`: `out_of_range`; `q`: too long or with control characters", body = ErrorBody)))]
async fn list_mail(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(event_id): Path<Uuid>,
    Query(query): Query<MailQuery>,
) -> AppResult<Json<MailList>> {
    Ok(Json(
        organiser::list(&state, &user.person, event_id, query).await?,
    ))
}

/// One of the event's messages (organisers), with its plain text (login links masked) and
/// the messages that sent it again.
#[utoipa::path(get, path = "/api/events/{event_id}/mail/{mail_id}", tag = "mail",
    params(("event_id" = Uuid, Path, description = "the event"), ("mail_id" = Uuid, Path, description = "the message")),
    responses((status = 200, body = MailDetail), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn get_mail(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((event_id, mail_id)): Path<(Uuid, Uuid)>,
) -> AppResult<Json<MailDetail>> {
    Ok(Json(
        organiser::get(&state, &user.person, event_id, mail_id).await?,
    ))
}

/// Send one of the event's messages again (organisers): a failed one is queued again as it
/// is (attempts start over), a sent one as a new message; a login link in it is replaced by
/// a fresh one. Answers the message that will go out.
#[utoipa::path(post, path = "/api/events/{event_id}/mail/{mail_id}/resend", tag = "mail",
    params(("event_id" = Uuid, Path, description = "the event"), ("mail_id" = Uuid, Path, description = "the message")),
    responses((status = 202, body = MailSummary), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
              (status = 409, description = "`mail_in_progress`: the message is still queued or in delivery (`details.status`); `mail_link_not_renewable`: its link cannot be renewed (a message from before messages kept their person)", body = ErrorBody)))]
#[tracing::instrument(skip_all, fields(%event_id, %mail_id))]
async fn resend_mail(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((event_id, mail_id)): Path<(Uuid, Uuid)>,
) -> AppResult<(StatusCode, Json<MailSummary>)> {
    Ok((
        StatusCode::ACCEPTED,
        Json(organiser::resend(&state, &user.person, event_id, mail_id).await?),
    ))
}
