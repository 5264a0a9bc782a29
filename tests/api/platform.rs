//! Operations and the HTTP surface: health, readiness, metrics, the OpenAPI document,
//! bad input, the frontend, settings errors and the demo.

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use matchfloor::domain::MeetingRequestStatus;
use matchfloor::entities::{meeting_request, unavailable_slot};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};

use crate::helpers::{TestApp, database_url, settings_for};

#[tokio::test]
async fn health_ready_and_metrics_answer() {
    let app = TestApp::spawn_with(&[("MATCHFLOOR__METRICS__TOKEN", "test-metrics")]).await;
    let health = reqwest::get(app.url("/health")).await.unwrap();
    assert_eq!(health.status(), StatusCode::OK);
    assert!(health.headers().contains_key("x-request-id"));
    assert_eq!(
        reqwest::get(app.url("/ready")).await.unwrap().status(),
        StatusCode::OK
    );
    let metrics = reqwest::Client::new()
        .get(app.url("/metrics"))
        .bearer_auth("test-metrics")
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        metrics.contains(
            "matchfloor_http_requests_total{method=\"GET\",route=\"/health\",status=\"200\"} 1"
        ),
        "{metrics}"
    );
    assert!(metrics.contains("matchfloor_mail_outbox_pending 0"));
    assert!(metrics.contains("matchfloor_mail_worker_restarts_total 0"));
    assert!(metrics.contains("matchfloor_live_connections 0"));
    assert!(metrics.contains("matchfloor_live_overflows_total 0"));
}

