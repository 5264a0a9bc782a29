//! Finding a good schedule: a greedy start guided by the relaxation, then simulated
//! annealing over "put this request in that slot" moves. A move makes room by taking out
//! what stands in the way (the two people's meetings in that slot, a table meeting when the
//! tables are full, a meeting of someone at their cap), tries to put each of those back in
//! another slot, and is kept when the objective improves, or sometimes when it does not
//! (less and less often as the search cools down), so the search can leave local optima.

use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Instant;

use super::Progress;
use super::model::{Problem, Stopped};
use super::rng::Rng;

pub const NONE: u32 = u32::MAX;

/// A (possibly partial) schedule with the bookkeeping that makes moves cheap.
#[derive(Clone)]
pub struct State<'a> {
    pub problem: &'a Problem,
    slots: usize,
    /// Per request: its slot, or NONE.
    pub slot_of: Vec<u32>,
    /// Per (person, slot): the request held then, or NONE.
    occupant: Vec<u32>,
    count: Vec<u32>,
    tables_used: Vec<u32>,
    /// Per slot: the requests using a table then, and each request's position there.
    at_tables: Vec<Vec<u32>>,
    table_pos: Vec<u32>,
    /// Requests not scheduled (and not pinned), with positions for O(1) removal.
    waiting: Vec<u32>,
    waiting_pos: Vec<u32>,
    weight: i64,
    met: i64,
    changes: i64,
    penalty: i64,
    undo: Vec<(u32, u32)>,
}

impl<'a> State<'a> {
    pub fn new(problem: &'a Problem, change_penalty: i64) -> Self {
        let slots = problem.slots;
        let n = problem.requests.len();
        let mut state = State {
            problem,
            slots,
            slot_of: vec![NONE; n],
            occupant: vec![NONE; problem.people.len() * slots],
            count: vec![0; problem.people.len()],
            tables_used: vec![0; slots],
            at_tables: vec![Vec::new(); slots],
            table_pos: vec![NONE; n],
            waiting: Vec::with_capacity(n),
            waiting_pos: vec![NONE; n],
            weight: 0,
            met: 0,
            changes: 0,
            penalty: change_penalty,
            undo: Vec::new(),
        };
        for r in 0..n {
            if problem.previous[r].is_some() {
                state.changes += 1;
            }
            if problem.pinned[r].is_none() {
                state.waiting_pos[r] = state.waiting.len() as u32;
                state.waiting.push(r as u32);
            }
        }
        for (r, slot) in problem.pinned.iter().enumerate() {
            if let Some(t) = *slot {
                state.assign(r, t);
            }
        }
        state.undo.clear();
        state
    }

    /// The objective: weights plus the bonus for everyone met.
    pub fn objective(&self) -> i64 {
        self.weight + self.problem.bonus * self.met
    }

    /// What the search maximises: the objective less the penalty for every meeting of the
    /// previous schedule that moved or was dropped.
    pub fn score(&self) -> i64 {
        self.objective() - self.penalty * self.changes
    }

    pub fn slot(&self, r: usize) -> Option<usize> {
        let t = self.slot_of[r];
        (t != NONE).then_some(t as usize)
    }

    fn occ(&self, person: usize, t: usize) -> u32 {
        self.occupant[person * self.slots + t]
    }

    pub fn assign(&mut self, r: usize, t: usize) {
        debug_assert_eq!(self.slot_of[r], NONE);
        let req = &self.problem.requests[r];
        let (b, s) = (req.buyer, req.supplier);
        self.slot_of[r] = t as u32;
        self.occupant[b * self.slots + t] = r as u32;
        self.occupant[s * self.slots + t] = r as u32;
        for who in [b, s] {
            if self.count[who] == 0 {
                self.met += 1;
            }
            self.count[who] += 1;
        }
        if req.needs_table {
            self.tables_used[t] += 1;
            self.table_pos[r] = self.at_tables[t].len() as u32;
            self.at_tables[t].push(r as u32);
        }
        self.weight += req.weight;
        if self.problem.previous[r] == Some(t) {
            self.changes -= 1;
        }
        let pos = self.waiting_pos[r];
        if pos != NONE {
            let last = *self.waiting.last().expect("waiting holds r");
            self.waiting.swap_remove(pos as usize);
            if last as usize != r {
                self.waiting_pos[last as usize] = pos;
            }
            self.waiting_pos[r] = NONE;
        }
        self.undo.push((r as u32, NONE));
    }

