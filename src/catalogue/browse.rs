//! Reading the catalogue: search with facets, one published factsheet, and the print
//! catalogue. Open to the event's participants, and to everyone when the organiser made
//! the catalogue public.

use std::collections::{BTreeMap, HashMap};

use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

use super::content::{Facet, FactsheetContent, SELF_DECLARED, Vocabulary};
use super::search::{self, Filters, Sort};
use super::service::{self, OrganisationRef, organisations, published_content, upload_views};
use super::text;
use super::uploads::UploadView;
use crate::bounds;
use crate::domain::TermKind;
use crate::entities::{event, factsheet, person, upload};
use crate::error::{AppError, AppResult};
use crate::state::AppState;

/// May this viewer read the event's catalogue? Returns the event.
pub async fn readable<C: ConnectionTrait>(
    db: &C,
    viewer: Option<&person::Model>,
    event_id: Uuid,
) -> AppResult<event::Model> {
    let event = event::Entity::find_by_id(event_id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound("event"))?;
    if event.catalogue_public {
        return Ok(event);
    }
    let Some(person) = viewer else {
        return Err(AppError::NotFound("event"));
    };
    if person.is_admin {
        return Ok(event);
    }
    if crate::events::access::active_participation(db, event_id, person.id)
        .await?
        .is_some()
    {
        Ok(event)
    } else {
        Err(AppError::NotFound("event"))
    }
}

