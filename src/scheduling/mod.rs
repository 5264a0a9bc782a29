//! The meeting scheduler: which requested one-to-one meetings happen, in which slot, at
//! which table. Pure Rust: no database, no HTTP, no async.
//!
//! **Problem.** Requests (buyer, supplier, weight) go into time slots so that nobody is in
//! two meetings at once or in a slot they blocked, nobody exceeds their cap, and no slot
//! holds more table meetings than it has tables (suppliers with a booth need none).
//! Maximise the scheduled weight plus a bonus for every person who gets a meeting at all,
//! which is what makes the schedule fair. Pinned meetings stay put; when re-solving, a
//! meeting that leaves its previous slot costs a penalty, so only worthwhile changes happen.
//!
//! **Bound** (`bound.rs`). Forget the time slots but keep every person's capacity and the
//! tables' total capacity: what is left is a flow problem, solved exactly by minimum-cost
//! flow (`flow.rs`). Its optimum is at least the best schedule's objective, so
//! `objective / bound` is a proven quality figure.
//!
//! **Search** (`search.rs`). Start from the requests the relaxation picked, placed greedily,
//! then improve by simulated annealing over "move this request to that slot, pushing aside
//! what is in the way" moves. Stops when the objective reaches the bound, at the iteration
//! budget or at the time limit. The same seed and budget always give the same schedule.
//!
//! **Polish** (`polish.rs`). Without changing which meetings happen: close idle gaps in
//! people's days, and number the tables so suppliers keep their table.
//!
//! **Control** (`solve_with`). A caller running the solver in the background is told its
//! progress now and then and may cancel it; the search is the same either way.
//!
//! **Why not** (`explain.rs`). For every request left out of a schedule, the reason in data.
//!
//! **What if** (`whatif.rs`). More tables or more slots: the bound's gain at once, and a
//! problem (or a warm-started solve) to measure the realised gain.

pub mod bound;
pub mod explain;
pub mod flow;
pub mod generate;
pub mod model;
pub mod polish;
pub mod rng;
pub mod search;
pub mod whatif;

#[cfg(test)]
mod tests;

use std::sync::atomic::AtomicBool;
use std::time::{Duration, Instant};

use serde::{Deserialize, Serialize};

use model::{Change, MeetingOut, SCHEDULE_FORMAT, Statistics};
pub use model::{InstanceError, Problem, Schedule, Stopped, parse_instance};
use rng::Rng;
use search::{State, Watch};

#[derive(Debug, Clone)]
pub struct Options {
    /// Stop searching after this long (the answer is then still valid, maybe less good).
    pub time_limit: Duration,
    pub seed: u64,
    /// What keeping a previous meeting in its slot is worth, per meeting.
    pub change_penalty: i64,
    /// Annealing steps; by default proportional to the number of requests.
    pub iterations: Option<u64>,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            time_limit: Duration::from_secs(20),
            seed: 1,
            change_penalty: 10,
            iterations: None,
        }
    }
}

/// Annealing rounds the budget is spread over.
const ROUNDS: u64 = 4;

/// The default annealing budget: two thousand tries per request, at least two million and
/// at most six million. Event-sized instances then take well under a second and national
/// ones (100,000 requests) a few seconds. Measurements in docs/benchmarks.md.
pub fn default_iterations(problem: &Problem) -> u64 {
    (problem.requests.len() as u64 * 2000).clamp(2_000_000, 6_000_000)
}

/// Where a running search stands, as told to `Control::progress`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Progress {
    /// Annealing iterations done so far.
    pub iterations: u64,
    /// Annealing iterations planned in all (the search may stop sooner: at the bound, the
    /// time limit or a cancel).
    pub planned: u64,
    /// The objective of the best schedule so far (what a stop now would return).
    pub objective: i64,
    /// The proven upper bound on the objective.
    pub bound: i64,
}

/// How a caller watches and stops a running solve. `Control::default()` is neither.
#[derive(Clone, Copy, Default)]
pub struct Control<'a> {
    /// Set it (from any thread) to stop the search at its next check, as often as it checks
    /// the time limit; the best valid schedule so far is returned, with `stopped` =
    /// `cancelled`.
    pub cancel: Option<&'a AtomicBool>,
    /// Called (on the solving thread) after the greedy start, every `search::PROGRESS_EVERY`
    /// annealing iterations and at the end of each round. Keep it cheap; it cannot change the
    /// search.
    pub progress: Option<&'a (dyn Fn(Progress) + Sync)>,
}

/// Solves with nobody watching: `solve_with` with `Control::default()`.
pub fn solve(problem: &Problem, options: &Options) -> Schedule {
    solve_with(problem, options, &Control::default())
}

/// Solves, telling `control.progress` how it goes and stopping early when
/// `control.cancel` is set. The same seed and budget give the same schedule whether or not
/// anyone watches (unless the cancel or the time limit cuts the search short).
pub fn solve_with(problem: &Problem, options: &Options, control: &Control<'_>) -> Schedule {
    solve_from(problem, options, control, None)
}

