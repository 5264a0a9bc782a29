//! Questions ahead of a market dialogue and the facilitators' briefing: writing, changing
//! and removing one's question until the session starts, what is refused (other kinds of
//! session, no sign-up, after the start), the briefing with factsheets, needs and
//! questions, its spreadsheet with formulas guarded, and who may not.

use matchfloor::entities::session_question;
use reqwest::{Method, StatusCode};
use sea_orm::{EntityTrait, PaginatorTrait};
use serde_json::{Value, json};

use crate::catalogue::complete;
use crate::helpers::{Session, TestApp, World, invite};

fn person_id(s: &Session) -> String {
    s.me["id"].as_str().unwrap().to_string()
}

/// A market dialogue on the event's day, 14:00-15:00, with `capacity` seats.
fn dialogue(title: &str, capacity: i64) -> Value {
    json!({
        "kind": "market_dialogue",
        "title_nl": format!("{title} (NL)"),
        "title_en": title,
        "date": "2027-03-11",
        "start": "14:00",
        "end": "15:00",
        "capacity": capacity,
    })
}

async fn create_session(w: &World<'_>, body: Value) -> String {
    w.organiser
        .expect(
            Method::POST,
            &w.path("/sessions"),
            Some(body),
            StatusCode::CREATED,
        )
        .await["id"]
        .as_str()
        .unwrap()
        .to_string()
}

async fn sign_up(w: &World<'_>, s: &Session, session: &str) -> Value {
    s.expect(
        Method::PUT,
        &w.path(&format!("/sessions/{session}/signup")),
        None,
        StatusCode::OK,
    )
    .await
}

fn question_path(w: &World<'_>, session: &str) -> String {
    w.path(&format!("/sessions/{session}/questions/me"))
}

fn briefing_path(w: &World<'_>, session: &str) -> String {
    w.path(&format!("/sessions/{session}/briefing"))
}

/// `s` writes `text` as their question; the answer.
async fn ask(w: &World<'_>, s: &Session, session: &str, text: &str) -> Value {
    s.expect(
        Method::PUT,
        &question_path(w, session),
        Some(json!({ "text": text })),
        StatusCode::OK,
    )
    .await
}

/// The status and error code of an answer.
async fn refused(
    s: &Session,
    method: Method,
    path: &str,
    body: Option<Value>,
) -> (StatusCode, Value) {
    let answer = s.send(method, path, body).await;
    let status = answer.status();
    let body: Value = answer.json().await.unwrap_or(Value::Null);
    (status, body["error"].clone())
}

async fn stored_questions(app: &TestApp) -> u64 {
    session_question::Entity::find()
        .count(&app.state.db)
        .await
        .unwrap()
}

