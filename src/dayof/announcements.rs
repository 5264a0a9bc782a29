//! Announcements: an organiser writes a message in Dutch and/or English for everyone, for
//! some roles or for selected people. It is kept for later readers and goes out live, in
//! the same transaction, to every open page it concerns.
//!
//! With `email: true` it is also emailed to its audience (except those who switched
//! announcement emails off), each in their language, as a background batch: the request
//! only stores the announcement and counts the people; [`mail_batches`] then queues the
//! emails a few hundred per transaction, in person order, moving the announcement's
//! `email_cursor` with a conditional update so that two runners (the task started after
//! the request, the housekeeping run that resumes an interrupted batch, another instance)
//! never queue one person twice. The organiser sees the progress from the outbox.

use std::collections::HashMap;

use chrono::{DateTime, Duration, Utc};
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect, Set,
};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use crate::auth::service::{LinkPurpose, issue_links};
use crate::domain::{Lang, MailStatus, Recipient, RecipientList, Role, Status};
use crate::entities::{announcement, event, mail_outbox, participation, person};
use crate::error::{AppError, AppResult, FieldError};
use crate::events::access;
use crate::live::{self, Audience, LiveKind};
use crate::mail::templates::{Mail, To, render};
use crate::state::AppState;

pub use crate::domain::Recipients;

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AnnouncementInput {
    pub body_nl: Option<String>,
    pub body_en: Option<String>,
    pub audience: Recipients,
    /// With `audience: roles`.
    #[serde(default)]
    pub roles: Vec<Role>,
    /// With `audience: people`: person ids of participants.
    #[serde(default)]
    pub people: Vec<Uuid>,
    /// Also by email, to everyone of the audience who did not switch announcement emails
    /// off (in the background; see `emails` in the answer).
    #[serde(default)]
    pub email: bool,
}

