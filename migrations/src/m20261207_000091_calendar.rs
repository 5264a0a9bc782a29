//! Calendar files and feeds: the calendar files a queued email carries (`mail_outbox.calendar`,
//! JSON), a SEQUENCE for programme sessions (raised when a session's time, room or title
//! changes), and each person's private calendar
//! feed (`calendar_feed`: the token's SHA-256, revocable). Design in docs/calendar.md.

use sea_orm_migration::{prelude::*, schema::*};

use crate::util::{cascade, index};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // SQLite takes one column per ALTER TABLE.
        manager
            .alter_table(
                Table::alter()
                    .table("mail_outbox")
                    // JSON: [{method, filename, content}], the .ics attachments
                    .add_column(text_null("calendar"))
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table("programme_session")
                    // Raised when its time, room or title changes (calendar SEQUENCE).
                    .add_column(integer("sequence").default(0))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table("calendar_feed")
                    .col(pk_uuid("id"))
                    .col(uuid("person_id"))
                    // SHA-256 of the secret token in the feed's URL
                    .col(string("token_hash"))
                    .col(timestamp_with_time_zone("created_at"))
                    .col(timestamp_with_time_zone_null("revoked_at"))
                    .foreign_key(&mut cascade("calendar_feed", "person_id", "person"))
                    .to_owned(),
            )
            .await?;
        for stmt in [
            index("calendar_feed", "token", &["token_hash"], true),
            index(
                "calendar_feed",
                "person",
                &["person_id", "created_at"],
                false,
            ),
        ] {
            manager.create_index(stmt).await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table("calendar_feed").to_owned())
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table("programme_session")
                    .drop_column("sequence")
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table("mail_outbox")
                    .drop_column("calendar")
                    .to_owned(),
            )
            .await?;
        Ok(())
    }
}
