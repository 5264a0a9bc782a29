//! The live socket `GET /api/events/{event_id}/live` and tickets for clients without the
//! session cookie. Outsiders are refused before the upgrade.

use std::time::Duration;

use axum::extract::State;
use axum::extract::ws::rejection::WebSocketUpgradeRejection;
use axum::extract::ws::{CloseFrame, Message, WebSocket, WebSocketUpgrade};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect, Set,
};
use serde::{Deserialize, Serialize};
use serde_json::json;
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use uuid::Uuid;

use crate::auth::{CurrentUser, hash_token, new_token, service as auth};
use crate::domain::Role;
use crate::entities::{live_message, live_ticket, person, session};
use crate::error::{AppError, AppResult, ErrorBody};
use crate::events::access;
use crate::http::{Json, Path, Query};
use crate::live::LiveMessage;
use crate::live::hub::{Hub, Kick};
use crate::state::AppState;

/// Most missed messages replayed on resume; more than that is a gap the client refetches.
const REPLAY_LIMIT: u64 = 1000;
const TICKET_SECONDS: i64 = 60;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(live))
        .routes(routes!(ticket))
}

#[derive(Serialize, ToSchema)]
pub struct Ticket {
    /// Pass as `?ticket=` to the live socket within `expires_in` seconds; works once.
    pub ticket: String,
    pub expires_in: i64,
}

/// A ticket that opens the live socket once, for clients that cannot send the cookie.
#[utoipa::path(post, path = "/api/events/{event_id}/live/ticket", tag = "live",
    responses((status = 201, body = Ticket), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn ticket(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(event_id): Path<Uuid>,
) -> AppResult<(StatusCode, Json<Ticket>)> {
    may_connect(&state, &user.person, event_id).await?;
    let ticket = new_token();
    live_ticket::ActiveModel {
        id: Set(Uuid::now_v7()),
        ticket_hash: Set(hash_token(&ticket)),
        event_id: Set(event_id),
        person_id: Set(user.person.id),
        session_id: Set(user.session.id),
        expires_at: Set(Utc::now() + chrono::Duration::seconds(TICKET_SECONDS)),
        used_at: Set(None),
    }
    .insert(&state.db)
    .await?;
    Ok((
        StatusCode::CREATED,
        Json(Ticket {
            ticket,
            expires_in: TICKET_SECONDS,
        }),
    ))
}

#[derive(Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct LiveParams {
    /// The last `seq` this client saw: missed messages are replayed first.
    pub after: Option<i64>,
    /// A ticket from `POST .../live/ticket`, instead of the session cookie.
    pub ticket: Option<String>,
}

/// Who is connecting: person and session, from a ticket or the session cookie.
async fn who(
    state: &AppState,
    headers: &HeaderMap,
    event_id: Uuid,
    ticket: Option<&str>,
) -> AppResult<(person::Model, session::Model)> {
    if let Some(ticket) = ticket {
        let now = Utc::now();
        let hash = hash_token(ticket);
        let used = live_ticket::Entity::update_many()
            .col_expr(live_ticket::Column::UsedAt, now.into())
            .filter(live_ticket::Column::TicketHash.eq(&hash))
            .filter(live_ticket::Column::EventId.eq(event_id))
            .filter(live_ticket::Column::UsedAt.is_null())
            .filter(live_ticket::Column::ExpiresAt.gt(now))
            .exec(&state.db)
            .await?;
        if used.rows_affected != 1 {
            return Err(AppError::NotLoggedIn);
        }
        let row = live_ticket::Entity::find()
            .filter(live_ticket::Column::TicketHash.eq(&hash))
            .one(&state.db)
            .await?
            .ok_or(AppError::NotLoggedIn)?;
        let alive = session::Entity::find_by_id(row.session_id)
            .filter(session::Column::ExpiresAt.gt(now))
            .one(&state.db)
            .await?;
        let person = person::Entity::find_by_id(row.person_id)
            .one(&state.db)
            .await?;
        return match (alive, person) {
            (Some(s), Some(p)) => Ok((p, s)),
            _ => Err(AppError::NotLoggedIn),
        };
    }
    let token = crate::auth::session_token(state, headers).ok_or(AppError::NotLoggedIn)?;
    auth::authenticate(state, &token)
        .await?
        .ok_or(AppError::NotLoggedIn)
}

/// Whether `person` may use the live channel of this event, and the role whose messages
/// they receive (organisers and platform admins: every role's). The one place that decides
/// it, for tickets and sockets alike.
async fn may_connect(
    state: &AppState,
    person: &person::Model,
    event_id: Uuid,
) -> AppResult<Option<Role>> {
    let access = access::participant(&state.db, person, event_id).await?;
    Ok(if access.is_organiser() {
        Some(Role::Organiser)
    } else {
        access.role
    })
}

