//! The messages of issue 15: a check-in code per participation (short, unambiguous, unique
//! in its event; existing participations get one here), the marker of the day-before
//! reminder, each person's mail preferences (announcement emails, and the token of their
//! unsubscribe link), announcements by email (the batch's progress on the announcement,
//! and on each outbox row the announcement it belongs to) and the outbox's
//! `List-Unsubscribe` header. Design: docs/mail.md.

use std::collections::HashSet;

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;
use sea_orm_migration::sea_orm::ConnectionTrait;
use sea_orm_migration::sea_orm::prelude::Uuid;

use crate::util::index;

#[derive(DeriveMigrationName)]
pub struct Migration;

/// Participations are given their codes in batches, so a large table never sits in memory.
const BATCH: u64 = 500;

/// The characters of a check-in code: capitals and digits without the ones read alike
/// (0/O, 1/I/L). The app's own copy is `people::checkin`; a migration keeps its own.
const ALPHABET: &[u8] = b"ABCDEFGHJKMNPQRSTUVWXYZ23456789";
const CODE_LENGTH: usize = 8;

fn new_code() -> Result<String, DbErr> {
    let mut bytes = [0u8; CODE_LENGTH];
    getrandom::fill(&mut bytes)
        .map_err(|e| DbErr::Migration(format!("no random source for check-in codes: {e}")))?;
    // 31 characters: the modulo's bias (256 = 8 x 31 + 8) is irrelevant for a code that
    // only has to be unique and hard to guess at a desk.
    Ok(bytes
        .iter()
        .map(|b| ALPHABET[usize::from(*b) % ALPHABET.len()] as char)
        .collect())
}

async fn add(
    manager: &SchemaManager<'_>,
    table: &'static str,
    column: &mut ColumnDef,
) -> Result<(), DbErr> {
    manager
        .alter_table(Table::alter().table(table).add_column(column).to_owned())
        .await
}

async fn drop(
    manager: &SchemaManager<'_>,
    table: &'static str,
    column: &'static str,
) -> Result<(), DbErr> {
    manager
        .alter_table(Table::alter().table(table).drop_column(column).to_owned())
        .await
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        add(manager, "participation", string("checkin_code").default("")).await?;
        add(
            manager,
            "participation",
            &mut timestamp_with_time_zone_null("day_before_sent_at"),
        )
        .await?;
        backfill_codes(manager).await?;
        manager
            .create_index(index(
                "participation",
                "event_checkin_code",
                &["event_id", "checkin_code"],
                true,
            ))
            .await?;

        manager
            .create_table(
                Table::create()
                    .table("mail_preference")
                    .col(uuid("person_id").primary_key())
                    .col(boolean("announcement_emails").default(true))
                    // The token of the person's unsubscribe link (no login needed): it can
                    // only switch announcement emails off.
                    .col(string_uniq("unsubscribe_token"))
                    .col(timestamp_with_time_zone("updated_at"))
                    .foreign_key(&mut crate::util::cascade(
                        "mail_preference",
                        "person_id",
                        "person",
                    ))
                    .to_owned(),
            )
            .await?;

        add(manager, "mail_outbox", &mut text_null("list_unsubscribe")).await?;
        add(manager, "mail_outbox", &mut uuid_null("announcement_id")).await?;
        manager
            .create_index(index(
                "mail_outbox",
                "announcement",
                &["announcement_id", "status"],
                false,
            ))
            .await?;

        add(manager, "announcement", boolean("email").default(false)).await?;
        // How many people the emails go to, counted when it was announced.
        add(manager, "announcement", &mut integer_null("email_total")).await?;
        add(manager, "announcement", integer("email_queued").default(0)).await?;
        // The last person (by id) whose email is queued: the batches go on from here.
        add(manager, "announcement", &mut uuid_null("email_cursor")).await?;
        add(
            manager,
            "announcement",
            &mut timestamp_with_time_zone_null("email_done_at"),
        )
        .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for column in [
            "email_done_at",
            "email_cursor",
            "email_queued",
            "email_total",
            "email",
        ] {
            drop(manager, "announcement", column).await?;
        }
        manager
            .drop_index(
                Index::drop()
                    .name("ix_mail_outbox_announcement")
                    .table("mail_outbox")
                    .to_owned(),
            )
            .await?;
        drop(manager, "mail_outbox", "announcement_id").await?;
        drop(manager, "mail_outbox", "list_unsubscribe").await?;
        manager
            .drop_table(Table::drop().table("mail_preference").to_owned())
            .await?;
        manager
            .drop_index(
                Index::drop()
                    .name("ix_participation_event_checkin_code")
                    .table("participation")
                    .to_owned(),
            )
            .await?;
        drop(manager, "participation", "day_before_sent_at").await?;
        drop(manager, "participation", "checkin_code").await?;
        Ok(())
    }
}

/// Gives every participation a code of its own within its event.
async fn backfill_codes(manager: &SchemaManager<'_>) -> Result<(), DbErr> {
    let db = manager.get_connection();
    let mut used: HashSet<(Uuid, String)> = HashSet::new();
    let mut after: Option<Uuid> = None;
    loop {
        let mut select = Query::select();
        select
            .columns(["id", "event_id"])
            .from("participation")
            .order_by("id", Order::Asc)
            .limit(BATCH);
        if let Some(last) = after {
            select.and_where(Expr::col("id").gt(last));
        }
        let rows = db.query_all(&select).await?;
        let Some(last) = rows.last() else { break };
        after = Some(last.try_get::<Uuid>("", "id")?);
        for row in &rows {
            let id: Uuid = row.try_get("", "id")?;
            let event_id: Uuid = row.try_get("", "event_id")?;
            let code = loop {
                let code = new_code()?;
                if used.insert((event_id, code.clone())) {
                    break code;
                }
            };
            let update = Query::update()
                .table("participation")
                .value("checkin_code", code)
                .and_where(Expr::col("id").eq(id))
                .to_owned();
            db.execute(&update).await?;
        }
    }
    Ok(())
}
