//! The grid and the tables never silently remove scheduled meetings: deleting a slot,
//! generating a day's grid again, deleting a table or lowering the table count is refused
//! (`409 slot_has_meetings` / `table_has_meetings`, naming the meetings' slots or tables)
//! while scheduled meetings are there, and changes nothing; once those meetings are
//! cancelled the same change works, cancelled meetings going with their slot or losing
//! their table. Concurrent placements and deletions never leave a request `scheduled`
//! without its meeting.

use matchfloor::domain::MeetingStatus;
use matchfloor::entities::{meeting, meeting_hold};
use reqwest::{Method, StatusCode};
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, QueryOrder, Set};
use serde_json::{Value, json};
use uuid::Uuid;

use crate::helpers::{TestApp, on, second_instance};
use crate::meeting_edits::{Floor, agenda, floor, holds_of, patch, place, refusal, request_status};
use crate::meeting_requests::{call, id};

/// Everything a refused change must leave as it was: the grid, the tables, the meetings
/// (rows and holds), Sara's unavailable slots and the requests' states.
async fn snapshot(app: &TestApp, f: &Floor<'_>) -> Value {
    let w = &f.w;
    let event: Uuid = w.event.parse().unwrap();
    let rows: Vec<String> = meeting::Entity::find()
        .filter(meeting::Column::EventId.eq(event))
        .order_by_asc(meeting::Column::Id)
        .all(&app.state.db)
        .await
        .unwrap()
        .into_iter()
        .map(|m| format!("{m:?}"))
        .collect();
    let mut holds: Vec<String> = holds_of(app, &w.event)
        .await
        .into_iter()
        .map(|h| format!("{h:?}"))
        .collect();
    holds.sort();
    let mut statuses = Vec::new();
    for request in [&f.bea_sara, &f.bea_sam] {
        statuses.push(request_status(w, &f.bea, request).await);
    }
    statuses.push(request_status(w, &f.bob, &f.bob_sam).await);
    json!({
        "slots": w.organiser.get(&w.path("/slots")).await,
        "tables": w.organiser.get(&w.path("/tables")).await,
        "meetings": rows,
        "holds": holds,
        "sara_unavailable": f.sara.get(&w.path("/availability/me")).await,
        "requests": statuses,
    })
}

fn generate(body_minutes: i32, break_label: Option<&str>) -> Value {
    let mut pause = json!({"start": "14:00", "end": "14:20"});
    if let Some(label) = break_label {
        pause["label"] = json!(label);
    }
    json!({"date": "2027-03-11", "start": "13:00", "end": "15:00",
           "slot_minutes": body_minutes, "breaks": [pause]})
}