/// Every endpoint the API offers, as (method, path). The OpenAPI document must list each.
const ENDPOINTS: &[(&str, &str)] = &[
    ("post", "/api/auth/login-link"),
    ("post", "/api/auth/confirm"),
    ("post", "/api/auth/logout"),
    ("get", "/api/me"),
    ("patch", "/api/me"),
    ("get", "/api/session"),
    ("get", "/api/events"),
    ("post", "/api/events"),
    ("get", "/api/events/{event_id}"),
    ("patch", "/api/events/{event_id}"),
    ("get", "/api/events/{event_id}/mail"),
    ("get", "/api/events/{event_id}/mail/{mail_id}"),
    ("post", "/api/events/{event_id}/mail/{mail_id}/resend"),
    ("get", "/api/events/{event_id}/slots"),
    ("post", "/api/events/{event_id}/slots"),
    ("post", "/api/events/{event_id}/slots/generate"),
    ("patch", "/api/events/{event_id}/slots/{slot_id}"),
    ("delete", "/api/events/{event_id}/slots/{slot_id}"),
    ("get", "/api/events/{event_id}/rooms"),
    ("post", "/api/events/{event_id}/rooms"),
    ("patch", "/api/events/{event_id}/rooms/{room_id}"),
    ("delete", "/api/events/{event_id}/rooms/{room_id}"),
    ("get", "/api/events/{event_id}/tables"),
    ("post", "/api/events/{event_id}/tables"),
    ("put", "/api/events/{event_id}/tables"),
    ("patch", "/api/events/{event_id}/tables/{table_id}"),
    ("delete", "/api/events/{event_id}/tables/{table_id}"),
    ("get", "/api/events/{event_id}/taxonomy"),
    ("post", "/api/events/{event_id}/taxonomy"),
    ("patch", "/api/events/{event_id}/taxonomy/{term_id}"),
    ("delete", "/api/events/{event_id}/taxonomy/{term_id}"),
    ("get", "/api/events/{event_id}/participants"),
    ("post", "/api/events/{event_id}/participants"),
    (
        "patch",
        "/api/events/{event_id}/participants/{participant_id}",
    ),
    (
        "post",
        "/api/events/{event_id}/participants/{participant_id}/invitation",
    ),
    ("post", "/api/events/{event_id}/participants/import/preview"),
    ("post", "/api/events/{event_id}/participants/import"),
    ("get", "/api/public/events/{slug}"),
    ("post", "/api/public/events/{slug}/registrations"),
    ("get", "/api/events/{event_id}/registration"),
    ("get", "/api/events/{event_id}/appointments"),
    ("get", "/api/organisations/{organisation_id}"),
    (
        "delete",
        "/api/organisations/{organisation_id}/members/{person_id}",
    ),
    (
        "post",
        "/api/organisations/{organisation_id}/requests/{request_id}",
    ),
    ("get", "/api/events/{event_id}/organisations"),
    ("get", "/api/events/{event_id}/organisation-requests"),
    (
        "post",
        "/api/events/{event_id}/organisation-requests/{request_id}",
    ),
    (
        "put",
        "/api/events/{event_id}/participants/{participant_id}/organisation",
    ),
    ("get", "/api/events/{event_id}/live"),
    ("post", "/api/events/{event_id}/live/ticket"),
    ("get", "/api/events/{event_id}/announcements"),
    ("post", "/api/events/{event_id}/announcements"),
    ("get", "/api/unsubscribe/{token}"),
    ("post", "/api/unsubscribe/{token}"),
    ("get", "/api/events/{event_id}/factsheets"),
    ("post", "/api/events/{event_id}/factsheets"),
    ("get", "/api/events/{event_id}/factsheets/{factsheet_id}"),
    ("put", "/api/events/{event_id}/factsheets/{factsheet_id}"),
    ("delete", "/api/events/{event_id}/factsheets/{factsheet_id}"),
    (
        "post",
        "/api/events/{event_id}/factsheets/{factsheet_id}/submit",
    ),
    (
        "post",
        "/api/events/{event_id}/factsheets/{factsheet_id}/withdraw",
    ),
    (
        "post",
        "/api/events/{event_id}/factsheets/{factsheet_id}/review",
    ),
    (
        "put",
        "/api/events/{event_id}/factsheets/{factsheet_id}/stand",
    ),
    (
        "get",
        "/api/events/{event_id}/factsheets/{factsheet_id}/history",
    ),
    (
        "get",
        "/api/events/{event_id}/factsheets/{factsheet_id}/diff",
    ),
    ("get", "/api/events/{event_id}/factsheets/export"),
    ("get", "/api/events/{event_id}/review"),
    ("get", "/api/events/{event_id}/catalogue"),
    ("get", "/api/events/{event_id}/catalogue/print"),
    ("get", "/api/events/{event_id}/catalogue/{factsheet_id}"),
    ("post", "/api/events/{event_id}/uploads"),
    ("get", "/api/files/{upload_id}"),
    ("get", "/api/events/{event_id}/needs/me"),
    ("put", "/api/events/{event_id}/needs/me"),
    ("get", "/api/events/{event_id}/needs"),
    ("get", "/api/events/{event_id}/sessions"),
    ("post", "/api/events/{event_id}/sessions"),
    ("get", "/api/events/{event_id}/sessions/{session_id}"),
    ("patch", "/api/events/{event_id}/sessions/{session_id}"),
    ("delete", "/api/events/{event_id}/sessions/{session_id}"),
    ("put", "/api/events/{event_id}/sessions/{session_id}/signup"),
    (
        "delete",
        "/api/events/{event_id}/sessions/{session_id}/signup",
    ),
    (
        "get",
        "/api/events/{event_id}/sessions/{session_id}/signups",
    ),
    (
        "post",
        "/api/events/{event_id}/sessions/{session_id}/signups",
    ),
    (
        "patch",
        "/api/events/{event_id}/sessions/{session_id}/signups/{person_id}",
    ),
    (
        "delete",
        "/api/events/{event_id}/sessions/{session_id}/signups/{person_id}",
    ),
    ("get", "/api/events/{event_id}/sessions/{session_id}/log"),
    (
        "get",
        "/api/events/{event_id}/sessions/{session_id}/questions/me",
    ),
    (
        "put",
        "/api/events/{event_id}/sessions/{session_id}/questions/me",
    ),
    (
        "delete",
        "/api/events/{event_id}/sessions/{session_id}/questions/me",
    ),
    (
        "get",
        "/api/events/{event_id}/sessions/{session_id}/briefing",
    ),
    ("get", "/api/events/{event_id}/agenda/me"),
    ("get", "/api/public/events/{slug}/programme"),
    ("get", "/api/events/{event_id}/requests"),
    ("post", "/api/events/{event_id}/requests"),
    (
        "post",
        "/api/events/{event_id}/requests/{request_id}/accept",
    ),
    (
        "post",
        "/api/events/{event_id}/requests/{request_id}/decline",
    ),
    (
        "post",
        "/api/events/{event_id}/requests/{request_id}/withdraw",
    ),
    ("get", "/api/events/{event_id}/requests/overview"),
    ("get", "/api/events/{event_id}/request-rules"),
    ("put", "/api/events/{event_id}/request-rules"),
    ("get", "/api/events/{event_id}/availability/me"),
    ("put", "/api/events/{event_id}/availability/me"),
    ("get", "/api/events/{event_id}/schedule/runs"),
    ("post", "/api/events/{event_id}/schedule/runs"),
    ("get", "/api/events/{event_id}/schedule/runs/{run_id}"),
    ("delete", "/api/events/{event_id}/schedule/runs/{run_id}"),
    (
        "post",
        "/api/events/{event_id}/schedule/runs/{run_id}/publish",
    ),
    (
        "post",
        "/api/events/{event_id}/schedule/runs/{run_id}/what-if",
    ),
    ("get", "/api/events/{event_id}/meetings"),
    ("get", "/api/events/{event_id}/schedule/instance"),
    ("get", "/api/events/{event_id}/schedule/export"),
    ("get", "/api/events/{event_id}/request-notifications/me"),
    ("put", "/api/events/{event_id}/request-notifications/me"),
    ("get", "/api/events/{event_id}/recommendations/me"),
    ("post", "/api/events/{event_id}/meetings"),
    ("patch", "/api/events/{event_id}/meetings/{meeting_id}"),
    ("get", "/api/events/{event_id}/meetings/why-not"),
    ("get", "/api/me/calendar-feed"),
    ("post", "/api/me/calendar-feed"),
    ("delete", "/api/me/calendar-feed"),
    ("get", "/calendar/{file}"),
    ("get", "/health"),
    ("get", "/ready"),
    ("get", "/metrics"),
];

