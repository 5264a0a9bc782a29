//! The `programme_session` table: one session of an event's programme (not a login
//! session, which is `session`). Seat counters live here so that a conditional UPDATE of
//! this row decides every seat.

use sea_orm::entity::prelude::*;

use crate::domain::SessionKind;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "programme_session")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub event_id: Uuid,
    pub kind: SessionKind,
    pub title_nl: String,
    pub title_en: String,
    pub description_nl: String,
    pub description_en: String,
    /// A product group's code in the event's taxonomy.
    pub product_group: Option<String>,
    /// JSON array of dialogue theme codes.
    pub themes: String,
    pub room_id: Option<Uuid>,
    /// The day in the event's time zone.
    pub local_date: Date,
    /// Minutes after local midnight.
    pub start_minute: i32,
    pub end_minute: i32,
    pub starts_at: DateTimeUtc,
    pub ends_at: DateTimeUtc,
    pub capacity: i32,
    pub capacity_buyers: Option<i32>,
    pub capacity_suppliers: Option<i32>,
    pub confirmed_count: i32,
    pub confirmed_buyers: i32,
    pub confirmed_suppliers: i32,
    /// The last waitlist number handed out.
    pub waitlist_seq: i64,
    pub signup_opens_at: Option<DateTimeUtc>,
    pub signup_closes_at: Option<DateTimeUtc>,
    /// Raised when its time, room or title changes (the calendar entries' SEQUENCE).
    pub sequence: i32,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
