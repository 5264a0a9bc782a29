//! What a factsheet says: its content, the rules for saving and submitting it, the facet
//! keys the catalogue counts, and the field-by-field difference between two versions.

use std::collections::{BTreeSet, HashMap};

use serde::{Deserialize, Deserializer, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use crate::bounds::{
    CASE_DESCRIPTION_MAX, CLAIM_EXPLANATION_MAX, FACTSHEET_DESCRIPTION_MAX, FACTSHEET_TITLE_MAX,
    MAX_CLAIMS, MAX_EVIDENCE, MAX_IMAGES, MAX_REFERENCE_CASES, PHONE_MAX, PITCH_MAX,
    PRICE_MODEL_MAX, SHORT_TEXT_MAX, TCO_STATEMENT_MAX, WEB_ADDRESS_MAX,
};
use crate::domain::{Email, Lines, TermKind, check_text};
use crate::error::FieldError;

pub const SELF_DECLARED: &str = "self-declared";

/// `null` in JSON reads as an empty text, so clients may send either (the fields say
/// `nullable` in the document).
fn text<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    Ok(Option::<String>::deserialize(d)?.unwrap_or_default())
}

fn list<'de, D: Deserializer<'de>, T: Deserialize<'de>>(d: D) -> Result<Vec<T>, D::Error> {
    Ok(Option::<Vec<T>>::deserialize(d)?.unwrap_or_default())
}

/// The content of a factsheet: the working copy, a published copy and every version have
/// this shape. Every field may be left out; texts default to empty.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(default, deny_unknown_fields)]
pub struct FactsheetContent {
    #[serde(deserialize_with = "text")]
    #[schema(nullable)]
    pub title_nl: String,
    #[serde(deserialize_with = "text")]
    #[schema(nullable)]
    pub title_en: String,
    #[serde(deserialize_with = "text")]
    #[schema(nullable)]
    pub pitch_nl: String,
    #[serde(deserialize_with = "text")]
    #[schema(nullable)]
    pub pitch_en: String,
    #[serde(deserialize_with = "text")]
    #[schema(nullable)]
    pub description_nl: String,
    #[serde(deserialize_with = "text")]
    #[schema(nullable)]
    pub description_en: String,
    /// Product group codes of the event.
    #[serde(deserialize_with = "list")]
    #[schema(nullable)]
    pub product_groups: Vec<String>,
    /// Business model codes of the event.
    #[serde(deserialize_with = "list")]
    #[schema(nullable)]
    pub business_models: Vec<String>,
    /// The circular ambition strategies the offer serves, each with its evidence.
    #[serde(deserialize_with = "list")]
    #[schema(nullable)]
    pub claims: Vec<Claim>,
    /// Indicative price model, in Dutch.
    #[serde(deserialize_with = "text")]
    #[schema(nullable)]
    pub price_model_nl: String,
    /// Indicative price model, in English.
    #[serde(deserialize_with = "text")]
    #[schema(nullable)]
    pub price_model_en: String,
    /// Total cost of ownership statement, in Dutch.
    #[serde(deserialize_with = "text")]
    #[schema(nullable)]
    pub tco_statement_nl: String,
    /// Total cost of ownership statement, in English.
    #[serde(deserialize_with = "text")]
    #[schema(nullable)]
    pub tco_statement_en: String,
    #[serde(deserialize_with = "list")]
    #[schema(nullable)]
    pub reference_cases: Vec<ReferenceCase>,
    #[serde(deserialize_with = "text")]
    #[schema(nullable)]
    pub contact_name: String,
    #[serde(deserialize_with = "text")]
    #[schema(nullable)]
    pub contact_email: String,
    #[serde(deserialize_with = "text")]
    #[schema(nullable)]
    pub contact_phone: String,
    #[serde(deserialize_with = "text")]
    #[schema(nullable)]
    pub website: String,
    /// ISO 3166 alpha-2 country code, e.g. `BE`.
    #[serde(deserialize_with = "text")]
    #[schema(nullable)]
    pub country: String,
    pub logo_upload_id: Option<Uuid>,
    #[serde(deserialize_with = "list")]
    #[schema(nullable)]
    pub image_upload_ids: Vec<Uuid>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(default, deny_unknown_fields)]
