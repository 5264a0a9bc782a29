//! After the objective: fewer idle gaps in people's days, and table numbers that keep each
//! supplier at one table for the whole grid where the table count allows (buyers walk,
//! suppliers stay). Neither changes which meetings happen.

use super::model::Problem;
use super::search::State;

/// Idle gaps of one person: free slots between their first and last meeting in which they
/// are available (a slot they blocked is not idle time).
fn gaps_of(problem: &Problem, busy: &[bool], person: usize) -> usize {
    let first = busy.iter().position(|b| *b);
    let last = busy.iter().rposition(|b| *b);
    match (first, last) {
        (Some(f), Some(l)) => (f..=l)
            .filter(|&t| !busy[t] && problem.people[person].available[t])
            .count(),
        _ => 0,
    }
}

fn busy_row(state: &State<'_>, person: usize) -> Vec<bool> {
    let mut row = vec![false; state.problem.slots];
    for (t, _) in state.meetings_of(person) {
        row[t] = true;
    }
    row
}

pub fn total_gaps(state: &State<'_>) -> usize {
    (0..state.problem.people.len())
        .map(|p| gaps_of(state.problem, &busy_row(state, p), p))
        .sum()
}

/// Moves meetings to other free slots while that lowers the idle gaps of the two people
/// involved. Pinned meetings and meetings kept in their previous slot stay where they are.
pub fn close_gaps(state: &mut State<'_>, max_rounds: usize) {
    let problem = state.problem;
    for _ in 0..max_rounds {
        let mut improved = false;
        for r in 0..problem.requests.len() {
            let Some(current) = state.slot(r) else {
                continue;
            };
            if problem.pinned[r].is_some() || problem.previous[r] == Some(current) {
                continue;
            }
            let req = &problem.requests[r];
            let (b, s) = (req.buyer, req.supplier);
            let before =
                gaps_of(problem, &busy_row(state, b), b) + gaps_of(problem, &busy_row(state, s), s);
            if before == 0 {
                continue;
            }
            let score = state.score();
            state.unassign(r);
            let mut best: Option<(usize, usize)> = None;
            for &t in &req.slots {
                if t == current || !state.fits(r, t) {
                    continue;
                }
                state.assign(r, t);
                let after = gaps_of(problem, &busy_row(state, b), b)
                    + gaps_of(problem, &busy_row(state, s), s);
                if state.score() >= score && after < best.map_or(before, |x| x.1) {
                    best = Some((t, after));
                }
                state.unassign(r);
            }
            state.assign(r, best.map_or(current, |x| x.0));
            improved |= best.is_some();
        }
        improved |= swap_round(state);
        if !improved {
            break;
        }
    }
    state.clear_undo();
}

/// Swaps the slots of two meetings of the same person (their own day stays the same) when
/// that lowers the idle gaps of the two partners.
fn swap_round(state: &mut State<'_>) -> bool {
    let problem = state.problem;
    let mut improved = false;
    for person in 0..problem.people.len() {
        let meetings: Vec<(usize, usize)> = state.meetings_of(person).collect();
        for i in 0..meetings.len() {
            for j in i + 1..meetings.len() {
                let ((t1, r1), (t2, r2)) = (meetings[i], meetings[j]);
                if state.slot(r1) != Some(t1) || state.slot(r2) != Some(t2) {
                    continue;
                }
                let movable = |r: usize, t: usize| {
                    problem.pinned[r].is_none() && problem.previous[r] != Some(t)
                };
                if !movable(r1, t1) || !movable(r2, t2) {
                    continue;
                }
                let other = |r: usize| {
                    let req = &problem.requests[r];
                    if req.buyer == person {
                        req.supplier
                    } else {
                        req.buyer
                    }
                };
                let (o1, o2) = (other(r1), other(r2));
                if o1 == o2 {
                    continue;
                }
                let gaps = |state: &State<'_>| {
                    gaps_of(problem, &busy_row(state, o1), o1)
                        + gaps_of(problem, &busy_row(state, o2), o2)
                };
                let before = gaps(state);
                if before == 0 {
                    continue;
                }
                let score = state.score();
                state.unassign(r1);
                state.unassign(r2);
                let swapped = problem.requests[r1].slots.contains(&t2)
                    && problem.requests[r2].slots.contains(&t1)
                    && state.fits(r1, t2)
                    && {
                        state.assign(r1, t2);
                        let ok = state.fits(r2, t1);
                        if ok {
                            state.assign(r2, t1);
                        } else {
                            state.unassign(r1);
                        }
                        ok
                    };
                if swapped && gaps(state) < before && state.score() >= score {
                    improved = true;
                    continue;
                }
                if swapped {
                    state.unassign(r1);
                    state.unassign(r2);
                }
                state.assign(r1, t1);
                state.assign(r2, t2);
            }
        }
    }
    improved
}

