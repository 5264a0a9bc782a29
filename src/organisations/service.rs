//! Membership rules and their transactions. No HTTP types here.
//!
//! `person.organisation_id` says which organisation someone belongs to (one at a time, as
//! the catalogue and the participant lists expect) and is written only here, in the same
//! transaction as the `organisation_grant` row that records who granted it, how and when.

use std::collections::HashSet;

use chrono::Utc;
use sea_orm::sea_query::{Query, SelectStatement};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseTransaction, EntityTrait,
    PaginatorTrait, QueryFilter, QueryOrder, Set, TryInsertResult,
};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use crate::auth::service::{LinkPurpose, issue_link};
use crate::entities::{
    factsheet, organisation, organisation_grant, organisation_request, participation, person,
};
use crate::error::{AppError, AppResult};
use crate::events::access;
use crate::mail::templates::{Mail, render};
use crate::state::AppState;

pub use crate::domain::GrantKind;
use crate::domain::RequestStatus;

/// Who names an organisation for a person, and in which event (if any).
#[derive(Debug, Clone, Copy)]
pub struct Naming {
    pub by: Uuid,
    pub event_id: Option<Uuid>,
}

/// Organisations founded earlier in the same batch (one CSV import): later rows that name
/// one of them join it, since nobody else's organisation is at stake.
pub type Batch = HashSet<Uuid>;

/// What naming an organisation did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum Outcome {
    /// It was already the person's organisation.
    Unchanged,
    /// A new organisation with the person as its first member.
    Founded,
    /// Joined an organisation founded in the same batch.
    Joined,
    /// The organisation exists: a request waits for a member or organiser.
    Requested,
    /// As `Requested`, but the person asked this organisation before: its members are not
    /// told again (so toggling a name cannot flood their inboxes).
    AskedBefore,
    /// The person no longer belongs to an organisation.
    Left,
}