pub struct Claim {
    /// An ambition strategy code such as `A3`.
    #[serde(deserialize_with = "text")]
    #[schema(nullable)]
    pub strategy: String,
    /// How the offer serves the strategy, in Dutch.
    #[serde(deserialize_with = "text")]
    #[schema(nullable)]
    pub explanation_nl: String,
    /// The same in English.
    #[serde(deserialize_with = "text")]
    #[schema(nullable)]
    pub explanation_en: String,
    #[serde(deserialize_with = "list")]
    #[schema(nullable)]
    pub evidence: Vec<Evidence>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(default, deny_unknown_fields)]
pub struct Evidence {
    /// An evidence kind code such as `lca` or `type1-ecolabel`.
    #[serde(deserialize_with = "text")]
    #[schema(nullable)]
    pub kind: String,
    #[serde(deserialize_with = "text")]
    #[schema(nullable)]
    pub title: String,
    /// A link to the evidence, or empty when a document was uploaded.
    #[serde(deserialize_with = "text")]
    #[schema(nullable)]
    pub url: String,
    /// An uploaded document (purpose `document`), or null when a link is given.
    pub upload_id: Option<Uuid>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(default, deny_unknown_fields)]
pub struct ReferenceCase {
    /// The project's name in Dutch; a case needs a title in at least one language.
    #[serde(deserialize_with = "text")]
    #[schema(nullable)]
    pub title_nl: String,
    #[serde(deserialize_with = "text")]
    #[schema(nullable)]
    pub title_en: String,
    /// The client, a name in any language.
    #[serde(deserialize_with = "text")]
    #[schema(nullable)]
    pub client: String,
    #[serde(deserialize_with = "text")]
    #[schema(nullable)]
    pub description_nl: String,
    #[serde(deserialize_with = "text")]
    #[schema(nullable)]
    pub description_en: String,
    #[serde(deserialize_with = "text")]
    #[schema(nullable)]
    pub url: String,
}

/// The event's vocabulary a factsheet is checked against and labelled with.
#[derive(Debug, Default, Clone)]
pub struct Vocabulary {
    pub product_groups: HashMap<String, (String, String)>,
    pub business_models: HashMap<String, (String, String)>,
    /// strategy code -> (goal code, nl, en)
    pub strategies: HashMap<String, (String, String, String)>,
    pub goals: HashMap<String, (String, String)>,
    pub evidence_kinds: HashMap<String, (String, String)>,
    /// Codes per taxonomy kind in the organiser's order.
    pub order: HashMap<TermKind, Vec<String>>,
}

impl Vocabulary {
    /// Adds one taxonomy term of `kind`, after the ones added before it.
    pub fn add(
        &mut self,
        kind: TermKind,
        code: String,
        parent: Option<String>,
        nl: String,
        en: String,
    ) {
        self.order.entry(kind).or_default().push(code.clone());
        let names = (nl, en);
        match kind {
            TermKind::ProductGroup => {
                self.product_groups.insert(code, names);
            }
            TermKind::BusinessModel => {
                self.business_models.insert(code, names);
            }
            TermKind::AmbitionGoal => {
                self.goals.insert(code, names);
            }
            TermKind::AmbitionStrategy => {
                self.strategies
                    .insert(code, (parent.unwrap_or_default(), names.0, names.1));
            }
            TermKind::EvidenceKind => {
                self.evidence_kinds.insert(code, names);
            }
            TermKind::DialogueTheme => {}
        }
    }
}

