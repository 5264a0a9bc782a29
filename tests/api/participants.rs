//! Participants: invitations, CSV import, approval and public registration.

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::helpers::{TestApp, World};

#[tokio::test]
async fn an_invited_person_logs_in_with_the_link_from_the_invitation() {
    let app = TestApp::spawn().await;
    let (admin, event) = app.admin_with_event().await;
    let id = event["id"].as_str().unwrap();
    let invited = admin
        .expect(
            Method::POST,
            &format!("/api/events/{id}/participants"),
            Some(json!({"name": "Lotte Maes", "email": "lotte@refurb.example", "organisation": "Refurb BV", "role": "supplier", "language": "nl"})),
            StatusCode::CREATED,
        )
        .await;
    assert_eq!(invited["status"], "invited");
    let mail = &app.wait_for_mails("lotte@refurb.example", 1).await[0];
    assert!(
        mail.subject.contains("Uitnodiging"),
        "Dutch subject: {}",
        mail.subject
    );
    assert!(mail.body.contains("aanbieder"));
    let token = mail.login_token().unwrap();
    let lotte = app.confirm(&token).await;
    let home = lotte.get(&format!("/api/events/{id}")).await;
    assert_eq!(
        (home["my_role"].as_str(), home["my_status"].as_str()),
        (Some("supplier"), Some("approved"))
    );
    // A supplier is not an organiser.
    lotte
        .expect(
            Method::GET,
            &format!("/api/events/{id}/participants"),
            None,
            StatusCode::FORBIDDEN,
        )
        .await;
    lotte
        .expect(
            Method::PATCH,
            &format!("/api/events/{id}"),
            Some(json!({"name": "mine"})),
            StatusCode::FORBIDDEN,
        )
        .await;

    // Inviting the same person again is a conflict.
    admin
        .expect(
            Method::POST,
            &format!("/api/events/{id}/participants"),
            Some(json!({"name": "Lotte", "email": "LOTTE@refurb.example", "role": "buyer"})),
            StatusCode::CONFLICT,
        )
        .await;
}

#[tokio::test]
async fn organisers_appoint_co_organisers_who_can_then_set_up_the_event() {
    let app = TestApp::spawn().await;
    let w = World::new(&app).await;
    let id = &w.event;
    let org1 = w
        .invite(json!({"name": "Org One", "email": "org1@example.org", "role": "organiser"}))
        .await;
    org1.expect(
        Method::POST,
        &format!("/api/events/{id}/participants"),
        Some(json!({"name": "Org Two", "email": "org2@example.org", "role": "organiser"})),
        StatusCode::CREATED,
    )
    .await;
    org1.expect(
        Method::POST,
        &format!("/api/events/{id}/participants"),
        Some(json!({"name": "Fa Cilitator", "email": "fac@example.org", "role": "facilitator"})),
        StatusCode::CREATED,
    )
    .await;
    org1.expect(
        Method::PUT,
        &format!("/api/events/{id}/tables"),
        Some(json!({"count": 4})),
        StatusCode::OK,
    )
    .await;
    let mine = org1.get("/api/me").await;
    assert_eq!(mine["participations"][0]["role"], "organiser");
    let me_row = org1
        .get(&format!("/api/events/{id}/participants?q=org1"))
        .await;
    let my_id = me_row["participants"][0]["id"]
        .as_str()
        .unwrap()
        .to_string();
    org1.expect(
        Method::PATCH,
        &format!("/api/events/{id}/participants/{my_id}"),
        Some(json!({"status": "cancelled"})),
        StatusCode::FORBIDDEN,
    )
    .await;
}

const BROKEN_CSV: &str = "name,email,organisation,role,language\n\
Ann Peeters,ann@stad.example,Stad Lindeveld,buyer,nl\n\
,nobody@stad.example,Stad Lindeveld,buyer,nl\n\
Bart Claes,not-an-email,Refurb,supplier,en\n\
Chris Maes,chris@x.example,X,chef,nl\n\
Dana Wouters,ann@stad.example,Stad,buyer,fr\n\
Eva,eva@x.example,X\n";

