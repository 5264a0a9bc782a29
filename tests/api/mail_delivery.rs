//! Delivery that survives an SMTP outage, a killed process and several instances, counted
//! at a real SMTP server by Message-ID.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter};
use uuid::Uuid;

use crate::helpers::{TestApp, database_url, settings_for};
use crate::mail::{SmtpServer, free_port, on_smtp, queue_raw};
use matchfloor::domain::MailStatus;
use matchfloor::entities::mail_outbox;
use matchfloor::mail::{MailQueue, Outgoing};

/// The outbox ids of the messages in the Maildir, from their `Message-ID: <id@domain>`,
/// one entry per message received (so a message received twice is there twice).
fn received_ids(maildir: &Path) -> Vec<Uuid> {
    let Ok(entries) = std::fs::read_dir(maildir.join("new")) else {
        return Vec::new();
    };
    entries
        .flatten()
        .filter_map(|e| {
            let raw = std::fs::read_to_string(e.path()).ok()?;
            let line = raw
                .lines()
                .take_while(|l| !l.is_empty())
                .find(|l| l.to_ascii_lowercase().starts_with("message-id:"))?;
            let id = line.split_once('<')?.1.split_once('@')?.0;
            Uuid::parse_str(id).ok()
        })
        .collect()
}

fn received_count(maildir: &Path) -> usize {
    std::fs::read_dir(maildir.join("new")).map_or(0, |d| d.count())
}

/// How often each message arrived.
fn tally(ids: &[Uuid]) -> HashMap<Uuid, usize> {
    let mut counts = HashMap::new();
    for id in ids {
        *counts.entry(*id).or_insert(0) += 1;
    }
    counts
}

/// `count` messages to distinct recipients, straight into the outbox.
async fn queue_many(db: &DatabaseConnection, queue: &MailQueue, count: usize) -> Vec<Uuid> {
    let messages = (0..count)
        .map(|i| Outgoing {
            to_email: format!("r{i}@example.org"),
            to_name: format!("Recipient {i}"),
            subject: format!("Message {i}"),
            text: format!("Message {i}"),
            html: format!("<p>Message {i}</p>"),
            ..Default::default()
        })
        .collect();
    queue.enqueue_many(db, messages).await.unwrap();
    queue.wake();
    let mut ids: Vec<Uuid> = mail_outbox::Entity::find()
        .all(db)
        .await
        .unwrap()
        .into_iter()
        .map(|r| r.id)
        .collect();
    ids.sort();
    ids
}

async fn rows(db: &DatabaseConnection) -> Vec<mail_outbox::Model> {
    mail_outbox::Entity::find().all(db).await.unwrap()
}

