//! Catalogue search under load: fills the demo event with thousands of published
//! factsheets (through the same services the API uses), then times searches with facets
//! over real HTTP and reports latency percentiles.
//!
//!   cargo bench --bench catalogue_search -- --factsheets 5000 --queries 1000
//!   cargo bench --bench catalogue_search -- --database-url postgres://postgres@127.0.0.1/mf_bench
//!
//! The server runs in this process on a loopback port with a fresh data directory (and the
//! given PostgreSQL database, which must be empty, or SQLite by default).

mod support;

use std::path::Path;
use std::time::Instant;

use clap::Parser;
use matchfloor::app::Application;
use matchfloor::catalogue::content::{Claim, Evidence, FactsheetContent};
use matchfloor::catalogue::service::{self, Decision, ReviewInput};
use matchfloor::config::Settings;
use matchfloor::domain::{MailStatus, Role, Status};
use matchfloor::entities::{event, mail_outbox, participation, person};
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
use support::{Rng, percentile};

#[derive(Parser)]
struct Args {
    /// Published factsheets to search.
    #[arg(long, default_value_t = 5000)]
    factsheets: usize,
    /// Timed searches (after a warm-up of 100).
    #[arg(long, default_value_t = 1000)]
    queries: usize,
    /// An empty PostgreSQL database; SQLite in a temporary directory when left out.
    #[arg(long)]
    database_url: Option<String>,
    #[arg(long)]
    bench: bool,
}

const NL_NOUNS: &[&str] = &[
    "stoelen",
    "bureaus",
    "kasten",
    "lampen",
    "armaturen",
    "laptops",
    "schermen",
    "tapijttegels",
    "werkkledij",
    "uniformen",
    "bekers",
    "borden",
    "papier",
    "enveloppen",
    "bedden",
    "rolstoelen",
    "bakstenen",
    "balken",
    "deuren",
    "gevelpanelen",
    "printers",
    "servers",
    "matrassen",
    "handdoeken",
];
const EN_NOUNS: &[&str] = &[
    "chairs",
    "desks",
    "cabinets",
    "lamps",
    "luminaires",
    "laptops",
    "screens",
    "carpet tiles",
    "workwear",
    "uniforms",
    "cups",
    "plates",
    "paper",
    "envelopes",
    "beds",
    "wheelchairs",
    "bricks",
    "beams",
    "doors",
    "facade panels",
    "printers",
    "servers",
    "mattresses",
    "towels",
];
const NL_WORDS: &[&str] = &[
    "hergebruikt",
    "gerecycleerd",
    "modulair",
    "herstelbaar",
    "duurzaam",
    "tweedehands",
    "als dienst",
    "met terugname",
    "biobased",
    "gereviseerd",
    "deelbaar",
    "lokaal",
];
const EN_WORDS: &[&str] = &[
    "reused",
    "recycled",
    "modular",
    "repairable",
    "durable",
    "second-hand",
    "as a service",
    "with take-back",
    "bio-based",
    "refurbished",
    "shareable",
    "local",
];
const COUNTRIES: &[&str] = &["BE", "BE", "BE", "NL", "NL", "DE", "FR", "SE", "DK", "LU"];

