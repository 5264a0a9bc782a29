//! Meeting requests: asking, answering and withdrawing, the organiser's rules (roles,
//! acceptance, limits, deadline), one request per pair either way round, who may not,
//! limits and answers under concurrency, availability, and what the other side is told
//! live and by email.

use std::collections::HashMap;

use futures_util::future::join_all;
use matchfloor::domain::{MeetingRequestStatus, Role};
use matchfloor::entities::{meeting_request, participation};
use reqwest::{Method, StatusCode};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use serde_json::{Value, json};
use uuid::Uuid;

use crate::helpers::{Session, TestApp, World, crowd, email_of, on, second_instance};
use crate::live::{connect, next};

/// `w.path("/requests")` and friends.
pub(crate) fn requests(w: &World<'_>) -> String {
    w.path("/requests")
}

fn request_path(w: &World<'_>, id: &str, act: &str) -> String {
    w.path(&format!("/requests/{id}/{act}"))
}

/// Sends and returns the status with the body (null when empty).
pub(crate) async fn call(
    s: &Session,
    method: Method,
    path: &str,
    body: Option<Value>,
) -> (StatusCode, Value) {
    let response = s.send(method, path, body).await;
    let status = response.status();
    let text = response.text().await.unwrap();
    let body = if text.is_empty() {
        Value::Null
    } else {
        serde_json::from_str(&text).unwrap()
    };
    (status, body)
}

/// `s` asks the participant `to` for a meeting and expects it to be made; the request.
pub(crate) async fn ask(w: &World<'_>, s: &Session, to: &str, priority: &str) -> Value {
    s.expect(
        Method::POST,
        &requests(w),
        Some(json!({"participant_id": to, "priority": priority})),
        StatusCode::CREATED,
    )
    .await
}

/// `s` asks `to` and expects a refusal; its error code (and the whole body).
async fn refused(w: &World<'_>, s: &Session, to: &str, status: StatusCode) -> Value {
    let (got, body) = call(
        s,
        Method::POST,
        &requests(w),
        Some(json!({"participant_id": to, "priority": "would_like"})),
    )
    .await;
    assert_eq!(got, status, "{body}");
    body
}

pub(crate) fn id(v: &Value) -> String {
    v["id"].as_str().unwrap().to_string()
}

/// The organiser sets the event's rules (a field left out takes its default).
pub(crate) async fn set_rules(w: &World<'_>, rules: Value) -> Value {
    w.organiser
        .expect(
            Method::PUT,
            &w.path("/request-rules"),
            Some(rules),
            StatusCode::OK,
        )
        .await
}

/// Participation ids of the event by person id (for people made with `crowd`).
async fn participations(app: &TestApp, event: &str) -> HashMap<String, String> {
    let event: Uuid = event.parse().unwrap();
    participation::Entity::find()
        .filter(participation::Column::EventId.eq(event))
        .all(&app.state.db)
        .await
        .unwrap()
        .into_iter()
        .map(|p| (p.person_id.to_string(), p.id.to_string()))
        .collect()
}

fn person_id(s: &Session) -> String {
    s.me["id"].as_str().unwrap().to_string()
}

/// A person invited with their own language, logged in.
pub(crate) async fn invite(
    w: &World<'_>,
    name: &str,
    organisation: &str,
    role: &str,
    language: &str,
) -> Session {
    w.invite(
        json!({"name": name, "email": email_of(name, Some(organisation)),
                    "organisation": organisation, "role": role, "language": language}),
    )
    .await
}

/// The participant id of the person invited as `name` of `organisation`.
pub(crate) async fn pid(w: &World<'_>, name: &str, organisation: &str) -> String {
    w.participant_id(&email_of(name, Some(organisation))).await
}

/// `s` does `act` (accept, decline, withdraw) to request `id`; status and body.
pub(crate) async fn act(
    w: &World<'_>,
    s: &Session,
    id: &str,
    act: &str,
    body: Option<Value>,
) -> (StatusCode, Value) {
    call(s, Method::POST, &request_path(w, id, act), body).await
}

#[tokio::test]
async fn a_buyer_asks_a_supplier_who_accepts_and_each_sees_the_other_side() {
    let app = TestApp::spawn().await;
    let w = World::new(&app).await;
    let bea = invite(&w, "Bea", "Stad Gent", "buyer", "en").await;
    let sara = invite(&w, "Sara", "ReMeubel", "supplier", "nl").await;
    let sara_id = pid(&w, "Sara", "ReMeubel").await;
    let bea_id = pid(&w, "Bea", "Stad Gent").await;

    let made = bea
        .expect(
            Method::POST,
            &requests(&w),
            Some(json!({"participant_id": sara_id, "priority": "must",
                        "message": "  Stoelen als dienst?\nGraag.  "})),
            StatusCode::CREATED,
        )
        .await;
    assert_eq!(made["status"], "pending");
    assert_eq!(made["direction"], "sent");
    assert_eq!(made["priority"], "must");
    assert_eq!(made["message"], "Stoelen als dienst?\nGraag.");
    assert_eq!(made["other"]["participant_id"], sara_id.as_str());
    assert_eq!(made["other"]["name"], "Sara");
    assert_eq!(made["other"]["organisation"], "ReMeubel");
    assert_eq!(made["other"]["role"], "supplier");

    let mine = bea.get(&requests(&w)).await;
    assert_eq!(mine["sent"].as_array().unwrap().len(), 1);
    assert_eq!(mine["received"], json!([]));
    assert_eq!(mine["counts"]["requests_sent"], 1);
    assert_eq!(mine["counts"]["meetings"], 0);
    assert_eq!(mine["rules"]["acceptance_required"], true);
    assert_eq!(mine["rules"]["open"], true);
    assert_eq!(mine["rules"]["same_role_allowed"], false);

    let theirs = sara.get(&requests(&w)).await;
    assert_eq!(theirs["sent"], json!([]));
    let received = &theirs["received"][0];
    assert_eq!(received["id"], made["id"]);
    assert_eq!(received["direction"], "received");
    assert_eq!(received["status"], "pending");
    assert_eq!(received["other"]["participant_id"], bea_id.as_str());
    assert_eq!(received["other"]["name"], "Bea");
    assert_eq!(received["other"]["organisation"], "Stad Gent");
    assert_eq!(received["other"]["role"], "buyer");

    // The one asked is told by email, in their language (Dutch for Sara).
    let mails = app
        .wait_for_mails(&email_of("Sara", Some("ReMeubel")), 2)
        .await;
    let mail = mails
        .iter()
        .find(|m| m.subject.starts_with("Gespreksverzoek"))
        .expect("a Dutch meeting request email");
    assert_eq!(mail.subject, "Gespreksverzoek van Bea");
    assert!(mail.body.contains("zeker ontmoeten"), "{}", mail.body);
    assert!(mail.body.contains("Stoelen als dienst?"));
    assert!(mail.body.contains("Stad Gent"));

    let accepted = sara
        .expect(
            Method::POST,
            &request_path(&w, &id(&made), "accept"),
            Some(json!({"priority": "would_like"})),
            StatusCode::OK,
        )
        .await;
    assert_eq!(accepted["status"], "accepted");
    assert_eq!(accepted["direction"], "received");
    assert_eq!(accepted["answer_priority"], "would_like");
    assert!(accepted["answered_at"].is_string());
    let mine = bea.get(&requests(&w)).await;
    assert_eq!(mine["sent"][0]["status"], "accepted");
    assert_eq!(mine["sent"][0]["answer_priority"], "would_like");
    assert_eq!(mine["counts"]["meetings"], 1);
    assert_eq!(sara.get(&requests(&w)).await["counts"]["meetings"], 1);
    // The requester hears of it in English, her language.
    let mails = app
        .wait_for_mails(&email_of("Bea", Some("Stad Gent")), 2)
        .await;
    assert!(
        mails
            .iter()
            .any(|m| m.subject == "Sara accepted your meeting request"),
        "{:?}",
        mails.iter().map(|m| &m.subject).collect::<Vec<_>>()
    );
}