#[tokio::test]
async fn slots_with_scheduled_meetings_stay_until_their_meetings_are_moved_or_cancelled() {
    let app = TestApp::spawn().await;
    let f = floor(&app).await;
    let w = &f.w;
    let org = &w.organiser;
    // Bea and Sara at 13:00, Bob and Sam at 13:20; Bea and Sam's meeting at 13:40 was
    // cancelled. Sara cannot meet at 14:20.
    let first = id(&place(&f, &f.bea_sara, 0, 0).await);
    let second = id(&place(&f, &f.bob_sam, 1, 1).await);
    let called_off = id(&place(&f, &f.bea_sam, 2, 1).await);
    patch(
        &f,
        &called_off,
        json!({"status": "cancelled"}),
        StatusCode::OK,
    )
    .await;
    f.sara
        .expect(
            Method::PUT,
            &w.path("/availability/me"),
            Some(json!({"slot_ids": [f.slots[3]]})),
            StatusCode::OK,
        )
        .await;
    let before = snapshot(&app, &f).await;

    // Deleting the 13:00 slot.
    let slot_path = |i: usize| w.path(&format!("/slots/{}", f.slots[i]));
    let refused = refusal(
        org,
        Method::DELETE,
        &slot_path(0),
        Value::Null,
        StatusCode::CONFLICT,
    )
    .await;
    assert_eq!(refused["code"], "slot_has_meetings");
    assert_eq!(
        refused["message"],
        "1 scheduled meeting is in the slot 2027-03-11 13:00–13:20 that this would remove: \
         move or cancel it first"
    );
    assert_eq!(refused["details"]["meetings"], 1);
    assert_eq!(
        refused["details"]["slots"],
        json!([{"slot_id": f.slots[0], "date": "2027-03-11", "start": "13:00",
                "end": "13:20", "meetings": 1}])
    );

    // Generating the day again with 30-minute meetings would replace every meeting slot.
    let refused = refusal(
        org,
        Method::POST,
        &w.path("/slots/generate"),
        generate(30, None),
        StatusCode::CONFLICT,
    )
    .await;
    assert_eq!(refused["code"], "slot_has_meetings");
    assert_eq!(
        refused["message"],
        "2 scheduled meetings are in the slots 2027-03-11 13:00–13:20 and 2027-03-11 \
         13:20–13:40 that this would remove: move or cancel them first"
    );
    assert_eq!(refused["details"]["meetings"], 2);
    let named: Vec<&str> = refused["details"]["slots"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["slot_id"].as_str().unwrap())
        .collect();
    assert_eq!(named, [f.slots[0].as_str(), f.slots[1].as_str()]);
    // Nothing changed: not the grid, the meetings, their holds, Sara's marks or the
    // requests.
    assert_eq!(snapshot(&app, &f).await, before);
    assert_eq!(agenda(w, &f.bea).await[0]["slot"]["start"], "13:00");

    // Changes that keep the slots' rows work as before: the same grid with a label on the
    // break, a label on a slot with a meeting.
    let same = org
        .expect(
            Method::POST,
            &w.path("/slots/generate"),
            Some(generate(20, Some("Koffie"))),
            StatusCode::OK,
        )
        .await;
    let ids: Vec<String> = same["slots"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|s| s["kind"] == "meeting")
        .map(id)
        .collect();
    assert_eq!(ids, f.slots);
    org.expect(
        Method::PATCH,
        &slot_path(0),
        Some(json!({"label": "Eerste ronde"})),
        StatusCode::OK,
    )
    .await;
    assert_eq!(agenda(w, &f.bea).await.len(), 1);

    // A slot with only a cancelled meeting goes, and the cancelled meeting with it; its
    // request stays accepted and can be placed again.
    org.expect(Method::DELETE, &slot_path(2), None, StatusCode::NO_CONTENT)
        .await;
    let gone = meeting::Entity::find_by_id(called_off.parse::<Uuid>().unwrap())
        .one(&app.state.db)
        .await
        .unwrap();
    assert!(gone.is_none());
    assert_eq!(request_status(w, &f.bea, &f.bea_sam).await, "accepted");

    // A moved meeting no longer holds its old slot.
    patch(&f, &first, json!({"slot_id": f.slots[4]}), StatusCode::OK).await;
    org.expect(Method::DELETE, &slot_path(0), None, StatusCode::NO_CONTENT)
        .await;

    // Once Bob and Sam's meeting is cancelled too, only Bea and Sara's at 14:40 is left.
    patch(&f, &second, json!({"status": "cancelled"}), StatusCode::OK).await;
    let refused = refusal(
        org,
        Method::POST,
        &w.path("/slots/generate"),
        generate(30, None),
        StatusCode::CONFLICT,
    )
    .await;
    assert_eq!(refused["details"]["slots"][0]["start"], "14:40");
    patch(&f, &first, json!({"status": "cancelled"}), StatusCode::OK).await;
    let regenerated = org
        .expect(
            Method::POST,
            &w.path("/slots/generate"),
            Some(generate(30, None)),
            StatusCode::OK,
        )
        .await;
    let starts: Vec<&str> = regenerated["slots"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["start"].as_str().unwrap())
        .collect();
    assert_eq!(starts, ["13:00", "13:30", "14:00", "14:20"]);
    // The cancelled meetings went with their slots; the requests are accepted, and
    // the agendas empty.
    let event: Uuid = w.event.parse().unwrap();
    let left = meeting::Entity::find()
        .filter(meeting::Column::EventId.eq(event))
        .all(&app.state.db)
        .await
        .unwrap();
    assert!(left.is_empty(), "{left:?}");
    assert_eq!(request_status(w, &f.bea, &f.bea_sara).await, "accepted");
    assert_eq!(request_status(w, &f.bob, &f.bob_sam).await, "accepted");
    assert!(agenda(w, &f.bea).await.is_empty());
    // And the requests can be scheduled again in the new grid.
    let slot = regenerated["slots"][0]["id"].as_str().unwrap();
    org.expect(
        Method::POST,
        &w.path("/meetings"),
        Some(json!({"request_id": f.bea_sara, "slot_id": slot, "table_id": f.tables[0]})),
        StatusCode::CREATED,
    )
    .await;
}

