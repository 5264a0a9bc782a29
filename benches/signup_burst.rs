//! Load tool for the opening of sign-up: thousands of distinct logged-in participants ask
//! for a seat within a few seconds, against one release instance started as its own
//! process, on SQLite or PostgreSQL. Reports the latency of the sign-ups, how many got a
//! seat or a waitlist place, and checks in the database and through the API that no
//! session holds more people than its seats and that waitlist numbers and positions are
//! unique and in order.
//!
//!   cargo bench --bench signup_burst
//!   cargo bench --bench signup_burst -- --postgres postgres://postgres@127.0.0.1:5432/postgres
//!   cargo bench --bench signup_burst -- --participants 4000 --seconds 10 --sessions 8 --capacity 150
//!
//! The event, its sessions and the participants are written through the library before the
//! server starts (people, participations and login links in one transaction); every
//! participant then logs in over HTTP with their own link, as a browser does. The sign-ups
//! are open-loop: each is sent at its scheduled time (uniformly spread over the window, in
//! a shuffled order of people), whether or not earlier ones have been answered, and its
//! latency counts from that scheduled time, so a server that falls behind cannot hide it.
//! Sessions are all at the same time and draw interest like 1/rank (the first is the most
//! wanted); the first has separate seats for buyers and suppliers.
//!
//! SQLite lives in a temporary directory; with `--postgres` a new database is created on
//! that server for the run and dropped afterwards. The server runs with the default
//! settings (`config/default.toml`). Traffic goes only to the server this tool starts.

mod support;

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use chrono::{Days, Utc};
use clap::Parser;
use matchfloor::auth::service::add_admin;
use matchfloor::domain::{Role, SessionKind, SignupStatus};
use matchfloor::entities::{person, programme_session, session_signup};
use matchfloor::events::service::{self as events, EventInput};
use matchfloor::programme::service::{self as programme, RoleCapacity, SessionInput};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use serde_json::Value;
use support::{
    Rng, Server, app_error, crowd, database, drop_database, library, log_in, log_in_all, machine,
    percentile, token_in,
};
use tokio::time::Instant;
use uuid::Uuid;

#[derive(Parser)]
struct Args {
    /// Distinct participants, each signing up once.
    #[arg(long, default_value_t = 2000)]
    participants: usize,
    /// The window the sign-ups are spread over.
    #[arg(long, default_value_t = 10.0)]
    seconds: f64,
    /// Sessions at the same time.
    #[arg(long, default_value_t = 8)]
    sessions: usize,
    /// Seats per session (the first: two thirds for buyers, a third for suppliers).
    #[arg(long, default_value_t = 150)]
    capacity: i32,
    /// A PostgreSQL server to create the run's database on; SQLite when left out.
    #[arg(long)]
    postgres: Option<String>,
    /// The server binary (by default the one `cargo bench` built with this tool).
    #[arg(long, default_value = env!("CARGO_BIN_EXE_matchfloor"))]
    binary: String,
    /// Logins over HTTP at the same time, before the burst.
    #[arg(long, default_value_t = 16)]
    login_concurrency: usize,
    #[arg(long, default_value_t = 0x5EED_0000_B025_7001)]
    seed: u64,
    /// Set by `cargo bench`; ignored.
    #[arg(long)]
    bench: bool,
}

/// One participant, logged in.
struct Participant {
    role: Role,
    cookie: String,
    csrf: String,
}

/// What one sign-up got back.
struct Answer {
    session: usize,
    role: Role,
    /// From the scheduled send time to the complete answer.
    latency_ms: f64,
    /// How late the request left this tool (the tool's own delay, included in the latency).
    late_ms: f64,
    http: u16,
    status: Option<SignupStatus>,
    error: Option<String>,
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let args = Args::parse();
    anyhow::ensure!(
        args.participants > 0 && args.sessions > 0 && args.seconds > 0.0,
        "participants, sessions and seconds are positive"
    );
    let database_name = if args.postgres.is_some() {
        "PostgreSQL"
    } else {
        "SQLite"
    };
    let dir = tempfile::tempdir()?;
    let (url, created) = database(args.postgres.as_deref(), dir.path(), "mf_burst").await?;
    let outcome = run(&args, dir.path(), &url, database_name).await;
    if let (Some(base), Some(name)) = (&args.postgres, created) {
        drop_database(base, &name).await?;
    }
    outcome
}