#[tokio::test]
async fn participants_write_change_and_remove_their_question_until_the_session_starts() {
    let app = TestApp::spawn().await;
    let w = World::new(&app).await;
    let bea = w.buyer("Bea", "Stad Gent").await;
    let sara = w.supplier("Sara", "ReMeubel").await;
    let session = create_session(&w, dialogue("Office furniture", 1)).await;
    assert_eq!(sign_up(&w, &bea, &session).await["status"], "confirmed");
    assert_eq!(sign_up(&w, &sara, &session).await["status"], "waitlisted");
    let path = question_path(&w, &session);

    let empty = bea.get(&path).await;
    assert_eq!(empty["question"], Value::Null);
    assert_eq!(empty["open"], true);
    let starts_at = bea.get(&w.path(&format!("/sessions/{session}"))).await["starts_at"].clone();
    assert_eq!(empty["open_until"], starts_at);

    // Trimmed, line breaks kept.
    let saved = ask(
        &w,
        &bea,
        &session,
        "  Which chairs can be refurbished?\nAnd at what price?  ",
    )
    .await;
    assert_eq!(
        saved["question"]["text"],
        "Which chairs can be refurbished?\nAnd at what price?"
    );
    assert_eq!(bea.get(&path).await["question"], saved["question"]);
    // The session as Bea reads it carries her question; Sara's does not.
    let view = bea.get(&w.path(&format!("/sessions/{session}"))).await;
    assert_eq!(view["my_question"]["text"], saved["question"]["text"]);
    let programme = bea.get(&w.path("/sessions")).await;
    assert_eq!(
        programme["sessions"][0]["my_question"]["text"],
        saved["question"]["text"]
    );
    assert_eq!(
        sara.get(&w.path(&format!("/sessions/{session}"))).await["my_question"],
        Value::Null
    );

    // Writing again replaces it: one question per person and session.
    let changed = ask(&w, &bea, &session, "Do you take back old chairs?").await;
    assert_eq!(changed["question"]["text"], "Do you take back old chairs?");
    // A place on the waitlist is enough to ask.
    ask(&w, &sara, &session, "We refurbish 2,000 chairs a year.").await;
    assert_eq!(stored_questions(&app).await, 2);

    // Bad input is refused by field and loses nothing.
    for (text, code) in [
        ("   ".to_string(), "required"),
        ("null \u{0} byte".to_string(), "control_character"),
        ("x".repeat(2001), "too_long"),
    ] {
        let (status, error) =
            refused(&bea, Method::PUT, &path, Some(json!({ "text": text }))).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{code}");
        assert_eq!(error["details"]["fields"][0]["field"], "text");
        assert_eq!(error["details"]["fields"][0]["code"], code);
    }
    let (status, _) = refused(
        &bea,
        Method::PUT,
        &path,
        Some(json!({"text": "ok", "urgent": true})),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "an unknown field");
    assert_eq!(
        bea.get(&path).await["question"]["text"],
        "Do you take back old chairs?"
    );
    ask(&w, &bea, &session, &"x".repeat(2000)).await;

    // Removed; removing again finds nothing.
    bea.expect(Method::DELETE, &path, None, StatusCode::NO_CONTENT)
        .await;
    assert_eq!(bea.get(&path).await["question"], Value::Null);
    let (status, _) = refused(&bea, Method::DELETE, &path, None).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(stored_questions(&app).await, 1, "Sara's stays");
}

#[tokio::test]
async fn after_the_start_a_question_no_longer_changes_but_is_still_read() {
    let app = TestApp::spawn().await;
    let w = World::new(&app).await;
    let bea = w.buyer("Bea", "Stad Gent").await;
    let bram = w.buyer("Bram", "Provincie").await;
    let session = create_session(&w, dialogue("Lighting", 10)).await;
    sign_up(&w, &bea, &session).await;
    sign_up(&w, &bram, &session).await;
    ask(
        &w,
        &bea,
        &session,
        "Light as a service: who pays the energy?",
    )
    .await;

    // The event began two years earlier, and the session moves to that day: it has started.
    w.organiser
        .expect(
            Method::PATCH,
            &w.path(""),
            Some(json!({"start_date": "2025-03-11"})),
            StatusCode::OK,
        )
        .await;
    let moved = w
        .organiser
        .expect(
            Method::PATCH,
            &w.path(&format!("/sessions/{session}")),
            Some(json!({"date": "2025-03-11"})),
            StatusCode::OK,
        )
        .await;
    let path = question_path(&w, &session);
    for (who, method, body) in [
        (&bea, Method::PUT, Some(json!({"text": "Changed too late"}))),
        (&bea, Method::DELETE, None),
        (
            &bram,
            Method::PUT,
            Some(json!({"text": "A first one, too late"})),
        ),
    ] {
        let (status, error) = refused(who, method.clone(), &path, body).await;
        assert_eq!(status, StatusCode::CONFLICT, "{method}");
        assert_eq!(error["code"], "session_started");
        assert_eq!(error["details"]["started_at"], moved["starts_at"]);
    }
    let mine = bea.get(&path).await;
    assert_eq!(mine["open"], false);
    assert_eq!(
        mine["question"]["text"],
        "Light as a service: who pays the energy?"
    );
    let briefing = w.organiser.get(&briefing_path(&w, &session)).await;
    assert_eq!(
        briefing["people"][0]["question"]["text"],
        "Light as a service: who pays the energy?"
    );
    assert_eq!(briefing["people"][1]["question"], Value::Null);
}

