//! One queue per key (a programme session) for this instance's requests that will wait
//! for the same database row lock anyway. The database decides every seat, across
//! instances; waiting here instead, in arrival order, keeps a burst for one popular
//! session from holding every pooled connection while it waits, so other requests and
//! sessions go on, and nobody in the burst runs out of the pool's acquire time
//! (docs/programme.md, "Bursts"). It sits below the capabilities, held in `AppState`.

use std::collections::HashMap;
use std::sync::{Arc, Weak};

use uuid::Uuid;

#[derive(Default)]
pub struct SeatQueues {
    queues: std::sync::Mutex<HashMap<Uuid, Weak<tokio::sync::Mutex<()>>>>,
}

impl SeatQueues {
    /// Waits for this key's turn (tokio's mutex is fair: first come, first served); the
    /// turn ends when the guard is dropped.
    pub async fn turn(&self, key: Uuid) -> tokio::sync::OwnedMutexGuard<()> {
        let queue = {
            let mut queues = self
                .queues
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner);
            match queues.get(&key).and_then(Weak::upgrade) {
                Some(queue) => queue,
                None => {
                    // Forget the keys nobody waits for any more.
                    queues.retain(|_, q| q.strong_count() > 0);
                    let queue = Arc::new(tokio::sync::Mutex::new(()));
                    queues.insert(key, Arc::downgrade(&queue));
                    queue
                }
            }
        };
        queue.lock_owned().await
    }
}
