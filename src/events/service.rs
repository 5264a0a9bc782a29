//! Events: creating and editing them, and their taxonomy (product groups, the circular
//! ambition map, business models, evidence kinds, dialogue themes) filled from defaults.

use chrono::{NaiveDate, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Set,
};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use super::access::{self, EventAccess};
use super::grid;
use crate::bounds::{
    EVENT_DESCRIPTION_MAX, EVENT_NAME_MAX, SLUG_LENGTH, TERM_CODE_MAX, TERM_NAME_MAX, VENUE_MAX,
};
use crate::domain::{
    Lang, Languages, Role, Status, optional_multiline_text, optional_text, parse_timezone,
    required_text,
};
use crate::entities::{event, participation, person, taxonomy_term};
use crate::error::{AppError, AppResult, FieldError, on_unique};
use crate::state::AppState;

#[derive(Debug, Serialize, ToSchema)]
pub struct EventView {
    pub id: Uuid,
    pub slug: String,
    pub name: String,
    /// What the event is about, in Dutch.
    pub description_nl: String,
    /// What the event is about, in English.
    pub description_en: String,
    pub venue: String,
    pub start_date: NaiveDate,
    pub end_date: NaiveDate,
    /// IANA time zone, e.g. `Europe/Brussels`.
    pub timezone: String,
    pub languages: Vec<Lang>,
    pub registration_open: bool,
    pub supplier_approval_required: bool,
    /// Published factsheets can be searched without logging in.
    pub catalogue_public: bool,
    /// Changes to a published factsheet wait for review (otherwise they publish at once).
    pub factsheet_review_changes: bool,
    /// The event's colour in its emails, `#rrggbb`.
    pub colour: String,
    /// The caller's role in this event, if any.
    pub my_role: Option<Role>,
    pub my_status: Option<Status>,
    pub created_at: chrono::DateTime<Utc>,
}

impl EventView {
    pub fn new(event: event::Model, role: Option<Role>, status: Option<Status>) -> Self {
        EventView {
            id: event.id,
            slug: event.slug,
            name: event.name,
            description_nl: event.description_nl,
            description_en: event.description_en,
            venue: event.venue,
            start_date: event.start_date,
            end_date: event.end_date,
            timezone: event.timezone,
            languages: event.languages.to_vec(),
            registration_open: event.registration_open,
            supplier_approval_required: event.supplier_approval_required,
            catalogue_public: event.catalogue_public,
            factsheet_review_changes: event.factsheet_review_changes,
            colour: event.colour,
            my_role: role,
            my_status: status,
            created_at: event.created_at,
        }
    }

    pub fn from_access(access: EventAccess) -> Self {
        EventView::new(access.event, access.role, access.status)
    }
}

/// Fields of an event; on create `name`, `start_date` and `timezone` are required.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct EventInput {
    pub name: Option<String>,
    /// Lower-case letters, digits and dashes; made from the name when left out.
    pub slug: Option<String>,
    /// What the event is about, in Dutch; at most 5,000 characters.
    pub description_nl: Option<String>,
    /// The same in English.
    pub description_en: Option<String>,
    pub venue: Option<String>,
    pub start_date: Option<NaiveDate>,
    /// Defaults to the start date.
    pub end_date: Option<NaiveDate>,
    pub timezone: Option<String>,
    /// Subset of `nl`, `en`; defaults to both.
    pub languages: Option<Vec<String>>,
    pub registration_open: Option<bool>,
    pub supplier_approval_required: Option<bool>,
    /// Defaults to false: only participants see the catalogue.
    pub catalogue_public: Option<bool>,
    /// Defaults to true.
    pub factsheet_review_changes: Option<bool>,
    /// The event's colour in its emails, `#rrggbb`; defaults to matchfloor's green.
    pub colour: Option<String>,
}

/// The event's colour as stored: `#rrggbb`, lower case.
fn check_colour(raw: &str, errors: &mut Vec<FieldError>) -> Option<String> {
    let colour = raw.trim().to_ascii_lowercase();
    if crate::mail::templates::is_colour(&colour) {
        Some(colour)
    } else {
        errors.push(FieldError::new(
            "colour",
            "invalid_colour",
            "give the colour as # and six hexadecimal digits, e.g. #1f7a4d",
        ));
        None
    }
}

