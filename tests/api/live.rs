//! The live channel over real websockets (tokio-tungstenite as the client).

use futures_util::StreamExt;
use reqwest::{Method, StatusCode};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use serde_json::{Value, json};
use tokio::net::TcpStream;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tokio_tungstenite::tungstenite::{Error as WsError, Message};
use tokio_tungstenite::{MaybeTlsStream, WebSocketStream};

use crate::helpers::{Session, TestApp, World};

pub(crate) type Socket = WebSocketStream<MaybeTlsStream<TcpStream>>;

fn ws_url(app: &TestApp, event: &str, query: &str) -> String {
    format!(
        "{}/api/events/{event}/live{query}",
        app.address.replace("http://", "ws://")
    )
}

pub(crate) async fn connect(
    app: &TestApp,
    event: &str,
    cookie: Option<&str>,
    query: &str,
) -> Result<Socket, WsError> {
    let mut request = ws_url(app, event, query).into_client_request().unwrap();
    if let Some(cookie) = cookie {
        request
            .headers_mut()
            .insert("cookie", format!("mf_session={cookie}").parse().unwrap());
    }
    tokio_tungstenite::connect_async(request)
        .await
        .map(|(socket, _)| socket)
}

/// The next JSON message (skipping pings), or the close code if the server closed. A
/// message that never comes fails the test after a generous wait instead of hanging it.
pub(crate) async fn next(socket: &mut Socket) -> Result<Value, Option<u16>> {
    loop {
        let received = tokio::time::timeout(std::time::Duration::from_secs(60), socket.next())
            .await
            .expect("no message from the server within a minute");
        match received {
            Some(Ok(Message::Text(text))) => return Ok(serde_json::from_str(&text).unwrap()),
            Some(Ok(Message::Close(frame))) => return Err(frame.map(|f| u16::from(f.code))),
            Some(Ok(_)) => continue,
            _ => return Err(None),
        }
    }
}

/// An event with an organiser (the admin) and two buyers, Ann and Bob, each logged in.
async fn world(app: &TestApp) -> (Session, String, Session, Session) {
    let w = World::new(app).await;
    let ann = w.person("Ann", "buyer").await;
    let bob = w.person("Bob", "buyer").await;
    (w.organiser, w.event, ann, bob)
}

pub(crate) async fn announce(admin: &Session, event: &str, body: Value) -> Value {
    admin
        .expect(
            Method::POST,
            &format!("/api/events/{event}/announcements"),
            Some(body),
            StatusCode::CREATED,
        )
        .await
}

#[tokio::test]
async fn outsiders_get_no_socket() {
    let app = TestApp::spawn().await;
    let (_admin, event, _ann, _bob) = world(&app).await;
    match connect(&app, &event, None, "").await {
        Err(WsError::Http(response)) => assert_eq!(response.status(), 401),
        other => panic!("expected 401, got {:?}", other.map(|_| "a socket")),
    }
    // Someone logged in but not in this event.
    let stranger = app.admin("stranger@example.org").await;
    matchfloor::auth::service::remove_admin(&app.state, "stranger@example.org")
        .await
        .unwrap();
    match connect(&app, &event, Some(&stranger.cookie), "").await {
        Err(WsError::Http(response)) => assert_eq!(response.status(), 404),
        other => panic!("expected 404, got {:?}", other.map(|_| "a socket")),
    }
    // A page of another site may not use the cookie.
    let mut request = ws_url(&app, &event, "").into_client_request().unwrap();
    request
        .headers_mut()
        .insert("origin", "https://evil.example".parse().unwrap());
    assert!(tokio_tungstenite::connect_async(request).await.is_err());
}

