//! The `meeting_hold` table: what a scheduled meeting occupies in its slot (each of its two
//! participations, and its table). Unique per (slot, holder), so nobody is in two meetings
//! at once and no table is used twice in a slot, however many edits run at the same time.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "meeting_hold")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub meeting_id: Uuid,
    pub slot_id: Uuid,
    /// A participation's id or a meeting table's id.
    pub holder_id: Uuid,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
