//! The programme: sessions, sign-ups with a waitlist under concurrency, per-role seats,
//! opening and closing, overlaps, organisers' overrides, the agenda and who may not.

use std::collections::HashSet;

use futures_util::future::join_all;
use matchfloor::domain::Role;
use matchfloor::entities::session_signup;
use reqwest::{Method, StatusCode};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use serde_json::{Value, json};
use uuid::Uuid;

use crate::helpers::{Session, TestApp, crowd, on, second_instance};

/// An event (11 March 2027, Brussels time) with its admin as organiser.
async fn event(app: &TestApp) -> (Session, String) {
    let (admin, event) = app.admin_with_event().await;
    (admin, event["id"].as_str().unwrap().to_string())
}

/// Invites someone over HTTP and logs them in with the invitation link.
async fn invite(
    app: &TestApp,
    organiser: &Session,
    event: &str,
    name: &str,
    email: &str,
    role: &str,
) -> Session {
    organiser
        .expect(
            Method::POST,
            &format!("/api/events/{event}/participants"),
            Some(json!({"name": name, "email": email, "role": role})),
            StatusCode::CREATED,
        )
        .await;
    app.confirm(&app.wait_for_link(email, 1).await).await
}

fn person_id(s: &Session) -> String {
    s.me["id"].as_str().unwrap().to_string()
}

async fn create_session(organiser: &Session, event: &str, body: Value) -> Value {
    organiser
        .expect(
            Method::POST,
            &format!("/api/events/{event}/sessions"),
            Some(body),
            StatusCode::CREATED,
        )
        .await
}

fn dialogue(title: &str, start: &str, end: &str, capacity: i64) -> Value {
    json!({
        "kind": "market_dialogue",
        "title_nl": format!("{title} (NL)"),
        "title_en": title,
        "date": "2027-03-11",
        "start": start,
        "end": end,
        "capacity": capacity,
    })
}

fn signup_path(event: &str, session: &Value) -> String {
    format!(
        "/api/events/{event}/sessions/{}/signup",
        session["id"].as_str().unwrap()
    )
}

async fn sign_up(s: &Session, event: &str, session: &Value) -> Value {
    s.expect(
        Method::PUT,
        &signup_path(event, session),
        None,
        StatusCode::OK,
    )
    .await
}

async fn error_code(
    s: &Session,
    method: Method,
    path: &str,
    body: Option<Value>,
) -> (StatusCode, Value) {
    let response = s.send(method, path, body).await;
    let status = response.status();
    let body: Value = response.json().await.unwrap_or(Value::Null);
    (status, body)
}

async fn signup_rows(app: &TestApp, session: &Value) -> Vec<session_signup::Model> {
    let id: Uuid = session["id"].as_str().unwrap().parse().unwrap();
    session_signup::Entity::find()
        .filter(session_signup::Column::SessionId.eq(id))
        .all(&app.state.db)
        .await
        .unwrap()
}

