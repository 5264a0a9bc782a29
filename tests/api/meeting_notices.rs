//! What happens around meeting requests over time: the one reminder of an unanswered
//! request and the organiser's rule after it (expire, or count as accepted within the
//! limits), exactly once with two instances; digest emails in each person's language and
//! each person's choice of email timing (and who may not choose); the requests of someone
//! who leaves the event; marked slots when the grid is generated again.
//!
//! Nothing sleeps: requests are made over HTTP and then dated back in the database, and the
//! housekeeping job runs when the test calls it.

use chrono::{DateTime, Duration, Utc};
use matchfloor::entities::{housekeeping_lease, mail_outbox, meeting_request, meeting_tally};
use matchfloor::housekeeping::Report;
use reqwest::{Method, StatusCode};
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use serde_json::{Value, json};
use uuid::Uuid;

use crate::helpers::{TestApp, World, email_of, mail};
use crate::live::{connect, next};
use crate::meeting_requests::{act, ask, call, id, invite, pid, requests, set_rules};

/// Dates request `id` back: made `created` hours ago, reminded `reminded` hours ago (or
/// never).
async fn date_back(app: &TestApp, id: &str, created: i64, reminded: Option<i64>) {
    let now = Utc::now();
    let reminded: Option<DateTime<Utc>> = reminded.map(|h| now - Duration::hours(h));
    meeting_request::Entity::update_many()
        .col_expr(
            meeting_request::Column::CreatedAt,
            Expr::value(now - Duration::hours(created)),
        )
        .col_expr(meeting_request::Column::RemindedAt, Expr::value(reminded))
        .filter(meeting_request::Column::Id.eq(id.parse::<Uuid>().unwrap()))
        .exec(&app.state.db)
        .await
        .unwrap();
}

/// Runs the housekeeping job as if its intervals (clean-up and digest) had passed.
async fn housekeeping(app: &TestApp) -> Report {
    housekeeping_lease::Entity::update_many()
        .col_expr(
            housekeeping_lease::Column::StartedAt,
            Expr::value(DateTime::<Utc>::UNIX_EPOCH),
        )
        .exec(&app.state.db)
        .await
        .unwrap();
    matchfloor::housekeeping::run_if_due(&app.state)
        .await
        .unwrap()
        .expect("the job runs")
}

/// Emails queued to `to` whose subject starts with `subject`, delivered or not.
async fn queued(app: &TestApp, to: &str, subject: &str) -> usize {
    mail_outbox::Entity::find()
        .filter(mail_outbox::Column::ToEmail.eq(to))
        .all(&app.state.db)
        .await
        .unwrap()
        .iter()
        .filter(|m| m.subject.starts_with(subject))
        .count()
}

/// (open requests sent, meetings) of a participant.
async fn tally(app: &TestApp, participant: &str) -> (i32, i32) {
    meeting_tally::Entity::find_by_id(participant.parse::<Uuid>().unwrap())
        .one(&app.state.db)
        .await
        .unwrap()
        .map_or((0, 0), |t| (t.requests_sent, t.meetings))
}

/// The request with this id among `s`'s sent or received ones.
async fn seen(w: &World<'_>, s: &crate::helpers::Session, request: &str) -> Value {
    let mine = s.get(&requests(w)).await;
    mine["sent"]
        .as_array()
        .unwrap()
        .iter()
        .chain(mine["received"].as_array().unwrap())
        .find(|r| r["id"] == request)
        .unwrap_or_else(|| panic!("no request {request}: {mine}"))
        .clone()
}

