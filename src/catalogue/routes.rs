//! HTTP endpoints for factsheets, their review, the catalogue, uploads and buyer needs.

use axum::body::{Body, Bytes};
use axum::extract::{RawQuery, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use uuid::Uuid;

use super::browse::{self, PrintCatalogue, PublishedFactsheetPage, SearchParams, SearchResult};
use super::content::{Facet, FactsheetContent};
use super::needs::{self, BuyerNeeds, NeedsInput, NeedsView};
use super::search::{Filters, Sort};
use super::service::{
    self, Diff, ExportRow, FactsheetStatus, FactsheetSummary, FactsheetView, HistoryEntry,
    ReviewInput, ReviewQueue, StandInput,
};
use super::uploads::{self, Purpose, UploadView};
use crate::auth::{CurrentUser, MaybeUser};
use crate::bounds;
use crate::error::{AppError, AppResult, ErrorBody, FieldError};
use crate::file_response;
use crate::http::{Json, Path, Query};
use crate::state::AppState;
use crate::upload_gate;

pub fn router() -> OpenApiRouter<AppState> {
    let uploads = OpenApiRouter::new()
        .routes(routes!(upload))
        // The handler reads the body with the upload limits from the settings.
        .layer(axum::extract::DefaultBodyLimit::disable());
    OpenApiRouter::new()
        .routes(routes!(list, create))
        .routes(routes!(get, save, delete))
        .routes(routes!(submit))
        .routes(routes!(withdraw))
        .routes(routes!(review))
        .routes(routes!(set_stand))
        .routes(routes!(history))
        .routes(routes!(diff))
        .routes(routes!(export))
        .routes(routes!(review_queue))
        .routes(routes!(catalogue))
        .routes(routes!(catalogue_print))
        .routes(routes!(catalogue_factsheet))
        .routes(routes!(file))
        .routes(routes!(my_needs, save_needs))
        .routes(routes!(list_needs))
        .merge(uploads)
}

#[derive(Serialize, ToSchema)]
pub struct FactsheetList {
    pub factsheets: Vec<FactsheetSummary>,
}

#[derive(Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct ListQuery {
    /// Only factsheets in this state.
    pub status: Option<FactsheetStatus>,
}

/// Factsheets I manage: my organisation's (suppliers) or all (organisers).
#[utoipa::path(get, path = "/api/events/{event_id}/factsheets", tag = "catalogue", operation_id = "list_factsheets", params(ListQuery),
    responses((status = 200, body = FactsheetList), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn list(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(event_id): Path<Uuid>,
    Query(query): Query<ListQuery>,
) -> AppResult<Json<FactsheetList>> {
    Ok(Json(FactsheetList {
        factsheets: service::list(&state, &user.person, event_id, query.status).await?,
    }))
}

/// Write a new factsheet (suppliers): it starts as a draft.
#[utoipa::path(post, path = "/api/events/{event_id}/factsheets", tag = "catalogue", request_body = FactsheetContent,
    responses((status = 201, body = FactsheetView), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
#[tracing::instrument(skip_all, fields(%event_id))]
async fn create(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(event_id): Path<Uuid>,
    Json(body): Json<FactsheetContent>,
) -> AppResult<(StatusCode, Json<FactsheetView>)> {
    Ok((
        StatusCode::CREATED,
        Json(service::create(&state, &user.person, event_id, body).await?),
    ))
}

/// A factsheet with its working copy, published copy and review state.
#[utoipa::path(get, path = "/api/events/{event_id}/factsheets/{factsheet_id}", tag = "catalogue",
    responses((status = 200, body = FactsheetView), (status = 404, body = ErrorBody)))]
async fn get(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((event_id, factsheet_id)): Path<(Uuid, Uuid)>,
) -> AppResult<Json<FactsheetView>> {
    Ok(Json(
        service::get(&state, &user.person, event_id, factsheet_id).await?,
    ))
}

