//! The solver against exhaustive search on small random instances, and its rules on
//! random instances of every shape: valid schedules, pins held, sound bounds, determinism.

use std::time::Duration;

use super::generate::{self, Shape};
use super::model::{
    INSTANCE_FORMAT, Instance, ParticipantSpec, Placement, Problem, RequestSpec, Side,
};
use super::rng::Rng;
use super::search::PROGRESS_EVERY;
use super::{Control, Options, Progress, Schedule, Stopped, parse_instance, solve, solve_with};

/// An independent check of every rule, on the output document.
pub(super) fn check(problem: &Problem, schedule: &Schedule) -> Result<i64, String> {
    let index: std::collections::HashMap<&str, usize> = problem
        .requests
        .iter()
        .enumerate()
        .map(|(i, r)| (r.id.as_str(), i))
        .collect();
    let mut slot_of = vec![None; problem.requests.len()];
    let mut busy = std::collections::HashSet::new();
    let mut count = vec![0usize; problem.people.len()];
    let mut tables = vec![0usize; problem.slots];
    let mut table_numbers = std::collections::HashSet::new();
    for m in &schedule.meetings {
        let r = *index.get(m.request.as_str()).ok_or("unknown request")?;
        if slot_of[r].replace(m.slot).is_some() {
            return Err(format!("{} twice", m.request));
        }
        let req = &problem.requests[r];
        for who in [req.buyer, req.supplier] {
            if !problem.people[who].available[m.slot] {
                return Err(format!(
                    "{} unavailable in {}",
                    problem.people[who].id, m.slot
                ));
            }
            if !busy.insert((who, m.slot)) {
                return Err(format!(
                    "{} double-booked in {}",
                    problem.people[who].id, m.slot
                ));
            }
            count[who] += 1;
        }
        if req.needs_table {
            tables[m.slot] += 1;
            let n = m.table.ok_or("a table meeting without a table number")?;
            if n == 0 || n > problem.tables[m.slot] || !table_numbers.insert((m.slot, n)) {
                return Err(format!(
                    "table {n} in slot {} is wrong or taken twice",
                    m.slot
                ));
            }
        } else if m.table.is_some() || !m.at_booth {
            return Err("a booth meeting with a table number, or not marked at_booth".into());
        }
    }
    for (p, person) in problem.people.iter().enumerate() {
        if count[p] > person.cap {
            return Err(format!("{} over cap", person.id));
        }
    }
    for (t, used) in tables.iter().enumerate() {
        if *used > problem.tables[t] {
            return Err(format!("slot {t} over its tables"));
        }
    }
    for (r, pin) in problem.pinned.iter().enumerate() {
        if pin.is_some() && slot_of[r] != *pin {
            return Err(format!("pin of {} not held", problem.requests[r].id));
        }
    }
    let objective = problem.objective(&slot_of);
    if objective != schedule.objective {
        return Err(format!(
            "reported objective {} but it is {objective}",
            schedule.objective
        ));
    }
    Ok(objective)
}

/// The best objective by trying everything (each request: unscheduled or one of its slots).
pub(super) fn exhaustive(problem: &Problem) -> i64 {
    fn go(
        problem: &Problem,
        r: usize,
        slot_of: &mut Vec<Option<usize>>,
        busy: &mut Vec<bool>,
        count: &mut Vec<usize>,
        tables: &mut Vec<usize>,
        best: &mut i64,
    ) {
        if r == problem.requests.len() {
            *best = (*best).max(problem.objective(slot_of));
            return;
        }
        let req = &problem.requests[r];
        let choices: Vec<Option<usize>> = match problem.pinned[r] {
            Some(t) => vec![Some(t)],
            None => std::iter::once(None)
                .chain(req.slots.iter().map(|&t| Some(t)))
                .collect(),
        };
        for choice in choices {
            match choice {
                None => go(problem, r + 1, slot_of, busy, count, tables, best),
                Some(t) => {
                    let s = problem.slots;
                    let (b, p) = (req.buyer, req.supplier);
                    if busy[b * s + t]
                        || busy[p * s + t]
                        || count[b] >= problem.people[b].cap
                        || count[p] >= problem.people[p].cap
                        || (req.needs_table && tables[t] >= problem.tables[t])
                    {
                        continue;
                    }
                    busy[b * s + t] = true;
                    busy[p * s + t] = true;
                    count[b] += 1;
                    count[p] += 1;
                    tables[t] += usize::from(req.needs_table);
                    slot_of[r] = Some(t);
                    go(problem, r + 1, slot_of, busy, count, tables, best);
                    slot_of[r] = None;
                    tables[t] -= usize::from(req.needs_table);
                    count[b] -= 1;
                    count[p] -= 1;
                    busy[b * s + t] = false;
                    busy[p * s + t] = false;
                }
            }
        }
    }
    let mut best = i64::MIN;
    go(
        problem,
        0,
        &mut vec![None; problem.requests.len()],
        &mut vec![false; problem.people.len() * problem.slots],
        &mut vec![0; problem.people.len()],
        &mut vec![0; problem.slots],
        &mut best,
    );
    best
}

