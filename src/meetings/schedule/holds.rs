//! What a scheduled meeting occupies in its slot, kept in `meeting_hold`: each of its two
//! participations and, for a table meeting, its table. The table's unique index on
//! (`slot_id`, `holder_id`) is what keeps one meeting per person per slot and one per table
//! per slot, however many edits and publications run at the same time, on every instance.
//!
//! The one door for it: [`take`] when a meeting is placed (by hand or by publishing a run),
//! [`release`] before it moves or when it is cancelled; [`take_all`] and [`release_all`] do
//! the same for many meetings at once (publishing), in batches. Both work on the meeting row as it
//! is to be (its `slot_id` and `table_id`) and its request (the two people), inside the
//! caller's transaction.
//!
//! [`take`] inserts with `ON CONFLICT DO NOTHING` rather than letting the unique index
//! raise an error: on PostgreSQL an error ends the transaction, and the caller still has to
//! find out what is in the way. When a row was not inserted, the hold that won is looked up
//! (on PostgreSQL the insert waited for a concurrent transaction holding the same key and
//! sees its commit) and named in [`Taken`]: which meeting holds the person or the table,
//! with the people of that meeting. The caller then rolls back.
//!
//! The other way round, the grid and the venue ask here before they remove slots or
//! tables: [`keep_slots_of_meetings`] and [`keep_tables_of_meetings`] refuse, naming them,
//! when scheduled meetings are in those slots or at those tables (docs/scheduling.md,
//! "The grid and the tables keep scheduled meetings").

use chrono::NaiveDate;
use sea_orm::sea_query::OnConflict;
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseTransaction, DbErr, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect, Set,
};
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

use crate::domain::MeetingStatus;
use crate::entities::{meeting, meeting_hold, meeting_request, meeting_table, slot};
use crate::events::grid::clock;
use crate::meetings::MeetingsError;
use crate::meetings::requests::{OtherSide, other_sides};

/// A person of a meeting, named for a refusal or a message: the other side of a request
/// as `meetings::requests` shows it.
pub type NamedPerson = OtherSide;

/// "Ann Peeters (ReMeubel)".
pub fn words(person: &NamedPerson) -> String {
    match &person.organisation {
        Some(org) => format!("{} ({org})", person.name),
        None => person.name.clone(),
    }
}

/// What stands in the way of a hold: the meeting that holds the slot for a person or a
/// table.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(tag = "holder", rename_all = "snake_case")]
pub enum Taken {
    /// The person is in another meeting in that slot, with `partner`.
    Person {
        slot_id: Uuid,
        person: NamedPerson,
        meeting_id: Uuid,
        partner: NamedPerson,
    },
    /// Another meeting uses the table in that slot.
    Table {
        slot_id: Uuid,
        table_id: Uuid,
        number: i32,
        label: Option<String>,
        meeting_id: Uuid,
        people: Vec<NamedPerson>,
    },
    /// Something held it at the moment of the insert and let go before it could be named:
    /// trying again may work.
    Meanwhile { slot_id: Uuid },
}

impl Taken {
    /// The refusal in (English) words, naming what is in the way.
    pub fn words(&self) -> String {
        match self {
            Taken::Person {
                person, partner, ..
            } => format!(
                "{} is in another meeting in that slot, with {}",
                words(person),
                words(partner)
            ),
            Taken::Table {
                number,
                label,
                people,
                ..
            } => {
                let table = match label {
                    Some(label) => format!("table {number} ({label})"),
                    None => format!("table {number}"),
                };
                let who: Vec<String> = people.iter().map(words).collect();
                format!(
                    "{table} is taken in that slot by the meeting of {}",
                    who.join(" and ")
                )
            }
            Taken::Meanwhile { .. } => "the slot was taken meanwhile; try again".to_string(),
        }
    }
}

