//! Mail delivery: through a real SMTP server process, with retries, never twice.

use std::net::TcpListener;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use reqwest::StatusCode;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use serde_json::json;

use crate::helpers::{TestApp, parse_mail, token_in};
use matchfloor::domain::MailStatus;
use matchfloor::entities::mail_outbox;

pub(crate) fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// A real SMTP server (Python's aiosmtpd) that stores what it receives in a Maildir.
pub(crate) struct SmtpServer {
    child: Child,
    pub(crate) port: u16,
}

impl SmtpServer {
    pub(crate) async fn start(maildir: &Path) -> Self {
        Self::start_with(maildir, "aiosmtpd.handlers.Mailbox").await
    }

    /// With another handler class: aiosmtpd's own, or one of `tests/support`.
    pub(crate) async fn start_with(maildir: &Path, handler: &str) -> Self {
        Self::start_on(free_port(), maildir, handler, &[]).await
    }

    /// On a given port (one the application already sends to), with the handler's
    /// arguments before the Maildir.
    pub(crate) async fn start_on(port: u16, maildir: &Path, handler: &str, args: &[&str]) -> Self {
        let child = Command::new("python3")
            .env(
                "PYTHONPATH",
                Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/support"),
            )
            .args([
                "-m",
                "aiosmtpd",
                "-n",
                "-l",
                &format!("127.0.0.1:{port}"),
                "-c",
                handler,
            ])
            .args(args)
            .arg(maildir)
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("python3 must be installed to run the SMTP test");
        let mut server = SmtpServer { child, port };
        for _ in 0..100 {
            if std::net::TcpStream::connect(("127.0.0.1", port)).is_ok() {
                return server;
            }
            if let Ok(Some(status)) = server.child.try_wait() {
                let mut err = String::new();
                if let Some(mut stderr) = server.child.stderr.take() {
                    use std::io::Read;
                    let _ = stderr.read_to_string(&mut err);
                }
                panic!(
                    "the SMTP server (python3 -m aiosmtpd) exited with {status}: {err}\nInstall it with `pip install aiosmtpd` (scripts/test does this)."
                );
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        panic!("the SMTP server did not start listening on port {port}");
    }
}

impl Drop for SmtpServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// An app whose mail goes to the SMTP server on this local port, with more settings.
pub(crate) async fn on_smtp(port: &str, extra: &[(&str, &str)]) -> TestApp {
    let mut settings = vec![
        ("MATCHFLOOR__MAIL__TRANSPORT", "smtp"),
        ("MATCHFLOOR__MAIL__SMTP_HOST", "127.0.0.1"),
        ("MATCHFLOOR__MAIL__SMTP_PORT", port),
        ("MATCHFLOOR__MAIL__SMTP_SECURITY", "none"),
    ];
    settings.extend_from_slice(extra);
    TestApp::spawn_with(&settings).await
}

pub(crate) fn maildir_messages(maildir: &Path) -> Vec<crate::helpers::Mail> {
    let Ok(entries) = std::fs::read_dir(maildir.join("new")) else {
        return Vec::new();
    };
    entries
        .flatten()
        .filter_map(|e| {
            let raw = std::fs::read_to_string(e.path()).ok()?;
            Some(parse_mail(&raw, e.metadata().ok()?.modified().ok()?))
        })
        .collect()
}

#[tokio::test]
async fn a_login_link_travels_through_a_real_smtp_server_and_logs_in() {
    let dir = tempfile::tempdir().unwrap();
    // aiosmtpd creates the Maildir (tmp/, new/, cur/) itself when it does not exist yet.
    let maildir = dir.path().join("box");
    let smtp = SmtpServer::start(&maildir).await;
    let port = smtp.port.to_string();
    let app = on_smtp(
        &port,
        &[("MATCHFLOOR__MAIL__REPLY_TO", "events@example.org")],
    )
    .await;
    matchfloor::auth::service::add_admin(&app.state, "smtp@example.org", None)
        .await
        .unwrap();
    let r = reqwest::Client::new()
        .post(app.url("/api/auth/login-link"))
        .json(&json!({ "email": "smtp@example.org" }))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::ACCEPTED);

    let mut received = Vec::new();
    for _ in 0..200 {
        received = maildir_messages(&maildir);
        if !received.is_empty() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert_eq!(received.len(), 1, "one message reached the SMTP server");
    // Its headers as the server received them: written by the application, replies to
    // the address of the settings, dated, identified.
    let raw: String = std::fs::read_dir(maildir.join("new"))
        .unwrap()
        .flatten()
        .map(|e| {
            std::fs::read_to_string(e.path())
                .unwrap()
                .replace("\r\n", "\n")
        })
        .collect();
    let headers = raw.split("\n\n").next().unwrap_or_default();
    for wanted in [
        "Auto-Submitted: auto-generated",
        "Reply-To: events@example.org",
        "Date: ",
        "Message-ID: <",
    ] {
        assert!(headers.contains(wanted), "{wanted} in {headers}");
    }
    let mail = &received[0];
    assert!(mail.to.contains("smtp@example.org"));
    let token = token_in(&mail.body).expect("the message carries a login link");
    let session = app.confirm(&token).await;
    assert_eq!(session.get("/api/me").await["email"], "smtp@example.org");

    let rows = mail_outbox::Entity::find()
        .all(&app.state.db)
        .await
        .unwrap();
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].status, MailStatus::Sent);
    assert_eq!(rows[0].attempts, 1);
    drop(smtp);
}

