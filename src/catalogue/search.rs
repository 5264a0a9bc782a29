//! Catalogue search. Published factsheets are indexed as stems (see [`super::text`]) in the
//! database's own full-text engine: an FTS5 table on SQLite, a weighted `tsvector` with a GIN
//! index on PostgreSQL. A search asks the database for the ids and scores of the matching
//! factsheets, then filters, counts facets, sorts and pages here over the event's published
//! listing. The listing is kept in memory per event but checked against the event's
//! catalogue version on every search, so every server instance answers the same.

use std::cmp::Ordering;
use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use sea_orm::{ColumnTrait, ConnectionTrait, DbBackend, DbErr, FromQueryResult, Statement, Value};
use uuid::Uuid;

use super::content::{Facet, FactsheetContent, Vocabulary};
use super::text::{self, QueryWord};
use crate::domain::Lang;
use crate::entities::event;
use crate::event_cache::EventCache;

/// The four weighted parts of an indexed factsheet, each a string of stems.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct SearchDocument {
    pub title: String,
    pub pitch: String,
    pub tags: String,
    pub body: String,
}

/// Stems a text whose language is not known with both stemmers.
fn both(textual: &str, out: &mut String) {
    for word in text::words(textual) {
        let nl = text::stem(&word, Lang::Nl);
        let en = text::stem(&word, Lang::En);
        for form in [nl.as_str(), en.as_str()] {
            if !out.is_empty() {
                out.push(' ');
            }
            out.push_str(form);
            if nl == en {
                break;
            }
        }
    }
}

/// What the index holds for a published factsheet.
pub fn document(
    content: &FactsheetContent,
    organisation: &str,
    vocabulary: &Vocabulary,
) -> SearchDocument {
    let mut doc = SearchDocument::default();
    text::stems(&content.title_nl, Lang::Nl, &mut doc.title);
    text::stems(&content.title_en, Lang::En, &mut doc.title);
    text::stems(&content.pitch_nl, Lang::Nl, &mut doc.pitch);
    text::stems(&content.pitch_en, Lang::En, &mut doc.pitch);
    text::plain(organisation, &mut doc.tags);
    let mut labels: Vec<&(String, String)> = Vec::new();
    labels.extend(
        content
            .product_groups
            .iter()
            .filter_map(|c| vocabulary.product_groups.get(c)),
    );
    labels.extend(
        content
            .business_models
            .iter()
            .filter_map(|c| vocabulary.business_models.get(c)),
    );
    for claim in &content.claims {
        if let Some((goal, nl, en)) = vocabulary.strategies.get(&claim.strategy) {
            text::stems(nl, Lang::Nl, &mut doc.tags);
            text::stems(en, Lang::En, &mut doc.tags);
            text::plain(&claim.strategy, &mut doc.tags);
            if let Some(goal) = vocabulary.goals.get(goal) {
                labels.push(goal);
            }
        }
    }
    for (nl, en) in labels {
        text::stems(nl, Lang::Nl, &mut doc.tags);
        text::stems(en, Lang::En, &mut doc.tags);
    }
    text::stems(&content.description_nl, Lang::Nl, &mut doc.body);
    text::stems(&content.description_en, Lang::En, &mut doc.body);
    for (nl, en) in [
        (&content.price_model_nl, &content.price_model_en),
        (&content.tco_statement_nl, &content.tco_statement_en),
    ] {
        text::stems(nl, Lang::Nl, &mut doc.body);
        text::stems(en, Lang::En, &mut doc.body);
    }
    for claim in &content.claims {
        text::stems(&claim.explanation_nl, Lang::Nl, &mut doc.body);
        text::stems(&claim.explanation_en, Lang::En, &mut doc.body);
        for evidence in &claim.evidence {
            both(&evidence.title, &mut doc.body);
        }
    }
    for case in &content.reference_cases {
        text::stems(&case.title_nl, Lang::Nl, &mut doc.body);
        text::stems(&case.title_en, Lang::En, &mut doc.body);
        both(&case.client, &mut doc.body);
        text::stems(&case.description_nl, Lang::Nl, &mut doc.body);
        text::stems(&case.description_en, Lang::En, &mut doc.body);
    }
    doc
}