#[tokio::test]
async fn the_openapi_document_describes_every_endpoint() {
    let app = TestApp::spawn().await;
    let doc: Value = reqwest::get(app.url("/api/openapi.json"))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert!(doc["openapi"].as_str().unwrap().starts_with("3.1"));
    let paths = doc["paths"].as_object().unwrap();
    let mut documented = 0;
    for (path, item) in paths {
        documented += item
            .as_object()
            .unwrap()
            .keys()
            .filter(|k| ["get", "post", "put", "patch", "delete"].contains(&k.as_str()))
            .count();
        let _ = path;
    }
    for (method, path) in ENDPOINTS {
        assert!(
            paths.get(*path).and_then(|p| p.get(*method)).is_some(),
            "{method} {path} is not documented"
        );
    }
    assert_eq!(
        documented,
        ENDPOINTS.len(),
        "the document lists endpoints this test does not know: update ENDPOINTS"
    );
    assert!(doc["components"]["schemas"]["ErrorBody"].is_object());

    // And every documented endpoint is really served (no 404 from the router).
    let admin = app.admin("doc@example.org").await;
    for (method, path) in ENDPOINTS {
        let concrete = path
            .replace("{slug}", "x")
            .split('/')
            .map(|part| {
                if part.starts_with('{') {
                    "01a208fa-42bf-716f-b264-1fd7e759ab53"
                } else {
                    part
                }
            })
            .collect::<Vec<_>>()
            .join("/");
        let r = admin
            .send(
                method.to_uppercase().parse::<Method>().unwrap(),
                &concrete,
                Some(json!({})),
            )
            .await;
        let status = r.status();
        let body: Value = r.json().await.unwrap_or(Value::Null);
        assert!(
            status != StatusCode::NOT_FOUND || body["error"]["message"] != "API endpoint not found",
            "{method} {path} is not routed"
        );
        assert_ne!(status, StatusCode::METHOD_NOT_ALLOWED, "{method} {path}");
    }
}

