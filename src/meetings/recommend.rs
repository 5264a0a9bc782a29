//! Recommendations: for a buyer the suppliers whose published factsheets fit the buyer's
//! needs profile, for a supplier the buyers whose needs fit the supplier's factsheets, each
//! with a score and its reasons in words, in the reader's language.
//!
//! [`fit`] scores one needs profile against one factsheet: a pure function over plain
//! structs ([`NeedsProfile`], [`OfferProfile`]), tested below. [`for_me`] loads what it
//! needs (the caller's participation, the event's active buyers and suppliers, the needs
//! profiles, the published factsheets, the requests the caller already has), scores, leaves
//! out whom the caller cannot or need not ask, and ranks. docs/meetings.md,
//! "Recommendations", describes the scoring and what is left out.

use std::collections::{BTreeSet, HashMap, HashSet};

use sea_orm::{ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use super::{MeetingRequestStatus, MeetingsError, MeetingsResult, not_a_participant};
use crate::bounds::{RECOMMENDATIONS_DEFAULT, RECOMMENDATIONS_LIMIT};
use crate::catalogue::browse::{FactsheetLink, factsheet_page};
use crate::catalogue::content::{FactsheetContent, Vocabulary};
use crate::catalogue::service::{organisations, published_content, vocabulary};
use crate::catalogue::text;
use crate::domain::{Lang, Role};
use crate::entities::{buyer_need, factsheet, meeting_request, participation, person};
use crate::error::FieldError;
use crate::events::access;
use crate::state::AppState;

// ---- scoring ----

/// The most a part of the score adds: sharing the buyer's product groups, their ambition
/// strategies, the business models they want, the words of their text, and evidence behind
/// the factsheet's claims. A full fit scores 100.
const PRODUCT_GROUPS: f64 = 35.0;
const STRATEGIES: f64 = 30.0;
const BUSINESS_MODELS: f64 = 15.0;
const WORDS: f64 = 15.0;
const EVIDENCE: f64 = 5.0;
/// Shared words beyond this many add nothing more to the score.
const WORDS_FOR_FULL_SCORE: usize = 4;
/// Shared words named in a reason.
const WORDS_SHOWN: usize = 3;
/// A word in more than half of the event's published factsheets says nothing about a fit
/// (once there are this many factsheets to tell).
const COMMON_FROM: usize = 4;

/// Words too common in Dutch and English texts to say anything about a fit.
const STOP_WORDS: &[&str] = &[
    // Dutch
    "aan", "als", "bij", "dan", "dat", "de", "deze", "die", "dit", "door", "een", "en", "er",
    "geen", "het", "hun", "in", "is", "je", "jullie", "met", "na", "naar", "niet", "nog", "of",
    "om", "ons", "onze", "ook", "op", "over", "per", "te", "ter", "tot", "tussen", "u", "uit",
    "uw", "van", "via", "voor", "waar", "wat", "we", "wel", "wij", "wordt", "worden", "ze", "zij",
    "zijn", "zo", "zodat", "zonder", // English
    "a", "all", "also", "an", "and", "any", "are", "as", "at", "be", "by", "can", "for", "from",
    "has", "have", "in", "into", "is", "it", "its", "of", "on", "or", "our", "per", "so", "such",
    "than", "that", "the", "their", "them", "they", "this", "those", "to", "up", "us", "we",
    "which", "who", "will", "with", "without", "you", "your",
];

/// Whether a word of a text (as [`text::words`] gives it) can tell a fit.
fn telling(word: &str) -> bool {
    word.chars().count() >= 3
        && !word.chars().all(|c| c.is_ascii_digit())
        && !STOP_WORDS.contains(&word)
}

/// One telling word of a buyer's text and its stems (Dutch and English: the text may be in
/// either language, as the catalogue search treats a query).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NeedsWord {
    pub word: String,
    pub stems: Vec<String>,
}

/// What a buyer looks for, as the scoring reads it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct NeedsProfile {
    pub product_groups: Vec<String>,
    pub strategies: Vec<String>,
    pub business_models: Vec<String>,
    pub words: Vec<NeedsWord>,
}

impl NeedsProfile {
    /// A profile from its codes and the buyer's text (what they plan to buy).
    pub fn new(
        product_groups: Vec<String>,
        strategies: Vec<String>,
        business_models: Vec<String>,
        text: &str,
    ) -> Self {
        let mut seen = HashSet::new();
        let words = text::words(text)
            .into_iter()
            .filter(|w| telling(w) && seen.insert(w.clone()))
            .map(|word| {
                let mut stems = vec![text::stem(&word, Lang::Nl), text::stem(&word, Lang::En)];
                stems.dedup();
                NeedsWord { word, stems }
            })
            .collect();
        NeedsProfile {
            product_groups,
            strategies,
            business_models,
            words,
        }
    }

    /// Nothing to score with: no codes and no telling words.
    pub fn is_empty(&self) -> bool {
        self.product_groups.is_empty()
            && self.strategies.is_empty()
            && self.business_models.is_empty()
            && self.words.is_empty()
    }
}

/// What a factsheet offers, as the scoring reads it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct OfferProfile {
    pub product_groups: Vec<String>,
    pub business_models: Vec<String>,
    /// Each claimed strategy, and whether evidence backs it.
    pub claims: Vec<(String, bool)>,
    /// The stems of the factsheet's texts (each text with the stemmer of its language),
    /// each with the first word it came from.
    pub stems: HashMap<String, String>,
}