    pub fn unassign(&mut self, r: usize) {
        let t = self.slot_of[r] as usize;
        let req = &self.problem.requests[r];
        let (b, s) = (req.buyer, req.supplier);
        self.slot_of[r] = NONE;
        self.occupant[b * self.slots + t] = NONE;
        self.occupant[s * self.slots + t] = NONE;
        for who in [b, s] {
            self.count[who] -= 1;
            if self.count[who] == 0 {
                self.met -= 1;
            }
        }
        if req.needs_table {
            self.tables_used[t] -= 1;
            let pos = self.table_pos[r] as usize;
            let list = &mut self.at_tables[t];
            list.swap_remove(pos);
            if pos < list.len() {
                self.table_pos[list[pos] as usize] = pos as u32;
            }
            self.table_pos[r] = NONE;
        }
        self.weight -= req.weight;
        if self.problem.previous[r] == Some(t) {
            self.changes += 1;
        }
        if self.problem.pinned[r].is_none() {
            self.waiting_pos[r] = self.waiting.len() as u32;
            self.waiting.push(r as u32);
        }
        self.undo.push((r as u32, t as u32));
    }

    /// Whether `r` fits in slot `t` as things stand.
    pub fn fits(&self, r: usize, t: usize) -> bool {
        let req = &self.problem.requests[r];
        let people = &self.problem.people;
        self.occ(req.buyer, t) == NONE
            && self.occ(req.supplier, t) == NONE
            && (self.count[req.buyer] as usize) < people[req.buyer].cap
            && (self.count[req.supplier] as usize) < people[req.supplier].cap
            && (!req.needs_table || (self.tables_used[t] as usize) < self.problem.tables[t])
    }

    /// Puts `r` in a free slot if there is one, trying its slots from `start`.
    fn place_anywhere(&mut self, r: usize, start: usize) -> bool {
        let problem = self.problem;
        let slots = &problem.requests[r].slots;
        if slots.is_empty() {
            return false;
        }
        // Its previous slot first, so re-solving keeps what it can.
        if let Some(prev) = problem.previous[r]
            && slots.contains(&prev)
            && self.fits(r, prev)
        {
            self.assign(r, prev);
            return true;
        }
        for k in 0..slots.len() {
            let t = slots[(start + k) % slots.len()];
            if self.fits(r, t) {
                self.assign(r, t);
                return true;
            }
        }
        false
    }

    fn rollback(&mut self, mark: usize) {
        while self.undo.len() > mark {
            let (r, old) = self.undo.pop().expect("undo entry");
            let r = r as usize;
            if old == NONE {
                self.unassign(r);
            } else {
                self.assign(r, old as usize);
            }
            // Undoing pushed its own entries; drop them.
            self.undo.pop();
        }
    }

    /// The meeting of `person` with the least weight that may be moved, if any.
    fn lightest_meeting(&self, person: usize, except: usize) -> Option<usize> {
        (0..self.slots)
            .map(|t| self.occ(person, t))
            .filter(|&r| {
                r != NONE && r as usize != except && self.problem.pinned[r as usize].is_none()
            })
            .map(|r| r as usize)
            .min_by_key(|&r| self.problem.requests[r].weight)
    }

    /// Tries to put `r` in slot `t`, taking out what is in the way and putting that back
    /// elsewhere where possible. Returns false (changing nothing) when a pin is in the way.
    fn relocate(&mut self, r: usize, t: usize, rng: &mut Rng, ejected: &mut Vec<usize>) -> bool {
        let problem = self.problem;
        let req = &problem.requests[r];
        let mark = self.undo.len();
        ejected.clear();
        if self.slot_of[r] != NONE {
            self.unassign(r);
        }
        for who in [req.buyer, req.supplier] {
            let other = self.occ(who, t);
            if other != NONE {
                if problem.pinned[other as usize].is_some() {
                    self.rollback(mark);
                    return false;
                }
                self.unassign(other as usize);
                ejected.push(other as usize);
            }
        }
        if req.needs_table && self.tables_used[t] as usize >= problem.tables[t] {
            let candidates = &self.at_tables[t];
            let movable: Vec<u32> = candidates
                .iter()
                .copied()
                .filter(|&x| problem.pinned[x as usize].is_none())
                .collect();
            if movable.is_empty() {
                self.rollback(mark);
                return false;
            }
            let victim = movable[rng.below(movable.len())] as usize;
            self.unassign(victim);
            ejected.push(victim);
        }
        for who in [req.buyer, req.supplier] {
            if self.count[who] as usize >= problem.people[who].cap {
                match self.lightest_meeting(who, r) {
                    Some(victim) => {
                        self.unassign(victim);
                        ejected.push(victim);
                    }
                    None => {
                        self.rollback(mark);
                        return false;
                    }
                }
            }
        }
        self.assign(r, t);
        for &e in ejected.iter() {
            let start = rng.below(problem.requests[e].slots.len().max(1));
            self.place_anywhere(e, start);
        }
        true
    }

