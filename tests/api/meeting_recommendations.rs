//! Recommendations: buyers get the suppliers whose published factsheets fit their needs,
//! suppliers the buyers whose shared needs fit their factsheets, ranked, with reasons in
//! the reader's language; whoever one already asked or declined is left out; one
//! recommendation becomes a request; and who may not ask for recommendations.

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::helpers::{Session, TestApp, World, email_of};

/// A person of `organisation` invited in `role` with their own language, logged in.
async fn invite(
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

fn recommendations(w: &World<'_>, query: &str) -> String {
    w.path(&format!("/recommendations/me{query}"))
}

/// The organisation names of a list, in order.
fn organisations(list: &Value) -> Vec<&str> {
    list["recommendations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["organisation_name"].as_str().unwrap())
        .collect()
}

/// A complete bilingual factsheet with these codes and claims (strategy, with evidence?).
fn factsheet(
    title_en: &str,
    title_nl: &str,
    groups: &[&str],
    models: &[&str],
    claims: &[(&str, bool)],
) -> Value {
    json!({
        "title_en": title_en, "pitch_en": format!("{title_en}, from our workshop."),
        "title_nl": title_nl, "pitch_nl": format!("{title_nl}, uit ons atelier."),
        "product_groups": groups, "business_models": models,
        "claims": claims.iter().map(|(strategy, evidence)| json!({
            "strategy": strategy,
            "evidence": if *evidence {
                json!([{"kind": "lca", "title": "LCA 2025", "url": "https://example.org/lca.pdf"}])
            } else {
                json!([])
            },
        })).collect::<Vec<_>>(),
        "contact_name": "Contact", "contact_email": "contact@example.org",
    })
}

/// The market of these tests: Bea (buyer, English) looks for refurbished chairs and
/// laptops; ReMeubel (Sara, Dutch, and her colleague Rik) offers refurbished office
/// chairs, Second Screen IT (Ulla) refurbished laptops, Lumen as a Service (Tom) light as
/// a service, which fits nobody. Bob (buyer) keeps his needs to himself; Cas has none.
struct Market {
    bea: Session,
    sara: Session,
    rik: Session,
    ulla: Session,
    tom: Session,
    bob: Session,
    cas: Session,
}

async fn market(w: &World<'_>) -> Market {
    let sara = invite(w, "Sara", "ReMeubel", "supplier", "nl").await;
    let rik = w.colleague("Rik", &sara).await;
    let ulla = invite(w, "Ulla", "Second Screen IT", "supplier", "en").await;
    let tom = invite(w, "Tom", "Lumen as a Service", "supplier", "en").await;
    w.publish(
        &sara,
        factsheet(
            "Refurbished office chairs",
            "Gereviseerde bureaustoelen",
            &["office-furniture"],
            &["refurbished-second-hand", "take-back"],
            &[("A3", true), ("C5", true), ("D1", false)],
        ),
    )
    .await;
    w.publish(
        &ulla,
        factsheet(
            "Refurbished laptops",
            "Gereviseerde laptops",
            &["ict"],
            &["refurbished-second-hand"],
            &[("A3", true)],
        ),
    )
    .await;
    w.publish(
        &tom,
        factsheet(
            "Light as a service",
            "Licht als dienst",
            &["lighting"],
            &["product-as-a-service"],
            &[("D6", true)],
        ),
    )
    .await;
    let bea = invite(w, "Bea", "Stad Gent", "buyer", "en").await;
    bea.expect(
        Method::PUT,
        &w.path("/needs/me"),
        Some(
            json!({"product_groups": ["office-furniture", "ict"], "strategies": ["A3", "C5"],
                    "business_models": ["refurbished-second-hand"],
                    "project_what": "Refurbished chairs for our new office",
                    "shared_with_suppliers": true}),
        ),
        StatusCode::OK,
    )
    .await;
    let bob = invite(w, "Bob", "Gemeente Kortbeek", "buyer", "nl").await;
    bob.expect(
        Method::PUT,
        &w.path("/needs/me"),
        Some(
            json!({"product_groups": ["office-furniture"], "strategies": ["A3"],
                    "shared_with_suppliers": false}),
        ),
        StatusCode::OK,
    )
    .await;
    let cas = invite(w, "Cas", "Hogeschool Scheldeland", "buyer", "nl").await;
    Market {
        bea,
        sara,
        rik,
        ulla,
        tom,
        bob,
        cas,
    }
}

async fn pid(w: &World<'_>, name: &str, organisation: &str) -> String {
    w.participant_id(&email_of(name, Some(organisation))).await
}

#[tokio::test]
async fn buyers_get_fitting_suppliers_ranked_with_reasons_in_their_language() {
    let app = TestApp::spawn().await;
    let w = World::new(&app).await;
    let m = market(&w).await;

    let list = m.bea.get(&recommendations(&w, "")).await;
    assert_eq!(list["lang"], "en");
    assert_eq!(list["hint"], Value::Null);
    assert_eq!(list["hint_code"], Value::Null);
    // Lumen as a Service fits nothing Bea looks for; ReMeubel comes once, for both of its
    // people (the first by name among equals).
    assert_eq!(organisations(&list), ["ReMeubel", "Second Screen IT"]);
    let first = &list["recommendations"][0];
    assert_eq!(first["participant_id"], pid(&w, "Rik", "ReMeubel").await);
    assert_eq!(first["person_name"], "Rik");
    assert_eq!(first["role"], "supplier");
    // Groups 35 x 1/2, strategies 30, business models 15, words 15 x 3/4, evidence 5 x 2/3.
    assert_eq!(first["score"], 77);
    assert_eq!(
        first["reasons"],
        json!([
            "shares office interiors and furniture, and strategies A3, C5",
            "offers refurbished or second-hand",
            "their text mentions 'chairs', 'office' and 'refurbished', which you look for",
            "evidence for 2 of 3 claims",
        ])
    );
    assert_eq!(first["factsheet"]["title_en"], "Refurbished office chairs");
    assert!(
        first["factsheet"]["url"]
            .as_str()
            .unwrap()
            .starts_with(&format!("/events/{}/catalogue/", w.event))
    );
    let second = &list["recommendations"][1];
    assert_eq!(second["person_name"], "Ulla");
    assert_eq!(second["score"], 56);
    assert_eq!(
        second["reasons"],
        json!([
            "shares ICT and strategy A3",
            "offers refurbished or second-hand",
            "their text mentions 'refurbished', which you look for",
            "evidence for 1 of 1 claim",
        ])
    );

    // The same in Dutch on request, and only the best with a limit.
    let dutch = m.bea.get(&recommendations(&w, "?lang=nl&limit=1")).await;
    assert_eq!(dutch["lang"], "nl");
    assert_eq!(organisations(&dutch), ["ReMeubel"]);
    assert_eq!(
        dutch["recommendations"][0]["reasons"],
        json!([
            "deelt kantoorinrichting en kantoormeubilair, en strategieën A3, C5",
            "biedt refurbished of tweedehands aan",
            "hun tekst vermeldt 'chairs', 'office' en 'refurbished', waar je naar zoekt",
            "bewijs voor 2 van 3 claims",
        ])
    );

    // A buyer without a needs profile is told, in their language, what to fill in.
    let none = m.cas.get(&recommendations(&w, "")).await;
    assert_eq!(none["recommendations"], json!([]));
    assert_eq!(none["hint_code"], "needs_profile");
    assert!(
        none["hint"]
            .as_str()
            .unwrap()
            .starts_with("Vul je aankoopbehoeften in"),
        "{none}"
    );
    let english = m.cas.get(&recommendations(&w, "?lang=en")).await;
    assert!(
        english["hint"]
            .as_str()
            .unwrap()
            .starts_with("Fill in your purchasing needs"),
        "{english}"
    );
    // A buyer's profile counts for their own list even when not shared.
    let bob = m.bob.get(&recommendations(&w, "")).await;
    assert_eq!(organisations(&bob), ["ReMeubel", "Second Screen IT"]);
    assert_eq!(
        bob["recommendations"][0]["reasons"][0],
        "deelt kantoorinrichting en kantoormeubilair, en strategie A3"
    );
}

#[tokio::test]
async fn suppliers_get_the_buyers_who_share_fitting_needs() {
    let app = TestApp::spawn().await;
    let w = World::new(&app).await;
    let m = market(&w).await;

    // Bob keeps his needs to himself and Cas has none: only Bea, read from Sara's side.
    let list = m.sara.get(&recommendations(&w, "")).await;
    assert_eq!(list["lang"], "nl");
    assert_eq!(organisations(&list), ["Stad Gent"]);
    let bea = &list["recommendations"][0];
    assert_eq!(bea["participant_id"], pid(&w, "Bea", "Stad Gent").await);
    assert_eq!(bea["person_name"], "Bea");
    assert_eq!(bea["role"], "buyer");
    assert_eq!(bea["score"], 77);
    assert_eq!(
        bea["reasons"],
        json!([
            "deelt kantoorinrichting en kantoormeubilair, en strategieën A3, C5",
            "zoekt refurbished of tweedehands, wat je aanbiedt",
            "hun behoeften noemen 'chairs', 'office' en 'refurbished', net als je factsheet",
        ])
    );
    assert_eq!(
        bea["factsheet"]["title_nl"], "Gereviseerde bureaustoelen",
        "the factsheet of mine the score is for"
    );
    let english = m.ulla.get(&recommendations(&w, "")).await;
    assert_eq!(
        english["recommendations"][0]["reasons"],
        json!([
            "shares ICT and strategy A3",
            "looks for refurbished or second-hand, which you offer",
            "their needs mention 'refurbished', as does your factsheet",
        ])
    );

    // Nobody's needs fit light as a service.
    let tom = m.tom.get(&recommendations(&w, "")).await;
    assert_eq!(tom["recommendations"], json!([]));
    assert_eq!(tom["hint_code"], "no_fit");
    // A factsheet still in draft, or none at all: the hint says what to do.
    let vera = invite(&w, "Vera", "Vezelwerk Textiel", "supplier", "en").await;
    let none = vera.get(&recommendations(&w, "")).await;
    assert_eq!(none["hint_code"], "factsheet");
    assert!(none["hint"].as_str().unwrap().starts_with("Write your"));
    w.draft(
        &vera,
        factsheet(
            "Recycled workwear",
            "Gerecycleerde werkkledij",
            &["textiles-workwear"],
            &[],
            &[],
        ),
    )
    .await;
    let draft = vera.get(&recommendations(&w, "?lang=nl")).await;
    assert_eq!(draft["recommendations"], json!([]));
    assert_eq!(draft["hint_code"], "factsheet_not_published");
    assert!(
        draft["hint"]
            .as_str()
            .unwrap()
            .starts_with("Je factsheet is nog niet gepubliceerd"),
        "{draft}"
    );
}

#[tokio::test]
async fn whoever_one_asked_or_declined_is_left_out_until_a_request_is_withdrawn() {
    let app = TestApp::spawn().await;
    let w = World::new(&app).await;
    let m = market(&w).await;
    let sara_id = pid(&w, "Sara", "ReMeubel").await;
    let bea_id = pid(&w, "Bea", "Stad Gent").await;

    // Bea asks Sara: ReMeubel is left out of Bea's list, for both of its people, and Bea
    // out of ReMeubel's people's lists.
    let asked = m
        .bea
        .expect(
            Method::POST,
            &w.path("/requests"),
            Some(json!({"participant_id": sara_id, "priority": "must"})),
            StatusCode::CREATED,
        )
        .await;
    let list = m.bea.get(&recommendations(&w, "")).await;
    assert_eq!(organisations(&list), ["Second Screen IT"]);
    for supplier in [&m.sara, &m.rik] {
        let theirs = supplier.get(&recommendations(&w, "")).await;
        assert_eq!(theirs["recommendations"], json!([]));
        assert_eq!(theirs["hint_code"], "all_asked");
    }

    // Ulla asks Bea, who declines: neither sees the other any more.
    let ulla_asked = m
        .ulla
        .expect(
            Method::POST,
            &w.path("/requests"),
            Some(json!({"participant_id": bea_id, "priority": "would_like"})),
            StatusCode::CREATED,
        )
        .await;
    let pending = m.bea.get(&recommendations(&w, "")).await;
    assert_eq!(pending["recommendations"], json!([]));
    m.bea
        .expect(
            Method::POST,
            &w.path(&format!(
                "/requests/{}/decline",
                ulla_asked["id"].as_str().unwrap()
            )),
            None,
            StatusCode::OK,
        )
        .await;
    let declined = m.bea.get(&recommendations(&w, "?lang=nl")).await;
    assert_eq!(declined["recommendations"], json!([]));
    assert_eq!(declined["hint_code"], "all_asked");
    assert!(
        declined["hint"]
            .as_str()
            .unwrap()
            .starts_with("Met iedereen die bij je past"),
        "{declined}"
    );
    assert_eq!(
        m.ulla.get(&recommendations(&w, "")).await["hint_code"],
        "all_asked"
    );

    // A withdrawn request may be asked again: ReMeubel comes back, now through Sara once
    // Rik has left the event (people who no longer take part are never recommended).
    m.bea
        .expect(
            Method::POST,
            &w.path(&format!(
                "/requests/{}/withdraw",
                asked["id"].as_str().unwrap()
            )),
            None,
            StatusCode::OK,
        )
        .await;
    let back = m.bea.get(&recommendations(&w, "")).await;
    assert_eq!(back["recommendations"][0]["person_name"], "Rik");
    w.set_status(&email_of("Rik", Some("ReMeubel")), "cancelled")
        .await;
    let back = m.bea.get(&recommendations(&w, "")).await;
    assert_eq!(organisations(&back), ["ReMeubel"]);
    assert_eq!(back["recommendations"][0]["participant_id"], sara_id);
    // Bea left the event: she is nobody's recommendation.
    w.set_status(&email_of("Bea", Some("Stad Gent")), "cancelled")
        .await;
    assert_eq!(
        m.sara.get(&recommendations(&w, "")).await["hint_code"],
        "no_fit"
    );

    // People of another event are never recommended, even with a fitting factsheet.
    let other = w.other_event().await;
    let otto = crate::helpers::invite(
        &app,
        &w.organiser,
        &other,
        json!({"name": "Otto", "email": "otto@otto.example", "organisation": "Otto Stoelen",
               "role": "supplier"}),
    )
    .await;
    let sheet = otto
        .expect(
            Method::POST,
            &format!("/api/events/{other}/factsheets"),
            Some(factsheet(
                "Refurbished chairs",
                "Gereviseerde stoelen",
                &["office-furniture"],
                &["refurbished-second-hand"],
                &[("A3", true)],
            )),
            StatusCode::CREATED,
        )
        .await;
    let path = format!(
        "/api/events/{other}/factsheets/{}",
        sheet["id"].as_str().unwrap()
    );
    otto.expect(
        Method::POST,
        &format!("{path}/submit"),
        None,
        StatusCode::OK,
    )
    .await;
    w.organiser
        .expect(
            Method::POST,
            &format!("{path}/review"),
            Some(json!({"decision": "approve"})),
            StatusCode::OK,
        )
        .await;
    assert_eq!(
        organisations(&m.bob.get(&recommendations(&w, "")).await),
        ["ReMeubel", "Second Screen IT"]
    );
}

#[tokio::test]
async fn a_recommendation_becomes_a_request_with_its_participant_id() {
    let app = TestApp::spawn().await;
    let w = World::new(&app).await;
    let m = market(&w).await;
    let list = m.bea.get(&recommendations(&w, "")).await;
    let best = &list["recommendations"][0];
    let made = m
        .bea
        .expect(
            Method::POST,
            &w.path("/requests"),
            Some(json!({"participant_id": best["participant_id"], "priority": "would_like"})),
            StatusCode::CREATED,
        )
        .await;
    assert_eq!(made["other"]["participant_id"], best["participant_id"]);
    assert_eq!(made["other"]["name"], best["person_name"]);
    assert_eq!(made["other"]["organisation"], best["organisation_name"]);
    let rik = m.rik.get(&w.path("/requests")).await;
    assert_eq!(rik["received"][0]["id"], made["id"]);
    // A supplier's recommendation works the same way round.
    let theirs = m.ulla.get(&recommendations(&w, "")).await;
    let buyer = &theirs["recommendations"][0];
    let made = m
        .ulla
        .expect(
            Method::POST,
            &w.path("/requests"),
            Some(json!({"participant_id": buyer["participant_id"], "priority": "must"})),
            StatusCode::CREATED,
        )
        .await;
    assert_eq!(made["other"]["name"], "Bea");
}

#[tokio::test]
async fn who_may_not_get_recommendations() {
    let app = TestApp::spawn().await;
    let w = World::new(&app).await;
    let m = market(&w).await;
    let path = recommendations(&w, "");

    // Nobody logged in.
    let anonymous = reqwest::get(app.url(&path)).await.unwrap();
    assert_eq!(anonymous.status(), StatusCode::UNAUTHORIZED);
    // A platform admin who does not take part, an organiser and a facilitator who do:
    // nobody they could meet one-to-one.
    let olga = w.person("Olga", "organiser").await;
    let fien = w.person("Fien", "facilitator").await;
    for who in [&w.organiser, &olga, &fien] {
        let body = who
            .expect(Method::GET, &path, None, StatusCode::FORBIDDEN)
            .await;
        assert_eq!(body["error"]["code"], "forbidden");
    }
    // Another event's participant, and a registration awaiting approval: no such event.
    let other = w.other_event().await;
    let otto = crate::helpers::invite(
        &app,
        &w.organiser,
        &other,
        json!({"name": "Otto", "email": "otto@example.org", "role": "buyer"}),
    )
    .await;
    let pending = w.pending_registrant("Pim", "Circ NV").await;
    for who in [&otto, &pending] {
        who.expect(Method::GET, &path, None, StatusCode::NOT_FOUND)
            .await;
    }
    // Someone who left the event.
    w.set_status(
        &email_of("Cas", Some("Hogeschool Scheldeland")),
        "cancelled",
    )
    .await;
    m.cas
        .expect(Method::GET, &path, None, StatusCode::NOT_FOUND)
        .await;

    // Bad limits and languages.
    for limit in ["0", "101"] {
        let body = m
            .bea
            .expect(
                Method::GET,
                &recommendations(&w, &format!("?limit={limit}")),
                None,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await;
        assert_eq!(body["error"]["details"]["fields"][0]["field"], "limit");
        assert_eq!(
            body["error"]["details"]["fields"][0]["code"],
            "out_of_range"
        );
    }
    for bad in ["?limit=many", "?lang=fr", "?sort=score"] {
        m.bea
            .expect(
                Method::GET,
                &recommendations(&w, bad),
                None,
                StatusCode::BAD_REQUEST,
            )
            .await;
    }
    let hundred = m.bea.get(&recommendations(&w, "?limit=100")).await;
    assert_eq!(hundred["recommendations"].as_array().unwrap().len(), 2);
}