/// Puts (or replaces) a published factsheet in the index, inside the caller's transaction.
pub async fn index<C: ConnectionTrait>(
    db: &C,
    event_id: Uuid,
    factsheet_id: Uuid,
    doc: &SearchDocument,
) -> Result<(), DbErr> {
    let backend = db.get_database_backend();
    if backend == DbBackend::Postgres {
        db.execute_raw(Statement::from_sql_and_values(
            backend,
            "INSERT INTO factsheet_search (factsheet_id, event_id, document) VALUES ($1, $2, \
               setweight(to_tsvector('simple', $3), 'A') || setweight(to_tsvector('simple', $4), 'B') \
               || setweight(to_tsvector('simple', $5), 'C') || setweight(to_tsvector('simple', $6), 'D')) \
             ON CONFLICT (factsheet_id) DO UPDATE SET document = EXCLUDED.document",
            values(event_id, factsheet_id, doc),
        ))
        .await?;
    } else {
        unindex(db, factsheet_id).await?;
        db.execute_raw(Statement::from_sql_and_values(
            backend,
            "INSERT INTO factsheet_search (factsheet_id, event_id, title, pitch, tags, body) \
             VALUES (?, ?, ?, ?, ?, ?)",
            values(event_id, factsheet_id, doc),
        ))
        .await?;
    }
    Ok(())
}

fn values(event_id: Uuid, factsheet_id: Uuid, doc: &SearchDocument) -> Vec<Value> {
    vec![
        Value::from(factsheet_id),
        Value::from(event_id),
        Value::from(doc.title.clone()),
        Value::from(doc.pitch.clone()),
        Value::from(doc.tags.clone()),
        Value::from(doc.body.clone()),
    ]
}

/// Takes a factsheet out of the index (unpublished or deleted).
pub async fn unindex<C: ConnectionTrait>(db: &C, factsheet_id: Uuid) -> Result<(), DbErr> {
    let backend = db.get_database_backend();
    let sql = if backend == DbBackend::Postgres {
        "DELETE FROM factsheet_search WHERE factsheet_id = $1"
    } else {
        "DELETE FROM factsheet_search WHERE factsheet_id = ?"
    };
    db.execute_raw(Statement::from_sql_and_values(
        backend,
        sql,
        [Value::from(factsheet_id)],
    ))
    .await?;
    Ok(())
}

/// A published factsheet that matches the words, before filtering and paging.
#[derive(Debug, Clone, PartialEq)]
pub struct Candidate {
    pub id: Uuid,
    pub score: f64,
    /// The publication time as text that sorts in time order.
    pub published: String,
    pub stand: Option<String>,
    pub sort_title: String,
    pub facets: String,
}

/// Reads the packed candidates: one line per factsheet, six tab-separated fields, facets
/// last. Every field is free of tabs and line breaks by construction.
fn unpack(packed: &str) -> Vec<Candidate> {
    packed
        .split('\n')
        .filter_map(|line| {
            let mut fields = line.splitn(6, '\t');
            let id = Uuid::parse_str(fields.next()?).ok()?;
            let score = fields.next()?.parse().unwrap_or(0.0);
            let published = fields.next()?.to_string();
            let stand = Some(fields.next()?.to_string()).filter(|s| !s.is_empty());
            let sort_title = fields.next()?.to_string();
            let facets = fields.next().unwrap_or("").to_string();
            Some(Candidate {
                id,
                score,
                published,
                stand,
                sort_title,
                facets,
            })
        })
        .collect()
}

const PACKED_PG: &str = "string_agg(f.id::text || E'\\t' || '0' || E'\\t' \
    || to_char(f.published_at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS.US') || E'\\t' \
    || coalesce(f.stand, '') || E'\\t' || f.sort_title || E'\\t' || f.facets, E'\\n')";
const PACKED_SQLITE: &str = "group_concat(hex(f.id) || char(9) || '0' || char(9) \
    || f.published_at || char(9) || coalesce(f.stand, '') || char(9) || f.sort_title \
    || char(9) || f.facets, char(10))";