impl OfferProfile {
    pub fn of(content: &FactsheetContent) -> Self {
        let mut stems = HashMap::new();
        let mut add = |textual: &str, langs: &[Lang]| {
            for word in text::words(textual).into_iter().filter(|w| telling(w)) {
                for lang in langs {
                    stems
                        .entry(text::stem(&word, *lang))
                        .or_insert_with(|| word.clone());
                }
            }
        };
        let (nl, en, either) = (&[Lang::Nl][..], &[Lang::En][..], &[Lang::Nl, Lang::En][..]);
        for (textual, langs) in [
            (&content.title_nl, nl),
            (&content.title_en, en),
            (&content.pitch_nl, nl),
            (&content.pitch_en, en),
            (&content.description_nl, nl),
            (&content.description_en, en),
            (&content.price_model_nl, nl),
            (&content.price_model_en, en),
            (&content.tco_statement_nl, nl),
            (&content.tco_statement_en, en),
        ] {
            add(textual, langs);
        }
        for claim in &content.claims {
            add(&claim.explanation_nl, nl);
            add(&claim.explanation_en, en);
            for evidence in &claim.evidence {
                add(&evidence.title, either);
            }
        }
        for case in &content.reference_cases {
            add(&case.title_nl, nl);
            add(&case.title_en, en);
            add(&case.client, either);
            add(&case.description_nl, nl);
            add(&case.description_en, en);
        }
        OfferProfile {
            product_groups: content.product_groups.clone(),
            business_models: content.business_models.clone(),
            claims: content
                .claims
                .iter()
                .map(|c| (c.strategy.clone(), !c.evidence.is_empty()))
                .collect(),
            stems,
        }
    }
}

/// In how many of the event's published factsheets each stem occurs.
#[derive(Debug, Clone, Default)]
pub struct WordRarity {
    factsheets: usize,
    counts: HashMap<String, usize>,
}

impl WordRarity {
    pub fn of<'a>(offers: impl IntoIterator<Item = &'a OfferProfile>) -> Self {
        let mut rarity = WordRarity::default();
        for offer in offers {
            rarity.factsheets += 1;
            for stem in offer.stems.keys() {
                *rarity.counts.entry(stem.clone()).or_default() += 1;
            }
        }
        rarity
    }

    fn count(&self, stem: &str) -> usize {
        self.counts.get(stem).copied().unwrap_or(0)
    }

    fn too_common(&self, stem: &str) -> bool {
        self.factsheets >= COMMON_FROM && self.count(stem) * 2 > self.factsheets
    }
}

/// A word the buyer's text and a factsheet share: as the buyer wrote it and as the
/// factsheet has it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SharedWord {
    pub needs: String,
    pub offer: String,
}

/// Why a factsheet fits a buyer, before it is put in words.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reason {
    /// Product groups and ambition strategies both name (codes).
    Shares {
        product_groups: Vec<String>,
        strategies: Vec<String>,
    },
    /// Business models the buyer wants and the factsheet offers (codes).
    BusinessModels(Vec<String>),
    /// Words of the buyer's text the factsheet's texts have too, rarest first.
    Words(Vec<SharedWord>),
    /// Claims of the factsheet backed by evidence, of all its claims.
    Evidence { backed: usize, claims: usize },
}

/// How well one factsheet fits one buyer: a score from 0 to 100 and its reasons.
#[derive(Debug, Clone, PartialEq)]
pub struct Fit {
    pub score: f64,
    pub reasons: Vec<Reason>,
}

/// `wanted` in the order the buyer gave them that `offered` has too.
fn shared(wanted: &[String], offered: impl Fn(&str) -> bool) -> Vec<String> {
    wanted.iter().filter(|c| offered(c)).cloned().collect()
}

fn share(part: f64, shared: usize, of: usize) -> f64 {
    if of == 0 {
        0.0
    } else {
        part * shared as f64 / of as f64
    }
}

