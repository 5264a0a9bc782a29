//! The test world: a real server on port 0 with a fresh database per test (SQLite in a
//! temporary directory, or a new PostgreSQL database when MATCHFLOOR_TEST_DATABASE_URL is
//! set), and a client that talks to it over HTTP.

use std::path::{Path, PathBuf};
use std::time::Duration;

use chrono::Utc;
use futures_util::future::join_all;
use matchfloor::app::Application;
use matchfloor::auth::service::{LinkPurpose, issue_link};
use matchfloor::config::Settings;
use matchfloor::domain::{Lang, Role, Status};
use matchfloor::entities::{participation, person};
use matchfloor::state::AppState;
use reqwest::{Client, Method, Response, StatusCode};
use sea_orm::{ConnectionTrait, Database, EntityTrait, Set};
use serde_json::{Value, json};
use tokio::sync::oneshot;
use uuid::Uuid;

pub struct TestApp {
    pub address: String,
    /// The separate metrics listener, when `metrics.bind` is set.
    pub metrics_address: Option<String>,
    pub database_url: String,
    pub state: AppState,
    pub dir: tempfile::TempDir,
    shutdown: Option<oneshot::Sender<()>>,
    pub server: Option<tokio::task::JoinHandle<anyhow::Result<()>>>,
}

/// A logged-in browser: its own cookie jar and the CSRF token of its session.
#[derive(Clone)]
pub struct Session {
    /// The session cookie's value, for websocket clients.
    pub cookie: String,
    pub client: Client,
    pub csrf: String,
    pub base: String,
    pub me: Value,
}

fn config_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("config")
}

/// A database URL for one test: a new PostgreSQL database, or a SQLite file in `dir`.
pub async fn database_url(dir: &Path) -> String {
    match std::env::var("MATCHFLOOR_TEST_DATABASE_URL") {
        Ok(base) if !base.is_empty() => {
            let name = format!("mf_test_{}", uuid::Uuid::now_v7().simple());
            let admin = Database::connect(&base)
                .await
                .expect("cannot reach MATCHFLOOR_TEST_DATABASE_URL");
            admin
                .execute_unprepared(&format!("CREATE DATABASE {name}"))
                .await
                .expect("cannot create a test database");
            admin.close().await.ok();
            let (prefix, _) = base
                .rsplit_once('/')
                .expect("a database URL ends in /DBNAME");
            format!("{prefix}/{name}")
        }
        _ => format!("sqlite://{}?mode=rwc", dir.join("test.db").display()),
    }
}

pub fn settings_for(dir: &Path, database_url: &str, extra: &[(&str, &str)]) -> Settings {
    let mut env = vec![
        (
            "MATCHFLOOR__DATA_DIR".to_string(),
            dir.display().to_string(),
        ),
        (
            "MATCHFLOOR__DATABASE__URL".to_string(),
            database_url.to_string(),
        ),
    ];
    env.extend(extra.iter().map(|(k, v)| (k.to_string(), v.to_string())));
    Settings::load_from(&config_dir(), Some("test"), &env).expect("test settings load")
}

impl TestApp {
    pub async fn spawn() -> Self {
        Self::spawn_with(&[]).await
    }

    /// Starts a server with extra settings, e.g. `("MATCHFLOOR__MAIL__TRANSPORT", "smtp")`.
    pub async fn spawn_with(extra: &[(&str, &str)]) -> Self {
        let dir = tempfile::tempdir().expect("temp dir");
        let url = database_url(dir.path()).await;
        Self::spawn_on(dir, url, extra).await
    }

    /// A second server instance on this one's database (for multi-instance tests).
    pub async fn another_instance(&self) -> Self {
        self.another_instance_with(&[]).await
    }

    /// A second server instance on this one's database and data directory, with extra
    /// settings. Instances share the data directory as in production (uploads), so both
    /// write mail files to one place: whichever instance's worker delivers a message, the
    /// tests find it.
    pub async fn another_instance_with(&self, extra: &[(&str, &str)]) -> Self {
        Self::start(
            tempfile::tempdir().expect("temp dir"),
            &self.state.settings.data_dir,
            self.database_url.clone(),
            extra,
        )
        .await
    }

