//! Login links, sessions and the "who am I" view. No HTTP types here.

use std::sync::atomic::Ordering;

use chrono::{Duration, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter,
    QueryOrder, Set,
};
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

use super::{hash_token, new_token};
use crate::bounds;
use crate::domain::{Email, Lang, Role, Status};
use crate::entities::{
    event, login_request, login_token, organisation, participation, person, session,
};
use crate::error::{AppError, AppResult, FieldError};
use crate::live::{self, Signal};
use crate::mail::templates::{Mail, render};
use crate::organisations::service::{self as organisations, Naming, PendingRequest};
use crate::state::AppState;

pub use crate::domain::LinkPurpose;

/// Creates a single-use link for `person` inside the caller's transaction and returns its URL.
pub async fn issue_link<C: ConnectionTrait>(
    db: &C,
    state: &AppState,
    person_id: Uuid,
    purpose: LinkPurpose,
    event_id: Option<Uuid>,
) -> AppResult<String> {
    let token = issue_token(db, state, person_id, purpose, event_id).await?;
    let mut url = format!("{}/login/confirm#token={token}", state.public_url);
    if let Some(event_id) = event_id {
        url.push_str(&format!("&next=/events/{event_id}"));
    }
    Ok(url)
}

/// Creates the token of a single-use link (what follows `#token=` in its URL) inside the
/// caller's transaction: for a message sent again with a fresh link.
pub async fn issue_token<C: ConnectionTrait>(
    db: &C,
    state: &AppState,
    person_id: Uuid,
    purpose: LinkPurpose,
    event_id: Option<Uuid>,
) -> AppResult<String> {
    let token = new_token();
    let now = Utc::now();
    let ttl = match purpose {
        LinkPurpose::Login => Duration::minutes(state.settings.auth.login_link_minutes),
        LinkPurpose::Invitation => Duration::hours(state.settings.auth.invitation_link_hours),
    };
    login_token::ActiveModel {
        id: Set(Uuid::now_v7()),
        token_hash: Set(hash_token(&token)),
        person_id: Set(person_id),
        event_id: Set(event_id),
        purpose: Set(purpose),
        expires_at: Set(now + ttl),
        used_at: Set(None),
        created_at: Set(now),
    }
    .insert(db)
    .await?;
    Ok(token)
}

/// [`issue_link`] for many people at once, in one statement per few hundred (mass mails
/// such as a published schedule); the links in the order of `people`.
pub async fn issue_links<C: ConnectionTrait>(
    db: &C,
    state: &AppState,
    people: &[Uuid],
    purpose: LinkPurpose,
    event_id: Option<Uuid>,
) -> AppResult<Vec<String>> {
    let now = Utc::now();
    let ttl = match purpose {
        LinkPurpose::Login => Duration::minutes(state.settings.auth.login_link_minutes),
        LinkPurpose::Invitation => Duration::hours(state.settings.auth.invitation_link_hours),
    };
    let mut links = Vec::with_capacity(people.len());
    for chunk in people.chunks(500) {
        let mut rows = Vec::with_capacity(chunk.len());
        for person_id in chunk {
            let token = new_token();
            rows.push(login_token::ActiveModel {
                id: Set(Uuid::now_v7()),
                token_hash: Set(hash_token(&token)),
                person_id: Set(*person_id),
                event_id: Set(event_id),
                purpose: Set(purpose),
                expires_at: Set(now + ttl),
                used_at: Set(None),
                created_at: Set(now),
            });
            let mut url = format!("{}/login/confirm#token={token}", state.public_url);
            if let Some(event_id) = event_id {
                url.push_str(&format!("&next=/events/{event_id}"));
            }
            links.push(url);
        }
        if !rows.is_empty() {
            login_token::Entity::insert_many(rows)
                .exec_without_returning(db)
                .await?;
        }
    }
    Ok(links)
}

/// What a request that may send mail asks for, as far as the login limits care.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Ask {
    /// A login link for an address that belongs to someone.
    KnownAddress,
    /// A login link for an address nobody has: what probing looks like.
    UnknownAddress,
    /// A public registration: it creates people and participations.
    Registration,
}