/// How well the factsheet `offer` fits the buyer's `needs`; `None` when nothing fits (no
/// shared product group, strategy, business model or telling word). Evidence adds to a
/// fit but makes none.
pub fn fit(needs: &NeedsProfile, offer: &OfferProfile, rarity: &WordRarity) -> Option<Fit> {
    let groups = shared(&needs.product_groups, |c| {
        offer.product_groups.iter().any(|o| o == c)
    });
    let strategies = shared(&needs.strategies, |c| {
        offer.claims.iter().any(|(s, _)| s == c)
    });
    let models = shared(&needs.business_models, |c| {
        offer.business_models.iter().any(|o| o == c)
    });
    let mut words: Vec<(usize, SharedWord)> = Vec::new();
    let mut matched_stems = HashSet::new();
    for word in &needs.words {
        let Some(stem) = word
            .stems
            .iter()
            .find(|s| offer.stems.contains_key(*s) && !rarity.too_common(s))
        else {
            continue;
        };
        if matched_stems.insert(stem.clone()) {
            words.push((
                rarity.count(stem),
                SharedWord {
                    needs: word.word.clone(),
                    offer: offer.stems[stem].clone(),
                },
            ));
        }
    }
    // Rarest first: they say most about this factsheet. The sort is stable, so equally
    // rare words keep the buyer's order.
    words.sort_by_key(|(count, _)| *count);
    let relevance = share(PRODUCT_GROUPS, groups.len(), needs.product_groups.len())
        + share(STRATEGIES, strategies.len(), needs.strategies.len())
        + share(BUSINESS_MODELS, models.len(), needs.business_models.len())
        + share(
            WORDS,
            words.len().min(WORDS_FOR_FULL_SCORE),
            WORDS_FOR_FULL_SCORE,
        );
    if relevance <= 0.0 {
        return None;
    }
    let backed = offer
        .claims
        .iter()
        .filter(|(_, evidence)| *evidence)
        .count();
    let claims = offer.claims.len();
    let mut reasons = Vec::new();
    if !groups.is_empty() || !strategies.is_empty() {
        reasons.push(Reason::Shares {
            product_groups: groups,
            strategies,
        });
    }
    if !models.is_empty() {
        reasons.push(Reason::BusinessModels(models));
    }
    if !words.is_empty() {
        reasons.push(Reason::Words(
            words
                .into_iter()
                .take(WORDS_SHOWN)
                .map(|(_, w)| w)
                .collect(),
        ));
    }
    if claims > 0 {
        reasons.push(Reason::Evidence { backed, claims });
    }
    Some(Fit {
        score: relevance + share(EVIDENCE, backed, claims),
        reasons,
    })
}

// ---- reasons in words ----

/// Who reads a reason: the buyer whose needs it is about, or the supplier whose factsheet.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reader {
    Buyer,
    Supplier,
}

/// A label mid-sentence: its first letter in lower case, unless it starts with an
/// abbreviation ("ICT").
fn mid_sentence(label: &str) -> String {
    let first_word = label.split([' ', '-']).next().unwrap_or_default();
    let abbreviation = first_word.chars().filter(|c| c.is_alphabetic()).count() > 1
        && first_word.chars().all(|c| !c.is_lowercase());
    let mut chars = label.chars();
    match chars.next() {
        Some(first) if !abbreviation => first.to_lowercase().chain(chars).collect(),
        _ => label.to_string(),
    }
}

fn label(names: &HashMap<String, (String, String)>, code: &str, lang: Lang) -> String {
    match (names.get(code), lang) {
        (Some((nl, _)), Lang::Nl) => mid_sentence(nl),
        (Some((_, en)), Lang::En) => mid_sentence(en),
        (None, _) => code.to_string(),
    }
}

/// One reason as `reader` reads it in `lang`; `None` for a reason not worth telling this
/// reader (a supplier knows the evidence of their own factsheet).
pub fn say(reason: &Reason, reader: Reader, lang: Lang, vocabulary: &Vocabulary) -> Option<String> {
    Some(match reason {
        Reason::Shares {
            product_groups,
            strategies,
        } => {
            let labels: Vec<String> = product_groups
                .iter()
                .map(|c| label(&vocabulary.product_groups, c, lang))
                .collect();
            let and = match lang {
                Lang::Nl => " en ",
                Lang::En => " and ",
            };
            // "office interiors and furniture, and strategies A3": a comma keeps the
            // strategies apart from a label or list that has an "and" of its own.
            let comma = labels.len() > 1 || labels.iter().any(|l| l.contains(and));
            let groups = lang.enumerate(&labels);
            let codes = strategies.join(", ");
            let strategies = match (lang, strategies.len()) {
                (_, 0) => String::new(),
                (Lang::Nl, 1) => format!("strategie {codes}"),
                (Lang::Nl, _) => format!("strategieën {codes}"),
                (Lang::En, 1) => format!("strategy {codes}"),
                (Lang::En, _) => format!("strategies {codes}"),
            };
            let what = match (groups.is_empty(), strategies.is_empty()) {
                (false, false) if comma => format!("{groups},{and}{strategies}"),
                (false, false) => format!("{groups}{and}{strategies}"),
                (false, true) => groups,
                _ => strategies,
            };
            match lang {
                Lang::Nl => format!("deelt {what}"),
                Lang::En => format!("shares {what}"),
            }
        }
        Reason::BusinessModels(models) => {
            let models: Vec<String> = models
                .iter()
                .map(|c| label(&vocabulary.business_models, c, lang))
                .collect();
            let models = models.join(", ");
            match (reader, lang) {
                (Reader::Buyer, Lang::Nl) => format!("biedt {models} aan"),
                (Reader::Buyer, Lang::En) => format!("offers {models}"),
                (Reader::Supplier, Lang::Nl) => format!("zoekt {models}, wat je aanbiedt"),
                (Reader::Supplier, Lang::En) => format!("looks for {models}, which you offer"),
            }
        }
        Reason::Words(words) => {
            let quoted: Vec<String> = words
                .iter()
                .map(|w| match reader {
                    Reader::Buyer => format!("'{}'", w.offer),
                    Reader::Supplier => format!("'{}'", w.needs),
                })
                .collect();
            let listed = lang.enumerate(&quoted);
            match (reader, lang) {
                (Reader::Buyer, Lang::Nl) => {
                    format!("hun tekst vermeldt {listed}, waar je naar zoekt")
                }
                (Reader::Buyer, Lang::En) => {
                    format!("their text mentions {listed}, which you look for")
                }
                (Reader::Supplier, Lang::Nl) => {
                    format!("hun behoeften noemen {listed}, net als je factsheet")
                }
                (Reader::Supplier, Lang::En) => {
                    format!("their needs mention {listed}, as does your factsheet")
                }
            }
        }
        Reason::Evidence { backed, claims } => match (reader, lang) {
            (Reader::Supplier, _) => return None,
            (Reader::Buyer, Lang::Nl) => format!(
                "bewijs voor {backed} van {claims} {}",
                if *claims == 1 { "claim" } else { "claims" }
            ),
            (Reader::Buyer, Lang::En) => format!(
                "evidence for {backed} of {claims} {}",
                if *claims == 1 { "claim" } else { "claims" }
            ),
        },
    })
}

