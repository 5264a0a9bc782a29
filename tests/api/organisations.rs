//! Membership by grant: typing an organisation's name never gives access to its
//! factsheets or files; members and organisers grant it, and every grant can be taken back.

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::helpers::{Session, TestApp, World, invite, organisation_id};

/// An event (the admin organises it) where Sara of ReMeubel keeps a draft, a published
/// factsheet with two versions and a private PDF. It is a [`World`] with these
/// (`w.event`, `w.organiser` reach the world).
struct Remeubel<'a> {
    world: World<'a>,
    sara: Session,
    remeubel: String,
    draft: String,
    published: String,
    pdf: String,
}

impl<'a> std::ops::Deref for Remeubel<'a> {
    type Target = World<'a>;
    fn deref(&self) -> &World<'a> {
        &self.world
    }
}

fn sheet(title: &str) -> Value {
    crate::catalogue::complete(title, title, "office-furniture")
}

async fn world(app: &TestApp) -> Remeubel<'_> {
    let world = World::new(app).await;
    let sara = world.supplier("Sara", "ReMeubel").await;
    let me = sara.get("/api/me").await;
    assert_eq!(me["organisation"], "ReMeubel", "a new name founds it");
    let remeubel = me["organisation_id"].as_str().unwrap().to_string();
    let draft = world.draft(&sara, sheet("Kladje")).await;
    let published = world.publish(&sara, sheet("Stoelen")).await;
    let pdf = world.upload_pdf(&sara).await;
    Remeubel {
        world,
        sara,
        remeubel,
        draft,
        published,
        pdf,
    }
}

async fn status(s: &Session, method: Method, path: &str, body: Option<Value>) -> StatusCode {
    s.send(method, path, body).await.status()
}

/// Nothing of ReMeubel's is open to `s`: drafts, versions, differences, the export, the
/// private PDF, editing, deleting, the organisation's page.
async fn assert_locked_out(w: &Remeubel<'_>, s: &Session) {
    let base = format!("/api/events/{}/factsheets", w.event);
    for path in [
        format!("{base}/{}", w.draft),
        format!("{base}/{}/history", w.published),
        format!("{base}/{}/diff?from=1&to=1", w.published),
        format!("/api/files/{}", w.pdf),
        format!("/api/organisations/{}", w.remeubel),
    ] {
        assert_eq!(
            status(s, Method::GET, &path, None).await,
            StatusCode::NOT_FOUND,
            "GET {path}"
        );
    }
    let export = status(s, Method::GET, &format!("{base}/export"), None).await;
    assert!(
        matches!(export, StatusCode::FORBIDDEN | StatusCode::NOT_FOUND),
        "export: {export}"
    );
    let list = s.send(Method::GET, &base, None).await;
    if list.status() == StatusCode::OK {
        let list: Value = list.json().await.unwrap();
        let text = list.to_string();
        assert!(
            !text.contains(&w.draft) && !text.contains(&w.published),
            "{text}"
        );
    }
    let edit = status(
        s,
        Method::PUT,
        &format!("{base}/{}", w.draft),
        Some(sheet("Van mij")),
    )
    .await;
    assert_eq!(edit, StatusCode::NOT_FOUND, "edit");
    let delete = status(s, Method::DELETE, &format!("{base}/{}", w.draft), None).await;
    assert_eq!(delete, StatusCode::NOT_FOUND, "delete");
    // A factsheet they write is never ReMeubel's.
    let created = s.send(Method::POST, &base, Some(sheet("Overname"))).await;
    if created.status() == StatusCode::CREATED {
        let created: Value = created.json().await.unwrap();
        assert_ne!(created["organisation"]["id"], w.remeubel.as_str());
    }
    // Sara's work is untouched.
    let draft = w.sara.get(&format!("{base}/{}", w.draft)).await;
    assert_eq!(draft["content"]["title_nl"], "Kladje");
}

async fn assert_let_in(w: &Remeubel<'_>, s: &Session) {
    let base = format!("/api/events/{}/factsheets", w.event);
    s.get(&format!("{base}/{}", w.draft)).await;
    s.get(&format!("{base}/{}/history", w.published)).await;
    let file = s
        .send(Method::GET, &format!("/api/files/{}", w.pdf), None)
        .await;
    assert_eq!(file.status(), StatusCode::OK);
    let org = s.get(&format!("/api/organisations/{}", w.remeubel)).await;
    assert_eq!(org["name"], "ReMeubel");
}