/// A request the limits let through.
pub(crate) struct Permit {
    id: Uuid,
    /// No login mail went to this address within `auth.login_mail_cooldown_seconds`, so
    /// one may go now. Otherwise the link sent moments ago still works and none is sent.
    pub may_mail: bool,
}

impl Permit {
    /// Records that a mail went out, which starts the address's cooldown.
    pub(crate) async fn mailed<C: ConnectionTrait>(&self, db: &C) -> AppResult<()> {
        login_request::Entity::update_many()
            .col_expr(login_request::Column::Mailed, true.into())
            .filter(login_request::Column::Id.eq(self.id))
            .exec(db)
            .await?;
        Ok(())
    }
}

/// Counts a request that may send mail to `email` on behalf of `client`, or refuses it.
/// The limits (see "Rate limits" in docs/operations.md), each within
/// `auth.rate_limit_window_minutes`:
/// - one client asks for one address at most `rate_limit_per_email` times, so nobody
///   floods a mailbox from one place, while others asking for that address do not use up
///   its owner's budget;
/// - one client makes at most `rate_limit_per_client` costly requests (addresses nobody
///   has, registrations) and `rate_limit_per_client_known` requests in all; a client over
///   either is refused whatever it asks next, so the answer never tells known addresses
///   from unknown ones, and a crowd of known attendees behind one address all get in;
/// - one address gets at most one login mail per `login_mail_cooldown_seconds`, however
///   many clients ask ([`Permit::may_mail`]), so a mailbox is never flooded.
pub(crate) async fn throttle<C: ConnectionTrait>(
    db: &C,
    state: &AppState,
    email: &Email,
    client: &str,
    ask: Ask,
) -> AppResult<Permit> {
    let auth = &state.settings.auth;
    let email_hash = hash_token(email.as_str());
    // Count and record as one step: on PostgreSQL concurrent requests from the same client
    // or for the same address queue on transaction-scoped advisory locks (SQLite
    // transactions are serial already). Always the client first, then the address, so two
    // requests never wait for each other crosswise; the first key keeps the two kinds apart.
    if db.get_database_backend() == sea_orm::DbBackend::Postgres {
        for (kind, key) in [(2, client), (1, email_hash.as_str())] {
            db.execute_raw(sea_orm::Statement::from_sql_and_values(
                sea_orm::DbBackend::Postgres,
                "SELECT pg_advisory_xact_lock($1, hashtext($2))",
                [sea_orm::Value::from(kind), sea_orm::Value::from(key)],
            ))
            .await?;
        }
    }
    let now = Utc::now();
    let since = now - Duration::minutes(auth.rate_limit_window_minutes);
    let recent =
        || login_request::Entity::find().filter(login_request::Column::CreatedAt.gt(since));
    let by_pair = recent()
        .filter(login_request::Column::EmailHash.eq(&email_hash))
        .filter(login_request::Column::ClientIp.eq(client))
        .count(db)
        .await?;
    let by_client = recent()
        .filter(login_request::Column::ClientIp.eq(client))
        .count(db)
        .await?;
    let costly_by_client = recent()
        .filter(login_request::Column::ClientIp.eq(client))
        .filter(login_request::Column::Costly.eq(true))
        .count(db)
        .await?;
    if by_pair >= auth.rate_limit_per_email
        || costly_by_client >= auth.rate_limit_per_client
        || by_client >= auth.rate_limit_per_client_known
    {
        tracing::warn!(client, "login rate limit reached");
        return Err(AppError::RateLimited);
    }
    let cooldown = now - Duration::seconds(auth.login_mail_cooldown_seconds);
    let mailed_recently = auth.login_mail_cooldown_seconds > 0
        && login_request::Entity::find()
            .filter(login_request::Column::EmailHash.eq(&email_hash))
            .filter(login_request::Column::Mailed.eq(true))
            .filter(login_request::Column::CreatedAt.gt(cooldown))
            .count(db)
            .await?
            > 0;
    let id = Uuid::now_v7();
    login_request::ActiveModel {
        id: Set(id),
        email_hash: Set(email_hash),
        client_ip: Set(client.into()),
        created_at: Set(now),
        costly: Set(ask != Ask::KnownAddress),
        mailed: Set(false),
    }
    .insert(db)
    .await?;
    Ok(Permit {
        id,
        may_mail: !mailed_recently,
    })
}

