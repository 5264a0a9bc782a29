//! Organisers' edits of the schedule by hand (docs/scheduling.md, "Editing by hand"):
//! place an accepted request in a slot and at a table without moving anyone else, move a
//! meeting, swap two meetings, pin or unpin one, cancel one.
//!
//! Every refusal names what is in the way: the person in another meeting then (with the
//! partner), unavailable then, in a session then (naming it), at their limit of meetings,
//! the table taken. Double booking is decided by the database: the holds' unique index
//! (`holds.rs`), so concurrent moves of different meetings into one slot or table never
//! both succeed.
//!
//! Lock order, as for meeting requests: the people's participations (in id order, all
//! exclusively: one person's edits, requests and departure run one after the other), then
//! the request and meeting rows, the target slot and table (key share, see [`target`]),
//! the holds, and the event's live sequence last.

use std::sync::Arc;

use chrono::Utc;
use sea_orm::sea_query::LockType;
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseTransaction, EntityTrait, QueryFilter, QuerySelect, Set,
};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use super::agenda::{self, MeetingView};
use super::edit_notice::{self as notice, Change, Place};
use super::holds::{self, HoldError, NamedPerson, Taken};
use crate::domain::{LiveKind, MeetingRequestStatus, MeetingStatus, Role, SlotKind};
use crate::entities::{
    event, meeting, meeting_request, meeting_table, participation, person, programme_session, slot,
    unavailable_slot,
};
use crate::error::{AppError, FieldError};
use crate::events::access;
use crate::live::{self, Audience, LiveMessage};
use crate::meetings::requests::transition;
use crate::meetings::rules::{self, meeting_limit};
use crate::state::AppState;

/// Placing an accepted meeting request in the schedule by hand.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PlaceInput {
    /// An accepted meeting request of the event.
    pub request_id: Uuid,
    /// A meeting slot of the event.
    pub slot_id: Uuid,
    /// A meeting table of the event: required when the event has tables; `null` (or left
    /// out) only in an event without tables, where suppliers meet at their own stand.
    pub table_id: Option<Uuid>,
    /// Fix it there: runs of the scheduler keep it where it is.
    #[serde(default)]
    pub pinned: bool,
}

/// Only cancelling is a change of status by hand (a cancelled meeting comes back by
/// placing its request again).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum NewStatus {
    Cancelled,
}

/// A change of one meeting: a move (`slot_id` and/or `table_id`), a swap (`swap_with`) or
/// a cancellation (`status`), one of them, optionally with `pinned`; or `pinned` alone.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct EditInput {
    /// Move to this meeting slot of the event (with `table_id`, or keeping its table).
    pub slot_id: Option<Uuid>,
    /// Move to this table (with `slot_id`, or in the same slot).
    pub table_id: Option<Uuid>,
    /// Another scheduled meeting of the event: the two exchange slot and table.
    pub swap_with: Option<Uuid>,
    /// Fix it where it is (or will be), or let runs move it again.
    pub pinned: Option<bool>,
    /// `cancelled`: the meeting is off and its request is accepted again, so a later run
    /// or a placement by hand may schedule it again.
    pub status: Option<NewStatus>,
}

/// The edited meeting, and for a swap the other one.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct EditAnswer {
    pub meeting: MeetingView,
    pub swapped_with: Option<MeetingView>,
}

/// What editing the schedule refuses, in the domain's words; `edit_routes.rs` turns each
/// into an HTTP answer.
#[derive(Debug, thiserror::Error)]
pub enum EditError {
    #[error("{0} not found")]
    NotFound(&'static str),
    #[error("{0}")]
    Forbidden(String),
    #[error("validation failed")]
    Invalid(Vec<FieldError>),
    /// Only accepted requests are placed.
    #[error("this meeting request is {}, not accepted", status.as_str())]
    NotAccepted { status: MeetingRequestStatus },
    /// The request has a scheduled meeting already: move that one.
    #[error("this meeting request is scheduled already: move its meeting instead")]
    AlreadyScheduled { meeting_id: Uuid },
    /// Moving, swapping, pinning or cancelling a cancelled meeting.
    #[error("this meeting is cancelled: place its request again instead")]
    Cancelled { meeting_id: Uuid },
    /// One of the people no longer takes part in the event.
    #[error("{} no longer takes part in the event", holds::words(.person))]
    Left { person: NamedPerson },
    /// The person marked the slot as one they cannot meet in.
    #[error("{} cannot meet in that slot (marked as unavailable)", holds::words(.person))]
    Unavailable { person: NamedPerson, slot_id: Uuid },
    /// A session the person has a seat in (or leads) takes the slot.
    #[error("{} is in the session \"{}\" at that time", holds::words(.person), .session.title_en)]
    InSession {
        person: NamedPerson,
        slot_id: Uuid,
        session: SessionRef,
    },
    /// The person has as many scheduled meetings as the organiser's rules allow.
    #[error("{} has as many meetings as allowed ({limit})", holds::words(.person))]
    MeetingLimit { person: NamedPerson, limit: i32 },
    /// The person is in another meeting then, or the table is taken.
    #[error("{}", .0.words())]
    Taken(Box<Taken>),
    #[error(transparent)]
    App(AppError),
    #[error(transparent)]
    Database(sea_orm::DbErr),
}

/// A session of the programme, named in a refusal.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct SessionRef {
    pub session_id: Uuid,
    pub title_nl: String,
    pub title_en: String,
}

