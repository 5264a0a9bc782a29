//! Why an accepted request has no meeting, on small events built to produce each reason:
//! no common free slot (naming the session and the marked slots), a side at their meeting
//! limit, every table taken, outweighed by the meetings that took its place, and, after
//! publishing, a late request that still fits. The organiser reads every detail in the
//! preview and on the published schedule; each side reads their own words, with the other
//! side's sessions and meetings kept private. Who may not read it.

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::helpers::{Session, TestApp, World};
use crate::meeting_requests::{call, id, invite, pid, set_rules};
use crate::schedule::{agreed, finished, run_path, start, venue};

/// The organiser reads in English.
async fn in_english(w: &World<'_>) {
    w.organiser
        .expect(
            Method::PATCH,
            "/api/me",
            Some(json!({"language": "en"})),
            StatusCode::OK,
        )
        .await;
}

/// Marks every meeting slot but those in `free` as unavailable for `s`.
async fn only_free(w: &World<'_>, s: &Session, slots: &[String], free: &[usize]) {
    let marked: Vec<&String> = slots
        .iter()
        .enumerate()
        .filter(|(i, _)| !free.contains(i))
        .map(|(_, s)| s)
        .collect();
    s.expect(
        Method::PUT,
        &w.path("/availability/me"),
        Some(json!({ "slot_ids": marked })),
        StatusCode::OK,
    )
    .await;
}

/// Runs the scheduler to the end; the done run's preview.
async fn preview(w: &World<'_>) -> (String, Value) {
    let run = start(w, json!({"seed": 7})).await;
    let done = finished(w, &w.organiser, &id(&run)).await;
    assert_eq!(done["status"], "done", "{done}");
    (id(&run), done["preview"].clone())
}

/// The left-out item between the two names (either way round).
fn item<'a>(items: &'a Value, a: &str, b: &str) -> &'a Value {
    items
        .as_array()
        .unwrap()
        .iter()
        .find(|i| {
            let names = [&i["requester"]["name"], &i["recipient"]["name"]];
            names.contains(&&json!(a)) && names.contains(&&json!(b))
        })
        .unwrap_or_else(|| panic!("no item {a}-{b} in {items}"))
}

fn text(item: &Value) -> &str {
    item["text"].as_str().unwrap()
}