/// Sends a login link when the address belongs to someone; answers the same either way.
pub async fn request_login_link(
    state: &AppState,
    raw_email: &str,
    client: &str,
    event_id: Option<Uuid>,
    next: Option<&str>,
) -> AppResult<()> {
    let email = Email::field(raw_email, "email").map_err(|e| AppError::Validation(vec![e]))?;
    let next = match next.map(str::trim).filter(|n| !n.is_empty()) {
        Some(path) if is_app_path(path) => Some(path),
        Some(_) => {
            return Err(AppError::field(
                "next",
                "invalid_value",
                "a path of this app, starting with /",
            ));
        }
        None => None,
    };
    let auth = &state.settings.auth;
    let txn = crate::db::begin(&state.db).await?;
    let found = person::Entity::find()
        .filter(person::Column::Email.eq(email.as_str()))
        .one(&txn)
        .await?;
    let ask = match found {
        Some(_) => Ask::KnownAddress,
        None => Ask::UnknownAddress,
    };
    let permit = throttle(&txn, state, &email, client, ask).await?;
    if let Some(person) = found.filter(|_| permit.may_mail) {
        let mut link = issue_link(
            &txn,
            state,
            person.id,
            LinkPurpose::Login,
            event_id.filter(|_| next.is_none()),
        )
        .await?;
        if let Some(path) = next {
            link.push_str(&format!("&next={path}"));
        }
        let mail = render(
            Mail::LoginLink {
                link: &link,
                minutes: auth.login_link_minutes,
            },
            (&person).into(),
            None,
        );
        state.mail.enqueue(&txn, mail).await?;
        permit.mailed(&txn).await?;
    }
    txn.commit().await?;
    state.mail.wake();
    state
        .metrics
        .login_links_requested
        .fetch_add(1, Ordering::Relaxed);
    Ok(())
}

/// A path inside this app that is safe to send someone to after login: no other site,
/// no scheme, nothing that needs escaping.
fn is_app_path(path: &str) -> bool {
    path.starts_with('/')
        && !path.starts_with("//")
        && path.len() <= bounds::NEXT_PATH_MAX
        && path
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"/-_.".contains(&b))
}

/// Uses up a login link and opens a session. Returns the session token for the cookie.
pub async fn confirm(state: &AppState, token: &str) -> AppResult<(String, Me)> {
    let invalid = || {
        AppError::coded(
            axum::http::StatusCode::BAD_REQUEST,
            "login_link_invalid",
            "this login link is unknown, already used or expired; ask for a new one",
        )
    };
    let token = token.trim();
    if token.len() != bounds::LOGIN_TOKEN_HEX || !token.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err(invalid());
    }
    let now = Utc::now();
    let hash = hash_token(token);
    let txn = crate::db::begin(&state.db).await?;
    // The conditional update is what makes a link single-use, even under concurrent clicks.
    let used = login_token::Entity::update_many()
        .col_expr(login_token::Column::UsedAt, now.into())
        .filter(login_token::Column::TokenHash.eq(&hash))
        .filter(login_token::Column::UsedAt.is_null())
        .filter(login_token::Column::ExpiresAt.gt(now))
        .exec(&txn)
        .await?;
    if used.rows_affected != 1 {
        return Err(invalid());
    }
    let link = login_token::Entity::find()
        .filter(login_token::Column::TokenHash.eq(&hash))
        .one(&txn)
        .await?
        .ok_or_else(invalid)?;
    if let Some(event_id) = link.event_id {
        // Following a link from an invitation accepts it.
        participation::Entity::update_many()
            .col_expr(
                participation::Column::Status,
                Status::Approved.as_str().into(),
            )
            .col_expr(participation::Column::UpdatedAt, now.into())
            .filter(participation::Column::EventId.eq(event_id))
            .filter(participation::Column::PersonId.eq(link.person_id))
            .filter(participation::Column::Status.eq(Status::Invited))
            .exec(&txn)
            .await?;
    }
    let session_token = new_token();
    let session = session::ActiveModel {
        id: Set(Uuid::now_v7()),
        token_hash: Set(hash_token(&session_token)),
        person_id: Set(link.person_id),
        csrf_token: Set(new_token()),
        expires_at: Set(now + Duration::days(state.settings.auth.session_days)),
        created_at: Set(now),
        last_seen_at: Set(now),
    }
    .insert(&txn)
    .await?;
    let person = person::Entity::find_by_id(link.person_id)
        .one(&txn)
        .await?
        .ok_or_else(invalid)?;
    let me = me(&txn, &person, &session).await?;
    txn.commit().await?;
    state.metrics.logins.fetch_add(1, Ordering::Relaxed);
    Ok((session_token, me))
}