// ---- the API ----

#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct RecommendationsQuery {
    /// How many to list, best first (default 20).
    pub limit: Option<usize>,
    /// The language of the reasons and the hint; by default the reader's.
    #[param(inline)]
    pub lang: Option<Lang>,
}

/// Someone worth asking for a meeting, and why.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Recommendation {
    /// Their participation: the `participant_id` of a new meeting request.
    pub participant_id: Uuid,
    pub person_name: String,
    pub organisation_name: Option<String>,
    pub role: Role,
    /// How well they fit, from 0 to 100.
    pub score: u32,
    /// Why, in short phrases in the reader's language.
    pub reasons: Vec<String>,
    /// The factsheet the score is for: theirs for a buyer, one's own for a supplier.
    pub factsheet: Option<FactsheetLink>,
}

/// Why the list is empty, as a code for the browser app.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum HintCode {
    /// A buyer without a needs profile to score with.
    NeedsProfile,
    /// A supplier without a factsheet.
    Factsheet,
    /// A supplier whose factsheet is not published yet.
    FactsheetNotPublished,
    /// Nobody fits yet.
    NoFit,
    /// Everyone who fits was asked already (or declined).
    AllAsked,
}

/// The caller's recommendations, best first.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Recommendations {
    pub event_id: Uuid,
    /// The language of the reasons and the hint.
    pub lang: Lang,
    pub recommendations: Vec<Recommendation>,
    /// When the list is empty: what to do about it, in the reader's language.
    pub hint: Option<String>,
    pub hint_code: Option<HintCode>,
}

fn hint(code: HintCode, lang: Lang) -> String {
    match (code, lang) {
        (HintCode::NeedsProfile, Lang::Nl) => "Vul je aankoopbehoeften in (productgroepen, circulaire ambities, verdienmodellen, wat je wilt aankopen): aanbieders van wie de factsheet erbij past, verschijnen dan hier.",
        (HintCode::NeedsProfile, Lang::En) => "Fill in your purchasing needs (product groups, circular ambitions, business models, what you plan to buy): suppliers whose factsheets fit them then appear here.",
        (HintCode::Factsheet, Lang::Nl) => "Schrijf de factsheet van je organisatie (productgroepen, circulaire claims met hun bewijs, verdienmodellen) en dien ze in: zodra ze gepubliceerd is, verschijnen hier de aankopers van wie de behoeften erbij passen.",
        (HintCode::Factsheet, Lang::En) => "Write your organisation's factsheet (product groups, circular claims with their evidence, business models) and submit it: once it is published, buyers whose needs fit it appear here.",
        (HintCode::FactsheetNotPublished, Lang::Nl) => "Je factsheet is nog niet gepubliceerd: zodra de organisatoren ze goedkeuren, verschijnen hier de aankopers van wie de behoeften erbij passen.",
        (HintCode::FactsheetNotPublished, Lang::En) => "Your factsheet is not published yet: once the organisers approve it, buyers whose needs fit it appear here.",
        (HintCode::NoFit, Lang::Nl) => "Nog niemand past bij wat je invulde. Voeg productgroepen, ambities of verdienmodellen toe, of kijk later opnieuw wanneer meer mensen hun factsheet of behoeften delen.",
        (HintCode::NoFit, Lang::En) => "Nobody fits what you filled in yet. Add product groups, ambitions or business models, or look again when more people have shared their factsheets or needs.",
        (HintCode::AllAsked, Lang::Nl) => "Met iedereen die bij je past, heb je al een gespreksverzoek (of het werd afgewezen): zie je gespreksverzoeken.",
        (HintCode::AllAsked, Lang::En) => "You already have a meeting request with everyone who fits you (or it was declined): see your meeting requests.",
    }
    .to_string()
}

/// Someone the caller could be recommended, before scoring.
struct Candidate {
    participation: participation::Model,
    person: person::Model,
}

/// A scored candidate.
struct Scored {
    candidate: Candidate,
    fit: Fit,
    factsheet: (Uuid, FactsheetContent),
    /// Their organisation: a supplier organisation is recommended once.
    organisation: Option<Uuid>,
}

fn invalid_limit() -> MeetingsError {
    MeetingsError::Invalid(vec![FieldError::new(
        "limit",
        "out_of_range",
        format!(
            "a whole number from {} to {}",
            RECOMMENDATIONS_LIMIT.start(),
            RECOMMENDATIONS_LIMIT.end()
        ),
    )])
}