/// The live socket for one event (see docs/live.md for the messages). A request without
/// the websocket handshake's headers gets 400.
#[utoipa::path(get, path = "/api/events/{event_id}/live", tag = "live",
    params(LiveParams,
        ("Upgrade" = String, Header, pattern = "^websocket$", description = "The websocket handshake (RFC 6455)"),
        ("Connection" = String, Header, pattern = "^Upgrade$"),
        ("Sec-WebSocket-Version" = String, Header, pattern = "^13$"),
        ("Sec-WebSocket-Key" = String, Header, pattern = "^[A-Za-z0-9+/]{22}==$", description = "16 random bytes in base64")),
    responses((status = 101, description = "switching to the websocket"), (status = 400, body = ErrorBody),
              (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn live(
    State(state): State<AppState>,
    Path(event_id): Path<Uuid>,
    Query(params): Query<LiveParams>,
    headers: HeaderMap,
    upgrade: Result<WebSocketUpgrade, WebSocketUpgradeRejection>,
) -> AppResult<Response> {
    // A page of another site must not open a socket with this site's cookie.
    if !crate::http::same_origin(&state, &headers) {
        return Err(AppError::coded(
            StatusCode::FORBIDDEN,
            "csrf_failed",
            "cross-site socket refused",
        ));
    }
    let (person, session) = who(&state, &headers, event_id, params.ticket.as_deref()).await?;
    let role = may_connect(&state, &person, event_id).await?;
    let upgrade =
        upgrade.map_err(|_| AppError::BadRequest("this endpoint speaks websocket only".into()))?;
    let client = Client {
        event_id,
        person,
        session: session.id,
        session_expires: session.expires_at,
        role,
        after: params.after,
    };
    Ok(upgrade
        .max_message_size(4096)
        // Small buffers: ten thousand sockets must fit in a few hundred megabytes.
        .read_buffer_size(4 * 1024)
        .write_buffer_size(4 * 1024)
        .max_write_buffer_size(1024 * 1024)
        .on_upgrade(move |socket| connection(socket, state, client)))
}

/// Who is on the other end of a socket, as checked before the upgrade.
#[derive(Debug)]
struct Client {
    event_id: Uuid,
    person: person::Model,
    session: Uuid,
    session_expires: DateTime<Utc>,
    role: Option<Role>,
    after: Option<i64>,
}

/// One socket's end: its websocket, and how long a send may take (`live.send_timeout_ms`).
/// A send the client does not take within that time ends the connection: with the bounded
/// queue behind it, a stalled client holds a fixed amount of memory at most.
struct Peer {
    socket: WebSocket,
    send_timeout: Duration,
}

impl Peer {
    /// False when the client is gone or did not take the frame in time.
    async fn send_frame(&mut self, frame: Message, hub: &Hub) -> bool {
        match tokio::time::timeout(self.send_timeout, self.socket.send(frame)).await {
            Ok(result) => result.is_ok(),
            Err(_) => {
                hub.send_timed_out();
                false
            }
        }
    }

    async fn send(&mut self, message: &impl Serialize, hub: &Hub) -> bool {
        match serde_json::to_string(message) {
            Ok(text) => self.send_frame(Message::Text(text.into()), hub).await,
            Err(_) => true,
        }
    }

    /// Says why the server ends the connection (a client that does not read never hears).
    async fn close(&mut self, code: u16, reason: &str, hub: &Hub) {
        let frame = CloseFrame {
            code,
            reason: reason.to_string().into(),
        };
        self.send_frame(Message::Close(Some(frame)), hub).await;
    }
}

/// When a session ends by itself: its expiry, as a point on tokio's clock.
fn deadline(expires: DateTime<Utc>) -> tokio::time::Instant {
    let left = (expires - Utc::now()).to_std().unwrap_or(Duration::ZERO);
    tokio::time::Instant::now() + left
}

/// Forwards this instance's live messages to one client until it leaves or the server ends
/// the connection. An idle socket costs the database nothing: logouts and access changes
/// arrive as signals through the hub (on every instance through the bus), and the session
/// is looked up again only when it expires, in case it was extended meanwhile.
#[tracing::instrument(skip(socket, state, client), fields(event_id = %client.event_id, person = %client.person.id))]
async fn connection(socket: WebSocket, state: AppState, client: Client) {
    let hub = state.live.hub.clone();
    let live = &state.settings.live;
    let mut peer = Peer {
        socket,
        send_timeout: Duration::from_millis(live.send_timeout_ms),
    };
    let heartbeat_every = Duration::from_millis(live.heartbeat_ms);
    let idle_limit = Duration::from_millis(live.idle_timeout_ms);
    let Client {
        event_id,
        person: who,
        session: session_id,
        session_expires,
        role,
        after,
    } = client;
    let person = who.id;
    // Subscribe before reading the log, so nothing falls between the two.
    let mut sub = hub.subscribe(event_id, person, session_id, role);
    // A logout or change of access that committed between the checks before the upgrade and
    // the subscription signalled nobody here: look once more, now that signals arrive.
    let session_alive = session::Entity::find_by_id(session_id)
        .filter(session::Column::ExpiresAt.gt(Utc::now()))
        .one(&state.db)
        .await;
    if matches!(session_alive, Ok(None)) {
        peer.close(4002, "logged out", &hub).await;
        return;
    }
    match may_connect(&state, &who, event_id).await {
        Ok(now) if now == role => {}
        Err(AppError::Database(_) | AppError::Internal(_)) => {}
        _ => {
            peer.close(4003, "no longer a participant of this event", &hub)
                .await;
            return;
        }
    }
    let latest = match live_message::Entity::find()
        .select_only()
        .column(live_message::Column::Seq)
        .filter(live_message::Column::EventId.eq(event_id))
        .order_by_desc(live_message::Column::Seq)
        .into_tuple::<i64>()
        .one(&state.db)
        .await
    {
        Ok(latest) => latest.unwrap_or(0),
        Err(err) => {
            tracing::error!(error = %err, "cannot read the live log");
            peer.close(1011, "server error; reconnect later", &hub)
                .await;
            return;
        }
    };
    let mut last = after.unwrap_or(latest).min(latest);
    let hello = json!({ "type": "hello", "seq": latest, "at": Utc::now(), "payload": { "resumed_from": after } });
    if !peer.send(&hello, &hub).await {
        return;
    }
    if let Some(after) = after.filter(|a| *a < latest) {
        let rows = live_message::Entity::find()
            .filter(live_message::Column::EventId.eq(event_id))
            .filter(live_message::Column::Seq.gt(after))
            .order_by_asc(live_message::Column::Seq)
            .limit(REPLAY_LIMIT + 1)
            .all(&state.db)
            .await
            .unwrap_or_else(|err| {
                // A row that cannot be read (bad stored data) must not pass for "nothing
                // missed": the client gets a gap and refetches its state.
                tracing::error!(error = %err, after, "cannot replay the live log");
                Vec::new()
            });
        let complete =
            rows.first().is_some_and(|r| r.seq == after + 1) && rows.len() as u64 <= REPLAY_LIMIT;
        if !complete {
            let gap = json!({
                "type": "gap",
                "seq": latest,
                "at": Utc::now(),
                "payload": { "message": "missed messages are no longer available; refetch your state" }
            });
            if !peer.send(&gap, &hub).await {
                return;
            }
            last = latest;
        } else {
            for row in rows {
                let message = LiveMessage::from_row(row);
                last = message.seq;
                if message.audience.reaches(person, role) && !peer.send(&message, &hub).await {
                    return;
                }
            }
        }
    }
    let mut heartbeat = tokio::time::interval(heartbeat_every);
    heartbeat.tick().await;
    let mut last_heard = tokio::time::Instant::now();
    let expiry = tokio::time::sleep_until(deadline(session_expires));
    tokio::pin!(expiry);
    loop {
        tokio::select! {
            next = sub.rx.recv() => {
                let Some(message) = next else { break };
                if message.seq > last {
                    last = message.seq;
                    // A client that stopped reading is cut off as soon as its queue overflows,
                    // even while a send to it is stuck.
                    let sent = tokio::select! {
                        ok = peer.send(message.as_ref(), &hub) => ok,
                        _ = sub.kick.changed() => false,
                    };
                    if !sent {
                        break;
                    }
                }
            }
            changed = sub.kick.changed() => {
                let why = *sub.kick.borrow();
                if changed.is_err() || why == Kick::None {
                    continue;
                }
                let (code, reason) = match why {
                    Kick::TooSlow => (4001, "too slow: reconnect and resume"),
                    Kick::Resync => (4001, "reconnect and resume"),
                    Kick::SessionEnded => (4002, "logged out"),
                    _ => (4003, "no longer a participant of this event"),
                };
                peer.close(code, reason, &hub).await;
                break;
            }
            incoming = peer.socket.recv() => match incoming {
                Some(Ok(Message::Close(_))) | None | Some(Err(_)) => break,
                Some(Ok(_)) => last_heard = tokio::time::Instant::now(),
            },
            _ = &mut expiry => {
                // The session's expiry moves forward while it is used elsewhere; ask once.
                let alive = session::Entity::find_by_id(session_id)
                    .filter(session::Column::ExpiresAt.gt(Utc::now()))
                    .one(&state.db)
                    .await;
                match alive {
                    Ok(Some(s)) => expiry.as_mut().reset(deadline(s.expires_at)),
                    Ok(None) => {
                        peer.close(4002, "logged out", &hub).await;
                        break;
                    }
                    // The database is unreachable: try again at the next heartbeat.
                    Err(_) => expiry.as_mut().reset(tokio::time::Instant::now() + heartbeat_every),
                }
            }
            _ = heartbeat.tick() => {
                if last_heard.elapsed() > idle_limit {
                    peer.close(4000, "idle", &hub).await;
                    break;
                }
                if !peer.send_frame(Message::Ping(Vec::new().into()), &hub).await {
                    break;
                }
            }
        }
    }
}