#[tokio::test]
async fn only_market_dialogues_take_questions() {
    let app = TestApp::spawn().await;
    let w = World::new(&app).await;
    let bea = w.buyer("Bea", "Stad Gent").await;
    for kind in ["pitch", "plenary", "networking"] {
        let mut body = dialogue(&format!("A {kind}"), 10);
        body["kind"] = json!(kind);
        body["start"] = json!(match kind {
            "pitch" => "09:00",
            "plenary" => "10:00",
            _ => "11:00",
        });
        body["end"] = json!(match kind {
            "pitch" => "09:30",
            "plenary" => "10:30",
            _ => "11:30",
        });
        let session = create_session(&w, body).await;
        sign_up(&w, &bea, &session).await;
        let path = question_path(&w, &session);
        for (method, body) in [
            (Method::GET, None),
            (Method::PUT, Some(json!({"text": "Can I ask?"}))),
            (Method::DELETE, None),
        ] {
            let (status, error) = refused(&bea, method.clone(), &path, body).await;
            assert_eq!(status, StatusCode::CONFLICT, "{kind} {method}");
            assert_eq!(error["code"], "not_a_dialogue");
            assert_eq!(error["details"]["kind"], kind);
        }
        // Its briefing is the list of who comes, without questions.
        let briefing = w.organiser.get(&briefing_path(&w, &session)).await;
        assert_eq!(briefing["people"][0]["name"], "Bea");
        assert_eq!(briefing["question_count"], 0);
    }
    assert_eq!(stored_questions(&app).await, 0);
}

#[tokio::test]
async fn without_a_sign_up_nobody_writes_a_question_and_it_goes_with_the_sign_up() {
    let app = TestApp::spawn().await;
    let w = World::new(&app).await;
    let bea = w.buyer("Bea", "Stad Gent").await;
    let bram = w.buyer("Bram", "Provincie").await;
    let mona = w.person("Mona", "facilitator").await;
    let olga = w.person("Olga", "organiser").await;
    let mut body = dialogue("Textiles", 10);
    body["facilitators"] = json!([person_id(&mona)]);
    let session = create_session(&w, body).await;
    let path = question_path(&w, &session);

    // Not signed up: not Bram, nor the session's facilitator or an organiser of the event.
    for who in [&bram, &mona, &olga] {
        for (method, body) in [
            (Method::GET, None),
            (Method::PUT, Some(json!({"text": "May I?"}))),
            (Method::DELETE, None),
        ] {
            let (status, error) = refused(who, method.clone(), &path, body).await;
            assert_eq!(status, StatusCode::FORBIDDEN, "{method} {}", who.me["name"]);
            assert_eq!(error["code"], "not_signed_up");
        }
    }
    // A platform admin who does not take part; someone of another event; someone whose
    // registration awaits approval; nobody logged in.
    let (status, error) = refused(
        &w.organiser,
        Method::PUT,
        &path,
        Some(json!({"text": "Admin here"})),
    )
    .await;
    assert_eq!(
        (status, error["code"].as_str()),
        (StatusCode::FORBIDDEN, Some("forbidden"))
    );
    let other = w.other_event().await;
    let outsider = invite(
        &app,
        &w.organiser,
        &other,
        json!({"name": "Otto", "email": "otto@else.example", "role": "buyer"}),
    )
    .await;
    let pending = w.pending_registrant("Sam", "Circ NV").await;
    for who in [&outsider, &pending] {
        for (method, body) in [
            (Method::GET, None),
            (Method::PUT, Some(json!({"text": "From outside"}))),
            (Method::DELETE, None),
        ] {
            let (status, _) = refused(who, method.clone(), &path, body).await;
            assert_eq!(status, StatusCode::NOT_FOUND, "{method}");
        }
    }
    let anonymous = reqwest::Client::new()
        .put(app.url(&path))
        .json(&json!({"text": "Anonymous"}))
        .send()
        .await
        .unwrap();
    assert_eq!(anonymous.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(stored_questions(&app).await, 0);

    // Cancelling takes the question with the sign-up; signing up again starts afresh.
    sign_up(&w, &bea, &session).await;
    ask(&w, &bea, &session, "Workwear from recycled fibre?").await;
    bea.expect(
        Method::DELETE,
        &w.path(&format!("/sessions/{session}/signup")),
        None,
        StatusCode::NO_CONTENT,
    )
    .await;
    let (status, error) = refused(&bea, Method::GET, &path, None).await;
    assert_eq!(
        (status, error["code"].as_str()),
        (StatusCode::FORBIDDEN, Some("not_signed_up"))
    );
    assert_eq!(stored_questions(&app).await, 0);
    sign_up(&w, &bea, &session).await;
    assert_eq!(bea.get(&path).await["question"], Value::Null);

    // So does an organiser taking someone off, and the session being deleted.
    ask(&w, &bea, &session, "Again: recycled fibre?").await;
    sign_up(&w, &bram, &session).await;
    ask(&w, &bram, &session, "Rental of workwear?").await;
    w.organiser
        .expect(
            Method::DELETE,
            &w.path(&format!("/sessions/{session}/signups/{}", person_id(&bea))),
            None,
            StatusCode::OK,
        )
        .await;
    let briefing = w.organiser.get(&briefing_path(&w, &session)).await;
    let names: Vec<&str> = briefing["people"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["Bram"]);
    assert_eq!(briefing["question_count"], 1);
    assert_eq!(stored_questions(&app).await, 1);
    w.organiser
        .expect(
            Method::DELETE,
            &w.path(&format!("/sessions/{session}")),
            None,
            StatusCode::NO_CONTENT,
        )
        .await;
    assert_eq!(stored_questions(&app).await, 0);
}

/// A dialogue with two seats led by Mona: Sara (supplier, published factsheet) and Bea
/// (buyer, shared needs) have a seat, Bram (buyer, needs not shared) waits; Sara and Bram
/// asked something.
struct Dialogue<'a> {
    w: World<'a>,
    session: String,
    sheet: String,
    mona: Session,
    bea: Session,
    bram: Session,
    finn: Session,
}

