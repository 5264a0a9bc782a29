//! Process metrics in the Prometheus text format, kept in atomics (no registry crate needed).

use std::fmt::Write;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Instant;

use crate::live::Hub;
use crate::mail::WorkerStats;

/// (method, matched route, status) -> (count, seconds total)
type RequestTable = std::collections::BTreeMap<(String, String, u16), (u64, f64)>;

#[derive(Default)]
pub struct Metrics {
    requests: Mutex<RequestTable>,
    pub login_links_requested: AtomicU64,
    pub logins: AtomicU64,
    /// Statements sent to the database (counted by the connection's metric callback).
    pub db_queries: AtomicU64,
    started: std::sync::OnceLock<Instant>,
}

impl Metrics {
    pub fn new() -> Self {
        let m = Self::default();
        let _ = m.started.set(Instant::now());
        m
    }

    pub fn observe_request(&self, method: &str, route: &str, status: u16, seconds: f64) {
        if let Ok(mut map) = self.requests.lock() {
            let entry = map
                .entry((method.to_string(), route.to_string(), status))
                .or_default();
            entry.0 += 1;
            entry.1 += seconds;
        }
    }

    /// The metrics of this process, with those the live hub and the mail worker keep.
    pub fn render(&self, outbox_pending: u64, live: &Hub, mail: &WorkerStats) -> String {
        let live_connections = live.connections();
        let mut out = String::new();
        let uptime = self
            .started
            .get()
            .map(|s| s.elapsed().as_secs_f64())
            .unwrap_or(0.0);
        let _ = writeln!(
            out,
            "# HELP matchfloor_uptime_seconds Seconds since the process started."
        );
        let _ = writeln!(out, "# TYPE matchfloor_uptime_seconds gauge");
        let _ = writeln!(out, "matchfloor_uptime_seconds {uptime:.3}");
        let _ = writeln!(
            out,
            "# HELP matchfloor_http_requests_total HTTP requests answered."
        );
        let _ = writeln!(out, "# TYPE matchfloor_http_requests_total counter");
        let snapshot = self.requests.lock().map(|m| m.clone()).unwrap_or_default();
        for ((method, route, status), (count, _)) in &snapshot {
            let _ = writeln!(
                out,
                "matchfloor_http_requests_total{{method=\"{method}\",route=\"{}\",status=\"{status}\"}} {count}",
                escape(route)
            );
        }
        let _ = writeln!(
            out,
            "# HELP matchfloor_http_request_seconds_sum Seconds spent answering HTTP requests."
        );
        let _ = writeln!(out, "# TYPE matchfloor_http_request_seconds_sum counter");
        for ((method, route, status), (_, seconds)) in &snapshot {
            let _ = writeln!(
                out,
                "matchfloor_http_request_seconds_sum{{method=\"{method}\",route=\"{}\",status=\"{status}\"}} {seconds:.6}",
                escape(route)
            );
        }
        for (name, help, value) in [
            (
                "matchfloor_mails_sent_total",
                "Emails delivered by the worker.",
                mail.sent.load(Ordering::Relaxed),
            ),
            (
                "matchfloor_mails_failed_total",
                "Emails given up after all attempts.",
                mail.failed.load(Ordering::Relaxed),
            ),
            (
                "matchfloor_mail_attempt_errors_total",
                "Delivery attempts that failed and will be retried.",
                mail.attempt_errors.load(Ordering::Relaxed),
            ),
            (
                "matchfloor_mail_worker_restarts_total",
                "Times the mail worker died and was started again.",
                mail.restarts.load(Ordering::Relaxed),
            ),
            (
                "matchfloor_login_links_requested_total",
                "Login link requests accepted.",
                self.login_links_requested.load(Ordering::Relaxed),
            ),
            (
                "matchfloor_logins_total",
                "Sessions opened with a login link.",
                self.logins.load(Ordering::Relaxed),
            ),
            (
                "matchfloor_db_queries_total",
                "Statements sent to the database.",
                self.db_queries.load(Ordering::Relaxed),
            ),
        ] {
            let _ = writeln!(out, "# HELP {name} {help}");
            let _ = writeln!(out, "# TYPE {name} counter");
            let _ = writeln!(out, "{name} {value}");
        }
        let _ = writeln!(
            out,
            "# HELP matchfloor_mail_outbox_pending Emails waiting in the outbox."
        );
        let _ = writeln!(out, "# TYPE matchfloor_mail_outbox_pending gauge");
        let _ = writeln!(out, "matchfloor_mail_outbox_pending {outbox_pending}");
        let _ = writeln!(
            out,
            "# HELP matchfloor_live_connections Open live sockets on this instance."
        );
        let _ = writeln!(out, "# TYPE matchfloor_live_connections gauge");
        let _ = writeln!(out, "matchfloor_live_connections {live_connections}");
        for (name, help, value) in [
            (
                "matchfloor_live_deliveries_total",
                "Live messages queued for a socket.",
                live.delivered_total(),
            ),
            (
                "matchfloor_live_overflows_total",
                "Live messages that found a socket's queue full (the socket is cut off).",
                live.dropped_total(),
            ),
            (
                "matchfloor_live_send_timeouts_total",
                "Live sockets cut off because their client did not read within the send timeout.",
                live.send_timeouts_total(),
            ),
        ] {
            let _ = writeln!(out, "# HELP {name} {help}");
            let _ = writeln!(out, "# TYPE {name} counter");
            let _ = writeln!(out, "{name} {value}");
        }
        if let Some(bytes) = resident_bytes() {
            let _ = writeln!(
                out,
                "# HELP matchfloor_process_resident_bytes Resident memory of this process."
            );
            let _ = writeln!(out, "# TYPE matchfloor_process_resident_bytes gauge");
            let _ = writeln!(out, "matchfloor_process_resident_bytes {bytes}");
        }
        out
    }
}

fn escape(label: &str) -> String {
    label.replace('\\', "\\\\").replace('"', "\\\"")
}

/// Resident memory from /proc (Linux); None elsewhere.
fn resident_bytes() -> Option<u64> {
    let statm = std::fs::read_to_string("/proc/self/statm").ok()?;
    let pages: u64 = statm.split_whitespace().nth(1)?.parse().ok()?;
    Some(pages * 4096)
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;
    use std::time::Duration;

    use super::*;
    use crate::mail::worker::keep_running;

    #[tokio::test]
    async fn a_restarted_mail_worker_shows_in_the_metrics() {
        let stats = Arc::new(WorkerStats::default());
        let metrics = Metrics::new();
        let hub = Hub::default();
        let restarts = |text: String| {
            text.lines()
                .find(|l| l.starts_with("matchfloor_mail_worker_restarts_total "))
                .map(str::to_string)
        };
        assert_eq!(
            restarts(metrics.render(0, &hub, &stats)).as_deref(),
            Some("matchfloor_mail_worker_restarts_total 0")
        );
        let mut dies = true;
        keep_running("mail worker", Duration::ZERO, &stats.restarts, || {
            let this_one_dies = std::mem::take(&mut dies);
            async move {
                if this_one_dies {
                    panic!("the worker dies");
                }
            }
        })
        .await;
        assert_eq!(
            restarts(metrics.render(0, &hub, &stats)).as_deref(),
            Some("matchfloor_mail_worker_restarts_total 1")
        );
    }
}