#[tokio::test]
async fn announcements_reach_everyone_and_private_ones_only_their_person() {
    let app = TestApp::spawn().await;
    let (admin, event, ann, bob) = world(&app).await;
    let mut ann_socket = connect(&app, &event, Some(&ann.cookie), "").await.unwrap();
    let mut bob_socket = connect(&app, &event, Some(&bob.cookie), "").await.unwrap();
    assert_eq!(next(&mut ann_socket).await.unwrap()["type"], "hello");
    assert_eq!(next(&mut bob_socket).await.unwrap()["type"], "hello");

    announce(&admin, &event, json!({"body_en": "Coffee is served", "body_nl": "De koffie staat klaar", "audience": "everyone"})).await;
    let a = next(&mut ann_socket).await.unwrap();
    let b = next(&mut bob_socket).await.unwrap();
    assert_eq!(
        (a["type"].as_str(), b["type"].as_str()),
        (Some("announcement"), Some("announcement"))
    );
    assert_eq!(a["payload"]["body_nl"], "De koffie staat klaar");
    assert_eq!(a["seq"], b["seq"]);

    let ann_id = ann.me["id"].as_str().unwrap();
    announce(
        &admin,
        &event,
        json!({"body_en": "Only for Ann", "audience": "people", "people": [ann_id]}),
    )
    .await;
    announce(
        &admin,
        &event,
        json!({"body_en": "For all buyers", "audience": "roles", "roles": ["buyer"]}),
    )
    .await;
    assert_eq!(
        next(&mut ann_socket).await.unwrap()["payload"]["body_en"],
        "Only for Ann"
    );
    assert_eq!(
        next(&mut ann_socket).await.unwrap()["payload"]["body_en"],
        "For all buyers"
    );
    // Bob's next message is the one for all buyers: Ann's private one never reached him.
    let seen = next(&mut bob_socket).await.unwrap();
    assert_eq!(seen["payload"]["body_en"], "For all buyers");
    assert!(seen["seq"].as_i64() > a["seq"].as_i64());

    // Kept for later readers, each seeing only what was for them.
    let bobs = bob.get(&format!("/api/events/{event}/announcements")).await;
    let texts: Vec<&str> = bobs["announcements"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["body_en"].as_str().unwrap())
        .collect();
    assert_eq!(texts, vec!["For all buyers", "Coffee is served"]);
    let err = bob
        .expect(
            Method::POST,
            &format!("/api/events/{event}/announcements"),
            Some(json!({"body_en": "hi", "audience": "everyone"})),
            StatusCode::FORBIDDEN,
        )
        .await;
    assert_eq!(err["error"]["code"], "forbidden");
    let err = admin
        .expect(
            Method::POST,
            &format!("/api/events/{event}/announcements"),
            Some(json!({"audience": "roles"})),
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    assert_eq!(
        err["error"]["details"]["fields"].as_array().unwrap().len(),
        2,
        "{err}"
    );
}

#[tokio::test]
async fn a_reconnecting_client_gets_exactly_what_it_missed_in_order() {
    let app = TestApp::spawn().await;
    let (admin, event, ann, _bob) = world(&app).await;
    let mut socket = connect(&app, &event, Some(&ann.cookie), "").await.unwrap();
    next(&mut socket).await.unwrap();
    announce(
        &admin,
        &event,
        json!({"body_en": "one", "audience": "everyone"}),
    )
    .await;
    let last = next(&mut socket).await.unwrap()["seq"].as_i64().unwrap();
    socket.close(None).await.unwrap();
    drop(socket);

    let ann_id = ann.me["id"].as_str().unwrap();
    announce(
        &admin,
        &event,
        json!({"body_en": "two", "audience": "everyone"}),
    )
    .await;
    announce(
        &admin,
        &event,
        json!({"body_en": "not for Ann", "audience": "roles", "roles": ["supplier"]}),
    )
    .await;
    announce(
        &admin,
        &event,
        json!({"body_en": "three", "audience": "people", "people": [ann_id]}),
    )
    .await;
    announce(
        &admin,
        &event,
        json!({"body_en": "four", "audience": "everyone"}),
    )
    .await;

    let mut socket = connect(&app, &event, Some(&ann.cookie), &format!("?after={last}"))
        .await
        .unwrap();
    let hello = next(&mut socket).await.unwrap();
    assert_eq!(hello["type"], "hello");
    let mut got = Vec::new();
    let mut seqs = Vec::new();
    for _ in 0..3 {
        let m = next(&mut socket).await.unwrap();
        got.push(m["payload"]["body_en"].as_str().unwrap().to_string());
        seqs.push(m["seq"].as_i64().unwrap());
    }
    assert_eq!(got, vec!["two", "three", "four"]);
    assert!(seqs.windows(2).all(|w| w[0] < w[1]) && seqs[0] > last);
    // And then live messages continue.
    announce(
        &admin,
        &event,
        json!({"body_en": "five", "audience": "everyone"}),
    )
    .await;
    assert_eq!(
        next(&mut socket).await.unwrap()["payload"]["body_en"],
        "five"
    );
}

#[tokio::test]
async fn a_client_too_far_behind_is_told_about_the_gap() {
    let app = TestApp::spawn().await;
    let (admin, event, ann, _bob) = world(&app).await;
    announce(
        &admin,
        &event,
        json!({"body_en": "x", "audience": "everyone"}),
    )
    .await;
    // Messages before seq 1 never existed in this log: resuming from -5 cannot be filled.
    let mut socket = connect(&app, &event, Some(&ann.cookie), "?after=-5")
        .await
        .unwrap();
    next(&mut socket).await.unwrap();
    assert_eq!(next(&mut socket).await.unwrap()["type"], "gap");
}

#[tokio::test]
async fn cancelled_participants_and_logged_out_sessions_lose_the_socket() {
    let app = TestApp::spawn().await;
    let (admin, event, ann, bob) = world(&app).await;
    let mut ann_socket = connect(&app, &event, Some(&ann.cookie), "").await.unwrap();
    let mut bob_socket = connect(&app, &event, Some(&bob.cookie), "").await.unwrap();
    next(&mut ann_socket).await.unwrap();
    next(&mut bob_socket).await.unwrap();
    let list = admin
        .get(&format!("/api/events/{event}/participants?q=bob"))
        .await;
    let bob_row = list["participants"][0]["id"].as_str().unwrap().to_string();
    admin
        .expect(
            Method::PATCH,
            &format!("/api/events/{event}/participants/{bob_row}"),
            Some(json!({"status": "cancelled"})),
            StatusCode::OK,
        )
        .await;
    assert_eq!(next(&mut bob_socket).await.unwrap_err(), Some(4003));

    ann.expect(
        Method::POST,
        "/api/auth/logout",
        None,
        StatusCode::NO_CONTENT,
    )
    .await;
    assert_eq!(next(&mut ann_socket).await.unwrap_err(), Some(4002));
}

#[tokio::test]
async fn a_ticket_opens_the_socket_once_for_clients_without_the_cookie() {
    let app = TestApp::spawn().await;
    let (_admin, event, ann, _bob) = world(&app).await;
    let ticket = ann
        .expect(
            Method::POST,
            &format!("/api/events/{event}/live/ticket"),
            None,
            StatusCode::CREATED,
        )
        .await;
    let ticket = ticket["ticket"].as_str().unwrap();
    let mut socket = connect(&app, &event, None, &format!("?ticket={ticket}"))
        .await
        .unwrap();
    assert_eq!(next(&mut socket).await.unwrap()["type"], "hello");
    match connect(&app, &event, None, &format!("?ticket={ticket}")).await {
        Err(WsError::Http(response)) => assert_eq!(response.status(), 401),
        other => panic!(
            "a used ticket must not open a socket: {:?}",
            other.map(|_| "socket")
        ),
    }
}

#[tokio::test]
async fn an_announcement_made_on_one_instance_arrives_on_another() {
    if std::env::var("MATCHFLOOR_TEST_DATABASE_URL").is_err() {
        // Several instances share PostgreSQL; on SQLite there is one process. CI runs this
        // test in its PostgreSQL pass.
        eprintln!("not applicable on SQLite: runs with MATCHFLOOR_TEST_DATABASE_URL");
        return;
    }
    let a = TestApp::spawn().await;
    let (admin, event, ann, _bob) = world(&a).await;
    let b = a.another_instance().await;
    let mut socket = connect(&b, &event, Some(&ann.cookie), "").await.unwrap();
    assert_eq!(next(&mut socket).await.unwrap()["type"], "hello");
    announce(
        &admin,
        &event,
        json!({"body_en": "across instances", "audience": "everyone"}),
    )
    .await;
    assert_eq!(
        next(&mut socket).await.unwrap()["payload"]["body_en"],
        "across instances"
    );
}

#[tokio::test]
async fn a_client_that_stops_reading_is_dropped_while_others_keep_receiving() {
    let app = TestApp::spawn().await;
    let (_admin, event, ann, bob) = world(&app).await;
    let mut fast = connect(&app, &event, Some(&ann.cookie), "").await.unwrap();
    let mut slow = connect(&app, &event, Some(&bob.cookie), "").await.unwrap();
    next(&mut fast).await.unwrap();
    next(&mut slow).await.unwrap();
    let hub = app.state.live.hub.clone();
    assert_eq!(hub.connections(), 2);
    let event_id: uuid::Uuid = event.parse().unwrap();
    // Large messages fill the slow client's socket buffers quickly; the fast client reads
    // every batch before the next one is sent. Bounded: at most 100 batches.
    let filler = "x".repeat(32 * 1024);
    let mut seq = 1_000_000;
    for _ in 0..100 {
        for _ in 0..100 {
            seq += 1;
            hub.deliver(std::sync::Arc::new(matchfloor::live::LiveMessage {
                kind: matchfloor::live::LiveKind::Announcement,
                seq,
                at: chrono::Utc::now(),
                payload: json!({ "filler": filler }),
                event_id,
                audience: matchfloor::live::Audience::Event,
            }));
        }
        for _ in 0..100 {
            assert_eq!(next(&mut fast).await.unwrap()["type"], "announcement");
        }
        if hub.connections() == 1 {
            break;
        }
    }
    assert!(
        hub.dropped_total() > 0,
        "the slow client's queue overflowed"
    );
    for _ in 0..600 {
        if hub.connections() == 1 {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    assert_eq!(hub.connections(), 1, "the slow client was cut off");
    // The fast client still receives.
    hub.deliver(std::sync::Arc::new(matchfloor::live::LiveMessage {
        kind: matchfloor::live::LiveKind::Announcement,
        seq: seq + 1,
        at: chrono::Utc::now(),
        payload: json!({ "last": true }),
        event_id,
        audience: matchfloor::live::Audience::Event,
    }));
    assert_eq!(next(&mut fast).await.unwrap()["payload"]["last"], true);
    drop(slow);
}

/// Pings an hour apart: whatever closes a socket within a test is not a periodic check.
const NO_POLLING: (&str, &str) = ("MATCHFLOOR__LIVE__HEARTBEAT_MS", "3600000");

/// Where the sockets of a multi-instance test run: another instance on PostgreSQL (the bus
/// carries every change there); this one on SQLite, which has a single process.
async fn other_instance(app: &TestApp) -> Option<TestApp> {
    match std::env::var("MATCHFLOOR_TEST_DATABASE_URL") {
        Ok(url) if !url.is_empty() => Some(app.another_instance_with(&[NO_POLLING]).await),
        _ => None,
    }
}

async fn participant_row(admin: &Session, event: &str, name: &str) -> String {
    let list = admin
        .get(&format!("/api/events/{event}/participants?q={name}"))
        .await;
    list["participants"][0]["id"].as_str().unwrap().to_string()
}

#[tokio::test]
async fn logging_out_closes_the_sockets_of_that_session_on_every_instance() {
    let app = TestApp::spawn_with(&[NO_POLLING]).await;
    let (admin, event, ann, bob) = world(&app).await;
    let other = other_instance(&app).await;
    let there = other.as_ref().unwrap_or(&app);
    let mut here = connect(&app, &event, Some(&ann.cookie), "").await.unwrap();
    let mut far = connect(there, &event, Some(&ann.cookie), "").await.unwrap();
    let mut bobs = connect(there, &event, Some(&bob.cookie), "").await.unwrap();
    for socket in [&mut here, &mut far, &mut bobs] {
        assert_eq!(next(socket).await.unwrap()["type"], "hello");
    }
    ann.expect(
        Method::POST,
        "/api/auth/logout",
        None,
        StatusCode::NO_CONTENT,
    )
    .await;
    assert_eq!(next(&mut here).await.unwrap_err(), Some(4002));
    assert_eq!(next(&mut far).await.unwrap_err(), Some(4002));
    // Another person's session is untouched.
    announce(
        &admin,
        &event,
        json!({"body_en": "still here", "audience": "everyone"}),
    )
    .await;
    assert_eq!(
        next(&mut bobs).await.unwrap()["payload"]["body_en"],
        "still here"
    );
}

#[tokio::test]
async fn a_role_change_or_a_cancellation_closes_the_socket_on_every_instance() {
    let app = TestApp::spawn_with(&[NO_POLLING]).await;
    let (admin, event, ann, bob) = world(&app).await;
    let other = other_instance(&app).await;
    let there = other.as_ref().unwrap_or(&app);
    let mut ann_socket = connect(there, &event, Some(&ann.cookie), "").await.unwrap();
    let mut bob_socket = connect(there, &event, Some(&bob.cookie), "").await.unwrap();
    next(&mut ann_socket).await.unwrap();
    next(&mut bob_socket).await.unwrap();

    let ann_row = participant_row(&admin, &event, "ann").await;
    admin
        .expect(
            Method::PATCH,
            &format!("/api/events/{event}/participants/{ann_row}"),
            Some(json!({"role": "supplier"})),
            StatusCode::OK,
        )
        .await;
    assert_eq!(next(&mut ann_socket).await.unwrap_err(), Some(4003));
    let bob_row = participant_row(&admin, &event, "bob").await;
    admin
        .expect(
            Method::PATCH,
            &format!("/api/events/{event}/participants/{bob_row}"),
            Some(json!({"status": "cancelled"})),
            StatusCode::OK,
        )
        .await;
    assert_eq!(next(&mut bob_socket).await.unwrap_err(), Some(4003));
    // A platform administrator who watches without taking part loses the socket with the rights.
    let watcher = app.admin("watcher@example.org").await;
    let mut watcher_socket = connect(there, &event, Some(&watcher.cookie), "")
        .await
        .unwrap();
    next(&mut watcher_socket).await.unwrap();
    matchfloor::auth::service::remove_admin(&app.state, "watcher@example.org")
        .await
        .unwrap();
    assert_eq!(next(&mut watcher_socket).await.unwrap_err(), Some(4003));

    // Reconnected, Ann receives what is meant for her new role, no longer the buyers'.
    let mut ann_socket = connect(there, &event, Some(&ann.cookie), "").await.unwrap();
    next(&mut ann_socket).await.unwrap();
    for role in ["buyer", "supplier"] {
        announce(
            &admin,
            &event,
            json!({"body_en": format!("for {role}s"), "audience": "roles", "roles": [role]}),
        )
        .await;
    }
    assert_eq!(
        next(&mut ann_socket).await.unwrap()["payload"]["body_en"],
        "for suppliers"
    );
}

#[tokio::test]
async fn a_socket_closes_when_its_session_expires() {
    use matchfloor::entities::session;
    let app = TestApp::spawn_with(&[NO_POLLING]).await;
    let (_admin, event, ann, _bob) = world(&app).await;
    // A ticket, so that connecting reads the session without using (and extending) it.
    let ticket = ann
        .expect(
            Method::POST,
            &format!("/api/events/{event}/live/ticket"),
            None,
            StatusCode::CREATED,
        )
        .await;
    let ticket = ticket["ticket"].as_str().unwrap();
    let person: uuid::Uuid = ann.me["id"].as_str().unwrap().parse().unwrap();
    let soon = chrono::Utc::now() + chrono::Duration::seconds(2);
    session::Entity::update_many()
        .col_expr(
            session::Column::ExpiresAt,
            sea_orm::sea_query::Expr::value(soon),
        )
        .filter(session::Column::PersonId.eq(person))
        .exec(&app.state.db)
        .await
        .unwrap();
    let mut socket = connect(&app, &event, None, &format!("?ticket={ticket}"))
        .await
        .unwrap();
    assert_eq!(next(&mut socket).await.unwrap()["type"], "hello");
    assert_eq!(next(&mut socket).await.unwrap_err(), Some(4002));
}

#[tokio::test]
async fn idle_sockets_do_not_query_the_database() {
    // Pings every 20 ms (and a mail worker that only wakes for new mail): if anything on the
    // socket asked the database per heartbeat, the count below would follow the pings.
    let app = TestApp::spawn_with(&[
        ("MATCHFLOOR__LIVE__HEARTBEAT_MS", "20"),
        ("MATCHFLOOR__MAIL__POLL_SECONDS", "3600"),
    ])
    .await;
    let (_admin, event, ann, _bob) = world(&app).await;
    let mut socket = connect(&app, &event, Some(&ann.cookie), "").await.unwrap();
    assert_eq!(next(&mut socket).await.unwrap()["type"], "hello");
    let queries = || {
        app.state
            .metrics
            .db_queries
            .load(std::sync::atomic::Ordering::Relaxed)
    };
    let before = queries();
    let mut pings = 0;
    while pings < 40 {
        let received = tokio::time::timeout(std::time::Duration::from_secs(60), socket.next())
            .await
            .expect("pings keep coming");
        match received {
            Some(Ok(Message::Ping(_))) => pings += 1,
            other => panic!("expected pings only, got {other:?}"),
        }
    }
    let spent = queries() - before;
    assert!(
        spent < 20,
        "{spent} database statements during 40 heartbeats of one idle socket"
    );
}

#[tokio::test]
async fn a_client_that_does_not_read_is_dropped_after_the_send_timeout() {
    // A tiny send timeout; the queue (256 messages) never fills, as at most 20 messages are
    // queued between two looks: what drops the client is the send that did not go through.
    let app = TestApp::spawn_with(&[("MATCHFLOOR__LIVE__SEND_TIMEOUT_MS", "10")]).await;
    let (_admin, event, _ann, bob) = world(&app).await;
    // A small receive buffer, so the server's writes stall soon once the client stops reading.
    let tcp = tokio::net::TcpSocket::new_v4().unwrap();
    tcp.set_recv_buffer_size(4096).unwrap();
    let stream = tcp
        .connect(app.address.trim_start_matches("http://").parse().unwrap())
        .await
        .unwrap();
    let mut request = ws_url(&app, &event, "").into_client_request().unwrap();
    request.headers_mut().insert(
        "cookie",
        format!("mf_session={}", bob.cookie).parse().unwrap(),
    );
    let (mut slow, _) = tokio_tungstenite::client_async(request, stream)
        .await
        .unwrap();
    let hello = slow.next().await.unwrap().unwrap();
    assert!(matches!(hello, Message::Text(_)), "{hello:?}");
    let hub = app.state.live.hub.clone();
    assert_eq!(hub.connections(), 1);
    let event_id: uuid::Uuid = event.parse().unwrap();
    let filler = "x".repeat(8 * 1024);
    let mut seq = 1_000_000;
    for _ in 0..500 {
        if hub.connections() == 0 {
            break;
        }
        for _ in 0..20 {
            seq += 1;
            hub.deliver(std::sync::Arc::new(matchfloor::live::LiveMessage {
                kind: matchfloor::live::LiveKind::Announcement,
                seq,
                at: chrono::Utc::now(),
                payload: json!({ "filler": filler }),
                event_id,
                audience: matchfloor::live::Audience::Event,
            }));
        }
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    assert_eq!(
        hub.connections(),
        0,
        "the client that did not read was cut off"
    );
    assert_eq!(hub.send_timeouts_total(), 1, "by the send timeout");
    assert_eq!(hub.dropped_total(), 0, "not by a full queue");
    drop(slow);
}