async fn dialogue_with_people(app: &TestApp) -> Dialogue<'_> {
    let w = World::new(app).await;
    let sara = w.supplier("Sara", "ReMeubel").await;
    let bea = w.buyer("Bea", "Stad Gent").await;
    let bram = w.buyer("Bram", "Provincie").await;
    let mona = w.person("Mona", "facilitator").await;
    let finn = w.person("Finn", "facilitator").await;
    let sheet = w
        .publish(
            &sara,
            complete(
                "Stoelen als dienst",
                "Chairs as a service",
                "office-furniture",
            ),
        )
        .await;
    for (who, shared) in [(&bea, true), (&bram, false)] {
        who.expect(
            Method::PUT,
            &w.path("/needs/me"),
            Some(json!({
                "product_groups": ["office-furniture"],
                "strategies": ["A3"],
                "project_what": "200 desks for the new town hall",
                "project_when": "Q2 2027",
                "budget_max": 90000,
                "shared_with_suppliers": shared,
            })),
            StatusCode::OK,
        )
        .await;
    }
    let mut body = dialogue("Office furniture", 2);
    body["facilitators"] = json!([person_id(&mona)]);
    let session = create_session(&w, body).await;
    // Finn leads another session.
    let mut other = dialogue("Lighting", 10);
    other["start"] = json!("16:00");
    other["end"] = json!("17:00");
    other["facilitators"] = json!([person_id(&finn)]);
    create_session(&w, other).await;
    sign_up(&w, &sara, &session).await;
    sign_up(&w, &bea, &session).await;
    assert_eq!(sign_up(&w, &bram, &session).await["status"], "waitlisted");
    ask(
        &w,
        &sara,
        &session,
        "=HYPERLINK(\"https://evil.example\",\"Our take-back scheme\")",
    )
    .await;
    ask(
        &w,
        &bram,
        &session,
        "@Sara: can desks be leased?\nWe need 200.",
    )
    .await;
    Dialogue {
        w,
        session,
        sheet,
        mona,
        bea,
        bram,
        finn,
    }
}

