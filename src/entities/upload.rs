//! The `upload` table: a logo, image or document; the bytes live under
//! `data_dir/uploads/` by SHA-256.

use sea_orm::entity::prelude::*;

use crate::domain::UploadPurpose;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "upload")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub event_id: Uuid,
    pub organisation_id: Option<Uuid>,
    pub uploaded_by: Uuid,
    pub purpose: UploadPurpose,
    pub content_type: String,
    pub filename: String,
    pub size_bytes: i64,
    pub sha256: String,
    pub thumb_sha256: Option<String>,
    pub width: Option<i32>,
    pub height: Option<i32>,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