/// The people of the event the caller should ask for a meeting, best first, each with
/// their reasons in the caller's language (or `query.lang`). Buyers get suppliers (one
/// person per supplier organisation), suppliers get the buyers who share their needs with
/// suppliers. Left out: the caller, people who no longer take part, and whoever the caller
/// has a standing (pending, accepted, scheduled) or declined request with, either way round;
/// on the supplier side, the organisation counts: any of its people's requests.
pub async fn for_me(
    state: &AppState,
    by: &person::Model,
    event_id: Uuid,
    query: RecommendationsQuery,
) -> MeetingsResult<Recommendations> {
    let limit = query.limit.unwrap_or(RECOMMENDATIONS_DEFAULT);
    if !RECOMMENDATIONS_LIMIT.contains(&limit) {
        return Err(invalid_limit());
    }
    let db = &state.db;
    let me = access::active_participation(db, event_id, by.id)
        .await?
        .ok_or_else(|| not_a_participant(by))?;
    let reader = match me.role {
        Role::Buyer => Reader::Buyer,
        Role::Supplier => Reader::Supplier,
        _ => {
            return Err(MeetingsError::Forbidden(
                "recommendations are for the event's buyers and suppliers".into(),
            ));
        }
    };
    let lang = query.lang.unwrap_or(by.language);
    let answer = |recommendations: Vec<Recommendation>, code: Option<HintCode>| Recommendations {
        event_id,
        lang,
        recommendations,
        hint: code.map(|c| hint(c, lang)),
        hint_code: code,
    };

    let sheets = published_factsheets(db, event_id).await?;
    let offers: HashMap<Uuid, OfferProfile> = sheets
        .iter()
        .map(|(row, content)| (row.id, OfferProfile::of(content)))
        .collect();
    let rarity = WordRarity::of(offers.values());
    let vocabulary = vocabulary(db, event_id).await?;
    // A supplier speaks for their organisation: whoever one of its people has a request
    // with is left out for all of them, as the organisation is on a buyer's list.
    let ours = match (reader, by.organisation_id) {
        (Reader::Supplier, Some(organisation)) => candidates(db, event_id, Role::Supplier)
            .await?
            .into_iter()
            .filter(|c| c.person.organisation_id == Some(organisation))
            .map(|c| c.participation.id)
            .chain([me.id])
            .collect(),
        _ => vec![me.id],
    };
    let asked = asked(db, event_id, &ours).await?;

    let mut scored: Vec<Scored> = Vec::new();
    match reader {
        Reader::Buyer => {
            let needs = buyer_need::Entity::find()
                .filter(buyer_need::Column::EventId.eq(event_id))
                .filter(buyer_need::Column::PersonId.eq(by.id))
                .one(db)
                .await?
                .map(|row| profile_of(&row))
                .filter(|n| !n.is_empty());
            let Some(needs) = needs else {
                return Ok(answer(Vec::new(), Some(HintCode::NeedsProfile)));
            };
            // Each supplier's people stand for their organisation's factsheets.
            let mut by_organisation: HashMap<Uuid, Vec<&(factsheet::Model, FactsheetContent)>> =
                HashMap::new();
            for sheet in &sheets {
                by_organisation
                    .entry(sheet.0.organisation_id)
                    .or_default()
                    .push(sheet);
            }
            for candidate in candidates(db, event_id, Role::Supplier).await? {
                let Some(organisation) = candidate.person.organisation_id else {
                    continue;
                };
                let Some(theirs) = by_organisation.get(&organisation) else {
                    continue;
                };
                let best = best_fit(&needs, theirs.iter().copied(), &offers, &rarity);
                if let Some((fit, sheet)) = best {
                    scored.push(Scored {
                        factsheet: (sheet.0.id, sheet.1.clone()),
                        organisation: Some(organisation),
                        candidate,
                        fit,
                    });
                }
            }
        }
        Reader::Supplier => {
            let mine: Vec<&(factsheet::Model, FactsheetContent)> = match by.organisation_id {
                Some(organisation) => sheets
                    .iter()
                    .filter(|(row, _)| row.organisation_id == organisation)
                    .collect(),
                None => Vec::new(),
            };
            if mine.is_empty() {
                let written = match by.organisation_id {
                    Some(organisation) => factsheet::Entity::find()
                        .filter(factsheet::Column::EventId.eq(event_id))
                        .filter(factsheet::Column::OrganisationId.eq(organisation))
                        .one(db)
                        .await?
                        .is_some(),
                    None => false,
                };
                let code = if written {
                    HintCode::FactsheetNotPublished
                } else {
                    HintCode::Factsheet
                };
                return Ok(answer(Vec::new(), Some(code)));
            }
            let profiles: HashMap<Uuid, NeedsProfile> = buyer_need::Entity::find()
                .filter(buyer_need::Column::EventId.eq(event_id))
                .filter(buyer_need::Column::SharedWithSuppliers.eq(true))
                .all(db)
                .await?
                .into_iter()
                .map(|row| (row.person_id, profile_of(&row)))
                .collect();
            for candidate in candidates(db, event_id, Role::Buyer).await? {
                let Some(needs) = profiles.get(&candidate.person.id) else {
                    continue;
                };
                if let Some((fit, sheet)) = best_fit(needs, mine.iter().copied(), &offers, &rarity)
                {
                    scored.push(Scored {
                        factsheet: (sheet.0.id, sheet.1.clone()),
                        organisation: None,
                        candidate,
                        fit,
                    });
                }
            }
        }
    }

    let fitting = scored.len();
    // Whom the caller already asked or was asked by (or declined either way) is left out;
    // for a supplier organisation, once any of its people is.
    let asked_organisations: HashSet<Uuid> = scored
        .iter()
        .filter(|s| asked.contains(&s.candidate.participation.id))
        .filter_map(|s| s.organisation)
        .collect();
    scored.retain(|s| {
        s.candidate.participation.id != me.id
            && !asked.contains(&s.candidate.participation.id)
            && !s
                .organisation
                .is_some_and(|o| asked_organisations.contains(&o))
    });
    scored.sort_by(|a, b| {
        b.fit
            .score
            .total_cmp(&a.fit.score)
            .then_with(|| a.candidate.person.name.cmp(&b.candidate.person.name))
            .then_with(|| {
                a.candidate
                    .participation
                    .id
                    .cmp(&b.candidate.participation.id)
            })
    });
    // One person per supplier organisation: the best placed, and among equals the one
    // first in the order above.
    let mut seen = HashSet::new();
    scored.retain(|s| s.organisation.is_none_or(|o| seen.insert(o)));
    scored.truncate(limit);

    let names = organisations(
        db,
        scored
            .iter()
            .filter_map(|s| s.candidate.person.organisation_id)
            .collect(),
    )
    .await?;
    let list: Vec<Recommendation> = scored
        .into_iter()
        .map(|s| Recommendation {
            participant_id: s.candidate.participation.id,
            organisation_name: s
                .candidate
                .person
                .organisation_id
                .and_then(|o| names.get(&o).cloned()),
            person_name: s.candidate.person.name,
            role: s.candidate.participation.role,
            score: s.fit.score.round().clamp(0.0, 100.0) as u32,
            reasons: s
                .fit
                .reasons
                .iter()
                .filter_map(|r| say(r, reader, lang, &vocabulary))
                .collect(),
            factsheet: Some(FactsheetLink {
                id: s.factsheet.0,
                title_nl: s.factsheet.1.title_nl,
                title_en: s.factsheet.1.title_en,
                url: factsheet_page(event_id, s.factsheet.0),
            }),
        })
        .collect();
    let code = match (list.is_empty(), fitting) {
        (false, _) => None,
        (true, 0) => Some(HintCode::NoFit),
        (true, _) => Some(HintCode::AllAsked),
    };
    Ok(answer(list, code))
}