/// A problem from the fields of an instance document (the format is added).
pub(super) fn problem(mut fields: serde_json::Value) -> Problem {
    fields["format"] = INSTANCE_FORMAT.into();
    parse_instance(&fields.to_string()).expect("a valid test instance")
}

/// A small random instance; with `pins`, some meetings of a random valid schedule are pinned.
pub(super) fn small_instance(rng: &mut Rng, pins: bool) -> Instance {
    let slots = 1 + rng.below(3);
    let buyers = 1 + rng.below(4);
    let suppliers = 1 + rng.below(3);
    let mut participants = Vec::new();
    for (prefix, side, n) in [("b", Side::Buyer, buyers), ("s", Side::Supplier, suppliers)] {
        for i in 0..n {
            participants.push(ParticipantSpec {
                id: format!("{prefix}{i}"),
                side,
                unavailable: (0..slots as i64).filter(|_| rng.chance(0.2)).collect(),
                max_meetings: rng.chance(0.2).then(|| rng.below(3) as i64),
                booth: side == Side::Supplier && rng.chance(0.3),
            });
        }
    }
    let mut requests = Vec::new();
    for b in 0..buyers {
        for s in 0..suppliers {
            if rng.chance(0.6) && requests.len() < 8 {
                requests.push(RequestSpec {
                    id: format!("r{}", requests.len()),
                    buyer: format!("b{b}"),
                    supplier: format!("s{s}"),
                    weight: rng.below(6) as i64,
                    initiator: None,
                });
            }
        }
    }
    let mut instance = Instance {
        format: INSTANCE_FORMAT.into(),
        name: None,
        slots,
        tables: (0..slots).map(|_| rng.below(3) as i64).collect(),
        first_meeting_bonus: rng.below(6) as i64,
        participants,
        requests,
        pinned: Vec::new(),
        previous: Vec::new(),
    };
    if pins && let Ok(problem) = Problem::from_instance(&instance) {
        // Pin a few meetings of a greedy valid schedule.
        let schedule = solve(
            &problem,
            &Options {
                iterations: Some(0),
                ..Options::default()
            },
        );
        instance.pinned = schedule
            .meetings
            .iter()
            .filter(|_| rng.chance(0.4))
            .map(|m| Placement {
                request: m.request.clone(),
                slot: m.slot as i64,
            })
            .collect();
    }
    instance
}

fn quick(seed: u64) -> Options {
    Options {
        time_limit: Duration::from_secs(30),
        seed,
        change_penalty: 10,
        iterations: Some(20_000),
    }
}

#[test]
fn bound_is_sound_and_the_optimum_is_found_on_small_instances() {
    let mut rng = Rng::new(7);
    let (mut runs, mut optimal) = (0, 0);
    for case in 0..400 {
        let instance = small_instance(&mut rng, case % 3 == 0);
        let problem = Problem::from_instance(&instance).expect("generated instances are valid");
        let schedule = solve(&problem, &quick(case));
        let objective = check(&problem, &schedule).unwrap_or_else(|e| panic!("case {case}: {e}"));
        let best = exhaustive(&problem);
        assert!(
            schedule.bound >= best,
            "case {case}: bound {} below the optimum {best}",
            schedule.bound
        );
        assert!(
            best >= objective,
            "case {case}: objective {objective} above the optimum {best}?"
        );
        runs += 1;
        optimal += usize::from(objective == best);
    }
    assert!(
        optimal * 100 >= runs * 98,
        "optimal on only {optimal} of {runs} instances"
    );
}