fn check_slug(slug: &str, errors: &mut Vec<FieldError>) {
    let ok = SLUG_LENGTH.contains(&slug.len())
        && slug
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !slug.starts_with('-')
        && !slug.ends_with('-');
    if !ok {
        errors.push(FieldError::new(
            "slug",
            "invalid_slug",
            format!(
                "{} to {} lower-case letters, digits and dashes",
                SLUG_LENGTH.start(),
                SLUG_LENGTH.end()
            ),
        ));
    }
}

pub fn slugify(name: &str) -> String {
    let mut slug = String::new();
    for c in name.to_lowercase().chars() {
        let c = match c {
            'à' | 'á' | 'â' | 'ä' => 'a',
            'è' | 'é' | 'ê' | 'ë' => 'e',
            'ì' | 'í' | 'î' | 'ï' => 'i',
            'ò' | 'ó' | 'ô' | 'ö' => 'o',
            'ù' | 'ú' | 'û' | 'ü' => 'u',
            'ç' => 'c',
            c => c.to_ascii_lowercase(),
        };
        if c.is_ascii_alphanumeric() {
            slug.push(c);
        } else if !slug.ends_with('-') && !slug.is_empty() {
            slug.push('-');
        }
    }
    let slug: String = slug.trim_end_matches('-').chars().take(50).collect();
    let slug = slug.trim_end_matches('-').to_string();
    if slug.len() < 3 {
        format!("event-{slug}").trim_end_matches('-').to_string()
    } else {
        slug
    }
}

/// The languages as asked for, checked; `None` (with an error) when there are none.
fn languages(raw: &[String], errors: &mut Vec<FieldError>) -> Option<Languages> {
    let mut out: Vec<Lang> = Vec::new();
    for l in raw {
        match Lang::parse(l) {
            Some(lang) if !out.contains(&lang) => out.push(lang),
            Some(_) => {}
            None => errors.push(FieldError::new(
                "languages",
                "unknown_language",
                "use nl and/or en",
            )),
        }
    }
    let languages = Languages::new(out);
    if languages.is_none() {
        errors.push(FieldError::new(
            "languages",
            "required",
            "choose at least one language",
        ));
    }
    languages
}

/// Creates an event with the default taxonomy. Only platform admins do this.
pub async fn create(
    state: &AppState,
    by: &person::Model,
    input: EventInput,
) -> AppResult<EventView> {
    if !by.is_admin {
        return Err(AppError::Forbidden(
            "only platform administrators create events".into(),
        ));
    }
    let mut errors = Vec::new();
    let name = required_text(
        input.name.as_deref().unwrap_or(""),
        "name",
        EVENT_NAME_MAX,
        &mut errors,
    );
    let start_date = input.start_date;
    if start_date.is_none() {
        errors.push(FieldError::new(
            "start_date",
            "required",
            "the first day of the event is required",
        ));
    }
    let tz = match input.timezone.as_deref() {
        None | Some("") => {
            errors.push(FieldError::new(
                "timezone",
                "required",
                "the event's time zone is required",
            ));
            None
        }
        Some(raw) => parse_timezone(raw).map_err(|e| errors.push(e)).ok(),
    };
    let start = start_date.unwrap_or_default();
    let end_date = input.end_date.unwrap_or(start);
    if start_date.is_some() && end_date < start {
        errors.push(FieldError::new(
            "end_date",
            "out_of_range",
            "the last day cannot be before the first",
        ));
    }
    let slug = input
        .slug
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string);
    if let Some(slug) = &slug {
        check_slug(slug, &mut errors);
    }
    let langs = languages(
        &input
            .languages
            .unwrap_or_else(|| vec!["nl".into(), "en".into()]),
        &mut errors,
    );
    let colour = match input.colour.as_deref() {
        Some(raw) => check_colour(raw, &mut errors).unwrap_or_default(),
        None => crate::mail::templates::DEFAULT_COLOUR.to_string(),
    };
    let description_nl = optional_multiline_text(
        input.description_nl.as_deref(),
        "description_nl",
        EVENT_DESCRIPTION_MAX,
        &mut errors,
    )
    .unwrap_or_default();
    let description_en = optional_multiline_text(
        input.description_en.as_deref(),
        "description_en",
        EVENT_DESCRIPTION_MAX,
        &mut errors,
    )
    .unwrap_or_default();
    let venue =
        optional_text(input.venue.as_deref(), "venue", VENUE_MAX, &mut errors).unwrap_or_default();
    let (Some(langs), true) = (langs, errors.is_empty()) else {
        return Err(AppError::Validation(errors));
    };
    let txn = crate::db::begin(&state.db).await?;
    let slug = match slug {
        Some(s) => s,
        None => free_slug(&txn, &slugify(&name)).await?,
    };
    let now = Utc::now();
    let model = event::ActiveModel {
        id: Set(Uuid::now_v7()),
        slug: Set(slug),
        name: Set(name),
        description_nl: Set(description_nl),
        description_en: Set(description_en),
        venue: Set(venue),
        start_date: Set(start),
        end_date: Set(end_date),
        timezone: Set(tz.map(|t| t.name().to_string()).unwrap_or_default()),
        languages: Set(langs),
        registration_open: Set(input.registration_open.unwrap_or(false)),
        supplier_approval_required: Set(input.supplier_approval_required.unwrap_or(true)),
        catalogue_public: Set(input.catalogue_public.unwrap_or(false)),
        factsheet_review_changes: Set(input.factsheet_review_changes.unwrap_or(true)),
        catalogue_version: Set(0),
        colour: Set(colour),
        created_at: Set(now),
        updated_at: Set(now),
    }
    .insert(&txn)
    .await
    .map_err(|e| {
        on_unique(
            e,
            "slug",
            "this web address (slug) is already used by another event",
        )
    })?;
    fill_default_taxonomy(&txn, model.id).await?;
    txn.commit().await?;
    tracing::info!(event_id = %model.id, "event created");
    Ok(EventView::new(model, None, None))
}

