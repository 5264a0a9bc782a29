//! Factsheets, their review, the catalogue search, uploads, export and buyer needs.

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::helpers::{PDF, Session, TestApp, World, upload};

/// An event with the admin as organiser, two people of one supplier (Sara and her
/// colleague Colin of ReMeubel), a second supplier (Otto of Lumen) and a buyer (Bea), each
/// logged in. It is a [`World`] with these people (`w.event`, `w.publish(..)` reach the
/// world).
pub(crate) struct Fair<'a> {
    pub world: World<'a>,
    pub supplier: Session,
    colleague: Session,
    other_supplier: Session,
    pub buyer: Session,
}

impl<'a> std::ops::Deref for Fair<'a> {
    type Target = World<'a>;
    fn deref(&self) -> &World<'a> {
        &self.world
    }
}

pub(crate) async fn world(app: &TestApp) -> Fair<'_> {
    let world = World::new(app).await;
    let supplier = world.supplier("Sara", "ReMeubel").await;
    // Colin names ReMeubel, which Sara founded: he joins when she lets him in.
    let colleague = world.colleague("Colin", &supplier).await;
    let other_supplier = world.supplier("Otto", "Lumen as a Service").await;
    let buyer = world.buyer("Bea", "Stad Lindeveld").await;
    Fair {
        world,
        supplier,
        colleague,
        other_supplier,
        buyer,
    }
}

pub(crate) fn complete(title_nl: &str, title_en: &str, group: &str) -> Value {
    json!({
        "title_nl": title_nl,
        "title_en": title_en,
        "pitch_nl": if title_nl.is_empty() { "" } else { "Een korte pitch." },
        "pitch_en": if title_en.is_empty() { "" } else { "A short pitch." },
        "product_groups": [group],
        "business_models": ["refurbished-second-hand"],
        "claims": [
            {"strategy": "A3", "explanation_nl": "Hergebruik van onderdelen",
             "evidence": [{"kind": "lca", "title": "LCA 2025", "url": "https://example.org/lca.pdf"}]},
            {"strategy": "C5", "explanation_nl": "Terugname", "evidence": []}
        ],
        "contact_name": "Sara",
        "contact_email": "sara@remeubel.example",
        "country": "be",
    })
}

pub(crate) async fn create(s: &Session, event: &str, body: Value) -> Value {
    s.expect(
        Method::POST,
        &format!("/api/events/{event}/factsheets"),
        Some(body),
        StatusCode::CREATED,
    )
    .await
}

pub(crate) async fn search(s: &Session, event: &str, query: &str) -> Value {
    s.get(&format!("/api/events/{event}/catalogue?{query}"))
        .await
}

fn titles(result: &Value) -> Vec<String> {
    result["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            let nl = r["title_nl"].as_str().unwrap();
            if nl.is_empty() {
                r["title_en"].as_str().unwrap()
            } else {
                nl
            }
            .to_string()
        })
        .collect()
}

fn count(result: &Value, facet: &str, value: &str) -> u64 {
    result["facets"][facet]
        .as_array()
        .unwrap()
        .iter()
        .find(|v| v["value"] == value)
        .map(|v| v["count"].as_u64().unwrap())
        .unwrap_or(0)
}