/// A session found for a cookie value.
pub struct Authenticated {
    pub person: person::Model,
    pub session: session::Model,
    /// This request moved the session's expiry on: the cookie should be sent again with
    /// a fresh `Max-Age`.
    pub renewed: bool,
}

/// How long after its last renewal a session is renewed again. A fraction of the lifetime,
/// so an active session never comes near its end while most requests write nothing.
fn renewal_interval(lifetime: Duration) -> Duration {
    lifetime / 24
}

/// Finds the live session for a cookie value and keeps it alive while it is used.
pub async fn authenticate(
    state: &AppState,
    token: &str,
) -> AppResult<Option<(person::Model, session::Model)>> {
    Ok(authenticate_session(state, token)
        .await?
        .map(|found| (found.person, found.session)))
}

/// As [`authenticate`], and says whether the session's lifetime was renewed.
pub async fn authenticate_session(
    state: &AppState,
    token: &str,
) -> AppResult<Option<Authenticated>> {
    if token.len() != 64 {
        return Ok(None);
    }
    let now = Utc::now();
    let found = session::Entity::find()
        .filter(session::Column::TokenHash.eq(hash_token(token)))
        .filter(session::Column::ExpiresAt.gt(now))
        .one(&state.db)
        .await?;
    let Some(mut session) = found else {
        return Ok(None);
    };
    let Some(person) = person::Entity::find_by_id(session.person_id)
        .one(&state.db)
        .await?
    else {
        return Ok(None);
    };
    let lifetime = Duration::days(state.settings.auth.session_days);
    let mut renewed = false;
    if now - session.last_seen_at >= renewal_interval(lifetime) {
        // Conditional on the value read, so of several requests at once only one writes.
        let expires_at = now + lifetime;
        let result = session::Entity::update_many()
            .col_expr(session::Column::LastSeenAt, now.into())
            .col_expr(session::Column::ExpiresAt, expires_at.into())
            .filter(session::Column::Id.eq(session.id))
            .filter(session::Column::LastSeenAt.eq(session.last_seen_at))
            .exec(&state.db)
            .await?;
        if result.rows_affected == 1 {
            renewed = true;
            session.last_seen_at = now;
            session.expires_at = expires_at;
        }
    }
    Ok(Some(Authenticated {
        person,
        session,
        renewed,
    }))
}

