//! Participants: inviting, approving, registering. Every email goes through the outbox in
//! the same transaction as the change that causes it.

use chrono::Utc;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseTransaction, EntityTrait, QueryFilter,
    QueryOrder, Set, TryInsertResult,
};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use crate::auth::service::{LinkPurpose, issue_link};
use crate::bounds;
use crate::domain::{Appointment, Email, Lang, Role, Status, optional_text, required_text};
use crate::entities::{event, organisation, organiser_appointment, participation, person};
use crate::error::{AppError, AppResult, FieldError};
use crate::events::access;
use crate::live::{self, Signal};
use crate::mail::templates::{Mail, To, render};
use crate::organisations::service::{self as organisations, Batch, Naming};
use crate::state::AppState;

#[derive(Debug, Serialize, ToSchema)]
pub struct ParticipantView {
    /// The participation's id (use it in /participants/{participant_id}).
    pub id: Uuid,
    pub person_id: Uuid,
    pub name: String,
    pub email: String,
    pub phone: Option<String>,
    pub organisation: Option<String>,
    pub organisation_id: Option<Uuid>,
    /// An organisation this person asked to join, waiting for a member or an organiser
    /// (`/api/events/{event_id}/organisation-requests`).
    pub requested_organisation: Option<String>,
    pub job_title: Option<String>,
    pub language: Lang,
    pub role: Role,
    pub status: Status,
    pub created_at: chrono::DateTime<Utc>,
}

/// A person as typed in a form or a CSV row, checked.
#[derive(Debug, Clone)]
pub struct PersonFields {
    pub name: String,
    pub email: Email,
    pub organisation: Option<String>,
    pub job_title: Option<String>,
    pub phone: Option<String>,
    pub language: Lang,
}

#[derive(Debug, Default, Deserialize, ToSchema)]
pub struct PersonInput {
    pub name: String,
    pub email: String,
    pub organisation: Option<String>,
    pub job_title: Option<String>,
    pub phone: Option<String>,
    /// `nl` or `en`; defaults to the event's first language.
    pub language: Option<String>,
}

impl PersonInput {
    pub fn check(&self, default_lang: Lang, errors: &mut Vec<FieldError>) -> Option<PersonFields> {
        let name = required_text(&self.name, "name", bounds::PERSON_NAME_MAX, errors);
        let email = Email::field(&self.email, "email")
            .map_err(|e| errors.push(e))
            .ok();
        let organisation = optional_text(
            self.organisation.as_deref(),
            "organisation",
            bounds::ORGANISATION_NAME_MAX,
            errors,
        );
        let job_title = optional_text(
            self.job_title.as_deref(),
            "job_title",
            bounds::JOB_TITLE_MAX,
            errors,
        );
        let phone = optional_text(self.phone.as_deref(), "phone", bounds::PHONE_MAX, errors);
        let language = match self
            .language
            .as_deref()
            .map(str::trim)
            .filter(|l| !l.is_empty())
        {
            None => Some(default_lang),
            Some(l) => {
                let parsed = Lang::parse(l);
                if parsed.is_none() {
                    errors.push(FieldError::new(
                        "language",
                        "unknown_language",
                        "choose nl or en",
                    ));
                }
                parsed
            }
        };
        Some(PersonFields {
            name,
            email: email?,
            organisation,
            job_title,
            phone,
            language: language?,
        })
    }
}

pub fn event_default_lang(event: &event::Model) -> Lang {
    event.languages.first()
}

