//! Scheduling meetings: the solver's runs per event (a background job claimed by exactly one
//! instance, with its progress, its instance and its result), the meetings of the schedule
//! people see, and the holds that keep one meeting per person per slot and one per table
//! per slot in the database. The design is in docs/scheduling.md ("In the app").

use sea_orm_migration::{prelude::*, schema::*};

use crate::util::{cascade, index, set_null};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let tables = [
            Table::create()
                .table("schedule_run")
                .col(pk_uuid("id"))
                .col(uuid("event_id"))
                // The event's id while the run is queued or running, null afterwards: unique,
                // so an event has at most one run at a time, on every instance.
                .col(uuid_null("active_event_id"))
                // queued, running, done, failed, cancelled
                .col(string("status"))
                // full: everything may move (published meetings at a cost);
                // add_only: published meetings stay put, only new ones are added
                .col(string("mode"))
                .col(integer("time_limit_ms"))
                .col(big_integer("seed"))
                .col(uuid_null("requested_by"))
                // The instance that claimed it, and when it last said it is alive.
                .col(string_null("claimed_by"))
                .col(timestamp_with_time_zone_null("heartbeat_at"))
                // The organiser asked to stop it.
                .col(boolean("cancel_requested").default(false))
                // JSON: how far the solver is (iterations done of planned, best objective, bound)
                .col(text_null("progress"))
                // JSON: the matchfloor-instance/1 built from the event, with the ids behind it
                .col(text_null("instance"))
                // JSON: the solver's schedule and the placements (request, slot, table)
                .col(text_null("result"))
                // Why it failed, for the organiser.
                .col(text_null("error"))
                .col(timestamp_with_time_zone("created_at"))
                .col(timestamp_with_time_zone_null("started_at"))
                .col(timestamp_with_time_zone_null("finished_at"))
                .col(timestamp_with_time_zone_null("published_at"))
                .col(uuid_null("published_by"))
                .foreign_key(&mut cascade("schedule_run", "event_id", "event"))
                .foreign_key(&mut set_null("schedule_run", "requested_by", "person"))
                .foreign_key(&mut set_null("schedule_run", "published_by", "person"))
                .to_owned(),
            Table::create()
                .table("meeting")
                .col(pk_uuid("id"))
                .col(uuid("event_id"))
                // one meeting per request, ever (a cancelled one keeps its row)
                .col(uuid("request_id"))
                .col(uuid("slot_id"))
                // null: at the supplier's own stand
                .col(uuid_null("table_id"))
                // scheduled, cancelled
                .col(string("status"))
                // An organiser fixed it in its slot: runs keep it there.
                .col(boolean("pinned").default(false))
                // Raised on every change people are told about (calendar SEQUENCE).
                .col(integer("sequence").default(0))
                // The run whose publication placed it, or null when placed by hand.
                .col(uuid_null("run_id"))
                .col(timestamp_with_time_zone("created_at"))
                .col(timestamp_with_time_zone("updated_at"))
                .col(uuid_null("updated_by"))
                .foreign_key(&mut cascade("meeting", "event_id", "event"))
                .foreign_key(&mut cascade("meeting", "request_id", "meeting_request"))
                .foreign_key(&mut cascade("meeting", "slot_id", "slot"))
                .foreign_key(&mut set_null("meeting", "table_id", "meeting_table"))
                .foreign_key(&mut set_null("meeting", "run_id", "schedule_run"))
                .foreign_key(&mut set_null("meeting", "updated_by", "person"))
                .to_owned(),
            // What a scheduled meeting occupies in its slot: each of its two participations
            // and its table. Unique per (slot, holder): nobody in two meetings at once and
            // no table used twice in a slot, whatever runs concurrently. A cancelled meeting
            // holds nothing.
            Table::create()
                .table("meeting_hold")
                .col(pk_uuid("id"))
                .col(uuid("meeting_id"))
                .col(uuid("slot_id"))
                // a participation id or a meeting table id
                .col(uuid("holder_id"))
                .foreign_key(&mut cascade("meeting_hold", "meeting_id", "meeting"))
                .foreign_key(&mut cascade("meeting_hold", "slot_id", "slot"))
                .to_owned(),
        ];
        for table in tables {
            manager.create_table(table).await?;
        }
        for stmt in [
            index("schedule_run", "active_event", &["active_event_id"], true),
            index("schedule_run", "event", &["event_id", "created_at"], false),
            index("schedule_run", "status", &["status", "created_at"], false),
            index("meeting", "request", &["request_id"], true),
            index("meeting", "event_slot", &["event_id", "slot_id"], false),
            index(
                "meeting_hold",
                "slot_holder",
                &["slot_id", "holder_id"],
                true,
            ),
            index("meeting_hold", "meeting", &["meeting_id"], false),
        ] {
            manager.create_index(stmt).await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in ["meeting_hold", "meeting", "schedule_run"] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        Ok(())
    }
}