pub async fn logout(state: &AppState, session_id: Uuid) -> AppResult<()> {
    let txn = crate::db::begin(&state.db).await?;
    session::Entity::delete_by_id(session_id).exec(&txn).await?;
    // The session's sockets, on every instance, close when this commits.
    let ended = live::signal(&txn, Signal::SessionEnded(session_id)).await?;
    state.live.commit_with(txn, &[], &[ended]).await?;
    Ok(())
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Me {
    pub id: Uuid,
    pub email: String,
    pub name: String,
    pub phone: Option<String>,
    /// The name of the organisation I belong to (a member granted it, an organiser assigned
    /// it, or I founded it).
    pub organisation: Option<String>,
    /// Its id: `/api/organisations/{organisation_id}` lists its members and requests.
    pub organisation_id: Option<Uuid>,
    /// An organisation I asked to join, while a member or organiser has not decided.
    pub organisation_request: Option<PendingRequest>,
    pub job_title: Option<String>,
    pub language: Lang,
    pub is_admin: bool,
    /// Organisers' announcements also by email (else only on the event's pages). Login
    /// links, schedules and changes to my meetings and sessions always come by email.
    pub announcement_emails: bool,
    /// Send this in the `X-CSRF-Token` header with every state-changing request.
    pub csrf_token: String,
    pub participations: Vec<MyParticipation>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct MyParticipation {
    pub event_id: Uuid,
    pub event_name: String,
    pub event_slug: String,
    pub start_date: chrono::NaiveDate,
    pub role: Role,
    pub status: Status,
    /// What to show at the desk on the event day (also in the day-before email).
    pub checkin_code: String,
}

pub async fn me<C: ConnectionTrait>(
    db: &C,
    person: &person::Model,
    session: &session::Model,
) -> AppResult<Me> {
    let organisation = match person.organisation_id {
        Some(id) => organisation::Entity::find_by_id(id)
            .one(db)
            .await?
            .map(|o| o.name),
        None => None,
    };
    let rows = participation::Entity::find()
        .filter(participation::Column::PersonId.eq(person.id))
        .all(db)
        .await?;
    let event_ids: Vec<Uuid> = rows.iter().map(|p| p.event_id).collect();
    let events = event::Entity::find()
        .filter(event::Column::Id.is_in(event_ids))
        .order_by_desc(event::Column::StartDate)
        .all(db)
        .await?;
    let participations = events
        .into_iter()
        .filter_map(|e| {
            let p = rows.iter().find(|p| p.event_id == e.id)?;
            Some(MyParticipation {
                event_id: e.id,
                event_name: e.name,
                event_slug: e.slug,
                start_date: e.start_date,
                role: p.role,
                status: p.status,
                checkin_code: p.checkin_code.clone(),
            })
        })
        .collect();
    Ok(Me {
        id: person.id,
        email: person.email.clone(),
        name: person.name.clone(),
        phone: person.phone.clone(),
        organisation,
        organisation_id: person.organisation_id,
        organisation_request: organisations::pending_request_of(db, person.id).await?,
        job_title: person.job_title.clone(),
        language: person.language,
        is_admin: person.is_admin,
        announcement_emails: crate::auth::preferences::announcement_emails(db, person.id).await?,
        csrf_token: session.csrf_token.clone(),
        participations,
    })
}

pub struct ProfileChange<'a> {
    pub name: Option<&'a str>,
    pub phone: Option<&'a str>,
    pub organisation: Option<&'a str>,
    pub job_title: Option<&'a str>,
    pub language: Option<&'a str>,
    pub announcement_emails: Option<bool>,
}

async fn find_person<C: ConnectionTrait>(db: &C, id: Uuid) -> AppResult<person::Model> {
    person::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound("person"))
}