/// Why a hold could not be taken.
#[derive(Debug, thiserror::Error)]
pub enum HoldError {
    #[error("{}", .0.words())]
    Taken(Box<Taken>),
    #[error(transparent)]
    Database(#[from] DbErr),
}

/// What the meeting occupies: its two people and its table, if any.
fn holders(meeting: &meeting::Model, request: &meeting_request::Model) -> Vec<Uuid> {
    let mut out = vec![request.requester_id, request.recipient_id];
    out.extend(meeting.table_id);
    out
}

/// Takes the holds of `meeting` (scheduled, at its `slot_id` and `table_id`; `request` is
/// its meeting request, for the two people) inside the caller's transaction. When a person
/// or the table is already held in that slot by another meeting, nothing is to be kept:
/// the answer names what is in the way, and the caller rolls back.
pub async fn take(
    txn: &DatabaseTransaction,
    meeting: &meeting::Model,
    request: &meeting_request::Model,
) -> Result<(), HoldError> {
    take_all(txn, &[(meeting, request)]).await
}

/// Hold rows per `INSERT` (four values each: well within SQLite's and PostgreSQL's limits
/// on bound values).
const BATCH: usize = 1000;

/// [`take`] for many meetings at once (publishing a run): the holds go in by batches of
/// [`BATCH`] rows, and only when some were not inserted is the first meeting that lacks
/// one looked up and what is in its way named (another meeting of the same batch, or one
/// already there).
pub async fn take_all(
    txn: &DatabaseTransaction,
    meetings: &[(&meeting::Model, &meeting_request::Model)],
) -> Result<(), HoldError> {
    let rows: Vec<meeting_hold::ActiveModel> = meetings
        .iter()
        .flat_map(|(m, r)| {
            holders(m, r)
                .into_iter()
                .map(|holder| meeting_hold::ActiveModel {
                    id: Set(Uuid::now_v7()),
                    meeting_id: Set(m.id),
                    slot_id: Set(m.slot_id),
                    holder_id: Set(holder),
                })
        })
        .collect();
    let wanted = rows.len() as u64;
    let mut inserted = 0;
    let mut rows = rows.into_iter().peekable();
    while rows.peek().is_some() {
        let batch: Vec<_> = rows.by_ref().take(BATCH).collect();
        inserted += meeting_hold::Entity::insert_many(batch)
            .on_conflict(
                OnConflict::columns([meeting_hold::Column::SlotId, meeting_hold::Column::HolderId])
                    .do_nothing()
                    .to_owned(),
            )
            .exec_without_returning(txn)
            .await?;
    }
    if inserted == wanted {
        return Ok(());
    }
    let mut held = std::collections::HashSet::new();
    for chunk in meetings.chunks(BATCH) {
        let found = meeting_hold::Entity::find()
            .filter(meeting_hold::Column::MeetingId.is_in(chunk.iter().map(|(m, _)| m.id)))
            .all(txn)
            .await?;
        held.extend(found.into_iter().map(|h| (h.meeting_id, h.holder_id)));
    }
    for (m, r) in meetings {
        let holders = holders(m, r);
        if holders.iter().any(|h| !held.contains(&(m.id, *h))) {
            return Err(HoldError::Taken(Box::new(
                in_the_way(txn, m, &holders).await?,
            )));
        }
    }
    Err(HoldError::Taken(Box::new(Taken::Meanwhile {
        slot_id: meetings.first().map(|(m, _)| m.slot_id).unwrap_or_default(),
    })))
}

/// Lets go of everything these meetings hold (publishing a run that moves or drops them).
pub async fn release_all<C: ConnectionTrait>(db: &C, meeting_ids: &[Uuid]) -> Result<(), DbErr> {
    for chunk in meeting_ids.chunks(BATCH) {
        meeting_hold::Entity::delete_many()
            .filter(meeting_hold::Column::MeetingId.is_in(chunk.iter().copied()))
            .exec(db)
            .await?;
    }
    Ok(())
}

/// Lets go of everything meeting `meeting_id` holds (before it moves, or when it is
/// cancelled).
pub async fn release<C: ConnectionTrait>(db: &C, meeting_id: Uuid) -> Result<(), DbErr> {
    meeting_hold::Entity::delete_many()
        .filter(meeting_hold::Column::MeetingId.eq(meeting_id))
        .exec(db)
        .await?;
    Ok(())
}

/// The meetings holding person `participation_id` in the event: how many meetings they
/// have in the schedule (a scheduled meeting holds each of its people once).
pub async fn meetings_of<C: ConnectionTrait>(db: &C, participation_id: Uuid) -> Result<u64, DbErr> {
    use sea_orm::PaginatorTrait;
    meeting_hold::Entity::find()
        .filter(meeting_hold::Column::HolderId.eq(participation_id))
        .count(db)
        .await
}

/// Names the hold that kept one of `holders` out of `meeting`'s slot: a person's (with the
/// partner of that meeting) before a table's.
async fn in_the_way(
    txn: &DatabaseTransaction,
    meeting: &meeting::Model,
    holders: &[Uuid],
) -> Result<Taken, DbErr> {
    let slot_id = meeting.slot_id;
    let found = meeting_hold::Entity::find()
        .filter(meeting_hold::Column::SlotId.eq(slot_id))
        .filter(meeting_hold::Column::HolderId.is_in(holders.iter().copied()))
        .filter(meeting_hold::Column::MeetingId.ne(meeting.id))
        .all(txn)
        .await?;
    let by_person = found.iter().find(|h| Some(h.holder_id) != meeting.table_id);
    let Some(hold) = by_person.or(found.first()) else {
        return Ok(Taken::Meanwhile { slot_id });
    };
    let Some((other, other_request)) = meeting_with_request(txn, hold.meeting_id).await? else {
        return Ok(Taken::Meanwhile { slot_id });
    };
    let people = named(
        txn,
        &[other_request.requester_id, other_request.recipient_id],
    )
    .await?;
    if Some(hold.holder_id) == meeting.table_id {
        let table = meeting_table::Entity::find_by_id(hold.holder_id)
            .one(txn)
            .await?;
        return Ok(match table {
            Some(table) => Taken::Table {
                slot_id,
                table_id: table.id,
                number: table.number,
                label: table.label,
                meeting_id: other.id,
                people,
            },
            None => Taken::Meanwhile { slot_id },
        });
    }
    let (person, partner): (Vec<NamedPerson>, Vec<NamedPerson>) = people
        .into_iter()
        .partition(|p| p.participant_id == hold.holder_id);
    match (person.into_iter().next(), partner.into_iter().next()) {
        (Some(person), Some(partner)) => Ok(Taken::Person {
            slot_id,
            person,
            meeting_id: other.id,
            partner,
        }),
        _ => Ok(Taken::Meanwhile { slot_id }),
    }
}

async fn meeting_with_request<C: ConnectionTrait>(
    db: &C,
    meeting_id: Uuid,
) -> Result<Option<(meeting::Model, meeting_request::Model)>, DbErr> {
    let Some(row) = meeting::Entity::find_by_id(meeting_id).one(db).await? else {
        return Ok(None);
    };
    let request = meeting_request::Entity::find_by_id(row.request_id)
        .one(db)
        .await?;
    Ok(request.map(|r| (row, r)))
}

/// The people of these participations as meetings name them (name, organisation, role:
/// the other side of a request as `meetings::requests` shows it), in the order given;
/// anyone gone is left out.
pub async fn named<C: ConnectionTrait>(
    db: &C,
    participations: &[Uuid],
) -> Result<Vec<NamedPerson>, DbErr> {
    let mut found = other_sides(db, participations.to_vec())
        .await
        .map_err(|e| match e {
            MeetingsError::Database(e) => e,
            other => DbErr::Custom(other.to_string()),
        })?;
    Ok(participations
        .iter()
        .filter_map(|id| found.remove(id))
        .collect())
}

// ---- what the grid and the venue may not remove ----

/// A slot that scheduled meetings are in, named in a refusal.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct SlotInUse {
    pub slot_id: Uuid,
    pub date: NaiveDate,
    /// `HH:MM`, local to the event.
    pub start: String,
    pub end: String,
    /// How many scheduled meetings are in it.
    pub meetings: u64,
}

