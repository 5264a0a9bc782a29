//! Operations: the session's sliding lifetime, cookies and headers behind HTTPS, who may
//! read /metrics, the per-request time limit and the periodic housekeeping.

use std::time::{Duration as StdDuration, SystemTime};

use chrono::{Duration, Utc};
use matchfloor::domain::{Audience, JsonText, LinkPurpose, LiveKind, MailStatus};
use matchfloor::entities::{
    live_message, live_ticket, login_request, login_token, mail_outbox, person, session, upload,
};
use reqwest::{Method, StatusCode};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, Set,
    TransactionTrait,
};
use serde_json::{Value, json};
use uuid::Uuid;

use crate::helpers::{Session, TestApp, World, token_in, upload};

fn id_of(value: &Value) -> Uuid {
    value.as_str().and_then(|s| s.parse().ok()).expect("an id")
}

async fn error_code(response: reqwest::Response) -> (StatusCode, String) {
    let status = response.status();
    let body: Value = response.json().await.unwrap();
    (
        status,
        body["error"]["code"].as_str().unwrap_or("").to_string(),
    )
}

#[tokio::test]
async fn the_session_slides_with_use_without_a_write_on_every_request() {
    let app = TestApp::spawn().await;
    let s = app.admin("slide@example.org").await;
    let person_id = id_of(&s.me["id"]);

    let r = s.send(Method::GET, "/api/me", None).await;
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(r.headers()["cache-control"], "no-store");
    assert!(
        r.headers().get("set-cookie").is_none(),
        "a session renewed a moment ago is not written again"
    );

    // Days of use later: last renewed two days ago, and it would end within the hour.
    let now = Utc::now();
    session::Entity::update_many()
        .col_expr(
            session::Column::LastSeenAt,
            (now - Duration::days(2)).into(),
        )
        .col_expr(
            session::Column::ExpiresAt,
            (now + Duration::hours(1)).into(),
        )
        .filter(session::Column::PersonId.eq(person_id))
        .exec(&app.state.db)
        .await
        .unwrap();
    let r = s.send(Method::GET, "/api/me", None).await;
    assert_eq!(r.status(), StatusCode::OK);
    let cookie = r.headers()["set-cookie"].to_str().unwrap().to_string();
    assert!(
        cookie.starts_with(&format!("mf_session={};", s.cookie)),
        "{cookie}"
    );
    assert!(
        cookie.contains(&format!("Max-Age={}", 14 * 86_400)),
        "{cookie}"
    );
    assert!(cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"));
    let row = session::Entity::find()
        .filter(session::Column::PersonId.eq(person_id))
        .one(&app.state.db)
        .await
        .unwrap()
        .unwrap();
    assert!(row.expires_at > now + Duration::days(13), "{row:?}");

    // The next request finds a fresh renewal: no cookie, no write.
    let r = s.send(Method::GET, "/api/me", None).await;
    assert_eq!(r.status(), StatusCode::OK);
    assert!(r.headers().get("set-cookie").is_none());

    // A session past its end is not revived by using it.
    session::Entity::update_many()
        .col_expr(
            session::Column::ExpiresAt,
            (now - Duration::minutes(1)).into(),
        )
        .filter(session::Column::PersonId.eq(person_id))
        .exec(&app.state.db)
        .await
        .unwrap();
    let r = s.send(Method::GET, "/api/me", None).await;
    assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
    assert!(r.headers().get("set-cookie").is_none());
}

#[tokio::test]
async fn behind_https_the_cookie_is_host_prefixed_and_hsts_is_sent() {
    let app = TestApp::spawn_with(&[(
        "MATCHFLOOR__SERVER__PUBLIC_URL",
        "https://events.example.org",
    )])
    .await;
    let link = matchfloor::auth::service::add_admin(&app.state, "tls@example.org", None)
        .await
        .unwrap();
    let client = reqwest::Client::new();
    let r = client
        .post(app.url("/api/auth/confirm"))
        .json(&json!({ "token": token_in(&link).unwrap() }))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(r.headers()["strict-transport-security"], "max-age=31536000");
    assert_eq!(r.headers()["cache-control"], "no-store");
    let cookie = r.headers()["set-cookie"].to_str().unwrap().to_string();
    assert!(cookie.starts_with("__Host-mf_session="), "{cookie}");
    assert!(
        cookie.contains("; Secure") && cookie.contains("; Path=/;"),
        "{cookie}"
    );
    assert!(!cookie.to_ascii_lowercase().contains("domain"), "{cookie}");
    let token = cookie
        .split(';')
        .next()
        .and_then(|c| c.strip_prefix("__Host-mf_session="))
        .unwrap()
        .to_string();

    let me = client
        .get(app.url("/api/me"))
        .header("cookie", format!("__Host-mf_session={token}"))
        .send()
        .await
        .unwrap();
    assert_eq!(me.status(), StatusCode::OK);
    assert_eq!(
        me.headers()["strict-transport-security"],
        "max-age=31536000"
    );
    assert_eq!(me.headers()["cache-control"], "no-store");
    // The unprefixed name could be planted by a neighbouring site: it is no session here.
    let planted = client
        .get(app.url("/api/me"))
        .header("cookie", format!("mf_session={token}"))
        .send()
        .await
        .unwrap();
    assert_eq!(planted.status(), StatusCode::UNAUTHORIZED);
    let health = client.get(app.url("/health")).send().await.unwrap();
    assert_eq!(
        health.headers()["strict-transport-security"],
        "max-age=31536000"
    );

    // Plain HTTP (development, tests) sends no HSTS, which would lock browsers out.
    let plain = TestApp::spawn().await;
    let health = reqwest::get(plain.url("/health")).await.unwrap();
    assert!(health.headers().get("strict-transport-security").is_none());
}

#[tokio::test]
async fn metrics_on_the_public_listener_need_the_metrics_token() {
    let app = TestApp::spawn_with(&[("MATCHFLOOR__METRICS__TOKEN", "scrape-me-7f3a")]).await;
    let admin = app.admin("ops@example.org").await;
    let client = reqwest::Client::new();

    // Who may not: an anonymous visitor, a logged-in administrator, a wrong token.
    let anonymous = client.get(app.url("/metrics")).send().await.unwrap();
    assert_eq!(anonymous.headers()["www-authenticate"], "Bearer");
    assert_eq!(
        error_code(anonymous).await,
        (StatusCode::UNAUTHORIZED, "metrics_token_required".into())
    );
    assert_eq!(
        admin.send(Method::GET, "/metrics", None).await.status(),
        StatusCode::UNAUTHORIZED
    );
    for wrong in [
        "Bearer scrape-me-7f3b",
        "Bearer ",
        "scrape-me-7f3a",
        "Basic c2NyYXBlLW1lLTdmM2E=",
    ] {
        let r = client
            .get(app.url("/metrics"))
            .header("authorization", wrong)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::UNAUTHORIZED, "{wrong}");
    }

    let r = client
        .get(app.url("/metrics"))
        .header("authorization", "Bearer scrape-me-7f3a")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    assert!(
        r.text()
            .await
            .unwrap()
            .contains("matchfloor_uptime_seconds")
    );
}

