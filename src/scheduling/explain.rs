//! Why a request is not in a schedule: the reason in data, for the app to put into words.
//!
//! Works on any placement of the requests (a solver's result, an edited or a published
//! schedule), not only on what the solver found. The checks, in this order:
//! 1. no slot in which both people are available: `NoCommonFreeSlot`, with the slots each
//!    side blocked;
//! 2. one side (or both) already has as many meetings as their cap: `AtLimit`;
//! 3. per common free slot: both free and a table free (or none needed) -> it fits there:
//!    `WouldFit`; otherwise, if in some common free slot both are free, the tables are full
//!    in every such slot: `TablesFull`; otherwise one of them is busy in every common free
//!    slot: `Outweighed`, with the meetings that took its place.
//!
//! A solver leaves a request out although it fits only when adding it would not raise the
//! objective (a request worth 0 to people who already have a meeting), or when it was cut
//! short; `WouldFit` says so honestly.

use serde::{Deserialize, Serialize};

use super::model::{InstanceError, Problem, Schedule};

/// Why one request is not in the schedule. Slots are slot indices, requests request
/// indices, both of the `Problem`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "reason", rename_all = "snake_case")]
pub enum WhyNot {
    /// No slot in which both are available: the slots the buyer, and the supplier, blocked.
    NoCommonFreeSlot {
        buyer_unavailable: Vec<usize>,
        supplier_unavailable: Vec<usize>,
    },
    /// The buyer and/or the supplier already has as many meetings as their cap.
    AtLimit { buyer: bool, supplier: bool },
    /// In every common free slot where both are free, all shared tables are in use: those
    /// slots (only for a request that needs a table).
    TablesFull { slots: Vec<usize> },
    /// In every common free slot one of the two is busy: per slot, the meetings of either
    /// person in it (request indices, ascending).
    Outweighed { by: Vec<(usize, Vec<usize>)> },
    /// It would fit in these slots as the schedule stands.
    WouldFit { slots: Vec<usize> },
}

/// Per request, why it is not placed (`None` for a placed request). `slot_of` has one entry
/// per request of `problem` (its slot, or `None`); see `slot_of` to get it from a schedule.
/// Placements in a slot out of range are ignored.
pub fn why_not(problem: &Problem, slot_of: &[Option<usize>]) -> Vec<Option<WhyNot>> {
    let slots = problem.slots;
    let placed = |r: usize| slot_of.get(r).copied().flatten().filter(|&t| t < slots);
    // Per person: their meetings as (slot, request); per slot: the table meetings.
    let mut meetings = vec![Vec::new(); problem.people.len()];
    let mut tables_used = vec![0usize; slots];
    for (r, req) in problem.requests.iter().enumerate() {
        if let Some(t) = placed(r) {
            meetings[req.buyer].push((t, r));
            meetings[req.supplier].push((t, r));
            if req.needs_table {
                tables_used[t] += 1;
            }
        }
    }
    let unavailable = |p: usize| -> Vec<usize> {
        let person = &problem.people[p];
        (0..slots).filter(|&t| !person.available[t]).collect()
    };
    (0..problem.requests.len())
        .map(|r| {
            if placed(r).is_some() {
                return None;
            }
            let req = &problem.requests[r];
            let (b, s) = (req.buyer, req.supplier);
            if req.slots.is_empty() {
                return Some(WhyNot::NoCommonFreeSlot {
                    buyer_unavailable: unavailable(b),
                    supplier_unavailable: unavailable(s),
                });
            }
            let buyer = meetings[b].len() >= problem.people[b].cap;
            let supplier = meetings[s].len() >= problem.people[s].cap;
            if buyer || supplier {
                return Some(WhyNot::AtLimit { buyer, supplier });
            }
            let (mut fits, mut full, mut by) = (Vec::new(), Vec::new(), Vec::new());
            for &t in &req.slots {
                let mut busy: Vec<usize> = meetings[b]
                    .iter()
                    .chain(&meetings[s])
                    .filter(|&&(slot, _)| slot == t)
                    .map(|&(_, other)| other)
                    .collect();
                busy.sort_unstable();
                busy.dedup();
                if !busy.is_empty() {
                    by.push((t, busy));
                } else if req.needs_table && tables_used[t] >= problem.tables[t] {
                    full.push(t);
                } else {
                    fits.push(t);
                }
            }
            Some(if !fits.is_empty() {
                WhyNot::WouldFit { slots: fits }
            } else if !full.is_empty() {
                WhyNot::TablesFull { slots: full }
            } else {
                WhyNot::Outweighed { by }
            })
        })
        .collect()
}