/// A table that scheduled meetings are at, named in a refusal.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct TableInUse {
    pub table_id: Uuid,
    pub number: i32,
    pub label: Option<String>,
    /// How many scheduled meetings are at it.
    pub meetings: u64,
}

/// A change of the grid or the venue that would remove slots or tables with scheduled
/// meetings: refused, in time or number order, until those meetings are moved or
/// cancelled.
#[derive(Debug, thiserror::Error)]
pub enum InUse {
    #[error("{}", slots_in_use_words(.0))]
    Slots(Vec<SlotInUse>),
    #[error("{}", tables_in_use_words(.0))]
    Tables(Vec<TableInUse>),
    #[error(transparent)]
    Database(#[from] DbErr),
}

impl InUse {
    /// How many scheduled meetings are in the way.
    pub fn meetings(&self) -> u64 {
        match self {
            InUse::Slots(slots) => slots.iter().map(|s| s.meetings).sum(),
            InUse::Tables(tables) => tables.iter().map(|t| t.meetings).sum(),
            InUse::Database(_) => 0,
        }
    }
}

/// How many things a refusal names one by one; the rest are counted.
const NAMED: usize = 10;

/// "a", "a and b", "a, b and c", "a, b, ... and 3 more".
fn listed(items: Vec<String>) -> String {
    let more = items.len().saturating_sub(NAMED);
    let mut items: Vec<String> = items.into_iter().take(NAMED).collect();
    if more > 0 {
        items.push(format!("{more} more"));
    }
    match items.split_last() {
        Some((last, rest)) if !rest.is_empty() => format!("{} and {last}", rest.join(", ")),
        Some((last, _)) => last.clone(),
        None => String::new(),
    }
}

fn meetings_are(n: u64) -> (String, &'static str) {
    if n == 1 {
        ("1 scheduled meeting is".to_string(), "it")
    } else {
        (format!("{n} scheduled meetings are"), "them")
    }
}

fn slots_in_use_words(slots: &[SlotInUse]) -> String {
    let (meetings, them) = meetings_are(slots.iter().map(|s| s.meetings).sum());
    let slot = if slots.len() == 1 { "slot" } else { "slots" };
    let names = slots
        .iter()
        .map(|s| format!("{} {}–{}", s.date, s.start, s.end))
        .collect();
    format!(
        "{meetings} in the {slot} {} that this would remove: move or cancel {them} first",
        listed(names)
    )
}

fn tables_in_use_words(tables: &[TableInUse]) -> String {
    let (meetings, them) = meetings_are(tables.iter().map(|t| t.meetings).sum());
    let table = if tables.len() == 1 { "table" } else { "tables" };
    let names = tables
        .iter()
        .map(|t| match &t.label {
            Some(label) => format!("{} ({label})", t.number),
            None => t.number.to_string(),
        })
        .collect();
    format!(
        "{meetings} at {table} {} that this would remove: move or cancel {them} first",
        listed(names)
    )
}

/// Scheduled meetings per slot or table: `(id, how many)` for those with any.
async fn scheduled_per<C: ConnectionTrait>(
    db: &C,
    column: meeting::Column,
    ids: &[Uuid],
) -> Result<std::collections::HashMap<Uuid, u64>, DbErr> {
    let mut out = std::collections::HashMap::new();
    for chunk in ids.chunks(BATCH) {
        let counts: Vec<(Uuid, i64)> = meeting::Entity::find()
            .select_only()
            .column(column)
            .column_as(meeting::Column::Id.count(), "meetings")
            .filter(column.is_in(chunk.iter().copied()))
            .filter(meeting::Column::Status.eq(MeetingStatus::Scheduled))
            .group_by(column)
            .into_tuple()
            .all(db)
            .await?;
        out.extend(counts.into_iter().map(|(id, n)| (id, n.max(0) as u64)));
    }
    Ok(out)
}

/// Before slots `slot_ids` of event `event_id` are deleted, inside the deleting
/// transaction: refuses when scheduled meetings are in any of them, naming those slots.
/// (Cancelled meetings do not count: they go with their slot.)
///
/// The slot rows are locked first (`FOR UPDATE` on PostgreSQL; SQLite runs one writer at a
/// time anyway), and only then are their meetings counted. A meeting placed, moved or
/// published into one of these slots needs a key-share lock on the slot row (its foreign
/// key, and `edit::target` asks for it explicitly): one that came first has committed by
/// the time the lock is granted, and is counted; one that comes later waits for the
/// deletion and then finds no slot. So no meeting slips in between the count and the
/// deletion.
pub async fn keep_slots_of_meetings(
    txn: &DatabaseTransaction,
    event_id: Uuid,
    slot_ids: &[Uuid],
) -> Result<(), InUse> {
    if slot_ids.is_empty() {
        return Ok(());
    }
    let mut slots = Vec::new();
    for chunk in slot_ids.chunks(BATCH) {
        slots.extend(
            slot::Entity::find()
                .filter(slot::Column::EventId.eq(event_id))
                .filter(slot::Column::Id.is_in(chunk.iter().copied()))
                .order_by_asc(slot::Column::Id)
                .lock_exclusive()
                .all(txn)
                .await?,
        );
    }
    let ids: Vec<Uuid> = slots.iter().map(|s| s.id).collect();
    let counts = scheduled_per(txn, meeting::Column::SlotId, &ids).await?;
    if counts.is_empty() {
        return Ok(());
    }
    slots.sort_by_key(|s| (s.local_date, s.start_minute));
    Err(InUse::Slots(
        slots
            .into_iter()
            .filter_map(|s| {
                counts.get(&s.id).map(|&meetings| SlotInUse {
                    slot_id: s.id,
                    date: s.local_date,
                    start: clock(s.start_minute),
                    end: clock(s.end_minute),
                    meetings,
                })
            })
            .collect(),
    ))
}

/// Before tables `table_ids` of event `event_id` are deleted, inside the deleting
/// transaction: refuses when scheduled meetings are at any of them, naming those tables;
/// otherwise lets go of any hold still naming them (a hold's holder has no foreign key, so
/// nothing else would). Cancelled meetings do not count: their `table_id` becomes null
/// with the table.
///
/// Locks the table rows first, then counts, as [`keep_slots_of_meetings`] does: a meeting
/// placed or moved to a table takes a key-share lock on the table row (its foreign key, and
/// `edit::target`).
pub async fn keep_tables_of_meetings(
    txn: &DatabaseTransaction,
    event_id: Uuid,
    table_ids: &[Uuid],
) -> Result<(), InUse> {
    if table_ids.is_empty() {
        return Ok(());
    }
    let mut tables = Vec::new();
    for chunk in table_ids.chunks(BATCH) {
        tables.extend(
            meeting_table::Entity::find()
                .filter(meeting_table::Column::EventId.eq(event_id))
                .filter(meeting_table::Column::Id.is_in(chunk.iter().copied()))
                .order_by_asc(meeting_table::Column::Id)
                .lock_exclusive()
                .all(txn)
                .await?,
        );
    }
    let ids: Vec<Uuid> = tables.iter().map(|t| t.id).collect();
    let counts = scheduled_per(txn, meeting::Column::TableId, &ids).await?;
    if counts.is_empty() {
        for chunk in ids.chunks(BATCH) {
            meeting_hold::Entity::delete_many()
                .filter(meeting_hold::Column::HolderId.is_in(chunk.iter().copied()))
                .exec(txn)
                .await?;
        }
        return Ok(());
    }
    tables.sort_by_key(|t| t.number);
    Err(InUse::Tables(
        tables
            .into_iter()
            .filter_map(|t| {
                counts.get(&t.id).map(|&meetings| TableInUse {
                    table_id: t.id,
                    number: t.number,
                    label: t.label,
                    meetings,
                })
            })
            .collect(),
    ))
}