#[tokio::test]
async fn tables_with_scheduled_meetings_stay_until_their_meetings_are_moved_or_cancelled() {
    let app = TestApp::spawn().await;
    let f = floor(&app).await;
    let w = &f.w;
    let org = &w.organiser;
    let tables_path = w.path("/tables");
    let table_path = |i: usize| w.path(&format!("/tables/{}", f.tables[i]));
    // Bea and Sara at table 1, Bob and Sam at table 2 ("Raam"), Bea and Sam's meeting at
    // table 2 was cancelled.
    org.expect(
        Method::PATCH,
        &table_path(1),
        Some(json!({"label": "Raam"})),
        StatusCode::OK,
    )
    .await;
    let first = id(&place(&f, &f.bea_sara, 0, 0).await);
    let second = id(&place(&f, &f.bob_sam, 1, 1).await);
    let called_off = id(&place(&f, &f.bea_sam, 2, 1).await);
    patch(
        &f,
        &called_off,
        json!({"status": "cancelled"}),
        StatusCode::OK,
    )
    .await;
    let before = snapshot(&app, &f).await;

    let refused = refusal(
        org,
        Method::DELETE,
        &table_path(1),
        Value::Null,
        StatusCode::CONFLICT,
    )
    .await;
    assert_eq!(refused["code"], "table_has_meetings");
    assert_eq!(
        refused["message"],
        "1 scheduled meeting is at table 2 (Raam) that this would remove: move or cancel it first"
    );
    assert_eq!(
        refused["details"],
        json!({"meetings": 1, "tables": [{"table_id": f.tables[1], "number": 2,
                                          "label": "Raam", "meetings": 1}]})
    );
    let refused = refusal(
        org,
        Method::PUT,
        &tables_path,
        json!({"count": 1}),
        StatusCode::CONFLICT,
    )
    .await;
    assert_eq!(refused["code"], "table_has_meetings");
    assert_eq!(refused["details"]["tables"][0]["number"], 2);
    let refused = refusal(
        org,
        Method::PUT,
        &tables_path,
        json!({"count": 0}),
        StatusCode::CONFLICT,
    )
    .await;
    assert_eq!(
        refused["message"],
        "2 scheduled meetings are at tables 1 and 2 (Raam) that this would remove: move or \
         cancel them first"
    );
    assert_eq!(refused["details"]["meetings"], 2);
    // Nothing changed.
    assert_eq!(snapshot(&app, &f).await, before);
    assert_eq!(agenda(w, &f.bob).await[0]["table"]["number"], 2);

    // Tables without meetings come and go as before; a table with meetings can be
    // relabelled.
    org.expect(
        Method::PUT,
        &tables_path,
        Some(json!({"count": 3})),
        StatusCode::OK,
    )
    .await;
    org.expect(
        Method::PUT,
        &tables_path,
        Some(json!({"count": 2})),
        StatusCode::OK,
    )
    .await;
    org.expect(
        Method::PATCH,
        &table_path(0),
        Some(json!({"label": "Deur"})),
        StatusCode::OK,
    )
    .await;

    // Bob and Sam's meeting moves to table 1 at 13:20: table 2 holds only a cancelled
    // meeting now, and goes. The cancelled meeting loses its table.
    patch(
        &f,
        &second,
        json!({"table_id": f.tables[0]}),
        StatusCode::OK,
    )
    .await;
    org.expect(Method::DELETE, &table_path(1), None, StatusCode::NO_CONTENT)
        .await;
    let cancelled = meeting::Entity::find_by_id(called_off.parse::<Uuid>().unwrap())
        .one(&app.state.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(cancelled.status, MeetingStatus::Cancelled);
    assert_eq!(cancelled.table_id, None);
    let table_two: Uuid = f.tables[1].parse().unwrap();
    let held = meeting_hold::Entity::find()
        .filter(meeting_hold::Column::HolderId.eq(table_two))
        .all(&app.state.db)
        .await
        .unwrap();
    assert!(held.is_empty(), "{held:?}");

    // Both left at table 1: lowering the count to 0 waits for both to be cancelled.
    patch(&f, &first, json!({"status": "cancelled"}), StatusCode::OK).await;
    let refused = refusal(
        org,
        Method::PUT,
        &tables_path,
        json!({"count": 0}),
        StatusCode::CONFLICT,
    )
    .await;
    assert_eq!(refused["details"]["meetings"], 1);
    patch(&f, &second, json!({"status": "cancelled"}), StatusCode::OK).await;
    // A stray hold naming a table (none should exist: a table is only held by scheduled
    // meetings) goes with the table.
    let stray = meeting_hold::ActiveModel {
        id: Set(Uuid::now_v7()),
        meeting_id: Set(called_off.parse().unwrap()),
        slot_id: Set(f.slots[4].parse().unwrap()),
        holder_id: Set(f.tables[0].parse().unwrap()),
    }
    .insert(&app.state.db)
    .await
    .unwrap();
    let none = org
        .expect(
            Method::PUT,
            &tables_path,
            Some(json!({"count": 0})),
            StatusCode::OK,
        )
        .await;
    assert_eq!(none["tables"], json!([]));
    assert!(
        meeting_hold::Entity::find_by_id(stray.id)
            .one(&app.state.db)
            .await
            .unwrap()
            .is_none()
    );
    assert_eq!(request_status(w, &f.bea, &f.bea_sara).await, "accepted");
    assert_eq!(request_status(w, &f.bob, &f.bob_sam).await, "accepted");
}

/// An organiser places a meeting in a slot (at a table) while another deletes that slot
/// (or that table), at the same moment, many times over, half through a second instance
/// on PostgreSQL: either the meeting is placed and the deletion refused, or the deletion
/// goes through and the placement finds no such slot (or table). Never a server error,
/// never a `scheduled` request without its meeting.
#[tokio::test]
async fn placing_and_deleting_at_the_same_moment_never_lose_a_meeting() {
    let app = TestApp::spawn().await;
    let f = floor(&app).await;
    let w = &f.w;
    let org = &w.organiser;
    let second = second_instance(&app).await;
    let other = on(&second, org);
    let rounds = 8;
    for round in 0..rounds {
        // A fresh slot and a fresh table for each round.
        let minute = 16 * 60 + round * 10;
        let clock = |m: i32| format!("{:02}:{:02}", m / 60, m % 60);
        let slot = id(&org
            .expect(
                Method::POST,
                &w.path("/slots"),
                Some(json!({"date": "2027-03-11", "start": clock(minute),
                            "end": clock(minute + 10)})),
                StatusCode::CREATED,
            )
            .await);
        let table = id(&org
            .expect(
                Method::POST,
                &w.path("/tables"),
                Some(json!({})),
                StatusCode::CREATED,
            )
            .await);
        let deleting_table = round % 2 == 1;
        let target = if deleting_table {
            w.path(&format!("/tables/{table}"))
        } else {
            w.path(&format!("/slots/{slot}"))
        };
        let (placer, deleter) = if round % 4 < 2 {
            (org, &other)
        } else {
            (&other, org)
        };
        let meetings = w.path("/meetings");
        let answers = tokio::join!(
            call(
                placer,
                Method::POST,
                &meetings,
                Some(json!({"request_id": f.bea_sara, "slot_id": slot, "table_id": table})),
            ),
            call(deleter, Method::DELETE, &target, None),
        );
        let (placed, deleted) = (&answers.0, &answers.1);
        match (placed.0, deleted.0) {
            (StatusCode::CREATED, StatusCode::CONFLICT) => {
                let code = if deleting_table {
                    "table_has_meetings"
                } else {
                    "slot_has_meetings"
                };
                assert_eq!(deleted.1["error"]["code"], code, "{deleted:?}");
                assert_eq!(request_status(w, &f.bea, &f.bea_sara).await, "scheduled");
                assert_eq!(agenda(w, &f.bea).await.len(), 1);
                patch(
                    &f,
                    &id(&placed.1),
                    json!({"status": "cancelled"}),
                    StatusCode::OK,
                )
                .await;
            }
            (StatusCode::UNPROCESSABLE_ENTITY, StatusCode::NO_CONTENT) => {
                let field = if deleting_table {
                    "table_id"
                } else {
                    "slot_id"
                };
                assert_eq!(
                    placed.1["error"]["details"]["fields"][0],
                    json!({"field": field, "code": "not_found",
                           "message": if deleting_table { "not a meeting table of this event" }
                                      else { "not a slot of this event" }}),
                    "{placed:?}"
                );
            }
            other => panic!("round {round}: {other:?}: {answers:?}"),
        }
        assert_eq!(request_status(w, &f.bea, &f.bea_sara).await, "accepted");
        assert!(agenda(w, &f.bea).await.is_empty());
        holds_of(&app, &w.event).await;
    }
    if let Some(second) = second {
        second.stop().await;
    }
}
