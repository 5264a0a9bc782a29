//! Scheduling meetings in the app: a run from accepted requests to a published schedule
//! (preview, meetings for everyone, live messages and emails), the exported instance and
//! schedule checked by the benchmark kit and matched by `matchfloor solve`, one run per
//! event, cancelling, a run claimed once by two instances on one database, a stopped
//! instance's run noticed, who may not, and bad options.

use std::path::{Path, PathBuf};
use std::time::Duration;

use chrono::Utc;
use matchfloor::domain::ScheduleRunStatus;
use matchfloor::entities::schedule_run;
use reqwest::{Method, StatusCode};
use sea_orm::{ActiveModelTrait, EntityTrait, Set};
use serde_json::{Value, json};
use uuid::Uuid;

use crate::helpers::{Session, TestApp, World};
use crate::live::{connect, next};
use crate::meeting_requests::{act, call, id, invite, pid, set_rules};

pub(crate) fn runs(w: &World<'_>) -> String {
    w.path("/schedule/runs")
}

pub(crate) fn run_path(w: &World<'_>, run: &str, tail: &str) -> String {
    w.path(&format!("/schedule/runs/{run}{tail}"))
}

/// A day of five 20-minute meeting slots (13:00-15:00 with a break at 14:00) and `tables`
/// tables; the meeting slots' ids.
pub(crate) async fn venue(w: &World<'_>, tables: i32) -> Vec<String> {
    let grid = w
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
        .await;
    w.organiser
        .expect(
            Method::PUT,
            &w.path("/tables"),
            Some(json!({"count": tables})),
            StatusCode::OK,
        )
        .await;
    grid["slots"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|s| s["kind"] == "meeting")
        .map(id)
        .collect()
}

/// `from` asks `to` (a participant id) with `priority`; `answerer` accepts, with its own
/// priority when given.
pub(crate) async fn agreed(
    w: &World<'_>,
    from: &Session,
    to: &str,
    priority: &str,
    answerer: &Session,
    answer: Option<&str>,
) -> String {
    let request = crate::meeting_requests::ask(w, from, to, priority).await;
    let body = answer.map(|p| json!({ "priority": p }));
    let (status, got) = act(w, answerer, &id(&request), "accept", body).await;
    assert_eq!(status, StatusCode::OK, "{got}");
    id(&request)
}

/// Starts a run and expects it queued; the run.
pub(crate) async fn start(w: &World<'_>, body: Value) -> Value {
    let run = w
        .organiser
        .expect(Method::POST, &runs(w), Some(body), StatusCode::ACCEPTED)
        .await;
    assert_eq!(run["status"], "queued", "{run}");
    run
}

