//! Unique rules hit by several requests at the same moment: each request answers 2xx or
//! 409 (or reuses the row), never 500, and no rule ends up with two rows.

use futures_util::future::join_all;
use matchfloor::entities::{
    event, meeting_table, organisation, organisation_request, participation, person, room,
    taxonomy_term,
};
use reqwest::{Method, StatusCode};
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
use serde_json::{Value, json};

use crate::helpers::{Session, TestApp};

/// How many identical requests race each other.
const AT_ONCE: usize = 4;

/// Sends `AT_ONCE` copies of one request together and returns their statuses.
async fn at_once(session: &Session, method: Method, path: &str, body: Value) -> Vec<StatusCode> {
    let requests = (0..AT_ONCE).map(|_| {
        let (session, method, body) = (session.clone(), method.clone(), body.clone());
        async move {
            let response = session.send(method, path, Some(body)).await;
            let status = response.status();
            let text = response.text().await.unwrap_or_default();
            assert!(
                status.is_success() || status == StatusCode::CONFLICT,
                "{path} answered {status}: {text}"
            );
            if status == StatusCode::CONFLICT {
                let body: Value = serde_json::from_str(&text).unwrap();
                assert_eq!(body["error"]["code"], "conflict", "{text}");
            }
            status
        }
    });
    join_all(requests).await
}

fn created_once(statuses: &[StatusCode], what: &str) {
    let created = statuses
        .iter()
        .filter(|s| **s == StatusCode::CREATED)
        .count();
    assert_eq!(created, 1, "{what}: exactly one is created ({statuses:?})");
}

#[tokio::test]
async fn one_organisation_for_suppliers_registering_the_same_new_name_at_once() {
    let _ = tracing_subscriber::fmt()
        .with_env_filter("error")
        .try_init();
    let app = TestApp::spawn().await;
    let (_admin, event) = app.admin_with_event().await;
    let slug = event["slug"].as_str().unwrap();
    let anon = reqwest::Client::new();
    let url = app.url(&format!("/api/public/events/{slug}/registrations"));
    let registrations = (0..AT_ONCE).map(|i| {
        let (anon, url) = (anon.clone(), url.clone());
        async move {
            // Spelled differently; the same organisation by its name key.
            let organisation = if i % 2 == 0 { "Circular Desks BV" } else { "circular  desks bv" };
            anon.post(url)
                .json(&json!({"role": "supplier", "name": format!("Supplier {i}"), "email": format!("s{i}@desks.example"), "organisation": organisation}))
                .send()
                .await
                .unwrap()
                .status()
        }
    });
    for status in join_all(registrations).await {
        assert_eq!(status, StatusCode::ACCEPTED);
    }
    let organisations = organisation::Entity::find()
        .filter(organisation::Column::NameKey.eq("circular desks bv"))
        .all(&app.state.db)
        .await
        .unwrap();
    assert_eq!(organisations.len(), 1);
    let people = person::Entity::find()
        .filter(person::Column::Email.like("%@desks.example"))
        .all(&app.state.db)
        .await
        .unwrap();
    assert_eq!(people.len(), AT_ONCE);
    // Membership is by grant: the first founds it, the others ask to join (a member or an
    // organiser lets them in), each with one request and none a member by typing the name.
    let members = people
        .iter()
        .filter(|p| p.organisation_id == Some(organisations[0].id))
        .count();
    assert_eq!(members, 1);
    assert!(
        people
            .iter()
            .all(|p| p.organisation_id.is_none() || p.organisation_id == Some(organisations[0].id))
    );
    let requests = organisation_request::Entity::find()
        .filter(organisation_request::Column::OrganisationId.eq(organisations[0].id))
        .filter(organisation_request::Column::Status.eq("pending"))
        .all(&app.state.db)
        .await
        .unwrap();
    assert_eq!(requests.len(), AT_ONCE - 1);
}

#[tokio::test]
async fn one_person_and_one_registration_for_the_same_address_registered_at_once() {
    let app = TestApp::spawn().await;
    let (_admin, event) = app.admin_with_event().await;
    let slug = event["slug"].as_str().unwrap();
    let anon = reqwest::Client::new();
    let url = app.url(&format!("/api/public/events/{slug}/registrations"));
    let registrations = (0..AT_ONCE).map(|_| {
        let (anon, url) = (anon.clone(), url.clone());
        async move {
            anon.post(url)
                .json(&json!({"role": "buyer", "name": "Bea Buyer", "email": "bea@stad.example", "organisation": "Stad Gent"}))
                .send()
                .await
                .unwrap()
                .status()
        }
    });
    for status in join_all(registrations).await {
        assert!(
            status == StatusCode::ACCEPTED || status == StatusCode::CONFLICT,
            "{status}"
        );
    }
    let people = person::Entity::find()
        .filter(person::Column::Email.eq("bea@stad.example"))
        .all(&app.state.db)
        .await
        .unwrap();
    assert_eq!(people.len(), 1);
    let registrations = participation::Entity::find()
        .filter(participation::Column::PersonId.eq(people[0].id))
        .count(&app.state.db)
        .await
        .unwrap();
    assert_eq!(registrations, 1);
}