async fn free_slug<C: ConnectionTrait>(db: &C, base: &str) -> AppResult<String> {
    for n in 1..100 {
        let candidate = if n == 1 {
            base.to_string()
        } else {
            format!("{base}-{n}")
        };
        if event::Entity::find()
            .filter(event::Column::Slug.eq(&candidate))
            .one(db)
            .await?
            .is_none()
        {
            return Ok(candidate);
        }
    }
    Ok(format!(
        "{base}-{}",
        &Uuid::now_v7().simple().to_string()[24..]
    ))
}

pub async fn update(
    state: &AppState,
    by: &person::Model,
    event_id: Uuid,
    input: EventInput,
) -> AppResult<EventView> {
    let txn = crate::db::begin(&state.db).await?;
    let access = access::organiser(&txn, by, event_id).await?;
    let (role, status) = (access.role, access.status);
    let current = access.event;
    let mut errors = Vec::new();
    let mut active: event::ActiveModel = current.clone().into();
    if let Some(name) = &input.name {
        active.name = Set(required_text(name, "name", EVENT_NAME_MAX, &mut errors));
    }
    if let Some(slug) = input.slug.as_deref().map(str::trim) {
        check_slug(slug, &mut errors);
        active.slug = Set(slug.to_string());
    }
    if let Some(d) = &input.description_nl {
        active.description_nl = Set(optional_multiline_text(
            Some(d),
            "description_nl",
            EVENT_DESCRIPTION_MAX,
            &mut errors,
        )
        .unwrap_or_default());
    }
    if let Some(d) = &input.description_en {
        active.description_en = Set(optional_multiline_text(
            Some(d),
            "description_en",
            EVENT_DESCRIPTION_MAX,
            &mut errors,
        )
        .unwrap_or_default());
    }
    if let Some(v) = &input.venue {
        active.venue =
            Set(optional_text(Some(v), "venue", VENUE_MAX, &mut errors).unwrap_or_default());
    }
    let start = input.start_date.unwrap_or(current.start_date);
    let end = input
        .end_date
        .unwrap_or(if input.start_date.is_some() && current.end_date < start {
            start
        } else {
            current.end_date
        });
    if end < start {
        errors.push(FieldError::new(
            "end_date",
            "out_of_range",
            "the last day cannot be before the first",
        ));
    }
    active.start_date = Set(start);
    active.end_date = Set(end);
    let mut new_tz = None;
    if let Some(tz) = &input.timezone {
        match parse_timezone(tz) {
            Ok(tz) => {
                if tz.name() != current.timezone {
                    new_tz = Some(tz);
                }
                active.timezone = Set(tz.name().to_string());
            }
            Err(e) => errors.push(e),
        }
    }
    if let Some(langs) = input
        .languages
        .as_deref()
        .and_then(|l| languages(l, &mut errors))
    {
        active.languages = Set(langs);
    }
    if let Some(open) = input.registration_open {
        active.registration_open = Set(open);
    }
    if let Some(approval) = input.supplier_approval_required {
        active.supplier_approval_required = Set(approval);
    }
    if let Some(public) = input.catalogue_public {
        active.catalogue_public = Set(public);
    }
    if let Some(review) = input.factsheet_review_changes {
        active.factsheet_review_changes = Set(review);
    }
    if let Some(colour) = input
        .colour
        .as_deref()
        .and_then(|raw| check_colour(raw, &mut errors))
    {
        active.colour = Set(colour);
    }
    if !errors.is_empty() {
        return Err(AppError::Validation(errors));
    }
    active.updated_at = Set(Utc::now());
    let model = active.update(&txn).await.map_err(|e| {
        on_unique(
            e,
            "slug",
            "this web address (slug) is already used by another event",
        )
    })?;
    if let Some(tz) = new_tz {
        // The grid keeps its local clock times; only the instants move with the zone.
        grid::reanchor(&txn, event_id, tz).await?;
        crate::programme::service::reanchor(&txn, event_id, tz).await?;
    }
    txn.commit().await?;
    Ok(EventView::new(model, role, status))
}

