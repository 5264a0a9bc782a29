//! What happens to meeting requests nobody answers, and notification emails as a digest:
//! when a request got its one reminder and when the organiser's rule for unanswered
//! requests handled it (on the request), each person's choice of email timing per event,
//! and the notices waiting for their digest. The design is in docs/meetings.md.

use sea_orm_migration::{prelude::*, schema::*};

use crate::util::{cascade, index};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // SQLite takes one column per ALTER TABLE.
        for column in [
            // when the one asked got the reminder (once)
            timestamp_with_time_zone_null("reminded_at"),
            // when the rule for unanswered requests expired or accepted it
            timestamp_with_time_zone_null("lapsed_at"),
        ] {
            manager
                .alter_table(
                    Table::alter()
                        .table("meeting_request")
                        .add_column(column)
                        .to_owned(),
                )
                .await?;
        }
        let tables = [
            Table::create()
                .table("meeting_notice_choice")
                .col(pk_uuid("participation_id"))
                .col(uuid("event_id"))
                // immediate, digest
                .col(string("email_timing"))
                .col(timestamp_with_time_zone("updated_at"))
                .foreign_key(&mut cascade(
                    "meeting_notice_choice",
                    "participation_id",
                    "participation",
                ))
                .foreign_key(&mut cascade("meeting_notice_choice", "event_id", "event"))
                .to_owned(),
            Table::create()
                .table("meeting_notice")
                .col(pk_uuid("id"))
                .col(uuid("event_id"))
                // the participation told
                .col(uuid("participation_id"))
                .col(uuid("request_id"))
                // received, received_accepted, accepted, declined, withdrawn, reminder,
                // expired, auto_accepted, other_left
                .col(string("kind"))
                .col(timestamp_with_time_zone("created_at"))
                // null until a digest carried it
                .col(timestamp_with_time_zone_null("sent_at"))
                .foreign_key(&mut cascade("meeting_notice", "event_id", "event"))
                .foreign_key(&mut cascade(
                    "meeting_notice",
                    "participation_id",
                    "participation",
                ))
                .foreign_key(&mut cascade(
                    "meeting_notice",
                    "request_id",
                    "meeting_request",
                ))
                .to_owned(),
        ];
        for table in tables {
            manager.create_table(table).await?;
        }
        for stmt in [
            index("meeting_notice_choice", "event", &["event_id"], false),
            // the digest job looks for unsent notices, person by person
            index(
                "meeting_notice",
                "unsent",
                &["sent_at", "participation_id"],
                false,
            ),
            index(
                "meeting_notice",
                "participation",
                &["participation_id"],
                false,
            ),
            index("meeting_notice", "request", &["request_id"], false),
            index("meeting_notice", "event", &["event_id"], false),
        ] {
            manager.create_index(stmt).await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in ["meeting_notice", "meeting_notice_choice"] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        for column in ["lapsed_at", "reminded_at"] {
            manager
                .alter_table(
                    Table::alter()
                        .table("meeting_request")
                        .drop_column(column)
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }
}