#[tokio::test]
async fn answers_need_no_body_a_decline_gives_its_reason_and_bad_input_changes_nothing() {
    let app = TestApp::spawn().await;
    let w = World::new(&app).await;
    let bea = invite(&w, "Bea", "Stad Gent", "buyer", "en").await;
    let sara = w.supplier("Sara", "ReMeubel").await;
    let tom = w.supplier("Tom", "Tafels").await;
    let made = ask(&w, &bea, &pid(&w, "Sara", "ReMeubel").await, "if_time").await;
    let other = ask(&w, &bea, &pid(&w, "Tom", "Tafels").await, "must").await;

    // Accepting without a body at all.
    let response = sara
        .client
        .post(format!(
            "{}{}",
            sara.base,
            request_path(&w, &id(&made), "accept")
        ))
        .header("x-csrf-token", &sara.csrf)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let accepted: Value = response.json().await.unwrap();
    assert_eq!(accepted["status"], "accepted");
    assert_eq!(accepted["answer_priority"], Value::Null);

    // A reason that is too long is refused, and the request still waits.
    let (status, body) = act(
        &w,
        &tom,
        &id(&other),
        "decline",
        Some(json!({"reason": "x".repeat(matchfloor::bounds::DECLINE_REASON_MAX + 1)})),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(body["error"]["details"]["fields"][0]["field"], "reason");
    assert_eq!(body["error"]["details"]["fields"][0]["code"], "too_long");
    assert_eq!(
        tom.get(&requests(&w)).await["received"][0]["status"],
        "pending"
    );

    let declined = tom
        .expect(
            Method::POST,
            &request_path(&w, &id(&other), "decline"),
            Some(json!({"reason": "Wij leveren enkel aan scholen."})),
            StatusCode::OK,
        )
        .await;
    assert_eq!(declined["status"], "declined");
    let mine = bea.get(&requests(&w)).await;
    let seen = mine["sent"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["id"] == other["id"])
        .unwrap();
    assert_eq!(seen["status"], "declined");
    assert_eq!(seen["decline_reason"], "Wij leveren enkel aan scholen.");
    // A declined request gives the requester's place back; the accepted one still counts.
    assert_eq!(mine["counts"]["requests_sent"], 1);
    let mails = app
        .wait_for_mails(&email_of("Bea", Some("Stad Gent")), 3)
        .await;
    let declined_mail = mails
        .iter()
        .find(|m| m.subject == "Tom declined your meeting request")
        .expect("an email about the decline");
    assert!(
        declined_mail
            .body
            .contains("Wij leveren enkel aan scholen.")
    );

    // Bad requests: each names its field, and no request is made.
    let uma = w.supplier("Uma", "Uniform").await;
    let uma_id = pid(&w, "Uma", "Uniform").await;
    for (body, field, code) in [
        (
            json!({"participant_id": uma_id, "priority": "must",
                   "message": "x".repeat(matchfloor::bounds::MEETING_MESSAGE_MAX + 1)}),
            "message",
            "too_long",
        ),
        (
            json!({"participant_id": uma_id, "priority": "must", "message": "a\u{0}b"}),
            "message",
            "control_character",
        ),
        (
            json!({"participant_id": uma_id, "priority": "urgent"}),
            "priority",
            "invalid_value",
        ),
        (json!({"participant_id": uma_id}), "body", "required"),
        (
            json!({"participant_id": uma_id, "priority": "must", "when": "now"}),
            "when",
            "unknown_field",
        ),
    ] {
        let (status, answer) = call(&bea, Method::POST, &requests(&w), Some(body)).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{answer}");
        let fields = &answer["error"]["details"]["fields"][0];
        assert_eq!(fields["field"], field, "{answer}");
        assert_eq!(fields["code"], code, "{answer}");
    }
    assert_eq!(uma.get(&requests(&w)).await["received"], json!([]));
    assert_eq!(
        bea.get(&requests(&w)).await["sent"]
            .as_array()
            .unwrap()
            .len(),
        2
    );
    // A JSON `null` is no body either.
    let to_uma = ask(&w, &bea, &uma_id, "must").await;
    let (status, body) = act(&w, &uma, &id(&to_uma), "accept", Some(Value::Null)).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["answer_priority"], Value::Null);
}

