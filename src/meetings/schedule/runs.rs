//! Runs of the meeting scheduler: an organiser starts one (options: time limit, seed, mode),
//! follows its progress, reads its preview when it is done, or cancels it. One run per
//! event at a time: the unique `active_event_id` decides, on every instance. The worker
//! (`worker.rs`) does the running.

use chrono::{DateTime, Utc};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseTransaction, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect,
};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use super::preview::{self, Preview};
use super::{ScheduleError, ScheduleResult, stored_json};
use crate::bounds::{SCHEDULE_RUNS_LISTED, SCHEDULE_SEED, SCHEDULE_TIME_LIMIT_SECONDS};
use crate::domain::{Lang, Role, ScheduleMode, ScheduleRunStatus};
use crate::entities::{person, schedule_run};
use crate::error::FieldError;
use crate::events::access;
use crate::live::{self, Audience, LiveKind, LiveMessage};
use crate::scheduling::Schedule;
use crate::state::AppState;

/// The time limit of a run when the organiser gives none.
pub const DEFAULT_TIME_LIMIT_SECONDS: i64 = 20;
/// The seed of a run when the organiser gives none (the command line's default too).
pub const DEFAULT_SEED: i64 = 1;

/// Starting a run; every option may be left out.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(default, deny_unknown_fields)]
pub struct RunInput {
    /// Seconds the solver may search (default 20); it usually proves its schedule optimal
    /// long before.
    pub time_limit_seconds: Option<i64>,
    /// The same seed on the same instance gives the same schedule (default 1).
    pub seed: Option<i64>,
    /// `full` (default): everything may move, published meetings only when worth it;
    /// `add_only`: published meetings stay, only new ones are added.
    pub mode: Option<ScheduleMode>,
}

/// What the solver is doing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum RunPhase {
    /// Waiting for an instance to claim it.
    Queued,
    /// Reading the event's requests, availability, sessions and tables.
    Building,
    /// Searching.
    Solving,
    /// Finished (done, failed or cancelled).
    Finished,
}

/// How far a run is; kept on the run and sent live to the organisers.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct RunProgress {
    pub phase: RunPhase,
    /// Milliseconds since the run started.
    pub elapsed_ms: u64,
    pub time_limit_ms: u64,
    /// Requests and participants in the instance, once built.
    pub requests: Option<usize>,
    pub participants: Option<usize>,
    /// The best schedule's objective so far, and the proven bound.
    pub objective: Option<i64>,
    pub bound: Option<i64>,
    /// `1 - objective / bound`: how far from optimal the schedule can be at most.
    pub gap: Option<f64>,
    /// Meetings in the best schedule so far.
    pub meetings: Option<usize>,
}

impl RunProgress {
    pub fn queued(time_limit_ms: u64) -> Self {
        RunProgress {
            phase: RunPhase::Queued,
            elapsed_ms: 0,
            time_limit_ms,
            requests: None,
            participants: None,
            objective: None,
            bound: None,
            gap: None,
            meetings: None,
        }
    }
}

/// Why a run failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum RunErrorCode {
    /// The instance running it stopped (its heartbeat is too old, or it shut down).
    InstanceStopped,
    /// The event's data does not make a valid instance (e.g. pinned meetings that break a
    /// rule); `message` names it.
    InvalidInstance,
    /// Anything else (the database, a bug); `message` says what.
    Internal,
}

/// A failed run's error, as stored and shown.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct RunError {
    pub code: RunErrorCode,
    pub message: String,
}

/// A finished run's result: the solver's schedule on the run's instance, and where each
/// meeting goes in the event's rows.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct RunResult {
    pub schedule: Schedule,
    pub placements: Vec<super::Placement>,
}

/// A run as organisers see it; `preview` once it is done (on `GET .../runs/{run_id}`).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct RunView {
    pub id: Uuid,
    pub event_id: Uuid,
    pub status: ScheduleRunStatus,
    pub mode: ScheduleMode,
    pub time_limit_seconds: i64,
    pub seed: i64,
    pub requested_by: Option<Uuid>,
    /// The server instance that ran it.
    pub claimed_by: Option<String>,
    pub heartbeat_at: Option<DateTime<Utc>>,
    pub cancel_requested: bool,
    pub progress: Option<RunProgress>,
    pub error: Option<RunError>,
    pub created_at: DateTime<Utc>,
    pub started_at: Option<DateTime<Utc>>,
    pub finished_at: Option<DateTime<Utc>>,
    pub published_at: Option<DateTime<Utc>>,
    pub published_by: Option<Uuid>,
    /// Only on a done run, read on its own.
    #[schema(nullable)]
    pub preview: Option<Box<Preview>>,
}

/// The event's recent runs, newest first.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct RunList {
    pub runs: Vec<RunView>,
}