#[tokio::test]
async fn a_csv_with_broken_rows_is_previewed_row_by_row_and_imports_nothing() {
    let app = TestApp::spawn().await;
    let (admin, event) = app.admin_with_event().await;
    let id = event["id"].as_str().unwrap();
    let r = admin
        .csv(
            &format!("/api/events/{id}/participants/import/preview"),
            BROKEN_CSV,
        )
        .await;
    assert_eq!(r.status(), StatusCode::OK);
    let preview: Value = r.json().await.unwrap();
    assert_eq!(preview["total"], 6);
    assert_eq!(preview["valid"], false);
    let codes = |line: u64| -> Vec<String> {
        preview["rows"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["line"] == line)
            .unwrap()["problems"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p["code"].as_str().unwrap().to_string())
            .collect()
    };
    assert!(codes(2).is_empty());
    assert_eq!(codes(3), vec!["missing_name"]);
    assert_eq!(codes(4), vec!["invalid_email"]);
    assert_eq!(codes(5), vec!["unknown_role"]);
    assert!(
        codes(6).contains(&"unknown_language".to_string())
            && codes(6).contains(&"duplicate_in_file".to_string())
    );
    assert_eq!(codes(7), vec!["wrong_column_count"]);

    let r = admin
        .csv(&format!("/api/events/{id}/participants/import"), BROKEN_CSV)
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let err: Value = r.json().await.unwrap();
    assert_eq!(err["error"]["code"], "import_has_problems");
    assert_eq!(err["error"]["details"]["with_problems"], 5);
    let list = admin.get(&format!("/api/events/{id}/participants")).await;
    assert_eq!(list["participants"], json!([]), "nothing imported");
    assert!(
        app.mails()
            .iter()
            .all(|m| !m.to.contains("ann@stad.example")),
        "nobody invited"
    );

    for (body, code) in [
        ("", "invalid_csv"),
        ("foo,bar\n1,2\n", "invalid_csv"),
        ("name,email\n", "invalid_csv"),
    ] {
        let r = admin
            .csv(
                &format!("/api/events/{id}/participants/import/preview"),
                body,
            )
            .await;
        assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY, "{body:?}");
        let err: Value = r.json().await.unwrap();
        assert_eq!(err["error"]["code"], code);
    }
    let json_instead = admin
        .send(
            Method::POST,
            &format!("/api/events/{id}/participants/import"),
            Some(json!({"rows": []})),
        )
        .await;
    assert_eq!(json_instead.status(), StatusCode::UNSUPPORTED_MEDIA_TYPE);
}