#[tokio::test]
async fn nobody_sees_or_acts_on_a_request_that_is_not_theirs() {
    let app = TestApp::spawn().await;
    let w = World::new(&app).await;
    let bea = w.buyer("Bea", "Stad Gent").await;
    let sara = w.supplier("Sara", "ReMeubel").await;
    let carl = w.buyer("Carl", "Provincie").await;
    let olga = w.person("Olga", "organiser").await;
    let fien = w.person("Fien", "facilitator").await;
    let made = ask(&w, &bea, &pid(&w, "Sara", "ReMeubel").await, "must").await;
    let made_id = id(&made);

    // Someone else of the event sees nothing of it and can do nothing to it.
    let carls = carl.get(&requests(&w)).await;
    assert_eq!(carls["sent"], json!([]));
    assert_eq!(carls["received"], json!([]));
    for what in ["accept", "decline", "withdraw"] {
        let (status, body) = act(&w, &carl, &made_id, what, None).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{what}: {body}");
        let (status, _) = act(&w, &olga, &made_id, what, None).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "an organiser {what}");
    }
    // Each side only does its own part.
    for what in ["accept", "decline"] {
        let (status, _) = act(&w, &bea, &made_id, what, None).await;
        assert_eq!(
            status,
            StatusCode::FORBIDDEN,
            "the requester may not {what}"
        );
    }
    let (status, _) = act(&w, &sara, &made_id, "withdraw", None).await;
    assert_eq!(
        status,
        StatusCode::FORBIDDEN,
        "the one asked may not withdraw"
    );
    let (status, _) = act(&w, &sara, &Uuid::now_v7().to_string(), "accept", None).await;
    assert_eq!(status, StatusCode::NOT_FOUND);

    // Only buyers and suppliers ask; organisers and facilitators have no such meetings,
    // and a platform admin who does not take part has no requests at all.
    let bea_id = pid(&w, "Bea", "Stad Gent").await;
    for who in [&olga, &fien] {
        let (status, _) = call(
            who,
            Method::POST,
            &requests(&w),
            Some(json!({"participant_id": bea_id, "priority": "must"})),
        )
        .await;
        assert_eq!(status, StatusCode::FORBIDDEN);
    }
    let (status, _) = call(&w.organiser, Method::GET, &requests(&w), None).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, _) = act(&w, &w.organiser, &made_id, "accept", None).await;
    assert_eq!(status, StatusCode::FORBIDDEN);

    // Outsiders and registrations awaiting approval do not find the event.
    let other_event = w.other_event().await;
    let outsider = crate::helpers::invite(
        &app,
        &w.organiser,
        &other_event,
        json!({"name": "Otto", "email": "otto@example.org", "role": "buyer"}),
    )
    .await;
    let pending = w.pending_registrant("Pim", "Circ NV").await;
    for who in [&outsider, &pending] {
        let (status, _) = call(who, Method::GET, &requests(&w), None).await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        let (status, _) = act(&w, who, &made_id, "accept", None).await;
        assert_eq!(status, StatusCode::NOT_FOUND);
    }
    // The request seen through another event's path is no request of that event.
    let (status, _) = call(
        &outsider,
        Method::POST,
        &format!("/api/events/{other_event}/requests/{made_id}/accept"),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(
        sara.get(&requests(&w)).await["received"][0]["status"],
        "pending"
    );

    // A requester who left the event took their requests with them: nothing to answer
    // (tests/api/meeting_notices.rs has the rest of leaving).
    w.set_status(&email_of("Bea", Some("Stad Gent")), "cancelled")
        .await;
    let (status, body) = act(&w, &sara, &made_id, "accept", None).await;
    assert_eq!(status, StatusCode::CONFLICT, "{body}");
    assert_eq!(
        sara.get(&requests(&w)).await["received"][0]["status"],
        "withdrawn"
    );
}

#[tokio::test]
async fn one_request_per_pair_either_way_and_a_declined_pair_cannot_ask_again() {
    let app = TestApp::spawn().await;
    let w = World::new(&app).await;
    let bea = w.buyer("Bea", "Stad Gent").await;
    let sara = w.supplier("Sara", "ReMeubel").await;
    let tom = w.supplier("Tom", "Tafels").await;
    let (bea_id, sara_id, tom_id) = (
        pid(&w, "Bea", "Stad Gent").await,
        pid(&w, "Sara", "ReMeubel").await,
        pid(&w, "Tom", "Tafels").await,
    );
    let made = ask(&w, &bea, &sara_id, "must").await;

    let again = refused(&w, &bea, &sara_id, StatusCode::CONFLICT).await;
    assert_eq!(again["error"]["code"], "request_exists");
    assert_eq!(again["error"]["details"]["request_id"], made["id"]);
    assert_eq!(again["error"]["details"]["direction"], "sent");
    let back = refused(&w, &sara, &bea_id, StatusCode::CONFLICT).await;
    assert_eq!(back["error"]["code"], "request_exists");
    assert_eq!(back["error"]["details"]["direction"], "received");

    let (status, _) = act(&w, &sara, &id(&made), "decline", None).await;
    assert_eq!(status, StatusCode::OK);
    for (who, to) in [(&bea, &sara_id), (&sara, &bea_id)] {
        let body = refused(&w, who, to, StatusCode::CONFLICT).await;
        assert_eq!(body["error"]["code"], "request_declined", "{body}");
    }
    let (status, body) = act(&w, &sara, &id(&made), "accept", None).await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert_eq!(body["error"]["code"], "request_not_pending");
    assert_eq!(body["error"]["details"]["status"], "declined");
    let (status, body) = act(&w, &bea, &id(&made), "withdraw", None).await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert_eq!(body["error"]["code"], "request_not_withdrawable");

    // A withdrawn request may be asked again, also the other way round.
    let first = ask(&w, &bea, &tom_id, "if_time").await;
    let (status, withdrawn) = act(&w, &bea, &id(&first), "withdraw", None).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(withdrawn["status"], "withdrawn");
    assert_eq!(bea.get(&requests(&w)).await["counts"]["requests_sent"], 0);
    let (status, body) = act(&w, &bea, &id(&first), "withdraw", None).await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert_eq!(body["error"]["details"]["status"], "withdrawn");
    let (status, body) = act(&w, &tom, &id(&first), "accept", None).await;
    assert_eq!(status, StatusCode::CONFLICT, "{body}");
    let reversed = ask(&w, &tom, &bea_id, "must").await;
    assert_eq!(reversed["status"], "pending");
    assert_eq!(reversed["direction"], "sent");
    assert_eq!(reversed["priority"], "must");
    let beas = bea.get(&requests(&w)).await;
    assert_eq!(beas["received"][0]["id"], reversed["id"]);
    assert_eq!(beas["received"][0]["other"]["name"], "Tom");
    let (status, _) = act(&w, &bea, &id(&reversed), "accept", None).await;
    assert_eq!(status, StatusCode::OK);

    // One row per pair, whoever asked.
    let event: Uuid = w.event.parse().unwrap();
    let rows = meeting_request::Entity::find()
        .filter(meeting_request::Column::EventId.eq(event))
        .all(&app.state.db)
        .await
        .unwrap();
    assert_eq!(rows.len(), 2);
}

