//! The programme: sessions (market dialogues, pitches, plenaries, networking) with their
//! facilitators and pitch line-ups, sign-ups with a waitlist, and the log of organisers'
//! changes to sign-ups. Seat counters live on the session row, so a conditional UPDATE of
//! that row decides whether a sign-up gets a seat (docs/programme.md).

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

/// A nullable reference that is cleared when its target goes.
fn set_null(
    table: &'static str,
    column: &'static str,
    target: &'static str,
) -> ForeignKeyCreateStatement {
    ForeignKey::create()
        .name(format!("fk_{table}_{column}"))
        .from(table, column)
        .to(target, "id")
        .on_delete(ForeignKeyAction::SetNull)
        .to_owned()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let tables = [
            Table::create()
                .table("programme_session")
                .col(pk_uuid("id"))
                .col(uuid("event_id"))
                // market_dialogue, pitch, plenary, networking
                .col(string("kind"))
                .col(string("title_nl"))
                .col(string("title_en"))
                .col(text("description_nl"))
                .col(text("description_en"))
                // a product group's code in the event's taxonomy
                .col(string_null("product_group"))
                // JSON array of dialogue theme codes
                .col(text("themes"))
                .col(uuid_null("room_id"))
                .col(date("local_date"))
                .col(integer("start_minute"))
                .col(integer("end_minute"))
                .col(timestamp_with_time_zone("starts_at"))
                .col(timestamp_with_time_zone("ends_at"))
                .col(integer("capacity"))
                .col(integer_null("capacity_buyers"))
                .col(integer_null("capacity_suppliers"))
                .col(integer("confirmed_count").default(0))
                .col(integer("confirmed_buyers").default(0))
                .col(integer("confirmed_suppliers").default(0))
                // the last waitlist number handed out
                .col(big_integer("waitlist_seq").default(0))
                .col(timestamp_with_time_zone_null("signup_opens_at"))
                .col(timestamp_with_time_zone_null("signup_closes_at"))
                .col(timestamp_with_time_zone("created_at"))
                .col(timestamp_with_time_zone("updated_at"))
                .foreign_key(&mut cascade("programme_session", "event_id", "event"))
                .foreign_key(&mut set_null("programme_session", "room_id", "room"))
                .to_owned(),
            Table::create()
                .table("session_facilitator")
                .col(pk_uuid("id"))
                .col(uuid("session_id"))
                .col(uuid("person_id"))
                .foreign_key(&mut cascade(
                    "session_facilitator",
                    "session_id",
                    "programme_session",
                ))
                .foreign_key(&mut cascade("session_facilitator", "person_id", "person"))
                .to_owned(),
            Table::create()
                .table("session_pitch")
                .col(pk_uuid("id"))
                .col(uuid("session_id"))
                .col(uuid("organisation_id"))
                .col(integer("position"))
                .col(integer("minutes"))
                .foreign_key(&mut cascade(
                    "session_pitch",
                    "session_id",
                    "programme_session",
                ))
                .foreign_key(&mut cascade(
                    "session_pitch",
                    "organisation_id",
                    "organisation",
                ))
                .to_owned(),
            Table::create()
                .table("session_signup")
                .col(pk_uuid("id"))
                .col(uuid("session_id"))
                .col(uuid("event_id"))
                .col(uuid("person_id"))
                // the role the seat counts for, as it was when the seat was taken
                .col(string("role"))
                // confirmed, waitlisted
                .col(string("status"))
                // arrival order on the waitlist; null once confirmed
                .col(big_integer_null("waitlist_seq"))
                .col(timestamp_with_time_zone("created_at"))
                .col(timestamp_with_time_zone("updated_at"))
                .foreign_key(&mut cascade(
                    "session_signup",
                    "session_id",
                    "programme_session",
                ))
                .foreign_key(&mut cascade("session_signup", "event_id", "event"))
                .foreign_key(&mut cascade("session_signup", "person_id", "person"))
                .to_owned(),
            Table::create()
                .table("session_signup_log")
                .col(pk_uuid("id"))
                .col(uuid("session_id"))
                .col(uuid("event_id"))
                .col(uuid("person_id"))
                // added, removed, moved, promoted
                .col(string("action"))
                // the organiser (for a promotion: whose change freed the seat, if any)
                .col(uuid_null("by_person_id"))
                .col(integer_null("from_position"))
                .col(integer_null("to_position"))
                .col(timestamp_with_time_zone("created_at"))
                .foreign_key(&mut cascade(
                    "session_signup_log",
                    "session_id",
                    "programme_session",
                ))
                .foreign_key(&mut cascade("session_signup_log", "event_id", "event"))
                .foreign_key(&mut cascade("session_signup_log", "person_id", "person"))
                .foreign_key(&mut set_null(
                    "session_signup_log",
                    "by_person_id",
                    "person",
                ))
                .to_owned(),
        ];
        for table in tables {
            manager.create_table(table).await?;
        }
        for stmt in [
            index(
                "programme_session",
                "event_date",
                &["event_id", "local_date", "start_minute"],
                false,
            ),
            index(
                "session_facilitator",
                "session_person",
                &["session_id", "person_id"],
                true,
            ),
            index("session_facilitator", "person", &["person_id"], false),
            index(
                "session_pitch",
                "session_organisation",
                &["session_id", "organisation_id"],
                true,
            ),
            // One sign-up per person and session: a repeated or concurrent sign-up finds it.
            index(
                "session_signup",
                "session_person",
                &["session_id", "person_id"],
                true,
            ),
            index(
                "session_signup",
                "session_status_seq",
                &["session_id", "status", "waitlist_seq"],
                false,
            ),
            index(
                "session_signup",
                "event_person",
                &["event_id", "person_id"],
                false,
            ),
            index("session_signup_log", "session", &["session_id"], false),
        ] {
            manager.create_index(stmt).await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            "session_signup_log",
            "session_signup",
            "session_pitch",
            "session_facilitator",
            "programme_session",
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        Ok(())
    }
}