    /// Starts a server on a database that already exists (a migration test prepares it).
    pub async fn spawn_on(dir: tempfile::TempDir, url: String, extra: &[(&str, &str)]) -> Self {
        let data_dir = dir.path().to_path_buf();
        Self::start(dir, &data_dir, url, extra).await
    }

    /// Starts a server with `data_dir`; `dir` lives as long as the server.
    async fn start(
        dir: tempfile::TempDir,
        data_dir: &Path,
        url: String,
        extra: &[(&str, &str)],
    ) -> Self {
        let settings = settings_for(data_dir, &url, extra);
        let app = Application::build(settings)
            .await
            .expect("the server builds");
        let address = format!("http://127.0.0.1:{}", app.port());
        let metrics_address = app
            .metrics_port()
            .map(|port| format!("http://127.0.0.1:{port}"));
        let state = app.state().clone();
        let (tx, rx) = oneshot::channel::<()>();
        let server = tokio::spawn(app.run_until_stopped(async move {
            let _ = rx.await;
        }));
        TestApp {
            address,
            metrics_address,
            database_url: url,
            state,
            dir,
            shutdown: Some(tx),
            server: Some(server),
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.address)
    }

    pub fn mail_dir(&self) -> PathBuf {
        self.state.settings.data_dir.join("mail")
    }

    /// Stops the server gracefully and waits for it.
    pub async fn stop(mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        if let Some(server) = self.server.take() {
            server
                .await
                .expect("server task")
                .expect("server stops cleanly");
        }
    }

    /// Every email written so far to the mail directory, decoded.
    pub fn mails(&self) -> Vec<Mail> {
        read_mails(&self.mail_dir())
    }

    /// Waits (bounded) until `count` emails to `to` have been delivered, and returns them.
    pub async fn wait_for_mails(&self, to: &str, count: usize) -> Vec<Mail> {
        for _ in 0..200 {
            let found: Vec<Mail> = self
                .mails()
                .into_iter()
                .filter(|m| m.to.contains(to))
                .collect();
            if found.len() >= count {
                return found;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        panic!(
            "expected {count} email(s) to {to}, got {:?}",
            self.mails()
                .iter()
                .map(|m| (&m.to, &m.subject))
                .collect::<Vec<_>>()
        );
    }

    pub async fn wait_for_link(&self, to: &str, nth: usize) -> String {
        let mails = self.wait_for_mails(to, nth).await;
        let mut sorted = mails;
        sorted.sort_by_key(|m| m.modified);
        sorted[nth - 1]
            .login_token()
            .unwrap_or_else(|| panic!("no login link in mail to {to}"))
    }

    /// Makes a platform admin through the command-line path and logs in with the link it prints.
    pub async fn admin(&self, email: &str) -> Session {
        let link = matchfloor::auth::service::add_admin(&self.state, email, Some("Admin"))
            .await
            .expect("admin add");
        let token = token_in(&link).expect("token in admin link");
        self.confirm(&token).await
    }

    /// Uses a login token over HTTP and returns the session.
    pub async fn confirm(&self, token: &str) -> Session {
        let client = Client::builder().cookie_store(true).build().unwrap();
        let response = client
            .post(self.url("/api/auth/confirm"))
            .json(&json!({ "token": token }))
            .send()
            .await
            .unwrap();
        assert_eq!(
            response.status(),
            StatusCode::OK,
            "confirm failed: {}",
            response.text().await.unwrap_or_default()
        );
        let cookie = response
            .headers()
            .get("set-cookie")
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.split(';').next())
            .and_then(|v| v.strip_prefix("mf_session="))
            .expect("a session cookie")
            .to_string();
        let me: Value = response.json().await.unwrap();
        Session {
            cookie,
            client,
            csrf: me["csrf_token"].as_str().unwrap().to_string(),
            base: self.address.clone(),
            me,
        }
    }

    /// An admin session with one event created, returning (session, event json).
    pub async fn admin_with_event(&self) -> (Session, Value) {
        let admin = self.admin("admin@example.org").await;
        let event = admin
            .send(
                Method::POST,
                "/api/events",
                Some(json!({
                    "name": "Buyer meets Supplier Gent",
                    "start_date": "2027-03-11",
                    "timezone": "Europe/Brussels",
                    "registration_open": true
                })),
            )
            .await;
        assert_eq!(event.status(), StatusCode::CREATED);
        let event: Value = event.json().await.unwrap();
        (admin, event)
    }
}

impl Drop for TestApp {
    fn drop(&mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
    }
}

impl Session {
    pub async fn send(&self, method: Method, path: &str, body: Option<Value>) -> Response {
        let mut request = self
            .client
            .request(method, format!("{}{path}", self.base))
            .header("x-csrf-token", &self.csrf);
        if let Some(body) = body {
            request = request.json(&body);
        }
        request.send().await.unwrap()
    }

