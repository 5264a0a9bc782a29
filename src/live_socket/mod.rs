//! The live socket endpoint: who may open `GET /api/events/{event_id}/live`, and the
//! connection that forwards this instance's live messages to one client. It sits above
//! `auth/` and `events/`; the publishing side it reads from is `crate::live`, which
//! imports nothing of this module.

pub mod routes;