#[derive(Debug, Default)]
pub struct SearchParams {
    pub q: String,
    pub filters: Filters,
    pub sort: Option<Sort>,
    pub page: usize,
    pub per_page: usize,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct StrategyClaim {
    pub code: String,
    /// Claimed without evidence.
    pub self_declared: bool,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Card {
    pub id: Uuid,
    pub organisation: OrganisationRef,
    pub title_nl: String,
    pub title_en: String,
    pub pitch_nl: String,
    pub pitch_en: String,
    pub languages: Vec<String>,
    pub product_groups: Vec<String>,
    pub business_models: Vec<String>,
    pub strategies: Vec<StrategyClaim>,
    pub stand: Option<String>,
    pub country: String,
    pub logo_thumb_url: Option<String>,
    pub published_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct FacetValue {
    pub value: String,
    pub count: usize,
    pub label_nl: String,
    pub label_en: String,
    /// For a strategy: its goal.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub parent: Option<String>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct SearchResult {
    pub total: usize,
    pub page: usize,
    pub per_page: usize,
    pub sort: Sort,
    pub results: Vec<Card>,
    /// Per facet (`product_group`, `goal`, `strategy`, `business_model`, `evidence`,
    /// `language`, `country`) its values with counts.
    pub facets: BTreeMap<String, Vec<FacetValue>>,
}

fn labelled(
    map: &HashMap<String, (String, String)>,
    order: &[String],
    counts: &HashMap<String, usize>,
) -> Vec<FacetValue> {
    order
        .iter()
        .filter_map(|code| {
            map.get(code).map(|(nl, en)| FacetValue {
                value: code.clone(),
                count: counts.get(code).copied().unwrap_or(0),
                label_nl: nl.clone(),
                label_en: en.clone(),
                parent: None,
            })
        })
        .collect()
}

fn facets(
    vocabulary: &Vocabulary,
    counts: &[HashMap<String, usize>; 7],
) -> BTreeMap<String, Vec<FacetValue>> {
    let empty = Vec::new();
    let ordered = |kind: TermKind| vocabulary.order.get(&kind).unwrap_or(&empty);
    let mut out = BTreeMap::new();
    out.insert(
        Facet::ProductGroup.name().to_string(),
        labelled(
            &vocabulary.product_groups,
            ordered(TermKind::ProductGroup),
            &counts[Facet::ProductGroup.index()],
        ),
    );
    out.insert(
        Facet::Goal.name().to_string(),
        labelled(
            &vocabulary.goals,
            ordered(TermKind::AmbitionGoal),
            &counts[Facet::Goal.index()],
        ),
    );
    out.insert(
        Facet::Strategy.name().to_string(),
        ordered(TermKind::AmbitionStrategy)
            .iter()
            .filter_map(|code| {
                vocabulary
                    .strategies
                    .get(code)
                    .map(|(goal, nl, en)| FacetValue {
                        value: code.clone(),
                        count: counts[Facet::Strategy.index()]
                            .get(code)
                            .copied()
                            .unwrap_or(0),
                        label_nl: nl.clone(),
                        label_en: en.clone(),
                        parent: Some(goal.clone()),
                    })
            })
            .collect(),
    );
    out.insert(
        Facet::BusinessModel.name().to_string(),
        labelled(
            &vocabulary.business_models,
            ordered(TermKind::BusinessModel),
            &counts[Facet::BusinessModel.index()],
        ),
    );
    let mut evidence = labelled(
        &vocabulary.evidence_kinds,
        ordered(TermKind::EvidenceKind),
        &counts[Facet::Evidence.index()],
    );
    evidence.push(FacetValue {
        value: SELF_DECLARED.into(),
        count: counts[Facet::Evidence.index()]
            .get(SELF_DECLARED)
            .copied()
            .unwrap_or(0),
        label_nl: "Zelfverklaard (zonder bewijs)".into(),
        label_en: "Self-declared (no evidence)".into(),
        parent: None,
    });
    out.insert(Facet::Evidence.name().to_string(), evidence);
    let languages = [("nl", "Nederlands", "Dutch"), ("en", "Engels", "English")]
        .into_iter()
        .map(|(code, nl, en)| FacetValue {
            value: code.into(),
            count: counts[Facet::Language.index()]
                .get(code)
                .copied()
                .unwrap_or(0),
            label_nl: nl.into(),
            label_en: en.into(),
            parent: None,
        })
        .collect();
    out.insert(Facet::Language.name().to_string(), languages);
    let mut countries: Vec<FacetValue> = counts[Facet::Country.index()]
        .iter()
        .map(|(code, count)| FacetValue {
            value: code.clone(),
            count: *count,
            label_nl: code.clone(),
            label_en: code.clone(),
            parent: None,
        })
        .collect();
    countries.sort_by(|a, b| b.count.cmp(&a.count).then(a.value.cmp(&b.value)));
    out.insert(Facet::Country.name().to_string(), countries);
    out
}

pub async fn search(
    state: &AppState,
    viewer: Option<&person::Model>,
    event_id: Uuid,
    params: SearchParams,
) -> AppResult<SearchResult> {
    let event = readable(&state.db, viewer, event_id).await?;
    let words = text::query(&params.q);
    let sort = params.sort.unwrap_or(if words.is_empty() {
        Sort::Title
    } else {
        Sort::Relevance
    });
    let per_page = params
        .per_page
        .clamp(*bounds::PER_PAGE.start(), *bounds::PER_PAGE.end());
    let page = params
        .page
        .clamp(*bounds::PAGE.start(), *bounds::PAGE.end());
    let candidates = search::candidates(&state.db, &state.event_cache, &event, &words).await?;
    let hits = search::select(candidates.as_slice(), &params.filters, sort, page, per_page);
    let vocabulary = service::vocabulary(&state.db, event_id).await?;
    let rows = factsheet::Entity::find()
        .filter(factsheet::Column::Id.is_in(hits.page.clone()))
        .all(&state.db)
        .await?;
    let names = organisations(&state.db, rows.iter().map(|r| r.organisation_id).collect()).await?;
    let mut logos: Vec<Uuid> = Vec::new();
    for row in &rows {
        logos.extend(published_content(row)?.and_then(|c| c.logo_upload_id));
    }
    let logo_rows: HashMap<Uuid, upload::Model> = if logos.is_empty() {
        HashMap::new()
    } else {
        upload::Entity::find()
            .filter(upload::Column::Id.is_in(logos))
            .all(&state.db)
            .await?
            .into_iter()
            .map(|u| (u.id, u))
            .collect()
    };
    let mut by_id: HashMap<Uuid, factsheet::Model> = rows.into_iter().map(|r| (r.id, r)).collect();
    let results = hits
        .page
        .iter()
        .filter_map(|id| by_id.remove(id))
        .map(|row| {
            let content = published_content(&row)?.unwrap_or_default();
            Ok(card(row, content, &names, &logo_rows))
        })
        .collect::<AppResult<_>>()?;
    Ok(SearchResult {
        total: hits.total,
        page,
        per_page,
        sort,
        results,
        facets: facets(&vocabulary, &hits.counts),
    })
}

fn card(
    row: factsheet::Model,
    content: FactsheetContent,
    names: &HashMap<Uuid, String>,
    logos: &HashMap<Uuid, upload::Model>,
) -> Card {
    Card {
        id: row.id,
        organisation: OrganisationRef {
            id: row.organisation_id,
            name: names.get(&row.organisation_id).cloned().unwrap_or_default(),
        },
        languages: content.languages().iter().map(|l| l.to_string()).collect(),
        strategies: content
            .claims
            .iter()
            .map(|c| StrategyClaim {
                code: c.strategy.clone(),
                self_declared: c.evidence.is_empty(),
            })
            .collect(),
        logo_thumb_url: content
            .logo_upload_id
            .and_then(|id| logos.get(&id))
            .and_then(|u| super::uploads::view(u).thumb_url),
        title_nl: content.title_nl,
        title_en: content.title_en,
        pitch_nl: content.pitch_nl,
        pitch_en: content.pitch_en,
        product_groups: content.product_groups,
        business_models: content.business_models,
        stand: row.stand,
        country: content.country,
        published_at: row.published_at,
    }
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Label {
    pub nl: String,
    pub en: String,
}

/// Labels for the codes a factsheet uses, by kind (`product_group`, `business_model`,
/// `strategy`, `goal`, `evidence`).
pub type Labels = BTreeMap<String, BTreeMap<String, Label>>;

fn labels(vocabulary: &Vocabulary) -> Labels {
    let pairs = |map: &HashMap<String, (String, String)>| {
        map.iter()
            .map(|(code, (nl, en))| {
                (
                    code.clone(),
                    Label {
                        nl: nl.clone(),
                        en: en.clone(),
                    },
                )
            })
            .collect::<BTreeMap<_, _>>()
    };
    let mut out = Labels::new();
    out.insert("product_group".into(), pairs(&vocabulary.product_groups));
    out.insert("business_model".into(), pairs(&vocabulary.business_models));
    out.insert("goal".into(), pairs(&vocabulary.goals));
    out.insert("evidence".into(), pairs(&vocabulary.evidence_kinds));
    out.insert(
        "strategy".into(),
        vocabulary
            .strategies
            .iter()
            .map(|(code, (_, nl, en))| {
                (
                    code.clone(),
                    Label {
                        nl: nl.clone(),
                        en: en.clone(),
                    },
                )
            })
            .collect(),
    );
    out
}

/// A published factsheet as the catalogue shows it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PublishedFactsheet {
    pub id: Uuid,
    pub organisation: OrganisationRef,
    pub stand: Option<String>,
    pub languages: Vec<String>,
    pub content: FactsheetContent,
    pub self_declared: Vec<String>,
    pub uploads: Vec<UploadView>,
    pub published_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PublishedFactsheetPage {
    #[serde(flatten)]
    pub factsheet: PublishedFactsheet,
    #[schema(value_type = Object)]
    pub labels: Labels,
    /// The organisation's active suppliers in the event, in name order, so a participant
    /// can ask one of them for a meeting. Only for the event's active participants: left
    /// out for visitors of a public catalogue and platform admins who do not take part.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub people: Option<Vec<FactsheetPerson>>,
}

/// Someone who speaks for a factsheet: a supplier of its organisation in the event.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct FactsheetPerson {
    /// Their participation, the `participant_id` of a meeting request.
    pub participant_id: Uuid,
    pub name: String,
    pub job_title: Option<String>,
}

/// The page of the browser app that shows a published factsheet.
pub fn factsheet_page(event_id: Uuid, factsheet_id: Uuid) -> String {
    format!("/events/{event_id}/catalogue/{factsheet_id}")
}

/// A published factsheet as other pages link to it: its titles and its page in the app.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct FactsheetLink {
    pub id: Uuid,
    pub title_nl: String,
    pub title_en: String,
    /// The factsheet's page in the browser app, e.g. `/events/{event_id}/catalogue/{id}`.
    pub url: String,
}

/// The published factsheets of these organisations in the event, per organisation, in
/// title order. Everyone in the event reads the catalogue, so anyone may be shown these.
pub async fn published_links<C: ConnectionTrait>(
    db: &C,
    event_id: Uuid,
    organisation_ids: Vec<Uuid>,
) -> AppResult<HashMap<Uuid, Vec<FactsheetLink>>> {
    if organisation_ids.is_empty() {
        return Ok(HashMap::new());
    }
    let rows = factsheet::Entity::find()
        .filter(factsheet::Column::EventId.eq(event_id))
        .filter(factsheet::Column::OrganisationId.is_in(organisation_ids))
        .filter(factsheet::Column::PublishedAt.is_not_null())
        .order_by_asc(factsheet::Column::SortTitle)
        .order_by_asc(factsheet::Column::Id)
        .all(db)
        .await?;
    let mut out: HashMap<Uuid, Vec<FactsheetLink>> = HashMap::new();
    for row in rows {
        let content = published_content(&row)?.unwrap_or_default();
        out.entry(row.organisation_id)
            .or_default()
            .push(FactsheetLink {
                id: row.id,
                title_nl: content.title_nl,
                title_en: content.title_en,
                url: factsheet_page(event_id, row.id),
            });
    }
    Ok(out)
}

async fn published<C: ConnectionTrait>(
    db: &C,
    rows: Vec<factsheet::Model>,
) -> AppResult<Vec<PublishedFactsheet>> {
    let names = organisations(db, rows.iter().map(|r| r.organisation_id).collect()).await?;
    let contents: Vec<FactsheetContent> = rows
        .iter()
        .map(|r| Ok(published_content(r)?.unwrap_or_default()))
        .collect::<AppResult<_>>()?;
    let all_uploads =
        upload_views(db, contents.iter().flat_map(|c| c.upload_ids()).collect()).await?;
    Ok(rows
        .into_iter()
        .zip(contents)
        .map(|(row, content)| {
            let ids = content.upload_ids();
            PublishedFactsheet {
                id: row.id,
                organisation: OrganisationRef {
                    id: row.organisation_id,
                    name: names.get(&row.organisation_id).cloned().unwrap_or_default(),
                },
                stand: row.stand,
                languages: content.languages().iter().map(|l| l.to_string()).collect(),
                self_declared: content.self_declared(),
                uploads: all_uploads
                    .iter()
                    .filter(|u| ids.contains(&u.id))
                    .cloned()
                    .collect(),
                content,
                published_at: row.published_at,
            }
        })
        .collect())
}

pub async fn factsheet(
    state: &AppState,
    viewer: Option<&person::Model>,
    event_id: Uuid,
    factsheet_id: Uuid,
) -> AppResult<PublishedFactsheetPage> {
    readable(&state.db, viewer, event_id).await?;
    let row = factsheet::Entity::find_by_id(factsheet_id)
        .filter(factsheet::Column::EventId.eq(event_id))
        .filter(factsheet::Column::PublishedAt.is_not_null())
        .one(&state.db)
        .await?
        .ok_or(AppError::NotFound("factsheet"))?;
    let takes_part = match viewer {
        Some(person) => crate::events::access::active_participation(&state.db, event_id, person.id)
            .await?
            .is_some(),
        None => false,
    };
    let people = if takes_part {
        Some(
            service::supplier_participants(&state.db, &row)
                .await?
                .into_iter()
                .map(|(member, person)| FactsheetPerson {
                    participant_id: member.id,
                    name: person.name,
                    job_title: person.job_title,
                })
                .collect(),
        )
    } else {
        None
    };
    let vocabulary = service::vocabulary(&state.db, event_id).await?;
    let mut list = published(&state.db, vec![row]).await?;
    Ok(PublishedFactsheetPage {
        factsheet: list.remove(0),
        labels: labels(&vocabulary),
        people,
    })
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PrintEvent {
    pub id: Uuid,
    pub name: String,
    pub start_date: NaiveDate,
    pub venue: String,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ListedElsewhere {
    pub id: Uuid,
    pub title_nl: String,
    pub title_en: String,
    pub organisation: String,
    pub stand: Option<String>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PrintGroup {
    pub code: String,
    pub label_nl: String,
    pub label_en: String,
    /// Printed in full here: factsheets whose first product group this is.
    pub factsheets: Vec<PublishedFactsheet>,
    /// Printed under their first group, listed here too.
    pub also: Vec<ListedElsewhere>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PrintCatalogue {
    pub event: PrintEvent,
    pub groups: Vec<PrintGroup>,
    #[schema(value_type = Object)]
    pub labels: Labels,
}

/// Every published factsheet, grouped by product group in the organiser's order, each
/// group by stand and title.
pub async fn print(
    state: &AppState,
    viewer: Option<&person::Model>,
    event_id: Uuid,
) -> AppResult<PrintCatalogue> {
    let event = readable(&state.db, viewer, event_id).await?;
    let rows = factsheet::Entity::find()
        .filter(factsheet::Column::EventId.eq(event_id))
        .filter(factsheet::Column::PublishedAt.is_not_null())
        .all(&state.db)
        .await?;
    let mut all = published(&state.db, rows).await?;
    all.sort_by(|a, b| {
        search::stand_order(a.stand.as_deref(), b.stand.as_deref()).then_with(|| {
            a.content
                .display_title()
                .to_lowercase()
                .cmp(&b.content.display_title().to_lowercase())
        })
    });
    let vocabulary = service::vocabulary(&state.db, event_id).await?;
    let mut groups: Vec<PrintGroup> = vocabulary
        .order
        .get(&TermKind::ProductGroup)
        .cloned()
        .unwrap_or_default()
        .into_iter()
        .filter_map(|code| {
            let (nl, en) = vocabulary.product_groups.get(&code)?.clone();
            Some(PrintGroup {
                code,
                label_nl: nl,
                label_en: en,
                factsheets: Vec::new(),
                also: Vec::new(),
            })
        })
        .collect();
    for sheet in all {
        let mut first = true;
        for code in &sheet.content.product_groups {
            let Some(group) = groups.iter_mut().find(|g| &g.code == code) else {
                continue;
            };
            if first {
                first = false;
                group.factsheets.push(sheet.clone());
            } else {
                group.also.push(ListedElsewhere {
                    id: sheet.id,
                    title_nl: sheet.content.title_nl.clone(),
                    title_en: sheet.content.title_en.clone(),
                    organisation: sheet.organisation.name.clone(),
                    stand: sheet.stand.clone(),
                });
            }
        }
    }
    groups.retain(|g| !g.factsheets.is_empty() || !g.also.is_empty());
    Ok(PrintCatalogue {
        event: PrintEvent {
            id: event.id,
            name: event.name,
            start_date: event.start_date,
            venue: event.venue,
        },
        groups,
        labels: labels(&vocabulary),
    })
}
