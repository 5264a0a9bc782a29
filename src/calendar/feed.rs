//! Each person's private calendar feed: a secret URL (`/calendar/{token}.ics`) that a
//! calendar program subscribes to, with the person's meetings (cancelled ones kept as
//! STATUS:CANCELLED with their raised SEQUENCE) and their seats in sessions, across their
//! events. The token is stored only as its SHA-256; a new one revokes the old, and a
//! revoked one answers 404.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter,
    QueryOrder, Set,
};
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

use super::{MeetingFacts, Partner, meeting_entry, session_entry};
use crate::auth::{hash_token, new_token};
use crate::domain::SignupStatus;
use crate::entities::{
    calendar_feed, event, meeting, meeting_request, participation, person, programme_session, room,
    session_signup,
};
use crate::error::AppError;
use crate::mail::ics::{self, Calendar, Entry, Method};
use crate::state::AppState;

/// What the feed's rules refuse.
#[derive(Debug, thiserror::Error)]
pub enum CalendarError {
    /// An unknown or revoked feed token (nothing is said about which).
    #[error("calendar feed not found")]
    FeedNotFound,
    /// Not of the shape handed out (64 hex characters): not even looked up.
    #[error("calendar feed not found")]
    BadToken,
    #[error(transparent)]
    App(AppError),
    #[error(transparent)]
    Database(sea_orm::DbErr),
}

crate::error::capability_error_conversions!(CalendarError);

pub type CalendarResult<T> = Result<T, CalendarError>;

/// Whether I have a feed, and since when (its URL is shown once, when made).
#[derive(Debug, Serialize, ToSchema)]
pub struct FeedStatus {
    pub active: bool,
    pub created_at: Option<DateTime<Utc>>,
}

/// A new feed: its URL, shown this once.
#[derive(Debug, Serialize, ToSchema)]
pub struct FeedCreated {
    /// The secret address to subscribe to (https or webcal); anyone with it reads the
    /// calendar until it is revoked or replaced.
    pub url: String,
    pub created_at: DateTime<Utc>,
}

async fn revoke_all<C: ConnectionTrait>(
    db: &C,
    person_id: Uuid,
    now: DateTime<Utc>,
) -> CalendarResult<u64> {
    let done = calendar_feed::Entity::update_many()
        .col_expr(calendar_feed::Column::RevokedAt, Some(now).into())
        .filter(calendar_feed::Column::PersonId.eq(person_id))
        .filter(calendar_feed::Column::RevokedAt.is_null())
        .exec(db)
        .await?;
    Ok(done.rows_affected)
}

/// Makes my feed, or a new one in place of the old (whose URL stops working).
pub async fn create(state: &AppState, me: &person::Model) -> CalendarResult<FeedCreated> {
    let txn = crate::db::begin(&state.db).await?;
    let now = Utc::now();
    revoke_all(&txn, me.id, now).await?;
    let token = new_token();
    calendar_feed::ActiveModel {
        id: Set(Uuid::now_v7()),
        person_id: Set(me.id),
        token_hash: Set(hash_token(&token)),
        created_at: Set(now),
        revoked_at: Set(None),
    }
    .insert(&txn)
    .await?;
    txn.commit().await?;
    Ok(FeedCreated {
        url: format!("{}/calendar/{token}.ics", state.public_url),
        created_at: now,
    })
}

pub async fn status(state: &AppState, me: &person::Model) -> CalendarResult<FeedStatus> {
    let active = calendar_feed::Entity::find()
        .filter(calendar_feed::Column::PersonId.eq(me.id))
        .filter(calendar_feed::Column::RevokedAt.is_null())
        .order_by_desc(calendar_feed::Column::CreatedAt)
        .one(&state.db)
        .await?;
    Ok(FeedStatus {
        active: active.is_some(),
        created_at: active.map(|f| f.created_at),
    })
}

/// Revokes my feed (if any): its URL answers 404 from now on.
pub async fn revoke(state: &AppState, me: &person::Model) -> CalendarResult<()> {
    revoke_all(&state.db, me.id, Utc::now()).await?;
    Ok(())
}

/// The calendar behind a feed token, as an iCalendar file (METHOD:PUBLISH).
pub async fn calendar_for_token(state: &AppState, token: &str) -> CalendarResult<String> {
    if token.len() != 64 || !token.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err(CalendarError::BadToken);
    }
    let feed = calendar_feed::Entity::find()
        .filter(calendar_feed::Column::TokenHash.eq(hash_token(&token.to_ascii_lowercase())))
        .filter(calendar_feed::Column::RevokedAt.is_null())
        .one(&state.db)
        .await?
        .ok_or(CalendarError::FeedNotFound)?;
    let me = person::Entity::find_by_id(feed.person_id)
        .one(&state.db)
        .await?
        .ok_or(CalendarError::FeedNotFound)?;
    let entries = entries_of(state, &me).await?;
    let name = match me.language {
        crate::domain::Lang::Nl => "matchfloor: mijn agenda",
        crate::domain::Lang::En => "matchfloor: my agenda",
    };
    Ok(ics::write(&Calendar {
        method: Method::Publish,
        entries: &entries,
        organizer: None,
        attendee: None,
        name: Some(name),
        now: Utc::now(),
    }))
}

