//! Questions ahead: what a participant signed up for a market dialogue wants to ask or
//! needs, one text per sign-up. The row hangs on the sign-up and goes with it (cancelled,
//! taken off by an organiser, the person leaving the event, the session deleted), by the
//! database's cascade (docs/programme.md, "Questions ahead").

use sea_orm_migration::{prelude::*, schema::*};

use crate::util::cascade;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table("session_question")
                    .col(pk_uuid("id"))
                    .col(uuid("signup_id"))
                    .col(text("text"))
                    .col(timestamp_with_time_zone("created_at"))
                    .col(timestamp_with_time_zone("updated_at"))
                    .foreign_key(&mut cascade(
                        "session_question",
                        "signup_id",
                        "session_signup",
                    ))
                    .to_owned(),
            )
            .await?;
        // One question per sign-up, so per person and session; two first saves at once
        // meet here and the second becomes an update.
        manager
            .create_index(
                Index::create()
                    .name("ix_session_question_signup")
                    .table("session_question")
                    .col("signup_id")
                    .unique()
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table("session_question").to_owned())
            .await
    }
}