/// Marks the event's published listing as changed, inside the transaction that changes
/// it, so every instance's cached copy is replaced on its next search.
pub async fn listing_changed<C: ConnectionTrait>(db: &C, event_id: Uuid) -> Result<(), DbErr> {
    use sea_orm::sea_query::{Expr, ExprTrait};
    use sea_orm::{EntityTrait, QueryFilter};
    event::Entity::update_many()
        .col_expr(
            event::Column::CatalogueVersion,
            Expr::col(event::Column::CatalogueVersion).add(1),
        )
        .filter(event::Column::Id.eq(event_id))
        .exec(db)
        .await?;
    Ok(())
}

/// The published listing (everything a search filters, counts and sorts on) of one event,
/// kept in the [`EventCache`] with the catalogue version it was read at. A search reads the
/// event's current version from the database and uses the copy only if it is that version,
/// so a publication on any instance is visible to the next search everywhere. Only the ids
/// and scores of text matches are read per search.
pub struct Listing(Vec<Candidate>);

#[derive(FromQueryResult)]
struct Packed {
    packed: Option<String>,
}

async fn packed<C: ConnectionTrait>(db: &C, stmt: Statement) -> Result<String, DbErr> {
    Ok(Packed::find_by_statement(stmt)
        .one(db)
        .await?
        .and_then(|p| p.packed)
        .unwrap_or_default())
}

/// The event's published factsheets as of `event.catalogue_version`.
async fn listing<C: ConnectionTrait>(
    db: &C,
    cache: &EventCache,
    event: &event::Model,
) -> Result<Arc<Listing>, DbErr> {
    if let Some(listing) = cache.get::<Listing>(event.id, event.catalogue_version) {
        return Ok(listing);
    }
    let backend = db.get_database_backend();
    let sql = if backend == DbBackend::Postgres {
        format!(
            "SELECT {PACKED_PG} AS packed FROM factsheet f \
             WHERE f.event_id = $1 AND f.published_at IS NOT NULL"
        )
    } else {
        format!(
            "SELECT {PACKED_SQLITE} AS packed FROM factsheet f \
             WHERE f.event_id = ? AND f.published_at IS NOT NULL"
        )
    };
    let stmt = Statement::from_sql_and_values(backend, sql, [Value::from(event.id)]);
    let listing = Arc::new(Listing(unpack(&packed(db, stmt).await?)));
    cache.put(event.id, event.catalogue_version, listing.clone());
    Ok(listing)
}

/// What a search works on: the whole listing, or the text matches with their scores.
pub enum Candidates {
    All(Arc<Listing>),
    Matches(Vec<Candidate>),
}

impl Candidates {
    pub fn as_slice(&self) -> &[Candidate] {
        match self {
            Candidates::All(all) => &all.0,
            Candidates::Matches(matches) => matches,
        }
    }
}

/// The published factsheets of the event that match every query word (all of them
/// without words), with their relevance score.
pub async fn candidates<C: ConnectionTrait>(
    db: &C,
    cache: &EventCache,
    event: &event::Model,
    words: &[QueryWord],
) -> Result<Candidates, DbErr> {
    let all = listing(db, cache, event).await?;
    if words.is_empty() {
        return Ok(Candidates::All(all));
    }
    let backend = db.get_database_backend();
    let stmt = if backend == DbBackend::Postgres {
        Statement::from_sql_and_values(
            backend,
            "SELECT string_agg(factsheet_id::text || E'\\t' \
               || ts_rank('{0.2, 0.4, 0.6, 1.0}', document, q)::text, E'\\n') AS packed \
             FROM factsheet_search, to_tsquery('simple', $2) q \
             WHERE event_id = $1 AND document @@ q",
            [Value::from(event.id), Value::from(text::tsquery(words))],
        )
    } else {
        // bm25 is lower for better matches; the weights are per column (the two
        // UNINDEXED ids first). The ranking runs in its own (materialised) step: FTS5's
        // functions cannot run inside the aggregate that packs the rows.
        Statement::from_sql_and_values(
            backend,
            "WITH s AS MATERIALIZED \
               (SELECT factsheet_id, -bm25(factsheet_search, 0.0, 0.0, 10.0, 5.0, 3.0, 1.0) AS score \
                FROM factsheet_search WHERE factsheet_search MATCH ? AND event_id = ?) \
             SELECT group_concat(hex(factsheet_id) || char(9) || score, char(10)) AS packed FROM s",
            [Value::from(text::fts5_query(words)), Value::from(event.id)],
        )
    };
    let scores: HashMap<Uuid, f64> = packed(db, stmt)
        .await?
        .split('\n')
        .filter_map(|line| {
            let (id, score) = line.split_once('\t')?;
            Some((Uuid::parse_str(id).ok()?, score.parse().unwrap_or(0.0)))
        })
        .collect();
    // The index and the listing are written in the same transactions, so a match is
    // always in the listing of the same version; one that is not is skipped.
    Ok(Candidates::Matches(
        all.0
            .iter()
            .filter_map(|c| {
                scores.get(&c.id).map(|score| Candidate {
                    score: *score,
                    ..c.clone()
                })
            })
            .collect(),
    ))
}

