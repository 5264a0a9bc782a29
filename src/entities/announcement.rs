//! The `announcement` table: what organisers announced, kept for later readers.

use sea_orm::entity::prelude::*;

use crate::domain::Recipients;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "announcement")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub event_id: Uuid,
    pub author_id: Uuid,
    pub audience: Recipients,
    /// JSON array: role names or person ids, depending on `audience`.
    pub recipients: String,
    pub body_nl: String,
    pub body_en: String,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
