//! Events and their set-up: details, the slot grid, rooms, tables and taxonomy.

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::helpers::TestApp;

fn fields(err: &Value) -> Vec<String> {
    err["error"]["details"]["fields"]
        .as_array()
        .map(|a| {
            a.iter()
                .map(|f| f["field"].as_str().unwrap_or("").to_string())
                .collect()
        })
        .unwrap_or_default()
}

#[tokio::test]
async fn an_admin_creates_an_event_with_default_taxonomy_and_others_cannot() {
    let app = TestApp::spawn().await;
    let (admin, event) = app.admin_with_event().await;
    assert_eq!(event["slug"], "buyer-meets-supplier-gent");
    assert_eq!(event["timezone"], "Europe/Brussels");
    assert_eq!(event["languages"], json!(["nl", "en"]));
    let id = event["id"].as_str().unwrap();

    let terms = admin.get(&format!("/api/events/{id}/taxonomy")).await;
    let terms = terms["terms"].as_array().unwrap();
    let count = |kind: &str| terms.iter().filter(|t| t["kind"] == kind).count();
    assert_eq!(count("product_group"), 8);
    assert_eq!(count("ambition_goal"), 5);
    assert!(count("ambition_strategy") >= 20);
    assert!(terms.iter().any(|t| t["code"] == "C2"
        && t["parent_code"] == "C"
        && t["name_nl"].as_str().unwrap().contains("onderhoud")));

    // The same name again gets its own slug; a taken slug is a conflict.
    let second = admin
        .expect(Method::POST, "/api/events", Some(json!({"name": "Buyer meets Supplier Gent", "start_date": "2027-04-01", "timezone": "Europe/Brussels"})), StatusCode::CREATED)
        .await;
    assert_eq!(second["slug"], "buyer-meets-supplier-gent-2");
    let conflict = admin
        .expect(Method::POST, "/api/events", Some(json!({"name": "X", "slug": "buyer-meets-supplier-gent", "start_date": "2027-04-01", "timezone": "Europe/Brussels"})), StatusCode::CONFLICT)
        .await;
    assert_eq!(conflict["error"]["code"], "conflict");
    assert_eq!(conflict["error"]["details"]["fields"][0]["field"], "slug");

    // A plain participant may not create events and cannot see events they are not in.
    let other = app.admin("other-admin@example.org").await;
    matchfloor::auth::service::remove_admin(&app.state, "other-admin@example.org")
        .await
        .unwrap();
    let err = other
        .expect(
            Method::POST,
            "/api/events",
            Some(
                json!({"name": "Mine", "start_date": "2027-01-01", "timezone": "Europe/Brussels"}),
            ),
            StatusCode::FORBIDDEN,
        )
        .await;
    assert_eq!(err["error"]["code"], "forbidden");
    other
        .expect(
            Method::GET,
            &format!("/api/events/{id}"),
            None,
            StatusCode::NOT_FOUND,
        )
        .await;
    assert_eq!(other.get("/api/events").await["events"], json!([]));
}

