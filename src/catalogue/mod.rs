//! The factsheet catalogue: suppliers' factsheets with evidence per claim, their review,
//! full-text search with facets, uploads, print and export, and buyers' needs profiles.

pub mod browse;
pub mod content;
pub mod needs;
pub mod routes;
pub mod search;
pub mod service;
pub mod text;
pub mod uploads;
