//! Texts in Dutch and English: a factsheet's price model, TCO statement, claims and
//! reference cases, and an event's description; the migration that split the texts that
//! used to exist in one language only.

use reqwest::{Method, StatusCode};
use sea_orm::sea_query::{Alias, Query};
use sea_orm::{ConnectionTrait, Database};
use serde_json::{Value, json};

use crate::catalogue::{complete, create, png, search, world};
use crate::helpers::{TestApp, World, database_url, upload};

fn bilingual_sheet() -> Value {
    let mut body = complete(
        "Gereviseerde stoelen",
        "Refurbished chairs",
        "office-furniture",
    );
    body["price_model_nl"] = json!("Maandelijkse huurprijs per zitplaats");
    body["price_model_en"] = json!("Monthly subscription per seat");
    body["tco_statement_nl"] = json!("Goedkoper dan nieuw over tien jaar");
    body["tco_statement_en"] = json!("Cheaper than new across a decade");
    body["claims"][0]["explanation_en"] = json!("Parts get harvested and reused");
    body["reference_cases"] = json!([{
        "title_nl": "Provinciehuis", "title_en": "Townhall refit", "client": "Provincie",
        "description_nl": "Tweehonderd stoelen", "description_en": "Two hundred armchairs",
        "url": ""
    }]);
    body
}

