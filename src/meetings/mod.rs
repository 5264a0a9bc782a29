//! One-to-one meetings, before the scheduler: who wants to meet whom and how much
//! (meeting requests, answered by the other side), the organiser's rules for them, the
//! meeting slots each participant cannot meet in, and recommendations of whom to ask.
//!
//! A request is a wish, not a booking: it holds no time slot. Slots are given by the
//! scheduler only, so any number of pending requests blocks nobody's time.
//!
//! `requests.rs` holds the requests and the limits (enforced in the database, on counter
//! rows, under concurrency), `rules.rs` the organiser's rules, `availability.rs` the slots
//! people cannot meet in, `notices.rs` what the people of a request are told (live, and by
//! email at once or in a digest), `choice.rs` each person's choice of email timing,
//! `digest.rs` the digest emails, `unanswered.rs` the reminder and what happens to
//! requests nobody answers, `leaving.rs` the requests of someone who leaves the event,
//! `overview.rs` the organisers' overview, `recommend.rs` whom each buyer and supplier
//! should ask, and why; `routes.rs` is HTTP only and maps [`MeetingsError`] to the common
//! error body.
//! docs/meetings.md describes the design.

pub mod availability;
pub mod choice;
pub mod digest;
pub mod leaving;
pub mod notices;
pub mod overview;
pub mod recommend;
pub mod requests;
pub mod routes;
pub mod rules;
pub mod schedule;
pub mod unanswered;

use chrono::{DateTime, Utc};
use uuid::Uuid;

use crate::error::{AppError, FieldError};

pub use crate::domain::{EmailTiming, MeetingPriority, MeetingRequestStatus, UnansweredRule};

/// Whose limit of meetings a refusal is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Whose {
    /// The caller's own.
    Mine,
    /// The other side's.
    Theirs,
}

/// What the rules of meeting requests refuse, in the domain's words; `routes.rs` turns
/// each into an HTTP answer.
#[derive(Debug, thiserror::Error)]
pub enum MeetingsError {
    #[error("{0} not found")]
    NotFound(&'static str),
    #[error("{0}")]
    Forbidden(String),
    #[error("validation failed")]
    Invalid(Vec<FieldError>),
    /// The organiser's deadline for requests and answers has passed.
    #[error("meeting requests closed at {deadline}")]
    Closed { deadline: DateTime<Utc> },
    /// The pair already has a request that stands (pending, accepted or scheduled).
    #[error("there is already a meeting request between you")]
    Exists {
        request_id: Uuid,
        /// Whether the caller sent it (`true`) or received it.
        sent: bool,
    },
    /// One side declined a request of this pair: it cannot be asked again.
    #[error("a meeting request between you was declined; it cannot be asked again")]
    Declined { request_id: Uuid },
    /// The caller has as many open requests as the organiser allows.
    #[error("you have sent as many meeting requests as allowed ({limit})")]
    SendLimit { limit: i32 },
    /// One side has as many meetings as the organiser allows for their role.
    #[error("the limit of meetings ({limit}) is reached")]
    MeetingLimit { whose: Whose, limit: i32 },
    /// Accepting or declining a request that is no longer waiting for an answer.
    #[error("this meeting request is {}, not pending", status.as_str())]
    NotPending { status: MeetingRequestStatus },
    /// Withdrawing a request that is scheduled, or already declined, withdrawn or expired.
    #[error("this meeting request is {} and can no longer be withdrawn", status.as_str())]
    NotWithdrawable { status: MeetingRequestStatus },
    #[error("{0}")]
    Conflict(String),
    /// From the shared helpers (access checks, loading the event, login links).
    #[error(transparent)]
    App(AppError),
    #[error(transparent)]
    Database(sea_orm::DbErr),
}

crate::error::capability_error_conversions!(MeetingsError, invalid);

/// Requests lock both people of a pair (in id order), then the request row, then the
/// counter rows; PostgreSQL breaks any rare crossing as a deadlock and
/// [`crate::db::retrying`] runs the transaction again.
impl crate::db::Transient for MeetingsError {
    fn is_transient(&self) -> bool {
        matches!(self, MeetingsError::Database(e) if crate::db::is_transient(e))
    }
}

pub type MeetingsResult<T> = Result<T, MeetingsError>;

/// Why someone without an active participation gets nothing: platform admins who do not
/// take part may look at the event but have no requests or availability; anyone else does
/// not find the event.
pub(crate) fn not_a_participant(by: &crate::entities::person::Model) -> MeetingsError {
    if by.is_admin {
        MeetingsError::Forbidden("only the event's participants request meetings".into())
    } else {
        MeetingsError::NotFound("event")
    }
}
