//! Announcements: an organiser writes a message in Dutch and/or English for everyone, for
//! some roles or for selected people. It is kept for later readers and goes out live, in
//! the same transaction, to every open page it concerns.

use chrono::Utc;
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, QueryOrder, Set};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use crate::domain::{Recipient, RecipientList, Role};
use crate::entities::{announcement, participation, person};
use crate::error::{AppError, AppResult, FieldError};
use crate::events::access;
use crate::live::{self, Audience, LiveKind};
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
    let row = announcement::ActiveModel {
        id: Set(Uuid::now_v7()),
        event_id: Set(event_id),
        author_id: Set(by.id),
        audience: Set(input.audience),
        recipients: Set(recipients),
        body_nl: Set(body_nl),
        body_en: Set(body_en),
        created_at: Set(Utc::now()),
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
    view(row, by.name.clone(), true)
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
            view(row, author, organiser)
        })
        .collect()
}