pub(crate) fn view(row: &schedule_run::Model) -> ScheduleResult<RunView> {
    Ok(RunView {
        id: row.id,
        event_id: row.event_id,
        status: row.status,
        mode: row.mode,
        time_limit_seconds: i64::from(row.time_limit_ms) / 1000,
        seed: row.seed,
        requested_by: row.requested_by,
        claimed_by: row.claimed_by.clone(),
        heartbeat_at: row.heartbeat_at,
        cancel_requested: row.cancel_requested,
        progress: row
            .progress
            .as_deref()
            .map(|p| stored_json("run progress", p))
            .transpose()?,
        error: row
            .error
            .as_deref()
            .map(|e| stored_json("run error", e))
            .transpose()?,
        created_at: row.created_at,
        started_at: row.started_at,
        finished_at: row.finished_at,
        published_at: row.published_at,
        published_by: row.published_by,
        preview: None,
    })
}

/// Tells the event's organisers (only them) how a run stands, inside the transaction.
pub(crate) async fn tell_organisers(
    txn: &DatabaseTransaction,
    row: &schedule_run::Model,
) -> ScheduleResult<std::sync::Arc<LiveMessage>> {
    let payload = serde_json::to_value(view(row)?)
        .map_err(|e| ScheduleError::App(crate::error::AppError::Internal(e.into())))?;
    Ok(live::publish(
        txn,
        row.event_id,
        Audience::Role(Role::Organiser),
        LiveKind::ScheduleRun,
        payload,
    )
    .await?)
}

fn check(input: RunInput) -> ScheduleResult<(i64, i64, ScheduleMode)> {
    let mut errors = Vec::new();
    let time_limit = input
        .time_limit_seconds
        .unwrap_or(DEFAULT_TIME_LIMIT_SECONDS);
    if !SCHEDULE_TIME_LIMIT_SECONDS.contains(&time_limit) {
        errors.push(FieldError::new(
            "time_limit_seconds",
            "out_of_range",
            format!(
                "from {} to {} seconds",
                SCHEDULE_TIME_LIMIT_SECONDS.start(),
                SCHEDULE_TIME_LIMIT_SECONDS.end()
            ),
        ));
    }
    let seed = input.seed.unwrap_or(DEFAULT_SEED);
    if !SCHEDULE_SEED.contains(&seed) {
        errors.push(FieldError::new(
            "seed",
            "out_of_range",
            format!("from {} to {}", SCHEDULE_SEED.start(), SCHEDULE_SEED.end()),
        ));
    }
    if !errors.is_empty() {
        return Err(ScheduleError::Invalid(errors));
    }
    Ok((time_limit, seed, input.mode.unwrap_or(ScheduleMode::Full)))
}

/// Queues a run for the event (organisers). A run whose instance stopped answering is
/// marked failed first, so it does not keep the event; another queued or running run is
/// [`ScheduleError::RunActive`].
pub async fn start(
    state: &AppState,
    by: &person::Model,
    event_id: Uuid,
    input: RunInput,
) -> ScheduleResult<RunView> {
    let txn = crate::db::begin(&state.db).await?;
    access::organiser(&txn, by, event_id).await?;
    let (time_limit, seed, mode) = check(input)?;
    super::worker::fail_stale(&txn, &state.settings.schedule, Utc::now()).await?;
    let now = Utc::now();
    let time_limit_ms = time_limit * 1000;
    let row = schedule_run::Model {
        id: Uuid::now_v7(),
        event_id,
        active_event_id: Some(event_id),
        status: ScheduleRunStatus::Queued,
        mode,
        time_limit_ms: time_limit_ms as i32,
        seed,
        requested_by: Some(by.id),
        claimed_by: None,
        heartbeat_at: None,
        cancel_requested: false,
        progress: Some(super::to_json(&RunProgress::queued(time_limit_ms as u64))?),
        instance: None,
        result: None,
        error: None,
        created_at: now,
        started_at: None,
        finished_at: None,
        published_at: None,
        published_by: None,
    };
    let active: schedule_run::ActiveModel = row.clone().into();
    if let Err(err) = schedule_run::Entity::insert(active)
        .exec_without_returning(&txn)
        .await
    {
        if !matches!(
            err.sql_err(),
            Some(sea_orm::SqlErr::UniqueConstraintViolation(_))
        ) {
            return Err(err.into());
        }
        // The transaction is spoilt on PostgreSQL: name the active run outside it.
        txn.rollback().await?;
        let other = schedule_run::Entity::find()
            .filter(schedule_run::Column::ActiveEventId.eq(event_id))
            .one(&state.db)
            .await?;
        return Err(match other {
            Some(other) => ScheduleError::RunActive {
                run_id: other.id,
                status: other.status,
            },
            None => ScheduleError::Outdated(
                "another schedule run of this event just finished; start again".into(),
            ),
        });
    }
    let message = tell_organisers(&txn, &row).await?;
    state.live.commit(txn, &[message]).await?;
    state.schedule.wake();
    view(&row)
}

