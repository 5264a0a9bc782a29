//! A buyer's needs profile also names the business models the buyer wants (product as a
//! service, lease, refurbished, take-back ...): the recommendations set them against the
//! business models suppliers' factsheets offer (docs/meetings.md, "Recommendations").
//! Existing profiles want none until their buyer says so.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table("buyer_need")
                    .add_column(text("business_models").default("[]"))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table("buyer_need")
                    .drop_column("business_models")
                    .to_owned(),
            )
            .await
    }
}