/// Upload ids the content may use, by purpose; filled by the service from the database.
#[derive(Debug, Default)]
pub struct UsableUploads {
    pub logos: BTreeSet<Uuid>,
    pub images: BTreeSet<Uuid>,
    pub documents: BTreeSet<Uuid>,
}

impl FactsheetContent {
    /// The languages the factsheet is written in, from its titles.
    pub fn languages(&self) -> Vec<&'static str> {
        let mut out = Vec::new();
        if !self.title_nl.is_empty() {
            out.push("nl");
        }
        if !self.title_en.is_empty() {
            out.push("en");
        }
        out
    }

    /// The title to sort and show by: Dutch first, then English.
    pub fn display_title(&self) -> &str {
        if self.title_nl.is_empty() {
            &self.title_en
        } else {
            &self.title_nl
        }
    }

    /// Strategies claimed without any evidence.
    pub fn self_declared(&self) -> Vec<String> {
        self.claims
            .iter()
            .filter(|c| c.evidence.is_empty())
            .map(|c| c.strategy.clone())
            .collect()
    }

    /// Every upload the content refers to.
    pub fn upload_ids(&self) -> Vec<Uuid> {
        let mut ids: Vec<Uuid> = self.logo_upload_id.into_iter().collect();
        ids.extend(&self.image_upload_ids);
        ids.extend(
            self.claims
                .iter()
                .flat_map(|c| c.evidence.iter().filter_map(|e| e.upload_id)),
        );
        ids.sort();
        ids.dedup();
        ids
    }

    /// Trims every text and checks the rules that hold for every saved version.
    pub fn normalise(
        &mut self,
        vocabulary: &Vocabulary,
        uploads: &UsableUploads,
        errors: &mut Vec<FieldError>,
    ) {
        for (field, value, max, lines) in [
            (
                "title_nl",
                &mut self.title_nl,
                FACTSHEET_TITLE_MAX,
                Lines::One,
            ),
            (
                "title_en",
                &mut self.title_en,
                FACTSHEET_TITLE_MAX,
                Lines::One,
            ),
            ("pitch_nl", &mut self.pitch_nl, PITCH_MAX, Lines::Many),
            ("pitch_en", &mut self.pitch_en, PITCH_MAX, Lines::Many),
            (
                "description_nl",
                &mut self.description_nl,
                FACTSHEET_DESCRIPTION_MAX,
                Lines::Many,
            ),
            (
                "description_en",
                &mut self.description_en,
                FACTSHEET_DESCRIPTION_MAX,
                Lines::Many,
            ),
            (
                "price_model_nl",
                &mut self.price_model_nl,
                PRICE_MODEL_MAX,
                Lines::Many,
            ),
            (
                "price_model_en",
                &mut self.price_model_en,
                PRICE_MODEL_MAX,
                Lines::Many,
            ),
            (
                "tco_statement_nl",
                &mut self.tco_statement_nl,
                TCO_STATEMENT_MAX,
                Lines::Many,
            ),
            (
                "tco_statement_en",
                &mut self.tco_statement_en,
                TCO_STATEMENT_MAX,
                Lines::Many,
            ),
            (
                "contact_name",
                &mut self.contact_name,
                SHORT_TEXT_MAX,
                Lines::One,
            ),
            (
                "contact_email",
                &mut self.contact_email,
                SHORT_TEXT_MAX,
                Lines::One,
            ),
            (
                "contact_phone",
                &mut self.contact_phone,
                PHONE_MAX,
                Lines::One,
            ),
            ("website", &mut self.website, WEB_ADDRESS_MAX, Lines::One),
            ("country", &mut self.country, 2, Lines::One),
        ] {
            clean(value, field, max, lines, errors);
        }
        if self.title_nl.is_empty() && self.title_en.is_empty() {
            errors.push(FieldError::new(
                "title_nl",
                "required",
                "give the factsheet a title in Dutch, English or both",
            ));
        }
        codes(
            &mut self.product_groups,
            "product_groups",
            |c| vocabulary.product_groups.contains_key(c),
            "not a product group of this event",
            errors,
        );
        codes(
            &mut self.business_models,
            "business_models",
            |c| vocabulary.business_models.contains_key(c),
            "not a business model of this event",
            errors,
        );
        if !self.contact_email.is_empty() {
            match Email::parse(&self.contact_email) {
                Ok(email) => self.contact_email = email.as_str().to_string(),
                Err(_) => errors.push(FieldError::new(
                    "contact_email",
                    "invalid_email",
                    "not a valid email address",
                )),
            }
        }
        web_address(&self.website, "website", errors);
        self.country = self.country.to_ascii_uppercase();
        let two_letters =
            self.country.len() == 2 && self.country.chars().all(|c| c.is_ascii_uppercase());
        if !self.country.is_empty() && !two_letters {
            errors.push(FieldError::new(
                "country",
                "invalid_country",
                "a two-letter country code such as BE or NL",
            ));
        }
        if self.claims.len() > MAX_CLAIMS {
            errors.push(FieldError::new(
                "claims",
                "too_many",
                format!("at most {MAX_CLAIMS} claims"),
            ));
        }
        let mut seen = BTreeSet::new();
        for (i, claim) in self.claims.iter_mut().enumerate() {
            let at = format!("claims[{i}]");
            claim.strategy = claim.strategy.trim().to_ascii_uppercase();
            if !vocabulary.strategies.contains_key(&claim.strategy) {
                errors.push(FieldError::new(
                    format!("{at}.strategy"),
                    "unknown_code",
                    "not a strategy of the ambition map of this event",
                ));
            } else if !seen.insert(claim.strategy.clone()) {
                errors.push(FieldError::new(
                    format!("{at}.strategy"),
                    "duplicate",
                    "this strategy is already claimed above",
                ));
            }
            for (lang, value) in [
                ("nl", &mut claim.explanation_nl),
                ("en", &mut claim.explanation_en),
            ] {
                clean(
                    value,
                    &format!("{at}.explanation_{lang}"),
                    CLAIM_EXPLANATION_MAX,
                    Lines::Many,
                    errors,
                );
            }
            if claim.evidence.len() > MAX_EVIDENCE {
                errors.push(FieldError::new(
                    format!("{at}.evidence"),
                    "too_many",
                    format!("at most {MAX_EVIDENCE} pieces of evidence per claim"),
                ));
            }
            for (j, evidence) in claim.evidence.iter_mut().enumerate() {
                let at = format!("{at}.evidence[{j}]");
                evidence.kind = evidence.kind.trim().to_string();
                if !vocabulary.evidence_kinds.contains_key(&evidence.kind) {
                    errors.push(FieldError::new(
                        format!("{at}.kind"),
                        "unknown_code",
                        "choose a kind of evidence of this event",
                    ));
                }
                clean(
                    &mut evidence.title,
                    &format!("{at}.title"),
                    SHORT_TEXT_MAX,
                    Lines::One,
                    errors,
                );
                if evidence.title.is_empty() {
                    errors.push(FieldError::new(
                        format!("{at}.title"),
                        "required",
                        "say what the evidence is, e.g. the label and its licence number",
                    ));
                }
                clean(
                    &mut evidence.url,
                    &format!("{at}.url"),
                    WEB_ADDRESS_MAX,
                    Lines::One,
                    errors,
                );
                match (evidence.url.is_empty(), evidence.upload_id) {
                    (true, None) => errors.push(FieldError::new(
                        format!("{at}.url"),
                        "required",
                        "give a link to the evidence or upload a document",
                    )),
                    (false, Some(_)) => errors.push(FieldError::new(
                        format!("{at}.url"),
                        "link_or_document",
                        "give either a link or a document, not both",
                    )),
                    (false, None) => web_address(&evidence.url, &format!("{at}.url"), errors),
                    (true, Some(id)) if !uploads.documents.contains(&id) => {
                        errors.push(FieldError::new(
                            format!("{at}.upload_id"),
                            "unknown_upload",
                            "upload the document again",
                        ))
                    }
                    (true, Some(_)) => {}
                }
            }
        }
        if self.reference_cases.len() > MAX_REFERENCE_CASES {
            errors.push(FieldError::new(
                "reference_cases",
                "too_many",
                format!("at most {MAX_REFERENCE_CASES} reference cases"),
            ));
        }
        for (i, case) in self.reference_cases.iter_mut().enumerate() {
            let at = format!("reference_cases[{i}]");
            for (field, value, max, lines) in [
                ("title_nl", &mut case.title_nl, SHORT_TEXT_MAX, Lines::One),
                ("title_en", &mut case.title_en, SHORT_TEXT_MAX, Lines::One),
                ("client", &mut case.client, SHORT_TEXT_MAX, Lines::One),
                (
                    "description_nl",
                    &mut case.description_nl,
                    CASE_DESCRIPTION_MAX,
                    Lines::Many,
                ),
                (
                    "description_en",
                    &mut case.description_en,
                    CASE_DESCRIPTION_MAX,
                    Lines::Many,
                ),
                ("url", &mut case.url, WEB_ADDRESS_MAX, Lines::One),
            ] {
                clean(value, &format!("{at}.{field}"), max, lines, errors);
            }
            if case.title_nl.is_empty() && case.title_en.is_empty() {
                errors.push(FieldError::new(
                    format!("{at}.title_nl"),
                    "required",
                    "give the reference case a title in Dutch, English or both",
                ));
            }
            web_address(&case.url, &format!("{at}.url"), errors);
        }
        if let Some(id) = self.logo_upload_id
            && !uploads.logos.contains(&id)
        {
            errors.push(FieldError::new(
                "logo_upload_id",
                "unknown_upload",
                "upload the logo again",
            ));
        }
        let mut images = BTreeSet::new();
        self.image_upload_ids.retain(|id| images.insert(*id));
        if self.image_upload_ids.len() > MAX_IMAGES {
            errors.push(FieldError::new(
                "image_upload_ids",
                "too_many",
                format!("at most {MAX_IMAGES} images"),
            ));
        }
        if self
            .image_upload_ids
            .iter()
            .any(|id| !uploads.images.contains(id))
        {
            errors.push(FieldError::new(
                "image_upload_ids",
                "unknown_upload",
                "upload the images again",
            ));
        }
    }

    /// What a factsheet needs before the organiser can review it.
    pub fn check_complete(&self) -> Vec<FieldError> {
        let mut errors = Vec::new();
        for (title, pitch, field) in [
            (&self.title_nl, &self.pitch_nl, "pitch_nl"),
            (&self.title_en, &self.pitch_en, "pitch_en"),
        ] {
            if !title.is_empty() && pitch.is_empty() {
                errors.push(FieldError::new(
                    field,
                    "required",
                    "write a short pitch in the language of the title",
                ));
            }
        }
        if self.product_groups.is_empty() {
            errors.push(FieldError::new(
                "product_groups",
                "required",
                "choose at least one product group",
            ));
        }
        if self.contact_name.is_empty() {
            errors.push(FieldError::new(
                "contact_name",
                "required",
                "name a contact person",
            ));
        }
        if self.contact_email.is_empty() {
            errors.push(FieldError::new(
                "contact_email",
                "required",
                "give the contact person's email address",
            ));
        }
        errors
    }

    /// The facet keys of this content, space separated (`pg:ict st:A3 lang:nl ...`).
    pub fn facet_keys(&self, vocabulary: &Vocabulary) -> String {
        let mut keys = BTreeSet::new();
        for code in &self.product_groups {
            keys.insert(format!("{}:{code}", Facet::ProductGroup.key()));
        }
        for code in &self.business_models {
            keys.insert(format!("{}:{code}", Facet::BusinessModel.key()));
        }
        for claim in &self.claims {
            keys.insert(format!("{}:{}", Facet::Strategy.key(), claim.strategy));
            if let Some((goal, _, _)) = vocabulary.strategies.get(&claim.strategy) {
                keys.insert(format!("{}:{goal}", Facet::Goal.key()));
            }
            if claim.evidence.is_empty() {
                keys.insert(format!("{}:{SELF_DECLARED}", Facet::Evidence.key()));
            }
            for evidence in &claim.evidence {
                keys.insert(format!("{}:{}", Facet::Evidence.key(), evidence.kind));
            }
        }
        for lang in self.languages() {
            keys.insert(format!("{}:{lang}", Facet::Language.key()));
        }
        if !self.country.is_empty() {
            keys.insert(format!("{}:{}", Facet::Country.key(), self.country));
        }
        keys.into_iter().collect::<Vec<_>>().join(" ")
    }
}

