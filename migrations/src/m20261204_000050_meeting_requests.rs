//! One-to-one meeting requests: the organiser's rules per event, the requests themselves
//! (one row per pair of participants, whichever way it was asked), each participant's
//! counters that the limits are enforced on, and the meeting slots people cannot meet in.
//! The design is in docs/meetings.md.

use sea_orm_migration::{prelude::*, schema::*};

use crate::util::{cascade, index, set_null};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let tables = [
            Table::create()
                .table("meeting_rules")
                .col(pk_uuid("event_id"))
                .col(boolean("allow_buyer_buyer").default(false))
                .col(boolean("allow_supplier_supplier").default(false))
                .col(boolean("acceptance_required").default(true))
                // null: no limit
                .col(integer_null("max_requests_sent"))
                .col(integer_null("max_meetings_buyer"))
                .col(integer_null("max_meetings_supplier"))
                .col(timestamp_with_time_zone_null("deadline"))
                // null: no reminder
                .col(integer_null("reminder_after_hours"))
                // expire, accept
                .col(string("after_reminder"))
                // immediate, digest
                .col(string("email_timing"))
                .col(timestamp_with_time_zone("updated_at"))
                .col(uuid_null("updated_by"))
                .foreign_key(&mut cascade("meeting_rules", "event_id", "event"))
                .foreign_key(&mut set_null("meeting_rules", "updated_by", "person"))
                .to_owned(),
            Table::create()
                .table("meeting_request")
                .col(pk_uuid("id"))
                .col(uuid("event_id"))
                // participations of the event
                .col(uuid("requester_id"))
                .col(uuid("recipient_id"))
                // the two participations in id order: one row per pair, either way round
                .col(uuid("pair_low"))
                .col(uuid("pair_high"))
                // pending, accepted, declined, withdrawn, expired, scheduled
                .col(string("status"))
                // the requester's: must, would_like, if_time
                .col(string("priority"))
                .col(text_null("message"))
                // the recipient's own priority when they accepted with one
                .col(string_null("answer_priority"))
                .col(text_null("decline_reason"))
                .col(timestamp_with_time_zone_null("answered_at"))
                .col(timestamp_with_time_zone("created_at"))
                .col(timestamp_with_time_zone("updated_at"))
                .foreign_key(&mut cascade("meeting_request", "event_id", "event"))
                .foreign_key(&mut cascade(
                    "meeting_request",
                    "requester_id",
                    "participation",
                ))
                .foreign_key(&mut cascade(
                    "meeting_request",
                    "recipient_id",
                    "participation",
                ))
                .to_owned(),
            Table::create()
                .table("meeting_tally")
                .col(pk_uuid("participation_id"))
                .col(uuid("event_id"))
                // open requests sent: pending, accepted or scheduled
                .col(integer("requests_sent").default(0))
                // accepted or scheduled meetings, either side
                .col(integer("meetings").default(0))
                .foreign_key(&mut cascade(
                    "meeting_tally",
                    "participation_id",
                    "participation",
                ))
                .foreign_key(&mut cascade("meeting_tally", "event_id", "event"))
                .to_owned(),
            Table::create()
                .table("unavailable_slot")
                .col(pk_uuid("id"))
                .col(uuid("event_id"))
                .col(uuid("participation_id"))
                .col(uuid("slot_id"))
                .col(timestamp_with_time_zone("created_at"))
                .foreign_key(&mut cascade("unavailable_slot", "event_id", "event"))
                .foreign_key(&mut cascade(
                    "unavailable_slot",
                    "participation_id",
                    "participation",
                ))
                .foreign_key(&mut cascade("unavailable_slot", "slot_id", "slot"))
                .to_owned(),
        ];
        for table in tables {
            manager.create_table(table).await?;
        }
        for stmt in [
            // One request per pair, whoever asked: a second one, at the same moment or
            // later, finds this row.
            index("meeting_request", "pair", &["pair_low", "pair_high"], true),
            index("meeting_request", "requester", &["requester_id"], false),
            index("meeting_request", "recipient", &["recipient_id"], false),
            index(
                "meeting_request",
                "event_status",
                &["event_id", "status", "created_at"],
                false,
            ),
            index("meeting_tally", "event", &["event_id"], false),
            index(
                "unavailable_slot",
                "participation_slot",
                &["participation_id", "slot_id"],
                true,
            ),
            index("unavailable_slot", "event", &["event_id"], false),
            index("unavailable_slot", "slot", &["slot_id"], false),
        ] {
            manager.create_index(stmt).await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            "unavailable_slot",
            "meeting_tally",
            "meeting_request",
            "meeting_rules",
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        Ok(())
    }
}
