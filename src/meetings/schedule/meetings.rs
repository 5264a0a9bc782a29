//! The event's meetings as people see them: organisers all of them, buyers and suppliers
//! their own, each with its slot, table, both people and the supplier's factsheet.

use std::collections::{BTreeSet, HashMap};

use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

use super::{ScheduleError, ScheduleResult, SlotRef, TableRef, Venue};
use crate::domain::{MeetingStatus, Role};
use crate::entities::{factsheet, meeting, meeting_request, person};
use crate::events::access;
use crate::meetings::requests::{OtherSide, other_sides};
use crate::state::AppState;

/// One meeting.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct MeetingView {
    pub id: Uuid,
    pub request_id: Uuid,
    pub status: MeetingStatus,
    pub pinned: bool,
    /// Raised on every change people were told about.
    pub sequence: i32,
    pub slot: Option<SlotRef>,
    /// `null`: at the supplier's own stand.
    pub table: Option<TableRef>,
    /// Both people, the buyer first.
    pub people: Vec<OtherSide>,
    /// The published factsheet of the supplier's organisation in this event, if any.
    pub factsheet_id: Option<Uuid>,
}

/// The meetings the reader may see, in time order.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct MeetingList {
    pub event_id: Uuid,
    pub timezone: String,
    pub meetings: Vec<MeetingView>,
}

/// Organisers: every meeting of the event; buyers and suppliers: their own. Facilitators
/// have no one-to-one meetings.
pub async fn list(
    state: &AppState,
    by: &person::Model,
    event_id: Uuid,
) -> ScheduleResult<MeetingList> {
    let db = &state.db;
    let access = access::participant(db, by, event_id).await?;
    let mine = if access.is_organiser() {
        None
    } else {
        match access.role {
            Some(Role::Buyer | Role::Supplier) => {
                let me = access::active_participation(db, event_id, by.id)
                    .await?
                    .ok_or(ScheduleError::NotFound("event"))?;
                Some(me.id)
            }
            _ => {
                return Err(ScheduleError::Forbidden(
                    "only organisers, buyers and suppliers have meetings".into(),
                ));
            }
        }
    };
    let mut requests =
        meeting_request::Entity::find().filter(meeting_request::Column::EventId.eq(event_id));
    if let Some(me) = mine {
        requests = requests.filter(
            sea_orm::Condition::any()
                .add(meeting_request::Column::RequesterId.eq(me))
                .add(meeting_request::Column::RecipientId.eq(me)),
        );
    }
    let requests: HashMap<Uuid, meeting_request::Model> = requests
        .all(db)
        .await?
        .into_iter()
        .map(|r| (r.id, r))
        .collect();
    let rows: Vec<meeting::Model> = meeting::Entity::find()
        .filter(meeting::Column::EventId.eq(event_id))
        .all(db)
        .await?
        .into_iter()
        .filter(|m| requests.contains_key(&m.request_id))
        .collect();
    let people: BTreeSet<Uuid> = rows
        .iter()
        .flat_map(|m| {
            let r = &requests[&m.request_id];
            [r.requester_id, r.recipient_id]
        })
        .collect();
    let names = other_sides(db, people.into_iter().collect()).await?;
    let factsheets: HashMap<Uuid, Uuid> = factsheet::Entity::find()
        .filter(factsheet::Column::EventId.eq(event_id))
        .filter(factsheet::Column::PublishedAt.is_not_null())
        .all(db)
        .await?
        .into_iter()
        .map(|f| (f.organisation_id, f.id))
        .collect();
    let venue = Venue::load(db, event_id).await?;
    let mut meetings: Vec<MeetingView> = rows
        .into_iter()
        .map(|m| {
            let r = &requests[&m.request_id];
            let mut people: Vec<OtherSide> = [r.requester_id, r.recipient_id]
                .iter()
                .filter_map(|id| names.get(id).cloned())
                .collect();
            people.sort_by_key(|p| p.role != Role::Buyer);
            let factsheet_id = people
                .iter()
                .find(|p| p.role == Role::Supplier)
                .and_then(|p| p.organisation_id)
                .and_then(|o| factsheets.get(&o).copied());
            MeetingView {
                id: m.id,
                request_id: m.request_id,
                status: m.status,
                pinned: m.pinned,
                sequence: m.sequence,
                slot: venue.slot(m.slot_id),
                table: venue.table(m.table_id),
                people,
                factsheet_id,
            }
        })
        .collect();
    meetings.sort_by_key(|m| {
        (
            m.status != MeetingStatus::Scheduled,
            m.slot.as_ref().and_then(|s| venue.starts(s.slot_id)),
            m.table.as_ref().map(|t| t.number),
            m.id,
        )
    });
    Ok(MeetingList {
        event_id,
        timezone: access.event.timezone,
        meetings,
    })
}