crate::error::capability_error_conversions!(EditError);

impl From<crate::meetings::MeetingsError> for EditError {
    fn from(err: crate::meetings::MeetingsError) -> Self {
        use crate::meetings::MeetingsError as M;
        match err {
            M::Database(e) => EditError::Database(e),
            M::NotFound(what) => EditError::NotFound(what),
            M::App(e) => EditError::App(e),
            other => EditError::App(AppError::from(other)),
        }
    }
}

impl From<crate::programme::ProgrammeError> for EditError {
    fn from(err: crate::programme::ProgrammeError) -> Self {
        use crate::programme::ProgrammeError as P;
        match err {
            P::Database(e) => EditError::Database(e),
            other => EditError::App(AppError::from(other)),
        }
    }
}

impl From<HoldError> for EditError {
    fn from(err: HoldError) -> Self {
        match err {
            HoldError::Taken(taken) => EditError::Taken(taken),
            HoldError::Database(e) => EditError::Database(e),
        }
    }
}

/// Concurrent edits lock people in id order; should PostgreSQL still pick a deadlock
/// victim, the edit runs again.
impl crate::db::Transient for EditError {
    fn is_transient(&self) -> bool {
        matches!(self, EditError::Database(e) if crate::db::is_transient(e))
    }
}

pub type EditResult<T> = Result<T, EditError>;

fn invalid(field: &str, code: &str, message: &str) -> EditError {
    EditError::Invalid(vec![FieldError::new(field, code, message)])
}

// ---- placing ----

/// Places the accepted request of `input` in its slot and at its table, moving nobody
/// else; the request becomes `scheduled` and both people are told.
pub async fn place(
    state: &AppState,
    by: &person::Model,
    event_id: Uuid,
    input: PlaceInput,
) -> EditResult<MeetingView> {
    crate::db::retrying("placing a meeting", || {
        place_once(state, by, event_id, &input)
    })
    .await
}