/// The facets the catalogue counts, in the order they are shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Facet {
    ProductGroup,
    Goal,
    Strategy,
    BusinessModel,
    Evidence,
    Language,
    Country,
}

impl Facet {
    pub const ALL: [Facet; 7] = [
        Facet::ProductGroup,
        Facet::Goal,
        Facet::Strategy,
        Facet::BusinessModel,
        Facet::Evidence,
        Facet::Language,
        Facet::Country,
    ];

    /// The short prefix in the stored facet keys.
    pub fn key(self) -> &'static str {
        match self {
            Facet::ProductGroup => "pg",
            Facet::Goal => "goal",
            Facet::Strategy => "st",
            Facet::BusinessModel => "bm",
            Facet::Evidence => "ev",
            Facet::Language => "lang",
            Facet::Country => "country",
        }
    }

    /// The name in the API (query parameters and the `facets` object).
    pub fn name(self) -> &'static str {
        match self {
            Facet::ProductGroup => "product_group",
            Facet::Goal => "goal",
            Facet::Strategy => "strategy",
            Facet::BusinessModel => "business_model",
            Facet::Evidence => "evidence",
            Facet::Language => "language",
            Facet::Country => "country",
        }
    }

    pub fn from_key(key: &str) -> Option<Facet> {
        Facet::ALL.into_iter().find(|f| f.key() == key)
    }

    pub fn index(self) -> usize {
        Facet::ALL.iter().position(|f| *f == self).unwrap_or(0)
    }
}