    pub fn meetings_of(&self, person: usize) -> impl Iterator<Item = (usize, usize)> + '_ {
        (0..self.slots).filter_map(move |t| {
            let r = self.occ(person, t);
            (r != NONE).then_some((t, r as usize))
        })
    }

    /// Forgets the undo log (after changes that are final).
    pub fn clear_undo(&mut self) {
        self.undo.clear();
    }
}

/// Greedy start: a given start schedule (a warm start) as far as it fits; when re-solving,
/// the previous schedule as far as it still fits (the fewest changes); then the
/// relaxation's chosen requests (fewest possible slots first), then the rest by weight.
pub fn greedy(
    state: &mut State<'_>,
    chosen: &[bool],
    rng: &mut Rng,
    start: Option<&[Option<usize>]>,
) {
    let problem = state.problem;
    for (r, slot) in start.unwrap_or_default().iter().enumerate() {
        if let Some(t) = *slot
            && r < problem.requests.len()
            && problem.pinned[r].is_none()
            && state.slot_of[r] == NONE
            && problem.requests[r].slots.contains(&t)
            && state.fits(r, t)
        {
            state.assign(r, t);
        }
    }
    for r in 0..problem.requests.len() {
        if let Some(t) = problem.previous[r]
            && problem.pinned[r].is_none()
            && state.slot_of[r] == NONE
            && problem.requests[r].slots.contains(&t)
            && state.fits(r, t)
        {
            state.assign(r, t);
        }
    }
    let mut order: Vec<usize> = (0..problem.requests.len())
        .filter(|&r| problem.pinned[r].is_none())
        .collect();
    order.sort_by_key(|&r| {
        let req = &problem.requests[r];
        (
            !chosen[r],
            if chosen[r] {
                req.slots.len() as i64
            } else {
                -req.weight
            },
            r,
        )
    });
    for r in order {
        if state.slot_of[r] != NONE {
            continue;
        }
        let start = rng.below(problem.requests[r].slots.len().max(1));
        state.place_anywhere(r, start);
    }
}

/// Iterations between two progress reports (a multiple of the 2048 between two checks of
/// the clock and of the cancel flag).
pub const PROGRESS_EVERY: u64 = 1 << 16;

/// What may end the search early (a deadline, a cancel flag) and who is told how it goes.
/// Watching reads the clock and an atomic flag and calls the callback: it never touches the
/// random numbers or the schedule, so the search is the same with or without it.
pub struct Watch<'a> {
    pub deadline: Option<Instant>,
    pub cancel: Option<&'a AtomicBool>,
    pub progress: Option<&'a (dyn Fn(Progress) + Sync)>,
    /// Annealing iterations done before the current call, and planned in all.
    pub done: u64,
    pub planned: u64,
    pub bound: i64,
}

impl Watch<'_> {
    /// Whether the search must stop now, and why: cancelled first, then out of time.
    pub fn interrupted(&self) -> Option<Stopped> {
        if self.cancel.is_some_and(|c| c.load(Ordering::Relaxed)) {
            Some(Stopped::Cancelled)
        } else if self.deadline.is_some_and(|d| Instant::now() >= d) {
            Some(Stopped::Time)
        } else {
            None
        }
    }

    /// Tells the caller, if it listens, where the search stands.
    pub fn report(&self, iterations: u64, objective: i64) {
        if let Some(progress) = self.progress {
            progress(Progress {
                iterations: self.done + iterations,
                planned: self.planned,
                objective,
                bound: self.bound,
            });
        }
    }
}

