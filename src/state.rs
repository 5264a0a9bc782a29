//! The state every request handler and background job shares; cheap to clone.

use std::sync::Arc;

use sea_orm::DatabaseConnection;

use crate::config::Settings;
use crate::event_cache::EventCache;
use crate::live::Live;
use crate::mail::{MailQueue, worker};
use crate::metrics::Metrics;
use crate::upload_gate::UploadGate;

#[derive(Clone)]
pub struct AppState {
    pub db: DatabaseConnection,
    pub settings: Arc<Settings>,
    pub mail: MailQueue,
    pub metrics: Arc<Metrics>,
    pub live: Live,
    /// What capabilities keep in memory per event (the catalogue's published listing),
    /// checked against a version of the event.
    pub event_cache: Arc<EventCache>,
    /// Limits how many uploaded images are decoded at once (their memory).
    pub uploads: Arc<UploadGate>,
    /// Sign-ups per programme session wait their turn here before they take a database
    /// connection (docs/programme.md, "Bursts").
    pub seat_queues: Arc<crate::seat_queues::SeatQueues>,
    /// Base URL for links in emails, without a trailing slash.
    pub public_url: Arc<str>,
    /// This instance's worker of the meeting scheduler's runs: its name, how to wake it,
    /// and what it ran.
    pub schedule: Arc<crate::worker_handle::WorkerHandle>,
}

impl AppState {
    /// What the mail worker needs of this state, and nothing else.
    pub fn mail_worker(&self) -> worker::Worker {
        worker::Worker {
            db: self.db.clone(),
            settings: Arc::new(self.settings.mail.clone()),
            queue: self.mail.clone(),
        }
    }
}
