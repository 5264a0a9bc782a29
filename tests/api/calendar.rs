//! Calendar files and feeds: the invitations in meeting and session emails and each
//! person's private feed are read by a real iCalendar parser (Python's `icalendar`,
//! `tests/support/ics_parts.py`) and stored in a real CalDAV server (Radicale, started by
//! the test), which refuses what it cannot take. A moved meeting keeps its UID with a higher
//! SEQUENCE, a cancelled one is METHOD:CANCEL, times are right on both sides of a
//! daylight-saving change, the feed follows changes and a revoked feed answers 404.

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::helpers::{Session, TestApp, email_of};
use crate::meeting_edits::{Floor, floor, meeting_path, place};
use crate::meeting_requests::id;
use crate::schedule::{finished, run_path, start};

/// A Radicale CalDAV server on a free port, storing in its own directory; stopped when
/// dropped.
struct Radicale {
    child: Child,
    base: String,
    _dir: tempfile::TempDir,
    client: reqwest::Client,
}

impl Radicale {
    async fn start() -> Self {
        let dir = tempfile::tempdir().unwrap();
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let child = Command::new("python3")
            .args(["-m", "radicale", "--config", ""])
            .args(["--server-hosts", &format!("127.0.0.1:{port}")])
            .args(["--auth-type", "none", "--rights-type", "owner_only"])
            .arg("--storage-filesystem-folder")
            .arg(dir.path().join("collections"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("python3 -m radicale (scripts/test installs it)");
        let base = format!("http://127.0.0.1:{port}");
        let client = reqwest::Client::new();
        let mut server = Radicale {
            child,
            base,
            _dir: dir,
            client,
        };
        for _ in 0..200 {
            if tokio::net::TcpStream::connect(("127.0.0.1", port))
                .await
                .is_ok()
            {
                return server;
            }
            if let Ok(Some(status)) = server.child.try_wait() {
                panic!("radicale exited: {status}");
            }
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        }
        panic!("radicale did not start");
    }

    async fn request(&self, method: &str, path: &str, body: Option<String>) -> StatusCode {
        let mut request = self
            .client
            .request(
                Method::from_bytes(method.as_bytes()).unwrap(),
                format!("{}{path}", self.base),
            )
            .basic_auth("alice", Some("x"));
        if let Some(body) = body {
            request = request
                .header("content-type", "text/calendar; charset=utf-8")
                .body(body);
        }
        request.send().await.unwrap().status()
    }

    /// Makes the calendar collection `/alice/{name}/`.
    async fn calendar(&self, name: &str) {
        let status = self
            .request("MKCALENDAR", &format!("/alice/{name}/"), None)
            .await;
        assert_eq!(status, StatusCode::CREATED, "MKCALENDAR {name}");
    }

    /// Stores one calendar object; the status Radicale answers.
    async fn put(&self, calendar: &str, href: &str, ics: &str) -> StatusCode {
        self.request(
            "PUT",
            &format!("/alice/{calendar}/{href}.ics"),
            Some(ics.to_string()),
        )
        .await
    }
}

impl Drop for Radicale {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Reads `.eml` or `.ics` files with the real parser: one JSON object per calendar.
fn parse(files: &[PathBuf]) -> Vec<Value> {
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/support/ics_parts.py");
    let out = Command::new("python3")
        .arg(script)
        .args(files)
        .output()
        .expect("python3 with icalendar (scripts/test installs it)");
    assert!(
        out.status.success(),
        "the iCalendar parser refused: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

fn parse_text(dir: &Path, ics: &str) -> Value {
    let file = dir.join(format!("{}.ics", uuid::Uuid::now_v7()));
    std::fs::write(&file, ics).unwrap();
    parse(&[file]).remove(0)
}

/// The emails to one address that carry calendar files, one at a time as they arrive.
struct Inbox<'a> {
    app: &'a TestApp,
    to: String,
    seen: HashSet<PathBuf>,
}

impl<'a> Inbox<'a> {
    fn new(app: &'a TestApp, to: &str) -> Self {
        Inbox {
            app,
            to: to.to_string(),
            seen: HashSet::new(),
        }
    }

    fn with_calendar(&self) -> Vec<PathBuf> {
        let Ok(entries) = std::fs::read_dir(self.app.mail_dir()) else {
            return Vec::new();
        };
        entries
            .flatten()
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|x| x == "eml"))
            .filter(|p| {
                std::fs::read_to_string(p).is_ok_and(|raw| {
                    raw.contains("text/calendar")
                        && raw
                            .lines()
                            .any(|l| l.starts_with("To:") && l.contains(&self.to))
                })
            })
            .collect()
    }

    /// The calendars of the next email (waits, bounded, for it).
    async fn next(&mut self) -> Vec<Value> {
        for _ in 0..200 {
            let new: Vec<PathBuf> = self
                .with_calendar()
                .into_iter()
                .filter(|p| !self.seen.contains(p))
                .collect();
            if let Some(file) = new.first() {
                assert_eq!(new.len(), 1, "one email at a time to {}", self.to);
                self.seen.insert(file.clone());
                return parse(std::slice::from_ref(file));
            }
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        }
        panic!("no email with a calendar file to {}", self.to);
    }
}

/// The only event of a calendar, after checking both readings of its times agree.
fn only_event(calendar: &Value) -> Value {
    let events = calendar["events"].as_array().unwrap();
    assert_eq!(events.len(), 1, "{calendar}");
    let event = events[0].clone();
    assert_eq!(event["start"], event["start_by_vtimezone"], "{event}");
    assert_eq!(event["end"], event["end_by_vtimezone"], "{event}");
    event
}

/// A second day after the change to summer time (Europe/Brussels: 28 March 2027), with
/// meeting slots 13:00 to 14:00; their ids.
async fn summer_day(f: &Floor<'_>) -> Vec<String> {
    let w = &f.w;
    w.organiser
        .expect(
            Method::PATCH,
            &format!("/api/events/{}", w.event),
            Some(json!({"end_date": "2027-03-29"})),
            StatusCode::OK,
        )
        .await;
    w.organiser
        .expect(
            Method::POST,
            &w.path("/slots/generate"),
            Some(
                json!({"date": "2027-03-29", "start": "13:00", "end": "14:00",
                        "slot_minutes": 20}),
            ),
            StatusCode::OK,
        )
        .await["slots"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|s| s["date"] == "2027-03-29" && s["kind"] == "meeting")
        .map(id)
        .collect()
}

#[tokio::test]
async fn meeting_emails_carry_invitations_that_follow_a_move_across_summer_time_and_a_cancellation()
{
    let app = TestApp::spawn().await;
    let f = floor(&app).await;
    let w = &f.w;
    let summer = summer_day(&f).await;
    let radicale = Radicale::start().await;
    radicale.calendar("invites").await;
    // Radicale refuses what it cannot store (here an event without a UID): the PUTs
    // below can fail.
    let no_uid = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:x\r\nBEGIN:VEVENT\r\n\
                  DTSTART:20270311T120000Z\r\nSUMMARY:x\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n";
    assert_eq!(
        radicale.put("invites", "broken", no_uid).await,
        StatusCode::BAD_REQUEST
    );
    let mut bea = Inbox::new(&app, &email_of("Bea", Some("Stad Gent")));
    let mut sara = Inbox::new(&app, &email_of("Sara", Some("ReMeubel")));

    // Placed at 13:00 on 11 March (winter time, UTC+1), table 1.
    let placed = place(&f, &f.bea_sara, 0, 0).await;
    let m = id(&placed);
    let calendars = bea.next().await;
    assert_eq!(calendars.len(), 1);
    let invite = &calendars[0];
    assert_eq!(invite["method"], "REQUEST");
    assert_eq!(invite["content_method"], "REQUEST");
    assert_eq!(invite["timezones"], json!(["Europe/Brussels"]));
    let first = only_event(invite);
    let uid = first["uid"].as_str().unwrap().to_string();
    assert!(uid.contains(&m), "{uid}");
    assert_eq!(first["sequence"], 0);
    assert_eq!(first["status"], "CONFIRMED");
    assert_eq!(first["tzid"], "Europe/Brussels");
    assert_eq!(first["start"], "2027-03-11T12:00:00Z");
    assert_eq!(first["end"], "2027-03-11T12:20:00Z");
    // Bea reads English, with her partner's name and organisation and the table.
    assert_eq!(first["summary"], "Meeting with Sara (ReMeubel)");
    assert!(
        first["location"].as_str().unwrap().starts_with("Table 1"),
        "{first}"
    );
    assert!(
        first["attendee"]
            .as_str()
            .unwrap()
            .contains("bea@stad.example")
    );
    assert!(first["organizer"].as_str().unwrap().starts_with("mailto:"));
    assert_eq!(
        radicale
            .put("invites", "meeting", invite["text"].as_str().unwrap())
            .await,
        StatusCode::CREATED
    );
    // Sara reads Dutch.
    let theirs = only_event(&sara.next().await[0]);
    assert_eq!(theirs["uid"], uid.as_str());
    assert_eq!(theirs["summary"], "Gesprek met Bea (Stad Gent)");
    assert!(theirs["location"].as_str().unwrap().starts_with("Tafel 1"));

    // Moved to 13:00 on 29 March (summer time, UTC+2) at table 2: the same entry, later.
    f.w.organiser
        .expect(
            Method::PATCH,
            &meeting_path(w, &m),
            Some(json!({"slot_id": summer[0], "table_id": f.tables[1]})),
            StatusCode::OK,
        )
        .await;
    let moved = bea.next().await;
    assert_eq!(moved[0]["method"], "REQUEST");
    let after = only_event(&moved[0]);
    assert_eq!(after["uid"], uid.as_str());
    assert_eq!(after["sequence"], 1);
    assert_eq!(after["start"], "2027-03-29T11:00:00Z");
    assert_eq!(after["end"], "2027-03-29T11:20:00Z");
    assert!(after["location"].as_str().unwrap().starts_with("Table 2"));
    // Both changes of the year are in the zone, so either day reads right from it.
    let text = moved[0]["text"].as_str().unwrap();
    assert!(text.contains("TZOFFSETTO:+0200"), "{text}");
    assert!(text.contains("TZOFFSETTO:+0100"), "{text}");
    assert!(radicale.put("invites", "meeting", text).await.is_success());
    sara.next().await;

    // Cancelled: METHOD:CANCEL, same UID, higher SEQUENCE.
    f.w.organiser
        .expect(
            Method::PATCH,
            &meeting_path(w, &m),
            Some(json!({"status": "cancelled"})),
            StatusCode::OK,
        )
        .await;
    let cancelled = bea.next().await;
    assert_eq!(cancelled[0]["method"], "CANCEL");
    assert_eq!(cancelled[0]["content_method"], "CANCEL");
    let gone = only_event(&cancelled[0]);
    assert_eq!(gone["uid"], uid.as_str());
    assert_eq!(gone["sequence"], 2);
    assert_eq!(gone["status"], "CANCELLED");
    assert!(
        radicale
            .put("invites", "meeting", cancelled[0]["text"].as_str().unwrap())
            .await
            .is_success()
    );
    assert_eq!(only_event(&sara.next().await[0])["sequence"], 2);
}

#[tokio::test]
async fn a_published_schedule_sends_each_meeting_of_the_day_as_its_own_invitation() {
    let app = TestApp::spawn().await;
    let f = floor(&app).await;
    let w = &f.w;
    let mut bea = Inbox::new(&app, &email_of("Bea", Some("Stad Gent")));
    let run = start(w, json!({"seed": 1})).await;
    let done = finished(w, &w.organiser, &id(&run)).await;
    assert_eq!(done["status"], "done", "{done}");
    w.organiser
        .expect(
            Method::POST,
            &run_path(w, &id(&run), "/publish"),
            None,
            StatusCode::OK,
        )
        .await;
    // Bea meets Sara and Sam: two calendar files, one REQUEST each, two UIDs.
    let day = bea.next().await;
    assert_eq!(day.len(), 2, "{day:?}");
    let mut uids = HashSet::new();
    for calendar in &day {
        assert_eq!(calendar["method"], "REQUEST");
        assert_eq!(calendar["content_method"], "REQUEST");
        let entry = only_event(calendar);
        assert_eq!(entry["sequence"], 0);
        assert!(
            entry["summary"]
                .as_str()
                .unwrap()
                .starts_with("Meeting with")
        );
        uids.insert(entry["uid"].as_str().unwrap().to_string());
    }
    assert_eq!(uids.len(), 2);
}

/// Bea's feed URL, made over HTTP.
async fn make_feed(s: &Session) -> String {
    let made = s
        .expect(
            Method::POST,
            "/api/me/calendar-feed",
            None,
            StatusCode::CREATED,
        )
        .await;
    made["url"].as_str().unwrap().to_string()
}

async fn fetch(url: &str) -> (StatusCode, String, String) {
    let response = reqwest::get(url).await.unwrap();
    let status = response.status();
    let content_type = response
        .headers()
        .get("content-type")
        .map(|v| v.to_str().unwrap().to_string())
        .unwrap_or_default();
    (status, content_type, response.text().await.unwrap())
}

#[tokio::test]
async fn the_feed_follows_changes_is_accepted_by_caldav_and_a_revoked_one_answers_404() {
    let app = TestApp::spawn().await;
    let f = floor(&app).await;
    let w = &f.w;
    let summer = summer_day(&f).await;
    let radicale = Radicale::start().await;
    let m = id(&place(&f, &f.bea_sara, 0, 0).await);
    let cancelled = id(&place(&f, &f.bea_sam, 1, 1).await);
    f.w.organiser
        .expect(
            Method::PATCH,
            &meeting_path(w, &cancelled),
            Some(json!({"status": "cancelled"})),
            StatusCode::OK,
        )
        .await;
    // A seat in a session in a room, on the summer day.
    let room = w
        .organiser
        .expect(
            Method::POST,
            &w.path("/rooms"),
            Some(json!({"name": "Zaal Schelde", "capacity": 40})),
            StatusCode::CREATED,
        )
        .await;
    let session = w
        .organiser
        .expect(
            Method::POST,
            &w.path("/sessions"),
            Some(
                json!({"kind": "market_dialogue", "title_nl": "Kantoormeubilair",
                        "title_en": "Office furniture", "date": "2027-03-29",
                        "start": "15:00", "end": "16:00", "capacity": 10,
                        "room_id": id(&room)}),
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

    // Nobody else sees or ends Bea's feed; without a session, nothing at all.
    let anonymous = reqwest::Client::new();
    for method in [Method::GET, Method::POST, Method::DELETE] {
        let status = anonymous
            .request(method.clone(), app.url("/api/me/calendar-feed"))
            .send()
            .await
            .unwrap()
            .status();
        assert_eq!(status, StatusCode::UNAUTHORIZED, "{method}");
    }
    let status = f.bea.get("/api/me/calendar-feed").await;
    assert_eq!(status["active"], false);
    let url = make_feed(&f.bea).await;
    assert!(url.starts_with(&app.address), "{url}");
    assert_eq!(f.bea.get("/api/me/calendar-feed").await["active"], true);
    assert_eq!(f.sara.get("/api/me/calendar-feed").await["active"], false);
    f.sara
        .expect(
            Method::DELETE,
            "/api/me/calendar-feed",
            None,
            StatusCode::NO_CONTENT,
        )
        .await;

    let (status, content_type, text) = fetch(&url).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(content_type, "text/calendar; charset=utf-8");
    let dir = tempfile::tempdir().unwrap();
    let feed = parse_text(dir.path(), &text);
    assert_eq!(feed["method"], "PUBLISH");
    let events = feed["events"].as_array().unwrap();
    assert_eq!(events.len(), 3, "{feed}");
    for e in events {
        assert_eq!(e["start"], e["start_by_vtimezone"], "{e}");
    }
    let meeting = events
        .iter()
        .find(|e| e["uid"].as_str().unwrap().contains(&m))
        .unwrap();
    assert_eq!(meeting["start"], "2027-03-11T12:00:00Z");
    assert_eq!(meeting["sequence"], 0);
    let off = events
        .iter()
        .find(|e| e["uid"].as_str().unwrap().contains(&cancelled))
        .unwrap();
    assert_eq!(off["status"], "CANCELLED");
    assert_eq!(off["sequence"], 1);
    let seat = events
        .iter()
        .find(|e| e["summary"] == "Office furniture")
        .unwrap();
    // 15:00 on 29 March in Brussels is 13:00 UTC.
    assert_eq!(seat["start"], "2027-03-29T13:00:00Z");
    assert!(
        seat["location"]
            .as_str()
            .unwrap()
            .starts_with("Zaal Schelde")
    );
    // The whole feed into a CalDAV collection: Radicale takes it.
    radicale.calendar("feed").await;
    let stored = radicale
        .request("PUT", "/alice/feed/", Some(text.clone()))
        .await;
    assert!(stored.is_success(), "{stored}");

    // The feed follows a move.
    f.w.organiser
        .expect(
            Method::PATCH,
            &meeting_path(w, &m),
            Some(json!({"slot_id": summer[1], "table_id": f.tables[0]})),
            StatusCode::OK,
        )
        .await;
    let (_, _, text) = fetch(&url).await;
    let feed = parse_text(dir.path(), &text);
    let meeting = feed["events"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["uid"].as_str().unwrap().contains(&m))
        .unwrap()
        .clone();
    assert_eq!(meeting["start"], "2027-03-29T11:20:00Z");
    assert_eq!(meeting["sequence"], 1);

    // And the event's move to another time zone: same clock times, new instants.
    w.organiser
        .expect(
            Method::PATCH,
            &format!("/api/events/{}", w.event),
            Some(json!({"timezone": "Europe/London"})),
            StatusCode::OK,
        )
        .await;
    let (_, _, text) = fetch(&url).await;
    let feed = parse_text(dir.path(), &text);
    assert_eq!(feed["timezones"], json!(["Europe/London"]));
    let meeting = feed["events"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["uid"].as_str().unwrap().contains(&m))
        .unwrap()
        .clone();
    // 13:20 in London on 29 March (summer time) is 12:20 UTC.
    assert_eq!(meeting["start"], "2027-03-29T12:20:00Z");
    assert_eq!(meeting["start"], meeting["start_by_vtimezone"]);
    assert_eq!(meeting["sequence"], 2);

    // A new URL replaces the old one; a revoked one answers 404, as does a made-up one.
    let renewed = make_feed(&f.bea).await;
    assert_ne!(renewed, url);
    assert_eq!(fetch(&url).await.0, StatusCode::NOT_FOUND);
    assert_eq!(fetch(&renewed).await.0, StatusCode::OK);
    f.bea
        .expect(
            Method::DELETE,
            "/api/me/calendar-feed",
            None,
            StatusCode::NO_CONTENT,
        )
        .await;
    assert_eq!(fetch(&renewed).await.0, StatusCode::NOT_FOUND);
    assert_eq!(f.bea.get("/api/me/calendar-feed").await["active"], false);
    assert_eq!(
        fetch(&app.url(&format!("/calendar/{}.ics", "ab".repeat(32))))
            .await
            .0,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        fetch(&app.url("/calendar/not-a-token.ics")).await.0,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn a_seat_in_a_session_comes_as_an_invitation_and_its_end_as_a_cancellation() {
    let app = TestApp::spawn().await;
    let f = floor(&app).await;
    let w = &f.w;
    let radicale = Radicale::start().await;
    radicale.calendar("sessions").await;
    let session = w
        .organiser
        .expect(
            Method::POST,
            &w.path("/sessions"),
            Some(json!({"kind": "market_dialogue", "title_nl": "Textiel",
                        "title_en": "Textiles", "date": "2027-03-11",
                        "start": "15:00", "end": "16:00", "capacity": 10})),
            StatusCode::CREATED,
        )
        .await;
    let sid = id(&session);
    let signups = w.path(&format!("/sessions/{sid}/signups"));
    let bea_id = f.bea.me["id"].as_str().unwrap().to_string();
    let mut bea = Inbox::new(&app, &email_of("Bea", Some("Stad Gent")));
    w.organiser
        .expect(
            Method::POST,
            &signups,
            Some(json!({"person_id": bea_id})),
            StatusCode::OK,
        )
        .await;
    let given = bea.next().await;
    assert_eq!(given[0]["method"], "REQUEST");
    let seat = only_event(&given[0]);
    assert_eq!(seat["summary"], "Textiles");
    assert_eq!(seat["start"], "2027-03-11T14:00:00Z");
    assert_eq!(seat["sequence"], 0);
    assert_eq!(
        radicale
            .put("sessions", "seat", given[0]["text"].as_str().unwrap())
            .await,
        StatusCode::CREATED
    );
    // The session moves an hour: its entries' SEQUENCE rises with it.
    w.organiser
        .expect(
            Method::PATCH,
            &w.path(&format!("/sessions/{sid}")),
            Some(json!({"start": "16:00", "end": "17:00"})),
            StatusCode::OK,
        )
        .await;
    w.organiser
        .expect(
            Method::DELETE,
            &format!("{signups}/{bea_id}"),
            None,
            StatusCode::OK,
        )
        .await;
    let ended = bea.next().await;
    assert_eq!(ended[0]["method"], "CANCEL");
    let gone = only_event(&ended[0]);
    assert_eq!(gone["uid"], seat["uid"]);
    assert_eq!(gone["sequence"], 2);
    assert_eq!(gone["status"], "CANCELLED");
    assert_eq!(gone["start"], "2027-03-11T15:00:00Z");
    assert!(
        radicale
            .put("sessions", "seat", ended[0]["text"].as_str().unwrap())
            .await
            .is_success()
    );
}
