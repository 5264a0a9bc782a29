//! The organisers' view of their event's mail: every message written for the event (to
//! whom, what, in which language, and where it stands: queued, in delivery, sent, or failed
//! and why), searchable, with the progress of each kind, and sending one again
//! (docs/mail.md, "The organisers' view").
//!
//! Messages about no event (login links asked for on the login page, requests to join an
//! organisation) are the person's own and are not listed here.

use chrono::{DateTime, Utc};
use sea_orm::sea_query::{Expr, ExprTrait, Func, LikeExpr};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, EntityTrait, PaginatorTrait,
    QueryFilter, QueryOrder, QuerySelect, Set,
};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use crate::auth::service::issue_token;
use crate::bounds::{LOGIN_TOKEN_HEX, MAIL_LISTED, MAIL_LISTED_DEFAULT, MAIL_SEARCH_MAX};
use crate::domain::{Lang, LinkPurpose, MailKind, MailStatus, optional_text};
use crate::entities::{mail_outbox, person};
use crate::error::{AppError, FieldError};
use crate::events::access;
use crate::mail::Outgoing;
use crate::state::AppState;

/// What can go wrong with the event's mail.
#[derive(Debug, thiserror::Error)]
pub enum MailError {
    #[error("{0} not found")]
    NotFound(&'static str),
    #[error("invalid input")]
    Invalid(Vec<FieldError>),
    /// Sending again a message that is still queued or in delivery.
    #[error("this message is {}: it is on its way already", status.as_str())]
    InProgress { status: MailStatus },
    /// The message holds a login link, but not whose it is (queued before messages kept
    /// their person), so no fresh link can be made.
    #[error(
        "this message's link cannot be renewed: send the person a new invitation or let them ask for a login link"
    )]
    LinkNotRenewable,
    #[error(transparent)]
    App(AppError),
    #[error(transparent)]
    Database(sea_orm::DbErr),
}

crate::error::capability_error_conversions!(MailError, invalid);

pub type MailResult<T> = Result<T, MailError>;

/// Which of the event's messages to list.
#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct MailQuery {
    /// Only messages in this state.
    #[param(inline)]
    pub status: Option<MailStatus>,
    /// Only messages of this kind.
    #[param(inline)]
    pub kind: Option<MailKind>,
    /// Only messages to this person.
    pub person: Option<Uuid>,
    /// Text in the recipient's address or name or in the subject (any case).
    pub q: Option<String>,
    /// The next page: messages older than this one (`next_before` of the previous page).
    pub before: Option<Uuid>,
    /// How many, newest first: 1 to 200, 50 by default.
    pub limit: Option<u64>,
}

/// One message, as organisers see it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct MailSummary {
    pub id: Uuid,
    pub to_email: String,
    pub to_name: String,
    pub person_id: Option<Uuid>,
    /// What it is: `invitation`, `meeting_schedule`, ...; none for messages queued before
    /// messages kept it.
    pub kind: Option<MailKind>,
    pub lang: Option<Lang>,
    pub subject: String,
    /// `pending` (queued, or waiting for its next attempt), `sending`, `sent` or `failed`.
    pub status: MailStatus,
    pub attempts: i32,
    /// Why the last attempt failed, with the mail server's answer.
    pub last_error: Option<String>,
    /// When a pending message is tried (again).
    pub next_attempt_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    pub sent_at: Option<DateTime<Utc>>,
    /// The message this one sends again.
    pub resent_from: Option<Uuid>,
}

impl From<mail_outbox::Model> for MailSummary {
    fn from(row: mail_outbox::Model) -> Self {
        MailSummary {
            id: row.id,
            to_email: row.to_email,
            to_name: row.to_name,
            person_id: row.person_id,
            kind: row.kind,
            lang: row.lang,
            subject: row.subject,
            status: row.status,
            attempts: row.attempts,
            last_error: row.last_error,
            next_attempt_at: (row.status == MailStatus::Pending).then_some(row.next_attempt_at),
            created_at: row.created_at,
            sent_at: row.sent_at,
            resent_from: row.resent_from,
        }
    }
}

