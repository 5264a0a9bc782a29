//! Solver benchmark: generated instances of several sizes (and any instance files given on
//! the command line), solved with a fixed seed; prints objective, proven bound, gap, time
//! and fairness, so a change that makes the solver slower or worse shows up.
//!
//!   cargo bench --bench solver                      # the generated ladder
//!   cargo bench --bench solver -- ../shared/bench/x.json ...   # plus instance files

use std::time::{Duration, Instant};

use matchfloor::scheduling::generate::{self, Shape};
use matchfloor::scheduling::model::Problem;
use matchfloor::scheduling::{Options, parse_instance, solve};

fn run(name: &str, problem: &Problem) {
    let options = Options {
        time_limit: Duration::from_secs(60),
        ..Options::default()
    };
    let started = Instant::now();
    let schedule = solve(problem, &options);
    let seconds = started.elapsed().as_secs_f64();
    let s = &schedule.statistics;
    println!(
        "{name:<28} {:>7} {:>7} {:>9} {:>9} {:>7.3}% {:>8.2} {:>9} {:>8}",
        problem.people.len(),
        problem.requests.len(),
        schedule.objective,
        schedule.bound,
        s.gap * 100.0,
        seconds,
        s.meetings,
        s.buyers_with_requests_but_no_meeting,
    );
}

fn main() {
    println!(
        "{:<28} {:>7} {:>7} {:>9} {:>9} {:>8} {:>8} {:>9} {:>8}",
        "instance", "people", "reqs", "objective", "bound", "gap", "seconds", "meetings", "starved"
    );
    let ladder = [
        (
            "small b40 s10 t8",
            Shape {
                buyers: 40,
                suppliers: 10,
                slots: 8,
                ..Shape::default()
            },
        ),
        ("event b160 s40 t12", Shape::default()),
        (
            "sparse b160 s40 t12",
            Shape {
                requests_per_buyer: 3.0,
                unavailable: 0.5,
                ..Shape::default()
            },
        ),
        (
            "tables b100 s50 t12",
            Shape {
                buyers: 100,
                suppliers: 50,
                requests_per_buyer: 5.0,
                unavailable: 0.5,
                skew: 0.2,
                tables: Some(12),
                booth_share: 0.1,
                ..Shape::default()
            },
        ),
        (
            "regional b1600 s400 t12",
            Shape {
                buyers: 1600,
                suppliers: 400,
                ..Shape::default()
            },
        ),
        (
            "national b16000 s4000 t16",
            Shape {
                buyers: 16000,
                suppliers: 4000,
                slots: 16,
                ..Shape::default()
            },
        ),
    ];
    let only: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with('-'))
        .collect();
    if only.is_empty() {
        for (name, shape) in ladder {
            let instance = generate::instance(&shape, 1);
            let problem = Problem::from_instance(&instance).expect("generated instances are valid");
            run(name, &problem);
        }
    }
    for path in only {
        let text =
            std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("cannot read {path}: {e}"));
        let problem = parse_instance(&text).unwrap_or_else(|e| panic!("{path}: {e}"));
        let name = std::path::Path::new(&path)
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or(path.clone());
        run(&name, &problem);
    }
}