/// Save the working copy (the supplier's people); keeps a version.
#[utoipa::path(put, path = "/api/events/{event_id}/factsheets/{factsheet_id}", tag = "catalogue", request_body = FactsheetContent,
    responses((status = 200, body = FactsheetView), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
#[tracing::instrument(skip_all, fields(%event_id, %factsheet_id))]
async fn save(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((event_id, factsheet_id)): Path<(Uuid, Uuid)>,
    Json(body): Json<FactsheetContent>,
) -> AppResult<Json<FactsheetView>> {
    Ok(Json(
        service::save(&state, &user.person, event_id, factsheet_id, body).await?,
    ))
}

/// Delete a factsheet with its history (the supplier's people).
#[utoipa::path(delete, path = "/api/events/{event_id}/factsheets/{factsheet_id}", tag = "catalogue",
    responses((status = 204), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
#[tracing::instrument(skip_all, fields(%event_id, %factsheet_id))]
async fn delete(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((event_id, factsheet_id)): Path<(Uuid, Uuid)>,
) -> AppResult<StatusCode> {
    service::delete(&state, &user.person, event_id, factsheet_id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Submit for review; `422` lists what is still missing.
#[utoipa::path(post, path = "/api/events/{event_id}/factsheets/{factsheet_id}/submit", tag = "catalogue",
    responses((status = 200, body = FactsheetView), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
#[tracing::instrument(skip_all, fields(%event_id, %factsheet_id))]
async fn submit(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((event_id, factsheet_id)): Path<(Uuid, Uuid)>,
) -> AppResult<Json<FactsheetView>> {
    Ok(Json(
        service::submit(&state, &user.person, event_id, factsheet_id).await?,
    ))
}

/// Take a submitted factsheet back to draft.
#[utoipa::path(post, path = "/api/events/{event_id}/factsheets/{factsheet_id}/withdraw", tag = "catalogue",
    responses((status = 200, body = FactsheetView), (status = 409, body = ErrorBody)))]
#[tracing::instrument(skip_all, fields(%event_id, %factsheet_id))]
async fn withdraw(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((event_id, factsheet_id)): Path<(Uuid, Uuid)>,
) -> AppResult<Json<FactsheetView>> {
    Ok(Json(
        service::withdraw(&state, &user.person, event_id, factsheet_id).await?,
    ))
}

/// Approve (publish) or send back with a comment (organisers).
#[utoipa::path(post, path = "/api/events/{event_id}/factsheets/{factsheet_id}/review", tag = "catalogue", request_body = ReviewInput,
    responses((status = 200, body = FactsheetView), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
#[tracing::instrument(skip_all, fields(%event_id, %factsheet_id))]
async fn review(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((event_id, factsheet_id)): Path<(Uuid, Uuid)>,
    Json(body): Json<ReviewInput>,
) -> AppResult<Json<FactsheetView>> {
    Ok(Json(
        service::review(&state, &user.person, event_id, factsheet_id, body).await?,
    ))
}

/// Assign a stand number (organisers); shown at once, without review.
#[utoipa::path(put, path = "/api/events/{event_id}/factsheets/{factsheet_id}/stand", tag = "catalogue", request_body = StandInput,
    responses((status = 200, body = FactsheetView), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
#[tracing::instrument(skip_all, fields(%event_id, %factsheet_id))]
async fn set_stand(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((event_id, factsheet_id)): Path<(Uuid, Uuid)>,
    Json(body): Json<StandInput>,
) -> AppResult<Json<FactsheetView>> {
    Ok(Json(
        service::set_stand(&state, &user.person, event_id, factsheet_id, body).await?,
    ))
}

#[derive(Serialize, ToSchema)]
pub struct History {
    pub versions: Vec<HistoryEntry>,
}

/// Every save, submission and review of a factsheet, oldest first.
#[utoipa::path(get, path = "/api/events/{event_id}/factsheets/{factsheet_id}/history", tag = "catalogue",
    responses((status = 200, body = History), (status = 404, body = ErrorBody)))]
async fn history(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((event_id, factsheet_id)): Path<(Uuid, Uuid)>,
) -> AppResult<Json<History>> {
    Ok(Json(History {
        versions: service::history(&state, &user.person, event_id, factsheet_id).await?,
    }))
}

#[derive(Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct DiffQuery {
    /// Version number to compare from.
    pub from: i32,
    /// Version number to compare to.
    pub to: i32,
}

/// The fields that differ between two versions.
#[utoipa::path(get, path = "/api/events/{event_id}/factsheets/{factsheet_id}/diff", tag = "catalogue", params(DiffQuery),
    responses((status = 200, body = Diff), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn diff(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((event_id, factsheet_id)): Path<(Uuid, Uuid)>,
    Query(query): Query<DiffQuery>,
) -> AppResult<Json<Diff>> {
    Ok(Json(
        service::diff(
            &state,
            &user.person,
            event_id,
            factsheet_id,
            query.from,
            query.to,
        )
        .await?,
    ))
}

#[derive(Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct ExportQuery {
    /// `csv` (default) or `json`.
    #[param(inline, value_type = Option<ExportFormat>)]
    pub format: Option<String>,
}

/// Documents the export formats (the handler reads the text, to name the choices in its error).
#[derive(ToSchema)]
#[schema(rename_all = "lowercase")]
#[allow(dead_code)]
enum ExportFormat {
    Csv,
    Json,
}

const CSV_COLUMNS: [&str; 26] = [
    "id",
    "organisation",
    "status",
    "published_at",
    "stand",
    "title_nl",
    "title_en",
    "pitch_nl",
    "pitch_en",
    "description_nl",
    "description_en",
    "product_groups",
    "business_models",
    "claims",
    "self_declared",
    "price_model_nl",
    "price_model_en",
    "tco_statement_nl",
    "tco_statement_en",
    "reference_cases",
    "contact_name",
    "contact_email",
    "contact_phone",
    "website",
    "country",
    "languages",
];

/// The export as a spreadsheet: every cell guarded against formulas
/// ([`crate::spreadsheet`]), since suppliers write the texts.
fn csv_export(rows: &[ExportRow]) -> AppResult<Vec<u8>> {
    let mut lines = Vec::with_capacity(rows.len());
    for row in rows {
        let c = &row.content;
        // Claims as "A3: lca LCA 2024 (https://...) | C5: self-declared".
        let claims = c
            .claims
            .iter()
            .map(|claim| {
                let evidence = if claim.evidence.is_empty() {
                    "self-declared".to_string()
                } else {
                    claim
                        .evidence
                        .iter()
                        .map(|e| {
                            let target = if e.url.is_empty() {
                                e.upload_id
                                    .map(|id| format!("/api/files/{id}"))
                                    .unwrap_or_default()
                            } else {
                                e.url.clone()
                            };
                            format!("{} {} ({target})", e.kind, e.title)
                        })
                        .collect::<Vec<_>>()
                        .join("; ")
                };
                format!("{}: {evidence}", claim.strategy)
            })
            .collect::<Vec<_>>()
            .join(" | ");
        let cases = c
            .reference_cases
            .iter()
            .map(|r| {
                [
                    r.title_nl.as_str(),
                    r.title_en.as_str(),
                    r.client.as_str(),
                    r.url.as_str(),
                ]
                .into_iter()
                .filter(|s| !s.is_empty())
                .collect::<Vec<_>>()
                .join(", ")
            })
            .collect::<Vec<_>>()
            .join(" | ");
        lines.push([
            row.id.to_string(),
            row.organisation.clone(),
            row.status.as_str().to_string(),
            row.published_at.map(|t| t.to_rfc3339()).unwrap_or_default(),
            row.stand.clone().unwrap_or_default(),
            c.title_nl.clone(),
            c.title_en.clone(),
            c.pitch_nl.clone(),
            c.pitch_en.clone(),
            c.description_nl.clone(),
            c.description_en.clone(),
            c.product_groups.join(";"),
            c.business_models.join(";"),
            claims,
            row.self_declared.join(";"),
            c.price_model_nl.clone(),
            c.price_model_en.clone(),
            c.tco_statement_nl.clone(),
            c.tco_statement_en.clone(),
            cases,
            c.contact_name.clone(),
            c.contact_email.clone(),
            c.contact_phone.clone(),
            c.website.clone(),
            c.country.clone(),
            c.languages().join(";"),
        ]);
    }
    Ok(crate::spreadsheet::csv_file(&CSV_COLUMNS, lines)?)
}

/// Every factsheet as CSV or JSON (organisers): the published copy where there is one.
#[utoipa::path(get, path = "/api/events/{event_id}/factsheets/export", tag = "catalogue", params(ExportQuery),
    responses((status = 200, description = "text/csv or application/json, as a download"), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn export(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(event_id): Path<Uuid>,
    Query(query): Query<ExportQuery>,
) -> AppResult<Response> {
    let format = query.format.unwrap_or_else(|| "csv".into());
    if format != "csv" && format != "json" {
        return Err(AppError::field(
            "format",
            "invalid_value",
            "choose csv or json",
        ));
    }
    let rows = service::export_rows(&state, &user.person, event_id).await?;
    let (body, content_type) = if format == "json" {
        (
            serde_json::to_vec_pretty(&rows).map_err(anyhow::Error::from)?,
            "application/json",
        )
    } else {
        (csv_export(&rows)?, "text/csv; charset=utf-8")
    };
    let disposition = format!("attachment; filename=\"factsheets-{event_id}.{format}\"");
    Ok((
        [
            (header::CONTENT_TYPE, content_type.to_string()),
            (header::CONTENT_DISPOSITION, disposition),
            (header::CACHE_CONTROL, "no-store".to_string()),
        ],
        body,
    )
        .into_response())
}

/// The organisers' review queue: submitted factsheets and claims without evidence.
#[utoipa::path(get, path = "/api/events/{event_id}/review", tag = "catalogue",
    responses((status = 200, body = ReviewQueue), (status = 403, body = ErrorBody)))]
async fn review_queue(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(event_id): Path<Uuid>,
) -> AppResult<Json<ReviewQueue>> {
    Ok(Json(
        service::review_queue(&state, &user.person, event_id).await?,
    ))
}

/// Documents the catalogue's query parameters; the handler reads them itself because the
/// facet parameters repeat.
#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[allow(dead_code)]
pub struct CatalogueQuery {
    /// Words to find (Dutch and English stemming; the last word also as a prefix).
    pub q: Option<String>,
    /// Product group codes; repeat for several.
    pub product_group: Option<Vec<String>>,
    /// Ambition goals (`A` ... `E`).
    pub goal: Option<Vec<String>>,
    /// Ambition strategies (`A1` ... `E6`).
    pub strategy: Option<Vec<String>>,
    pub business_model: Option<Vec<String>>,
    /// Evidence kinds, or `self-declared`.
    pub evidence: Option<Vec<String>>,
    /// `nl` or `en`.
    pub language: Option<Vec<String>>,
    /// ISO country codes.
    pub country: Option<Vec<String>>,
    /// `relevance` (default with `q`), `title` (default without), `newest` or `stand`.
    pub sort: Option<Sort>,
    /// 1-based.
    pub page: Option<usize>,
    /// Default 20.
    pub per_page: Option<usize>,
}

fn search_params(raw: Option<&str>) -> AppResult<SearchParams> {
    let mut params = SearchParams {
        page: 1,
        per_page: 20,
        ..SearchParams::default()
    };
    let mut filters: [Vec<String>; 7] = Default::default();
    let mut errors = Vec::new();
    let number = |key: &str,
                  value: &str,
                  range: &std::ops::RangeInclusive<usize>,
                  errors: &mut Vec<FieldError>| match value.parse::<usize>() {
        Ok(n) if range.contains(&n) => Some(n),
        _ => {
            errors.push(FieldError::new(
                key,
                "invalid_value",
                format!("a whole number from {} to {}", range.start(), range.end()),
            ));
            None
        }
    };
    for (key, value) in form_urlencoded::parse(raw.unwrap_or("").as_bytes()) {
        let value = value.trim().to_string();
        match key.as_ref() {
            "q" => params.q = value,
            "sort" => match serde_json::from_value::<Sort>(serde_json::Value::String(value)) {
                Ok(sort) => params.sort = Some(sort),
                Err(_) => errors.push(FieldError::new(
                    "sort",
                    "invalid_value",
                    "choose relevance, title, newest or stand",
                )),
            },
            "page" => params.page = number("page", &value, &bounds::PAGE, &mut errors).unwrap_or(1),
            "per_page" => {
                params.per_page =
                    number("per_page", &value, &bounds::PER_PAGE, &mut errors).unwrap_or(20)
            }
            other => match Facet::ALL.into_iter().find(|f| f.name() == other) {
                Some(facet) if !value.is_empty() => filters[facet.index()].push(value),
                Some(_) => {}
                None => errors.push(FieldError::new(
                    other,
                    "unknown_field",
                    "not a catalogue parameter",
                )),
            },
        }
    }
    if !errors.is_empty() {
        return Err(AppError::Validation(errors));
    }
    params.filters = Filters(filters);
    Ok(params)
}

/// Search the published factsheets, with facet counts, sorting and paging. Without login
/// when the event's catalogue is public.
#[utoipa::path(get, path = "/api/events/{event_id}/catalogue", tag = "catalogue", params(CatalogueQuery), security((), ("session" = [])),
    responses((status = 200, body = SearchResult), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn catalogue(
    State(state): State<AppState>,
    MaybeUser(viewer): MaybeUser,
    Path(event_id): Path<Uuid>,
    RawQuery(raw): RawQuery,
) -> AppResult<Json<SearchResult>> {
    let params = search_params(raw.as_deref())?;
    Ok(Json(
        browse::search(&state, viewer.as_ref(), event_id, params).await?,
    ))
}

/// Every published factsheet grouped by product group, for the printed catalogue.
#[utoipa::path(get, path = "/api/events/{event_id}/catalogue/print", tag = "catalogue", security((), ("session" = [])),
    responses((status = 200, body = PrintCatalogue), (status = 404, body = ErrorBody)))]