async fn run(args: &Args, dir: &Path, url: &str, database_name: &str) -> anyhow::Result<()> {
    println!("machine: {}", machine());
    let settings_env = [
        ("MATCHFLOOR__DATA_DIR", dir.display().to_string()),
        ("MATCHFLOOR__DATABASE__URL", url.to_string()),
    ];
    let state = library(&settings_env).await?;

    // ---- the event, its sessions and its participants, through the library ----
    let setup = Instant::now();
    let admin_link = add_admin(
        &state,
        "burst-organiser@example.org",
        Some("Burst organiser"),
    )
    .await
    .map_err(app_error)?;
    let admin = person::Entity::find()
        .filter(person::Column::Email.eq("burst-organiser@example.org"))
        .one(&state.db)
        .await?
        .ok_or_else(|| anyhow::anyhow!("the organiser is missing"))?;
    let day = Utc::now().date_naive() + Days::new(30);
    let event = events::create(
        &state,
        &admin,
        EventInput {
            name: Some("Sign-up burst".into()),
            start_date: Some(day),
            timezone: Some("Europe/Brussels".into()),
            ..EventInput::default()
        },
    )
    .await
    .map_err(app_error)?;
    let mut session_ids = Vec::with_capacity(args.sessions);
    for i in 0..args.sessions {
        let role_capacity = (i == 0).then(|| RoleCapacity {
            buyer: Some(args.capacity * 2 / 3),
            supplier: Some(args.capacity - args.capacity * 2 / 3),
        });
        let session = programme::create(
            &state,
            &admin,
            event.id,
            SessionInput {
                kind: Some(SessionKind::MarketDialogue),
                title_nl: Some(format!("Marktdialoog {}", i + 1)),
                title_en: Some(format!("Market dialogue {}", i + 1)),
                date: Some(day),
                start: Some("14:00".into()),
                end: Some("15:00".into()),
                capacity: Some(args.capacity),
                role_capacity,
                ..SessionInput::default()
            },
        )
        .await
        .map_err(app_error)?;
        session_ids.push(session.id);
    }
    // One in five a supplier, as at a real event.
    let roles: Vec<Role> = (0..args.participants)
        .map(|i| {
            if i % 5 == 4 {
                Role::Supplier
            } else {
                Role::Buyer
            }
        })
        .collect();
    let members = crowd(&state, event.id, &roles, "participant", "burst.example").await?;
    println!(
        "setup: event, {} sessions, {} participants and login links in {:.1} s",
        args.sessions,
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
    let logins = log_in_all(
        &client,
        &base,
        members.into_iter().map(|m| m.token),
        args.login_concurrency,
    )
    .await?;
    let participants: Vec<Arc<Participant>> = logins
        .into_iter()
        .zip(&roles)
        .map(|(login, role)| {
            Arc::new(Participant {
                role: *role,
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
    let mut order: Vec<usize> = (0..args.participants).collect();
    for i in (1..order.len()).rev() {
        order.swap(i, rng.below(i + 1));
    }
    let mut offsets: Vec<f64> = (0..args.participants)
        .map(|_| rng.unit() * args.seconds)
        .collect();
    offsets.sort_by(|a, b| a.total_cmp(b));
    let interest: Vec<f64> = (0..args.sessions).map(|i| 1.0 / (i + 1) as f64).collect();
    let total_interest: f64 = interest.iter().sum();
    let choose = |rng: &mut Rng| {
        let mut x = rng.unit() * total_interest;
        for (i, w) in interest.iter().enumerate() {
            if x < *w {
                return i;
            }
            x -= w;
        }
        interest.len() - 1
    };
    let begin = Instant::now() + Duration::from_millis(500);
    let mut burst = tokio::task::JoinSet::new();
    for (k, &who) in order.iter().enumerate() {
        let session = choose(&mut rng);
        let at = begin + Duration::from_secs_f64(offsets[k]);
        let url = format!(
            "{base}/api/events/{}/sessions/{}/signup",
            event.id, session_ids[session]
        );
        let (client, participant) = (client.clone(), participants[who].clone());
        burst.spawn(async move {
            tokio::time::sleep_until(at).await;
            let late_ms = at.elapsed().as_secs_f64() * 1000.0;
            let sent = client
                .put(url)
                .header("cookie", &participant.cookie)
                .header("x-csrf-token", &participant.csrf)
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
            let parsed: Option<Value> = serde_json::from_str(&body).ok();
            let status = parsed
                .as_ref()
                .and_then(|v| v["status"].as_str())
                .and_then(|s| match s {
                    "confirmed" => Some(SignupStatus::Confirmed),
                    "waitlisted" => Some(SignupStatus::Waitlisted),
                    _ => None,
                });
            Answer {
                session,
                role: participant.role,
                latency_ms,
                late_ms,
                http,
                error: (http != 200).then_some(body),
                status,
            }
        });
    }
    let mut answers = Vec::with_capacity(args.participants);
    while let Some(answer) = burst.join_next().await {
        answers.push(answer?);
    }
    let finished = begin.elapsed().as_secs_f64();

    // ---- figures ----
    let mut latencies: Vec<f64> = answers.iter().map(|a| a.latency_ms).collect();
    latencies.sort_by(|a, b| a.total_cmp(b));
    let mut late: Vec<f64> = answers.iter().map(|a| a.late_ms).collect();
    late.sort_by(|a, b| a.total_cmp(b));
    let mut by_http = BTreeMap::<u16, usize>::new();
    for a in &answers {
        *by_http.entry(a.http).or_default() += 1;
    }
    let answered = |status| answers.iter().filter(|a| a.status == Some(status)).count();
    let (confirmed, waitlisted) = (
        answered(SignupStatus::Confirmed),
        answered(SignupStatus::Waitlisted),
    );
    println!(
        "burst on {database_name}: {} sign-ups by distinct participants over {:.1} s into {} sessions of {} seats (the first {} for buyers and {} for suppliers); last answer after {finished:.2} s",
        answers.len(),
        args.seconds,
        args.sessions,
        args.capacity,
        args.capacity * 2 / 3,
        args.capacity - args.capacity * 2 / 3,
    );
    println!("answers by HTTP status: {by_http:?}");
    if let Some(error) = answers.iter().find_map(|a| a.error.as_ref()) {
        println!("first error: {error}");
    }
    println!("confirmed {confirmed}, waitlisted {waitlisted}");
    println!(
        "latency ms (from the scheduled time to the whole answer): p50 {:.1}  p95 {:.1}  p99 {:.1}  max {:.1}",
        percentile(&latencies, 0.50),
        percentile(&latencies, 0.95),
        percentile(&latencies, 0.99),
        latencies.last().copied().unwrap_or(f64::NAN)
    );
    println!(
        "sent late by this tool ms: p99 {:.1}  max {:.1}",
        percentile(&late, 0.99),
        late.last().copied().unwrap_or(f64::NAN)
    );

    // ---- checks, in the database and through the API ----
    let rows = programme_session::Entity::find()
        .filter(programme_session::Column::EventId.eq(event.id))
        .all(&state.db)
        .await?;
    let signups = session_signup::Entity::find()
        .filter(session_signup::Column::EventId.eq(event.id))
        .all(&state.db)
        .await?;
    let mut problems: Vec<String> = Vec::new();
    let mut overbooked = 0i64;
    let admin_token = token_in(&admin_link).ok_or_else(|| anyhow::anyhow!("no admin token"))?;
    let organiser = log_in(&client, &base, &admin_token).await?;
    println!("session  seats  asked  confirmed  (buyers, suppliers)  waitlisted  p50 ms  p99 ms");
    for (i, id) in session_ids.iter().enumerate() {
        let row = rows
            .iter()
            .find(|r| r.id == *id)
            .ok_or_else(|| anyhow::anyhow!("session {id} is missing"))?;
        let mine: Vec<&session_signup::Model> =
            signups.iter().filter(|s| s.session_id == *id).collect();
        let seated = |role: Option<Role>| {
            mine.iter()
                .filter(|s| s.status == SignupStatus::Confirmed)
                .filter(|s| role.is_none_or(|r| s.role == r))
                .count() as i64
        };
        let (all, buyers, suppliers) = (
            seated(None),
            seated(Some(Role::Buyer)),
            seated(Some(Role::Supplier)),
        );
        overbooked += (all - i64::from(row.capacity)).max(0);
        for (count, limit) in [
            (buyers, row.capacity_buyers),
            (suppliers, row.capacity_suppliers),
        ] {
            if let Some(limit) = limit {
                overbooked += (count - i64::from(limit)).max(0);
            }
        }
        if all != i64::from(row.confirmed_count)
            || buyers != i64::from(row.confirmed_buyers)
            || suppliers != i64::from(row.confirmed_suppliers)
        {
            problems.push(format!(
                "session {}: counters {}/{}/{} but {all}/{buyers}/{suppliers} confirmed rows",
                i + 1,
                row.confirmed_count,
                row.confirmed_buyers,
                row.confirmed_suppliers
            ));
        }
        let numbers: Vec<Option<i64>> = mine
            .iter()
            .filter(|s| s.status == SignupStatus::Waitlisted)
            .map(|s| s.waitlist_seq)
            .collect();
        let distinct: HashSet<i64> = numbers.iter().flatten().copied().collect();
        if distinct.len() != numbers.len() {
            problems.push(format!(
                "session {}: waitlist numbers missing or repeated",
                i + 1
            ));
        }
        // Positions as organisers see them: 1..n, in the order of the numbers.
        let list: Value = client
            .get(format!(
                "{base}/api/events/{}/sessions/{id}/signups",
                event.id
            ))
            .header("cookie", &organiser.cookie)
            .send()
            .await?
            .json()
            .await?;
        let positions: Vec<i64> = list["signups"]
            .as_array()
            .map(|l| {
                l.iter()
                    .filter(|s| s["status"] == "waitlisted")
                    .filter_map(|s| s["waitlist_position"].as_i64())
                    .collect()
            })
            .unwrap_or_default();
        if positions != (1..=numbers.len() as i64).collect::<Vec<_>>() {
            problems.push(format!(
                "session {}: waitlist positions are not 1..{}",
                i + 1,
                numbers.len()
            ));
        }
        let mut asked: Vec<f64> = answers
            .iter()
            .filter(|a| a.session == i)
            .map(|a| a.latency_ms)
            .collect();
        asked.sort_by(|a, b| a.total_cmp(b));
        println!(
            "{:>7}  {:>5}  {:>5}  {all:>9}  {:<19}  {:>10}  {:>6.1}  {:>6.1}",
            i + 1,
            row.capacity,
            asked.len(),
            format!("({buyers}, {suppliers})"),
            numbers.len(),
            percentile(&asked, 0.50),
            percentile(&asked, 0.99),
        );
    }
    let mut per_person: HashMap<Uuid, usize> = HashMap::new();
    for s in &signups {
        *per_person.entry(s.person_id).or_default() += 1;
    }
    if per_person.values().any(|&n| n > 1) {
        problems.push("someone holds more than one sign-up".into());
    }
    let stored_confirmed = signups
        .iter()
        .filter(|s| s.status == SignupStatus::Confirmed)
        .count();
    if stored_confirmed != confirmed || signups.len() != confirmed + waitlisted {
        problems.push(format!(
            "answers ({confirmed} confirmed, {waitlisted} waitlisted) differ from the {} stored sign-ups ({stored_confirmed} confirmed)",
            signups.len()
        ));
    }
    let suppliers_asking = answers.iter().filter(|a| a.role == Role::Supplier).count();
    println!(
        "check: {overbooked} overbooked seats; {} of {} sign-ups stored ({suppliers_asking} by suppliers); {}",
        signups.len(),
        answers.len(),
        if problems.is_empty() {
            "counters match the rows, waitlist numbers unique, positions 1..n in order".to_string()
        } else {
            problems.join("; ")
        }
    );
    drop(server);
    anyhow::ensure!(
        overbooked == 0 && problems.is_empty(),
        "the burst broke a rule"
    );
    Ok(())
}
