//! Meetings as people read them: an organiser's view of a meeting (both people), and a
//! participant's own scheduled meetings for their agenda (the partner), each with the
//! slot's local times, the table, and the supplier side's published factsheet.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use sea_orm::{ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter};
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

use crate::catalogue::browse::{FactsheetLink, published_links};
use crate::domain::{MeetingStatus, Role};
use crate::entities::{meeting, meeting_request, meeting_table, slot};
use crate::error::AppError;
use crate::events::grid::SlotView;
use crate::events::venue::TableView;
use crate::meetings::requests::other_sides;
use crate::meetings::{MeetingsError, MeetingsResult};

/// One of the two people of a meeting.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct MeetingPerson {
    pub participant_id: Uuid,
    pub name: String,
    pub organisation: Option<String>,
    pub organisation_id: Option<Uuid>,
    pub role: Role,
    /// For a supplier: their organisation's first published factsheet in the event (in
    /// title order), to read before the meeting.
    pub factsheet: Option<FactsheetLink>,
}

/// A meeting of the schedule, as organisers see it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct MeetingView {
    pub id: Uuid,
    pub request_id: Uuid,
    pub status: MeetingStatus,
    /// Fixed by an organiser: runs of the scheduler keep it where it is.
    pub pinned: bool,
    /// Raised on every change its people are told about.
    pub sequence: i32,
    pub slot: SlotView,
    /// `null`: at the supplier's own stand (an event without meeting tables).
    pub table: Option<TableView>,
    /// The one who asked, then the one asked.
    pub people: Vec<MeetingPerson>,
    /// Placed by hand (`null`) or by publishing this run.
    pub run_id: Option<Uuid>,
    pub updated_at: DateTime<Utc>,
    pub updated_by: Option<Uuid>,
}

/// One of my scheduled meetings, as my agenda shows it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct MyMeeting {
    pub id: Uuid,
    pub request_id: Uuid,
    pub sequence: i32,
    pub slot: SlotView,
    /// `null`: at the supplier's own stand.
    pub table: Option<TableView>,
    /// Whom I meet.
    pub partner: MeetingPerson,
}

impl MeetingView {
    /// The meeting as participation `reader` (one of its people) sees it; `None` for
    /// anyone else.
    pub fn for_person(&self, reader: Uuid) -> Option<MyMeeting> {
        if !self.people.iter().any(|p| p.participant_id == reader) {
            return None;
        }
        let partner = self
            .people
            .iter()
            .find(|p| p.participant_id != reader)?
            .clone();
        Some(MyMeeting {
            id: self.id,
            request_id: self.request_id,
            sequence: self.sequence,
            slot: self.slot.clone(),
            table: self.table.clone(),
            partner,
        })
    }
}

fn app(err: AppError) -> MeetingsError {
    MeetingsError::from(err)
}

/// The views of these meetings of `event_id`, in the order given (a meeting whose slot,
/// request or people are gone is left out).
/// The slots and tables of `meetings`, by id: where and when they are.
pub async fn places<C: ConnectionTrait>(
    db: &C,
    meetings: &[meeting::Model],
) -> Result<
    (
        HashMap<Uuid, slot::Model>,
        HashMap<Uuid, meeting_table::Model>,
    ),
    sea_orm::DbErr,
> {
    let slots = slot::Entity::find()
        .filter(slot::Column::Id.is_in(meetings.iter().map(|m| m.slot_id)))
        .all(db)
        .await?
        .into_iter()
        .map(|s| (s.id, s))
        .collect();
    let tables = meeting_table::Entity::find()
        .filter(meeting_table::Column::Id.is_in(meetings.iter().filter_map(|m| m.table_id)))
        .all(db)
        .await?
        .into_iter()
        .map(|t| (t.id, t))
        .collect();
    Ok((slots, tables))
}

