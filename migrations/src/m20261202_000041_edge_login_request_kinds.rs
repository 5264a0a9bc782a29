//! Login-limit records say what each request was: `costly` (an address nobody has, or a
//! registration; these use up a client's small budget) and `mailed` (a login mail went
//! out, which starts the address's cooldown).

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // SQLite takes one column per ALTER TABLE.
        for column in ["costly", "mailed"] {
            manager
                .alter_table(
                    Table::alter()
                        .table("login_request")
                        .add_column(boolean(column).default(false))
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for column in ["mailed", "costly"] {
            manager
                .alter_table(
                    Table::alter()
                        .table("login_request")
                        .drop_column(column)
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }
}