/// Events the person takes part in; platform admins see all events.
pub async fn list_for(state: &AppState, person: &person::Model) -> AppResult<Vec<EventView>> {
    let memberships = participation::Entity::find()
        .filter(participation::Column::PersonId.eq(person.id))
        .all(&state.db)
        .await?;
    let mut query = event::Entity::find().order_by_desc(event::Column::StartDate);
    if !person.is_admin {
        let ids: Vec<Uuid> = memberships
            .iter()
            .filter(|m| access::is_active(m))
            .map(|m| m.event_id)
            .collect();
        query = query.filter(event::Column::Id.is_in(ids));
    }
    let events = query.all(&state.db).await?;
    Ok(events
        .into_iter()
        .map(|e| {
            let m = memberships.iter().find(|m| m.event_id == e.id);
            EventView::new(e, m.map(|m| m.role), m.map(|m| m.status))
        })
        .collect())
}

// ---- taxonomy ----

pub use crate::domain::TermKind;

#[derive(Debug, Serialize, ToSchema)]
pub struct Term {
    pub id: Uuid,
    pub kind: TermKind,
    pub code: String,
    /// For a strategy: the code of its goal (`C` for `C5`).
    pub parent_code: Option<String>,
    pub name_nl: String,
    pub name_en: String,
    pub position: i32,
}

impl From<taxonomy_term::Model> for Term {
    fn from(t: taxonomy_term::Model) -> Self {
        Term {
            id: t.id,
            kind: t.kind,
            code: t.code,
            parent_code: t.parent_code,
            name_nl: t.name_nl,
            name_en: t.name_en,
            position: t.position,
        }
    }
}

#[derive(Deserialize)]
struct Named {
    code: String,
    nl: String,
    en: String,
    #[serde(default)]
    strategies: Vec<Named>,
}

#[derive(Deserialize)]
struct DefaultTaxonomy {
    product_groups: Vec<Named>,
    business_models: Vec<Named>,
    evidence_kinds: Vec<Named>,
    dialogue_themes: Vec<Named>,
}

#[derive(Deserialize)]
struct DefaultAmbitionMap {
    goals: Vec<Named>,
}