/// `solve_with`, starting from `start` (per request: its slot) as far as it fits: the
/// search never ends below that start's score.
pub(crate) fn solve_from(
    problem: &Problem,
    options: &Options,
    control: &Control<'_>,
    start: Option<&[Option<usize>]>,
) -> Schedule {
    let started = Instant::now();
    let relaxation = bound::relaxation(problem);
    let mut rng = Rng::new(options.seed);
    let mut state = State::new(problem, options.change_penalty.max(0));
    search::greedy(&mut state, &relaxation.chosen, &mut rng, start);
    let budget = options
        .iterations
        .unwrap_or_else(|| default_iterations(problem));
    let mut watch = Watch {
        deadline: Some(started + options.time_limit),
        cancel: control.cancel,
        progress: control.progress,
        done: 0,
        planned: budget / ROUNDS * ROUNDS,
        bound: relaxation.bound,
    };
    watch.report(0, state.objective());
    // The budget is spent in rounds: a hot first round, then cooler restarts from the best
    // schedule so far, each followed by a descent; reaching the bound ends the search.
    let mut interrupted = None;
    for round in 0..ROUNDS {
        if state.objective() >= relaxation.bound && state.score() == state.objective() {
            break;
        }
        let heat = if round == 0 { 2.0 } else { 0.6 };
        let done = search::anneal(&mut state, &mut rng, budget / ROUNDS, heat, &watch);
        watch.done += done.iterations;
        interrupted = done
            .interrupted
            .or_else(|| search::descend(&mut state, &mut rng, &watch));
        watch.report(0, state.objective());
        if interrupted.is_some() {
            break;
        }
    }
    let stopped = interrupted.unwrap_or(
        if state.objective() >= relaxation.bound && state.score() == state.objective() {
            Stopped::Bound
        } else {
            Stopped::Budget
        },
    );
    polish::close_gaps(&mut state, 8);
    let (tables, changing) = polish::assign_tables(&state);
    build_output(
        problem,
        &state,
        relaxation.bound,
        &tables,
        changing,
        options,
        started,
        Run {
            iterations: watch.done,
            stopped,
        },
    )
}

/// How the search went.
struct Run {
    iterations: u64,
    stopped: Stopped,
}

#[allow(clippy::too_many_arguments)]
fn build_output(
    problem: &Problem,
    state: &State<'_>,
    bound: i64,
    tables: &[Option<usize>],
    changing: usize,
    options: &Options,
    started: Instant,
    run: Run,
) -> Schedule {
    let mut meetings = Vec::new();
    let mut met = vec![false; problem.people.len()];
    let mut weight = 0;
    for (r, req) in problem.requests.iter().enumerate() {
        if let Some(t) = state.slot(r) {
            meetings.push(MeetingOut {
                request: req.id.clone(),
                slot: t,
                table: tables[r],
                at_booth: !req.needs_table,
            });
            met[req.buyer] = true;
            met[req.supplier] = true;
            weight += req.weight;
        }
    }
    meetings.sort_by(|a, b| (a.slot, a.table, &a.request).cmp(&(b.slot, b.table, &b.request)));
    let mut changes = Vec::new();
    let has_previous = problem.previous.iter().any(Option::is_some);
    for (r, req) in problem.requests.iter().enumerate() {
        let (from, to) = (problem.previous[r], state.slot(r));
        let kind = match (from, to) {
            (Some(a), Some(b)) if a != b => "moved",
            (Some(_), None) => "dropped",
            (None, Some(_)) if has_previous => "added",
            _ => continue,
        };
        changes.push(Change {
            request: req.id.clone(),
            kind: kind.into(),
            from,
            to,
        });
    }
    let requested: Vec<bool> = {
        let mut v = vec![false; problem.people.len()];
        for req in &problem.requests {
            v[req.buyer] = true;
        }
        v
    };
    let starved = (0..problem.people.len())
        .filter(|&p| !problem.people[p].is_supplier && requested[p] && !met[p])
        .count();
    let objective = state.objective();
    debug_assert!(
        objective <= bound,
        "objective {objective} above the bound {bound}"
    );
    Schedule {
        format: SCHEDULE_FORMAT.into(),
        name: problem.name.clone(),
        objective,
        bound,
        meetings,
        statistics: Statistics {
            solver: format!("matchfloor {}", env!("CARGO_PKG_VERSION")),
            seed: options.seed,
            seconds: started.elapsed().as_secs_f64(),
            iterations: run.iterations,
            weight,
            participants_met: met.iter().filter(|m| **m).count(),
            meetings: state.slot_of.iter().filter(|t| **t != search::NONE).count(),
            requests: problem.requests.len(),
            gap: if bound > 0 {
                1.0 - objective as f64 / bound as f64
            } else {
                0.0
            },
            buyers_with_requests_but_no_meeting: starved,
            idle_gaps: polish::total_gaps(state),
            suppliers_changing_table: changing,
            changes_from_previous: changes.iter().filter(|c| c.kind != "added").count(),
            stopped_by_time_limit: run.stopped == Stopped::Time,
            stopped: run.stopped,
        },
        changes,
    }
}
