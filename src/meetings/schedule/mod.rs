//! Scheduling the event's meetings inside the app (docs/scheduling.md, "In the app"): the
//! instance built from the event's accepted requests, availability, sessions, tables and
//! limits; the solver's runs as background jobs claimed by exactly one instance; the
//! preview of a finished run; publishing it as the meetings people see; and the
//! organisers' edits of those meetings.
//!
//! What the pieces share is here: where a run's result puts each meeting.
//!
//! `holds.rs` is the one door to what a scheduled meeting occupies (its people and its
//! table in its slot; the database's unique index refuses double booking); `edit.rs` the
//! organisers' edits by hand (place, move, swap, pin, cancel), `edit_notice.rs` what the
//! people of an edited meeting are told, `edit_routes.rs` their HTTP endpoints; `agenda.rs`
//! meetings as people read them (an organiser's view, a participant's agenda).

pub mod agenda;
pub mod edit;
pub mod edit_notice;
pub mod edit_routes;
pub mod holds;

use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// Where one meeting goes: the request it comes from, its slot, and its table (`None`: at
/// the supplier's own stand). A finished run's result holds one per meeting; publishing
/// turns them into `meeting` rows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Placement {
    pub request_id: Uuid,
    pub slot_id: Uuid,
    pub table_id: Option<Uuid>,
}
