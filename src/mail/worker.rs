//! The delivery worker: claims due messages, sends them, and records the outcome.
//!
//! A message is claimed by moving it to `sending` with a conditional update (on PostgreSQL
//! with `FOR UPDATE SKIP LOCKED`, so several instances never claim the same row). After a
//! send it becomes `sent`; after a temporary error (an SMTP 4xx answer, no connection, a
//! timeout) it goes back to `pending` with exponential backoff, or to `failed` after
//! `mail.max_attempts`; a permanent refusal (an SMTP 5xx answer, such as an unknown
//! mailbox) makes it `failed` at once, with the server's answer.
//!
//! A claim is a lease of `mail.lease_seconds` that the instance renews every third of it
//! while the message is in hand, so a live instance never loses a message it is sending,
//! however slow the server. When an instance dies (a crash, SIGKILL), its leases run out
//! and any instance puts those messages back in the queue: nothing is lost, and only the
//! messages that were in flight at that moment may arrive twice. The attempt count is the
//! claim's token: an outcome is recorded only by the claim that is current.
//!
//! No single message can stop the worker: one that cannot even be built (an address or a
//! header lettre refuses, or a panic while building) is marked `failed` with the reason at
//! once, and the loop goes on. Should the task die all the same, [`supervise`] starts it
//! again (counted for `/metrics`); [`check_moving`] lets `/ready` say when mail is not moving.
//!
//! The worker knows nothing of the application: it is handed a [`Worker`] with the
//! database, its settings and the queue it drains.

use std::collections::HashMap;
use std::future::Future;
use std::panic::AssertUnwindSafe;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use anyhow::Context;
use chrono::Utc;
use lettre::message::header::{ContentType, HeaderName, HeaderValue};
use lettre::message::{Attachment, Mailbox, MultiPart, SinglePart};
use lettre::transport::smtp::PoolConfig;
use lettre::transport::smtp::authentication::Credentials;
use lettre::{AsyncFileTransport, AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, DatabaseConnection, EntityTrait, PaginatorTrait,
    QueryFilter, QueryOrder, Statement, Value,
};
use tokio::sync::watch;
use uuid::Uuid;

use super::MailQueue;
use super::dkim::Signer;
use super::ics::CalendarPart;
use crate::config::{MailSettings, MailTransport, Settings, SmtpSecurity};
use crate::db::is_postgres;
use crate::domain::MailStatus;
use crate::entities::mail_outbox;

/// Why a message went back to the queue without an outcome.
const INTERRUPTED: &str =
    "delivery was interrupted (the instance sending it stopped); sending it again";
/// Why such a message was given up instead, after `mail.max_attempts` attempts.
const INTERRUPTED_TOO_OFTEN: &str =
    "delivery was interrupted (the instance sending it stopped) on the last attempt";

/// What the worker works with: the database, the mail settings and the queue it drains
/// (whose [`super::WorkerStats`] it keeps).
#[derive(Clone)]
pub struct Worker {
    pub db: DatabaseConnection,
    pub settings: Arc<MailSettings>,
    pub queue: MailQueue,
}

/// How messages leave: the way out (files or SMTP) and, with `mail.dkim_*`, the signer.
#[derive(Clone)]
pub struct Transport {
    via: Via,
    dkim: Option<Signer>,
}

#[derive(Clone)]
enum Via {
    File(AsyncFileTransport<Tokio1Executor>),
    Smtp(AsyncSmtpTransport<Tokio1Executor>),
}

impl Transport {
    /// Sets up delivery from the settings; a DKIM key that cannot be read or used is an
    /// error here, at start-up.
    pub fn from_settings(settings: &Settings) -> anyhow::Result<Self> {
        let mail = &settings.mail;
        let via = match mail.transport {
            MailTransport::File => {
                let dir = settings.mail_dir();
                std::fs::create_dir_all(&dir).with_context(|| {
                    format!("cannot create the mail directory {}", dir.display())
                })?;
                Via::File(AsyncFileTransport::new(dir))
            }
            MailTransport::Smtp => Via::Smtp(smtp_transport(mail)?),
        };
        Ok(Transport {
            via,
            dkim: Signer::from_settings(mail)?,
        })
    }

