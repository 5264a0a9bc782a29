//! Meetings by hand: an organiser places an accepted request, moves, swaps, pins and
//! cancels meetings; the two people are told live (`my_meeting`) and by email in their
//! language; every refusal names what is in the way; concurrent moves into one slot or
//! table never double-book; who may not; the agendas show the meetings to their two
//! people only.

use futures_util::future::join_all;
use matchfloor::domain::MeetingStatus;
use matchfloor::entities::{meeting, meeting_hold, meeting_request};
use matchfloor::meetings::schedule::holds::{self, HoldError, Taken};
use reqwest::{Method, StatusCode};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use serde_json::{Value, json};
use uuid::Uuid;

use crate::catalogue::complete;
use crate::helpers::{Session, TestApp, World, email_of, mail, on, second_instance};
use crate::live::{connect, next};
use crate::meeting_requests::{act, ask, call, id, invite, pid, set_rules};

/// The event of a test: five meeting slots (13:00, 13:20, 13:40, then a break, 14:20,
/// 14:40), two tables, two buyers and two suppliers with three accepted requests and one
/// pending.
pub(crate) struct Floor<'a> {
    pub(crate) w: World<'a>,
    pub(crate) slots: Vec<String>,
    pub(crate) pause: String,
    pub(crate) tables: Vec<String>,
    pub(crate) bea: Session,
    pub(crate) bob: Session,
    pub(crate) sara: Session,
    pub(crate) sam: Session,
    /// Bea asked Sara (accepted).
    pub(crate) bea_sara: String,
    /// Bob asked Sam (accepted).
    pub(crate) bob_sam: String,
    /// Bea asked Sam (accepted).
    pub(crate) bea_sam: String,
    /// Bob asked Sara (pending).
    pub(crate) bob_sara: String,
    pub(crate) sheet: String,
}

async fn grid(w: &World<'_>) -> (Vec<String>, String) {
    let slots = w
        .organiser
        .expect(
            Method::POST,
            &w.path("/slots/generate"),
            Some(
                json!({"date": "2027-03-11", "start": "13:00", "end": "15:00",
                        "slot_minutes": 20, "breaks": [{"start": "14:00", "end": "14:20"}]}),
            ),
            StatusCode::OK,
        )
        .await["slots"]
        .as_array()
        .unwrap()
        .clone();
    let meeting = slots
        .iter()
        .filter(|s| s["kind"] == "meeting")
        .map(id)
        .collect();
    let pause = slots.iter().find(|s| s["kind"] == "break").map(id).unwrap();
    (meeting, pause)
}

async fn tables(w: &World<'_>, count: usize) -> Vec<String> {
    w.organiser
        .expect(
            Method::PUT,
            &w.path("/tables"),
            Some(json!({"count": count})),
            StatusCode::OK,
        )
        .await["tables"]
        .as_array()
        .unwrap()
        .iter()
        .map(id)
        .collect()
}

/// `s` accepts request `id`.
pub(crate) async fn accept(w: &World<'_>, s: &Session, request: &str) {
    let (status, body) = act(w, s, request, "accept", None).await;
    assert_eq!(status, StatusCode::OK, "{body}");
}

pub(crate) async fn floor(app: &TestApp) -> Floor<'_> {
    let w = World::new(app).await;
    let (slots, pause) = grid(&w).await;
    let tables = tables(&w, 2).await;
    let bea = invite(&w, "Bea", "Stad Gent", "buyer", "en").await;
    let bob = invite(&w, "Bob", "Provincie", "buyer", "nl").await;
    let sara = invite(&w, "Sara", "ReMeubel", "supplier", "nl").await;
    let sam = invite(&w, "Sam", "Circ NV", "supplier", "en").await;
    let sheet = w
        .publish(&sara, complete("Stoelen", "Chairs", "office-furniture"))
        .await;
    let sara_id = pid(&w, "Sara", "ReMeubel").await;
    let sam_id = pid(&w, "Sam", "Circ NV").await;
    let bea_sara = id(&ask(&w, &bea, &sara_id, "must").await);
    accept(&w, &sara, &bea_sara).await;
    let bob_sam = id(&ask(&w, &bob, &sam_id, "would_like").await);
    accept(&w, &sam, &bob_sam).await;
    let bea_sam = id(&ask(&w, &bea, &sam_id, "if_time").await);
    accept(&w, &sam, &bea_sam).await;
    let bob_sara = id(&ask(&w, &bob, &sara_id, "must").await);
    Floor {
        w,
        slots,
        pause,
        tables,
        bea,
        bob,
        sara,
        sam,
        bea_sara,
        bob_sam,
        bea_sam,
        bob_sara,
        sheet,
    }
}

pub(crate) fn meetings(w: &World<'_>) -> String {
    w.path("/meetings")
}

pub(crate) fn meeting_path(w: &World<'_>, meeting: &str) -> String {
    w.path(&format!("/meetings/{meeting}"))
}