#[tokio::test]
async fn an_unanswered_request_gets_one_reminder_and_then_lapses() {
    let app = TestApp::spawn().await;
    let w = World::new(&app).await;
    let bea = invite(&w, "Bea", "Stad Gent", "buyer", "en").await;
    let sara = invite(&w, "Sara", "ReMeubel", "supplier", "nl").await;
    let (bea_id, sara_id) = (
        pid(&w, "Bea", "Stad Gent").await,
        pid(&w, "Sara", "ReMeubel").await,
    );
    let (bea_mail, sara_mail) = (
        email_of("Bea", Some("Stad Gent")),
        email_of("Sara", Some("ReMeubel")),
    );
    let made = ask(&w, &bea, &sara_id, "must").await;
    let mut saras = connect(&app, &w.event, Some(&sara.cookie), "")
        .await
        .unwrap();
    assert_eq!(next(&mut saras).await.unwrap()["type"], "hello");

    // Within the default 48 hours nothing happens.
    date_back(&app, &id(&made), 47, None).await;
    let report = housekeeping(&app).await;
    assert_eq!(report.meeting_reminders, 0);

    // After them, the one asked gets one reminder: live and by email, in Dutch.
    date_back(&app, &id(&made), 49, None).await;
    let report = housekeeping(&app).await;
    assert_eq!(
        (
            report.meeting_reminders,
            report.meeting_requests_expired,
            report.meeting_requests_accepted
        ),
        (1, 0, 0)
    );
    let got = next(&mut saras).await.unwrap();
    assert_eq!(got["type"], "meeting_request_reminder");
    assert_eq!(got["payload"]["id"], made["id"]);
    assert_eq!(got["payload"]["status"], "pending");
    assert!(got["payload"]["reminded_at"].is_string());
    let reminder = mail(&app, &sara_mail, "Herinnering: gespreksverzoek van Bea").await;
    assert!(
        reminder.body.contains("2 dagen geleden"),
        "{}",
        reminder.body
    );
    assert!(reminder.body.contains("zeker ontmoeten"));
    assert!(
        reminder
            .body
            .contains("Antwoord je niet binnen 2 dagen, dan vervalt het verzoek"),
        "{}",
        reminder.body
    );
    assert!(reminder.login_token().is_some());
    assert!(seen(&w, &bea, &id(&made)).await["reminded_at"].is_string());

    // Running again reminds nobody twice.
    let report = housekeeping(&app).await;
    assert_eq!(report.meeting_reminders, 0);
    assert_eq!(queued(&app, &sara_mail, "Herinnering").await, 1);

    // The same time again after the reminder, the request lapses (the default rule), and
    // both sides are told, each in their language; the requester's place comes back.
    assert_eq!(tally(&app, &bea_id).await.0, 1);
    date_back(&app, &id(&made), 98, Some(49)).await;
    let report = housekeeping(&app).await;
    assert_eq!(
        (
            report.meeting_requests_expired,
            report.meeting_requests_accepted
        ),
        (1, 0)
    );
    let lapsed = seen(&w, &bea, &id(&made)).await;
    assert_eq!(lapsed["status"], "expired");
    assert!(lapsed["lapsed_at"].is_string());
    assert_eq!(lapsed["answered_at"], Value::Null);
    assert_eq!(tally(&app, &bea_id).await, (0, 0));
    let got = next(&mut saras).await.unwrap();
    assert_eq!(got["type"], "meeting_request_expired");
    assert_eq!(got["payload"]["direction"], "received");
    mail(&app, &bea_mail, "Your meeting request to Sara expired").await;
    mail(&app, &sara_mail, "Het gespreksverzoek van Bea is vervallen").await;
    assert_eq!(housekeeping(&app).await.meeting_requests_expired, 0);

    // A lapsed request may be asked again, as a new request with no reminder.
    let again = ask(&w, &bea, &sara_id, "would_like").await;
    assert_eq!(again["id"], made["id"]);
    assert_eq!(again["status"], "pending");
    assert_eq!(again["reminded_at"], Value::Null);
    assert_eq!(again["lapsed_at"], Value::Null);
}

