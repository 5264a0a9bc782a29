//! The `factsheet_version` table: one row per save, submission or review of a factsheet.

use sea_orm::entity::prelude::*;

use crate::domain::FactsheetAction;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "factsheet_version")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub factsheet_id: Uuid,
    pub number: i32,
    pub action: FactsheetAction,
    pub content: String,
    /// JSON array of the content fields this row changed.
    pub changed_fields: String,
    pub author_id: Uuid,
    pub comment: Option<String>,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
