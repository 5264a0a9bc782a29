//! Scheduling the event's meetings inside the app (docs/scheduling.md, "In the app"): the
//! instance built from the event's accepted requests, availability, sessions, tables and
//! limits; the solver's runs as background jobs claimed by exactly one instance; the
//! preview of a finished run; publishing it as the meetings people see; and the
//! organisers' edits of those meetings.
//!
//! `holds.rs` is the one door to what a scheduled meeting occupies (its people and its
//! table in its slot; the database's unique index refuses double booking); `edit.rs` the
//! organisers' edits by hand (place, move, swap, pin, cancel), `edit_notice.rs` what the
//! people of an edited meeting are told, `edit_routes.rs` their HTTP endpoints; `agenda.rs`
//! meetings as people read them (an organiser's view, a participant's agenda).
//!
//! `instance.rs` builds the `matchfloor-instance/1` from the event and keeps the ids behind
//! its names; `runs.rs` starts, lists, reads and cancels runs; `worker.rs` is the
//! background job that claims queued runs (exactly once across instances), runs the solver
//! with a heartbeat and stores the result; `preview.rs` turns a finished run into what an
//! organiser decides on; `publish.rs` turns it into `meeting` rows and holds, and
//! `notify.rs` tells the people whose meetings changed; `whatif.rs` answers "what if one
//! more table, one more slot, a longer day" for a finished run; `meetings.rs` lists the
//! meetings; `export.rs` gives the instance and the schedule as files; `whynot.rs` says
//! why an accepted request has no meeting (for the organiser, and for each side in their
//! own words); `routes.rs` is HTTP only and
//! maps [`ScheduleError`] to the common error body.

pub mod agenda;
pub mod edit;
pub mod edit_notice;
pub mod edit_routes;
pub mod export;
pub mod holds;
pub mod instance;
pub mod meetings;
pub mod notify;
pub mod preview;
pub mod publish;
pub mod routes;
pub mod runs;
pub mod whatif;
pub mod whynot;
pub mod worker;

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::domain::ScheduleRunStatus;
use crate::error::{AppError, FieldError};

/// Where one meeting goes: the request it comes from, its slot, and its table (`None`: at
/// the supplier's own stand). A finished run's result holds one per meeting; publishing
/// turns them into `meeting` rows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Placement {
    pub request_id: Uuid,
    pub slot_id: Uuid,
    pub table_id: Option<Uuid>,
}

/// What scheduling refuses, in the domain's words; `routes.rs` turns each into an HTTP
/// answer.
#[derive(Debug, thiserror::Error)]
pub enum ScheduleError {
    #[error("{0} not found")]
    NotFound(&'static str),
    #[error("{0}")]
    Forbidden(String),
    #[error("validation failed")]
    Invalid(Vec<FieldError>),
    /// The event already has a queued or running run.
    #[error("a schedule run of this event is already {}", status.as_str())]
    RunActive {
        run_id: Uuid,
        status: ScheduleRunStatus,
    },
    /// The run is not in a state that allows this (cancel a finished run, publish or read
    /// the preview of an unfinished one).
    #[error("this schedule run is {}", status.as_str())]
    RunState { status: ScheduleRunStatus },
    /// Only the event's latest finished run may be published.
    #[error("a newer schedule run finished after this one: publish that one")]
    NotLatest { latest_run_id: Uuid },
    /// The run was published already.
    #[error("this schedule run is already published")]
    AlreadyPublished,
    /// Requests or meetings changed since the run built its instance, so its schedule no
    /// longer fits: run again.
    #[error("{0}")]
    Outdated(String),
    /// From the shared helpers (access checks, loading the event).
    #[error(transparent)]
    App(AppError),
    #[error(transparent)]
    Database(sea_orm::DbErr),
}

crate::error::capability_error_conversions!(ScheduleError, invalid);

impl From<crate::programme::ProgrammeError> for ScheduleError {
    fn from(err: crate::programme::ProgrammeError) -> Self {
        use crate::programme::ProgrammeError;
        match err {
            ProgrammeError::Database(e) => ScheduleError::Database(e),
            ProgrammeError::App(e) => ScheduleError::App(e),
            other => ScheduleError::App(AppError::Internal(anyhow::anyhow!(other.to_string()))),
        }
    }
}

impl From<crate::meetings::MeetingsError> for ScheduleError {
    fn from(err: crate::meetings::MeetingsError) -> Self {
        use crate::meetings::MeetingsError;
        match err {
            MeetingsError::Database(e) => ScheduleError::Database(e),
            MeetingsError::App(e) => ScheduleError::App(e),
            MeetingsError::NotFound(what) => ScheduleError::NotFound(what),
            MeetingsError::Forbidden(m) => ScheduleError::Forbidden(m),
            other => ScheduleError::App(AppError::Internal(anyhow::anyhow!(other.to_string()))),
        }
    }
}

/// A stored JSON document (instance, result, progress) that cannot be read: a bug or a
/// hand-edited row, named in the error.
pub(crate) fn stored_json<T: serde::de::DeserializeOwned>(
    what: &str,
    text: &str,
) -> ScheduleResult<T> {
    serde_json::from_str(text).map_err(|e| {
        ScheduleError::App(AppError::Internal(anyhow::anyhow!(
            "the stored {what} cannot be read: {e}"
        )))
    })
}

/// Anything that should not happen (a stored document the solver refuses, a thread that
/// panicked), as a plain 500 with its cause logged.
pub(crate) fn internal(err: impl std::fmt::Display) -> ScheduleError {
    ScheduleError::App(AppError::Internal(anyhow::anyhow!(err.to_string())))
}

pub(crate) fn to_json<T: Serialize>(value: &T) -> ScheduleResult<String> {
    serde_json::to_string(value).map_err(|e| ScheduleError::App(AppError::Internal(e.into())))
}

pub type ScheduleResult<T> = Result<T, ScheduleError>;

/// A slot as the schedule's views name it.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct SlotRef {
    pub slot_id: Uuid,
    pub date: chrono::NaiveDate,
    /// `HH:MM`, local to the event.
    pub start: String,
    pub end: String,
}