#[tokio::test]
async fn without_a_token_metrics_are_served_only_on_the_metrics_address() {
    let app = TestApp::spawn_with(&[("MATCHFLOOR__METRICS__BIND", "127.0.0.1:0")]).await;
    let admin = app.admin("ops@example.org").await;
    let client = reqwest::Client::new();
    for authorization in [None, Some("Bearer "), Some("Bearer anything")] {
        let mut request = client.get(app.url("/metrics"));
        if let Some(value) = authorization {
            request = request.header("authorization", value);
        }
        assert_eq!(
            error_code(request.send().await.unwrap()).await,
            (StatusCode::NOT_FOUND, "not_found".into()),
            "{authorization:?}"
        );
    }
    assert_eq!(
        admin.send(Method::GET, "/metrics", None).await.status(),
        StatusCode::NOT_FOUND
    );

    let metrics = app.metrics_address.clone().expect("a metrics listener");
    let r = client
        .get(format!("{metrics}/metrics"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    assert!(r.text().await.unwrap().contains(
        "matchfloor_http_requests_total{method=\"GET\",route=\"/metrics\",status=\"404\"} 4"
    ));
    // That address serves nothing else.
    for path in ["/api/me", "/health", "/"] {
        let r = client.get(format!("{metrics}{path}")).send().await.unwrap();
        assert_eq!(r.status(), StatusCode::NOT_FOUND, "{path}");
    }
}

#[tokio::test]
async fn a_request_past_its_time_limit_answers_503() {
    let app = TestApp::spawn_with(&[("MATCHFLOOR__SERVER__REQUEST_TIMEOUT_SECONDS", "1")]).await;
    let s = app.admin("slow@example.org").await;
    let person_id = id_of(&s.me["id"]);

    // Another writer holds the person's row (on SQLite: the write lock) until after the
    // answer, so the profile change cannot finish within any limit: only the limit ends it.
    let blocker = app.state.db.begin().await.unwrap();
    person::Entity::update_many()
        .col_expr(person::Column::Name, Expr::col(person::Column::Name))
        .filter(person::Column::Id.eq(person_id))
        .exec(&blocker)
        .await
        .unwrap();
    let r = s
        .send(
            Method::PATCH,
            "/api/me",
            Some(json!({"name": "Trage Tine"})),
        )
        .await;
    let (status, code) = error_code(r).await;
    blocker.rollback().await.unwrap();
    assert_eq!(
        (status, code.as_str()),
        (StatusCode::SERVICE_UNAVAILABLE, "timeout")
    );

    // Nothing of the cut-off change was kept; quick requests are not affected.
    let me = s.get("/api/me").await;
    assert_eq!(me["name"], "Admin");
}

// ---------------------------------------------------------------------------------------
// Housekeeping

fn png(width: u32, height: u32) -> Vec<u8> {
    let image = image::RgbaImage::from_fn(width, height, |x, y| {
        image::Rgba([(x * 7 % 256) as u8, (y * 3 % 256) as u8, 40, 255])
    });
    let mut out = Vec::new();
    image
        .write_to(&mut std::io::Cursor::new(&mut out), image::ImageFormat::Png)
        .unwrap();
    out
}

async fn upload_logo(s: &Session, event: &str, bytes: Vec<u8>) -> Value {
    let r = upload(s, event, "logo", "logo.png", bytes).await;
    assert_eq!(r.status(), StatusCode::CREATED);
    r.json().await.unwrap()
}

/// The files (image and thumbnail) of an upload.
async fn files_of(app: &TestApp, db: &DatabaseConnection, id: Uuid) -> Vec<std::path::PathBuf> {
    let row = upload::Entity::find_by_id(id)
        .one(db)
        .await
        .unwrap()
        .unwrap();
    std::iter::once(row.sha256)
        .chain(row.thumb_sha256)
        .map(|sha| app.dir.path().join("uploads").join(&sha[..2]).join(&sha))
        .collect()
}

fn age_file(path: &std::path::Path, hours: u64) {
    let file = std::fs::File::options().write(true).open(path).unwrap();
    file.set_modified(SystemTime::now() - StdDuration::from_secs(hours * 3600))
        .unwrap();
}

#[tokio::test]
async fn housekeeping_removes_what_is_past_retention_and_keeps_the_rest() {
    let app = TestApp::spawn().await;
    let db = app.state.db.clone();
    let w = World::new(&app).await;
    let organiser = &w.organiser;
    let event_id = id_of(&w.details["id"]);
    let event_str = w.event.clone();
    let person_id = id_of(&organiser.me["id"]);
    let now = Utc::now();
    let at = |hours: i64| now + Duration::hours(hours);

    // Credentials: one past the 24 h retention after expiry, one expired an hour ago.
    let mut sessions = Vec::new();
    let mut links = Vec::new();
    let mut tickets = Vec::new();
    let mut requests = Vec::new();
    for expired in [at(-48), at(-1)] {
        let s = session::ActiveModel {
            id: Set(Uuid::now_v7()),
            token_hash: Set(Uuid::now_v7().to_string()),
            person_id: Set(person_id),
            csrf_token: Set("x".into()),
            expires_at: Set(expired),
            created_at: Set(at(-400)),
            last_seen_at: Set(at(-400)),
        }
        .insert(&db)
        .await
        .unwrap();
        sessions.push(s.id);
        let l = login_token::ActiveModel {
            id: Set(Uuid::now_v7()),
            token_hash: Set(Uuid::now_v7().to_string()),
            person_id: Set(person_id),
            event_id: Set(None),
            purpose: Set(LinkPurpose::Login),
            expires_at: Set(expired),
            used_at: Set(None),
            created_at: Set(expired - Duration::minutes(15)),
        }
        .insert(&db)
        .await
        .unwrap();
        links.push(l.id);
        let t = live_ticket::ActiveModel {
            id: Set(Uuid::now_v7()),
            ticket_hash: Set(Uuid::now_v7().to_string()),
            event_id: Set(event_id),
            person_id: Set(person_id),
            session_id: Set(s.id),
            expires_at: Set(expired),
            used_at: Set(None),
        }
        .insert(&db)
        .await
        .unwrap();
        tickets.push(t.id);
        let r = login_request::ActiveModel {
            id: Set(Uuid::now_v7()),
            email_hash: Set("hash".into()),
            client_ip: Set("192.0.2.7".into()),
            created_at: Set(expired),
            costly: Set(false),
            mailed: Set(false),
        }
        .insert(&db)
        .await
        .unwrap();
        requests.push(r.id);
    }

    // Mail: delivered 8 and 1 days ago, failed 31 and 2 days ago, and undelivered mail that
    // is old but never removed.
    let mut mails = Vec::new();
    for (status, days) in [
        (MailStatus::Sent, 8),
        (MailStatus::Sent, 1),
        (MailStatus::Failed, 31),
        (MailStatus::Failed, 2),
        (MailStatus::Pending, 60),
    ] {
        let when = now - Duration::days(days);
        let m = mail_outbox::ActiveModel {
            id: Set(Uuid::now_v7()),
            to_email: Set("someone@example.org".into()),
            to_name: Set("Someone".into()),
            subject: Set("Hello".into()),
            body_text: Set("Hello".into()),
            body_html: Set("<p>Hello</p>".into()),
            status: Set(status),
            attempts: Set(1),
            next_attempt_at: Set(now + Duration::days(365)),
            locked_until: Set(None),
            last_error: Set(None),
            sent_at: Set((status == MailStatus::Sent).then_some(when)),
            created_at: Set(when),
            ..Default::default()
        }
        .insert(&db)
        .await
        .unwrap();
        mails.push(m.id);
    }

    // The live log: 1,005 messages in this event, 3 in another.
    let other = organiser
        .expect(
            Method::POST,
            "/api/events",
            Some(json!({"name": "Tweede beurs", "start_date": "2027-05-01", "timezone": "Europe/Brussels"})),
            StatusCode::CREATED,
        )
        .await;
    let other_id = id_of(&other["id"]);
    let message = |event_id: Uuid, seq: i64| live_message::ActiveModel {
        id: Set(Uuid::now_v7()),
        event_id: Set(event_id),
        seq: Set(seq),
        kind: Set(LiveKind::Announcement),
        audience: Set(Audience::Event),
        payload: Set(JsonText(json!({}))),
        created_at: Set(now),
    };
    live_message::Entity::insert_many((1..=1005).map(|seq| message(event_id, seq)))
        .exec(&db)
        .await
        .unwrap();
    live_message::Entity::insert_many((1..=3).map(|seq| message(other_id, seq)))
        .exec(&db)
        .await
        .unwrap();

    // Uploads: a logo the factsheet uses, an abandoned one, and a fresh abandoned one.
    let supplier = w.supplier("Sara", "ReMeubel").await;
    let used = upload_logo(&supplier, &event_str, png(40, 40)).await;
    let abandoned = upload_logo(&supplier, &event_str, png(41, 41)).await;
    let fresh = upload_logo(&supplier, &event_str, png(42, 42)).await;
    supplier
        .expect(
            Method::POST,
            &format!("/api/events/{event_str}/factsheets"),
            Some(json!({"title_nl": "Stoel", "logo_upload_id": used["id"]})),
            StatusCode::CREATED,
        )
        .await;
    let (used_id, abandoned_id, fresh_id) = (
        id_of(&used["id"]),
        id_of(&abandoned["id"]),
        id_of(&fresh["id"]),
    );
    let used_files = files_of(&app, &db, used_id).await;
    let abandoned_files = files_of(&app, &db, abandoned_id).await;
    let fresh_files = files_of(&app, &db, fresh_id).await;
    upload::Entity::update_many()
        .col_expr(upload::Column::CreatedAt, at(-72).into())
        .filter(upload::Column::Id.is_in([used_id, abandoned_id]))
        .exec(&db)
        .await
        .unwrap();
    for path in used_files.iter().chain(&abandoned_files) {
        age_file(path, 72);
    }
    // What an interrupted write leaves behind.
    let leftover = used_files[0].with_file_name(".leftover.tmp");
    std::fs::write(&leftover, b"half a file").unwrap();
    age_file(&leftover, 72);

    let report = matchfloor::housekeeping::run_if_due(&app.state)
        .await
        .unwrap()
        .expect("the first clean-up is due");

    async fn exists<E: EntityTrait>(db: &DatabaseConnection, id: Uuid) -> bool
    where
        <E::PrimaryKey as sea_orm::PrimaryKeyTrait>::ValueType: From<Uuid>,
    {
        E::find_by_id(id).one(db).await.unwrap().is_some()
    }
    for (kind, ids) in [
        ("session", &sessions),
        ("login link", &links),
        ("live ticket", &tickets),
        ("login request", &requests),
    ] {
        let present = match kind {
            "session" => (
                exists::<session::Entity>(&db, ids[0]).await,
                exists::<session::Entity>(&db, ids[1]).await,
            ),
            "login link" => (
                exists::<login_token::Entity>(&db, ids[0]).await,
                exists::<login_token::Entity>(&db, ids[1]).await,
            ),
            "live ticket" => (
                exists::<live_ticket::Entity>(&db, ids[0]).await,
                exists::<live_ticket::Entity>(&db, ids[1]).await,
            ),
            _ => (
                exists::<login_request::Entity>(&db, ids[0]).await,
                exists::<login_request::Entity>(&db, ids[1]).await,
            ),
        };
        assert_eq!(
            present,
            (false, true),
            "{kind}: the old one goes, the recent one stays"
        );
    }
    let mut kept_mail = Vec::new();
    for id in &mails {
        kept_mail.push(exists::<mail_outbox::Entity>(&db, *id).await);
    }
    assert_eq!(kept_mail, [false, true, false, true, true]);

    let seqs: Vec<i64> = live_message::Entity::find()
        .filter(live_message::Column::EventId.eq(event_id))
        .all(&db)
        .await
        .unwrap()
        .into_iter()
        .map(|m| m.seq)
        .collect();
    assert_eq!(seqs.len(), 1000);
    assert_eq!(
        seqs.iter().min(),
        Some(&6),
        "the last 1,000 stay for resuming"
    );
    let others = live_message::Entity::find()
        .filter(live_message::Column::EventId.eq(other_id))
        .all(&db)
        .await
        .unwrap();
    assert_eq!(others.len(), 3);

    assert!(exists::<upload::Entity>(&db, used_id).await);
    assert!(!exists::<upload::Entity>(&db, abandoned_id).await);
    assert!(exists::<upload::Entity>(&db, fresh_id).await);
    for path in used_files.iter().chain(&fresh_files) {
        assert!(path.exists(), "{} is still used", path.display());
    }
    for path in abandoned_files.iter().chain([&leftover]) {
        assert!(!path.exists(), "{} is removed", path.display());
    }
    let used_file = supplier
        .send(Method::GET, used["url"].as_str().unwrap(), None)
        .await;
    assert_eq!(used_file.status(), StatusCode::OK);
    assert_eq!(
        (report.uploads, report.live_messages, report.login_requests),
        (1, 5, 1),
        "the clean-up itself removed them (nothing else removes login requests)"
    );

    // Within the same interval nothing runs again.
    assert!(
        matchfloor::housekeeping::run_if_due(&app.state)
            .await
            .unwrap()
            .is_none()
    );
}

#[tokio::test]
async fn two_instances_do_not_both_clean_up_in_one_interval() {
    let first = TestApp::spawn().await;
    let second = first.another_instance().await;
    for _ in 0..3 {
        let (a, b) = tokio::join!(
            matchfloor::housekeeping::run_if_due(&first.state),
            matchfloor::housekeeping::run_if_due(&second.state),
        );
        let ran = [a.unwrap().is_some(), b.unwrap().is_some()];
        assert!(ran.iter().filter(|r| **r).count() <= 1, "{ran:?}");
    }
    let runs: usize = [
        matchfloor::housekeeping::run_if_due(&first.state)
            .await
            .unwrap()
            .is_some(),
        matchfloor::housekeeping::run_if_due(&second.state)
            .await
            .unwrap()
            .is_some(),
    ]
    .iter()
    .filter(|r| **r)
    .count();
    assert_eq!(runs, 0, "the interval is taken");
}

#[tokio::test]
async fn a_running_server_cleans_up_by_itself() {
    let app = TestApp::spawn().await;
    let s = app.admin("cleanup@example.org").await;
    let person_id = id_of(&s.me["id"]);
    let stale = session::ActiveModel {
        id: Set(Uuid::now_v7()),
        token_hash: Set(Uuid::now_v7().to_string()),
        person_id: Set(person_id),
        csrf_token: Set("x".into()),
        expires_at: Set(Utc::now() - Duration::days(30)),
        created_at: Set(Utc::now() - Duration::days(44)),
        last_seen_at: Set(Utc::now() - Duration::days(44)),
    }
    .insert(&app.state.db)
    .await
    .unwrap();
    // An instance with housekeeping on (the test profile turns it off) starts on this database.
    let _cleaner = app
        .another_instance_with(&[("MATCHFLOOR__HOUSEKEEPING__ENABLED", "true")])
        .await;
    let mut gone = false;
    for _ in 0..200 {
        if session::Entity::find_by_id(stale.id)
            .one(&app.state.db)
            .await
            .unwrap()
            .is_none()
        {
            gone = true;
            break;
        }
        tokio::time::sleep(StdDuration::from_millis(50)).await;
    }
    assert!(gone, "the expired session was not removed");
    // The logged-in session is untouched.
    assert_eq!(
        s.send(Method::GET, "/api/me", None).await.status(),
        StatusCode::OK
    );
}