    async fn send(&self, message: Message) -> Result<(), SendError> {
        match &self.via {
            Via::File(t) => t.send(message).await.map(|_| ()).map_err(|e| {
                SendError::Temporary(anyhow::Error::new(e).context("writing the mail file failed"))
            }),
            Via::Smtp(t) => t.send(message).await.map(|_| ()).map_err(|e| {
                if e.is_permanent() {
                    SendError::Permanent(
                        anyhow::Error::new(e)
                            .context("the mail server refused the message for good"),
                    )
                } else {
                    SendError::Temporary(anyhow::Error::new(e).context("SMTP delivery failed"))
                }
            }),
        }
    }
}

/// Why a send failed: the server refused the message for good (an SMTP 5xx answer, such as
/// an unknown mailbox: retrying cannot help), or it may work later (a 4xx answer, no
/// connection, a timeout, a mail file that could not be written).
enum SendError {
    Permanent(anyhow::Error),
    Temporary(anyhow::Error),
}

fn smtp_transport(mail: &MailSettings) -> anyhow::Result<AsyncSmtpTransport<Tokio1Executor>> {
    let host = mail.smtp_host.as_str();
    let mut builder = match mail.smtp_security {
        SmtpSecurity::Tls => AsyncSmtpTransport::<Tokio1Executor>::relay(host)
            .with_context(|| format!("mail.smtp_host {host}: cannot set up TLS"))?,
        SmtpSecurity::Starttls => AsyncSmtpTransport::<Tokio1Executor>::starttls_relay(host)
            .with_context(|| format!("mail.smtp_host {host}: cannot set up STARTTLS"))?,
        SmtpSecurity::None => AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(host),
    };
    builder = builder
        .port(mail.smtp_port)
        .timeout(Some(Duration::from_secs(30)))
        .pool_config(PoolConfig::new().max_size(mail.concurrency.max(1)));
    if !mail.smtp_username.is_empty() {
        builder = builder.credentials(Credentials::new(
            mail.smtp_username.clone(),
            mail.smtp_password.clone(),
        ));
    }
    Ok(builder.build())
}

fn build_message(mail: &MailSettings, row: &mail_outbox::Model) -> anyhow::Result<Message> {
    let from = Mailbox::new(
        Some(mail.from_name.clone()),
        mail.from_address
            .parse()
            .context("mail.from_address is not a valid address")?,
    );
    let to = Mailbox::new(
        Some(row.to_name.clone()).filter(|n| !n.is_empty()),
        row.to_email
            .parse()
            .with_context(|| format!("recipient {} is not a valid address", row.to_email))?,
    );
    let domain = mail
        .from_address
        .rsplit('@')
        .next()
        .unwrap_or("matchfloor.local");
    let mut builder = Message::builder()
        .from(from)
        .to(to)
        .subject(row.subject.clone())
        .message_id(Some(format!("<{}@{}>", row.id, domain)))
        // When it was written, the same on every attempt.
        .date(std::time::SystemTime::from(row.created_at))
        // Every message is sent by the application: out-of-office replies stay away.
        .raw_header(HeaderValue::new(
            HeaderName::new_from_ascii_str("Auto-Submitted"),
            "auto-generated".to_string(),
        ));
    if let Some(url) = &row.list_unsubscribe {
        // One-click unsubscribing (RFC 8058): the mail program POSTs
        // `List-Unsubscribe=One-Click` to the URL, no login needed.
        builder = builder
            .raw_header(HeaderValue::new(
                HeaderName::new_from_ascii_str("List-Unsubscribe"),
                format!("<{url}>"),
            ))
            .raw_header(HeaderValue::new(
                HeaderName::new_from_ascii_str("List-Unsubscribe-Post"),
                "List-Unsubscribe=One-Click".to_string(),
            ));
    }
    if !mail.reply_to.trim().is_empty() {
        builder = builder.reply_to(
            mail.reply_to
                .trim()
                .parse()
                .context("mail.reply_to is not a valid address")?,
        );
    }
    let alternative = MultiPart::alternative()
        .singlepart(
            SinglePart::builder()
                .header(ContentType::TEXT_PLAIN)
                .body(row.body_text.clone()),
        )
        .singlepart(
            SinglePart::builder()
                .header(ContentType::TEXT_HTML)
                .body(row.body_html.clone()),
        );
    let parts = calendar_parts(row)?;
    let body = if parts.is_empty() {
        alternative
    } else {
        // The text and HTML, then each calendar file (one iTIP method each) as an attachment.
        let mut mixed = MultiPart::mixed().multipart(alternative);
        for part in parts {
            let content_type = ContentType::parse(&format!(
                "text/calendar; method={}; charset=utf-8",
                part.method.as_str()
            ))
            .context("calendar content type")?;
            mixed =
                mixed.singlepart(Attachment::new(part.filename).body(part.content, content_type));
        }
        mixed
    };
    builder
        .multipart(body)
        .context("building the message failed")
}

