//! Factsheets: writing (the supplier's own people), the review workflow (organisers), the
//! version history, and what the catalogue shows. Every change takes the factsheet's
//! version number with a conditional update, so two people saving at once cannot both win.

use chrono::{DateTime, Utc};
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Set,
};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use super::content::{self, FactsheetContent, FieldChange, UsableUploads, Vocabulary};
use super::search;
use super::uploads::{self, UploadView};
use crate::auth::service::LinkPurpose;
use crate::domain::{Lang, Role, StringList, UploadPurpose};
use crate::entities::{
    factsheet, factsheet_version, organisation, participation, person, taxonomy_term, upload,
};
use crate::error::{AppError, AppResult, FieldError};
use crate::events::access::{self, EventAccess};
use crate::live::{self, Audience, LiveKind, LiveMessage};
use crate::mail::templates::{Mail, render};
use crate::state::AppState;

pub use crate::domain::{FactsheetAction, FactsheetStatus};

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct OrganisationRef {
    pub id: Uuid,
    pub name: String,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PersonRef {
    pub id: Uuid,
    pub name: String,
}

/// A factsheet as its supplier and the organisers see it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct FactsheetView {
    pub id: Uuid,
    pub event_id: Uuid,
    pub organisation: OrganisationRef,
    /// The state of the working copy.
    pub status: FactsheetStatus,
    /// The catalogue shows a version of this factsheet.
    pub published: bool,
    /// Published, and the working copy differs from what the catalogue shows.
    pub has_pending_changes: bool,
    pub stand: Option<String>,
    /// The organiser's comment when the factsheet was sent back.
    pub review_comment: Option<String>,
    pub reviewed_at: Option<DateTime<Utc>>,
    /// The working copy.
    pub content: FactsheetContent,
    /// What the catalogue shows.
    pub published_content: Option<FactsheetContent>,
    pub languages: Vec<String>,
    /// Strategies of the working copy claimed without evidence.
    pub self_declared: Vec<String>,
    /// The latest history number.
    pub version: i32,
    /// Every upload the working and published copies refer to.
    pub uploads: Vec<UploadView>,
    pub can_edit: bool,
    pub can_review: bool,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub submitted_at: Option<DateTime<Utc>>,
    pub published_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct FactsheetSummary {
    pub id: Uuid,
    pub organisation: OrganisationRef,
    pub title_nl: String,
    pub title_en: String,
    pub status: FactsheetStatus,
    pub published: bool,
    pub has_pending_changes: bool,
    pub stand: Option<String>,
    pub self_declared: Vec<String>,
    pub updated_at: DateTime<Utc>,
    pub submitted_at: Option<DateTime<Utc>>,
}

/// An organiser's decision on a submitted factsheet (`ReviewDecision` in the document:
/// organisations have a `Decision` of their own).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
#[schema(as = ReviewDecision)]
pub enum Decision {
    Approve,
    Return,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReviewInput {
    pub decision: Decision,
    /// Required when sending back: what the supplier should change.
    #[serde(default)]
    pub comment: Option<String>,
    /// The version the organiser reviewed; a newer save by the supplier is a conflict.
    #[serde(default)]
    pub version: Option<i32>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct StandInput {
    /// A stand or booth number such as `B12`; null or empty removes it.
    pub stand: Option<String>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct HistoryEntry {
    pub number: i32,
    pub action: FactsheetAction,
    pub author: PersonRef,
    pub comment: Option<String>,
    pub created_at: DateTime<Utc>,
    pub changed_fields: Vec<String>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Diff {
    pub from: i32,
    pub to: i32,
    pub changes: Vec<FieldChange>,
    /// The uploads both versions refer to (logo, images, evidence documents), so a diff can
    /// name files instead of their ids.
    pub uploads: Vec<UploadView>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct SelfDeclaredClaim {
    pub factsheet_id: Uuid,
    pub organisation: OrganisationRef,
    pub title_nl: String,
    pub title_en: String,
    pub strategy: String,
    /// The claim is in the published catalogue (otherwise only in the working copy).
    pub published: bool,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ReviewQueue {
    /// Submitted factsheets, oldest submission first: new ones and changes to published ones.
    pub submitted: Vec<FactsheetSummary>,
    /// Claims without evidence, in the catalogue or waiting for review.
    pub self_declared_claims: Vec<SelfDeclaredClaim>,
}

// ---- shared pieces ----

/// Reads stored factsheet content. Content the server cannot read is an error (a 500 with
/// the cause in the log), never an empty factsheet that a save would then write back.
pub(super) fn parse_content(raw: &str) -> AppResult<FactsheetContent> {
    serde_json::from_str(raw).map_err(|err| {
        AppError::Internal(anyhow::anyhow!(
            "a stored factsheet could not be read: {err}"
        ))
    })
}

/// The published content of a factsheet, if it was ever published.
pub(crate) fn published_content(row: &factsheet::Model) -> AppResult<Option<FactsheetContent>> {
    row.published_content
        .as_deref()
        .map(parse_content)
        .transpose()
}

fn to_json(content: &FactsheetContent) -> AppResult<String> {
    Ok(serde_json::to_string(content).map_err(anyhow::Error::from)?)
}

/// The event's taxonomy as the factsheet rules and the catalogue use it.
pub async fn vocabulary<C: ConnectionTrait>(db: &C, event_id: Uuid) -> AppResult<Vocabulary> {
    let terms = taxonomy_term::Entity::find()
        .filter(taxonomy_term::Column::EventId.eq(event_id))
        .order_by_asc(taxonomy_term::Column::Position)
        .all(db)
        .await?;
    let mut v = Vocabulary::default();
    for t in terms {
        v.add(t.kind, t.code, t.parent_code, t.name_nl, t.name_en);
    }
    Ok(v)
}

async fn usable_uploads<C: ConnectionTrait>(
    db: &C,
    event_id: Uuid,
    organisation_id: Uuid,
) -> AppResult<UsableUploads> {
    let rows = upload::Entity::find()
        .filter(upload::Column::EventId.eq(event_id))
        .filter(upload::Column::OrganisationId.eq(organisation_id))
        .all(db)
        .await?;
    let mut usable = UsableUploads::default();
    for row in rows {
        match row.purpose {
            UploadPurpose::Logo => usable.logos.insert(row.id),
            UploadPurpose::Image => usable.images.insert(row.id),
            UploadPurpose::Document => usable.documents.insert(row.id),
        };
    }
    Ok(usable)
}

/// The organisation this person writes factsheets for in this event, if they may.
fn own_organisation(access: &EventAccess, by: &person::Model) -> Option<Uuid> {
    // `role` is that of an active participation, and `organisation_id` is written only
    // by a recorded grant (organisations::service), never by what someone typed.
    (access.role == Some(Role::Supplier))
        .then_some(by.organisation_id)
        .flatten()
}

async fn load<C: ConnectionTrait>(
    db: &C,
    event_id: Uuid,
    factsheet_id: Uuid,
) -> AppResult<factsheet::Model> {
    crate::events::find_in_event::<factsheet::Entity, _>(
        db,
        (factsheet::Column::Id, factsheet::Column::EventId),
        event_id,
        factsheet_id,
        "factsheet",
    )
    .await
}

/// The supplier's own people may edit; organisers are told they may not; anyone else
/// learns nothing.
fn require_owner(
    access: &EventAccess,
    by: &person::Model,
    row: &factsheet::Model,
) -> AppResult<()> {
    if own_organisation(access, by) == Some(row.organisation_id) {
        Ok(())
    } else if access.is_organiser() {
        Err(AppError::Forbidden(
            "only the supplier's own people edit its factsheets".into(),
        ))
    } else {
        Err(AppError::NotFound("factsheet"))
    }
}

fn require_reader(
    access: &EventAccess,
    by: &person::Model,
    row: &factsheet::Model,
) -> AppResult<()> {
    if access.is_organiser() || own_organisation(access, by) == Some(row.organisation_id) {
        Ok(())
    } else {
        Err(AppError::NotFound("factsheet"))
    }
}

async fn organisation_ref<C: ConnectionTrait>(db: &C, id: Uuid) -> AppResult<OrganisationRef> {
    let org = organisation::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound("organisation"))?;
    Ok(OrganisationRef {
        id: org.id,
        name: org.name,
    })
}

pub(crate) async fn organisations<C: ConnectionTrait>(
    db: &C,
    ids: Vec<Uuid>,
) -> AppResult<std::collections::HashMap<Uuid, String>> {
    Ok(organisation::Entity::find()
        .filter(organisation::Column::Id.is_in(ids))
        .all(db)
        .await?
        .into_iter()
        .map(|o| (o.id, o.name))
        .collect())
}

pub(super) async fn upload_views<C: ConnectionTrait>(
    db: &C,
    ids: Vec<Uuid>,
) -> AppResult<Vec<UploadView>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    Ok(upload::Entity::find()
        .filter(upload::Column::Id.is_in(ids))
        .all(db)
        .await?
        .iter()
        .map(uploads::view)
        .collect())
}

async fn view<C: ConnectionTrait>(
    db: &C,
    access: &EventAccess,
    by: &person::Model,
    row: factsheet::Model,
) -> AppResult<FactsheetView> {
    let content = parse_content(&row.content)?;
    let published_content = published_content(&row)?;
    let mut ids = content.upload_ids();
    if let Some(p) = &published_content {
        ids.extend(p.upload_ids());
    }
    ids.sort();
    ids.dedup();
    let published = row.published_at.is_some();
    Ok(FactsheetView {
        id: row.id,
        event_id: row.event_id,
        organisation: organisation_ref(db, row.organisation_id).await?,
        status: row.status,
        published,
        has_pending_changes: published && published_content.as_ref() != Some(&content),
        stand: row.stand,
        review_comment: row.review_comment,
        reviewed_at: row.reviewed_at,
        languages: content.languages().iter().map(|l| l.to_string()).collect(),
        self_declared: content.self_declared(),
        uploads: upload_views(db, ids).await?,
        can_edit: own_organisation(access, by) == Some(row.organisation_id),
        can_review: access.is_organiser(),
        content,
        published_content,
        version: row.version,
        created_at: row.created_at,
        updated_at: row.updated_at,
        submitted_at: row.submitted_at,
        published_at: row.published_at,
    })
}

fn summary(row: &factsheet::Model, organisation: OrganisationRef) -> AppResult<FactsheetSummary> {
    let content = parse_content(&row.content)?;
    let published = row.published_at.is_some();
    let pending = published && published_content(row)?.as_ref() != Some(&content);
    Ok(FactsheetSummary {
        id: row.id,
        organisation,
        self_declared: content.self_declared(),
        title_nl: content.title_nl,
        title_en: content.title_en,
        status: row.status,
        published,
        has_pending_changes: pending,
        stand: row.stand.clone(),
        updated_at: row.updated_at,
        submitted_at: row.submitted_at,
    })
}

/// Takes the next version number, or fails when someone else changed the factsheet since
/// it was read (the update only matches the version that was read).
async fn next_version<C: ConnectionTrait>(db: &C, row: &factsheet::Model) -> AppResult<i32> {
    let result = factsheet::Entity::update_many()
        .col_expr(
            factsheet::Column::Version,
            Expr::col(factsheet::Column::Version).add(1),
        )
        .filter(factsheet::Column::Id.eq(row.id))
        .filter(factsheet::Column::Version.eq(row.version))
        .exec(db)
        .await?;
    if result.rows_affected == 0 {
        return Err(AppError::conflict(
            "someone changed this factsheet at the same moment; reload it and try again",
        ));
    }
    Ok(row.version + 1)
}

/// One step in a factsheet's life, in the caller's transaction: takes the next version
/// number (refusing a change made meanwhile), saves `active` (already changed by the caller)
/// with it and records the step in the history.
async fn step<C: ConnectionTrait>(
    db: &C,
    row: &factsheet::Model,
    mut active: factsheet::ActiveModel,
    by: &person::Model,
    action: FactsheetAction,
    changed: &[FieldChange],
    comment: Option<String>,
) -> AppResult<factsheet::Model> {
    let number = next_version(db, row).await?;
    active.version = Set(number);
    active.updated_at = Set(Utc::now());
    let row = active.update(db).await?;
    record(
        db,
        row.id,
        number,
        action,
        &row.content,
        changed,
        by.id,
        comment,
    )
    .await?;
    Ok(row)
}

#[allow(clippy::too_many_arguments)]
async fn record<C: ConnectionTrait>(
    db: &C,
    factsheet_id: Uuid,
    number: i32,
    action: FactsheetAction,
    content: &str,
    changed: &[FieldChange],
    author: Uuid,
    comment: Option<String>,
) -> AppResult<()> {
    let fields = changed.iter().map(|c| c.field.clone()).collect();
    factsheet_version::ActiveModel {
        id: Set(Uuid::now_v7()),
        factsheet_id: Set(factsheet_id),
        number: Set(number),
        action: Set(action),
        content: Set(content.into()),
        changed_fields: Set(StringList(fields)),
        author_id: Set(author),
        comment: Set(comment),
        created_at: Set(Utc::now()),
    }
    .insert(db)
    .await?;
    Ok(())
}

/// Makes `content` what the catalogue shows and indexes it for search.
async fn publish_content<C: ConnectionTrait>(
    db: &C,
    row: &factsheet::Model,
    active: &mut factsheet::ActiveModel,
    content: &FactsheetContent,
    vocabulary: &Vocabulary,
) -> AppResult<()> {
    let org = organisation_ref(db, row.organisation_id).await?;
    search::listing_changed(db, row.event_id).await?;
    active.published_content = Set(Some(to_json(content)?));
    active.published_at = Set(Some(Utc::now()));
    active.facets = Set(content.facet_keys(vocabulary));
    // Kept free of tabs and line breaks: searches read it back in a packed form.
    active.sort_title = Set(content
        .display_title()
        .to_lowercase()
        .replace(char::is_control, " "));
    search::index(
        db,
        row.event_id,
        row.id,
        &search::document(content, &org.name, vocabulary),
    )
    .await?;
    Ok(())
}

/// Tells a factsheet's open pages (its supplier's people, or the organisers) it changed.
async fn announce<C: ConnectionTrait>(
    db: &C,
    row: &factsheet::Model,
    to_supplier: bool,
) -> AppResult<Vec<std::sync::Arc<LiveMessage>>> {
    let payload = serde_json::json!({
        "id": row.id,
        "status": row.status,
        "published": row.published_at.is_some(),
    });
    let mut messages = vec![
        live::publish(
            db,
            row.event_id,
            Audience::Role(Role::Organiser),
            LiveKind::Factsheet,
            payload.clone(),
        )
        .await?,
    ];
    if to_supplier {
        for person in supplier_people(db, row).await? {
            messages.push(
                live::publish(
                    db,
                    row.event_id,
                    Audience::Person(person.id),
                    LiveKind::Factsheet,
                    payload.clone(),
                )
                .await?,
            );
        }
    }
    Ok(messages)
}

/// The active supplier participants of the factsheet's organisation, with their people,
/// in name order: the people who speak for the factsheet (told of its review, asked for
/// meetings from its page).
pub(crate) async fn supplier_participants<C: ConnectionTrait>(
    db: &C,
    row: &factsheet::Model,
) -> AppResult<Vec<(participation::Model, person::Model)>> {
    let members: Vec<participation::Model> = participation::Entity::find()
        .filter(participation::Column::EventId.eq(row.event_id))
        .filter(participation::Column::Role.eq(Role::Supplier))
        .all(db)
        .await?
        .into_iter()
        .filter(access::is_active)
        .collect();
    let people = person::Entity::find()
        .filter(person::Column::Id.is_in(members.iter().map(|p| p.person_id)))
        .filter(person::Column::OrganisationId.eq(row.organisation_id))
        .order_by_asc(person::Column::Name)
        .order_by_asc(person::Column::Id)
        .all(db)
        .await?;
    Ok(people
        .into_iter()
        .filter_map(|person| {
            let member = members.iter().find(|m| m.person_id == person.id)?;
            Some((member.clone(), person))
        })
        .collect())
}

/// The active supplier participants' people of the factsheet's organisation.
async fn supplier_people<C: ConnectionTrait>(
    db: &C,
    row: &factsheet::Model,
) -> AppResult<Vec<person::Model>> {
    Ok(supplier_participants(db, row)
        .await?
        .into_iter()
        .map(|(_, person)| person)
        .collect())
}

fn check(
    mut content: FactsheetContent,
    vocabulary: &Vocabulary,
    uploads: &UsableUploads,
) -> AppResult<FactsheetContent> {
    let mut errors = Vec::new();
    content.normalise(vocabulary, uploads, &mut errors);
    if errors.is_empty() {
        Ok(content)
    } else {
        Err(AppError::Validation(errors))
    }
}

// ---- the supplier's side ----

pub async fn create(
    state: &AppState,
    by: &person::Model,
    event_id: Uuid,
    input: FactsheetContent,
) -> AppResult<FactsheetView> {
    let txn = crate::db::begin(&state.db).await?;
    let access = access::participant(&txn, by, event_id).await?;
    let Some(organisation_id) = own_organisation(&access, by) else {
        return Err(AppError::Forbidden(
            "only suppliers of the event with an organisation in their profile write factsheets"
                .into(),
        ));
    };
    let vocabulary = vocabulary(&txn, event_id).await?;
    let uploads = usable_uploads(&txn, event_id, organisation_id).await?;
    let content = check(input, &vocabulary, &uploads)?;
    let json = to_json(&content)?;
    let now = Utc::now();
    let row = factsheet::ActiveModel {
        id: Set(Uuid::now_v7()),
        event_id: Set(event_id),
        organisation_id: Set(organisation_id),
        status: Set(FactsheetStatus::Draft),
        stand: Set(None),
        review_comment: Set(None),
        reviewed_by: Set(None),
        reviewed_at: Set(None),
        submitted_at: Set(None),
        content: Set(json.clone()),
        published_content: Set(None),
        published_at: Set(None),
        facets: Set(String::new()),
        sort_title: Set(String::new()),
        version: Set(1),
        created_by: Set(by.id),
        created_at: Set(now),
        updated_at: Set(now),
    }
    .insert(&txn)
    .await?;
    let changed = content::diff(&FactsheetContent::default(), &content);
    record(
        &txn,
        row.id,
        1,
        FactsheetAction::Created,
        &json,
        &changed,
        by.id,
        None,
    )
    .await?;
    let view = view(&txn, &access, by, row).await?;
    txn.commit().await?;
    Ok(view)
}

pub async fn get(
    state: &AppState,
    by: &person::Model,
    event_id: Uuid,
    factsheet_id: Uuid,
) -> AppResult<FactsheetView> {
    let access = access::participant(&state.db, by, event_id).await?;
    let row = load(&state.db, event_id, factsheet_id).await?;
    require_reader(&access, by, &row)?;
    view(&state.db, &access, by, row).await
}

pub async fn save(
    state: &AppState,
    by: &person::Model,
    event_id: Uuid,
    factsheet_id: Uuid,
    input: FactsheetContent,
) -> AppResult<FactsheetView> {
    let txn = crate::db::begin(&state.db).await?;
    let access = access::participant(&txn, by, event_id).await?;
    let row = load(&txn, event_id, factsheet_id).await?;
    require_owner(&access, by, &row)?;
    let vocabulary = vocabulary(&txn, event_id).await?;
    let uploads = usable_uploads(&txn, event_id, row.organisation_id).await?;
    let content = check(input, &vocabulary, &uploads)?;
    let current = parse_content(&row.content)?;
    let changed = content::diff(&current, &content);
    if changed.is_empty() {
        return view(&txn, &access, by, row).await;
    }
    let mut active: factsheet::ActiveModel = row.clone().into();
    active.content = Set(to_json(&content)?);
    // With review of changes off, a change to a published factsheet goes straight to the
    // catalogue, as long as it is still complete.
    let publish_now = row.published_at.is_some()
        && !access.event.factsheet_review_changes
        && content.check_complete().is_empty();
    let action = if publish_now {
        publish_content(&txn, &row, &mut active, &content, &vocabulary).await?;
        active.status = Set(FactsheetStatus::Published);
        active.review_comment = Set(None);
        FactsheetAction::Published
    } else {
        if row.status == FactsheetStatus::Published {
            active.status = Set(FactsheetStatus::Draft);
        }
        FactsheetAction::Saved
    };
    let row = step(&txn, &row, active, by, action, &changed, None).await?;
    let view = view(&txn, &access, by, row).await?;
    txn.commit().await?;
    Ok(view)
}

pub async fn submit(
    state: &AppState,
    by: &person::Model,
    event_id: Uuid,
    factsheet_id: Uuid,
) -> AppResult<FactsheetView> {
    let txn = crate::db::begin(&state.db).await?;
    let access = access::participant(&txn, by, event_id).await?;
    let row = load(&txn, event_id, factsheet_id).await?;
    require_owner(&access, by, &row)?;
    match row.status {
        FactsheetStatus::Submitted => {
            return Err(AppError::conflict(
                "this factsheet is already waiting for review",
            ));
        }
        FactsheetStatus::Published => {
            return Err(AppError::conflict(
                "this factsheet is published as it is; change something first",
            ));
        }
        _ => {}
    }
    let content = parse_content(&row.content)?;
    if published_content(&row)?.as_ref() == Some(&content) {
        return Err(AppError::conflict(
            "nothing changed since the factsheet was published",
        ));
    }
    let missing = content.check_complete();
    if !missing.is_empty() {
        return Err(AppError::Validation(missing));
    }
    let mut active: factsheet::ActiveModel = row.clone().into();
    active.status = Set(FactsheetStatus::Submitted);
    active.submitted_at = Set(Some(Utc::now()));
    let row = step(
        &txn,
        &row,
        active,
        by,
        FactsheetAction::Submitted,
        &[],
        None,
    )
    .await?;
    let messages = announce(&txn, &row, false).await?;
    let view = view(&txn, &access, by, row).await?;
    state.live.commit(txn, &messages).await?;
    Ok(view)
}

pub async fn withdraw(
    state: &AppState,
    by: &person::Model,
    event_id: Uuid,
    factsheet_id: Uuid,
) -> AppResult<FactsheetView> {
    let txn = crate::db::begin(&state.db).await?;
    let access = access::participant(&txn, by, event_id).await?;
    let row = load(&txn, event_id, factsheet_id).await?;
    require_owner(&access, by, &row)?;
    if row.status != FactsheetStatus::Submitted {
        return Err(AppError::conflict(
            "only a submitted factsheet can be withdrawn",
        ));
    }
    let mut active: factsheet::ActiveModel = row.clone().into();
    active.status = Set(FactsheetStatus::Draft);
    active.submitted_at = Set(None);
    let row = step(
        &txn,
        &row,
        active,
        by,
        FactsheetAction::Withdrawn,
        &[],
        None,
    )
    .await?;
    let messages = announce(&txn, &row, false).await?;
    let view = view(&txn, &access, by, row).await?;
    state.live.commit(txn, &messages).await?;
    Ok(view)
}

pub async fn delete(
    state: &AppState,
    by: &person::Model,
    event_id: Uuid,
    factsheet_id: Uuid,
) -> AppResult<()> {
    let txn = crate::db::begin(&state.db).await?;
    let access = access::participant(&txn, by, event_id).await?;
    let row = load(&txn, event_id, factsheet_id).await?;
    require_owner(&access, by, &row)?;
    search::unindex(&txn, row.id).await?;
    if row.published_at.is_some() {
        search::listing_changed(&txn, event_id).await?;
    }
    factsheet::Entity::delete_by_id(row.id).exec(&txn).await?;
    txn.commit().await?;
    Ok(())
}

/// Factsheets of the caller's organisation (suppliers) or of everyone (organisers).
pub async fn list(
    state: &AppState,
    by: &person::Model,
    event_id: Uuid,
    status: Option<FactsheetStatus>,
) -> AppResult<Vec<FactsheetSummary>> {
    let access = access::participant(&state.db, by, event_id).await?;
    let mut query = factsheet::Entity::find().filter(factsheet::Column::EventId.eq(event_id));
    if !access.is_organiser() {
        let Some(org) = own_organisation(&access, by) else {
            return Err(AppError::Forbidden(
                "only suppliers and organisers manage factsheets; the catalogue shows the published ones"
                    .into(),
            ));
        };
        query = query.filter(factsheet::Column::OrganisationId.eq(org));
    }
    if let Some(status) = status {
        query = query.filter(factsheet::Column::Status.eq(status));
    }
    let rows = query
        .order_by_asc(factsheet::Column::CreatedAt)
        .all(&state.db)
        .await?;
    summaries(&state.db, &rows).await
}

async fn summaries<C: ConnectionTrait>(
    db: &C,
    rows: &[factsheet::Model],
) -> AppResult<Vec<FactsheetSummary>> {
    let names = organisations(db, rows.iter().map(|r| r.organisation_id).collect()).await?;
    rows.iter()
        .map(|row| {
            let org = OrganisationRef {
                id: row.organisation_id,
                name: names.get(&row.organisation_id).cloned().unwrap_or_default(),
            };
            summary(row, org)
        })
        .collect()
}

// ---- the organisers' side ----

pub async fn review(
    state: &AppState,
    by: &person::Model,
    event_id: Uuid,
    factsheet_id: Uuid,
    input: ReviewInput,
) -> AppResult<FactsheetView> {
    let txn = crate::db::begin(&state.db).await?;
    let access = access::organiser(&txn, by, event_id).await?;
    let row = load(&txn, event_id, factsheet_id).await?;
    if row.status != FactsheetStatus::Submitted {
        return Err(AppError::conflict(
            "only a submitted factsheet can be reviewed; it may have been withdrawn",
        ));
    }
    if input.version.is_some_and(|v| v != row.version) {
        return Err(AppError::conflict(
            "the supplier changed the factsheet after you opened it; look at it again",
        ));
    }
    let mut errors = Vec::new();
    let comment = crate::domain::optional_multiline_text(
        input.comment.as_deref(),
        "comment",
        crate::bounds::REVIEW_COMMENT_MAX,
        &mut errors,
    );
    if !errors.is_empty() {
        return Err(AppError::Validation(errors));
    }
    if input.decision == Decision::Return && comment.is_none() {
        return Err(AppError::field(
            "comment",
            "required",
            "tell the supplier what to change",
        ));
    }
    let content = parse_content(&row.content)?;
    let mut active: factsheet::ActiveModel = row.clone().into();
    let approved = input.decision == Decision::Approve;
    if approved {
        let vocabulary = vocabulary(&txn, event_id).await?;
        publish_content(&txn, &row, &mut active, &content, &vocabulary).await?;
        active.status = Set(FactsheetStatus::Published);
        active.review_comment = Set(None);
    } else {
        active.status = Set(FactsheetStatus::Returned);
        active.review_comment = Set(comment.clone());
    }
    active.reviewed_by = Set(Some(by.id));
    active.reviewed_at = Set(Some(Utc::now()));
    let action = if approved {
        FactsheetAction::Approved
    } else {
        FactsheetAction::Returned
    };
    let row = step(&txn, &row, active, by, action, &[], comment.clone()).await?;
    for person in supplier_people(&txn, &row).await? {
        let link = crate::auth::service::issue_link(
            &txn,
            state,
            person.id,
            LinkPurpose::Invitation,
            Some(event_id),
        )
        .await?;
        let lang = person.language;
        let title = match lang {
            Lang::En if !content.title_en.is_empty() => &content.title_en,
            _ => content.display_title(),
        };
        let mail = render(
            Mail::FactsheetReviewed {
                event: &access.event.name,
                title,
                approved,
                comment: comment.as_deref().unwrap_or(""),
                link: &link,
                minutes: state.settings.auth.invitation_link_hours * 60,
            },
            (&person).into(),
            Some(&access.event),
        );
        state.mail.enqueue(&txn, mail).await?;
    }
    let messages = announce(&txn, &row, true).await?;
    let view = view(&txn, &access, by, row).await?;
    state.live.commit(txn, &messages).await?;
    state.mail.wake();
    Ok(view)
}

pub async fn set_stand(
    state: &AppState,
    by: &person::Model,
    event_id: Uuid,
    factsheet_id: Uuid,
    input: StandInput,
) -> AppResult<FactsheetView> {
    let txn = crate::db::begin(&state.db).await?;
    let access = access::organiser(&txn, by, event_id).await?;
    let row = load(&txn, event_id, factsheet_id).await?;
    // One line: the stand ends up in the tab-separated search listing.
    let mut errors = Vec::new();
    let stand = crate::domain::optional_text(
        input.stand.as_deref(),
        "stand",
        crate::bounds::STAND_MAX,
        &mut errors,
    );
    if !errors.is_empty() {
        return Err(AppError::Validation(errors));
    }
    if stand == row.stand {
        return view(&txn, &access, by, row).await;
    }
    let mut active: factsheet::ActiveModel = row.clone().into();
    active.stand = Set(stand.clone());
    let row = step(&txn, &row, active, by, FactsheetAction::Stand, &[], stand).await?;
    if row.published_at.is_some() {
        search::listing_changed(&txn, event_id).await?;
    }
    let messages = announce(&txn, &row, true).await?;
    let view = view(&txn, &access, by, row).await?;
    state.live.commit(txn, &messages).await?;
    Ok(view)
}

pub async fn history(
    state: &AppState,
    by: &person::Model,
    event_id: Uuid,
    factsheet_id: Uuid,
) -> AppResult<Vec<HistoryEntry>> {
    let access = access::participant(&state.db, by, event_id).await?;
    let row = load(&state.db, event_id, factsheet_id).await?;
    require_reader(&access, by, &row)?;
    let versions = factsheet_version::Entity::find()
        .filter(factsheet_version::Column::FactsheetId.eq(row.id))
        .order_by_asc(factsheet_version::Column::Number)
        .all(&state.db)
        .await?;
    let mut authors: Vec<Uuid> = versions.iter().map(|v| v.author_id).collect();
    authors.sort();
    authors.dedup();
    let names: std::collections::HashMap<Uuid, String> = person::Entity::find()
        .filter(person::Column::Id.is_in(authors))
        .all(&state.db)
        .await?
        .into_iter()
        .map(|p| (p.id, p.name))
        .collect();
    Ok(versions
        .into_iter()
        .map(|v| HistoryEntry {
            number: v.number,
            action: v.action,
            author: PersonRef {
                id: v.author_id,
                name: names.get(&v.author_id).cloned().unwrap_or_default(),
            },
            comment: v.comment,
            created_at: v.created_at,
            changed_fields: v.changed_fields.0,
        })
        .collect())
}

pub async fn diff(
    state: &AppState,
    by: &person::Model,
    event_id: Uuid,
    factsheet_id: Uuid,
    from: i32,
    to: i32,
) -> AppResult<Diff> {
    let access = access::participant(&state.db, by, event_id).await?;
    let row = load(&state.db, event_id, factsheet_id).await?;
    require_reader(&access, by, &row)?;
    let versions = factsheet_version::Entity::find()
        .filter(factsheet_version::Column::FactsheetId.eq(row.id))
        .filter(factsheet_version::Column::Number.is_in([from, to]))
        .all(&state.db)
        .await?;
    let find = |n: i32, field: &str| {
        versions
            .iter()
            .find(|v| v.number == n)
            .map(|v| parse_content(&v.content))
            .ok_or_else(|| {
                AppError::Validation(vec![FieldError::new(
                    field,
                    "not_found",
                    format!("this factsheet has no version {n}"),
                )])
            })
    };
    let before = find(from, "from")??;
    let after = find(to, "to")??;
    let mut ids = before.upload_ids();
    ids.extend(after.upload_ids());
    ids.sort();
    ids.dedup();
    Ok(Diff {
        from,
        to,
        changes: content::diff(&before, &after),
        uploads: upload_views(&state.db, ids).await?,
    })
}

pub async fn review_queue(
    state: &AppState,
    by: &person::Model,
    event_id: Uuid,
) -> AppResult<ReviewQueue> {
    access::organiser(&state.db, by, event_id).await?;
    let rows = factsheet::Entity::find()
        .filter(factsheet::Column::EventId.eq(event_id))
        .order_by_asc(factsheet::Column::SubmittedAt)
        .all(&state.db)
        .await?;
    let names = organisations(&state.db, rows.iter().map(|r| r.organisation_id).collect()).await?;
    let org = |row: &factsheet::Model| OrganisationRef {
        id: row.organisation_id,
        name: names.get(&row.organisation_id).cloned().unwrap_or_default(),
    };
    let mut submitted = Vec::new();
    let mut claims = Vec::new();
    for row in &rows {
        let status = row.status;
        if status == FactsheetStatus::Submitted {
            submitted.push(summary(row, org(row))?);
        }
        // What the catalogue shows, and what waits for review.
        let mut seen = std::collections::BTreeSet::new();
        let shown = published_content(row)?;
        let waiting = if status == FactsheetStatus::Submitted {
            Some(parse_content(&row.content)?)
        } else {
            None
        };
        for (content, published) in [(shown, true), (waiting, false)] {
            let Some(content) = content else { continue };
            for strategy in content.self_declared() {
                if seen.insert(strategy.clone()) {
                    claims.push(SelfDeclaredClaim {
                        factsheet_id: row.id,
                        organisation: org(row),
                        title_nl: content.title_nl.clone(),
                        title_en: content.title_en.clone(),
                        strategy,
                        published,
                    });
                }
            }
        }
    }
    Ok(ReviewQueue {
        submitted,
        self_declared_claims: claims,
    })
}

/// Every factsheet of the event for the organisers' export: the published copy where
/// there is one, else the working copy.
pub async fn export_rows(
    state: &AppState,
    by: &person::Model,
    event_id: Uuid,
) -> AppResult<Vec<ExportRow>> {
    access::organiser(&state.db, by, event_id).await?;
    let rows = factsheet::Entity::find()
        .filter(factsheet::Column::EventId.eq(event_id))
        .order_by_asc(factsheet::Column::CreatedAt)
        .all(&state.db)
        .await?;
    let names = organisations(&state.db, rows.iter().map(|r| r.organisation_id).collect()).await?;
    rows.into_iter()
        .map(|row| {
            let content = match published_content(&row)? {
                Some(content) => content,
                None => parse_content(&row.content)?,
            };
            Ok(ExportRow {
                id: row.id,
                organisation: names.get(&row.organisation_id).cloned().unwrap_or_default(),
                status: row.status,
                published_at: row.published_at,
                stand: row.stand,
                self_declared: content.self_declared(),
                content,
            })
        })
        .collect()
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ExportRow {
    pub id: Uuid,
    pub organisation: String,
    pub status: FactsheetStatus,
    pub published_at: Option<DateTime<Utc>>,
    pub stand: Option<String>,
    pub self_declared: Vec<String>,
    pub content: FactsheetContent,
}
