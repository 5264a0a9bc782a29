//! The delivery worker: claims due messages, sends them, and records the outcome.
//!
//! A message is claimed by moving it to `sending` with a conditional update (on PostgreSQL
//! with `FOR UPDATE SKIP LOCKED`, so several instances never claim the same row). After a
//! send it becomes `sent`; after an error it goes back to `pending` with exponential backoff,
//! or to `failed` after `mail.max_attempts`. A message left in `sending` by a crash is marked
//! `failed` rather than retried: the worker never risks sending a message twice.

use std::sync::atomic::Ordering;
use std::time::Duration;

use anyhow::Context;
use chrono::Utc;
use lettre::message::header::ContentType;
use lettre::message::{Mailbox, MultiPart, SinglePart};
use lettre::transport::smtp::authentication::Credentials;
use lettre::{AsyncFileTransport, AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, FromQueryResult, PaginatorTrait,
    QueryFilter, Statement, Value,
};
use tokio::sync::watch;

use crate::config::{MailSettings, MailTransport, Settings, SmtpSecurity};
use crate::db::is_postgres;
use crate::domain::MailStatus;
use crate::entities::{login_request, mail_outbox};
use crate::state::AppState;

/// How long a claimed message may stay in `sending` before it counts as interrupted.
const LEASE_SECONDS: i64 = 300;
/// Messages claimed at a time: one, so a stop or an error never strands claimed messages
/// that were not even attempted.
const BATCH: i64 = 1;

pub enum Transport {
    File(AsyncFileTransport<Tokio1Executor>),
    Smtp(AsyncSmtpTransport<Tokio1Executor>),
}

impl Transport {
    pub fn from_settings(settings: &Settings) -> anyhow::Result<Self> {
        let mail = &settings.mail;
        match mail.transport {
            MailTransport::File => {
                let dir = settings.mail_dir();
                std::fs::create_dir_all(&dir).with_context(|| {
                    format!("cannot create the mail directory {}", dir.display())
                })?;
                Ok(Transport::File(AsyncFileTransport::new(dir)))
            }
            MailTransport::Smtp => Ok(Transport::Smtp(smtp_transport(mail)?)),
        }
    }

    async fn send(&self, message: Message) -> anyhow::Result<()> {
        match self {
            Transport::File(t) => {
                t.send(message)
                    .await
                    .context("writing the mail file failed")?;
            }
            Transport::Smtp(t) => {
                t.send(message).await.context("SMTP delivery failed")?;
            }
        }
        Ok(())
    }
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
        .timeout(Some(Duration::from_secs(30)));
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
    Message::builder()
        .from(from)
        .to(to)
        .subject(row.subject.clone())
        .message_id(Some(format!("<{}@{}>", row.id, domain)))
        .multipart(
            MultiPart::alternative()
                .singlepart(
                    SinglePart::builder()
                        .header(ContentType::TEXT_PLAIN)
                        .body(row.body_text.clone()),
                )
                .singlepart(
                    SinglePart::builder()
                        .header(ContentType::TEXT_HTML)
                        .body(row.body_html.clone()),
                ),
        )
        .context("building the message failed")
}

/// Runs until `shutdown` turns true, finishing the message in hand first.
pub async fn run(state: AppState, transport: Transport, mut shutdown: watch::Receiver<bool>) {
    let poll = Duration::from_secs(state.settings.mail.poll_seconds.max(1));
    let mut housekeeping_due = tokio::time::Instant::now();
    loop {
        if *shutdown.borrow() {
            break;
        }
        if tokio::time::Instant::now() >= housekeeping_due {
            if let Err(err) = housekeeping(&state).await {
                tracing::warn!(error = ?err, "mail housekeeping failed");
            }
            housekeeping_due = tokio::time::Instant::now() + Duration::from_secs(60);
        }
        let worked = match deliver_due(&state, &transport).await {
            Ok(n) => n > 0,
            Err(err) => {
                tracing::error!(error = ?err, "mail worker could not read the outbox");
                false
            }
        };
        if worked {
            continue;
        }
        tokio::select! {
            _ = state.mail.notified() => {}
            _ = tokio::time::sleep(poll) => {}
            _ = shutdown.changed() => {}
        }
    }
    tracing::info!("mail worker stopped");
}

/// Claims and delivers one batch; returns how many messages it handled.
pub async fn deliver_due(state: &AppState, transport: &Transport) -> anyhow::Result<usize> {
    let rows = claim(&state.db).await?;
    let count = rows.len();
    for row in rows {
        let result = match build_message(&state.settings.mail, &row) {
            Ok(message) => transport.send(message).await,
            Err(err) => Err(err),
        };
        record_outcome(state, &row, result).await?;
    }
    Ok(count)
}

