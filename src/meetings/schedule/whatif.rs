//! "What if" for a finished run: one more table, one more slot, or the day some minutes
//! longer at its end. The proven bounds before and after come at once (the solver's
//! relaxation, no search); on request a solve of the changed problem, started from the
//! run's schedule, says what the change really buys. Nothing is stored: the organiser
//! decides about the venue with the numbers (docs/scheduling.md, "What if" in the app).

use std::ops::RangeInclusive;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use sea_orm::{ConnectionTrait, EntityTrait};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use super::instance::Built;
use super::runs::{built_of, for_organiser, result_of};
use super::{ScheduleError, ScheduleResult, internal};
use crate::bounds::{WHATIF_COUNT, WHATIF_MINUTES, WHATIF_TIME_LIMIT_SECONDS};
use crate::entities::{person, slot};
use crate::error::FieldError;
use crate::scheduling::explain::slot_of;
use crate::scheduling::model::Problem;
use crate::scheduling::whatif::{Scenario, bound_gain, solve_scenario};
use crate::scheduling::{Control, Options};
use crate::state::AppState;

/// The time limit of a "what if" solve when the organiser gives none.
pub const DEFAULT_TIME_LIMIT_SECONDS: i64 = 10;

/// The change asked about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum WhatIfScenario {
    /// `count` more shared tables in every meeting slot.
    ExtraTable,
    /// `count` more meeting slots at the end of the day.
    ExtraSlot,
    /// The day runs `minutes` longer at its end: as many more slots as fit in them.
    ExtraMinutes,
}

/// A "what if" question about a done run.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct WhatIfInput {
    pub scenario: WhatIfScenario,
    /// Tables or slots more (default 1; 1 to 20). Not with `extra_minutes`.
    pub count: Option<i64>,
    /// Minutes longer at the end of the day (1 to 240); required with `extra_minutes`,
    /// refused with the others.
    pub minutes: Option<i64>,
    /// Also solve the changed problem (default false): what the change really buys.
    #[serde(default)]
    pub solve: bool,
    /// Seconds the solve may search (default 10; 1 to 20, as the answer is waited for).
    pub time_limit_seconds: Option<i64>,
}

/// The question once checked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Asked {
    Tables(usize),
    Slots(usize),
    Minutes(i64),
}

#[derive(Debug, Clone, Copy)]
struct Checked {
    asked: Asked,
    solve: bool,
    time_limit: Duration,
}

/// What a solve of the changed problem found.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct WhatIfSolved {
    pub objective: i64,
    /// Its proven bound (the scenario's `bound_after`).
    pub bound: i64,
    pub meetings: usize,
    /// Against the run's schedule: never negative when nothing was published before the
    /// run (the solve starts from the run's schedule and never ends below it).
    pub objective_gain: i64,
    pub meetings_gain: i64,
    pub seconds: f64,
    /// The solve reached its bound: the bound's gain is exactly what the change buys.
    pub optimal: bool,
    pub stopped_by_time_limit: bool,
}

/// The answer: what the change would buy at most, and with `solve` what it does buy.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct WhatIf {
    /// The question, as asked (`count` as applied: 1 when left out).
    pub scenario: WhatIfScenario,
    pub count: Option<i64>,
    pub minutes: Option<i64>,
    /// The length of the run's last meeting slot, which the extra slots copy (with
    /// `extra_minutes`).
    pub slot_minutes: Option<i64>,
    /// The change applied: tables added in every slot, slots added at the end.
    pub extra_tables: usize,
    pub extra_slots: usize,
    /// `extra_minutes` shorter than one slot: no slot is added, nothing changes and
    /// nothing is solved.
    pub shorter_than_a_slot: bool,
    /// The run's schedule: its objective and meetings.
    pub objective: i64,
    pub meetings: usize,
    /// Proven upper bounds of the objective without and with the change.
    pub bound_before: i64,
    pub bound_after: i64,
    /// `bound_after - bound_before`: how far the proven maximum rises.
    pub objective_gain_bound: i64,
    /// Proven upper bounds of the number of meetings without and with the change.
    pub meetings_bound_before: i64,
    pub meetings_bound_after: i64,
    pub meetings_gain_bound: i64,
    /// With `solve`: the changed problem solved from the run's schedule.
    #[schema(nullable)]
    pub solved: Option<WhatIfSolved>,
}

