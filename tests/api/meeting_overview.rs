//! The organisers' overview of meeting requests: the numbers on a small planted set, the
//! per-person table as CSV in both languages (formulas guarded), and who may not see it.

use chrono::{Duration, Utc};
use matchfloor::domain::MeetingRequestStatus;
use matchfloor::entities::meeting_request;
use reqwest::{Method, StatusCode};
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use serde_json::{Value, json};
use uuid::Uuid;

use crate::helpers::{Session, TestApp, World};
use crate::meeting_requests::{act, ask, call, id, invite, pid};

/// Plants a request's state and age straight in the database (the overview reads them).
async fn plant(app: &TestApp, request: &Value, status: MeetingRequestStatus, hours_ago: i64) {
    meeting_request::Entity::update_many()
        .col_expr(meeting_request::Column::Status, Expr::value(status))
        .col_expr(
            meeting_request::Column::CreatedAt,
            Expr::value(Utc::now() - Duration::hours(hours_ago)),
        )
        .filter(meeting_request::Column::Id.eq(id(request).parse::<Uuid>().unwrap()))
        .exec(&app.state.db)
        .await
        .unwrap();
}

/// The overview path, with a query.
fn overview(w: &World<'_>, query: &str) -> String {
    w.path(&format!("/requests/overview{query}"))
}

/// Bea, Carl and Dirk buy; Sara, Tom, Uma, Vera and Wim supply. Dirk and Vera ask nobody
/// and nobody asks them.
///
/// | request | state | age |
/// |---|---|---|
/// | Bea -> Sara | accepted | |
/// | Bea -> Tom | declined | |
/// | Carl -> Sara | pending | 80 h |
/// | Tom -> Carl | pending | 30 h |
/// | Bea -> Uma | pending | new |
/// | Carl -> Wim | expired | |
/// | Carl -> Uma | withdrawn (counts nowhere) | |
async fn planted(app: &TestApp) -> (World<'_>, Vec<Session>) {
    let w = World::new(app).await;
    let bea = invite(&w, "Bea", "Stad Gent", "buyer", "en").await;
    let carl = invite(&w, "Carl", "=Provincie", "buyer", "en").await;
    let dirk = invite(&w, "Dirk", "Dorp", "buyer", "nl").await;
    let sara = invite(&w, "Sara", "ReMeubel", "supplier", "nl").await;
    let tom = invite(&w, "Tom", "Tafels", "supplier", "en").await;
    let _uma = invite(&w, "Uma", "Upcycle", "supplier", "en").await;
    let _vera = invite(&w, "Vera", "Verf", "supplier", "en").await;
    let _wim = invite(&w, "Wim", "Wol", "supplier", "en").await;
    let (sara_id, tom_id, uma_id, wim_id) = (
        pid(&w, "Sara", "ReMeubel").await,
        pid(&w, "Tom", "Tafels").await,
        pid(&w, "Uma", "Upcycle").await,
        pid(&w, "Wim", "Wol").await,
    );
    let carl_id = pid(&w, "Carl", "=Provincie").await;
    let accepted = ask(&w, &bea, &sara_id, "must").await;
    act(&w, &sara, &id(&accepted), "accept", None).await;
    let declined = ask(&w, &bea, &tom_id, "must").await;
    act(&w, &tom, &id(&declined), "decline", None).await;
    let oldest = ask(&w, &carl, &sara_id, "must").await;
    plant(app, &oldest, MeetingRequestStatus::Pending, 80).await;
    let middle = ask(&w, &tom, &carl_id, "would_like").await;
    plant(app, &middle, MeetingRequestStatus::Pending, 30).await;
    ask(&w, &bea, &uma_id, "if_time").await;
    let expired = ask(&w, &carl, &wim_id, "if_time").await;
    plant(app, &expired, MeetingRequestStatus::Expired, 100).await;
    let withdrawn = ask(&w, &carl, &uma_id, "if_time").await;
    act(&w, &carl, &id(&withdrawn), "withdraw", None).await;
    (w, vec![bea, carl, dirk, sara, tom])
}

fn row<'a>(overview: &'a Value, name: &str) -> &'a Value {
    overview["people"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["person"]["name"] == name)
        .unwrap_or_else(|| panic!("no {name}: {overview}"))
}

fn counts(row: &Value) -> [i64; 6] {
    [
        "sent",
        "received",
        "accepted",
        "declined",
        "pending",
        "awaiting_answer",
    ]
    .map(|k| row[k].as_i64().unwrap())
}

