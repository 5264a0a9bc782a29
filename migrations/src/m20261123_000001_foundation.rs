//! The foundation: people, organisations, events with their grid, rooms, tables and
//! taxonomy, participation, login links, sessions and the mail outbox.

use sea_orm_migration::{prelude::*, schema::*};

use crate::util::cascade;

#[derive(DeriveMigrationName)]
pub struct Migration;

fn index(
    table: &'static str,
    name: &str,
    columns: &[&'static str],
    unique: bool,
) -> IndexCreateStatement {
    let mut stmt = Index::create();
    stmt.name(format!("ix_{table}_{name}")).table(table);
    for column in columns {
        stmt.col(*column);
    }
    if unique {
        stmt.unique();
    }
    stmt.to_owned()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let tables = [
            Table::create()
                .table("organisation")
                .col(pk_uuid("id"))
                .col(string("name"))
                .col(string_uniq("name_key"))
                .col(timestamp_with_time_zone("created_at"))
                .to_owned(),
            Table::create()
                .table("person")
                .col(pk_uuid("id"))
                .col(string_uniq("email"))
                .col(string("name"))
                .col(string_null("phone"))
                .col(uuid_null("organisation_id"))
                .col(string_null("job_title"))
                .col(string_len("language", 2))
                .col(boolean("is_admin").default(false))
                .col(timestamp_with_time_zone("created_at"))
                .col(timestamp_with_time_zone("updated_at"))
                .foreign_key(
                    ForeignKey::create()
                        .name("fk_person_organisation_id")
                        .from("person", "organisation_id")
                        .to("organisation", "id")
                        .on_delete(ForeignKeyAction::SetNull),
                )
                .to_owned(),
            Table::create()
                .table("event")
                .col(pk_uuid("id"))
                .col(string_uniq("slug"))
                .col(string("name"))
                .col(text("description"))
                .col(string("venue"))
                .col(date("start_date"))
                .col(date("end_date"))
                .col(string("timezone"))
                .col(string("languages"))
                .col(boolean("registration_open").default(false))
                .col(boolean("supplier_approval_required").default(true))
                .col(timestamp_with_time_zone("created_at"))
                .col(timestamp_with_time_zone("updated_at"))
                .to_owned(),
            Table::create()
                .table("slot")
                .col(pk_uuid("id"))
                .col(uuid("event_id"))
                .col(date("local_date"))
                .col(integer("start_minute"))
                .col(integer("end_minute"))
                .col(timestamp_with_time_zone("starts_at"))
                .col(timestamp_with_time_zone("ends_at"))
                .col(string("kind"))
                .col(string_null("label"))
                .foreign_key(&mut cascade("slot", "event_id", "event"))
                .to_owned(),
            Table::create()
                .table("room")
                .col(pk_uuid("id"))
                .col(uuid("event_id"))
                .col(string("name"))
                .col(integer("capacity"))
                .foreign_key(&mut cascade("room", "event_id", "event"))
                .to_owned(),
            Table::create()
                .table("meeting_table")
                .col(pk_uuid("id"))
                .col(uuid("event_id"))
                .col(integer("number"))
                .col(string_null("label"))
                .foreign_key(&mut cascade("meeting_table", "event_id", "event"))
                .to_owned(),
            Table::create()
                .table("taxonomy_term")
                .col(pk_uuid("id"))
                .col(uuid("event_id"))
                .col(string("kind"))
                .col(string("code"))
                .col(string_null("parent_code"))
                .col(string("name_nl"))
                .col(string("name_en"))
                .col(integer("position"))
                .foreign_key(&mut cascade("taxonomy_term", "event_id", "event"))
                .to_owned(),
            Table::create()
                .table("participation")
                .col(pk_uuid("id"))
                .col(uuid("event_id"))
                .col(uuid("person_id"))
                .col(string("role"))
                .col(string("status"))
                .col(timestamp_with_time_zone("created_at"))
                .col(timestamp_with_time_zone("updated_at"))
                .foreign_key(&mut cascade("participation", "event_id", "event"))
                .foreign_key(&mut cascade("participation", "person_id", "person"))
                .to_owned(),
            Table::create()
                .table("login_token")
                .col(pk_uuid("id"))
                .col(string_uniq("token_hash"))
                .col(uuid("person_id"))
                .col(uuid_null("event_id"))
                .col(string("purpose"))
                .col(timestamp_with_time_zone("expires_at"))
                .col(timestamp_with_time_zone_null("used_at"))
                .col(timestamp_with_time_zone("created_at"))
                .foreign_key(&mut cascade("login_token", "person_id", "person"))
                .to_owned(),
            Table::create()
                .table("login_request")
                .col(pk_uuid("id"))
                .col(string("email_hash"))
                .col(string("client_ip"))
                .col(timestamp_with_time_zone("created_at"))
                .to_owned(),
            Table::create()
                .table("session")
                .col(pk_uuid("id"))
                .col(string_uniq("token_hash"))
                .col(uuid("person_id"))
                .col(string("csrf_token"))
                .col(timestamp_with_time_zone("expires_at"))
                .col(timestamp_with_time_zone("created_at"))
                .col(timestamp_with_time_zone("last_seen_at"))
                .foreign_key(&mut cascade("session", "person_id", "person"))
                .to_owned(),
            Table::create()
                .table("mail_outbox")
                .col(pk_uuid("id"))
                .col(string("to_email"))
                .col(string("to_name"))
                .col(string("subject"))
                .col(text("body_text"))
                .col(text("body_html"))
                .col(string("status"))
                .col(integer("attempts").default(0))
                .col(timestamp_with_time_zone("next_attempt_at"))
                .col(timestamp_with_time_zone_null("locked_until"))
                .col(text_null("last_error"))
                .col(timestamp_with_time_zone_null("sent_at"))
                .col(timestamp_with_time_zone("created_at"))
                .to_owned(),
        ];
        for table in tables {
            manager.create_table(table).await?;
        }
        let indexes = [
            index(
                "slot",
                "event_date",
                &["event_id", "local_date", "start_minute"],
                false,
            ),
            index("room", "event_name", &["event_id", "name"], true),
            index(
                "meeting_table",
                "event_number",
                &["event_id", "number"],
                true,
            ),
            index(
                "taxonomy_term",
                "event_kind_code",
                &["event_id", "kind", "code"],
                true,
            ),
            index(
                "participation",
                "event_person",
                &["event_id", "person_id"],
                true,
            ),
            index("participation", "person", &["person_id"], false),
            index(
                "login_request",
                "email",
                &["email_hash", "created_at"],
                false,
            ),
            index(
                "login_request",
                "client",
                &["client_ip", "created_at"],
                false,
            ),
            index("session", "person", &["person_id"], false),
            index("mail_outbox", "due", &["status", "next_attempt_at"], false),
        ];
        for stmt in indexes {
            manager.create_index(stmt).await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            "mail_outbox",
            "session",
            "login_request",
            "login_token",
            "participation",
            "taxonomy_term",
            "meeting_table",
            "room",
            "slot",
            "event",
            "person",
            "organisation",
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        Ok(())
    }
}