/// Polls the run until it is no longer queued or running (bounded by a count, not a clock
/// limit on the solver); the run as read last.
pub(crate) async fn finished(w: &World<'_>, s: &Session, run: &str) -> Value {
    for _ in 0..1200 {
        let got = s.get(&run_path(w, run, "")).await;
        if !matches!(got["status"].as_str(), Some("queued" | "running")) {
            return got;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("run {run} did not finish");
}

/// The benchmark kit beside the repository; the tests fail loudly without it.
fn kit() -> PathBuf {
    let kit = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/bench");
    assert!(
        kit.join("check_schedule.py").is_file(),
        "the benchmark kit is missing at {} (../shared/bench beside the repository)",
        kit.display()
    );
    kit
}

/// Downloads a file the organiser may have, checking it comes as an attachment.
async fn download(s: &Session, path: &str) -> Value {
    let response = s.send(Method::GET, path, None).await;
    assert_eq!(response.status(), StatusCode::OK, "{path}");
    let disposition = response
        .headers()
        .get("content-disposition")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_string();
    assert!(
        disposition.starts_with("attachment; filename="),
        "{disposition}"
    );
    response.json().await.unwrap()
}

/// Runs the kit's checker on the instance and schedule; its figures.
fn check(dir: &Path, instance: &Value, schedule: &Value) -> Value {
    let (i, s) = (dir.join("instance.json"), dir.join("schedule.json"));
    std::fs::write(&i, instance.to_string()).unwrap();
    std::fs::write(&s, schedule.to_string()).unwrap();
    let out = std::process::Command::new("python3")
        .arg(kit().join("check_schedule.py"))
        .arg(&i)
        .arg(&s)
        .output()
        .expect("python3 runs the checker");
    let text = String::from_utf8_lossy(&out.stdout).to_string();
    assert!(
        out.status.success(),
        "check_schedule.py refused the schedule: {text} {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_str(text.lines().last().unwrap()).unwrap()
}

/// `matchfloor solve` on the instance with the seed; its schedule.
fn solve(dir: &Path, instance: &Value, seed: u64) -> Value {
    let path = dir.join("cli-instance.json");
    std::fs::write(&path, instance.to_string()).unwrap();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_matchfloor"))
        .arg("solve")
        .arg(&path)
        .args(["--seed", &seed.to_string()])
        .output()
        .expect("the binary runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

/// Waits (bounded by a count) for the email to `to` whose subject starts with `subject`.
async fn mail_to(app: &TestApp, to: &str, subject: &str) -> crate::helpers::Mail {
    for _ in 0..400 {
        if let Some(mail) = app
            .mails()
            .into_iter()
            .find(|m| m.to.contains(to) && m.subject.starts_with(subject))
        {
            return mail;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("no email \"{subject}...\" to {to}");
}

/// Reads live messages until one of `kind` for which `want` holds.
async fn live_until(
    socket: &mut crate::live::Socket,
    kind: &str,
    want: impl Fn(&Value) -> bool,
) -> Value {
    loop {
        let message = next(socket).await.expect("the socket stays open");
        if message["type"] == kind && want(&message["payload"]) {
            return message;
        }
    }
}

#[tokio::test]
async fn a_run_is_previewed_published_and_everyone_sees_their_meetings() {
    let app = TestApp::spawn().await;
    let w = World::new(&app).await;
    let slots = venue(&w, 2).await;
    set_rules(&w, json!({"allow_buyer_buyer": true})).await;
    let bea = invite(&w, "Bea", "Stad Gent", "buyer", "nl").await;
    let ben = invite(&w, "Ben", "Provincie", "buyer", "en").await;
    let bo = invite(&w, "Bo", "Haven", "buyer", "en").await;
    let sara = invite(&w, "Sara", "ReMeubel", "supplier", "nl").await;
    let sam = invite(&w, "Sam", "Circ NV", "supplier", "en").await;
    let (sara_id, sam_id, bo_id) = (
        pid(&w, "Sara", "ReMeubel").await,
        pid(&w, "Sam", "Circ NV").await,
        pid(&w, "Bo", "Haven").await,
    );
    agreed(&w, &bea, &sara_id, "must", &sara, Some("must")).await;
    agreed(&w, &bea, &sam_id, "would_like", &sam, None).await;
    agreed(&w, &ben, &sara_id, "if_time", &sara, Some("would_like")).await;
    agreed(&w, &bo, &sam_id, "must", &sam, Some("if_time")).await;
    let ben_id = pid(&w, "Ben", "Provincie").await;
    agreed(&w, &sam, &ben_id, "would_like", &ben, None).await;
    // Buyer to buyer: allowed here, but the scheduler joins buyers and suppliers only.
    let same_role = agreed(&w, &bea, &bo_id, "must", &bo, None).await;
    // Bea arrives late.
    bea.expect(
        Method::PUT,
        &w.path("/availability/me"),
        Some(json!({"slot_ids": [slots[0]]})),
        StatusCode::OK,
    )
    .await;

    let mut organiser_socket = connect(&app, &w.event, Some(&w.organiser.cookie), "")
        .await
        .unwrap();
    let mut bea_socket = connect(&app, &w.event, Some(&bea.cookie), "")
        .await
        .unwrap();
    let mut sara_socket = connect(&app, &w.event, Some(&sara.cookie), "")
        .await
        .unwrap();
    for socket in [&mut organiser_socket, &mut bea_socket, &mut sara_socket] {
        assert_eq!(next(socket).await.unwrap()["type"], "hello");
    }

    let run = start(&w, json!({"time_limit_seconds": 10, "seed": 7})).await;
    let run_id = id(&run);
    let done = finished(&w, &w.organiser, &run_id).await;
    assert_eq!(done["status"], "done", "{done}");
    assert_eq!(done["seed"], 7);
    assert!(done["claimed_by"].is_string());
    // The organisers were told how it went, live.
    live_until(&mut organiser_socket, "schedule_run", |p| {
        p["id"] == run_id.as_str() && p["status"] == "done"
    })
    .await;

    // The preview adds up.
    let preview = &done["preview"];
    let meetings = preview["meetings"].as_u64().unwrap() as usize;
    assert_eq!(preview["requests"], 5, "{preview}");
    assert_eq!(preview["participants"], 5);
    assert!((4..=5).contains(&meetings), "{preview}");
    assert!(preview["objective"].as_i64() <= preview["bound"].as_i64());
    let by_priority = preview["by_priority"].as_array().unwrap();
    assert_eq!(
        by_priority
            .iter()
            .map(|c| c["scheduled"].as_u64().unwrap())
            .sum::<u64>() as usize,
        meetings
    );
    assert_eq!(
        by_priority
            .iter()
            .map(|c| c["requested"].as_u64().unwrap())
            .sum::<u64>(),
        5
    );
    let mutual = by_priority
        .iter()
        .find(|c| c["class"] == "mutual_must")
        .unwrap();
    assert_eq!(
        (mutual["requested"].as_u64(), mutual["scheduled"].as_u64()),
        (Some(1), Some(1))
    );
    let distribution = preview["distribution"].as_array().unwrap();
    assert_eq!(
        distribution
            .iter()
            .map(|b| b["people"].as_u64().unwrap())
            .sum::<u64>(),
        5
    );
    assert_eq!(
        distribution
            .iter()
            .map(|b| b["meetings"].as_u64().unwrap() * b["people"].as_u64().unwrap())
            .sum::<u64>() as usize,
        2 * meetings
    );
    let tables = preview["tables"].as_array().unwrap();
    assert_eq!(tables.len(), 5);
    assert_eq!(tables[0]["slot"]["start"], "13:00");
    assert!(
        tables
            .iter()
            .all(|t| t["available"] == 2 && t["used"].as_u64() <= Some(2))
    );
    assert_eq!(
        tables
            .iter()
            .map(|t| t["used"].as_u64().unwrap())
            .sum::<u64>() as usize,
        meetings
    );
    assert_eq!(
        preview["changes"]["added"].as_array().unwrap().len(),
        meetings
    );
    assert_eq!(preview["changes"]["moved"], json!([]));
    assert_eq!(preview["changes"]["dropped"], json!([]));
    assert_eq!(preview["left_out"].as_array().unwrap().len(), 1);
    assert_eq!(preview["left_out"][0]["request_id"], same_role.as_str());
    assert_eq!(preview["left_out"][0]["reason"], "same_role");
    assert_eq!(preview["left_out"][0]["requester"]["name"], "Bea");
    let short = preview["short"].as_array().unwrap();
    assert!(
        short
            .iter()
            .all(|p| p["got"].as_u64() < p["asked"].as_u64() || p["got"] == 0),
        "{preview}"
    );

    // The run's instance and schedule pass the kit's checker, and the command line finds
    // the same objective with the same seed.
    let files = tempfile::tempdir().unwrap();
    let instance = download(
        &w.organiser,
        &w.path(&format!("/schedule/instance?run_id={run_id}")),
    )
    .await;
    assert_eq!(instance["format"], "matchfloor-instance/1");
    assert_eq!(instance["slots"], 5);
    assert_eq!(instance["tables"], json!([2, 2, 2, 2, 2]));
    let bea_in = instance["participants"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|p| p["unavailable"] == json!([0]))
        .count();
    assert_eq!(bea_in, 1, "Bea's late arrival: {instance}");
    let schedule = download(
        &w.organiser,
        &w.path(&format!("/schedule/export?run_id={run_id}")),
    )
    .await;
    let figures = check(files.path(), &instance, &schedule);
    assert_eq!(figures["objective"], preview["objective"], "{figures}");
    let cli = solve(files.path(), &instance, 7);
    assert_eq!(cli["objective"], preview["objective"]);
    assert_eq!(cli["bound"], preview["bound"]);

    // Publish: the meetings, the requests scheduled, everyone affected told.
    let summary = w
        .organiser
        .expect(
            Method::POST,
            &run_path(&w, &run_id, "/publish"),
            None,
            StatusCode::OK,
        )
        .await;
    assert_eq!(summary["added"].as_u64().unwrap() as usize, meetings);
    assert_eq!(summary["moved"], 0);
    assert_eq!(summary["dropped"], 0);
    let affected = summary["people_affected"].as_u64().unwrap();
    assert!(affected >= 4, "{summary}");
    let all = w.organiser.get(&w.path("/meetings")).await;
    let all = all["meetings"].as_array().unwrap().clone();
    assert_eq!(all.len(), meetings);
    assert!(all.iter().all(|m| {
        let mut roles = [
            m["people"][0]["role"].clone(),
            m["people"][1]["role"].clone(),
        ];
        roles.sort_by_key(|r| r.to_string());
        m["status"] == "scheduled"
            && m["table"]["number"].as_i64().is_some()
            && roles == [json!("buyer"), json!("supplier")]
    }));
    // No one in two meetings at once, no table twice in a slot.
    let mut seen = std::collections::HashSet::new();
    for m in &all {
        let slot = m["slot"]["id"].as_str().unwrap();
        for holder in [
            m["people"][0]["participant_id"].as_str().unwrap(),
            m["people"][1]["participant_id"].as_str().unwrap(),
            m["table"]["id"].as_str().unwrap(),
        ] {
            assert!(seen.insert((slot.to_string(), holder.to_string())), "{m}");
        }
        assert_ne!(
            slot,
            slots[0].as_str(),
            "a meeting in the late arrival's slot? {m}"
        );
    }
    for (who, name) in [
        (&bea, "Bea"),
        (&ben, "Ben"),
        (&bo, "Bo"),
        (&sara, "Sara"),
        (&sam, "Sam"),
    ] {
        let mine = who.get(&w.path("/meetings")).await;
        let mine = mine["meetings"].as_array().unwrap();
        let expected = all
            .iter()
            .filter(|m| {
                m["people"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .any(|p| p["name"] == name)
            })
            .count();
        assert_eq!(mine.len(), expected, "{name}");
        assert!(mine.iter().all(|m| {
            m["people"]
                .as_array()
                .unwrap()
                .iter()
                .any(|p| p["name"] == name)
        }));
    }
    // Bea's accepted requests that got a meeting are scheduled now.
    let sent = bea.get(&w.path("/requests")).await;
    let scheduled = sent["sent"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["status"] == "scheduled")
        .count();
    let bea_meetings = bea.get(&w.path("/meetings")).await["meetings"]
        .as_array()
        .unwrap()
        .len();
    assert_eq!(scheduled, bea_meetings);
    // Live, privately, and by email with the whole day in each one's language.
    // Bea hears of her meetings, never of the organisers' runs.
    let told = loop {
        let message = next(&mut bea_socket).await.expect("the socket stays open");
        assert_ne!(
            message["type"], "schedule_run",
            "runs are for organisers only"
        );
        if message["type"] == "meetings_changed" {
            break message;
        }
    };
    assert_eq!(
        told["payload"]["added"].as_array().unwrap().len(),
        bea_meetings
    );
    live_until(&mut sara_socket, "meetings_changed", |_| true).await;
    let mail = mail_to(&app, "bea@stad.example", "Je gesprekken op").await;
    assert!(mail.body.contains("tafel"), "{}", mail.body);
    assert!(
        mail.body.contains("Sara (ReMeubel, aanbieder)"),
        "{}",
        mail.body
    );
    mail_to(&app, "sam@circ.example", "Your meetings at").await;

    // The published schedule against the instance as it is now: the checker agrees.
    let now_instance = download(&w.organiser, &w.path("/schedule/instance")).await;
    assert_eq!(
        now_instance["previous"].as_array().unwrap().len(),
        meetings,
        "published meetings are the previous schedule"
    );
    let published = download(&w.organiser, &w.path("/schedule/export")).await;
    assert_eq!(published["meetings"].as_array().unwrap().len(), meetings);
    let figures = check(files.path(), &now_instance, &published);
    assert_eq!(figures["objective"], preview["objective"]);
    assert_eq!(published["objective"], preview["objective"]);

    // Once only; and a run again changes nothing, so nobody is told again.
    let (status, body) = call(
        &w.organiser,
        Method::POST,
        &run_path(&w, &run_id, "/publish"),
        None,
    )
    .await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (StatusCode::CONFLICT, Some("schedule_run_published"))
    );
    let outbox = || async {
        matchfloor::entities::mail_outbox::Entity::find()
            .all(&app.state.db)
            .await
            .unwrap()
            .len()
    };
    let mails_before = outbox().await;
    let again = start(&w, json!({"seed": 7})).await;
    let again = finished(&w, &w.organiser, &id(&again)).await;
    assert_eq!(again["status"], "done");
    assert_eq!(
        again["preview"]["changes"]["unchanged"].as_u64().unwrap() as usize,
        meetings
    );
    // The first run is no longer the latest.
    let (status, body) = call(
        &w.organiser,
        Method::POST,
        &run_path(&w, &run_id, "/publish"),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert_eq!(body["error"]["code"], "schedule_run_published");
    let summary = w
        .organiser
        .expect(
            Method::POST,
            &run_path(&w, &id(&again), "/publish"),
            None,
            StatusCode::OK,
        )
        .await;
    assert_eq!(summary["people_affected"], 0, "{summary}");
    assert_eq!(outbox().await, mails_before, "nobody is mailed again");
    let listed = w.organiser.get(&runs(&w)).await;
    assert_eq!(listed["runs"].as_array().unwrap().len(), 2);
    assert_eq!(listed["runs"][0]["id"], again["id"]);
    assert!(listed["runs"][0]["preview"].is_null());
}

#[tokio::test]
async fn one_run_at_a_time_and_a_queued_run_is_cancelled_at_once() {
    // No worker here: runs stay queued until cancelled.
    let app = TestApp::spawn_with(&[("MATCHFLOOR__SCHEDULE__WORKER", "false")]).await;
    let w = World::new(&app).await;
    let first = start(&w, json!({})).await;
    assert_eq!(first["time_limit_seconds"], 20);
    assert_eq!(first["seed"], 1);
    assert_eq!(first["mode"], "full");
    let (status, body) = call(
        &w.organiser,
        Method::POST,
        &runs(&w),
        Some(json!({"mode": "add_only"})),
    )
    .await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert_eq!(body["error"]["code"], "schedule_run_active");
    assert_eq!(body["error"]["details"]["run_id"], first["id"]);
    assert_eq!(body["error"]["details"]["status"], "queued");
    // Not done: no preview to publish.
    let (status, body) = call(
        &w.organiser,
        Method::POST,
        &run_path(&w, &id(&first), "/publish"),
        None,
    )
    .await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (StatusCode::CONFLICT, Some("schedule_run_state"))
    );

    let cancelled = w
        .organiser
        .expect(
            Method::DELETE,
            &run_path(&w, &id(&first), ""),
            None,
            StatusCode::OK,
        )
        .await;
    assert_eq!(cancelled["status"], "cancelled");
    let (status, body) = call(
        &w.organiser,
        Method::DELETE,
        &run_path(&w, &id(&first), ""),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert_eq!(body["error"]["details"]["status"], "cancelled");

    // A running run is asked to stop: the flag is set for its worker to read.
    let second = start(
        &w,
        json!({"mode": "add_only", "time_limit_seconds": 600, "seed": 0}),
    )
    .await;
    assert_eq!(second["mode"], "add_only");
    let row = schedule_run::Entity::find_by_id(id(&second).parse::<Uuid>().unwrap())
        .one(&app.state.db)
        .await
        .unwrap()
        .unwrap();
    let mut running: schedule_run::ActiveModel = row.into();
    running.status = Set(ScheduleRunStatus::Running);
    running.claimed_by = Set(Some("elsewhere".into()));
    running.heartbeat_at = Set(Some(Utc::now()));
    running.update(&app.state.db).await.unwrap();
    let asked = w
        .organiser
        .expect(
            Method::DELETE,
            &run_path(&w, &id(&second), ""),
            None,
            StatusCode::OK,
        )
        .await;
    assert_eq!(
        (
            asked["status"].as_str(),
            asked["cancel_requested"].as_bool()
        ),
        (Some("running"), Some(true))
    );
    let (status, _) = call(&w.organiser, Method::POST, &runs(&w), None).await;
    assert_eq!(status, StatusCode::CONFLICT, "still running until it stops");
    // Other events are not kept waiting.
    let other = w.other_event().await;
    w.organiser
        .expect(
            Method::POST,
            &format!("/api/events/{other}/schedule/runs"),
            None,
            StatusCode::ACCEPTED,
        )
        .await;
    // Unknown runs, and runs of another event, are not found.
    let (status, _) = call(
        &w.organiser,
        Method::GET,
        &run_path(&w, &Uuid::now_v7().to_string(), ""),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, _) = call(
        &w.organiser,
        Method::GET,
        &format!("/api/events/{other}/schedule/runs/{}", id(&second)),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn a_run_whose_instance_stopped_is_failed_and_the_event_is_free_again() {
    let app = TestApp::spawn_with(&[("MATCHFLOOR__SCHEDULE__WORKER", "false")]).await;
    let w = World::new(&app).await;
    let first = start(&w, json!({})).await;
    let row = schedule_run::Entity::find_by_id(id(&first).parse::<Uuid>().unwrap())
        .one(&app.state.db)
        .await
        .unwrap()
        .unwrap();
    let mut stalled: schedule_run::ActiveModel = row.into();
    stalled.status = Set(ScheduleRunStatus::Running);
    stalled.claimed_by = Set(Some("gone".into()));
    stalled.heartbeat_at = Set(Some(Utc::now() - chrono::Duration::minutes(10)));
    stalled.update(&app.state.db).await.unwrap();
    let second = start(&w, json!({})).await;
    assert_ne!(second["id"], first["id"]);
    let old = w.organiser.get(&run_path(&w, &id(&first), "")).await;
    assert_eq!(old["status"], "failed");
    assert_eq!(old["error"]["code"], "instance_stopped");
    assert_eq!(old["error"]["message"], "the instance running it stopped");
    assert!(old["finished_at"].is_string());
}

#[tokio::test]
async fn two_instances_on_one_database_run_each_run_once() {
    let app = TestApp::spawn().await;
    let other = app.another_instance().await;
    let w = World::new(&app).await;
    let events = [
        w.event.clone(),
        w.other_event().await,
        w.other_event().await,
    ];
    let mut started = Vec::new();
    for (i, event) in events.iter().enumerate() {
        // Each instance queues some of them; whichever claims a run runs it.
        let base = if i % 2 == 0 {
            &app.address
        } else {
            &other.address
        };
        let mut organiser = w.organiser.clone();
        organiser.base = base.clone();
        started.push(
            organiser
                .expect(
                    Method::POST,
                    &format!("/api/events/{event}/schedule/runs"),
                    None,
                    StatusCode::ACCEPTED,
                )
                .await,
        );
    }
    let names = [
        app.state.schedule.instance_id.clone(),
        other.state.schedule.instance_id.clone(),
    ];
    for (event, run) in events.iter().zip(&started) {
        let path = format!("/api/events/{event}/schedule/runs/{}", id(run));
        let mut done = Value::Null;
        for _ in 0..1200 {
            done = w.organiser.get(&path).await;
            if !matches!(done["status"].as_str(), Some("queued" | "running")) {
                break;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        // These events have no grid: the run ends with that said.
        assert_eq!(done["status"], "failed", "{done}");
        assert_eq!(done["error"]["code"], "invalid_instance");
        assert_eq!(
            done["error"]["message"],
            "the event has no meeting slots: make the grid first"
        );
        assert!(names.contains(&done["claimed_by"].as_str().unwrap().to_string()));
    }
    let ran = |a: &TestApp| {
        a.state
            .schedule
            .executed
            .load(std::sync::atomic::Ordering::SeqCst)
    };
    assert_eq!(ran(&app) + ran(&other), 3, "every run ran exactly once");
    other.stop().await;
}

#[tokio::test]
async fn only_the_events_organisers_schedule_and_participants_see_only_their_meetings() {
    let app = TestApp::spawn_with(&[("MATCHFLOOR__SCHEDULE__WORKER", "false")]).await;
    let w = World::new(&app).await;
    let run = start(&w, json!({})).await;
    let run_id = id(&run);
    let bea = w.buyer("Bea", "Stad Gent").await;
    let sara = w.supplier("Sara", "ReMeubel").await;
    let fien = w.person("Fien", "facilitator").await;
    let otto = w.other_events_organiser().await;
    let organisers_only = [
        (Method::POST, runs(&w)),
        (Method::GET, runs(&w)),
        (Method::GET, run_path(&w, &run_id, "")),
        (Method::DELETE, run_path(&w, &run_id, "")),
        (Method::POST, run_path(&w, &run_id, "/publish")),
        (Method::GET, w.path("/schedule/instance")),
        (
            Method::GET,
            w.path(&format!("/schedule/instance?run_id={run_id}")),
        ),
        (Method::GET, w.path("/schedule/export")),
        (
            Method::GET,
            w.path(&format!("/schedule/export?run_id={run_id}")),
        ),
    ];
    for (method, path) in &organisers_only {
        for who in [&bea, &sara, &fien] {
            let (status, _) = call(who, method.clone(), path, None).await;
            assert_eq!(
                status,
                StatusCode::FORBIDDEN,
                "{method} {path} by {}",
                who.me["email"]
            );
        }
        let (status, _) = call(&otto, method.clone(), path, None).await;
        assert_eq!(
            status,
            StatusCode::NOT_FOUND,
            "{method} {path} by another event's organiser"
        );
        let anonymous = reqwest::Client::new()
            .request(method.clone(), app.url(path))
            .send()
            .await
            .unwrap();
        assert_eq!(
            anonymous.status(),
            StatusCode::UNAUTHORIZED,
            "{method} {path}"
        );
    }
    // The run is untouched by all that.
    let still = w.organiser.get(&run_path(&w, &run_id, "")).await;
    assert_eq!(still["status"], "queued");
    // The meetings: buyers and suppliers their own (none yet), not facilitators, not
    // another event's organiser, nobody without a session.
    let meetings = w.path("/meetings");
    for who in [&bea, &sara] {
        assert_eq!(who.get(&meetings).await["meetings"], json!([]));
    }
    assert_eq!(w.organiser.get(&meetings).await["meetings"], json!([]));
    let (status, _) = call(&fien, Method::GET, &meetings, None).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, _) = call(&otto, Method::GET, &meetings, None).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let anonymous = reqwest::Client::new()
        .get(app.url(&meetings))
        .send()
        .await
        .unwrap();
    assert_eq!(anonymous.status(), StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn bad_options_are_named() {
    let app = TestApp::spawn_with(&[("MATCHFLOOR__SCHEDULE__WORKER", "false")]).await;
    let w = World::new(&app).await;
    let (status, body) = call(
        &w.organiser,
        Method::POST,
        &runs(&w),
        Some(json!({"time_limit_seconds": 0, "seed": -1})),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let fields: Vec<(&str, &str)> = body["error"]["details"]["fields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| (f["field"].as_str().unwrap(), f["code"].as_str().unwrap()))
        .collect();
    assert_eq!(
        fields,
        [
            ("time_limit_seconds", "out_of_range"),
            ("seed", "out_of_range")
        ]
    );
    for (body, field) in [
        (json!({"time_limit_seconds": 601}), "time_limit_seconds"),
        (json!({"seed": 4_294_967_296_i64}), "seed"),
        (json!({"mode": "sometimes"}), "mode"),
        (json!({"speed": "fast"}), "speed"),
    ] {
        let (status, got) = call(&w.organiser, Method::POST, &runs(&w), Some(body.clone())).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
        assert_eq!(
            got["error"]["details"]["fields"][0]["field"], field,
            "{got}"
        );
    }
    // Nothing was queued by any of them.
    assert_eq!(w.organiser.get(&runs(&w)).await["runs"], json!([]));
}

#[tokio::test]
async fn the_demo_is_scheduled_and_published_in_one_step_and_its_preview_has_every_part() {
    let app = TestApp::spawn().await;
    let filled = matchfloor::demo::fill(&app.state).await.unwrap();
    let report = matchfloor::demo::schedule(&app.state).await.unwrap();
    assert!(report.starts_with("Scheduled and published "), "{report}");
    let organiser = app
        .confirm(&crate::helpers::token_in(&filled).expect("a login link"))
        .await;
    let event = organiser.get("/api/events").await["events"][0]["id"]
        .as_str()
        .unwrap()
        .to_string();
    let runs = organiser
        .get(&format!("/api/events/{event}/schedule/runs"))
        .await;
    let run_id = runs["runs"][0]["id"].as_str().unwrap().to_string();
    let run = organiser
        .get(&format!("/api/events/{event}/schedule/runs/{run_id}"))
        .await;
    assert_eq!(run["status"], "done");
    assert!(run["published_at"].is_string(), "{run}");
    let p = &run["preview"];
    let meetings = p["meetings"].as_u64().unwrap();
    assert!(meetings >= 20, "{p}");
    // Every part has something to show: meetings in several priorities, people with none
    // and with fewer than they asked, tables in use, and requests left out with why.
    let classes: Vec<(u64, u64)> = p["by_priority"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c["requested"].as_u64().unwrap(),
                c["scheduled"].as_u64().unwrap(),
            )
        })
        .collect();
    assert!(
        classes
            .iter()
            .filter(|(_, scheduled)| *scheduled > 0)
            .count()
            >= 3,
        "{classes:?}"
    );
    let distribution = p["distribution"].as_array().unwrap();
    assert!(distribution.len() >= 3, "{distribution:?}");
    assert!(distribution[0]["people"].as_u64().unwrap() > 0);
    assert!(!p["short"].as_array().unwrap().is_empty());
    let tables = p["tables"].as_array().unwrap();
    assert_eq!(tables.len(), 12);
    let used: u64 = tables.iter().map(|t| t["used"].as_u64().unwrap()).sum();
    assert_eq!(used, meetings);
    let reasons: std::collections::BTreeSet<&str> = p["left_out"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| {
            assert!(!x["text"].as_str().unwrap().is_empty());
            x["reason"].as_str().unwrap()
        })
        .collect();
    assert!(
        reasons.contains("outweighed") && reasons.contains("no_common_free_slot"),
        "{reasons:?}"
    );
    let counted: u64 = p["left_out_by_reason"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["count"].as_u64().unwrap())
        .sum();
    assert_eq!(counted, p["left_out_total"].as_u64().unwrap());
    assert_eq!(counted as usize, p["left_out"].as_array().unwrap().len());
    // Published: the run's changes are now against itself, and everyone has their meetings.
    assert_eq!(p["changes"]["unchanged"].as_u64().unwrap(), meetings);
    let all = organiser
        .get(&format!("/api/events/{event}/meetings"))
        .await;
    assert_eq!(all["meetings"].as_array().unwrap().len() as u64, meetings);
    // Once more: nothing changes, and the report says so.
    let again = matchfloor::demo::schedule(&app.state).await.unwrap();
    assert!(again.contains(" 0 people told"), "{again}");
}
