//! Load tool for the live channel: opens N concurrent sockets to a running server, sends
//! announcements, and reports delivery latency percentiles and the server's memory.
//!
//!   export MATCHFLOOR__METRICS__TOKEN=load-test    # for the server and this tool
//!   matchfloor admin add load@example.org          # prints a login link
//!   ulimit -n 65536
//!   cargo bench --bench live_load -- --url http://127.0.0.1:8080 --login-link 'LINK' --sockets 10000
//!
//! With `--idle-seconds W` the sockets first stay idle for W seconds, and the tool reports
//! how many statements the server sent to its database meanwhile (its
//! `matchfloor_db_queries_total`), so what idle sockets cost the database shows.
//!
//! Latency is from just before the announcement is posted to its arrival on a socket, so
//! it includes the HTTP request, the database transaction and the fan-out. Traffic goes
//! only to the given URL (use a server on this machine), in a bounded number of requests.

mod support;

use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use clap::Parser;
use futures_util::StreamExt;
use serde_json::{Value, json};
use tokio::sync::{Mutex, Semaphore};
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;

use support::{log_in, percentile, token_in};

#[derive(Parser)]
struct Args {
    /// The server, e.g. http://127.0.0.1:8080 (loopback only).
    #[arg(long)]
    url: String,
    /// A login link of a platform administrator (`matchfloor admin add EMAIL` prints one).
    #[arg(long)]
    login_link: String,
    #[arg(long, default_value_t = 1000)]
    sockets: usize,
    #[arg(long, default_value_t = 10)]
    announcements: usize,
    /// Milliseconds between announcements.
    #[arg(long, default_value_t = 500)]
    interval_ms: u64,
    /// Sockets being opened at the same time.
    #[arg(long, default_value_t = 200)]
    connect_concurrency: usize,
    /// The server's `metrics.token`, to read its memory and socket count from /metrics
    /// (without it those figures are reported as missing).
    #[arg(long, env = "MATCHFLOOR__METRICS__TOKEN", default_value = "")]
    metrics_token: String,
    /// Seconds the open sockets stay idle (database statements are counted meanwhile)
    /// before the announcements; 0 skips the idle window.
    #[arg(long, default_value_t = 0)]
    idle_seconds: u64,
    #[arg(long)]
    bench: bool,
}

fn now_nanos() -> u128 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or(0)
}

