//! Who may do what in an event: platform admins everything, organisers their events,
//! active participants may read.

use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QuerySelect};
use uuid::Uuid;

use crate::domain::{Role, Status};
use crate::entities::{event, participation, person};
use crate::error::{AppError, AppResult};

pub struct EventAccess {
    pub event: event::Model,
    /// The role and status of the person's active participation: `None` for a platform
    /// admin who does not take part (anyone else without one gets no `EventAccess`).
    pub role: Option<Role>,
    pub status: Option<Status>,
    pub is_admin: bool,
}

impl EventAccess {
    pub fn is_organiser(&self) -> bool {
        self.is_admin || self.role == Some(Role::Organiser)
    }

    pub fn require_organiser(self) -> AppResult<Self> {
        if self.is_organiser() {
            Ok(self)
        } else {
            Err(AppError::Forbidden(
                "only the event's organisers may do this".into(),
            ))
        }
    }
}

/// The one rule for "an active participant": this participation takes part in its event
/// (see [`Status::is_active`]). Every check of a participation's status goes through here.
pub fn is_active(row: &participation::Model) -> bool {
    row.status.is_active()
}

/// The person's participation in the event when it is active, else `None`.
pub async fn active_participation<C: ConnectionTrait>(
    db: &C,
    event_id: Uuid,
    person_id: Uuid,
) -> AppResult<Option<participation::Model>> {
    Ok(participation::Entity::find()
        .filter(participation::Column::EventId.eq(event_id))
        .filter(participation::Column::PersonId.eq(person_id))
        .one(db)
        .await?
        .filter(is_active))
}

/// The person's active participation in the event, locked until the transaction ends
/// (`SELECT ... FOR UPDATE` on PostgreSQL; SQLite's writer lock, taken by `db::begin`,
/// covers it). Whoever changes what a person holds in an event (a seat, a meeting request)
/// goes through here first, so one person's changes run one after the other on every
/// instance, and a change of their status waits until they are done. `None` when the
/// participation is not active.
pub async fn lock_active_participation<C: ConnectionTrait>(
    db: &C,
    event_id: Uuid,
    person_id: Uuid,
) -> AppResult<Option<participation::Model>> {
    locked_participation(
        db,
        event_id,
        person_id,
        sea_orm::sea_query::LockType::Update,
    )
    .await
}

/// The person's active participation in the event, held in share mode until the
/// transaction ends (`SELECT ... FOR SHARE` on PostgreSQL): for a change that concerns the
/// person without being theirs (someone asks them for a meeting). Any number of such
/// changes run side by side; a change of their own or of their status
/// ([`lock_active_participation`]) waits for them, and they for it. `None` when the
/// participation is not active.
pub async fn share_active_participation<C: ConnectionTrait>(
    db: &C,
    event_id: Uuid,
    person_id: Uuid,
) -> AppResult<Option<participation::Model>> {
    locked_participation(db, event_id, person_id, sea_orm::sea_query::LockType::Share).await
}

async fn locked_participation<C: ConnectionTrait>(
    db: &C,
    event_id: Uuid,
    person_id: Uuid,
    lock: sea_orm::sea_query::LockType,
) -> AppResult<Option<participation::Model>> {
    Ok(participation::Entity::find()
        .filter(participation::Column::EventId.eq(event_id))
        .filter(participation::Column::PersonId.eq(person_id))
        .lock(lock)
        .one(db)
        .await?
        .filter(is_active))
}

/// Loads the event for someone who may see it; anyone else gets "not found", so event ids
/// reveal nothing.
pub async fn participant<C: ConnectionTrait>(
    db: &C,
    person: &person::Model,
    event_id: Uuid,
) -> AppResult<EventAccess> {
    let event = event::Entity::find_by_id(event_id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound("event"))?;
    let membership = active_participation(db, event_id, person.id).await?;
    let role = membership.as_ref().map(|p| p.role);
    let status = membership.as_ref().map(|p| p.status);
    if !person.is_admin && membership.is_none() {
        return Err(AppError::NotFound("event"));
    }
    Ok(EventAccess {
        event,
        role,
        status,
        is_admin: person.is_admin,
    })
}

pub async fn organiser<C: ConnectionTrait>(
    db: &C,
    person: &person::Model,
    event_id: Uuid,
) -> AppResult<EventAccess> {
    participant(db, person, event_id).await?.require_organiser()
}