#[test]
fn schedules_are_valid_pins_hold_and_seeds_repeat_on_every_shape() {
    let mut rng = Rng::new(11);
    for case in 0..40u64 {
        let shape = Shape {
            buyers: 5 + rng.below(60),
            suppliers: 2 + rng.below(20),
            slots: 1 + rng.below(16),
            tables: rng.chance(0.5).then(|| rng.below(12)),
            booth_share: rng.unit() * 0.6,
            requests_per_buyer: 1.0 + rng.unit() * 6.0,
            skew: rng.unit() * 1.5,
            unavailable: rng.unit() * 0.8,
            max_meetings: rng.chance(0.3).then(|| 1 + rng.below(6)),
            bonus: rng.below(8) as i64,
        };
        let mut instance = generate::instance(&shape, case);
        let problem = Problem::from_instance(&instance).unwrap();
        let first = solve(&problem, &quick(case));
        check(&problem, &first).unwrap_or_else(|e| panic!("case {case}: {e}"));
        assert!(first.bound >= first.objective);
        let again = solve(&problem, &quick(case));
        assert_eq!(
            first.meetings, again.meetings,
            "case {case}: same seed, same schedule"
        );

        // Pin some of it, and re-solve against it as the previous schedule.
        instance.pinned = first
            .meetings
            .iter()
            .step_by(3)
            .map(|m| Placement {
                request: m.request.clone(),
                slot: m.slot as i64,
            })
            .collect();
        instance.previous = first
            .meetings
            .iter()
            .map(|m| Placement {
                request: m.request.clone(),
                slot: m.slot as i64,
            })
            .collect();
        let problem = Problem::from_instance(&instance).unwrap();
        let resolved = solve(&problem, &quick(case + 1000));
        check(&problem, &resolved).unwrap_or_else(|e| panic!("case {case} re-solved: {e}"));
        assert!(
            resolved.changes.iter().all(|c| c.kind == "added"),
            "case {case}: nothing changed, so nothing should move: {:?}",
            resolved.changes
        );
        assert!(resolved.objective >= first.objective);
    }
}

#[test]
fn re_solving_after_a_no_show_keeps_the_rest_in_place() {
    let instance = generate::instance(
        &Shape {
            buyers: 60,
            suppliers: 15,
            slots: 8,
            ..Shape::default()
        },
        3,
    );
    let problem = Problem::from_instance(&instance).unwrap();
    let first = solve(&problem, &quick(1));
    let mut second = instance.clone();
    second.previous = first
        .meetings
        .iter()
        .map(|m| Placement {
            request: m.request.clone(),
            slot: m.slot as i64,
        })
        .collect();
    // The busiest supplier does not turn up.
    let supplier_meetings = |s: &str| {
        first
            .meetings
            .iter()
            .filter(|m| {
                second
                    .requests
                    .iter()
                    .any(|r| r.id == m.request && r.supplier == s)
            })
            .count()
    };
    let absent = second
        .participants
        .iter()
        .filter(|p| p.side == Side::Supplier)
        .max_by_key(|p| supplier_meetings(&p.id))
        .unwrap()
        .id
        .clone();
    second
        .participants
        .iter_mut()
        .find(|p| p.id == absent)
        .unwrap()
        .unavailable = (0..8).collect();
    let lost = supplier_meetings(&absent);
    let problem = Problem::from_instance(&second).unwrap();
    let resolved = solve(&problem, &quick(1));
    check(&problem, &resolved).unwrap();
    // Every meeting of the absent supplier is dropped; anything else that changes must pay
    // for itself: the result scores at least as well as simply striking the lost meetings.
    let absent_index = problem.people.iter().position(|p| p.id == absent).unwrap();
    let dropped_absent = resolved
        .changes
        .iter()
        .filter(|c| c.kind == "dropped")
        .filter(|c| {
            problem
                .requests
                .iter()
                .any(|r| r.id == c.request && r.supplier == absent_index)
        })
        .count();
    assert_eq!(dropped_absent, lost);
    let kept: Vec<Option<usize>> = (0..problem.requests.len())
        .map(|r| problem.previous[r].filter(|_| problem.requests[r].supplier != absent_index))
        .collect();
    let penalty = 10;
    let striking = problem.objective(&kept) - penalty * lost as i64;
    let changed = resolved
        .changes
        .iter()
        .filter(|c| c.kind != "added")
        .count() as i64;
    assert!(
        resolved.objective - penalty * changed >= striking,
        "re-solving scored worse than striking the lost meetings"
    );
    assert!(
        changed <= 2 * lost as i64,
        "{changed} changes for {lost} lost meetings"
    );
}

