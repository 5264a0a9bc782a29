//! Load tool for scheduling in the app (issue 14): an event shaped by the benchmark kit's
//! generator (four buyers to each supplier, popular and niche suppliers, people arriving
//! late or leaving early, twelve meeting slots, tables for three in five suppliers) is
//! scheduled through the API as an organiser does it: "Schedule meetings" starts a run,
//! the tool polls the run until its preview is there, then publishes it. Reports the time
//! from the start to the preview, and the time publishing takes with every email and live
//! message written, and checks in the database that everyone with a meeting got exactly
//! one email and one live message and that no meeting is double-booked.
//!
//!   cargo bench --bench schedule_publish
//!   cargo bench --bench schedule_publish -- --postgres postgres://postgres@127.0.0.1:5432/postgres
//!   cargo bench --bench schedule_publish -- --sizes 1000,5000 --time-limit 20
//!
//! Each size is a new event with that many participants, written through the library
//! before the server (a release instance, its own process, default settings, mail written
//! to files) starts. Requests are accepted ones, as the generator makes them; who asked is
//! the generator's initiator, the priorities follow its weights.

mod support;

use std::collections::{HashMap, HashSet};
use std::path::Path;
use std::time::Duration;

use chrono::{Days, Utc};
use clap::Parser;
use matchfloor::auth::service::{LinkPurpose, add_admin, issue_link};
use matchfloor::domain::{MeetingPriority, MeetingRequestStatus, MeetingStatus, Role};
use matchfloor::entities::{
    mail_outbox, meeting, meeting_hold, meeting_request, meeting_tally, person, unavailable_slot,
};
use matchfloor::events::grid::{self, GenerateGrid};
use matchfloor::events::service::{self as events, EventInput};
use matchfloor::events::venue::{self, TableCount};
use matchfloor::scheduling::generate::{Shape, instance};
use matchfloor::scheduling::model::Side;
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, Set};
use serde_json::{Value, json};
use support::{
    Server, app_error, crowd, database, drop_database, library, log_in, machine, token_in,
};
use tokio::time::Instant;
use uuid::Uuid;

#[derive(Parser)]
struct Args {
    /// The events' sizes: participants each (four buyers to a supplier).
    #[arg(long, value_delimiter = ',', default_values_t = vec![1000, 5000])]
    sizes: Vec<usize>,
    /// The run's time limit, seconds (the app's default is 20).
    #[arg(long, default_value_t = 20)]
    time_limit: u64,
    /// A PostgreSQL server to create each event's database on; SQLite when left out.
    #[arg(long)]
    postgres: Option<String>,
    /// The server binary (by default the one `cargo bench` built with this tool).
    #[arg(long, default_value = env!("CARGO_BIN_EXE_matchfloor"))]
    binary: String,
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// Set by `cargo bench`; ignored.
    #[arg(long)]
    bench: bool,
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let args = Args::parse();
    anyhow::ensure!(
        args.sizes.iter().all(|&n| n >= 10),
        "every size is at least 10 participants"
    );
    println!("machine: {}", machine());
    for &size in &args.sizes {
        let dir = tempfile::tempdir()?;
        let (url, created) = database(args.postgres.as_deref(), dir.path(), "mf_schedule").await?;
        let outcome = run(&args, size, dir.path(), &url).await;
        if let (Some(base), Some(name)) = (&args.postgres, created) {
            drop_database(base, &name).await?;
        }
        outcome?;
    }
    Ok(())
}

/// The requester's priority and the answer's for a generated weight (1 to 5): the weight
/// without the generator's "both want it" bonus gives the requester's priority, the bonus
/// an answer of "must".
fn priorities(weight: i64) -> (MeetingPriority, Option<MeetingPriority>) {
    let (base, mutual) = if weight > 3 {
        (weight - 2, true)
    } else {
        (weight, false)
    };
    let asked = match base {
        3 => MeetingPriority::Must,
        2 => MeetingPriority::WouldLike,
        _ => MeetingPriority::IfTime,
    };
    (asked, mutual.then_some(MeetingPriority::Must))
}

