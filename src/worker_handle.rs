//! The application state's handle of a background worker that other instances' work can
//! also reach through the database (the meeting scheduler's runs): the name this instance
//! records on what it claims, how to wake it at once, and how much it ran.

use std::sync::atomic::AtomicU64;

use tokio::sync::Notify;
use uuid::Uuid;

pub struct WorkerHandle {
    /// The name this instance records on what it claims (process id and a fresh id).
    pub instance_id: String,
    wake: Notify,
    /// Jobs this instance ran to their end, whatever the end.
    pub executed: AtomicU64,
}

impl Default for WorkerHandle {
    fn default() -> Self {
        Self::new()
    }
}

impl WorkerHandle {
    pub fn new() -> Self {
        WorkerHandle {
            instance_id: format!("{}-{}", std::process::id(), Uuid::now_v7().simple()),
            wake: Notify::new(),
            executed: AtomicU64::new(0),
        }
    }

    /// Work was queued here: look now instead of at the next poll.
    pub fn wake(&self) {
        self.wake.notify_one();
    }

    /// Completes when [`WorkerHandle::wake`] was called (also before this call).
    pub fn notified(&self) -> tokio::sync::futures::Notified<'_> {
        self.wake.notified()
    }
}
