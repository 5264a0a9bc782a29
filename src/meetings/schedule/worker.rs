//! The background job that runs the scheduler. Every server instance runs one worker; it
//! claims queued runs so that each runs exactly once:
//!
//! - on PostgreSQL `SELECT ... FOR UPDATE SKIP LOCKED` in a transaction, then the update
//!   to `running`, so instances claiming at once each take a different run (or none);
//! - on SQLite (one writer at a time, `BEGIN IMMEDIATE`) the same with a conditional update
//!   (`WHERE status = 'queued'`): whoever changes the row has it.
//!
//! The solver runs on a blocking thread. Meanwhile a heartbeat every
//! `schedule.heartbeat_seconds` stores the progress, tells the organisers live, and reads
//! whether an organiser cancelled. A run whose heartbeat is older than
//! `schedule.stale_seconds` is marked failed by any instance ("the instance running it
//! stopped"), which frees the event for a new run. Every write of a running run is
//! conditional on it still being this instance's, so a run taken for stopped stays failed.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};
use sea_orm::sea_query::{LockBehavior, LockType};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DbBackend, DbErr, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect,
};
use tokio::sync::watch;
use uuid::Uuid;

use super::instance::{self, Built};
use super::runs::{self, RunError, RunErrorCode, RunPhase, RunProgress, RunResult};
use super::{Placement, ScheduleError, to_json};
use crate::config::ScheduleSettings;
use crate::domain::ScheduleRunStatus;
use crate::entities::{event, schedule_run};
use crate::scheduling::model::Problem;
use crate::scheduling::{Options, Schedule};
use crate::state::AppState;

/// Why the instance gave up a run it was running.
const STOPPED: &str = "the instance running it stopped";

/// Claims and runs queued runs until `stop` turns true.
pub async fn run(state: AppState, mut stop: watch::Receiver<bool>) {
    let poll = Duration::from_secs(state.settings.schedule.poll_seconds);
    loop {
        if let Err(err) = fail_stale(&state.db, &state.settings.schedule, Utc::now()).await {
            tracing::warn!(error = %err, "could not look for stopped schedule runs");
        }
        loop {
            if *stop.borrow() {
                return;
            }
            match claim(&state).await {
                Ok(Some(row)) => execute(&state, row, stop.clone()).await,
                Ok(None) => break,
                Err(err) => {
                    tracing::warn!(error = %err, "could not claim a schedule run");
                    break;
                }
            }
        }
        tokio::select! {
            _ = tokio::time::sleep(poll) => {}
            _ = state.schedule.notified() => {}
            _ = stop.wait_for(|stopped| *stopped) => return,
        }
    }
}

/// Marks the running runs whose heartbeat is older than `schedule.stale_seconds` as
/// failed, freeing their events; how many.
pub async fn fail_stale<C: ConnectionTrait>(
    db: &C,
    settings: &ScheduleSettings,
    now: DateTime<Utc>,
) -> Result<u64, DbErr> {
    use schedule_run::Column;
    let before = now - chrono::Duration::seconds(settings.stale_seconds as i64);
    let error = serde_json::to_string(&RunError {
        code: RunErrorCode::InstanceStopped,
        message: STOPPED.into(),
    })
    .map_err(|e| DbErr::Custom(e.to_string()))?;
    let result = schedule_run::Entity::update_many()
        .col_expr(Column::Status, ScheduleRunStatus::Failed.as_str().into())
        .col_expr(Column::ActiveEventId, Option::<Uuid>::None.into())
        .col_expr(Column::Error, Some(error).into())
        .col_expr(Column::FinishedAt, Some(now).into())
        .filter(Column::Status.eq(ScheduleRunStatus::Running))
        .filter(Column::HeartbeatAt.lt(before))
        .exec(db)
        .await?;
    if result.rows_affected > 0 {
        tracing::warn!(
            runs = result.rows_affected,
            "schedule runs whose instance stopped are marked failed"
        );
    }
    Ok(result.rows_affected)
}

/// Runs, one after the other, the queued runs this process can claim now; how many it ran.
/// For a process without the background worker (the command line's demo); a server's
/// worker may claim them first, which is as good.
pub async fn run_queued(state: &AppState) -> Result<usize, DbErr> {
    let (_keep_going, stop) = watch::channel(false);
    let mut ran = 0;
    while let Some(row) = claim(state).await? {
        execute(state, row, stop.clone()).await;
        ran += 1;
    }
    Ok(ran)
}