async fn catalogue_print(
    State(state): State<AppState>,
    MaybeUser(viewer): MaybeUser,
    Path(event_id): Path<Uuid>,
) -> AppResult<Json<PrintCatalogue>> {
    Ok(Json(
        browse::print(&state, viewer.as_ref(), event_id).await?,
    ))
}

/// One published factsheet with the labels of the codes it uses.
#[utoipa::path(get, path = "/api/events/{event_id}/catalogue/{factsheet_id}", tag = "catalogue", security((), ("session" = [])),
    responses((status = 200, body = PublishedFactsheetPage), (status = 404, body = ErrorBody)))]
async fn catalogue_factsheet(
    State(state): State<AppState>,
    MaybeUser(viewer): MaybeUser,
    Path((event_id, factsheet_id)): Path<(Uuid, Uuid)>,
) -> AppResult<Json<PublishedFactsheetPage>> {
    Ok(Json(
        browse::factsheet(&state, viewer.as_ref(), event_id, factsheet_id).await?,
    ))
}

#[derive(Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct UploadQuery {
    #[param(inline)]
    pub purpose: Purpose,
    /// The file's name; its extension must match the content.
    pub filename: String,
}

/// Upload a logo, image or document as the raw request body (any Content-Type: the type
/// is read from the content).
#[utoipa::path(post, path = "/api/events/{event_id}/uploads", tag = "catalogue", params(UploadQuery),
    request_body(content = crate::openapi::Binary, content_type = "application/octet-stream"),
    responses((status = 201, body = UploadView), (status = 403, body = ErrorBody), (status = 413, body = ErrorBody),
        (status = 415, body = ErrorBody), (status = 422, body = ErrorBody),
        (status = 503, body = ErrorBody, description = "too many uploads in progress; try again after `Retry-After` seconds")))]