/// One field that differs between two versions.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct FieldChange {
    pub field: String,
    #[schema(value_type = Object)]
    pub before: serde_json::Value,
    #[schema(value_type = Object)]
    pub after: serde_json::Value,
}

/// The content fields, in the order forms and diffs show them.
pub const FIELDS: [&str; 21] = [
    "title_nl",
    "title_en",
    "pitch_nl",
    "pitch_en",
    "description_nl",
    "description_en",
    "product_groups",
    "business_models",
    "claims",
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
    "logo_upload_id",
    "image_upload_ids",
];

/// The fields whose values differ, in the order of [`FIELDS`].
pub fn diff(before: &FactsheetContent, after: &FactsheetContent) -> Vec<FieldChange> {
    let (Ok(serde_json::Value::Object(a)), Ok(serde_json::Value::Object(b))) =
        (serde_json::to_value(before), serde_json::to_value(after))
    else {
        return Vec::new();
    };
    FIELDS
        .iter()
        .filter_map(|field| {
            let before = a.get(*field).cloned().unwrap_or_default();
            let after = b.get(*field).cloned().unwrap_or_default();
            (before != after).then(|| FieldChange {
                field: field.to_string(),
                before,
                after,
            })
        })
        .collect()
}

fn clean(value: &mut String, field: &str, max: usize, lines: Lines, errors: &mut Vec<FieldError>) {
    let trimmed = value.trim();
    if trimmed.len() != value.len() {
        *value = trimmed.to_string();
    }
    check_text(value, field, max, lines, errors);
}

