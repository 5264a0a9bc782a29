//! Who takes part: someone awaiting approval sees only their own registration; who may
//! appoint organisers, and that every appointment is recorded.

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use tokio_tungstenite::tungstenite::Error as WsError;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;

use crate::helpers::{PDF, Session, TestApp, World, invite, upload};

async fn socket_status(app: &TestApp, event: &str, cookie: &str) -> u16 {
    let url = format!(
        "{}/api/events/{event}/live",
        app.address.replace("http://", "ws://")
    );
    let mut request = url.into_client_request().unwrap();
    request
        .headers_mut()
        .insert("cookie", format!("mf_session={cookie}").parse().unwrap());
    match tokio_tungstenite::connect_async(request).await {
        Ok(_) => 101,
        Err(WsError::Http(response)) => response.status().as_u16(),
        Err(other) => panic!("websocket: {other}"),
    }
}

async fn code(s: &Session, method: Method, path: &str, body: Option<Value>) -> StatusCode {
    s.send(method, path, body).await.status()
}

async fn upload_pdf(s: &Session, event: &str) -> StatusCode {
    upload(s, event, "document", "lca.pdf", PDF.to_vec())
        .await
        .status()
}

#[tokio::test]
async fn a_registration_awaiting_approval_opens_nothing_but_itself() {
    let app = TestApp::spawn().await;
    let w = World::new(&app).await;
    let id = w.event.clone();
    // A buyer shares her needs with the event's suppliers.
    let bea = w.buyer("Bea", "Stad").await;
    bea.expect(
        Method::PUT,
        &format!("/api/events/{id}/needs/me"),
        Some(
            json!({"product_groups": ["office-furniture"], "strategies": [],
                    "project_what": "350 bureaus", "shared_with_suppliers": true}),
        ),
        StatusCode::OK,
    )
    .await;

    let sam = w.pending_registrant("Sam", "Circ NV").await;

    // Only the registration itself.
    let mine = sam.get(&format!("/api/events/{id}/registration")).await;
    assert_eq!(mine["status"], "registered");
    assert_eq!(mine["awaiting_approval"], true);
    assert_eq!(mine["event"]["name"], w.details["name"]);
    for path in [
        format!("/api/events/{id}"),
        format!("/api/events/{id}/slots"),
        format!("/api/events/{id}/taxonomy"),
        format!("/api/events/{id}/announcements"),
        format!("/api/events/{id}/catalogue"),
        format!("/api/events/{id}/needs"),
        format!("/api/events/{id}/factsheets"),
    ] {
        assert_eq!(
            code(&sam, Method::GET, &path, None).await,
            StatusCode::NOT_FOUND,
            "{path}"
        );
    }
    assert!(
        sam.get("/api/events").await["events"]
            .as_array()
            .unwrap()
            .is_empty()
    );
    assert_eq!(upload_pdf(&sam, &id).await, StatusCode::NOT_FOUND);
    assert_eq!(
        code(
            &sam,
            Method::POST,
            &format!("/api/events/{id}/live/ticket"),
            None
        )
        .await,
        StatusCode::NOT_FOUND
    );
    assert_eq!(socket_status(&app, &id, &sam.cookie).await, 404);
    // Someone without a registration has none to see.
    assert_eq!(
        code(
            &bea,
            Method::GET,
            "/api/events/00000000-0000-7000-8000-000000000000/registration",
            None
        )
        .await,
        StatusCode::NOT_FOUND
    );

    // Approved: the event opens, with the buyer's shared needs.
    w.set_status("sam@circ.example", "approved").await;
    sam.get(&format!("/api/events/{id}")).await;
    let needs = sam.get(&format!("/api/events/{id}/needs")).await;
    assert!(needs.to_string().contains("350 bureaus"));
    assert_eq!(upload_pdf(&sam, &id).await, StatusCode::CREATED);
    assert_eq!(
        code(
            &sam,
            Method::POST,
            &format!("/api/events/{id}/live/ticket"),
            None
        )
        .await,
        StatusCode::CREATED
    );
    assert_eq!(socket_status(&app, &id, &sam.cookie).await, 101);
    let mine = sam.get(&format!("/api/events/{id}/registration")).await;
    assert_eq!(mine["awaiting_approval"], false);
}

