//! The `live_message` table: every live message, in order per event, for resuming.

use sea_orm::entity::prelude::*;

use crate::domain::{Audience, JsonText, LiveKind};

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "live_message")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub event_id: Uuid,
    pub seq: i64,
    pub kind: LiveKind,
    pub audience: Audience,
    pub payload: JsonText,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