/// The calendar files stored with the message.
fn calendar_parts(row: &mail_outbox::Model) -> anyhow::Result<Vec<CalendarPart>> {
    match &row.calendar {
        None => Ok(Vec::new()),
        Some(json) => {
            serde_json::from_str(json).context("the stored calendar files are unreadable")
        }
    }
}

/// Runs until `shutdown` turns true, finishing the message in hand first.
pub async fn run(worker: Worker, transport: Transport, mut shutdown: watch::Receiver<bool>) {
    // Counts as alive until this function returns or unwinds.
    let _alive = worker.queue.stats.running();
    let poll = Duration::from_secs(worker.settings.poll_seconds.max(1));
    let mut release_due = tokio::time::Instant::now();
    let release_every = Duration::from_secs((worker.settings.lease_seconds / 3).max(1) as u64);
    // `mail.max_per_second`: each send waits for its turn, one spacing after the last.
    let spacing = (worker.settings.max_per_second > 0)
        .then(|| Duration::from_secs_f64(1.0 / f64::from(worker.settings.max_per_second)));
    let mut turn = tokio::time::Instant::now();
    loop {
        if *shutdown.borrow() {
            break;
        }
        if spacing.is_some() {
            tokio::select! {
                _ = tokio::time::sleep_until(turn) => {}
                _ = shutdown.changed() => continue,
            }
        }
        let started = tokio::time::Instant::now();
        if tokio::time::Instant::now() >= release_due {
            match release_abandoned(&worker.db, worker.settings.max_attempts).await {
                Ok(0) => {}
                Ok(n) => tracing::warn!(
                    messages = n,
                    "took over deliveries of an instance that stopped"
                ),
                Err(err) => tracing::warn!(error = ?err, "cannot take over abandoned deliveries"),
            }
            release_due = tokio::time::Instant::now() + release_every;
        }
        let handled = match deliver_due(&worker, &transport).await {
            Ok(n) => n,
            Err(err) => {
                tracing::error!(error = ?err, "mail worker could not read the outbox");
                0
            }
        };
        if handled > 0 {
            if let Some(spacing) = spacing {
                turn = turn.max(started) + spacing * handled as u32;
            }
            continue;
        }
        tokio::select! {
            _ = worker.queue.notified() => {}
            _ = tokio::time::sleep(poll) => {}
            _ = shutdown.changed() => {}
        }
    }
    tracing::info!("mail worker stopped");
}

/// Runs the worker, starting it again after a pause whenever it panics, until it stops.
pub async fn supervise(worker: Worker, transport: Transport, shutdown: watch::Receiver<bool>) {
    let stats = worker.queue.stats.clone();
    keep_running(
        "mail worker",
        Duration::from_secs(1),
        &stats.restarts,
        || run(worker.clone(), transport.clone(), shutdown.clone()),
    )
    .await;
}