/// The pending request of the person with this email, as Sara's organisation page lists it.
async fn request_of(w: &Remeubel<'_>, email: &str) -> String {
    let org = w
        .sara
        .get(&format!("/api/organisations/{}", w.remeubel))
        .await;
    org["requests"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["person"]["email"] == email)
        .unwrap_or_else(|| panic!("no request of {email}: {org}"))["id"]
        .as_str()
        .unwrap()
        .to_string()
}

/// The join requests queued for this address (read from the outbox, which is written in the
/// same transaction as the request).
async fn join_requests_to(
    app: &TestApp,
    email: &str,
) -> Vec<matchfloor::entities::mail_outbox::Model> {
    use matchfloor::entities::mail_outbox;
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
    mail_outbox::Entity::find()
        .filter(mail_outbox::Column::ToEmail.eq(email))
        .all(&app.state.db)
        .await
        .unwrap()
        .into_iter()
        .filter(|m| m.subject.contains("asks to join") || m.subject.contains("vraagt om"))
        .collect()
}

#[tokio::test]
async fn typing_a_name_in_the_profile_only_asks_to_join() {
    let app = TestApp::spawn().await;
    let w = world(&app).await;
    let otto = w.supplier("Otto", "Lumen as a Service").await;
    let me = otto
        .expect(
            Method::PATCH,
            "/api/me",
            Some(json!({"organisation": "  remeubel "})),
            StatusCode::OK,
        )
        .await;
    assert_eq!(me["organisation"], "Lumen as a Service", "still his own");
    assert_eq!(me["organisation_request"]["organisation_name"], "ReMeubel");
    assert_locked_out(&w, &otto).await;
    // Sara, ReMeubel's member, is told, with a link to her profile where she decides.
    let told = join_requests_to(&app, "sara@remeubel.example").await;
    assert_eq!(told.len(), 1);
    assert_eq!(
        told[0].subject, "Otto vraagt om bij ReMeubel te horen",
        "in Sara's language"
    );
    assert!(told[0].body_text.contains("&next=/me"));

    // Neither he nor another supplier nor a buyer may let him in.
    let request = request_of(&w, "otto@lumen.example").await;
    let decide = format!("/api/organisations/{}/requests/{request}", w.remeubel);
    let bea = w.buyer("Bea", "Stad").await;
    for outsider in [&otto, &bea] {
        let answer = status(
            outsider,
            Method::POST,
            &decide,
            Some(json!({"decision": "confirm"})),
        )
        .await;
        assert_eq!(answer, StatusCode::NOT_FOUND);
    }
    // Nor through his own organisation's path.
    let lumen = organisation_id(&otto).await;
    let sideways = format!("/api/organisations/{lumen}/requests/{request}");
    assert_eq!(
        status(
            &otto,
            Method::POST,
            &sideways,
            Some(json!({"decision": "confirm"}))
        )
        .await,
        StatusCode::NOT_FOUND
    );
    assert_locked_out(&w, &otto).await;

    // Sara declines: he stays out and the request is gone.
    w.sara
        .expect(
            Method::POST,
            &decide,
            Some(json!({"decision": "decline"})),
            StatusCode::OK,
        )
        .await;
    assert!(otto.get("/api/me").await["organisation_request"].is_null());
    assert_eq!(
        status(
            &w.sara,
            Method::POST,
            &decide,
            Some(json!({"decision": "confirm"}))
        )
        .await,
        StatusCode::NOT_FOUND,
        "a decided request is not decided again"
    );
    assert_locked_out(&w, &otto).await;
    // Asking again waits for a decision again, but does not mail the members again.
    let me = otto
        .expect(
            Method::PATCH,
            "/api/me",
            Some(json!({"organisation": "ReMeubel"})),
            StatusCode::OK,
        )
        .await;
    assert_eq!(me["organisation_request"]["organisation_name"], "ReMeubel");
    assert_eq!(
        join_requests_to(&app, "sara@remeubel.example").await.len(),
        1
    );

    // A name nobody uses founds a new organisation with him as its first member.
    let me = otto
        .expect(
            Method::PATCH,
            "/api/me",
            Some(json!({"organisation": "Lumen Two"})),
            StatusCode::OK,
        )
        .await;
    assert_eq!(me["organisation"], "Lumen Two");
    assert!(me["organisation_request"].is_null());
    let org = otto
        .get(&format!(
            "/api/organisations/{}",
            me["organisation_id"].as_str().unwrap()
        ))
        .await;
    assert_eq!(org["members"][0]["email"], "otto@lumen.example");
    assert_eq!(org["members"][0]["via"], "founded");
}

