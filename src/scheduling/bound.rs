//! The proven upper bound, from a relaxation that forgets *when* meetings happen but keeps
//! *how many* each person and the tables can hold.
//!
//! Relaxed problem: choose a set of requests so that each person has at most as many
//! meetings as they have free slots (and their cap), the table meetings fit in the total
//! number of table-slots, and every chosen request has a slot both sides are free in;
//! maximise the weights plus the bonus for every person met. Every valid schedule is such
//! a set, so the relaxation's optimum bounds the best schedule from above.
//!
//! Buyers only meet suppliers, so the relaxation is a flow problem and is solved exactly:
//! source -> buyer -> supplier -> (tables ->) sink. A person's first meeting earns the
//! bonus: their capacity is two parallel arcs, one unit worth the bonus and the rest worth
//! nothing, which a minimum-cost flow fills in that order.

use super::flow::Network;
use super::model::Problem;

pub struct Relaxation {
    /// Upper bound on the objective of any valid schedule (pins included).
    pub bound: i64,
    /// Per request: chosen by the relaxation's optimum.
    pub chosen: Vec<bool>,
}

pub fn relaxation(problem: &Problem) -> Relaxation {
    let people = problem.people.len();
    let slots = problem.slots;
    // Pinned meetings are fixed: count them up front and take them out of the capacities.
    let mut fixed = 0i64;
    let mut pinned_count = vec![0usize; people];
    let mut pinned_busy = vec![false; people * slots];
    let mut pinned_tables = vec![0usize; slots];
    for (r, slot) in problem.pinned.iter().enumerate() {
        if let Some(t) = *slot {
            let req = &problem.requests[r];
            fixed += req.weight;
            for who in [req.buyer, req.supplier] {
                pinned_count[who] += 1;
                pinned_busy[who * slots + t] = true;
            }
            if req.needs_table {
                pinned_tables[t] += 1;
            }
        }
    }
    fixed += problem.bonus * (0..people).filter(|&p| pinned_count[p] > 0).count() as i64;

    let source = people;
    let tables_node = people + 1;
    let sink = people + 2;
    let mut net = Network::new(people + 3);
    for (p, person) in problem.people.iter().enumerate() {
        let free_slots = (0..slots)
            .filter(|&t| person.available[t] && !pinned_busy[p * slots + t])
            .count();
        let cap = person.cap.saturating_sub(pinned_count[p]).min(free_slots) as i64;
        if cap == 0 {
            continue;
        }
        let (from, to) = if person.is_supplier {
            (p, if person.booth { sink } else { tables_node })
        } else {
            (source, p)
        };
        if pinned_count[p] == 0 && problem.bonus > 0 {
            net.add_arc(from, to, 1, -problem.bonus);
            if cap > 1 {
                net.add_arc(from, to, cap - 1, 0);
            }
        } else {
            net.add_arc(from, to, cap, 0);
        }
    }
    // Table-slots left: per slot, no more than its tables and no more than the suppliers
    // without a booth who are free then.
    let table_capacity: usize = (0..slots)
        .map(|t| {
            let free_suppliers = problem
                .people
                .iter()
                .enumerate()
                .filter(|(p, s)| {
                    s.is_supplier && !s.booth && s.available[t] && !pinned_busy[p * slots + t]
                })
                .count();
            problem.tables[t]
                .saturating_sub(pinned_tables[t])
                .min(free_suppliers)
        })
        .sum();
    net.add_arc(tables_node, sink, table_capacity as i64, 0);
    let mut arcs = vec![usize::MAX; problem.requests.len()];
    for (r, req) in problem.requests.iter().enumerate() {
        if problem.pinned[r].is_some() {
            continue;
        }
        let usable = req.slots.iter().any(|&t| {
            !pinned_busy[req.buyer * slots + t] && !pinned_busy[req.supplier * slots + t]
        });
        if usable {
            arcs[r] = net.add_arc(req.buyer, req.supplier, 1, -req.weight);
        }
    }
    let cost = net.min_cost_flow(source, sink);
    let chosen = arcs
        .iter()
        .map(|&a| a != usize::MAX && net.flow(a) > 0)
        .collect();
    Relaxation {
        bound: fixed - cost,
        chosen,
    }
}