#[tokio::test]
async fn unanswered_requests_count_as_accepted_where_the_organiser_chose_it_within_the_limits() {
    let app = TestApp::spawn().await;
    let w = World::new(&app).await;
    set_rules(
        &w,
        json!({"reminder_after_hours": 24, "after_reminder": "accept",
               "max_meetings": {"supplier": 1}}),
    )
    .await;
    let bea = invite(&w, "Bea", "Stad Gent", "buyer", "en").await;
    let carl = invite(&w, "Carl", "Provincie", "buyer", "en").await;
    let sara = invite(&w, "Sara", "ReMeubel", "supplier", "nl").await;
    let (bea_id, carl_id, sara_id) = (
        pid(&w, "Bea", "Stad Gent").await,
        pid(&w, "Carl", "Provincie").await,
        pid(&w, "Sara", "ReMeubel").await,
    );
    let first = ask(&w, &bea, &sara_id, "if_time").await;
    let second = ask(&w, &carl, &sara_id, "must").await;
    // Both were reminded a day ago; Bea asked first.
    date_back(&app, &id(&first), 60, Some(25)).await;
    date_back(&app, &id(&second), 50, Some(25)).await;

    let report = housekeeping(&app).await;
    assert_eq!(
        (
            report.meeting_reminders,
            report.meeting_requests_accepted,
            report.meeting_requests_expired
        ),
        (0, 1, 1)
    );
    // Bea's counts as accepted at her priority (Sara gave none) ...
    let accepted = seen(&w, &sara, &id(&first)).await;
    assert_eq!(accepted["status"], "accepted");
    assert_eq!(accepted["priority"], "if_time");
    assert_eq!(accepted["answer_priority"], Value::Null);
    assert!(accepted["lapsed_at"].is_string());
    assert_eq!(tally(&app, &bea_id).await, (1, 1));
    assert_eq!(sara.get(&requests(&w)).await["counts"]["meetings"], 1);
    // ... and Carl's lapses: Sara has as many meetings as suppliers may have.
    assert_eq!(seen(&w, &carl, &id(&second)).await["status"], "expired");
    assert_eq!(tally(&app, &carl_id).await, (0, 0));

    let bea_mail = email_of("Bea", Some("Stad Gent"));
    let sara_mail = email_of("Sara", Some("ReMeubel"));
    let to_bea = mail(
        &app,
        &bea_mail,
        "Your meeting request to Sara counts as accepted",
    )
    .await;
    assert!(to_bea.body.contains("at your priority"), "{}", to_bea.body);
    let to_sara = mail(
        &app,
        &sara_mail,
        "Het gespreksverzoek van Bea geldt als aanvaard",
    )
    .await;
    assert!(to_sara.body.contains("Zoals de organisatoren besloten"));
    mail(
        &app,
        &sara_mail,
        "Het gespreksverzoek van Carl is vervallen",
    )
    .await;
    mail(
        &app,
        &email_of("Carl", Some("Provincie")),
        "Your meeting request to Sara expired",
    )
    .await;

    // An accepted meeting is the requester's to withdraw, as any other.
    let (status, _) = act(&w, &bea, &id(&first), "withdraw", None).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(tally(&app, &bea_id).await, (0, 0));
    assert_eq!(tally(&app, &sara_id).await.1, 0);
}

#[tokio::test]
async fn two_instances_remind_once_and_apply_the_rule_once() {
    let app = TestApp::spawn().await;
    let second = app.another_instance().await;
    let w = World::new(&app).await;
    let bea = invite(&w, "Bea", "Stad Gent", "buyer", "en").await;
    invite(&w, "Sara", "ReMeubel", "supplier", "en").await;
    invite(&w, "Tom", "Tafels", "supplier", "en").await;
    let bea_id = pid(&w, "Bea", "Stad Gent").await;
    let to_sara = ask(&w, &bea, &pid(&w, "Sara", "ReMeubel").await, "must").await;
    let to_tom = ask(&w, &bea, &pid(&w, "Tom", "Tafels").await, "must").await;
    date_back(&app, &id(&to_sara), 49, None).await;
    date_back(&app, &id(&to_tom), 49, None).await;

    // Both instances run the step at the same moment (past the lease, which would already
    // keep one of them out): each request is reminded once.
    let now = Utc::now();
    let (a, b) = tokio::join!(
        matchfloor::meetings::unanswered::run(&app.state, now),
        matchfloor::meetings::unanswered::run(&second.state, now),
    );
    let (a, b) = (a.unwrap(), b.unwrap());
    assert_eq!(a.reminded + b.reminded, 2, "{a:?} {b:?}");
    for to in ["sara@remeubel.example", "tom@tafels.example"] {
        assert_eq!(queued(&app, to, "Reminder").await, 1, "{to}");
    }
    let (a, b) = tokio::join!(
        matchfloor::meetings::unanswered::run(&app.state, now),
        matchfloor::meetings::unanswered::run(&second.state, now),
    );
    assert_eq!(a.unwrap().reminded + b.unwrap().reminded, 0);

    // Later, the rule: each request lapses once, and Bea's count goes down by two, not four.
    let later = now + Duration::hours(49);
    let (a, b) = tokio::join!(
        matchfloor::meetings::unanswered::run(&app.state, later),
        matchfloor::meetings::unanswered::run(&second.state, later),
    );
    let (a, b) = (a.unwrap(), b.unwrap());
    assert_eq!(a.expired + b.expired, 2, "{a:?} {b:?}");
    assert_eq!(tally(&app, &bea_id).await, (0, 0));
    assert_eq!(
        queued(&app, "bea@stad.example", "Your meeting request to").await,
        2
    );

    // The housekeeping job itself runs once per interval, whichever instance asks.
    assert!(
        matchfloor::housekeeping::run_if_due(&app.state)
            .await
            .unwrap()
            .is_some()
    );
    assert!(
        matchfloor::housekeeping::run_if_due(&second.state)
            .await
            .unwrap()
            .is_none()
    );
}