/// Runs the task `start` makes, and a new one after `pause` each time one panics, counting
/// those in `restarts`; returns when a task ends normally (or is cancelled). A bug that
/// strikes every time is logged once per pause rather than spinning.
pub async fn keep_running<F, Fut>(
    name: &'static str,
    pause: Duration,
    restarts: &AtomicU64,
    mut start: F,
) where
    F: FnMut() -> Fut,
    Fut: Future<Output = ()> + Send + 'static,
{
    loop {
        match tokio::spawn(start()).await {
            Err(err) if err.is_panic() => {
                restarts.fetch_add(1, Ordering::Relaxed);
                tracing::error!(task = name, "background task panicked; starting it again");
                tokio::time::sleep(pause).await;
            }
            _ => return,
        }
    }
}

/// Claims and delivers one batch (up to `mail.concurrency` messages, sent at the same
/// time over the transport's pooled connections; one with a sending rate); returns how
/// many messages it handled.
/// Every claimed message is attempted before the next batch is claimed; meanwhile the
/// claims of those still in hand are renewed every third of `mail.lease_seconds`.
pub async fn deliver_due(worker: &Worker, transport: &Transport) -> anyhow::Result<usize> {
    // With a sending rate, one at a time, so the messages go out evenly spaced.
    let batch = match worker.settings.max_per_second {
        0 => worker.settings.concurrency.max(1),
        _ => 1,
    };
    let lease = worker.settings.lease_seconds;
    let rows = claim(&worker.db, i64::from(batch), lease).await?;
    let count = rows.len();
    // Each message in hand and its claim's token (the attempt count it was claimed with).
    let mut in_hand: HashMap<Uuid, i32> = rows.iter().map(|r| (r.id, r.attempts)).collect();
    let mut tasks = HashMap::new();
    let mut sending = tokio::task::JoinSet::new();
    for row in rows {
        let (worker, transport) = (worker.clone(), transport.clone());
        let id = row.id;
        let task = sending.spawn(async move {
            let outcome = attempt(&worker, &transport, &row).await;
            record_outcome(&worker, &row, outcome).await
        });
        tasks.insert(task.id(), id);
    }
    let every = Duration::from_secs((lease / 3).max(1) as u64);
    let mut renew = tokio::time::interval_at(tokio::time::Instant::now() + every, every);
    let mut first_error = None;
    loop {
        tokio::select! {
            done = sending.join_next_with_id() => {
                let Some(done) = done else { break };
                let task = match &done {
                    Ok((task, _)) => *task,
                    Err(err) => err.id(),
                };
                if let Some(id) = tasks.remove(&task) {
                    in_hand.remove(&id);
                }
                match done {
                    Ok((_, Ok(()))) => {}
                    Ok((_, Err(err))) => {
                        first_error.get_or_insert(err);
                    }
                    // A panic while sending leaves its message in `sending`: once its
                    // lease runs out it goes back to the queue.
                    Err(err) => tracing::error!(error = %err, "a mail delivery task died"),
                }
            }
            _ = renew.tick() => {
                if let Err(err) = renew_claims(&worker.db, &in_hand, lease).await {
                    tracing::warn!(error = ?err, "cannot renew the claims of messages in delivery");
                }
            }
        }
    }
    match first_error {
        Some(err) => Err(err),
        None => Ok(count),
    }
}

/// Builds and sends one claimed message.
async fn attempt(worker: &Worker, transport: &Transport, row: &mail_outbox::Model) -> Outcome {
    // Building depends only on the row: what fails (or panics) now fails every time, so
    // such a message is given up at once instead of retried.
    let built = std::panic::catch_unwind(AssertUnwindSafe(|| {
        let mut message = build_message(&worker.settings, row)?;
        if let Some(dkim) = &transport.dkim {
            dkim.sign(&mut message);
        }
        Ok(message)
    }))
    .unwrap_or_else(|panic| Err(anyhow::anyhow!("{}", panic_text(&*panic))));
    match built {
        Ok(message) => match transport.send(message).await {
            Ok(()) => Outcome::Sent,
            Err(SendError::Temporary(err)) => Outcome::Retry(err),
            Err(SendError::Permanent(err)) => Outcome::Refused(err),
        },
        Err(err) => Outcome::Unbuildable(err.context("the message cannot be built")),
    }
}