/// Per request of `problem`, its slot in `schedule` (a schedule of this problem). Refuses a
/// meeting of an unknown request, a request placed twice and a slot out of range.
pub fn slot_of(
    problem: &Problem,
    schedule: &Schedule,
) -> Result<Vec<Option<usize>>, InstanceError> {
    let index: std::collections::HashMap<&str, usize> = problem
        .requests
        .iter()
        .enumerate()
        .map(|(r, req)| (req.id.as_str(), r))
        .collect();
    let mut out = vec![None; problem.requests.len()];
    for m in &schedule.meetings {
        let r = *index
            .get(m.request.as_str())
            .ok_or_else(|| InstanceError(format!("schedule: unknown request {:?}", m.request)))?;
        if m.slot >= problem.slots {
            return Err(InstanceError(format!(
                "schedule {:?}: slot {} is out of range 0..{}",
                m.request,
                m.slot,
                problem.slots - 1
            )));
        }
        if out[r].replace(m.slot).is_some() {
            return Err(InstanceError(format!(
                "schedule: request {:?} is listed twice",
                m.request
            )));
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::super::generate::{self, Shape};
    use super::super::rng::Rng;
    use super::super::tests::{problem, small_instance};
    use super::super::{Options, solve};
    use super::*;

    /// The request indices of the problem, by id.
    fn at(problem: &Problem, placements: &[(&str, usize)]) -> Vec<Option<usize>> {
        let mut out = vec![None; problem.requests.len()];
        for (id, t) in placements {
            let r = problem.requests.iter().position(|q| q.id == *id).unwrap();
            out[r] = Some(*t);
        }
        out
    }

    #[test]
    fn no_common_free_slot_names_the_slots_each_side_blocked() {
        let p = problem(json!({
            "slots": 3,
            "tables": [1, 1, 1],
            "participants": [
                {"id": "b0", "side": "buyer", "unavailable": [0, 1]},
                {"id": "s0", "side": "supplier", "unavailable": [2]}
            ],
            "requests": [{"id": "r0", "buyer": "b0", "supplier": "s0", "weight": 3}]
        }));
        assert_eq!(
            why_not(&p, &[None]),
            vec![Some(WhyNot::NoCommonFreeSlot {
                buyer_unavailable: vec![0, 1],
                supplier_unavailable: vec![2],
            })]
        );
    }

    #[test]
    fn at_limit_and_outweighed_name_whose_limit_and_which_meetings() {
        let p = problem(json!({
            "slots": 2,
            "tables": [5, 5],
            "participants": [
                {"id": "b0", "side": "buyer", "max_meetings": 1},
                {"id": "b1", "side": "buyer"},
                {"id": "s0", "side": "supplier"},
                {"id": "s1", "side": "supplier", "max_meetings": 1},
                {"id": "s2", "side": "supplier"}
            ],
            "requests": [
                {"id": "r0", "buyer": "b0", "supplier": "s0", "weight": 3},
                {"id": "r1", "buyer": "b0", "supplier": "s1", "weight": 3},
                {"id": "r2", "buyer": "b1", "supplier": "s1", "weight": 3},
                {"id": "r3", "buyer": "b1", "supplier": "s0", "weight": 3},
                {"id": "r4", "buyer": "b0", "supplier": "s2", "weight": 3}
            ]
        }));
        let reasons = why_not(&p, &at(&p, &[("r0", 0), ("r2", 1)]));
        assert_eq!(
            reasons,
            vec![
                None,
                Some(WhyNot::AtLimit {
                    buyer: true,
                    supplier: true
                }),
                None,
                // s0 meets b0 in slot 0 (r0), b1 meets s1 in slot 1 (r2).
                Some(WhyNot::Outweighed {
                    by: vec![(0, vec![0]), (1, vec![2])]
                }),
                Some(WhyNot::AtLimit {
                    buyer: true,
                    supplier: false
                }),
            ]
        );
    }

    #[test]
    fn outweighed_lists_both_peoples_meetings_in_a_slot() {
        // Two slots, so nobody is at their limit with one meeting; b0 and s0 only have
        // slot 0 in common.
        let p = problem(json!({
            "slots": 2,
            "tables": [5, 5],
            "participants": [
                {"id": "b0", "side": "buyer", "unavailable": [1]},
                {"id": "b1", "side": "buyer"},
                {"id": "s0", "side": "supplier", "unavailable": [1]},
                {"id": "s1", "side": "supplier"}
            ],
            "requests": [
                {"id": "r0", "buyer": "b0", "supplier": "s1", "weight": 1},
                {"id": "r1", "buyer": "b1", "supplier": "s0", "weight": 1},
                {"id": "r2", "buyer": "b0", "supplier": "s0", "weight": 9}
            ]
        }));
        let reasons = why_not(&p, &at(&p, &[("r1", 0), ("r0", 0)]));
        assert_eq!(
            reasons[2],
            Some(WhyNot::Outweighed {
                by: vec![(0, vec![0, 1])]
            })
        );
    }

    #[test]
    fn tables_full_only_in_slots_where_both_are_free_and_booths_need_no_table() {
        let p = problem(json!({
            "slots": 2,
            "tables": [1, 1],
            "participants": [
                {"id": "b0", "side": "buyer"},
                {"id": "b1", "side": "buyer"},
                {"id": "b2", "side": "buyer"},
                {"id": "s0", "side": "supplier"},
                {"id": "s1", "side": "supplier"},
                {"id": "s2", "side": "supplier"},
                {"id": "s3", "side": "supplier", "booth": true}
            ],
            "requests": [
                {"id": "r0", "buyer": "b0", "supplier": "s0", "weight": 3},
                {"id": "r1", "buyer": "b1", "supplier": "s1", "weight": 3},
                {"id": "r2", "buyer": "b2", "supplier": "s2", "weight": 3},
                {"id": "r3", "buyer": "b2", "supplier": "s3", "weight": 3},
                {"id": "r4", "buyer": "b0", "supplier": "s2", "weight": 3}
            ]
        }));
        let reasons = why_not(&p, &at(&p, &[("r0", 0), ("r1", 1)]));
        assert_eq!(reasons[2], Some(WhyNot::TablesFull { slots: vec![0, 1] }));
        assert_eq!(reasons[3], Some(WhyNot::WouldFit { slots: vec![0, 1] }));
        // b0 is busy in slot 0 and the table is taken in slot 1: the tables, not r0, are
        // what keeps it out.
        assert_eq!(reasons[4], Some(WhyNot::TablesFull { slots: vec![1] }));
        // With a second table in slot 1, r2 would fit there.
        let mut roomier = p.clone();
        roomier.tables[1] = 2;
        let reasons = why_not(&roomier, &at(&roomier, &[("r0", 0), ("r1", 1)]));
        assert_eq!(reasons[2], Some(WhyNot::WouldFit { slots: vec![1] }));
    }

    #[test]
    fn the_reasons_serialise_with_a_reason_tag() {
        let text = serde_json::to_string(&WhyNot::Outweighed {
            by: vec![(2, vec![4, 7])],
        })
        .unwrap();
        assert_eq!(text, r#"{"reason":"outweighed","by":[[2,[4,7]]]}"#);
        let text = serde_json::to_string(&WhyNot::AtLimit {
            buyer: false,
            supplier: true,
        })
        .unwrap();
        assert_eq!(
            text,
            r#"{"reason":"at_limit","buyer":false,"supplier":true}"#
        );
    }

    #[test]
    fn every_request_a_solver_leaves_out_gets_a_reason_that_holds() {
        let mut rng = Rng::new(31);
        let mut problems: Vec<Problem> = (0..150)
            .filter_map(|case| {
                Problem::from_instance(&small_instance(&mut rng, case % 2 == 0)).ok()
            })
            .collect();
        for case in 0..6 {
            let shape = Shape {
                buyers: 60,
                suppliers: 15,
                slots: 6,
                tables: Some(4 + case),
                max_meetings: (case % 2 == 0).then_some(3),
                ..Shape::default()
            };
            problems
                .push(Problem::from_instance(&generate::instance(&shape, case as u64)).unwrap());
        }
        for (case, p) in problems.iter().enumerate() {
            let schedule = solve(
                p,
                &Options {
                    iterations: Some(20_000),
                    ..Options::default()
                },
            );
            let slots = slot_of(p, &schedule).unwrap();
            let reasons = why_not(p, &slots);
            for (r, reason) in reasons.iter().enumerate() {
                let req = &p.requests[r];
                let meetings = |who: usize| {
                    (0..p.requests.len())
                        .filter(|&o| {
                            slots[o].is_some()
                                && (p.requests[o].buyer == who || p.requests[o].supplier == who)
                        })
                        .count()
                };
                match reason {
                    None => assert!(slots[r].is_some(), "case {case}: r{r} has no reason"),
                    Some(WhyNot::NoCommonFreeSlot { .. }) => assert!(req.slots.is_empty()),
                    Some(WhyNot::AtLimit { buyer, supplier }) => {
                        assert!(*buyer || *supplier);
                        assert_eq!(*buyer, meetings(req.buyer) >= p.people[req.buyer].cap);
                        assert_eq!(
                            *supplier,
                            meetings(req.supplier) >= p.people[req.supplier].cap
                        );
                    }
                    Some(WhyNot::TablesFull { slots: full }) => {
                        assert!(req.needs_table && !full.is_empty());
                        for &t in full {
                            let used = (0..p.requests.len())
                                .filter(|&o| slots[o] == Some(t) && p.requests[o].needs_table)
                                .count();
                            assert_eq!(used, p.tables[t], "case {case}: slot {t} not full");
                        }
                    }
                    Some(WhyNot::Outweighed { by }) => {
                        assert_eq!(by.len(), req.slots.len());
                        for (t, others) in by {
                            assert!(others.iter().all(|&o| slots[o] == Some(*t)
                                && [req.buyer, req.supplier].iter().any(|&w| {
                                    p.requests[o].buyer == w || p.requests[o].supplier == w
                                })));
                        }
                    }
                    // The solver leaves out a request that fits only when it adds nothing.
                    Some(WhyNot::WouldFit { .. }) => {
                        assert_eq!(
                            req.weight, 0,
                            "case {case}: r{r} fits and is worth something"
                        );
                        assert!(
                            p.bonus == 0 || (meetings(req.buyer) > 0 && meetings(req.supplier) > 0),
                            "case {case}: r{r} fits and would earn a first-meeting bonus"
                        );
                    }
                }
            }
        }
    }

    #[test]
    fn slot_of_reads_a_schedule_and_refuses_one_of_another_problem() {
        let p = problem(json!({
            "slots": 2,
            "tables": [1, 1],
            "participants": [
                {"id": "b0", "side": "buyer"},
                {"id": "s0", "side": "supplier"},
                {"id": "s1", "side": "supplier"}
            ],
            "requests": [
                {"id": "r0", "buyer": "b0", "supplier": "s0", "weight": 3},
                {"id": "r1", "buyer": "b0", "supplier": "s1", "weight": 3}
            ]
        }));
        let mut schedule = solve(&p, &Options::default());
        let slots = slot_of(&p, &schedule).unwrap();
        assert!(slots.iter().all(Option::is_some));
        assert_ne!(slots[0], slots[1]);
        let meeting = schedule.meetings[0].clone();
        schedule.meetings.push(meeting.clone());
        assert!(
            slot_of(&p, &schedule)
                .unwrap_err()
                .to_string()
                .contains("listed twice")
        );
        schedule.meetings.pop();
        schedule.meetings[0].slot = 2;
        assert!(
            slot_of(&p, &schedule)
                .unwrap_err()
                .to_string()
                .contains("out of range")
        );
        schedule.meetings[0] = meeting;
        schedule.meetings[0].request = "zz".into();
        assert!(
            slot_of(&p, &schedule)
                .unwrap_err()
                .to_string()
                .contains("unknown request")
        );
    }
}
