//! Access by grant: organisation memberships are granted (by a member, an organiser, or by
//! founding a new organisation) and each grant is kept; typing an existing organisation's
//! name gives a request that a member or organiser decides. Organisers' appointments are
//! kept too. Existing links are recorded as grants of kind `existing`, so nobody loses
//! their organisation or their factsheets.

use sea_orm_migration::{prelude::*, schema::*};

use crate::util::cascade;

#[derive(DeriveMigrationName)]
pub struct Migration;

/// A nullable reference to a person or event that stays when its target goes.
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

fn index(table: &'static str, name: &str, columns: &[&'static str]) -> IndexCreateStatement {
    let mut stmt = Index::create();
    stmt.name(format!("ix_{table}_{name}")).table(table);
    for column in columns {
        stmt.col(*column);
    }
    stmt.to_owned()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table("organisation_grant")
                    .col(pk_uuid("id"))
                    .col(uuid("organisation_id"))
                    .col(uuid("person_id"))
                    // existing, founded, added (by a member), assigned (by an organiser), demo
                    .col(string("kind"))
                    .col(uuid_null("granted_by"))
                    .col(uuid_null("event_id"))
                    .col(timestamp_with_time_zone("granted_at"))
                    .col(timestamp_with_time_zone_null("ended_at"))
                    .col(uuid_null("ended_by"))
                    .foreign_key(&mut cascade(
                        "organisation_grant",
                        "organisation_id",
                        "organisation",
                    ))
                    .foreign_key(&mut cascade("organisation_grant", "person_id", "person"))
                    .foreign_key(&mut set_null("organisation_grant", "granted_by", "person"))
                    .foreign_key(&mut set_null("organisation_grant", "event_id", "event"))
                    .foreign_key(&mut set_null("organisation_grant", "ended_by", "person"))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table("organisation_request")
                    .col(pk_uuid("id"))
                    .col(uuid("organisation_id"))
                    .col(uuid("person_id"))
                    // who typed the name: the person, or the organiser who invited them
                    .col(uuid_null("requested_by"))
                    .col(uuid_null("event_id"))
                    // pending, confirmed, declined, withdrawn
                    .col(string("status"))
                    .col(timestamp_with_time_zone("created_at"))
                    .col(timestamp_with_time_zone_null("decided_at"))
                    .col(uuid_null("decided_by"))
                    .foreign_key(&mut cascade(
                        "organisation_request",
                        "organisation_id",
                        "organisation",
                    ))
                    .foreign_key(&mut cascade("organisation_request", "person_id", "person"))
                    .foreign_key(&mut set_null(
                        "organisation_request",
                        "requested_by",
                        "person",
                    ))
                    .foreign_key(&mut set_null("organisation_request", "event_id", "event"))
                    .foreign_key(&mut set_null(
                        "organisation_request",
                        "decided_by",
                        "person",
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table("organiser_appointment")
                    .col(pk_uuid("id"))
                    .col(uuid("event_id"))
                    .col(uuid("person_id"))
                    .col(uuid_null("appointed_by"))
                    // existing, invitation, import, role_change
                    .col(string("how"))
                    .col(timestamp_with_time_zone("appointed_at"))
                    .foreign_key(&mut cascade("organiser_appointment", "event_id", "event"))
                    .foreign_key(&mut cascade("organiser_appointment", "person_id", "person"))
                    .foreign_key(&mut set_null(
                        "organiser_appointment",
                        "appointed_by",
                        "person",
                    ))
                    .to_owned(),
            )
            .await?;
        for stmt in [
            index("organisation_grant", "person", &["person_id"]),
            index("organisation_grant", "organisation", &["organisation_id"]),
            index(
                "organisation_request",
                "organisation_status",
                &["organisation_id", "status"],
            ),
            index("organisation_request", "person", &["person_id"]),
            index("organiser_appointment", "event", &["event_id"]),
        ] {
            manager.create_index(stmt).await?;
        }

        // Every organisation link made before grants existed becomes a grant of kind
        // `existing`. A person had at most one link, so the person's id is a unique id for it.
        let existing = Query::select()
            .column("id")
            .column("organisation_id")
            .column("id")
            .expr(Expr::val("existing"))
            .column("updated_at")
            .from("person")
            .and_where(Expr::col("organisation_id").is_not_null())
            .to_owned();
        manager
            .exec_stmt(
                Query::insert()
                    .into_table("organisation_grant")
                    .columns(["id", "organisation_id", "person_id", "kind", "granted_at"])
                    .select_from(existing)
                    .map_err(|e| DbErr::Migration(e.to_string()))?
                    .to_owned(),
            )
            .await?;
        // Likewise every organiser so far, with the participation's id.
        let organisers = Query::select()
            .column("id")
            .column("event_id")
            .column("person_id")
            .expr(Expr::val("existing"))
            .column("created_at")
            .from("participation")
            .and_where(Expr::col("role").eq("organiser"))
            .to_owned();
        manager
            .exec_stmt(
                Query::insert()
                    .into_table("organiser_appointment")
                    .columns(["id", "event_id", "person_id", "how", "appointed_at"])
                    .select_from(organisers)
                    .map_err(|e| DbErr::Migration(e.to_string()))?
                    .to_owned(),
            )
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            "organiser_appointment",
            "organisation_request",
            "organisation_grant",
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        Ok(())
    }
}
