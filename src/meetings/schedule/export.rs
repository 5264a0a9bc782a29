//! The event's instance and schedule as files in the benchmark kit's formats, so anyone can
//! check them with its `check_schedule.py` and compare with `matchfloor solve`: the
//! instance as built now (or the one a run used), and the published schedule against the
//! instance built now (or a run's own schedule).

use std::collections::HashMap;

use serde_json::{Value, json};
use uuid::Uuid;

use super::instance;
use super::runs::{built_of, for_organiser, result_of};
use super::{ScheduleError, ScheduleResult, internal};
use crate::domain::{MeetingStatus, ScheduleMode};
use crate::entities::person;
use crate::events::access;
use crate::scheduling::model::{Problem, SCHEDULE_FORMAT};
use crate::state::AppState;

/// The `matchfloor-instance/1` document (organisers): as built from the event now, or the
/// one run `run_id` used.
pub async fn instance(
    state: &AppState,
    by: &person::Model,
    event_id: Uuid,
    run_id: Option<Uuid>,
) -> ScheduleResult<String> {
    let db = &state.db;
    let built = match run_id {
        Some(run_id) => built_of(&for_organiser(db, by, event_id, run_id).await?.1)?,
        None => {
            let access = access::organiser(db, by, event_id).await?;
            instance::build(db, &access.event, ScheduleMode::Full).await?
        }
    };
    serde_json::to_string_pretty(&built.instance).map_err(internal)
}

/// The `matchfloor-schedule/1` document (organisers): the published meetings with their
/// objective and bound against the instance built now, or run `run_id`'s schedule.
pub async fn schedule(
    state: &AppState,
    by: &person::Model,
    event_id: Uuid,
    run_id: Option<Uuid>,
) -> ScheduleResult<String> {
    let db = &state.db;
    if let Some(run_id) = run_id {
        let (_, row) = for_organiser(db, by, event_id, run_id).await?;
        let result = result_of(&row)?;
        return serde_json::to_string_pretty(&result.schedule).map_err(internal);
    }
    let access = access::organiser(db, by, event_id).await?;
    let built = instance::build(db, &access.event, ScheduleMode::Full).await?;
    let problem = Problem::from_instance(&built.instance).map_err(|e| {
        ScheduleError::Outdated(format!(
            "the event's data does not make a valid instance: {e}"
        ))
    })?;
    let requests = built.request_index();
    let slots = built.slot_index();
    let tables: HashMap<Uuid, usize> = built
        .ids
        .tables
        .iter()
        .enumerate()
        .map(|(i, id)| (*id, i + 1))
        .collect();
    let mut slot_of = vec![None; built.ids.requests.len()];
    let mut meetings = Vec::new();
    for m in super::publish::meetings_by_request(db, event_id)
        .await?
        .into_values()
        .filter(|m| m.status == MeetingStatus::Scheduled)
    {
        let (Some(&r), Some(&t)) = (requests.get(&m.request_id), slots.get(&m.slot_id)) else {
            continue;
        };
        slot_of[r] = Some(t);
        let mut out = json!({"request": built.instance.requests[r].id, "slot": t});
        match m.table_id.and_then(|id| tables.get(&id)) {
            Some(n) => out["table"] = json!(n),
            None => out["at_booth"] = json!(true),
        }
        meetings.push(((t, r), out));
    }
    meetings.sort_by_key(|(key, _)| *key);
    let objective = problem.objective(&slot_of);
    let bound = crate::scheduling::bound::relaxation(&problem).bound;
    let document: Value = json!({
        "format": SCHEDULE_FORMAT,
        "name": built.instance.name,
        "objective": objective,
        "bound": bound,
        "meetings": meetings.into_iter().map(|(_, m)| m).collect::<Vec<_>>(),
    });
    serde_json::to_string_pretty(&document).map_err(internal)
}