async fn metric(client: &reqwest::Client, url: &str, token: &str, name: &str) -> Option<f64> {
    let text = client
        .get(format!("{url}/metrics"))
        .bearer_auth(token)
        .send()
        .await
        .ok()?
        .text()
        .await
        .ok()?;
    text.lines()
        .find(|l| l.starts_with(name) && l[name.len()..].starts_with(' '))?
        .split_whitespace()
        .nth(1)?
        .parse()
        .ok()
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let args = Args::parse();
    let host = args.url.trim_end_matches('/').to_string();
    let loopback = ["http://127.", "http://localhost", "http://[::1]"];
    anyhow::ensure!(
        loopback.iter().any(|p| host.starts_with(p)),
        "only a server on this machine (loopback) may be loaded"
    );
    let token = token_in(&args.login_link)
        .ok_or_else(|| anyhow::anyhow!("--login-link must contain #token=..."))?;
    let client = reqwest::Client::builder().cookie_store(true).build()?;
    let login = log_in(&client, &host, &token).await?;
    let (cookie, csrf) = (login.cookie, login.csrf);
    let event: Value = client
        .post(format!("{host}/api/events"))
        .header("x-csrf-token", &csrf)
        .json(&json!({ "name": format!("Live load test {}", now_nanos()), "start_date": "2027-03-11", "timezone": "Europe/Brussels" }))
        .send()
        .await?
        .json()
        .await?;
    let event_id = event["id"]
        .as_str()
        .ok_or_else(|| anyhow::anyhow!("could not create the event: {event}"))?
        .to_string();
    let rss_before = metric(
        &client,
        &host,
        &args.metrics_token,
        "matchfloor_process_resident_bytes",
    )
    .await;

    let ws_url = format!(
        "{}/api/events/{event_id}/live",
        host.replacen("http", "ws", 1)
    );
    let latencies = Arc::new(Mutex::new(Vec::with_capacity(
        args.sockets * args.announcements,
    )));
    let gate = Arc::new(Semaphore::new(args.connect_concurrency));
    let (ready_tx, mut ready_rx) = tokio::sync::mpsc::channel::<bool>(args.sockets);
    let started = Instant::now();
    let mut tasks = Vec::with_capacity(args.sockets);
    for _ in 0..args.sockets {
        let (url, cookie, gate, ready, latencies) = (
            ws_url.clone(),
            cookie.clone(),
            gate.clone(),
            ready_tx.clone(),
            latencies.clone(),
        );
        let expected = args.announcements;
        // Longer than the idle window, during which the server only pings.
        let patience = Duration::from_secs(120 + args.idle_seconds);
        tasks.push(tokio::spawn(async move {
            let permit = gate.acquire_owned().await.ok();
            let mut request = url.into_client_request().expect("a websocket URL");
            request
                .headers_mut()
                .insert("cookie", cookie.parse().expect("a cookie header"));
            let Ok((mut socket, _)) = tokio_tungstenite::connect_async(request).await else {
                let _ = ready.send(false).await;
                return 0usize;
            };
            drop(permit);
            let mut got = 0;
            let mut mine = Vec::with_capacity(expected);
            let mut announced_ready = false;
            while got < expected {
                let next = tokio::time::timeout(patience, socket.next()).await;
                let Ok(Some(Ok(message))) = next else { break };
                let Message::Text(text) = message else {
                    continue;
                };
                let Ok(value) = serde_json::from_str::<Value>(&text) else {
                    continue;
                };
                match value["type"].as_str() {
                    Some("hello") if !announced_ready => {
                        announced_ready = true;
                        let _ = ready.send(true).await;
                    }
                    Some("announcement") => {
                        if let Some(sent) = value["payload"]["body_en"]
                            .as_str()
                            .and_then(|b| b.strip_prefix("load "))
                            .and_then(|n| n.parse::<u128>().ok())
                        {
                            mine.push((now_nanos().saturating_sub(sent)) as f64 / 1e6);
                            got += 1;
                        }
                    }
                    _ => {}
                }
            }
            latencies.lock().await.extend(mine);
            got
        }));
    }
    drop(ready_tx);
    let mut connected = 0;
    let mut failed = 0;
    while let Some(ok) = ready_rx.recv().await {
        if ok {
            connected += 1
        } else {
            failed += 1
        }
        if connected + failed == args.sockets {
            break;
        }
    }
    let connect_seconds = started.elapsed().as_secs_f64();
    let server_connections = metric(
        &client,
        &host,
        &args.metrics_token,
        "matchfloor_live_connections",
    )
    .await;
    let rss_connected = metric(
        &client,
        &host,
        &args.metrics_token,
        "matchfloor_process_resident_bytes",
    )
    .await;
    let idle = if args.idle_seconds > 0 {
        let name = "matchfloor_db_queries_total";
        let before = metric(&client, &host, &args.metrics_token, name).await;
        let window = Instant::now();
        tokio::time::sleep(Duration::from_secs(args.idle_seconds)).await;
        let after = metric(&client, &host, &args.metrics_token, name).await;
        let seconds = window.elapsed().as_secs_f64();
        // Less the one statement (the outbox count) that answering /metrics itself costs.
        Some(match (before, after) {
            (Some(b), Some(a)) => {
                let queries = (a - b - 1.0).max(0.0);
                format!(
                    "idle: {connected} sockets for {seconds:.0} s: {queries:.0} database statements, {:.2} per second",
                    queries / seconds
                )
            }
            _ => format!("idle: the server does not report {name}"),
        })
    } else {
        None
    };
    for _ in 0..args.announcements {
        let body = json!({ "body_en": format!("load {}", now_nanos()), "audience": "everyone" });
        let r = client
            .post(format!("{host}/api/events/{event_id}/announcements"))
            .header("x-csrf-token", &csrf)
            .json(&body)
            .send()
            .await?;
        anyhow::ensure!(
            r.status().is_success(),
            "announcing failed: {}",
            r.text().await?
        );
        tokio::time::sleep(Duration::from_millis(args.interval_ms)).await;
    }
    let mut delivered = 0;
    for t in tasks {
        delivered += t.await.unwrap_or(0);
    }
    let rss_after = metric(
        &client,
        &host,
        &args.metrics_token,
        "matchfloor_process_resident_bytes",
    )
    .await;
    let mut all = latencies.lock().await.clone();
    all.sort_by(|a, b| a.total_cmp(b));
    let mb = |b: Option<f64>| {
        b.map(|b| format!("{:.0} MB", b / 1e6))
            .unwrap_or_else(|| "n/a".into())
    };
    println!(
        "sockets: {connected} connected, {failed} failed, in {connect_seconds:.1} s; server reports {} open",
        server_connections.unwrap_or(f64::NAN)
    );
    if let Some(idle) = idle {
        println!("{idle}");
    }
    println!(
        "announcements: {} sent, {delivered} of {} deliveries arrived",
        args.announcements,
        connected * args.announcements
    );
    println!(
        "delivery latency ms: p50 {:.1}  p95 {:.1}  p99 {:.1}  max {:.1}",
        percentile(&all, 0.50),
        percentile(&all, 0.95),
        percentile(&all, 0.99),
        all.last().copied().unwrap_or(f64::NAN)
    );
    println!(
        "server RSS: {} before, {} with the sockets open, {} after",
        mb(rss_before),
        mb(rss_connected),
        mb(rss_after)
    );
    Ok(())
}