#[tokio::test]
async fn the_overview_counts_requests_per_person_by_age_and_by_answer() {
    let app = TestApp::spawn().await;
    let (w, _) = planted(&app).await;
    let o = w.organiser.get(&overview(&w, "")).await;
    assert_eq!(o["event_id"], w.event.as_str());

    let names: Vec<&str> = o["people"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["person"]["name"].as_str().unwrap())
        .collect();
    assert_eq!(
        names,
        ["Bea", "Carl", "Dirk", "Sara", "Tom", "Uma", "Vera", "Wim"]
    );
    assert_eq!(counts(row(&o, "Bea")), [3, 0, 1, 1, 1, 0]);
    assert_eq!(counts(row(&o, "Carl")), [2, 1, 0, 0, 2, 1]);
    assert_eq!(counts(row(&o, "Sara")), [0, 2, 1, 0, 1, 1]);
    assert_eq!(counts(row(&o, "Tom")), [1, 1, 0, 1, 1, 0]);
    assert_eq!(counts(row(&o, "Uma")), [0, 1, 0, 0, 1, 1]);
    assert_eq!(counts(row(&o, "Wim")), [0, 1, 0, 0, 0, 0]);
    assert_eq!(counts(row(&o, "Dirk")), [0; 6]);
    assert_eq!(row(&o, "Sara")["person"]["organisation"], "ReMeubel");
    assert_eq!(row(&o, "Sara")["person"]["role"], "supplier");

    let unanswered = &o["unanswered"];
    assert_eq!(unanswered["total"], 3);
    assert_eq!(unanswered["under_24h"], 1);
    assert_eq!(unanswered["from_1_to_3_days"], 1);
    assert_eq!(unanswered["over_3_days"], 1);
    assert_eq!(unanswered["oldest"]["requester"]["name"], "Carl");
    assert_eq!(unanswered["oldest"]["recipient"]["name"], "Sara");
    assert_eq!(unanswered["oldest"]["waiting_hours"], 80);

    let without: Vec<&str> = o["without_requests"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["name"].as_str().unwrap())
        .collect();
    assert_eq!(without, ["Dirk", "Vera"]);

    let most: Vec<(&str, i64, i64)> = o["most_requested"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            (
                s["person"]["name"].as_str().unwrap(),
                s["requests"].as_i64().unwrap(),
                s["accepted"].as_i64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        most,
        [("Sara", 2, 1), ("Tom", 1, 0), ("Uma", 1, 0), ("Wim", 1, 0)]
    );

    assert_eq!(
        o["acceptance"],
        json!({"requests": 6, "answered": 2, "accepted": 1, "accepted_unanswered": 0,
               "declined": 1, "expired": 1, "pending": 3,
               "rate_of_answered": 0.5, "rate_of_all": 0.1667})
    );
}

#[tokio::test]
async fn the_per_person_table_downloads_as_csv_in_either_language_with_formulas_guarded() {
    let app = TestApp::spawn().await;
    let (w, _) = planted(&app).await;
    for (lang, header, bea, carl) in [
        (
            "nl",
            "Naam,Organisatie,Rol,Verstuurd,Ontvangen,Aanvaard,Geweigerd,Openstaand,Wacht op hun antwoord",
            "Bea,Stad Gent,aankoper,3,0,1,1,1,0",
            "Carl,'=Provincie,aankoper,2,1,0,0,2,1",
        ),
        (
            "en",
            "Name,Organisation,Role,Sent,Received,Accepted,Declined,Pending,Awaiting their answer",
            "Bea,Stad Gent,buyer,3,0,1,1,1,0",
            "Carl,'=Provincie,buyer,2,1,0,0,2,1",
        ),
    ] {
        let response = w
            .organiser
            .send(
                Method::GET,
                &overview(&w, &format!("?format=csv&lang={lang}")),
                None,
            )
            .await;
        assert_eq!(response.status(), StatusCode::OK);
        assert_eq!(
            response.headers()["content-type"],
            "text/csv; charset=utf-8"
        );
        assert!(
            response.headers()["content-disposition"]
                .to_str()
                .unwrap()
                .starts_with("attachment; filename=")
        );
        let text = response.text().await.unwrap();
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines[0], header);
        assert_eq!(lines[1], bea);
        assert_eq!(lines[2], carl);
        assert_eq!(lines.len(), 9, "a header and eight people: {text}");
    }
    // A format or language the endpoint does not know is refused.
    for query in ["?format=xlsx", "?format=csv&lang=fr"] {
        let (status, _) = call(&w.organiser, Method::GET, &overview(&w, query), None).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{query}");
    }
}

#[tokio::test]
async fn only_the_events_organisers_see_the_overview() {
    let app = TestApp::spawn().await;
    let (w, people) = planted(&app).await;
    // A co-organiser of the event sees it, as the admin who made it does.
    let olga = w.person("Olga", "organiser").await;
    assert_eq!(
        olga.get(&overview(&w, "")).await["people"]
            .as_array()
            .unwrap()
            .len(),
        8
    );

    // Buyers, suppliers and facilitators of the event may not, in either format.
    let fien = w.person("Fien", "facilitator").await;
    for who in people.iter().chain([&fien]) {
        for query in ["", "?format=csv"] {
            let (status, _) = call(who, Method::GET, &overview(&w, query), None).await;
            assert_eq!(status, StatusCode::FORBIDDEN, "{}", who.me["email"]);
        }
    }
    // The organiser of another event does not find this one.
    let other_event = w.other_event().await;
    let other_organiser = crate::helpers::invite(
        &app,
        &w.organiser,
        &other_event,
        json!({"name": "Otto", "email": "otto@example.org", "role": "organiser"}),
    )
    .await;
    let (status, _) = call(&other_organiser, Method::GET, &overview(&w, ""), None).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, own) = call(
        &other_organiser,
        Method::GET,
        &format!("/api/events/{other_event}/requests/overview"),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(own["people"], json!([]), "nothing of this event there");
    // A registration awaiting approval, and nobody without a session.
    let pending = w.pending_registrant("Pim", "Circ NV").await;
    let (status, _) = call(&pending, Method::GET, &overview(&w, ""), None).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let anonymous = reqwest::Client::new()
        .get(app.url(&overview(&w, "?format=csv")))
        .send()
        .await
        .unwrap();
    assert_eq!(anonymous.status(), StatusCode::UNAUTHORIZED);
}
