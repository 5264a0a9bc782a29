//! People in an event: the participant list, invitations, CSV import and public registration.

pub mod checkin;
pub mod csv_import;
pub mod routes;
pub mod service;
