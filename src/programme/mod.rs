//! The programme: market dialogues, pitch sessions, plenaries and networking sessions
//! beside the one-to-one meetings, with seat limits, a fair waitlist, organisers'
//! overrides, each person's agenda and the meeting slots their sessions block.
//!
//! `service.rs` holds the sessions and what is read from them, `signup.rs` the seats,
//! `notices.rs` the emails about changed and removed sessions, `questions.rs` the questions ahead of a market dialogue and its facilitators' briefing;
//! `routes.rs` is HTTP only and maps [`ProgrammeError`] to the common error body.
//! docs/programme.md describes the design.

pub mod notices;
pub mod questions;
pub mod routes;
pub mod service;
pub mod signup;

use chrono::{DateTime, Utc};
use uuid::Uuid;

use crate::error::{AppError, FieldError};

pub use crate::domain::{SessionKind, SignupAction, SignupStatus};

/// What the programme's rules refuse, in the domain's words; `routes.rs` turns each into
/// an HTTP answer.
#[derive(Debug, thiserror::Error)]
pub enum ProgrammeError {
    #[error("{0} not found")]
    NotFound(&'static str),
    #[error("{0}")]
    Forbidden(String),
    #[error("validation failed")]
    Invalid(Vec<FieldError>),
    /// Sign-up has not opened yet.
    #[error("sign-up opens at {opens_at}")]
    NotOpen { opens_at: DateTime<Utc> },
    /// Sign-up (and cancelling) has closed.
    #[error("sign-up closed at {closed_at}")]
    Closed { closed_at: DateTime<Utc> },
    /// The person holds a seat in another session at the same time.
    #[error("you already have a seat in \"{}\" at that time", other.title_en)]
    Overlap { other: Box<OtherSession> },
    /// Moving the session would give people two sessions at once.
    #[error("{people} people with a seat here also have a seat in \"{}\" at the new time", other.title_en)]
    TimeConflict {
        people: usize,
        other: Box<OtherSession>,
    },
    /// The person has no sign-up for the session.
    #[error("not signed up for this session")]
    NotSignedUp,
    /// Questions ahead come from the people signed up (a seat or a waitlist place).
    #[error("sign up for this session first: questions ahead come from the people signed up")]
    SignUpFirst,
    /// Only market dialogues take questions ahead.
    #[error("only market dialogues take questions ahead; this session is a {}", kind.as_str())]
    NotADialogue { kind: SessionKind },
    /// The session has started: questions ahead no longer change.
    #[error("the session started at {started_at}: questions ahead can no longer change")]
    Started { started_at: DateTime<Utc> },
    #[error("{0}")]
    Conflict(String),
    /// From the shared helpers (access checks, loading the event).
    #[error(transparent)]
    App(AppError),
    #[error(transparent)]
    Database(sea_orm::DbErr),
}

/// The other session a refusal names.
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct OtherSession {
    pub id: Uuid,
    pub title_nl: String,
    pub title_en: String,
    pub date: chrono::NaiveDate,
    pub start: String,
    pub end: String,
}

crate::error::capability_error_conversions!(ProgrammeError, invalid);

pub type ProgrammeResult<T> = Result<T, ProgrammeError>;

/// Sign-ups lock a person, then a session; a freed seat locks the session, then the people
/// it considers: PostgreSQL breaks the rare crossing of the two as a deadlock, and
/// [`crate::db::retrying`] runs the transaction again.
impl crate::db::Transient for ProgrammeError {
    fn is_transient(&self) -> bool {
        matches!(self, ProgrammeError::Database(e) if crate::db::is_transient(e))
    }
}
