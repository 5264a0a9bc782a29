//! The `calendar_feed` table: a person's private calendar feed, found by its secret token.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "calendar_feed")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub person_id: Uuid,
    /// SHA-256 of the token in the feed's URL.
    pub token_hash: String,
    pub created_at: DateTimeUtc,
    /// Revoked (or replaced by a new one): its URL answers 404.
    pub revoked_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
