//! Load tool for meeting requests: a thousand logged-in participants each ask ten others
//! for a one-to-one meeting within a minute, against one release instance started as its
//! own process, on SQLite or PostgreSQL. Reports the latency of the requests and checks in
//! the database that every request answered `201` is stored once, that no pair of people
//! has two requests, and that the counters the limits are kept on match the rows.
//!
//!   cargo bench --bench request_burst
//!   cargo bench --bench request_burst -- --postgres postgres://postgres@127.0.0.1:5432/postgres
//!   cargo bench --bench request_burst -- --participants 1000 --requests 10 --seconds 60
//!
//! The event and its participants (three in five buyers, the rest suppliers) are written
//! through the library before the server starts; everyone then logs in over HTTP with
//! their own link. Buyers ask suppliers and suppliers ask buyers, as at a real event; whom
//! they ask goes like 1/rank, so a few suppliers and buyers are asked by hundreds and most
//! by a few. Both sides of many pairs ask each other, some at nearly the same moment, so
//! the one-request-per-pair rule is exercised under load: the second of such a pair must be
//! answered `409 request_exists` and store nothing. The requests are open-loop: each leaves
//! at its scheduled time (uniformly spread over the window), whether or not earlier ones
//! have been answered, and its latency counts from that time.
//!
//! SQLite lives in a temporary directory; with `--postgres` a new database is created on
//! that server for the run and dropped afterwards. The server runs with the default
//! settings (`config/default.toml`; mail is written to files). Traffic goes only to the
//! server this tool starts.

mod support;

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use chrono::{Days, Utc};
use clap::Parser;
use matchfloor::auth::service::add_admin;
use matchfloor::domain::{MeetingRequestStatus, Role};
use matchfloor::entities::{meeting_request, meeting_tally, person};
use matchfloor::events::service::{self as events, EventInput};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use serde_json::{Value, json};
use support::{
    Rng, Server, app_error, crowd, database, drop_database, library, log_in_all, machine,
    percentile,
};
use tokio::time::Instant;
use uuid::Uuid;

#[derive(Parser)]
struct Args {
    /// Distinct participants, each sending `--requests` requests.
    #[arg(long, default_value_t = 1000)]
    participants: usize,
    /// Requests each participant sends, to distinct people of the other role.
    #[arg(long, default_value_t = 10)]
    requests: usize,
    /// The window the requests are spread over.
    #[arg(long, default_value_t = 60.0)]
    seconds: f64,
    /// A PostgreSQL server to create the run's database on; SQLite when left out.
    #[arg(long)]
    postgres: Option<String>,
    /// The server binary (by default the one `cargo bench` built with this tool).
    #[arg(long, default_value = env!("CARGO_BIN_EXE_matchfloor"))]
    binary: String,
    /// Logins over HTTP at the same time, before the burst.
    #[arg(long, default_value_t = 16)]
    login_concurrency: usize,
    #[arg(long, default_value_t = 0x5EED_0000_4E0E_5701)]
    seed: u64,
    /// Set by `cargo bench`; ignored.
    #[arg(long)]
    bench: bool,
}

/// One participant, logged in.
struct Participant {
    id: Uuid,
    cookie: String,
    csrf: String,
}

/// One request to send: who asks whom, and when (seconds into the window).
struct Planned {
    from: usize,
    to: usize,
    at: f64,
}

/// What one request got back.
struct Answer {
    from: usize,
    to: usize,
    /// From the scheduled send time to the complete answer.
    latency_ms: f64,
    http: u16,
    /// The stored request's id, for a `201`.
    request_id: Option<Uuid>,
    /// The error code, for anything else.
    code: Option<String>,
    body: String,
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let args = Args::parse();
    anyhow::ensure!(
        args.participants >= 4 && args.requests > 0 && args.seconds > 0.0,
        "at least four participants, and requests and seconds are positive"
    );
    let database_name = if args.postgres.is_some() {
        "PostgreSQL"
    } else {
        "SQLite"
    };
    let dir = tempfile::tempdir()?;
    let (url, created) = database(args.postgres.as_deref(), dir.path(), "mf_requests").await?;
    let outcome = run(&args, dir.path(), &url, database_name).await;
    if let (Some(base), Some(name)) = (&args.postgres, created) {
        drop_database(base, &name).await?;
    }
    outcome
}