async fn claim(db: &DatabaseConnection) -> anyhow::Result<Vec<mail_outbox::Model>> {
    let now = Utc::now();
    let lease = now + chrono::Duration::seconds(LEASE_SECONDS);
    let backend = db.get_database_backend();
    let sql = if is_postgres(db) {
        "UPDATE mail_outbox SET status = 'sending', attempts = attempts + 1, locked_until = $1 \
         WHERE id IN (SELECT id FROM mail_outbox WHERE status = 'pending' AND next_attempt_at <= $2 \
         ORDER BY next_attempt_at LIMIT $3 FOR UPDATE SKIP LOCKED) RETURNING *"
    } else {
        "UPDATE mail_outbox SET status = 'sending', attempts = attempts + 1, locked_until = ? \
         WHERE id IN (SELECT id FROM mail_outbox WHERE status = 'pending' AND next_attempt_at <= ? \
         ORDER BY next_attempt_at LIMIT ?) RETURNING *"
    };
    let stmt = Statement::from_sql_and_values(
        backend,
        sql,
        [Value::from(lease), Value::from(now), Value::from(BATCH)],
    );
    let rows = db.query_all_raw(stmt).await?;
    rows.iter()
        .map(|row| mail_outbox::Model::from_query_result(row, "").map_err(Into::into))
        .collect()
}

async fn record_outcome(
    state: &AppState,
    row: &mail_outbox::Model,
    result: anyhow::Result<()>,
) -> anyhow::Result<()> {
    let db = &state.db;
    let now = Utc::now();
    let backend = db.get_database_backend();
    let pg = is_postgres(db);
    let (sql, values): (&str, Vec<Value>) = match result {
        Ok(()) => {
            state.metrics.mails_sent.fetch_add(1, Ordering::Relaxed);
            tracing::info!(mail_id = %row.id, "mail delivered");
            (
                if pg {
                    "UPDATE mail_outbox SET status = 'sent', sent_at = $1, locked_until = NULL, last_error = NULL WHERE id = $2 AND status = 'sending'"
                } else {
                    "UPDATE mail_outbox SET status = 'sent', sent_at = ?, locked_until = NULL, last_error = NULL WHERE id = ? AND status = 'sending'"
                },
                vec![now.into(), row.id.into()],
            )
        }
        Err(err) => {
            let message = format!("{err:#}");
            if row.attempts >= state.settings.mail.max_attempts {
                state.metrics.mails_failed.fetch_add(1, Ordering::Relaxed);
                tracing::error!(mail_id = %row.id, error = %message, "mail failed for good");
                (
                    if pg {
                        "UPDATE mail_outbox SET status = 'failed', locked_until = NULL, last_error = $1 WHERE id = $2 AND status = 'sending'"
                    } else {
                        "UPDATE mail_outbox SET status = 'failed', locked_until = NULL, last_error = ? WHERE id = ? AND status = 'sending'"
                    },
                    vec![message.into(), row.id.into()],
                )
            } else {
                state
                    .metrics
                    .mail_attempt_errors
                    .fetch_add(1, Ordering::Relaxed);
                let delay = backoff_seconds(state.settings.mail.retry_base_seconds, row.attempts);
                tracing::warn!(mail_id = %row.id, attempt = row.attempts, retry_in = delay, error = %message, "mail delivery failed, will retry");
                (
                    if pg {
                        "UPDATE mail_outbox SET status = 'pending', locked_until = NULL, last_error = $1, next_attempt_at = $2 WHERE id = $3 AND status = 'sending'"
                    } else {
                        "UPDATE mail_outbox SET status = 'pending', locked_until = NULL, last_error = ?, next_attempt_at = ? WHERE id = ? AND status = 'sending'"
                    },
                    vec![
                        message.into(),
                        (now + chrono::Duration::seconds(delay)).into(),
                        row.id.into(),
                    ],
                )
            }
        }
    };
    db.execute_raw(Statement::from_sql_and_values(backend, sql, values))
        .await?;
    Ok(())
}

/// Exponential backoff: base, 2x base, 4x base ... capped at an hour.
pub fn backoff_seconds(base: i64, attempts: i32) -> i64 {
    let exponent = (attempts.max(1) - 1).min(16) as u32;
    base.saturating_mul(1_i64 << exponent).min(3600)
}

/// Marks interrupted deliveries failed and forgets old rate-limit records.
async fn housekeeping(state: &AppState) -> anyhow::Result<()> {
    let now = Utc::now();
    mail_outbox::Entity::update_many()
        .col_expr(mail_outbox::Column::Status, MailStatus::Failed.into())
        .col_expr(
            mail_outbox::Column::LastError,
            "delivery was interrupted; not retried so the message is never sent twice".into(),
        )
        .filter(mail_outbox::Column::Status.eq(MailStatus::Sending))
        .filter(mail_outbox::Column::LockedUntil.lt(now))
        .exec(&state.db)
        .await?;
    let window = chrono::Duration::minutes(state.settings.auth.rate_limit_window_minutes);
    login_request::Entity::delete_many()
        .filter(login_request::Column::CreatedAt.lt(now - window))
        .exec(&state.db)
        .await?;
    Ok(())
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
    use super::backoff_seconds;

    #[test]
    fn backoff_doubles_and_caps() {
        assert_eq!(backoff_seconds(30, 1), 30);
        assert_eq!(backoff_seconds(30, 2), 60);
        assert_eq!(backoff_seconds(30, 3), 120);
        assert_eq!(backoff_seconds(30, 20), 3600);
    }
}