#[tokio::test]
async fn bad_input_gets_a_clear_error_and_changes_nothing() {
    let app = TestApp::spawn().await;
    let admin = app.admin("bad@example.org").await;
    let raw = |body: &'static str, content_type: &'static str| {
        admin
            .client
            .post(app.url("/api/events"))
            .header("x-csrf-token", &admin.csrf)
            .header("content-type", content_type)
            .body(body)
            .send()
    };
    let r = raw("{\"name\": ", "application/json").await.unwrap();
    assert_eq!(r.status(), StatusCode::BAD_REQUEST);
    let body: Value = r.json().await.unwrap();
    assert_eq!(body["error"]["code"], "invalid_json");
    assert!(!body["error"]["message"].as_str().unwrap().is_empty());

    let r = raw(
        "{\"name\": 5, \"start_date\": \"2027-01-01\", \"timezone\": \"UTC\"}",
        "application/json",
    )
    .await
    .unwrap();
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body: Value = r.json().await.unwrap();
    assert!(
        body["error"]["message"].as_str().unwrap().contains("name"),
        "{body}"
    );

    let r = raw("{\"name\": \"x\", \"colour\": \"red\"}", "application/json")
        .await
        .unwrap();
    assert_eq!(
        r.status(),
        StatusCode::UNPROCESSABLE_ENTITY,
        "unknown fields are refused"
    );

    let r = raw("name=x", "application/x-www-form-urlencoded")
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::UNSUPPORTED_MEDIA_TYPE);

    let huge = format!("{{\"name\": \"{}\"}}", "x".repeat(2 * 1024 * 1024));
    let r = admin
        .client
        .post(app.url("/api/events"))
        .header("x-csrf-token", &admin.csrf)
        .header("content-type", "application/json")
        .body(huge)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::PAYLOAD_TOO_LARGE);
    let body: Value = r.json().await.unwrap();
    assert_eq!(body["error"]["code"], "payload_too_large");

    let r = admin
        .send(Method::GET, "/api/events/not-a-uuid", None)
        .await;
    assert_eq!(r.status(), StatusCode::BAD_REQUEST);
    let body: Value = r.json().await.unwrap();
    assert_eq!(body["error"]["code"], "bad_request");

    let r = reqwest::get(app.url("/api/nothing-here")).await.unwrap();
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
    let body: Value = r.json().await.unwrap();
    assert_eq!(body["error"]["code"], "not_found");

    assert_eq!(admin.get("/api/events").await["events"], json!([]));
}

#[tokio::test]
async fn the_frontend_is_served_with_strict_headers_for_every_app_route() {
    let app = TestApp::spawn().await;
    for path in [
        "/",
        "/login/confirm",
        "/events/123/setup/grid",
        "/e/some-event/register",
    ] {
        let r = reqwest::get(app.url(path)).await.unwrap();
        assert_eq!(r.status(), StatusCode::OK, "{path}");
        assert!(
            r.headers()["content-type"]
                .to_str()
                .unwrap()
                .starts_with("text/html")
        );
        assert!(
            r.headers()["content-security-policy"]
                .to_str()
                .unwrap()
                .contains("default-src 'self'")
        );
        assert_eq!(r.headers()["x-content-type-options"], "nosniff");
    }
    assert_eq!(
        reqwest::get(app.url("/missing.js")).await.unwrap().status(),
        StatusCode::NOT_FOUND
    );
    let outside = reqwest::get(app.url("/../Cargo.toml")).await.unwrap();
    assert_eq!(outside.status(), StatusCode::NOT_FOUND);
    assert!(
        !outside.text().await.unwrap().contains("[package]"),
        "never a file outside the frontend"
    );
}

#[test]
fn a_wrong_setting_stops_start_up_with_a_message_naming_it() {
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_matchfloor"))
        .arg("migrate")
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("MATCHFLOOR__AUTH__LOGIN_LINK_MINUTES", "soon")
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("auth.login_link_minutes")
            && stderr.contains("MATCHFLOOR__AUTH__LOGIN_LINK_MINUTES"),
        "{stderr}"
    );
    assert!(!stderr.contains("panicked"), "{stderr}");

    let output = std::process::Command::new(env!("CARGO_BIN_EXE_matchfloor"))
        .arg("migrate")
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("MATCHFLOOR__DATABASE__URL", "mysql://nope")
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("database.url"));
}