#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Default,
    serde::Deserialize,
    serde::Serialize,
    utoipa::ToSchema,
)]
#[serde(rename_all = "lowercase")]
pub enum Sort {
    #[default]
    Relevance,
    Title,
    Newest,
    Stand,
}

/// Chosen facet values; within a facet any value may match, across facets all must.
#[derive(Debug, Default, Clone)]
pub struct Filters(pub [Vec<String>; 7]);

impl Filters {
    pub fn set(&mut self, facet: Facet, values: Vec<String>) {
        self.0[facet.index()] = values;
    }
}

/// One page of results with the facet counts of the whole result.
#[derive(Debug, Default)]
pub struct Hits {
    pub total: usize,
    pub page: Vec<Uuid>,
    /// Per facet: value -> count. A facet's counts apply every other facet's filter but
    /// not its own, so choosing a value still shows what the alternatives would give.
    pub counts: [HashMap<String, usize>; 7],
}

/// Filters, counts, sorts and pages the candidates.
pub fn select(
    candidates: &[Candidate],
    filters: &Filters,
    sort: Sort,
    page: usize,
    per_page: usize,
) -> Hits {
    let chosen: Vec<HashSet<&str>> = filters
        .0
        .iter()
        .map(|values| values.iter().map(String::as_str).collect())
        .collect();
    let mut hits = Hits::default();
    let mut counts: [HashMap<&str, usize>; 7] = Default::default();
    let mut kept = Vec::new();
    let mut keys: Vec<(usize, &str)> = Vec::new();
    for candidate in candidates {
        keys.clear();
        let mut matched = [false; 7];
        for key in candidate.facets.split(' ') {
            let Some((prefix, value)) = key.split_once(':') else {
                continue;
            };
            let Some(facet) = Facet::from_key(prefix) else {
                continue;
            };
            let i = facet.index();
            if chosen[i].contains(value) {
                matched[i] = true;
            }
            keys.push((i, value));
        }
        let failing: Vec<usize> = (0..7)
            .filter(|&i| !chosen[i].is_empty() && !matched[i])
            .collect();
        match failing.as_slice() {
            [] => {
                for &(i, value) in &keys {
                    *counts[i].entry(value).or_default() += 1;
                }
                kept.push(candidate);
            }
            [only] => {
                for &(i, value) in keys.iter().filter(|(i, _)| i == only) {
                    *counts[i].entry(value).or_default() += 1;
                }
            }
            _ => {}
        }
    }
    for (out, counted) in hits.counts.iter_mut().zip(counts) {
        *out = counted
            .into_iter()
            .map(|(k, v)| (k.to_string(), v))
            .collect();
    }
    hits.total = kept.len();
    let by_title =
        |a: &&Candidate, b: &&Candidate| a.sort_title.cmp(&b.sort_title).then(a.id.cmp(&b.id));
    match sort {
        Sort::Relevance => kept.sort_by(|a, b| {
            b.score
                .partial_cmp(&a.score)
                .unwrap_or(Ordering::Equal)
                .then_with(|| by_title(a, b))
        }),
        Sort::Title => kept.sort_by(by_title),
        Sort::Newest => {
            kept.sort_by(|a, b| b.published.cmp(&a.published).then_with(|| by_title(a, b)))
        }
        Sort::Stand => kept.sort_by(|a, b| {
            stand_order(a.stand.as_deref(), b.stand.as_deref()).then_with(|| by_title(a, b))
        }),
    }
    hits.page = kept
        .into_iter()
        // Saturating: a page far past the end is empty, never an overflow.
        .skip((page.max(1) - 1).saturating_mul(per_page))
        .take(per_page)
        .map(|c| c.id)
        .collect();
    hits
}