#[tokio::test]
async fn digests_list_what_happened_in_each_persons_language_once() {
    let app = TestApp::spawn().await;
    let w = World::new(&app).await;
    // The organiser makes the digest the default; Tom chooses immediate emails.
    set_rules(&w, json!({"email_timing": "digest"})).await;
    let bea = invite(&w, "Bea", "Stad Gent", "buyer", "en").await;
    let carl = invite(&w, "Carl", "Provincie", "buyer", "en").await;
    invite(&w, "Sara", "ReMeubel", "supplier", "nl").await;
    let tom = invite(&w, "Tom", "Tafels", "supplier", "en").await;
    let uma = invite(&w, "Uma", "Upcycle", "supplier", "en").await;
    tom.expect(
        Method::PUT,
        &w.path("/request-notifications/me"),
        Some(json!({"email_timing": "immediate"})),
        StatusCode::OK,
    )
    .await;
    let (sara_id, tom_id, uma_id) = (
        pid(&w, "Sara", "ReMeubel").await,
        pid(&w, "Tom", "Tafels").await,
        pid(&w, "Uma", "Upcycle").await,
    );
    let (bea_mail, sara_mail, tom_mail, uma_mail) = (
        email_of("Bea", Some("Stad Gent")),
        email_of("Sara", Some("ReMeubel")),
        email_of("Tom", Some("Tafels")),
        email_of("Uma", Some("Upcycle")),
    );

    let (status, _) = call(
        &bea,
        Method::POST,
        &requests(&w),
        Some(json!({"participant_id": sara_id, "priority": "must",
                    "message": "Stoelen als dienst?"})),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED);
    let from_carl = ask(&w, &carl, &sara_id, "if_time").await;
    let to_tom = ask(&w, &bea, &tom_id, "would_like").await;
    let to_uma = ask(&w, &bea, &uma_id, "would_like").await;
    act(
        &w,
        &tom,
        &id(&to_tom),
        "decline",
        Some(json!({"reason": "Geen tijd"})),
    )
    .await;
    act(&w, &uma, &id(&to_uma), "accept", None).await;

    // Tom chose immediate emails and has his at once; the others wait for the digest.
    mail(&app, &tom_mail, "Meeting request from Bea").await;
    for to in [&bea_mail, &sara_mail, &uma_mail] {
        assert_eq!(queued(&app, to, "").await, 1, "only the invitation to {to}");
    }

    let report = housekeeping(&app).await;
    // Uma's only notice (Bea's request) she answered herself: she gets no digest.
    assert_eq!(report.meeting_digests, 2);
    let to_sara = mail(
        &app,
        &sara_mail,
        "Je gespreksverzoeken op Buyer meets Supplier Gent: 2 berichten",
    )
    .await;
    for line in [
        "Nieuwe gespreksverzoeken (2)",
        "Bea (Stad Gent, aankoper) vraagt een gesprek (zeker ontmoeten). Hun bericht: Stoelen als dienst?",
        "Carl (Provincie, aankoper) vraagt een gesprek (als er tijd is).",
        "om de 3 uur",
    ] {
        assert!(to_sara.body.contains(line), "{line:?} in {}", to_sara.body);
    }
    assert!(to_sara.login_token().is_some());
    let to_bea = mail(
        &app,
        &bea_mail,
        "Your meeting requests at Buyer meets Supplier Gent: 2 updates",
    )
    .await;
    for line in [
        "Accepted (1)",
        "Uma (Upcycle, supplier) accepted your meeting request.",
        "Declined (1)",
        "Tom (Tafels, supplier) declined your meeting request. Their reason: Geen tijd",
    ] {
        assert!(to_bea.body.contains(line), "{line:?} in {}", to_bea.body);
    }
    assert!(!to_bea.body.contains("New meeting requests"));
    assert_eq!(queued(&app, &uma_mail, "Your meeting requests").await, 0);

    // Nothing new, no digest; a reminder later comes in the next one, alone.
    assert_eq!(housekeeping(&app).await.meeting_digests, 0);
    date_back(&app, &id(&from_carl), 49, None).await;
    let report = housekeeping(&app).await;
    assert_eq!((report.meeting_reminders, report.meeting_digests), (1, 1));
    assert_eq!(
        queued(&app, &sara_mail, "Herinnering").await,
        0,
        "in the digest"
    );
    let second = mail(
        &app,
        &sara_mail,
        "Je gespreksverzoeken op Buyer meets Supplier Gent: 1 bericht",
    )
    .await;
    assert!(second.body.contains("Wachten nog op je antwoord (1)"));
    assert!(second.body.contains(
        "Carl (Provincie, aankoper) vroeg een gesprek (als er tijd is) en wacht op je antwoord."
    ));
    assert!(!second.body.contains("Bea"), "{}", second.body);
    assert_eq!(queued(&app, &sara_mail, "Je gespreksverzoeken").await, 2);
}