    pub async fn get(&self, path: &str) -> Value {
        let r = self.send(Method::GET, path, None).await;
        assert_eq!(r.status(), StatusCode::OK, "GET {path}");
        r.json().await.unwrap()
    }

    /// Sends and expects `status`; returns the body as JSON (null for an empty body).
    pub async fn expect(
        &self,
        method: Method,
        path: &str,
        body: Option<Value>,
        status: StatusCode,
    ) -> Value {
        let r = self.send(method.clone(), path, body).await;
        let got = r.status();
        let text = r.text().await.unwrap();
        assert_eq!(got, status, "{method} {path} answered {got}: {text}");
        if text.is_empty() {
            Value::Null
        } else {
            serde_json::from_str(&text).unwrap()
        }
    }

    pub async fn csv(&self, path: &str, text: &str) -> Response {
        self.client
            .post(format!("{}{path}", self.base))
            .header("x-csrf-token", &self.csrf)
            .header("content-type", "text/csv")
            .body(text.to_string())
            .send()
            .await
            .unwrap()
    }
}

#[derive(Debug, Clone)]
pub struct Mail {
    pub to: String,
    pub subject: String,
    pub body: String,
    pub modified: std::time::SystemTime,
}

impl Mail {
    pub fn login_token(&self) -> Option<String> {
        token_in(&self.body)
    }
}

pub fn token_in(text: &str) -> Option<String> {
    let start = text.find("/login/confirm#token=")? + "/login/confirm#token=".len();
    let token: String = text[start..]
        .chars()
        .take_while(|c| c.is_ascii_hexdigit())
        .collect();
    (token.len() == 64).then_some(token)
}

/// Undoes quoted-printable: soft line breaks and =XX escapes.
pub fn decode_qp(text: &str) -> String {
    let joined = text.replace("=\r\n", "").replace("=\n", "");
    let bytes = joined.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'='
            && i + 2 < bytes.len()
            && let Some(b) = std::str::from_utf8(&bytes[i + 1..i + 3])
                .ok()
                .and_then(|h| u8::from_str_radix(h, 16).ok())
        {
            out.push(b);
            i += 3;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

pub fn parse_mail(raw: &str, modified: std::time::SystemTime) -> Mail {
    let header = |name: &str| {
        raw.lines()
            .find(|l| {
                l.to_ascii_lowercase()
                    .starts_with(&format!("{}:", name.to_ascii_lowercase()))
            })
            .map(|l| l[name.len() + 1..].trim().to_string())
            .unwrap_or_default()
    };
    Mail {
        to: header("To"),
        subject: header("Subject"),
        body: decode_qp(raw),
        modified,
    }
}

pub fn read_mails(dir: &Path) -> Vec<Mail> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    entries
        .flatten()
        .filter(|e| e.path().extension().is_some_and(|x| x == "eml"))
        .filter_map(|e| {
            let raw = std::fs::read_to_string(e.path()).ok()?;
            let modified = e.metadata().ok()?.modified().ok()?;
            Some(parse_mail(&raw, modified))
        })
        .collect()
}

/// A tiny PDF, enough for an upload.
pub const PDF: &[u8] =
    b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n";

/// The address a test person gets: `sara@remeubel.example` for Sara of ReMeubel (the
/// first word of each, lower case), `olga@example.org` for someone without an organisation.
pub fn email_of(name: &str, organisation: Option<&str>) -> String {
    let word = |text: &str| -> String {
        text.split_whitespace()
            .next()
            .unwrap_or_default()
            .chars()
            .filter(char::is_ascii_alphanumeric)
            .collect::<String>()
            .to_ascii_lowercase()
    };
    match organisation {
        Some(organisation) => format!("{}@{}.example", word(name), word(organisation)),
        None => format!("{}@example.org", word(name)),
    }
}

/// The cast of a test: an event (registration open, supplier approval on) organised by a
/// platform admin, and the people a test invites into it, each a logged-in [`Session`].
///
/// ```ignore
/// let app = TestApp::spawn().await;
/// let w = World::new(&app).await;
/// let sara = w.supplier("Sara", "ReMeubel").await;   // sara@remeubel.example
/// let bea = w.buyer("Bea", "Stad").await;
/// let sheet = w.publish(&sara, complete("Stoelen", "Chairs", "office-furniture")).await;
/// let sam = w.pending_registrant("Sam", "Circ NV").await;
/// w.set_status("sam@circ.example", "approved").await;
/// ```
pub struct World<'a> {
    pub app: &'a TestApp,
    /// The platform admin who created the event (`admin@example.org`).
    pub organiser: Session,
    /// The event's id.
    pub event: String,
    pub slug: String,
    /// The event as its creation answered it.
    pub details: Value,
}

impl<'a> World<'a> {
    /// A platform admin with one event ([`TestApp::admin_with_event`]).
    pub async fn new(app: &'a TestApp) -> Self {
        let (organiser, details) = app.admin_with_event().await;
        World {
            app,
            organiser,
            event: details["id"].as_str().unwrap().to_string(),
            slug: details["slug"].as_str().unwrap().to_string(),
            details,
        }
    }