/// Table numbers (1-based) per request; None for booth meetings and unscheduled requests.
/// Each slot's table meetings get numbers 1..=tables[slot]; a supplier keeps the table it
/// had before when it is free, and a table is handed to a new supplier preferably when its
/// last supplier has no more meetings.
pub fn assign_tables(state: &State<'_>) -> (Vec<Option<usize>>, usize) {
    let problem = state.problem;
    let slots = problem.slots;
    let mut table_of = vec![None; problem.requests.len()];
    let people = problem.people.len();
    let mut home: Vec<Option<usize>> = vec![None; people];
    let mut used_tables: Vec<Vec<usize>> = vec![Vec::new(); people];
    // Per supplier: the slots in which they meet at a shared table, to look ahead.
    let mut next_meetings: Vec<Vec<usize>> = vec![Vec::new(); people];
    let mut by_slot: Vec<Vec<usize>> = vec![Vec::new(); slots];
    for (r, req) in problem.requests.iter().enumerate() {
        if let Some(t) = state.slot(r)
            && req.needs_table
        {
            by_slot[t].push(r);
            next_meetings[req.supplier].push(t);
        }
    }
    for list in &mut next_meetings {
        list.sort_unstable();
    }
    let max_tables = problem.tables.iter().copied().max().unwrap_or(0);
    let mut owner: Vec<Option<usize>> = vec![None; max_tables + 1];
    for (t, meetings) in by_slot.iter_mut().enumerate() {
        meetings.sort_by_key(|&r| (problem.requests[r].supplier, r));
        let count = problem.tables[t];
        let mut taken = vec![false; count + 1];
        let mut rest = Vec::new();
        for &r in meetings.iter() {
            let s = problem.requests[r].supplier;
            match home[s] {
                Some(h) if h <= count && !taken[h] => {
                    taken[h] = true;
                    table_of[r] = Some(h);
                }
                _ => rest.push(r),
            }
        }
        for r in rest {
            let s = problem.requests[r].supplier;
            // The free table whose owner needs it again latest (or never).
            let next_use = |table: usize| -> usize {
                match owner[table] {
                    Some(o) if o != s => next_meetings[o]
                        .iter()
                        .copied()
                        .find(|&x| x > t)
                        .unwrap_or(usize::MAX),
                    _ => usize::MAX,
                }
            };
            let Some(table) = (1..=count)
                .filter(|&x| !taken[x])
                .max_by_key(|&x| (next_use(x), std::cmp::Reverse(x)))
            else {
                continue;
            };
            taken[table] = true;
            table_of[r] = Some(table);
            if let Some(o) = owner[table]
                && o != s
                && home[o] == Some(table)
            {
                home[o] = None;
            }
            owner[table] = Some(s);
            home[s] = Some(table);
        }
        for &r in meetings.iter() {
            let s = problem.requests[r].supplier;
            if let Some(x) = table_of[r]
                && !used_tables[s].contains(&x)
            {
                used_tables[s].push(x);
            }
        }
    }
    let changing = used_tables.iter().filter(|u| u.len() > 1).count();
    (table_of, changing)
}
