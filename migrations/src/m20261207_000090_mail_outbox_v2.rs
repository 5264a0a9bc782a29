//! The outbox knows what each message is and whom it concerns, so organisers can follow
//! every message of their event (docs/mail.md, "The organiser's view"): the event and the
//! person it was written for, its kind and language, and the message it was sent again
//! for. Messages queued before keep these empty. Events get a colour for their emails.

use sea_orm_migration::{prelude::*, schema::*};

use crate::util::index;

#[derive(DeriveMigrationName)]
pub struct Migration;

/// One column per statement: SQLite alters one column at a time.
fn outbox_columns() -> Vec<ColumnDef> {
    vec![
        uuid_null("event_id"),
        uuid_null("person_id"),
        // the template it was written from: login_link, meeting_schedule, ...
        string_null("kind"),
        // nl or en
        string_null("lang"),
        // the message this one sends again
        uuid_null("resent_from"),
    ]
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for column in outbox_columns() {
            manager
                .alter_table(
                    Table::alter()
                        .table("mail_outbox")
                        .add_column(column)
                        .to_owned(),
                )
                .await?;
        }
        for stmt in [
            index("mail_outbox", "event", &["event_id", "created_at"], false),
            index("mail_outbox", "person", &["person_id", "created_at"], false),
        ] {
            manager.create_index(stmt).await?;
        }
        manager
            .alter_table(
                Table::alter()
                    .table("event")
                    .add_column(string("colour").default("#1f7a4d"))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table("event")
                    .drop_column("colour")
                    .to_owned(),
            )
            .await?;
        for name in ["ix_mail_outbox_event", "ix_mail_outbox_person"] {
            manager
                .drop_index(Index::drop().name(name).table("mail_outbox").to_owned())
                .await?;
        }
        for column in ["resent_from", "lang", "kind", "person_id", "event_id"] {
            manager
                .alter_table(
                    Table::alter()
                        .table("mail_outbox")
                        .drop_column(column)
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }
}
