//! The `mail_outbox` table.

use sea_orm::entity::prelude::*;

use crate::domain::{Lang, MailKind, MailStatus};

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "mail_outbox")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub to_email: String,
    pub to_name: String,
    pub subject: String,
    pub body_text: String,
    pub body_html: String,
    pub status: MailStatus,
    pub attempts: i32,
    pub next_attempt_at: DateTimeUtc,
    pub locked_until: Option<DateTimeUtc>,
    pub last_error: Option<String>,
    pub sent_at: Option<DateTimeUtc>,
    pub created_at: DateTimeUtc,
    /// The event it is about, if any.
    pub event_id: Option<Uuid>,
    /// The person it was written for (none for mail to an address without a person).
    pub person_id: Option<Uuid>,
    /// The template it was written from; none for messages queued before this was kept.
    pub kind: Option<MailKind>,
    pub lang: Option<Lang>,
    /// The message this one sends again.
    pub resent_from: Option<Uuid>,
    /// The `List-Unsubscribe` URL (announcements), sent with one-click POST (RFC 8058).
    pub list_unsubscribe: Option<String>,
    /// The announcement this email carries, for its progress.
    pub announcement_id: Option<Uuid>,
    /// JSON: the calendar files the message carries ([`crate::mail::ics::CalendarPart`]).
    pub calendar: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
