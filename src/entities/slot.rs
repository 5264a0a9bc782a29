//! The `slot` table.

use sea_orm::entity::prelude::*;

use crate::domain::SlotKind;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "slot")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub event_id: Uuid,
    /// The day in the event's time zone.
    pub local_date: Date,
    /// Minutes after local midnight.
    pub start_minute: i32,
    pub end_minute: i32,
    pub starts_at: DateTimeUtc,
    pub ends_at: DateTimeUtc,
    pub kind: SlotKind,
    pub label: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