#[tokio::test]
async fn the_demo_fills_a_realistic_event_once_and_its_links_log_in() {
    let app = TestApp::spawn().await;
    let report = matchfloor::demo::fill(&app.state).await.unwrap();
    let again = matchfloor::demo::fill(&app.state).await.unwrap();
    assert!(again.contains("already exists"));
    let token = crate::helpers::token_in(&report).expect("a login link in the report");
    let organiser = app.confirm(&token).await;
    let events = organiser.get("/api/events").await;
    let event = &events["events"][0];
    assert_eq!(event["my_role"], "organiser");
    let id = event["id"].as_str().unwrap();
    let people = organiser
        .get(&format!("/api/events/{id}/participants"))
        .await;
    let people = people["participants"].as_array().unwrap();
    assert_eq!(
        people.iter().filter(|p| p["role"] == "supplier").count(),
        40
    );
    assert_eq!(people.iter().filter(|p| p["role"] == "buyer").count(), 160);
    let slots = organiser.get(&format!("/api/events/{id}/slots")).await;
    assert_eq!(
        slots["slots"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|s| s["kind"] == "meeting")
            .count(),
        12
    );
    assert_eq!(
        organiser.get(&format!("/api/events/{id}/tables")).await["tables"]
            .as_array()
            .unwrap()
            .len(),
        16
    );
    assert!(
        !organiser.get(&format!("/api/events/{id}/rooms")).await["rooms"]
            .as_array()
            .unwrap()
            .is_empty()
    );
    // The catalogue: published factsheets in both languages, a few waiting for review,
    // some claims without evidence; a second run wrote no more.
    let catalogue = organiser
        .get(&format!("/api/events/{id}/catalogue?per_page=1"))
        .await;
    let queue = organiser.get(&format!("/api/events/{id}/review")).await;
    let waiting = queue["submitted"].as_array().unwrap().len();
    assert_eq!(waiting, 3);
    assert_eq!(catalogue["total"].as_u64().unwrap() as usize + waiting, 40);
    assert!(!queue["self_declared_claims"].as_array().unwrap().is_empty());
    let languages = &catalogue["facets"]["language"];
    assert!(
        languages
            .as_array()
            .unwrap()
            .iter()
            .all(|l| l["count"].as_u64().unwrap() > 0)
    );
    let chairs = organiser
        .get(&format!("/api/events/{id}/catalogue?q=stoelen"))
        .await;
    assert!(chairs["total"].as_u64().unwrap() >= 2);
    let needs = organiser.get(&format!("/api/events/{id}/needs")).await;
    let needs = needs["needs"].as_array().unwrap();
    assert_eq!(needs.len(), 12);
    assert!(needs.iter().any(|n| n["shared_with_suppliers"] == false));
    // The buyer's link from the second run works too.
    let link_after = |label: &str| {
        let line = again
            .lines()
            .skip_while(|l| !l.contains(label))
            .nth(1)
            .unwrap();
        crate::helpers::token_in(line).unwrap()
    };
    let buyer = app.confirm(&link_after("Buyer")).await;
    assert_eq!(
        buyer.get(&format!("/api/events/{id}")).await["my_role"],
        "buyer"
    );

    // The programme: five market dialogues on five product groups, two pitch sessions
    // with a line-up that fits, a plenary; each in a room, led by someone, in both
    // languages. The second run added nothing.
    assert!(report.contains("Added the programme"), "{report}");
    assert!(!again.contains("Added the programme"), "{again}");
    let programme = organiser.get(&format!("/api/events/{id}/sessions")).await;
    let sessions = programme["sessions"].as_array().unwrap();
    assert_eq!(sessions.len(), 8);
    let of_kind =
        |kind: &str| -> Vec<&Value> { sessions.iter().filter(|s| s["kind"] == kind).collect() };
    let dialogues = of_kind("market_dialogue");
    assert_eq!(dialogues.len(), 5);
    let groups: std::collections::HashSet<&str> = dialogues
        .iter()
        .map(|s| s["product_group"]["code"].as_str().unwrap())
        .collect();
    assert_eq!(groups.len(), 5);
    assert_eq!(of_kind("plenary").len(), 1);
    let pitches = of_kind("pitch");
    assert_eq!(pitches.len(), 2);
    for pitch in pitches {
        let lineup = pitch["lineup"].as_array().unwrap();
        assert_eq!(lineup.len(), 6, "{pitch}");
        for (i, turn) in lineup.iter().enumerate() {
            assert_eq!(turn["position"], i + 1);
            assert!(turn["minutes"].as_i64().unwrap() > 0);
        }
        // HH:MM on one day: the text order is the time order.
        let last_end = lineup.last().unwrap()["end"].as_str().unwrap();
        assert!(last_end <= pitch["end"].as_str().unwrap(), "{pitch}");
    }
    let (mut confirmed, mut waiting) = (0, 0);
    for s in sessions {
        assert!(s["room"]["id"].is_string(), "{s}");
        assert!(!s["facilitators"].as_array().unwrap().is_empty(), "{s}");
        for field in ["title_nl", "title_en", "description_nl", "description_en"] {
            assert!(!s[field].as_str().unwrap().is_empty(), "{field} of {s}");
        }
        assert_ne!(s["title_nl"], s["title_en"]);
        assert!(s["confirmed_count"].as_i64().unwrap() <= s["capacity"].as_i64().unwrap());
        // The counters agree with the sign-ups behind them.
        let list = organiser
            .get(&format!(
                "/api/events/{id}/sessions/{}/signups",
                s["id"].as_str().unwrap()
            ))
            .await;
        let list = list["signups"].as_array().unwrap();
        let count = |status: &str| list.iter().filter(|x| x["status"] == status).count() as i64;
        assert_eq!(count("confirmed"), s["confirmed_count"].as_i64().unwrap());
        assert_eq!(count("waitlisted"), s["waitlist_count"].as_i64().unwrap());
        confirmed += count("confirmed");
        waiting += count("waitlisted");
    }
    assert_eq!((confirmed, waiting), (262, 3));
    // The office furniture dialogue is full (15 buyers and 5 suppliers) and three wait,
    // in the order they came: two buyers, then a supplier.
    let full = dialogues
        .iter()
        .find(|s| s["product_group"]["code"] == "office-furniture")
        .unwrap();
    assert_eq!(full["capacity"], 20);
    assert_eq!(full["confirmed_count"], 20);
    assert_eq!(full["seats_left"], 0);
    assert_eq!(
        full["confirmed_by_role"],
        json!({"buyer": 15, "supplier": 5})
    );
    assert_eq!(full["waitlist_count"], 3);
    let full_id = full["id"].as_str().unwrap();
    let list = organiser
        .get(&format!("/api/events/{id}/sessions/{full_id}/signups"))
        .await;
    let queue: Vec<(i64, &str)> = list["signups"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|s| s["status"] == "waitlisted")
        .map(|s| {
            (
                s["waitlist_position"].as_i64().unwrap(),
                s["role"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(queue, [(1, "buyer"), (2, "buyer"), (3, "supplier")]);
    // The first buyer (whose needs are office furniture) has that dialogue on their agenda.
    let agenda = buyer.get(&format!("/api/events/{id}/agenda/me")).await;
    assert!(
        agenda["sessions"]
            .as_array()
            .unwrap()
            .iter()
            .any(|s| s["id"] == full_id && s["my_signup"]["status"] == "confirmed"),
        "{agenda}"
    );
    // The facilitator's link opens a session that can read the sign-ups of what they lead.
    let facilitator = app.confirm(&link_after("Facilitator")).await;
    let theirs = facilitator.get(&format!("/api/events/{id}/sessions")).await;
    let led = theirs["sessions"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["i_facilitate"] == true)
        .expect("the facilitator leads a session")
        .clone();
    facilitator
        .get(&format!(
            "/api/events/{id}/sessions/{}/signups",
            led["id"].as_str().unwrap()
        ))
        .await;
    // A market dialogue's briefing carries the questions its first people wrote ahead.
    assert_eq!(led["kind"], "market_dialogue", "{led}");
    let briefing = facilitator
        .get(&format!(
            "/api/events/{id}/sessions/{}/briefing",
            led["id"].as_str().unwrap()
        ))
        .await;
    let asked = briefing["people"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|p| {
            p["question"]["text"]
                .as_str()
                .is_some_and(|q| q.ends_with('?'))
        })
        .count();
    assert!(asked >= 2, "{briefing}");
    assert_eq!(briefing["question_count"], asked, "{briefing}");

    // Meeting requests made through the service: popular suppliers asked by many, niche
    // ones by one, answers of every kind, one withdrawn; gaps in availability. The second
    // run made none.
    assert!(report.contains("meeting requests"), "{report}");
    assert!(!again.contains("meeting requests"), "{again}");
    let event_id: uuid::Uuid = id.parse().unwrap();
    let rows = meeting_request::Entity::find()
        .filter(meeting_request::Column::EventId.eq(event_id))
        .all(&app.state.db)
        .await
        .unwrap();
    assert_eq!(rows.len(), 71);
    let count = |status: MeetingRequestStatus| rows.iter().filter(|r| r.status == status).count();
    assert!(count(MeetingRequestStatus::Accepted) >= 15);
    assert!(count(MeetingRequestStatus::Declined) >= 8);
    assert!(count(MeetingRequestStatus::Pending) >= 20);
    assert_eq!(count(MeetingRequestStatus::Withdrawn), 1);
    let mut asked: std::collections::HashMap<uuid::Uuid, usize> = Default::default();
    for row in &rows {
        *asked.entry(row.recipient_id).or_default() += 1;
    }
    assert!(asked.values().any(|n| *n >= 10), "a popular supplier");
    assert!(asked.values().any(|n| *n == 1), "niche ones");
    assert!(
        rows.iter()
            .any(|r| r.status == MeetingRequestStatus::Declined && r.decline_reason.is_some())
    );
    let gaps = unavailable_slot::Entity::find()
        .all(&app.state.db)
        .await
        .unwrap();
    assert!(gaps.len() >= 20, "{}", gaps.len());
    // The first buyer's planted matches lead their recommendations; the supplier that
    // asked them for a meeting (pending) is left out.
    let recommended = buyer
        .get(&format!("/api/events/{id}/recommendations/me?limit=10"))
        .await;
    let names: Vec<&str> = recommended["recommendations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["organisation_name"].as_str().unwrap())
        .collect();
    let planted = matchfloor::demo::PLANTED_MATCHES
        .iter()
        .find(|p| p.buyer == 0)
        .unwrap();
    for supplier in planted.suppliers {
        assert!(names.contains(supplier), "{supplier} in {names:?}");
    }
    assert!(!names.contains(&"Kringloop Kantoor"), "{names:?}");
    assert!(
        !recommended["recommendations"][0]["reasons"]
            .as_array()
            .unwrap()
            .is_empty()
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn several_instances_start_together_on_an_empty_database() {
    if std::env::var("MATCHFLOOR_TEST_DATABASE_URL").is_err() {
        // The race is in PostgreSQL's catalogue; SQLite serves one process. CI runs this
        // test in its PostgreSQL pass.
        eprintln!("not applicable on SQLite: runs with MATCHFLOOR_TEST_DATABASE_URL");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let url = database_url(dir.path()).await;
    // Six instances, as in a rolling deployment, all migrating the same fresh database.
    // Each connects first and then all migrate at once (what `Application::build` does in
    // that order), so the migrations overlap however long connecting takes.
    let mut connections = Vec::new();
    for i in 0..6 {
        let settings = settings_for(&dir.path().join(format!("instance{i}")), &url, &[]);
        let db = matchfloor::db::connect(&settings).await.unwrap();
        connections.push((settings, db));
    }
    let barrier = std::sync::Arc::new(tokio::sync::Barrier::new(connections.len()));
    let starts: Vec<_> = connections
        .into_iter()
        .map(|(settings, db)| {
            let barrier = barrier.clone();
            tokio::spawn(async move {
                barrier.wait().await;
                matchfloor::db::migrate(&db).await?;
                matchfloor::app::Application::build_with_db(settings, db).await
            })
        })
        .collect();
    let mut apps = Vec::new();
    for start in starts {
        match start.await.unwrap() {
            Ok(app) => apps.push(app),
            Err(err) => panic!("an instance failed to start: {err:#}"),
        }
    }
    // Every instance works on the one schema.
    for app in &apps {
        let ping = app.state().db.ping().await;
        assert!(ping.is_ok(), "{ping:?}");
    }
    let first = apps.remove(0);
    let link = matchfloor::auth::service::add_admin(first.state(), "ops@example.org", None).await;
    assert!(link.is_ok(), "{link:?}");
}
