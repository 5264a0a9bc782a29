//! Email: messages are written to the `mail_outbox` table in the same transaction as the
//! change that causes them; the worker (`worker.rs`) delivers them with lettre.

pub(crate) mod dkim;
pub mod ics;
#[cfg(test)]
pub(crate) mod sample;
pub mod templates;
pub mod worker;

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};

use chrono::Utc;
use sea_orm::{ActiveModelTrait, ConnectionTrait, DbErr, Set};
use tokio::sync::Notify;
use uuid::Uuid;

use crate::domain::{Lang, MailKind, MailStatus};
use crate::entities::mail_outbox;

/// A message ready to be queued.
#[derive(Debug, Clone, Default)]
pub struct Outgoing {
    pub to_email: String,
    pub to_name: String,
    pub subject: String,
    pub text: String,
    pub html: String,
    /// The template it was written from.
    pub kind: Option<MailKind>,
    pub lang: Option<Lang>,
    /// The person it is for, and the event it is about: the organisers' view of the
    /// event's mail (docs/mail.md).
    pub person_id: Option<Uuid>,
    pub event_id: Option<Uuid>,
    /// The `List-Unsubscribe` URL (optional email such as announcements): sent with
    /// one-click unsubscribing (RFC 8058). Set by `render` from the kind's unsubscribe link.
    pub list_unsubscribe: Option<String>,
    /// The announcement it carries, for the announcement's progress.
    pub announcement_id: Option<Uuid>,
    /// Calendar files (`.ics`) sent as attachments beside the text and HTML.
    pub calendar: Vec<ics::CalendarPart>,
}

impl Outgoing {
    /// Marks it as one of an announcement's emails.
    pub fn of_announcement(mut self, announcement_id: Uuid) -> Self {
        self.announcement_id = Some(announcement_id);
        self
    }

    /// The message with these calendar files attached.
    pub fn with_calendar(mut self, parts: Vec<ics::CalendarPart>) -> Self {
        self.calendar = parts;
        self
    }

    /// The `mail_outbox.calendar` column: JSON, or null without calendar files.
    fn calendar_column(&self) -> Option<String> {
        (!self.calendar.is_empty())
            .then(|| serde_json::to_string(&self.calendar).expect("calendar parts serialize"))
    }
}

/// The handle services use to queue mail and wake the worker after their commit.
#[derive(Clone, Default)]
pub struct MailQueue {
    wake: Arc<Notify>,
    /// How this instance's worker is doing, for `/ready` and `/metrics`.
    pub stats: Arc<WorkerStats>,
}

/// What this instance's worker did. It holds a [`Running`] while it runs, which also counts
/// down when the task unwinds from a panic.
#[derive(Default)]
pub struct WorkerStats {
    running: AtomicUsize,
    /// Times the worker died (panicked) and was started again.
    pub restarts: AtomicU64,
    /// Messages delivered.
    pub sent: AtomicU64,
    /// Messages given up: after the last attempt, or at once when they cannot be built.
    pub failed: AtomicU64,
    /// Delivery attempts that failed and will be retried.
    pub attempt_errors: AtomicU64,
}

impl WorkerStats {
    pub fn running(self: &Arc<Self>) -> Running {
        self.running.fetch_add(1, Ordering::SeqCst);
        Running(self.clone())
    }

    pub fn alive(&self) -> bool {
        self.running.load(Ordering::SeqCst) > 0
    }
}

pub struct Running(Arc<WorkerStats>);

impl Drop for Running {
    fn drop(&mut self) {
        self.0.running.fetch_sub(1, Ordering::SeqCst);
    }
}

impl MailQueue {
    /// Writes the message to the outbox inside the caller's transaction.
    pub async fn enqueue<C: ConnectionTrait>(
        &self,
        db: &C,
        message: Outgoing,
    ) -> Result<Uuid, DbErr> {
        let row = queued_row(message, Utc::now());
        let id = row.id.clone().unwrap();
        row.insert(db).await?;
        Ok(id)
    }

    /// Writes many messages to the outbox inside the caller's transaction, a few hundred
    /// per statement (mass mails).
    pub async fn enqueue_many<C: ConnectionTrait>(
        &self,
        db: &C,
        messages: Vec<Outgoing>,
    ) -> Result<usize, DbErr> {
        let now = Utc::now();
        let count = messages.len();
        let mut rows = messages.into_iter().map(|message| queued_row(message, now));
        loop {
            let chunk: Vec<_> = rows.by_ref().take(200).collect();
            if chunk.is_empty() {
                break;
            }
            sea_orm::EntityTrait::insert_many(chunk)
                .exec_without_returning(db)
                .await?;
        }
        Ok(count)
    }

    /// Tells the worker there is new mail; call after the transaction committed.
    pub fn wake(&self) {
        self.wake.notify_one();
    }

    pub(crate) fn notified(&self) -> tokio::sync::futures::Notified<'_> {
        self.wake.notified()
    }
}

/// The outbox row of a message queued at `now`, due at once.
pub(crate) fn queued_row(
    message: Outgoing,
    now: chrono::DateTime<Utc>,
) -> mail_outbox::ActiveModel {
    let calendar = message.calendar_column();
    mail_outbox::ActiveModel {
        id: Set(Uuid::now_v7()),
        to_email: Set(message.to_email),
        to_name: Set(message.to_name),
        subject: Set(message.subject),
        body_text: Set(message.text),
        body_html: Set(message.html),
        status: Set(MailStatus::Pending),
        attempts: Set(0),
        next_attempt_at: Set(now),
        locked_until: Set(None),
        last_error: Set(None),
        sent_at: Set(None),
        created_at: Set(now),
        event_id: Set(message.event_id),
        person_id: Set(message.person_id),
        kind: Set(message.kind),
        lang: Set(message.lang),
        resent_from: Set(None),
        list_unsubscribe: Set(message.list_unsubscribe),
        announcement_id: Set(message.announcement_id),
        calendar: Set(calendar),
    }
}