    /// `/api/events/{event}` followed by `tail`, e.g. `w.path("/participants")`.
    pub fn path(&self, tail: &str) -> String {
        format!("/api/events/{}{tail}", self.event)
    }

    /// The organiser invites `who` (a participant body: name, email, role, ...) and the
    /// person logs in with the link from the invitation.
    pub async fn invite(&self, who: Value) -> Session {
        invite(self.app, &self.organiser, &self.event, who).await
    }

    /// An approved supplier of `organisation`, logged in. A new organisation name founds
    /// it; an existing one only asks to join (see [`World::colleague`]).
    pub async fn supplier(&self, name: &str, organisation: &str) -> Session {
        self.member(name, organisation, "supplier").await
    }

    /// A buyer of `organisation`, logged in.
    pub async fn buyer(&self, name: &str, organisation: &str) -> Session {
        self.member(name, organisation, "buyer").await
    }

    /// Someone of no organisation in `role` (organiser, facilitator, buyer, supplier), at
    /// `{name}@example.org`, logged in.
    pub async fn person(&self, name: &str, role: &str) -> Session {
        self.invite(json!({"name": name, "email": email_of(name, None), "role": role}))
            .await
    }

    async fn member(&self, name: &str, organisation: &str, role: &str) -> Session {
        self.invite(
            json!({"name": name, "email": email_of(name, Some(organisation)),
                           "organisation": organisation, "role": role}),
        )
        .await
    }

    /// A second supplier of `member`'s organisation: invited naming it, and let in by
    /// `member`.
    pub async fn colleague(&self, name: &str, member: &Session) -> Session {
        let me = member.get("/api/me").await;
        let organisation = me["organisation"].as_str().expect("member of one");
        let organisation_id = me["organisation_id"].as_str().unwrap();
        let email = email_of(name, Some(organisation));
        let colleague = self.member(name, organisation, "supplier").await;
        let page = member
            .get(&format!("/api/organisations/{organisation_id}"))
            .await;
        let request = page["requests"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["person"]["email"] == email.as_str())
            .unwrap_or_else(|| panic!("no request of {email}: {page}"))["id"]
            .as_str()
            .unwrap()
            .to_string();
        member
            .expect(
                Method::POST,
                &format!("/api/organisations/{organisation_id}/requests/{request}"),
                Some(json!({"decision": "confirm"})),
                StatusCode::OK,
            )
            .await;
        colleague
    }

    /// Registers anonymously on the event's public form; the answer as it comes.
    pub async fn register(&self, body: Value) -> Response {
        Client::new()
            .post(
                self.app
                    .url(&format!("/api/public/events/{}/registrations", self.slug)),
            )
            .json(&body)
            .send()
            .await
            .unwrap()
    }