fn codes(
    values: &mut Vec<String>,
    field: &str,
    known: impl Fn(&str) -> bool,
    message: &str,
    errors: &mut Vec<FieldError>,
) {
    let mut seen = BTreeSet::new();
    values.retain(|v| seen.insert(v.clone()));
    for (i, value) in values.iter().enumerate() {
        if !known(value) {
            errors.push(FieldError::new(
                format!("{field}[{i}]"),
                "unknown_code",
                format!("{value}: {message}"),
            ));
        }
    }
}

/// An `http(s)://` address with a host and no spaces, or empty.
fn web_address(value: &str, field: &str, errors: &mut Vec<FieldError>) {
    if value.is_empty() {
        return;
    }
    let rest = value
        .strip_prefix("https://")
        .or_else(|| value.strip_prefix("http://"));
    let valid = rest.is_some_and(|r| {
        let host = r.split(['/', '?', '#']).next().unwrap_or("");
        !host.is_empty() && host.contains('.') && !r.contains(char::is_whitespace)
    });
    if !valid {
        errors.push(FieldError::new(
            field,
            "invalid_url",
            "a web address starting with https:// or http://",
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn vocabulary() -> Vocabulary {
        let mut v = Vocabulary::default();
        v.product_groups
            .insert("ict".into(), ("ICT".into(), "ICT".into()));
        v.strategies.insert(
            "A3".into(),
            ("A".into(), "Hergebruik".into(), "Reuse".into()),
        );
        v.evidence_kinds
            .insert("lca".into(), ("LCA".into(), "LCA".into()));
        v
    }

    #[test]
    fn saving_needs_a_title_and_known_codes() {
        let mut content = FactsheetContent {
            product_groups: vec!["ict".into(), "ict".into(), "space".into()],
            claims: vec![Claim {
                strategy: "a3".into(),
                evidence: vec![Evidence {
                    kind: "lca".into(),
                    title: " LCA 2025 ".into(),
                    url: "javascript:alert(1)".into(),
                    upload_id: None,
                }],
                ..Claim::default()
            }],
            ..FactsheetContent::default()
        };
        let mut errors = Vec::new();
        content.normalise(&vocabulary(), &UsableUploads::default(), &mut errors);
        let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(
            fields,
            ["title_nl", "product_groups[1]", "claims[0].evidence[0].url"]
        );
        assert_eq!(content.product_groups, ["ict", "space"]);
        assert_eq!(content.claims[0].strategy, "A3");
        assert_eq!(content.claims[0].evidence[0].title, "LCA 2025");
    }

    #[test]
    fn facets_mark_claims_without_evidence_as_self_declared() {
        let content = FactsheetContent {
            title_en: "Chairs".into(),
            product_groups: vec!["ict".into()],
            claims: vec![Claim {
                strategy: "A3".into(),
                ..Claim::default()
            }],
            country: "BE".into(),
            ..FactsheetContent::default()
        };
        assert_eq!(
            content.facet_keys(&vocabulary()),
            "country:BE ev:self-declared goal:A lang:en pg:ict st:A3"
        );
        assert_eq!(content.self_declared(), ["A3"]);
    }

    #[test]
    fn diff_names_the_changed_fields() {
        let a = FactsheetContent {
            title_nl: "Stoel".into(),
            ..FactsheetContent::default()
        };
        let b = FactsheetContent {
            title_nl: "Stoelen".into(),
            country: "NL".into(),
            ..a.clone()
        };
        let changes = diff(&a, &b);
        let fields: Vec<&str> = changes.iter().map(|c| c.field.as_str()).collect();
        assert_eq!(fields, ["title_nl", "country"]);
        assert_eq!(changes[0].before, "Stoel");
    }
}