#[tokio::test]
async fn an_unreachable_smtp_server_is_retried_with_backoff_and_nothing_is_lost() {
    let port = free_port().to_string();
    let app = on_smtp(&port, &[("MATCHFLOOR__MAIL__RETRY_BASE_SECONDS", "60")]).await;
    matchfloor::auth::service::add_admin(&app.state, "down@example.org", None)
        .await
        .unwrap();
    reqwest::Client::new()
        .post(app.url("/api/auth/login-link"))
        .json(&json!({ "email": "down@example.org" }))
        .send()
        .await
        .unwrap();
    let mut row = None;
    for _ in 0..200 {
        let rows = mail_outbox::Entity::find()
            .all(&app.state.db)
            .await
            .unwrap();
        if let Some(r) = rows
            .into_iter()
            .find(|r| r.attempts >= 1 && r.status == MailStatus::Pending)
        {
            row = Some(r);
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let row = row.expect("the failed attempt is recorded and the message waits for a retry");
    assert!(
        row.last_error.as_deref().unwrap_or("").contains("SMTP"),
        "{:?}",
        row.last_error
    );
    let delay = row.next_attempt_at - chrono::Utc::now();
    assert!(
        delay > chrono::Duration::seconds(30),
        "the retry is scheduled later, not hammered: {delay}"
    );
}

#[tokio::test]
async fn a_refusal_for_good_fails_at_once_and_a_temporary_one_is_retried() {
    let dir = tempfile::tempdir().unwrap();
    let maildir = dir.path().join("box");
    // 550 for "bounce...", 451 once for "later...", 250 for the rest.
    let smtp = SmtpServer::start_with(&maildir, "smtp_refusing.Refusing").await;
    let port = smtp.port.to_string();
    let app = on_smtp(&port, &[("MATCHFLOOR__MAIL__RETRY_BASE_SECONDS", "1")]).await;
    let bounce = queue_raw(&app, "bounce@example.org", "Bounce").await;
    let later = queue_raw(&app, "later@example.org", "Later").await;
    let fine = queue_raw(&app, "fine@example.org", "Fine").await;
    let mut rows = Vec::new();
    for _ in 0..400 {
        rows = Vec::new();
        for id in [bounce, later, fine] {
            rows.push(
                mail_outbox::Entity::find_by_id(id)
                    .one(&app.state.db)
                    .await
                    .unwrap()
                    .unwrap(),
            );
        }
        if rows
            .iter()
            .all(|r| matches!(r.status, MailStatus::Sent | MailStatus::Failed))
        {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let (bounced, deferred, sent) = (&rows[0], &rows[1], &rows[2]);
    assert_eq!(bounced.status, MailStatus::Failed, "{bounced:?}");
    assert_eq!(bounced.attempts, 1, "a 5xx answer is not retried");
    let reason = bounced.last_error.clone().unwrap_or_default();
    assert!(
        reason.contains("refused the message for good") && reason.contains("550"),
        "{reason}"
    );
    assert_eq!(deferred.status, MailStatus::Sent, "{deferred:?}");
    assert_eq!(deferred.attempts, 2, "a 4xx answer is retried");
    assert_eq!(sent.status, MailStatus::Sent);
    assert_eq!(sent.attempts, 1);
    let received: Vec<String> = maildir_messages(&maildir)
        .into_iter()
        .map(|m| m.to)
        .collect();
    assert_eq!(received.len(), 2, "{received:?}");
    assert!(received.iter().any(|to| to.contains("later@example.org")));
    assert!(received.iter().any(|to| to.contains("fine@example.org")));
    drop(smtp);
}

#[tokio::test]
async fn the_sending_rate_is_kept() {
    // Two a second: five messages take four spacings of half a second (2 s) from the
    // start of the first send to the start of the last. The times compared are when each
    // send was recorded, so the first one's longer send (a connection being opened) is
    // allowed for: at least 1.2 s, where without a rate they take milliseconds.
    let app = TestApp::spawn_with(&[("MATCHFLOOR__MAIL__MAX_PER_SECOND", "2")]).await;
    let mut ids = Vec::new();
    for i in 0..5 {
        ids.push(queue_raw(&app, &format!("rate{i}@example.org"), "Rate").await);
    }
    let mut sent = Vec::new();
    for _ in 0..400 {
        sent = mail_outbox::Entity::find()
            .filter(mail_outbox::Column::Id.is_in(ids.clone()))
            .filter(mail_outbox::Column::Status.eq(MailStatus::Sent))
            .all(&app.state.db)
            .await
            .unwrap();
        if sent.len() == ids.len() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert_eq!(sent.len(), 5);
    let times: Vec<_> = sent.iter().filter_map(|r| r.sent_at).collect();
    let spread = *times.iter().max().unwrap() - *times.iter().min().unwrap();
    assert!(
        spread >= chrono::Duration::milliseconds(1200),
        "five messages at two a second went out within {spread}"
    );
}

#[tokio::test]
async fn a_delivered_message_is_never_sent_again() {
    let app = TestApp::spawn().await;
    app.admin("once@example.org").await;
    reqwest::Client::new()
        .post(app.url("/api/auth/login-link"))
        .json(&json!({ "email": "once@example.org" }))
        .send()
        .await
        .unwrap();
    app.wait_for_mails("once@example.org", 1).await;
    // Let the worker run a few more rounds; nudge it too.
    for _ in 0..3 {
        app.state.mail.wake();
        let transport =
            matchfloor::mail::worker::Transport::from_settings(&app.state.settings).unwrap();
        let handled = matchfloor::mail::worker::deliver_due(&app.state.mail_worker(), &transport)
            .await
            .unwrap();
        assert_eq!(handled, 0);
    }
    assert_eq!(
        app.mails()
            .iter()
            .filter(|m| m.to.contains("once@example.org"))
            .count(),
        1
    );
}

#[tokio::test]
async fn graceful_shutdown_finishes_and_the_server_stops() {
    let app = TestApp::spawn().await;
    assert_eq!(
        reqwest::get(app.url("/health")).await.unwrap().status(),
        StatusCode::OK
    );
    let address = app.url("/health");
    app.stop().await;
    assert!(
        reqwest::get(address).await.is_err(),
        "nothing listens after shutdown"
    );
}

/// Puts a message straight into the outbox, as a bug or old data could have left it.
pub(crate) async fn queue_raw(app: &TestApp, to_email: &str, to_name: &str) -> uuid::Uuid {
    let id = app
        .state
        .mail
        .enqueue(
            &app.state.db,
            matchfloor::mail::Outgoing {
                to_email: to_email.into(),
                to_name: to_name.into(),
                subject: "Hello".into(),
                text: "Hello".into(),
                html: "<p>Hello</p>".into(),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    app.state.mail.wake();
    id
}

async fn ready(app: &TestApp) -> (StatusCode, serde_json::Value) {
    let r = reqwest::get(app.url("/ready")).await.unwrap();
    (r.status(), r.json().await.unwrap_or_default())
}

#[tokio::test]
async fn a_message_that_cannot_be_built_fails_alone_and_later_mail_still_goes_out() {
    let app = TestApp::spawn().await;
    // A line break in the display name (what a name with CR/LF used to become), and an
    // address lettre cannot parse.
    let header_injection = queue_raw(&app, "eve@example.org", "Eve\r\nBcc: all@example.org").await;
    let bad_address = queue_raw(&app, "not an address", "Nobody").await;
    // Mail queued after them still arrives.
    matchfloor::auth::service::add_admin(&app.state, "later@example.org", None)
        .await
        .unwrap();
    let r = reqwest::Client::new()
        .post(app.url("/api/auth/login-link"))
        .json(&json!({ "email": "later@example.org" }))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::ACCEPTED);
    app.wait_for_mails("later@example.org", 1).await;
    for id in [header_injection, bad_address] {
        let mut row = None;
        for _ in 0..200 {
            row = mail_outbox::Entity::find_by_id(id)
                .one(&app.state.db)
                .await
                .unwrap();
            if row
                .as_ref()
                .is_some_and(|r| !matches!(r.status, MailStatus::Pending | MailStatus::Sending))
            {
                break;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        let row = row.unwrap();
        assert_eq!(
            row.status,
            MailStatus::Failed,
            "given up at once, not retried: {row:?}"
        );
        assert_eq!(row.attempts, 1);
        let reason = row.last_error.unwrap_or_default();
        assert!(reason.contains("cannot be built"), "{reason}");
    }
    assert!(!app.mails().iter().any(|m| m.to.contains("eve@example.org")));
    assert_eq!(ready(&app).await.0, StatusCode::OK);
}

#[tokio::test]
async fn ready_says_when_mail_is_not_moving() {
    // An SMTP server that accepts connections and never answers: the worker waits on it.
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port().to_string();
    let silent = tokio::spawn(async move {
        let mut held = Vec::new();
        while let Ok((socket, _)) = listener.accept().await {
            held.push(socket);
        }
    });
    let app = on_smtp(&port, &[("MATCHFLOOR__MAIL__STALL_SECONDS", "1")]).await;
    assert_eq!(ready(&app).await.0, StatusCode::OK);
    // The first message keeps the worker busy; the second waits behind it.
    queue_raw(&app, "first@example.org", "First").await;
    queue_raw(&app, "second@example.org", "Second").await;
    let mut answer = ready(&app).await;
    for _ in 0..200 {
        if answer.0 != StatusCode::OK {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
        answer = ready(&app).await;
    }
    assert_eq!(answer.0, StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(answer.1["error"]["code"], "not_ready");
    let message = answer.1["error"]["message"].as_str().unwrap_or_default();
    assert!(message.contains("mail is not moving"), "{message}");

    // The server goes away: both deliveries fail and wait for their retry, which is mail
    // moving as it should.
    silent.abort();
    let _ = silent.await;
    for _ in 0..200 {
        if answer.0 == StatusCode::OK {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
        answer = ready(&app).await;
    }
    assert_eq!(answer.0, StatusCode::OK, "{:?}", answer.1);
}