async fn run(args: &Args, size: usize, dir: &Path, url: &str) -> anyhow::Result<()> {
    let database_name = if args.postgres.is_some() {
        "PostgreSQL"
    } else {
        "SQLite"
    };
    let settings_env = [
        ("MATCHFLOOR__DATA_DIR", dir.display().to_string()),
        ("MATCHFLOOR__DATABASE__URL", url.to_string()),
    ];
    let state = library(&settings_env).await?;

    // ---- the event, its grid and tables, participants and requests, through the library ----
    let setup = Instant::now();
    let organiser_email = "schedule-organiser@example.org";
    add_admin(&state, organiser_email, Some("Organiser"))
        .await
        .map_err(app_error)?;
    let admin = person::Entity::find()
        .filter(person::Column::Email.eq(organiser_email))
        .one(&state.db)
        .await?
        .ok_or_else(|| anyhow::anyhow!("the organiser is missing"))?;
    let day = Utc::now().date_naive() + Days::new(30);
    let event = events::create(
        &state,
        &admin,
        EventInput {
            name: Some(format!("Schedule {size}")),
            start_date: Some(day),
            timezone: Some("Europe/Brussels".into()),
            ..EventInput::default()
        },
    )
    .await
    .map_err(app_error)?;
    let slots = grid::generate(
        &state,
        &admin,
        event.id,
        GenerateGrid {
            date: day,
            start: "13:00".into(),
            end: "17:00".into(),
            slot_minutes: 20,
            gap_minutes: 0,
            breaks: Vec::new(),
        },
    )
    .await
    .map_err(app_error)?;
    let suppliers = (size / 5).max(1);
    let buyers = size - suppliers;
    let shape = Shape {
        buyers,
        suppliers,
        slots: slots.len(),
        booth_share: 0.0,
        ..Shape::default()
    };
    let generated = instance(&shape, args.seed);
    let table_count = generated.tables[0] as i32;
    venue::set_table_count(&state, &admin, event.id, TableCount { count: table_count })
        .await
        .map_err(app_error)?;
    let roles: Vec<Role> = generated
        .participants
        .iter()
        .map(|p| match p.side {
            Side::Buyer => Role::Buyer,
            Side::Supplier => Role::Supplier,
        })
        .collect();
    let members = crowd(&state, event.id, &roles, "person", "schedule.example").await?;
    let by_name: HashMap<&str, Uuid> = generated
        .participants
        .iter()
        .zip(&members)
        .map(|(p, m)| (p.id.as_str(), m.participant_id))
        .collect();
    let now = Utc::now();
    let mut requests = Vec::new();
    let mut sent: HashMap<Uuid, i32> = HashMap::new();
    let mut meetings_of: HashMap<Uuid, i32> = HashMap::new();
    for r in &generated.requests {
        let (buyer, supplier) = (by_name[r.buyer.as_str()], by_name[r.supplier.as_str()]);
        let (requester, recipient) = if r.initiator.as_deref() == Some("supplier") {
            (supplier, buyer)
        } else {
            (buyer, supplier)
        };
        let (priority, answer_priority) = priorities(r.weight);
        *sent.entry(requester).or_default() += 1;
        for id in [requester, recipient] {
            *meetings_of.entry(id).or_default() += 1;
        }
        requests.push(meeting_request::ActiveModel {
            id: Set(Uuid::now_v7()),
            event_id: Set(event.id),
            requester_id: Set(requester),
            recipient_id: Set(recipient),
            pair_low: Set(requester.min(recipient)),
            pair_high: Set(requester.max(recipient)),
            status: Set(MeetingRequestStatus::Accepted),
            priority: Set(priority),
            message: Set(None),
            answer_priority: Set(answer_priority),
            decline_reason: Set(None),
            answered_at: Set(Some(now)),
            reminded_at: Set(None),
            lapsed_at: Set(None),
            created_at: Set(now),
            updated_at: Set(now),
        });
    }
    let tallies: Vec<meeting_tally::ActiveModel> = meetings_of
        .iter()
        .map(|(id, meetings)| meeting_tally::ActiveModel {
            participation_id: Set(*id),
            event_id: Set(event.id),
            requests_sent: Set(sent.get(id).copied().unwrap_or(0)),
            meetings: Set(*meetings),
        })
        .collect();
    let unavailable: Vec<unavailable_slot::ActiveModel> = generated
        .participants
        .iter()
        .flat_map(|p| {
            let who = by_name[p.id.as_str()];
            p.unavailable.iter().map(move |&t| (who, t as usize))
        })
        .map(|(who, t)| unavailable_slot::ActiveModel {
            id: Set(Uuid::now_v7()),
            event_id: Set(event.id),
            participation_id: Set(who),
            slot_id: Set(slots[t].id),
            created_at: Set(now),
        })
        .collect();
    let txn = matchfloor::db::begin(&state.db).await?;
    for chunk in requests.chunks(500) {
        meeting_request::Entity::insert_many(chunk.to_vec())
            .exec(&txn)
            .await?;
    }
    for chunk in tallies.chunks(500) {
        meeting_tally::Entity::insert_many(chunk.to_vec())
            .exec(&txn)
            .await?;
    }
    for chunk in unavailable.chunks(500) {
        unavailable_slot::Entity::insert_many(chunk.to_vec())
            .exec(&txn)
            .await?;
    }
    let link = issue_link(&txn, &state, admin.id, LinkPurpose::Login, None)
        .await
        .map_err(app_error)?;
    txn.commit().await?;
    let token = token_in(&link).ok_or_else(|| anyhow::anyhow!("no token in {link}"))?;
    println!(
        "\n{database_name}, {size} participants ({buyers} buyers, {suppliers} suppliers): {} accepted requests, {} slots, {table_count} tables; set up in {:.1} s",
        generated.requests.len(),
        slots.len(),
        setup.elapsed().as_secs_f64()
    );

    // ---- one release instance; the organiser schedules and publishes ----
    let server = Server::start(&args.binary, &settings_env).await?;
    let base = server.base.clone();
    let client = reqwest::Client::builder()
        .timeout(Duration::from_secs(300))
        .build()?;
    let organiser = log_in(&client, &base, &token).await?;
    let runs = format!("{base}/api/events/{}/schedule/runs", event.id);
    let post = |url: String, body: Value| {
        client
            .post(url)
            .header("cookie", &organiser.cookie)
            .header("x-csrf-token", &organiser.csrf)
            .json(&body)
            .send()
    };

    let started = Instant::now();
    let response = post(
        runs.clone(),
        json!({ "time_limit_seconds": args.time_limit, "seed": args.seed }),
    )
    .await?;
    anyhow::ensure!(
        response.status().as_u16() == 202,
        "starting the run answered {}: {}",
        response.status(),
        response.text().await?
    );
    let run: Value = response.json().await?;
    let run_url = format!("{runs}/{}", run["id"].as_str().unwrap_or_default());
    let done = loop {
        let view: Value = client
            .get(&run_url)
            .header("cookie", &organiser.cookie)
            .send()
            .await?
            .json()
            .await?;
        match view["status"].as_str() {
            Some("done") if !view["preview"].is_null() => break view,
            Some("failed" | "cancelled") => anyhow::bail!("the run ended: {view}"),
            _ => tokio::time::sleep(Duration::from_millis(50)).await,
        }
    };
    let to_preview = started.elapsed().as_secs_f64();
    let preview = &done["preview"];
    println!(
        "run: from \"Schedule meetings\" to the preview in {to_preview:.2} s (solver {:.2} s, stopped by the time limit: {}); objective {} of bound {} (gap {:.2} %), {} meetings",
        preview["seconds"].as_f64().unwrap_or(f64::NAN),
        preview["stopped_by_time_limit"],
        preview["objective"],
        preview["bound"],
        preview["gap"].as_f64().unwrap_or(f64::NAN) * 100.0,
        preview["meetings"]
    );

    let mails_before = mail_outbox::Entity::find().count(&state.db).await?;
    let publishing = Instant::now();
    let response = post(format!("{run_url}/publish"), json!({})).await?;
    let publish_status = response.status();
    let published: Value = response.json().await?;
    let publish_seconds = publishing.elapsed().as_secs_f64();
    anyhow::ensure!(
        publish_status.is_success(),
        "publishing answered {publish_status}: {published}"
    );

    // ---- checks in the database ----
    let scheduled = meeting::Entity::find()
        .filter(meeting::Column::EventId.eq(event.id))
        .filter(meeting::Column::Status.eq(MeetingStatus::Scheduled))
        .all(&state.db)
        .await?;
    let request_people: HashMap<Uuid, (Uuid, Uuid)> = meeting_request::Entity::find()
        .filter(meeting_request::Column::EventId.eq(event.id))
        .all(&state.db)
        .await?
        .into_iter()
        .map(|r| (r.id, (r.requester_id, r.recipient_id)))
        .collect();
    let mut people = HashSet::new();
    let mut seats = HashSet::new();
    for m in &scheduled {
        let (a, b) = request_people[&m.request_id];
        people.extend([a, b]);
        for who in [Some(a), Some(b), m.table_id].into_iter().flatten() {
            anyhow::ensure!(
                seats.insert((m.slot_id, who)),
                "double-booked in slot {}",
                m.slot_id
            );
        }
    }
    let holds = meeting_hold::Entity::find()
        .filter(meeting_hold::Column::MeetingId.is_in(scheduled.iter().map(|m| m.id)))
        .count(&state.db)
        .await?;
    let mails = mail_outbox::Entity::find().count(&state.db).await? - mails_before;
    let live = matchfloor::entities::live_message::Entity::find()
        .filter(matchfloor::entities::live_message::Column::EventId.eq(event.id))
        .filter(
            matchfloor::entities::live_message::Column::Kind
                .eq(matchfloor::domain::LiveKind::MeetingsChanged),
        )
        .count(&state.db)
        .await?;
    println!(
        "publish: {} meetings to {} people, {mails} emails and {live} live messages queued, in {publish_seconds:.2} s",
        scheduled.len(),
        people.len(),
    );
    anyhow::ensure!(
        mails as usize == people.len() && live as usize == people.len(),
        "expected one email and one live message per person with a meeting ({}), got {mails} and {live}",
        people.len()
    );
    anyhow::ensure!(
        holds as usize == seats.len(),
        "{holds} holds for {} places taken",
        seats.len()
    );
    println!(
        "check: {} meetings, nobody and no table twice in a slot, {holds} holds; one email and one live message for each of the {} people",
        scheduled.len(),
        people.len()
    );
    drop(server);
    Ok(())
}