/// The organiser places `request` at `slot` and `table`; the meeting.
pub(crate) async fn place(f: &Floor<'_>, request: &str, slot: usize, table: usize) -> Value {
    f.w.organiser
        .expect(
            Method::POST,
            &meetings(&f.w),
            Some(json!({"request_id": request, "slot_id": f.slots[slot],
                        "table_id": f.tables[table]})),
            StatusCode::CREATED,
        )
        .await
}

/// The organiser changes meeting `m` as `body` says and expects `status`; the body.
pub(crate) async fn patch(f: &Floor<'_>, m: &str, body: Value, status: StatusCode) -> Value {
    f.w.organiser
        .expect(Method::PATCH, &meeting_path(&f.w, m), Some(body), status)
        .await
}

/// A refusal's code, after checking the status.
pub(crate) async fn refusal(
    s: &Session,
    method: Method,
    path: &str,
    body: Value,
    status: StatusCode,
) -> Value {
    let (got, answer) = call(s, method, path, Some(body)).await;
    assert_eq!(got, status, "{answer}");
    answer["error"].clone()
}

/// The next `my_meeting` message on a socket (other messages are skipped).
async fn my_meeting(socket: &mut crate::live::Socket) -> Value {
    loop {
        let message = next(socket).await.expect("a message");
        if message["type"] == "my_meeting" {
            return message["payload"].clone();
        }
    }
}

/// The next `meetings_edited` message on a socket (other messages are skipped): the ids of
/// the meetings edited.
async fn meetings_edited(socket: &mut crate::live::Socket) -> Value {
    loop {
        let message = next(socket).await.expect("a message");
        if message["type"] == "meetings_edited" {
            return message["payload"]["meeting_ids"].clone();
        }
    }
}

/// The status of request `id` as `s` (one of its people) sees it.
pub(crate) async fn request_status(w: &World<'_>, s: &Session, request: &str) -> Value {
    let mine = s.get(&w.path("/requests")).await;
    mine["sent"]
        .as_array()
        .unwrap()
        .iter()
        .chain(mine["received"].as_array().unwrap())
        .find(|r| r["id"] == request)
        .unwrap_or_else(|| panic!("no request {request}: {mine}"))["status"]
        .clone()
}

pub(crate) async fn agenda(w: &World<'_>, s: &Session) -> Vec<Value> {
    s.get(&w.path("/agenda/me")).await["meetings"]
        .as_array()
        .unwrap()
        .clone()
}