#[tokio::test]
async fn only_the_suppliers_own_people_edit_and_drafts_stay_private() {
    let app = TestApp::spawn().await;
    let w = world(&app).await;
    let sheet = create(
        &w.supplier,
        &w.event,
        json!({"title_nl": "Refurbished bureaustoel"}),
    )
    .await;
    assert_eq!(sheet["status"], "draft");
    assert_eq!(sheet["organisation"]["name"], "ReMeubel");
    let path = format!(
        "/api/events/{}/factsheets/{}",
        w.event,
        sheet["id"].as_str().unwrap()
    );

    // A colleague of the same organisation may edit.
    let saved = w
        .colleague
        .expect(
            Method::PUT,
            &path,
            Some(json!({"title_nl": "Refurbished bureaustoelen"})),
            StatusCode::OK,
        )
        .await;
    assert_eq!(saved["version"], 2);
    // Another supplier and a buyer learn nothing; the organiser may read but not edit.
    for outsider in [&w.other_supplier, &w.buyer] {
        outsider
            .expect(Method::GET, &path, None, StatusCode::NOT_FOUND)
            .await;
        outsider
            .expect(
                Method::PUT,
                &path,
                Some(json!({"title_nl": "Overgenomen"})),
                StatusCode::NOT_FOUND,
            )
            .await;
        outsider
            .expect(Method::DELETE, &path, None, StatusCode::NOT_FOUND)
            .await;
    }
    w.organiser
        .expect(Method::GET, &path, None, StatusCode::OK)
        .await;
    w.organiser
        .expect(
            Method::PUT,
            &path,
            Some(json!({"title_nl": "Door de organisator"})),
            StatusCode::FORBIDDEN,
        )
        .await;
    // Buyers cannot write factsheets; only organisers review.
    w.buyer
        .expect(
            Method::POST,
            &format!("/api/events/{}/factsheets", w.event),
            Some(json!({"title_nl": "x"})),
            StatusCode::FORBIDDEN,
        )
        .await;
    w.supplier
        .expect(
            Method::POST,
            &format!("{path}/review"),
            Some(json!({"decision": "approve"})),
            StatusCode::FORBIDDEN,
        )
        .await;
    // The other supplier's list does not show it; the draft is in nobody's catalogue.
    let theirs = w
        .other_supplier
        .get(&format!("/api/events/{}/factsheets", w.event))
        .await;
    assert_eq!(theirs["factsheets"].as_array().unwrap().len(), 0);
    for reader in [&w.buyer, &w.organiser, &w.supplier] {
        let found = search(reader, &w.event, "q=bureaustoel").await;
        assert_eq!(found["total"], 0);
        reader
            .expect(
                Method::GET,
                &format!(
                    "/api/events/{}/catalogue/{}",
                    w.event,
                    sheet["id"].as_str().unwrap()
                ),
                None,
                StatusCode::NOT_FOUND,
            )
            .await;
    }
    // Unknown codes and bad links are refused, field by field, and nothing is lost.
    let refused = w
        .supplier
        .expect(Method::PUT, &path, Some(json!({"title_nl": "x", "product_groups": ["space-travel"],
            "claims": [{"strategy": "Z9", "evidence": [{"kind": "lca", "title": "t", "url": "javascript:alert(1)"}]}]})),
            StatusCode::UNPROCESSABLE_ENTITY)
        .await;
    let fields: Vec<&str> = refused["error"]["details"]["fields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["field"].as_str().unwrap())
        .collect();
    assert_eq!(
        fields,
        [
            "product_groups[0]",
            "claims[0].strategy",
            "claims[0].evidence[0].url"
        ]
    );
    let kept = w.supplier.get(&path).await;
    assert_eq!(kept["content"]["title_nl"], "Refurbished bureaustoelen");
}

#[tokio::test]
async fn review_workflow_keeps_versions_and_shows_differences() {
    let app = TestApp::spawn().await;
    let w = world(&app).await;
    let sheet = create(
        &w.supplier,
        &w.event,
        json!({"title_nl": "Circulaire stoel"}),
    )
    .await;
    let id = sheet["id"].as_str().unwrap();
    let path = format!("/api/events/{}/factsheets/{id}", w.event);

    // Submitting an incomplete factsheet says what is missing.
    let missing = w
        .supplier
        .expect(
            Method::POST,
            &format!("{path}/submit"),
            None,
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    let fields: Vec<&str> = missing["error"]["details"]["fields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["field"].as_str().unwrap())
        .collect();
    assert_eq!(
        fields,
        [
            "pitch_nl",
            "product_groups",
            "contact_name",
            "contact_email"
        ]
    );

    w.supplier
        .expect(
            Method::PUT,
            &path,
            Some(complete("Circulaire stoel", "", "office-furniture")),
            StatusCode::OK,
        )
        .await;
    let submitted = w
        .supplier
        .expect(
            Method::POST,
            &format!("{path}/submit"),
            None,
            StatusCode::OK,
        )
        .await;
    assert_eq!(submitted["status"], "submitted");
    assert_eq!(submitted["self_declared"], json!(["C5"]));

    // The review queue lists it and its claim without evidence.
    let queue = w
        .organiser
        .get(&format!("/api/events/{}/review", w.event))
        .await;
    assert_eq!(queue["submitted"][0]["id"], id);
    assert_eq!(queue["self_declared_claims"][0]["strategy"], "C5");
    assert_eq!(queue["self_declared_claims"][0]["published"], false);

    // Sending back needs a comment; the supplier's people see it and get an email.
    w.organiser
        .expect(
            Method::POST,
            &format!("{path}/review"),
            Some(json!({"decision": "return"})),
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    let returned = w
        .organiser
        .expect(
            Method::POST,
            &format!("{path}/review"),
            Some(json!({"decision": "return", "comment": "Voeg bewijs toe voor C5."})),
            StatusCode::OK,
        )
        .await;
    assert_eq!(returned["status"], "returned");
    let seen = w.colleague.get(&path).await;
    assert_eq!(seen["review_comment"], "Voeg bewijs toe voor C5.");
    // Sara's mails: her invitation, Colin's request to join ReMeubel, the review.
    for (email, count) in [("sara@remeubel.example", 3), ("colin@remeubel.example", 2)] {
        let mails = app.wait_for_mails(email, count).await;
        let mail = mails
            .iter()
            .find(|m| m.subject.contains("Circulaire stoel"))
            .expect("a review mail");
        assert!(
            mail.body.contains("Voeg bewijs toe voor C5."),
            "{}",
            mail.body
        );
    }

    // The supplier fixes it and submits again; an organiser holding an old version is told.
    let mut fixed = complete("Circulaire stoel", "", "office-furniture");
    fixed["claims"][1]["evidence"] = json!([{"kind": "certification", "title": "Cradle to Cradle Silver", "url": "https://example.org/c2c"}]);
    let saved = w
        .supplier
        .expect(Method::PUT, &path, Some(fixed), StatusCode::OK)
        .await;
    w.supplier
        .expect(
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
            Some(json!({"decision": "approve", "version": saved["version"].as_i64().unwrap() - 1})),
            StatusCode::CONFLICT,
        )
        .await;
    let current = w.organiser.get(&path).await;
    let approved = w
        .organiser
        .expect(
            Method::POST,
            &format!("{path}/review"),
            Some(json!({"decision": "approve", "version": current["version"]})),
            StatusCode::OK,
        )
        .await;
    assert_eq!(approved["status"], "published");
    assert_eq!(approved["published"], true);
    assert_eq!(approved["self_declared"], json!([]));

    let history = w.organiser.get(&format!("{path}/history")).await;
    let actions: Vec<&str> = history["versions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v["action"].as_str().unwrap())
        .collect();
    assert_eq!(
        actions,
        [
            "created",
            "saved",
            "submitted",
            "returned",
            "saved",
            "submitted",
            "approved"
        ]
    );
    assert_eq!(
        history["versions"][3]["comment"],
        "Voeg bewijs toe voor C5."
    );
    assert_eq!(history["versions"][4]["author"]["name"], "Sara");
    assert_eq!(history["versions"][4]["changed_fields"], json!(["claims"]));
    let diff = w.organiser.get(&format!("{path}/diff?from=1&to=7")).await;
    let changed: Vec<&str> = diff["changes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["field"].as_str().unwrap())
        .collect();
    assert_eq!(
        changed,
        [
            "pitch_nl",
            "product_groups",
            "business_models",
            "claims",
            "contact_name",
            "contact_email",
            "country"
        ]
    );
    assert_eq!(diff["changes"][0]["before"], "");
    assert_eq!(diff["changes"][6]["after"], "BE");
    w.organiser
        .expect(
            Method::GET,
            &format!("{path}/diff?from=1&to=99"),
            None,
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;

    // A change to a published factsheet waits for review; the catalogue keeps the approved text.
    let mut changed = complete("Circulaire stoel Plus", "", "office-furniture");
    changed["claims"] = approved["content"]["claims"].clone();
    let pending = w
        .supplier
        .expect(Method::PUT, &path, Some(changed), StatusCode::OK)
        .await;
    assert_eq!(pending["has_pending_changes"], true);
    assert_eq!(pending["status"], "draft");
    let found = search(&w.buyer, &w.event, "q=stoel").await;
    assert_eq!(titles(&found), ["Circulaire stoel"]);
    w.approve(&w.supplier, id).await;
    assert_eq!(
        titles(&search(&w.buyer, &w.event, "q=stoel").await),
        ["Circulaire stoel Plus"]
    );

    // With review of changes off, a change goes straight to the catalogue.
    w.organiser
        .expect(
            Method::PATCH,
            &format!("/api/events/{}", w.event),
            Some(json!({"factsheet_review_changes": false})),
            StatusCode::OK,
        )
        .await;
    let mut direct = complete("Circulaire stoel Pro", "", "office-furniture");
    direct["claims"] = approved["content"]["claims"].clone();
    let live = w
        .supplier
        .expect(Method::PUT, &path, Some(direct), StatusCode::OK)
        .await;
    assert_eq!(live["status"], "published");
    assert_eq!(live["has_pending_changes"], false);
    assert_eq!(
        titles(&search(&w.buyer, &w.event, "q=stoel").await),
        ["Circulaire stoel Pro"]
    );

    // The organiser assigns a stand; it shows at once.
    w.organiser
        .expect(
            Method::PUT,
            &format!("{path}/stand"),
            Some(json!({"stand": " B12 "})),
            StatusCode::OK,
        )
        .await;
    let card = &search(&w.buyer, &w.event, "q=stoel").await["results"][0];
    assert_eq!(card["stand"], "B12");
    // And the supplier can delete it, which takes it out of the catalogue.
    w.supplier
        .expect(Method::DELETE, &path, None, StatusCode::NO_CONTENT)
        .await;
    assert_eq!(search(&w.buyer, &w.event, "q=stoel").await["total"], 0);
}

#[tokio::test]
async fn search_stems_both_languages_and_counts_facets() {
    let app = TestApp::spawn().await;
    let w = world(&app).await;
    w.publish(
        &w.supplier,
        complete("Refurbished stoel voor elk kantoor", "", "office-furniture"),
    )
    .await;
    let mut chair = complete("", "Chair as a service", "office-furniture");
    chair["country"] = json!("NL");
    chair["claims"][1]["evidence"] =
        json!([{"kind": "tco", "title": "TCO study", "url": "https://example.org/tco"}]);
    let chair_id = w.publish(&w.other_supplier, chair).await;
    let mut lamp = complete("Lampen als dienst", "Lighting as a service", "lighting");
    lamp["business_models"] = json!(["product-as-a-service"]);
    w.publish(&w.other_supplier, lamp).await;
    // A draft never counts.
    create(
        &w.supplier,
        &w.event,
        complete("Stoelen in ontwerp", "", "office-furniture"),
    )
    .await;

    assert_eq!(
        titles(&search(&w.buyer, &w.event, "q=stoelen").await),
        ["Refurbished stoel voor elk kantoor"]
    );
    assert_eq!(
        titles(&search(&w.buyer, &w.event, "q=chairs").await),
        ["Chair as a service"]
    );
    assert_eq!(
        titles(&search(&w.buyer, &w.event, "q=lamp").await),
        ["Lampen als dienst"]
    );
    // Organisation names, taxonomy labels and prefixes are found too; every word must match.
    assert_eq!(search(&w.buyer, &w.event, "q=lumen").await["total"], 2);
    assert_eq!(
        search(&w.buyer, &w.event, "q=verlichting").await["total"],
        1
    );
    assert_eq!(search(&w.buyer, &w.event, "q=refurb").await["total"], 3);
    assert_eq!(
        search(&w.buyer, &w.event, "q=chair%20lighting").await["total"],
        0
    );
    // Hostile query syntax is just words.
    assert_eq!(
        search(&w.buyer, &w.event, "q=%22stoel%22%20OR%20*%20NEAR(").await["total"],
        0
    );

    let all = search(&w.buyer, &w.event, "").await;
    assert_eq!(all["total"], 3);
    assert_eq!(
        titles(&all),
        [
            "Chair as a service",
            "Lampen als dienst",
            "Refurbished stoel voor elk kantoor"
        ]
    );
    assert_eq!(count(&all, "product_group", "office-furniture"), 2);
    assert_eq!(count(&all, "product_group", "lighting"), 1);
    assert_eq!(count(&all, "evidence", "self-declared"), 2);
    assert_eq!(count(&all, "evidence", "tco"), 1);
    assert_eq!(count(&all, "language", "en"), 2);
    assert_eq!(count(&all, "country", "NL"), 1);
    assert_eq!(count(&all, "goal", "C"), 3);

    // Within a facet values widen the result, across facets they narrow it; a facet's own
    // counts ignore its own choice.
    let chosen = search(&w.buyer, &w.event, "product_group=lighting&language=en").await;
    assert_eq!(titles(&chosen), ["Lampen als dienst"]);
    assert_eq!(count(&chosen, "product_group", "office-furniture"), 1);
    let widened = search(
        &w.buyer,
        &w.event,
        "product_group=lighting&product_group=office-furniture&evidence=self-declared",
    )
    .await;
    assert_eq!(widened["total"], 2);
    let chairs = search(&w.buyer, &w.event, "q=chair&sort=title").await;
    assert_eq!(
        chairs["results"][0]["strategies"],
        json!([{"code": "A3", "self_declared": false}, {"code": "C5", "self_declared": false}])
    );
    let paged = search(&w.buyer, &w.event, "per_page=2&page=2&sort=newest").await;
    assert_eq!(titles(&paged), ["Refurbished stoel voor elk kantoor"]);

    // Facets follow edits once they are published.
    let path = format!("/api/events/{}/factsheets/{chair_id}", w.event);
    let mut moved = complete("", "Chair as a service", "lighting");
    moved["claims"] = json!([]);
    w.other_supplier
        .expect(Method::PUT, &path, Some(moved), StatusCode::OK)
        .await;
    assert_eq!(
        count(
            &search(&w.buyer, &w.event, "").await,
            "product_group",
            "lighting"
        ),
        1
    );
    w.approve(&w.other_supplier, &chair_id).await;
    let after = search(&w.buyer, &w.event, "").await;
    assert_eq!(count(&after, "product_group", "lighting"), 2);
    assert_eq!(count(&after, "product_group", "office-furniture"), 1);
    assert_eq!(count(&after, "evidence", "tco"), 0);

    // Another server instance on the same database answers the same.
    let second = app.another_instance().await;
    let anywhere = Session {
        base: second.address.clone(),
        ..w.buyer.clone()
    };
    assert_eq!(search(&anywhere, &w.event, "q=stoelen").await["total"], 1);
    assert_eq!(
        count(
            &search(&anywhere, &w.event, "").await,
            "product_group",
            "lighting"
        ),
        2
    );

    // Bad parameters are named.
    let bad = w
        .buyer
        .expect(
            Method::GET,
            &format!(
                "/api/events/{}/catalogue?sort=price&colour=red&page=0",
                w.event
            ),
            None,
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    let fields: Vec<&str> = bad["error"]["details"]["fields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["field"].as_str().unwrap())
        .collect();
    assert_eq!(fields, ["sort", "colour", "page"]);
}

#[tokio::test]
async fn the_catalogue_is_public_only_when_the_organiser_says_so() {
    let app = TestApp::spawn().await;
    let w = world(&app).await;
    let id = w
        .publish(&w.supplier, complete("Stoel", "Chair", "office-furniture"))
        .await;
    let anonymous = reqwest::Client::new();
    let url = app.url(&format!("/api/events/{}/catalogue?q=chair", w.event));
    assert_eq!(
        anonymous.get(&url).send().await.unwrap().status(),
        StatusCode::NOT_FOUND
    );
    w.organiser
        .expect(
            Method::PATCH,
            &format!("/api/events/{}", w.event),
            Some(json!({"catalogue_public": true})),
            StatusCode::OK,
        )
        .await;
    let found: Value = anonymous
        .get(&url)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(found["results"][0]["id"], id);
    let detail: Value = anonymous
        .get(app.url(&format!("/api/events/{}/catalogue/{id}", w.event)))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(detail["self_declared"], json!(["C5"]));
    assert_eq!(
        detail["labels"]["strategy"]["A3"]["en"],
        "Reuse, refurbish or upgrade"
    );
    let print: Value = anonymous
        .get(app.url(&format!("/api/events/{}/catalogue/print", w.event)))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(print["groups"][0]["code"], "office-furniture");
    assert_eq!(print["groups"][0]["factsheets"][0]["id"], id);
    // Management endpoints still need a login.
    assert_eq!(
        anonymous
            .get(app.url(&format!("/api/events/{}/factsheets", w.event)))
            .send()
            .await
            .unwrap()
            .status(),
        StatusCode::UNAUTHORIZED
    );
}

/// Pixels that do not compress, so the file is about 4 bytes per pixel.
fn noise(width: u32, height: u32) -> Vec<u8> {
    let mut state = 0x9E37_79B9_7F4A_7C15u64;
    let image = image::RgbaImage::from_fn(width, height, |_, _| {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        let b = state.to_le_bytes();
        image::Rgba([b[0], b[1], b[2], 255])
    });
    let mut out = Vec::new();
    image
        .write_to(&mut std::io::Cursor::new(&mut out), image::ImageFormat::Png)
        .unwrap();
    out
}

pub(crate) fn png(width: u32, height: u32) -> Vec<u8> {
    let image = image::RgbaImage::from_fn(width, height, |x, y| {
        image::Rgba([(x % 256) as u8, (y % 256) as u8, 90, 255])
    });
    let mut out = Vec::new();
    image
        .write_to(&mut std::io::Cursor::new(&mut out), image::ImageFormat::Png)
        .unwrap();
    out
}

async fn error_code(response: reqwest::Response) -> (StatusCode, String) {
    let status = response.status();
    let body: Value = response.json().await.unwrap();
    let code = body["error"]["code"]
        .as_str()
        .unwrap_or_else(|| panic!("{status}: {body}"));
    (status, code.to_string())
}

#[tokio::test]
async fn uploads_are_checked_by_content_reencoded_and_served_safely() {
    let app = TestApp::spawn_with(&[("MATCHFLOOR__UPLOADS__MAX_IMAGE_BYTES", "200000")]).await;
    let w = world(&app).await;

    // A large logo comes back as a PNG of at most 512 px, with a thumbnail.
    let response = upload(
        &w.supplier,
        &w.event,
        "logo",
        "Logo ReMeubel.gif.png",
        png(1200, 300),
    )
    .await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let logo: Value = response.json().await.unwrap();
    assert_eq!(
        (logo["width"].as_i64(), logo["height"].as_i64()),
        (Some(512), Some(128))
    );
    assert_eq!(logo["content_type"], "image/png");
    let document: Value = upload(
        &w.supplier,
        &w.event,
        "document",
        "LCA rapport.pdf",
        PDF.to_vec(),
    )
    .await
    .json()
    .await
    .unwrap();
    assert_eq!(document["filename"], "LCA rapport.pdf");

    // Refused: too large, a disguised type, content of another kind, hostile names.
    assert_eq!(
        error_code(upload(&w.supplier, &w.event, "image", "big.png", noise(300, 300)).await).await,
        (StatusCode::PAYLOAD_TOO_LARGE, "upload_too_large".into())
    );
    assert_eq!(
        error_code(upload(&w.supplier, &w.event, "document", "photo.jpg", PDF.to_vec()).await)
            .await,
        (
            StatusCode::UNPROCESSABLE_ENTITY,
            "upload_type_mismatch".into()
        )
    );
    assert_eq!(
        error_code(
            upload(
                &w.supplier,
                &w.event,
                "document",
                "report.pdf",
                b"<html><script>alert(1)</script>".to_vec()
            )
            .await
        )
        .await,
        (
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "unsupported_upload_type".into()
        )
    );
    assert_eq!(
        error_code(upload(&w.supplier, &w.event, "image", "logo.png", PDF.to_vec()).await).await,
        (
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "unsupported_upload_type".into()
        )
    );
    for hostile in [
        "../../etc/passwd.png",
        "logo\u{202E}gnp.pdf",
        ".env.png",
        "a/b.png",
    ] {
        assert_eq!(
            error_code(upload(&w.supplier, &w.event, "logo", hostile, png(10, 10)).await).await,
            (
                StatusCode::UNPROCESSABLE_ENTITY,
                "upload_filename_invalid".into()
            ),
            "{hostile}"
        );
    }
    // A truncated image is refused, not stored.
    let mut broken = png(50, 50);
    broken.truncate(60);
    assert_eq!(
        error_code(upload(&w.supplier, &w.event, "image", "broken.png", broken).await).await,
        (StatusCode::UNPROCESSABLE_ENTITY, "upload_unreadable".into())
    );
    // Buyers do not upload.
    assert_eq!(
        upload(&w.buyer, &w.event, "logo", "x.png", png(10, 10))
            .await
            .status(),
        StatusCode::FORBIDDEN
    );

    // Images are served inline, documents as attachments, never as something to run.
    let file = w
        .supplier
        .send(Method::GET, logo["url"].as_str().unwrap(), None)
        .await;
    assert_eq!(file.status(), StatusCode::OK);
    assert_eq!(file.headers()["content-type"], "image/png");
    assert_eq!(
        file.headers()["content-security-policy"],
        "default-src 'none'; sandbox"
    );
    assert_eq!(file.headers()["x-content-type-options"], "nosniff");
    let thumb = w
        .supplier
        .send(Method::GET, logo["thumb_url"].as_str().unwrap(), None)
        .await;
    let decoded = image::load_from_memory(&thumb.bytes().await.unwrap()).unwrap();
    assert_eq!(decoded.width(), 200);
    let pdf = w
        .colleague
        .send(Method::GET, document["url"].as_str().unwrap(), None)
        .await;
    assert_eq!(pdf.headers()["content-type"], "application/pdf");
    assert!(
        pdf.headers()["content-disposition"]
            .to_str()
            .unwrap()
            .starts_with("attachment")
    );
    assert_eq!(pdf.bytes().await.unwrap().as_ref(), PDF);

    // Files of a draft are private; once published, the catalogue's readers see them.
    let mut body = complete("Stoel", "", "office-furniture");
    body["logo_upload_id"] = logo["id"].clone();
    body["claims"][1]["evidence"] =
        json!([{"kind": "lca", "title": "LCA", "upload_id": document["id"]}]);
    // Another supplier's upload cannot be borrowed.
    let foreign: Value = upload(
        &w.other_supplier,
        &w.event,
        "logo",
        "lumen.png",
        png(20, 20),
    )
    .await
    .json()
    .await
    .unwrap();
    let mut borrowed = body.clone();
    borrowed["logo_upload_id"] = foreign["id"].clone();
    w.supplier
        .expect(
            Method::POST,
            &format!("/api/events/{}/factsheets", w.event),
            Some(borrowed),
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    let id = create(&w.supplier, &w.event, body).await["id"]
        .as_str()
        .unwrap()
        .to_string();
    w.buyer
        .expect(
            Method::GET,
            logo["url"].as_str().unwrap(),
            None,
            StatusCode::NOT_FOUND,
        )
        .await;
    w.approve(&w.supplier, &id).await;
    assert_eq!(
        w.buyer
            .send(Method::GET, logo["url"].as_str().unwrap(), None)
            .await
            .status(),
        StatusCode::OK
    );
    assert_eq!(
        w.buyer
            .send(Method::GET, document["url"].as_str().unwrap(), None)
            .await
            .status(),
        StatusCode::OK
    );
    let card = &search(&w.buyer, &w.event, "q=stoel").await["results"][0];
    assert_eq!(card["logo_thumb_url"], logo["thumb_url"]);
    // Stored once, under the data directory, by content hash.
    let stored: Vec<_> = walk(&app.state.settings.data_dir.join("uploads"));
    assert!(
        stored
            .iter()
            .all(|name| name.len() == 64 && name.chars().all(|c| c.is_ascii_hexdigit())),
        "{stored:?}"
    );
}

fn walk(dir: &std::path::Path) -> Vec<String> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let entry = entry.unwrap();
        if entry.file_type().unwrap().is_dir() {
            out.extend(walk(&entry.path()));
        } else {
            out.push(entry.file_name().to_string_lossy().into_owned());
        }
    }
    out
}

#[tokio::test]
async fn export_gives_organisers_every_factsheet() {
    let app = TestApp::spawn().await;
    let w = world(&app).await;
    w.publish(
        &w.supplier,
        complete("Stoel, \"refurbished\"", "Chair", "office-furniture"),
    )
    .await;
    // Suppliers write the texts: one that would be a formula stays text in a spreadsheet.
    create(
        &w.other_supplier,
        &w.event,
        json!({"title_en": "=Lamp draft"}),
    )
    .await;
    let csv = w
        .organiser
        .send(
            Method::GET,
            &format!("/api/events/{}/factsheets/export?format=csv", w.event),
            None,
        )
        .await;
    assert_eq!(csv.status(), StatusCode::OK);
    assert!(
        csv.headers()["content-disposition"]
            .to_str()
            .unwrap()
            .contains(".csv")
    );
    let text = csv.text().await.unwrap();
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let headers = reader.headers().unwrap().clone();
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), 2);
    let column = |name: &str| headers.iter().position(|h| h == name).unwrap();
    assert_eq!(&rows[0][column("title_nl")], "Stoel, \"refurbished\"");
    assert_eq!(&rows[0][column("status")], "published");
    assert_eq!(&rows[0][column("self_declared")], "C5");
    assert!(rows[0][column("claims")].contains("A3: lca LCA 2025"));
    assert_eq!(&rows[1][column("status")], "draft");
    assert_eq!(&rows[1][column("title_en")], "'=Lamp draft");
    let json = w
        .organiser
        .get(&format!(
            "/api/events/{}/factsheets/export?format=json",
            w.event
        ))
        .await;
    assert_eq!(json.as_array().unwrap().len(), 2);
    w.supplier
        .expect(
            Method::GET,
            &format!("/api/events/{}/factsheets/export", w.event),
            None,
            StatusCode::FORBIDDEN,
        )
        .await;
    w.organiser
        .expect(
            Method::GET,
            &format!("/api/events/{}/factsheets/export?format=xls", w.event),
            None,
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
}

#[tokio::test]
async fn buyer_needs_reach_suppliers_only_when_shared() {
    let app = TestApp::spawn().await;
    let w = world(&app).await;
    let path = format!("/api/events/{}/needs/me", w.event);
    let empty = w.buyer.get(&path).await;
    assert_eq!(empty["updated_at"], Value::Null);
    let bad = w
        .buyer
        .expect(
            Method::PUT,
            &path,
            Some(json!({"product_groups": ["moon"], "business_models": ["barter"], "budget_min": 500, "budget_max": 100})),
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    let fields: Vec<&str> = bad["error"]["details"]["fields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["field"].as_str().unwrap())
        .collect();
    assert_eq!(
        fields,
        ["product_groups[0]", "business_models[0]", "budget_max"]
    );
    let needs = json!({"product_groups": ["office-furniture"], "strategies": ["a3"], "business_models": ["take-back"],
        "project_what": "200 bureaustoelen", "project_when": "Q2 2027", "budget_min": 20000, "budget_max": 60000,
        "shared_with_suppliers": false});
    let saved = w
        .buyer
        .expect(Method::PUT, &path, Some(needs.clone()), StatusCode::OK)
        .await;
    assert_eq!(saved["strategies"], json!(["A3"]));
    assert_eq!(saved["business_models"], json!(["take-back"]));
    let list = format!("/api/events/{}/needs", w.event);
    assert_eq!(
        w.supplier.get(&list).await["needs"]
            .as_array()
            .unwrap()
            .len(),
        0
    );
    assert_eq!(
        w.organiser.get(&list).await["needs"][0]["project_what"],
        "200 bureaustoelen"
    );
    let mut shared = needs;
    shared["shared_with_suppliers"] = json!(true);
    w.buyer
        .expect(Method::PUT, &path, Some(shared), StatusCode::OK)
        .await;
    let seen = w.supplier.get(&list).await;
    assert_eq!(seen["needs"][0]["person"]["name"], "Bea");
    assert_eq!(seen["needs"][0]["organisation"], "Stad Lindeveld");
    // The supplier can ask the buyer for a meeting from the list.
    let bea = w.participant_id("bea@stad.example").await;
    assert_eq!(seen["needs"][0]["participant_id"], bea.as_str());
    w.supplier
        .expect(
            Method::POST,
            &w.path("/requests"),
            Some(json!({"participant_id": bea, "priority": "would_like"})),
            StatusCode::CREATED,
        )
        .await;
    // Needs are for buyers; other buyers' needs are not for buyers.
    w.supplier
        .expect(Method::PUT, &path, Some(json!({})), StatusCode::FORBIDDEN)
        .await;
    w.buyer
        .expect(Method::GET, &list, None, StatusCode::FORBIDDEN)
        .await;
}

#[tokio::test]
async fn a_factsheet_names_its_suppliers_to_the_events_participants_only() {
    let app = TestApp::spawn().await;
    let w = world(&app).await;
    let id = w
        .publish(&w.supplier, complete("Stoel", "Chair", "office-furniture"))
        .await;
    w.supplier
        .expect(
            Method::PATCH,
            "/api/me",
            Some(json!({"job_title": "Sales lead"})),
            StatusCode::OK,
        )
        .await;
    let page = format!("/api/events/{}/catalogue/{id}", w.event);
    let sara = w.participant_id("sara@remeubel.example").await;
    let colin = w.participant_id("colin@remeubel.example").await;
    // A buyer sees who speaks for the factsheet, in name order, and can ask one of them.
    let seen = w.buyer.get(&page).await;
    assert_eq!(
        seen["people"],
        json!([
            {"participant_id": colin, "name": "Colin", "job_title": null},
            {"participant_id": sara, "name": "Sara", "job_title": "Sales lead"},
        ])
    );
    w.buyer
        .expect(
            Method::POST,
            &w.path("/requests"),
            Some(json!({"participant_id": sara, "priority": "must"})),
            StatusCode::CREATED,
        )
        .await;
    // Every active participant does: another supplier, the supplier's own people.
    assert_eq!(w.other_supplier.get(&page).await["people"], seen["people"]);
    assert_eq!(w.colleague.get(&page).await["people"], seen["people"]);
    // Who left the event is no longer named.
    w.set_status("colin@remeubel.example", "cancelled").await;
    assert_eq!(
        w.buyer.get(&page).await["people"],
        json!([{"participant_id": sara, "name": "Sara", "job_title": "Sales lead"}])
    );

    // Not named to: a platform admin who does not take part (the event's creator here),
    // anonymous visitors and registrations awaiting approval of a public catalogue,
    // people of another event.
    let admin = w.organiser.get(&page).await;
    assert_eq!(admin["id"], id.as_str());
    assert!(admin.get("people").is_none(), "{admin}");
    let pending = w.pending_registrant("Pia", "Circ NV").await;
    pending
        .expect(Method::GET, &page, None, StatusCode::NOT_FOUND)
        .await;
    w.organiser
        .expect(
            Method::PATCH,
            &format!("/api/events/{}", w.event),
            Some(json!({"catalogue_public": true})),
            StatusCode::OK,
        )
        .await;
    let anonymous: Value = reqwest::Client::new()
        .get(app.url(&page))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(anonymous["id"], id.as_str());
    assert!(anonymous.get("people").is_none(), "{anonymous}");
    assert!(pending.get(&page).await.get("people").is_none());
    let elsewhere = w.other_event().await;
    let outsider = crate::helpers::invite(
        &app,
        &w.organiser,
        &elsewhere,
        json!({"name": "Olga", "email": "olga@example.org", "role": "buyer"}),
    )
    .await;
    assert!(outsider.get(&page).await.get("people").is_none());
    w.organiser
        .expect(
            Method::PATCH,
            &format!("/api/events/{}", w.event),
            Some(json!({"catalogue_public": false})),
            StatusCode::OK,
        )
        .await;
    outsider
        .expect(Method::GET, &page, None, StatusCode::NOT_FOUND)
        .await;
}

#[tokio::test]
async fn a_stand_number_cannot_break_the_search_listing() {
    let app = TestApp::spawn().await;
    let w = world(&app).await;
    let id = w
        .publish(
            &w.supplier,
            complete("Refurbished stoel", "", "office-furniture"),
        )
        .await;
    let path = format!("/api/events/{}/factsheets/{id}/stand", w.event);
    // The listing is tab- and line-separated; such a stand would forge the title and the
    // facets of this factsheet, or a whole line for another one.
    for hostile in [
        "B1\tAAA\tproduct_groups:lighting",
        "B1\n00000000-0000-0000-0000-000000000000\t0",
        "B1\u{0}",
    ] {
        let body = w
            .organiser
            .expect(
                Method::PUT,
                &path,
                Some(json!({ "stand": hostile })),
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await;
        assert_eq!(
            body["error"]["details"]["fields"][0]["field"], "stand",
            "{body}"
        );
        assert_eq!(
            body["error"]["details"]["fields"][0]["code"],
            "control_character"
        );
    }
    let all = search(&w.buyer, &w.event, "").await;
    assert_eq!(all["total"], 1);
    assert_eq!(all["results"][0]["stand"], Value::Null);
    assert_eq!(count(&all, "product_group", "office-furniture"), 1);
    assert_eq!(count(&all, "product_group", "lighting"), 0);
    // A factsheet title with a line break is refused the same way.
    let mut broken = complete("Stoel\nB1", "", "office-furniture");
    broken["title_en"] = json!("Chair\t2");
    let r = w
        .supplier
        .send(
            Method::POST,
            &format!("/api/events/{}/factsheets", w.event),
            Some(broken),
        )
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body: Value = r.json().await.unwrap();
    let fields: Vec<&str> = body["error"]["details"]["fields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["field"].as_str().unwrap())
        .collect();
    assert_eq!(fields, ["title_nl", "title_en"]);
}

/// A page far past the last one is empty; a page number past `bounds::PAGE` is refused
/// like page 0 (the largest number the server could read overflowed the offset: a panic).
#[tokio::test]
async fn page_numbers_far_past_the_end_are_empty_or_refused() {
    let app = TestApp::spawn().await;
    let (admin, event) = app.admin_with_event().await;
    let id = event["id"].as_str().unwrap();
    let last = *matchfloor::bounds::PAGE.end();
    let empty = admin
        .expect(
            Method::GET,
            &format!("/api/events/{id}/catalogue?page={last}&per_page=100"),
            None,
            StatusCode::OK,
        )
        .await;
    assert_eq!(empty["results"], json!([]));
    for page in [0, last + 1, usize::MAX] {
        let refused = admin
            .expect(
                Method::GET,
                &format!("/api/events/{id}/catalogue?page={page}&per_page=100"),
                None,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await;
        assert_eq!(
            refused["error"]["details"]["fields"][0]["field"], "page",
            "{page}"
        );
    }
}
