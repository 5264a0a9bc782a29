//! The `organiser_appointment` table: who made whom an organiser of an event, how and when.

use sea_orm::entity::prelude::*;

use crate::domain::Appointment;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "organiser_appointment")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub event_id: Uuid,
    pub person_id: Uuid,
    pub appointed_by: Option<Uuid>,
    pub how: Appointment,
    pub appointed_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
