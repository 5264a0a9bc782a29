//! HTTP endpoints of the programme: sessions, sign-ups, organisers' overrides, the agenda
//! and the public programme. [`ProgrammeError`] becomes the common error body here.

use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use serde_json::json;
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use uuid::Uuid;

use super::questions::{self, Briefing, MyQuestion, QuestionInput};
use super::service::{
    self, Agenda, LogEntry, Programme, ProgrammeFilter, SessionInput, SessionView, SignupList,
};
use super::signup::{self, AddInput, MoveInput, SignupOutcome};
use super::{ProgrammeError, SessionKind};
use crate::auth::CurrentUser;
use crate::domain::Lang;
use crate::error::{AppError, AppResult, ErrorBody};
use crate::http::{Json, Path, Query};
use crate::state::AppState;

impl From<ProgrammeError> for AppError {
    fn from(err: ProgrammeError) -> Self {
        let message = err.to_string();
        match err {
            ProgrammeError::NotFound(what) => AppError::NotFound(what),
            ProgrammeError::Forbidden(message) => AppError::Forbidden(message),
            ProgrammeError::Invalid(fields) => AppError::Validation(fields),
            ProgrammeError::NotOpen { opens_at } => AppError::Coded {
                status: StatusCode::CONFLICT,
                code: "signup_not_open",
                message: format!(
                    "sign-up for this session opens at {}",
                    opens_at.to_rfc3339()
                ),
                details: Some(json!({ "opens_at": opens_at })),
            },
            ProgrammeError::Closed { closed_at } => AppError::Coded {
                status: StatusCode::CONFLICT,
                code: "signup_closed",
                message: format!(
                    "sign-up for this session closed at {}",
                    closed_at.to_rfc3339()
                ),
                details: Some(json!({ "closed_at": closed_at })),
            },
            ProgrammeError::Overlap { other } => AppError::Coded {
                status: StatusCode::CONFLICT,
                code: "session_overlap",
                message: format!(
                    "you already have a seat in \"{}\" ({} {}-{}) at that time",
                    other.title_en, other.date, other.start, other.end
                ),
                details: Some(json!({ "session": other })),
            },
            ProgrammeError::TimeConflict { people, other } => AppError::Coded {
                status: StatusCode::CONFLICT,
                code: "session_overlap",
                message: format!(
                    "{people} people with a seat in this session also have a seat in \"{}\" ({} {}-{}) at the new time",
                    other.title_en, other.date, other.start, other.end
                ),
                details: Some(json!({ "session": other, "people": people })),
            },
            ProgrammeError::NotSignedUp => AppError::NotFound("sign-up"),
            ProgrammeError::SignUpFirst => {
                AppError::coded(StatusCode::FORBIDDEN, "not_signed_up", message)
            }
            ProgrammeError::NotADialogue { kind } => AppError::Coded {
                status: StatusCode::CONFLICT,
                code: "not_a_dialogue",
                message,
                details: Some(json!({ "kind": kind })),
            },
            ProgrammeError::Started { started_at } => AppError::Coded {
                status: StatusCode::CONFLICT,
                code: "session_started",
                message,
                details: Some(json!({ "started_at": started_at })),
            },
            ProgrammeError::Conflict(message) => AppError::conflict(message),
            ProgrammeError::App(e) => e,
            ProgrammeError::Database(e) => AppError::from(e),
        }
    }
}

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_sessions, create_session))
        .routes(routes!(show_session, update_session, delete_session))
        .routes(routes!(sign_up, cancel_signup))
        .routes(routes!(list_signups, add_signup))
        .routes(routes!(move_on_waitlist, remove_signup))
        .routes(routes!(signup_log))
        .routes(routes!(my_question, save_question, remove_question))
        .routes(routes!(briefing))
        .routes(routes!(my_agenda))
        .routes(routes!(public_programme))
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct ProgrammeQuery {
    /// Only this day (`YYYY-MM-DD`).
    pub date: Option<NaiveDate>,
    /// Only this kind of session.
    #[param(inline)]
    pub kind: Option<SessionKind>,
}

impl From<ProgrammeQuery> for ProgrammeFilter {
    fn from(q: ProgrammeQuery) -> Self {
        ProgrammeFilter {
            date: q.date,
            kind: q.kind,
        }
    }
}

/// The event's programme in time order, with the caller's own sign-ups (participants).
#[utoipa::path(get, path = "/api/events/{event_id}/sessions", tag = "programme",
    params(("event_id" = Uuid, Path, description = "the event"), ProgrammeQuery),
    responses((status = 200, body = Programme), (status = 404, body = ErrorBody)))]
async fn list_sessions(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(event_id): Path<Uuid>,
    Query(query): Query<ProgrammeQuery>,
) -> AppResult<Json<Programme>> {
    Ok(Json(
        service::list(&state, &user.person, event_id, query.into()).await?,
    ))
}