async fn place_once(
    state: &AppState,
    by: &person::Model,
    event_id: Uuid,
    input: &PlaceInput,
) -> EditResult<MeetingView> {
    let txn = crate::db::begin(&state.db).await?;
    let event = access::organiser(&txn, by, event_id).await?.event;
    let seen = meeting_request::Entity::find_by_id(input.request_id)
        .filter(meeting_request::Column::EventId.eq(event_id))
        .one(&txn)
        .await?
        .ok_or_else(|| {
            invalid(
                "request_id",
                "not_found",
                "not a meeting request of this event",
            )
        })?;
    lock_people(&txn, event_id, &[&seen], true).await?;
    let request = crate::meetings::requests::lock_request(&txn, seen.id).await?;
    let existing = meeting::Entity::find()
        .filter(meeting::Column::RequestId.eq(request.id))
        .lock_exclusive()
        .one(&txn)
        .await?;
    if let Some(m) = existing
        .as_ref()
        .filter(|m| m.status == MeetingStatus::Scheduled)
    {
        return Err(EditError::AlreadyScheduled { meeting_id: m.id });
    }
    if request.status != MeetingRequestStatus::Accepted {
        return Err(EditError::NotAccepted {
            status: request.status,
        });
    }
    let target = target(&txn, event_id, Some(input.slot_id), input.table_id).await?;
    check_people(&txn, event_id, &request, target.slot_id).await?;
    check_limits(&txn, event_id, &request).await?;

    let now = Utc::now();
    let row = match existing {
        // Cancelled before: the request's one meeting row comes back.
        Some(old) => {
            meeting::Entity::update(meeting::ActiveModel {
                id: Set(old.id),
                slot_id: Set(target.slot_id),
                table_id: Set(target.table_id),
                status: Set(MeetingStatus::Scheduled),
                pinned: Set(input.pinned),
                sequence: Set(old.sequence + 1),
                run_id: Set(None),
                updated_at: Set(now),
                updated_by: Set(Some(by.id)),
                ..Default::default()
            })
            .exec(&txn)
            .await?
        }
        None => {
            meeting::Entity::insert(meeting::ActiveModel {
                id: Set(Uuid::now_v7()),
                event_id: Set(event_id),
                request_id: Set(request.id),
                slot_id: Set(target.slot_id),
                table_id: Set(target.table_id),
                status: Set(MeetingStatus::Scheduled),
                pinned: Set(input.pinned),
                sequence: Set(0),
                run_id: Set(None),
                created_at: Set(now),
                updated_at: Set(now),
                updated_by: Set(Some(by.id)),
            })
            .exec_with_returning(&txn)
            .await?
        }
    };
    holds::take(&txn, &row, &request).await?;
    set_request(
        &txn,
        &request,
        MeetingRequestStatus::Accepted,
        MeetingRequestStatus::Scheduled,
    )
    .await?;
    let view = agenda::view(&txn, row).await?;
    let (messages, mailed) = notice::tell(&txn, state, &event, &view, Change::Added).await?;
    commit(state, txn, event.id, &[view.id], messages, mailed).await?;
    Ok(view)
}

// ---- editing ----

/// Applies `input` to meeting `meeting_id`: a move, a swap or a cancellation, optionally
/// with `pinned`, or `pinned` alone. The people whose meeting changed are told (pinning
/// alone changes nothing they see, and tells nobody).
pub async fn edit(
    state: &AppState,
    by: &person::Model,
    event_id: Uuid,
    meeting_id: Uuid,
    input: EditInput,
) -> EditResult<EditAnswer> {
    let moving = input.slot_id.is_some() || input.table_id.is_some();
    let acts = [moving, input.swap_with.is_some(), input.status.is_some()]
        .iter()
        .filter(|a| **a)
        .count();
    if acts > 1 {
        return Err(invalid(
            "",
            "one_change",
            "move (slot_id, table_id), swap (swap_with) or cancel (status), one at a time",
        ));
    }
    if acts == 0 && input.pinned.is_none() {
        return Err(invalid(
            "",
            "no_change",
            "say what changes: slot_id and/or table_id, swap_with, pinned or status",
        ));
    }
    if input.swap_with == Some(meeting_id) {
        return Err(invalid(
            "swap_with",
            "same_meeting",
            "a meeting cannot swap with itself",
        ));
    }
    crate::db::retrying("editing a meeting", || {
        edit_once(state, by, event_id, meeting_id, &input)
    })
    .await
}

