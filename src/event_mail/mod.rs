//! The organisers' view of their event's email (docs/mail.md, "The organisers' view"):
//! every message written for the event with its state, searchable, and sending one again.
//! A capability above `mail/`, which only queues and delivers.

pub mod routes;
pub mod service;