#[tokio::test]
async fn organisers_build_the_programme_and_participants_read_it() {
    let app = TestApp::spawn().await;
    let (admin, event) = event(&app).await;
    let room = admin
        .expect(
            Method::POST,
            &format!("/api/events/{event}/rooms"),
            Some(json!({"name": "Zaal Schelde", "capacity": 40})),
            StatusCode::CREATED,
        )
        .await;
    let moderator = invite(
        &app,
        &admin,
        &event,
        "Mona Moderator",
        "mona@agency.example",
        "facilitator",
    )
    .await;
    let buyer = invite(
        &app,
        &admin,
        &event,
        "Bram Buyer",
        "bram@city.example",
        "buyer",
    )
    .await;

    let mut body = dialogue("Office furniture", "14:00", "15:00", 20);
    body["description_en"] = json!("Reuse, refurbishment\nand furniture as a service.");
    body["product_group"] = json!("office-furniture");
    body["themes"] = json!(["product-as-a-service", "refurbished-or-new"]);
    body["room_id"] = room["id"].clone();
    body["role_capacity"] = json!({"buyer": 15, "supplier": 5});
    body["facilitators"] = json!([person_id(&moderator)]);
    let created = create_session(&admin, &event, body).await;
    assert_eq!(created["kind"], "market_dialogue");
    assert_eq!(created["start"], "14:00");
    assert_eq!(created["starts_at"], "2027-03-11T13:00:00Z");
    assert_eq!(created["capacity"], 20);
    assert_eq!(created["confirmed_count"], 0);
    assert_eq!(created["waitlist_count"], 0);
    assert_eq!(
        created["role_capacity"],
        json!({"buyer": 15, "supplier": 5})
    );
    assert_eq!(
        created["product_group"]["name_en"],
        "Office interiors and furniture"
    );
    assert_eq!(created["themes"][1]["code"], "refurbished-or-new");
    assert_eq!(created["room"]["name"], "Zaal Schelde");
    assert_eq!(created["facilitators"][0]["name"], "Mona Moderator");
    assert_eq!(created["signup_window"], "open");

    // A plenary earlier the same day; the list comes in time order.
    let plenary = create_session(
        &admin,
        &event,
        json!({"kind": "plenary", "title_nl": "Opening", "title_en": "Opening", "date": "2027-03-11",
               "start": "13:00", "end": "13:30", "capacity": 200}),
    )
    .await;
    let list = buyer.get(&format!("/api/events/{event}/sessions")).await;
    let ids: Vec<&str> = list["sessions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["id"].as_str().unwrap())
        .collect();
    assert_eq!(
        ids,
        [
            plenary["id"].as_str().unwrap(),
            created["id"].as_str().unwrap()
        ]
    );
    assert_eq!(list["rooms"][0]["name"], "Zaal Schelde");
    assert_eq!(list["timezone"], "Europe/Brussels");
    assert!(list["sessions"][0]["my_signup"].is_null());
    let only = buyer
        .get(&format!("/api/events/{event}/sessions?kind=plenary"))
        .await;
    assert_eq!(only["sessions"].as_array().unwrap().len(), 1);

    // Changes: a field left out stays; an empty string clears.
    let path = format!(
        "/api/events/{event}/sessions/{}",
        created["id"].as_str().unwrap()
    );
    let changed = admin
        .expect(
            Method::PATCH,
            &path,
            Some(
                json!({"title_en": "Office furniture as a service", "room_id": "", "end": "15:30"}),
            ),
            StatusCode::OK,
        )
        .await;
    assert_eq!(changed["title_en"], "Office furniture as a service");
    assert_eq!(changed["title_nl"], "Office furniture (NL)");
    assert!(changed["room"].is_null());
    assert_eq!(changed["end"], "15:30");
    assert_eq!(buyer.get(&path).await["end"], "15:30");

    // Bad input: every problem named.
    let (status, body) = error_code(
        &admin,
        Method::POST,
        &format!("/api/events/{event}/sessions"),
        Some(json!({"kind": "market_dialogue", "title_nl": "A\nB", "title_en": "", "date": "2027-04-01",
                    "start": "25:00", "end": "14:00", "capacity": -1, "product_group": "rockets",
                    "themes": ["nope"], "room_id": "x", "role_capacity": {"buyer": 50},
                    "facilitators": [person_id(&buyer)], "signup_opens_at": "tomorrow"})),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    let fields: HashSet<String> = body["error"]["details"]["fields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            format!(
                "{}:{}",
                f["field"].as_str().unwrap(),
                f["code"].as_str().unwrap()
            )
        })
        .collect();
    for expected in [
        "title_nl:control_character",
        "title_en:required",
        "date:out_of_range",
        "start:invalid_time",
        "capacity:out_of_range",
        "product_group:unknown_term",
        "themes[0]:unknown_term",
        "room_id:not_found",
        "facilitators:not_facilitator",
        "signup_opens_at:invalid_datetime",
    ] {
        assert!(fields.contains(expected), "{expected} in {fields:?}");
    }
    let (status, body) = error_code(
        &admin,
        Method::POST,
        &format!("/api/events/{event}/sessions"),
        Some(json!({"kind": "talk", "title_nl": "x", "title_en": "x"})),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");

    // Deleting removes it for everyone.
    let plenary_path = format!(
        "/api/events/{event}/sessions/{}",
        plenary["id"].as_str().unwrap()
    );
    admin
        .expect(Method::DELETE, &plenary_path, None, StatusCode::NO_CONTENT)
        .await;
    buyer
        .expect(Method::GET, &plenary_path, None, StatusCode::NOT_FOUND)
        .await;
}

#[tokio::test]
async fn a_pitch_session_has_a_timed_line_up_of_suppliers_of_the_event() {
    let app = TestApp::spawn().await;
    let (admin, event) = event(&app).await;
    let mut organisations = Vec::new();
    for (name, email, organisation) in [
        ("Sara", "sara@desks.example", "Circular Desks"),
        ("Tom", "tom@light.example", "Light as a Service"),
    ] {
        admin
            .expect(
                Method::POST,
                &format!("/api/events/{event}/participants"),
                Some(json!({"name": name, "email": email, "role": "supplier", "organisation": organisation})),
                StatusCode::CREATED,
            )
            .await;
        let s = app.confirm(&app.wait_for_link(email, 1).await).await;
        organisations.push(s.me["organisation_id"].as_str().unwrap().to_string());
    }
    let pitch = create_session(
        &admin,
        &event,
        json!({"kind": "pitch", "title_nl": "Pitches", "title_en": "Pitches", "date": "2027-03-11",
               "start": "15:00", "end": "15:30", "capacity": 60,
               "lineup": [{"organisation_id": organisations[1], "minutes": 7},
                          {"organisation_id": organisations[0], "minutes": 8}]}),
    )
    .await;
    let lineup = pitch["lineup"].as_array().unwrap();
    assert_eq!(lineup.len(), 2);
    assert_eq!(lineup[0]["organisation"], "Light as a Service");
    assert_eq!(
        (lineup[0]["start"].as_str(), lineup[0]["end"].as_str()),
        (Some("15:00"), Some("15:07"))
    );
    assert_eq!(
        (lineup[1]["start"].as_str(), lineup[1]["end"].as_str()),
        (Some("15:07"), Some("15:15"))
    );

    let path = format!(
        "/api/events/{event}/sessions/{}",
        pitch["id"].as_str().unwrap()
    );
    // Longer than the session, an organisation twice, one from outside the event.
    let (status, body) = error_code(
        &admin,
        Method::PATCH,
        &path,
        Some(
            json!({"lineup": [{"organisation_id": organisations[0], "minutes": 20},
                               {"organisation_id": organisations[0], "minutes": 20},
                               {"organisation_id": Uuid::now_v7(), "minutes": 5}]}),
        ),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let text = body.to_string();
    for code in ["duplicate", "not_in_event", "too_long"] {
        assert!(text.contains(code), "{code}: {text}");
    }
    // Only pitch sessions have a line-up.
    let (status, body) = error_code(
        &admin,
        Method::PATCH,
        &path,
        Some(json!({"kind": "plenary"})),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(body["error"]["details"]["fields"][0]["field"], "lineup");
}

#[tokio::test]
async fn a_full_session_puts_people_on_the_waitlist_and_a_freed_seat_goes_to_the_first() {
    let app = TestApp::spawn().await;
    let (admin, event) = event(&app).await;
    let people = crowd(&app, &event, "p", 4, Role::Buyer).await;
    let session = create_session(&admin, &event, dialogue("Lighting", "14:00", "15:00", 2)).await;

    let answers: Vec<Value> = {
        let mut out = Vec::new();
        for p in &people {
            out.push(sign_up(p, &event, &session).await);
        }
        out
    };
    assert_eq!(answers[0]["status"], "confirmed");
    assert!(answers[0]["waitlist_position"].is_null());
    assert_eq!(answers[1]["status"], "confirmed");
    assert_eq!(answers[2]["status"], "waitlisted");
    assert_eq!(answers[2]["waitlist_position"], 1);
    assert_eq!(answers[3]["waitlist_position"], 2);
    // Asking again changes nothing.
    let again = sign_up(&people[2], &event, &session).await;
    assert_eq!(
        (
            again["status"].as_str(),
            again["waitlist_position"].as_i64()
        ),
        (Some("waitlisted"), Some(1))
    );
    assert_eq!(signup_rows(&app, &session).await.len(), 4);

    let view = people[3]
        .get(&format!(
            "/api/events/{event}/sessions/{}",
            session["id"].as_str().unwrap()
        ))
        .await;
    assert_eq!(view["confirmed_count"], 2);
    assert_eq!(view["waitlist_count"], 2);
    assert_eq!(view["seats_left"], 0);
    assert_eq!(
        view["my_signup"],
        json!({"status": "waitlisted", "waitlist_position": 2})
    );

    // The first confirmed cancels: the first on the waitlist gets the seat, the second
    // moves up.
    people[0]
        .expect(
            Method::DELETE,
            &signup_path(&event, &session),
            None,
            StatusCode::NO_CONTENT,
        )
        .await;
    let promoted = people[2]
        .get(&format!("/api/events/{event}/agenda/me"))
        .await;
    assert_eq!(promoted["sessions"][0]["my_signup"]["status"], "confirmed");
    let next = people[3]
        .get(&format!("/api/events/{event}/agenda/me"))
        .await;
    assert_eq!(
        next["sessions"][0]["my_signup"],
        json!({"status": "waitlisted", "waitlist_position": 1})
    );
    // Told by email, in their language (person 2 reads Dutch): first the place on the
    // waitlist, then the seat.
    let mails = app.wait_for_mails("p0002@crowd.example", 2).await;
    let subjects: Vec<&str> = mails.iter().map(|m| m.subject.as_str()).collect();
    assert!(
        subjects.contains(&"Op de wachtlijst: Lighting (NL)"),
        "{subjects:?}"
    );
    let seat = mails
        .iter()
        .find(|m| m.subject.contains("Je hebt een plaats"))
        .unwrap_or_else(|| panic!("{subjects:?}"));
    assert!(seat.body.contains("Lighting (NL)"), "{}", seat.body);
    // Cancelling twice: nothing left to cancel.
    people[0]
        .expect(
            Method::DELETE,
            &signup_path(&event, &session),
            None,
            StatusCode::NOT_FOUND,
        )
        .await;
    // Leaving the waitlist frees no seat.
    people[3]
        .expect(
            Method::DELETE,
            &signup_path(&event, &session),
            None,
            StatusCode::NO_CONTENT,
        )
        .await;
    let rows = signup_rows(&app, &session).await;
    assert_eq!(rows.len(), 2);
    assert!(
        rows.iter()
            .all(|r| r.status == matchfloor::domain::SignupStatus::Confirmed)
    );
}

#[tokio::test]
async fn two_hundred_at_once_for_thirty_seats_then_ten_cancel_at_once() {
    // A refused request's cause shows in the test output.
    let _ = tracing_subscriber::fmt()
        .with_env_filter("error")
        .try_init();
    let app = TestApp::spawn().await;
    let second = second_instance(&app).await;
    let (admin, event) = event(&app).await;
    let people = crowd(&app, &event, "r", 200, Role::Buyer).await;
    let session = create_session(&admin, &event, dialogue("Textiles", "14:00", "15:00", 30)).await;
    let path = signup_path(&event, &session);

    // Everyone at once, half of them through the other instance.
    let answers = join_all(people.iter().enumerate().map(|(i, p)| {
        let p = if i % 2 == 1 {
            on(&second, p)
        } else {
            p.clone()
        };
        let path = path.clone();
        async move {
            let response = p.send(Method::PUT, &path, None).await;
            let status = response.status();
            let body: Value = response.json().await.unwrap();
            assert_eq!(status, StatusCode::OK, "{body}");
            body
        }
    }))
    .await;
    let confirmed = answers
        .iter()
        .filter(|a| a["status"] == "confirmed")
        .count();
    let mut positions: Vec<i64> = answers
        .iter()
        .filter(|a| a["status"] == "waitlisted")
        .map(|a| a["waitlist_position"].as_i64().unwrap())
        .collect();
    positions.sort();
    assert_eq!(confirmed, 30);
    assert_eq!(positions, (1..=170).collect::<Vec<i64>>());

    // The database agrees: one row per person, 30 seats, and waitlist numbers that give
    // each the place they were told.
    let rows = signup_rows(&app, &session).await;
    assert_eq!(rows.len(), 200);
    assert_eq!(
        rows.iter()
            .map(|r| r.person_id)
            .collect::<HashSet<_>>()
            .len(),
        200
    );
    let mut waiting: Vec<&session_signup::Model> = rows
        .iter()
        .filter(|r| r.status == matchfloor::domain::SignupStatus::Waitlisted)
        .collect();
    waiting.sort_by_key(|r| r.waitlist_seq);
    assert_eq!(waiting.len(), 170);
    for (place, row) in waiting.iter().enumerate() {
        let who = people
            .iter()
            .position(|p| person_id(p) == row.person_id.to_string())
            .unwrap();
        assert_eq!(answers[who]["waitlist_position"], place as i64 + 1);
    }
    let view = admin
        .get(&format!(
            "/api/events/{event}/sessions/{}",
            session["id"].as_str().unwrap()
        ))
        .await;
    assert_eq!(
        (
            view["confirmed_count"].as_i64(),
            view["waitlist_count"].as_i64()
        ),
        (Some(30), Some(170))
    );

    // Ten confirmed cancel at once: exactly the first ten on the waitlist move up, once each.
    let leaving: Vec<&Session> = people
        .iter()
        .zip(&answers)
        .filter(|(_, a)| a["status"] == "confirmed")
        .map(|(p, _)| p)
        .take(10)
        .collect();
    let statuses = join_all(leaving.iter().enumerate().map(|(i, p)| {
        let p = if i % 2 == 1 {
            on(&second, p)
        } else {
            (*p).clone()
        };
        let path = path.clone();
        async move { p.send(Method::DELETE, &path, None).await.status() }
    }))
    .await;
    assert!(
        statuses.iter().all(|s| *s == StatusCode::NO_CONTENT),
        "{statuses:?}"
    );
    let first_ten: HashSet<Uuid> = waiting.iter().take(10).map(|r| r.person_id).collect();
    let rows = signup_rows(&app, &session).await;
    let now_confirmed: HashSet<Uuid> = rows
        .iter()
        .filter(|r| r.status == matchfloor::domain::SignupStatus::Confirmed)
        .map(|r| r.person_id)
        .collect();
    assert_eq!(rows.len(), 190);
    assert_eq!(now_confirmed.len(), 30);
    assert!(
        first_ten.is_subset(&now_confirmed),
        "the first ten on the waitlist have seats"
    );
    let log = admin
        .get(&format!(
            "/api/events/{event}/sessions/{}/log",
            session["id"].as_str().unwrap()
        ))
        .await;
    let promoted: Vec<Uuid> = log["entries"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["action"] == "promoted")
        .map(|e| e["person_id"].as_str().unwrap().parse().unwrap())
        .collect();
    assert_eq!(promoted.len(), 10, "each promoted once");
    assert_eq!(promoted.iter().copied().collect::<HashSet<_>>(), first_ten);
    // The rest keep their order, now from 1 to 160.
    let eleventh = people
        .iter()
        .find(|p| person_id(p) == waiting[10].person_id.to_string())
        .unwrap();
    let agenda = eleventh
        .get(&format!("/api/events/{event}/agenda/me"))
        .await;
    assert_eq!(agenda["sessions"][0]["my_signup"]["waitlist_position"], 1);
    let view = admin
        .get(&format!(
            "/api/events/{event}/sessions/{}",
            session["id"].as_str().unwrap()
        ))
        .await;
    assert_eq!(
        (
            view["confirmed_count"].as_i64(),
            view["waitlist_count"].as_i64()
        ),
        (Some(30), Some(160))
    );
    // Each promoted person gets one email (from whichever instance's worker sent it).
    let emails: Vec<String> = first_ten
        .iter()
        .map(|id| {
            let who = people
                .iter()
                .find(|p| person_id(p) == id.to_string())
                .unwrap();
            who.me["email"].as_str().unwrap().to_string()
        })
        .collect();
    let mut delivered = Vec::new();
    for _ in 0..400 {
        // Both instances write mail into their one data directory.
        delivered = app.mails();
        if delivered.len() >= 210 {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    // Every sign-up is confirmed by email (a seat or a waitlist place), and every promotion.
    assert_eq!(
        delivered.len(),
        210,
        "one email per sign-up and per promotion"
    );
    let seat = |m: &&crate::helpers::Mail| {
        m.subject.starts_with("Je hebt een plaats") || m.subject.starts_with("You have a seat")
    };
    let delivered: Vec<_> = delivered.iter().filter(seat).collect();
    assert_eq!(delivered.len(), 10, "one email per promotion");
    for email in &emails {
        assert_eq!(
            delivered
                .iter()
                .filter(|m| m.to.contains(email.as_str()))
                .count(),
            1,
            "{email}"
        );
    }
    if let Some(second) = second {
        second.stop().await;
    }
}

async fn agenda_status(s: &Session, event: &str, session: &Value) -> Value {
    let agenda = s.get(&format!("/api/events/{event}/agenda/me")).await;
    agenda["sessions"]
        .as_array()
        .unwrap()
        .iter()
        .find(|x| x["id"] == session["id"])
        .map(|x| x["my_signup"].clone())
        .unwrap_or(Value::Null)
}

#[tokio::test]
async fn seats_per_role_are_kept_and_a_freed_seat_skips_whoever_does_not_fit_it() {
    let app = TestApp::spawn().await;
    let (admin, event) = event(&app).await;
    let buyers = crowd(&app, &event, "b", 3, Role::Buyer).await;
    let suppliers = crowd(&app, &event, "s", 2, Role::Supplier).await;
    let mut body = dialogue("Construction", "14:00", "15:00", 3);
    body["role_capacity"] = json!({"buyer": 2, "supplier": 1});
    let session = create_session(&admin, &event, body).await;

    let statuses = [
        sign_up(&buyers[0], &event, &session).await,
        sign_up(&buyers[1], &event, &session).await,
        sign_up(&buyers[2], &event, &session).await,
        sign_up(&suppliers[0], &event, &session).await,
        sign_up(&suppliers[1], &event, &session).await,
    ];
    let got: Vec<(&str, Option<i64>)> = statuses
        .iter()
        .map(|s| {
            (
                s["status"].as_str().unwrap(),
                s["waitlist_position"].as_i64(),
            )
        })
        .collect();
    assert_eq!(
        got,
        [
            ("confirmed", None),
            ("confirmed", None),
            ("waitlisted", Some(1)),
            ("confirmed", None),
            ("waitlisted", Some(2))
        ]
    );
    let view = admin
        .get(&format!(
            "/api/events/{event}/sessions/{}",
            session["id"].as_str().unwrap()
        ))
        .await;
    assert_eq!(
        view["confirmed_by_role"],
        json!({"buyer": 2, "supplier": 1})
    );

    // The supplier's seat frees: the buyer first in line does not fit it, the supplier does.
    suppliers[0]
        .expect(
            Method::DELETE,
            &signup_path(&event, &session),
            None,
            StatusCode::NO_CONTENT,
        )
        .await;
    assert_eq!(
        agenda_status(&suppliers[1], &event, &session).await["status"],
        "confirmed"
    );
    assert_eq!(
        agenda_status(&buyers[2], &event, &session).await,
        json!({"status": "waitlisted", "waitlist_position": 1})
    );
    // A buyer's seat frees: the buyer moves up.
    buyers[0]
        .expect(
            Method::DELETE,
            &signup_path(&event, &session),
            None,
            StatusCode::NO_CONTENT,
        )
        .await;
    assert_eq!(
        agenda_status(&buyers[2], &event, &session).await["status"],
        "confirmed"
    );

    // Lifting the limits and adding seats hands them out at once.
    let more = crowd(&app, &event, "m", 2, Role::Buyer).await;
    for p in &more {
        assert_eq!(sign_up(p, &event, &session).await["status"], "waitlisted");
    }
    let changed = admin
        .expect(
            Method::PATCH,
            &format!(
                "/api/events/{event}/sessions/{}",
                session["id"].as_str().unwrap()
            ),
            Some(json!({"capacity": 5, "role_capacity": {}})),
            StatusCode::OK,
        )
        .await;
    assert_eq!(changed["confirmed_count"], 5);
    assert_eq!(changed["waitlist_count"], 0);
    assert_eq!(changed["role_capacity"], json!({}));
    // A role's seats cannot exceed the total.
    let (status, body) = error_code(
        &admin,
        Method::PATCH,
        &format!(
            "/api/events/{event}/sessions/{}",
            session["id"].as_str().unwrap()
        ),
        Some(json!({"role_capacity": {"supplier": 9}})),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
}

#[tokio::test]
async fn sign_up_opens_and_closes_at_the_times_set() {
    let app = TestApp::spawn().await;
    let (admin, event) = event(&app).await;
    let people = crowd(&app, &event, "t", 2, Role::Buyer).await;
    let mut body = dialogue("ICT", "14:00", "15:00", 10);
    body["signup_opens_at"] = json!("2027-03-01T09:00:00+01:00");
    let session = create_session(&admin, &event, body).await;
    assert_eq!(session["signup_window"], "not_open");
    assert_eq!(session["signup_opens_at"], "2027-03-01T08:00:00Z");
    let path = signup_path(&event, &session);
    let (status, body) = error_code(&people[0], Method::PUT, &path, None).await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert_eq!(body["error"]["code"], "signup_not_open");
    assert_eq!(body["error"]["details"]["opens_at"], "2027-03-01T08:00:00Z");

    let session_path = format!(
        "/api/events/{event}/sessions/{}",
        session["id"].as_str().unwrap()
    );
    admin
        .expect(
            Method::PATCH,
            &session_path,
            Some(json!({"signup_opens_at": ""})),
            StatusCode::OK,
        )
        .await;
    assert_eq!(
        sign_up(&people[0], &event, &session).await["status"],
        "confirmed"
    );

    // Closed: no more sign-ups, no cancelling; asking again still tells where one stands.
    let closed = admin
        .expect(
            Method::PATCH,
            &session_path,
            Some(json!({"signup_closes_at": "2021-01-01T00:00:00Z"})),
            StatusCode::OK,
        )
        .await;
    assert_eq!(closed["signup_window"], "closed");
    let (status, body) = error_code(&people[1], Method::PUT, &path, None).await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (StatusCode::CONFLICT, Some("signup_closed"))
    );
    let (status, body) = error_code(&people[0], Method::DELETE, &path, None).await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (StatusCode::CONFLICT, Some("signup_closed"))
    );
    assert_eq!(
        sign_up(&people[0], &event, &session).await["status"],
        "confirmed"
    );
    // Closing before opening is refused.
    let (status, _) = error_code(
        &admin,
        Method::PATCH,
        &session_path,
        Some(json!({"signup_opens_at": "2022-01-01T00:00:00Z"})),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
}

#[tokio::test]
async fn overlapping_sessions_cannot_both_hold_a_seat_even_when_asked_at_once() {
    let app = TestApp::spawn().await;
    let second = second_instance(&app).await;
    let (admin, event) = event(&app).await;
    let people = crowd(&app, &event, "o", 3, Role::Buyer).await;
    let a = create_session(&admin, &event, dialogue("Catering", "14:00", "15:00", 10)).await;
    let b = create_session(&admin, &event, dialogue("Care", "14:30", "15:30", 10)).await;
    let c = create_session(&admin, &event, dialogue("Paper", "15:00", "16:00", 10)).await;

    assert_eq!(sign_up(&people[0], &event, &a).await["status"], "confirmed");
    let (status, body) = error_code(&people[0], Method::PUT, &signup_path(&event, &b), None).await;
    assert_eq!(status, StatusCode::CONFLICT, "{body}");
    assert_eq!(body["error"]["code"], "session_overlap");
    assert_eq!(body["error"]["details"]["session"]["id"], a["id"]);
    assert_eq!(body["error"]["details"]["session"]["title_en"], "Catering");
    assert!(
        body["error"]["message"]
            .as_str()
            .unwrap()
            .contains("Catering")
    );
    // Back to back is fine.
    assert_eq!(sign_up(&people[0], &event, &c).await["status"], "confirmed");

    // Moving a session onto another one of its people's sessions is refused, naming it.
    let (status, body) = error_code(
        &admin,
        Method::PATCH,
        &format!("/api/events/{event}/sessions/{}", c["id"].as_str().unwrap()),
        Some(json!({"start": "14:45"})),
    )
    .await;
    assert_eq!(status, StatusCode::CONFLICT, "{body}");
    assert_eq!(body["error"]["details"]["session"]["id"], a["id"]);

    // Six sessions at the same time, asked for at once (through two instances on
    // PostgreSQL): one seat, five refusals.
    let mut same_time = Vec::new();
    for i in 0..6 {
        same_time.push(
            create_session(
                &admin,
                &event,
                dialogue(&format!("Parallel {i}"), "10:00", "11:00", 10),
            )
            .await,
        );
    }
    let statuses = join_all(same_time.iter().enumerate().map(|(i, s)| {
        let p = if i % 2 == 1 {
            on(&second, &people[1])
        } else {
            people[1].clone()
        };
        let path = signup_path(&event, s);
        async move { p.send(Method::PUT, &path, None).await.status() }
    }))
    .await;
    assert_eq!(
        statuses.iter().filter(|s| **s == StatusCode::OK).count(),
        1,
        "{statuses:?}"
    );
    assert_eq!(
        statuses
            .iter()
            .filter(|s| **s == StatusCode::CONFLICT)
            .count(),
        5,
        "{statuses:?}"
    );

    // Waiting for a full session while holding a seat at the same time elsewhere: a freed
    // seat passes over them, and comes to them once they give the other seat up.
    let full = create_session(&admin, &event, dialogue("Full", "12:00", "13:00", 1)).await;
    let other = create_session(&admin, &event, dialogue("Other", "12:30", "13:30", 5)).await;
    assert_eq!(
        sign_up(&people[2], &event, &full).await["status"],
        "confirmed"
    );
    assert_eq!(
        sign_up(&people[1], &event, &full).await["status"],
        "waitlisted"
    );
    assert_eq!(
        sign_up(&people[1], &event, &other).await["status"],
        "confirmed"
    );
    people[2]
        .expect(
            Method::DELETE,
            &signup_path(&event, &full),
            None,
            StatusCode::NO_CONTENT,
        )
        .await;
    assert_eq!(
        agenda_status(&people[1], &event, &full).await["status"],
        "waitlisted"
    );
    people[1]
        .expect(
            Method::DELETE,
            &signup_path(&event, &other),
            None,
            StatusCode::NO_CONTENT,
        )
        .await;
    assert_eq!(
        agenda_status(&people[1], &event, &full).await["status"],
        "confirmed"
    );
    if let Some(second) = second {
        second.stop().await;
    }
}

#[tokio::test]
async fn organisers_add_beyond_capacity_remove_and_move_and_each_change_is_recorded() {
    let app = TestApp::spawn().await;
    let (admin, event) = event(&app).await;
    let people = crowd(&app, &event, "x", 5, Role::Supplier).await;
    let session = create_session(&admin, &event, dialogue("Workwear", "14:00", "15:00", 1)).await;
    let sid = session["id"].as_str().unwrap();
    for p in &people[..4] {
        sign_up(p, &event, &session).await;
    }
    let base = format!("/api/events/{event}/sessions/{sid}/signups");

    // Beyond capacity, on purpose.
    let list = admin
        .expect(
            Method::POST,
            &base,
            Some(json!({"person_id": person_id(&people[4])})),
            StatusCode::OK,
        )
        .await;
    assert_eq!(list["session"]["confirmed_count"], 2);
    assert_eq!(list["session"]["capacity"], 1);
    let mail = &app.wait_for_mails("x0004@crowd.example", 1).await[0];
    assert!(
        mail.subject.contains("Je hebt een plaats"),
        "{}",
        mail.subject
    );
    // An organiser may also lift someone off the waitlist into a seat.
    let list = admin
        .expect(
            Method::POST,
            &base,
            Some(json!({"person_id": person_id(&people[3])})),
            StatusCode::OK,
        )
        .await;
    assert_eq!(list["session"]["confirmed_count"], 3);
    assert_eq!(list["session"]["waitlist_count"], 2);

    // Move the second on the waitlist to the front.
    let list = admin
        .expect(
            Method::PATCH,
            &format!("{base}/{}", person_id(&people[2])),
            Some(json!({"waitlist_position": 1})),
            StatusCode::OK,
        )
        .await;
    let waiting: Vec<&str> = list["signups"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|s| s["status"] == "waitlisted")
        .map(|s| s["name"].as_str().unwrap())
        .collect();
    assert_eq!(waiting, ["x 0002", "x 0001"]);
    assert_eq!(
        agenda_status(&people[2], &event, &session).await,
        json!({"status": "waitlisted", "waitlist_position": 1})
    );
    // Only people on the waitlist move; nobody moves who is not signed up.
    let (status, _) = error_code(
        &admin,
        Method::PATCH,
        &format!("{base}/{}", person_id(&people[0])),
        Some(json!({"waitlist_position": 1})),
    )
    .await;
    assert_eq!(status, StatusCode::CONFLICT);

    // Removing everyone confirmed but one: capacity 1 is still taken, nobody moves up.
    for p in [&people[4], &people[3]] {
        admin
            .expect(
                Method::DELETE,
                &format!("{base}/{}", person_id(p)),
                None,
                StatusCode::OK,
            )
            .await;
    }
    assert_eq!(
        agenda_status(&people[2], &event, &session).await["status"],
        "waitlisted"
    );
    // Removing the last seat-holder frees the seat: the new first on the list gets it.
    let list = admin
        .expect(
            Method::DELETE,
            &format!("{base}/{}", person_id(&people[0])),
            None,
            StatusCode::OK,
        )
        .await;
    assert_eq!(list["session"]["confirmed_count"], 1);
    assert_eq!(
        agenda_status(&people[2], &event, &session).await["status"],
        "confirmed"
    );
    assert!(agenda_status(&people[0], &event, &session).await.is_null());
    // Their sign-up's confirmation, then the removal.
    let mails = app.wait_for_mails("x0000@crowd.example", 2).await;
    assert!(
        mails
            .iter()
            .any(|m| m.subject.contains("Niet meer ingeschreven")),
        "{:?}",
        mails.iter().map(|m| &m.subject).collect::<Vec<_>>()
    );
    admin
        .expect(
            Method::DELETE,
            &format!("{base}/{}", person_id(&people[0])),
            None,
            StatusCode::NOT_FOUND,
        )
        .await;

    let log = admin
        .get(&format!("/api/events/{event}/sessions/{sid}/log"))
        .await;
    let entries: Vec<(String, String, Option<String>)> = log["entries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["action"].as_str().unwrap().to_string(),
                e["person"].as_str().unwrap().to_string(),
                e["by"].as_str().map(String::from),
            )
        })
        .collect();
    let admin_name = Some("Admin".to_string());
    assert_eq!(
        entries,
        [
            ("added".into(), "x 0004".into(), admin_name.clone()),
            ("added".into(), "x 0003".into(), admin_name.clone()),
            ("moved".into(), "x 0002".into(), admin_name.clone()),
            ("removed".into(), "x 0004".into(), admin_name.clone()),
            ("removed".into(), "x 0003".into(), admin_name.clone()),
            ("promoted".into(), "x 0002".into(), admin_name.clone()),
            ("removed".into(), "x 0000".into(), admin_name.clone()),
        ]
    );
    let moved = &log["entries"][2];
    assert_eq!(
        (
            moved["from_position"].as_i64(),
            moved["to_position"].as_i64()
        ),
        (Some(2), Some(1))
    );
    assert!(log["entries"][0]["at"].is_string());
}

#[tokio::test]
async fn participants_who_leave_the_event_give_their_seat_to_the_waitlist() {
    let app = TestApp::spawn().await;
    let (admin, event) = event(&app).await;
    let ann = invite(&app, &admin, &event, "Ann", "ann@city.example", "buyer").await;
    let people = crowd(&app, &event, "w", 1, Role::Buyer).await;
    let session = create_session(&admin, &event, dialogue("Lighting", "14:00", "15:00", 1)).await;
    sign_up(&ann, &event, &session).await;
    assert_eq!(
        sign_up(&people[0], &event, &session).await["status"],
        "waitlisted"
    );
    let list = admin
        .get(&format!("/api/events/{event}/participants?q=Ann"))
        .await;
    let participant = list["participants"][0]["id"].as_str().unwrap();
    admin
        .expect(
            Method::PATCH,
            &format!("/api/events/{event}/participants/{participant}"),
            Some(json!({"status": "cancelled"})),
            StatusCode::OK,
        )
        .await;
    assert_eq!(
        agenda_status(&people[0], &event, &session).await["status"],
        "confirmed"
    );
    assert_eq!(signup_rows(&app, &session).await.len(), 1);
}

#[tokio::test]
async fn who_may_not_read_sign_up_see_the_list_or_change_the_programme() {
    let app = TestApp::spawn().await;
    let (admin, event) = event(&app).await;
    let slug = admin.get(&format!("/api/events/{event}")).await["slug"]
        .as_str()
        .unwrap()
        .to_string();
    let mona = invite(
        &app,
        &admin,
        &event,
        "Mona",
        "mona@agency.example",
        "facilitator",
    )
    .await;
    let finn = invite(
        &app,
        &admin,
        &event,
        "Finn",
        "finn@agency.example",
        "facilitator",
    )
    .await;
    let buyer = invite(&app, &admin, &event, "Bram", "bram@city.example", "buyer").await;
    let mut body = dialogue("Office furniture", "14:00", "15:00", 10);
    body["facilitators"] = json!([person_id(&mona)]);
    let session = create_session(&admin, &event, body).await;
    let sid = session["id"].as_str().unwrap();
    sign_up(&buyer, &event, &session).await;

    // Someone of another event, and someone whose registration awaits approval.
    let (other_admin, other_event) = {
        let s = app.admin("other@example.org").await;
        let e = s
            .expect(
                Method::POST,
                "/api/events",
                Some(json!({"name": "Elsewhere", "start_date": "2027-05-01", "timezone": "Europe/Brussels"})),
                StatusCode::CREATED,
            )
            .await;
        (s, e["id"].as_str().unwrap().to_string())
    };
    let outsider = invite(
        &app,
        &other_admin,
        &other_event,
        "Olga",
        "olga@else.example",
        "buyer",
    )
    .await;
    let answer = reqwest::Client::new()
        .post(app.url(&format!("/api/public/events/{slug}/registrations")))
        .json(&json!({"role": "supplier", "name": "Sam", "email": "sam@circ.example", "organisation": "Circ NV"}))
        .send()
        .await
        .unwrap();
    assert_eq!(answer.status(), StatusCode::ACCEPTED);
    let pending = app
        .confirm(&app.wait_for_link("sam@circ.example", 1).await)
        .await;

    let sessions = format!("/api/events/{event}/sessions");
    let one = format!("{sessions}/{sid}");
    let signup = format!("{one}/signup");
    let signups = format!("{one}/signups");
    let log = format!("{one}/log");
    let agenda = format!("/api/events/{event}/agenda/me");
    let new_session = dialogue("Another", "16:00", "17:00", 5);
    for who in [&outsider, &pending] {
        for (method, path, body) in [
            (Method::GET, &sessions, None),
            (Method::GET, &one, None),
            (Method::PUT, &signup, None),
            (Method::DELETE, &signup, None),
            (Method::GET, &signups, None),
            (Method::GET, &agenda, None),
            (Method::POST, &sessions, Some(new_session.clone())),
            (Method::PATCH, &one, Some(json!({"capacity": 99}))),
            (Method::DELETE, &one, None),
            (Method::GET, &log, None),
        ] {
            let (status, _) = error_code(who, method.clone(), path, body).await;
            assert_eq!(status, StatusCode::NOT_FOUND, "{method} {path}");
        }
    }
    // Participants read and sign up, but do not change the programme or see who came.
    for (method, path, body) in [
        (Method::POST, &sessions, Some(new_session.clone())),
        (Method::PATCH, &one, Some(json!({"capacity": 99}))),
        (Method::DELETE, &one, None),
        (Method::GET, &signups, None),
        (Method::GET, &log, None),
        (
            Method::POST,
            &signups,
            Some(json!({"person_id": person_id(&buyer)})),
        ),
        (
            Method::DELETE,
            &format!("{signups}/{}", person_id(&buyer)),
            None,
        ),
        (
            Method::PATCH,
            &format!("{signups}/{}", person_id(&buyer)),
            Some(json!({"waitlist_position": 1})),
        ),
    ] {
        let (status, body) = error_code(&buyer, method.clone(), path, body).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{method} {path}: {body}");
    }
    // A facilitator of another session neither; the session's own facilitator and the
    // organisers see the list.
    let (status, _) = error_code(&finn, Method::GET, &signups, None).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, _) = error_code(
        &mona,
        Method::POST,
        &signups,
        Some(json!({"person_id": person_id(&buyer)})),
    )
    .await;
    assert_eq!(
        status,
        StatusCode::FORBIDDEN,
        "facilitators do not override"
    );
    for who in [&mona, &admin] {
        let list = who.get(&signups).await;
        assert_eq!(list["signups"][0]["name"], "Bram");
        assert_eq!(list["signups"][0]["role"], "buyer");
        assert_eq!(list["signups"][0]["status"], "confirmed");
    }
    assert!(
        mona.get(&agenda).await["sessions"][0]["i_facilitate"]
            .as_bool()
            .unwrap()
    );
    // A platform admin who does not take part may look, but has no seat to take.
    let (status, body) = error_code(&admin, Method::PUT, &signup, None).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{body}");
    // Nothing changed.
    assert_eq!(buyer.get(&one).await["confirmed_count"], 1);
}

#[tokio::test]
async fn the_public_programme_shows_no_personal_data_and_only_for_a_public_event() {
    let app = TestApp::spawn().await;
    let (admin, event) = event(&app).await;
    let slug = admin.get(&format!("/api/events/{event}")).await["slug"]
        .as_str()
        .unwrap()
        .to_string();
    let mona = invite(
        &app,
        &admin,
        &event,
        "Mona",
        "mona@agency.example",
        "facilitator",
    )
    .await;
    let mut body = dialogue("Office furniture", "14:00", "15:00", 10);
    body["facilitators"] = json!([person_id(&mona)]);
    let session = create_session(&admin, &event, body).await;
    sign_up(&mona, &event, &session).await;

    let anon = reqwest::Client::new();
    let url = app.url(&format!("/api/public/events/{slug}/programme"));
    let response = anon.get(&url).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let programme: Value = response.json().await.unwrap();
    let first = &programme["sessions"][0];
    assert_eq!(first["title_en"], "Office furniture");
    assert_eq!(first["confirmed_count"], 1);
    assert_eq!(
        first["facilitators"][0],
        json!({"name": "Mona", "organisation": null})
    );
    assert!(first["my_signup"].is_null());
    assert!(!programme.to_string().contains("mona@agency.example"));
    assert!(!programme.to_string().contains(&person_id(&mona)));

    // Not taking registrations and no public catalogue: not public.
    admin
        .expect(
            Method::PATCH,
            &format!("/api/events/{event}"),
            Some(json!({"registration_open": false, "catalogue_public": false})),
            StatusCode::OK,
        )
        .await;
    assert_eq!(
        anon.get(&url).send().await.unwrap().status(),
        StatusCode::NOT_FOUND
    );
    let unknown = app.url("/api/public/events/no-such-event/programme");
    assert_eq!(
        anon.get(&unknown).send().await.unwrap().status(),
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn the_agenda_lists_my_day_in_time_order_with_the_meeting_slots_it_blocks() {
    let app = TestApp::spawn().await;
    let (admin, event) = event(&app).await;
    admin
        .expect(
            Method::POST,
            &format!("/api/events/{event}/slots/generate"),
            Some(
                json!({"date": "2027-03-11", "start": "13:00", "end": "17:00", "slot_minutes": 20,
                        "breaks": [{"start": "15:00", "end": "15:20"}]}),
            ),
            StatusCode::OK,
        )
        .await;
    let room = admin
        .expect(
            Method::POST,
            &format!("/api/events/{event}/rooms"),
            Some(json!({"name": "Zaal Leie", "capacity": 30})),
            StatusCode::CREATED,
        )
        .await;
    let people = crowd(&app, &event, "g", 2, Role::Buyer).await;
    let mut late = dialogue("Late dialogue", "15:30", "16:10", 1);
    late["room_id"] = room["id"].clone();
    let late = create_session(&admin, &event, late).await;
    let early = create_session(
        &admin,
        &event,
        dialogue("Early dialogue", "13:10", "13:50", 5),
    )
    .await;
    sign_up(&people[1], &event, &late).await;
    sign_up(&people[0], &event, &late).await;
    sign_up(&people[0], &event, &early).await;

    let agenda = people[0]
        .get(&format!("/api/events/{event}/agenda/me"))
        .await;
    let sessions = agenda["sessions"].as_array().unwrap();
    assert_eq!(sessions.len(), 2);
    assert_eq!(sessions[0]["title_en"], "Early dialogue");
    assert_eq!(
        sessions[0]["my_signup"],
        json!({"status": "confirmed", "waitlist_position": null})
    );
    assert_eq!(sessions[1]["title_en"], "Late dialogue");
    assert_eq!(sessions[1]["room"]["name"], "Zaal Leie");
    assert_eq!(
        sessions[1]["my_signup"],
        json!({"status": "waitlisted", "waitlist_position": 1})
    );
    // 13:10-13:50 overlaps the meeting slots 13:00, 13:20 and 13:40; the waitlist blocks nothing.
    let blocked: Vec<(&str, &str)> = agenda["blocked_slots"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| {
            (
                b["start"].as_str().unwrap(),
                b["session_id"].as_str().unwrap(),
            )
        })
        .collect();
    let early_id = early["id"].as_str().unwrap();
    assert_eq!(
        blocked,
        [
            ("13:00", early_id),
            ("13:20", early_id),
            ("13:40", early_id)
        ]
    );
    // The seat-holder of the late session: 15:20, 15:40 and 16:00 (the break is no meeting slot).
    let other = people[1]
        .get(&format!("/api/events/{event}/agenda/me"))
        .await;
    let starts: Vec<&str> = other["blocked_slots"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| b["start"].as_str().unwrap())
        .collect();
    assert_eq!(starts, ["15:20", "15:40", "16:00"]);
    // The scheduler's view: everyone's blocked slots at once, the same rule.
    let event_id: Uuid = event.parse().unwrap();
    let all = matchfloor::programme::service::blocked_slots_of_event(&app.state.db, event_id)
        .await
        .unwrap();
    assert_eq!(all.len(), 2);
    let p0: Uuid = person_id(&people[0]).parse().unwrap();
    assert_eq!(all[&p0].len(), 3);
}

#[tokio::test]
async fn seat_counts_and_a_promotion_arrive_live() {
    use crate::live::{connect, next};
    let app = TestApp::spawn().await;
    let (admin, event) = event(&app).await;
    let people = crowd(&app, &event, "l", 3, Role::Buyer).await;
    let session = create_session(&admin, &event, dialogue("Live", "14:00", "15:00", 1)).await;
    sign_up(&people[0], &event, &session).await;
    sign_up(&people[1], &event, &session).await;
    // The one waiting, and someone who only watches the programme.
    let mut waiting = connect(&app, &event, Some(&people[1].cookie), "")
        .await
        .unwrap();
    let mut watching = connect(&app, &event, Some(&people[2].cookie), "")
        .await
        .unwrap();
    assert_eq!(next(&mut waiting).await.unwrap()["type"], "hello");
    assert_eq!(next(&mut watching).await.unwrap()["type"], "hello");

    people[0]
        .expect(
            Method::DELETE,
            &signup_path(&event, &session),
            None,
            StatusCode::NO_CONTENT,
        )
        .await;
    let seats = next(&mut watching).await.unwrap();
    assert_eq!(seats["type"], "session_seats");
    assert_eq!(seats["payload"]["session_id"], session["id"]);
    assert_eq!(seats["payload"]["confirmed_count"], 1);
    assert_eq!(seats["payload"]["waitlist_count"], 0);
    let mut got = Vec::new();
    for _ in 0..2 {
        got.push(next(&mut waiting).await.unwrap());
    }
    let mine = got
        .iter()
        .find(|m| m["type"] == "my_signup")
        .expect("a private message");
    assert_eq!(mine["payload"]["status"], "confirmed");
    assert_eq!(mine["payload"]["reason"], "promoted");
    assert!(got.iter().any(|m| m["type"] == "session_seats"));
    // The watcher never sees the private message: the next thing it gets is the next
    // public change.
    admin
        .expect(
            Method::PATCH,
            &format!(
                "/api/events/{event}/sessions/{}",
                session["id"].as_str().unwrap()
            ),
            Some(json!({"title_en": "Live!"})),
            StatusCode::OK,
        )
        .await;
    let changed = next(&mut watching).await.unwrap();
    assert_eq!(changed["type"], "session_changed");
    assert_eq!(changed["payload"]["title_en"], "Live!");
}