#[tokio::test]
async fn registration_import_and_invitation_give_no_access_until_granted() {
    let app = TestApp::spawn().await;
    let w = world(&app).await;

    // Public registration as a supplier (approval on), naming ReMeubel (from ReMeubel's
    // own mail domain, which proves nothing either).
    let rik = w.pending_registrant("Rik", "REMEUBEL").await;
    assert_locked_out(&w, &rik).await;
    // Approved by the organiser as a supplier: still not ReMeubel's.
    let rik_row = w.set_status("rik@remeubel.example", "approved").await;
    let rik_id = w.participant_id("rik@remeubel.example").await;
    assert!(rik_row["organisation"].is_null());
    assert_eq!(rik_row["requested_organisation"], "ReMeubel");
    assert_locked_out(&w, &rik).await;

    // A CSV import and an invitation naming ReMeubel.
    let csv = "name,email,organisation,role\nIvo,ivo@import.example,ReMeubel,supplier\n";
    let imported = w
        .organiser
        .csv(&format!("/api/events/{}/participants/import", w.event), csv)
        .await;
    assert_eq!(imported.status(), StatusCode::CREATED);
    let ivo = app
        .confirm(&app.wait_for_link("ivo@import.example", 1).await)
        .await;
    assert_locked_out(&w, &ivo).await;
    let ines = w.supplier("Ines", "remeubel").await;
    assert_locked_out(&w, &ines).await;

    // Sara sees who asks, and lets Ines in: a grant she made.
    let ines_request = request_of(&w, "ines@remeubel.example").await;
    let org = w
        .sara
        .expect(
            Method::POST,
            &format!("/api/organisations/{}/requests/{ines_request}", w.remeubel),
            Some(json!({"decision": "confirm"})),
            StatusCode::OK,
        )
        .await;
    let member = org["members"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["email"] == "ines@remeubel.example")
        .unwrap()
        .clone();
    assert_eq!(member["via"], "added");
    assert_eq!(member["granted_by"], "Sara");
    assert_let_in(&w, &ines).await;
    // Members see each other.
    let seen = ines
        .get(&format!("/api/organisations/{}", w.remeubel))
        .await;
    assert_eq!(seen["members"].as_array().unwrap().len(), 2);

    // The organiser decides Ivo's request for the event; an organiser of another event may not.
    let ivo_request = request_of(&w, "ivo@import.example").await;
    let listed = w
        .organiser
        .get(&format!("/api/events/{}/organisation-requests", w.event))
        .await;
    assert!(listed.to_string().contains(&ivo_request));
    let (other_event, other_organiser) = other_event_with_organiser(&app, &w).await;
    for path in [
        format!("/api/events/{other_event}/organisation-requests/{ivo_request}"),
        format!(
            "/api/events/{}/organisation-requests/{ivo_request}",
            w.event
        ),
    ] {
        assert_eq!(
            status(
                &other_organiser,
                Method::POST,
                &path,
                Some(json!({"decision": "confirm"}))
            )
            .await,
            StatusCode::NOT_FOUND,
            "{path}"
        );
    }
    // Nor may a supplier of the event use the organisers' path.
    assert_eq!(
        status(
            &ines,
            Method::POST,
            &format!(
                "/api/events/{}/organisation-requests/{ivo_request}",
                w.event
            ),
            Some(json!({"decision": "confirm"}))
        )
        .await,
        StatusCode::FORBIDDEN
    );
    assert_locked_out(&w, &ivo).await;
    w.organiser
        .expect(
            Method::POST,
            &format!(
                "/api/events/{}/organisation-requests/{ivo_request}",
                w.event
            ),
            Some(json!({"decision": "confirm"})),
            StatusCode::NO_CONTENT,
        )
        .await;
    assert_let_in(&w, &ivo).await;

    // Removing a member takes the access back at once.
    let ines_id = ines.me["id"].as_str().unwrap();
    ivo.expect(
        Method::DELETE,
        &format!("/api/organisations/{}/members/{ines_id}", w.remeubel),
        None,
        StatusCode::NO_CONTENT,
    )
    .await;
    assert_locked_out(&w, &ines).await;
    assert!(ines.get("/api/me").await["organisation"].is_null());
    // And a former member removes nobody.
    let sara_id = w.sara.me["id"].as_str().unwrap();
    assert_eq!(
        status(
            &ines,
            Method::DELETE,
            &format!("/api/organisations/{}/members/{sara_id}", w.remeubel),
            None
        )
        .await,
        StatusCode::NOT_FOUND
    );

    // The organiser assigns Rik directly; an organiser of another event may not.
    let assign = format!("/api/events/{}/participants/{rik_id}/organisation", w.event);
    let body = json!({"organisation_id": w.remeubel});
    assert_eq!(
        status(&other_organiser, Method::PUT, &assign, Some(body.clone())).await,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        status(
            &other_organiser,
            Method::PUT,
            &format!("/api/events/{other_event}/participants/{rik_id}/organisation"),
            Some(body.clone())
        )
        .await,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        status(&ivo, Method::PUT, &assign, Some(body.clone())).await,
        StatusCode::FORBIDDEN
    );
    assert_locked_out(&w, &rik).await;
    w.organiser
        .expect(Method::PUT, &assign, Some(body), StatusCode::NO_CONTENT)
        .await;
    assert_let_in(&w, &rik).await;
    let org = w
        .sara
        .get(&format!("/api/organisations/{}", w.remeubel))
        .await;
    let rik_member = org["members"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["email"] == "rik@remeubel.example")
        .unwrap()
        .clone();
    assert_eq!(rik_member["via"], "assigned");
    assert!(org["requests"].as_array().unwrap().is_empty(), "{org}");
}