#[tokio::test]
async fn event_input_is_checked_field_by_field() {
    let app = TestApp::spawn().await;
    let admin = app.admin("a@example.org").await;
    let err = admin
        .expect(
            Method::POST,
            "/api/events",
            Some(json!({"name": "", "start_date": "2027-03-11", "end_date": "2027-03-10", "timezone": "Mars/Olympus", "languages": ["fr"], "slug": "Bad Slug"})),
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    let f = fields(&err);
    for expected in ["name", "end_date", "timezone", "languages", "slug"] {
        assert!(
            f.contains(&expected.to_string()),
            "{expected} missing in {err}"
        );
    }
    let wrong_type = admin
        .expect(
            Method::POST,
            "/api/events",
            Some(json!({"name": "x", "start_date": "11 March", "timezone": "Europe/Brussels"})),
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    assert_eq!(wrong_type["error"]["code"], "validation_failed");
    assert_eq!(
        wrong_type["error"]["details"]["fields"][0]["field"],
        "start_date"
    );
    assert_eq!(
        wrong_type["error"]["details"]["fields"][0]["code"],
        "invalid_value"
    );
    assert_eq!(admin.get("/api/events").await["events"], json!([]));
}

#[tokio::test]
async fn organisers_edit_details_and_a_time_zone_change_keeps_local_times() {
    let app = TestApp::spawn().await;
    let (admin, event) = app.admin_with_event().await;
    let id = event["id"].as_str().unwrap();
    admin
        .expect(
            Method::POST,
            &format!("/api/events/{id}/slots/generate"),
            Some(
                json!({"date": "2027-03-11", "start": "13:00", "end": "14:00", "slot_minutes": 20}),
            ),
            StatusCode::OK,
        )
        .await;
    let before = admin.get(&format!("/api/events/{id}/slots")).await;
    assert_eq!(before["slots"][0]["starts_at"], "2027-03-11T12:00:00Z");
    let updated = admin
        .expect(Method::PATCH, &format!("/api/events/{id}"), Some(json!({"venue": "Kanaalzaal", "timezone": "Europe/London", "registration_open": false})), StatusCode::OK)
        .await;
    assert_eq!(updated["venue"], "Kanaalzaal");
    assert_eq!(updated["registration_open"], false);
    let after = admin.get(&format!("/api/events/{id}/slots")).await;
    assert_eq!(after["slots"][0]["start"], "13:00");
    assert_eq!(after["slots"][0]["starts_at"], "2027-03-11T13:00:00Z");
}

#[tokio::test]
async fn the_slot_grid_is_generated_with_breaks_and_edited_slot_by_slot() {
    let app = TestApp::spawn().await;
    let (admin, event) = app.admin_with_event().await;
    let id = event["id"].as_str().unwrap();
    let grid = admin
        .expect(
            Method::POST,
            &format!("/api/events/{id}/slots/generate"),
            Some(
                json!({"date": "2027-03-11", "start": "13:00", "end": "17:00", "slot_minutes": 20,
                        "breaks": [{"start": "15:00", "end": "15:20", "label": "Koffie"}]}),
            ),
            StatusCode::OK,
        )
        .await;
    let slots = grid["slots"].as_array().unwrap();
    assert_eq!(slots.iter().filter(|s| s["kind"] == "meeting").count(), 11);
    let pause = slots.iter().find(|s| s["kind"] == "break").unwrap();
    assert_eq!(
        (
            pause["start"].as_str(),
            pause["end"].as_str(),
            pause["label"].as_str()
        ),
        (Some("15:00"), Some("15:20"), Some("Koffie"))
    );

    // Generating again replaces the day rather than adding to it.
    let again = admin
        .expect(
            Method::POST,
            &format!("/api/events/{id}/slots/generate"),
            Some(
                json!({"date": "2027-03-11", "start": "13:00", "end": "15:00", "slot_minutes": 30}),
            ),
            StatusCode::OK,
        )
        .await;
    assert_eq!(again["slots"].as_array().unwrap().len(), 4);

    let first = again["slots"][0]["id"].as_str().unwrap().to_string();
    let overlap = admin
        .expect(
            Method::PATCH,
            &format!("/api/events/{id}/slots/{first}"),
            Some(json!({"end": "13:45"})),
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    assert_eq!(overlap["error"]["details"]["fields"][0]["code"], "overlap");
    let edited = admin
        .expect(
            Method::PATCH,
            &format!("/api/events/{id}/slots/{first}"),
            Some(json!({"end": "13:25", "label": "Kort"})),
            StatusCode::OK,
        )
        .await;
    assert_eq!(edited["end"], "13:25");
    let added = admin
        .expect(
            Method::POST,
            &format!("/api/events/{id}/slots"),
            Some(
                json!({"date": "2027-03-11", "start": "15:00", "end": "15:30", "kind": "meeting"}),
            ),
            StatusCode::CREATED,
        )
        .await;
    admin
        .expect(
            Method::DELETE,
            &format!("/api/events/{id}/slots/{}", added["id"].as_str().unwrap()),
            None,
            StatusCode::NO_CONTENT,
        )
        .await;
    assert_eq!(
        admin.get(&format!("/api/events/{id}/slots")).await["slots"]
            .as_array()
            .unwrap()
            .len(),
        4
    );

    let bad = admin
        .expect(
            Method::POST,
            &format!("/api/events/{id}/slots/generate"),
            Some(json!({"date": "2027-05-01", "start": "25:00", "end": "17:00", "slot_minutes": 2, "breaks": [{"start": "18:00", "end": "18:30"}]})),
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    let f = fields(&bad);
    for expected in ["date", "start", "slot_minutes"] {
        assert!(f.contains(&expected.to_string()), "{expected} in {bad}");
    }
    assert_eq!(
        admin.get(&format!("/api/events/{id}/slots")).await["slots"]
            .as_array()
            .unwrap()
            .len(),
        4,
        "a refused grid changes nothing"
    );
}

#[tokio::test]
async fn rooms_and_tables() {
    let app = TestApp::spawn().await;
    let (admin, event) = app.admin_with_event().await;
    let id = event["id"].as_str().unwrap();
    let room = admin
        .expect(
            Method::POST,
            &format!("/api/events/{id}/rooms"),
            Some(json!({"name": "Zaal A", "capacity": 30})),
            StatusCode::CREATED,
        )
        .await;
    admin
        .expect(
            Method::POST,
            &format!("/api/events/{id}/rooms"),
            Some(json!({"name": "Zaal A", "capacity": 10})),
            StatusCode::CONFLICT,
        )
        .await;
    admin
        .expect(
            Method::POST,
            &format!("/api/events/{id}/rooms"),
            Some(json!({"name": "Zaal B", "capacity": 0})),
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    let renamed = admin
        .expect(
            Method::PATCH,
            &format!("/api/events/{id}/rooms/{}", room["id"].as_str().unwrap()),
            Some(json!({"capacity": 40})),
            StatusCode::OK,
        )
        .await;
    assert_eq!(
        (renamed["name"].as_str(), renamed["capacity"].as_i64()),
        (Some("Zaal A"), Some(40))
    );

    let tables = admin
        .expect(
            Method::PUT,
            &format!("/api/events/{id}/tables"),
            Some(json!({"count": 16})),
            StatusCode::OK,
        )
        .await;
    let numbers: Vec<i64> = tables["tables"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["number"].as_i64().unwrap())
        .collect();
    assert_eq!(numbers, (1..=16).collect::<Vec<_>>());
    let t3 = tables["tables"][2]["id"].as_str().unwrap().to_string();
    admin
        .expect(
            Method::PATCH,
            &format!("/api/events/{id}/tables/{t3}"),
            Some(json!({"label": "bij het raam"})),
            StatusCode::OK,
        )
        .await;
    admin
        .expect(
            Method::PATCH,
            &format!("/api/events/{id}/tables/{t3}"),
            Some(json!({"number": 4})),
            StatusCode::CONFLICT,
        )
        .await;
    let fewer = admin
        .expect(
            Method::PUT,
            &format!("/api/events/{id}/tables"),
            Some(json!({"count": 10})),
            StatusCode::OK,
        )
        .await;
    assert_eq!(fewer["tables"].as_array().unwrap().len(), 10);
    assert_eq!(fewer["tables"][2]["label"], "bij het raam");
    let added = admin
        .expect(
            Method::POST,
            &format!("/api/events/{id}/tables"),
            Some(json!({})),
            StatusCode::CREATED,
        )
        .await;
    assert_eq!(added["number"], 11);
}

#[tokio::test]
async fn the_taxonomy_is_editable_per_event() {
    let app = TestApp::spawn().await;
    let (admin, event) = app.admin_with_event().await;
    let id = event["id"].as_str().unwrap();
    let added = admin
        .expect(Method::POST, &format!("/api/events/{id}/taxonomy"), Some(json!({"kind": "product_group", "code": "mobility", "name_nl": "Mobiliteit", "name_en": "Mobility"})), StatusCode::CREATED)
        .await;
    admin
        .expect(Method::POST, &format!("/api/events/{id}/taxonomy"), Some(json!({"kind": "product_group", "code": "mobility", "name_nl": "M", "name_en": "M"})), StatusCode::CONFLICT)
        .await;
    let orphan = admin
        .expect(Method::POST, &format!("/api/events/{id}/taxonomy"), Some(json!({"kind": "ambition_strategy", "code": "Z1", "parent_code": "Z", "name_nl": "x", "name_en": "x"})), StatusCode::UNPROCESSABLE_ENTITY)
        .await;
    assert_eq!(
        orphan["error"]["details"]["fields"][0]["field"],
        "parent_code"
    );
    admin
        .expect(
            Method::PATCH,
            &format!(
                "/api/events/{id}/taxonomy/{}",
                added["id"].as_str().unwrap()
            ),
            Some(json!({"name_en": "Mobility and transport"})),
            StatusCode::OK,
        )
        .await;
    let terms = admin.get(&format!("/api/events/{id}/taxonomy")).await;
    let goal_e = terms["terms"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["kind"] == "ambition_goal" && t["code"] == "E")
        .unwrap()
        .clone();
    admin
        .expect(
            Method::DELETE,
            &format!(
                "/api/events/{id}/taxonomy/{}",
                goal_e["id"].as_str().unwrap()
            ),
            None,
            StatusCode::NO_CONTENT,
        )
        .await;
    let terms = admin.get(&format!("/api/events/{id}/taxonomy")).await;
    assert!(terms["terms"].as_array().unwrap().iter().all(|t| t["parent_code"] != "E" && !(t["kind"] == "ambition_goal" && t["code"] == "E")));
}

/// A break's label is checked like a slot's: one line, at most `bounds::LABEL_MAX`
/// characters (it went into the grid unchecked before).
#[tokio::test]
async fn a_break_label_is_one_short_line() {
    let app = TestApp::spawn().await;
    let (admin, event) = app.admin_with_event().await;
    let id = event["id"].as_str().unwrap();
    let generate = |label: String| {
        json!({"date": "2027-03-11", "start": "13:00", "end": "17:00", "slot_minutes": 20,
               "breaks": [{"start": "15:00", "end": "15:20", "label": label}]})
    };
    let path = format!("/api/events/{id}/slots/generate");
    for (label, code) in [
        ("Koffie\nBcc".to_string(), "control_character"),
        ("x".repeat(matchfloor::bounds::LABEL_MAX + 1), "too_long"),
    ] {
        let body = admin
            .expect(
                Method::POST,
                &path,
                Some(generate(label)),
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await;
        assert_eq!(fields(&body), ["breaks[0].label"], "{body}");
        assert_eq!(body["error"]["details"]["fields"][0]["code"], code);
    }
    assert_eq!(
        admin.get(&format!("/api/events/{id}/slots")).await["slots"],
        json!([])
    );
    let longest = "x".repeat(matchfloor::bounds::LABEL_MAX);
    let grid = admin
        .expect(
            Method::POST,
            &path,
            Some(generate(format!(" {longest} "))),
            StatusCode::OK,
        )
        .await;
    let pause = grid["slots"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["kind"] == "break")
        .cloned();
    assert_eq!(pause.unwrap()["label"], longest.as_str());
}

/// Every body is a JSON object: serde would read a table from `[null, null]` (its fields
/// in order) and create one, which no client means.
#[tokio::test]
async fn a_json_array_is_not_a_body() {
    let app = TestApp::spawn().await;
    let (admin, event) = app.admin_with_event().await;
    let id = event["id"].as_str().unwrap();
    for path in [
        format!("/api/events/{id}/tables"),
        format!("/api/events/{id}/rooms"),
    ] {
        let r = admin
            .client
            .post(app.url(&path))
            .header("x-csrf-token", &admin.csrf)
            .header("content-type", "application/json")
            .body(" [null, null]")
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY, "{path}");
        let body: Value = r.json().await.unwrap();
        assert_eq!(body["error"]["code"], "validation_failed");
        assert_eq!(fields(&body), ["body"]);
    }
    assert_eq!(
        admin.get(&format!("/api/events/{id}/tables")).await["tables"],
        json!([])
    );
    assert_eq!(
        admin.get(&format!("/api/events/{id}/rooms")).await["rooms"],
        json!([])
    );
}
