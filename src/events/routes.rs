//! HTTP endpoints for events and their set-up. Thin: parse, call the service, shape the answer.

use axum::extract::State;
use axum::http::StatusCode;
use serde::Serialize;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use uuid::Uuid;

use super::access;
use super::grid::{self, GenerateGrid, SlotInput, SlotView};
use super::service::{self, EventInput, EventView, Term, TermInput};
use super::venue::{self, RoomInput, RoomView, TableCount, TableInput, TableView};
use crate::auth::CurrentUser;
use crate::error::{AppError, AppResult, ErrorBody};
use crate::http::{Json, Path};
use crate::meetings::schedule::holds::InUse;
use crate::state::AppState;

/// A change of the grid or the tables that would remove slots or tables with scheduled
/// meetings: `409 slot_has_meetings` / `table_has_meetings`, with how many meetings and
/// which slots or tables.
impl From<InUse> for AppError {
    fn from(err: InUse) -> Self {
        let message = err.to_string();
        let meetings = err.meetings();
        let (code, details) = match err {
            InUse::Slots(slots) => (
                "slot_has_meetings",
                serde_json::json!({ "meetings": meetings, "slots": slots }),
            ),
            InUse::Tables(tables) => (
                "table_has_meetings",
                serde_json::json!({ "meetings": meetings, "tables": tables }),
            ),
            InUse::Database(e) => return AppError::from(e),
        };
        AppError::Coded {
            status: StatusCode::CONFLICT,
            code,
            message,
            details: Some(details),
        }
    }
}

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_events, create_event))
        .routes(routes!(get_event, update_event))
        .routes(routes!(list_slots, add_slot))
        .routes(routes!(generate_slots))
        .routes(routes!(update_slot, delete_slot))
        .routes(routes!(list_rooms, add_room))
        .routes(routes!(update_room, delete_room))
        .routes(routes!(list_tables, add_table, set_table_count))
        .routes(routes!(update_table, delete_table))
        .routes(routes!(list_terms, add_term))
        .routes(routes!(update_term, delete_term))
}

#[derive(Serialize, ToSchema)]
pub struct EventList {
    pub events: Vec<EventView>,
}

/// Events I take part in (all events for platform admins).
#[utoipa::path(get, path = "/api/events", tag = "events",
    responses((status = 200, body = EventList), (status = 401, body = ErrorBody)))]
async fn list_events(
    State(state): State<AppState>,
    user: CurrentUser,
) -> AppResult<Json<EventList>> {
    Ok(Json(EventList {
        events: service::list_for(&state, &user.person).await?,
    }))
}

/// Create an event (platform admins).
#[utoipa::path(post, path = "/api/events", tag = "events", request_body = EventInput,
    responses((status = 201, body = EventView), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
#[tracing::instrument(skip_all)]
async fn create_event(
    State(state): State<AppState>,
    user: CurrentUser,
    Json(body): Json<EventInput>,
) -> AppResult<(StatusCode, Json<EventView>)> {
    Ok((
        StatusCode::CREATED,
        Json(service::create(&state, &user.person, body).await?),
    ))
}

/// One event, with my role in it.
#[utoipa::path(get, path = "/api/events/{event_id}", tag = "events",
    responses((status = 200, body = EventView), (status = 404, body = ErrorBody)))]
async fn get_event(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(event_id): Path<Uuid>,
) -> AppResult<Json<EventView>> {
    let access = access::participant(&state.db, &user.person, event_id).await?;
    Ok(Json(EventView::from_access(access)))
}

/// Edit an event's details (organisers).
#[utoipa::path(patch, path = "/api/events/{event_id}", tag = "events", request_body = EventInput,
    responses((status = 200, body = EventView), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
#[tracing::instrument(skip_all, fields(%event_id))]
async fn update_event(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(event_id): Path<Uuid>,
    Json(body): Json<EventInput>,
) -> AppResult<Json<EventView>> {
    Ok(Json(
        service::update(&state, &user.person, event_id, body).await?,
    ))
}

#[derive(Serialize, ToSchema)]
pub struct SlotList {
    pub slots: Vec<SlotView>,
}

/// The meeting grid, in time order.
#[utoipa::path(get, path = "/api/events/{event_id}/slots", tag = "grid",
    responses((status = 200, body = SlotList), (status = 404, body = ErrorBody)))]
async fn list_slots(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(event_id): Path<Uuid>,
) -> AppResult<Json<SlotList>> {
    Ok(Json(SlotList {
        slots: grid::list(&state, &user.person, event_id).await?,
    }))
}