#[tokio::test]
async fn each_buyer_and_supplier_chooses_the_timing_of_their_emails_and_nobody_else_does() {
    let app = TestApp::spawn().await;
    let w = World::new(&app).await;
    let path = w.path("/request-notifications/me");
    let bea = w.buyer("Bea", "Stad Gent").await;
    let sara = w.supplier("Sara", "ReMeubel").await;

    let mine = bea.get(&path).await;
    assert_eq!(mine["email_timing"], "immediate");
    assert_eq!(mine["chosen"], Value::Null);
    assert_eq!(mine["default"], "immediate");
    assert_eq!(mine["digest_hours"], 3);
    let chosen = bea
        .expect(
            Method::PUT,
            &path,
            Some(json!({"email_timing": "digest"})),
            StatusCode::OK,
        )
        .await;
    assert_eq!(chosen["email_timing"], "digest");
    assert_eq!(chosen["chosen"], "digest");
    assert_eq!(
        sara.get(&path).await["chosen"],
        Value::Null,
        "Bea's choice only"
    );

    // The organiser's default applies to whoever has not chosen.
    set_rules(&w, json!({"email_timing": "digest"})).await;
    let saras = sara.get(&path).await;
    assert_eq!(
        (saras["email_timing"].as_str(), saras["default"].as_str()),
        (Some("digest"), Some("digest"))
    );
    let own = sara
        .expect(
            Method::PUT,
            &path,
            Some(json!({"email_timing": "immediate"})),
            StatusCode::OK,
        )
        .await;
    assert_eq!(own["email_timing"], "immediate");
    // `null` goes back to the default.
    let back = sara
        .expect(
            Method::PUT,
            &path,
            Some(json!({"email_timing": null})),
            StatusCode::OK,
        )
        .await;
    assert_eq!(
        (back["email_timing"].as_str(), back["chosen"].clone()),
        (Some("digest"), Value::Null)
    );

    // Bad input changes nothing.
    for body in [
        json!({"email_timing": "weekly"}),
        json!({"timing": "digest"}),
    ] {
        let (status, answer) = call(&bea, Method::PUT, &path, Some(body)).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{answer}");
    }
    assert_eq!(bea.get(&path).await["chosen"], "digest");

    // Organisers and facilitators have no meeting requests; outsiders and registrations
    // awaiting approval do not find the event; a platform admin who does not take part
    // has nothing to choose; nobody without a session.
    let olga = w.person("Olga", "organiser").await;
    let fien = w.person("Fien", "facilitator").await;
    let other_event = w.other_event().await;
    let outsider = crate::helpers::invite(
        &app,
        &w.organiser,
        &other_event,
        json!({"name": "Otto", "email": "otto@example.org", "role": "buyer"}),
    )
    .await;
    let pending = w.pending_registrant("Pim", "Circ NV").await;
    for (who, expected) in [
        (&olga, StatusCode::FORBIDDEN),
        (&fien, StatusCode::FORBIDDEN),
        (&w.organiser, StatusCode::FORBIDDEN),
        (&outsider, StatusCode::NOT_FOUND),
        (&pending, StatusCode::NOT_FOUND),
    ] {
        let (status, _) = call(who, Method::GET, &path, None).await;
        assert_eq!(status, expected);
        let (status, _) = call(
            who,
            Method::PUT,
            &path,
            Some(json!({"email_timing": "digest"})),
        )
        .await;
        assert_eq!(status, expected);
    }
    let anonymous = reqwest::Client::new()
        .get(app.url(&path))
        .send()
        .await
        .unwrap();
    assert_eq!(anonymous.status(), StatusCode::UNAUTHORIZED);
    // The outsider's choice in their own event is theirs, and changes nothing here.
    let (status, _) = call(
        &outsider,
        Method::GET,
        &format!("/api/events/{other_event}/request-notifications/me"),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::OK);
}

