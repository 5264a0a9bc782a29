//! `matchfloor demo --schedule`: the demo event's meetings scheduled and published in one
//! step, as its organiser would (a run of the scheduler, then *Publish*), so every part of
//! the preview has something to show: meetings in each priority, people with fewer
//! meetings than they asked, tables per slot, and accepted requests left out with why.

use std::collections::BTreeMap;
use std::fmt::Write;
use std::time::Duration;

use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};

use crate::domain::{Lang, ScheduleRunStatus};
use crate::entities::{event, person, schedule_run};
use crate::meetings::schedule::runs::{self, RunInput};
use crate::meetings::schedule::{ScheduleError, publish, worker};
use crate::state::AppState;

/// Seconds the demo's run may search (it proves its schedule optimal or stops well before).
const TIME_LIMIT_SECONDS: i64 = 10;

/// Schedules and publishes the demo event's meetings; a report of what it did.
pub async fn schedule(state: &AppState) -> anyhow::Result<String> {
    let db = &state.db;
    let event = event::Entity::find()
        .filter(event::Column::Slug.eq(super::DEMO_SLUG))
        .one(db)
        .await?
        .ok_or_else(|| anyhow::anyhow!("there is no demo event to schedule"))?;
    let organiser = person::Entity::find()
        .filter(person::Column::Email.eq(super::ORGANISER_EMAIL))
        .one(db)
        .await?
        .ok_or_else(|| anyhow::anyhow!("the demo's organiser is missing"))?;
    let input = RunInput {
        time_limit_seconds: Some(TIME_LIMIT_SECONDS),
        seed: Some(runs::DEFAULT_SEED),
        mode: None,
    };
    // A run of the event still going (started in the app) is waited for and published.
    let run_id = match runs::start(state, &organiser, event.id, input).await {
        Ok(run) => run.id,
        Err(ScheduleError::RunActive { run_id, .. }) => run_id,
        Err(err) => anyhow::bail!("the demo's schedule run could not start: {err}"),
    };
    worker::run_queued(state).await?;
    // A server running beside this command may have claimed it: wait for it to end,
    // bounded by its time limit and a margin.
    let mut row = None;
    for _ in 0..(TIME_LIMIT_SECONDS as usize + 120) * 5 {
        let now = schedule_run::Entity::find_by_id(run_id)
            .one(db)
            .await?
            .ok_or_else(|| anyhow::anyhow!("the demo's schedule run vanished"))?;
        if !now.status.is_active() {
            row = Some(now);
            break;
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    let row = row.ok_or_else(|| anyhow::anyhow!("the demo's schedule run did not finish"))?;
    if row.status != ScheduleRunStatus::Done {
        anyhow::bail!(
            "the demo's schedule run ended {}: {}",
            row.status.as_str(),
            row.error.unwrap_or_default()
        );
    }
    let summary = publish::publish(state, &organiser, event.id, run_id)
        .await
        .map_err(|e| anyhow::anyhow!("publishing the demo's schedule failed: {e}"))?;
    let view = runs::get(state, &organiser, event.id, run_id, Lang::En)
        .await
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    let preview = view
        .preview
        .ok_or_else(|| anyhow::anyhow!("the demo's run has no preview"))?;
    let mut reasons: BTreeMap<String, usize> = BTreeMap::new();
    for item in &preview.left_out {
        let reason = serde_json::to_value(item.reason)?
            .as_str()
            .unwrap_or_default()
            .replace('_', " ");
        *reasons.entry(reason).or_default() += 1;
    }
    let mut report = String::new();
    writeln!(
        report,
        "Scheduled and published {} meetings for {} of the {} buyers and suppliers with an \
         accepted request (score {} of a proven maximum {}); {} people told by email and in \
         the app.",
        preview.meetings,
        preview.participants_met,
        preview.participants,
        preview.objective,
        preview.bound,
        summary.people_affected
    )?;
    if !reasons.is_empty() {
        let listed: Vec<String> = reasons.iter().map(|(r, n)| format!("{n} {r}")).collect();
        writeln!(
            report,
            "Accepted requests without a meeting, with why on the schedule page: {}.",
            listed.join(", ")
        )?;
    }
    Ok(report)
}
