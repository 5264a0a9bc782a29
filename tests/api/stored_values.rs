//! Values the database holds that the code does not know (a role, a status, a kind, a
//! list entry) fail the request loudly, with a log line that names them, instead of
//! quietly becoming a default.

use std::sync::{Arc, Mutex};

use reqwest::{Method, StatusCode};
use sea_orm::ConnectionTrait;
use serde_json::{Value, json};

use crate::helpers::{Session, TestApp, World, organisation_id};
use crate::live::{announce, connect, next};

/// What the server logs while a test runs. The server runs on the test's own runtime,
/// which has one thread, so a subscriber for this thread sees its logs.
#[derive(Clone, Default)]
struct Logs(Arc<Mutex<Vec<u8>>>);

impl Logs {
    fn capture() -> (Self, tracing::subscriber::DefaultGuard) {
        let logs = Logs::default();
        let subscriber = tracing_subscriber::fmt()
            .with_writer(logs.clone())
            .with_ansi(false)
            .with_max_level(tracing::Level::WARN)
            .finish();
        (logs, tracing::subscriber::set_default(subscriber))
    }

    /// Whether an error line names `value`.
    fn error_names(&self, value: &str) -> bool {
        let text = String::from_utf8_lossy(&self.0.lock().unwrap()).to_string();
        text.lines()
            .any(|line| line.contains("ERROR") && line.contains(value))
    }
}

impl std::io::Write for Logs {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl<'a> tracing_subscriber::fmt::MakeWriter<'a> for Logs {
    type Writer = Logs;