/// Finds the person by email or creates them; says whether they are new. An existing
/// person keeps their own details; with `fill_empty` (an organiser typed them) their empty
/// fields are filled in. The organisation is not set here: see [`name_typed_organisation`].
/// Safe when several requests bring the same new address at once: the insert yields to the
/// row another transaction is committing (`ON CONFLICT DO NOTHING`) and that row is used.
pub async fn find_or_create_person<C: ConnectionTrait>(
    db: &C,
    fields: &PersonFields,
    fill_empty: bool,
) -> AppResult<(person::Model, bool)> {
    let now = Utc::now();
    let find = || {
        person::Entity::find()
            .filter(person::Column::Email.eq(fields.email.as_str()))
            .one(db)
    };
    let existing = match find().await? {
        Some(existing) => existing,
        None => {
            let inserted = person::Entity::insert(person::ActiveModel {
                id: Set(Uuid::now_v7()),
                email: Set(fields.email.as_str().into()),
                name: Set(fields.name.clone()),
                phone: Set(fields.phone.clone()),
                organisation_id: Set(None),
                job_title: Set(fields.job_title.clone()),
                language: Set(fields.language),
                is_admin: Set(false),
                created_at: Set(now),
                updated_at: Set(now),
            })
            .on_conflict_do_nothing_on([person::Column::Email])
            .exec_without_returning(db)
            .await?;
            let found = find().await?.ok_or_else(|| {
                anyhow::anyhow!("a person was neither inserted nor found by email")
            })?;
            if matches!(inserted, TryInsertResult::Inserted(rows) if rows > 0) {
                return Ok((found, true));
            }
            found
        }
    };
    if !fill_empty {
        return Ok((existing, false));
    }
    let mut active: person::ActiveModel = existing.clone().into();
    let mut changed = false;
    if existing.job_title.is_none() && fields.job_title.is_some() {
        active.job_title = Set(fields.job_title.clone());
        changed = true;
    }
    if existing.phone.is_none() && fields.phone.is_some() {
        active.phone = Set(fields.phone.clone());
        changed = true;
    }
    if !changed {
        return Ok((existing, false));
    }
    active.updated_at = Set(now);
    Ok((active.update(db).await?, false))
}

/// The organisation typed in a form or a CSV row, for a person without one: a new name
/// founds it with them as its first member, an existing one becomes a request that a
/// member or an organiser decides. Typing a name never gives access by itself.
pub async fn name_typed_organisation(
    txn: &DatabaseTransaction,
    state: &AppState,
    person: &person::Model,
    fields: &PersonFields,
    naming: Naming,
    batch: Option<&mut Batch>,
) -> AppResult<()> {
    if person.organisation_id.is_some() {
        return Ok(());
    }
    if let Some(name) = fields.organisation.as_deref() {
        let outcome = organisations::name_organisation(txn, person, name, naming, batch).await?;
        if outcome == organisations::Outcome::Requested {
            organisations::notify_members(txn, state, person, name).await?;
        }
    }
    Ok(())
}

/// Records that `by` made `person_id` an organiser of the event (docs/decisions.md).
pub(crate) async fn record_appointment<C: ConnectionTrait>(
    db: &C,
    event_id: Uuid,
    person_id: Uuid,
    by: &person::Model,
    how: Appointment,
) -> AppResult<()> {
    organiser_appointment::ActiveModel {
        id: Set(Uuid::now_v7()),
        event_id: Set(event_id),
        person_id: Set(person_id),
        appointed_by: Set(Some(by.id)),
        how: Set(how),
        appointed_at: Set(Utc::now()),
    }
    .insert(db)
    .await?;
    tracing::info!(%event_id, person = %person_id, by = %by.id, ?how, "organiser appointed");
    Ok(())
}

async fn view<C: ConnectionTrait>(db: &C, p: participation::Model) -> AppResult<ParticipantView> {
    let person = person::Entity::find_by_id(p.person_id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound("person"))?;
    let organisation = match person.organisation_id {
        Some(id) => organisation::Entity::find_by_id(id)
            .one(db)
            .await?
            .map(|o| o.name),
        None => None,
    };
    let requested = organisations::pending_request_of(db, person.id)
        .await?
        .map(|r| r.organisation_name);
    Ok(to_view(p, person, organisation, requested))
}

fn to_view(
    p: participation::Model,
    person: person::Model,
    organisation: Option<String>,
    requested_organisation: Option<String>,
) -> ParticipantView {
    ParticipantView {
        id: p.id,
        person_id: person.id,
        name: person.name,
        email: person.email,
        phone: person.phone,
        organisation,
        organisation_id: person.organisation_id,
        requested_organisation,
        job_title: person.job_title,
        language: person.language,
        role: p.role,
        status: p.status,
        created_at: p.created_at,
    }
}

#[derive(Debug, Default, Deserialize, ToSchema, utoipa::IntoParams)]
pub struct ParticipantFilter {
    pub role: Option<Role>,
    pub status: Option<Status>,
    /// Matches name, email or organisation.
    pub q: Option<String>,
}