/// Takes the oldest queued run for this instance, if any.
async fn claim(state: &AppState) -> Result<Option<schedule_run::Model>, DbErr> {
    use schedule_run::Column;
    let db = &state.db;
    let txn = crate::db::begin(db).await?;
    let mut oldest = schedule_run::Entity::find()
        .filter(Column::Status.eq(ScheduleRunStatus::Queued))
        .order_by_asc(Column::CreatedAt)
        .order_by_asc(Column::Id)
        .select_only()
        .column(Column::Id);
    if db.get_database_backend() == DbBackend::Postgres {
        oldest = oldest.lock_with_behavior(LockType::Update, LockBehavior::SkipLocked);
    }
    let Some(id) = oldest.into_tuple::<Uuid>().one(&txn).await? else {
        txn.commit().await?;
        return Ok(None);
    };
    let now = Utc::now();
    let claimed = schedule_run::Entity::update_many()
        .col_expr(Column::Status, ScheduleRunStatus::Running.as_str().into())
        .col_expr(
            Column::ClaimedBy,
            Some(state.schedule.instance_id.clone()).into(),
        )
        .col_expr(Column::StartedAt, Some(now).into())
        .col_expr(Column::HeartbeatAt, Some(now).into())
        .filter(Column::Id.eq(id))
        .filter(Column::Status.eq(ScheduleRunStatus::Queued))
        .exec_with_returning(&txn)
        .await?
        .into_iter()
        .next();
    txn.commit().await?;
    Ok(claimed)
}

/// How a run ended here.
enum End {
    Done(Box<RunResult>, RunProgress),
    Cancelled(RunProgress),
    Failed(RunError, Option<RunProgress>),
    /// Another instance took it for stopped meanwhile: nothing more to write.
    Lost,
}

fn internal(err: impl std::fmt::Display) -> RunError {
    RunError {
        code: RunErrorCode::Internal,
        message: err.to_string(),
    }
}

async fn execute(state: &AppState, row: schedule_run::Model, stop: watch::Receiver<bool>) {
    let id = row.id;
    tracing::info!(run_id = %id, event_id = %row.event_id, "schedule run started");
    let end = match solve_run(state, &row, stop).await {
        Ok(end) => end,
        Err(err) => End::Failed(internal(err), None),
    };
    state.schedule.executed.fetch_add(1, Ordering::SeqCst);
    let (status, result, error, progress) = match end {
        End::Lost => {
            tracing::warn!(run_id = %id, "schedule run was taken for stopped meanwhile");
            return;
        }
        End::Done(result, progress) => {
            (ScheduleRunStatus::Done, Some(result), None, Some(progress))
        }
        End::Cancelled(progress) => (ScheduleRunStatus::Cancelled, None, None, Some(progress)),
        End::Failed(error, progress) => (ScheduleRunStatus::Failed, None, Some(error), progress),
    };
    match finish(
        state,
        &row,
        status,
        result.as_deref(),
        error.as_ref(),
        progress.as_ref(),
    )
    .await
    {
        Ok(()) => tracing::info!(run_id = %id, status = status.as_str(), "schedule run finished"),
        Err(err) => {
            tracing::error!(run_id = %id, error = %err, "could not store how a schedule run ended");
            // Keep the error, at least: a run never ends without saying why.
            let error = internal(format!("the run's result could not be stored: {err}"));
            if let Err(err) = finish(
                state,
                &row,
                ScheduleRunStatus::Failed,
                None,
                Some(&error),
                None,
            )
            .await
            {
                tracing::error!(run_id = %id, error = %err, "could not mark a schedule run failed");
            }
        }
    }
}

/// Writes the end of the run (conditional on it still being this instance's running run)
/// and tells the organisers.
async fn finish(
    state: &AppState,
    row: &schedule_run::Model,
    status: ScheduleRunStatus,
    result: Option<&RunResult>,
    error: Option<&RunError>,
    progress: Option<&RunProgress>,
) -> Result<(), ScheduleError> {
    use schedule_run::Column;
    let result = result.map(to_json).transpose()?;
    let error = error.map(to_json).transpose()?;
    let txn = crate::db::begin(&state.db).await?;
    let mut update = schedule_run::Entity::update_many()
        .col_expr(Column::Status, status.as_str().into())
        .col_expr(Column::ActiveEventId, Option::<Uuid>::None.into())
        .col_expr(Column::FinishedAt, Some(Utc::now()).into())
        .col_expr(Column::HeartbeatAt, Some(Utc::now()).into())
        .col_expr(Column::Result, result.into())
        .col_expr(Column::Error, error.into());
    if let Some(progress) = progress {
        update = update.col_expr(Column::Progress, Some(to_json(progress)?).into());
    }
    let Some(ended) = update
        .filter(Column::Id.eq(row.id))
        .filter(Column::Status.eq(ScheduleRunStatus::Running))
        .filter(Column::ClaimedBy.eq(state.schedule.instance_id.as_str()))
        .exec_with_returning(&txn)
        .await?
        .into_iter()
        .next()
    else {
        return Ok(());
    };
    let message = runs::tell_organisers(&txn, &ended).await?;
    state.live.commit(txn, &[message]).await?;
    Ok(())
}