/// How far the event's messages of one kind are: a mass send (the schedule to everyone)
/// as it goes out.
#[derive(Debug, Clone, Default, Serialize, ToSchema)]
pub struct KindProgress {
    pub kind: Option<MailKind>,
    pub pending: u64,
    pub sending: u64,
    pub sent: u64,
    pub failed: u64,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct MailList {
    /// Newest first.
    pub messages: Vec<MailSummary>,
    /// How many messages match the filters.
    pub total: u64,
    /// Pass as `before` for the next page; none on the last.
    pub next_before: Option<Uuid>,
    /// All of the event's messages (not only the filtered ones) by kind and state.
    pub progress: Vec<KindProgress>,
}

/// One message with its text (links in it masked: they log the person in) and the
/// messages that sent it again.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct MailDetail {
    #[serde(flatten)]
    pub message: MailSummary,
    /// The plain-text part, with the token of every login link replaced by `…`.
    pub text: String,
    pub resends: Vec<MailSummary>,
}

/// The event's messages (organisers).
pub async fn list(
    state: &AppState,
    by: &person::Model,
    event_id: Uuid,
    query: MailQuery,
) -> MailResult<MailList> {
    access::organiser(&state.db, by, event_id).await?;
    let mut errors = Vec::new();
    let limit = query.limit.unwrap_or(MAIL_LISTED_DEFAULT);
    if !MAIL_LISTED.contains(&limit) {
        errors.push(FieldError::new(
            "limit",
            "out_of_range",
            format!(
                "list {} to {} messages at a time",
                MAIL_LISTED.start(),
                MAIL_LISTED.end()
            ),
        ));
    }
    let search = optional_text(query.q.as_deref(), "q", MAIL_SEARCH_MAX, &mut errors);
    if !errors.is_empty() {
        return Err(MailError::Invalid(errors));
    }
    let mut filter = Condition::all().add(mail_outbox::Column::EventId.eq(event_id));
    if let Some(status) = query.status {
        filter = filter.add(mail_outbox::Column::Status.eq(status));
    }
    if let Some(kind) = query.kind {
        filter = filter.add(mail_outbox::Column::Kind.eq(kind));
    }
    if let Some(person) = query.person {
        filter = filter.add(mail_outbox::Column::PersonId.eq(person));
    }
    if let Some(search) = search {
        let pattern = format!("%{}%", escape_like(&search.to_lowercase()));
        let like = |column: mail_outbox::Column| {
            Expr::expr(Func::lower(Expr::col(column))).like(LikeExpr::new(&pattern).escape('\\'))
        };
        filter = filter.add(
            Condition::any()
                .add(like(mail_outbox::Column::ToEmail))
                .add(like(mail_outbox::Column::ToName))
                .add(like(mail_outbox::Column::Subject)),
        );
    }
    let total = mail_outbox::Entity::find()
        .filter(filter.clone())
        .count(&state.db)
        .await?;
    let mut page = mail_outbox::Entity::find().filter(filter);
    if let Some(before) = query.before {
        // Ids are time-ordered (UUIDv7): older messages have smaller ids.
        page = page.filter(mail_outbox::Column::Id.lt(before));
    }
    let mut rows = page
        .order_by_desc(mail_outbox::Column::Id)
        .limit(limit + 1)
        .all(&state.db)
        .await?;
    let next_before = if rows.len() as u64 > limit {
        rows.truncate(limit as usize);
        rows.last().map(|r| r.id)
    } else {
        None
    };
    Ok(MailList {
        messages: rows.into_iter().map(MailSummary::from).collect(),
        total,
        next_before,
        progress: progress(&state.db, event_id).await?,
    })
}

