//! The meeting slots a participant cannot meet in: the ones they mark themselves
//! (arriving late, leaving early) and the ones their sessions of the programme block (a
//! confirmed seat, or a session they lead), which they cannot unmark. The scheduler gives
//! nobody a meeting in either.
//!
//! Meeting requests appear nowhere here: a request holds no slot.

use std::collections::{HashMap, HashSet};

use chrono::{NaiveDate, Utc};
use sea_orm::sea_query::OnConflict;
use sea_orm::{ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder, Set};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use super::{MeetingsError, MeetingsResult, not_a_participant};
use crate::bounds::MAX_UNAVAILABLE_SLOTS;
use crate::domain::SlotKind;
use crate::entities::{event, person, slot, unavailable_slot};
use crate::error::FieldError;
use crate::events::access;
use crate::events::grid::clock;
use crate::programme::ProgrammeError;
use crate::state::AppState;

/// The meeting slots one cannot meet in; replaces the ones marked before.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AvailabilityInput {
    /// Ids of the event's meeting slots (`GET /api/events/{event_id}/slots`); an empty
    /// list means available in every slot.
    pub slot_ids: Vec<Uuid>,
}

/// One meeting slot of the event as it stands for the reader.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct SlotAvailability {
    pub slot_id: Uuid,
    pub date: NaiveDate,
    pub start: String,
    pub end: String,
    /// Neither marked nor blocked by a session: the scheduler may put a meeting here.
    pub available: bool,
    /// The reader marked it as a slot they cannot meet in.
    pub marked: bool,
    /// The session of the programme that blocks it (a confirmed seat or one the reader
    /// leads), if any.
    pub session_id: Option<Uuid>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Availability {
    pub event_id: Uuid,
    pub timezone: String,
    /// The slots the reader marked, in time order.
    pub slot_ids: Vec<Uuid>,
    /// Every meeting slot of the event, in time order.
    pub slots: Vec<SlotAvailability>,
}

fn from_programme(err: ProgrammeError) -> MeetingsError {
    match err {
        ProgrammeError::Database(e) => MeetingsError::Database(e),
        other => MeetingsError::App(other.into()),
    }
}

async fn view<C: ConnectionTrait>(
    db: &C,
    event: &event::Model,
    person_id: Uuid,
    participation_id: Uuid,
) -> MeetingsResult<Availability> {
    let slots = slot::Entity::find()
        .filter(slot::Column::EventId.eq(event.id))
        .filter(slot::Column::Kind.eq(SlotKind::Meeting))
        .order_by_asc(slot::Column::StartsAt)
        .order_by_asc(slot::Column::Id)
        .all(db)
        .await?;
    let marked: HashSet<Uuid> = unavailable_slot::Entity::find()
        .filter(unavailable_slot::Column::ParticipationId.eq(participation_id))
        .all(db)
        .await?
        .into_iter()
        .map(|u| u.slot_id)
        .collect();
    let blocked: HashMap<Uuid, Uuid> =
        crate::programme::service::blocked_slots(db, event.id, person_id)
            .await
            .map_err(from_programme)?
            .into_iter()
            .map(|b| (b.slot_id, b.session_id))
            .collect();
    let slots: Vec<SlotAvailability> = slots
        .into_iter()
        .map(|s| {
            let is_marked = marked.contains(&s.id);
            let session_id = blocked.get(&s.id).copied();
            SlotAvailability {
                slot_id: s.id,
                date: s.local_date,
                start: clock(s.start_minute),
                end: clock(s.end_minute),
                available: !is_marked && session_id.is_none(),
                marked: is_marked,
                session_id,
            }
        })
        .collect();
    Ok(Availability {
        event_id: event.id,
        timezone: event.timezone.clone(),
        slot_ids: slots
            .iter()
            .filter(|s| s.marked)
            .map(|s| s.slot_id)
            .collect(),
        slots,
    })
}

/// The caller's availability over the event's meeting slots.
pub async fn mine(
    state: &AppState,
    by: &person::Model,
    event_id: Uuid,
) -> MeetingsResult<Availability> {
    let access = access::participant(&state.db, by, event_id).await?;
    let mine = access::active_participation(&state.db, event_id, by.id)
        .await?
        .ok_or_else(|| not_a_participant(by))?;
    view(&state.db, &access.event, by.id, mine.id).await
}

