//! What if the venue had more tables, or the day more slots: the same problem with the
//! change, its proven bounds at once, and a solve of it that starts from the current
//! schedule.
//!
//! The bound's gain (`bound_gain`) is an upper limit on what the change can buy, known in
//! milliseconds: no schedule of the changed problem beats its bound. A solve of the changed
//! problem (`solve_scenario`) gives a gain that is actually realised; started from the
//! current schedule (which stays valid: a scenario only adds room), it never ends below it.

use serde::{Deserialize, Serialize};

use super::bound::relaxation;
use super::model::{Problem, cap_for};
use super::{Control, Options, Schedule, solve_from};

/// A change to the venue or the day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Scenario {
    /// This many more shared tables in every slot.
    ExtraTables(usize),
    /// This many more slots at the end of the day. In each new slot everyone is available
    /// as in the last slot, and there are as many tables as in the last slot; people
    /// without a cap may use the new slots, capped people keep their cap.
    ExtraSlots(usize),
}

/// The problem with the scenario applied. Requests, people, pins and the previous schedule
/// keep their indices (new slots come after the existing ones).
pub fn with_scenario(problem: &Problem, scenario: Scenario) -> Problem {
    let mut out = problem.clone();
    match scenario {
        Scenario::ExtraTables(n) => {
            for tables in &mut out.tables {
                *tables += n;
            }
        }
        Scenario::ExtraSlots(n) => {
            let last = problem.slots - 1;
            out.slots = problem.slots + n;
            out.tables.resize(out.slots, problem.tables[last]);
            for person in &mut out.people {
                let free = person.available[last];
                person.available.resize(out.slots, free);
                person.cap = cap_for(person.max_meetings, out.slots);
            }
            for req in &mut out.requests {
                if out.people[req.buyer].available[last] && out.people[req.supplier].available[last]
                {
                    req.slots.extend(problem.slots..out.slots);
                }
            }
        }
    }
    out
}

/// The proven bounds before and after a scenario.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct BoundGain {
    /// Upper bounds on the objective.
    pub bound_before: i64,
    pub bound_after: i64,
    /// Upper bounds on the number of meetings (every weight 1, no first-meeting bonus).
    pub meetings_bound_before: i64,
    pub meetings_bound_after: i64,
}

impl BoundGain {
    /// At most this much more objective.
    pub fn objective_gain(&self) -> i64 {
        self.bound_after - self.bound_before
    }

    /// How much the upper bound on the number of meetings rises. Not a promise of that many
    /// more meetings (the current schedule may be below its bound); a solve tells.
    pub fn meetings_gain(&self) -> i64 {
        self.meetings_bound_after - self.meetings_bound_before
    }
}

/// The bounds of the problem and of the problem with the scenario, from the relaxation in
/// `bound.rs` (four minimum-cost flows, no search).
pub fn bound_gain(problem: &Problem, scenario: Scenario) -> BoundGain {
    let after = with_scenario(problem, scenario);
    BoundGain {
        bound_before: relaxation(problem).bound,
        bound_after: relaxation(&after).bound,
        meetings_bound_before: relaxation(&counting(problem)).bound,
        meetings_bound_after: relaxation(&counting(&after)).bound,
    }
}

/// The problem in which every meeting is worth 1 and nothing else counts: its objective is
/// the number of meetings.
fn counting(problem: &Problem) -> Problem {
    let mut out = problem.clone();
    out.bonus = 0;
    for req in &mut out.requests {
        req.weight = 1;
    }
    out
}

