//! The `factsheet` table: a supplier's offer in one event. `content` is the working copy
//! (JSON); `published_content` what the catalogue shows; `facets` the published facet keys.

use sea_orm::entity::prelude::*;

use crate::domain::FactsheetStatus;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "factsheet")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub event_id: Uuid,
    pub organisation_id: Uuid,
    pub status: FactsheetStatus,
    pub stand: Option<String>,
    pub review_comment: Option<String>,
    pub reviewed_by: Option<Uuid>,
    pub reviewed_at: Option<DateTimeUtc>,
    pub submitted_at: Option<DateTimeUtc>,
    pub content: String,
    pub published_content: Option<String>,
    pub published_at: Option<DateTimeUtc>,
    pub facets: String,
    pub sort_title: String,
    pub version: i32,
    pub created_by: Uuid,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
