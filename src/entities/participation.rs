//! The `participation` table.

use sea_orm::entity::prelude::*;

use crate::domain::{Role, Status};

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "participation")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub event_id: Uuid,
    pub person_id: Uuid,
    pub role: Role,
    pub status: Status,
    /// Shown at the desk on the event day: short, unambiguous, unique in the event
    /// (`people::checkin`).
    pub checkin_code: String,
    /// When the day-before reminder was queued: it goes once.
    pub day_before_sent_at: Option<DateTimeUtc>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
