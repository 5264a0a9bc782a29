//! "What if" for a finished run: on a small event where the one table is what limits the
//! meetings, one more table and one more slot raise the proven maximum and a solve gains
//! meetings (never more than the bound's rise); a longer day adds as many slots as fit in
//! the minutes, none when shorter than a slot; who may not ask; bad questions are named.

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::helpers::{Session, TestApp, World};
use crate::meeting_requests::{call, id, invite, pid};
use crate::schedule::{agreed, finished, run_path, start};

fn what_if(w: &World<'_>, run: &str) -> String {
    run_path(w, run, "/what-if")
}

/// Two 20-minute meeting slots (13:00-13:40) and one table; three buyers who each agreed a
/// mutual "must" with one of two suppliers (Bea and Bo with Sara, Ben with Sam). Only two
/// table meetings fit; a second table or a third slot fits all three. The organiser's
/// finished run.
async fn table_bound_event(w: &World<'_>) -> (String, Vec<Session>) {
    w.organiser
        .expect(
            Method::POST,
            &w.path("/slots/generate"),
            Some(
                json!({"date": "2027-03-11", "start": "13:00", "end": "13:40",
                        "slot_minutes": 20, "breaks": []}),
            ),
            StatusCode::OK,
        )
        .await;
    w.organiser
        .expect(
            Method::PUT,
            &w.path("/tables"),
            Some(json!({"count": 1})),
            StatusCode::OK,
        )
        .await;
    let bea = invite(w, "Bea", "Stad Gent", "buyer", "nl").await;
    let ben = invite(w, "Ben", "Provincie", "buyer", "en").await;
    let bo = invite(w, "Bo", "Haven", "buyer", "en").await;
    let sara = invite(w, "Sara", "ReMeubel", "supplier", "nl").await;
    let sam = invite(w, "Sam", "Circ NV", "supplier", "en").await;
    let sara_id = pid(w, "Sara", "ReMeubel").await;
    let sam_id = pid(w, "Sam", "Circ NV").await;
    agreed(w, &bea, &sara_id, "must", &sara, Some("must")).await;
    agreed(w, &ben, &sam_id, "must", &sam, Some("must")).await;
    agreed(w, &bo, &sara_id, "must", &sara, Some("must")).await;
    let run = start(w, json!({"time_limit_seconds": 10, "seed": 3})).await;
    let done = finished(w, &w.organiser, &id(&run)).await;
    assert_eq!(done["status"], "done", "{done}");
    assert_eq!(done["preview"]["meetings"], 2, "{done}");
    (id(&run), vec![bea, ben, bo, sara, sam])
}

async fn ask(w: &World<'_>, run: &str, body: Value) -> Value {
    w.organiser
        .expect(Method::POST, &what_if(w, run), Some(body), StatusCode::OK)
        .await
}

fn int(v: &Value) -> i64 {
    v.as_i64().unwrap_or_else(|| panic!("not an integer: {v}"))
}

