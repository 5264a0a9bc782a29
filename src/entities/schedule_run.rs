//! The `schedule_run` table: one run of the meeting scheduler for an event, a background job
//! that exactly one instance claims (docs/scheduling.md, "In the app").

use sea_orm::entity::prelude::*;

use crate::domain::{ScheduleMode, ScheduleRunStatus};

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "schedule_run")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub event_id: Uuid,
    /// The event's id while the run is queued or running, `None` afterwards; unique, so an
    /// event has one run at a time.
    pub active_event_id: Option<Uuid>,
    pub status: ScheduleRunStatus,
    pub mode: ScheduleMode,
    pub time_limit_ms: i32,
    pub seed: i64,
    pub requested_by: Option<Uuid>,
    /// The instance that claimed the run.
    pub claimed_by: Option<String>,
    /// When the claiming instance last said the run is alive.
    pub heartbeat_at: Option<DateTimeUtc>,
    pub cancel_requested: bool,
    /// JSON: how far the solver is.
    pub progress: Option<String>,
    /// JSON: the instance built from the event, with the ids behind its names.
    pub instance: Option<String>,
    /// JSON: the solver's schedule and its placements.
    pub result: Option<String>,
    pub error: Option<String>,
    pub created_at: DateTimeUtc,
    pub started_at: Option<DateTimeUtc>,
    pub finished_at: Option<DateTimeUtc>,
    pub published_at: Option<DateTimeUtc>,
    pub published_by: Option<Uuid>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
