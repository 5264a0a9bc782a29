//! The event's meetings as people see them: organisers all of them, buyers and suppliers
//! their own, each as `agenda::views` shows a meeting (slot, table, both people and the
//! supplier's factsheet).

use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

use super::agenda::{self, MeetingView};
use super::{ScheduleError, ScheduleResult};
use crate::domain::{MeetingStatus, Role};
use crate::entities::{meeting, meeting_request, person};
use crate::events::access;
use crate::state::AppState;

/// The meetings the reader may see: scheduled ones in time order, then cancelled ones.
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
    let mut rows = meeting::Entity::find().filter(meeting::Column::EventId.eq(event_id));
    if !access.is_organiser() {
        if !matches!(access.role, Some(Role::Buyer | Role::Supplier)) {
            return Err(ScheduleError::Forbidden(
                "only organisers, buyers and suppliers have meetings".into(),
            ));
        }
        let me = access::active_participation(db, event_id, by.id)
            .await?
            .ok_or(ScheduleError::NotFound("event"))?;
        let mine: Vec<Uuid> = meeting_request::Entity::find()
            .filter(meeting_request::Column::EventId.eq(event_id))
            .filter(
                sea_orm::Condition::any()
                    .add(meeting_request::Column::RequesterId.eq(me.id))
                    .add(meeting_request::Column::RecipientId.eq(me.id)),
            )
            .all(db)
            .await?
            .into_iter()
            .map(|r| r.id)
            .collect();
        rows = rows.filter(meeting::Column::RequestId.is_in(mine));
    }
    let mut meetings = agenda::views(db, event_id, rows.all(db).await?).await?;
    meetings.sort_by(|a, b| {
        (
            a.status != MeetingStatus::Scheduled,
            a.slot.starts_at,
            a.table.as_ref().map(|t| t.number),
            a.id,
        )
            .cmp(&(
                b.status != MeetingStatus::Scheduled,
                b.slot.starts_at,
                b.table.as_ref().map(|t| t.number),
                b.id,
            ))
    });
    Ok(MeetingList {
        event_id,
        timezone: access.event.timezone,
        meetings,
    })
}