/// How an announcement's emails are doing, for organisers.
#[derive(Debug, Clone, Copy, Default, Serialize, ToSchema)]
pub struct EmailProgress {
    /// People it is emailed to, counted when it was announced.
    pub total: i64,
    /// Emails written to the outbox so far.
    pub queued: i64,
    pub sent: i64,
    pub failed: i64,
    /// Every email is queued.
    pub done: bool,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct AnnouncementView {
    pub id: Uuid,
    pub body_nl: String,
    pub body_en: String,
    pub audience: Recipients,
    pub roles: Vec<Role>,
    /// Only shown to organisers.
    pub people: Vec<Uuid>,
    pub author: String,
    pub created_at: chrono::DateTime<Utc>,
    /// Also sent by email.
    pub email: bool,
    /// Only shown to organisers, for announcements sent by email.
    pub emails: Option<EmailProgress>,
}

/// The announcement as a reader sees it. Its recipients must be of its audience's kind:
/// anything else is bad stored data, an error rather than a guess.
fn view(
    row: announcement::Model,
    author: String,
    for_organiser: bool,
) -> AppResult<AnnouncementView> {
    let audience = row.audience;
    let mixed = || {
        anyhow::anyhow!(
            "announcement {} for {} lists other recipients: {}",
            row.id,
            audience.as_str(),
            row.recipients
        )
    };
    let roles = match audience {
        Recipients::Roles => row.recipients.roles().ok_or_else(mixed)?,
        _ => Vec::new(),
    };
    let people = match audience {
        Recipients::People => row.recipients.people().ok_or_else(mixed)?,
        _ => Vec::new(),
    };
    let people = if for_organiser { people } else { Vec::new() };
    Ok(AnnouncementView {
        id: row.id,
        body_nl: row.body_nl,
        body_en: row.body_en,
        audience,
        roles,
        people,
        author,
        created_at: row.created_at,
        email: row.email,
        emails: None,
    })
}

pub async fn announce(
    state: &AppState,
    by: &person::Model,
    event_id: Uuid,
    input: AnnouncementInput,
) -> AppResult<AnnouncementView> {
    let txn = crate::db::begin(&state.db).await?;
    access::organiser(&txn, by, event_id).await?;
    let mut errors = Vec::new();
    let clean = |text: Option<String>, field: &str, errors: &mut Vec<FieldError>| {
        crate::domain::optional_multiline_text(
            text.as_deref(),
            field,
            crate::bounds::ANNOUNCEMENT_MAX,
            errors,
        )
        .unwrap_or_default()
    };
    let body_nl = clean(input.body_nl, "body_nl", &mut errors);
    let body_en = clean(input.body_en, "body_en", &mut errors);
    if body_nl.is_empty() && body_en.is_empty() {
        errors.push(FieldError::new(
            "body_en",
            "required",
            "write the announcement in Dutch, English or both",
        ));
    }
    let mut roles = input.roles.clone();
    roles.sort();
    roles.dedup();
    let mut people = input.people.clone();
    people.sort();
    people.dedup();
    match input.audience {
        Recipients::Roles if roles.is_empty() => errors.push(FieldError::new(
            "roles",
            "required",
            "choose at least one role",
        )),
        Recipients::People if people.is_empty() => errors.push(FieldError::new(
            "people",
            "required",
            "choose at least one person",
        )),
        _ => {}
    }
    if input.audience == Recipients::People && !people.is_empty() {
        let found = participation::Entity::find()
            .filter(participation::Column::EventId.eq(event_id))
            .filter(participation::Column::PersonId.is_in(people.clone()))
            .all(&txn)
            .await?;
        let active: Vec<Uuid> = found
            .iter()
            .filter(|p| access::is_active(p))
            .map(|p| p.person_id)
            .collect();
        if people.iter().any(|p| !active.contains(p)) {
            errors.push(FieldError::new(
                "people",
                "not_found",
                "everyone chosen must take part in the event",
            ));
        }
    }
    if !errors.is_empty() {
        return Err(AppError::Validation(errors));
    }
    let recipients = RecipientList(match input.audience {
        Recipients::Everyone => Vec::new(),
        Recipients::Roles => roles.iter().copied().map(Recipient::Role).collect(),
        Recipients::People => people.iter().copied().map(Recipient::Person).collect(),
    });
    // Counted now, for the progress; the batches read the audience again as they go.
    let email_total = if input.email {
        let people =
            audience_people(&txn, event_id, input.audience, &recipients, None, None).await?;
        let out = crate::auth::preferences::opted_out(&txn, &people).await?;
        Some(i32::try_from(people.len() - out).unwrap_or(i32::MAX))
    } else {
        None
    };
    let row = announcement::ActiveModel {
        id: Set(Uuid::now_v7()),
        event_id: Set(event_id),
        author_id: Set(by.id),
        audience: Set(input.audience),
        recipients: Set(recipients),
        body_nl: Set(body_nl),
        body_en: Set(body_en),
        created_at: Set(Utc::now()),
        email: Set(input.email),
        email_total: Set(email_total),
        email_queued: Set(0),
        email_cursor: Set(None),
        email_done_at: Set(None),
    }
    .insert(&txn)
    .await?;
    let public = view(row.clone(), by.name.clone(), false)?;
    let payload = serde_json::to_value(&public).map_err(anyhow::Error::from)?;
    let audiences: Vec<Audience> = match input.audience {
        Recipients::Everyone => vec![Audience::Event],
        Recipients::Roles => roles.iter().map(|r| Audience::Role(*r)).collect(),
        Recipients::People => people.iter().map(|p| Audience::Person(*p)).collect(),
    };
    let mut messages = Vec::with_capacity(audiences.len());
    for audience in audiences {
        messages.push(
            live::publish(
                &txn,
                event_id,
                audience,
                LiveKind::Announcement,
                payload.clone(),
            )
            .await?,
        );
    }
    state.live.commit(txn, &messages).await?;
    let mut answer = view(row.clone(), by.name.clone(), true)?;
    if row.email {
        answer.emails = Some(EmailProgress {
            total: email_total.unwrap_or_default().into(),
            ..EmailProgress::default()
        });
        let state = state.clone();
        tokio::spawn(async move {
            if let Err(e) = mail_batches(&state, row.id).await {
                tracing::error!(announcement = %row.id, error = %e, "announcement emails interrupted; the next housekeeping run goes on");
            }
        });
    }
    Ok(answer)
}

/// The people of an announcement's audience who take part in the event, by person id,
/// after `after`, at most `limit`.
async fn audience_people<C: ConnectionTrait>(
    db: &C,
    event_id: Uuid,
    audience: Recipients,
    recipients: &RecipientList,
    after: Option<Uuid>,
    limit: Option<u64>,
) -> Result<Vec<Uuid>, DbErr> {
    let active: Vec<Status> = <Status as sea_orm::Iterable>::iter()
        .filter(|s| s.is_active())
        .collect();
    let mut query = participation::Entity::find()
        .select_only()
        .column(participation::Column::PersonId)
        .filter(participation::Column::EventId.eq(event_id))
        .filter(participation::Column::Status.is_in(active))
        .order_by_asc(participation::Column::PersonId);
    match audience {
        Recipients::Everyone => {}
        Recipients::Roles => {
            let roles = recipients.roles().unwrap_or_default();
            query = query.filter(participation::Column::Role.is_in(roles));
        }
        Recipients::People => {
            let people = recipients.people().unwrap_or_default();
            query = query.filter(participation::Column::PersonId.is_in(people));
        }
    }
    if let Some(after) = after {
        query = query.filter(participation::Column::PersonId.gt(after));
    }
    if let Some(limit) = limit {
        query = query.limit(limit);
    }
    query.into_tuple().all(db).await
}

/// People per batch of announcement emails (one transaction each).
const BATCH: u64 = 200;

/// Queues the emails of an announcement, batch by batch, until every one is queued.
pub async fn mail_batches(state: &AppState, announcement_id: Uuid) -> AppResult<()> {
    while !crate::db::retrying("announcement emails", || mail_batch(state, announcement_id)).await?
    {
    }
    Ok(())
}

/// Queues the next batch; `true` when there is nothing left to queue.
async fn mail_batch(state: &AppState, announcement_id: Uuid) -> AppResult<bool> {
    use announcement::Column;
    let txn = crate::db::begin(&state.db).await?;
    let Some(row) = announcement::Entity::find_by_id(announcement_id)
        .one(&txn)
        .await?
    else {
        return Ok(true);
    };
    if !row.email || row.email_done_at.is_some() {
        return Ok(true);
    }
    let people = audience_people(
        &txn,
        row.event_id,
        row.audience,
        &row.recipients,
        row.email_cursor,
        Some(BATCH),
    )
    .await?;
    // Whoever moves the cursor from where this run found it queues this batch; a second
    // runner changes no row and stops.
    let mut take = announcement::Entity::update_many()
        .filter(Column::Id.eq(row.id))
        .filter(Column::EmailDoneAt.is_null())
        .filter(match row.email_cursor {
            Some(cursor) => Column::EmailCursor.eq(cursor),
            None => Column::EmailCursor.is_null(),
        });
    let Some(last) = people.last().copied() else {
        take.col_expr(Column::EmailDoneAt, Expr::value(Utc::now()))
            .exec(&txn)
            .await?;
        txn.commit().await?;
        return Ok(true);
    };
    let readers = crate::auth::preferences::announcement_readers(&txn, &people).await?;
    let people: Vec<person::Model> = person::Entity::find()
        .filter(
            person::Column::Id.is_in(people.iter().copied().filter(|p| readers.contains_key(p))),
        )
        .order_by_asc(person::Column::Id)
        .all(&txn)
        .await?;
    take = take
        .col_expr(Column::EmailCursor, Expr::value(last))
        .col_expr(
            Column::EmailQueued,
            Expr::col(Column::EmailQueued).add(people.len() as i32),
        );
    if take.exec(&txn).await?.rows_affected == 0 {
        return Ok(true);
    }
    let event = event::Entity::find_by_id(row.event_id)
        .one(&txn)
        .await?
        .ok_or(AppError::NotFound("event"))?;
    let author = person::Entity::find_by_id(row.author_id)
        .one(&txn)
        .await?
        .map(|a| a.name)
        .unwrap_or_default();
    let ids: Vec<Uuid> = people.iter().map(|p| p.id).collect();
    let links = issue_links(&txn, state, &ids, LinkPurpose::Invitation, Some(event.id)).await?;
    let minutes = state.settings.auth.invitation_link_hours * 60;
    let mut mails = Vec::with_capacity(people.len());
    for (p, link) in people.iter().zip(&links) {
        let body = match p.language {
            Lang::Nl if !row.body_nl.is_empty() => &row.body_nl,
            Lang::En if !row.body_en.is_empty() => &row.body_en,
            // Written in the other language only: that one, rather than nothing.
            _ if row.body_nl.is_empty() => &row.body_en,
            _ => &row.body_nl,
        };
        let unsubscribe = format!("{}/api/unsubscribe/{}", state.public_url, readers[&p.id]);
        let mail = render(
            Mail::Announcement {
                event: &event.name,
                author: &author,
                body,
                unsubscribe: &unsubscribe,
                link,
                minutes,
            },
            To::from(p),
            Some(&event),
        );
        mails.push(mail.of_announcement(row.id));
    }
    state.mail.enqueue_many(&txn, mails).await?;
    txn.commit().await?;
    state.mail.wake();
    Ok(false)
}

/// Goes on with the announcement emails a stopped server left half-queued (those older
/// than a minute, so a batch that is running is left alone); for the housekeeping run.
pub async fn resume_mailings(state: &AppState, now: DateTime<Utc>) -> Result<u64, DbErr> {
    let waiting: Vec<Uuid> = announcement::Entity::find()
        .select_only()
        .column(announcement::Column::Id)
        .filter(announcement::Column::Email.eq(true))
        .filter(announcement::Column::EmailDoneAt.is_null())
        .filter(announcement::Column::CreatedAt.lt(now - Duration::minutes(1)))
        .into_tuple()
        .all(&state.db)
        .await?;
    for id in &waiting {
        if let Err(e) = mail_batches(state, *id).await {
            tracing::error!(announcement = %id, error = %e, "announcement emails left for the next run");
        }
    }
    Ok(waiting.len() as u64)
}

/// The progress of these announcements' emails, from the outbox.
async fn progress<C: ConnectionTrait>(
    db: &C,
    rows: &[announcement::Model],
) -> Result<HashMap<Uuid, EmailProgress>, DbErr> {
    let mailed: Vec<&announcement::Model> = rows.iter().filter(|r| r.email).collect();
    let mut counts: HashMap<Uuid, EmailProgress> = mailed
        .iter()
        .map(|r| {
            (
                r.id,
                EmailProgress {
                    total: r.email_total.unwrap_or_default().into(),
                    queued: r.email_queued.into(),
                    sent: 0,
                    failed: 0,
                    done: r.email_done_at.is_some(),
                },
            )
        })
        .collect();
    if mailed.is_empty() {
        return Ok(counts);
    }
    let by_status: Vec<(Option<Uuid>, MailStatus, i64)> = mail_outbox::Entity::find()
        .select_only()
        .column(mail_outbox::Column::AnnouncementId)
        .column(mail_outbox::Column::Status)
        .column_as(mail_outbox::Column::Id.count(), "count")
        .filter(mail_outbox::Column::AnnouncementId.is_in(mailed.iter().map(|r| r.id)))
        .group_by(mail_outbox::Column::AnnouncementId)
        .group_by(mail_outbox::Column::Status)
        .into_tuple()
        .all(db)
        .await?;
    for (id, status, count) in by_status {
        let Some(progress) = id.and_then(|id| counts.get_mut(&id)) else {
            continue;
        };
        match status {
            MailStatus::Sent => progress.sent += count,
            MailStatus::Failed => progress.failed += count,
            _ => {}
        }
    }
    Ok(counts)
}

/// The announcements this person may read, newest first.
pub async fn list(
    state: &AppState,
    by: &person::Model,
    event_id: Uuid,
) -> AppResult<Vec<AnnouncementView>> {
    let access = access::participant(&state.db, by, event_id).await?;
    let organiser = access.is_organiser();
    let rows = announcement::Entity::find()
        .filter(announcement::Column::EventId.eq(event_id))
        .order_by_desc(announcement::Column::CreatedAt)
        .all(&state.db)
        .await?;
    let authors = person::Entity::find()
        .filter(person::Column::Id.is_in(rows.iter().map(|r| r.author_id)))
        .all(&state.db)
        .await?;
    let emails = if organiser {
        progress(&state.db, &rows).await?
    } else {
        HashMap::new()
    };
    rows.into_iter()
        .filter(|row| {
            organiser
                || match row.audience {
                    Recipients::Roles => access
                        .role
                        .is_some_and(|r| row.recipients.contains(Recipient::Role(r))),
                    Recipients::People => row.recipients.contains(Recipient::Person(by.id)),
                    Recipients::Everyone => true,
                }
        })
        .map(|row| {
            let author = authors
                .iter()
                .find(|a| a.id == row.author_id)
                .map(|a| a.name.clone())
                .unwrap_or_default();
            let emails = emails.get(&row.id).copied();
            let mut view = view(row, author, organiser)?;
            view.emails = emails;
            Ok(view)
        })
        .collect()
}
