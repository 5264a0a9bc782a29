//! Load tool for the mail outbox (issue 15): this many messages queued at once (as a mass
//! send leaves them), delivered by a release server to a real SMTP server process on the
//! same machine (Python's aiosmtpd, storing each message in a Maildir). Reports the time
//! from the server's start until every message is recorded as sent, the rate, and checks
//! that the SMTP server received each message exactly once (by Message-ID).
//!
//!   cargo bench --bench mail_throughput
//!   cargo bench --bench mail_throughput -- --postgres postgres://postgres@127.0.0.1:5432/postgres
//!   cargo bench --bench mail_throughput -- --count 10000
//!
//! The messages are login-link emails rendered as the app renders them (HTML and text),
//! queued through the library into the outbox before the server starts.

mod support;

use std::collections::HashSet;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Duration;

use clap::Parser;
use matchfloor::domain::{Lang, MailStatus};
use matchfloor::entities::mail_outbox;
use matchfloor::mail::templates::{Mail, To, render};
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
use support::{Server, database, drop_database, library, machine};
use tokio::time::Instant;

#[derive(Parser)]
struct Args {
    /// Messages queued.
    #[arg(long, default_value_t = 10_000)]
    count: usize,
    /// A PostgreSQL server to create the run's database on; SQLite when left out.
    #[arg(long)]
    postgres: Option<String>,
    /// The server binary (by default the one `cargo bench` built with this tool).
    #[arg(long, default_value = env!("CARGO_BIN_EXE_matchfloor"))]
    binary: String,
    /// Set by `cargo bench`; ignored.
    #[arg(long)]
    bench: bool,
}

/// The SMTP server, stopped when dropped.
struct Smtp(std::process::Child);

impl Drop for Smtp {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

async fn smtp(maildir: &Path) -> anyhow::Result<(Smtp, u16)> {
    let port = std::net::TcpListener::bind("127.0.0.1:0")?
        .local_addr()?
        .port();
    let child = Command::new("python3")
        .args(["-m", "aiosmtpd", "-n", "-l"])
        .arg(format!("127.0.0.1:{port}"))
        .args(["-c", "aiosmtpd.handlers.Mailbox"])
        .arg(maildir)
        .stdout(Stdio::null())
        .spawn()
        .map_err(|e| anyhow::anyhow!("cannot start python3 -m aiosmtpd: {e}"))?;
    let server = Smtp(child);
    for _ in 0..100 {
        if std::net::TcpStream::connect(("127.0.0.1", port)).is_ok() {
            return Ok((server, port));
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    anyhow::bail!("the SMTP server (pip install aiosmtpd) did not start")
}

/// The Message-IDs of the messages in the Maildir.
fn received(maildir: &Path) -> anyhow::Result<Vec<String>> {
    let mut ids = Vec::new();
    let Ok(entries) = std::fs::read_dir(maildir.join("new")) else {
        return Ok(ids);
    };
    for entry in entries.flatten() {
        let raw = std::fs::read_to_string(entry.path())?;
        let id = raw
            .lines()
            .find_map(|l| {
                l.strip_prefix("Message-ID: ")
                    .or_else(|| l.strip_prefix("Message-Id: "))
            })
            .unwrap_or_default()
            .trim()
            .to_string();
        ids.push(id);
    }
    Ok(ids)
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let args = Args::parse();
    println!("machine: {}", machine());
    let dir = tempfile::tempdir()?;
    let (url, created) = database(args.postgres.as_deref(), dir.path(), "mf_mail").await?;
    let outcome = run(&args, dir.path(), &url).await;
    if let (Some(base), Some(name)) = (&args.postgres, created) {
        drop_database(base, &name).await?;
    }
    outcome
}

async fn run(args: &Args, dir: &Path, url: &str) -> anyhow::Result<()> {
    let maildir = dir.join("maildir");
    let (_smtp, port) = smtp(&maildir).await?;
    let settings = vec![
        ("MATCHFLOOR__DATABASE__URL", url.to_string()),
        (
            "MATCHFLOOR__DATA_DIR",
            dir.join("data").display().to_string(),
        ),
        ("MATCHFLOOR__MAIL__TRANSPORT", "smtp".to_string()),
        ("MATCHFLOOR__MAIL__SMTP_HOST", "127.0.0.1".to_string()),
        ("MATCHFLOOR__MAIL__SMTP_PORT", port.to_string()),
        ("MATCHFLOOR__MAIL__SMTP_SECURITY", "none".to_string()),
    ];
    let state = library(&settings).await?;
    let queued = Instant::now();
    let messages = (0..args.count)
        .map(|i| {
            let lang = if i % 2 == 0 { Lang::Nl } else { Lang::En };
            let link = format!("http://127.0.0.1/login#token-{i:06}");
            render(
                Mail::LoginLink {
                    link: &link,
                    minutes: 15,
                },
                To {
                    person: None,
                    email: &format!("person{i}@example.org"),
                    name: &format!("Person {i}"),
                    lang,
                },
                None,
            )
        })
        .collect();
    state.mail.enqueue_many(&state.db, messages).await?;
    println!(
        "{}: {} messages queued in {:.2} s",
        if args.postgres.is_some() {
            "PostgreSQL"
        } else {
            "SQLite"
        },
        args.count,
        queued.elapsed().as_secs_f64()
    );

    let started = Instant::now();
    let _server = Server::start(&args.binary, &settings).await?;
    let count = args.count as u64;
    let mut sent = 0;
    let mut report = Instant::now();
    while sent < count {
        tokio::time::sleep(Duration::from_millis(200)).await;
        sent = mail_outbox::Entity::find()
            .filter(mail_outbox::Column::Status.eq(MailStatus::Sent))
            .count(&state.db)
            .await?;
        let failed = mail_outbox::Entity::find()
            .filter(mail_outbox::Column::Status.eq(MailStatus::Failed))
            .count(&state.db)
            .await?;
        anyhow::ensure!(failed == 0, "{failed} messages failed");
        if report.elapsed() > Duration::from_secs(10) {
            println!(
                "  {sent} sent after {:.0} s",
                started.elapsed().as_secs_f64()
            );
            report = Instant::now();
        }
        anyhow::ensure!(
            started.elapsed() < Duration::from_secs(600),
            "not all sent after ten minutes ({sent} of {count})"
        );
    }
    let seconds = started.elapsed().as_secs_f64();
    println!(
        "delivered: {count} messages in {seconds:.1} s from the server's start ({:.0} a second)",
        count as f64 / seconds
    );
    let ids = received(&maildir)?;
    let unique: HashSet<&String> = ids.iter().collect();
    anyhow::ensure!(
        ids.len() == args.count && unique.len() == args.count,
        "the SMTP server received {} messages, {} distinct, of {}",
        ids.len(),
        unique.len(),
        args.count
    );
    println!(
        "check: the SMTP server received each of the {} messages once",
        args.count
    );
    Ok(())
}