/// Waits (bounded) until every message is `sent`; returns the rows as they are then.
async fn all_sent(db: &DatabaseConnection, rounds: usize) -> Vec<mail_outbox::Model> {
    let mut all = Vec::new();
    for _ in 0..rounds {
        all = rows(db).await;
        if all.iter().all(|r| r.status == MailStatus::Sent) {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    all
}

#[tokio::test]
async fn after_an_smtp_outage_every_queued_message_arrives_once() {
    let dir = tempfile::tempdir().unwrap();
    let maildir = dir.path().join("box");
    // Nothing listens on the port yet: the mail server is down.
    let port = free_port();
    let app = on_smtp(
        &port.to_string(),
        &[
            ("MATCHFLOOR__MAIL__RETRY_BASE_SECONDS", "1"),
            ("MATCHFLOOR__MAIL__MAX_ATTEMPTS", "30"),
        ],
    )
    .await;
    let ids = queue_many(&app.state.db, &app.state.mail, 50).await;
    assert_eq!(ids.len(), 50);

    // Every message is tried, fails, and waits for its retry.
    let mut waiting = Vec::new();
    for _ in 0..400 {
        waiting = rows(&app.state.db).await;
        if waiting
            .iter()
            .all(|r| r.attempts >= 1 && r.status == MailStatus::Pending)
        {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    for row in &waiting {
        assert_eq!(row.status, MailStatus::Pending, "{row:?}");
        assert!(row.attempts >= 1, "{row:?}");
        let error = row.last_error.as_deref().unwrap_or_default();
        assert!(error.contains("SMTP"), "{error}");
    }
    assert_eq!(received_count(&maildir), 0);

    // The server comes back on that port.
    let smtp = SmtpServer::start_on(port, &maildir, "aiosmtpd.handlers.Mailbox", &[]).await;
    let done = all_sent(&app.state.db, 600).await;
    let unsent: Vec<_> = done
        .iter()
        .filter(|r| r.status != MailStatus::Sent)
        .collect();
    assert!(unsent.is_empty(), "not delivered: {unsent:?}");
    assert!(
        done.iter().all(|r| r.attempts >= 2),
        "retried after the outage"
    );

    let counts = tally(&received_ids(&maildir));
    let mut arrived: Vec<Uuid> = counts.keys().copied().collect();
    arrived.sort();
    assert_eq!(arrived, ids, "every message arrived");
    let twice: Vec<_> = counts.iter().filter(|(_, n)| **n > 1).collect();
    assert!(twice.is_empty(), "arrived more than once: {twice:?}");
    drop(smtp);
}

/// `matchfloor serve` as its own process, killed with SIGKILL when dropped.
struct Server(Child);

impl Server {
    fn start(data_dir: &Path, database_url: &str, settings: &[(&str, &str)]) -> Self {
        let child = Command::new(env!("CARGO_BIN_EXE_matchfloor"))
            .arg("serve")
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .env("MATCHFLOOR_PROFILE", "test")
            .env("MATCHFLOOR__DATA_DIR", data_dir)
            .env("MATCHFLOOR__DATABASE__URL", database_url)
            .envs(settings.iter().copied())
            .stdout(Stdio::null())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("the matchfloor binary starts");
        Server(child)
    }

    fn kill(mut self) {
        self.0.kill().expect("SIGKILL");
        self.0.wait().unwrap();
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// A migrated database for server processes, and a connection to it.
async fn database(dir: &Path) -> (String, DatabaseConnection) {
    let url = database_url(dir).await;
    let settings = settings_for(dir, &url, &[]);
    let db = matchfloor::db::connect(&settings).await.unwrap();
    matchfloor::db::migrate(&db).await.unwrap();
    (url, db)
}

#[tokio::test]
async fn a_server_killed_in_the_middle_of_a_batch_loses_nothing_and_repeats_only_what_was_in_flight()
 {
    const CONCURRENCY: usize = 8;
    let dir = tempfile::tempdir().unwrap();
    let data: PathBuf = dir.path().join("data");
    std::fs::create_dir_all(&data).unwrap();
    let maildir = dir.path().join("box");
    // A server that takes 50 ms for each message, eight connections at a time.
    let smtp = SmtpServer::start_on(free_port(), &maildir, "smtp_slow.Slow", &["0.05"]).await;
    let port = smtp.port.to_string();
    let concurrency = CONCURRENCY.to_string();
    let settings = [
        ("MATCHFLOOR__MAIL__TRANSPORT", "smtp"),
        ("MATCHFLOOR__MAIL__SMTP_HOST", "127.0.0.1"),
        ("MATCHFLOOR__MAIL__SMTP_PORT", port.as_str()),
        ("MATCHFLOOR__MAIL__SMTP_SECURITY", "none"),
        ("MATCHFLOOR__MAIL__CONCURRENCY", concurrency.as_str()),
        ("MATCHFLOOR__MAIL__LEASE_SECONDS", "3"),
    ];
    let (url, db) = database(&data).await;
    let ids = queue_many(&db, &MailQueue::default(), 300).await;

    let first = Server::start(&data, &url, &settings);
    // Killed once some messages arrived, while a batch is in hand.
    let mut killed = false;
    for _ in 0..12_000 {
        if received_count(&maildir) >= 60
            && mail_outbox::Entity::find()
                .filter(mail_outbox::Column::Status.eq(MailStatus::Sending))
                .one(&db)
                .await
                .unwrap()
                .is_some()
        {
            first.kill();
            killed = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    assert!(killed, "the server was killed while sending");
    let at_kill = rows(&db).await;
    let in_flight: HashSet<Uuid> = at_kill
        .iter()
        .filter(|r| r.status == MailStatus::Sending)
        .map(|r| r.id)
        .collect();
    assert!(!in_flight.is_empty(), "killed in the middle of a batch");
    assert!(in_flight.len() <= CONCURRENCY, "{in_flight:?}");
    assert!(
        at_kill.iter().any(|r| r.status == MailStatus::Pending),
        "killed before the end"
    );

    // Started again: it takes over what the killed process held once its lease ran out.
    let second = Server::start(&data, &url, &settings);
    let done = all_sent(&db, 1200).await;
    let unsent: Vec<_> = done
        .iter()
        .filter(|r| r.status != MailStatus::Sent)
        .collect();
    assert!(unsent.is_empty(), "not delivered: {unsent:?}");
    second.kill();

    let counts = tally(&received_ids(&maildir));
    let mut arrived: Vec<Uuid> = counts.keys().copied().collect();
    arrived.sort();
    assert_eq!(arrived, ids, "nothing lost");
    let twice: HashSet<Uuid> = counts
        .iter()
        .filter(|(_, n)| **n > 1)
        .map(|(id, _)| *id)
        .collect();
    assert!(
        counts.values().all(|n| *n <= 2),
        "none more than twice: {counts:?}"
    );
    assert!(
        twice.is_subset(&in_flight),
        "only messages in flight at the kill arrived twice: {twice:?}, in flight {in_flight:?}"
    );
    // Those in flight were claimed again after the kill.
    for row in done.iter().filter(|r| in_flight.contains(&r.id)) {
        let before = at_kill.iter().find(|r| r.id == row.id).unwrap();
        assert_eq!(row.attempts, before.attempts + 1, "{row:?}");
    }
    drop(smtp);
}

#[tokio::test]
async fn two_instances_deliver_each_message_once() {
    let dir = tempfile::tempdir().unwrap();
    let maildir = dir.path().join("box");
    // 20 ms a message; four connections an instance, so both instances get to work.
    let smtp = SmtpServer::start_on(free_port(), &maildir, "smtp_slow.Slow", &["0.02"]).await;
    let port = smtp.port.to_string();
    let settings = [
        ("MATCHFLOOR__MAIL__TRANSPORT", "smtp"),
        ("MATCHFLOOR__MAIL__SMTP_HOST", "127.0.0.1"),
        ("MATCHFLOOR__MAIL__SMTP_PORT", port.as_str()),
        ("MATCHFLOOR__MAIL__SMTP_SECURITY", "none"),
        ("MATCHFLOOR__MAIL__CONCURRENCY", "4"),
    ];
    let one = TestApp::spawn_with(&settings).await;
    let two = one.another_instance_with(&settings).await;
    let ids = queue_many(&one.state.db, &one.state.mail, 500).await;
    two.state.mail.wake();

    let done = all_sent(&one.state.db, 1200).await;
    let unsent: Vec<_> = done
        .iter()
        .filter(|r| r.status != MailStatus::Sent)
        .collect();
    assert!(unsent.is_empty(), "not delivered: {unsent:?}");
    assert!(done.iter().all(|r| r.attempts == 1), "each claimed once");

    let counts = tally(&received_ids(&maildir));
    let mut arrived: Vec<Uuid> = counts.keys().copied().collect();
    arrived.sort();
    assert_eq!(arrived, ids, "every message arrived");
    let twice: Vec<_> = counts.iter().filter(|(_, n)| **n > 1).collect();
    assert!(twice.is_empty(), "arrived more than once: {twice:?}");
    let sent = |app: &TestApp| {
        app.state
            .mail
            .stats
            .sent
            .load(std::sync::atomic::Ordering::Relaxed)
    };
    assert_eq!(sent(&one) + sent(&two), 500);
    assert!(
        sent(&one) > 0 && sent(&two) > 0,
        "both instances delivered: {} and {}",
        sent(&one),
        sent(&two)
    );
    drop(smtp);
}

#[tokio::test]
async fn a_slow_send_keeps_its_claim_and_no_other_instance_takes_it_over() {
    let dir = tempfile::tempdir().unwrap();
    let maildir = dir.path().join("box");
    // The server takes 5 s to accept, longer than the 3 s lease: only the renewals keep
    // the message with the instance sending it.
    let smtp = SmtpServer::start_on(free_port(), &maildir, "smtp_slow.Slow", &["5"]).await;
    let port = smtp.port.to_string();
    let settings = [
        ("MATCHFLOOR__MAIL__TRANSPORT", "smtp"),
        ("MATCHFLOOR__MAIL__SMTP_HOST", "127.0.0.1"),
        ("MATCHFLOOR__MAIL__SMTP_PORT", port.as_str()),
        ("MATCHFLOOR__MAIL__SMTP_SECURITY", "none"),
        ("MATCHFLOOR__MAIL__LEASE_SECONDS", "3"),
    ];
    let one = TestApp::spawn_with(&settings).await;
    let two = one.another_instance_with(&settings).await;
    let id = queue_raw(&one, "patient@example.org", "Patient").await;
    two.state.mail.wake();
    let done = all_sent(&one.state.db, 300).await;
    assert_eq!(done.len(), 1);
    assert_eq!(done[0].status, MailStatus::Sent, "{:?}", done[0]);
    assert_eq!(done[0].attempts, 1, "claimed once: {:?}", done[0]);
    assert_eq!(received_ids(&maildir), vec![id], "arrived once");
    drop(smtp);
}
