//! matchfloor: the platform for "Buyer meets Supplier" matchmaking events. This library
//! holds everything; the binary in main.rs is a thin command line around it, and the
//! integration tests and benches use it directly.

pub mod app;
pub mod auth;
pub mod bounds;
pub mod calendar;
pub mod catalogue;
pub mod config;
pub mod dayof;
pub mod db;
pub mod demo;
pub mod domain;
pub mod entities;
pub mod error;
pub mod event_cache;
pub mod event_mail;
pub mod events;
pub mod file_response;
pub mod forwarded;
pub mod housekeeping;
pub mod http;
pub mod live;
pub mod live_socket;
pub mod mail;
pub mod meetings;
pub mod metrics;
pub mod openapi;
pub mod organisations;
pub mod people;
pub mod programme;
pub mod request_limits;
pub mod scheduling;
pub mod seat_queues;
pub mod spreadsheet;
pub mod state;
pub mod telemetry;
pub mod upload_gate;
pub mod web;
pub mod worker_handle;

/// The layering (docs/architecture.md): the modules below the capabilities import none of
/// them, and what the application state holds (mail, live, the caches) does not import the
/// state either, so every capability reaches them through small interfaces.
#[cfg(test)]
mod layering {
    use std::path::Path;

    const CAPABILITIES: &[&str] = &[
        "app",
        "auth",
        "calendar",
        "catalogue",
        "dayof",
        "demo",
        "event_mail",
        "events",
        "housekeeping",
        "live_socket",
        "meetings",
        "openapi",
        "organisations",
        "people",
        "programme",
        "web",
    ];

    /// Below the capabilities; `true`: also below the application state.
    const BELOW: &[(&str, bool)] = &[
        ("config.rs", true),
        ("db.rs", true),
        ("domain.rs", true),
        ("entities", true),
        ("error.rs", true),
        ("event_cache.rs", true),
        ("file_response.rs", true),
        ("forwarded.rs", true),
        ("http.rs", false),
        ("live", true),
        ("mail", true),
        ("metrics.rs", true),
        ("request_limits.rs", false),
        ("scheduling", true),
        ("seat_queues.rs", true),
        ("state.rs", false),
        ("telemetry.rs", true),
        ("upload_gate.rs", true),
        ("worker_handle.rs", true),
    ];

    fn sources(path: &Path, out: &mut Vec<(String, String)>) {
        if path.is_dir() {
            for entry in std::fs::read_dir(path).unwrap() {
                sources(&entry.unwrap().path(), out);
            }
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push((
                path.display().to_string(),
                std::fs::read_to_string(path).unwrap(),
            ));
        }
    }

    /// The top-level modules a source file names with `crate::`, also inside `use crate::{...}`.
    fn imported(text: &str) -> Vec<String> {
        let mut names = Vec::new();
        for (i, _) in text.match_indices("crate::") {
            let rest = &text[i + "crate::".len()..];
            let group = rest
                .strip_prefix('{')
                .map(|g| &g[..g.find('}').unwrap_or(g.len())]);
            let parts: Vec<&str> = match group {
                Some(group) => group.split(',').collect(),
                None => vec![rest],
            };
            for part in parts {
                let name: String = part
                    .trim_start()
                    .chars()
                    .take_while(|c| c.is_alphanumeric() || *c == '_')
                    .collect();
                names.push(name);
            }
        }
        names
    }

    #[test]
    fn no_module_imports_one_above_it() {
        let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
        let mut upward = Vec::new();
        for (module, below_state) in BELOW {
            let mut files = Vec::new();
            sources(&src.join(module), &mut files);
            assert!(!files.is_empty(), "{module} is not in src/");
            for (file, text) in files {
                for name in imported(&text) {
                    if CAPABILITIES.contains(&name.as_str()) || (*below_state && name == "state") {
                        upward.push(format!("{file}: crate::{name}"));
                    }
                }
            }
        }
        assert!(upward.is_empty(), "imports pointing up: {upward:#?}");
        assert_eq!(
            imported("use crate::{auth, live::Hub};\nuse crate::state::AppState;"),
            ["auth", "live", "state"]
        );
    }
}
