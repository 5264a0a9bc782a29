//! The event day: announcements to everyone, to roles or to selected people (live, and by
//! email to those who did not opt out), and the reminder the day before with each
//! person's agenda and check-in code.

pub mod announcements;
pub mod reminders;
pub mod routes;
pub mod unsubscribe;
