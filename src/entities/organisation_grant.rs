//! The `organisation_grant` table: every membership of an organisation, who granted it,
//! how and when, and when it ended.

use sea_orm::entity::prelude::*;

use crate::domain::GrantKind;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "organisation_grant")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub organisation_id: Uuid,
    pub person_id: Uuid,
    pub kind: GrantKind,
    pub granted_by: Option<Uuid>,
    pub event_id: Option<Uuid>,
    pub granted_at: DateTimeUtc,
    pub ended_at: Option<DateTimeUtc>,
    pub ended_by: Option<Uuid>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