/// Replace one day's grid with generated slots and breaks.
#[utoipa::path(post, path = "/api/events/{event_id}/slots/generate", tag = "grid", request_body = GenerateGrid,
    responses((status = 200, body = SlotList), (status = 403, body = ErrorBody),
        (status = 409, description = "`slot_has_meetings`: a slot it would remove has scheduled meetings", body = ErrorBody),
        (status = 422, body = ErrorBody)))]
#[tracing::instrument(skip_all, fields(%event_id))]
async fn generate_slots(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(event_id): Path<Uuid>,
    Json(body): Json<GenerateGrid>,
) -> AppResult<Json<SlotList>> {
    Ok(Json(SlotList {
        slots: grid::generate(&state, &user.person, event_id, body).await?,
    }))
}

/// Add one slot.
#[utoipa::path(post, path = "/api/events/{event_id}/slots", tag = "grid", request_body = SlotInput,
    responses((status = 201, body = SlotView), (status = 422, body = ErrorBody)))]
async fn add_slot(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(event_id): Path<Uuid>,
    Json(body): Json<SlotInput>,
) -> AppResult<(StatusCode, Json<SlotView>)> {
    Ok((
        StatusCode::CREATED,
        Json(grid::save(&state, &user.person, event_id, None, body).await?),
    ))
}

/// Change one slot's day, times, kind or label.
#[utoipa::path(patch, path = "/api/events/{event_id}/slots/{slot_id}", tag = "grid", request_body = SlotInput,
    responses((status = 200, body = SlotView), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn update_slot(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((event_id, slot_id)): Path<(Uuid, Uuid)>,
    Json(body): Json<SlotInput>,
) -> AppResult<Json<SlotView>> {
    Ok(Json(
        grid::save(&state, &user.person, event_id, Some(slot_id), body).await?,
    ))
}

/// Remove one slot (refused while scheduled meetings are in it).
#[utoipa::path(delete, path = "/api/events/{event_id}/slots/{slot_id}", tag = "grid",
    responses((status = 204), (status = 404, body = ErrorBody),
        (status = 409, description = "`slot_has_meetings`: scheduled meetings are in it", body = ErrorBody)))]
async fn delete_slot(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((event_id, slot_id)): Path<(Uuid, Uuid)>,
) -> AppResult<StatusCode> {
    grid::delete(&state, &user.person, event_id, slot_id).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Serialize, ToSchema)]
pub struct RoomList {
    pub rooms: Vec<RoomView>,
}

/// Rooms for sessions.
#[utoipa::path(get, path = "/api/events/{event_id}/rooms", tag = "venue",
    responses((status = 200, body = RoomList), (status = 404, body = ErrorBody)))]
async fn list_rooms(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(event_id): Path<Uuid>,
) -> AppResult<Json<RoomList>> {
    Ok(Json(RoomList {
        rooms: venue::rooms(&state, &user.person, event_id).await?,
    }))
}

/// Add a room.
#[utoipa::path(post, path = "/api/events/{event_id}/rooms", tag = "venue", request_body = RoomInput,
    responses((status = 201, body = RoomView), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn add_room(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(event_id): Path<Uuid>,
    Json(body): Json<RoomInput>,
) -> AppResult<(StatusCode, Json<RoomView>)> {
    Ok((
        StatusCode::CREATED,
        Json(venue::save_room(&state, &user.person, event_id, None, body).await?),
    ))
}

/// Rename a room or change its capacity.
#[utoipa::path(patch, path = "/api/events/{event_id}/rooms/{room_id}", tag = "venue", request_body = RoomInput,
    responses((status = 200, body = RoomView), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
async fn update_room(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((event_id, room_id)): Path<(Uuid, Uuid)>,
    Json(body): Json<RoomInput>,
) -> AppResult<Json<RoomView>> {
    Ok(Json(
        venue::save_room(&state, &user.person, event_id, Some(room_id), body).await?,
    ))
}

/// Remove a room.
#[utoipa::path(delete, path = "/api/events/{event_id}/rooms/{room_id}", tag = "venue",
    responses((status = 204), (status = 404, body = ErrorBody)))]
async fn delete_room(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((event_id, room_id)): Path<(Uuid, Uuid)>,
) -> AppResult<StatusCode> {
    venue::delete_room(&state, &user.person, event_id, room_id).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Serialize, ToSchema)]
pub struct TableList {
    pub tables: Vec<TableView>,
}

/// Numbered tables for one-to-one meetings.
#[utoipa::path(get, path = "/api/events/{event_id}/tables", tag = "venue",
    responses((status = 200, body = TableList), (status = 404, body = ErrorBody)))]