#[tokio::test]
async fn leaving_the_event_ends_ones_requests_gives_the_places_back_and_tells_the_other_side() {
    let app = TestApp::spawn().await;
    let w = World::new(&app).await;
    let bea = invite(&w, "Bea", "Stad Gent", "buyer", "en").await;
    let carl = invite(&w, "Carl", "Provincie", "buyer", "en").await;
    let sara = invite(&w, "Sara", "ReMeubel", "supplier", "nl").await;
    let tom = invite(&w, "Tom", "Tafels", "supplier", "en").await;
    let uma = invite(&w, "Uma", "Upcycle", "supplier", "en").await;
    let vic = invite(&w, "Vic", "Vaste", "supplier", "en").await;
    let bea_id = pid(&w, "Bea", "Stad Gent").await;
    let (sara_id, tom_id, uma_id, vic_id) = (
        pid(&w, "Sara", "ReMeubel").await,
        pid(&w, "Tom", "Tafels").await,
        pid(&w, "Uma", "Upcycle").await,
        pid(&w, "Vic", "Vaste").await,
    );
    let to_sara = ask(&w, &bea, &sara_id, "must").await; // pending, Bea asked
    let to_tom = ask(&w, &bea, &tom_id, "must").await; // accepted, Bea asked
    act(&w, &tom, &id(&to_tom), "accept", None).await;
    let from_uma = ask(&w, &uma, &bea_id, "must").await; // pending, Bea was asked
    let from_vic = ask(&w, &vic, &bea_id, "must").await; // accepted, Bea was asked
    act(&w, &bea, &id(&from_vic), "accept", None).await;
    let others = ask(&w, &carl, &sara_id, "must").await; // not Bea's
    assert_eq!(tally(&app, &bea_id).await, (2, 2));
    let mut saras = connect(&app, &w.event, Some(&sara.cookie), "")
        .await
        .unwrap();
    assert_eq!(next(&mut saras).await.unwrap()["type"], "hello");

    w.set_status(&email_of("Bea", Some("Stad Gent")), "cancelled")
        .await;

    assert_eq!(seen(&w, &sara, &id(&to_sara)).await["status"], "withdrawn");
    assert_eq!(seen(&w, &tom, &id(&to_tom)).await["status"], "withdrawn");
    assert_eq!(seen(&w, &uma, &id(&from_uma)).await["status"], "expired");
    assert_eq!(seen(&w, &vic, &id(&from_vic)).await["status"], "expired");
    assert_eq!(seen(&w, &carl, &id(&others)).await["status"], "pending");
    // Every place comes back, on both sides.
    assert_eq!(tally(&app, &bea_id).await, (0, 0));
    for (who, expected) in [
        (&tom_id, (0, 0)),
        (&uma_id, (0, 0)),
        (&vic_id, (0, 0)),
        (&sara_id, (0, 0)),
    ] {
        assert_eq!(tally(&app, who).await, expected, "{who}");
    }
    let got = next(&mut saras).await.unwrap();
    assert_eq!(got["type"], "meeting_request_withdrawn");
    assert_eq!(got["payload"]["id"], to_sara["id"]);
    let to_sara_mail = mail(
        &app,
        &email_of("Sara", Some("ReMeubel")),
        "Bea neemt niet meer deel aan Buyer meets Supplier Gent",
    )
    .await;
    assert!(
        to_sara_mail
            .body
            .contains("hun gespreksverzoek aan jou is ingetrokken")
    );
    let to_tom_mail = mail(
        &app,
        &email_of("Tom", Some("Tafels")),
        "Bea no longer takes part in Buyer meets Supplier Gent",
    )
    .await;
    assert!(
        to_tom_mail
            .body
            .contains("your meeting with them will not take place")
    );
    let to_uma_mail = mail(
        &app,
        &email_of("Uma", Some("Upcycle")),
        "Bea no longer takes part in Buyer meets Supplier Gent",
    )
    .await;
    assert!(
        to_uma_mail
            .body
            .contains("your meeting request to them lapsed")
    );

    // Back in the event, Bea may ask again.
    w.set_status(&email_of("Bea", Some("Stad Gent")), "approved")
        .await;
    let again = ask(&w, &bea, &sara_id, "would_like").await;
    assert_eq!(again["status"], "pending");
    assert_eq!(tally(&app, &bea_id).await, (1, 0));
}