#[tokio::test]
async fn organisers_place_move_swap_pin_and_cancel_and_the_people_are_told() {
    let app = TestApp::spawn().await;
    let f = floor(&app).await;
    let w = &f.w;
    let mut beas = connect(&app, &w.event, Some(&f.bea.cookie), "")
        .await
        .unwrap();
    assert_eq!(next(&mut beas).await.unwrap()["type"], "hello");
    let mut saras = connect(&app, &w.event, Some(&f.sara.cookie), "")
        .await
        .unwrap();
    assert_eq!(next(&mut saras).await.unwrap()["type"], "hello");
    // Another organiser's open schedule page hears of every edit.
    let mut organisers = connect(&app, &w.event, Some(&w.organiser.cookie), "")
        .await
        .unwrap();
    assert_eq!(next(&mut organisers).await.unwrap()["type"], "hello");
    let (bea_mail, sara_mail) = (
        email_of("Bea", Some("Stad Gent")),
        email_of("Sara", Some("ReMeubel")),
    );

    // Placed by hand at 13:00, table 1: the request is scheduled.
    let placed = place(&f, &f.bea_sara, 0, 0).await;
    let m = id(&placed);
    assert_eq!(placed["status"], "scheduled");
    assert_eq!(placed["pinned"], false);
    assert_eq!(placed["sequence"], 0);
    assert_eq!(placed["slot"]["start"], "13:00");
    assert_eq!(placed["table"]["number"], 1);
    assert_eq!(placed["run_id"], Value::Null);
    assert_eq!(placed["people"][0]["name"], "Bea");
    assert_eq!(placed["people"][1]["name"], "Sara");
    assert_eq!(placed["people"][1]["factsheet"]["id"], f.sheet.as_str());
    assert_eq!(placed["people"][0]["factsheet"], Value::Null);
    assert_eq!(request_status(w, &f.bea, &f.bea_sara).await, "scheduled");

    let told = my_meeting(&mut beas).await;
    assert_eq!(told["change"], "added");
    assert_eq!(told["meeting"]["id"], m.as_str());
    assert_eq!(meetings_edited(&mut organisers).await, json!([m]));
    assert_eq!(told["meeting"]["partner"]["name"], "Sara");
    assert_eq!(told["meeting"]["partner"]["organisation"], "ReMeubel");
    assert_eq!(
        told["meeting"]["partner"]["factsheet"]["id"],
        f.sheet.as_str()
    );
    assert_eq!(told["meeting"]["table"]["number"], 1);
    assert_eq!(told["from"], Value::Null);
    let told = my_meeting(&mut saras).await;
    assert_eq!(told["change"], "added");
    assert_eq!(told["meeting"]["partner"]["name"], "Bea");
    assert_eq!(told["meeting"]["partner"]["organisation"], "Stad Gent");

    let added = mail(
        &app,
        &bea_mail,
        "New meeting with Sara at Buyer meets Supplier Gent",
    )
    .await;
    assert!(
        added.body.contains("with Sara (ReMeubel, supplier)")
            && added.body.contains("2027-03-11, 13:00–13:20, table 1"),
        "{}",
        added.body
    );
    let added = mail(
        &app,
        &sara_mail,
        "Nieuw gesprek met Bea op Buyer meets Supplier Gent",
    )
    .await;
    assert!(
        added.body.contains("Bea (Stad Gent, aankoper)")
            && added.body.contains("2027-03-11, 13:00–13:20, tafel 1"),
        "{}",
        added.body
    );

    // The agendas: Bea and Sara see it, with the partner; Bob and Sam nothing.
    let beas_agenda = agenda(w, &f.bea).await;
    assert_eq!(beas_agenda.len(), 1);
    assert_eq!(beas_agenda[0]["id"], m.as_str());
    assert_eq!(beas_agenda[0]["partner"]["name"], "Sara");
    assert_eq!(
        beas_agenda[0]["partner"]["factsheet"]["id"],
        f.sheet.as_str()
    );
    assert_eq!(beas_agenda[0]["table"]["number"], 1);
    assert_eq!(agenda(w, &f.sara).await[0]["partner"]["name"], "Bea");
    assert!(agenda(w, &f.bob).await.is_empty());
    assert!(agenda(w, &f.sam).await.is_empty());

    // Moved to 13:20 (keeping its table): told where from and where to.
    let moved = patch(&f, &m, json!({"slot_id": f.slots[1]}), StatusCode::OK).await;
    assert_eq!(moved["meeting"]["slot"]["start"], "13:20");
    assert_eq!(moved["meeting"]["table"]["number"], 1);
    assert_eq!(moved["meeting"]["sequence"], 1);
    assert_eq!(moved["swapped_with"], Value::Null);
    let told = my_meeting(&mut beas).await;
    assert_eq!(told["change"], "moved");
    assert_eq!(told["from"]["slot"]["start"], "13:00");
    assert_eq!(told["meeting"]["slot"]["start"], "13:20");
    let moved_mail = mail(&app, &bea_mail, "Your meeting with Sara moved").await;
    assert!(
        moved_mail
            .body
            .contains("from 2027-03-11, 13:00–13:20, table 1 to 2027-03-11, 13:20–13:40, table 1"),
        "{}",
        moved_mail.body
    );
    mail(&app, &sara_mail, "Je gesprek met Bea is verplaatst").await;
    my_meeting(&mut saras).await;

    // Another table in the same slot.
    let moved = patch(&f, &m, json!({"table_id": f.tables[1]}), StatusCode::OK).await;
    assert_eq!(moved["meeting"]["slot"]["start"], "13:20");
    assert_eq!(moved["meeting"]["table"]["number"], 2);
    assert_eq!(my_meeting(&mut beas).await["from"]["table"]["number"], 1);
    my_meeting(&mut saras).await;

    // Bob and Sam at 13:00, table 1; then the two meetings swap slot and table.
    let other = id(&place(&f, &f.bob_sam, 0, 0).await);
    let swapped = patch(&f, &m, json!({"swap_with": other}), StatusCode::OK).await;
    assert_eq!(swapped["meeting"]["slot"]["start"], "13:00");
    assert_eq!(swapped["meeting"]["table"]["number"], 1);
    assert_eq!(swapped["swapped_with"]["id"], other.as_str());
    assert_eq!(swapped["swapped_with"]["slot"]["start"], "13:20");
    assert_eq!(swapped["swapped_with"]["table"]["number"], 2);
    assert_eq!(swapped["swapped_with"]["sequence"], 1);
    let told = my_meeting(&mut beas).await;
    assert_eq!(
        (
            told["change"].as_str(),
            told["meeting"]["slot"]["start"].as_str()
        ),
        (Some("moved"), Some("13:00"))
    );
    my_meeting(&mut saras).await;
    mail(
        &app,
        &email_of("Bob", Some("Provincie")),
        "Je gesprek met Sam is verplaatst",
    )
    .await;
    let sams = agenda(w, &f.sam).await;
    assert_eq!(
        (
            sams[0]["slot"]["start"].as_str(),
            sams[0]["table"]["number"].as_i64()
        ),
        (Some("13:20"), Some(2))
    );

    // Pinned: nothing people see changes, so nobody is told and the sequence stays.
    let mails_before = app.mails().len();
    let pinned = patch(&f, &m, json!({"pinned": true}), StatusCode::OK).await;
    assert_eq!(pinned["meeting"]["pinned"], true);
    assert_eq!(pinned["meeting"]["sequence"], 3);
    // The organisers heard of each edit in turn: the two moves, Bob and Sam's placement,
    // the swap (both meetings) and the pin.
    let mut heard = Vec::new();
    for _ in 0..5 {
        heard.push(meetings_edited(&mut organisers).await);
    }
    assert_eq!(
        heard,
        [
            json!([m]),
            json!([m]),
            json!([other]),
            json!([m, other]),
            json!([m])
        ]
    );

    // Cancelled: off both agendas, the request accepted again, both told.
    let cancelled = patch(&f, &m, json!({"status": "cancelled"}), StatusCode::OK).await;
    assert_eq!(cancelled["meeting"]["status"], "cancelled");
    assert_eq!(cancelled["meeting"]["pinned"], false);
    assert_eq!(cancelled["meeting"]["sequence"], 4);
    assert_eq!(request_status(w, &f.sara, &f.bea_sara).await, "accepted");
    let told = my_meeting(&mut beas).await;
    assert_eq!(told["change"], "cancelled", "pinning told nothing: {told}");
    assert_eq!(my_meeting(&mut saras).await["change"], "cancelled");
    let off = mail(&app, &bea_mail, "Your meeting with Sara is cancelled").await;
    assert!(off.body.contains("stays accepted"), "{}", off.body);
    mail(&app, &sara_mail, "Je gesprek met Bea gaat niet door").await;
    assert_eq!(
        app.mails().len(),
        mails_before + 2,
        "two emails for the cancellation, none for the pin"
    );
    assert!(agenda(w, &f.bea).await.is_empty());
    assert!(agenda(w, &f.sara).await.is_empty());

    // A cancelled meeting does not move; placing its request again brings the same row
    // back, and the slot it left is free for it.
    let refused = refusal(
        &w.organiser,
        Method::PATCH,
        &meeting_path(w, &m),
        json!({"slot_id": f.slots[2]}),
        StatusCode::CONFLICT,
    )
    .await;
    assert_eq!(refused["code"], "meeting_cancelled");
    let again = place(&f, &f.bea_sara, 0, 0).await;
    assert_eq!(id(&again), m);
    assert_eq!(again["status"], "scheduled");
    assert_eq!(again["sequence"], 5);
    assert_eq!(request_status(w, &f.bea, &f.bea_sara).await, "scheduled");
    assert_eq!(agenda(w, &f.bea).await.len(), 1);

    // The agenda lists meetings in time order: Bea's second meeting, earlier... later.
    place(&f, &f.bea_sam, 3, 1).await;
    let beas_agenda = agenda(w, &f.bea).await;
    let starts: Vec<&str> = beas_agenda
        .iter()
        .map(|m| m["slot"]["start"].as_str().unwrap())
        .collect();
    assert_eq!(starts, ["13:00", "14:20"]);
    assert_eq!(beas_agenda[1]["partner"]["name"], "Sam");
    assert_eq!(beas_agenda[1]["partner"]["factsheet"], Value::Null);
}