/// How organisation names are compared: case and runs of spaces do not count.
pub fn organisation_key(name: &str) -> String {
    name.to_lowercase()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// The organisation with this name (by [`organisation_key`]), created when there is none,
/// and whether this call created it. Safe when several requests create the same name at once,
/// on SQLite and PostgreSQL: the insert yields to a row that exists or is being committed
/// (`ON CONFLICT DO NOTHING` waits for the other transaction, and unlike catching the unique
/// error it keeps a PostgreSQL transaction usable), and the row is then read back, so every
/// caller gets the one row and none gets a unique-rule error.
pub async fn find_or_create_organisation<C: ConnectionTrait>(
    db: &C,
    name: &str,
) -> AppResult<(organisation::Model, bool)> {
    let name = name.trim();
    let key = organisation_key(name);
    let find = || {
        organisation::Entity::find()
            .filter(organisation::Column::NameKey.eq(key.clone()))
            .one(db)
    };
    if let Some(found) = find().await? {
        return Ok((found, false));
    }
    let inserted = organisation::Entity::insert(organisation::ActiveModel {
        id: Set(Uuid::now_v7()),
        name: Set(name.into()),
        name_key: Set(key.clone()),
        created_at: Set(Utc::now()),
    })
    .on_conflict_do_nothing_on([organisation::Column::NameKey])
    .exec_without_returning(db)
    .await?;
    let created = matches!(inserted, TryInsertResult::Inserted(rows) if rows > 0);
    let row = find()
        .await?
        .ok_or_else(|| anyhow::anyhow!("organisation {key:?} was neither inserted nor found"))?;
    Ok((row, created))
}

/// Sets a person's organisation from a name someone typed (the person in their profile or
/// registration, an organiser in an invitation or import). Only a new name makes them a
/// member at once; an existing organisation gets a request instead.
pub async fn name_organisation<C: ConnectionTrait>(
    db: &C,
    person: &person::Model,
    name: &str,
    naming: Naming,
    batch: Option<&mut Batch>,
) -> AppResult<Outcome> {
    if organisation_key(name).is_empty() {
        return Ok(Outcome::Unchanged);
    }
    let (org, founded) = find_or_create_organisation(db, name).await?;
    if founded {
        grant(db, person.id, org.id, GrantKind::Founded, naming).await?;
        if let Some(batch) = batch {
            batch.insert(org.id);
        }
        return Ok(Outcome::Founded);
    }
    // An existing name, also one founded by someone else at the same moment: a request.
    if person.organisation_id == Some(org.id) {
        withdraw_requests(db, person.id).await?;
        Ok(Outcome::Unchanged)
    } else if batch.as_ref().is_some_and(|b| b.contains(&org.id)) {
        grant(db, person.id, org.id, GrantKind::Founded, naming).await?;
        Ok(Outcome::Joined)
    } else {
        request(db, person.id, org.id, naming).await
    }
}

/// Makes the person a member of the organisation (leaving any other), recording the grant.
pub async fn grant<C: ConnectionTrait>(
    db: &C,
    person_id: Uuid,
    organisation_id: Uuid,
    kind: GrantKind,
    naming: Naming,
) -> AppResult<()> {
    end_membership(db, person_id, Some(naming.by)).await?;
    organisation_grant::ActiveModel {
        id: Set(Uuid::now_v7()),
        organisation_id: Set(organisation_id),
        person_id: Set(person_id),
        kind: Set(kind),
        granted_by: Set(Some(naming.by)),
        event_id: Set(naming.event_id),
        granted_at: Set(Utc::now()),
        ended_at: Set(None),
        ended_by: Set(None),
    }
    .insert(db)
    .await?;
    set_pointer(db, person_id, Some(organisation_id)).await?;
    withdraw_requests(db, person_id).await
}

/// Ends the person's membership, if any (leaving, or removed by a member).
pub async fn leave<C: ConnectionTrait>(db: &C, person_id: Uuid, by: Uuid) -> AppResult<()> {
    end_membership(db, person_id, Some(by)).await?;
    set_pointer(db, person_id, None).await?;
    withdraw_requests(db, person_id).await
}

async fn end_membership<C: ConnectionTrait>(
    db: &C,
    person_id: Uuid,
    by: Option<Uuid>,
) -> AppResult<()> {
    organisation_grant::Entity::update_many()
        .col_expr(organisation_grant::Column::EndedAt, Utc::now().into())
        .col_expr(organisation_grant::Column::EndedBy, by.into())
        .filter(organisation_grant::Column::PersonId.eq(person_id))
        .filter(organisation_grant::Column::EndedAt.is_null())
        .exec(db)
        .await?;
    Ok(())
}

async fn set_pointer<C: ConnectionTrait>(
    db: &C,
    person_id: Uuid,
    organisation_id: Option<Uuid>,
) -> AppResult<()> {
    person::Entity::update_many()
        .col_expr(person::Column::OrganisationId, organisation_id.into())
        .col_expr(person::Column::UpdatedAt, Utc::now().into())
        .filter(person::Column::Id.eq(person_id))
        .exec(db)
        .await?;
    Ok(())
}

/// A person waits for one organisation at a time: a new request replaces the old.
async fn request<C: ConnectionTrait>(
    db: &C,
    person_id: Uuid,
    organisation_id: Uuid,
    naming: Naming,
) -> AppResult<Outcome> {
    let earlier = organisation_request::Entity::find()
        .filter(organisation_request::Column::PersonId.eq(person_id))
        .filter(organisation_request::Column::OrganisationId.eq(organisation_id))
        .all(db)
        .await?;
    if earlier.iter().any(|r| r.status == RequestStatus::Pending) {
        return Ok(Outcome::AskedBefore);
    }
    withdraw_requests(db, person_id).await?;
    organisation_request::ActiveModel {
        id: Set(Uuid::now_v7()),
        organisation_id: Set(organisation_id),
        person_id: Set(person_id),
        requested_by: Set(Some(naming.by)),
        event_id: Set(naming.event_id),
        status: Set(RequestStatus::Pending),
        created_at: Set(Utc::now()),
        decided_at: Set(None),
        decided_by: Set(None),
    }
    .insert(db)
    .await?;
    Ok(if earlier.is_empty() {
        Outcome::Requested
    } else {
        Outcome::AskedBefore
    })
}

/// Tells the organisation's members by email that someone asks to join it, with a login
/// link to the profile page where they decide. In the caller's transaction (the outbox).
pub async fn notify_members(
    txn: &DatabaseTransaction,
    state: &AppState,
    requester: &person::Model,
    name: &str,
) -> AppResult<()> {
    let Some(org) = organisation::Entity::find()
        .filter(organisation::Column::NameKey.eq(organisation_key(name)))
        .one(txn)
        .await?
    else {
        return Ok(());
    };
    let members = person::Entity::find()
        .filter(person::Column::OrganisationId.eq(org.id))
        .all(txn)
        .await?;
    let minutes = state.settings.auth.login_link_minutes;
    for member in members {
        let mut link = issue_link(txn, state, member.id, LinkPurpose::Login, None).await?;
        link.push_str("&next=/me");
        let mail = render(
            Mail::JoinRequest {
                organisation: &org.name,
                requester: &requester.name,
                requester_email: &requester.email,
                link: &link,
                minutes,
            },
            (&member).into(),
            None,
        );
        state.mail.enqueue(txn, mail).await?;
    }
    Ok(())
}

async fn withdraw_requests<C: ConnectionTrait>(db: &C, person_id: Uuid) -> AppResult<()> {
    organisation_request::Entity::update_many()
        .col_expr(
            organisation_request::Column::Status,
            RequestStatus::Withdrawn.into(),
        )
        .col_expr(organisation_request::Column::DecidedAt, Utc::now().into())
        .filter(organisation_request::Column::PersonId.eq(person_id))
        .filter(organisation_request::Column::Status.eq(RequestStatus::Pending))
        .exec(db)
        .await?;
    Ok(())
}

/// Demo data only: puts the person in the organisation of this name, founding it if needed.
pub async fn demo_member<C: ConnectionTrait>(
    db: &C,
    person: &person::Model,
    name: &str,
) -> AppResult<()> {
    let id = find_or_create_organisation(db, name).await?.0.id;
    if person.organisation_id != Some(id) {
        let naming = Naming {
            by: person.id,
            event_id: None,
        };
        grant(db, person.id, id, GrantKind::Demo, naming).await?;
    }
    Ok(())
}

// ---- views ----

#[derive(Debug, Serialize, ToSchema)]
pub struct OrganisationView {
    pub id: Uuid,
    pub name: String,
    pub members: Vec<MemberView>,
    /// People waiting to join, for the members to confirm or decline.
    pub requests: Vec<RequestView>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct MemberView {
    pub person_id: Uuid,
    pub name: String,
    pub email: String,
    pub job_title: Option<String>,
    /// When this membership was granted.
    pub since: Option<chrono::DateTime<Utc>>,
    /// How: `existing`, `founded`, `added` (by a member), `assigned` (by an organiser), `demo`.
    pub via: Option<GrantKind>,
    /// Who granted it, when known.
    pub granted_by: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct PersonBrief {
    pub id: Uuid,
    pub name: String,
    pub email: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct RequestView {
    pub id: Uuid,
    pub organisation_id: Uuid,
    pub organisation_name: String,
    pub person: PersonBrief,
    /// The event it was made for (a registration or invitation), if any.
    pub event_id: Option<Uuid>,
    pub created_at: chrono::DateTime<Utc>,
}

/// My own request, waiting for a member or organiser.
#[derive(Debug, Serialize, ToSchema)]
pub struct PendingRequest {
    pub id: Uuid,
    pub organisation_id: Uuid,
    pub organisation_name: String,
    pub created_at: chrono::DateTime<Utc>,
}

pub async fn pending_request_of<C: ConnectionTrait>(
    db: &C,
    person_id: Uuid,
) -> AppResult<Option<PendingRequest>> {
    let Some(row) = organisation_request::Entity::find()
        .filter(organisation_request::Column::PersonId.eq(person_id))
        .filter(organisation_request::Column::Status.eq(RequestStatus::Pending))
        .order_by_desc(organisation_request::Column::CreatedAt)
        .one(db)
        .await?
    else {
        return Ok(None);
    };
    let name = organisation::Entity::find_by_id(row.organisation_id)
        .one(db)
        .await?
        .map(|o| o.name)
        .unwrap_or_default();
    Ok(Some(PendingRequest {
        id: row.id,
        organisation_id: row.organisation_id,
        organisation_name: name,
        created_at: row.created_at,
    }))
}

/// The pending requests of these people.
pub async fn pending_requests_of<C: ConnectionTrait>(
    db: &C,
    people: impl IntoIterator<Item = Uuid>,
) -> AppResult<Vec<organisation_request::Model>> {
    Ok(organisation_request::Entity::find()
        .filter(organisation_request::Column::PersonId.is_in(people))
        .filter(organisation_request::Column::Status.eq(RequestStatus::Pending))
        .all(db)
        .await?)
}

/// Pending requests, with names, for the given rows.
async fn request_views<C: ConnectionTrait>(
    db: &C,
    rows: Vec<organisation_request::Model>,
) -> AppResult<Vec<RequestView>> {
    let people = person::Entity::find()
        .filter(person::Column::Id.is_in(rows.iter().map(|r| r.person_id)))
        .all(db)
        .await?;
    let orgs = organisation::Entity::find()
        .filter(organisation::Column::Id.is_in(rows.iter().map(|r| r.organisation_id)))
        .all(db)
        .await?;
    Ok(rows
        .into_iter()
        .filter_map(|r| {
            let p = people.iter().find(|p| p.id == r.person_id)?;
            let o = orgs.iter().find(|o| o.id == r.organisation_id)?;
            Some(RequestView {
                id: r.id,
                organisation_id: o.id,
                organisation_name: o.name.clone(),
                person: PersonBrief {
                    id: p.id,
                    name: p.name.clone(),
                    email: p.email.clone(),
                },
                event_id: r.event_id,
                created_at: r.created_at,
            })
        })
        .collect())
}

async fn find_organisation<C: ConnectionTrait>(
    db: &C,
    organisation_id: Uuid,
) -> AppResult<organisation::Model> {
    organisation::Entity::find_by_id(organisation_id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound("organisation"))
}

/// Members (and platform admins) see and manage their organisation; to anyone else it does
/// not exist.
fn require_member(by: &person::Model, organisation_id: Uuid) -> AppResult<()> {
    if by.is_admin || by.organisation_id == Some(organisation_id) {
        Ok(())
    } else {
        Err(AppError::NotFound("organisation"))
    }
}

async fn view<C: ConnectionTrait>(db: &C, org: organisation::Model) -> AppResult<OrganisationView> {
    let people = person::Entity::find()
        .filter(person::Column::OrganisationId.eq(org.id))
        .order_by_asc(person::Column::Name)
        .all(db)
        .await?;
    let grants = organisation_grant::Entity::find()
        .filter(organisation_grant::Column::OrganisationId.eq(org.id))
        .filter(organisation_grant::Column::EndedAt.is_null())
        .all(db)
        .await?;
    let granters = person::Entity::find()
        .filter(person::Column::Id.is_in(grants.iter().filter_map(|g| g.granted_by)))
        .all(db)
        .await?;
    let members = people
        .into_iter()
        .map(|p| {
            let grant = grants.iter().find(|g| g.person_id == p.id);
            MemberView {
                person_id: p.id,
                since: grant.map(|g| g.granted_at),
                via: grant.map(|g| g.kind),
                granted_by: grant
                    .and_then(|g| g.granted_by)
                    .and_then(|id| granters.iter().find(|x| x.id == id))
                    .map(|x| x.name.clone()),
                name: p.name,
                email: p.email,
                job_title: p.job_title,
            }
        })
        .collect();
    let pending = organisation_request::Entity::find()
        .filter(organisation_request::Column::OrganisationId.eq(org.id))
        .filter(organisation_request::Column::Status.eq(RequestStatus::Pending))
        .order_by_asc(organisation_request::Column::CreatedAt)
        .all(db)
        .await?;
    Ok(OrganisationView {
        id: org.id,
        name: org.name,
        members,
        requests: request_views(db, pending).await?,
    })
}

pub async fn show(
    state: &AppState,
    by: &person::Model,
    organisation_id: Uuid,
) -> AppResult<OrganisationView> {
    require_member(by, organisation_id)?;
    let org = find_organisation(&state.db, organisation_id).await?;
    view(&state.db, org).await
}

/// A member removes a member (themselves included: leaving).
pub async fn remove_member(
    state: &AppState,
    by: &person::Model,
    organisation_id: Uuid,
    person_id: Uuid,
) -> AppResult<()> {
    require_member(by, organisation_id)?;
    let txn = crate::db::begin(&state.db).await?;
    let member = person::Entity::find_by_id(person_id)
        .one(&txn)
        .await?
        .filter(|p| p.organisation_id == Some(organisation_id))
        .ok_or(AppError::NotFound("member"))?;
    leave(&txn, member.id, by.id).await?;
    txn.commit().await?;
    tracing::info!(organisation = %organisation_id, person = %person_id, by = %by.id, "member removed");
    Ok(())
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum Decision {
    Confirm,
    Decline,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RequestDecision {
    pub decision: Decision,
}

async fn pending<C: ConnectionTrait>(
    db: &C,
    request_id: Uuid,
) -> AppResult<organisation_request::Model> {
    organisation_request::Entity::find_by_id(request_id)
        .filter(organisation_request::Column::Status.eq(RequestStatus::Pending))
        .one(db)
        .await?
        .ok_or(AppError::NotFound("request"))
}

/// Confirms (a grant) or declines a pending request, recording who decided.
async fn decide<C: ConnectionTrait>(
    db: &C,
    row: organisation_request::Model,
    decision: Decision,
    kind: GrantKind,
    naming: Naming,
) -> AppResult<()> {
    let mut active: organisation_request::ActiveModel = row.clone().into();
    active.status = Set(match decision {
        Decision::Confirm => RequestStatus::Confirmed,
        Decision::Decline => RequestStatus::Declined,
    });
    active.decided_at = Set(Some(Utc::now()));
    active.decided_by = Set(Some(naming.by));
    active.update(db).await?;
    if decision == Decision::Confirm {
        grant(db, row.person_id, row.organisation_id, kind, naming).await?;
    }
    Ok(())
}

/// A member confirms or declines someone's request to join.
pub async fn decide_as_member(
    state: &AppState,
    by: &person::Model,
    organisation_id: Uuid,
    request_id: Uuid,
    decision: Decision,
) -> AppResult<OrganisationView> {
    require_member(by, organisation_id)?;
    let txn = crate::db::begin(&state.db).await?;
    let row = pending(&txn, request_id).await?;
    if row.organisation_id != organisation_id {
        return Err(AppError::NotFound("request"));
    }
    let naming = Naming {
        by: by.id,
        event_id: row.event_id,
    };
    decide(&txn, row, decision, GrantKind::Added, naming).await?;
    let org = find_organisation(&txn, organisation_id).await?;
    let out = view(&txn, org).await?;
    txn.commit().await?;
    Ok(out)
}

// ---- organisers ----

/// The people taking part in the event (in any role and status), as a subquery.
fn people_of_event(event_id: Uuid) -> SelectStatement {
    Query::select()
        .column(participation::Column::PersonId)
        .from(participation::Entity)
        .and_where(participation::Column::EventId.eq(event_id))
        .to_owned()
}

/// An organisation takes part in an event when one of its members does, or when it has a
/// factsheet there. Organisers grant membership only of these, and only to people of their
/// event, so an organiser of one event cannot hand out another event's supplier.
pub(crate) async fn in_event<C: ConnectionTrait>(
    db: &C,
    event_id: Uuid,
    organisation_id: Uuid,
) -> AppResult<bool> {
    let has_factsheet = factsheet::Entity::find()
        .filter(factsheet::Column::EventId.eq(event_id))
        .filter(factsheet::Column::OrganisationId.eq(organisation_id))
        .count(db)
        .await?
        > 0;
    if has_factsheet {
        return Ok(true);
    }
    Ok(person::Entity::find()
        .filter(person::Column::OrganisationId.eq(organisation_id))
        .filter(person::Column::Id.in_subquery(people_of_event(event_id)))
        .count(db)
        .await?
        > 0)
}

async fn takes_part<C: ConnectionTrait>(
    db: &C,
    event_id: Uuid,
    person_id: Uuid,
) -> AppResult<bool> {
    Ok(participation::Entity::find()
        .filter(participation::Column::EventId.eq(event_id))
        .filter(participation::Column::PersonId.eq(person_id))
        .count(db)
        .await?
        > 0)
}

#[derive(Debug, Serialize, ToSchema)]
pub struct OrganisationRef {
    pub id: Uuid,
    pub name: String,
}

/// The organisations taking part in the event, for an organiser assigning people.
pub async fn of_event(
    state: &AppState,
    by: &person::Model,
    event_id: Uuid,
) -> AppResult<Vec<OrganisationRef>> {
    access::organiser(&state.db, by, event_id).await?;
    let mut ids: HashSet<Uuid> = person::Entity::find()
        .filter(person::Column::Id.in_subquery(people_of_event(event_id)))
        .all(&state.db)
        .await?
        .into_iter()
        .filter_map(|p| p.organisation_id)
        .collect();
    ids.extend(
        factsheet::Entity::find()
            .filter(factsheet::Column::EventId.eq(event_id))
            .all(&state.db)
            .await?
            .into_iter()
            .map(|f| f.organisation_id),
    );
    Ok(organisation::Entity::find()
        .filter(organisation::Column::Id.is_in(ids))
        .order_by_asc(organisation::Column::NameKey)
        .all(&state.db)
        .await?
        .into_iter()
        .map(|o| OrganisationRef {
            id: o.id,
            name: o.name,
        })
        .collect())
}

/// Pending requests an organiser of the event may decide: from its participants, for an
/// organisation taking part in it.
pub async fn requests_in_event(
    state: &AppState,
    by: &person::Model,
    event_id: Uuid,
) -> AppResult<Vec<RequestView>> {
    access::organiser(&state.db, by, event_id).await?;
    let rows = organisation_request::Entity::find()
        .filter(organisation_request::Column::Status.eq(RequestStatus::Pending))
        .filter(organisation_request::Column::PersonId.in_subquery(people_of_event(event_id)))
        .order_by_asc(organisation_request::Column::CreatedAt)
        .all(&state.db)
        .await?;
    let mut decidable = Vec::new();
    for row in rows {
        if in_event(&state.db, event_id, row.organisation_id).await? {
            decidable.push(row);
        }
    }
    request_views(&state.db, decidable).await
}

/// An organiser of the event confirms or declines a request of one of its participants.
pub async fn decide_as_organiser(
    state: &AppState,
    by: &person::Model,
    event_id: Uuid,
    request_id: Uuid,
    decision: Decision,
) -> AppResult<()> {
    let txn = crate::db::begin(&state.db).await?;
    access::organiser(&txn, by, event_id).await?;
    let row = pending(&txn, request_id).await?;
    if !takes_part(&txn, event_id, row.person_id).await?
        || !in_event(&txn, event_id, row.organisation_id).await?
    {
        return Err(AppError::NotFound("request"));
    }
    let naming = Naming {
        by: by.id,
        event_id: Some(event_id),
    };
    decide(&txn, row, decision, GrantKind::Assigned, naming).await?;
    txn.commit().await?;
    Ok(())
}

/// An organiser of the event puts one of its participants in an organisation taking part
/// in it.
pub async fn assign(
    state: &AppState,
    by: &person::Model,
    event_id: Uuid,
    participant_id: Uuid,
    organisation_id: Uuid,
) -> AppResult<()> {
    let txn = crate::db::begin(&state.db).await?;
    access::organiser(&txn, by, event_id).await?;
    let row = participation::Entity::find_by_id(participant_id)
        .filter(participation::Column::EventId.eq(event_id))
        .one(&txn)
        .await?
        .ok_or(AppError::NotFound("participant"))?;
    if !in_event(&txn, event_id, organisation_id).await? {
        return Err(AppError::field(
            "organisation_id",
            "not_in_event",
            "choose an organisation taking part in this event",
        ));
    }
    let naming = Naming {
        by: by.id,
        event_id: Some(event_id),
    };
    grant(
        &txn,
        row.person_id,
        organisation_id,
        GrantKind::Assigned,
        naming,
    )
    .await?;
    txn.commit().await?;
    tracing::info!(%event_id, person = %row.person_id, organisation = %organisation_id, by = %by.id, "assigned to organisation");
    Ok(())
}