/// What a heartbeat learnt.
struct Beat {
    /// The run is still this instance's.
    ours: bool,
    cancel_requested: bool,
}

/// Stores the progress and the heartbeat, tells the organisers; whether the run is still
/// ours and whether an organiser asked to stop it.
async fn heartbeat(
    state: &AppState,
    row: &schedule_run::Model,
    progress: &RunProgress,
    instance: Option<&str>,
) -> Result<Beat, ScheduleError> {
    use schedule_run::Column;
    let txn = crate::db::begin(&state.db).await?;
    let mut update = schedule_run::Entity::update_many()
        .col_expr(Column::HeartbeatAt, Some(Utc::now()).into())
        .col_expr(Column::Progress, Some(to_json(progress)?).into());
    if let Some(instance) = instance {
        update = update.col_expr(Column::Instance, Some(instance.to_string()).into());
    }
    let Some(now) = update
        .filter(Column::Id.eq(row.id))
        .filter(Column::Status.eq(ScheduleRunStatus::Running))
        .filter(Column::ClaimedBy.eq(state.schedule.instance_id.as_str()))
        .exec_with_returning(&txn)
        .await?
        .into_iter()
        .next()
    else {
        txn.commit().await?;
        return Ok(Beat {
            ours: false,
            cancel_requested: true,
        });
    };
    let message = runs::tell_organisers(&txn, &now).await?;
    state.live.commit(txn, &[message]).await?;
    Ok(Beat {
        ours: true,
        cancel_requested: now.cancel_requested,
    })
}

/// Runs the solver under the run's control: `cancel` stops it at its next check (with the
/// best valid schedule so far), `progress` hears the best objective and the bound as it goes.
fn solve_controlled(
    problem: &Problem,
    options: &Options,
    cancel: &AtomicBool,
    progress: &(dyn Fn(i64, i64, usize) + Sync),
) -> Schedule {
    let report = |p: crate::scheduling::Progress| progress(p.objective, p.bound, 0);
    let schedule = crate::scheduling::solve_with(
        problem,
        options,
        &crate::scheduling::Control {
            cancel: Some(cancel),
            progress: Some(&report),
        },
    );
    progress(schedule.objective, schedule.bound, schedule.meetings.len());
    schedule
}