#[tokio::test]
async fn buyers_ask_buyers_and_suppliers_suppliers_only_when_the_organiser_allows_it() {
    let app = TestApp::spawn().await;
    let w = World::new(&app).await;
    let bea = w.buyer("Bea", "Stad Gent").await;
    let _ben = w.buyer("Ben", "Haven").await;
    let sara = w.supplier("Sara", "ReMeubel").await;
    let _tom = w.supplier("Tom", "Tafels").await;
    let _fien = w.person("Fien", "facilitator").await;
    let _pim = w.pending_registrant("Pim", "Circ NV").await;
    let (ben_id, tom_id) = (
        pid(&w, "Ben", "Haven").await,
        pid(&w, "Tom", "Tafels").await,
    );
    let other_event = w.other_event().await;
    crate::helpers::invite(
        &app,
        &w.organiser,
        &other_event,
        json!({"name": "Otto", "email": "otto@example.org", "role": "supplier"}),
    )
    .await;
    let otto_id = w
        .organiser
        .get(&format!("/api/events/{other_event}/participants"))
        .await["participants"][0]["id"]
        .as_str()
        .unwrap()
        .to_string();

    let code = |body: &Value| {
        let field = &body["error"]["details"]["fields"][0];
        assert_eq!(field["field"], "participant_id", "{body}");
        field["code"].as_str().unwrap().to_string()
    };
    for (who, to, expected) in [
        (&bea, ben_id.clone(), "role_not_allowed"),
        (&sara, tom_id.clone(), "role_not_allowed"),
        (
            &bea,
            w.participant_id("fien@example.org").await,
            "role_not_allowed",
        ),
        (&bea, pid(&w, "Bea", "Stad Gent").await, "self"),
        (&bea, Uuid::now_v7().to_string(), "not_found"),
        (&bea, pid(&w, "Pim", "Circ NV").await, "not_found"),
        (&bea, otto_id.clone(), "not_found"),
    ] {
        let body = refused(&w, who, &to, StatusCode::UNPROCESSABLE_ENTITY).await;
        assert_eq!(code(&body), expected, "{body}");
    }

    let rules = set_rules(&w, json!({"allow_buyer_buyer": true})).await;
    assert_eq!(rules["allow_buyer_buyer"], true);
    assert_eq!(rules["allow_supplier_supplier"], false);
    assert_eq!(
        bea.get(&requests(&w)).await["rules"]["same_role_allowed"],
        true
    );
    let made = ask(&w, &bea, &ben_id, "would_like").await;
    assert_eq!(made["other"]["role"], "buyer");
    let body = refused(&w, &sara, &tom_id, StatusCode::UNPROCESSABLE_ENTITY).await;
    assert_eq!(code(&body), "role_not_allowed");
    set_rules(&w, json!({"allow_supplier_supplier": true})).await;
    ask(&w, &sara, &tom_id, "would_like").await;
}