    /// A supplier who registered on the public form (in English) and logged in with the
    /// link from the confirmation mail: their registration awaits the organiser's approval.
    pub async fn pending_registrant(&self, name: &str, organisation: &str) -> Session {
        let email = email_of(name, Some(organisation));
        let answer = self
            .register(json!({"role": "supplier", "name": name, "email": email,
                             "organisation": organisation, "language": "en"}))
            .await;
        assert_eq!(answer.status(), StatusCode::ACCEPTED);
        self.app
            .confirm(&self.app.wait_for_link(&email, 1).await)
            .await
    }

    /// The organiser's row of the participant with this email.
    pub async fn participant(&self, email: &str) -> Value {
        let list = self.organiser.get(&self.path("/participants")).await;
        list["participants"]
            .as_array()
            .unwrap()
            .iter()
            .find(|p| p["email"] == email)
            .unwrap_or_else(|| panic!("no participant {email}: {list}"))
            .clone()
    }

    /// The participation id of the participant with this email.
    pub async fn participant_id(&self, email: &str) -> String {
        self.participant(email).await["id"]
            .as_str()
            .unwrap()
            .to_string()
    }

    /// The organiser sets the participant's status (approved, declined, cancelled); returns
    /// the row as answered.
    pub async fn set_status(&self, email: &str, status: &str) -> Value {
        let id = self.participant_id(email).await;
        self.organiser
            .expect(
                Method::PATCH,
                &self.path(&format!("/participants/{id}")),
                Some(json!({"status": status})),
                StatusCode::OK,
            )
            .await
    }

    /// A factsheet `s` writes and keeps as a draft; its id.
    pub async fn draft(&self, s: &Session, body: Value) -> String {
        s.expect(
            Method::POST,
            &self.path("/factsheets"),
            Some(body),
            StatusCode::CREATED,
        )
        .await["id"]
            .as_str()
            .unwrap()
            .to_string()
    }

    /// A factsheet `s` writes and submits, and the organiser approves; its id.
    pub async fn publish(&self, s: &Session, body: Value) -> String {
        let id = self.draft(s, body).await;
        self.approve(s, &id).await;
        id
    }

    /// `s` submits the factsheet `id` (its current text) and the organiser approves it.
    pub async fn approve(&self, s: &Session, id: &str) {
        let sheet = self.path(&format!("/factsheets/{id}"));
        s.expect(
            Method::POST,
            &format!("{sheet}/submit"),
            None,
            StatusCode::OK,
        )
        .await;
        self.organiser
            .expect(
                Method::POST,
                &format!("{sheet}/review"),
                Some(json!({"decision": "approve"})),
                StatusCode::OK,
            )
            .await;
    }

    /// A private PDF `s` uploads to the event ([`PDF`]); its file id.
    pub async fn upload_pdf(&self, s: &Session) -> String {
        let answer = upload(s, &self.event, "document", "lca.pdf", PDF.to_vec()).await;
        assert_eq!(answer.status(), StatusCode::CREATED);
        answer.json::<Value>().await.unwrap()["id"]
            .as_str()
            .unwrap()
            .to_string()
    }

    /// Another event the same admin creates ("Andere beurs"); its id.
    pub async fn other_event(&self) -> String {
        self.organiser
            .expect(
                Method::POST,
                "/api/events",
                Some(json!({"name": "Andere beurs", "start_date": "2027-05-11",
                            "timezone": "Europe/Brussels"})),
                StatusCode::CREATED,
            )
            .await["id"]
            .as_str()
            .unwrap()
            .to_string()
    }

