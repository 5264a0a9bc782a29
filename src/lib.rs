//! matchfloor: the platform for "Buyer meets Supplier" matchmaking events. This library
//! holds everything; the binary in main.rs is a thin command line around it, and the
//! integration tests and benches use it directly.

pub mod app;
pub mod auth;
pub mod bounds;
pub mod catalogue;
pub mod config;
pub mod dayof;
pub mod db;
pub mod demo;
pub mod domain;
pub mod entities;
pub mod error;
pub mod events;
pub mod file_response;
pub mod forwarded;
pub mod housekeeping;
pub mod http;
pub mod live;
pub mod live_socket;
pub mod mail;
pub mod metrics;
pub mod openapi;
pub mod organisations;
pub mod people;
pub mod request_limits;
pub mod scheduling;
pub mod state;
pub mod telemetry;
pub mod web;