#[tokio::test]
async fn limits_and_the_deadline_hold_and_only_organisers_set_them() {
    let app = TestApp::spawn().await;
    let w = World::new(&app).await;
    let bea = w.buyer("Bea", "Stad Gent").await;
    let mut suppliers = Vec::new();
    for name in ["Sara", "Tom", "Uma", "Vic"] {
        suppliers.push((
            w.supplier(name, name).await,
            w.participant_id(&email_of(name, Some(name))).await,
        ));
    }

    let defaults = w.organiser.get(&w.path("/request-rules")).await;
    assert_eq!(
        defaults,
        json!({"event_id": w.event, "allow_buyer_buyer": false, "allow_supplier_supplier": false,
               "acceptance_required": true, "max_requests_sent": null,
               "max_meetings": {"buyer": null, "supplier": null}, "deadline": null,
               "reminder_after_hours": 48, "after_reminder": "expire",
               "email_timing": "immediate", "open": true, "updated_at": null})
    );
    let rules = set_rules(
        &w,
        json!({"max_requests_sent": 2, "max_meetings": {"buyer": 1},
               "reminder_after_hours": 24, "after_reminder": "accept", "email_timing": "digest"}),
    )
    .await;
    assert_eq!(rules["max_requests_sent"], 2);
    assert_eq!(rules["max_meetings"], json!({"buyer": 1, "supplier": null}));
    assert_eq!(rules["after_reminder"], "accept");
    assert_eq!(rules["email_timing"], "digest");
    assert!(rules["updated_at"].is_string());

    let to_sara = ask(&w, &bea, &suppliers[0].1, "must").await;
    let to_tom = ask(&w, &bea, &suppliers[1].1, "must").await;
    let body = refused(&w, &bea, &suppliers[2].1, StatusCode::CONFLICT).await;
    assert_eq!(body["error"]["code"], "request_limit_reached");
    assert_eq!(body["error"]["details"]["limit"], 2);
    // Withdrawing gives the place back.
    act(&w, &bea, &id(&to_tom), "withdraw", None).await;
    let to_uma = ask(&w, &bea, &suppliers[2].1, "would_like").await;

    // One meeting for a buyer: the second acceptance is refused, naming whose limit.
    let (status, _) = act(&w, &suppliers[0].0, &id(&to_sara), "accept", None).await;
    assert_eq!(status, StatusCode::OK);
    let (status, body) = act(&w, &suppliers[2].0, &id(&to_uma), "accept", None).await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert_eq!(body["error"]["code"], "meeting_limit_reached");
    assert_eq!(
        body["error"]["details"],
        json!({"whose": "theirs", "limit": 1})
    );
    let mine = bea.get(&requests(&w)).await;
    assert_eq!(
        mine["counts"],
        json!({"requests_sent": 2, "max_requests_sent": 2, "meetings": 1, "max_meetings": 1})
    );
    assert_eq!(
        suppliers[2].0.get(&requests(&w)).await["received"][0]["status"],
        "pending"
    );

    // Past the deadline nobody asks or answers; withdrawing stays possible.
    let closed = set_rules(
        &w,
        json!({"max_requests_sent": 2, "max_meetings": {"buyer": 1},
               "deadline": "2020-01-01T09:00:00+01:00"}),
    )
    .await;
    assert_eq!(closed["deadline"], "2020-01-01T08:00:00Z");
    assert_eq!(closed["open"], false);
    assert_eq!(bea.get(&requests(&w)).await["rules"]["open"], false);
    act(&w, &bea, &id(&to_uma), "withdraw", None).await;
    let body = refused(&w, &bea, &suppliers[3].1, StatusCode::CONFLICT).await;
    assert_eq!(body["error"]["code"], "requests_closed");
    assert_eq!(body["error"]["details"]["deadline"], "2020-01-01T08:00:00Z");
    let to_vic = {
        set_rules(&w, json!({})).await;
        let made = ask(&w, &bea, &suppliers[3].1, "must").await;
        set_rules(&w, json!({"deadline": "2020-01-01T08:00:00Z"})).await;
        made
    };
    for what in ["accept", "decline"] {
        let (status, body) = act(&w, &suppliers[3].0, &id(&to_vic), what, None).await;
        assert_eq!(status, StatusCode::CONFLICT, "{what}");
        assert_eq!(body["error"]["code"], "requests_closed");
    }
    let (status, _) = act(&w, &bea, &id(&to_vic), "withdraw", None).await;
    assert_eq!(status, StatusCode::OK);

    // Bad rules are refused field by field and change nothing.
    let (status, body) = call(
        &w.organiser,
        Method::PUT,
        &w.path("/request-rules"),
        Some(
            json!({"max_requests_sent": -1, "max_meetings": {"supplier": 100000},
                    "reminder_after_hours": 0, "deadline": "soon"}),
        ),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let fields: Vec<&str> = body["error"]["details"]["fields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f.get("field").and_then(Value::as_str).unwrap())
        .collect();
    assert_eq!(
        fields,
        [
            "max_requests_sent",
            "max_meetings.supplier",
            "reminder_after_hours",
            "deadline"
        ]
    );
    for body in [json!({"after_reminder": "forget"}), json!({"limit": 3})] {
        let (status, _) = call(
            &w.organiser,
            Method::PUT,
            &w.path("/request-rules"),
            Some(body),
        )
        .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    }
    let kept = w.organiser.get(&w.path("/request-rules")).await;
    assert_eq!(kept["deadline"], "2020-01-01T08:00:00Z");

    // Only organisers read or set the rules.
    for (method, body) in [(Method::GET, None), (Method::PUT, Some(json!({})))] {
        let (status, _) = call(&bea, method, &w.path("/request-rules"), body).await;
        assert_eq!(status, StatusCode::FORBIDDEN);
    }
    let pending = w.pending_registrant("Pim", "Circ NV").await;
    let (status, _) = call(&pending, Method::GET, &w.path("/request-rules"), None).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn without_acceptance_a_request_is_a_meeting_at_once() {
    let app = TestApp::spawn().await;
    let w = World::new(&app).await;
    let bea = w.buyer("Bea", "Stad Gent").await;
    let ben = w.buyer("Ben", "Haven").await;
    let sara = invite(&w, "Sara", "ReMeubel", "supplier", "en").await;
    let sara_id = pid(&w, "Sara", "ReMeubel").await;
    set_rules(
        &w,
        json!({"acceptance_required": false, "max_meetings": {"supplier": 1}}),
    )
    .await;

    let made = ask(&w, &bea, &sara_id, "must").await;
    assert_eq!(made["status"], "accepted");
    assert!(made["answered_at"].is_string());
    assert_eq!(bea.get(&requests(&w)).await["counts"]["meetings"], 1);
    let saras = sara.get(&requests(&w)).await;
    assert_eq!(saras["counts"]["meetings"], 1);
    assert_eq!(saras["rules"]["acceptance_required"], false);
    assert_eq!(saras["received"][0]["status"], "accepted");
    let sara_email = email_of("Sara", Some("ReMeubel"));
    let mails = app.wait_for_mails(&sara_email, 2).await;
    let mail = mails
        .iter()
        .find(|m| m.subject == "Meeting request from Bea")
        .unwrap();
    assert!(mail.body.contains("on your list"), "{}", mail.body);

    // Sara's one meeting is taken: Ben's request is refused and leaves no trace.
    let body = refused(&w, &ben, &sara_id, StatusCode::CONFLICT).await;
    assert_eq!(body["error"]["code"], "meeting_limit_reached");
    assert_eq!(body["error"]["details"]["whose"], "theirs");
    let bens = ben.get(&requests(&w)).await;
    assert_eq!(bens["sent"], json!([]));
    assert_eq!(bens["counts"]["requests_sent"], 0);

    // Withdrawing the meeting frees it; Sara hears of it by email.
    let (status, _) = act(&w, &bea, &id(&made), "withdraw", None).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(sara.get(&requests(&w)).await["counts"]["meetings"], 0);
    let mails = app.wait_for_mails(&sara_email, 3).await;
    assert!(
        mails
            .iter()
            .any(|m| m.subject == "Bea withdrew their meeting request")
    );
    assert_eq!(ask(&w, &ben, &sara_id, "must").await["status"], "accepted");
}

/// A day of meeting slots 13:00-15:00 (20 minutes each) with a break at 14:00; the grid.
async fn grid(w: &World<'_>, event: &str) -> Value {
    w.organiser
        .expect(
            Method::POST,
            &format!("/api/events/{event}/slots/generate"),
            Some(
                json!({"date": "2027-03-11", "start": "13:00", "end": "15:00",
                        "slot_minutes": 20, "breaks": [{"start": "14:00", "end": "14:20"}]}),
            ),
            StatusCode::OK,
        )
        .await
}

#[tokio::test]
async fn pending_requests_hold_no_slot() {
    let app = TestApp::spawn().await;
    let w = World::new(&app).await;
    grid(&w, &w.event).await;
    let bea = w.buyer("Bea", "Stad Gent").await;
    let suppliers = crowd(&app, &w.event, "s", 12, Role::Supplier).await;
    let ids = participations(&app, &w.event).await;
    let mut made = Vec::new();
    for s in &suppliers {
        made.push(ask(&w, &bea, &ids[&person_id(s)], "must").await);
    }
    // Three of them accepted: meetings wanted, still no slot held.
    for (s, r) in suppliers.iter().zip(&made).take(3) {
        let (status, _) = act(&w, s, &id(r), "accept", None).await;
        assert_eq!(status, StatusCode::OK);
    }
    for who in [&bea, &suppliers[0], &suppliers[11]] {
        let availability = who.get(&w.path("/availability/me")).await;
        let slots = availability["slots"].as_array().unwrap();
        assert_eq!(slots.len(), 5, "five meeting slots, the break is none");
        assert!(
            slots.iter().all(|s| s["available"] == true
                && s["marked"] == false
                && s["session_id"].is_null()),
            "{availability}"
        );
        assert_eq!(availability["slot_ids"], json!([]));
    }
    assert_eq!(
        bea.get(&requests(&w)).await["sent"]
            .as_array()
            .unwrap()
            .len(),
        12
    );
}

#[tokio::test]
async fn availability_takes_the_event_s_meeting_slots_and_shows_what_sessions_block() {
    let app = TestApp::spawn().await;
    let w = World::new(&app).await;
    let slots = grid(&w, &w.event).await["slots"].clone();
    let slots = slots.as_array().unwrap();
    let meeting: Vec<String> = slots
        .iter()
        .filter(|s| s["kind"] == "meeting")
        .map(id)
        .collect();
    let pause = slots.iter().find(|s| s["kind"] == "break").map(id).unwrap();
    let other_event = w.other_event().await;
    let elsewhere = w
        .organiser
        .expect(
            Method::POST,
            &format!("/api/events/{other_event}/slots/generate"),
            Some(
                json!({"date": "2027-05-11", "start": "13:00", "end": "14:00",
                        "slot_minutes": 20, "breaks": []}),
            ),
            StatusCode::OK,
        )
        .await["slots"][0]["id"]
        .as_str()
        .unwrap()
        .to_string();
    let bea = w.buyer("Bea", "Stad Gent").await;
    let path = w.path("/availability/me");

    // Late arrival: the first two slots (the second named twice).
    let set = bea
        .expect(
            Method::PUT,
            &path,
            Some(json!({"slot_ids": [meeting[1], meeting[0], meeting[1]]})),
            StatusCode::OK,
        )
        .await;
    assert_eq!(set["slot_ids"], json!([meeting[0], meeting[1]]));
    let got = bea.get(&path).await;
    assert_eq!(got, set);
    let marks: Vec<(bool, bool)> = got["slots"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            (
                s["marked"].as_bool().unwrap(),
                s["available"].as_bool().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        marks,
        [
            (true, false),
            (true, false),
            (false, true),
            (false, true),
            (false, true)
        ]
    );
    assert_eq!(got["slots"][0]["start"], "13:00");
    assert_eq!(got["timezone"], "Europe/Brussels");

    // Not meeting slots of this event: each named, nothing changes.
    let unknown = Uuid::now_v7().to_string();
    let (status, body) = call(
        &bea,
        Method::PUT,
        &path,
        Some(json!({"slot_ids": [meeting[2], pause, unknown, elsewhere]})),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let fields: Vec<(String, String)> = body["error"]["details"]["fields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["field"].as_str().unwrap().into(),
                f["code"].as_str().unwrap().into(),
            )
        })
        .collect();
    assert_eq!(
        fields,
        [
            ("slot_ids[1]".to_string(), "not_a_meeting_slot".to_string()),
            ("slot_ids[2]".to_string(), "not_found".to_string()),
            ("slot_ids[3]".to_string(), "not_found".to_string()),
        ]
    );
    for bad in [
        json!({"slot_ids": "all"}),
        json!({}),
        json!({"slot_ids": ["x"]}),
    ] {
        let (status, _) = call(&bea, Method::PUT, &path, Some(bad)).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    }
    assert_eq!(
        bea.get(&path).await["slot_ids"],
        json!([meeting[0], meeting[1]])
    );

    // A confirmed seat in a session blocks the slots it overlaps, shown as such.
    let session = w
        .organiser
        .expect(
            Method::POST,
            &w.path("/sessions"),
            Some(
                json!({"kind": "market_dialogue", "title_nl": "Meubilair", "title_en": "Furniture",
                        "date": "2027-03-11", "start": "13:30", "end": "14:30", "capacity": 10}),
            ),
            StatusCode::CREATED,
        )
        .await;
    bea.expect(
        Method::PUT,
        &w.path(&format!("/sessions/{}/signup", id(&session))),
        None,
        StatusCode::OK,
    )
    .await;
    let cleared = bea
        .expect(
            Method::PUT,
            &path,
            Some(json!({"slot_ids": []})),
            StatusCode::OK,
        )
        .await;
    assert_eq!(cleared["slot_ids"], json!([]));
    let states: Vec<(bool, Value)> = cleared["slots"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| (s["available"].as_bool().unwrap(), s["session_id"].clone()))
        .collect();
    assert_eq!(
        states,
        [
            (true, Value::Null),
            (false, session["id"].clone()),
            (false, session["id"].clone()),
            (false, session["id"].clone()),
            (true, Value::Null)
        ],
        "13:20, 13:40 and 14:20 overlap 13:30-14:30; the break is no meeting slot"
    );

    // Nobody else's: a platform admin who does not take part, outsiders.
    let (status, _) = call(&w.organiser, Method::GET, &path, None).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let outsider = crate::helpers::invite(
        &app,
        &w.organiser,
        &other_event,
        json!({"name": "Otto", "email": "otto@example.org", "role": "buyer"}),
    )
    .await;
    for (method, body) in [
        (Method::GET, None),
        (Method::PUT, Some(json!({"slot_ids": []}))),
    ] {
        let (status, _) = call(&outsider, method, &path, body).await;
        assert_eq!(status, StatusCode::NOT_FOUND);
    }
}

/// Everyone's answers in order of asking, half of them through a second instance on
/// PostgreSQL; each answer's status and body.
async fn all_at_once(
    calls: Vec<(Session, Method, String, Option<Value>)>,
) -> Vec<(StatusCode, Value)> {
    join_all(
        calls
            .into_iter()
            .map(|(s, method, path, body)| async move { call(&s, method, &path, body).await }),
    )
    .await
}

#[tokio::test]
async fn accept_and_withdraw_of_one_request_at_once_exactly_one_takes_it() {
    let _ = tracing_subscriber::fmt()
        .with_env_filter("error")
        .try_init();
    let app = TestApp::spawn().await;
    let second = second_instance(&app).await;
    let w = World::new(&app).await;
    let sara = &crowd(&app, &w.event, "sara", 1, Role::Supplier).await[0];
    let buyers = crowd(&app, &w.event, "b", 12, Role::Buyer).await;
    let ids = participations(&app, &w.event).await;
    let mut made = Vec::new();
    for b in &buyers {
        made.push(id(&ask(&w, b, &ids[&person_id(sara)], "must").await));
    }

    // For every request at once: three accepts by Sara, three withdrawals by the buyer.
    let mut calls = Vec::new();
    for (i, (b, r)) in buyers.iter().zip(&made).enumerate() {
        for k in 0..3 {
            let via = |s: &Session| {
                if (i + k).is_multiple_of(2) {
                    s.clone()
                } else {
                    on(&second, s)
                }
            };
            calls.push((via(sara), Method::POST, request_path(&w, r, "accept"), None));
            calls.push((via(b), Method::POST, request_path(&w, r, "withdraw"), None));
        }
    }
    let answers = all_at_once(calls).await;
    let mut accepted_first = 0;
    for (r, answers) in made.iter().zip(answers.chunks(6)) {
        let accepts: Vec<&(StatusCode, Value)> = answers.iter().step_by(2).collect();
        let withdrawals: Vec<&(StatusCode, Value)> = answers.iter().skip(1).step_by(2).collect();
        for (status, body) in answers {
            assert!(
                *status == StatusCode::OK || *status == StatusCode::CONFLICT,
                "{r}: {status} {body}"
            );
        }
        let won: Vec<&Value> = accepts
            .iter()
            .filter(|(s, _)| *s == StatusCode::OK)
            .map(|(_, b)| b)
            .collect();
        let withdrew: Vec<&Value> = withdrawals
            .iter()
            .filter(|(s, _)| *s == StatusCode::OK)
            .map(|(_, b)| b)
            .collect();
        assert_eq!(withdrew.len(), 1, "{r}: one withdrawal takes effect");
        assert!(won.len() <= 1, "{r}: at most one acceptance");
        let withdrawn = withdrew[0];
        assert_eq!(withdrawn["status"], "withdrawn");
        if won.is_empty() {
            // The withdrawal took the pending request: every acceptance found it withdrawn.
            assert!(withdrawn["answered_at"].is_null());
            for (_, body) in &accepts {
                assert_eq!(body["error"]["code"], "request_not_pending");
                assert_eq!(body["error"]["details"]["status"], "withdrawn");
            }
        } else {
            // The acceptance took it; the withdrawal then withdrew an accepted meeting.
            accepted_first += 1;
            assert_eq!(won[0]["status"], "accepted");
            assert!(withdrawn["answered_at"].is_string());
        }
        for (status, body) in &withdrawals {
            if *status == StatusCode::CONFLICT {
                assert_eq!(body["error"]["code"], "request_not_withdrawable");
            }
        }
    }
    // Everything is withdrawn, and the counters say so.
    let event: Uuid = w.event.parse().unwrap();
    let rows = meeting_request::Entity::find()
        .filter(meeting_request::Column::EventId.eq(event))
        .all(&app.state.db)
        .await
        .unwrap();
    assert_eq!(rows.len(), 12);
    assert!(
        rows.iter()
            .all(|r| r.status == MeetingRequestStatus::Withdrawn)
    );
    let saras = sara.get(&requests(&w)).await;
    assert_eq!(saras["counts"]["meetings"], 0);
    for b in &buyers {
        let counts = b.get(&requests(&w)).await["counts"].clone();
        assert_eq!(counts["requests_sent"], 0);
        assert_eq!(counts["meetings"], 0);
    }
    // Sara heard by email of each request, and of each withdrawal of an accepted meeting.
    let sara_email = sara.me["email"].as_str().unwrap().to_string();
    let wanted = 12 + accepted_first;
    let mut mails = Vec::new();
    for _ in 0..200 {
        // Both instances write mail into their one data directory.
        mails = app.mails();
        mails.retain(|m| m.to.contains(&sara_email));
        if mails.len() >= wanted {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    assert_eq!(mails.len(), wanted);
    assert_eq!(
        mails
            .iter()
            .filter(|m| m.subject.contains("withdrew") || m.subject.contains("trok"))
            .count(),
        accepted_first
    );
}

#[tokio::test]
async fn limits_and_one_request_per_pair_hold_under_a_burst() {
    let _ = tracing_subscriber::fmt()
        .with_env_filter("error")
        .try_init();
    let app = TestApp::spawn().await;
    let second = second_instance(&app).await;
    let w = World::new(&app).await;
    set_rules(
        &w,
        json!({"max_requests_sent": 5, "max_meetings": {"supplier": 3}}),
    )
    .await;
    let suppliers = crowd(&app, &w.event, "s", 20, Role::Supplier).await;
    let buyers = crowd(&app, &w.event, "b", 12, Role::Buyer).await;
    let ids = participations(&app, &w.event).await;
    let pid_of = |s: &Session| ids[&person_id(s)].clone();
    let via = |i: usize, s: &Session| {
        if i.is_multiple_of(2) {
            s.clone()
        } else {
            on(&second, s)
        }
    };
    let body = |to: String| Some(json!({"participant_id": to, "priority": "must"}));

    // One buyer asks twenty suppliers at once: five requests are made.
    let answers = all_at_once(
        suppliers
            .iter()
            .enumerate()
            .map(|(i, s)| {
                (
                    via(i, &buyers[0]),
                    Method::POST,
                    requests(&w),
                    body(pid_of(s)),
                )
            })
            .collect(),
    )
    .await;
    let made = answers
        .iter()
        .filter(|(s, _)| *s == StatusCode::CREATED)
        .count();
    assert_eq!(made, 5, "{answers:?}");
    for (status, body) in &answers {
        if *status != StatusCode::CREATED {
            assert_eq!(*status, StatusCode::CONFLICT, "{body}");
            assert_eq!(body["error"]["code"], "request_limit_reached");
        }
    }
    assert_eq!(
        buyers[0].get(&requests(&w)).await["counts"]["requests_sent"],
        5
    );

    // Ten buyers ask one supplier, who accepts all ten at once: three meetings.
    let target = &suppliers[19];
    let mut asked = Vec::new();
    for b in &buyers[1..11] {
        asked.push(id(&ask(&w, b, &pid_of(target), "would_like").await));
    }
    let answers = all_at_once(
        asked
            .iter()
            .enumerate()
            .map(|(i, r)| {
                (
                    via(i, target),
                    Method::POST,
                    request_path(&w, r, "accept"),
                    None,
                )
            })
            .collect(),
    )
    .await;
    let accepted = answers.iter().filter(|(s, _)| *s == StatusCode::OK).count();
    assert_eq!(accepted, 3, "{answers:?}");
    for (status, body) in &answers {
        if *status != StatusCode::OK {
            assert_eq!(body["error"]["code"], "meeting_limit_reached", "{body}");
            assert_eq!(body["error"]["details"]["whose"], "mine");
        }
    }
    let theirs = target.get(&requests(&w)).await;
    assert_eq!(theirs["counts"]["meetings"], 3);
    assert_eq!(
        theirs["received"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|r| r["status"] == "accepted")
            .count(),
        3
    );

    // A pair asking each other eight times each way at once: one request.
    let (b, s) = (&buyers[11], &suppliers[18]);
    let mut calls = Vec::new();
    for i in 0..8 {
        calls.push((via(i, b), Method::POST, requests(&w), body(pid_of(s))));
        calls.push((via(i + 1, s), Method::POST, requests(&w), body(pid_of(b))));
    }
    let answers = all_at_once(calls).await;
    assert_eq!(
        answers
            .iter()
            .filter(|(s, _)| *s == StatusCode::CREATED)
            .count(),
        1,
        "{answers:?}"
    );
    assert!(
        answers
            .iter()
            .filter(|(s, _)| *s != StatusCode::CREATED)
            .all(|(s, b)| *s == StatusCode::CONFLICT && b["error"]["code"] == "request_exists")
    );
    let pair: Vec<Uuid> = [pid_of(b), pid_of(s)]
        .iter()
        .map(|i| i.parse().unwrap())
        .collect();
    let rows = meeting_request::Entity::find()
        .filter(meeting_request::Column::RequesterId.is_in(pair.clone()))
        .filter(meeting_request::Column::RecipientId.is_in(pair))
        .all(&app.state.db)
        .await
        .unwrap();
    assert_eq!(rows.len(), 1);
}

#[tokio::test]
async fn the_other_side_hears_live_and_nobody_else_does() {
    let app = TestApp::spawn().await;
    let w = World::new(&app).await;
    let bea = w.buyer("Bea", "Stad Gent").await;
    let sara = w.supplier("Sara", "ReMeubel").await;
    let tom = w.supplier("Tom", "Tafels").await;
    let carl = w.buyer("Carl", "Provincie").await;
    let mut beas = connect(&app, &w.event, Some(&bea.cookie), "")
        .await
        .unwrap();
    let mut saras = connect(&app, &w.event, Some(&sara.cookie), "")
        .await
        .unwrap();
    let mut carls = connect(&app, &w.event, Some(&carl.cookie), "")
        .await
        .unwrap();
    for socket in [&mut beas, &mut saras, &mut carls] {
        assert_eq!(next(socket).await.unwrap()["type"], "hello");
    }

    let made = ask(&w, &bea, &pid(&w, "Sara", "ReMeubel").await, "must").await;
    let got = next(&mut saras).await.unwrap();
    assert_eq!(got["type"], "meeting_request_received");
    assert_eq!(got["payload"]["id"], made["id"]);
    assert_eq!(got["payload"]["direction"], "received");
    assert_eq!(got["payload"]["status"], "pending");
    assert_eq!(got["payload"]["other"]["name"], "Bea");
    assert_eq!(got["payload"]["priority"], "must");

    act(
        &w,
        &sara,
        &id(&made),
        "accept",
        Some(json!({"priority": "must"})),
    )
    .await;
    let got = next(&mut beas).await.unwrap();
    assert_eq!(got["type"], "meeting_request_accepted");
    assert_eq!(got["payload"]["direction"], "sent");
    assert_eq!(got["payload"]["status"], "accepted");
    assert_eq!(got["payload"]["other"]["name"], "Sara");

    act(&w, &bea, &id(&made), "withdraw", None).await;
    let got = next(&mut saras).await.unwrap();
    assert_eq!(got["type"], "meeting_request_withdrawn");
    assert_eq!(got["payload"]["status"], "withdrawn");

    let to_tom = ask(&w, &bea, &pid(&w, "Tom", "Tafels").await, "if_time").await;
    act(
        &w,
        &tom,
        &id(&to_tom),
        "decline",
        Some(json!({"reason": "Vol."})),
    )
    .await;
    let got = next(&mut beas).await.unwrap();
    assert_eq!(got["type"], "meeting_request_declined");
    assert_eq!(got["payload"]["decline_reason"], "Vol.");

    // Carl saw none of it: the next thing he gets is an announcement to everyone.
    crate::live::announce(
        &w.organiser,
        &w.event,
        json!({"body_en": "Coffee is ready", "audience": "everyone"}),
    )
    .await;
    assert_eq!(next(&mut carls).await.unwrap()["type"], "announcement");
}