/// The field error of a value outside its range, if it is.
fn out_of_range(field: &str, value: i64, range: &RangeInclusive<i64>) -> Option<FieldError> {
    (!range.contains(&value)).then(|| {
        FieldError::new(
            field,
            "out_of_range",
            format!("from {} to {}", range.start(), range.end()),
        )
    })
}

fn check(input: &WhatIfInput) -> ScheduleResult<Checked> {
    let mut errors = Vec::new();
    let time_limit = input
        .time_limit_seconds
        .unwrap_or(DEFAULT_TIME_LIMIT_SECONDS);
    errors.extend(out_of_range(
        "time_limit_seconds",
        time_limit,
        &WHATIF_TIME_LIMIT_SECONDS,
    ));
    let asked = match input.scenario {
        WhatIfScenario::ExtraTable | WhatIfScenario::ExtraSlot => {
            let count = input.count.unwrap_or(1);
            errors.extend(out_of_range("count", count, &WHATIF_COUNT));
            if input.minutes.is_some() {
                errors.push(FieldError::new(
                    "minutes",
                    "not_allowed",
                    "minutes go with scenario extra_minutes only",
                ));
            }
            let n = usize::try_from(count).unwrap_or(0);
            if input.scenario == WhatIfScenario::ExtraTable {
                Asked::Tables(n)
            } else {
                Asked::Slots(n)
            }
        }
        WhatIfScenario::ExtraMinutes => {
            if input.count.is_some() {
                errors.push(FieldError::new(
                    "count",
                    "not_allowed",
                    "with extra_minutes the minutes decide how many slots are added",
                ));
            }
            let minutes = input.minutes.unwrap_or(0);
            match input.minutes {
                Some(m) => errors.extend(out_of_range("minutes", m, &WHATIF_MINUTES)),
                None => errors.push(FieldError::new(
                    "minutes",
                    "required",
                    "say how many minutes longer the day runs",
                )),
            }
            Asked::Minutes(minutes)
        }
    };
    if !errors.is_empty() {
        return Err(ScheduleError::Invalid(errors));
    }
    Ok(Checked {
        asked,
        solve: input.solve,
        time_limit: Duration::from_secs(time_limit as u64),
    })
}

/// Minutes of the run's last meeting slot: the slots a longer day adds are like it.
async fn last_slot_minutes<C: ConnectionTrait>(db: &C, built: &Built) -> ScheduleResult<i64> {
    let last = built.ids.slots.last().ok_or_else(|| {
        ScheduleError::Outdated("the run has no meeting slots: make the grid and run again".into())
    })?;
    let row = slot::Entity::find_by_id(*last)
        .one(db)
        .await?
        .ok_or_else(|| {
            ScheduleError::Outdated(
                "the run's last meeting slot no longer exists: run the scheduler again".into(),
            )
        })?;
    Ok((row.ends_at - row.starts_at).num_minutes().max(1))
}

/// Sets the flag when dropped: a solve whose request went away (the client left, or the
/// request's time limit cut it off) stops at the solver's next check.
struct CancelOnDrop(Arc<AtomicBool>);

impl Drop for CancelOnDrop {
    fn drop(&mut self) {
        self.0.store(true, Ordering::SeqCst);
    }
}

