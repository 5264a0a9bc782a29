//! Live updates. Every message is written to the per-event log (`live_message`) in the same
//! transaction as the change that causes it, with the next per-event `seq`; after the commit
//! it reaches every open socket it concerns, on every server instance:
//!
//! - on SQLite (one process) the service hands it to the in-process hub after committing;
//! - on PostgreSQL the transaction also runs `pg_notify`, which PostgreSQL delivers only on
//!   commit; every instance listens (`bus.rs`) and hands the message to its own hub.
//!
//! So a message is never published for a change that rolled back, and a client that
//! reconnects with the last `seq` it saw gets what it missed from the log.
//!
//! This module is the one door for services (see docs/live.md, "Publishing from a
//! service"): [`publish`] a message or [`signal`] a change of access inside the
//! transaction, then [`Live::commit`]. It imports no capability, `auth/` or the app state;
//! the websocket endpoint that reads from it lives above them all, in `live_socket/`.

pub mod bus;
pub mod hub;

use std::sync::Arc;

use chrono::{DateTime, Utc};
use sea_orm::{ConnectionTrait, DbBackend, DbErr, FromQueryResult, Statement, Value};
use serde::Serialize;
use serde_json::Value as Json;
use uuid::Uuid;

use crate::domain::JsonText;
pub use crate::domain::{Audience, LiveKind};
use crate::entities::live_message;
pub use hub::Hub;

pub const CHANNEL: &str = "matchfloor_live";

/// A message as it travels to clients.
#[derive(Debug, Clone, Serialize)]
pub struct LiveMessage {
    #[serde(rename = "type")]
    pub kind: LiveKind,
    pub seq: i64,
    pub at: DateTime<Utc>,
    pub payload: Json,
    #[serde(skip)]
    pub event_id: Uuid,
    #[serde(skip)]
    pub audience: Audience,
}

impl LiveMessage {
    pub fn from_row(row: live_message::Model) -> Self {
        LiveMessage {
            kind: row.kind,
            seq: row.seq,
            at: row.created_at,
            payload: row.payload.0,
            event_id: row.event_id,
            audience: row.audience,
        }
    }
}

#[derive(Debug, FromQueryResult)]
struct Seq {
    last_seq: i64,
}

/// Appends a message to the event's log inside the caller's transaction and returns it.
/// Commit with [`Live::commit`], which delivers it.
pub async fn publish<C: ConnectionTrait>(
    db: &C,
    event_id: Uuid,
    audience: Audience,
    kind: LiveKind,
    payload: Json,
) -> Result<Arc<LiveMessage>, DbErr> {
    let backend = db.get_database_backend();
    let pg = backend == DbBackend::Postgres;
    // An upsert that takes the event's counter row lock until commit, so sequence numbers
    // are handed out (and committed) in order, also across server instances.
    let sql = if pg {
        "INSERT INTO live_sequence (event_id, last_seq) VALUES ($1, 1) \
         ON CONFLICT (event_id) DO UPDATE SET last_seq = live_sequence.last_seq + 1 RETURNING last_seq"
    } else {
        "INSERT INTO live_sequence (event_id, last_seq) VALUES (?, 1) \
         ON CONFLICT (event_id) DO UPDATE SET last_seq = live_sequence.last_seq + 1 RETURNING last_seq"
    };
    let row = db
        .query_one_raw(Statement::from_sql_and_values(
            backend,
            sql,
            [Value::from(event_id)],
        ))
        .await?
        .ok_or_else(|| DbErr::Custom("the live sequence did not return a value".into()))?;
    let seq = Seq::from_query_result(&row, "")?.last_seq;
    let now = Utc::now();
    let model = live_message::Model {
        id: Uuid::now_v7(),
        event_id,
        seq,
        kind,
        audience,
        payload: JsonText(payload),
        created_at: now,
    };
    let active: live_message::ActiveModel = model.clone().into();
    sea_orm::EntityTrait::insert(active)
        .exec_without_returning(db)
        .await?;
    if pg {
        notify(db, format!("{event_id}:{seq}")).await?;
    }
    Ok(Arc::new(LiveMessage::from_row(model)))
}