#[tokio::test]
async fn one_more_table_or_slot_gains_and_a_solve_realises_at_most_the_bounds_gain() {
    let app = TestApp::spawn().await;
    let w = World::new(&app).await;
    let (run, _) = table_bound_event(&w).await;
    let before = w.organiser.get(&run_path(&w, &run, "")).await["preview"].clone();

    for scenario in ["extra_table", "extra_slot"] {
        // At once: the proven maximum rises; nothing is solved.
        let got = ask(&w, &run, json!({ "scenario": scenario })).await;
        assert_eq!(got["scenario"], scenario);
        assert_eq!(got["count"], 1);
        assert_eq!(got["minutes"], Value::Null);
        assert_eq!(got["shorter_than_a_slot"], false);
        let (tables, slots) = if scenario == "extra_table" {
            (1, 0)
        } else {
            (0, 1)
        };
        assert_eq!(
            (got["extra_tables"].clone(), got["extra_slots"].clone()),
            (json!(tables), json!(slots))
        );
        assert_eq!(got["objective"], before["objective"]);
        assert_eq!(got["meetings"], 2);
        assert_eq!(got["bound_before"], before["bound"], "{got}");
        assert!(int(&got["objective_gain_bound"]) > 0, "{got}");
        assert_eq!(
            int(&got["objective_gain_bound"]),
            int(&got["bound_after"]) - int(&got["bound_before"])
        );
        assert_eq!(
            (
                int(&got["meetings_bound_before"]),
                int(&got["meetings_bound_after"]),
                int(&got["meetings_gain_bound"])
            ),
            (2, 3, 1),
            "{got}"
        );
        assert_eq!(got["solved"], Value::Null);

        // On request: a solve gains, and never more than the bound's rise.
        let got = ask(
            &w,
            &run,
            json!({ "scenario": scenario, "solve": true, "time_limit_seconds": 5 }),
        )
        .await;
        let solved = &got["solved"];
        let gain = int(&solved["objective_gain"]);
        assert!(
            gain > 0 && gain <= int(&got["objective_gain_bound"]),
            "{got}"
        );
        assert_eq!(int(&solved["objective"]) - int(&got["objective"]), gain);
        assert_eq!(solved["meetings"], 3, "{got}");
        assert_eq!(solved["meetings_gain"], 1);
        assert_eq!(solved["bound"], got["bound_after"]);
        assert_eq!(solved["optimal"], true, "{got}");
        assert!(solved["seconds"].as_f64().is_some());
    }

    // Two more tables buy nothing more than one: three requests, three meetings.
    let two = ask(&w, &run, json!({"scenario": "extra_table", "count": 2})).await;
    assert_eq!(two["extra_tables"], 2);
    assert_eq!(two["meetings_bound_after"], 3);

    // Asking changes nothing: the run reads as before.
    let after = w.organiser.get(&run_path(&w, &run, "")).await["preview"].clone();
    assert_eq!(after["objective"], before["objective"]);
    assert_eq!(after["meetings"], before["meetings"]);
    assert_eq!(after["bound"], before["bound"]);
}

#[tokio::test]
async fn a_longer_day_adds_the_slots_that_fit_in_it_and_none_when_shorter_than_a_slot() {
    let app = TestApp::spawn().await;
    let w = World::new(&app).await;
    let (run, _) = table_bound_event(&w).await;

    // Ten minutes: shorter than a 20-minute slot. Said so, no change, nothing solved.
    let got = ask(
        &w,
        &run,
        json!({"scenario": "extra_minutes", "minutes": 10, "solve": true}),
    )
    .await;
    assert_eq!(got["scenario"], "extra_minutes");
    assert_eq!(got["minutes"], 10);
    assert_eq!(got["count"], Value::Null);
    assert_eq!(got["slot_minutes"], 20);
    assert_eq!(
        (got["extra_slots"].clone(), got["extra_tables"].clone()),
        (json!(0), json!(0))
    );
    assert_eq!(got["shorter_than_a_slot"], true);
    assert_eq!(got["objective_gain_bound"], 0);
    assert_eq!(got["meetings_gain_bound"], 0);
    assert_eq!(got["bound_after"], got["bound_before"]);
    assert_eq!(got["solved"], Value::Null);

    // Fifty minutes: two more 20-minute slots (the rest is too short for a third).
    let got = ask(
        &w,
        &run,
        json!({"scenario": "extra_minutes", "minutes": 50, "solve": true}),
    )
    .await;
    assert_eq!(got["extra_slots"], 2, "{got}");
    assert_eq!(got["shorter_than_a_slot"], false);
    assert!(int(&got["objective_gain_bound"]) > 0);
    assert_eq!(got["meetings_bound_after"], 3);
    assert_eq!(got["solved"]["meetings"], 3, "{got}");
    // The same as asking for two slots.
    let slots = ask(&w, &run, json!({"scenario": "extra_slot", "count": 2})).await;
    assert_eq!(slots["bound_after"], got["bound_after"]);
}