fn ids(result: &Value) -> Vec<String> {
    result["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].as_str().unwrap().to_string())
        .collect()
}

#[tokio::test]
async fn factsheet_texts_travel_in_both_languages() {
    let app = TestApp::spawn().await;
    let w = world(&app).await;
    let id = w.publish(&w.supplier, bilingual_sheet()).await;

    // What was written comes back field by field, in the working and the published copy.
    let sheet = w
        .supplier
        .get(&format!("/api/events/{}/factsheets/{id}", w.event))
        .await;
    let page = w
        .buyer
        .get(&format!("/api/events/{}/catalogue/{id}", w.event))
        .await;
    for content in [&sheet["content"], &page["content"]] {
        assert_eq!(content["price_model_en"], "Monthly subscription per seat");
        assert_eq!(
            content["price_model_nl"],
            "Maandelijkse huurprijs per zitplaats"
        );
        assert_eq!(
            content["tco_statement_en"],
            "Cheaper than new across a decade"
        );
        assert_eq!(
            content["claims"][0]["explanation_nl"],
            "Hergebruik van onderdelen"
        );
        assert_eq!(
            content["claims"][0]["explanation_en"],
            "Parts get harvested and reused"
        );
        assert_eq!(content["reference_cases"][0]["title_en"], "Townhall refit");
        assert_eq!(
            content["reference_cases"][0]["description_nl"],
            "Tweehonderd stoelen"
        );
        assert_eq!(content["reference_cases"][0]["client"], "Provincie");
    }

    // Words of either language are found, stemmed in their own language.
    for word in [
        "subscriptions",
        "huurprijs",
        "decade",
        "goedkoper",
        "harvested",
        "townhall",
        "armchair",
        "provinciehuis",
    ] {
        let found = search(&w.buyer, &w.event, &format!("q={word}")).await;
        assert_eq!(ids(&found), std::slice::from_ref(&id), "{word}");
    }

    // The old one-language names are unknown fields now, refused with a clear error.
    for (field, body) in [
        (
            "price_model",
            json!({"title_nl": "x", "price_model": "€ 10"}),
        ),
        (
            "explanation",
            json!({"title_nl": "x", "claims": [{"strategy": "A3", "explanation": "y"}]}),
        ),
    ] {
        let refused = w
            .supplier
            .expect(
                Method::POST,
                &format!("/api/events/{}/factsheets", w.event),
                Some(body),
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await;
        let unknown = format!("unknown field `{field}`");
        assert!(
            refused["error"]["message"]
                .as_str()
                .unwrap()
                .contains(&unknown),
            "{refused}"
        );
    }
    // A reference case needs a title in one of the languages.
    let mut untitled = bilingual_sheet();
    untitled["reference_cases"][0]["title_nl"] = json!("");
    untitled["reference_cases"][0]["title_en"] = json!(" ");
    let refused = w
        .supplier
        .expect(
            Method::POST,
            &format!("/api/events/{}/factsheets", w.event),
            Some(untitled),
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    assert_eq!(
        refused["error"]["details"]["fields"][0]["field"],
        "reference_cases[0].title_nl"
    );

    // The export has a column per language.
    let csv = w
        .organiser
        .client
        .get(format!(
            "{}/api/events/{}/factsheets/export?format=csv",
            app.address, w.event
        ))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let header = csv.lines().next().unwrap();
    assert!(header.contains("price_model_nl,price_model_en,tco_statement_nl,tco_statement_en"));
    assert!(csv.contains("Monthly subscription per seat"));
}

#[tokio::test]
async fn a_diff_names_the_language_of_each_text_and_the_files_it_refers_to() {
    let app = TestApp::spawn().await;
    let w = world(&app).await;
    let sheet = create(&w.supplier, &w.event, bilingual_sheet()).await;
    let id = sheet["id"].as_str().unwrap();
    let path = format!("/api/events/{}/factsheets/{id}", w.event);
    let logo: Value = upload(&w.supplier, &w.event, "logo", "stoel-logo.png", png(40, 40))
        .await
        .json()
        .await
        .unwrap();
    let mut changed = bilingual_sheet();
    changed["price_model_en"] = json!("Per seat per month");
    changed["logo_upload_id"] = logo["id"].clone();
    w.supplier
        .expect(Method::PUT, &path, Some(changed), StatusCode::OK)
        .await;
    let diff = w.organiser.get(&format!("{path}/diff?from=1&to=2")).await;
    let fields: Vec<&str> = diff["changes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["field"].as_str().unwrap())
        .collect();
    assert_eq!(fields, ["price_model_en", "logo_upload_id"]);
    // The upload behind the id is described, so the diff can show its file name.
    assert_eq!(diff["uploads"][0]["id"], logo["id"]);
    assert_eq!(diff["uploads"][0]["filename"], "stoel-logo.png");
    let history = w.organiser.get(&format!("{path}/history")).await;
    assert_eq!(
        history["versions"][1]["changed_fields"],
        json!(["price_model_en", "logo_upload_id"])
    );
    // Someone outside the supplier learns nothing from a diff.
    w.buyer
        .expect(
            Method::GET,
            &format!("{path}/diff?from=1&to=2"),
            None,
            StatusCode::NOT_FOUND,
        )
        .await;
}

#[tokio::test]
async fn an_event_describes_itself_in_both_languages() {
    let app = TestApp::spawn().await;
    let w = World::new(&app).await;
    let (admin, id) = (&w.organiser, &w.event);
    assert_eq!(w.details["description_nl"], "");
    let updated = admin
        .expect(
            Method::PATCH,
            &format!("/api/events/{id}"),
            Some(json!({"description_nl": "Een namiddag vol gesprekken", "description_en": "An afternoon of meetings"})),
            StatusCode::OK,
        )
        .await;
    assert_eq!(updated["description_en"], "An afternoon of meetings");
    // Changing one language leaves the other as it was.
    let updated = admin
        .expect(
            Method::PATCH,
            &format!("/api/events/{id}"),
            Some(json!({"description_en": "An afternoon of one-to-one meetings"})),
            StatusCode::OK,
        )
        .await;
    assert_eq!(updated["description_nl"], "Een namiddag vol gesprekken");
    // The public registration page gets both.
    let public: Value = reqwest::get(app.url(&format!("/api/public/events/{}", w.slug)))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(public["description_nl"], "Een namiddag vol gesprekken");
    assert_eq!(
        public["description_en"],
        "An afternoon of one-to-one meetings"
    );
    // The old single field is gone, with a clear error; too long is too long per language.
    for (body, field) in [
        (
            json!({"description": "Beide / Both"}),
            "unknown field `description`",
        ),
        (
            json!({"description_en": "x".repeat(5001)}),
            "description_en",
        ),
    ] {
        let refused = admin
            .expect(
                Method::PATCH,
                &format!("/api/events/{id}"),
                Some(body),
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await;
        assert!(
            refused["error"]["message"]
                .as_str()
                .unwrap()
                .contains(field),
            "{refused}"
        );
    }
    // Only organisers describe the event.
    let buyer = w.buyer("Bea", "Stad").await;
    buyer
        .expect(
            Method::PATCH,
            &format!("/api/events/{id}"),
            Some(json!({"description_en": "Mine now"})),
            StatusCode::FORBIDDEN,
        )
        .await;
}

/// Inserts a row with sea-query, so the test can write the shape of an older schema.
async fn insert(db: &sea_orm::DatabaseConnection, table: &str, row: Vec<(&str, sea_orm::Value)>) {
    let (columns, values): (Vec<_>, Vec<_>) = row.into_iter().unzip();
    let mut stmt = Query::insert();
    stmt.into_table(Alias::new(table))
        .columns(columns.into_iter().map(Alias::new))
        .values_panic(values.into_iter().map(Into::into));
    db.execute(&stmt).await.unwrap();
}

#[tokio::test]
async fn the_migration_keeps_texts_written_in_one_language() {
    use sea_orm::Value as V;
    use uuid::Uuid;

    // A database as it was before texts became bilingual, with an English-only and a
    // Dutch factsheet, each published with a history.
    let dir = tempfile::tempdir().unwrap();
    let url = database_url(dir.path()).await;
    let db = Database::connect(&url).await.unwrap();
    use migration::MigratorTrait;
    migration::Migrator::up(&db, Some(3)).await.unwrap();
    let now = chrono::Utc::now();
    let (org, person, nl_event, en_event) = (
        Uuid::now_v7(),
        Uuid::now_v7(),
        Uuid::now_v7(),
        Uuid::now_v7(),
    );
    insert(
        &db,
        "organisation",
        vec![
            ("id", V::from(org)),
            ("name", V::from("ReMeubel")),
            ("name_key", V::from("remeubel")),
            ("created_at", V::from(now)),
        ],
    )
    .await;
    insert(
        &db,
        "person",
        vec![
            ("id", V::from(person)),
            ("email", V::from("sara@remeubel.example")),
            ("name", V::from("Sara")),
            ("organisation_id", V::from(org)),
            ("language", V::from("nl")),
            ("is_admin", V::from(false)),
            ("created_at", V::from(now)),
            ("updated_at", V::from(now)),
        ],
    )
    .await;
    for (id, slug, languages, description) in [
        (nl_event, "gent", "nl,en", "Nederlands / English"),
        (en_event, "ghent", "en", "In English only"),
    ] {
        insert(
            &db,
            "event",
            vec![
                ("id", V::from(id)),
                ("slug", V::from(slug)),
                ("name", V::from("Buyer meets Supplier")),
                ("description", V::from(description)),
                ("venue", V::from("")),
                (
                    "start_date",
                    V::from(chrono::NaiveDate::from_ymd_opt(2027, 3, 11).unwrap()),
                ),
                (
                    "end_date",
                    V::from(chrono::NaiveDate::from_ymd_opt(2027, 3, 11).unwrap()),
                ),
                ("timezone", V::from("Europe/Brussels")),
                ("languages", V::from(languages)),
                ("registration_open", V::from(true)),
                ("supplier_approval_required", V::from(true)),
                ("catalogue_public", V::from(true)),
                ("created_at", V::from(now)),
                ("updated_at", V::from(now)),
            ],
        )
        .await;
    }
    let old = |title_nl: &str, title_en: &str, price: &str| {
        json!({
            "title_nl": title_nl, "title_en": title_en, "pitch_nl": "", "pitch_en": "",
            "description_nl": "", "description_en": "", "product_groups": [], "business_models": [],
            "claims": [{"strategy": "A3", "explanation": "Second life for chairs", "evidence": []}],
            "price_model": price, "tco_statement": "Half the cost of new",
            "reference_cases": [{"title": "City hall", "client": "City", "description": "Two hundred chairs", "url": ""}],
            "contact_name": "", "contact_email": "", "contact_phone": "", "website": "",
            "country": "", "logo_upload_id": null, "image_upload_ids": []
        })
        .to_string()
    };
    let english = Uuid::now_v7();
    let dutch = Uuid::now_v7();
    for (id, content, first) in [
        (
            english,
            old("", "Chairs", "From € 9 a month"),
            old("", "Chairs", "From € 8 a month"),
        ),
        (
            dutch,
            old("Stoelen", "Chairs", "Vanaf € 9"),
            old("Stoelen", "", "Vanaf € 8"),
        ),
    ] {
        insert(
            &db,
            "factsheet",
            vec![
                ("id", V::from(id)),
                ("event_id", V::from(en_event)),
                ("organisation_id", V::from(org)),
                ("status", V::from("published")),
                ("content", V::from(content.clone())),
                ("published_content", V::from(content.clone())),
                ("published_at", V::from(now)),
                ("facets", V::from("")),
                ("sort_title", V::from("chairs")),
                ("version", V::from(2)),
                ("created_by", V::from(person)),
                ("created_at", V::from(now)),
                ("updated_at", V::from(now)),
            ],
        )
        .await;
        for (number, content, changed) in [
            (
                1,
                first,
                r#"["title_nl","title_en","price_model","tco_statement"]"#,
            ),
            (2, content, r#"["price_model"]"#),
        ] {
            insert(
                &db,
                "factsheet_version",
                vec![
                    ("id", V::from(Uuid::now_v7())),
                    ("factsheet_id", V::from(id)),
                    ("number", V::from(number)),
                    ("action", V::from("saved")),
                    ("content", V::from(content)),
                    ("changed_fields", V::from(changed)),
                    ("author_id", V::from(person)),
                    ("created_at", V::from(now)),
                ],
            )
            .await;
        }
    }
    db.close().await.unwrap();

    // The server migrates at start; everything is still there, in its language.
    let app = TestApp::spawn_on(dir, url, &[]).await;
    let admin = app.admin("admin@example.org").await;
    let event = admin.get(&format!("/api/events/{nl_event}")).await;
    assert_eq!(
        (&event["description_nl"], &event["description_en"]),
        (&json!("Nederlands / English"), &json!(""))
    );
    let event = admin.get(&format!("/api/events/{en_event}")).await;
    assert_eq!(
        (&event["description_nl"], &event["description_en"]),
        (&json!(""), &json!("In English only"))
    );

    let read = |id: Uuid| {
        let admin = admin.clone();
        async move {
            admin
                .get(&format!("/api/events/{en_event}/factsheets/{id}"))
                .await
        }
    };
    let sheet = read(english).await;
    for content in [&sheet["content"], &sheet["published_content"]] {
        assert_eq!(content["price_model_en"], "From € 9 a month");
        assert_eq!(content["price_model_nl"], "");
        assert_eq!(content["tco_statement_en"], "Half the cost of new");
        assert_eq!(
            content["claims"][0]["explanation_en"],
            "Second life for chairs"
        );
        assert_eq!(content["reference_cases"][0]["title_en"], "City hall");
        assert_eq!(
            content["reference_cases"][0]["description_en"],
            "Two hundred chairs"
        );
        assert_eq!(content["reference_cases"][0]["client"], "City");
    }
    assert!(!sheet["has_pending_changes"].as_bool().unwrap());
    let sheet = read(dutch).await;
    assert_eq!(sheet["content"]["price_model_nl"], "Vanaf € 9");
    assert_eq!(
        sheet["content"]["claims"][0]["explanation_nl"],
        "Second life for chairs"
    );

    // The history still compares, under the new field names.
    let base = format!("/api/events/{en_event}/factsheets/{english}");
    let diff = admin.get(&format!("{base}/diff?from=1&to=2")).await;
    assert_eq!(diff["changes"][0]["field"], "price_model_en");
    assert_eq!(diff["changes"][0]["before"], "From € 8 a month");
    let history = admin.get(&format!("{base}/history")).await;
    assert_eq!(
        history["versions"][0]["changed_fields"],
        json!(["title_nl", "title_en", "price_model_en", "tco_statement_en"])
    );
    let history = admin
        .get(&format!(
            "/api/events/{en_event}/factsheets/{dutch}/history"
        ))
        .await;
    assert_eq!(
        history["versions"][1]["changed_fields"],
        json!(["price_model_nl"])
    );
}
