//! The organisers' view of their event's mail: every message of the event with its kind,
//! language and state, searchable and filtered, counted by kind and state; one message with
//! its text (login links masked); sending one again (a failed one back in the queue, a sent
//! one as a new message, each with a fresh login link that works); the event's colour and
//! name in its emails; and who may not.

use matchfloor::domain::MailStatus;
use matchfloor::entities::mail_outbox;
use reqwest::{Method, StatusCode};
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, Set};
use serde_json::{Value, json};

use crate::helpers::{TestApp, World, email_of};

/// The event's messages to `email`, as the organiser lists them.
async fn messages_to(w: &World<'_>, email: &str) -> Vec<Value> {
    let list = w
        .organiser
        .get(&w.path(&format!("/mail?q={}", email.replace('+', "%2B"))))
        .await;
    list["messages"].as_array().unwrap().clone()
}

/// Waits (bounded) until the message is in `status`.
async fn wait_for_status(app: &TestApp, id: &str, status: MailStatus) -> mail_outbox::Model {
    let id: uuid::Uuid = id.parse().unwrap();
    for _ in 0..200 {
        let row = mail_outbox::Entity::find_by_id(id)
            .one(&app.state.db)
            .await
            .unwrap()
            .unwrap();
        if row.status == status {
            return row;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    panic!("message {id} never became {}", status.as_str());
}

#[tokio::test]
async fn organisers_see_every_message_of_their_event_with_its_state() {
    let app = TestApp::spawn().await;
    let w = World::new(&app).await;
    let ann = w.supplier("Ann", "ReMeubel").await;
    let bert = w
        .invite(json!({"name": "Bert", "email": email_of("Bert", None), "role": "buyer", "language": "en"}))
        .await;
    let _ = (ann, bert);
    let ann_email = email_of("Ann", Some("ReMeubel"));

    // Each invitation is listed with whom it went to, what it is and its state.
    let ann_mail = messages_to(&w, &ann_email).await;
    assert_eq!(ann_mail.len(), 1, "{ann_mail:?}");
    let m = &ann_mail[0];
    assert_eq!(m["kind"], "invitation");
    assert_eq!(m["lang"], "nl");
    assert_eq!(m["to_name"], "Ann");
    assert!(m["person_id"].is_string());
    assert!(
        m["subject"].as_str().unwrap().starts_with("Uitnodiging"),
        "{m}"
    );
    let sent = wait_for_status(&app, m["id"].as_str().unwrap(), MailStatus::Sent).await;
    assert_eq!(sent.attempts, 1);
    let bert_mail = messages_to(&w, &email_of("Bert", None)).await;
    assert_eq!(bert_mail[0]["lang"], "en");

    // Search is by address, name or subject, in any case; filters by kind, state, person.
    let list = w.organiser.get(&w.path("/mail?q=BERT")).await;
    assert_eq!(list["total"], 1, "{list}");
    let list = w.organiser.get(&w.path("/mail?kind=invitation")).await;
    assert_eq!(list["total"], 2, "{list}");
    let list = w
        .organiser
        .get(&w.path("/mail?kind=meeting_schedule"))
        .await;
    assert_eq!(list["total"], 0);
    let person = m["person_id"].as_str().unwrap();
    let list = w
        .organiser
        .get(&w.path(&format!("/mail?person={person}")))
        .await;
    assert_eq!(list["total"], 1);
    // A wildcard is searched for as it is.
    let list = w.organiser.get(&w.path("/mail?q=%25")).await;
    assert_eq!(list["total"], 0, "{list}");

    // All of the event's messages counted by kind and state.
    for _ in 0..200 {
        let list = w.organiser.get(&w.path("/mail?status=sent")).await;
        if list["total"] == 2 {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    let list = w.organiser.get(&w.path("/mail?status=sent")).await;
    assert_eq!(list["total"], 2, "{list}");
    let invitations = list["progress"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["kind"] == "invitation")
        .unwrap()
        .clone();
    assert_eq!(invitations["sent"], 2, "{invitations}");
    assert_eq!(invitations["pending"], 0);

    // Pages: newest first, `next_before` continues.
    let first = w.organiser.get(&w.path("/mail?limit=1")).await;
    assert_eq!(first["messages"].as_array().unwrap().len(), 1);
    let before = first["next_before"].as_str().expect("a next page");
    let second = w
        .organiser
        .get(&w.path(&format!("/mail?limit=1&before={before}")))
        .await;
    assert_eq!(second["messages"].as_array().unwrap().len(), 1);
    assert_ne!(first["messages"][0]["id"], second["messages"][0]["id"]);
    assert!(second["next_before"].is_null(), "{second}");

    // Bad filters are refused with the field named.
    for (query, field) in [("limit=0", "limit"), ("limit=201", "limit")] {
        let body = w
            .organiser
            .expect(
                Method::GET,
                &w.path(&format!("/mail?{query}")),
                None,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await;
        assert_eq!(body["error"]["details"]["fields"][0]["field"], field);
    }
    for query in ["status=lost", "kind=postcard", "person=nobody"] {
        w.organiser
            .expect(
                Method::GET,
                &w.path(&format!("/mail?{query}")),
                None,
                StatusCode::BAD_REQUEST,
            )
            .await;
    }
}

#[tokio::test]
async fn a_message_is_shown_with_its_link_masked_and_sent_again_with_a_fresh_link() {
    let app = TestApp::spawn().await;
    let w = World::new(&app).await;
    let ann_email = email_of("Ann", Some("ReMeubel"));
    // Invited, but Ann has not used her link: it comes again.
    w.organiser
        .expect(
            Method::POST,
            &w.path("/participants"),
            Some(json!({"name": "Ann", "email": ann_email, "organisation": "ReMeubel", "role": "supplier"})),
            StatusCode::CREATED,
        )
        .await;
    let first_token = app.wait_for_link(&ann_email, 1).await;
    let id = messages_to(&w, &ann_email).await[0]["id"]
        .as_str()
        .unwrap()
        .to_string();
    wait_for_status(&app, &id, MailStatus::Sent).await;

    let detail = w.organiser.get(&w.path(&format!("/mail/{id}"))).await;
    let text = detail["text"].as_str().unwrap();
    assert!(text.contains("#token=…"), "{text}");
    assert!(!text.contains(&first_token), "the link is masked");
    assert!(detail["resends"].as_array().unwrap().is_empty());

    // A sent message goes again as a new one, with a fresh link.
    let again = w
        .organiser
        .expect(
            Method::POST,
            &w.path(&format!("/mail/{id}/resend")),
            None,
            StatusCode::ACCEPTED,
        )
        .await;
    assert_ne!(again["id"], id.as_str());
    assert_eq!(again["resent_from"], id.as_str());
    assert_eq!(again["kind"], "invitation");
    let mails = app.wait_for_mails(&ann_email, 2).await;
    let tokens: Vec<String> = mails.iter().filter_map(|m| m.login_token()).collect();
    assert_eq!(tokens.len(), 2);
    let fresh = tokens
        .iter()
        .find(|t| **t != first_token)
        .expect("a fresh link");
    let detail = w.organiser.get(&w.path(&format!("/mail/{id}"))).await;
    assert_eq!(detail["resends"][0]["id"], again["id"]);
    // Still on its way: not again.
    let again_id = again["id"].as_str().unwrap();
    wait_for_status(&app, again_id, MailStatus::Sent).await;

    // A failed message goes back in the queue as it is (its attempts start over).
    let failed_id: uuid::Uuid = again_id.parse().unwrap();
    mail_outbox::Entity::update_many()
        .col_expr(
            mail_outbox::Column::Status,
            MailStatus::Failed.as_str().into(),
        )
        .col_expr(
            mail_outbox::Column::LastError,
            "SMTP 550 mailbox unavailable".into(),
        )
        .filter(mail_outbox::Column::Id.eq(failed_id))
        .exec(&app.state.db)
        .await
        .unwrap();
    let failed = w.organiser.get(&w.path("/mail?status=failed")).await;
    assert_eq!(
        failed["messages"][0]["last_error"],
        "SMTP 550 mailbox unavailable"
    );
    let retried = w
        .organiser
        .expect(
            Method::POST,
            &w.path(&format!("/mail/{again_id}/resend")),
            None,
            StatusCode::ACCEPTED,
        )
        .await;
    assert_eq!(retried["id"], again_id);
    let row = wait_for_status(&app, again_id, MailStatus::Sent).await;
    assert_eq!(row.attempts, 1, "attempts started over");
    assert!(row.last_error.is_none());
    let mails = app.wait_for_mails(&ann_email, 3).await;
    let third: Vec<String> = mails
        .iter()
        .filter_map(|m| m.login_token())
        .filter(|t| *t != first_token && t != fresh)
        .collect();
    assert_eq!(third.len(), 1, "the retry carries a fresh link too");
    // The fresh link logs Ann in.
    let ann = app.confirm(&third[0]).await;
    assert_eq!(ann.get("/api/me").await["email"], ann_email.as_str());

    // A message still queued is not sent again.
    let queued_id = uuid::Uuid::now_v7();
    mail_outbox::ActiveModel {
        id: Set(queued_id),
        to_email: Set(ann_email.clone()),
        to_name: Set("Ann".into()),
        subject: Set("Waiting".into()),
        body_text: Set("Waiting".into()),
        body_html: Set("<p>Waiting</p>".into()),
        status: Set(MailStatus::Pending),
        attempts: Set(0),
        next_attempt_at: Set(chrono::Utc::now() + chrono::Duration::hours(1)),
        created_at: Set(chrono::Utc::now()),
        event_id: Set(Some(w.event.parse().unwrap())),
        ..Default::default()
    }
    .insert(&app.state.db)
    .await
    .unwrap();
    let body = w
        .organiser
        .expect(
            Method::POST,
            &w.path(&format!("/mail/{queued_id}/resend")),
            None,
            StatusCode::CONFLICT,
        )
        .await;
    assert_eq!(body["error"]["code"], "mail_in_progress");
    assert_eq!(body["error"]["details"]["status"], "pending");
}

#[tokio::test]
async fn emails_carry_the_events_name_and_colour() {
    let app = TestApp::spawn().await;
    let w = World::new(&app).await;
    for colour in ["green", "#12345", "#12345g", "#1234567"] {
        let body = w
            .organiser
            .expect(
                Method::PATCH,
                &w.path(""),
                Some(json!({ "colour": colour })),
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await;
        assert_eq!(body["error"]["details"]["fields"][0]["field"], "colour");
    }
    let event = w
        .organiser
        .expect(
            Method::PATCH,
            &w.path(""),
            Some(json!({ "colour": "#AA3366" })),
            StatusCode::OK,
        )
        .await;
    assert_eq!(event["colour"], "#aa3366");
    let email = email_of("Cas", None);
    w.invite(json!({"name": "Cas", "email": email, "role": "buyer"}))
        .await;
    let id = messages_to(&w, &email).await[0]["id"]
        .as_str()
        .unwrap()
        .to_string();
    let row = wait_for_status(&app, &id, MailStatus::Sent).await;
    assert!(
        row.body_html.contains("background:#aa3366"),
        "{}",
        row.body_html
    );
    let name = w.details["name"].as_str().unwrap();
    assert!(
        row.body_html.contains(&format!(">{name}</p>")),
        "{}",
        row.body_html
    );
}

#[tokio::test]
async fn who_may_not_read_or_resend_the_events_mail() {
    let app = TestApp::spawn().await;
    let w = World::new(&app).await;
    let ann = w.supplier("Ann", "ReMeubel").await;
    let otto = w.other_events_organiser().await;
    let id = messages_to(&w, &email_of("Ann", Some("ReMeubel"))).await[0]["id"]
        .as_str()
        .unwrap()
        .to_string();
    let paths = [
        (Method::GET, w.path("/mail")),
        (Method::GET, w.path(&format!("/mail/{id}"))),
        (Method::POST, w.path(&format!("/mail/{id}/resend"))),
    ];
    for (method, path) in &paths {
        // A participant, even the recipient: the organisers' view only.
        let r = ann.send(method.clone(), path, None).await;
        assert_eq!(r.status(), StatusCode::FORBIDDEN, "{method} {path}");
        // The organiser of another event.
        let r = otto.send(method.clone(), path, None).await;
        assert_eq!(r.status(), StatusCode::NOT_FOUND, "{method} {path}");
        let r = reqwest::Client::new()
            .request(method.clone(), app.url(path))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::UNAUTHORIZED, "{method} {path}");
    }
    // Another event's message is not found through this event.
    let other_event = w.other_event().await;
    for (method, tail) in [
        (Method::GET, format!("/mail/{id}")),
        (Method::POST, format!("/mail/{id}/resend")),
    ] {
        w.organiser
            .expect(
                method,
                &format!("/api/events/{other_event}{tail}"),
                None,
                StatusCode::NOT_FOUND,
            )
            .await;
    }
}