fn panic_text(panic: &(dyn std::any::Any + Send)) -> String {
    let text = panic
        .downcast_ref::<&str>()
        .copied()
        .or_else(|| panic.downcast_ref::<String>().map(String::as_str))
        .unwrap_or("unknown cause");
    format!("building panicked: {text}")
}

enum Outcome {
    Sent,
    /// Delivery failed; it may work later.
    Retry(anyhow::Error),
    /// The message cannot be built; it never will be.
    Unbuildable(anyhow::Error),
    /// The mail server refused it for good.
    Refused(anyhow::Error),
}

/// Claims up to `batch` due messages for `lease` seconds. The claim also stamps
/// `next_attempt_at` with its time, which says how long a message has been in delivery.
async fn claim(
    db: &DatabaseConnection,
    batch: i64,
    lease: i64,
) -> anyhow::Result<Vec<mail_outbox::Model>> {
    let now = Utc::now();
    let until = now + chrono::Duration::seconds(lease);
    let backend = db.get_database_backend();
    let sql = if is_postgres(db) {
        "UPDATE mail_outbox SET status = 'sending', attempts = attempts + 1, locked_until = $1, next_attempt_at = $2 \
         WHERE id IN (SELECT id FROM mail_outbox WHERE status = 'pending' AND next_attempt_at <= $2 \
         ORDER BY next_attempt_at LIMIT $3 FOR UPDATE SKIP LOCKED) RETURNING id"
    } else {
        "UPDATE mail_outbox SET status = 'sending', attempts = attempts + 1, locked_until = ?1, next_attempt_at = ?2 \
         WHERE id IN (SELECT id FROM mail_outbox WHERE status = 'pending' AND next_attempt_at <= ?2 \
         ORDER BY next_attempt_at LIMIT ?3) RETURNING id"
    };
    let stmt = Statement::from_sql_and_values(
        backend,
        sql,
        [Value::from(until), Value::from(now), Value::from(batch)],
    );
    let ids = db
        .query_all_raw(stmt)
        .await?
        .iter()
        .map(|row| row.try_get::<Uuid>("", "id"))
        .collect::<Result<Vec<_>, _>>()?;
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    // Read with the entity's own column list rather than `RETURNING *`: SQLite's driver
    // keeps a prepared statement's columns, which `*` would tie to the table as it was.
    Ok(mail_outbox::Entity::find()
        .filter(mail_outbox::Column::Id.is_in(ids))
        .all(db)
        .await?)
}

/// Extends the leases of the messages in hand that are still this claim's.
async fn renew_claims(
    db: &DatabaseConnection,
    in_hand: &HashMap<Uuid, i32>,
    lease: i64,
) -> anyhow::Result<()> {
    if in_hand.is_empty() {
        return Ok(());
    }
    let until = Utc::now() + chrono::Duration::seconds(lease);
    let mine = in_hand
        .iter()
        .fold(Condition::any(), |any, (id, attempts)| {
            any.add(
                Condition::all()
                    .add(mail_outbox::Column::Id.eq(*id))
                    .add(mail_outbox::Column::Attempts.eq(*attempts)),
            )
        });
    mail_outbox::Entity::update_many()
        .col_expr(mail_outbox::Column::LockedUntil, Some(until).into())
        .filter(mail_outbox::Column::Status.eq(MailStatus::Sending))
        .filter(mine)
        .exec(db)
        .await?;
    Ok(())
}