/// My meetings and seats in sessions in every event I take part in, by start.
async fn entries_of(state: &AppState, me: &person::Model) -> CalendarResult<Vec<Entry>> {
    let db = &state.db;
    let mail = &state.settings.mail;
    let mine: Vec<participation::Model> = participation::Entity::find()
        .filter(participation::Column::PersonId.eq(me.id))
        .all(db)
        .await?
        .into_iter()
        .filter(crate::events::access::is_active)
        .collect();
    if mine.is_empty() {
        return Ok(Vec::new());
    }
    let events: HashMap<Uuid, event::Model> = event::Entity::find()
        .filter(event::Column::Id.is_in(mine.iter().map(|p| p.event_id)))
        .all(db)
        .await?
        .into_iter()
        .map(|e| (e.id, e))
        .collect();
    let my_ids: Vec<Uuid> = mine.iter().map(|p| p.id).collect();
    let requests: HashMap<Uuid, meeting_request::Model> = meeting_request::Entity::find()
        .filter(
            Condition::any()
                .add(meeting_request::Column::RequesterId.is_in(my_ids.clone()))
                .add(meeting_request::Column::RecipientId.is_in(my_ids.clone())),
        )
        .all(db)
        .await?
        .into_iter()
        .map(|r| (r.id, r))
        .collect();
    let meetings = meeting::Entity::find()
        .filter(meeting::Column::RequestId.is_in(requests.keys().copied()))
        .all(db)
        .await?;
    let others: HashMap<Uuid, participation::Model> = participation::Entity::find()
        .filter(
            participation::Column::Id.is_in(requests.values().flat_map(|r| {
                [r.requester_id, r.recipient_id]
                    .into_iter()
                    .filter(|id| !my_ids.contains(id))
            })),
        )
        .all(db)
        .await?
        .into_iter()
        .map(|p| (p.id, p))
        .collect();
    let (people, organisations) =
        crate::people::service::people_and_organisations(db, others.values().map(|p| p.person_id))
            .await?;
    let (slots, tables) = crate::meetings::schedule::agenda::places(db, &meetings).await?;
    let mut entries = Vec::new();
    for m in &meetings {
        let (Some(r), Some(s), Some(ev)) = (
            requests.get(&m.request_id),
            slots.get(&m.slot_id),
            events.get(&m.event_id),
        ) else {
            continue;
        };
        let other = if my_ids.contains(&r.requester_id) {
            r.recipient_id
        } else {
            r.requester_id
        };
        let Some(other) = others.get(&other) else {
            continue;
        };
        let Some(partner) = people.get(&other.person_id) else {
            continue;
        };
        let table = m
            .table_id
            .and_then(|t| tables.get(&t))
            .map(|t| (t.number, t.label.clone()));
        let facts = MeetingFacts {
            meeting_id: m.id,
            sequence: m.sequence,
            starts_at: s.starts_at,
            ends_at: s.ends_at,
            table,
            partner: Partner {
                name: &partner.name,
                organisation: partner
                    .organisation_id
                    .and_then(|o| organisations.get(&o))
                    .map(String::as_str),
                role: other.role,
            },
            cancelled: m.status == crate::domain::MeetingStatus::Cancelled,
            updated_at: m.updated_at,
        };
        entries.push(meeting_entry(mail, ev, me.language, &facts));
    }
    let seats = session_signup::Entity::find()
        .filter(session_signup::Column::PersonId.eq(me.id))
        .filter(session_signup::Column::Status.eq(SignupStatus::Confirmed))
        .filter(session_signup::Column::EventId.is_in(events.keys().copied()))
        .all(db)
        .await?;
    let sessions: HashMap<Uuid, programme_session::Model> = programme_session::Entity::find()
        .filter(programme_session::Column::Id.is_in(seats.iter().map(|s| s.session_id)))
        .all(db)
        .await?
        .into_iter()
        .map(|s| (s.id, s))
        .collect();
    let rooms: HashMap<Uuid, String> = room::Entity::find()
        .filter(room::Column::Id.is_in(sessions.values().filter_map(|s| s.room_id)))
        .all(db)
        .await?
        .into_iter()
        .map(|r| (r.id, r.name))
        .collect();
    for seat in &seats {
        let (Some(s), Some(ev)) = (sessions.get(&seat.session_id), events.get(&seat.event_id))
        else {
            continue;
        };
        let room = s.room_id.and_then(|r| rooms.get(&r)).map(String::as_str);
        entries.push(session_entry(
            mail,
            ev,
            me.language,
            s,
            room,
            seat.id,
            false,
        ));
    }
    entries.sort_by(|a, b| (a.starts_at, &a.uid).cmp(&(b.starts_at, &b.uid)));
    Ok(entries)
}
