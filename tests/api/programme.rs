//! The programme: sessions, sign-ups with a waitlist under concurrency, per-role seats,
//! opening and closing, overlaps, organisers' overrides, the agenda and who may not.

use std::collections::HashSet;

use chrono::Utc;
use futures_util::future::join_all;
use matchfloor::auth::service::{LinkPurpose, issue_link};
use matchfloor::domain::{Lang, Role, Status};
use matchfloor::entities::{participation, person, session_signup};
use reqwest::{Method, StatusCode};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, Set};
use serde_json::{Value, json};
use uuid::Uuid;

use crate::helpers::{Session, TestApp, token_in};

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

/// `count` participants of one role, approved, each logged in. Written straight to the
/// database (an import of this size is tested elsewhere); they log in over HTTP.
async fn crowd(app: &TestApp, event: &str, prefix: &str, count: usize, role: Role) -> Vec<Session> {
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
    // Told by email, in their language (person 2 reads Dutch).
    let mails = app.wait_for_mails("p0002@crowd.example", 1).await;
    assert!(
        mails[0].subject.contains("Je hebt een plaats"),
        "{}",
        mails[0].subject
    );
    assert!(mails[0].body.contains("Lighting (NL)"), "{}", mails[0].body);
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

/// Where the second half of a crowd sends its requests: another server instance on the
/// same database on PostgreSQL; the one instance on SQLite, which has a single process.
async fn second_instance(app: &TestApp) -> Option<TestApp> {
    match std::env::var("MATCHFLOOR_TEST_DATABASE_URL") {
        Ok(url) if !url.is_empty() => Some(app.another_instance().await),
        _ => None,
    }
}

fn on(instance: &Option<TestApp>, s: &Session) -> Session {
    let mut s = s.clone();
    if let Some(other) = instance {
        s.base = other.address.clone();
    }
    s
}

#[tokio::test]
async fn two_hundred_at_once_for_thirty_seats_then_ten_cancel_at_once() {
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
    for _ in 0..200 {
        delivered = app.mails();
        if let Some(other) = &second {
            delivered.extend(other.mails());
        }
        if delivered.len() >= 10 {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    assert_eq!(delivered.len(), 10, "one email per promotion, nothing else");
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