#[tokio::test]
async fn no_common_free_slot_names_the_session_and_the_marked_slots_to_each_their_own() {
    let app = TestApp::spawn().await;
    let w = World::new(&app).await;
    in_english(&w).await;
    let slots = venue(&w, 2).await;
    let bea = invite(&w, "Bea", "Stad Gent", "buyer", "nl").await;
    let ben = invite(&w, "Ben", "Provincie", "buyer", "en").await;
    let sara = invite(&w, "Sara", "ReMeubel", "supplier", "en").await;
    let sam = invite(&w, "Sam", "Circ NV", "supplier", "en").await;
    let (sara_id, sam_id) = (
        pid(&w, "Sara", "ReMeubel").await,
        pid(&w, "Sam", "Circ NV").await,
    );
    agreed(&w, &bea, &sara_id, "must", &sara, None).await;
    agreed(&w, &ben, &sam_id, "would_like", &sam, None).await;
    // Bea arrives at 13:40; Sara leads nothing but sits in the furniture dialogue from
    // 13:30, which keeps her from 13:20 on.
    only_free(&w, &bea, &slots, &[2, 3, 4]).await;
    let session = w
        .organiser
        .expect(
            Method::POST,
            &w.path("/sessions"),
            Some(
                json!({"kind": "market_dialogue", "title_nl": "Meubilair", "title_en": "Furniture",
                        "date": "2027-03-11", "start": "13:30", "end": "15:00", "capacity": 10}),
            ),
            StatusCode::CREATED,
        )
        .await;
    sara.expect(
        Method::PUT,
        &w.path(&format!("/sessions/{}/signup", id(&session))),
        None,
        StatusCode::OK,
    )
    .await;

    // Nothing published yet: the participants' list waits for it.
    let before = bea.get(&w.path("/meetings/why-not")).await;
    assert_eq!(before["published"], false);
    assert_eq!(before["items"], json!([]));

    let (run_id, p) = preview(&w).await;
    assert_eq!(p["meetings"], 1, "{p}");
    assert_eq!(p["left_out"].as_array().unwrap().len(), 1, "{p}");
    let x = item(&p["left_out"], "Bea", "Sara");
    assert_eq!(x["reason"], "no_common_free_slot");
    assert_eq!(x["class"], "mutual_must");
    let blocked: Vec<(String, String, Value)> = x["blocked"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| {
            (
                b["person"]["name"].as_str().unwrap().to_string(),
                b["slot"]["start"].as_str().unwrap().to_string(),
                b["session"]["title_en"].clone(),
            )
        })
        .collect();
    let furniture = json!("Furniture");
    assert_eq!(
        blocked,
        [
            ("Bea".into(), "13:00".into(), Value::Null),
            ("Bea".into(), "13:20".into(), Value::Null),
            ("Sara".into(), "13:20".into(), furniture.clone()),
            ("Sara".into(), "13:40".into(), furniture.clone()),
            ("Sara".into(), "14:20".into(), furniture.clone()),
            ("Sara".into(), "14:40".into(), furniture),
        ]
    );
    assert_eq!(
        text(x),
        "No slot in which both are free. Bea (Stad Gent): not available at 13:00 and 13:20. \
         Sara (ReMeubel): in “Furniture” at 13:20, 13:40, 14:20 and 14:40."
    );

    w.organiser
        .expect(
            Method::POST,
            &run_path(&w, &run_id, "/publish"),
            None,
            StatusCode::OK,
        )
        .await;
    // Bea reads it in Dutch, her own unavailability named, Sara's session not.
    let mine = bea.get(&w.path("/meetings/why-not")).await;
    assert_eq!(mine["published"], true);
    let items = mine["items"].as_array().unwrap();
    assert_eq!(items.len(), 1, "{mine}");
    assert_eq!(items[0]["reason"], "no_common_free_slot");
    assert_eq!(items[0]["other"]["name"], "Sara");
    assert_eq!(
        text(&items[0]),
        "Jij en Sara (ReMeubel) hebben geen vrij slot gemeenschappelijk: jij bent niet \
         beschikbaar om 13:00 en 13:20; Sara (ReMeubel) is niet beschikbaar om 13:20, 13:40, \
         14:20 en 14:40."
    );
    assert!(
        items[0]["blocked"]
            .as_array()
            .unwrap()
            .iter()
            .all(|b| b["session"].is_null()),
        "the other side's session stays private: {mine}"
    );
    // Sara reads her session by name.
    let hers = sara.get(&w.path("/meetings/why-not")).await;
    assert_eq!(
        text(&hers["items"][0]),
        "You and Bea (Stad Gent) have no free slot in common: you are in “Furniture” at \
         13:20, 13:40, 14:20 and 14:40; Bea (Stad Gent) is not available at 13:00 and 13:20."
    );
    // Ben and Sam met: nothing to explain to them.
    for s in [&ben, &sam] {
        let theirs = s.get(&w.path("/meetings/why-not")).await;
        assert_eq!(theirs["published"], true);
        assert_eq!(theirs["items"], json!([]));
    }

    // A late request that still fits, on the published schedule.
    let sue = invite(&w, "Sue", "Hergebruik", "supplier", "en").await;
    let sue_id = pid(&w, "Sue", "Hergebruik").await;
    agreed(&w, &ben, &sue_id, "if_time", &sue, None).await;
    let late = ben.get(&w.path("/meetings/why-not")).await;
    let x = item(&late["items"], "Ben", "Sue");
    assert_eq!(x["reason"], "would_fit");
    let ben_meeting = ben.get(&w.path("/meetings")).await["meetings"][0]["slot"]["start"]
        .as_str()
        .unwrap()
        .to_string();
    let fits: Vec<&str> = x["slots"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["start"].as_str().unwrap())
        .collect();
    assert_eq!(fits.len(), 4, "every slot but Ben's meeting: {x}");
    assert!(!fits.contains(&ben_meeting.as_str()));
    assert!(
        text(x).starts_with("There is still room at ")
            && text(x).ends_with(": the organisers can still add this meeting."),
        "{}",
        text(x)
    );
    let all = w.organiser.get(&w.path("/meetings/why-not")).await;
    let reasons: Vec<&str> = all["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["reason"].as_str().unwrap())
        .collect();
    assert_eq!(reasons, ["no_common_free_slot", "would_fit"], "{all}");
    assert_eq!(all["total"], 2);
    assert!(text(item(&all["items"], "Ben", "Sue")).starts_with("It still fits at "));
    // In the language the page is read in; a language the app does not speak is named.
    let dutch = w.organiser.get(&w.path("/meetings/why-not?lang=nl")).await;
    assert_eq!(dutch["lang"], "nl");
    assert_eq!(
        text(item(&dutch["items"], "Bea", "Sara")),
        "Geen slot waarin beiden vrij zijn. Bea (Stad Gent): niet beschikbaar om 13:00 en \
         13:20. Sara (ReMeubel): in „Meubilair” om 13:20, 13:40, 14:20 en 14:40."
    );
    let (status, body) = call(
        &w.organiser,
        Method::GET,
        &w.path("/meetings/why-not?lang=fr"),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    assert!(
        body["error"]["message"].as_str().unwrap().contains("lang"),
        "{body}"
    );
    let run = w.organiser.get(&run_path(&w, &run_id, "?lang=nl")).await;
    assert!(
        text(item(&run["preview"]["left_out"], "Bea", "Sara")).starts_with("Geen slot waarin"),
        "{run}"
    );
}

#[tokio::test]
async fn at_the_limit_tables_full_and_outweighed_are_told_with_what_took_the_place() {
    let app = TestApp::spawn().await;
    let w = World::new(&app).await;
    in_english(&w).await;
    // One table.
    let slots = venue(&w, 1).await;
    let bea = invite(&w, "Bea", "Stad Gent", "buyer", "en").await;
    let ben = invite(&w, "Ben", "Provincie", "buyer", "en").await;
    let bert = invite(&w, "Bert", "Gemeente", "buyer", "nl").await;
    let bo = invite(&w, "Bo", "Haven", "buyer", "en").await;
    let sara = invite(&w, "Sara", "ReMeubel", "supplier", "en").await;
    let sven = invite(&w, "Sven", "Tweedehands", "supplier", "en").await;
    let sam = invite(&w, "Sam", "Circ NV", "supplier", "en").await;
    let sue = invite(&w, "Sue", "Hergebruik", "supplier", "en").await;
    let sara_id = pid(&w, "Sara", "ReMeubel").await;
    let sven_id = pid(&w, "Sven", "Tweedehands").await;
    let sam_id = pid(&w, "Sam", "Circ NV").await;
    let sue_id = pid(&w, "Sue", "Hergebruik").await;
    // Sara, Ben and Sven can only meet at 13:00, where the one table goes to the mutual
    // must of Bea and Sara: Ben and Sven find every table taken, Bert finds Sara busy.
    agreed(&w, &bea, &sara_id, "must", &sara, Some("must")).await;
    agreed(&w, &ben, &sven_id, "if_time", &sven, None).await;
    agreed(&w, &bert, &sara_id, "if_time", &sara, None).await;
    // Bo meets Sam (a mutual must) and is then at the buyers' limit for Sue.
    agreed(&w, &bo, &sam_id, "must", &sam, Some("must")).await;
    agreed(&w, &bo, &sue_id, "if_time", &sue, None).await;
    for s in [&sara, &ben, &sven] {
        only_free(&w, s, &slots, &[0]).await;
    }
    // One meeting per buyer, decided after the requests were accepted (accepting refuses
    // a request beyond the limit).
    set_rules(&w, json!({"max_meetings": {"buyer": 1}})).await;

    let (run_id, p) = preview(&w).await;
    assert_eq!(p["meetings"], 2, "{p}");
    let left = &p["left_out"];
    assert_eq!(left.as_array().unwrap().len(), 3, "{p}");
    assert_eq!(p["left_out_total"], 3);
    assert_eq!(
        p["left_out_by_reason"],
        json!([{"reason": "at_limit", "count": 1}, {"reason": "tables_full", "count": 1},
               {"reason": "outweighed", "count": 1}])
    );

    let limit = item(left, "Bo", "Sue");
    assert_eq!(limit["reason"], "at_limit");
    assert_eq!(limit["at_limit"][0]["person"]["name"], "Bo");
    assert_eq!(limit["at_limit"][0]["max_meetings"], 1);
    assert_eq!(limit["at_limit"].as_array().unwrap().len(), 1);
    assert_eq!(
        text(limit),
        "Bo (Haven) has reached the limit of meetings for their role (1)."
    );

    let full = item(left, "Ben", "Sven");
    assert_eq!(full["reason"], "tables_full");
    assert_eq!(full["slots"][0]["start"], "13:00");
    assert_eq!(full["slots"].as_array().unwrap().len(), 1);
    assert_eq!(
        text(full),
        "Every table is taken in each slot in which both are free: 13:00."
    );

    let outweighed = item(left, "Bert", "Sara");
    assert_eq!(outweighed["reason"], "outweighed");
    let by = &outweighed["outweighed_by"];
    assert_eq!(by.as_array().unwrap().len(), 1, "{outweighed}");
    assert_eq!(by[0]["slot"]["start"], "13:00");
    let names: Vec<&str> = by[0]["meetings"][0]["people"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["Bea", "Sara"]);
    assert_eq!(
        text(outweighed),
        "Outweighed by other meetings: in each slot in which both are free, one of them \
         already has a meeting (at 13:00 Bea with Sara)."
    );
    // The most wanted first: all three are "if time" on the asking side, so by name.
    let order: Vec<&str> = left
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["requester"]["name"].as_str().unwrap())
        .collect();
    assert_eq!(order, ["Ben", "Bert", "Bo"]);

    w.organiser
        .expect(
            Method::POST,
            &run_path(&w, &run_id, "/publish"),
            None,
            StatusCode::OK,
        )
        .await;
    // Each side in their own words; nobody reads the meetings of others.
    let bert_reads = bert.get(&w.path("/meetings/why-not")).await;
    let x = &bert_reads["items"][0];
    assert_eq!(x["reason"], "outweighed");
    assert_eq!(x["outweighed_by"][0]["meetings"], json!([]));
    assert_eq!(
        text(x),
        "In elk slot waarin jullie allebei vrij zijn, heeft een van jullie al een gesprek: om \
         13:00 is Sara (ReMeubel) bezet."
    );
    let sara_reads = sara.get(&w.path("/meetings/why-not")).await;
    let x = item(&sara_reads["items"], "Bert", "Sara");
    assert_eq!(
        text(x),
        "In each slot in which you are both free, one of you already has a meeting: at 13:00 \
         you meet Bea (Stad Gent)."
    );
    let bo_reads = bo.get(&w.path("/meetings/why-not")).await;
    assert_eq!(
        text(&bo_reads["items"][0]),
        "You already have as many meetings as the organisers allow (1)."
    );
    let sue_reads = sue.get(&w.path("/meetings/why-not")).await;
    assert_eq!(
        text(&sue_reads["items"][0]),
        "Bo (Haven) already has as many meetings as the organisers allow."
    );
    let ben_reads = ben.get(&w.path("/meetings/why-not")).await;
    assert_eq!(
        text(&ben_reads["items"][0]),
        "Every table is taken in each slot in which you are both free (13:00)."
    );
    // Bea and Sam: their meetings are in; only what concerns them.
    assert_eq!(
        bea.get(&w.path("/meetings/why-not")).await["items"],
        json!([])
    );
    assert_eq!(
        sam.get(&w.path("/meetings/why-not")).await["items"],
        json!([])
    );
}

#[tokio::test]
async fn who_may_not_read_why() {
    let app = TestApp::spawn().await;
    let w = World::new(&app).await;
    let path = w.path("/meetings/why-not");
    let fien = w.person("Fien", "facilitator").await;
    let otto = w.other_events_organiser().await;
    let (status, _) = call(&fien, Method::GET, &path, None).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, _) = call(&otto, Method::GET, &path, None).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let anonymous = reqwest::Client::new()
        .get(app.url(&path))
        .send()
        .await
        .unwrap();
    assert_eq!(anonymous.status(), StatusCode::UNAUTHORIZED);
    let (status, _) = call(
        &w.organiser,
        Method::GET,
        "/api/events/00000000-0000-0000-0000-000000000000/meetings/why-not",
        None,
    )
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}
