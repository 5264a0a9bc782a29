//! The live socket `GET /api/events/{event_id}/live` and tickets for clients without the
//! session cookie. Outsiders are refused before the upgrade.

use std::time::Duration;

use axum::extract::State;
use axum::extract::ws::rejection::WebSocketUpgradeRejection;
use axum::extract::ws::{CloseFrame, Message, WebSocket, WebSocketUpgrade};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use chrono::Utc;
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
use crate::entities::{live_message, live_ticket, session};
use crate::error::{AppError, AppResult, ErrorBody};
use crate::events::access;
use crate::http::{Json, Path, Query};
use crate::live::LiveMessage;
use crate::live::hub::Kick;
use crate::state::AppState;

/// Seconds between pings; a client that answers none for three of them is gone.
const HEARTBEAT: Duration = Duration::from_secs(20);
const IDLE_TIMEOUT: Duration = Duration::from_secs(60);
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
    access::participant(&state.db, &user.person, event_id).await?;
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
) -> AppResult<(crate::entities::person::Model, Uuid)> {
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
        let person = crate::entities::person::Entity::find_by_id(row.person_id)
            .one(&state.db)
            .await?;
        return match (alive, person) {
            (Some(s), Some(p)) => Ok((p, s.id)),
            _ => Err(AppError::NotLoggedIn),
        };
    }
    let token = crate::auth::session_token(state, headers).ok_or(AppError::NotLoggedIn)?;
    let (person, session) = auth::authenticate(state, &token)
        .await?
        .ok_or(AppError::NotLoggedIn)?;
    Ok((person, session.id))
}

/// The live socket for one event (see docs/live.md for the messages).
#[utoipa::path(get, path = "/api/events/{event_id}/live", tag = "live", params(LiveParams),
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
    let access = access::participant(&state.db, &person, event_id).await?;
    let upgrade =
        upgrade.map_err(|_| AppError::BadRequest("this endpoint speaks websocket only".into()))?;
    // Organisers and platform admins receive every role's messages.
    let role = if access.is_organiser() {
        Some(crate::domain::Role::Organiser)
    } else {
        access.role
    };
    let after = params.after;
    Ok(upgrade
        .max_message_size(4096)
        // Small buffers: ten thousand sockets must fit in a few hundred megabytes.
        .read_buffer_size(4 * 1024)
        .write_buffer_size(4 * 1024)
        .max_write_buffer_size(1024 * 1024)
        .on_upgrade(move |socket| {
            connection(socket, state, event_id, person.id, session, role, after)
        }))
}

/// A send that the client does not take within this time ends the connection: with the
/// bounded queue behind it, a stalled client holds a fixed amount of memory at most.
const SEND_TIMEOUT: Duration = Duration::from_secs(10);

async fn send(socket: &mut WebSocket, message: &LiveMessage) -> bool {
    match serde_json::to_string(message) {
        Ok(text) => matches!(
            tokio::time::timeout(SEND_TIMEOUT, socket.send(Message::Text(text.into()))).await,
            Ok(Ok(()))
        ),
        Err(_) => true,
    }
}

async fn close(socket: &mut WebSocket, code: u16, reason: &str) {
    let _ = socket
        .send(Message::Close(Some(CloseFrame {
            code,
            reason: reason.to_string().into(),
        })))
        .await;
}

#[tracing::instrument(skip(socket, state, role, after))]
async fn connection(
    mut socket: WebSocket,
    state: AppState,
    event_id: Uuid,
    person: Uuid,
    session_id: Uuid,
    role: Option<crate::domain::Role>,
    after: Option<i64>,
) {
    // Subscribe before reading the log, so nothing falls between the two.
    let mut sub = state.live.hub.subscribe(event_id, person, session_id, role);
    let latest = live_message::Entity::find()
        .filter(live_message::Column::EventId.eq(event_id))
        .order_by_desc(live_message::Column::Seq)
        .one(&state.db)
        .await
        .ok()
        .flatten()
        .map(|m| m.seq)
        .unwrap_or(0);
    let mut last = after.unwrap_or(latest).min(latest);
    let hello = json!({ "type": "hello", "seq": latest, "at": Utc::now(), "payload": { "resumed_from": after } });
    if socket
        .send(Message::Text(hello.to_string().into()))
        .await
        .is_err()
    {
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
            .unwrap_or_default();
        let complete =
            rows.first().is_some_and(|r| r.seq == after + 1) && rows.len() as u64 <= REPLAY_LIMIT;
        if !complete {
            let gap = json!({
                "type": "gap",
                "seq": latest,
                "at": Utc::now(),
                "payload": { "message": "missed messages are no longer available; refetch your state" }
            });
            if socket
                .send(Message::Text(gap.to_string().into()))
                .await
                .is_err()
            {
                return;
            }
            last = latest;
        } else {
            for row in rows {
                let message = LiveMessage::from_row(row);
                last = message.seq;
                if message
                    .audience
                    .as_ref()
                    .is_some_and(|a| a.reaches(person, role))
                    && !send(&mut socket, &message).await
                {
                    return;
                }
            }
        }
    }
    let mut heartbeat = tokio::time::interval(HEARTBEAT);
    heartbeat.tick().await;
    let mut last_heard = tokio::time::Instant::now();
    loop {
        tokio::select! {
            next = sub.rx.recv() => {
                let Some(message) = next else { break };
                if message.seq > last {
                    last = message.seq;
                    // A client that stopped reading is cut off as soon as its queue overflows,
                    // even while a send to it is stuck.
                    let sent = tokio::select! {
                        ok = send(&mut socket, &message) => ok,
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
                close(&mut socket, code, reason).await;
                break;
            }
            incoming = socket.recv() => match incoming {
                Some(Ok(Message::Close(_))) | None | Some(Err(_)) => break,
                Some(Ok(_)) => last_heard = tokio::time::Instant::now(),
            },
            _ = heartbeat.tick() => {
                if last_heard.elapsed() > IDLE_TIMEOUT {
                    close(&mut socket, 4000, "idle").await;
                    break;
                }
                // The session may have ended on another instance.
                let alive = session::Entity::find_by_id(session_id).filter(session::Column::ExpiresAt.gt(Utc::now())).one(&state.db).await;
                if matches!(alive, Ok(None)) {
                    close(&mut socket, 4002, "logged out").await;
                    break;
                }
                if socket.send(Message::Ping(Vec::new().into())).await.is_err() {
                    break;
                }
            }
        }
    }
}