async fn edit_once(
    state: &AppState,
    by: &person::Model,
    event_id: Uuid,
    meeting_id: Uuid,
    input: &EditInput,
) -> EditResult<EditAnswer> {
    let txn = crate::db::begin(&state.db).await?;
    let event = access::organiser(&txn, by, event_id).await?.event;
    let (first, first_request) = meeting_of(&txn, event_id, meeting_id).await?;
    let other = match input.swap_with {
        Some(id) => Some(meeting_of(&txn, event_id, id).await.map_err(|e| match e {
            EditError::NotFound(_) => {
                invalid("swap_with", "not_found", "not a meeting of this event")
            }
            e => e,
        })?),
        None => None,
    };
    // A cancellation goes through when someone left; anything that keeps or puts people
    // in a meeting needs them taking part.
    let cancelling = input.status.is_some();
    let mut requests = vec![&first_request];
    if let Some((_, r)) = &other {
        requests.push(r);
    }
    lock_people(&txn, event_id, &requests, !cancelling).await?;
    let first = lock_meeting(&txn, first.id).await?;
    let other = match other {
        Some((m, r)) => Some((lock_meeting(&txn, m.id).await?, r)),
        None => None,
    };
    for m in std::iter::once(&first).chain(other.as_ref().map(|(m, _)| m)) {
        if m.status != MeetingStatus::Scheduled {
            return Err(EditError::Cancelled { meeting_id: m.id });
        }
    }
    let now = Utc::now();
    let mut update = meeting::ActiveModel {
        id: Set(first.id),
        updated_at: Set(now),
        updated_by: Set(Some(by.id)),
        ..Default::default()
    };
    if let Some(pinned) = input.pinned {
        update.pinned = Set(pinned);
    }
    let mut told: Vec<(meeting::Model, Change)> = Vec::new();
    let mut swapped = None;

    if cancelling {
        holds::release(&txn, first.id).await?;
        update.status = Set(MeetingStatus::Cancelled);
        update.pinned = Set(false);
        update.sequence = Set(first.sequence + 1);
        let row = meeting::Entity::update(update).exec(&txn).await?;
        set_request(
            &txn,
            &first_request,
            MeetingRequestStatus::Scheduled,
            MeetingRequestStatus::Accepted,
        )
        .await?;
        told.push((row, Change::Cancelled));
    } else if let Some((second, second_request)) = other {
        // The two exchange slot and table: both let go first, then both take.
        check_people(&txn, event_id, &first_request, second.slot_id).await?;
        check_people(&txn, event_id, &second_request, first.slot_id).await?;
        holds::release(&txn, first.id).await?;
        holds::release(&txn, second.id).await?;
        update.slot_id = Set(second.slot_id);
        update.table_id = Set(second.table_id);
        update.sequence = Set(first.sequence + 1);
        let moved = meeting::Entity::update(update).exec(&txn).await?;
        let other_moved = meeting::Entity::update(meeting::ActiveModel {
            id: Set(second.id),
            slot_id: Set(first.slot_id),
            table_id: Set(first.table_id),
            sequence: Set(second.sequence + 1),
            updated_at: Set(now),
            updated_by: Set(Some(by.id)),
            ..Default::default()
        })
        .exec(&txn)
        .await?;
        holds::take(&txn, &moved, &first_request).await?;
        holds::take(&txn, &other_moved, &second_request).await?;
        told.push((
            moved,
            Change::Moved {
                from: place_of(&first),
            },
        ));
        swapped = Some(other_moved.clone());
        told.push((
            other_moved,
            Change::Moved {
                from: place_of(&second),
            },
        ));
    } else if input.slot_id.is_some() || input.table_id.is_some() {
        let target = target(
            &txn,
            event_id,
            input.slot_id.or(Some(first.slot_id)),
            input.table_id.or(first.table_id),
        )
        .await?;
        if target.slot_id == first.slot_id && target.table_id == first.table_id {
            // Already there: only `pinned` may change.
            let row = meeting::Entity::update(update).exec(&txn).await?;
            return finish(state, txn, &event, row, None, Vec::new()).await;
        }
        if target.slot_id != first.slot_id {
            check_people(&txn, event_id, &first_request, target.slot_id).await?;
        }
        holds::release(&txn, first.id).await?;
        update.slot_id = Set(target.slot_id);
        update.table_id = Set(target.table_id);
        update.sequence = Set(first.sequence + 1);
        let moved = meeting::Entity::update(update).exec(&txn).await?;
        holds::take(&txn, &moved, &first_request).await?;
        told.push((
            moved,
            Change::Moved {
                from: place_of(&first),
            },
        ));
    } else {
        // Pinning alone.
        let row = meeting::Entity::update(update).exec(&txn).await?;
        return finish(state, txn, &event, row, None, Vec::new()).await;
    }
    let row = told
        .first()
        .map(|(m, _)| m.clone())
        .expect("a change was made");
    finish(state, txn, &event, row, swapped, told).await
}

/// Tells the people of each change, commits, and answers with the meeting(s).
async fn finish(
    state: &AppState,
    txn: DatabaseTransaction,
    event: &event::Model,
    row: meeting::Model,
    swapped: Option<meeting::Model>,
    told: Vec<(meeting::Model, Change)>,
) -> EditResult<EditAnswer> {
    let mut messages = Vec::new();
    let mut mailed = false;
    for (m, change) in told {
        let view = agenda::view(&txn, m).await?;
        let (sent, mail) = notice::tell(&txn, state, event, &view, change).await?;
        messages.extend(sent);
        mailed |= mail;
    }
    let meeting = agenda::view(&txn, row).await?;
    let swapped_with = match swapped {
        Some(m) => Some(agenda::view(&txn, m).await?),
        None => None,
    };
    let edited: Vec<Uuid> = [Some(meeting.id), swapped_with.as_ref().map(|m| m.id)]
        .into_iter()
        .flatten()
        .collect();
    commit(state, txn, event.id, &edited, messages, mailed).await?;
    Ok(EditAnswer {
        meeting,
        swapped_with,
    })
}

