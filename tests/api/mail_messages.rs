//! The messages of issue 15 as people receive them, through a real SMTP server process:
//! sign-up confirmed and waitlisted, a changed and a removed session, a declined
//! registration, an announcement by email (with one-click unsubscribing) and the reminder
//! the day before; each to the right person, in their language, with a subject and both a
//! plain-text and an HTML part. Also: the day-before reminder goes once with two
//! instances, unsubscribing needs no login and refuses a bad token, and who may not.

use std::path::Path;
use std::time::Duration;

use chrono::{TimeZone, Utc};
use reqwest::{Client, Method, StatusCode};
use serde_json::{Value, json};
use uuid::Uuid;

use crate::helpers::{Session, TestApp, World, decode_qp, token_in};
use crate::mail::{SmtpServer, on_smtp};
use matchfloor::auth::service::{LinkPurpose, issue_link};
use matchfloor::entities::mail_outbox;
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};

/// One message as the SMTP server stored it: headers unfolded, body decoded.
#[derive(Debug)]
struct Received {
    to: String,
    subject: String,
    headers: String,
    body: String,
}

impl Received {
    fn header(&self, name: &str) -> Option<&str> {
        let prefix = format!("{}:", name.to_ascii_lowercase());
        self.headers
            .lines()
            .find(|l| l.to_ascii_lowercase().starts_with(&prefix))
            .map(|l| l[prefix.len()..].trim())
    }

    /// A plain-text and an HTML part, as alternatives.
    fn assert_both_parts(&self) {
        let body = self.body.to_ascii_lowercase();
        assert!(
            self.header("Content-Type")
                .is_some_and(|c| c.starts_with("multipart/alternative")),
            "{self:?}"
        );
        assert!(body.contains("content-type: text/plain"), "{self:?}");
        assert!(body.contains("content-type: text/html"), "{self:?}");
    }
}

fn read_maildir(maildir: &Path) -> Vec<Received> {
    let Ok(entries) = std::fs::read_dir(maildir.join("new")) else {
        return Vec::new();
    };
    entries
        .flatten()
        .filter_map(|e| std::fs::read_to_string(e.path()).ok())
        .map(|raw| {
            let raw = raw.replace("\r\n", "\n");
            let (head, body) = raw.split_once("\n\n").unwrap_or((&raw, ""));
            // Folded header lines continue with white space.
            let headers = head.replace("\n ", " ").replace("\n\t", " ");
            let mut received = Received {
                to: String::new(),
                subject: String::new(),
                headers,
                body: decode_qp(body),
            };
            received.to = received.header("To").unwrap_or_default().to_string();
            received.subject = received.header("Subject").unwrap_or_default().to_string();
            received
        })
        .collect()
}