#[tokio::test]
async fn the_briefing_lists_who_comes_with_factsheets_needs_and_questions() {
    let app = TestApp::spawn().await;
    let d = dialogue_with_people(&app).await;
    let w = &d.w;
    let path = briefing_path(w, &d.session);

    let briefing = d.mona.get(&path).await;
    assert_eq!(briefing["session"]["title_en"], "Office furniture");
    assert_eq!(briefing["timezone"], "Europe/Brussels");
    assert_eq!(briefing["question_count"], 2);
    let people = briefing["people"].as_array().unwrap();
    let rows: Vec<(&str, &str, &str, &str, Value)> = people
        .iter()
        .map(|p| {
            (
                p["name"].as_str().unwrap(),
                p["organisation"].as_str().unwrap(),
                p["role"].as_str().unwrap(),
                p["status"].as_str().unwrap(),
                p["waitlist_position"].clone(),
            )
        })
        .collect();
    assert_eq!(
        rows,
        [
            ("Sara", "ReMeubel", "supplier", "confirmed", Value::Null),
            ("Bea", "Stad Gent", "buyer", "confirmed", Value::Null),
            ("Bram", "Provincie", "buyer", "waitlisted", json!(1)),
        ]
    );
    let (sara, bea, bram) = (&people[0], &people[1], &people[2]);
    // Sara's organisation's published factsheet, linked as the app shows it.
    assert_eq!(sara["factsheets"][0]["id"], d.sheet.as_str());
    assert_eq!(sara["factsheets"][0]["title_en"], "Chairs as a service");
    assert_eq!(
        sara["factsheets"][0]["url"],
        format!("/events/{}/catalogue/{}", w.event, d.sheet)
    );
    assert_eq!(sara["needs"], Value::Null);
    assert!(
        sara["question"]["text"]
            .as_str()
            .unwrap()
            .starts_with("=HYPERLINK")
    );
    // Bea shares her needs with suppliers, so her session's facilitator reads them here;
    // the needs page itself is not Mona's to open.
    assert_eq!(bea["factsheets"], json!([]));
    assert_eq!(
        bea["needs"]["product_groups"][0]["code"],
        "office-furniture"
    );
    assert!(bea["needs"]["product_groups"][0]["name_en"].is_string());
    assert_eq!(bea["needs"]["strategies"][0]["code"], "A3");
    assert_eq!(
        bea["needs"]["project_what"],
        "200 desks for the new town hall"
    );
    assert_eq!(bea["needs"]["project_when"], "Q2 2027");
    assert_eq!(bea["needs"]["url"], Value::Null);
    assert!(bea["needs"].get("budget_max").is_none(), "no budget here");
    assert_eq!(bea["question"], Value::Null);
    // Bram did not share his: the facilitator does not see them.
    assert_eq!(bram["needs"], Value::Null);
    assert_eq!(
        bram["question"]["text"],
        "@Sara: can desks be leased?\nWe need 200."
    );

    // Organisers read every profile and get the link to the needs page.
    let briefing = w.organiser.get(&path).await;
    let bram = &briefing["people"][2];
    assert_eq!(bram["needs"]["shared_with_suppliers"], false);
    assert_eq!(
        bram["needs"]["url"],
        format!("/events/{}/needs#needs-{}", w.event, person_id(&d.bram))
    );
    assert_eq!(
        briefing["people"][1]["needs"]["url"],
        format!("/events/{}/needs#needs-{}", w.event, person_id(&d.bea))
    );
}