/// Solves the problem with the scenario, starting from `current` (per request: its slot in
/// the current schedule, e.g. `explain::slot_of` of a run's result). The current schedule
/// stays valid under the scenario and the search never ends below its start, so without a
/// previous schedule in the problem the objective is at least the current one's (with one,
/// at least its score: objective less the change penalty per moved or dropped meeting).
pub fn solve_scenario(
    problem: &Problem,
    scenario: Scenario,
    current: &[Option<usize>],
    options: &Options,
    control: &Control<'_>,
) -> Schedule {
    solve_from(
        &with_scenario(problem, scenario),
        options,
        control,
        Some(current),
    )
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use serde_json::json;

    use super::super::explain::slot_of;
    use super::super::generate::{self, Shape};
    use super::super::rng::Rng;
    use super::super::tests::{check, exhaustive, problem, small_instance};
    use super::super::{solve, solve_with};
    use super::*;

    fn options(seed: u64) -> Options {
        Options {
            time_limit: Duration::from_secs(30),
            seed,
            change_penalty: 10,
            iterations: Some(20_000),
        }
    }

    #[test]
    fn extra_slots_copy_the_last_slot_and_keep_caps_pins_and_the_previous_schedule() {
        let p = problem(json!({
            "slots": 3,
            "tables": [4, 3, 2],
            "participants": [
                {"id": "b0", "side": "buyer", "max_meetings": 2},
                {"id": "b1", "side": "buyer", "unavailable": [2]},
                {"id": "s0", "side": "supplier", "max_meetings": 5},
                {"id": "s1", "side": "supplier", "booth": true}
            ],
            "requests": [
                {"id": "r0", "buyer": "b0", "supplier": "s0", "weight": 3},
                {"id": "r1", "buyer": "b1", "supplier": "s1", "weight": 3}
            ],
            "pinned": [{"request": "r0", "slot": 2}],
            "previous": [{"request": "r1", "slot": 1}]
        }));
        let q = with_scenario(&p, Scenario::ExtraSlots(2));
        assert_eq!(q.slots, 5);
        assert_eq!(q.tables, vec![4, 3, 2, 2, 2]);
        assert_eq!(q.people[0].available, vec![true; 5]);
        assert_eq!(q.people[1].available, vec![true, true, false, false, false]);
        // b0 keeps its cap of 2; s0 (5, of which 3 usable before) and s1 (no cap) may
        // meet in every slot now.
        let caps: Vec<usize> = q.people.iter().map(|x| x.cap).collect();
        assert_eq!(caps, vec![2, 5, 5, 5]);
        assert_eq!(q.requests[0].slots, vec![0, 1, 2, 3, 4]);
        assert_eq!(q.requests[1].slots, vec![0, 1]);
        assert_eq!(q.pinned, p.pinned);
        assert_eq!(q.previous, p.previous);

        let q = with_scenario(&p, Scenario::ExtraTables(3));
        assert_eq!(q.tables, vec![7, 6, 5]);
        assert_eq!(q.slots, 3);
        assert_eq!(q.requests[0].slots, p.requests[0].slots);
    }

    #[test]
    fn the_scenario_serialises_by_name() {
        assert_eq!(
            serde_json::to_string(&Scenario::ExtraTables(1)).unwrap(),
            r#"{"extra_tables":1}"#
        );
        let s: Scenario = serde_json::from_str(r#"{"extra_slots":2}"#).unwrap();
        assert_eq!(s, Scenario::ExtraSlots(2));
    }

    #[test]
    fn one_more_table_gains_a_meeting_where_the_tables_are_the_limit() {
        // One table, two pairs wanting the only slot: one meeting; with a second table, two.
        let p = problem(json!({
            "slots": 1,
            "tables": [1],
            "first_meeting_bonus": 5,
            "participants": [
                {"id": "b0", "side": "buyer"},
                {"id": "b1", "side": "buyer"},
                {"id": "s0", "side": "supplier"},
                {"id": "s1", "side": "supplier"}
            ],
            "requests": [
                {"id": "r0", "buyer": "b0", "supplier": "s0", "weight": 3},
                {"id": "r1", "buyer": "b1", "supplier": "s1", "weight": 2}
            ]
        }));
        let gain = bound_gain(&p, Scenario::ExtraTables(1));
        assert_eq!(
            gain,
            BoundGain {
                bound_before: 13,
                bound_after: 25,
                meetings_bound_before: 1,
                meetings_bound_after: 2,
            }
        );
        assert_eq!((gain.objective_gain(), gain.meetings_gain()), (12, 1));
        let before = solve(&p, &options(1));
        let current = slot_of(&p, &before).unwrap();
        let after = solve_scenario(
            &p,
            Scenario::ExtraTables(1),
            &current,
            &options(1),
            &Control::default(),
        );
        assert_eq!((before.objective, after.objective), (13, 25));
        assert_eq!(
            (before.statistics.meetings, after.statistics.meetings),
            (1, 2)
        );
    }

    #[test]
    fn more_tables_gain_meetings_on_a_table_bound_event() {
        let shape = Shape {
            buyers: 100,
            suppliers: 50,
            slots: 8,
            tables: Some(6),
            booth_share: 0.1,
            requests_per_buyer: 5.0,
            ..Shape::default()
        };
        let p = Problem::from_instance(&generate::instance(&shape, 4)).unwrap();
        let before = solve(&p, &options(1));
        let current = slot_of(&p, &before).unwrap();
        let scenario = Scenario::ExtraTables(2);
        let gain = bound_gain(&p, scenario);
        assert_eq!(gain.bound_before, before.bound);
        assert!(gain.meetings_gain() > 0, "{gain:?}");
        let after = solve_scenario(&p, scenario, &current, &options(1), &Control::default());
        let q = with_scenario(&p, scenario);
        check(&q, &after).unwrap();
        assert_eq!(after.bound, gain.bound_after);
        assert!(after.objective <= gain.bound_after);
        assert!(
            after.statistics.meetings > before.statistics.meetings,
            "{} meetings with two more tables, {} before",
            after.statistics.meetings,
            before.statistics.meetings
        );
        assert!(after.statistics.meetings as i64 <= gain.meetings_bound_after);
        // A plain solve of the scenario works too (and is valid).
        let plain = solve(&q, &options(1));
        check(&q, &plain).unwrap();
        assert!(plain.statistics.meetings > before.statistics.meetings);
    }

    #[test]
    fn bounds_are_monotone_and_sound_and_more_room_never_loses() {
        let mut rng = Rng::new(41);
        for case in 0..200u64 {
            let Ok(p) = Problem::from_instance(&small_instance(&mut rng, case % 3 == 0)) else {
                continue;
            };
            let before = solve(&p, &options(case));
            let current = slot_of(&p, &before).unwrap();
            for scenario in [
                Scenario::ExtraTables(1),
                Scenario::ExtraSlots(1),
                Scenario::ExtraSlots(2),
            ] {
                let gain = bound_gain(&p, scenario);
                assert!(
                    gain.bound_after >= gain.bound_before,
                    "case {case}: {gain:?}"
                );
                assert!(gain.meetings_bound_after >= gain.meetings_bound_before);
                let q = with_scenario(&p, scenario);
                assert!(
                    exhaustive(&q) <= gain.bound_after,
                    "case {case}: {scenario:?}"
                );
                let after =
                    solve_scenario(&p, scenario, &current, &options(case), &Control::default());
                let objective =
                    check(&q, &after).unwrap_or_else(|e| panic!("case {case} {scenario:?}: {e}"));
                assert!(
                    objective >= before.objective,
                    "case {case} {scenario:?}: {objective} < {}",
                    before.objective
                );
                assert!(after.statistics.meetings as i64 <= gain.meetings_bound_after);
            }
        }
    }

    #[test]
    fn one_more_slot_never_loses_on_event_shaped_instances() {
        let mut rng = Rng::new(43);
        for case in 0..6u64 {
            let shape = Shape {
                buyers: 40 + rng.below(80),
                suppliers: 10 + rng.below(20),
                slots: 4 + rng.below(8),
                tables: rng.chance(0.5).then(|| 3 + rng.below(8)),
                max_meetings: rng.chance(0.5).then(|| 2 + rng.below(4)),
                ..Shape::default()
            };
            let mut instance = generate::instance(&shape, case);
            let p = Problem::from_instance(&instance).unwrap();
            let before = solve(&p, &options(case));
            // Pinned meetings stay pinned in the scenario.
            instance.pinned = before
                .meetings
                .iter()
                .step_by(4)
                .map(|m| super::super::model::Placement {
                    request: m.request.clone(),
                    slot: m.slot as i64,
                })
                .collect();
            let p = Problem::from_instance(&instance).unwrap();
            let current = slot_of(&p, &before).unwrap();
            let scenario = Scenario::ExtraSlots(1);
            let q = with_scenario(&p, scenario);
            let cancel = std::sync::atomic::AtomicBool::new(false);
            let after = solve_scenario(
                &p,
                scenario,
                &current,
                &options(case),
                &Control {
                    cancel: Some(&cancel),
                    progress: None,
                },
            );
            check(&q, &after).unwrap_or_else(|e| panic!("case {case}: {e}"));
            assert!(after.objective >= before.objective, "case {case}");
            assert!(after.objective <= bound_gain(&p, scenario).bound_after);
            let plain = solve_with(&q, &options(case), &Control::default());
            check(&q, &plain).unwrap_or_else(|e| panic!("case {case}: {e}"));
        }
    }
}
