//! The `meeting_notice_choice` table: when one participant wants emails about their
//! meeting requests (immediately or as a digest); without a row the organiser's default
//! from the event's rules applies.

use sea_orm::entity::prelude::*;

use crate::domain::EmailTiming;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "meeting_notice_choice")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub participation_id: Uuid,
    pub event_id: Uuid,
    pub email_timing: EmailTiming,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