/// The defaults that ship with matchfloor, as (kind, code, parent, nl, en) rows in order.
pub fn default_terms() -> Vec<(TermKind, String, Option<String>, String, String)> {
    let taxonomy: DefaultTaxonomy = serde_json::from_str(include_str!("defaults/taxonomy.json"))
        .expect("the shipped taxonomy.json is valid");
    let map: DefaultAmbitionMap = serde_json::from_str(include_str!("defaults/ambition-map.json"))
        .expect("the shipped ambition-map.json is valid");
    let mut rows = Vec::new();
    for (kind, list) in [
        (TermKind::ProductGroup, taxonomy.product_groups),
        (TermKind::BusinessModel, taxonomy.business_models),
        (TermKind::EvidenceKind, taxonomy.evidence_kinds),
        (TermKind::DialogueTheme, taxonomy.dialogue_themes),
    ] {
        rows.extend(list.into_iter().map(|n| (kind, n.code, None, n.nl, n.en)));
    }
    for goal in map.goals {
        rows.push((
            TermKind::AmbitionGoal,
            goal.code.clone(),
            None,
            goal.nl,
            goal.en,
        ));
        for s in goal.strategies {
            rows.push((
                TermKind::AmbitionStrategy,
                s.code,
                Some(goal.code.clone()),
                s.nl,
                s.en,
            ));
        }
    }
    rows
}

async fn fill_default_taxonomy<C: ConnectionTrait>(db: &C, event_id: Uuid) -> AppResult<()> {
    let rows: Vec<taxonomy_term::ActiveModel> = default_terms()
        .into_iter()
        .enumerate()
        .map(
            |(i, (kind, code, parent, nl, en))| taxonomy_term::ActiveModel {
                id: Set(Uuid::now_v7()),
                event_id: Set(event_id),
                kind: Set(kind),
                code: Set(code),
                parent_code: Set(parent),
                name_nl: Set(nl),
                name_en: Set(en),
                position: Set(i as i32),
            },
        )
        .collect();
    taxonomy_term::Entity::insert_many(rows).exec(db).await?;
    Ok(())
}