/// The event's messages counted by kind and state.
async fn progress<C: ConnectionTrait>(db: &C, event_id: Uuid) -> MailResult<Vec<KindProgress>> {
    let counts: Vec<(Option<MailKind>, MailStatus, i64)> = mail_outbox::Entity::find()
        .select_only()
        .column(mail_outbox::Column::Kind)
        .column(mail_outbox::Column::Status)
        .column_as(mail_outbox::Column::Id.count(), "n")
        .filter(mail_outbox::Column::EventId.eq(event_id))
        .group_by(mail_outbox::Column::Kind)
        .group_by(mail_outbox::Column::Status)
        .into_tuple()
        .all(db)
        .await?;
    let mut out: Vec<KindProgress> = Vec::new();
    for (kind, status, n) in counts {
        let i = match out.iter().position(|p| p.kind == kind) {
            Some(i) => i,
            None => {
                out.push(KindProgress {
                    kind,
                    ..KindProgress::default()
                });
                out.len() - 1
            }
        };
        let n = u64::try_from(n).unwrap_or(0);
        let entry = &mut out[i];
        match status {
            MailStatus::Pending => entry.pending += n,
            MailStatus::Sending => entry.sending += n,
            MailStatus::Sent => entry.sent += n,
            MailStatus::Failed => entry.failed += n,
        }
    }
    out.sort_by_key(|p| p.kind.map(|k| k.as_str()));
    Ok(out)
}

/// One of the event's messages (organisers).
pub async fn get(
    state: &AppState,
    by: &person::Model,
    event_id: Uuid,
    mail_id: Uuid,
) -> MailResult<MailDetail> {
    access::organiser(&state.db, by, event_id).await?;
    let row = find_in_event(&state.db, event_id, mail_id).await?;
    let resends = mail_outbox::Entity::find()
        .filter(mail_outbox::Column::ResentFrom.eq(row.id))
        .order_by_asc(mail_outbox::Column::Id)
        .all(&state.db)
        .await?;
    let mut text = row.body_text.clone();
    for token in link_tokens(&row.body_text) {
        text = text.replace(&token, "…");
    }
    Ok(MailDetail {
        message: row.into(),
        text,
        resends: resends.into_iter().map(MailSummary::from).collect(),
    })
}

/// The event's message `mail_id`, or not found (also when it belongs to another event).
async fn find_in_event<C: ConnectionTrait>(
    db: &C,
    event_id: Uuid,
    mail_id: Uuid,
) -> MailResult<mail_outbox::Model> {
    mail_outbox::Entity::find_by_id(mail_id)
        .filter(mail_outbox::Column::EventId.eq(event_id))
        .one(db)
        .await?
        .ok_or(MailError::NotFound("message"))
}

