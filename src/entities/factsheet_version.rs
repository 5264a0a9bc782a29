//! The `factsheet_version` table: one row per save, submission or review of a factsheet.

use sea_orm::entity::prelude::*;

use crate::domain::{FactsheetAction, StringList};

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "factsheet_version")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub factsheet_id: Uuid,
    pub number: i32,
    pub action: FactsheetAction,
    pub content: String,
    /// The content fields this row changed.
    pub changed_fields: StringList,
    pub author_id: Uuid,
    pub comment: Option<String>,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