/// A meeting table as the schedule's views name it.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct TableRef {
    pub table_id: Uuid,
    pub number: i32,
    pub label: Option<String>,
}

/// The event's slots and tables by id, and the slots' start times (for ordering).
pub(crate) struct Venue {
    pub slots: std::collections::HashMap<Uuid, (SlotRef, chrono::DateTime<chrono::Utc>)>,
    pub tables: std::collections::HashMap<Uuid, TableRef>,
    /// When each slot ends (for calendar entries).
    pub ends: std::collections::HashMap<Uuid, chrono::DateTime<chrono::Utc>>,
}

impl Venue {
    pub async fn load<C: sea_orm::ConnectionTrait>(db: &C, event_id: Uuid) -> ScheduleResult<Self> {
        use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
        let rows = crate::entities::slot::Entity::find()
            .filter(crate::entities::slot::Column::EventId.eq(event_id))
            .all(db)
            .await?;
        let ends = rows.iter().map(|s| (s.id, s.ends_at)).collect();
        let slots = rows
            .into_iter()
            .map(|s| {
                (
                    s.id,
                    (
                        SlotRef {
                            slot_id: s.id,
                            date: s.local_date,
                            start: crate::events::grid::clock(s.start_minute),
                            end: crate::events::grid::clock(s.end_minute),
                        },
                        s.starts_at,
                    ),
                )
            })
            .collect();
        let tables = crate::entities::meeting_table::Entity::find()
            .filter(crate::entities::meeting_table::Column::EventId.eq(event_id))
            .all(db)
            .await?
            .into_iter()
            .map(|t| {
                (
                    t.id,
                    TableRef {
                        table_id: t.id,
                        number: t.number,
                        label: t.label,
                    },
                )
            })
            .collect();
        Ok(Venue {
            slots,
            tables,
            ends,
        })
    }

    pub fn slot(&self, id: Uuid) -> Option<SlotRef> {
        self.slots.get(&id).map(|(s, _)| s.clone())
    }

    pub fn table(&self, id: Option<Uuid>) -> Option<TableRef> {
        id.and_then(|id| self.tables.get(&id).cloned())
    }

    /// When a slot starts and ends.
    pub fn span(
        &self,
        id: Uuid,
    ) -> Option<(chrono::DateTime<chrono::Utc>, chrono::DateTime<chrono::Utc>)> {
        Some((self.starts(id)?, *self.ends.get(&id)?))
    }

    /// Sort key of a slot: its start, unknown slots last.
    pub fn starts(&self, id: Uuid) -> Option<chrono::DateTime<chrono::Utc>> {
        self.slots.get(&id).map(|(_, at)| *at)
    }
}