/// Whom each participant asks: `requests` distinct people of the other role, drawn like
/// 1/rank; then the send times, spread uniformly over the window. A tenth of the pairs
/// where both sides ask each other are moved to within a few milliseconds of each other.
fn plan(args: &Args, roles: &[Role], rng: &mut Rng) -> Vec<Planned> {
    let of =
        |role: Role| -> Vec<usize> { (0..roles.len()).filter(|&i| roles[i] == role).collect() };
    let (buyers, suppliers) = (of(Role::Buyer), of(Role::Supplier));
    let weights = |n: usize| -> Vec<f64> { (0..n).map(|i| 1.0 / (i + 1) as f64).collect() };
    let (buyer_weights, supplier_weights) = (weights(buyers.len()), weights(suppliers.len()));
    let draw = |rng: &mut Rng, weights: &[f64]| {
        let total: f64 = weights.iter().sum();
        let mut x = rng.unit() * total;
        for (i, w) in weights.iter().enumerate() {
            if x < *w {
                return i;
            }
            x -= w;
        }
        weights.len() - 1
    };
    let mut planned = Vec::with_capacity(roles.len() * args.requests);
    for (from, role) in roles.iter().enumerate() {
        let (others, weights) = match role {
            Role::Supplier => (&buyers, &buyer_weights),
            _ => (&suppliers, &supplier_weights),
        };
        let wanted = args.requests.min(others.len());
        let mut chosen = HashSet::new();
        while chosen.len() < wanted {
            chosen.insert(others[draw(rng, weights)]);
        }
        let mut chosen: Vec<usize> = chosen.into_iter().collect();
        chosen.sort_unstable();
        for to in chosen {
            planned.push(Planned {
                from,
                to,
                at: rng.unit() * args.seconds,
            });
        }
    }
    let mut at_of: HashMap<(usize, usize), usize> = HashMap::new();
    for (k, p) in planned.iter().enumerate() {
        at_of.insert((p.from, p.to), k);
    }
    let mutual: Vec<(usize, usize)> = planned
        .iter()
        .enumerate()
        .filter(|(_, p)| p.from < p.to)
        .filter_map(|(k, p)| Some((k, *at_of.get(&(p.to, p.from))?)))
        .collect();
    for (n, (a, b)) in mutual.into_iter().enumerate() {
        if n % 10 == 0 {
            planned[b].at = (planned[a].at + rng.unit() * 0.005).min(args.seconds);
        }
    }
    planned
}