fn content(
    rng: &mut Rng,
    groups: &[String],
    models: &[String],
    strategies: &[String],
    kinds: &[String],
) -> FactsheetContent {
    let noun = rng.below(NL_NOUNS.len());
    let (nl, en) = match rng.below(4) {
        0 => (false, true),
        1 => (true, true),
        _ => (true, false),
    };
    let mut c = FactsheetContent::default();
    if nl {
        c.title_nl = format!("{} {}", rng.pick(NL_WORDS), NL_NOUNS[noun]);
        c.pitch_nl = format!(
            "Wij leveren {} {} voor organisaties die circulair aankopen.",
            rng.pick(NL_WORDS),
            NL_NOUNS[noun]
        );
        c.description_nl = (0..4)
            .map(|_| {
                format!(
                    "Onze {} zijn {} en {}.",
                    rng.pick(NL_NOUNS),
                    rng.pick(NL_WORDS),
                    rng.pick(NL_WORDS)
                )
            })
            .collect::<Vec<_>>()
            .join(" ");
    }
    if en {
        c.title_en = format!("{} {}", rng.pick(EN_WORDS), EN_NOUNS[noun]);
        c.pitch_en = format!(
            "We supply {} {} for organisations buying circular.",
            rng.pick(EN_WORDS),
            EN_NOUNS[noun]
        );
        c.description_en = (0..4)
            .map(|_| {
                format!(
                    "Our {} are {} and {}.",
                    rng.pick(EN_NOUNS),
                    rng.pick(EN_WORDS),
                    rng.pick(EN_WORDS)
                )
            })
            .collect::<Vec<_>>()
            .join(" ");
    }
    c.product_groups = vec![rng.pick(groups).clone()];
    if rng.below(3) == 0 {
        c.product_groups.push(rng.pick(groups).clone());
    }
    c.business_models = vec![rng.pick(models).clone()];
    let mut claimed: Vec<String> = Vec::new();
    for _ in 0..1 + rng.below(3) {
        let strategy = rng.pick(strategies).clone();
        if claimed.contains(&strategy) {
            continue;
        }
        claimed.push(strategy.clone());
        let evidence = (0..rng.below(3))
            .map(|i| Evidence {
                kind: rng.pick(kinds).clone(),
                title: format!("Evidence {i}"),
                url: "https://example.org/evidence".into(),
                upload_id: None,
            })
            .collect();
        c.claims.push(Claim {
            strategy,
            evidence,
            ..Claim::default()
        });
    }
    c.contact_name = "Bench".into();
    c.contact_email = "bench@example.org".into();
    c.country = rng.pick(COUNTRIES).to_string();
    c
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let args = Args::parse();
    let dir = tempfile::tempdir()?;
    let mut env = vec![
        (
            "MATCHFLOOR__DATA_DIR".to_string(),
            dir.path().display().to_string(),
        ),
        (
            "MATCHFLOOR__SERVER__BIND".to_string(),
            "127.0.0.1:0".to_string(),
        ),
        ("MATCHFLOOR__LOG__FILTER".to_string(), "warn".to_string()),
    ];
    if let Some(url) = &args.database_url {
        env.push(("MATCHFLOOR__DATABASE__URL".to_string(), url.clone()));
    }
    let settings = Settings::load_from(Path::new("config"), None, &env)?;
    let app = Application::build(settings).await?;
    let state = app.state().clone();
    let port = app.port();
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let server = tokio::spawn(app.run_until_stopped(async move {
        let _ = stopped.await;
    }));

    matchfloor::demo::fill(&state).await?;
    let event = event::Entity::find()
        .filter(event::Column::Slug.eq(matchfloor::demo::DEMO_SLUG))
        .one(&state.db)
        .await?
        .ok_or_else(|| anyhow::anyhow!("the demo event is missing"))?;
    let members = participation::Entity::find()
        .filter(participation::Column::EventId.eq(event.id))
        .all(&state.db)
        .await?;
    let people_with = |role: Role| {
        members
            .iter()
            .filter(|m| m.role == role && m.status != Status::Registered)
            .map(|m| m.person_id)
            .collect::<Vec<_>>()
    };
    let suppliers = person::Entity::find()
        .filter(person::Column::Id.is_in(people_with(Role::Supplier)))
        .all(&state.db)
        .await?;
    let organiser = person::Entity::find()
        .filter(person::Column::Id.is_in(people_with(Role::Organiser)))
        .one(&state.db)
        .await?
        .ok_or_else(|| anyhow::anyhow!("the demo event has no organiser"))?;
    let vocabulary = service::vocabulary(&state.db, event.id).await?;
    let sorted = |keys: Vec<&String>| {
        let mut keys: Vec<String> = keys.into_iter().cloned().collect();
        keys.sort();
        keys
    };
    let groups = sorted(vocabulary.product_groups.keys().collect());
    let models = sorted(vocabulary.business_models.keys().collect());
    let strategies = sorted(vocabulary.strategies.keys().collect());
    let kinds = sorted(vocabulary.evidence_kinds.keys().collect());

    let mut rng = Rng(0x5EED_CA7A_1065_0001);
    let seeding = Instant::now();
    for i in 0..args.factsheets {
        let supplier = &suppliers[i % suppliers.len()];
        let body = content(&mut rng, &groups, &models, &strategies, &kinds);
        let sheet = service::create(&state, supplier, event.id, body).await?;
        service::submit(&state, supplier, event.id, sheet.id).await?;
        service::review(
            &state,
            &organiser,
            event.id,
            sheet.id,
            ReviewInput {
                decision: Decision::Approve,
                comment: None,
                version: None,
            },
        )
        .await?;
    }
    println!(
        "published {} factsheets in {:.1} s",
        args.factsheets,
        seeding.elapsed().as_secs_f64()
    );

    // The review emails go out in the background; let them, so they do not share the
    // machine with the measurement.
    let draining = Instant::now();
    loop {
        let pending = mail_outbox::Entity::find()
            .filter(mail_outbox::Column::Status.eq(MailStatus::Pending))
            .count(&state.db)
            .await?;
        if pending == 0 {
            break;
        }
        anyhow::ensure!(
            draining.elapsed().as_secs() < 600,
            "{pending} emails still pending after ten minutes"
        );
        tokio::time::sleep(std::time::Duration::from_millis(500)).await;
    }
    println!(
        "mail outbox drained in {:.1} s",
        draining.elapsed().as_secs_f64()
    );

    // A mix like a buyer's session: browsing facets, one or two words, sorting, paging.
    let client = reqwest::Client::new();
    let base = format!("http://127.0.0.1:{port}/api/events/{}/catalogue", event.id);
    let mut queries = Vec::new();
    for _ in 0..args.queries + 100 {
        let mut params: Vec<(String, String)> = Vec::new();
        match rng.below(4) {
            0 => {}
            1 => params.push(("q".into(), rng.pick(NL_NOUNS).to_string())),
            2 => params.push(("q".into(), rng.pick(EN_NOUNS).to_string())),
            _ => params.push((
                "q".into(),
                format!("{} {}", rng.pick(NL_WORDS), rng.pick(NL_NOUNS)),
            )),
        }
        for _ in 0..rng.below(3) {
            match rng.below(4) {
                0 => params.push(("product_group".into(), rng.pick(&groups).clone())),
                1 => params.push(("strategy".into(), rng.pick(&strategies).clone())),
                2 => params.push(("evidence".into(), "self-declared".into())),
                _ => params.push(("country".into(), rng.pick(COUNTRIES).to_string())),
            }
        }
        if rng.below(4) == 0 {
            params.push(("sort".into(), "newest".into()));
        }
        if rng.below(5) == 0 {
            params.push(("page".into(), "2".into()));
        }
        queries.push(params);
    }
    let mut latencies = Vec::with_capacity(args.queries);
    let mut found = 0u64;
    for (i, params) in queries.iter().enumerate() {
        let started = Instant::now();
        let response = client.get(&base).query(params).send().await?;
        anyhow::ensure!(
            response.status().is_success(),
            "search failed: {}",
            response.status()
        );
        let body: serde_json::Value = response.json().await?;
        let elapsed = started.elapsed().as_secs_f64() * 1000.0;
        if i >= 100 {
            latencies.push(elapsed);
            found += body["total"].as_u64().unwrap_or(0);
        }
    }
    latencies.sort_by(|a, b| a.total_cmp(b));
    println!(
        "{} searches with facets over {} published factsheets ({}): p50 {:.2} ms, p95 {:.2} ms, p99 {:.2} ms, max {:.2} ms; {:.0} results per search on average",
        latencies.len(),
        args.factsheets,
        if args.database_url.is_some() {
            "PostgreSQL"
        } else {
            "SQLite"
        },
        percentile(&latencies, 0.50),
        percentile(&latencies, 0.95),
        percentile(&latencies, 0.99),
        latencies[latencies.len() - 1],
        found as f64 / latencies.len() as f64,
    );
    let _ = stop.send(());
    let _ = server.await;
    Ok(())
}