async fn list_tables(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(event_id): Path<Uuid>,
) -> AppResult<Json<TableList>> {
    Ok(Json(TableList {
        tables: venue::tables(&state, &user.person, event_id).await?,
    }))
}

/// Add one table.
#[utoipa::path(post, path = "/api/events/{event_id}/tables", tag = "venue", request_body = TableInput,
    responses((status = 201, body = TableView), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn add_table(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(event_id): Path<Uuid>,
    Json(body): Json<TableInput>,
) -> AppResult<(StatusCode, Json<TableView>)> {
    Ok((
        StatusCode::CREATED,
        Json(venue::save_table(&state, &user.person, event_id, None, body).await?),
    ))
}

/// Set the number of tables: they become 1..count.
#[utoipa::path(put, path = "/api/events/{event_id}/tables", tag = "venue", request_body = TableCount,
    responses((status = 200, body = TableList),
        (status = 409, description = "`table_has_meetings`: a table it would remove has scheduled meetings", body = ErrorBody),
        (status = 422, body = ErrorBody)))]
async fn set_table_count(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(event_id): Path<Uuid>,
    Json(body): Json<TableCount>,
) -> AppResult<Json<TableList>> {
    Ok(Json(TableList {
        tables: venue::set_table_count(&state, &user.person, event_id, body).await?,
    }))
}

/// Renumber or label one table.
#[utoipa::path(patch, path = "/api/events/{event_id}/tables/{table_id}", tag = "venue", request_body = TableInput,
    responses((status = 200, body = TableView), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
async fn update_table(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((event_id, table_id)): Path<(Uuid, Uuid)>,
    Json(body): Json<TableInput>,
) -> AppResult<Json<TableView>> {
    Ok(Json(
        venue::save_table(&state, &user.person, event_id, Some(table_id), body).await?,
    ))
}

/// Remove one table (refused while scheduled meetings are at it).
#[utoipa::path(delete, path = "/api/events/{event_id}/tables/{table_id}", tag = "venue",
    responses((status = 204), (status = 404, body = ErrorBody),
        (status = 409, description = "`table_has_meetings`: scheduled meetings are at it", body = ErrorBody)))]
async fn delete_table(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((event_id, table_id)): Path<(Uuid, Uuid)>,
) -> AppResult<StatusCode> {
    venue::delete_table(&state, &user.person, event_id, table_id).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Serialize, ToSchema)]
pub struct TermList {
    pub terms: Vec<Term>,
}

/// Product groups, the circular ambition map, business models, evidence kinds and dialogue themes.
#[utoipa::path(get, path = "/api/events/{event_id}/taxonomy", tag = "taxonomy",
    responses((status = 200, body = TermList), (status = 404, body = ErrorBody)))]
async fn list_terms(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(event_id): Path<Uuid>,
) -> AppResult<Json<TermList>> {
    Ok(Json(TermList {
        terms: service::terms(&state, &user.person, event_id).await?,
    }))
}

/// Add a term to one of the lists.
#[utoipa::path(post, path = "/api/events/{event_id}/taxonomy", tag = "taxonomy", request_body = TermInput,
    responses((status = 201, body = Term), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn add_term(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(event_id): Path<Uuid>,
    Json(body): Json<TermInput>,
) -> AppResult<(StatusCode, Json<Term>)> {
    Ok((
        StatusCode::CREATED,
        Json(service::add_term(&state, &user.person, event_id, body).await?),
    ))
}

/// Rename a term or move it in its list.
#[utoipa::path(patch, path = "/api/events/{event_id}/taxonomy/{term_id}", tag = "taxonomy", request_body = TermInput,
    responses((status = 200, body = Term), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn update_term(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((event_id, term_id)): Path<(Uuid, Uuid)>,
    Json(body): Json<TermInput>,
) -> AppResult<Json<Term>> {
    Ok(Json(
        service::update_term(&state, &user.person, event_id, term_id, body).await?,
    ))
}

/// Remove a term (a goal takes its strategies with it).
#[utoipa::path(delete, path = "/api/events/{event_id}/taxonomy/{term_id}", tag = "taxonomy",
    responses((status = 204), (status = 404, body = ErrorBody)))]
async fn delete_term(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((event_id, term_id)): Path<(Uuid, Uuid)>,
) -> AppResult<StatusCode> {
    service::delete_term(&state, &user.person, event_id, term_id).await?;
    Ok(StatusCode::NO_CONTENT)
}
