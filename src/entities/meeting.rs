//! The `meeting` table: a one-to-one meeting of the schedule people see, in a slot at a
//! table (or at the supplier's own stand). One row per meeting request, ever.

use sea_orm::entity::prelude::*;

use crate::domain::MeetingStatus;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "meeting")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub event_id: Uuid,
    pub request_id: Uuid,
    pub slot_id: Uuid,
    /// `None`: at the supplier's own stand.
    pub table_id: Option<Uuid>,
    pub status: MeetingStatus,
    /// An organiser fixed it in its slot: runs keep it there.
    pub pinned: bool,
    /// Raised on every change people are told about (the calendar entry's SEQUENCE).
    pub sequence: i32,
    /// The run whose publication placed it; `None` when placed by hand.
    pub run_id: Option<Uuid>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    pub updated_by: Option<Uuid>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