#[tokio::test]
async fn generating_the_grid_again_keeps_marked_slots_by_time() {
    let app = TestApp::spawn().await;
    let w = World::new(&app).await;
    let bea = w.buyer("Bea", "Stad Gent").await;
    let generate = |minutes: i32| json!({"date": "2027-03-11", "start": "13:00", "end": "15:00", "slot_minutes": minutes});
    let grid = w
        .organiser
        .expect(
            Method::POST,
            &w.path("/slots/generate"),
            Some(generate(20)),
            StatusCode::OK,
        )
        .await;
    let slot = |grid: &Value, start: &str| -> String {
        grid["slots"]
            .as_array()
            .unwrap()
            .iter()
            .find(|s| s["start"] == start)
            .unwrap_or_else(|| panic!("no slot at {start}: {grid}"))["id"]
            .as_str()
            .unwrap()
            .to_string()
    };
    let marked = [slot(&grid, "13:00"), slot(&grid, "14:20")];
    bea.expect(
        Method::PUT,
        &w.path("/availability/me"),
        Some(json!({"slot_ids": marked})),
        StatusCode::OK,
    )
    .await;

    // The same grid again keeps every slot, with its id and the marks on it.
    let same = w
        .organiser
        .expect(
            Method::POST,
            &w.path("/slots/generate"),
            Some(generate(20)),
            StatusCode::OK,
        )
        .await;
    assert_eq!(same["slots"], grid["slots"]);
    let mine = bea.get(&w.path("/availability/me")).await;
    assert_eq!(mine["slot_ids"], json!(marked));

    // Longer meetings: the marks move to the new slots at those times.
    let longer = w
        .organiser
        .expect(
            Method::POST,
            &w.path("/slots/generate"),
            Some(generate(30)),
            StatusCode::OK,
        )
        .await;
    let mine = bea.get(&w.path("/availability/me")).await;
    assert_eq!(
        mine["slot_ids"],
        json!([
            slot(&longer, "13:00"),
            slot(&longer, "14:00"),
            slot(&longer, "14:30")
        ]),
        "13:00-13:20 lies in 13:00-13:30, 14:20-14:40 in 14:00-14:30 and 14:30-15:00"
    );
    let starts: Vec<&str> = mine["slots"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|s| s["marked"] == true)
        .map(|s| s["start"].as_str().unwrap())
        .collect();
    assert_eq!(starts, ["13:00", "14:00", "14:30"]);
}
