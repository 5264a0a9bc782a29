//! The event day: announcements to everyone, to roles or to selected people.

pub mod announcements;
pub mod routes;
