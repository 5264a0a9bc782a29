//! Database migrations for matchfloor: one file per change, never edited once shipped.
//! The same migrations run on SQLite and PostgreSQL (sea-orm's schema builder only).

pub use sea_orm_migration::prelude::*;

mod m20261123_000001_foundation;
mod m20261123_000002_live;
mod m20261124_000003_catalogue;
mod m20261202_000010_housekeeping_lease;
mod m20261202_000011_access_grants;
mod m20261202_000031_bilingual_texts;
mod m20261202_000041_edge_login_request_kinds;
mod m20261203_000012_programme;
mod m20261204_000013_session_questions;
mod m20261204_000050_meeting_requests;
mod m20261205_000060_meeting_notices;
mod m20261205_000070_needs_business_models;
mod m20261206_000080_schedule;
mod m20261207_000090_mail_outbox_v2;
mod m20261207_000091_calendar;
mod m20261207_000092_messages;
mod util;

pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m20261123_000001_foundation::Migration),
            Box::new(m20261123_000002_live::Migration),
            Box::new(m20261124_000003_catalogue::Migration),
            Box::new(m20261202_000010_housekeeping_lease::Migration),
            Box::new(m20261202_000011_access_grants::Migration),
            Box::new(m20261202_000031_bilingual_texts::Migration),
            Box::new(m20261202_000041_edge_login_request_kinds::Migration),
            Box::new(m20261203_000012_programme::Migration),
            Box::new(m20261204_000013_session_questions::Migration),
            Box::new(m20261204_000050_meeting_requests::Migration),
            Box::new(m20261205_000060_meeting_notices::Migration),
            Box::new(m20261205_000070_needs_business_models::Migration),
            Box::new(m20261206_000080_schedule::Migration),
            Box::new(m20261207_000090_mail_outbox_v2::Migration),
            Box::new(m20261207_000091_calendar::Migration),
            Box::new(m20261207_000092_messages::Migration),
        ]
    }
}