async fn load<C: ConnectionTrait>(
    db: &C,
    event_id: Uuid,
    run_id: Uuid,
) -> ScheduleResult<schedule_run::Model> {
    schedule_run::Entity::find_by_id(run_id)
        .filter(schedule_run::Column::EventId.eq(event_id))
        .one(db)
        .await?
        .ok_or(ScheduleError::NotFound("schedule run"))
}

/// One run (organisers): its progress while queued or running, its preview once done,
/// its error when it failed.
pub async fn get(
    state: &AppState,
    by: &person::Model,
    event_id: Uuid,
    run_id: Uuid,
    lang: Lang,
) -> ScheduleResult<RunView> {
    let db = &state.db;
    let access = access::organiser(db, by, event_id).await?;
    let row = load(db, event_id, run_id).await?;
    let mut out = view(&row)?;
    if row.status == ScheduleRunStatus::Done {
        out.preview = Some(Box::new(
            preview::of_run(db, &access.event, &row, lang).await?,
        ));
    }
    Ok(out)
}

/// The event's recent runs, newest first (organisers).
pub async fn list(state: &AppState, by: &person::Model, event_id: Uuid) -> ScheduleResult<RunList> {
    let db = &state.db;
    access::organiser(db, by, event_id).await?;
    // The documents stay in the database: a list needs none of them.
    let rows = schedule_run::Entity::find()
        .filter(schedule_run::Column::EventId.eq(event_id))
        .order_by_desc(schedule_run::Column::CreatedAt)
        .order_by_desc(schedule_run::Column::Id)
        .limit(SCHEDULE_RUNS_LISTED)
        .all(db)
        .await?;
    Ok(RunList {
        runs: rows.iter().map(view).collect::<ScheduleResult<_>>()?,
    })
}

/// Cancels a run (organisers): a queued one stops at once; a running one is asked to stop
/// and stops at the solver's next check. A finished run cannot be cancelled.
pub async fn cancel(
    state: &AppState,
    by: &person::Model,
    event_id: Uuid,
    run_id: Uuid,
) -> ScheduleResult<RunView> {
    use schedule_run::Column;
    let txn = crate::db::begin(&state.db).await?;
    access::organiser(&txn, by, event_id).await?;
    let row = load(&txn, event_id, run_id).await?;
    let now = Utc::now();
    let cancelled = schedule_run::Entity::update_many()
        .col_expr(Column::Status, ScheduleRunStatus::Cancelled.as_str().into())
        .col_expr(Column::ActiveEventId, Option::<Uuid>::None.into())
        .col_expr(Column::CancelRequested, true.into())
        .col_expr(Column::FinishedAt, Some(now).into())
        .filter(Column::Id.eq(row.id))
        .filter(Column::Status.eq(ScheduleRunStatus::Queued))
        .exec_with_returning(&txn)
        .await?
        .into_iter()
        .next();
    let changed = match cancelled {
        Some(row) => Some(row),
        None => schedule_run::Entity::update_many()
            .col_expr(Column::CancelRequested, true.into())
            .filter(Column::Id.eq(row.id))
            .filter(Column::Status.eq(ScheduleRunStatus::Running))
            .exec_with_returning(&txn)
            .await?
            .into_iter()
            .next(),
    };
    let Some(changed) = changed else {
        return Err(ScheduleError::RunState { status: row.status });
    };
    let message = tell_organisers(&txn, &changed).await?;
    state.live.commit(txn, &[message]).await?;
    view(&changed)
}

/// The run's row when it belongs to the event and the caller organises it.
pub(crate) async fn for_organiser<C: ConnectionTrait>(
    db: &C,
    by: &person::Model,
    event_id: Uuid,
    run_id: Uuid,
) -> ScheduleResult<(crate::events::access::EventAccess, schedule_run::Model)> {
    let access = access::organiser(db, by, event_id).await?;
    let row = load(db, event_id, run_id).await?;
    Ok((access, row))
}

/// A run's stored instance (built when it started).
pub(crate) fn built_of(row: &schedule_run::Model) -> ScheduleResult<super::instance::Built> {
    match row.instance.as_deref() {
        Some(text) => stored_json("instance", text),
        None => Err(ScheduleError::RunState { status: row.status }),
    }
}

/// A done run's result.
pub(crate) fn result_of(row: &schedule_run::Model) -> ScheduleResult<RunResult> {
    match (row.status, row.result.as_deref()) {
        (ScheduleRunStatus::Done, Some(text)) => stored_json("result", text),
        _ => Err(ScheduleError::RunState { status: row.status }),
    }
}