#[tokio::test]
async fn organisers_appoint_co_organisers_of_their_own_event_only() {
    let app = TestApp::spawn().await;
    let w = World::new(&app).await;
    let (admin, id) = (&w.organiser, w.event.clone());
    let participants = w.path("/participants");
    let olga = w.person("Olga", "organiser").await;
    // Olga, no platform admin, appoints a co-organiser by invitation and by role change.
    olga.expect(
        Method::POST,
        &participants,
        Some(json!({"name": "Oscar", "email": "oscar@org.example", "role": "organiser"})),
        StatusCode::CREATED,
    )
    .await;
    let ben = olga
        .expect(
            Method::POST,
            &participants,
            Some(json!({"name": "Ben", "email": "ben@stad.example", "role": "buyer"})),
            StatusCode::CREATED,
        )
        .await;
    olga.expect(
        Method::PATCH,
        &format!("{participants}/{}", ben["id"].as_str().unwrap()),
        Some(json!({"role": "organiser"})),
        StatusCode::OK,
    )
    .await;
    let csv = "name,email,role\nIda,ida@org.example,organiser\n";
    assert_eq!(
        olga.csv(&format!("{participants}/import"), csv)
            .await
            .status(),
        StatusCode::CREATED
    );
    let log = olga.get(&format!("/api/events/{id}/appointments")).await;
    let entries: Vec<(String, String, String)> = log["appointments"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| {
            (
                a["name"].as_str().unwrap().to_string(),
                a["appointed_by"].as_str().unwrap_or("").to_string(),
                a["how"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    let expected = [
        ("Olga", "Admin", "invitation"),
        ("Oscar", "Olga", "invitation"),
        ("Ben", "Olga", "role_change"),
        ("Ida", "Olga", "import"),
    ]
    .map(|(a, b, c)| (a.to_string(), b.to_string(), c.to_string()));
    assert_eq!(entries, expected);

    // Who may not: a facilitator, a supplier, a buyer of the event, an organiser of another.
    let mut others = Vec::new();
    for (name, role) in [("Fay", "facilitator"), ("Sid", "supplier"), ("Bo", "buyer")] {
        others.push(w.person(name, role).await);
    }
    let elsewhere = invite(
        &app,
        admin,
        &w.other_event().await,
        json!({"name": "Eli", "email": "eli@org.example", "role": "organiser"}),
    )
    .await;
    let bo_participation = w.participant_id("bo@example.org").await;
    let forbidden = |s: &Session| {
        let s = s.clone();
        let participants = participants.clone();
        let bo_participation = bo_participation.clone();
        let id = id.clone();
        async move {
            let invite = code(
                &s,
                Method::POST,
                &participants,
                Some(json!({"name": "Mal", "email": "mal@x.example", "role": "organiser"})),
            )
            .await;
            let promote = code(
                &s,
                Method::PATCH,
                &format!("{participants}/{bo_participation}"),
                Some(json!({"role": "organiser"})),
            )
            .await;
            let import = s
                .csv(
                    &format!("{participants}/import"),
                    "name,email,role\nMal,mal@x.example,organiser\n",
                )
                .await
                .status();
            let log = code(
                &s,
                Method::GET,
                &format!("/api/events/{id}/appointments"),
                None,
            )
            .await;
            [invite, promote, import, log]
        }
    };
    for s in &others {
        assert_eq!(
            forbidden(s).await,
            [StatusCode::FORBIDDEN; 4],
            "{}",
            s.me["email"]
        );
    }
    assert_eq!(forbidden(&elsewhere).await, [StatusCode::NOT_FOUND; 4]);
    let log = admin.get(&format!("/api/events/{id}/appointments")).await;
    assert_eq!(
        log["appointments"].as_array().unwrap().len(),
        4,
        "nobody else appointed"
    );
}