#[test]
fn invalid_instances_are_refused_with_a_reason() {
    let base = generate::instance(
        &Shape {
            buyers: 3,
            suppliers: 2,
            slots: 3,
            ..Shape::default()
        },
        1,
    );
    type Change = Box<dyn Fn(&mut Instance)>;
    let cases: Vec<(Change, &str)> = vec![
        (Box::new(|i| i.format = "other/1".into()), "format"),
        (
            Box::new(|i| i.tables.pop().map(|_| ()).unwrap_or(())),
            "tables",
        ),
        (
            Box::new(|i| i.requests[0].buyer = "nobody".into()),
            "unknown participant \"nobody\"",
        ),
        (
            Box::new(|i| i.requests[0].supplier = i.requests[0].buyer.clone()),
            "is not a supplier",
        ),
        (
            Box::new(|i| i.participants[0].unavailable = vec![7]),
            "out of range",
        ),
        (
            Box::new(|i| {
                i.pinned = vec![Placement {
                    request: "r0".into(),
                    slot: 9,
                }]
            }),
            "out of range",
        ),
        (
            Box::new(|i| {
                i.pinned = vec![Placement {
                    request: "zz".into(),
                    slot: 0,
                }]
            }),
            "unknown request",
        ),
        (Box::new(|i| i.requests[0].weight = -1), "negative"),
        (
            Box::new(|i| {
                let p = i.participants[0].clone();
                i.participants.push(p);
            }),
            "appears twice",
        ),
    ];
    for (change, expected) in cases {
        let mut instance = base.clone();
        change(&mut instance);
        let err = Problem::from_instance(&instance)
            .expect_err(expected)
            .to_string();
        assert!(
            err.contains(expected),
            "{err:?} should mention {expected:?}"
        );
    }
    let err = parse_instance("{\"format\": ").unwrap_err().to_string();
    assert!(err.contains("not a valid instance document"), "{err}");
    let err = parse_instance("{\"format\": \"matchfloor-instance/1\", \"slots\": 2}")
        .unwrap_err()
        .to_string();
    assert!(err.contains("missing field"), "{err}");
}

#[test]
fn a_time_limit_cuts_the_search_short_and_still_gives_a_valid_schedule() {
    let instance = generate::instance(
        &Shape {
            buyers: 400,
            suppliers: 100,
            slots: 12,
            ..Shape::default()
        },
        5,
    );
    let problem = Problem::from_instance(&instance).unwrap();
    let options = Options {
        time_limit: Duration::from_millis(1),
        seed: 1,
        change_penalty: 10,
        iterations: Some(u64::MAX / 2),
    };
    let schedule = solve(&problem, &options);
    check(&problem, &schedule).unwrap();
    assert!(schedule.statistics.stopped_by_time_limit);
    assert_eq!(schedule.statistics.stopped, Stopped::Time);
}

#[test]
fn suppliers_keep_their_table_when_there_are_enough_tables() {
    let instance = generate::instance(
        &Shape {
            buyers: 40,
            suppliers: 8,
            slots: 10,
            tables: Some(8),
            booth_share: 0.25,
            ..Shape::default()
        },
        2,
    );
    let problem = Problem::from_instance(&instance).unwrap();
    let schedule = solve(&problem, &quick(1));
    check(&problem, &schedule).unwrap();
    assert_eq!(schedule.statistics.suppliers_changing_table, 0);
}

/// A problem whose bound is never reached: the buyer could meet both suppliers, but they are
/// only free in the same slot. The search spends its whole budget.
fn bound_out_of_reach() -> Problem {
    problem(serde_json::json!({
        "slots": 2,
        "tables": [2, 2],
        "participants": [
            {"id": "b0", "side": "buyer"},
            {"id": "s0", "side": "supplier", "unavailable": [1]},
            {"id": "s1", "side": "supplier", "unavailable": [1]}
        ],
        "requests": [
            {"id": "r0", "buyer": "b0", "supplier": "s0", "weight": 3},
            {"id": "r1", "buyer": "b0", "supplier": "s1", "weight": 3}
        ]
    }))
}

