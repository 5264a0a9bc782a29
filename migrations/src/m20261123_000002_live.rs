//! Live updates: the per-event message log (for resuming), its sequence counter, short-lived
//! tickets for non-browser clients, and organiser announcements.

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
                    .table("live_sequence")
                    .col(uuid("event_id").primary_key())
                    .col(big_integer("last_seq"))
                    .foreign_key(&mut cascade("live_sequence", "event_id", "event"))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table("live_message")
                    .col(pk_uuid("id"))
                    .col(uuid("event_id"))
                    .col(big_integer("seq"))
                    .col(string("kind"))
                    .col(string("audience"))
                    .col(text("payload"))
                    .col(timestamp_with_time_zone("created_at"))
                    .foreign_key(&mut cascade("live_message", "event_id", "event"))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_live_message_event_seq")
                    .table("live_message")
                    .col("event_id")
                    .col("seq")
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table("live_ticket")
                    .col(pk_uuid("id"))
                    .col(string_uniq("ticket_hash"))
                    .col(uuid("event_id"))
                    .col(uuid("person_id"))
                    .col(uuid("session_id"))
                    .col(timestamp_with_time_zone("expires_at"))
                    .col(timestamp_with_time_zone_null("used_at"))
                    .foreign_key(&mut cascade("live_ticket", "event_id", "event"))
                    .foreign_key(&mut cascade("live_ticket", "person_id", "person"))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table("announcement")
                    .col(pk_uuid("id"))
                    .col(uuid("event_id"))
                    .col(uuid("author_id"))
                    .col(string("audience"))
                    .col(text("recipients"))
                    .col(text("body_nl"))
                    .col(text("body_en"))
                    .col(timestamp_with_time_zone("created_at"))
                    .foreign_key(&mut cascade("announcement", "event_id", "event"))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_announcement_event")
                    .table("announcement")
                    .col("event_id")
                    .col("created_at")
                    .to_owned(),
            )
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            "announcement",
            "live_ticket",
            "live_message",
            "live_sequence",
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        Ok(())
    }
}