fn profile_of(row: &buyer_need::Model) -> NeedsProfile {
    NeedsProfile::new(
        row.product_groups.0.clone(),
        row.strategies.0.clone(),
        row.business_models.0.clone(),
        &row.project_what,
    )
}

/// The best fitting of these factsheets, and its fit.
fn best_fit<'a>(
    needs: &NeedsProfile,
    sheets: impl Iterator<Item = &'a (factsheet::Model, FactsheetContent)>,
    offers: &HashMap<Uuid, OfferProfile>,
    rarity: &WordRarity,
) -> Option<(Fit, &'a (factsheet::Model, FactsheetContent))> {
    let mut best: Option<(Fit, &'a (factsheet::Model, FactsheetContent))> = None;
    for sheet in sheets {
        let Some(offer) = offers.get(&sheet.0.id) else {
            continue;
        };
        if let Some(fit) = fit(needs, offer, rarity)
            && best.as_ref().is_none_or(|(b, _)| fit.score > b.score)
        {
            best = Some((fit, sheet));
        }
    }
    best
}

/// The event's published factsheets with their published content, in title order.
async fn published_factsheets<C: ConnectionTrait>(
    db: &C,
    event_id: Uuid,
) -> MeetingsResult<Vec<(factsheet::Model, FactsheetContent)>> {
    let rows = factsheet::Entity::find()
        .filter(factsheet::Column::EventId.eq(event_id))
        .filter(factsheet::Column::PublishedAt.is_not_null())
        .order_by_asc(factsheet::Column::SortTitle)
        .order_by_asc(factsheet::Column::Id)
        .all(db)
        .await?;
    let mut out = Vec::with_capacity(rows.len());
    for row in rows {
        if let Some(content) = published_content(&row)? {
            out.push((row, content));
        }
    }
    Ok(out)
}

/// The event's active participants of `role`, with their people.
async fn candidates<C: ConnectionTrait>(
    db: &C,
    event_id: Uuid,
    role: Role,
) -> MeetingsResult<Vec<Candidate>> {
    let participations: Vec<participation::Model> = participation::Entity::find()
        .filter(participation::Column::EventId.eq(event_id))
        .filter(participation::Column::Role.eq(role))
        .all(db)
        .await?
        .into_iter()
        .filter(access::is_active)
        .collect();
    let mut people: HashMap<Uuid, person::Model> = person::Entity::find()
        .filter(person::Column::Id.is_in(participations.iter().map(|p| p.person_id)))
        .all(db)
        .await?
        .into_iter()
        .map(|p| (p.id, p))
        .collect();
    Ok(participations
        .into_iter()
        .filter_map(|participation| {
            let person = people.remove(&participation.person_id)?;
            Some(Candidate {
                participation,
                person,
            })
        })
        .collect())
}

/// The participations that one of `ours` (the caller's participation, and a supplier's
/// colleagues) has a standing or declined request with, whichever way it was asked.
/// Withdrawn and expired ones may be asked again, so their people can be recommended again.
async fn asked<C: ConnectionTrait>(
    db: &C,
    event_id: Uuid,
    ours: &[Uuid],
) -> MeetingsResult<BTreeSet<Uuid>> {
    let rows = meeting_request::Entity::find()
        .filter(meeting_request::Column::EventId.eq(event_id))
        .filter(
            Condition::any()
                .add(meeting_request::Column::RequesterId.is_in(ours.to_vec()))
                .add(meeting_request::Column::RecipientId.is_in(ours.to_vec())),
        )
        .all(db)
        .await?;
    Ok(rows
        .into_iter()
        .filter(|r| r.status.is_open() || r.status == MeetingRequestStatus::Declined)
        .flat_map(|r| [r.requester_id, r.recipient_id])
        .filter(|id| !ours.contains(id))
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalogue::content::{Claim, Evidence};

    fn vocabulary() -> Vocabulary {
        let mut v = Vocabulary::default();
        for (kind, code, parent, nl, en) in crate::events::service::default_terms() {
            v.add(kind, code, parent, nl, en);
        }
        v
    }

    fn codes(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| s.to_string()).collect()
    }

    fn claim(strategy: &str, evidence: bool) -> Claim {
        Claim {
            strategy: strategy.into(),
            evidence: if evidence {
                vec![Evidence {
                    kind: "lca".into(),
                    title: "LCA 2025".into(),
                    url: "https://example.org/lca".into(),
                    upload_id: None,
                }]
            } else {
                Vec::new()
            },
            ..Claim::default()
        }
    }

    fn laptops() -> FactsheetContent {
        FactsheetContent {
            title_en: "Refurbished laptops with a three-year warranty".into(),
            pitch_en: "Business laptops, refurbished and upgraded, with repair on site.".into(),
            product_groups: codes(&["ict"]),
            business_models: codes(&["refurbished-second-hand", "repair-maintenance"]),
            claims: vec![
                claim("A3", true),
                claim("C1", true),
                claim("C3", true),
                claim("D5", false),
            ],
            ..FactsheetContent::default()
        }
    }

    fn chairs() -> FactsheetContent {
        FactsheetContent {
            title_nl: "Gereviseerde bureaustoelen".into(),
            pitch_nl: "Bureaustoelen met terugname, als dienst.".into(),
            product_groups: codes(&["office-furniture"]),
            business_models: codes(&["product-as-a-service"]),
            claims: vec![claim("C5", false)],
            ..FactsheetContent::default()
        }
    }

    fn student_laptops() -> NeedsProfile {
        NeedsProfile::new(
            codes(&["ict"]),
            codes(&["A3", "C3", "D5", "E3"]),
            codes(&["refurbished-second-hand", "lease-rent"]),
            "Refurbished laptops for 1,200 students, with repair on campus.",
        )
    }

    #[test]
    fn a_fitting_factsheet_scores_by_each_part_with_its_reasons() {
        let offer = OfferProfile::of(&laptops());
        let rarity = WordRarity::of([&offer]);
        let fit = fit(&student_laptops(), &offer, &rarity).expect("it fits");
        // Groups 35 (1 of 1), strategies 30 x 3/4, models 15 x 1/2, words 15 x 3/4
        // (refurbished, laptops, repair), evidence 5 x 3/4.
        let expected = 35.0 + 22.5 + 7.5 + 11.25 + 3.75;
        assert!((fit.score - expected).abs() < 1e-9, "{}", fit.score);
        assert_eq!(
            fit.reasons,
            vec![
                Reason::Shares {
                    product_groups: codes(&["ict"]),
                    strategies: codes(&["A3", "C3", "D5"]),
                },
                Reason::BusinessModels(codes(&["refurbished-second-hand"])),
                Reason::Words(
                    ["refurbished", "laptops", "repair"]
                        .iter()
                        .map(|w| SharedWord {
                            needs: w.to_string(),
                            offer: w.to_string(),
                        })
                        .collect()
                ),
                Reason::Evidence {
                    backed: 3,
                    claims: 4
                },
            ]
        );
    }

    #[test]
    fn reasons_read_in_dutch_and_english_from_either_side() {
        let offer = OfferProfile::of(&laptops());
        let fit = fit(&student_laptops(), &offer, &WordRarity::of([&offer])).unwrap();
        let v = vocabulary();
        let read = |reader, lang| -> Vec<String> {
            fit.reasons
                .iter()
                .filter_map(|r| say(r, reader, lang, &v))
                .collect()
        };
        assert_eq!(
            read(Reader::Buyer, Lang::En),
            [
                "shares ICT and strategies A3, C3, D5",
                "offers refurbished or second-hand",
                "their text mentions 'refurbished', 'laptops' and 'repair', which you look for",
                "evidence for 3 of 4 claims",
            ]
        );
        assert_eq!(
            read(Reader::Buyer, Lang::Nl),
            [
                "deelt ICT en strategieën A3, C3, D5",
                "biedt refurbished of tweedehands aan",
                "hun tekst vermeldt 'refurbished', 'laptops' en 'repair', waar je naar zoekt",
                "bewijs voor 3 van 4 claims",
            ]
        );
        // The supplier reads the same fit from their side, without their own evidence.
        assert_eq!(
            read(Reader::Supplier, Lang::En),
            [
                "shares ICT and strategies A3, C3, D5",
                "looks for refurbished or second-hand, which you offer",
                "their needs mention 'refurbished', 'laptops' and 'repair', as does your factsheet",
            ]
        );
        assert_eq!(
            read(Reader::Supplier, Lang::Nl)[1],
            "zoekt refurbished of tweedehands, wat je aanbiedt"
        );
        // A comma keeps the strategies apart from a label with an "and" of its own.
        let furniture = Reason::Shares {
            product_groups: codes(&["office-furniture"]),
            strategies: codes(&["A3"]),
        };
        assert_eq!(
            say(&furniture, Reader::Buyer, Lang::En, &v).unwrap(),
            "shares office interiors and furniture, and strategy A3"
        );
        assert_eq!(
            say(&furniture, Reader::Supplier, Lang::Nl, &v).unwrap(),
            "deelt kantoorinrichting en kantoormeubilair, en strategie A3"
        );
        let groups_only = Reason::Shares {
            product_groups: codes(&["lighting", "ict"]),
            strategies: Vec::new(),
        };
        assert_eq!(
            say(&groups_only, Reader::Buyer, Lang::Nl, &v).unwrap(),
            "deelt verlichting en ICT"
        );
    }

    #[test]
    fn words_match_by_stem_across_forms_and_languages() {
        // Dutch plural against singular, and an English word in a Dutch text.
        let needs = NeedsProfile::new(
            Vec::new(),
            Vec::new(),
            Vec::new(),
            "Wij zoeken bureaustoel en refurbished meubilair",
        );
        let offer = OfferProfile::of(&chairs());
        let found = fit(&needs, &offer, &WordRarity::of([&offer])).expect("the words fit");
        let Reason::Words(words) = &found.reasons[0] else {
            panic!("{:?}", found.reasons);
        };
        assert_eq!(
            words,
            &[SharedWord {
                needs: "bureaustoel".into(),
                offer: "bureaustoelen".into()
            }]
        );
        let english = NeedsProfile::new(Vec::new(), Vec::new(), Vec::new(), "upgraded LAPTOP");
        let laptops = OfferProfile::of(&laptops());
        let found = fit(&english, &laptops, &WordRarity::of([&laptops])).unwrap();
        assert_eq!(
            found.reasons[0],
            Reason::Words(vec![
                SharedWord {
                    needs: "upgraded".into(),
                    offer: "upgraded".into()
                },
                SharedWord {
                    needs: "laptop".into(),
                    offer: "laptops".into()
                },
            ])
        );
    }

    #[test]
    fn nothing_shared_is_no_fit_and_evidence_alone_makes_none() {
        let offer = OfferProfile::of(&laptops());
        let rarity = WordRarity::of([&offer]);
        let other = NeedsProfile::new(
            codes(&["catering-food"]),
            codes(&["A5"]),
            codes(&["sharing-pooling"]),
            "herbruikbare bekers voor het personeel",
        );
        assert_eq!(fit(&other, &offer, &rarity), None);
        assert!(NeedsProfile::new(Vec::new(), Vec::new(), Vec::new(), "de en 2027").is_empty());
    }

    #[test]
    fn common_and_stop_words_say_nothing() {
        let needs = NeedsProfile::new(
            Vec::new(),
            Vec::new(),
            Vec::new(),
            "laptops with the repair",
        );
        assert_eq!(
            needs
                .words
                .iter()
                .map(|w| w.word.as_str())
                .collect::<Vec<_>>(),
            ["laptops", "repair"]
        );
        // "laptops" is in three of four factsheets: too common to tell them apart.
        let sheets: Vec<OfferProfile> = (0..4)
            .map(|i| {
                OfferProfile::of(&FactsheetContent {
                    title_en: if i < 3 {
                        format!("Laptops, model {i}")
                    } else {
                        "Repair of phones".into()
                    },
                    ..FactsheetContent::default()
                })
            })
            .collect();
        let rarity = WordRarity::of(&sheets);
        assert_eq!(fit(&needs, &sheets[0], &rarity), None);
        assert!(fit(&needs, &sheets[3], &rarity).is_some());
    }

    #[test]
    fn a_better_fit_scores_higher() {
        let needs = student_laptops();
        let laptops = OfferProfile::of(&laptops());
        let mut weaker = laptops.clone();
        weaker.claims.truncate(1);
        let rarity = WordRarity::of([&laptops, &weaker]);
        let strong = fit(&needs, &laptops, &rarity).unwrap();
        let weak = fit(&needs, &weaker, &rarity).unwrap();
        assert!(strong.score > weak.score);
        assert!(strong.score <= 100.0);
    }

    #[test]
    fn labels_read_mid_sentence() {
        assert_eq!(mid_sentence("Product as a service"), "product as a service");
        assert_eq!(mid_sentence("ICT"), "ICT");
        assert_eq!(mid_sentence("LED-verlichting"), "LED-verlichting");
        assert_eq!(
            Lang::Nl.enumerate(&codes(&["'a'", "'b'", "'c'"])),
            "'a', 'b' en 'c'"
        );
    }
}
