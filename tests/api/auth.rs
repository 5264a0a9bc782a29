//! Passwordless login: links, confirmation, sessions, rate limits and CSRF.

use reqwest::{Method, StatusCode};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, sea_query::Expr};
use serde_json::{Value, json};

use crate::helpers::TestApp;
use matchfloor::entities::{login_token, person};

async fn ask_link(app: &TestApp, email: &str) -> reqwest::Response {
    reqwest::Client::new()
        .post(app.url("/api/auth/login-link"))
        .json(&json!({ "email": email }))
        .send()
        .await
        .unwrap()
}

#[tokio::test]
async fn a_login_link_logs_in_once_and_opening_the_page_does_not_use_it() {
    let app = TestApp::spawn().await;
    app.admin("ann@example.org").await;

    let r = ask_link(&app, "Ann@Example.org ").await;
    assert_eq!(r.status(), StatusCode::ACCEPTED);
    let token = app.wait_for_link("ann@example.org", 1).await;
    let mail = &app.wait_for_mails("ann@example.org", 1).await[0];
    assert_eq!(mail.subject, "Your matchfloor login link");
    assert!(
        mail.body.contains("Content-Type: text/html"),
        "the mail has an HTML part"
    );
    assert!(
        mail.body.contains("Content-Type: text/plain"),
        "the mail has a plain-text part"
    );

    // A mail scanner fetching the page: it gets the app shell and uses nothing up.
    let page = reqwest::get(app.url(&format!("/login/confirm#token={token}")))
        .await
        .unwrap();
    assert_eq!(page.status(), StatusCode::OK);
    assert!(page.text().await.unwrap().contains("<html"));

    let session = app.confirm(&token).await;
    assert_eq!(session.me["email"], "ann@example.org");
    let me = session.get("/api/me").await;
    assert_eq!(me["is_admin"], true);

    // Single use.
    let again = reqwest::Client::new()
        .post(app.url("/api/auth/confirm"))
        .json(&json!({ "token": token }))
        .send()
        .await
        .unwrap();
    assert_eq!(again.status(), StatusCode::BAD_REQUEST);
    let body: Value = again.json().await.unwrap();
    assert_eq!(body["error"]["code"], "login_link_invalid");

    // Tokens are stored only as hashes.
    let rows = login_token::Entity::find()
        .all(&app.state.db)
        .await
        .unwrap();
    assert!(
        rows.iter()
            .all(|r| r.token_hash != token && r.token_hash.len() == 64)
    );
}

#[tokio::test]
async fn the_answer_is_the_same_for_unknown_addresses_and_no_mail_goes_out() {
    let app = TestApp::spawn().await;
    app.admin("known@example.org").await;
    let known = ask_link(&app, "known@example.org").await;
    let unknown = ask_link(&app, "nobody@example.org").await;
    assert_eq!(known.status(), unknown.status());
    assert_eq!(known.text().await.unwrap(), unknown.text().await.unwrap());
    app.wait_for_mails("known@example.org", 1).await;
    assert!(
        app.mails()
            .iter()
            .all(|m| !m.to.contains("nobody@example.org"))
    );
}

#[tokio::test]
async fn expired_and_malformed_links_are_refused() {
    let app = TestApp::spawn().await;
    app.admin("old@example.org").await;
    ask_link(&app, "old@example.org").await;
    let token = app.wait_for_link("old@example.org", 1).await;
    login_token::Entity::update_many()
        .col_expr(
            login_token::Column::ExpiresAt,
            Expr::value(chrono::Utc::now() - chrono::Duration::minutes(1)),
        )
        .exec(&app.state.db)
        .await
        .unwrap();
    for bad in [token.as_str(), "abc", "", "zz"] {
        let r = reqwest::Client::new()
            .post(app.url("/api/auth/confirm"))
            .json(&json!({ "token": bad }))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::BAD_REQUEST, "token {bad:?}");
        let body: Value = r.json().await.unwrap();
        assert_eq!(body["error"]["code"], "login_link_invalid");
    }
}