async fn record_outcome(
    worker: &Worker,
    row: &mail_outbox::Model,
    outcome: Outcome,
) -> anyhow::Result<()> {
    let db = &worker.db;
    let stats = &worker.queue.stats;
    let now = Utc::now();
    let backend = db.get_database_backend();
    let pg = is_postgres(db);
    let failure = match outcome {
        Outcome::Sent => None,
        Outcome::Retry(err) => Some((err, row.attempts >= worker.settings.max_attempts)),
        Outcome::Unbuildable(err) | Outcome::Refused(err) => Some((err, true)),
    };
    let (sql, values): (&str, Vec<Value>) = match failure {
        None => {
            stats.sent.fetch_add(1, Ordering::Relaxed);
            tracing::info!(mail_id = %row.id, "mail delivered");
            (
                if pg {
                    "UPDATE mail_outbox SET status = 'sent', sent_at = $1, locked_until = NULL, last_error = NULL WHERE id = $2 AND attempts = $3 AND status IN ('sending', 'pending')"
                } else {
                    "UPDATE mail_outbox SET status = 'sent', sent_at = ?, locked_until = NULL, last_error = NULL WHERE id = ? AND attempts = ? AND status IN ('sending', 'pending')"
                },
                vec![now.into(), row.id.into(), row.attempts.into()],
            )
        }
        Some((err, give_up)) => {
            let message = format!("{err:#}");
            if give_up {
                stats.failed.fetch_add(1, Ordering::Relaxed);
                tracing::error!(mail_id = %row.id, error = %message, "mail failed for good");
                (
                    if pg {
                        "UPDATE mail_outbox SET status = 'failed', locked_until = NULL, last_error = $1 WHERE id = $2 AND attempts = $3 AND status = 'sending'"
                    } else {
                        "UPDATE mail_outbox SET status = 'failed', locked_until = NULL, last_error = ? WHERE id = ? AND attempts = ? AND status = 'sending'"
                    },
                    vec![message.into(), row.id.into(), row.attempts.into()],
                )
            } else {
                stats.attempt_errors.fetch_add(1, Ordering::Relaxed);
                let delay = backoff_seconds(worker.settings.retry_base_seconds, row.attempts);
                tracing::warn!(mail_id = %row.id, attempt = row.attempts, retry_in = delay, error = %message, "mail delivery failed, will retry");
                (
                    if pg {
                        "UPDATE mail_outbox SET status = 'pending', locked_until = NULL, last_error = $1, next_attempt_at = $2 WHERE id = $3 AND attempts = $4 AND status = 'sending'"
                    } else {
                        "UPDATE mail_outbox SET status = 'pending', locked_until = NULL, last_error = ?, next_attempt_at = ? WHERE id = ? AND attempts = ? AND status = 'sending'"
                    },
                    vec![
                        message.into(),
                        (now + chrono::Duration::seconds(delay)).into(),
                        row.id.into(),
                        row.attempts.into(),
                    ],
                )
            }
        }
    };
    // A message the server accepted and that is not recorded as sent would be sent again
    // once its lease runs out: a passing database error is retried (the claim is renewed
    // meanwhile).
    let statement = Statement::from_sql_and_values(backend, sql, values);
    let mut tries = 1;
    loop {
        match db.execute_raw(statement.clone()).await {
            Ok(_) => return Ok(()),
            Err(err) if tries < 3 => {
                tracing::warn!(mail_id = %row.id, error = %err, "cannot record a delivery's outcome yet; trying again");
                tries += 1;
                tokio::time::sleep(Duration::from_secs(1)).await;
            }
            Err(err) => return Err(err.into()),
        }
    }
}

/// Exponential backoff: base, 2x base, 4x base ... capped at an hour.
pub fn backoff_seconds(base: i64, attempts: i32) -> i64 {
    let exponent = (attempts.max(1) - 1).min(16) as u32;
    base.saturating_mul(1_i64 << exponent).min(3600)
}

/// Puts messages whose claim ran out (their instance stopped, or lost the database for a
/// whole lease) back in the queue, due at once; those that had their last attempt are
/// marked failed. Returns how many messages it took over.
async fn release_abandoned(db: &DatabaseConnection, max_attempts: i32) -> anyhow::Result<u64> {
    let now = Utc::now();
    let again = mail_outbox::Entity::update_many()
        .col_expr(mail_outbox::Column::Status, MailStatus::Pending.into())
        .col_expr(
            mail_outbox::Column::LockedUntil,
            None::<chrono::DateTime<Utc>>.into(),
        )
        .col_expr(mail_outbox::Column::NextAttemptAt, now.into())
        .col_expr(mail_outbox::Column::LastError, Some(INTERRUPTED).into())
        .filter(mail_outbox::Column::Status.eq(MailStatus::Sending))
        .filter(mail_outbox::Column::LockedUntil.lt(now))
        .filter(mail_outbox::Column::Attempts.lt(max_attempts))
        .exec(db)
        .await?;
    let given_up = mail_outbox::Entity::update_many()
        .col_expr(mail_outbox::Column::Status, MailStatus::Failed.into())
        .col_expr(
            mail_outbox::Column::LockedUntil,
            None::<chrono::DateTime<Utc>>.into(),
        )
        .col_expr(
            mail_outbox::Column::LastError,
            Some(INTERRUPTED_TOO_OFTEN).into(),
        )
        .filter(mail_outbox::Column::Status.eq(MailStatus::Sending))
        .filter(mail_outbox::Column::LockedUntil.lt(now))
        .exec(db)
        .await?;
    Ok(again.rows_affected + given_up.rows_affected)
}