#[tokio::test]
async fn every_refusal_names_what_is_in_the_way() {
    let app = TestApp::spawn().await;
    let f = floor(&app).await;
    let w = &f.w;
    let m = id(&place(&f, &f.bea_sara, 0, 0).await);
    let other = id(&place(&f, &f.bob_sam, 1, 0).await);
    let path = meeting_path(w, &m);
    let org = &w.organiser;

    // Bea is in her meeting with Sara at 13:00.
    let busy = refusal(
        org,
        Method::POST,
        &meetings(w),
        json!({"request_id": f.bea_sam, "slot_id": f.slots[0], "table_id": f.tables[1]}),
        StatusCode::CONFLICT,
    )
    .await;
    assert_eq!(busy["code"], "person_busy");
    assert_eq!(
        busy["message"],
        "Bea (Stad Gent) is in another meeting in that slot, with Sara (ReMeubel)"
    );
    assert_eq!(busy["details"]["person"]["name"], "Bea");
    assert_eq!(busy["details"]["partner"]["name"], "Sara");
    assert_eq!(busy["details"]["meeting_id"], m.as_str());

    // Table 1 at 13:20 is Bob and Sam's.
    let taken = refusal(
        org,
        Method::PATCH,
        &path,
        json!({"slot_id": f.slots[1], "table_id": f.tables[0]}),
        StatusCode::CONFLICT,
    )
    .await;
    assert_eq!(taken["code"], "table_taken");
    assert_eq!(
        taken["message"],
        "table 1 is taken in that slot by the meeting of Bob (Provincie) and Sam (Circ NV)"
    );
    assert_eq!(taken["details"]["number"], 1);
    assert_eq!(taken["details"]["meeting_id"], other.as_str());

    // Sara cannot meet at 13:40.
    f.sara
        .expect(
            Method::PUT,
            &w.path("/availability/me"),
            Some(json!({"slot_ids": [f.slots[2]]})),
            StatusCode::OK,
        )
        .await;
    let unavailable = refusal(
        org,
        Method::PATCH,
        &path,
        json!({"slot_id": f.slots[2]}),
        StatusCode::CONFLICT,
    )
    .await;
    assert_eq!(unavailable["code"], "unavailable");
    assert_eq!(
        unavailable["message"],
        "Sara (ReMeubel) cannot meet in that slot (marked as unavailable)"
    );
    assert_eq!(unavailable["details"]["person"]["name"], "Sara");

    // Bea has a seat in a session from 14:20.
    let session = org
        .expect(
            Method::POST,
            &w.path("/sessions"),
            Some(
                json!({"kind": "market_dialogue", "title_nl": "Meubilair", "title_en": "Furniture",
                        "date": "2027-03-11", "start": "14:20", "end": "15:00", "capacity": 10}),
            ),
            StatusCode::CREATED,
        )
        .await;
    f.bea
        .expect(
            Method::PUT,
            &w.path(&format!("/sessions/{}/signup", id(&session))),
            None,
            StatusCode::OK,
        )
        .await;
    let in_session = refusal(
        org,
        Method::PATCH,
        &path,
        json!({"slot_id": f.slots[3]}),
        StatusCode::CONFLICT,
    )
    .await;
    assert_eq!(in_session["code"], "in_session");
    assert_eq!(
        in_session["message"],
        "Bea (Stad Gent) is in the session \"Furniture\" at that time"
    );
    assert_eq!(in_session["details"]["session"]["title_nl"], "Meubilair");
    assert_eq!(
        in_session["details"]["session"]["session_id"],
        session["id"]
    );

    // A swap is checked for both meetings in their new slots.
    let swap_in_session = refusal(
        org,
        Method::PATCH,
        &meeting_path(w, &other),
        json!({"swap_with": m}),
        StatusCode::OK,
    )
    .await;
    assert_eq!(
        swap_in_session,
        Value::Null,
        "13:00 and 13:20 are free for all four"
    );

    // Buyers may have one meeting: Bea has hers.
    set_rules(w, json!({"max_meetings": {"buyer": 1}})).await;
    let limit = refusal(
        org,
        Method::POST,
        &meetings(w),
        json!({"request_id": f.bea_sam, "slot_id": f.slots[2], "table_id": f.tables[1]}),
        StatusCode::CONFLICT,
    )
    .await;
    assert_eq!(limit["code"], "meeting_limit_reached");
    assert_eq!(
        limit["message"],
        "Bea (Stad Gent) has as many meetings as allowed (1)"
    );
    assert_eq!(limit["details"]["limit"], 1);
    set_rules(w, json!({})).await;

    // Requests that cannot be placed.
    let pending = refusal(
        org,
        Method::POST,
        &meetings(w),
        json!({"request_id": f.bob_sara, "slot_id": f.slots[4], "table_id": f.tables[1]}),
        StatusCode::CONFLICT,
    )
    .await;
    assert_eq!(pending["code"], "request_not_accepted");
    assert_eq!(pending["details"]["status"], "pending");
    let twice = refusal(
        org,
        Method::POST,
        &meetings(w),
        json!({"request_id": f.bea_sara, "slot_id": f.slots[4], "table_id": f.tables[1]}),
        StatusCode::CONFLICT,
    )
    .await;
    assert_eq!(twice["code"], "meeting_exists");
    assert_eq!(twice["details"]["meeting_id"], m.as_str());

    // Bad places: a break, another event's slot, unknown ids, a table left out.
    let other_event = w.other_event().await;
    let elsewhere = org
        .expect(
            Method::POST,
            &format!("/api/events/{other_event}/slots/generate"),
            Some(
                json!({"date": "2027-05-11", "start": "13:00", "end": "14:00",
                        "slot_minutes": 20, "breaks": []}),
            ),
            StatusCode::OK,
        )
        .await["slots"][0]["id"]
        .as_str()
        .unwrap()
        .to_string();
    let unknown = Uuid::now_v7().to_string();
    for (body, field, code) in [
        (json!({"slot_id": f.pause}), "slot_id", "not_a_meeting_slot"),
        (json!({"slot_id": elsewhere}), "slot_id", "not_found"),
        (json!({"table_id": unknown}), "table_id", "not_found"),
        (json!({"swap_with": unknown}), "swap_with", "not_found"),
        (json!({"swap_with": m}), "swap_with", "same_meeting"),
        (
            json!({"slot_id": f.slots[4], "status": "cancelled"}),
            "",
            "one_change",
        ),
        (json!({}), "", "no_change"),
    ] {
        let invalid = refusal(
            org,
            Method::PATCH,
            &path,
            body.clone(),
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
        assert_eq!(
            (
                invalid["details"]["fields"][0]["field"].as_str(),
                invalid["details"]["fields"][0]["code"].as_str()
            ),
            (Some(field), Some(code)),
            "{body}: {invalid}"
        );
    }
    let no_table = refusal(
        org,
        Method::POST,
        &meetings(w),
        json!({"request_id": f.bea_sam, "slot_id": f.slots[4]}),
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await;
    assert_eq!(no_table["details"]["fields"][0]["field"], "table_id");
    assert_eq!(no_table["details"]["fields"][0]["code"], "required");
    let not_a_request = refusal(
        org,
        Method::POST,
        &meetings(w),
        json!({"request_id": unknown, "slot_id": f.slots[4], "table_id": f.tables[1]}),
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await;
    assert_eq!(not_a_request["details"]["fields"][0]["field"], "request_id");
    let bad_status = refusal(
        org,
        Method::PATCH,
        &path,
        json!({"status": "scheduled"}),
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await;
    assert_eq!(bad_status["code"], "validation_failed");

    // A meeting of another event is not found there, nor an unknown one here.
    for p in [
        format!("/api/events/{other_event}/meetings/{m}"),
        meeting_path(w, &unknown),
    ] {
        let (status, _) = call(org, Method::PATCH, &p, Some(json!({"pinned": true}))).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{p}");
    }

    // Someone who left: their meeting no longer moves, but it can be cancelled.
    w.set_status(&email_of("Bob", Some("Provincie")), "cancelled")
        .await;
    let left = refusal(
        org,
        Method::PATCH,
        &meeting_path(w, &other),
        json!({"slot_id": f.slots[4]}),
        StatusCode::CONFLICT,
    )
    .await;
    assert_eq!(left["code"], "participant_left");
    assert_eq!(
        left["message"],
        "Bob (Provincie) no longer takes part in the event"
    );
    patch(&f, &other, json!({"status": "cancelled"}), StatusCode::OK).await;

    // Nothing refused changed anything: Bea and Sara still meet once, at 13:20 after the
    // swap, table 1.
    let beas = agenda(w, &f.bea).await;
    assert_eq!(beas.len(), 1);
    assert_eq!(beas[0]["slot"]["start"], "13:20");
    assert_eq!(beas[0]["table"]["number"], 1);
}

#[tokio::test]
async fn without_tables_meetings_are_at_the_supplier_s_stand() {
    let app = TestApp::spawn().await;
    let w = World::new(&app).await;
    let (slots, _) = grid(&w).await;
    let bea = invite(&w, "Bea", "Stad Gent", "buyer", "en").await;
    let sara = invite(&w, "Sara", "ReMeubel", "supplier", "nl").await;
    let request = id(&ask(&w, &bea, &pid(&w, "Sara", "ReMeubel").await, "must").await);
    accept(&w, &sara, &request).await;
    let placed = w
        .organiser
        .expect(
            Method::POST,
            &meetings(&w),
            Some(json!({"request_id": request, "slot_id": slots[0]})),
            StatusCode::CREATED,
        )
        .await;
    assert_eq!(placed["table"], Value::Null);
    let told = mail(
        &app,
        &email_of("Bea", Some("Stad Gent")),
        "New meeting with Sara at Buyer meets Supplier Gent",
    )
    .await;
    assert!(
        told.body.contains("13:00–13:20, at the supplier's stand"),
        "{}",
        told.body
    );
}

#[tokio::test]
async fn only_the_event_s_organisers_edit_meetings() {
    let app = TestApp::spawn().await;
    let f = floor(&app).await;
    let w = &f.w;
    let m = id(&place(&f, &f.bea_sara, 0, 0).await);
    let olga = w.person("Olga", "organiser").await;
    let fien = w.person("Fien", "facilitator").await;
    let otto = w.other_events_organiser().await;
    let place_body =
        json!({"request_id": f.bea_sam, "slot_id": f.slots[2], "table_id": f.tables[1]});
    let move_body = json!({"slot_id": f.slots[1]});
    let path = meeting_path(w, &m);

    // Anonymous visitors.
    for (method, p, body) in [
        (Method::POST, meetings(w), &place_body),
        (Method::PATCH, path.clone(), &move_body),
    ] {
        let anonymous = reqwest::Client::new()
            .request(method, app.url(&p))
            .header("origin", app.url(""))
            .json(body)
            .send()
            .await
            .unwrap();
        assert_eq!(anonymous.status(), StatusCode::UNAUTHORIZED, "{p}");
    }
    // The meeting's own people, other buyers and suppliers, a facilitator: 403; an
    // organiser of another event does not find this one.
    for (who, expected) in [
        (&f.bea, StatusCode::FORBIDDEN),
        (&f.sara, StatusCode::FORBIDDEN),
        (&f.bob, StatusCode::FORBIDDEN),
        (&f.sam, StatusCode::FORBIDDEN),
        (&fien, StatusCode::FORBIDDEN),
        (&otto, StatusCode::NOT_FOUND),
    ] {
        let (status, body) = call(who, Method::POST, &meetings(w), Some(place_body.clone())).await;
        assert_eq!(status, expected, "{body}");
        let (status, body) = call(who, Method::PATCH, &path, Some(move_body.clone())).await;
        assert_eq!(status, expected, "{body}");
        let (status, _) = call(
            who,
            Method::PATCH,
            &path,
            Some(json!({"status": "cancelled"})),
        )
        .await;
        assert_eq!(status, expected);
    }
    // Nothing moved; an organiser of the event (not a platform admin) may.
    assert_eq!(agenda(w, &f.bea).await[0]["slot"]["start"], "13:00");
    assert_eq!(agenda(w, &f.sam).await.len(), 0);
    olga.expect(Method::PATCH, &path, Some(move_body), StatusCode::OK)
        .await;
    olga.expect(
        Method::POST,
        &meetings(w),
        Some(place_body),
        StatusCode::CREATED,
    )
    .await;
    assert_eq!(agenda(w, &f.bea).await.len(), 2);
}

/// Every meeting's holds: (slot, holder) pairs, to check that no pair is held twice and
/// that each scheduled meeting holds its people and table.
pub(crate) async fn holds_of(app: &TestApp, event: &str) -> Vec<(Uuid, Uuid, Uuid)> {
    let event: Uuid = event.parse().unwrap();
    let rows = meeting::Entity::find()
        .filter(meeting::Column::EventId.eq(event))
        .all(&app.state.db)
        .await
        .unwrap();
    let holds = meeting_hold::Entity::find()
        .filter(meeting_hold::Column::MeetingId.is_in(rows.iter().map(|m| m.id)))
        .all(&app.state.db)
        .await
        .unwrap();
    for m in &rows {
        let mine: Vec<_> = holds.iter().filter(|h| h.meeting_id == m.id).collect();
        match m.status {
            MeetingStatus::Scheduled => {
                assert_eq!(mine.len(), 2 + usize::from(m.table_id.is_some()));
                assert!(mine.iter().all(|h| h.slot_id == m.slot_id));
            }
            MeetingStatus::Cancelled => assert!(mine.is_empty()),
        }
    }
    holds
        .into_iter()
        .map(|h| (h.meeting_id, h.slot_id, h.holder_id))
        .collect()
}

#[tokio::test]
async fn concurrent_moves_into_one_slot_never_double_book() {
    let app = TestApp::spawn().await;
    let w = World::new(&app).await;
    let (slots, _) = grid(&w).await;
    let tables = tables(&w, 1).await;
    let second = second_instance(&app).await;
    // Four pairs, each meeting at the one table in slots 0 to 3.
    let mut placed = Vec::new();
    for (i, slot) in slots.iter().enumerate().take(4) {
        let buyer = invite(
            &w,
            &format!("Buyer{i}"),
            &format!("Koper {i}"),
            "buyer",
            "en",
        )
        .await;
        let supplier = invite(
            &w,
            &format!("Seller{i}"),
            &format!("Aanbieder {i}"),
            "supplier",
            "en",
        )
        .await;
        let to = pid(&w, &format!("Seller{i}"), &format!("Aanbieder {i}")).await;
        let request = id(&ask(&w, &buyer, &to, "must").await);
        accept(&w, &supplier, &request).await;
        let m = w
            .organiser
            .expect(
                Method::POST,
                &meetings(&w),
                Some(json!({"request_id": request, "slot_id": slot, "table_id": tables[0]})),
                StatusCode::CREATED,
            )
            .await;
        placed.push((id(&m), buyer));
    }
    // All four into 14:40 at once, half through a second instance on PostgreSQL: the one
    // table takes one of them.
    let answers = join_all(placed.iter().enumerate().map(|(i, (m, _))| {
        let organiser = if i % 2 == 0 {
            w.organiser.clone()
        } else {
            on(&second, &w.organiser)
        };
        let path = meeting_path(&w, m);
        let slot = slots[4].clone();
        async move {
            call(
                &organiser,
                Method::PATCH,
                &path,
                Some(json!({"slot_id": slot})),
            )
            .await
        }
    }))
    .await;
    let won: Vec<usize> = answers
        .iter()
        .enumerate()
        .filter(|(_, (status, _))| *status == StatusCode::OK)
        .map(|(i, _)| i)
        .collect();
    assert_eq!(won.len(), 1, "{answers:?}");
    for (i, (status, body)) in answers.iter().enumerate() {
        if i != won[0] {
            assert_eq!(*status, StatusCode::CONFLICT, "{body}");
            assert_eq!(body["error"]["code"], "table_taken", "{body}");
            assert_eq!(
                body["error"]["details"]["meeting_id"],
                placed[won[0]].0.as_str()
            );
        }
    }
    // Each buyer's agenda: the winner at 14:40, everyone else where they were.
    for (i, (_, buyer)) in placed.iter().enumerate() {
        let mine = agenda(&w, buyer).await;
        assert_eq!(mine.len(), 1);
        let expected = if i == won[0] {
            "14:40"
        } else {
            ["13:00", "13:20", "13:40", "14:20"][i]
        };
        assert_eq!(mine[0]["slot"]["start"], expected);
    }
    holds_of(&app, &w.event).await;

    // One person, two meetings, two tables: moving both into one slot at once gives one.
    let tables = self::tables(&w, 2).await;
    let bea = invite(&w, "Bea", "Stad Gent", "buyer", "en").await;
    let mut beas = Vec::new();
    for (i, slot) in [(0, 0), (1, 1)] {
        let supplier = invite(
            &w,
            &format!("Other{i}"),
            &format!("Derde {i}"),
            "supplier",
            "en",
        )
        .await;
        let to = pid(&w, &format!("Other{i}"), &format!("Derde {i}")).await;
        let request = id(&ask(&w, &bea, &to, "must").await);
        accept(&w, &supplier, &request).await;
        beas.push(id(&w
            .organiser
            .expect(
                Method::POST,
                &meetings(&w),
                Some(json!({"request_id": request, "slot_id": slots[slot], "table_id": tables[1]})),
                StatusCode::CREATED,
            )
            .await));
    }
    // Both into 13:40 at table 2 at once: Bea (and the table) can be in one of them only.
    let free_slot = slots[2].clone();
    let answers = join_all(beas.iter().enumerate().map(|(i, m)| {
        let organiser = if i == 0 {
            w.organiser.clone()
        } else {
            on(&second, &w.organiser)
        };
        let path = meeting_path(&w, m);
        let body = json!({"slot_id": free_slot, "table_id": tables[1]});
        async move { call(&organiser, Method::PATCH, &path, Some(body)).await }
    }))
    .await;
    let ok = answers.iter().filter(|(s, _)| *s == StatusCode::OK).count();
    assert_eq!(ok, 1, "{answers:?}");
    let refused = answers.iter().find(|(s, _)| *s != StatusCode::OK).unwrap();
    assert_eq!(refused.0, StatusCode::CONFLICT);
    assert!(
        ["person_busy", "table_taken"].contains(&refused.1["error"]["code"].as_str().unwrap()),
        "{refused:?}"
    );
    let mine = agenda(&w, &bea).await;
    let starts: Vec<&str> = mine
        .iter()
        .map(|m| m["slot"]["start"].as_str().unwrap())
        .collect();
    assert_eq!(starts.len(), 2);
    assert!(starts.contains(&"13:40"), "{starts:?}");
    let holds = holds_of(&app, &w.event).await;
    let mut keys: Vec<(Uuid, Uuid)> = holds.iter().map(|(_, s, h)| (*s, *h)).collect();
    let all = keys.len();
    keys.sort();
    keys.dedup();
    assert_eq!(keys.len(), all, "no slot holds anyone or any table twice");
    if let Some(second) = second {
        second.stop().await;
    }
}

/// The rows of two meetings placed over HTTP and their requests.
async fn rows(app: &TestApp, ids: [&str; 2]) -> Vec<(meeting::Model, meeting_request::Model)> {
    let mut out = Vec::new();
    for m in ids {
        let row = meeting::Entity::find_by_id(m.parse::<Uuid>().unwrap())
            .one(&app.state.db)
            .await
            .unwrap()
            .unwrap();
        let request = meeting_request::Entity::find_by_id(row.request_id)
            .one(&app.state.db)
            .await
            .unwrap()
            .unwrap();
        out.push((row, request));
    }
    out
}

#[tokio::test]
async fn holds_for_many_meetings_at_once_name_what_is_in_the_way() {
    let app = TestApp::spawn().await;
    let f = floor(&app).await;
    let first = id(&place(&f, &f.bea_sara, 0, 0).await);
    let second = id(&place(&f, &f.bob_sam, 1, 0).await);
    let before = holds_of(&app, &f.w.event).await.len();
    let mut placed = rows(&app, [&first, &second]).await;
    let slot: Uuid = f.slots[2].parse().unwrap();
    let (table_1, table_2): (Uuid, Uuid) =
        (f.tables[0].parse().unwrap(), f.tables[1].parse().unwrap());

    // Both into 13:40 at table 1, as publishing would: the second is refused, naming the
    // first; nothing is kept.
    let txn = matchfloor::db::begin(&app.state.db).await.unwrap();
    holds::release_all(&txn, &[placed[0].0.id, placed[1].0.id])
        .await
        .unwrap();
    for (m, _) in placed.iter_mut() {
        m.slot_id = slot;
        m.table_id = Some(table_1);
    }
    let batch: Vec<_> = placed.iter().map(|(m, r)| (m, r)).collect();
    match holds::take_all(&txn, &batch).await {
        Err(HoldError::Taken(taken)) => match *taken {
            Taken::Table {
                number,
                meeting_id,
                ref people,
                ..
            } => {
                assert_eq!((number, meeting_id.to_string()), (1, first.clone()));
                assert_eq!(people[0].name, "Bea");
            }
            other => panic!("{other:?}"),
        },
        other => panic!("{other:?}"),
    }
    drop(txn);
    assert_eq!(holds_of(&app, &f.w.event).await.len(), before);

    // At two tables they fit.
    let txn = matchfloor::db::begin(&app.state.db).await.unwrap();
    holds::release_all(&txn, &[placed[0].0.id, placed[1].0.id])
        .await
        .unwrap();
    placed[1].0.table_id = Some(table_2);
    let batch: Vec<_> = placed.iter().map(|(m, r)| (m, r)).collect();
    holds::take_all(&txn, &batch).await.unwrap();
    drop(txn);
}
