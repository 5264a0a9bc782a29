//! The venue: rooms for sessions (with a capacity) and numbered tables for one-to-one meetings.

use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, QueryOrder, Set};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use super::access;
use crate::bounds::{LABEL_MAX, ROOM_CAPACITY, ROOM_NAME_MAX, TABLE_COUNT, TABLE_NUMBER};
use crate::domain::required_text;
use crate::entities::{meeting_table, person, room};
use crate::error::{AppError, AppResult, FieldError, on_unique};
use crate::meetings::schedule::holds;
use crate::state::AppState;

#[derive(Debug, Serialize, ToSchema)]
pub struct RoomView {
    pub id: Uuid,
    pub name: String,
    pub capacity: i32,
}

impl From<room::Model> for RoomView {
    fn from(r: room::Model) -> Self {
        RoomView {
            id: r.id,
            name: r.name,
            capacity: r.capacity,
        }
    }
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RoomInput {
    pub name: Option<String>,
    pub capacity: Option<i32>,
}

pub async fn rooms(
    state: &AppState,
    by: &person::Model,
    event_id: Uuid,
) -> AppResult<Vec<RoomView>> {
    access::participant(&state.db, by, event_id).await?;
    Ok(room::Entity::find()
        .filter(room::Column::EventId.eq(event_id))
        .order_by_asc(room::Column::Name)
        .all(&state.db)
        .await?
        .into_iter()
        .map(RoomView::from)
        .collect())
}

pub async fn save_room(
    state: &AppState,
    by: &person::Model,
    event_id: Uuid,
    existing: Option<Uuid>,
    input: RoomInput,
) -> AppResult<RoomView> {
    let txn = crate::db::begin(&state.db).await?;
    access::organiser(&txn, by, event_id).await?;
    let mut active = match existing {
        Some(id) => super::find_in_event::<room::Entity, _>(
            &txn,
            (room::Column::Id, room::Column::EventId),
            event_id,
            id,
            "room",
        )
        .await?
        .into(),
        None => room::ActiveModel {
            id: Set(Uuid::now_v7()),
            event_id: Set(event_id),
            ..Default::default()
        },
    };
    let mut errors = Vec::new();
    match (&input.name, existing) {
        (Some(name), _) => {
            active.name = Set(required_text(name, "name", ROOM_NAME_MAX, &mut errors))
        }
        (None, None) => errors.push(FieldError::new("name", "required", "give the room a name")),
        (None, Some(_)) => {}
    }
    match (input.capacity, existing) {
        (Some(c), _) if !ROOM_CAPACITY.contains(&c) => errors.push(FieldError::new(
            "capacity",
            "out_of_range",
            format!(
                "a room seats {} to {} people",
                ROOM_CAPACITY.start(),
                ROOM_CAPACITY.end()
            ),
        )),
        (Some(c), _) => active.capacity = Set(c),
        (None, None) => errors.push(FieldError::new(
            "capacity",
            "required",
            "how many people does it seat?",
        )),
        (None, Some(_)) => {}
    }
    if !errors.is_empty() {
        return Err(AppError::Validation(errors));
    }
    let conflict = |e| on_unique(e, "name", "there is already a room with this name");
    let model = if existing.is_some() {
        active.update(&txn).await.map_err(conflict)?
    } else {
        active.insert(&txn).await.map_err(conflict)?
    };
    txn.commit().await?;
    Ok(model.into())
}

pub async fn delete_room(
    state: &AppState,
    by: &person::Model,
    event_id: Uuid,
    room_id: Uuid,
) -> AppResult<()> {
    super::delete_owned::<room::Entity>(
        state,
        by,
        event_id,
        room_id,
        (room::Column::Id, room::Column::EventId),
        "room",
    )
    .await
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct TableView {
    pub id: Uuid,
    pub number: i32,
    pub label: Option<String>,
}

impl From<meeting_table::Model> for TableView {
    fn from(t: meeting_table::Model) -> Self {
        TableView {
            id: t.id,
            number: t.number,
            label: t.label,
        }
    }
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TableInput {
    /// Defaults to one more than the highest number.
    pub number: Option<i32>,
    pub label: Option<String>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TableCount {
    pub count: i32,
}

pub async fn tables(
    state: &AppState,
    by: &person::Model,
    event_id: Uuid,
) -> AppResult<Vec<TableView>> {
    access::participant(&state.db, by, event_id).await?;
    table_rows(&state.db, event_id).await
}

async fn table_rows<C: sea_orm::ConnectionTrait>(
    db: &C,
    event_id: Uuid,
) -> AppResult<Vec<TableView>> {
    Ok(meeting_table::Entity::find()
        .filter(meeting_table::Column::EventId.eq(event_id))
        .order_by_asc(meeting_table::Column::Number)
        .all(db)
        .await?
        .into_iter()
        .map(TableView::from)
        .collect())
}

pub async fn save_table(
    state: &AppState,
    by: &person::Model,
    event_id: Uuid,
    existing: Option<Uuid>,
    input: TableInput,
) -> AppResult<TableView> {
    let txn = crate::db::begin(&state.db).await?;
    access::organiser(&txn, by, event_id).await?;
    let mut active = match existing {
        Some(id) => super::find_in_event::<meeting_table::Entity, _>(
            &txn,
            (meeting_table::Column::Id, meeting_table::Column::EventId),
            event_id,
            id,
            "table",
        )
        .await?
        .into(),
        None => {
            let highest = meeting_table::Entity::find()
                .filter(meeting_table::Column::EventId.eq(event_id))
                .order_by_desc(meeting_table::Column::Number)
                .one(&txn)
                .await?
                .map(|t| t.number)
                .unwrap_or(0);
            meeting_table::ActiveModel {
                id: Set(Uuid::now_v7()),
                event_id: Set(event_id),
                number: Set(highest + 1),
                label: Set(None),
            }
        }
    };
    if let Some(n) = input.number {
        if !TABLE_NUMBER.contains(&n) {
            return Err(AppError::field(
                "number",
                "out_of_range",
                format!(
                    "table numbers run from {} to {}",
                    TABLE_NUMBER.start(),
                    TABLE_NUMBER.end()
                ),
            ));
        }
        active.number = Set(n);
    }
    if let Some(label) = &input.label {
        let mut errors = Vec::new();
        let label = crate::domain::optional_text(Some(label), "label", LABEL_MAX, &mut errors);
        if !errors.is_empty() {
            return Err(AppError::Validation(errors));
        }
        active.label = Set(label);
    }
    let conflict = |e| on_unique(e, "number", "this table number is already in use");
    let model = if existing.is_some() {
        active.update(&txn).await.map_err(conflict)?
    } else {
        active.insert(&txn).await.map_err(conflict)?
    };
    txn.commit().await?;
    Ok(model.into())
}

/// Makes the tables exactly 1..=count, keeping the labels of tables that stay. Lowering
/// the count is refused (nothing changes) while scheduled meetings are at a table it
/// would remove (`holds::keep_tables_of_meetings`).
pub async fn set_table_count(
    state: &AppState,
    by: &person::Model,
    event_id: Uuid,
    input: TableCount,
) -> AppResult<Vec<TableView>> {
    if !TABLE_COUNT.contains(&input.count) {
        return Err(AppError::field(
            "count",
            "out_of_range",
            format!("{} to {} tables", TABLE_COUNT.start(), TABLE_COUNT.end()),
        ));
    }
    crate::db::retrying("setting the table count", || {
        set_table_count_once(state, by, event_id, input.count)
    })
    .await
}

async fn set_table_count_once(
    state: &AppState,
    by: &person::Model,
    event_id: Uuid,
    count: i32,
) -> AppResult<Vec<TableView>> {
    let txn = crate::db::begin(&state.db).await?;
    access::organiser(&txn, by, event_id).await?;
    let removed: Vec<Uuid> = meeting_table::Entity::find()
        .filter(meeting_table::Column::EventId.eq(event_id))
        .filter(meeting_table::Column::Number.gt(count))
        .all(&txn)
        .await?
        .into_iter()
        .map(|t| t.id)
        .collect();
    holds::keep_tables_of_meetings(&txn, event_id, &removed).await?;
    if !removed.is_empty() {
        meeting_table::Entity::delete_many()
            .filter(meeting_table::Column::Id.is_in(removed))
            .exec(&txn)
            .await?;
    }
    let existing: Vec<i32> = table_rows(&txn, event_id)
        .await?
        .into_iter()
        .map(|t| t.number)
        .collect();
    let missing: Vec<meeting_table::ActiveModel> = (1..=count)
        .filter(|n| !existing.contains(n))
        .map(|n| meeting_table::ActiveModel {
            id: Set(Uuid::now_v7()),
            event_id: Set(event_id),
            number: Set(n),
            label: Set(None),
        })
        .collect();
    if !missing.is_empty() {
        meeting_table::Entity::insert_many(missing)
            .exec(&txn)
            .await?;
    }
    let rows = table_rows(&txn, event_id).await?;
    txn.commit().await?;
    Ok(rows)
}

/// Deletes one table (cancelled meetings at it lose their table); refused while scheduled
/// meetings are at it (`holds::keep_tables_of_meetings`).
pub async fn delete_table(
    state: &AppState,
    by: &person::Model,
    event_id: Uuid,
    table_id: Uuid,
) -> AppResult<()> {
    crate::db::retrying("deleting a table", || async {
        let txn = crate::db::begin(&state.db).await?;
        access::organiser(&txn, by, event_id).await?;
        holds::keep_tables_of_meetings(&txn, event_id, &[table_id]).await?;
        super::delete_in_event::<meeting_table::Entity, _>(
            &txn,
            (meeting_table::Column::Id, meeting_table::Column::EventId),
            event_id,
            table_id,
            "table",
        )
        .await?;
        txn.commit().await?;
        Ok(())
    })
    .await
}