#[tracing::instrument(skip_all, fields(%event_id))]
async fn upload(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(event_id): Path<Uuid>,
    Query(query): Query<UploadQuery>,
    body: Body,
) -> AppResult<Response> {
    // A place in the upload queue comes first, so waiting uploads cannot pile up bodies.
    let Some(admitted) = state.uploads.admit() else {
        let retry = HeaderValue::from(upload_gate::RETRY_AFTER_SECONDS);
        return Ok(([(header::RETRY_AFTER, retry)], upload_gate::busy()).into_response());
    };
    let bytes: Bytes = axum::body::to_bytes(body, uploads::body_limit(&state))
        .await
        .map_err(|_| uploads::too_large_for(&state))?;
    let view = uploads::receive(
        &state,
        &user.person,
        event_id,
        query.purpose,
        &query.filename,
        &bytes,
        admitted,
    )
    .await?;
    Ok((StatusCode::CREATED, Json(view)).into_response())
}

#[derive(Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct FileQuery {
    /// `thumb` for an image's thumbnail.
    pub variant: Option<String>,
}

/// An uploaded file, for those who may see it. Images inline; documents as attachments.
/// Streamed from disk; a single `Range` (with `If-Range` on the `ETag`) gets `206`.
#[utoipa::path(get, path = "/api/files/{upload_id}", tag = "catalogue", params(FileQuery), security((), ("session" = [])),
    responses((status = 200, description = "the file"), (status = 206, description = "the requested part of the file"),
        (status = 404, body = ErrorBody), (status = 416, body = ErrorBody)))]
