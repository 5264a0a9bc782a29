//! Delivery that survives an SMTP outage, a killed process and several instances, counted
//! at a real SMTP server by Message-ID; and DKIM signatures checked as a receiving server
//! checks them.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
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

    /// Sends a signal (`-STOP`, `-CONT`) with kill(1).
    fn signal(&self, signal: &str) {
        let status = Command::new("kill")
            .arg(signal)
            .arg(self.0.id().to_string())
            .status()
            .unwrap();
        assert!(status.success(), "kill {signal}");
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
    // Killed once some messages arrived, while a batch is in hand: the process is frozen
    // (SIGSTOP) to look, and killed if messages are in delivery, else let go on.
    let mut killed = false;
    for _ in 0..12_000 {
        if received_count(&maildir) >= 60 {
            first.signal("-STOP");
            let in_delivery = mail_outbox::Entity::find()
                .filter(mail_outbox::Column::Status.eq(MailStatus::Sending))
                .one(&db)
                .await
                .unwrap()
                .is_some();
            if in_delivery {
                first.kill();
                killed = true;
                break;
            }
            first.signal("-CONT");
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

/// Runs openssl, returning what it wrote to standard output.
fn openssl(args: &[&str]) -> Vec<u8> {
    let out = Command::new("openssl")
        .args(args)
        .output()
        .expect("openssl must be installed for the DKIM test");
    assert!(
        out.status.success(),
        "openssl {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    out.stdout
}

/// Verifies the message file's DKIM signature with dkimpy, the public key given as the
/// DNS TXT record of `name`; says whether it verified, and what dkimpy said.
fn dkim_verifies(message: &Path, name: &str, record: &str) -> (bool, String) {
    let out = Command::new("python3")
        .arg(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/support/dkim_verify.py"))
        .arg(message)
        .arg(name)
        .arg(record)
        .output()
        .expect("python3 runs");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        !stderr.contains("ModuleNotFoundError"),
        "install dkimpy and PyNaCl (scripts/test does this): {stderr}"
    );
    (
        out.status.success(),
        format!("{}{stderr}", String::from_utf8_lossy(&out.stdout)),
    )
}

#[tokio::test]
async fn signed_mail_verifies_at_the_receiving_end_and_a_changed_one_does_not() {
    let dir = tempfile::tempdir().unwrap();
    let keys = dir.path();
    let rsa = keys.join("rsa.pem");
    let ed = keys.join("ed25519.pem");
    openssl(&[
        "genpkey",
        "-algorithm",
        "RSA",
        "-pkeyopt",
        "rsa_keygen_bits:2048",
        "-out",
        rsa.to_str().unwrap(),
    ]);
    openssl(&[
        "genpkey",
        "-algorithm",
        "ed25519",
        "-out",
        ed.to_str().unwrap(),
    ]);
    let public = |key: &Path| {
        openssl(&[
            "pkey",
            "-in",
            key.to_str().unwrap(),
            "-pubout",
            "-outform",
            "DER",
        ])
    };
    let rsa_record = format!("v=DKIM1; k=rsa; p={}", STANDARD.encode(public(&rsa)));
    // An Ed25519 key in DNS is the bare 32-byte key (RFC 8463), the end of its DER form.
    let ed_der = public(&ed);
    let ed_record = format!(
        "v=DKIM1; k=ed25519; p={}",
        STANDARD.encode(&ed_der[ed_der.len() - 32..])
    );
    // The RSA key also in the older PKCS#1 form, given in the environment.
    let pkcs1 = String::from_utf8(openssl(&[
        "pkey",
        "-in",
        rsa.to_str().unwrap(),
        "-traditional",
    ]))
    .unwrap();
    assert!(pkcs1.contains("BEGIN RSA PRIVATE KEY"));

    let cases = [
        (
            "RSA, PKCS#8 file",
            "MATCHFLOOR__MAIL__DKIM_PRIVATE_KEY_FILE",
            rsa.to_str().unwrap().to_string(),
            &rsa_record,
        ),
        (
            "RSA, PKCS#1 in the environment",
            "MATCHFLOOR__MAIL__DKIM_PRIVATE_KEY",
            pkcs1,
            &rsa_record,
        ),
        (
            "Ed25519, PKCS#8 file",
            "MATCHFLOOR__MAIL__DKIM_PRIVATE_KEY_FILE",
            ed.to_str().unwrap().to_string(),
            &ed_record,
        ),
    ];
    for (case, key_setting, key, record) in cases {
        let maildir = dir
            .path()
            .join(format!("box-{}", key_setting.len() + record.len()));
        // Stores the bytes as received.
        let smtp = SmtpServer::start_on(free_port(), &maildir, "smtp_slow.Slow", &["0"]).await;
        let port = smtp.port.to_string();
        let app = on_smtp(
            &port,
            &[
                ("MATCHFLOOR__MAIL__FROM_ADDRESS", "events@example.org"),
                ("MATCHFLOOR__MAIL__REPLY_TO", "team@example.org"),
                ("MATCHFLOOR__MAIL__DKIM_DOMAIN", "example.org"),
                ("MATCHFLOOR__MAIL__DKIM_SELECTOR", "mf2026"),
                (key_setting, key.as_str()),
            ],
        )
        .await;
        queue_raw(&app, "reader@example.net", "Reader").await;
        let mut files = Vec::new();
        for _ in 0..200 {
            files = std::fs::read_dir(maildir.join("new"))
                .map(|d| d.flatten().map(|e| e.path()).collect())
                .unwrap_or_default();
            if !files.is_empty() {
                break;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        assert_eq!(files.len(), 1, "{case}: one message arrived");
        let raw = std::fs::read(&files[0]).unwrap();
        let text = String::from_utf8_lossy(&raw);
        assert!(text.contains("DKIM-Signature:"), "{case}: {text}");
        assert!(
            text.contains("d=example.org") && text.contains("s=mf2026"),
            "{case}"
        );
        let name = "mf2026._domainkey.example.org";
        let (verified, said) = dkim_verifies(&files[0], name, record);
        assert!(verified, "{case}: the signature verifies: {said}\n{text}");
        // Under another selector's key, or changed on the way, it does not.
        let (verified, said) = dkim_verifies(&files[0], "other._domainkey.example.org", record);
        assert!(
            !verified,
            "{case}: not with the key of another name: {said}"
        );
        let changed = dir.path().join("changed.eml");
        std::fs::write(&changed, text.replacen("Hello", "Hullo", 1)).unwrap();
        let (verified, said) = dkim_verifies(&changed, name, record);
        assert!(
            !verified,
            "{case}: a changed message does not verify: {said}"
        );
        drop(smtp);
    }
}

#[test]
fn a_dkim_key_that_cannot_be_used_stops_start_up_naming_the_setting() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("missing.pem");
    let not_a_key = dir.path().join("not-a-key.pem");
    std::fs::write(
        &not_a_key,
        "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n",
    )
    .unwrap();
    let cases = [
        (
            "MATCHFLOOR__MAIL__DKIM_PRIVATE_KEY_FILE",
            missing.to_str().unwrap(),
            "mail.dkim_private_key_file: cannot read",
        ),
        (
            "MATCHFLOOR__MAIL__DKIM_PRIVATE_KEY_FILE",
            not_a_key.to_str().unwrap(),
            "mail.dkim_private_key_file: unusable DKIM key",
        ),
        (
            "MATCHFLOOR__MAIL__DKIM_PRIVATE_KEY",
            "secret",
            "mail.dkim_private_key: unusable DKIM key",
        ),
    ];
    for (setting, value, expected) in cases {
        let data = tempfile::tempdir().unwrap();
        let output = Command::new(env!("CARGO_BIN_EXE_matchfloor"))
            .arg("serve")
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .env("MATCHFLOOR_PROFILE", "test")
            .env("MATCHFLOOR__DATA_DIR", data.path())
            .env("MATCHFLOOR__DATABASE__URL", "")
            .env("MATCHFLOOR__MAIL__DKIM_DOMAIN", "example.org")
            .env("MATCHFLOOR__MAIL__DKIM_SELECTOR", "mf")
            .env(setting, value)
            .output()
            .unwrap();
        assert!(!output.status.success(), "{setting}={value} refused");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(stderr.contains(expected), "{expected} in {stderr}");
    }

    // Half a DKIM setting is refused when the settings are read.
    let config = Path::new(env!("CARGO_MANIFEST_DIR")).join("config");
    let env = |pairs: &[(&str, &str)]| -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    };
    let err = matchfloor::config::Settings::load_from(
        &config,
        Some("test"),
        &env(&[("MATCHFLOOR__MAIL__DKIM_DOMAIN", "example.org")]),
    )
    .unwrap_err()
    .to_string();
    assert!(err.contains("mail.dkim_selector"), "{err}");
    let err = matchfloor::config::Settings::load_from(
        &config,
        Some("test"),
        &env(&[("MATCHFLOOR__MAIL__DKIM_SELECTOR", "mf")]),
    )
    .unwrap_err()
    .to_string();
    assert!(err.contains("mail.dkim_domain"), "{err}");
}