#[tokio::test]
async fn a_clean_csv_imports_everyone_and_invites_them_in_their_language() {
    let app = TestApp::spawn().await;
    let (admin, event) = app.admin_with_event().await;
    let id = event["id"].as_str().unwrap();
    // Excel in Dutch writes semicolons and Dutch column names.
    let csv = "\u{feff}Naam;E-mail;Organisatie;Rol;Taal\nAnn Peeters;ann@stad.example;Stad Lindeveld;koper;nl\nBen Smith;ben@loop.example;Loop Ltd;aanbieder;en\nCarla Rossi;carla@loop.example;Loop Ltd;supplier;\n";
    let preview: Value = admin
        .csv(
            &format!("/api/events/{id}/participants/import/preview"),
            csv,
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(preview["valid"], true, "{preview}");
    let r = admin
        .csv(&format!("/api/events/{id}/participants/import"), csv)
        .await;
    assert_eq!(r.status(), StatusCode::CREATED);
    let result: Value = r.json().await.unwrap();
    assert_eq!(
        (result["imported"].as_i64(), result["invited"].as_i64()),
        (Some(3), Some(3))
    );
    let list = admin
        .get(&format!("/api/events/{id}/participants?role=supplier"))
        .await;
    let suppliers = list["participants"].as_array().unwrap();
    assert_eq!(suppliers.len(), 2);
    assert!(
        suppliers
            .iter()
            .all(|p| p["organisation"] == "Loop Ltd" && p["status"] == "invited")
    );
    assert!(
        app.wait_for_mails("ann@stad.example", 1).await[0]
            .subject
            .starts_with("Uitnodiging")
    );
    assert!(
        app.wait_for_mails("ben@loop.example", 1).await[0]
            .subject
            .starts_with("Invitation")
    );
    app.wait_for_mails("carla@loop.example", 1).await;
    // Importing the same file again: every row is already in the event.
    let again: Value = admin
        .csv(
            &format!("/api/events/{id}/participants/import/preview"),
            csv,
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(again["with_problems"], 3);
}

#[tokio::test]
async fn public_registration_respects_supplier_approval_and_reveals_nothing() {
    let app = TestApp::spawn().await;
    let w = World::new(&app).await;
    let (admin, id) = (&w.organiser, &w.event);
    let anon = reqwest::Client::new();
    let public: Value = anon
        .get(app.url(&format!("/api/public/events/{}", w.slug)))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(public["registration_open"], true);

    let register = |body: Value| w.register(body);
    let supplier = json!({"role": "supplier", "name": "Sam Supplier", "email": "sam@circ.example", "organisation": "Circ NV", "language": "en"});
    assert_eq!(
        register(supplier.clone()).await.status(),
        StatusCode::ACCEPTED
    );
    assert_eq!(register(json!({"role": "buyer", "name": "Bea Buyer", "email": "bea@stad.example", "organisation": "Stad", "language": "nl"})).await.status(), StatusCode::ACCEPTED);
    let bad =
        register(json!({"role": "organiser", "name": "", "email": "x", "organisation": ""})).await;
    assert_eq!(bad.status(), StatusCode::UNPROCESSABLE_ENTITY);

    let list = admin.get(&format!("/api/events/{id}/participants")).await;
    let status_of = |email: &str| {
        list["participants"]
            .as_array()
            .unwrap()
            .iter()
            .find(|p| p["email"] == email)
            .unwrap()["status"]
            .clone()
    };
    assert_eq!(status_of("sam@circ.example"), "registered");
    assert_eq!(status_of("bea@stad.example"), "approved");
    assert_eq!(list["participants"].as_array().unwrap().len(), 2);
    let mail = &app.wait_for_mails("sam@circ.example", 1).await[0];
    assert!(
        mail.body.contains("review"),
        "the supplier learns approval is pending"
    );

    // Registering again answers the same and sends an "already registered" email.
    assert_eq!(register(supplier).await.status(), StatusCode::ACCEPTED);
    let mails = app.wait_for_mails("sam@circ.example", 2).await;
    assert!(
        mails
            .iter()
            .any(|m| m.subject.contains("already registered"))
    );

    // Approval sends a confirmation.
    let approved = w.set_status("sam@circ.example", "approved").await;
    assert_eq!(approved["status"], "approved");
    let mails = app.wait_for_mails("sam@circ.example", 3).await;
    assert!(mails.iter().any(|m| m.subject.contains("approved")));

    // Closed registration.
    admin
        .expect(
            Method::PATCH,
            &format!("/api/events/{id}"),
            Some(json!({"registration_open": false})),
            StatusCode::OK,
        )
        .await;
    let closed = register(
        json!({"role": "buyer", "name": "Late", "email": "late@x.example", "organisation": "X"}),
    )
    .await;
    assert_eq!(closed.status(), StatusCode::FORBIDDEN);
    let body: Value = closed.json().await.unwrap();
    assert_eq!(body["error"]["code"], "registration_closed");
    assert_eq!(
        anon.get(app.url("/api/public/events/no-such-event"))
            .send()
            .await
            .unwrap()
            .status(),
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn declined_participants_lose_access() {
    let app = TestApp::spawn().await;
    let w = World::new(&app).await;
    let (admin, id) = (&w.organiser, &w.event);
    let dee = w.person("Dee", "buyer").await;
    dee.get(&format!("/api/events/{id}")).await;
    let p = w.set_status("dee@example.org", "declined").await;
    dee.expect(
        Method::GET,
        &format!("/api/events/{id}"),
        None,
        StatusCode::NOT_FOUND,
    )
    .await;
    admin
        .expect(
            Method::POST,
            &format!(
                "/api/events/{id}/participants/{}/invitation",
                p["id"].as_str().unwrap()
            ),
            None,
            StatusCode::CONFLICT,
        )
        .await;
}

#[tokio::test]
async fn an_unclosed_quote_in_a_csv_is_a_problem_not_a_silent_merge() {
    let app = TestApp::spawn().await;
    let (admin, event) = app.admin_with_event().await;
    let id = event["id"].as_str().unwrap();
    let csv =
        "name,email,organisation\nJan Peeters,jan@x.example,\"Acme\nEls Maes,els@x.example,Loop\n";
    let preview: Value = admin
        .csv(
            &format!("/api/events/{id}/participants/import/preview"),
            csv,
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(preview["valid"], false, "{preview}");
    assert_eq!(
        preview["rows"][0]["problems"][0]["code"],
        "line_break_in_field"
    );
}

#[tokio::test]
async fn registering_someone_elses_address_changes_nothing_of_theirs_and_is_rate_limited() {
    let app = TestApp::spawn().await;
    let (admin, event) = app.admin_with_event().await;
    let slug = event["slug"].as_str().unwrap();
    let url = app.url(&format!("/api/public/events/{slug}/registrations"));
    admin
        .expect(
            Method::PATCH,
            "/api/me",
            Some(json!({"name": "The Admin"})),
            StatusCode::OK,
        )
        .await;
    let anon = reqwest::Client::new();
    let body = json!({"role": "buyer", "name": "Someone Else", "email": "admin@example.org", "organisation": "Evil Corp", "phone": "0000", "language": "en"});
    assert_eq!(
        anon.post(&url).json(&body).send().await.unwrap().status(),
        StatusCode::ACCEPTED
    );
    let me = admin.get("/api/me").await;
    assert_eq!(me["name"], "The Admin");
    assert_eq!(
        me["organisation"],
        Value::Null,
        "an anonymous registration fills in nothing"
    );
    assert_eq!(me["phone"], Value::Null);
    let mut limited = false;
    for _ in 0..6 {
        if anon.post(&url).json(&body).send().await.unwrap().status()
            == StatusCode::TOO_MANY_REQUESTS
        {
            limited = true;
            break;
        }
    }
    assert!(limited, "registrations share the mail rate limit");
}

/// The field errors of a 422 answer, as (field, code) pairs.
fn field_codes(body: &Value) -> Vec<(String, String)> {
    body["error"]["details"]["fields"]
        .as_array()
        .unwrap_or_else(|| panic!("no field errors in {body}"))
        .iter()
        .map(|f| {
            (
                f["field"].as_str().unwrap().to_string(),
                f["code"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

#[tokio::test]
async fn control_characters_in_single_line_fields_are_refused_at_the_edge() {
    let app = TestApp::spawn().await;
    let w = World::new(&app).await;
    let (admin, id) = (&w.organiser, &w.event);
    let control = |field: &str| vec![(field.to_string(), "control_character".to_string())];

    // A line break in a name would end up in a mail header.
    let body = admin
        .expect(
            Method::PATCH,
            "/api/me",
            Some(json!({"name": "Admin\r\nBcc: everyone@example.org"})),
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    assert_eq!(field_codes(&body), control("name"));
    assert_eq!(admin.get("/api/me").await["name"], "Admin");

    // An invitation with a tab in the job title and NUL in the organisation (which
    // PostgreSQL cannot store: a 500 before) is refused field by field.
    let body = admin
        .expect(
            Method::POST,
            &format!("/api/events/{id}/participants"),
            Some(
                json!({"name": "Lotte", "email": "lotte@refurb.example", "role": "buyer",
                "job_title": "Buyer\tlead", "organisation": "Refurb\u{0}"}),
            ),
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    let mut codes = field_codes(&body);
    codes.sort();
    assert_eq!(
        codes,
        [control("job_title"), control("organisation")].concat()
    );

    // The public registration form, anonymous.
    let r = w
        .register(json!({"name": "Eve\nEvil", "email": "eve@example.org",
            "organisation": "Eve BV", "role": "buyer"}))
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(field_codes(&r.json().await.unwrap()), control("name"));
    let people = admin.get(&format!("/api/events/{id}/participants")).await;
    assert!(!people.to_string().contains("eve@example.org"), "{people}");

    // Titles: the event's name, a room's name.
    let body = admin
        .expect(
            Method::PATCH,
            &format!("/api/events/{id}"),
            Some(json!({"name": "Gent\n2027"})),
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    assert_eq!(field_codes(&body), control("name"));
    let body = admin
        .expect(
            Method::POST,
            &format!("/api/events/{id}/rooms"),
            Some(json!({"name": "Zaal\u{0}A", "capacity": 30})),
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    assert_eq!(field_codes(&body), control("name"));

    // A description keeps its paragraphs, but not other control characters.
    let saved = admin
        .expect(
            Method::PATCH,
            &format!("/api/events/{id}"),
            Some(json!({"description_en": "First paragraph.\n\nSecond paragraph."})),
            StatusCode::OK,
        )
        .await;
    assert_eq!(
        saved["description_en"],
        "First paragraph.\n\nSecond paragraph."
    );
    let body = admin
        .expect(
            Method::PATCH,
            &format!("/api/events/{id}"),
            Some(json!({"description_nl": "bell\u{7}"})),
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    assert_eq!(field_codes(&body), control("description_nl"));
}

/// An email address with a control character in it is not an address: refused where it is
/// typed (login link, invitation, registration), never looked up or stored. NUL gave a 500
/// on PostgreSQL, which cannot hold it in a query parameter.
#[tokio::test]
async fn an_email_address_with_a_control_character_is_refused() {
    let app = TestApp::spawn().await;
    let (admin, event) = app.admin_with_event().await;
    let id = event["id"].as_str().unwrap();
    let slug = event["slug"].as_str().unwrap();
    let invalid = vec![("email".to_string(), "invalid_email".to_string())];
    for email in ["ann\u{0}@example.org", "ann\u{1b}[31m@example.org"] {
        let r = reqwest::Client::new()
            .post(app.url("/api/auth/login-link"))
            .json(&json!({ "email": email }))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY, "{email:?}");
        assert_eq!(field_codes(&r.json().await.unwrap()), invalid);

        let body = admin
            .expect(
                Method::POST,
                &format!("/api/events/{id}/participants"),
                Some(json!({"name": "Ann", "email": email, "role": "buyer"})),
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await;
        assert_eq!(field_codes(&body), invalid);

        let r = reqwest::Client::new()
            .post(app.url(&format!("/api/public/events/{slug}/registrations")))
            .json(
                &json!({"name": "Ann", "email": email, "organisation": "Ann BV",
                "role": "buyer"}),
            )
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY, "{email:?}");
        assert_eq!(field_codes(&r.json().await.unwrap()), invalid);
    }
    let people = admin.get(&format!("/api/events/{id}/participants")).await;
    assert!(!people.to_string().contains("ann"), "{people}");
}
