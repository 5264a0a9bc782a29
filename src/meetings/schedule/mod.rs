//! Scheduling the event's meetings inside the app (docs/scheduling.md, "In the app"): the
//! instance built from the event's accepted requests, availability, sessions, tables and
//! limits; the solver's runs as background jobs claimed by exactly one instance; the
//! preview of a finished run; publishing it as the meetings people see; and the
//! organisers' edits of those meetings.
//!
//! What the pieces share is here: where a run's result puts each meeting.

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