/// Add a session to the programme (organisers).
#[utoipa::path(post, path = "/api/events/{event_id}/sessions", tag = "programme",
    params(("event_id" = Uuid, Path, description = "the event")),
    request_body = SessionInput,
    responses((status = 201, body = SessionView), (status = 403, body = ErrorBody),
              (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
#[tracing::instrument(skip_all, fields(%event_id))]
async fn create_session(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(event_id): Path<Uuid>,
    Json(body): Json<SessionInput>,
) -> AppResult<(StatusCode, Json<SessionView>)> {
    Ok((
        StatusCode::CREATED,
        Json(service::create(&state, &user.person, event_id, body).await?),
    ))
}

/// One session (participants).
#[utoipa::path(get, path = "/api/events/{event_id}/sessions/{session_id}", tag = "programme",
    params(("event_id" = Uuid, Path, description = "the event"),
           ("session_id" = Uuid, Path, description = "the session")),
    responses((status = 200, body = SessionView), (status = 404, body = ErrorBody)))]
async fn show_session(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((event_id, session_id)): Path<(Uuid, Uuid)>,
) -> AppResult<Json<SessionView>> {
    Ok(Json(
        service::get(&state, &user.person, event_id, session_id).await?,
    ))
}

/// Change a session (organisers). More seats go to the waitlist at once; a new time that
/// would give someone two sessions at once is refused (`409 session_overlap`).
#[utoipa::path(patch, path = "/api/events/{event_id}/sessions/{session_id}", tag = "programme",
    params(("event_id" = Uuid, Path, description = "the event"),
           ("session_id" = Uuid, Path, description = "the session")),
    request_body = SessionInput,
    responses((status = 200, body = SessionView), (status = 403, body = ErrorBody),
              (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
#[tracing::instrument(skip_all, fields(%event_id, %session_id))]
async fn update_session(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((event_id, session_id)): Path<(Uuid, Uuid)>,
    Json(body): Json<SessionInput>,
) -> AppResult<Json<SessionView>> {
    Ok(Json(
        service::update(&state, &user.person, event_id, session_id, body).await?,
    ))
}

/// Remove a session with its sign-ups (organisers).
#[utoipa::path(delete, path = "/api/events/{event_id}/sessions/{session_id}", tag = "programme",
    params(("event_id" = Uuid, Path, description = "the event"),
           ("session_id" = Uuid, Path, description = "the session")),
    responses((status = 204), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
#[tracing::instrument(skip_all, fields(%event_id, %session_id))]
async fn delete_session(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((event_id, session_id)): Path<(Uuid, Uuid)>,
) -> AppResult<StatusCode> {
    service::delete(&state, &user.person, event_id, session_id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Sign up: a seat when one is free for your role, otherwise a place on the waitlist.
/// Asking again answers the same.
#[utoipa::path(put, path = "/api/events/{event_id}/sessions/{session_id}/signup", tag = "programme",
    params(("event_id" = Uuid, Path, description = "the event"),
           ("session_id" = Uuid, Path, description = "the session")),
    responses((status = 200, body = SignupOutcome), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
              (status = 409, description = "`signup_not_open`, `signup_closed`, or `session_overlap` naming the other session", body = ErrorBody)))]
#[tracing::instrument(skip_all, fields(%event_id, %session_id))]
async fn sign_up(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((event_id, session_id)): Path<(Uuid, Uuid)>,
) -> AppResult<Json<SignupOutcome>> {
    Ok(Json(
        signup::sign_up(&state, &user.person, event_id, session_id).await?,
    ))
}

/// Cancel your seat or waitlist place (until sign-up closes); a freed seat goes to the
/// first on the waitlist who fits it.
#[utoipa::path(delete, path = "/api/events/{event_id}/sessions/{session_id}/signup", tag = "programme",
    params(("event_id" = Uuid, Path, description = "the event"),
           ("session_id" = Uuid, Path, description = "the session")),
    responses((status = 204), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
              (status = 409, description = "`signup_closed`", body = ErrorBody)))]
#[tracing::instrument(skip_all, fields(%event_id, %session_id))]
async fn cancel_signup(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((event_id, session_id)): Path<(Uuid, Uuid)>,
) -> AppResult<StatusCode> {
    signup::cancel(&state, &user.person, event_id, session_id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Who signed up: confirmed, then the waitlist in order (the session's facilitators and
/// the organisers).
#[utoipa::path(get, path = "/api/events/{event_id}/sessions/{session_id}/signups", tag = "programme",
    params(("event_id" = Uuid, Path, description = "the event"),
           ("session_id" = Uuid, Path, description = "the session")),
    responses((status = 200, body = SignupList), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn list_signups(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((event_id, session_id)): Path<(Uuid, Uuid)>,
) -> AppResult<Json<SignupList>> {
    Ok(Json(
        service::signups(&state, &user.person, event_id, session_id).await?,
    ))
}

/// Give a participant a seat, beyond capacity if need be (organisers; recorded).
#[utoipa::path(post, path = "/api/events/{event_id}/sessions/{session_id}/signups", tag = "programme",
    params(("event_id" = Uuid, Path, description = "the event"),
           ("session_id" = Uuid, Path, description = "the session")),
    request_body = AddInput,
    responses((status = 200, body = SignupList), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
              (status = 409, description = "`session_overlap` naming the other session", body = ErrorBody), (status = 422, body = ErrorBody)))]
#[tracing::instrument(skip_all, fields(%event_id, %session_id))]
async fn add_signup(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((event_id, session_id)): Path<(Uuid, Uuid)>,
    Json(body): Json<AddInput>,
) -> AppResult<Json<SignupList>> {
    Ok(Json(
        signup::add(&state, &user.person, event_id, session_id, body).await?,
    ))
}

/// Move someone to another place on the waitlist (organisers; recorded).
#[utoipa::path(patch, path = "/api/events/{event_id}/sessions/{session_id}/signups/{person_id}", tag = "programme",
    params(("event_id" = Uuid, Path, description = "the event"),
           ("session_id" = Uuid, Path, description = "the session"),
           ("person_id" = Uuid, Path, description = "the person on the waitlist")),
    request_body = MoveInput,
    responses((status = 200, body = SignupList), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
              (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
#[tracing::instrument(skip_all, fields(%event_id, %session_id, %person_id))]
async fn move_on_waitlist(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((event_id, session_id, person_id)): Path<(Uuid, Uuid, Uuid)>,
    Json(body): Json<MoveInput>,
) -> AppResult<Json<SignupList>> {
    Ok(Json(
        signup::move_on_waitlist(&state, &user.person, event_id, session_id, person_id, body)
            .await?,
    ))
}

/// Take someone off the session (organisers; recorded); a freed seat goes to the waitlist.
#[utoipa::path(delete, path = "/api/events/{event_id}/sessions/{session_id}/signups/{person_id}", tag = "programme",
    params(("event_id" = Uuid, Path, description = "the event"),
           ("session_id" = Uuid, Path, description = "the session"),
           ("person_id" = Uuid, Path, description = "the person")),
    responses((status = 200, body = SignupList), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
#[tracing::instrument(skip_all, fields(%event_id, %session_id, %person_id))]
async fn remove_signup(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((event_id, session_id, person_id)): Path<(Uuid, Uuid, Uuid)>,
) -> AppResult<Json<SignupList>> {
    Ok(Json(
        signup::remove(&state, &user.person, event_id, session_id, person_id).await?,
    ))
}

#[derive(Serialize, ToSchema)]
pub struct SignupLog {
    pub entries: Vec<LogEntry>,
}

/// Organisers' changes to the session's sign-ups and promotions from the waitlist, oldest
/// first (organisers).
#[utoipa::path(get, path = "/api/events/{event_id}/sessions/{session_id}/log", tag = "programme",
    params(("event_id" = Uuid, Path, description = "the event"),
           ("session_id" = Uuid, Path, description = "the session")),
    responses((status = 200, body = SignupLog), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn signup_log(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((event_id, session_id)): Path<(Uuid, Uuid)>,
) -> AppResult<Json<SignupLog>> {
    Ok(Json(SignupLog {
        entries: service::log(&state, &user.person, event_id, session_id).await?,
    }))
}

/// My question ahead of a market dialogue I signed up for (`question` is `null` while I
/// wrote none), and until when I can change it.
#[utoipa::path(get, path = "/api/events/{event_id}/sessions/{session_id}/questions/me", tag = "programme",
    params(("event_id" = Uuid, Path, description = "the event"),
           ("session_id" = Uuid, Path, description = "the session")),
    responses((status = 200, body = MyQuestion),
              (status = 403, description = "`not_signed_up`: no seat or waitlist place in this session; `forbidden`: a platform admin who does not take part", body = ErrorBody),
              (status = 404, body = ErrorBody),
              (status = 409, description = "`not_a_dialogue`: only market dialogues take questions ahead", body = ErrorBody)))]
async fn my_question(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((event_id, session_id)): Path<(Uuid, Uuid)>,
) -> AppResult<Json<MyQuestion>> {
    Ok(Json(
        questions::mine(&state, &user.person, event_id, session_id).await?,
    ))
}

/// Write or replace my question ahead of a market dialogue I signed up for (a seat or a
/// waitlist place), until it starts.
#[utoipa::path(put, path = "/api/events/{event_id}/sessions/{session_id}/questions/me", tag = "programme",
    params(("event_id" = Uuid, Path, description = "the event"),
           ("session_id" = Uuid, Path, description = "the session")),
    request_body = QuestionInput,
    responses((status = 200, body = MyQuestion),
              (status = 403, description = "`not_signed_up`: no seat or waitlist place in this session; `forbidden`: a platform admin who does not take part", body = ErrorBody),
              (status = 404, body = ErrorBody),
              (status = 409, description = "`session_started` (`details.started_at`): questions no longer change; `not_a_dialogue`", body = ErrorBody),
              (status = 422, body = ErrorBody)))]
#[tracing::instrument(skip_all, fields(%event_id, %session_id))]
async fn save_question(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((event_id, session_id)): Path<(Uuid, Uuid)>,
    Json(body): Json<QuestionInput>,
) -> AppResult<Json<MyQuestion>> {
    Ok(Json(
        questions::save(&state, &user.person, event_id, session_id, body).await?,
    ))
}

/// Remove my question, until the session starts.
#[utoipa::path(delete, path = "/api/events/{event_id}/sessions/{session_id}/questions/me", tag = "programme",
    params(("event_id" = Uuid, Path, description = "the event"),
           ("session_id" = Uuid, Path, description = "the session")),
    responses((status = 204),
              (status = 403, description = "`not_signed_up`: no seat or waitlist place in this session; `forbidden`: a platform admin who does not take part", body = ErrorBody),
              (status = 404, description = "`not_found`: also when I wrote no question", body = ErrorBody),
              (status = 409, description = "`session_started` (`details.started_at`); `not_a_dialogue`", body = ErrorBody)))]
#[tracing::instrument(skip_all, fields(%event_id, %session_id))]
async fn remove_question(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((event_id, session_id)): Path<(Uuid, Uuid)>,
) -> AppResult<StatusCode> {
    questions::remove(&state, &user.person, event_id, session_id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// How the briefing comes.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum BriefingFormat {
    #[default]
    Json,
    /// A spreadsheet (`text/csv`, UTF-8), as a download.
    Csv,
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct BriefingQuery {
    /// `json` (default) or `csv`.
    #[param(inline)]
    pub format: Option<BriefingFormat>,
    /// The language of the spreadsheet's headers and words; by default the reader's.
    #[param(inline)]
    pub lang: Option<Lang>,
}

/// The facilitators' briefing: everyone signed up (confirmed, then the waitlist in order)
/// with organisation, role, their organisation's published factsheets or their needs
/// profile, and their question ahead. The session's facilitators and the organisers.
#[utoipa::path(get, path = "/api/events/{event_id}/sessions/{session_id}/briefing", tag = "programme",
    params(("event_id" = Uuid, Path, description = "the event"),
           ("session_id" = Uuid, Path, description = "the session"), BriefingQuery),
    responses((status = 200, description = "the briefing; with `format=csv` a spreadsheet to download",
               content((Briefing = "application/json"), (String = "text/csv"))),
              (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn briefing(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((event_id, session_id)): Path<(Uuid, Uuid)>,
    Query(query): Query<BriefingQuery>,
) -> AppResult<Response> {
    let briefing = questions::briefing(&state, &user.person, event_id, session_id).await?;
    if query.format.unwrap_or_default() == BriefingFormat::Json {
        return Ok(Json(briefing).into_response());
    }
    let lang = query.lang.unwrap_or(user.person.language);
    let body = questions::briefing_csv(&briefing, lang, &state.public_url)?;
    let name = match lang {
        Lang::Nl => "briefing-vragen",
        Lang::En => "briefing-questions",
    };
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{name}-{session_id}.csv\""),
            ),
            (header::CACHE_CONTROL, "no-store".to_string()),
        ],
        body,
    )
        .into_response())
}

/// My day: my sessions in time order with their status and waitlist position, and the
/// meeting slots they block.
#[utoipa::path(get, path = "/api/events/{event_id}/agenda/me", tag = "programme",
    params(("event_id" = Uuid, Path, description = "the event")),
    responses((status = 200, body = Agenda), (status = 404, body = ErrorBody)))]
async fn my_agenda(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(event_id): Path<Uuid>,
) -> AppResult<Json<Agenda>> {
    Ok(Json(service::agenda(&state, &user.person, event_id).await?))
}

/// The programme of an event that shows itself to the public (it takes registrations or
/// its catalogue is public); without personal data.
#[utoipa::path(get, path = "/api/public/events/{slug}/programme", tag = "public", security(()),
    params(("slug" = String, Path, description = "the event's web address"), ProgrammeQuery),
    responses((status = 200, body = Programme), (status = 404, body = ErrorBody)))]
async fn public_programme(
    State(state): State<AppState>,
    Path(slug): Path<String>,
    Query(query): Query<ProgrammeQuery>,
) -> AppResult<Json<Programme>> {
    Ok(Json(
        service::public_programme(&state, &slug, query.into()).await?,
    ))
}