/// Sends one of the event's messages again (organisers): a failed one goes back in the
/// queue, to be tried afresh; a sent one is queued again as a new message. A login link
/// in it is replaced by a fresh one of the same sort (the old one may have been used or
/// have run out). Returns the message that will go out.
pub async fn resend(
    state: &AppState,
    by: &person::Model,
    event_id: Uuid,
    mail_id: Uuid,
) -> MailResult<MailSummary> {
    let txn = crate::db::begin(&state.db).await?;
    access::organiser(&txn, by, event_id).await?;
    let row = find_in_event(&txn, event_id, mail_id).await?;
    if matches!(row.status, MailStatus::Pending | MailStatus::Sending) {
        return Err(MailError::InProgress { status: row.status });
    }
    let (text, html) = renew_links(&txn, state, &row).await?;
    let now = Utc::now();
    let queued = if row.status == MailStatus::Failed {
        // Conditional, so two organisers pressing "retry" at once queue it once.
        let updated = mail_outbox::Entity::update_many()
            .col_expr(
                mail_outbox::Column::Status,
                MailStatus::Pending.as_str().into(),
            )
            .col_expr(mail_outbox::Column::Attempts, 0.into())
            .col_expr(mail_outbox::Column::NextAttemptAt, now.into())
            .col_expr(
                mail_outbox::Column::LockedUntil,
                Option::<DateTime<Utc>>::None.into(),
            )
            .col_expr(
                mail_outbox::Column::LastError,
                Option::<String>::None.into(),
            )
            .col_expr(mail_outbox::Column::BodyText, text.into())
            .col_expr(mail_outbox::Column::BodyHtml, html.into())
            .filter(mail_outbox::Column::Id.eq(row.id))
            .filter(mail_outbox::Column::Status.eq(MailStatus::Failed))
            .exec(&txn)
            .await?;
        if updated.rows_affected != 1 {
            return Err(MailError::InProgress {
                status: MailStatus::Pending,
            });
        }
        find_in_event(&txn, event_id, row.id).await?
    } else {
        let mut copy = crate::mail::queued_row(
            Outgoing {
                to_email: row.to_email.clone(),
                to_name: row.to_name.clone(),
                subject: row.subject.clone(),
                text,
                html,
                kind: row.kind,
                lang: row.lang,
                person_id: row.person_id,
                event_id: row.event_id,
                // Still the person's unsubscribe link; not counted in the announcement's
                // progress again.
                list_unsubscribe: row.list_unsubscribe.clone(),
                announcement_id: None,
                calendar: Vec::new(),
            },
            now,
        );
        copy.resent_from = Set(Some(row.id));
        // The same calendar files: their SEQUENCE says where they stand.
        copy.calendar = Set(row.calendar.clone());
        copy.insert(&txn).await?
    };
    txn.commit().await?;
    state.mail.wake();
    tracing::info!(mail_id = %row.id, queued = %queued.id, "message sent again by an organiser");
    Ok(queued.into())
}

/// The message's text and HTML with every login link's token replaced by a fresh one.
async fn renew_links<C: ConnectionTrait>(
    db: &C,
    state: &AppState,
    row: &mail_outbox::Model,
) -> MailResult<(String, String)> {
    let mut text = row.body_text.clone();
    let mut html = row.body_html.clone();
    let mut tokens = link_tokens(&row.body_text);
    for token in link_tokens(&row.body_html) {
        if !tokens.contains(&token) {
            tokens.push(token);
        }
    }
    if tokens.is_empty() {
        return Ok((text, html));
    }
    let person = row.person_id.ok_or(MailError::LinkNotRenewable)?;
    let purpose = row.kind.map_or(LinkPurpose::Login, MailKind::link_purpose);
    for token in tokens {
        let fresh = issue_token(db, state, person, purpose, row.event_id).await?;
        text = text.replace(&token, &fresh);
        html = html.replace(&token, &fresh);
    }
    Ok((text, html))
}

/// The tokens of the login links in a message (what follows `#token=`).
fn link_tokens(body: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for (at, _) in body.match_indices("#token=") {
        let rest = &body[at + "#token=".len()..];
        let token: String = rest.chars().take_while(char::is_ascii_hexdigit).collect();
        if token.len() == LOGIN_TOKEN_HEX && !out.contains(&token) {
            out.push(token);
        }
    }
    out
}

/// `text` with LIKE's wildcards taken literally (escaped with `\`).
fn escape_like(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if matches!(c, '%' | '_' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn link_tokens_are_found_once_each_and_only_whole() {
        let token = "ab".repeat(32);
        let body = format!(
            "Open https://x.test/login/confirm#token={token}&next=/events/1\n\
             or <a href=\"https://x.test/login/confirm#token={token}\">here</a>; \
             not #token=abc"
        );
        assert_eq!(link_tokens(&body), vec![token]);
    }

    #[test]
    fn wildcards_are_searched_for_as_they_are() {
        assert_eq!(escape_like("50%_a\\b"), "50\\%\\_a\\\\b");
    }
}