pub async fn update_profile(
    state: &AppState,
    person: person::Model,
    change: ProfileChange<'_>,
) -> AppResult<person::Model> {
    let mut errors: Vec<FieldError> = Vec::new();
    let txn = crate::db::begin(&state.db).await?;
    let person_id = person.id;
    let mut active: person::ActiveModel = person.into();
    if let Some(name) = change.name {
        active.name = Set(crate::domain::required_text(
            name,
            "name",
            bounds::PERSON_NAME_MAX,
            &mut errors,
        ));
    }
    if let Some(phone) = change.phone {
        active.phone = Set(crate::domain::optional_text(
            Some(phone),
            "phone",
            bounds::PHONE_MAX,
            &mut errors,
        ));
    }
    if let Some(job) = change.job_title {
        active.job_title = Set(crate::domain::optional_text(
            Some(job),
            "job_title",
            bounds::JOB_TITLE_MAX,
            &mut errors,
        ));
    }
    if let Some(lang) = change.language {
        match Lang::parse(lang) {
            Some(l) => active.language = Set(l),
            None => errors.push(FieldError::new(
                "language",
                "unknown_language",
                "choose nl or en",
            )),
        }
    }
    let organisation = change.organisation.map(|org| {
        crate::domain::optional_text(
            Some(org),
            "organisation",
            bounds::ORGANISATION_NAME_MAX,
            &mut errors,
        )
    });
    if !errors.is_empty() {
        return Err(AppError::Validation(errors));
    }
    active.updated_at = Set(Utc::now());
    active.update(&txn).await?;
    if let Some(on) = change.announcement_emails {
        crate::auth::preferences::set_announcement_emails(&txn, person_id, on).await?;
    }
    // Naming an organisation joins it only when it is new; an existing one gets a request
    // that its members or an organiser decide (docs/decisions.md, "Membership by grant").
    match organisation {
        Some(Some(name)) => {
            let person = find_person(&txn, person_id).await?;
            let naming = Naming {
                by: person_id,
                event_id: None,
            };
            let outcome =
                organisations::name_organisation(&txn, &person, &name, naming, None).await?;
            if outcome == organisations::Outcome::Requested {
                organisations::notify_members(&txn, state, &person, &name).await?;
            }
        }
        Some(None) => organisations::leave(&txn, person_id, person_id).await?,
        None => {}
    }
    let person = find_person(&txn, person_id).await?;
    txn.commit().await?;
    state.mail.wake();
    Ok(person)
}

/// Makes someone a platform administrator (creating the person if needed) and returns a
/// login link for them; used by `matchfloor admin add`.
pub async fn add_admin(state: &AppState, raw_email: &str, name: Option<&str>) -> AppResult<String> {
    let email = Email::field(raw_email, "email").map_err(|e| AppError::Validation(vec![e]))?;
    let txn = crate::db::begin(&state.db).await?;
    let now = Utc::now();
    let person = match person::Entity::find()
        .filter(person::Column::Email.eq(email.as_str()))
        .one(&txn)
        .await?
    {
        Some(p) => {
            let mut active: person::ActiveModel = p.into();
            active.is_admin = Set(true);
            active.updated_at = Set(now);
            active.update(&txn).await?
        }
        None => {
            let default_name = email
                .as_str()
                .split('@')
                .next()
                .unwrap_or("admin")
                .to_string();
            person::ActiveModel {
                id: Set(Uuid::now_v7()),
                email: Set(email.as_str().into()),
                name: Set(name.map(str::to_string).unwrap_or(default_name)),
                phone: Set(None),
                organisation_id: Set(None),
                job_title: Set(None),
                language: Set(Lang::En),
                is_admin: Set(true),
                created_at: Set(now),
                updated_at: Set(now),
            }
            .insert(&txn)
            .await?
        }
    };
    let link = issue_link(&txn, state, person.id, LinkPurpose::Login, None).await?;
    txn.commit().await?;
    Ok(link)
}

pub async fn remove_admin(state: &AppState, raw_email: &str) -> AppResult<bool> {
    let email = Email::field(raw_email, "email").map_err(|e| AppError::Validation(vec![e]))?;
    let txn = crate::db::begin(&state.db).await?;
    let Some(person) = person::Entity::find()
        .filter(person::Column::Email.eq(email.as_str()))
        .one(&txn)
        .await?
    else {
        return Ok(false);
    };
    person::Entity::update_many()
        .col_expr(person::Column::IsAdmin, false.into())
        .filter(person::Column::Id.eq(person.id))
        .exec(&txn)
        .await?;
    // Their open sockets were opened with an administrator's view of the event.
    let changed = live::signal(&txn, Signal::PersonChanged(person.id)).await?;
    state.live.commit_with(txn, &[], &[changed]).await?;
    Ok(true)
}

pub async fn list_admins(state: &AppState) -> AppResult<Vec<person::Model>> {
    Ok(person::Entity::find()
        .filter(person::Column::IsAdmin.eq(true))
        .order_by_asc(person::Column::Email)
        .all(&state.db)
        .await?)
}