/// Commits an edit with the people's messages and one to the event's organisers naming
/// the meetings edited, so every open schedule page follows.
async fn commit(
    state: &AppState,
    txn: DatabaseTransaction,
    event_id: Uuid,
    edited: &[Uuid],
    mut messages: Vec<Arc<LiveMessage>>,
    mailed: bool,
) -> EditResult<()> {
    messages.push(
        live::publish(
            &txn,
            event_id,
            Audience::Role(Role::Organiser),
            LiveKind::MeetingsEdited,
            serde_json::json!({ "meeting_ids": edited }),
        )
        .await?,
    );
    state.live.commit(txn, &messages).await?;
    if mailed {
        state.mail.wake();
    }
    Ok(())
}

// ---- the rules ----

fn place_of(m: &meeting::Model) -> Place {
    Place {
        slot_id: m.slot_id,
        table_id: m.table_id,
    }
}

/// A meeting of the event with its request; anyone asking about another event's meeting
/// finds none.
async fn meeting_of<C: ConnectionTrait>(
    db: &C,
    event_id: Uuid,
    meeting_id: Uuid,
) -> EditResult<(meeting::Model, meeting_request::Model)> {
    let row = meeting::Entity::find_by_id(meeting_id)
        .filter(meeting::Column::EventId.eq(event_id))
        .one(db)
        .await?
        .ok_or(EditError::NotFound("meeting"))?;
    let request = meeting_request::Entity::find_by_id(row.request_id)
        .one(db)
        .await?
        .ok_or(EditError::NotFound("meeting"))?;
    Ok((row, request))
}

async fn lock_meeting(txn: &DatabaseTransaction, id: Uuid) -> EditResult<meeting::Model> {
    meeting::Entity::find_by_id(id)
        .lock_exclusive()
        .one(txn)
        .await?
        .ok_or(EditError::NotFound("meeting"))
}

/// Locks the people of these requests, in id order (so two edits never wait for each
/// other crosswise); with `active`, each must still take part.
async fn lock_people(
    txn: &DatabaseTransaction,
    event_id: Uuid,
    requests: &[&meeting_request::Model],
    active: bool,
) -> EditResult<()> {
    let mut ids: Vec<Uuid> = requests
        .iter()
        .flat_map(|r| [r.requester_id, r.recipient_id])
        .collect();
    ids.sort();
    ids.dedup();
    let parts = participation::Entity::find()
        .filter(participation::Column::Id.is_in(ids.iter().copied()))
        .all(txn)
        .await?;
    for id in ids {
        let Some(part) = parts.iter().find(|p| p.id == id) else {
            return Err(EditError::NotFound("participant"));
        };
        let locked = access::lock_active_participation(txn, event_id, part.person_id).await?;
        if locked.is_none() && active {
            let person = holds::named(txn, &[id]).await?.pop();
            return Err(match person {
                Some(person) => EditError::Left { person },
                None => EditError::NotFound("participant"),
            });
        }
    }
    Ok(())
}

/// Where a meeting goes, checked.
struct Target {
    slot_id: Uuid,
    table_id: Option<Uuid>,
}

