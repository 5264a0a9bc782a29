//! This instance's sockets, per event. Delivery never waits: each connection has a bounded
//! queue, and a connection whose queue is full is cut off (it can reconnect and resume),
//! so a slow client can never grow the server's memory or hold up the others.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use tokio::sync::{mpsc, watch};
use uuid::Uuid;

use super::{LiveMessage, Signal};
use crate::domain::Role;

/// Messages a connection may have queued before it counts as too slow.
pub const QUEUE: usize = 256;

/// Why a connection is being closed by the server.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kick {
    None,
    TooSlow,
    /// This instance may have missed messages (the bus reconnected): resume from the log.
    Resync,
    SessionEnded,
    AccessEnded,
}

struct Subscriber {
    id: u64,
    person: Uuid,
    session: Uuid,
    role: Option<Role>,
    tx: mpsc::Sender<Arc<LiveMessage>>,
    kick: watch::Sender<Kick>,
}

#[derive(Default)]
pub struct Hub {
    next_id: AtomicU64,
    events: Mutex<HashMap<Uuid, Vec<Subscriber>>>,
    delivered: AtomicU64,
    dropped: AtomicU64,
    send_timeouts: AtomicU64,
}

/// What a connection holds: its queue and its kick signal. Dropping it unsubscribes.
pub struct Subscription {
    pub rx: mpsc::Receiver<Arc<LiveMessage>>,
    pub kick: watch::Receiver<Kick>,
    hub: Arc<Hub>,
    event: Uuid,
    id: u64,
}

impl Drop for Subscription {
    fn drop(&mut self) {
        if let Ok(mut events) = self.hub.events.lock()
            && let Some(list) = events.get_mut(&self.event)
        {
            list.retain(|s| s.id != self.id);
            if list.is_empty() {
                events.remove(&self.event);
            }
        }
    }
}

impl Hub {
    pub fn subscribe(
        self: &Arc<Self>,
        event: Uuid,
        person: Uuid,
        session: Uuid,
        role: Option<Role>,
    ) -> Subscription {
        let id = self.next_id.fetch_add(1, Ordering::Relaxed);
        let (tx, rx) = mpsc::channel(QUEUE);
        let (kick_tx, kick_rx) = watch::channel(Kick::None);
        if let Ok(mut events) = self.events.lock() {
            events.entry(event).or_default().push(Subscriber {
                id,
                person,
                session,
                role,
                tx,
                kick: kick_tx,
            });
        }
        Subscription {
            rx,
            kick: kick_rx,
            hub: self.clone(),
            event,
            id,
        }
    }

    /// Queues a message for every connection of its event that it concerns.
    pub fn deliver(&self, message: Arc<LiveMessage>) {
        let Ok(events) = self.events.lock() else {
            return;
        };
        let Some(list) = events.get(&message.event_id) else {
            return;
        };
        for s in list {
            if !message.audience.reaches(s.person, s.role) {
                continue;
            }
            match s.tx.try_send(message.clone()) {
                Ok(()) => {
                    self.delivered.fetch_add(1, Ordering::Relaxed);
                }
                Err(_) => {
                    self.dropped.fetch_add(1, Ordering::Relaxed);
                    let _ = s.kick.send(Kick::TooSlow);
                }
            }
        }
    }

    /// Closes this instance's sockets that a signal concerns.
    pub fn apply(&self, signal: Signal) {
        match signal {
            Signal::SessionEnded(session) => {
                self.kick_where(|s| s.session == session, Kick::SessionEnded)
            }
            Signal::AccessChanged { event, person } => {
                if let Ok(events) = self.events.lock()
                    && let Some(list) = events.get(&event)
                {
                    for s in list.iter().filter(|s| s.person == person) {
                        let _ = s.kick.send(Kick::AccessEnded);
                    }
                }
            }
            Signal::PersonChanged(person) => {
                self.kick_where(|s| s.person == person, Kick::AccessEnded)
            }
        }
    }

    /// Closes every socket of this instance so clients resume from the log.
    pub fn resync_all(&self) {
        self.kick_where(|_| true, Kick::Resync);
    }

    fn kick_where(&self, matches: impl Fn(&Subscriber) -> bool, why: Kick) {
        if let Ok(events) = self.events.lock() {
            for s in events.values().flatten().filter(|s| matches(s)) {
                let _ = s.kick.send(why);
            }
        }
    }

    pub fn connections(&self) -> usize {
        self.events
            .lock()
            .map(|e| e.values().map(Vec::len).sum())
            .unwrap_or(0)
    }

    pub fn delivered_total(&self) -> u64 {
        self.delivered.load(Ordering::Relaxed)
    }

    pub fn dropped_total(&self) -> u64 {
        self.dropped.load(Ordering::Relaxed)
    }

    /// Counts a socket whose client did not take a frame within the send timeout.
    pub fn send_timed_out(&self) {
        self.send_timeouts.fetch_add(1, Ordering::Relaxed);
    }

    pub fn send_timeouts_total(&self) -> u64 {
        self.send_timeouts.load(Ordering::Relaxed)
    }
}
