//! Events and their set-up: details, meeting grid, rooms, tables and taxonomy.

pub mod access;
pub mod grid;
pub mod routes;
pub mod service;
pub mod venue;

use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};
use uuid::Uuid;

use crate::entities::person;
use crate::error::{AppError, AppResult};
use crate::state::AppState;

/// One row that belongs to an event (a slot, room, table, term, factsheet, participant) by
/// its id, or "not found" naming `what`; a row of another event is not found either.
pub(crate) async fn find_in_event<E: EntityTrait, C: ConnectionTrait>(
    db: &C,
    (id_column, event_column): (E::Column, E::Column),
    event_id: Uuid,
    id: Uuid,
    what: &'static str,
) -> AppResult<E::Model> {
    E::find()
        .filter(id_column.eq(id))
        .filter(event_column.eq(event_id))
        .one(db)
        .await?
        .ok_or(AppError::NotFound(what))
}

/// Deletes one row of an event's set-up (a slot, room or table) for an organiser; a row of
/// another event is "not found".
pub(crate) async fn delete_owned<E: EntityTrait>(
    state: &AppState,
    by: &person::Model,
    event_id: Uuid,
    id: Uuid,
    (id_column, event_column): (E::Column, E::Column),
    what: &'static str,
) -> AppResult<()> {
    let txn = crate::db::begin(&state.db).await?;
    access::organiser(&txn, by, event_id).await?;
    delete_in_event::<E, _>(&txn, (id_column, event_column), event_id, id, what).await?;
    txn.commit().await?;
    Ok(())
}

/// Deletes one row that belongs to an event, inside the caller's transaction; a row of
/// another event (or none) is "not found" naming `what`.
pub(crate) async fn delete_in_event<E: EntityTrait, C: ConnectionTrait>(
    db: &C,
    (id_column, event_column): (E::Column, E::Column),
    event_id: Uuid,
    id: Uuid,
    what: &'static str,
) -> AppResult<()> {
    let result = E::delete_many()
        .filter(id_column.eq(id))
        .filter(event_column.eq(event_id))
        .exec(db)
        .await?;
    if result.rows_affected == 0 {
        return Err(AppError::NotFound(what));
    }
    Ok(())
}