#[tokio::test]
async fn only_the_events_organisers_ask_and_only_about_a_finished_run() {
    let app = TestApp::spawn_with(&[("MATCHFLOOR__SCHEDULE__WORKER", "false")]).await;
    let w = World::new(&app).await;
    let run = start(&w, json!({})).await;
    let run_id = id(&run);
    let bea = w.buyer("Bea", "Stad Gent").await;
    let sara = w.supplier("Sara", "ReMeubel").await;
    let fien = w.person("Fien", "facilitator").await;
    let other_event = w.other_event().await;
    let otto = crate::helpers::invite(
        &app,
        &w.organiser,
        &other_event,
        json!({"name": "Otto", "email": "otto@example.org", "role": "organiser"}),
    )
    .await;
    let path = what_if(&w, &run_id);
    let body = json!({"scenario": "extra_table"});
    for who in [&bea, &sara, &fien] {
        let (status, got) = call(who, Method::POST, &path, Some(body.clone())).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{} {got}", who.me["email"]);
    }
    let (status, _) = call(&otto, Method::POST, &path, Some(body.clone())).await;
    assert_eq!(status, StatusCode::NOT_FOUND, "another event's organiser");
    // Nor through their own event: the run is not of it.
    let (status, _) = call(
        &otto,
        Method::POST,
        &format!("/api/events/{other_event}/schedule/runs/{run_id}/what-if"),
        Some(body.clone()),
    )
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let anonymous = reqwest::Client::new()
        .post(app.url(&path))
        .json(&body)
        .send()
        .await
        .unwrap();
    assert_eq!(anonymous.status(), StatusCode::UNAUTHORIZED);

    // The organiser, about a run still queued: it has no schedule yet.
    let (status, got) = call(&w.organiser, Method::POST, &path, Some(body)).await;
    assert_eq!(status, StatusCode::CONFLICT, "{got}");
    assert_eq!(got["error"]["code"], "schedule_run_state");
    assert_eq!(got["error"]["details"]["status"], "queued");
}

#[tokio::test]
async fn bad_questions_are_named() {
    let app = TestApp::spawn_with(&[("MATCHFLOOR__SCHEDULE__WORKER", "false")]).await;
    let w = World::new(&app).await;
    let run = id(&start(&w, json!({})).await);
    let path = what_if(&w, &run);
    for (body, want) in [
        // serde names a missing field on the body (as elsewhere), its message the field.
        (json!({}), vec![("body", "required")]),
        (
            json!({"scenario": "two_tables"}),
            vec![("scenario", "invalid_value")],
        ),
        (
            json!({"scenario": "extra_table", "count": 0}),
            vec![("count", "out_of_range")],
        ),
        (
            json!({"scenario": "extra_slot", "count": 21}),
            vec![("count", "out_of_range")],
        ),
        (
            json!({"scenario": "extra_minutes"}),
            vec![("minutes", "required")],
        ),
        (
            json!({"scenario": "extra_minutes", "minutes": 0}),
            vec![("minutes", "out_of_range")],
        ),
        (
            json!({"scenario": "extra_minutes", "minutes": 241}),
            vec![("minutes", "out_of_range")],
        ),
        (
            json!({"scenario": "extra_slot", "minutes": 30}),
            vec![("minutes", "not_allowed")],
        ),
        (
            json!({"scenario": "extra_minutes", "minutes": 30, "count": 1}),
            vec![("count", "not_allowed")],
        ),
        (
            json!({"scenario": "extra_table", "solve": true, "time_limit_seconds": 0}),
            vec![("time_limit_seconds", "out_of_range")],
        ),
        (
            json!({"scenario": "extra_table", "time_limit_seconds": 21, "count": -1}),
            vec![
                ("time_limit_seconds", "out_of_range"),
                ("count", "out_of_range"),
            ],
        ),
        (
            json!({"scenario": "extra_table", "solve": "yes"}),
            vec![("solve", "invalid_value")],
        ),
        (
            json!({"scenario": "extra_table", "tables": 2}),
            vec![("tables", "unknown_field")],
        ),
    ] {
        let (status, got) = call(&w.organiser, Method::POST, &path, Some(body.clone())).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}: {got}");
        let fields: Vec<(&str, &str)> = got["error"]["details"]["fields"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| (f["field"].as_str().unwrap(), f["code"].as_str().unwrap()))
            .collect();
        assert_eq!(fields, want, "{body}");
    }
}