#[test]
fn progress_is_told_without_changing_the_search() {
    let problem = bound_out_of_reach();
    let options = Options {
        iterations: Some(400_000),
        ..quick(5)
    };
    let reports = std::sync::Mutex::new(Vec::<Progress>::new());
    let progress = |p: Progress| reports.lock().unwrap().push(p);
    let watched = solve_with(
        &problem,
        &options,
        &Control {
            cancel: None,
            progress: Some(&progress),
        },
    );
    let unwatched = solve(&problem, &options);
    check(&problem, &watched).unwrap();
    assert_eq!(watched.meetings, unwatched.meetings);
    assert_eq!(watched.objective, 3);
    assert_eq!(watched.bound, 6);
    assert_eq!(watched.statistics.stopped, Stopped::Budget);
    assert_eq!(watched.statistics.iterations, 400_000);
    let reports = reports.into_inner().unwrap();
    // At the start, every PROGRESS_EVERY iterations within each of the four rounds of
    // 100,000, and at the end of each round.
    let iterations: Vec<u64> = reports.iter().map(|p| p.iterations).collect();
    let round = 100_000;
    let mut expected = vec![0];
    for k in 0..4 {
        expected.extend([k * round + PROGRESS_EVERY, (k + 1) * round]);
    }
    assert_eq!(iterations, expected);
    assert!(reports.iter().all(|p| p.planned == 400_000 && p.bound == 6));
    assert!(reports.iter().skip(1).all(|p| p.objective == 3));
}

#[test]
fn a_progress_callback_leaves_every_schedule_as_it_was() {
    let mut rng = Rng::new(23);
    for case in 0..6u64 {
        let shape = Shape {
            buyers: 20 + rng.below(80),
            suppliers: 5 + rng.below(20),
            slots: 2 + rng.below(12),
            tables: rng.chance(0.5).then(|| 1 + rng.below(10)),
            unavailable: rng.unit() * 0.6,
            ..Shape::default()
        };
        let problem = Problem::from_instance(&generate::instance(&shape, case)).unwrap();
        let options = Options {
            iterations: Some(300_000),
            ..quick(case)
        };
        let calls = std::sync::atomic::AtomicU64::new(0);
        let progress = |_: Progress| {
            calls.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        };
        let watched = solve_with(
            &problem,
            &options,
            &Control {
                cancel: None,
                progress: Some(&progress),
            },
        );
        let unwatched = solve(&problem, &options);
        assert!(calls.into_inner() >= 1, "case {case}: never told");
        assert_eq!(watched.meetings, unwatched.meetings, "case {case}");
        assert_eq!(watched.objective, unwatched.objective, "case {case}");
        assert_eq!(
            watched.statistics.iterations, unwatched.statistics.iterations,
            "case {case}"
        );
        assert_eq!(watched.statistics.stopped, unwatched.statistics.stopped);
    }
}

#[test]
fn a_cancel_stops_the_search_with_the_best_schedule_so_far() {
    let problem = bound_out_of_reach();
    let options = Options {
        iterations: Some(4_000_000),
        ..quick(1)
    };
    // Cancelled from the progress callback at the first report inside the annealing: the
    // search notices at its next check.
    let cancel = std::sync::atomic::AtomicBool::new(false);
    let progress = |p: Progress| {
        if p.iterations > 0 {
            cancel.store(true, std::sync::atomic::Ordering::Relaxed);
        }
    };
    let schedule = solve_with(
        &problem,
        &options,
        &Control {
            cancel: Some(&cancel),
            progress: Some(&progress),
        },
    );
    check(&problem, &schedule).unwrap();
    assert_eq!(schedule.statistics.stopped, Stopped::Cancelled);
    assert!(!schedule.statistics.stopped_by_time_limit);
    assert_eq!(schedule.statistics.iterations, PROGRESS_EVERY + 2048);
    assert_eq!(schedule.objective, 3);

    // Cancelled before it starts: the greedy start, valid.
    let cancel = std::sync::atomic::AtomicBool::new(true);
    let schedule = solve_with(
        &problem,
        &options,
        &Control {
            cancel: Some(&cancel),
            progress: None,
        },
    );
    check(&problem, &schedule).unwrap();
    assert_eq!(schedule.statistics.stopped, Stopped::Cancelled);
    assert_eq!(schedule.statistics.iterations, 0);

    // The reason is in the schedule file.
    let text = serde_json::to_string(&schedule).unwrap();
    assert!(text.contains("\"stopped\":\"cancelled\""), "{text}");
}

#[test]
fn the_statistics_say_when_the_bound_ended_the_search() {
    let problem = problem(serde_json::json!({
        "slots": 2,
        "tables": [1, 1],
        "first_meeting_bonus": 2,
        "participants": [
            {"id": "b0", "side": "buyer"},
            {"id": "s0", "side": "supplier"}
        ],
        "requests": [{"id": "r0", "buyer": "b0", "supplier": "s0", "weight": 3}]
    }));
    let schedule = solve(&problem, &quick(1));
    assert_eq!(schedule.objective, 7);
    assert_eq!(schedule.statistics.stopped, Stopped::Bound);
    assert_eq!(schedule.statistics.iterations, 0);
}