/// Builds the instance, runs the solver with heartbeats, and says how it ended.
async fn solve_run(
    state: &AppState,
    row: &schedule_run::Model,
    mut stop: watch::Receiver<bool>,
) -> Result<End, ScheduleError> {
    let started = Instant::now();
    let time_limit_ms = row.time_limit_ms.max(0) as u64;
    let progress = Arc::new(Mutex::new(RunProgress {
        phase: RunPhase::Building,
        ..RunProgress::queued(time_limit_ms)
    }));
    let snapshot = |progress: &Arc<Mutex<RunProgress>>| {
        let mut p = progress.lock().expect("progress lock").clone();
        p.elapsed_ms = started.elapsed().as_millis() as u64;
        p
    };
    let event = event::Entity::find_by_id(row.event_id)
        .one(&state.db)
        .await?
        .ok_or(ScheduleError::NotFound("event"))?;
    let built = instance::build(&state.db, &event, row.mode).await?;
    {
        let mut p = progress.lock().expect("progress lock");
        p.phase = RunPhase::Solving;
        p.requests = Some(built.instance.requests.len());
        p.participants = Some(built.instance.participants.len());
    }
    let stored = to_json(&built)?;
    let beat = heartbeat(state, row, &snapshot(&progress), Some(&stored)).await?;
    if !beat.ours {
        return Ok(End::Lost);
    }
    if beat.cancel_requested {
        return Ok(End::Cancelled(finished(snapshot(&progress))));
    }
    if built.instance.slots == 0 {
        return Ok(End::Failed(
            RunError {
                code: RunErrorCode::InvalidInstance,
                message: "the event has no meeting slots: make the grid first".into(),
            },
            Some(finished(snapshot(&progress))),
        ));
    }
    let problem = match Problem::from_instance(&built.instance) {
        Ok(problem) => problem,
        Err(err) => {
            return Ok(End::Failed(
                RunError {
                    code: RunErrorCode::InvalidInstance,
                    message: err.to_string(),
                },
                Some(finished(snapshot(&progress))),
            ));
        }
    };
    let options = Options {
        time_limit: Duration::from_millis(time_limit_ms),
        seed: row.seed as u64,
        ..Options::default()
    };
    let cancel = Arc::new(AtomicBool::new(false));
    let solver = {
        let (cancel, progress) = (cancel.clone(), progress.clone());
        tokio::task::spawn_blocking(move || {
            let report = |objective: i64, bound: i64, meetings: usize| {
                let mut p = progress.lock().expect("progress lock");
                p.objective = Some(objective);
                p.bound = Some(bound);
                p.gap = Some(gap(objective, bound));
                if meetings > 0 {
                    p.meetings = Some(meetings);
                }
            };
            solve_controlled(&problem, &options, &cancel, &report)
        })
    };
    tokio::pin!(solver);
    let every = Duration::from_secs(state.settings.schedule.heartbeat_seconds);
    let (mut lost, mut stopped) = (false, false);
    enum Next {
        Solved(Box<Result<Schedule, tokio::task::JoinError>>),
        Beat,
        Stop,
    }
    let schedule = loop {
        let next = tokio::select! {
            done = &mut solver => Next::Solved(Box::new(done)),
            _ = tokio::time::sleep(every) => Next::Beat,
            _ = stop.wait_for(|s| *s), if !stopped => Next::Stop,
        };
        match next {
            Next::Solved(done) => {
                break (*done)
                    .map_err(|e| ScheduleError::App(crate::error::AppError::Internal(e.into())))?;
            }
            Next::Beat => match heartbeat(state, row, &snapshot(&progress), None).await {
                Ok(beat) => {
                    lost |= !beat.ours;
                    if beat.cancel_requested {
                        cancel.store(true, Ordering::SeqCst);
                    }
                }
                Err(err) => {
                    tracing::warn!(run_id = %row.id, error = %err, "schedule run heartbeat failed")
                }
            },
            Next::Stop => {
                stopped = true;
                cancel.store(true, Ordering::SeqCst);
            }
        }
    };
    let last = finished(snapshot(&progress));
    if lost {
        return Ok(End::Lost);
    }
    if stopped {
        return Ok(End::Failed(
            RunError {
                code: RunErrorCode::InstanceStopped,
                message: STOPPED.into(),
            },
            Some(last),
        ));
    }
    // A cancel may have arrived after the last heartbeat.
    let cancelled = cancel.load(Ordering::SeqCst)
        || schedule_run::Entity::find_by_id(row.id)
            .one(&state.db)
            .await?
            .is_some_and(|r| r.cancel_requested);
    if cancelled {
        return Ok(End::Cancelled(last));
    }
    let placements = placements(&built, &schedule)?;
    Ok(End::Done(
        Box::new(RunResult {
            schedule,
            placements,
        }),
        last,
    ))
}

fn finished(mut progress: RunProgress) -> RunProgress {
    progress.phase = RunPhase::Finished;
    progress
}

pub(crate) fn gap(objective: i64, bound: i64) -> f64 {
    if bound > 0 {
        1.0 - objective as f64 / bound as f64
    } else {
        0.0
    }
}

/// Where each meeting of the solver's schedule goes in the event's rows.
pub(crate) fn placements(
    built: &Built,
    schedule: &Schedule,
) -> Result<Vec<Placement>, ScheduleError> {
    let by_name: std::collections::HashMap<&str, usize> = built
        .instance
        .requests
        .iter()
        .enumerate()
        .map(|(i, r)| (r.id.as_str(), i))
        .collect();
    let bad =
        |what: String| ScheduleError::App(crate::error::AppError::Internal(anyhow::anyhow!(what)));
    schedule
        .meetings
        .iter()
        .map(|m| {
            let r = *by_name.get(m.request.as_str()).ok_or_else(|| {
                bad(format!(
                    "the schedule names an unknown request {}",
                    m.request
                ))
            })?;
            let slot_id = *built
                .ids
                .slots
                .get(m.slot)
                .ok_or_else(|| bad(format!("the schedule names an unknown slot {}", m.slot)))?;
            let table_id = match m.table {
                Some(n) => Some(
                    built
                        .table_id(n)
                        .ok_or_else(|| bad(format!("the schedule names an unknown table {n}")))?,
                ),
                None => None,
            };
            Ok(Placement {
                request_id: built.ids.requests[r],
                slot_id,
                table_id,
            })
        })
        .collect()
}
