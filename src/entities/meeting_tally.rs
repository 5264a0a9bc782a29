//! The `meeting_tally` table: one participant's counters that the limits of meeting
//! requests are enforced on (by conditional updates of this row).

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "meeting_tally")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub participation_id: Uuid,
    pub event_id: Uuid,
    /// Open requests sent: pending, accepted or scheduled.
    pub requests_sent: i32,
    /// Accepted or scheduled meetings, on either side.
    pub meetings: i32,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