pub async fn terms(state: &AppState, by: &person::Model, event_id: Uuid) -> AppResult<Vec<Term>> {
    access::participant(&state.db, by, event_id).await?;
    let rows = taxonomy_term::Entity::find()
        .filter(taxonomy_term::Column::EventId.eq(event_id))
        .order_by_asc(taxonomy_term::Column::Position)
        .all(&state.db)
        .await?;
    Ok(rows.into_iter().map(Term::from).collect())
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TermInput {
    pub kind: Option<TermKind>,
    pub code: Option<String>,
    pub parent_code: Option<String>,
    pub name_nl: Option<String>,
    pub name_en: Option<String>,
    pub position: Option<i32>,
}

pub async fn add_term(
    state: &AppState,
    by: &person::Model,
    event_id: Uuid,
    input: TermInput,
) -> AppResult<Term> {
    let txn = crate::db::begin(&state.db).await?;
    access::organiser(&txn, by, event_id).await?;
    let mut errors = Vec::new();
    let Some(kind) = input.kind else {
        return Err(AppError::field(
            "kind",
            "required",
            "choose what kind of term this is",
        ));
    };
    let code = required_text(
        input.code.as_deref().unwrap_or(""),
        "code",
        TERM_CODE_MAX,
        &mut errors,
    );
    if !code
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
    {
        errors.push(FieldError::new(
            "code",
            "invalid_code",
            "letters, digits, dashes and underscores only",
        ));
    }
    let name_nl = required_text(
        input.name_nl.as_deref().unwrap_or(""),
        "name_nl",
        TERM_NAME_MAX,
        &mut errors,
    );
    let name_en = required_text(
        input.name_en.as_deref().unwrap_or(""),
        "name_en",
        TERM_NAME_MAX,
        &mut errors,
    );
    let parent = input
        .parent_code
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(String::from);
    if kind == TermKind::AmbitionStrategy {
        let goal = match &parent {
            Some(p) => {
                taxonomy_term::Entity::find()
                    .filter(taxonomy_term::Column::EventId.eq(event_id))
                    .filter(taxonomy_term::Column::Kind.eq(TermKind::AmbitionGoal))
                    .filter(taxonomy_term::Column::Code.eq(p))
                    .one(&txn)
                    .await?
            }
            None => None,
        };
        if goal.is_none() {
            errors.push(FieldError::new(
                "parent_code",
                "unknown_goal",
                "a strategy belongs to an existing goal (A to E)",
            ));
        }
    } else if parent.is_some() {
        errors.push(FieldError::new(
            "parent_code",
            "not_allowed",
            "only strategies have a parent goal",
        ));
    }
    if !errors.is_empty() {
        return Err(AppError::Validation(errors));
    }
    let last = taxonomy_term::Entity::find()
        .filter(taxonomy_term::Column::EventId.eq(event_id))
        .order_by_desc(taxonomy_term::Column::Position)
        .one(&txn)
        .await?
        .map(|t| t.position)
        .unwrap_or(0);
    let model = taxonomy_term::ActiveModel {
        id: Set(Uuid::now_v7()),
        event_id: Set(event_id),
        kind: Set(kind),
        code: Set(code),
        parent_code: Set(parent),
        name_nl: Set(name_nl),
        name_en: Set(name_en),
        position: Set(input.position.unwrap_or(last + 1)),
    }
    .insert(&txn)
    .await
    .map_err(|e| on_unique(e, "code", "this code is already used in this list"))?;
    txn.commit().await?;
    Ok(model.into())
}

async fn find_term<C: ConnectionTrait>(
    db: &C,
    event_id: Uuid,
    term_id: Uuid,
) -> AppResult<taxonomy_term::Model> {
    super::find_in_event::<taxonomy_term::Entity, _>(
        db,
        (taxonomy_term::Column::Id, taxonomy_term::Column::EventId),
        event_id,
        term_id,
        "taxonomy term",
    )
    .await
}

pub async fn update_term(
    state: &AppState,
    by: &person::Model,
    event_id: Uuid,
    term_id: Uuid,
    input: TermInput,
) -> AppResult<Term> {
    let txn = crate::db::begin(&state.db).await?;
    access::organiser(&txn, by, event_id).await?;
    let term = find_term(&txn, event_id, term_id).await?;
    let mut errors = Vec::new();
    if input.kind.is_some() || input.code.is_some() || input.parent_code.is_some() {
        errors.push(FieldError::new(
            "code",
            "not_allowed",
            "kind, code and goal cannot change; add a new term instead",
        ));
    }
    let mut active: taxonomy_term::ActiveModel = term.into();
    if let Some(n) = &input.name_nl {
        active.name_nl = Set(required_text(n, "name_nl", TERM_NAME_MAX, &mut errors));
    }
    if let Some(n) = &input.name_en {
        active.name_en = Set(required_text(n, "name_en", TERM_NAME_MAX, &mut errors));
    }
    if let Some(p) = input.position {
        active.position = Set(p);
    }
    if !errors.is_empty() {
        return Err(AppError::Validation(errors));
    }
    let model = active.update(&txn).await?;
    txn.commit().await?;
    Ok(model.into())
}

/// Removes a term; removing a goal removes its strategies with it.
pub async fn delete_term(
    state: &AppState,
    by: &person::Model,
    event_id: Uuid,
    term_id: Uuid,
) -> AppResult<()> {
    let txn = crate::db::begin(&state.db).await?;
    access::organiser(&txn, by, event_id).await?;
    let term = find_term(&txn, event_id, term_id).await?;
    if term.kind == TermKind::AmbitionGoal {
        taxonomy_term::Entity::delete_many()
            .filter(taxonomy_term::Column::EventId.eq(event_id))
            .filter(taxonomy_term::Column::Kind.eq(TermKind::AmbitionStrategy))
            .filter(taxonomy_term::Column::ParentCode.eq(&term.code))
            .exec(&txn)
            .await?;
    }
    taxonomy_term::Entity::delete_by_id(term.id)
        .exec(&txn)
        .await?;
    txn.commit().await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_are_readable() {
        assert_eq!(
            slugify("Buyer meets Supplier: Circulair Aankopen 2027!"),
            "buyer-meets-supplier-circulair-aankopen-2027"
        );
        assert_eq!(slugify("Café Éé"), "cafe-ee");
        assert_eq!(slugify("X"), "event-x");
    }

    #[test]
    fn defaults_hold_the_ambition_map() {
        let terms = default_terms();
        assert!(
            terms
                .iter()
                .any(|t| t.0 == TermKind::ProductGroup && t.1 == "office-furniture")
        );
        assert!(terms.iter().any(|t| t.0 == TermKind::AmbitionStrategy
            && t.1 == "C2"
            && t.2.as_deref() == Some("C")));
        assert_eq!(
            terms
                .iter()
                .filter(|t| t.0 == TermKind::AmbitionGoal)
                .count(),
            5
        );
    }
}