async fn file(
    State(state): State<AppState>,
    MaybeUser(viewer): MaybeUser,
    Path(upload_id): Path<Uuid>,
    Query(query): Query<FileQuery>,
    request: HeaderMap,
) -> AppResult<Response> {
    let thumb = query.variant.as_deref() == Some("thumb");
    let stored = uploads::open(&state, viewer.as_ref(), upload_id, thumb).await?;
    let typed = |v: &str| {
        HeaderValue::from_str(v).unwrap_or(HeaderValue::from_static("application/octet-stream"))
    };
    let row = &stored.row;
    let content_type = typed(&row.content_type);
    let is_image = row.content_type.starts_with("image/");
    // The name was checked on upload; only plain characters go into the header.
    let ascii: String = row
        .filename
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_' | ' ') {
                c
            } else {
                '_'
            }
        })
        .collect();
    let mut response = file_response::serve(
        &request,
        stored.file,
        stored.len,
        &stored.sha256,
        content_type,
    )
    .await?;
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static("default-src 'none'; sandbox"),
    );
    headers.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("private, max-age=3600"),
    );
    if !is_image {
        headers.insert(
            header::CONTENT_DISPOSITION,
            typed(&format!("attachment; filename=\"{ascii}\"")),
        );
    }
    Ok(response)
}

