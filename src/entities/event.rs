//! The `event` table.

use sea_orm::entity::prelude::*;

use crate::domain::Languages;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "event")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub slug: String,
    pub name: String,
    pub description_nl: String,
    pub description_en: String,
    pub venue: String,
    pub start_date: Date,
    pub end_date: Date,
    pub timezone: String,
    pub languages: Languages,
    pub registration_open: bool,
    pub supplier_approval_required: bool,
    pub catalogue_public: bool,
    pub factsheet_review_changes: bool,
    /// Bumped whenever what the catalogue lists changes.
    pub catalogue_version: i64,
    /// The event's colour (`#rrggbb`), used in its emails.
    pub colour: String,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
