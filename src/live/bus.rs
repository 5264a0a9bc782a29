//! The bus between server instances on PostgreSQL: every instance LISTENs on one channel;
//! a notification names an event and a sequence number, and each instance loads that
//! message from the log and hands it to its own hub; or it carries a [`Signal`] (sockets to
//! close), which each instance applies to its own hub.

use std::sync::Arc;
use std::time::Duration;

use sea_orm::sqlx::postgres::PgListener;
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter};
use tokio::sync::watch;
use uuid::Uuid;

use super::{CHANNEL, Hub, LiveMessage, Signal};
use crate::entities::live_message;

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
    if let Some(signal) = Signal::decode(payload) {
        hub.apply(signal);
        return;
    }
    let message = payload
        .split_once(':')
        .and_then(|(event, seq)| Some((event.parse::<Uuid>().ok()?, seq.parse::<i64>().ok()?)));
    let Some((event, seq)) = message else {
        tracing::warn!(payload, "live bus: unknown notification");
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
