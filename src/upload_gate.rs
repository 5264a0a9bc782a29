//! The gate every upload passes: it bounds how many uploads are in progress and how many
//! images are decoded at once, so that uploads cannot take the server's memory. It sits
//! below the capabilities (the application state holds it); the catalogue's uploads use it.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use axum::http::StatusCode;
use tokio::sync::{OwnedSemaphorePermit, Semaphore};

use crate::config::UploadSettings;
use crate::error::{AppError, AppResult};

/// Bounds the memory that uploads take. Decoding an image needs its whole bitmap (up to
/// width x height x 8 bytes), so at most `uploads.decode_concurrency` images are decoded
/// at once and the others wait their turn; at most `uploads.max_waiting` uploads wait
/// (each holds its body meanwhile), and further ones are refused at once with a 503.
pub struct UploadGate {
    /// Uploads in progress: decoding plus waiting. Taken before the body is read.
    admitted: Arc<Semaphore>,
    /// Turns to decode an image.
    decoding: Arc<Semaphore>,
    concurrency: usize,
    waiting: AtomicUsize,
}

/// Seconds after which a client refused with [`busy`] may try again.
pub const RETRY_AFTER_SECONDS: u64 = 5;

/// The answer when no upload place is free.
pub fn busy() -> AppError {
    AppError::Coded {
        status: StatusCode::SERVICE_UNAVAILABLE,
        code: "uploads_busy",
        message: format!(
            "the server is busy processing other uploads; try again in {RETRY_AFTER_SECONDS} seconds"
        ),
        details: Some(serde_json::json!({ "retry_after_seconds": RETRY_AFTER_SECONDS })),
    }
}

/// An upload's place in the gate, from before its body is read until it is stored.
pub struct Admitted(#[allow(dead_code)] OwnedSemaphorePermit);

impl UploadGate {
    pub fn new(settings: &UploadSettings) -> Self {
        let concurrency = settings.decode_concurrency.max(1);
        UploadGate {
            admitted: Arc::new(Semaphore::new(concurrency + settings.max_waiting)),
            decoding: Arc::new(Semaphore::new(concurrency)),
            concurrency,
            waiting: AtomicUsize::new(0),
        }
    }

    /// A place for one more upload, or none when too many already wait (see [`busy`]).
    pub fn admit(&self) -> Option<Admitted> {
        self.admitted.clone().try_acquire_owned().ok().map(Admitted)
    }

    /// Uploads waiting for a turn to decode.
    pub fn waiting(&self) -> usize {
        self.waiting.load(Ordering::SeqCst)
    }

    /// Waits for a turn to decode an image; the turn ends when the permit is dropped.
    pub async fn decode_turn(&self) -> AppResult<OwnedSemaphorePermit> {
        // Counted down on drop too: a request cut off at its time limit stops waiting.
        struct Waiting<'a>(&'a AtomicUsize);
        impl Drop for Waiting<'_> {
            fn drop(&mut self) {
                self.0.fetch_sub(1, Ordering::SeqCst);
            }
        }
        self.waiting.fetch_add(1, Ordering::SeqCst);
        let _waiting = Waiting(&self.waiting);
        let permit = self.decoding.clone().acquire_owned().await;
        Ok(permit.map_err(anyhow::Error::from)?)
    }

    /// Takes every decoding turn until the result is dropped, so that uploads queue up
    /// (for tests of the limit, and for an operator pausing image work).
    pub async fn hold_all_turns(&self) -> AppResult<OwnedSemaphorePermit> {
        Ok(self
            .decoding
            .clone()
            .acquire_many_owned(self.concurrency as u32)
            .await
            .map_err(anyhow::Error::from)?)
    }
}