/// My needs profile (buyers).
#[utoipa::path(get, path = "/api/events/{event_id}/needs/me", tag = "catalogue",
    responses((status = 200, body = NeedsView), (status = 403, body = ErrorBody)))]
async fn my_needs(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(event_id): Path<Uuid>,
) -> AppResult<Json<NeedsView>> {
    Ok(Json(needs::mine(&state, &user.person, event_id).await?))
}

/// Write my needs profile (buyers).
#[utoipa::path(put, path = "/api/events/{event_id}/needs/me", tag = "catalogue", request_body = NeedsInput,
    responses((status = 200, body = NeedsView), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
#[tracing::instrument(skip_all, fields(%event_id))]
async fn save_needs(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(event_id): Path<Uuid>,
    Json(body): Json<NeedsInput>,
) -> AppResult<Json<NeedsView>> {
    Ok(Json(
        needs::save(&state, &user.person, event_id, body).await?,
    ))
}

#[derive(Serialize, ToSchema)]
pub struct NeedsList {
    pub needs: Vec<BuyerNeeds>,
}

/// Buyers' needs: the shared ones (suppliers) or all (organisers).
#[utoipa::path(get, path = "/api/events/{event_id}/needs", tag = "catalogue",
    responses((status = 200, body = NeedsList), (status = 403, body = ErrorBody)))]
async fn list_needs(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(event_id): Path<Uuid>,
) -> AppResult<Json<NeedsList>> {
    Ok(Json(NeedsList {
        needs: needs::list(&state, &user.person, event_id).await?,
    }))
}