pub async fn views<C: ConnectionTrait>(
    db: &C,
    event_id: Uuid,
    rows: Vec<meeting::Model>,
) -> MeetingsResult<Vec<MeetingView>> {
    if rows.is_empty() {
        return Ok(Vec::new());
    }
    let (slots, tables) = places(db, &rows).await?;
    let requests: HashMap<Uuid, meeting_request::Model> = meeting_request::Entity::find()
        .filter(meeting_request::Column::Id.is_in(rows.iter().map(|m| m.request_id)))
        .all(db)
        .await?
        .into_iter()
        .map(|r| (r.id, r))
        .collect();
    let people = other_sides(
        db,
        requests
            .values()
            .flat_map(|r| [r.requester_id, r.recipient_id])
            .collect(),
    )
    .await?;
    let suppliers: Vec<Uuid> = people
        .values()
        .filter(|p| p.role == Role::Supplier)
        .filter_map(|p| p.organisation_id)
        .collect();
    let factsheets = published_links(db, event_id, suppliers)
        .await
        .map_err(app)?;
    let person = |id: Uuid| {
        people.get(&id).map(|p| MeetingPerson {
            participant_id: p.participant_id,
            name: p.name.clone(),
            organisation: p.organisation.clone(),
            organisation_id: p.organisation_id,
            role: p.role,
            factsheet: (p.role == Role::Supplier)
                .then(|| {
                    p.organisation_id
                        .and_then(|o| factsheets.get(&o))
                        .and_then(|list| list.first().cloned())
                })
                .flatten(),
        })
    };
    Ok(rows
        .into_iter()
        .filter_map(|m| {
            let request = requests.get(&m.request_id)?;
            let slot = slots.get(&m.slot_id)?.clone();
            let people = vec![person(request.requester_id)?, person(request.recipient_id)?];
            Some(MeetingView {
                id: m.id,
                request_id: m.request_id,
                status: m.status,
                pinned: m.pinned,
                sequence: m.sequence,
                slot: SlotView::from(slot),
                table: m
                    .table_id
                    .and_then(|t| tables.get(&t).cloned())
                    .map(TableView::from),
                people,
                run_id: m.run_id,
                updated_at: m.updated_at,
                updated_by: m.updated_by,
            })
        })
        .collect())
}

/// One meeting's view.
pub async fn view<C: ConnectionTrait>(db: &C, row: meeting::Model) -> MeetingsResult<MeetingView> {
    let event_id = row.event_id;
    views(db, event_id, vec![row])
        .await?
        .pop()
        .ok_or(MeetingsError::NotFound("meeting"))
}

/// The scheduled meetings of participation `me` in the event, in time order: what their
/// agenda shows beside their sessions.
pub async fn my_meetings<C: ConnectionTrait>(
    db: &C,
    event_id: Uuid,
    me: Uuid,
) -> MeetingsResult<Vec<MyMeeting>> {
    let requests: Vec<Uuid> = meeting_request::Entity::find()
        .filter(meeting_request::Column::EventId.eq(event_id))
        .filter(
            Condition::any()
                .add(meeting_request::Column::RequesterId.eq(me))
                .add(meeting_request::Column::RecipientId.eq(me)),
        )
        .all(db)
        .await?
        .into_iter()
        .map(|r| r.id)
        .collect();
    if requests.is_empty() {
        return Ok(Vec::new());
    }
    let rows = meeting::Entity::find()
        .filter(meeting::Column::EventId.eq(event_id))
        .filter(meeting::Column::RequestId.is_in(requests))
        .filter(meeting::Column::Status.eq(MeetingStatus::Scheduled))
        .all(db)
        .await?;
    let mut mine: Vec<MyMeeting> = views(db, event_id, rows)
        .await?
        .iter()
        .filter_map(|m| m.for_person(me))
        .collect();
    mine.sort_by(|a, b| {
        (a.slot.starts_at, a.slot.ends_at, a.id).cmp(&(b.slot.starts_at, b.slot.ends_at, b.id))
    });
    Ok(mine)
}