#[tokio::test]
async fn the_same_person_and_organisation_added_at_once_are_added_once() {
    let app = TestApp::spawn().await;
    let (admin, event) = app.admin_with_event().await;
    let id = event["id"].as_str().unwrap();
    let statuses = at_once(
        &admin,
        Method::POST,
        &format!("/api/events/{id}/participants"),
        json!({"name": "Lotte Maes", "email": "lotte@refurb.example", "organisation": "Refurb BV", "role": "supplier"}),
    )
    .await;
    created_once(&statuses, "participant");
    let db = &app.state.db;
    let people = person::Entity::find()
        .filter(person::Column::Email.eq("lotte@refurb.example"))
        .all(db)
        .await
        .unwrap();
    assert_eq!(people.len(), 1);
    let organisations = organisation::Entity::find()
        .filter(organisation::Column::NameKey.eq("refurb bv"))
        .count(db)
        .await
        .unwrap();
    assert_eq!(organisations, 1);

    // Different people of one new organisation, added at once: one organisation.
    let adds = (0..AT_ONCE).map(|i| {
        let admin = admin.clone();
        async move {
            admin
                .send(
                    Method::POST,
                    &format!("/api/events/{id}/participants"),
                    Some(json!({"name": format!("Colleague {i}"), "email": format!("c{i}@chairs.example"), "organisation": "Chairs Again", "role": "supplier"})),
                )
                .await
                .status()
        }
    });
    for status in join_all(adds).await {
        assert_eq!(status, StatusCode::CREATED);
    }
    let organisations = organisation::Entity::find()
        .filter(organisation::Column::NameKey.eq("chairs again"))
        .count(db)
        .await
        .unwrap();
    assert_eq!(organisations, 1);
}

#[tokio::test]
async fn the_same_code_room_table_and_address_at_once_are_created_once() {
    let app = TestApp::spawn().await;
    let (admin, event) = app.admin_with_event().await;
    let id = event["id"].as_str().unwrap();
    let event_id: uuid::Uuid = id.parse().unwrap();
    let db = &app.state.db;

    let statuses = at_once(
        &admin,
        Method::POST,
        &format!("/api/events/{id}/taxonomy"),
        json!({"kind": "product_group", "code": "zz-race", "name_nl": "Race", "name_en": "Race"}),
    )
    .await;
    created_once(&statuses, "taxonomy term");
    let terms = taxonomy_term::Entity::find()
        .filter(taxonomy_term::Column::EventId.eq(event_id))
        .filter(taxonomy_term::Column::Code.eq("zz-race"))
        .count(db)
        .await
        .unwrap();
    assert_eq!(terms, 1);

    let statuses = at_once(
        &admin,
        Method::POST,
        &format!("/api/events/{id}/rooms"),
        json!({"name": "Zaal Race", "capacity": 40}),
    )
    .await;
    created_once(&statuses, "room");
    let rooms = room::Entity::find()
        .filter(room::Column::EventId.eq(event_id))
        .filter(room::Column::Name.eq("Zaal Race"))
        .count(db)
        .await
        .unwrap();
    assert_eq!(rooms, 1);

    let statuses = at_once(
        &admin,
        Method::POST,
        &format!("/api/events/{id}/tables"),
        json!({"number": 77}),
    )
    .await;
    created_once(&statuses, "table");
    let tables = meeting_table::Entity::find()
        .filter(meeting_table::Column::EventId.eq(event_id))
        .filter(meeting_table::Column::Number.eq(77))
        .count(db)
        .await
        .unwrap();
    assert_eq!(tables, 1);

    let statuses = at_once(
        &admin,
        Method::POST,
        "/api/events",
        json!({"name": "Race Day", "slug": "race-day", "start_date": "2027-05-01", "timezone": "Europe/Brussels"}),
    )
    .await;
    created_once(&statuses, "event");
    let events = event::Entity::find()
        .filter(event::Column::Slug.eq("race-day"))
        .count(db)
        .await
        .unwrap();
    assert_eq!(events, 1);
}