/// A change that open sockets must act on without being told in a message: the server
/// closes them (docs/live.md, "Closing"). Signals travel like messages (sent inside the
/// transaction, delivered on commit, to every instance) but are not kept in the log.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Signal {
    /// A session was logged out or deleted: its sockets close with 4002.
    SessionEnded(Uuid),
    /// A person's role or status in an event changed so that their open sockets there no
    /// longer fit (cancelled, declined, another role): they close with 4003.
    AccessChanged { event: Uuid, person: Uuid },
    /// A person's rights in every event changed (platform administrator rights removed):
    /// all their sockets close with 4003.
    PersonChanged(Uuid),
}

impl Signal {
    /// The bus notification; never of the form `EVENT:SEQ` that messages use.
    fn encode(&self) -> String {
        match self {
            Signal::SessionEnded(session) => format!("end-session:{session}"),
            Signal::AccessChanged { event, person } => format!("end-access:{event}:{person}"),
            Signal::PersonChanged(person) => format!("end-person:{person}"),
        }
    }

    fn decode(raw: &str) -> Option<Self> {
        let mut parts = raw.split(':');
        let signal = match (parts.next()?, parts.next()?, parts.next()) {
            ("end-session", session, None) => Signal::SessionEnded(session.parse().ok()?),
            ("end-access", event, Some(person)) => Signal::AccessChanged {
                event: event.parse().ok()?,
                person: person.parse().ok()?,
            },
            ("end-person", person, None) => Signal::PersonChanged(person.parse().ok()?),
            _ => return None,
        };
        parts.next().is_none().then_some(signal)
    }
}

/// Records a signal inside the caller's transaction and returns it; commit with
/// [`Live::commit_with`], which delivers it. On PostgreSQL the notification leaves with the
/// commit (and never for a change that rolled back).
pub async fn signal<C: ConnectionTrait>(db: &C, signal: Signal) -> Result<Signal, DbErr> {
    if db.get_database_backend() == DbBackend::Postgres {
        notify(db, signal.encode()).await?;
    }
    Ok(signal)
}

async fn notify<C: ConnectionTrait>(db: &C, payload: String) -> Result<(), DbErr> {
    db.execute_raw(Statement::from_sql_and_values(
        DbBackend::Postgres,
        "SELECT pg_notify($1, $2)",
        [Value::from(CHANNEL), Value::from(payload)],
    ))
    .await
    .map(|_| ())
}

/// The live side of the application state: this instance's hub and how messages reach it.
#[derive(Clone)]
pub struct Live {
    pub hub: Arc<Hub>,
    /// On PostgreSQL the bus listener delivers; otherwise services deliver after commit.
    pub via_database: bool,
    /// Without the bus: commit and delivery happen one transaction at a time, so messages
    /// reach the hub in `seq` order (a connection skips anything older than what it sent).
    order: Arc<tokio::sync::Mutex<()>>,
}

impl Live {
    pub fn new(via_database: bool) -> Self {
        Live {
            hub: Arc::new(Hub::default()),
            via_database,
            order: Arc::new(tokio::sync::Mutex::new(())),
        }
    }

    /// Commits the transaction that published `messages`, then hands them to this instance's
    /// sockets (on PostgreSQL the bus does that for every instance).
    pub async fn commit(
        &self,
        txn: sea_orm::DatabaseTransaction,
        messages: &[Arc<LiveMessage>],
    ) -> Result<(), DbErr> {
        self.commit_with(txn, messages, &[]).await
    }

    /// [`Live::commit`] for a transaction that also sent [`signal`]s.
    pub async fn commit_with(
        &self,
        txn: sea_orm::DatabaseTransaction,
        messages: &[Arc<LiveMessage>],
        signals: &[Signal],
    ) -> Result<(), DbErr> {
        if self.via_database {
            return txn.commit().await;
        }
        let _turn = self.order.lock().await;
        txn.commit().await?;
        for m in messages {
            self.hub.deliver(m.clone());
        }
        for s in signals {
            self.hub.apply(*s);
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signals_cross_the_bus_unchanged_and_never_look_like_messages() {
        let (event, person) = (Uuid::now_v7(), Uuid::now_v7());
        for signal in [
            Signal::SessionEnded(person),
            Signal::AccessChanged { event, person },
            Signal::PersonChanged(person),
        ] {
            assert_eq!(Signal::decode(&signal.encode()), Some(signal));
        }
        assert_eq!(Signal::decode(&format!("{event}:42")), None);
        assert_eq!(Signal::decode("end-session:not-a-uuid"), None);
        assert_eq!(Signal::decode(&format!("end-person:{person}:extra")), None);
    }
}
