//! Organisations and who belongs to them. Membership is granted, never claimed: typing a
//! new name founds an organisation with its first member; typing an existing one asks to
//! join, and a member or an organiser of the event decides. Every grant is recorded.

pub mod routes;
pub mod service;