/// Whether mail is moving: this instance's worker runs, and no message has been due, or in
/// delivery, for longer than `mail.stall_seconds` (which happens when every worker is
/// stuck or gone, e.g. on an SMTP server that never answers).
/// The error says which, for `/ready`.
pub async fn check_moving(
    db: &DatabaseConnection,
    queue: &MailQueue,
    settings: &MailSettings,
) -> Result<(), String> {
    if !queue.stats.alive() {
        return Err("the mail worker is not running".into());
    }
    let now = Utc::now();
    let stalled_since = now - chrono::Duration::seconds(settings.stall_seconds);
    let oldest = mail_outbox::Entity::find()
        .filter(mail_outbox::Column::Status.eq(MailStatus::Pending))
        .filter(mail_outbox::Column::NextAttemptAt.lte(stalled_since))
        .order_by_asc(mail_outbox::Column::NextAttemptAt)
        .one(db)
        .await
        .map_err(|err| format!("cannot read the mail outbox: {err}"))?;
    if let Some(row) = oldest {
        return Err(format!(
            "mail is not moving: a message has been due for {} seconds",
            (now - row.next_attempt_at).num_seconds()
        ));
    }
    // Claimed (the claim stamps `next_attempt_at`) and still in delivery.
    let stuck = mail_outbox::Entity::find()
        .filter(mail_outbox::Column::Status.eq(MailStatus::Sending))
        .filter(mail_outbox::Column::NextAttemptAt.lte(stalled_since))
        .order_by_asc(mail_outbox::Column::NextAttemptAt)
        .one(db)
        .await
        .map_err(|err| format!("cannot read the mail outbox: {err}"))?;
    match stuck {
        Some(row) => Err(format!(
            "mail is not moving: a message has been in delivery for {} seconds",
            (now - row.next_attempt_at).num_seconds()
        )),
        None => Ok(()),
    }
}

pub async fn pending_count(db: &DatabaseConnection) -> u64 {
    mail_outbox::Entity::find()
        .filter(mail_outbox::Column::Status.is_in([MailStatus::Pending, MailStatus::Sending]))
        .count(db)
        .await
        .unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::{backoff_seconds, keep_running};
    use std::sync::Arc;
    use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
    use std::time::Duration;

    #[tokio::test]
    async fn a_task_that_panics_is_started_again_until_it_ends_and_counted() {
        let starts = Arc::new(AtomicUsize::new(0));
        let restarts = AtomicU64::new(0);
        let counter = starts.clone();
        keep_running(
            "test task",
            Duration::from_millis(1),
            &restarts,
            move || {
                let attempt = counter.fetch_add(1, Ordering::SeqCst) + 1;
                async move {
                    if attempt < 3 {
                        panic!("attempt {attempt} dies");
                    }
                }
            },
        )
        .await;
        assert_eq!(starts.load(Ordering::SeqCst), 3);
        assert_eq!(restarts.load(Ordering::Relaxed), 2);
    }

    #[test]
    fn backoff_doubles_and_caps() {
        assert_eq!(backoff_seconds(30, 1), 30);
        assert_eq!(backoff_seconds(30, 2), 60);
        assert_eq!(backoff_seconds(30, 3), 120);
        assert_eq!(backoff_seconds(30, 20), 3600);
    }
}