pub struct Anneal {
    pub iterations: u64,
    /// Set when the deadline or a cancel ended the annealing early.
    pub interrupted: Option<Stopped>,
}

/// Simulated annealing from the current state; leaves the best state found in `state`.
pub fn anneal(
    state: &mut State<'_>,
    rng: &mut Rng,
    budget: u64,
    t_start: f64,
    watch: &Watch<'_>,
) -> Anneal {
    let problem = state.problem;
    let bound = watch.bound;
    let movable: Vec<usize> = (0..problem.requests.len())
        .filter(|&r| problem.pinned[r].is_none() && !problem.requests[r].slots.is_empty())
        .collect();
    if movable.is_empty() || budget == 0 {
        return Anneal {
            iterations: 0,
            interrupted: None,
        };
    }
    let t_end = 0.05f64;
    let mut best = state.clone();
    let mut best_score = state.score();
    let mut ejected = Vec::with_capacity(6);
    let mut iterations = 0u64;
    // Copying the whole state on every improvement would dominate on large instances;
    // take a snapshot at most every `snapshot_gap` iterations (the search ends cold, so the
    // final state is at least as good as a skipped peak in practice; the better one wins).
    let snapshot_gap = (movable.len() as u64 / 4).max(1);
    let mut last_snapshot = 0u64;
    let mut interrupted = None;
    let ln_ratio = (t_end / t_start).ln();
    while iterations < budget {
        if iterations.is_multiple_of(2048) {
            interrupted = watch.interrupted();
            if interrupted.is_some() {
                break;
            }
            if iterations > 0 && iterations.is_multiple_of(PROGRESS_EVERY) {
                // The objective of what would be kept if the search stopped here.
                let kept = if best_score > state.score() {
                    best.objective()
                } else {
                    state.objective()
                };
                watch.report(iterations, kept);
            }
            if state.objective() >= bound && state.changes == 0 {
                break;
            }
        }
        let temperature = t_start * (ln_ratio * iterations as f64 / budget as f64).exp();
        iterations += 1;
        let r = if !state.waiting.is_empty() && rng.chance(0.7) {
            state.waiting[rng.below(state.waiting.len())] as usize
        } else {
            movable[rng.below(movable.len())]
        };
        let slots = &problem.requests[r].slots;
        if slots.is_empty() {
            continue;
        }
        let t = slots[rng.below(slots.len())];
        if state.slot_of[r] == t as u32 {
            continue;
        }
        let before = state.score();
        state.undo.clear();
        if !state.relocate(r, t, rng, &mut ejected) {
            continue;
        }
        let delta = state.score() - before;
        let accept = delta >= 0 || rng.unit() < (delta as f64 / temperature).exp();
        if !accept {
            state.rollback(0);
            continue;
        }
        if state.score() > best_score
            && iterations - last_snapshot >= snapshot_gap.min(budget - iterations + 1)
        {
            best_score = state.score();
            best.clone_from(state);
            last_snapshot = iterations;
        }
    }
    if best_score > state.score() {
        state.clone_from(&best);
    }
    state.undo.clear();
    Anneal {
        iterations,
        interrupted,
    }
}

/// Tries every slot for every waiting request (pushing aside what is in the way) and keeps
/// any move that raises the score, until none does: the last few points the annealing may
/// have left on the table. Returns why it stopped early, if it did.
pub fn descend(state: &mut State<'_>, rng: &mut Rng, watch: &Watch<'_>) -> Option<Stopped> {
    let problem = state.problem;
    let mut ejected = Vec::with_capacity(6);
    loop {
        let mut improved = false;
        let waiting: Vec<usize> = state.waiting.iter().map(|&r| r as usize).collect();
        for r in waiting {
            if let Some(why) = watch.interrupted() {
                state.undo.clear();
                return Some(why);
            }
            if state.slot_of[r] != NONE {
                continue;
            }
            for k in 0..problem.requests[r].slots.len() {
                let t = problem.requests[r].slots[k];
                let before = state.score();
                state.undo.clear();
                if !state.relocate(r, t, rng, &mut ejected) {
                    continue;
                }
                if state.score() > before {
                    improved = true;
                    break;
                }
                state.rollback(0);
            }
        }
        state.undo.clear();
        if !improved {
            return None;
        }
    }
}