/// What the change would buy for the done run `run_id` (organisers of the event).
pub async fn what_if(
    state: &AppState,
    by: &person::Model,
    event_id: Uuid,
    run_id: Uuid,
    input: WhatIfInput,
) -> ScheduleResult<WhatIf> {
    let db = &state.db;
    let (_, row) = for_organiser(db, by, event_id, run_id).await?;
    let checked = check(&input)?;
    let result = result_of(&row)?;
    let built = built_of(&row)?;
    let (scenario, slot_minutes) = match checked.asked {
        Asked::Tables(n) => (Scenario::ExtraTables(n), None),
        Asked::Slots(n) => (Scenario::ExtraSlots(n), None),
        Asked::Minutes(minutes) => {
            let length = last_slot_minutes(db, &built).await?;
            (
                Scenario::ExtraSlots((minutes / length) as usize),
                Some(length),
            )
        }
    };
    let (extra_tables, extra_slots) = match scenario {
        Scenario::ExtraTables(n) => (n, 0),
        Scenario::ExtraSlots(n) => (0, n),
    };
    let shorter_than_a_slot = matches!(checked.asked, Asked::Minutes(_)) && extra_slots == 0;
    let solve = checked.solve && !shorter_than_a_slot;
    // A request's time limit would cut off a longer solve before it answers.
    let request_limit =
        Duration::from_secs_f64(state.settings.server.request_timeout_seconds * 0.75);
    let options = Options {
        time_limit: checked.time_limit.min(request_limit),
        seed: row.seed as u64,
        ..Options::default()
    };
    let schedule = result.schedule;
    let (objective, meetings) = (schedule.objective, schedule.meetings.len());
    let cancel = Arc::new(AtomicBool::new(false));
    let _cancel_on_drop = CancelOnDrop(cancel.clone());
    // The relaxation and the search are CPU work: off the async threads.
    let (gain, solved) = tokio::task::spawn_blocking(move || {
        let problem = Problem::from_instance(&built.instance).map_err(internal)?;
        let gain = bound_gain(&problem, scenario);
        let solved = if solve {
            let current = slot_of(&problem, &schedule).map_err(internal)?;
            let control = Control {
                cancel: Some(&*cancel),
                progress: None,
            };
            Some(solve_scenario(
                &problem, scenario, &current, &options, &control,
            ))
        } else {
            None
        };
        Ok::<_, ScheduleError>((gain, solved))
    })
    .await
    .map_err(internal)??;
    Ok(WhatIf {
        scenario: input.scenario,
        count: match checked.asked {
            Asked::Tables(n) | Asked::Slots(n) => Some(n as i64),
            Asked::Minutes(_) => None,
        },
        minutes: match checked.asked {
            Asked::Minutes(m) => Some(m),
            _ => None,
        },
        slot_minutes,
        extra_tables,
        extra_slots,
        shorter_than_a_slot,
        objective,
        meetings,
        bound_before: gain.bound_before,
        bound_after: gain.bound_after,
        objective_gain_bound: gain.objective_gain(),
        meetings_bound_before: gain.meetings_bound_before,
        meetings_bound_after: gain.meetings_bound_after,
        meetings_gain_bound: gain.meetings_gain(),
        solved: solved.map(|s| WhatIfSolved {
            objective: s.objective,
            bound: s.bound,
            meetings: s.meetings.len(),
            objective_gain: s.objective - objective,
            meetings_gain: s.meetings.len() as i64 - meetings as i64,
            seconds: s.statistics.seconds,
            optimal: s.objective >= s.bound,
            stopped_by_time_limit: s.statistics.stopped_by_time_limit,
        }),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input(scenario: WhatIfScenario) -> WhatIfInput {
        WhatIfInput {
            scenario,
            count: None,
            minutes: None,
            solve: false,
            time_limit_seconds: None,
        }
    }

    fn fields(err: ScheduleError) -> Vec<(String, String)> {
        match err {
            ScheduleError::Invalid(fields) => {
                fields.into_iter().map(|f| (f.field, f.code)).collect()
            }
            other => panic!("{other}"),
        }
    }

    #[test]
    fn a_count_defaults_to_one_and_minutes_go_with_extra_minutes_only() {
        let c = check(&input(WhatIfScenario::ExtraTable)).unwrap();
        assert_eq!(c.asked, Asked::Tables(1));
        assert_eq!(c.time_limit, Duration::from_secs(10));
        let c = check(&WhatIfInput {
            count: Some(3),
            ..input(WhatIfScenario::ExtraSlot)
        })
        .unwrap();
        assert_eq!(c.asked, Asked::Slots(3));
        let c = check(&WhatIfInput {
            minutes: Some(30),
            ..input(WhatIfScenario::ExtraMinutes)
        })
        .unwrap();
        assert_eq!(c.asked, Asked::Minutes(30));
        assert_eq!(
            fields(check(&input(WhatIfScenario::ExtraMinutes)).unwrap_err()),
            [("minutes".into(), "required".into())]
        );
        assert_eq!(
            fields(
                check(&WhatIfInput {
                    count: Some(2),
                    minutes: Some(241),
                    ..input(WhatIfScenario::ExtraMinutes)
                })
                .unwrap_err()
            ),
            [
                ("count".into(), "not_allowed".into()),
                ("minutes".into(), "out_of_range".into())
            ]
        );
        assert_eq!(
            fields(
                check(&WhatIfInput {
                    count: Some(21),
                    minutes: Some(10),
                    time_limit_seconds: Some(21),
                    ..input(WhatIfScenario::ExtraTable)
                })
                .unwrap_err()
            ),
            [
                ("time_limit_seconds".into(), "out_of_range".into()),
                ("count".into(), "out_of_range".into()),
                ("minutes".into(), "not_allowed".into())
            ]
        );
    }
}