#[tokio::test]
async fn login_links_are_rate_limited_per_email() {
    let app = TestApp::spawn().await;
    for _ in 0..5 {
        assert_eq!(
            ask_link(&app, "spam@example.org").await.status(),
            StatusCode::ACCEPTED
        );
    }
    let r = ask_link(&app, "spam@example.org").await;
    assert_eq!(r.status(), StatusCode::TOO_MANY_REQUESTS);
    let body: Value = r.json().await.unwrap();
    assert_eq!(body["error"]["code"], "rate_limited");
    // Another address from the same client is still fine (the per-client limit is higher).
    assert_eq!(
        ask_link(&app, "other@example.org").await.status(),
        StatusCode::ACCEPTED
    );
}

#[tokio::test]
async fn login_links_are_rate_limited_per_client() {
    let app = TestApp::spawn_with(&[("MATCHFLOOR__AUTH__RATE_LIMIT_PER_CLIENT", "3")]).await;
    for i in 0..3 {
        assert_eq!(
            ask_link(&app, &format!("p{i}@example.org")).await.status(),
            StatusCode::ACCEPTED
        );
    }
    assert_eq!(
        ask_link(&app, "p9@example.org").await.status(),
        StatusCode::TOO_MANY_REQUESTS
    );
}

#[tokio::test]
async fn a_spoofed_forwarded_for_entry_does_not_dodge_the_per_client_limit() {
    let app = TestApp::spawn_with(&[
        ("MATCHFLOOR__AUTH__TRUST_FORWARDED_FOR", "true"),
        ("MATCHFLOOR__AUTH__TRUSTED_PROXIES", "10.0.0.0/8"),
        ("MATCHFLOOR__AUTH__RATE_LIMIT_PER_CLIENT", "3"),
    ])
    .await;
    // The test client plays the proxy chain: each request claims a new left-most address,
    // and our proxies (a CDN at 10.1.1.1, then the peer) append the real one, 198.51.100.7.
    let ask = |i: usize| {
        reqwest::Client::new()
            .post(app.url("/api/auth/login-link"))
            .header(
                "x-forwarded-for",
                format!("203.0.113.{i}, 198.51.100.7, 10.1.1.1"),
            )
            .json(&json!({ "email": format!("probe{i}@example.org") }))
            .send()
    };
    for i in 0..3 {
        assert_eq!(ask(i).await.unwrap().status(), StatusCode::ACCEPTED);
    }
    assert_eq!(
        ask(3).await.unwrap().status(),
        StatusCode::TOO_MANY_REQUESTS
    );
    // Another real client behind the same proxies has its own budget.
    let other = reqwest::Client::new()
        .post(app.url("/api/auth/login-link"))
        .header("x-forwarded-for", "198.51.100.8, 10.1.1.1")
        .json(&json!({ "email": "someone@example.org" }))
        .send()
        .await
        .unwrap();
    assert_eq!(other.status(), StatusCode::ACCEPTED);
}

