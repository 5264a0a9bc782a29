//! Values the database holds that the code does not know (a role, a status) fail the
//! request loudly instead of quietly becoming a default.

use reqwest::{Method, StatusCode};
use sea_orm::ConnectionTrait;
use serde_json::{Value, json};

use crate::helpers::{Session, TestApp, World};

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
    let app = TestApp::spawn().await;
    let (admin, bram, id) = event_with_buyer(&app).await;
    app.state
        .db
        .execute_unprepared("UPDATE participation SET role = 'chef' WHERE role = 'buyer'")
        .await
        .unwrap();

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
}

#[tokio::test]
async fn an_unknown_participation_status_in_the_database_fails_loudly() {
    let app = TestApp::spawn().await;
    let (_admin, bram, id) = event_with_buyer(&app).await;
    app.state
        .db
        .execute_unprepared("UPDATE participation SET status = 'zombie' WHERE role = 'buyer'")
        .await
        .unwrap();
    expect_internal_error(&bram, Method::GET, &format!("/api/events/{id}"), None).await;
    expect_internal_error(&bram, Method::GET, "/api/me", None).await;
}
