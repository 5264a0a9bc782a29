//! Events and their set-up: details, meeting grid, rooms, tables and taxonomy.

pub mod access;
pub mod grid;
pub mod routes;
pub mod service;
pub mod venue;
