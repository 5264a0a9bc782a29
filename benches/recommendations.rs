//! Recommendation quality on the demo's planted matches: seeds the demo event (needs
//! profiles, catalogue, programme, meeting requests) into a fresh database, asks each demo
//! buyer with a needs profile for their recommendations through the service, and prints
//! the share of their planted matches (`demo::PLANTED_MATCHES`, which the recommender never
//! reads) that are in their top ten, per buyer and overall, and how long each list took.
//! Exits with 1 below the goal.
//!
//!   cargo bench --bench recommendations
//!   cargo bench --bench recommendations -- --reasons
//!   cargo bench --bench recommendations -- --postgres postgres://postgres@127.0.0.1:5432/postgres
//!
//! SQLite lives in a temporary directory; with `--postgres` a new database is created on
//! that server for the run and dropped afterwards.

mod support;

use std::collections::BTreeSet;
use std::time::Instant;

use clap::Parser;
use matchfloor::entities::{event, meeting_request, person};
use matchfloor::meetings::recommend::{self, RecommendationsQuery};
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
use support::{database, drop_database, library};

#[derive(Parser)]
struct Args {
    /// How far down each buyer's list a planted match counts.
    #[arg(long, default_value_t = 10)]
    top: usize,
    /// The share of planted matches in the top that passes, in percent.
    #[arg(long, default_value_t = 90.0)]
    goal: f64,
    /// Print each recommendation's reasons too (in the buyer's language).
    #[arg(long)]
    reasons: bool,
    /// A PostgreSQL server to create the run's database on; SQLite when left out.
    #[arg(long)]
    postgres: Option<String>,
    #[arg(long)]
    bench: bool,
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let args = Args::parse();
    let dir = tempfile::tempdir()?;
    let (url, created) =
        database(args.postgres.as_deref(), dir.path(), "mf_recommendations").await?;
    let result = measure(&args, dir.path(), &url).await;
    if let (Some(postgres), Some(name)) = (&args.postgres, &created) {
        drop_database(postgres, name).await?;
    }
    if !result? {
        std::process::exit(1);
    }
    Ok(())
}

/// Seeds the demo and measures; whether the goal was met.
async fn measure(args: &Args, dir: &std::path::Path, url: &str) -> anyhow::Result<bool> {
    let state = library(&[
        ("MATCHFLOOR__DATA_DIR", dir.display().to_string()),
        ("MATCHFLOOR__DATABASE__URL", url.to_string()),
        ("MATCHFLOOR__LOG__FILTER", "warn".to_string()),
    ])
    .await?;
    matchfloor::demo::fill(&state).await?;
    let event = event::Entity::find()
        .filter(event::Column::Slug.eq(matchfloor::demo::DEMO_SLUG))
        .one(&state.db)
        .await?
        .ok_or_else(|| anyhow::anyhow!("the demo event is missing"))?;
    let requests = meeting_request::Entity::find()
        .filter(meeting_request::Column::EventId.eq(event.id))
        .count(&state.db)
        .await?;
    println!(
        "Demo event seeded with {requests} meeting requests; planted matches in each buyer's top {}:",
        args.top
    );

    let (mut found, mut planted) = (0, 0);
    let mut took = Vec::new();
    // Where each planted match ranks, for the stricter figures below.
    let mut ranks = Vec::new();
    for planted_match in matchfloor::demo::PLANTED_MATCHES {
        let email = matchfloor::demo::buyer_email(planted_match.buyer)
            .ok_or_else(|| anyhow::anyhow!("no demo buyer {}", planted_match.buyer))?;
        let buyer = person::Entity::find()
            .filter(person::Column::Email.eq(email.as_str()))
            .one(&state.db)
            .await?
            .ok_or_else(|| anyhow::anyhow!("no demo buyer {email}"))?;
        let started = Instant::now();
        let list = recommend::for_me(
            &state,
            &buyer,
            event.id,
            RecommendationsQuery {
                limit: Some(args.top),
                lang: None,
            },
        )
        .await?;
        took.push(started.elapsed().as_secs_f64() * 1000.0);
        let top: Vec<String> = list
            .recommendations
            .iter()
            .map(|r| r.organisation_name.clone().unwrap_or_default())
            .collect();
        let wanted: BTreeSet<&str> = planted_match.suppliers.iter().copied().collect();
        ranks.extend(
            top.iter()
                .enumerate()
                .filter(|(_, t)| wanted.contains(t.as_str()))
                .map(|(rank, _)| rank + 1),
        );
        let hits = wanted
            .iter()
            .filter(|s| top.iter().any(|t| t == *s))
            .count();
        found += hits;
        planted += wanted.len();
        println!(
            "  buyer {:>2} {:<28} {hits}/{} ({:>3.0} %)",
            planted_match.buyer,
            buyer.name,
            wanted.len(),
            100.0 * hits as f64 / wanted.len() as f64
        );
        for (rank, r) in list.recommendations.iter().enumerate() {
            let mark = if wanted.contains(r.organisation_name.as_deref().unwrap_or_default()) {
                "*"
            } else {
                " "
            };
            println!(
                "      {mark}{:>2}. {:>3}  {}",
                rank + 1,
                r.score,
                r.organisation_name.as_deref().unwrap_or("-")
            );
            if args.reasons {
                println!("                {}", r.reasons.join("; "));
            }
        }
        for missing in wanted.iter().filter(|s| !top.iter().any(|t| t == *s)) {
            println!("      missing: {missing}");
        }
    }
    let share = 100.0 * found as f64 / planted.max(1) as f64;
    println!(
        "Overall: {found} of {planted} planted matches in the top {} ({share:.1} %; goal {:.0} %)",
        args.top, args.goal
    );
    let top_five = ranks.iter().filter(|r| **r <= 5).count();
    println!(
        "In the top 5: {top_five} of {planted}; the lowest rank of a planted match found: {}",
        ranks.iter().max().copied().unwrap_or(0)
    );
    let mean = took.iter().sum::<f64>() / took.len().max(1) as f64;
    let max = took.iter().copied().fold(0.0, f64::max);
    println!(
        "Each list through the service: {mean:.1} ms on average, {max:.1} ms at most ({} lists)",
        took.len()
    );
    state.db.clone().close().await.ok();
    Ok(share >= args.goal)
}