/// A second event, organised by someone who is no platform admin.
async fn other_event_with_organiser(app: &TestApp, w: &Remeubel<'_>) -> (String, Session) {
    let other = w.other_event().await;
    let organiser = invite(
        app,
        &w.organiser,
        &other,
        json!({"name": "Olga", "email": "olga@other.example", "role": "organiser"}),
    )
    .await;
    (other, organiser)
}

#[tokio::test]
async fn an_import_founds_new_organisations_with_all_their_rows() {
    let app = TestApp::spawn().await;
    let w = world(&app).await;
    let csv = "name,email,organisation,role\n\
               Nina,nina@nieuw.example,Nieuw BV,supplier\n\
               Nico,nico@nieuw.example,nieuw bv,supplier\n\
               Rob,rob@x.example,ReMeubel,supplier\n";
    let imported = w
        .organiser
        .csv(&format!("/api/events/{}/participants/import", w.event), csv)
        .await;
    assert_eq!(imported.status(), StatusCode::CREATED);
    let list = w
        .organiser
        .get(&format!("/api/events/{}/participants", w.event))
        .await;
    let row = |email: &str| {
        list["participants"]
            .as_array()
            .unwrap()
            .iter()
            .find(|p| p["email"] == email)
            .unwrap()
            .clone()
    };
    assert_eq!(row("nina@nieuw.example")["organisation"], "Nieuw BV");
    assert_eq!(row("nico@nieuw.example")["organisation"], "Nieuw BV");
    assert!(row("rob@x.example")["organisation"].is_null());
    assert_eq!(row("rob@x.example")["requested_organisation"], "ReMeubel");
    let organisations = w
        .organiser
        .get(&format!("/api/events/{}/organisations", w.event))
        .await;
    let names: Vec<&str> = organisations["organisations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["Nieuw BV", "ReMeubel"]);
    // Only organisers list them.
    assert_eq!(
        status(
            &w.sara,
            Method::GET,
            &format!("/api/events/{}/organisations", w.event),
            None
        )
        .await,
        StatusCode::FORBIDDEN
    );
    // An organisation not in the event cannot be assigned.
    let (_, other_organiser) = other_event_with_organiser(&app, &w).await;
    let elsewhere = other_organiser
        .expect(
            Method::PATCH,
            "/api/me",
            Some(json!({"organisation": "Elders"})),
            StatusCode::OK,
        )
        .await["organisation_id"]
        .as_str()
        .unwrap()
        .to_string();
    let rob = w.participant_id("rob@x.example").await;
    let refused = w
        .organiser
        .expect(
            Method::PUT,
            &format!("/api/events/{}/participants/{rob}/organisation", w.event),
            Some(json!({"organisation_id": elsewhere})),
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    assert_eq!(
        refused["error"]["details"]["fields"][0]["code"],
        "not_in_event"
    );
}

#[tokio::test]
async fn the_migration_keeps_existing_links_as_grants() {
    use migration::{Migrator, MigratorTrait};
    use sea_orm::sea_query::{Alias, Query};
    use sea_orm::{ConnectionTrait, Database};

    // A database as it was before grants: three migrations, a supplier with an
    // organisation, an organiser.
    let dir = tempfile::tempdir().unwrap();
    let url = crate::helpers::database_url(dir.path()).await;
    let db = Database::connect(&url).await.unwrap();
    Migrator::up(&db, Some(3)).await.unwrap();
    let now = chrono::Utc::now();
    let (org, sara, olga, event) = (
        uuid::Uuid::now_v7(),
        uuid::Uuid::now_v7(),
        uuid::Uuid::now_v7(),
        uuid::Uuid::now_v7(),
    );
    let rows = [
        Query::insert()
            .into_table(Alias::new("organisation"))
            .columns(["id", "name", "name_key", "created_at"].map(Alias::new))
            .values_panic([org.into(), "ReMeubel".into(), "remeubel".into(), now.into()])
            .to_owned(),
        Query::insert()
            .into_table(Alias::new("person"))
            .columns(
                [
                    "id",
                    "email",
                    "name",
                    "organisation_id",
                    "language",
                    "created_at",
                    "updated_at",
                ]
                .map(Alias::new),
            )
            .values_panic([
                sara.into(),
                "sara@remeubel.example".into(),
                "Sara".into(),
                org.into(),
                "nl".into(),
                now.into(),
                now.into(),
            ])
            .values_panic([
                olga.into(),
                "olga@org.example".into(),
                "Olga".into(),
                Option::<uuid::Uuid>::None.into(),
                "nl".into(),
                now.into(),
                now.into(),
            ])
            .to_owned(),
        Query::insert()
            .into_table(Alias::new("event"))
            .columns(
                [
                    "id",
                    "slug",
                    "name",
                    "description",
                    "venue",
                    "start_date",
                    "end_date",
                    "timezone",
                    "languages",
                    "created_at",
                    "updated_at",
                ]
                .map(Alias::new),
            )
            .values_panic([
                event.into(),
                "bms".into(),
                "BMS".into(),
                "".into(),
                "".into(),
                now.date_naive().into(),
                now.date_naive().into(),
                "Europe/Brussels".into(),
                "nl".into(),
                now.into(),
                now.into(),
            ])
            .to_owned(),
        Query::insert()
            .into_table(Alias::new("participation"))
            .columns(
                [
                    "id",
                    "event_id",
                    "person_id",
                    "role",
                    "status",
                    "created_at",
                    "updated_at",
                ]
                .map(Alias::new),
            )
            .values_panic([
                uuid::Uuid::now_v7().into(),
                event.into(),
                olga.into(),
                "organiser".into(),
                "approved".into(),
                now.into(),
                now.into(),
            ])
            .to_owned(),
    ];
    for row in rows {
        let statement = db.get_database_backend().build(&row);
        db.execute_raw(statement).await.unwrap();
    }
    Migrator::up(&db, None).await.unwrap();

    use matchfloor::entities::{organisation_grant, organiser_appointment, person};
    use sea_orm::EntityTrait;
    let grants = organisation_grant::Entity::find().all(&db).await.unwrap();
    assert_eq!(grants.len(), 1);
    assert_eq!(
        (grants[0].person_id, grants[0].organisation_id),
        (sara, org)
    );
    assert_eq!(grants[0].kind, matchfloor::domain::GrantKind::Existing);
    assert!(grants[0].ended_at.is_none());
    let sara_now = person::Entity::find_by_id(sara)
        .one(&db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(sara_now.organisation_id, Some(org), "the link stays");
    let appointments = organiser_appointment::Entity::find()
        .all(&db)
        .await
        .unwrap();
    assert_eq!(appointments.len(), 1);
    assert_eq!(
        (appointments[0].person_id, appointments[0].event_id),
        (olga, event)
    );
    assert_eq!(
        appointments[0].how,
        matchfloor::domain::Appointment::Existing
    );
    assert!(appointments[0].appointed_by.is_none());
}

#[tokio::test]
async fn naming_the_same_new_organisation_at_once_founds_it_once() {
    let app = TestApp::spawn().await;
    let w = World::new(&app).await;
    let mut people = Vec::new();
    for i in 0..6 {
        people.push(w.person(&format!("P{i}"), "supplier").await);
    }
    let answers = futures_util::future::join_all(people.iter().map(|s| {
        s.send(
            Method::PATCH,
            "/api/me",
            Some(json!({"organisation": "Nieuwe Coöperatie"})),
        )
    }))
    .await;
    let mut founders = 0;
    for answer in answers {
        assert_eq!(answer.status(), StatusCode::OK);
        let me: Value = answer.json().await.unwrap();
        if me["organisation"] == "Nieuwe Coöperatie" {
            founders += 1;
        } else {
            assert_eq!(
                me["organisation_request"]["organisation_name"],
                "Nieuwe Coöperatie"
            );
        }
    }
    assert_eq!(founders, 1, "one founds it, the others ask to join");
}
