//! The factsheet catalogue: factsheets with their version history, uploads, buyer needs,
//! the catalogue settings of an event, and the full-text index (FTS5 on SQLite, a tsvector
//! with a GIN index on PostgreSQL; the only backend-specific tables).

use sea_orm_migration::sea_orm::DatabaseBackend;
use sea_orm_migration::{prelude::*, schema::*};

use crate::util::cascade;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // SQLite takes one column per ALTER TABLE.
        manager
            .alter_table(
                Table::alter()
                    .table("event")
                    .add_column(boolean("catalogue_public").default(false))
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table("event")
                    .add_column(boolean("factsheet_review_changes").default(true))
                    .to_owned(),
            )
            .await?;
        // Bumped whenever what the catalogue lists changes; search caches check it.
        manager
            .alter_table(
                Table::alter()
                    .table("event")
                    .add_column(big_integer("catalogue_version").default(0))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table("upload")
                    .col(pk_uuid("id"))
                    .col(uuid("event_id"))
                    .col(uuid_null("organisation_id"))
                    .col(uuid("uploaded_by"))
                    .col(string("purpose"))
                    .col(string("content_type"))
                    .col(string("filename"))
                    .col(big_integer("size_bytes"))
                    .col(string("sha256"))
                    .col(string_null("thumb_sha256"))
                    .col(integer_null("width"))
                    .col(integer_null("height"))
                    .col(timestamp_with_time_zone("created_at"))
                    .foreign_key(&mut cascade("upload", "event_id", "event"))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table("factsheet")
                    .col(pk_uuid("id"))
                    .col(uuid("event_id"))
                    .col(uuid("organisation_id"))
                    .col(string("status"))
                    .col(string_null("stand"))
                    .col(text_null("review_comment"))
                    .col(uuid_null("reviewed_by"))
                    .col(timestamp_with_time_zone_null("reviewed_at"))
                    .col(timestamp_with_time_zone_null("submitted_at"))
                    .col(text("content"))
                    .col(text_null("published_content"))
                    .col(timestamp_with_time_zone_null("published_at"))
                    .col(text("facets"))
                    .col(string("sort_title"))
                    .col(integer("version"))
                    .col(uuid("created_by"))
                    .col(timestamp_with_time_zone("created_at"))
                    .col(timestamp_with_time_zone("updated_at"))
                    .foreign_key(&mut cascade("factsheet", "event_id", "event"))
                    .foreign_key(&mut cascade("factsheet", "organisation_id", "organisation"))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_factsheet_event_status")
                    .table("factsheet")
                    .col("event_id")
                    .col("status")
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_factsheet_event_published")
                    .table("factsheet")
                    .col("event_id")
                    .col("published_at")
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table("factsheet_version")
                    .col(pk_uuid("id"))
                    .col(uuid("factsheet_id"))
                    .col(integer("number"))
                    .col(string("action"))
                    .col(text("content"))
                    .col(text("changed_fields"))
                    .col(uuid("author_id"))
                    .col(text_null("comment"))
                    .col(timestamp_with_time_zone("created_at"))
                    .foreign_key(&mut cascade(
                        "factsheet_version",
                        "factsheet_id",
                        "factsheet",
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_factsheet_version_number")
                    .table("factsheet_version")
                    .col("factsheet_id")
                    .col("number")
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table("buyer_need")
                    .col(pk_uuid("id"))
                    .col(uuid("event_id"))
                    .col(uuid("person_id"))
                    .col(text("product_groups"))
                    .col(text("strategies"))
                    .col(text("project_what"))
                    .col(string("project_when"))
                    .col(big_integer_null("budget_min"))
                    .col(big_integer_null("budget_max"))
                    .col(boolean("shared_with_suppliers"))
                    .col(timestamp_with_time_zone("updated_at"))
                    .foreign_key(&mut cascade("buyer_need", "event_id", "event"))
                    .foreign_key(&mut cascade("buyer_need", "person_id", "person"))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_buyer_need_event_person")
                    .table("buyer_need")
                    .col("event_id")
                    .col("person_id")
                    .unique()
                    .to_owned(),
            )
            .await?;
        let db = manager.get_connection();
        match manager.get_database_backend() {
            DatabaseBackend::Postgres => {
                db.execute_unprepared(
                    "CREATE TABLE factsheet_search (
                        factsheet_id uuid PRIMARY KEY REFERENCES factsheet (id) ON DELETE CASCADE,
                        event_id uuid NOT NULL,
                        document tsvector NOT NULL
                    );
                    CREATE INDEX ix_factsheet_search_document ON factsheet_search USING GIN (document);
                    CREATE INDEX ix_factsheet_search_event ON factsheet_search (event_id);",
                )
                .await?;
            }
            _ => {
                // The stems are computed by matchfloor; FTS5 only splits on spaces and ranks.
                db.execute_unprepared(
                    "CREATE VIRTUAL TABLE factsheet_search USING fts5(
                        factsheet_id UNINDEXED, event_id UNINDEXED, title, pitch, tags, body,
                        tokenize = 'unicode61 remove_diacritics 0'
                    );
                    CREATE TRIGGER factsheet_search_cleanup AFTER DELETE ON factsheet BEGIN
                        DELETE FROM factsheet_search WHERE factsheet_id = old.id;
                    END;",
                )
                .await?;
            }
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        if manager.get_database_backend() != DatabaseBackend::Postgres {
            db.execute_unprepared("DROP TRIGGER IF EXISTS factsheet_search_cleanup")
                .await?;
        }
        db.execute_unprepared("DROP TABLE IF EXISTS factsheet_search")
            .await?;
        for table in ["buyer_need", "factsheet_version", "factsheet", "upload"] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        for column in [
            "catalogue_version",
            "factsheet_review_changes",
            "catalogue_public",
        ] {
            manager
                .alter_table(Table::alter().table("event").drop_column(column).to_owned())
                .await?;
        }
        Ok(())
    }
}
