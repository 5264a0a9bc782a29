//! The state every request handler and background job shares; cheap to clone.

use std::sync::Arc;

use sea_orm::DatabaseConnection;

use crate::config::Settings;
use crate::live::Live;
use crate::mail::{MailQueue, worker};
use crate::metrics::Metrics;

#[derive(Clone)]
pub struct AppState {
    pub db: DatabaseConnection,
    pub settings: Arc<Settings>,
    pub mail: MailQueue,
    pub metrics: Arc<Metrics>,
    pub live: Live,
    /// Published listings per event, checked against the event's catalogue version.
    pub listings: Arc<crate::catalogue::search::Listings>,
    /// Limits how many uploaded images are decoded at once (their memory).
    pub uploads: Arc<crate::catalogue::uploads::UploadGate>,
    /// Base URL for links in emails, without a trailing slash.
    pub public_url: Arc<str>,
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