    /// Otto, the organiser of another event (made for him), who has no say in this one.
    pub async fn other_events_organiser(&self) -> Session {
        let other_event = self.other_event().await;
        invite(
            self.app,
            &self.organiser,
            &other_event,
            json!({"name": "Otto", "email": "otto@example.org", "role": "organiser"}),
        )
        .await
    }
}

/// `organiser` invites `who` into `event` and the person logs in with the invitation's link.
pub async fn invite(app: &TestApp, organiser: &Session, event: &str, who: Value) -> Session {
    let email = who["email"].as_str().unwrap().to_string();
    organiser
        .expect(
            Method::POST,
            &format!("/api/events/{event}/participants"),
            Some(who),
            StatusCode::CREATED,
        )
        .await;
    app.confirm(&app.wait_for_link(&email, 1).await).await
}

/// The id of the organisation `s` belongs to.
pub async fn organisation_id(s: &Session) -> String {
    s.get("/api/me").await["organisation_id"]
        .as_str()
        .expect("a member of an organisation")
        .to_string()
}

/// `s` uploads `bytes` as a file of `event` (purpose: logo, image, document); the answer as
/// it comes.
pub async fn upload(
    s: &Session,
    event: &str,
    purpose: &str,
    name: &str,
    bytes: Vec<u8>,
) -> Response {
    s.client
        .post(format!("{}/api/events/{event}/uploads", s.base))
        .query(&[("purpose", purpose), ("filename", name)])
        .header("x-csrf-token", &s.csrf)
        .header("content-type", "application/octet-stream")
        .body(bytes)
        .send()
        .await
        .unwrap()
}

/// `count` participants of one role, approved, each logged in. Written straight to the
/// database (an import of this size is tested elsewhere); they log in over HTTP.
pub async fn crowd(
    app: &TestApp,
    event: &str,
    prefix: &str,
    count: usize,
    role: Role,
) -> Vec<Session> {
    let event_id: Uuid = event.parse().unwrap();
    let now = Utc::now();
    let mut people = Vec::with_capacity(count);
    let mut participations = Vec::with_capacity(count);
    for i in 0..count {
        let id = Uuid::now_v7();
        people.push(person::ActiveModel {
            id: Set(id),
            email: Set(format!("{prefix}{i:04}@crowd.example")),
            name: Set(format!("{prefix} {i:04}")),
            phone: Set(None),
            organisation_id: Set(None),
            job_title: Set(None),
            language: Set(if i % 2 == 0 { Lang::Nl } else { Lang::En }),
            is_admin: Set(false),
            created_at: Set(now),
            updated_at: Set(now),
        });
        participations.push(participation::ActiveModel {
            id: Set(Uuid::now_v7()),
            event_id: Set(event_id),
            person_id: Set(id),
            role: Set(role),
            status: Set(Status::Approved),
            checkin_code: Set(matchfloor::people::checkin::new_code()),
            day_before_sent_at: Set(None),
            created_at: Set(now),
            updated_at: Set(now),
        });
    }
    let ids: Vec<Uuid> = people
        .iter()
        .map(|p| match &p.id {
            sea_orm::ActiveValue::Set(id) => *id,
            _ => unreachable!(),
        })
        .collect();
    person::Entity::insert_many(people)
        .exec(&app.state.db)
        .await
        .unwrap();
    participation::Entity::insert_many(participations)
        .exec(&app.state.db)
        .await
        .unwrap();
    let mut sessions = Vec::with_capacity(count);
    for chunk in ids.chunks(25) {
        let logins = chunk.iter().map(|id| async move {
            let link = issue_link(&app.state.db, &app.state, *id, LinkPurpose::Login, None)
                .await
                .unwrap();
            app.confirm(&token_in(&link).unwrap()).await
        });
        sessions.extend(join_all(logins).await);
    }
    sessions
}

/// Where the second half of a crowd sends its requests: another server instance on the
/// same database on PostgreSQL; the one instance on SQLite, which has a single process.
pub async fn second_instance(app: &TestApp) -> Option<TestApp> {
    match std::env::var("MATCHFLOOR_TEST_DATABASE_URL") {
        Ok(url) if !url.is_empty() => Some(app.another_instance().await),
        _ => None,
    }
}

/// `s` sending its requests to `instance` when there is one.
pub fn on(instance: &Option<TestApp>, s: &Session) -> Session {
    let mut s = s.clone();
    if let Some(other) = instance {
        s.base = other.address.clone();
    }
    s
}

/// The delivered email to `to` with this subject (waits, bounded, for it to arrive).
pub async fn mail(app: &TestApp, to: &str, subject: &str) -> Mail {
    for _ in 0..200 {
        if let Some(m) = app
            .mails()
            .into_iter()
            .find(|m| m.to.contains(to) && m.subject == subject)
        {
            return m;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    panic!(
        "no email {subject:?} to {to}; got {:?}",
        app.mails()
            .iter()
            .filter(|m| m.to.contains(to))
            .map(|m| &m.subject)
            .collect::<Vec<_>>()
    );
}
