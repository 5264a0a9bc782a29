//! The bus between server instances on PostgreSQL: every instance LISTENs on one channel;
//! a notification names an event and a sequence number (or a socket to close), and each
//! instance loads that message from the log and hands it to its own hub.

use std::sync::Arc;
use std::time::Duration;

use sea_orm::sqlx::postgres::PgListener;
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseConnection, DbBackend, EntityTrait, QueryFilter,
    Statement, Value,
};
use tokio::sync::watch;
use uuid::Uuid;

use super::{CHANNEL, Hub, LiveMessage};
use crate::entities::live_message;

/// Tells every instance (or just this one, without PostgreSQL) to close a session's sockets.
pub async fn end_session(db: &DatabaseConnection, hub: &Hub, session: Uuid) {
    if db.get_database_backend() == DbBackend::Postgres {
        notify(db, format!("end-session:{session}")).await;
    } else {
        hub.end_session(session);
    }
}

/// Tells every instance to close one person's sockets in one event.
pub async fn end_access(db: &DatabaseConnection, hub: &Hub, event: Uuid, person: Uuid) {
    if db.get_database_backend() == DbBackend::Postgres {
        notify(db, format!("end-access:{event}:{person}")).await;
    } else {
        hub.end_access(event, person);
    }
}

async fn notify(db: &DatabaseConnection, payload: String) {
    let stmt = Statement::from_sql_and_values(
        DbBackend::Postgres,
        "SELECT pg_notify($1, $2)",
        [Value::from(CHANNEL), Value::from(payload)],
    );
    if let Err(err) = db.execute_raw(stmt).await {
        tracing::warn!(error = %err, "could not notify the other instances");
    }
}

/// Connects to PostgreSQL and LISTENs on the channel. Called before the server accepts
/// requests, so no message committed after start-up can be missed.
pub async fn connect(url: &str) -> Result<PgListener, sea_orm::sqlx::Error> {
    let mut listener = PgListener::connect(url).await?;
    listener.listen(CHANNEL).await?;
    Ok(listener)
}

/// Hands notifications to the hub until `stop` turns true; reconnects after errors.
pub async fn listen(
    mut listener: PgListener,
    url: String,
    db: DatabaseConnection,
    hub: Arc<Hub>,
    mut stop: watch::Receiver<bool>,
) {
    loop {
        tokio::select! {
            received = listener.try_recv() => match received {
                Ok(Some(note)) => handle(&db, &hub, note.payload()).await,
                // The connection dropped: notifications sent meanwhile are lost, so every
                // socket here resumes from the log. The next call reconnects.
                Ok(None) => {
                    tracing::warn!("live bus: connection lost; clients resume from the log");
                    hub.resync_all();
                }
                Err(err) => {
                    tracing::warn!(error = %err, "live bus: connection lost, reconnecting");
                    hub.resync_all();
                    listener = loop {
                        tokio::select! {
                            _ = tokio::time::sleep(Duration::from_secs(1)) => {}
                            _ = stop.changed() => return,
                        }
                        match connect(&url).await {
                            Ok(l) => break l,
                            Err(err) => tracing::warn!(error = %err, "live bus: cannot reconnect yet"),
                        }
                    };
                }
            },
            _ = stop.changed() => return,
        }
    }
}

async fn handle(db: &DatabaseConnection, hub: &Hub, payload: &str) {
    let mut parts = payload.split(':');
    match (parts.next(), parts.next(), parts.next()) {
        (Some("end-session"), Some(session), None) => {
            if let Ok(session) = session.parse() {
                hub.end_session(session);
            }
        }
        (Some("end-access"), Some(event), Some(person)) => {
            if let (Ok(event), Ok(person)) = (event.parse(), person.parse()) {
                hub.end_access(event, person);
            }
        }
        (Some(event), Some(seq), None) => {
            let (Ok(event), Ok(seq)) = (event.parse::<Uuid>(), seq.parse::<i64>()) else {
                return;
            };
            match live_message::Entity::find()
                .filter(live_message::Column::EventId.eq(event))
                .filter(live_message::Column::Seq.eq(seq))
                .one(db)
                .await
            {
                Ok(Some(row)) => hub.deliver(Arc::new(LiveMessage::from_row(row))),
                Ok(None) => tracing::warn!(%event, seq, "live bus: message not found"),
                Err(err) => tracing::warn!(error = %err, "live bus: cannot load a message"),
            }
        }
        _ => tracing::warn!(payload, "live bus: unknown notification"),
    }
}