    fn make_writer(&'a self) -> Self::Writer {
        self.clone()
    }
}

async fn execute(app: &TestApp, sql: &str) {
    app.state.db.execute_unprepared(sql).await.unwrap();
}

/// An event with an organiser (the admin) and one buyer who has logged in.
async fn event_with_buyer(app: &TestApp) -> (Session, Session, String) {
    let w = World::new(app).await;
    let bram = w.buyer("Bram Claes", "City").await;
    bram.get(&w.path("")).await;
    (w.organiser, bram, w.event)
}

async fn expect_internal_error(session: &Session, method: Method, path: &str, body: Option<Value>) {
    let body = session
        .expect(method, path, body, StatusCode::INTERNAL_SERVER_ERROR)
        .await;
    assert_eq!(body["error"]["code"], "internal", "{body}");
    assert!(body["error"]["message"].is_string(), "{body}");
}

#[tokio::test]
async fn an_unknown_role_in_the_database_fails_loudly_and_makes_no_one_a_buyer() {
    let (logs, _guard) = Logs::capture();
    let app = TestApp::spawn().await;
    let (admin, bram, id) = event_with_buyer(&app).await;
    execute(
        &app,
        "UPDATE participation SET role = 'chef' WHERE role = 'buyer'",
    )
    .await;

    // The person with the unknown role is refused with the common error body ...
    expect_internal_error(&bram, Method::GET, &format!("/api/events/{id}"), None).await;
    // ... gets no buyer's rights ...
    expect_internal_error(
        &bram,
        Method::PUT,
        &format!("/api/events/{id}/needs/me"),
        Some(json!({"project_what": "new furniture for two schools"})),
    )
    .await;
    // ... and does not show up as a buyer in the organisers' list either.
    expect_internal_error(
        &admin,
        Method::GET,
        &format!("/api/events/{id}/participants"),
        None,
    )
    .await;
    // The row is left as it was for someone to look at.
    let rows = app
        .state
        .db
        .query_all_raw(sea_orm::Statement::from_string(
            app.state.db.get_database_backend(),
            "SELECT role FROM participation WHERE role = 'chef'",
        ))
        .await
        .unwrap();
    assert_eq!(rows.len(), 1);
    assert!(logs.error_names("chef"));
}

#[tokio::test]
async fn an_unknown_participation_status_in_the_database_fails_loudly() {
    let (logs, _guard) = Logs::capture();
    let app = TestApp::spawn().await;
    let (_admin, bram, id) = event_with_buyer(&app).await;
    execute(
        &app,
        "UPDATE participation SET status = 'zombie' WHERE role = 'buyer'",
    )
    .await;
    expect_internal_error(&bram, Method::GET, &format!("/api/events/{id}"), None).await;
    expect_internal_error(&bram, Method::GET, "/api/me", None).await;
    assert!(logs.error_names("zombie"));
}

#[tokio::test]
async fn an_unknown_state_or_priority_of_a_meeting_request_fails_loudly() {
    let (logs, _guard) = Logs::capture();
    let app = TestApp::spawn().await;
    let w = World::new(&app).await;
    let bram = w.buyer("Bram Claes", "City").await;
    let sara = w.supplier("Sara", "ReMeubel").await;
    let sara_id = w.participant_id("sara@remeubel.example").await;
    let request = bram
        .expect(
            Method::POST,
            &w.path("/requests"),
            Some(json!({"participant_id": sara_id, "priority": "must"})),
            StatusCode::CREATED,
        )
        .await;
    let accept = w.path(&format!(
        "/requests/{}/accept",
        request["id"].as_str().unwrap()
    ));
    execute(&app, "UPDATE meeting_request SET status = 'maybe'").await;
    // Neither side reads it as some state it is not, nor can it be answered.
    expect_internal_error(&bram, Method::GET, &w.path("/requests"), None).await;
    expect_internal_error(&sara, Method::POST, &accept, None).await;
    assert!(logs.error_names("maybe"));
    execute(
        &app,
        "UPDATE meeting_request SET status = 'pending', priority = 'someday'",
    )
    .await;
    expect_internal_error(&sara, Method::GET, &w.path("/requests"), None).await;
    assert!(logs.error_names("someday"));
}

/// Sara founded ReMeubel (a supplier of the event); Bram, a buyer, asks to join it.
async fn organisation_with_request(app: &TestApp) -> (Session, Session, String) {
    let w = World::new(app).await;
    let sara = w.supplier("Sara", "ReMeubel").await;
    let bram = w.buyer("Bram Claes", "City").await;
    let me = bram
        .expect(
            Method::PATCH,
            "/api/me",
            Some(json!({"organisation": "ReMeubel"})),
            StatusCode::OK,
        )
        .await;
    assert_eq!(me["organisation_request"]["organisation_name"], "ReMeubel");
    let org = organisation_id(&sara).await;
    (sara, bram, org)
}

#[tokio::test]
async fn an_unknown_kind_of_organisation_membership_fails_loudly() {
    let (logs, _guard) = Logs::capture();
    let app = TestApp::spawn().await;
    let (sara, _bram, org) = organisation_with_request(&app).await;
    sara.get(&format!("/api/organisations/{org}")).await;
    execute(&app, "UPDATE organisation_grant SET kind = 'inherited'").await;
    expect_internal_error(
        &sara,
        Method::GET,
        &format!("/api/organisations/{org}"),
        None,
    )
    .await;
    assert!(logs.error_names("inherited"));
}

#[tokio::test]
async fn an_unknown_status_of_a_request_to_join_fails_loudly() {
    let (logs, _guard) = Logs::capture();
    let app = TestApp::spawn().await;
    let (_sara, bram, _org) = organisation_with_request(&app).await;
    execute(&app, "UPDATE organisation_request SET status = 'limbo'").await;
    // Asking again reads the earlier requests: the unknown one is not taken for "not
    // pending" (which would ask again and mail the members once more).
    expect_internal_error(
        &bram,
        Method::PATCH,
        "/api/me",
        Some(json!({"organisation": "ReMeubel"})),
    )
    .await;
    assert!(logs.error_names("limbo"));
}

#[tokio::test]
async fn an_unknown_way_of_appointing_an_organiser_fails_loudly() {
    let (logs, _guard) = Logs::capture();
    let app = TestApp::spawn().await;
    let w = World::new(&app).await;
    w.person("Olga", "organiser").await;
    let path = w.path("/appointments");
    assert_eq!(
        w.organiser.get(&path).await["appointments"][0]["how"],
        "invitation"
    );
    execute(&app, "UPDATE organiser_appointment SET how = 'coup'").await;
    expect_internal_error(&w.organiser, Method::GET, &path, None).await;
    assert!(logs.error_names("coup"));
}

#[tokio::test]
async fn an_unknown_event_language_fails_loudly() {
    let (logs, _guard) = Logs::capture();
    let app = TestApp::spawn().await;
    let (admin, bram, id) = event_with_buyer(&app).await;
    let slug = admin.get(&format!("/api/events/{id}")).await["slug"]
        .as_str()
        .unwrap()
        .to_string();
    execute(&app, "UPDATE event SET languages = 'nl,fr'").await;
    expect_internal_error(&bram, Method::GET, &format!("/api/events/{id}"), None).await;
    let public = reqwest::get(app.url(&format!("/api/public/events/{slug}")))
        .await
        .unwrap();
    assert_eq!(public.status(), StatusCode::INTERNAL_SERVER_ERROR);
    assert!(logs.error_names("nl,fr"));
}

#[tokio::test]
async fn an_unknown_kind_of_email_fails_loudly_in_the_organisers_view() {
    let (logs, _guard) = Logs::capture();
    let app = TestApp::spawn().await;
    let (admin, _bram, id) = event_with_buyer(&app).await;
    let path = format!("/api/events/{id}/mail");
    assert_eq!(admin.get(&path).await["messages"][0]["kind"], "invitation");
    // Not listed as "other" (a message of no kind): the stored value is wrong.
    execute(&app, "UPDATE mail_outbox SET kind = 'postcard'").await;
    expect_internal_error(&admin, Method::GET, &path, None).await;
    assert!(logs.error_names("postcard"));
}

#[tokio::test]
async fn unknown_recipients_of_an_announcement_fail_loudly() {
    let (logs, _guard) = Logs::capture();
    let app = TestApp::spawn().await;
    let (admin, bram, id) = event_with_buyer(&app).await;
    let path = format!("/api/events/{id}/announcements");
    announce(
        &admin,
        &id,
        json!({"body_en": "Buyers: coffee in hall B", "audience": "roles", "roles": ["buyer"]}),
    )
    .await;
    assert_eq!(
        bram.get(&path).await["announcements"][0]["roles"],
        json!(["buyer"])
    );

    // A role the code does not know: not read as "no roles" (which hid it from Bram).
    execute(
        &app,
        r#"UPDATE announcement SET recipients = '["buyer","chef"]'"#,
    )
    .await;
    expect_internal_error(&bram, Method::GET, &path, None).await;
    expect_internal_error(&admin, Method::GET, &path, None).await;
    assert!(logs.error_names("chef"));

    // A person where roles belong: not read as "no roles" either.
    let person = bram.me["id"].as_str().unwrap();
    execute(
        &app,
        &format!(r#"UPDATE announcement SET recipients = '["{person}"]'"#),
    )
    .await;
    expect_internal_error(&admin, Method::GET, &path, None).await;
    assert!(logs.error_names(person));
}

/// An event whose live log holds two announcements.
async fn two_live_messages(app: &TestApp) -> (Session, Session, String) {
    let (admin, bram, id) = event_with_buyer(app).await;
    for body in ["one", "two"] {
        announce(
            &admin,
            &id,
            json!({"body_en": body, "audience": "everyone"}),
        )
        .await;
    }
    (admin, bram, id)
}

/// The types of what a client resuming from the start of the log receives, up to a third
/// announcement made once it is connected.
async fn resumed_from_the_start(
    app: &TestApp,
    admin: &Session,
    bram: &Session,
    id: &str,
) -> Vec<String> {
    let mut socket = connect(app, id, Some(&bram.cookie), "?after=0")
        .await
        .unwrap();
    let hello = next(&mut socket).await.unwrap();
    announce(
        admin,
        id,
        json!({"body_en": "three", "audience": "everyone"}),
    )
    .await;
    let mut types = vec![hello["type"].as_str().unwrap().to_string()];
    loop {
        let message = next(&mut socket).await.unwrap();
        types.push(message["type"].as_str().unwrap().to_string());
        if message["payload"]["body_en"] == "three" {
            return types;
        }
    }
}

#[tokio::test]
async fn a_live_message_of_an_unknown_kind_is_not_replayed_as_it_is() {
    let (logs, _guard) = Logs::capture();
    let app = TestApp::spawn().await;
    let (admin, bram, id) = two_live_messages(&app).await;
    execute(&app, "UPDATE live_message SET kind = 'poll' WHERE seq = 1").await;
    // The client is told to refetch instead of receiving a message it cannot know.
    assert_eq!(
        resumed_from_the_start(&app, &admin, &bram, &id).await,
        ["hello", "gap", "announcement"]
    );
    assert!(logs.error_names("poll"));
}

#[tokio::test]
async fn a_live_message_for_an_unknown_audience_is_not_skipped_in_silence() {
    let (logs, _guard) = Logs::capture();
    let app = TestApp::spawn().await;
    let (admin, bram, id) = two_live_messages(&app).await;
    execute(
        &app,
        "UPDATE live_message SET audience = 'table:7' WHERE seq = 1",
    )
    .await;
    // Not the second message alone, as though nothing had been missed.
    assert_eq!(
        resumed_from_the_start(&app, &admin, &bram, &id).await,
        ["hello", "gap", "announcement"]
    );
    assert!(logs.error_names("table:7"));
}

#[tokio::test]
async fn stored_lists_that_are_not_lists_fail_loudly() {
    let (logs, _guard) = Logs::capture();
    let app = TestApp::spawn().await;
    let w = World::new(&app).await;
    let bram = w.buyer("Bram Claes", "City").await;
    let needs = w.path("/needs/me");
    bram.expect(
        Method::PUT,
        &needs,
        Some(json!({"project_what": "new furniture for two schools"})),
        StatusCode::OK,
    )
    .await;
    // Not read as "no product groups".
    execute(
        &app,
        "UPDATE buyer_need SET product_groups = 'furniture;lighting'",
    )
    .await;
    expect_internal_error(&bram, Method::GET, &needs, None).await;
    assert!(logs.error_names("furniture;lighting"));

    let sara = w.supplier("Sara", "ReMeubel").await;
    let sheet = w.draft(&sara, json!({"title_nl": "Stoel"})).await;
    let history = w.path(&format!("/factsheets/{sheet}/history"));
    sara.get(&history).await;
    // Not read as "nothing changed".
    execute(
        &app,
        "UPDATE factsheet_version SET changed_fields = 'title_nl'",
    )
    .await;
    expect_internal_error(&sara, Method::GET, &history, None).await;
    assert!(logs.error_names("title_nl"));
}

#[tokio::test]
async fn a_factsheet_the_server_cannot_read_fails_loudly_and_is_not_shown_or_saved_empty() {
    let (logs, _guard) = Logs::capture();
    let app = TestApp::spawn().await;
    let w = World::new(&app).await;
    let sara = w.supplier("Sara", "ReMeubel").await;
    let bram = w.buyer("Bram Claes", "City").await;
    let sheet = w
        .publish(
            &sara,
            crate::catalogue::complete("Stoel", "Chair", "office-furniture"),
        )
        .await;
    let path = w.path(&format!("/factsheets/{sheet}"));
    sara.get(&path).await;
    bram.get(&w.path("/catalogue")).await;
    execute(
        &app,
        "UPDATE factsheet SET content = '{\"title_nl\": 7}', published_content = 'not json'",
    )
    .await;
    // Not an empty factsheet in the catalogue, nor one its owner could save back over it.
    expect_internal_error(&sara, Method::GET, &path, None).await;
    expect_internal_error(
        &sara,
        Method::PUT,
        &path,
        Some(crate::catalogue::complete(
            "Stoel",
            "Chair, refurbished",
            "office-furniture",
        )),
    )
    .await;
    expect_internal_error(&bram, Method::GET, &w.path("/catalogue"), None).await;
    assert!(logs.error_names("a stored factsheet could not be read"));
    let stored = app
        .state
        .db
        .query_one_raw(sea_orm::Statement::from_string(
            app.state.db.get_database_backend(),
            "SELECT content FROM factsheet",
        ))
        .await
        .unwrap()
        .unwrap();
    let content: String = stored.try_get("", "content").unwrap();
    assert_eq!(content, "{\"title_nl\": 7}");
}

#[tokio::test]
async fn an_unknown_email_timing_or_notice_kind_fails_loudly_and_stops_no_other_digest() {
    let (logs, _guard) = Logs::capture();
    let app = TestApp::spawn().await;
    let w = World::new(&app).await;
    let bram = w.buyer("Bram Claes", "City").await;
    let _sara = w.supplier("Sara", "ReMeubel").await;
    let _tom = w.supplier("Tom", "Tafels").await;
    let path = w.path("/request-notifications/me");
    bram.expect(
        Method::PUT,
        &path,
        Some(json!({"email_timing": "digest"})),
        StatusCode::OK,
    )
    .await;
    execute(
        &app,
        "UPDATE meeting_notice_choice SET email_timing = 'weekly'",
    )
    .await;
    expect_internal_error(&bram, Method::GET, &path, None).await;
    assert!(logs.error_names("weekly"));

    // Sara and Tom get their requests in digests; Sara's notice holds a kind nobody knows.
    w.organiser
        .expect(
            Method::PUT,
            &w.path("/request-rules"),
            Some(json!({"email_timing": "digest"})),
            StatusCode::OK,
        )
        .await;
    execute(&app, "DELETE FROM meeting_notice_choice").await;
    for supplier in ["sara@remeubel.example", "tom@tafels.example"] {
        let to = w.participant_id(supplier).await;
        bram.expect(
            Method::POST,
            &w.path("/requests"),
            Some(json!({"participant_id": to, "priority": "must"})),
            StatusCode::CREATED,
        )
        .await;
    }
    execute(
        &app,
        "UPDATE meeting_notice SET kind = 'gossip' WHERE participation_id IN \
         (SELECT participation.id FROM participation JOIN person ON person.id = participation.person_id \
          WHERE person.email = 'sara@remeubel.example')",
    )
    .await;
    let sent = matchfloor::meetings::digest::send_due(&app.state, chrono::Utc::now())
        .await
        .unwrap();
    assert_eq!(sent, 1, "Tom's digest goes out");
    assert!(logs.error_names("gossip"));
}
