//! Integration tests: the real server over real HTTP, on SQLite by default and on
//! PostgreSQL when MATCHFLOOR_TEST_DATABASE_URL is set.

mod access;
mod auth;
mod bilingual;
mod calendar;
mod catalogue;
mod events;
mod grid_and_tables;
mod helpers;
mod live;
mod mail;
mod mail_delivery;
mod mail_messages;
mod mail_view;
mod meeting_edits;
mod meeting_notices;
mod meeting_overview;
mod meeting_recommendations;
mod meeting_requests;
mod openapi;
mod operations;
mod organisations;
mod participants;
mod platform;
mod programme;
mod programme_questions;
mod races;
mod schedule;
mod schedule_whatif;
mod schedule_why_not;
mod stored_values;
mod uploads;