#[tokio::test]
async fn logout_ends_the_session_and_unknown_cookies_are_not_logged_in() {
    let app = TestApp::spawn().await;
    let session = app.admin("bye@example.org").await;
    session
        .expect(
            Method::POST,
            "/api/auth/logout",
            None,
            StatusCode::NO_CONTENT,
        )
        .await;
    let r = session.send(Method::GET, "/api/me", None).await;
    assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
    let body: Value = r.json().await.unwrap();
    assert_eq!(body["error"]["code"], "not_logged_in");

    let stranger = reqwest::Client::new()
        .get(app.url("/api/me"))
        .header("cookie", format!("mf_session={}", "a".repeat(64)))
        .send()
        .await
        .unwrap();
    assert_eq!(stranger.status(), StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn the_session_cookie_is_httponly_and_samesite() {
    let app = TestApp::spawn().await;
    let link = matchfloor::auth::service::add_admin(&app.state, "c@example.org", None)
        .await
        .unwrap();
    let token = crate::helpers::token_in(&link).unwrap();
    let r = reqwest::Client::new()
        .post(app.url("/api/auth/confirm"))
        .json(&json!({ "token": token }))
        .send()
        .await
        .unwrap();
    let cookie = r
        .headers()
        .get("set-cookie")
        .unwrap()
        .to_str()
        .unwrap()
        .to_string();
    assert!(cookie.starts_with("mf_session="));
    assert!(cookie.contains("HttpOnly"));
    assert!(cookie.contains("SameSite=Lax"));
    assert!(!cookie.contains("Secure"), "plain http in tests");
}

#[tokio::test]
async fn state_changes_need_the_csrf_token_and_a_same_site_origin() {
    let app = TestApp::spawn().await;
    let session = app.admin("csrf@example.org").await;
    let body = json!({ "name": "x", "start_date": "2027-01-01", "timezone": "Europe/Brussels" });

    let no_token = session
        .client
        .post(app.url("/api/events"))
        .json(&body)
        .send()
        .await
        .unwrap();
    assert_eq!(no_token.status(), StatusCode::FORBIDDEN);
    let v: Value = no_token.json().await.unwrap();
    assert_eq!(v["error"]["code"], "csrf_failed");

    let foreign = session
        .client
        .post(app.url("/api/events"))
        .header("x-csrf-token", &session.csrf)
        .header("origin", "https://evil.example")
        .json(&body)
        .send()
        .await
        .unwrap();
    assert_eq!(foreign.status(), StatusCode::FORBIDDEN);

    let events = session.get("/api/events").await;
    assert_eq!(
        events["events"].as_array().unwrap().len(),
        0,
        "nothing was created"
    );
}

#[tokio::test]
async fn the_profile_can_be_edited_and_bad_values_are_named() {
    let app = TestApp::spawn().await;
    let session = app.admin("me@example.org").await;
    let me = session
        .expect(
            Method::PATCH,
            "/api/me",
            Some(json!({ "name": "Mieke Peeters", "organisation": "Stad Gent", "language": "nl" })),
            StatusCode::OK,
        )
        .await;
    assert_eq!(me["organisation"], "Stad Gent");
    assert_eq!(me["language"], "nl");
    let err = session
        .expect(
            Method::PATCH,
            "/api/me",
            Some(json!({ "language": "fr", "name": " " })),
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    let fields: Vec<&str> = err["error"]["details"]["fields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["field"].as_str().unwrap())
        .collect();
    assert!(
        fields.contains(&"language") && fields.contains(&"name"),
        "{err}"
    );
    let person = person::Entity::find()
        .filter(person::Column::Email.eq("me@example.org"))
        .one(&app.state.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        person.name, "Mieke Peeters",
        "a refused change changes nothing"
    );
}

#[tokio::test]
async fn a_login_link_can_bring_someone_back_to_the_page_they_wanted() {
    let app = TestApp::spawn().await;
    app.admin("back@example.org").await;
    let r = reqwest::Client::new()
        .post(app.url("/api/auth/login-link"))
        .json(&json!({ "email": "back@example.org", "next": "/events/abc/setup/grid" }))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::ACCEPTED);
    let mail = &app.wait_for_mails("back@example.org", 1).await[0];
    assert!(
        mail.body.contains("&next=/events/abc/setup/grid"),
        "{}",
        mail.body
    );
    for bad in ["https://evil.example/", "//evil.example", "/x?y=<script>"] {
        let r = reqwest::Client::new()
            .post(app.url("/api/auth/login-link"))
            .json(&json!({ "email": "back@example.org", "next": bad }))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY, "{bad}");
    }
}

#[tokio::test]
async fn a_parallel_burst_cannot_slip_past_the_rate_limit() {
    let app = TestApp::spawn().await;
    let requests = (0..20).map(|_| ask_link(&app, "burst@example.org"));
    let statuses: Vec<StatusCode> = futures_util::future::join_all(requests)
        .await
        .iter()
        .map(|r| r.status())
        .collect();
    let accepted = statuses
        .iter()
        .filter(|s| **s == StatusCode::ACCEPTED)
        .count();
    assert_eq!(accepted, 5, "{statuses:?}");
    assert!(
        statuses
            .iter()
            .all(|s| *s == StatusCode::ACCEPTED || *s == StatusCode::TOO_MANY_REQUESTS)
    );
}

#[tokio::test]
async fn the_session_probe_answers_anonymous_visitors_without_an_error() {
    let app = TestApp::spawn().await;
    // Anonymous, and with a cookie that opens nothing: 200, nobody.
    for cookie in [None, Some("mf_session=0000")] {
        let mut request = reqwest::Client::new().get(app.url("/api/session"));
        if let Some(cookie) = cookie {
            request = request.header("cookie", cookie);
        }
        let r = request.send().await.unwrap();
        assert_eq!(r.status(), StatusCode::OK);
        assert_eq!(r.headers()["cache-control"], "no-store");
        let body: Value = r.json().await.unwrap();
        assert_eq!(body, json!({"authenticated": false, "me": null}));
    }
    // /api/me keeps meaning "the logged-in person": 401 without one.
    let r = reqwest::get(app.url("/api/me")).await.unwrap();
    assert_eq!(r.status(), StatusCode::UNAUTHORIZED);

    // Logged in: the same body as /api/me, CSRF token included.
    let session = app.admin("admin@example.org").await;
    let probe = session.get("/api/session").await;
    assert_eq!(probe["authenticated"], true);
    assert_eq!(probe["me"]["csrf_token"], session.csrf.as_str());
    assert_eq!(probe["me"]["email"], "admin@example.org");
}

/// Asks for a login link as the client `client` behind our proxy (the test server must
/// run with `trust_forwarded_for`).
async fn ask_link_from(app: &TestApp, client: &str, email: &str) -> StatusCode {
    reqwest::Client::new()
        .post(app.url("/api/auth/login-link"))
        .header("x-forwarded-for", client)
        .json(&json!({ "email": email }))
        .send()
        .await
        .unwrap()
        .status()
}

#[tokio::test]
async fn three_hundred_known_attendees_behind_one_address_all_get_links() {
    // Default limits: the venue's Wi-Fi is one client address.
    let app = TestApp::spawn().await;
    let (admin, event) = app.admin_with_event().await;
    let id = event["id"].as_str().unwrap();
    let mut csv = String::from("name,email,role\n");
    for i in 0..300 {
        csv.push_str(&format!("Attendee {i},attendee{i}@example.org,buyer\n"));
    }
    let r = admin
        .csv(&format!("/api/events/{id}/participants/import"), &csv)
        .await;
    assert_eq!(
        r.status(),
        StatusCode::CREATED,
        "{}",
        r.text().await.unwrap()
    );
    for i in 0..300 {
        assert_eq!(
            ask_link(&app, &format!("attendee{i}@example.org"))
                .await
                .status(),
            StatusCode::ACCEPTED,
            "attendee {i}"
        );
    }
    // Each got a login mail besides the invitation; the last one logs in with it.
    let logins = matchfloor::entities::mail_outbox::Entity::find()
        .filter(matchfloor::entities::mail_outbox::Column::BodyText.contains("/login/confirm"))
        .all(&app.state.db)
        .await
        .unwrap()
        .into_iter()
        .filter(|m| !m.subject.to_lowercase().contains("invit"))
        .count();
    assert!(logins >= 300, "{logins} login mails");
    let token = app.wait_for_link("attendee299@example.org", 2).await;
    app.confirm(&token).await;
}

#[tokio::test]
async fn someone_hammering_an_address_neither_floods_nor_locks_out_its_owner() {
    let app = TestApp::spawn_with(&[
        ("MATCHFLOOR__AUTH__TRUST_FORWARDED_FOR", "true"),
        ("MATCHFLOOR__AUTH__LOGIN_MAIL_COOLDOWN_SECONDS", "600"),
    ])
    .await;
    matchfloor::auth::service::add_admin(&app.state, "victim@example.org", None)
        .await
        .unwrap();
    // Six attacking clients, each until it is refused.
    let mut refused = 0;
    for attacker in 0..6 {
        let client = format!("203.0.113.{attacker}");
        for _ in 0..6 {
            if ask_link_from(&app, &client, "victim@example.org").await
                == StatusCode::TOO_MANY_REQUESTS
            {
                refused += 1;
            }
        }
    }
    assert_eq!(refused, 6, "each attacker is stopped after 5 requests");
    // The owner, from their own address, is not refused ...
    assert_eq!(
        ask_link_from(&app, "198.51.100.1", "victim@example.org").await,
        StatusCode::ACCEPTED
    );
    // ... and their mailbox got one link in all, which works: within the cooldown no
    // second mail is sent, the first is still valid.
    app.wait_for_mails("victim@example.org", 1).await;
    let mails = app.mails();
    let to_victim: Vec<_> = mails
        .iter()
        .filter(|m| m.to.contains("victim@example.org"))
        .collect();
    assert_eq!(to_victim.len(), 1, "the mailbox is not flooded");
    let token = to_victim[0].login_token().unwrap();
    let session = app.confirm(&token).await;
    assert_eq!(session.me["email"], "victim@example.org");
}

#[tokio::test]
async fn a_client_probing_unknown_addresses_is_stopped_whatever_it_asks_next() {
    let app = TestApp::spawn_with(&[("MATCHFLOOR__AUTH__RATE_LIMIT_PER_CLIENT", "3")]).await;
    for i in 0..10 {
        matchfloor::auth::service::add_admin(&app.state, &format!("known{i}@example.org"), None)
            .await
            .unwrap();
    }
    // Known addresses do not use up the small budget ...
    for i in 0..10 {
        assert_eq!(
            ask_link(&app, &format!("known{i}@example.org"))
                .await
                .status(),
            StatusCode::ACCEPTED
        );
    }
    // ... addresses nobody has do.
    for i in 0..3 {
        assert_eq!(
            ask_link(&app, &format!("nobody{i}@example.org"))
                .await
                .status(),
            StatusCode::ACCEPTED
        );
    }
    assert_eq!(
        ask_link(&app, "nobody9@example.org").await.status(),
        StatusCode::TOO_MANY_REQUESTS
    );
    // Now a known address is refused too, so the answer tells nothing about the address.
    assert_eq!(
        ask_link(&app, "known0@example.org").await.status(),
        StatusCode::TOO_MANY_REQUESTS
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_parallel_burst_cannot_slip_past_the_per_client_limit() {
    let app = TestApp::spawn_with(&[("MATCHFLOOR__AUTH__RATE_LIMIT_PER_CLIENT", "5")]).await;
    let addresses: Vec<String> = (0..40).map(|i| format!("burst{i}@example.org")).collect();
    let requests = addresses.iter().map(|email| ask_link(&app, email));
    let statuses: Vec<StatusCode> = futures_util::future::join_all(requests)
        .await
        .iter()
        .map(|r| r.status())
        .collect();
    let accepted = statuses
        .iter()
        .filter(|s| **s == StatusCode::ACCEPTED)
        .count();
    assert_eq!(accepted, 5, "{statuses:?}");
    assert!(
        statuses
            .iter()
            .all(|s| *s == StatusCode::ACCEPTED || *s == StatusCode::TOO_MANY_REQUESTS)
    );
}