async fn run(args: &Args, dir: &Path, url: &str, database_name: &str) -> anyhow::Result<()> {
    println!("machine: {}", machine());
    let settings_env = [
        ("MATCHFLOOR__DATA_DIR", dir.display().to_string()),
        ("MATCHFLOOR__DATABASE__URL", url.to_string()),
    ];
    let state = library(&settings_env).await?;

    // ---- the event and its participants, through the library ----
    let setup = Instant::now();
    add_admin(&state, "requests-organiser@example.org", Some("Organiser"))
        .await
        .map_err(app_error)?;
    let admin = person::Entity::find()
        .filter(person::Column::Email.eq("requests-organiser@example.org"))
        .one(&state.db)
        .await?
        .ok_or_else(|| anyhow::anyhow!("the organiser is missing"))?;
    let day = Utc::now().date_naive() + Days::new(30);
    let event = events::create(
        &state,
        &admin,
        EventInput {
            name: Some("Request burst".into()),
            start_date: Some(day),
            timezone: Some("Europe/Brussels".into()),
            ..EventInput::default()
        },
    )
    .await
    .map_err(app_error)?;
    // Three in five buyers, the rest suppliers.
    let roles: Vec<Role> = (0..args.participants)
        .map(|i| {
            if i % 5 < 3 {
                Role::Buyer
            } else {
                Role::Supplier
            }
        })
        .collect();
    let members = crowd(&state, event.id, &roles, "participant", "requests.example").await?;
    println!(
        "setup: event and {} participants with login links in {:.1} s",
        args.participants,
        setup.elapsed().as_secs_f64()
    );

    // ---- one release instance; everybody logs in over HTTP ----
    let server = Server::start(&args.binary, &settings_env).await?;
    let base = server.base.clone();
    let client = reqwest::Client::builder()
        .timeout(Duration::from_secs(120))
        .build()?;
    let logging_in = Instant::now();
    let ids: Vec<Uuid> = members.iter().map(|m| m.participant_id).collect();
    let logins = log_in_all(
        &client,
        &base,
        members.into_iter().map(|m| m.token),
        args.login_concurrency,
    )
    .await?;
    let participants: Vec<Arc<Participant>> = logins
        .into_iter()
        .zip(&ids)
        .map(|(login, id)| {
            Arc::new(Participant {
                id: *id,
                cookie: login.cookie,
                csrf: login.csrf,
            })
        })
        .collect();
    println!(
        "logins: {} over HTTP in {:.1} s",
        participants.len(),
        logging_in.elapsed().as_secs_f64()
    );

    // ---- the burst: open loop, at the scheduled times ----
    let mut rng = Rng(args.seed);
    let planned = plan(args, &roles, &mut rng);
    let asked_twice = {
        let pairs: HashSet<(usize, usize)> = planned.iter().map(|p| (p.from, p.to)).collect();
        pairs
            .iter()
            .filter(|(a, b)| a < b && pairs.contains(&(*b, *a)))
            .count()
    };
    let url = format!("{base}/api/events/{}/requests", event.id);
    let begin = Instant::now() + Duration::from_millis(500);
    let mut burst = tokio::task::JoinSet::new();
    for p in &planned {
        let at = begin + Duration::from_secs_f64(p.at);
        let (client, url) = (client.clone(), url.clone());
        let (asker, asked) = (participants[p.from].clone(), participants[p.to].id);
        let (from, to) = (p.from, p.to);
        burst.spawn(async move {
            tokio::time::sleep_until(at).await;
            let sent = client
                .post(url)
                .header("cookie", &asker.cookie)
                .header("x-csrf-token", &asker.csrf)
                .json(&json!({
                    "participant_id": asked,
                    "priority": "would_like",
                    "message": "Graag bespreken we uw aanbod.",
                }))
                .send()
                .await;
            let (http, body) = match sent {
                Ok(response) => {
                    let http = response.status().as_u16();
                    (http, response.text().await.unwrap_or_default())
                }
                Err(e) => (0, e.to_string()),
            };
            let latency_ms = at.elapsed().as_secs_f64() * 1000.0;
            let parsed: Value = serde_json::from_str(&body).unwrap_or(Value::Null);
            let request_id = (http == 201)
                .then(|| parsed["id"].as_str()?.parse().ok())
                .flatten();
            let code = parsed["error"]["code"].as_str().map(String::from);
            Answer {
                from,
                to,
                latency_ms,
                http,
                request_id,
                code,
                body,
            }
        });
    }
    let mut answers = Vec::with_capacity(planned.len());
    while let Some(answer) = burst.join_next().await {
        answers.push(answer?);
    }
    let finished = begin.elapsed().as_secs_f64();

    // ---- figures ----
    let mut latencies: Vec<f64> = answers.iter().map(|a| a.latency_ms).collect();
    latencies.sort_by(|a, b| a.total_cmp(b));
    let mut by_answer = BTreeMap::<String, usize>::new();
    for a in &answers {
        let key = match &a.code {
            Some(code) => format!("{} {code}", a.http),
            None => a.http.to_string(),
        };
        *by_answer.entry(key).or_default() += 1;
    }
    println!(
        "burst on {database_name}: {} requests by {} participants ({} each) over {:.0} s, {asked_twice} pairs asking each other; last answer after {finished:.2} s",
        answers.len(),
        args.participants,
        args.requests,
        args.seconds,
    );
    println!("answers: {by_answer:?}");
    if let Some(a) = answers
        .iter()
        .find(|a| a.http != 201 && a.code.as_deref() != Some("request_exists"))
    {
        println!("first unexpected answer: {} {}", a.http, a.body);
    }
    println!(
        "latency ms (from the scheduled time to the whole answer): p50 {:.1}  p95 {:.1}  p99 {:.1}  max {:.1}",
        percentile(&latencies, 0.50),
        percentile(&latencies, 0.95),
        percentile(&latencies, 0.99),
        latencies.last().copied().unwrap_or(f64::NAN)
    );

    // ---- checks, in the database ----
    let rows = meeting_request::Entity::find()
        .filter(meeting_request::Column::EventId.eq(event.id))
        .all(&state.db)
        .await?;
    let tallies = meeting_tally::Entity::find()
        .filter(meeting_tally::Column::EventId.eq(event.id))
        .all(&state.db)
        .await?;
    let mut problems: Vec<String> = Vec::new();
    let stored: HashMap<Uuid, &meeting_request::Model> = rows.iter().map(|r| (r.id, r)).collect();
    let created: Vec<&Answer> = answers.iter().filter(|a| a.http == 201).collect();
    let lost = created
        .iter()
        .filter(|a| {
            a.request_id.and_then(|id| stored.get(&id)).is_none_or(|r| {
                r.requester_id != participants[a.from].id
                    || r.recipient_id != participants[a.to].id
                    || r.status != MeetingRequestStatus::Pending
            })
        })
        .count();
    if lost > 0 {
        problems.push(format!(
            "{lost} requests answered 201 are missing or stored otherwise"
        ));
    }
    if rows.len() != created.len() {
        problems.push(format!(
            "{} requests stored for {} answered 201",
            rows.len(),
            created.len()
        ));
    }
    let mut pairs: HashMap<(Uuid, Uuid), usize> = HashMap::new();
    for r in &rows {
        let pair = (
            r.requester_id.min(r.recipient_id),
            r.requester_id.max(r.recipient_id),
        );
        *pairs.entry(pair).or_default() += 1;
    }
    let duplicate_pairs = pairs.values().filter(|&&n| n > 1).count();
    if duplicate_pairs > 0 {
        problems.push(format!("{duplicate_pairs} pairs have two requests"));
    }
    // Every pair asked from both sides has exactly one request; the other side's ask was
    // refused as an existing request.
    let refused = answers
        .iter()
        .filter(|a| a.code.as_deref() == Some("request_exists"))
        .count();
    if refused != asked_twice {
        problems.push(format!(
            "{refused} asks refused as existing requests, but {asked_twice} pairs asked each other"
        ));
    }
    let unexpected = answers.len() - created.len() - refused;
    if unexpected > 0 {
        problems.push(format!(
            "{unexpected} answers neither 201 nor request_exists"
        ));
    }
    let mut sent_by: HashMap<Uuid, i32> = HashMap::new();
    for r in &rows {
        *sent_by.entry(r.requester_id).or_default() += 1;
    }
    let wrong_counters = participants
        .iter()
        .filter(|p| {
            let counted = tallies
                .iter()
                .find(|t| t.participation_id == p.id)
                .map_or(0, |t| t.requests_sent);
            counted != sent_by.get(&p.id).copied().unwrap_or(0)
        })
        .count();
    if wrong_counters > 0 {
        problems.push(format!(
            "{wrong_counters} people's sent counters differ from their requests"
        ));
    }
    println!(
        "check: {} of {} requests stored, {refused} refused as asked by the other side already, {duplicate_pairs} duplicate pairs; {}",
        rows.len(),
        answers.len(),
        if problems.is_empty() {
            "every 201 stored once, counters match the rows".to_string()
        } else {
            problems.join("; ")
        }
    );
    drop(server);
    anyhow::ensure!(problems.is_empty(), "the burst broke a rule");
    Ok(())
}