pub async fn list(
    state: &AppState,
    by: &person::Model,
    event_id: Uuid,
    filter: ParticipantFilter,
) -> AppResult<Vec<ParticipantView>> {
    access::organiser(&state.db, by, event_id).await?;
    let mut query =
        participation::Entity::find().filter(participation::Column::EventId.eq(event_id));
    if let Some(role) = filter.role {
        query = query.filter(participation::Column::Role.eq(role));
    }
    if let Some(status) = filter.status {
        query = query.filter(participation::Column::Status.eq(status));
    }
    let rows = query.all(&state.db).await?;
    let people = person::Entity::find()
        .filter(person::Column::Id.is_in(rows.iter().map(|r| r.person_id)))
        .all(&state.db)
        .await?;
    let requests =
        organisations::pending_requests_of(&state.db, people.iter().map(|p| p.id)).await?;
    let orgs = organisation::Entity::find()
        .filter(
            organisation::Column::Id.is_in(
                people
                    .iter()
                    .filter_map(|p| p.organisation_id)
                    .chain(requests.iter().map(|r| r.organisation_id)),
            ),
        )
        .all(&state.db)
        .await?;
    let needle = filter
        .q
        .as_deref()
        .map(|q| q.trim().to_lowercase())
        .filter(|q| !q.is_empty());
    let mut out: Vec<ParticipantView> = rows
        .into_iter()
        .filter_map(|row| {
            let person = people.iter().find(|p| p.id == row.person_id)?.clone();
            let org = person
                .organisation_id
                .and_then(|id| orgs.iter().find(|o| o.id == id))
                .map(|o| o.name.clone());
            let requested = requests
                .iter()
                .find(|r| r.person_id == person.id)
                .and_then(|r| orgs.iter().find(|o| o.id == r.organisation_id))
                .map(|o| o.name.clone());
            Some(to_view(row, person, org, requested))
        })
        .filter(|v| match &needle {
            None => true,
            Some(q) => {
                v.name.to_lowercase().contains(q)
                    || v.email.contains(q)
                    || v.organisation
                        .as_deref()
                        .is_some_and(|o| o.to_lowercase().contains(q))
            }
        })
        .collect();
    out.sort_by(|a, b| {
        a.role
            .cmp(&b.role)
            .then_with(|| a.name.to_lowercase().cmp(&b.name.to_lowercase()))
    });
    Ok(out)
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct InviteInput {
    #[serde(flatten)]
    pub person: PersonInput,
    pub role: Role,
    /// Send the invitation email now (default true).
    pub send_invitation: Option<bool>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct AppointmentView {
    pub person_id: Uuid,
    pub name: String,
    /// Who appointed them; none for organisers recorded when appointments began to be kept.
    pub appointed_by: Option<String>,
    pub how: Appointment,
    pub appointed_at: chrono::DateTime<Utc>,
}

/// Every organiser appointment of the event, oldest first (organisers).
pub async fn appointments(
    state: &AppState,
    by: &person::Model,
    event_id: Uuid,
) -> AppResult<Vec<AppointmentView>> {
    access::organiser(&state.db, by, event_id).await?;
    let rows = organiser_appointment::Entity::find()
        .filter(organiser_appointment::Column::EventId.eq(event_id))
        .order_by_asc(organiser_appointment::Column::AppointedAt)
        .all(&state.db)
        .await?;
    let people = person::Entity::find()
        .filter(
            person::Column::Id.is_in(
                rows.iter()
                    .flat_map(|r| std::iter::once(r.person_id).chain(r.appointed_by)),
            ),
        )
        .all(&state.db)
        .await?;
    let name = |id: Uuid| people.iter().find(|p| p.id == id).map(|p| p.name.clone());
    Ok(rows
        .into_iter()
        .map(|r| AppointmentView {
            person_id: r.person_id,
            name: name(r.person_id).unwrap_or_default(),
            appointed_by: r.appointed_by.and_then(name),
            how: r.how,
            appointed_at: r.appointed_at,
        })
        .collect())
}

/// Who invites, and as part of what: one invitation, or a row of an import (whose rows may
/// found an organisation together).
pub(crate) struct Inviter<'a> {
    pub by: &'a person::Model,
    pub how: Appointment,
    pub batch: Option<&'a mut Batch>,
}

/// Adds a participant with status `invited`, and queues the invitation with a login link.
pub(crate) async fn add_invited(
    txn: &DatabaseTransaction,
    state: &AppState,
    event: &event::Model,
    fields: &PersonFields,
    role: Role,
    send: bool,
    inviter: Inviter<'_>,
) -> AppResult<participation::Model> {
    let (person, _) = find_or_create_person(txn, fields, true).await?;
    let naming = Naming {
        by: inviter.by.id,
        event_id: Some(event.id),
    };
    name_typed_organisation(txn, state, &person, fields, naming, inviter.batch).await?;
    let now = Utc::now();
    let row = participation::ActiveModel {
        id: Set(Uuid::now_v7()),
        event_id: Set(event.id),
        person_id: Set(person.id),
        role: Set(role),
        status: Set(Status::Invited),
        checkin_code: Set(super::checkin::unused_code(txn, event.id).await?),
        day_before_sent_at: Set(None),
        created_at: Set(now),
        updated_at: Set(now),
    }
    .insert(txn)
    .await
    .map_err(|e| {
        crate::error::on_unique(e, "email", "this person already takes part in the event")
    })?;
    if role == Role::Organiser {
        record_appointment(txn, event.id, person.id, inviter.by, inviter.how).await?;
    }
    if send {
        queue_invitation(txn, state, event, &person, role).await?;
    }
    Ok(row)
}

async fn queue_invitation(
    txn: &DatabaseTransaction,
    state: &AppState,
    event: &event::Model,
    person: &person::Model,
    role: Role,
) -> AppResult<()> {
    let link = issue_link(
        txn,
        state,
        person.id,
        LinkPurpose::Invitation,
        Some(event.id),
    )
    .await?;
    let mail = render(
        Mail::Invitation {
            event: &event.name,
            role,
            link: &link,
            hours: state.settings.auth.invitation_link_hours,
        },
        person.into(),
        Some(event),
    );
    state.mail.enqueue(txn, mail).await?;
    Ok(())
}

pub async fn invite(
    state: &AppState,
    by: &person::Model,
    event_id: Uuid,
    input: InviteInput,
) -> AppResult<ParticipantView> {
    let txn = crate::db::begin(&state.db).await?;
    let event = access::organiser(&txn, by, event_id).await?.event;
    let mut errors = Vec::new();
    let fields = input.person.check(event_default_lang(&event), &mut errors);
    let Some(fields) = fields.filter(|_| errors.is_empty()) else {
        return Err(AppError::Validation(errors));
    };
    let row = add_invited(
        &txn,
        state,
        &event,
        &fields,
        input.role,
        input.send_invitation.unwrap_or(true),
        Inviter {
            by,
            how: Appointment::Invitation,
            batch: None,
        },
    )
    .await?;
    let view = view(&txn, row).await?;
    txn.commit().await?;
    state.mail.wake();
    Ok(view)
}

pub async fn resend_invitation(
    state: &AppState,
    by: &person::Model,
    event_id: Uuid,
    participant_id: Uuid,
) -> AppResult<()> {
    let txn = crate::db::begin(&state.db).await?;
    let event = access::organiser(&txn, by, event_id).await?.event;
    let row = find(&txn, event_id, participant_id).await?;
    // Someone who registered and waits for approval may get the invitation as well.
    if matches!(row.status, Status::Declined | Status::Cancelled) {
        return Err(AppError::conflict(
            "this participant was declined or cancelled; change the status first",
        ));
    }
    let person = person::Entity::find_by_id(row.person_id)
        .one(&txn)
        .await?
        .ok_or(AppError::NotFound("person"))?;
    queue_invitation(&txn, state, &event, &person, row.role).await?;
    txn.commit().await?;
    state.mail.wake();
    Ok(())
}

async fn find<C: ConnectionTrait>(
    db: &C,
    event_id: Uuid,
    participant_id: Uuid,
) -> AppResult<participation::Model> {
    crate::events::find_in_event::<participation::Entity, _>(
        db,
        (participation::Column::Id, participation::Column::EventId),
        event_id,
        participant_id,
        "participant",
    )
    .await
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ParticipantChange {
    pub status: Option<Status>,
    pub role: Option<Role>,
    /// With `status: declined`: a few words for the person, in the email that tells them.
    pub reason: Option<String>,
}

/// Approves, declines or cancels a participant, or changes their role. Approving someone
/// who registered sends them a confirmation; declining someone tells them (with the
/// organiser's reason, when given).
pub async fn update(
    state: &AppState,
    by: &person::Model,
    event_id: Uuid,
    participant_id: Uuid,
    change: ParticipantChange,
) -> AppResult<ParticipantView> {
    let mut errors = Vec::new();
    let reason = crate::domain::optional_multiline_text(
        change.reason.as_deref(),
        "reason",
        bounds::PARTICIPATION_DECLINE_REASON_MAX,
        &mut errors,
    );
    if reason.is_some() && change.status != Some(Status::Declined) {
        errors.push(FieldError::new(
            "reason",
            "only_when_declining",
            "a reason goes with status declined only",
        ));
    }
    if !errors.is_empty() {
        return Err(AppError::Validation(errors));
    }
    let txn = crate::db::begin(&state.db).await?;
    let access = access::organiser(&txn, by, event_id).await?;
    let row = find(&txn, event_id, participant_id).await?;
    if row.person_id == by.id && !by.is_admin {
        return Err(AppError::Forbidden(
            "ask another organiser to change your own role or status".into(),
        ));
    }
    let before = row.status;
    let role_before = row.role;
    let mut active: participation::ActiveModel = row.clone().into();
    if let Some(status) = change.status {
        active.status = Set(status);
    }
    if let Some(role) = change.role {
        active.role = Set(role);
    }
    active.updated_at = Set(Utc::now());
    let row = active.update(&txn).await?;
    if change.role == Some(Role::Organiser) && role_before != Role::Organiser {
        record_appointment(&txn, event_id, row.person_id, by, Appointment::RoleChange).await?;
    }
    if change.status == Some(Status::Approved) && before == Status::Registered {
        let person = person::Entity::find_by_id(row.person_id)
            .one(&txn)
            .await?
            .ok_or(AppError::NotFound("person"))?;
        let link = issue_link(
            &txn,
            state,
            person.id,
            LinkPurpose::Invitation,
            Some(event_id),
        )
        .await?;
        let mail = render(
            Mail::Approved {
                event: &access.event.name,
                role: row.role,
                link: &link,
                minutes: state.settings.auth.invitation_link_hours * 60,
            },
            (&person).into(),
            Some(&access.event),
        );
        state.mail.enqueue(&txn, mail).await?;
    }
    if change.status == Some(Status::Declined) && before != Status::Declined {
        let person = person::Entity::find_by_id(row.person_id)
            .one(&txn)
            .await?
            .ok_or(AppError::NotFound("person"))?;
        // They may still look at their registration (and its status) with this link.
        let link = issue_link(
            &txn,
            state,
            person.id,
            LinkPurpose::Invitation,
            Some(event_id),
        )
        .await?;
        let mail = render(
            Mail::RegistrationDeclined {
                event: &access.event.name,
                reason: reason.as_deref(),
                link: &link,
                minutes: state.settings.auth.invitation_link_hours * 60,
            },
            To::from(&person),
            Some(&access.event),
        );
        state.mail.enqueue(&txn, mail).await?;
    }
    // Someone who no longer takes part gives up their seats in the programme (the
    // waitlists move up) and their open meeting requests (the other sides are told), in
    // this same transaction.
    // (Requests and counters are changed before the seats, and both are published last:
    // the lock order of every other transaction.)
    let mut messages = Vec::new();
    if before.is_active() && !row.status.is_active() {
        let released = crate::meetings::leaving::release_participant(&txn, event_id, &row).await?;
        (messages, _) =
            crate::programme::signup::release_person(&txn, state, &access.event, row.person_id)
                .await?;
        let (told, _) = released.tell(&txn, state, &access.event, &row).await?;
        messages.extend(told);
    }
    let view = view(&txn, row).await?;
    // Open sockets carry the old role and status: close them (a new role reconnects).
    let mut signals = Vec::new();
    if !view.status.is_active() || view.role != role_before {
        let person = view.person_id;
        signals.push(
            live::signal(
                &txn,
                Signal::AccessChanged {
                    event: event_id,
                    person,
                },
            )
            .await?,
        );
    }
    state.live.commit_with(txn, &messages, &signals).await?;
    state.mail.wake();
    Ok(view)
}

// ---- public registration ----

#[derive(Debug, Serialize, ToSchema)]
pub struct PublicEvent {
    pub id: Uuid,
    pub slug: String,
    pub name: String,
    pub description_nl: String,
    pub description_en: String,
    pub venue: String,
    pub start_date: chrono::NaiveDate,
    pub end_date: chrono::NaiveDate,
    pub timezone: String,
    pub languages: Vec<Lang>,
    pub registration_open: bool,
    pub supplier_approval_required: bool,
    pub catalogue_public: bool,
}

async fn event_by_slug<C: ConnectionTrait>(db: &C, slug: &str) -> AppResult<event::Model> {
    event::Entity::find()
        .filter(event::Column::Slug.eq(slug))
        .one(db)
        .await?
        .ok_or(AppError::NotFound("event"))
}

pub async fn public_event(state: &AppState, slug: &str) -> AppResult<PublicEvent> {
    Ok(public_view(event_by_slug(&state.db, slug).await?))
}

fn public_view(e: event::Model) -> PublicEvent {
    PublicEvent {
        id: e.id,
        slug: e.slug,
        name: e.name,
        description_nl: e.description_nl,
        description_en: e.description_en,
        venue: e.venue,
        start_date: e.start_date,
        end_date: e.end_date,
        timezone: e.timezone,
        languages: e.languages.to_vec(),
        registration_open: e.registration_open,
        supplier_approval_required: e.supplier_approval_required,
        catalogue_public: e.catalogue_public,
    }
}

/// One's own registration for an event, whatever its status.
#[derive(Debug, Serialize, ToSchema)]
pub struct MyRegistration {
    pub event: PublicEvent,
    pub role: Role,
    pub status: Status,
    /// True while an organiser still has to approve it; until then the event shows nothing
    /// else to this person.
    pub awaiting_approval: bool,
}

/// What a person may always see of an event they signed up for: their own registration,
/// also while it waits for approval (or was declined). Anyone else: "not found".
pub async fn my_registration(
    state: &AppState,
    by: &person::Model,
    event_id: Uuid,
) -> AppResult<MyRegistration> {
    let row = participation::Entity::find()
        .filter(participation::Column::EventId.eq(event_id))
        .filter(participation::Column::PersonId.eq(by.id))
        .one(&state.db)
        .await?
        .ok_or(AppError::NotFound("registration"))?;
    let event = event::Entity::find_by_id(event_id)
        .one(&state.db)
        .await?
        .ok_or(AppError::NotFound("registration"))?;
    let status = row.status;
    let role = row.role;
    Ok(MyRegistration {
        event: public_view(event),
        role,
        status,
        awaiting_approval: status == Status::Registered,
    })
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct RegistrationInput {
    #[serde(flatten)]
    pub person: PersonInput,
    /// `buyer` or `supplier`.
    pub role: Role,
}

/// Registers someone as buyer or supplier. The answer never reveals whether the address
/// was known: someone already registered gets an email saying so instead.
pub async fn register(
    state: &AppState,
    slug: &str,
    input: RegistrationInput,
    client: &str,
) -> AppResult<()> {
    let txn = crate::db::begin(&state.db).await?;
    let event = event_by_slug(&txn, slug).await?;
    if !event.registration_open {
        return Err(AppError::coded(
            axum::http::StatusCode::FORBIDDEN,
            "registration_closed",
            "registration for this event is closed",
        ));
    }
    let mut errors = Vec::new();
    if !matches!(input.role, Role::Buyer | Role::Supplier) {
        errors.push(FieldError::new(
            "role",
            "unknown_role",
            "register as buyer or supplier",
        ));
    }
    if input
        .person
        .organisation
        .as_deref()
        .is_none_or(|o| o.trim().is_empty())
    {
        errors.push(FieldError::new(
            "organisation",
            "required",
            "which organisation do you represent?",
        ));
    }
    let fields = input.person.check(event_default_lang(&event), &mut errors);
    let Some(fields) = fields.filter(|_| errors.is_empty()) else {
        return Err(AppError::Validation(errors));
    };
    let permit = crate::auth::service::throttle(
        &txn,
        state,
        &fields.email,
        client,
        crate::auth::service::Ask::Registration,
    )
    .await?;
    // Nobody may change someone else's details by registering their address.
    let (person, created) = find_or_create_person(&txn, &fields, false).await?;
    if created {
        let naming = Naming {
            by: person.id,
            event_id: Some(event.id),
        };
        name_typed_organisation(&txn, state, &person, &fields, naming, None).await?;
    }
    let existing = participation::Entity::find()
        .filter(participation::Column::EventId.eq(event.id))
        .filter(participation::Column::PersonId.eq(person.id))
        .one(&txn)
        .await?;
    let lang = fields.language;
    let minutes = state.settings.auth.invitation_link_hours * 60;
    let mut needs_approval = input.role == Role::Supplier && event.supplier_approval_required;
    let status = if needs_approval {
        Status::Registered
    } else {
        Status::Approved
    };
    let now = Utc::now();
    // Someone already registered only gets a notice with a login link, which waits out the
    // address's mail cooldown like any login link; a new registration is always confirmed.
    let notice_only = existing
        .as_ref()
        .is_some_and(|row| row.status != Status::Cancelled);
    let mail = match existing {
        Some(row) if row.status != Status::Cancelled => {
            let link =
                issue_link(&txn, state, person.id, LinkPurpose::Login, Some(event.id)).await?;
            render(
                Mail::AlreadyRegistered {
                    event: &event.name,
                    link: &link,
                    minutes: state.settings.auth.login_link_minutes,
                },
                To {
                    lang,
                    ..To::from(&person)
                },
                Some(&event),
            )
        }
        existing => {
            match existing {
                Some(row) => {
                    // A cancelled participation comes back only through the organisers.
                    needs_approval = true;
                    let mut active: participation::ActiveModel = row.into();
                    active.role = Set(input.role);
                    active.status = Set(Status::Registered);
                    active.updated_at = Set(now);
                    active.update(&txn).await?;
                }
                None => {
                    participation::ActiveModel {
                        id: Set(Uuid::now_v7()),
                        event_id: Set(event.id),
                        person_id: Set(person.id),
                        role: Set(input.role),
                        status: Set(status),
                        checkin_code: Set(super::checkin::unused_code(&txn, event.id).await?),
                        day_before_sent_at: Set(None),
                        created_at: Set(now),
                        updated_at: Set(now),
                    }
                    .insert(&txn)
                    .await
                    .map_err(|e| crate::error::on_unique(e, "email", "already registered"))?;
                }
            }
            let link = issue_link(
                &txn,
                state,
                person.id,
                LinkPurpose::Invitation,
                Some(event.id),
            )
            .await?;
            render(
                Mail::Registered {
                    event: &event.name,
                    role: input.role,
                    needs_approval,
                    link: &link,
                    minutes,
                },
                To {
                    lang,
                    ..To::from(&person)
                },
                Some(&event),
            )
        }
    };
    if permit.may_mail || !notice_only {
        state.mail.enqueue(&txn, mail).await?;
        permit.mailed(&txn).await?;
    }
    txn.commit().await?;
    state.mail.wake();
    Ok(())
}

/// The people with these ids, and the names of their organisations, each keyed by id:
/// for lists that show who someone is (a session's sign-ups, the other side of a meeting
/// request).
pub async fn people_and_organisations<C: ConnectionTrait>(
    db: &C,
    ids: impl IntoIterator<Item = Uuid>,
) -> AppResult<(
    std::collections::HashMap<Uuid, person::Model>,
    std::collections::HashMap<Uuid, String>,
)> {
    let people: std::collections::HashMap<Uuid, person::Model> = person::Entity::find()
        .filter(person::Column::Id.is_in(ids))
        .all(db)
        .await?
        .into_iter()
        .map(|p| (p.id, p))
        .collect();
    let organisations = organisation::Entity::find()
        .filter(organisation::Column::Id.is_in(people.values().filter_map(|p| p.organisation_id)))
        .all(db)
        .await?
        .into_iter()
        .map(|o| (o.id, o.name))
        .collect();
    Ok((people, organisations))
}