/// Stand numbers in natural order (A2 before A10); factsheets without a stand last.
pub fn stand_order(a: Option<&str>, b: Option<&str>) -> Ordering {
    fn key(s: &str) -> (String, u64, String) {
        let letters: String = s.chars().take_while(|c| !c.is_ascii_digit()).collect();
        let rest = &s[letters.len()..];
        let digits: String = rest.chars().take_while(|c| c.is_ascii_digit()).collect();
        let tail = rest[digits.len()..].to_string();
        (
            letters.to_lowercase(),
            digits.parse().unwrap_or(0),
            tail.to_lowercase(),
        )
    }
    match (a, b) {
        (Some(a), Some(b)) => key(a).cmp(&key(b)),
        (Some(_), None) => Ordering::Less,
        (None, Some(_)) => Ordering::Greater,
        (None, None) => Ordering::Equal,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn candidate(n: u128, title: &str, facets: &str, score: f64) -> Candidate {
        Candidate {
            id: Uuid::from_u128(n),
            facets: facets.into(),
            sort_title: title.into(),
            published: "2026-11-24 10:00:00".into(),
            stand: None,
            score,
        }
    }

    #[test]
    fn facet_counts_are_disjunctive() {
        let all = vec![
            candidate(1, "a", "pg:ict lang:nl", 1.0),
            candidate(2, "b", "pg:ict lang:en", 3.0),
            candidate(3, "c", "pg:lighting lang:nl", 2.0),
        ];
        let mut filters = Filters::default();
        filters.set(Facet::ProductGroup, vec!["ict".into()]);
        let hits = select(&all, &filters, Sort::Relevance, 1, 10);
        assert_eq!(hits.total, 2);
        assert_eq!(hits.page, [Uuid::from_u128(2), Uuid::from_u128(1)]);
        // Product groups ignore their own filter; languages count only ICT factsheets.
        assert_eq!(hits.counts[Facet::ProductGroup.index()]["lighting"], 1);
        assert_eq!(hits.counts[Facet::ProductGroup.index()]["ict"], 2);
        assert_eq!(hits.counts[Facet::Language.index()]["nl"], 1);
        assert_eq!(hits.counts[Facet::Language.index()]["en"], 1);

        filters.set(Facet::Language, vec!["nl".into()]);
        let hits = select(&all, &filters, Sort::Title, 1, 10);
        assert_eq!(hits.page, [Uuid::from_u128(1)]);
        assert_eq!(hits.counts[Facet::ProductGroup.index()]["lighting"], 1);
        assert_eq!(hits.counts[Facet::Language.index()]["en"], 1);
    }

    #[test]
    fn packed_rows_read_back() {
        let id = Uuid::from_u128(7);
        let packed = format!(
            "{}\t-1.5\t2026-11-24 10:00:00+00:00\t\tstoel\tpg:ict lang:nl\n{}\t0\tx\tB2\tt\t",
            id.simple().to_string().to_uppercase(),
            id
        );
        let read = unpack(&packed);
        assert_eq!(read.len(), 2);
        assert_eq!(
            (read[0].id, read[0].score, read[0].stand.clone()),
            (id, -1.5, None)
        );
        assert_eq!(read[0].facets, "pg:ict lang:nl");
        assert_eq!(
            (read[1].stand.as_deref(), read[1].facets.as_str()),
            (Some("B2"), "")
        );
    }

    #[test]
    fn pages_and_stands() {
        let all: Vec<Candidate> = (0..25)
            .map(|i| candidate(i, &format!("t{i:02}"), "pg:ict", 0.0))
            .collect();
        let hits = select(&all, &Filters::default(), Sort::Title, 3, 10);
        assert_eq!(hits.total, 25);
        assert_eq!(hits.page.len(), 5);
        assert_eq!(stand_order(Some("A2"), Some("A10")), Ordering::Less);
        assert_eq!(stand_order(None, Some("B1")), Ordering::Greater);
    }
}