/// Waits (bounded) until `count` messages to `to` have arrived; the messages to `to`.
async fn wait_for(maildir: &Path, to: &str, count: usize) -> Vec<Received> {
    for _ in 0..300 {
        let found: Vec<Received> = read_maildir(maildir)
            .into_iter()
            .filter(|m| m.to.contains(to))
            .collect();
        if found.len() >= count {
            return found;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!(
        "expected {count} message(s) to {to}, got {:?}",
        read_maildir(maildir)
            .iter()
            .map(|m| (&m.to, &m.subject))
            .collect::<Vec<_>>()
    );
}

/// The one message to `to` with this subject.
async fn message(maildir: &Path, to: &str, subject: &str) -> Received {
    for _ in 0..300 {
        let mut found: Vec<Received> = read_maildir(maildir)
            .into_iter()
            .filter(|m| m.to.contains(to) && m.subject == subject)
            .collect();
        if let Some(one) = found.pop() {
            assert!(found.is_empty(), "two messages \"{subject}\" to {to}");
            return one;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!(
        "no message \"{subject}\" to {to}; got {:?}",
        read_maildir(maildir)
            .iter()
            .map(|m| (&m.to, &m.subject))
            .collect::<Vec<_>>()
    );
}

/// The organiser invites someone without an invitation email; they log in with a link
/// issued directly (their own mail is the test's subject, not the invitation).
async fn participant(
    app: &TestApp,
    w: &World<'_>,
    name: &str,
    email: &str,
    lang: &str,
    role: &str,
) -> Session {
    let row = w
        .organiser
        .expect(
            Method::POST,
            &w.path("/participants"),
            Some(
                json!({"name": name, "email": email, "role": role, "language": lang,
                        "send_invitation": false}),
            ),
            StatusCode::CREATED,
        )
        .await;
    let person: Uuid = row["person_id"].as_str().unwrap().parse().unwrap();
    let link = issue_link(&app.state.db, &app.state, person, LinkPurpose::Login, None)
        .await
        .unwrap();
    app.confirm(&token_in(&link).unwrap()).await
}

fn checkin_code(s_me: &Value, event: &str) -> String {
    s_me["participations"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["event_id"] == event)
        .unwrap()["checkin_code"]
        .as_str()
        .unwrap()
        .to_string()
}

/// 10:30 in Brussels on the day before the test event (11 March 2027).
fn day_before() -> chrono::DateTime<Utc> {
    Utc.with_ymd_and_hms(2027, 3, 10, 9, 30, 0).unwrap()
}

#[tokio::test]
async fn each_new_message_arrives_for_its_reader_in_their_language_with_both_parts() {
    let dir = tempfile::tempdir().unwrap();
    let maildir = dir.path().join("box");
    let smtp = SmtpServer::start(&maildir).await;
    let app = on_smtp(&smtp.port.to_string(), &[]).await;
    let w = World::new(&app).await;
    let event_name = w.details["name"].as_str().unwrap().to_string();
    let nina = participant(
        &app,
        &w,
        "Nina Nederlands",
        "nina@koper.example",
        "nl",
        "buyer",
    )
    .await;
    let eddie = participant(
        &app,
        &w,
        "Eddie English",
        "eddie@buyer.example",
        "en",
        "buyer",
    )
    .await;
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
                json!({"kind": "market_dialogue", "title_nl": "Circulaire stoelen",
                        "title_en": "Circular chairs", "date": "2027-03-11", "start": "14:00",
                        "end": "15:00", "capacity": 1, "room_id": room["id"]}),
            ),
            StatusCode::CREATED,
        )
        .await;
    let session_path = w.path(&format!("/sessions/{}", session["id"].as_str().unwrap()));

    // Signed up: Nina has the seat, Eddie waits.
    nina.expect(
        Method::PUT,
        &format!("{session_path}/signup"),
        None,
        StatusCode::OK,
    )
    .await;
    eddie
        .expect(
            Method::PUT,
            &format!("{session_path}/signup"),
            None,
            StatusCode::OK,
        )
        .await;
    let seat = message(
        &maildir,
        "nina@koper.example",
        "Ingeschreven: Circulaire stoelen",
    )
    .await;
    seat.assert_both_parts();
    assert!(
        seat.body
            .contains("Je hebt een plaats in \"Circulaire stoelen\""),
        "{}",
        seat.body
    );
    assert!(
        seat.body
            .contains("2027-03-11, 14:00–15:00, in Zaal Schelde")
    );
    let waiting = message(
        &maildir,
        "eddie@buyer.example",
        "On the waitlist: Circular chairs",
    )
    .await;
    waiting.assert_both_parts();
    assert!(waiting.body.contains("in place 1"), "{}", waiting.body);

    // Moved and renamed: the person with a seat hears what changed, before and after; the
    // waitlist does not.
    w.organiser
        .expect(
            Method::PATCH,
            &session_path,
            Some(
                json!({"title_nl": "Circulaire stoelen en tafels", "start": "15:00",
                        "end": "16:00", "room_id": ""}),
            ),
            StatusCode::OK,
        )
        .await;
    let changed = message(
        &maildir,
        "nina@koper.example",
        "Gewijzigd: Circulaire stoelen en tafels",
    )
    .await;
    changed.assert_both_parts();
    for line in [
        "• Titel: Circulaire stoelen → Circulaire stoelen en tafels",
        "• Tijd: 2027-03-11, 14:00–15:00 → 2027-03-11, 15:00–16:00",
        "• Zaal: Zaal Schelde → (geen zaal)",
    ] {
        assert!(changed.body.contains(line), "{line} in {}", changed.body);
    }

    // Removed: the seat and the waitlist place both hear it.
    w.organiser
        .expect(Method::DELETE, &session_path, None, StatusCode::NO_CONTENT)
        .await;
    let gone = message(
        &maildir,
        "nina@koper.example",
        "Gaat niet door: Circulaire stoelen en tafels",
    )
    .await;
    gone.assert_both_parts();
    assert!(gone.body.contains("Je plaats vervalt"));
    let gone = message(
        &maildir,
        "eddie@buyer.example",
        "Cancelled: Circular chairs",
    )
    .await;
    gone.assert_both_parts();
    assert!(gone.body.contains("You were on its waitlist"));
    // Eddie never heard of the change in the Dutch title.
    assert_eq!(wait_for(&maildir, "eddie@buyer.example", 2).await.len(), 2);

    // An announcement by email, in each reader's language (Eddie's falls back to Dutch
    // when there is no English), with a one-click unsubscribe link.
    let posted = w
        .organiser
        .expect(
            Method::POST,
            &w.path("/announcements"),
            Some(
                json!({"body_nl": "De lunch begint om 12:30.\n\nTot straks!",
                        "body_en": "Lunch starts at 12:30.", "audience": "roles",
                        "roles": ["buyer"], "email": true}),
            ),
            StatusCode::CREATED,
        )
        .await;
    assert_eq!(posted["emails"]["total"], 2, "{posted}");
    let subject_nl = format!("Mededeling: {event_name}");
    let subject_en = format!("Announcement: {event_name}");
    let nl = message(&maildir, "nina@koper.example", &subject_nl).await;
    nl.assert_both_parts();
    assert!(nl.body.contains("De lunch begint om 12:30."));
    assert!(nl.body.contains("Tot straks!"));
    assert!(!nl.body.contains("Lunch starts"));
    let en = message(&maildir, "eddie@buyer.example", &subject_en).await;
    en.assert_both_parts();
    assert!(en.body.contains("Lunch starts at 12:30."));
    for mail in [&nl, &en] {
        let url = mail.header("List-Unsubscribe").expect("List-Unsubscribe");
        assert!(
            url.starts_with(&format!("<{}/api/unsubscribe/", app.url(""))) && url.ends_with('>'),
            "{url}"
        );
        assert_eq!(
            mail.header("List-Unsubscribe-Post"),
            Some("List-Unsubscribe=One-Click")
        );
    }
    // Only announcements carry it.
    assert!(seat.header("List-Unsubscribe").is_none());
    // The organiser sees the emails go out.
    let mut progress = Value::Null;
    for _ in 0..300 {
        let list = w.organiser.get(&w.path("/announcements")).await;
        progress = list["announcements"][0]["emails"].clone();
        if progress["sent"] == 2 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert_eq!(
        progress,
        json!({"total": 2, "queued": 2, "sent": 2, "failed": 0, "done": true})
    );
    // Participants see the announcement, not the organisers' counts.
    let theirs = nina.get(&w.path("/announcements")).await;
    assert!(theirs["announcements"][0]["emails"].is_null());

    // The day before: each one's agenda and check-in code.
    let sent = matchfloor::dayof::reminders::send_due(&app.state, day_before())
        .await
        .unwrap();
    assert_eq!(sent, 2);
    let code = checkin_code(&nina.get("/api/me").await, &w.event);
    let reminder = message(
        &maildir,
        "nina@koper.example",
        &format!("Morgen: {event_name}, je agenda en je check-incode"),
    )
    .await;
    reminder.assert_both_parts();
    assert!(reminder.body.contains(&format!("Je check-incode: {code}.")));
    let code = checkin_code(&eddie.get("/api/me").await, &w.event);
    let reminder = message(
        &maildir,
        "eddie@buyer.example",
        &format!("Tomorrow: {event_name}, your agenda and check-in code"),
    )
    .await;
    reminder.assert_both_parts();
    assert!(
        reminder
            .body
            .contains(&format!("Your check-in code: {code}."))
    );

    // Declined, with and without the organiser's words.
    let nina_id = w.participant_id("nina@koper.example").await;
    w.organiser
        .expect(
            Method::PATCH,
            &w.path(&format!("/participants/{nina_id}")),
            Some(json!({"status": "declined", "reason": "Het evenement is volzet."})),
            StatusCode::OK,
        )
        .await;
    let declined = message(
        &maildir,
        "nina@koper.example",
        &format!("Je inschrijving voor {event_name}"),
    )
    .await;
    declined.assert_both_parts();
    assert!(
        declined
            .body
            .contains("Hun toelichting: Het evenement is volzet.")
    );
    w.set_status("eddie@buyer.example", "declined").await;
    let declined = message(
        &maildir,
        "eddie@buyer.example",
        &format!("Your registration for {event_name}"),
    )
    .await;
    declined.assert_both_parts();
    assert!(declined.body.contains("cannot accept your registration"));
    assert!(!declined.body.contains("Their explanation"));
    drop(smtp);
}

#[tokio::test]
async fn one_click_unsubscribing_needs_no_login_and_stops_only_announcement_emails() {
    let app = TestApp::spawn().await;
    let w = World::new(&app).await;
    let ann = w.buyer("Ann", "Stad Gent").await;
    let bob = w.buyer("Bob", "Stad Antwerpen").await;
    let announcements = w.path("/announcements");
    let announce = |text: &str| {
        w.organiser.expect(
            Method::POST,
            &announcements,
            Some(json!({"body_en": text, "audience": "everyone", "email": true})),
            StatusCode::CREATED,
        )
    };
    // Invited without a language: the event's first, Dutch (the text falls back to English).
    let subject = format!("Mededeling: {}", w.details["name"].as_str().unwrap());
    announce("First").await;
    let ann_email = "ann@stad.example";
    let mail = app
        .wait_for_mails(ann_email, 2)
        .await
        .into_iter()
        .find(|m| m.subject == subject)
        .unwrap_or_else(|| {
            panic!(
                "the announcement: {:?}",
                app.mails()
                    .iter()
                    .map(|m| (&m.to, &m.subject))
                    .collect::<Vec<_>>()
            )
        });
    let start =
        mail.body.find("List-Unsubscribe: <").expect("the header") + "List-Unsubscribe: <".len();
    let url = mail.body[start..].split('>').next().unwrap().to_string();
    assert!(url.starts_with(&app.url("/api/unsubscribe/")), "{url}");
    assert!(
        mail.body
            .contains("List-Unsubscribe-Post: List-Unsubscribe=One-Click")
    );

    // A browser shows a page in both languages with the button.
    let page = Client::new().get(&url).send().await.unwrap();
    assert_eq!(page.status(), StatusCode::OK);
    let html = page.text().await.unwrap();
    assert!(html.contains("Mededelingen per e-mail") && html.contains("Announcements by email"));
    assert!(html.contains("<form method=\"post\">"));

    // A bad token is refused and changes nothing.
    let bad = format!("{}/api/unsubscribe/{}", app.url(""), "ab".repeat(32));
    for target in [bad.as_str(), &app.url("/api/unsubscribe/not-a-token")] {
        let r = Client::new()
            .post(target)
            .header("content-type", "application/x-www-form-urlencoded")
            .body("List-Unsubscribe=One-Click")
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::NOT_FOUND, "{target}");
    }
    assert_eq!(ann.get("/api/me").await["announcement_emails"], true);

    // The mail program's one-click POST: no cookie, no CSRF token.
    let r = Client::new()
        .post(&url)
        .header("content-type", "application/x-www-form-urlencoded")
        .body("List-Unsubscribe=One-Click")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    assert!(r.text().await.unwrap().contains("Unsubscribed"));
    assert_eq!(ann.get("/api/me").await["announcement_emails"], false);
    assert_eq!(bob.get("/api/me").await["announcement_emails"], true);

    // The next announcement: Ann reads it on the page, Bob also by email.
    let before = app.wait_for_mails(ann_email, 2).await.len();
    let second = announce("Second").await;
    let everyone = second["emails"]["total"].as_i64().unwrap();
    let bob_mails = app.wait_for_mails("bob@stad.example", 3).await;
    assert_eq!(bob_mails.iter().filter(|m| m.subject == subject).count(), 2);
    let list = ann.get(&w.path("/announcements")).await;
    assert_eq!(list["announcements"][0]["body_en"], "Second");
    // Everything of the batch is queued (it counted Ann out from the start).
    let mut progress = Value::Null;
    for _ in 0..300 {
        progress =
            w.organiser.get(&w.path("/announcements")).await["announcements"][0]["emails"].clone();
        if progress["done"] == true && progress["sent"] == everyone {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert_eq!(progress["queued"], everyone, "{progress}");
    let to_ann = || async {
        mail_outbox::Entity::find()
            .filter(mail_outbox::Column::ToEmail.eq(ann_email))
            .filter(mail_outbox::Column::Subject.eq(subject.as_str()))
            .count(&app.state.db)
            .await
            .unwrap()
    };
    assert_eq!(
        to_ann().await,
        1,
        "Ann's only announcement email is the first"
    );

    // Unsubscribing again is no error; the profile switches them back on.
    let r = Client::new().post(&url).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let me = ann
        .expect(
            Method::PATCH,
            "/api/me",
            Some(json!({"announcement_emails": true})),
            StatusCode::OK,
        )
        .await;
    assert_eq!(me["announcement_emails"], true);
    announce("Third").await;
    let mails = app.wait_for_mails(ann_email, before + 1).await;
    assert_eq!(mails.iter().filter(|m| m.subject == subject).count(), 2);
    assert_eq!(to_ann().await, 2);
}

#[tokio::test]
async fn the_day_before_reminder_goes_once_per_person_even_from_two_instances() {
    let app = TestApp::spawn().await;
    let second = app.another_instance().await;
    let w = World::new(&app).await;
    let ann = w.buyer("Ann", "Stad Gent").await;
    let sara = w.supplier("Sara", "ReMeubel").await;
    w.buyer("Dirk", "Stad Brugge").await;
    w.set_status("dirk@stad.example", "declined").await;
    let sessions = w.path("/sessions");
    let session = w
        .organiser
        .expect(
            Method::POST,
            &sessions,
            Some(
                json!({"kind": "plenary", "title_nl": "Opening (NL)", "title_en": "Opening",
                        "date": "2027-03-11", "start": "09:00", "end": "09:30", "capacity": 50}),
            ),
            StatusCode::CREATED,
        )
        .await;
    ann.expect(
        Method::PUT,
        &format!("{sessions}/{}/signup", session["id"].as_str().unwrap()),
        None,
        StatusCode::OK,
    )
    .await;

    // Too early: nothing.
    let early = Utc.with_ymd_and_hms(2027, 3, 10, 7, 0, 0).unwrap();
    assert_eq!(
        matchfloor::dayof::reminders::send_due(&app.state, early)
            .await
            .unwrap(),
        0
    );
    // Both instances at once, then again: one each, for the people who take part.
    let (a, b) = tokio::join!(
        matchfloor::dayof::reminders::send_due(&app.state, day_before()),
        matchfloor::dayof::reminders::send_due(&second.state, day_before()),
    );
    let again = matchfloor::dayof::reminders::send_due(&second.state, day_before())
        .await
        .unwrap();
    // Ann and Sara; not Dirk (declined), nor the platform admin who made the event and
    // does not take part in it.
    assert_eq!(a.unwrap() + b.unwrap(), 2);
    assert_eq!(again, 0);
    // Invited without a language: Dutch, the event's first. (A long subject may be folded
    // in the mail file, so its start is compared.)
    let subject = "Morgen: ";
    for email in ["ann@stad.example", "sara@remeubel.example"] {
        // The invitation and the reminder.
        let mails = app.wait_for_mails(email, 2).await;
        assert_eq!(
            mails
                .iter()
                .filter(|m| m.subject.starts_with(subject))
                .count(),
            1,
            "{email}"
        );
    }
    assert!(
        app.mails()
            .iter()
            .all(|m| !(m.to.contains("dirk@stad.example") && m.subject.starts_with(subject)))
    );
    let mail = app
        .mails()
        .into_iter()
        .find(|m| m.to.contains("ann@stad.example") && m.subject.starts_with(subject))
        .unwrap();
    let me = ann.get("/api/me").await;
    let code = checkin_code(&me, &w.event);
    assert_eq!(code.len(), 8);
    assert!(
        mail.body.contains(&format!("Je check-incode: {code}.")),
        "{}",
        mail.body
    );
    assert!(
        mail.body
            .contains("• 2027-03-11, 09:00–09:30: Opening (NL)"),
        "{}",
        mail.body
    );
    // The agenda shows the same code; codes differ between people.
    assert_eq!(
        ann.get(&w.path("/agenda/me")).await["checkin_code"],
        code.as_str()
    );
    let sara_code = checkin_code(&sara.get("/api/me").await, &w.event);
    assert_ne!(sara_code, code);
    second.stop().await;
}

#[tokio::test]
async fn who_may_not_announce_by_email_decline_with_a_reason_or_change_another_s_choice() {
    let app = TestApp::spawn().await;
    let w = World::new(&app).await;
    let ann = w.buyer("Ann", "Stad Gent").await;
    let bob = w.buyer("Bob", "Stad Antwerpen").await;
    let body = json!({"body_en": "Hi", "audience": "everyone", "email": true});
    // A participant, an organiser of another event, and nobody.
    let other = w.other_events_organiser().await;
    for (who, status) in [
        (&ann, StatusCode::FORBIDDEN),
        (&other, StatusCode::NOT_FOUND),
    ] {
        let r = who
            .send(Method::POST, &w.path("/announcements"), Some(body.clone()))
            .await;
        assert_eq!(r.status(), status);
    }
    let r = Client::new()
        .post(app.url(&w.path("/announcements")))
        .json(&body)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
    let list = w.organiser.get(&w.path("/announcements")).await;
    assert_eq!(list["announcements"].as_array().unwrap().len(), 0);

    // Declining is the organisers'; a reason goes only with declining, and has a limit.
    let bob_id = w.participant_id("bob@stad.example").await;
    let target = w.path(&format!("/participants/{bob_id}"));
    let decline = json!({"status": "declined", "reason": "No"});
    for who in [&ann, &other] {
        let r = who
            .send(Method::PATCH, &target, Some(decline.clone()))
            .await;
        assert!(
            r.status() == StatusCode::FORBIDDEN || r.status() == StatusCode::NOT_FOUND,
            "{}",
            r.status()
        );
    }
    for (change, code) in [
        (
            json!({"status": "approved", "reason": "Welkom"}),
            "only_when_declining",
        ),
        (
            json!({"status": "declined", "reason": "x".repeat(1001)}),
            "too_long",
        ),
    ] {
        let r = w.organiser.send(Method::PATCH, &target, Some(change)).await;
        assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let error: Value = r.json().await.unwrap();
        let field = &error["error"]["details"]["fields"][0];
        assert_eq!(field["field"], "reason", "{error}");
        assert_eq!(field["code"], code, "{error}");
    }
    assert_eq!(
        w.participant("bob@stad.example").await["status"],
        "approved"
    );
    assert!(
        app.mails()
            .iter()
            .all(|m| !m.subject.starts_with("Your registration for"))
    );

    // Each one sets their own choice: Ann's changes nothing of Bob's, and nobody without a
    // session changes anything.
    ann.expect(
        Method::PATCH,
        "/api/me",
        Some(json!({"announcement_emails": false})),
        StatusCode::OK,
    )
    .await;
    assert_eq!(bob.get("/api/me").await["announcement_emails"], true);
    let r = Client::new()
        .patch(app.url("/api/me"))
        .json(&json!({"announcement_emails": false}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
    let r = ann
        .send(
            Method::PATCH,
            "/api/me",
            Some(json!({"announcement_emails": "no"})),
        )
        .await;
    assert!(r.status().is_client_error());
    assert_eq!(ann.get("/api/me").await["announcement_emails"], false);
}