#[tokio::test]
async fn the_briefing_exports_as_csv_in_dutch_or_english_with_formulas_guarded() {
    let app = TestApp::spawn().await;
    let d = dialogue_with_people(&app).await;
    let w = &d.w;
    let path = briefing_path(w, &d.session);
    let download = |lang: &'static str| {
        let path = format!("{path}?format=csv&lang={lang}");
        let mona = d.mona.clone();
        async move {
            let answer = mona.send(Method::GET, &path, None).await;
            assert_eq!(answer.status(), StatusCode::OK);
            let headers = answer.headers().clone();
            assert_eq!(headers["content-type"], "text/csv; charset=utf-8");
            let disposition = headers["content-disposition"].to_str().unwrap().to_string();
            assert!(
                disposition.starts_with("attachment;") && disposition.ends_with(".csv\""),
                "{disposition}"
            );
            let text = answer.text().await.unwrap();
            let mut reader = csv::Reader::from_reader(text.as_bytes());
            let header: Vec<String> = reader.headers().unwrap().iter().map(String::from).collect();
            let rows: Vec<Vec<String>> = reader
                .records()
                .map(|r| r.unwrap().iter().map(String::from).collect())
                .collect();
            (header, rows)
        }
    };

    let (header, rows) = download("nl").await;
    assert_eq!(
        header,
        [
            "Naam",
            "Organisatie",
            "Rol",
            "Inschrijving",
            "Plaats op de wachtlijst",
            "Vraag",
            "Vraag bijgewerkt",
            "Factsheets",
            "Behoeften",
        ]
    );
    assert_eq!(rows.len(), 3);
    let column = |name: &str| header.iter().position(|h| h == name).unwrap();
    let (sara, bea, bram) = (&rows[0], &rows[1], &rows[2]);
    assert_eq!(sara[column("Naam")], "Sara");
    assert_eq!(sara[column("Rol")], "aanbieder");
    assert_eq!(sara[column("Inschrijving")], "bevestigd");
    // A question that would be a formula is text in the spreadsheet.
    assert_eq!(
        sara[column("Vraag")],
        "'=HYPERLINK(\"https://evil.example\",\"Our take-back scheme\")"
    );
    assert_eq!(
        sara[column("Factsheets")],
        format!(
            "Stoelen als dienst: {}/events/{}/catalogue/{}",
            app.state.public_url, w.event, d.sheet
        )
    );
    assert!(
        regex_like_minute(&sara[column("Vraag bijgewerkt")]),
        "{}",
        sara[column("Vraag bijgewerkt")]
    );
    assert_eq!(bea[column("Rol")], "aankoper");
    assert_eq!(bea[column("Vraag")], "");
    assert!(
        bea[column("Behoeften")].contains("Aankoopproject: 200 desks for the new town hall"),
        "{}",
        bea[column("Behoeften")]
    );
    assert!(bea[column("Behoeften")].contains("Wanneer: Q2 2027"));
    assert_eq!(bram[column("Inschrijving")], "wachtlijst");
    assert_eq!(bram[column("Plaats op de wachtlijst")], "1");
    assert_eq!(
        bram[column("Vraag")],
        "'@Sara: can desks be leased?\nWe need 200."
    );
    assert_eq!(
        bram[column("Behoeften")],
        "",
        "not shared with the facilitator"
    );

    let (header, rows) = download("en").await;
    assert_eq!(
        header,
        [
            "Name",
            "Organisation",
            "Role",
            "Sign-up",
            "Waitlist position",
            "Question",
            "Question updated",
            "Factsheets",
            "Needs",
        ]
    );
    assert_eq!(
        rows[0][header.iter().position(|h| h == "Role").unwrap()],
        "supplier"
    );
    assert_eq!(
        rows[2][header.iter().position(|h| h == "Sign-up").unwrap()],
        "waitlist"
    );
    assert!(
        rows[1][header.iter().position(|h| h == "Needs").unwrap()]
            .contains("Purchasing project: 200 desks")
    );

    // The organiser's spreadsheet has Bram's unshared needs, with the link to the page.
    let text = w
        .organiser
        .send(Method::GET, &format!("{path}?format=csv&lang=en"), None)
        .await
        .text()
        .await
        .unwrap();
    assert!(text.contains("(not shared with suppliers)"), "{text}");
    assert!(text.contains(&format!(
        "{}/events/{}/needs#needs-{}",
        app.state.public_url,
        w.event,
        person_id(&d.bram)
    )));

    // A format or language the server does not know is refused.
    for query in ["format=xls", "format=csv&lang=fr", "colour=red"] {
        let (status, error) = refused(&d.mona, Method::GET, &format!("{path}?{query}"), None).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{query}");
        assert_eq!(error["code"], "bad_request");
    }
}