/// Checks that `slot_id` is a meeting slot of the event and `table_id` one of its tables
/// (required when the event has tables, absent when it has none).
///
/// The slot and table rows are read with a key-share lock (PostgreSQL; SQLite runs one
/// writer at a time): the grid or the venue deleting one of them at the same moment either
/// waits for this edit and then sees its meeting (`holds::keep_slots_of_meetings`), or
/// deleted it first and this edit finds no such slot or table, never a foreign-key error.
async fn target(
    txn: &DatabaseTransaction,
    event_id: Uuid,
    slot_id: Option<Uuid>,
    table_id: Option<Uuid>,
) -> EditResult<Target> {
    let mut errors = Vec::new();
    let slot_id = slot_id.unwrap_or_default();
    match slot::Entity::find_by_id(slot_id)
        .filter(slot::Column::EventId.eq(event_id))
        .lock(LockType::KeyShare)
        .one(txn)
        .await?
    {
        None => errors.push(FieldError::new(
            "slot_id",
            "not_found",
            "not a slot of this event",
        )),
        Some(s) if s.kind != SlotKind::Meeting => errors.push(FieldError::new(
            "slot_id",
            "not_a_meeting_slot",
            "not a meeting slot (a break)",
        )),
        Some(_) => {}
    }
    match table_id {
        Some(id) => {
            let found = meeting_table::Entity::find_by_id(id)
                .filter(meeting_table::Column::EventId.eq(event_id))
                .lock(LockType::KeyShare)
                .one(txn)
                .await?;
            if found.is_none() {
                errors.push(FieldError::new(
                    "table_id",
                    "not_found",
                    "not a meeting table of this event",
                ));
            }
        }
        None => {
            let any = meeting_table::Entity::find()
                .filter(meeting_table::Column::EventId.eq(event_id))
                .one(txn)
                .await?;
            if any.is_some() {
                errors.push(FieldError::new(
                    "table_id",
                    "required",
                    "this event has meeting tables: name one",
                ));
            }
        }
    }
    if !errors.is_empty() {
        return Err(EditError::Invalid(errors));
    }
    Ok(Target { slot_id, table_id })
}

/// Both people of `request` can meet in `slot_id`: neither marked it as unavailable, and no
/// session of theirs takes it. (Another meeting then is for the holds to say.)
async fn check_people(
    txn: &DatabaseTransaction,
    event_id: Uuid,
    request: &meeting_request::Model,
    slot_id: Uuid,
) -> EditResult<()> {
    for id in [request.requester_id, request.recipient_id] {
        let marked = unavailable_slot::Entity::find()
            .filter(unavailable_slot::Column::ParticipationId.eq(id))
            .filter(unavailable_slot::Column::SlotId.eq(slot_id))
            .one(txn)
            .await?;
        if marked.is_some() {
            return Err(EditError::Unavailable {
                person: one_named(txn, id).await?,
                slot_id,
            });
        }
        let Some(part) = participation::Entity::find_by_id(id).one(txn).await? else {
            return Err(EditError::NotFound("participant"));
        };
        let blocked = crate::programme::service::blocked_slots(txn, event_id, part.person_id)
            .await?
            .into_iter()
            .find(|b| b.slot_id == slot_id);
        if let Some(blocked) = blocked {
            let session = programme_session::Entity::find_by_id(blocked.session_id)
                .one(txn)
                .await?
                .ok_or(EditError::NotFound("session"))?;
            return Err(EditError::InSession {
                person: one_named(txn, id).await?,
                slot_id,
                session: SessionRef {
                    session_id: session.id,
                    title_nl: session.title_nl,
                    title_en: session.title_en,
                },
            });
        }
    }
    Ok(())
}

/// Neither person of `request` has as many scheduled meetings as the rules allow their
/// role. Both are locked, so their count holds until commit.
async fn check_limits(
    txn: &DatabaseTransaction,
    event_id: Uuid,
    request: &meeting_request::Model,
) -> EditResult<()> {
    let rules = rules::load(txn, event_id).await?;
    for id in [request.requester_id, request.recipient_id] {
        let Some(part) = participation::Entity::find_by_id(id).one(txn).await? else {
            return Err(EditError::NotFound("participant"));
        };
        let Some(limit) = meeting_limit(&rules, part.role) else {
            continue;
        };
        if holds::meetings_of(txn, id).await? >= limit.max(0) as u64 {
            return Err(EditError::MeetingLimit {
                person: one_named(txn, id).await?,
                limit,
            });
        }
    }
    Ok(())
}

async fn one_named<C: ConnectionTrait>(db: &C, id: Uuid) -> EditResult<NamedPerson> {
    holds::named(db, &[id])
        .await?
        .pop()
        .ok_or(EditError::NotFound("participant"))
}

/// Moves the request from `from` to `to` (accepted when placed, back when cancelled),
/// only from the state it was read in.
async fn set_request(
    txn: &DatabaseTransaction,
    request: &meeting_request::Model,
    from: MeetingRequestStatus,
    to: MeetingRequestStatus,
) -> EditResult<()> {
    let changed = transition(
        txn,
        request.id,
        from,
        meeting_request::ActiveModel {
            id: Set(request.id),
            status: Set(to),
            ..Default::default()
        },
    )
    .await?;
    if changed.is_none() {
        return Err(EditError::App(AppError::conflict(
            "the meeting request changed meanwhile; try again".to_string(),
        )));
    }
    Ok(())
}