/// Replaces the slots the caller marked as unavailable. Every id must be a meeting slot of
/// the event; otherwise nothing changes and each wrong id is named.
pub async fn set(
    state: &AppState,
    by: &person::Model,
    event_id: Uuid,
    input: AvailabilityInput,
) -> MeetingsResult<Availability> {
    let txn = crate::db::begin(&state.db).await?;
    let event = access::participant(&txn, by, event_id).await?.event;
    // One person's changes one after the other: two at once would both insert.
    let mine = access::lock_active_participation(&txn, event_id, by.id)
        .await?
        .ok_or_else(|| not_a_participant(by))?;
    let mut errors = Vec::new();
    let mut wanted: Vec<Uuid> = Vec::new();
    for id in &input.slot_ids {
        if !wanted.contains(id) {
            wanted.push(*id);
        }
    }
    if wanted.len() > MAX_UNAVAILABLE_SLOTS {
        return Err(MeetingsError::Invalid(vec![FieldError::new(
            "slot_ids",
            "too_many",
            format!("at most {MAX_UNAVAILABLE_SLOTS} slots"),
        )]));
    }
    let found: HashMap<Uuid, slot::Model> = slot::Entity::find()
        .filter(slot::Column::EventId.eq(event_id))
        .filter(slot::Column::Id.is_in(wanted.clone()))
        .all(&txn)
        .await?
        .into_iter()
        .map(|s| (s.id, s))
        .collect();
    for (i, id) in input.slot_ids.iter().enumerate() {
        match found.get(id) {
            None => errors.push(FieldError::new(
                format!("slot_ids[{i}]"),
                "not_found",
                "not a slot of this event",
            )),
            Some(s) if s.kind != SlotKind::Meeting => errors.push(FieldError::new(
                format!("slot_ids[{i}]"),
                "not_a_meeting_slot",
                "a break, not a meeting slot",
            )),
            Some(_) => {}
        }
    }
    if !errors.is_empty() {
        return Err(MeetingsError::Invalid(errors));
    }
    unavailable_slot::Entity::delete_many()
        .filter(unavailable_slot::Column::ParticipationId.eq(mine.id))
        .exec(&txn)
        .await?;
    if !wanted.is_empty() {
        let now = Utc::now();
        unavailable_slot::Entity::insert_many(wanted.iter().map(|slot_id| {
            unavailable_slot::ActiveModel {
                id: Set(Uuid::now_v7()),
                event_id: Set(event_id),
                participation_id: Set(mine.id),
                slot_id: Set(*slot_id),
                created_at: Set(now),
            }
        }))
        .exec_without_returning(&txn)
        .await?;
    }
    let answer = view(&txn, &event, by.id, mine.id).await?;
    txn.commit().await?;
    Ok(answer)
}

/// When an organiser generates a day's grid again, the slots whose times change go (the
/// ones that keep their times keep their ids, and with them their marks): each mark on a
/// meeting slot in `gone` moves to every meeting slot of `now` that overlaps its time, so
/// "I cannot meet from 10:00 to 10:20" still holds in the new grid. Call before `gone` is
/// deleted (its marks go with it); the number of marks carried.
pub(crate) async fn carry_marks<C: ConnectionTrait>(
    db: &C,
    gone: &[slot::Model],
    now: &[slot::Model],
) -> Result<u64, DbErr> {
    let gone: HashMap<Uuid, &slot::Model> = gone
        .iter()
        .filter(|s| s.kind == SlotKind::Meeting)
        .map(|s| (s.id, s))
        .collect();
    if gone.is_empty() {
        return Ok(0);
    }
    let marks = unavailable_slot::Entity::find()
        .filter(unavailable_slot::Column::SlotId.is_in(gone.keys().copied()))
        .all(db)
        .await?;
    let created_at = Utc::now();
    let mut carried = Vec::new();
    for mark in marks {
        let Some(old) = gone.get(&mark.slot_id) else {
            continue;
        };
        for new in now.iter().filter(|n| {
            n.kind == SlotKind::Meeting
                && n.local_date == old.local_date
                && n.start_minute < old.end_minute
                && old.start_minute < n.end_minute
        }) {
            carried.push(unavailable_slot::ActiveModel {
                id: Set(Uuid::now_v7()),
                event_id: Set(mark.event_id),
                participation_id: Set(mark.participation_id),
                slot_id: Set(new.id),
                created_at: Set(created_at),
            });
        }
    }
    let mut count = 0;
    for chunk in carried.chunks(500) {
        count += unavailable_slot::Entity::insert_many(chunk.to_vec())
            .on_conflict(
                OnConflict::columns([
                    unavailable_slot::Column::ParticipationId,
                    unavailable_slot::Column::SlotId,
                ])
                .do_nothing()
                .to_owned(),
            )
            .exec_without_returning(db)
            .await?;
    }
    Ok(count)
}