/// `YYYY-MM-DD HH:MM`.
fn regex_like_minute(text: &str) -> bool {
    chrono::NaiveDateTime::parse_from_str(text, "%Y-%m-%d %H:%M").is_ok()
}

#[tokio::test]
async fn who_may_not_read_the_briefing() {
    let app = TestApp::spawn().await;
    let d = dialogue_with_people(&app).await;
    let w = &d.w;
    let path = briefing_path(w, &d.session);
    let csv = format!("{path}?format=csv&lang=en");

    // Participants of the event, signed up or not, and a facilitator of another session.
    let dirk = w.supplier("Dirk", "Lumen").await;
    for who in [&d.bea, &d.bram, &dirk, &d.finn] {
        for target in [&path, &csv] {
            let (status, error) = refused(who, Method::GET, target, None).await;
            assert_eq!(status, StatusCode::FORBIDDEN, "{} {target}", who.me["name"]);
            assert_eq!(error["code"], "forbidden");
        }
    }
    // Someone of another event, someone whose registration awaits approval: no event.
    let other = w.other_event().await;
    let outsider = invite(
        &app,
        &w.organiser,
        &other,
        json!({"name": "Otto", "email": "otto@else.example", "role": "facilitator"}),
    )
    .await;
    let pending = w.pending_registrant("Sam", "Circ NV").await;
    for who in [&outsider, &pending] {
        for target in [&path, &csv] {
            let (status, _) = refused(who, Method::GET, target, None).await;
            assert_eq!(status, StatusCode::NOT_FOUND, "{target}");
        }
    }
    // The briefing of a session in another event is not found through this one.
    let (status, _) = refused(
        &d.mona,
        Method::GET,
        &format!("/api/events/{other}/sessions/{}/briefing", d.session),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    // Nobody logged in.
    for target in [&path, &csv] {
        let answer = reqwest::get(app.url(target)).await.unwrap();
        assert_eq!(answer.status(), StatusCode::UNAUTHORIZED);
    }
    // The session's facilitator, a co-organiser and the platform admin may.
    let olga = w.person("Olga", "organiser").await;
    for who in [&d.mona, &olga, &w.organiser] {
        assert_eq!(who.get(&path).await["people"].as_array().unwrap().len(), 3);
    }
}

#[tokio::test]
async fn questions_written_at_once_and_a_cancellation_meanwhile_leave_one_row_or_none() {
    let app = TestApp::spawn().await;
    let w = World::new(&app).await;
    let bea = w.buyer("Bea", "Stad Gent").await;
    let session = create_session(&w, dialogue("Catering", 10)).await;
    sign_up(&w, &bea, &session).await;
    let path = question_path(&w, &session);

    // Two tabs saving their first question at once: one question, the last one written.
    let saves = (0..6).map(|i| {
        bea.send(
            Method::PUT,
            &path,
            Some(json!({ "text": format!("Version {i}") })),
        )
    });
    for answer in futures_util::future::join_all(saves).await {
        assert_eq!(answer.status(), StatusCode::OK);
    }
    assert_eq!(stored_questions(&app).await, 1);
    assert!(
        bea.get(&path).await["question"]["text"]
            .as_str()
            .unwrap()
            .starts_with("Version ")
    );

    // Saving while the sign-up is cancelled: each save lands before the cancellation (and
    // goes with it) or finds no sign-up; none fails, and no question is left behind.
    let signup = w.path(&format!("/sessions/{session}/signup"));
    let cancel = bea.send(Method::DELETE, &signup, None);
    let saves = futures_util::future::join_all((0..6).map(|i| {
        bea.send(
            Method::PUT,
            &path,
            Some(json!({ "text": format!("Late {i}") })),
        )
    }));
    let (cancelled, saves) = tokio::join!(cancel, saves);
    assert_eq!(cancelled.status(), StatusCode::NO_CONTENT);
    for answer in saves {
        assert!(
            [StatusCode::OK, StatusCode::FORBIDDEN].contains(&answer.status()),
            "{}",
            answer.status()
        );
    }
    assert_eq!(stored_questions(&app).await, 0);
}
