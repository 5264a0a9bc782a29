//! The `meeting_notice` table: something a person is to be told about one of their meeting
//! requests, waiting for their next digest email.

use sea_orm::entity::prelude::*;

use crate::domain::MeetingNoticeKind;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "meeting_notice")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub event_id: Uuid,
    /// The participation told.
    pub participation_id: Uuid,
    pub request_id: Uuid,
    pub kind: MeetingNoticeKind,
    pub created_at: DateTimeUtc,
    /// When a digest carried it; `None` while it waits.
    pub sent_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
