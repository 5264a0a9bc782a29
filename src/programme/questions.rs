//! Questions ahead of a market dialogue, and the briefing its facilitators prepare with.
//!
//! Everyone signed up for a market dialogue (a seat or a waitlist place) may write what
//! they want to ask or need there, one text per person and session, and change or remove
//! it until the session starts. The session's facilitators and the event's organisers read
//! the briefing: who comes, with their organisation, role and place, the organisation's
//! published factsheets or the buyer's needs profile, and each question; as a page, on
//! paper, or as a spreadsheet ([`briefing_csv`]).
//!
//! A question belongs to its sign-up (`session_question.signup_id`): the database deletes it
//! with the sign-up, whether the person cancels, an organiser takes them off, they leave the
//! event or the session is deleted. A briefing therefore never shows the question of
//! someone who no longer comes, and nothing is kept that nobody can see.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use sea_orm::sea_query::{LockType, OnConflict};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QuerySelect, Set};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use super::service::{self, Reader, SessionView, SignupEntry, TermRef};
use super::{ProgrammeError, ProgrammeResult, SessionKind, SignupStatus};
use crate::bounds::SESSION_QUESTION_MAX;
use crate::catalogue::browse::{self, FactsheetLink};
use crate::catalogue::needs;
use crate::domain::{Lang, Role, parse_timezone};
use crate::entities::{person, programme_session, session_question, session_signup};
use crate::error::FieldError;
use crate::events::access;
use crate::mail::templates::role_name;
use crate::state::AppState;

/// A question ahead of a market dialogue: what one wants to ask or needs.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct QuestionInput {
    /// Line breaks are kept.
    pub text: String,
}

/// A question as it was last saved.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct QuestionText {
    pub text: String,
    pub updated_at: DateTime<Utc>,
}

/// One's own question for a session.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct MyQuestion {
    pub session_id: Uuid,
    /// `null` while none is written.
    pub question: Option<QuestionText>,
    /// Until when it can be written, changed or removed: the session's start.
    pub open_until: DateTime<Utc>,
    /// Whether that is still possible now.
    pub open: bool,
}

/// The questions of these sign-ups, by sign-up id.
pub(crate) async fn of_signups<C: ConnectionTrait>(
    db: &C,
    signup_ids: Vec<Uuid>,
) -> ProgrammeResult<HashMap<Uuid, QuestionText>> {
    if signup_ids.is_empty() {
        return Ok(HashMap::new());
    }
    Ok(session_question::Entity::find()
        .filter(session_question::Column::SignupId.is_in(signup_ids))
        .all(db)
        .await?
        .into_iter()
        .map(|q| {
            (
                q.signup_id,
                QuestionText {
                    text: q.text,
                    updated_at: q.updated_at,
                },
            )
        })
        .collect())
}

/// The caller's sign-up for a market dialogue of the event, checked: they take part, the
/// session is a market dialogue, and they are signed up for it. With `hold`, the sign-up
/// row is held until commit (`FOR KEY SHARE` on PostgreSQL; SQLite runs one writer at a
/// time), so a cancellation waits for the question being written and then removes it with
/// the sign-up, instead of the question being written for a sign-up that is gone.
async fn own_signup<C: ConnectionTrait>(
    db: &C,
    by: &person::Model,
    event_id: Uuid,
    session_id: Uuid,
    hold: bool,
) -> ProgrammeResult<(programme_session::Model, session_signup::Model)> {
    access::active_participation(db, event_id, by.id)
        .await?
        .ok_or_else(|| super::signup::not_a_participant(by))?;
    let s = service::find(db, event_id, session_id).await?;
    if s.kind != SessionKind::MarketDialogue {
        return Err(ProgrammeError::NotADialogue { kind: s.kind });
    }
    let mut query = session_signup::Entity::find()
        .filter(session_signup::Column::SessionId.eq(session_id))
        .filter(session_signup::Column::PersonId.eq(by.id));
    if hold {
        query = query.lock(LockType::KeyShare);
    }
    let row = query.one(db).await?.ok_or(ProgrammeError::SignUpFirst)?;
    Ok((s, row))
}

/// Questions can change until the session starts.
fn check_open(s: &programme_session::Model, now: DateTime<Utc>) -> ProgrammeResult<()> {
    if now < s.starts_at {
        Ok(())
    } else {
        Err(ProgrammeError::Started {
            started_at: s.starts_at,
        })
    }
}

fn my_question(
    s: &programme_session::Model,
    question: Option<QuestionText>,
    now: DateTime<Utc>,
) -> MyQuestion {
    MyQuestion {
        session_id: s.id,
        question,
        open_until: s.starts_at,
        open: now < s.starts_at,
    }
}

/// The caller's question for a market dialogue they signed up for (also after the start).
pub async fn mine(
    state: &AppState,
    by: &person::Model,
    event_id: Uuid,
    session_id: Uuid,
) -> ProgrammeResult<MyQuestion> {
    let (s, row) = own_signup(&state.db, by, event_id, session_id, false).await?;
    let question = of_signups(&state.db, vec![row.id]).await?.remove(&row.id);
    Ok(my_question(&s, question, Utc::now()))
}

/// Writes or replaces `by`'s question for a market dialogue they signed up for, until it
/// starts. The route calls it for the caller; the demo may call it for anyone signed up.
pub async fn save(
    state: &AppState,
    by: &person::Model,
    event_id: Uuid,
    session_id: Uuid,
    input: QuestionInput,
) -> ProgrammeResult<MyQuestion> {
    crate::db::retrying("programme", || {
        save_once(state, by, event_id, session_id, &input)
    })
    .await
}

async fn save_once(
    state: &AppState,
    by: &person::Model,
    event_id: Uuid,
    session_id: Uuid,
    input: &QuestionInput,
) -> ProgrammeResult<MyQuestion> {
    let txn = crate::db::begin(&state.db).await?;
    let (s, row) = own_signup(&txn, by, event_id, session_id, true).await?;
    let now = Utc::now();
    check_open(&s, now)?;
    let mut errors = Vec::new();
    let text = crate::domain::optional_multiline_text(
        Some(&input.text),
        "text",
        SESSION_QUESTION_MAX,
        &mut errors,
    );
    if text.is_none() {
        errors.push(FieldError::new(
            "text",
            "required",
            "write your question, or remove it",
        ));
    }
    let Some(text) = text.filter(|_| errors.is_empty()) else {
        return Err(ProgrammeError::Invalid(errors));
    };
    // Two first saves at once (two tabs) meet at the unique sign-up: the later one updates.
    session_question::Entity::insert(session_question::ActiveModel {
        id: Set(Uuid::now_v7()),
        signup_id: Set(row.id),
        text: Set(text),
        created_at: Set(now),
        updated_at: Set(now),
    })
    .on_conflict(
        OnConflict::column(session_question::Column::SignupId)
            .update_columns([
                session_question::Column::Text,
                session_question::Column::UpdatedAt,
            ])
            .to_owned(),
    )
    .exec_without_returning(&txn)
    .await?;
    let question = of_signups(&txn, vec![row.id]).await?.remove(&row.id);
    txn.commit().await?;
    Ok(my_question(&s, question, now))
}

/// Removes the caller's question, until the session starts (`404` when there is none).
pub async fn remove(
    state: &AppState,
    by: &person::Model,
    event_id: Uuid,
    session_id: Uuid,
) -> ProgrammeResult<()> {
    crate::db::retrying("programme", || remove_once(state, by, event_id, session_id)).await
}

async fn remove_once(
    state: &AppState,
    by: &person::Model,
    event_id: Uuid,
    session_id: Uuid,
) -> ProgrammeResult<()> {
    let txn = crate::db::begin(&state.db).await?;
    let (s, row) = own_signup(&txn, by, event_id, session_id, true).await?;
    check_open(&s, Utc::now())?;
    let deleted = session_question::Entity::delete_many()
        .filter(session_question::Column::SignupId.eq(row.id))
        .exec(&txn)
        .await?;
    if deleted.rows_affected == 0 {
        return Err(ProgrammeError::NotFound("question"));
    }
    txn.commit().await?;
    Ok(())
}

// ---- the briefing ----

/// A buyer's needs profile as the briefing shows it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct NeedsBrief {
    pub product_groups: Vec<TermRef>,
    /// Circular ambition strategies (`A3` ...).
    pub strategies: Vec<TermRef>,
    /// The purchasing project the buyer plans, in their words.
    pub project_what: String,
    pub project_when: String,
    pub shared_with_suppliers: bool,
    /// The buyers' needs page at this profile, for readers who may open that page
    /// (organisers); `null` for facilitators, who read the profile here.
    pub url: Option<String>,
}

/// One person on the briefing.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct BriefingEntry {
    #[serde(flatten)]
    pub signup: SignupEntry,
    /// The published factsheets of the person's organisation in this event.
    pub factsheets: Vec<FactsheetLink>,
    /// The buyer's needs profile, as far as the reader may read it: organisers every
    /// profile, facilitators those the buyer shares with the event's suppliers.
    pub needs: Option<NeedsBrief>,
    /// Their question ahead; `null` when they wrote none.
    pub question: Option<QuestionText>,
}

/// What a session's facilitators prepare with.
#[derive(Debug, Serialize, ToSchema)]
pub struct Briefing {
    pub session: SessionView,
    /// The event's time zone, for the times shown.
    pub timezone: String,
    /// Everyone signed up: confirmed first, then the waitlist in order.
    pub people: Vec<BriefingEntry>,
    /// How many of them wrote a question.
    pub question_count: usize,
}

/// The briefing of a session, for its facilitators and the event's organisers (anyone
/// else in the event is refused, people outside it do not find the event). Every kind of
/// session has one; only market dialogues have questions.
pub async fn briefing(
    state: &AppState,
    by: &person::Model,
    event_id: Uuid,
    session_id: Uuid,
) -> ProgrammeResult<Briefing> {
    let db = &state.db;
    let (access, s) = service::facilitator_or_organiser(db, by, event_id, session_id).await?;
    let list = service::signup_list(db, session_id).await?;
    let questions = of_signups(db, list.iter().map(|(row, _)| row.id).collect()).await?;
    let organisations: Vec<Uuid> = list.iter().filter_map(|(_, e)| e.organisation_id).collect();
    let factsheets = browse::published_links(db, event_id, organisations).await?;
    let buyers: Vec<Uuid> = list
        .iter()
        .filter(|(row, _)| row.role == Role::Buyer)
        .map(|(row, _)| row.person_id)
        .collect();
    let profiles = needs::profiles_of(db, &access, buyers).await?;
    let vocabulary = crate::catalogue::service::vocabulary(db, event_id).await?;
    let term = |code: &String, names: Option<(&String, &String)>| TermRef {
        code: code.clone(),
        name_nl: names.map(|n| n.0.clone()).unwrap_or_else(|| code.clone()),
        name_en: names.map(|n| n.1.clone()).unwrap_or_else(|| code.clone()),
    };
    let people: Vec<BriefingEntry> = list
        .into_iter()
        .map(|(row, signup)| BriefingEntry {
            factsheets: signup
                .organisation_id
                .and_then(|o| factsheets.get(&o).cloned())
                .unwrap_or_default(),
            needs: profiles.get(&row.person_id).map(|n| NeedsBrief {
                product_groups: n
                    .product_groups
                    .iter()
                    .map(|c| term(c, vocabulary.product_groups.get(c).map(|(nl, en)| (nl, en))))
                    .collect(),
                strategies: n
                    .strategies
                    .iter()
                    .map(|c| term(c, vocabulary.strategies.get(c).map(|(_, nl, en)| (nl, en))))
                    .collect(),
                project_what: n.project_what.clone(),
                project_when: n.project_when.clone(),
                shared_with_suppliers: n.shared_with_suppliers,
                url: needs::reads_unshared(&access)
                    .then(|| needs::needs_page(event_id, row.person_id)),
            }),
            question: questions.get(&row.id).cloned(),
            signup,
        })
        .collect();
    Ok(Briefing {
        question_count: people.iter().filter(|p| p.question.is_some()).count(),
        timezone: access.event.timezone.clone(),
        session: service::view_one(db, s, Reader::Person(by.id)).await?,
        people,
    })
}

/// The words of the briefing's spreadsheet, in one language.
struct Words {
    header: [&'static str; 9],
    confirmed: &'static str,
    waitlisted: &'static str,
    product_groups: &'static str,
    strategies: &'static str,
    project: &'static str,
    when: &'static str,
    not_shared: &'static str,
}

fn words(lang: Lang) -> Words {
    match lang {
        Lang::Nl => Words {
            header: [
                "Naam",
                "Organisatie",
                "Rol",
                "Inschrijving",
                "Plaats op de wachtlijst",
                "Vraag",
                "Vraag bijgewerkt",
                "Factsheets",
                "Behoeften",
            ],
            confirmed: "bevestigd",
            waitlisted: "wachtlijst",
            product_groups: "Productgroepen",
            strategies: "Circulaire ambities",
            project: "Aankoopproject",
            when: "Wanneer",
            not_shared: "niet gedeeld met aanbieders",
        },
        Lang::En => Words {
            header: [
                "Name",
                "Organisation",
                "Role",
                "Sign-up",
                "Waitlist position",
                "Question",
                "Question updated",
                "Factsheets",
                "Needs",
            ],
            confirmed: "confirmed",
            waitlisted: "waitlist",
            product_groups: "Product groups",
            strategies: "Circular ambitions",
            project: "Purchasing project",
            when: "When",
            not_shared: "not shared with suppliers",
        },
    }
}

/// The briefing as a spreadsheet with headers and words in `lang`; times in the event's
/// time zone, links as full web addresses under `public_url`. Every cell is guarded
/// against formulas ([`crate::spreadsheet`]): participants wrote the questions.
pub fn briefing_csv(b: &Briefing, lang: Lang, public_url: &str) -> ProgrammeResult<Vec<u8>> {
    let tz = parse_timezone(&b.timezone)?;
    let w = words(lang);
    let name = |t: &TermRef| match lang {
        Lang::Nl => t.name_nl.clone(),
        Lang::En => t.name_en.clone(),
    };
    let pick = |nl: &str, en: &str| {
        let (first, other) = match lang {
            Lang::Nl => (nl, en),
            Lang::En => (en, nl),
        };
        if first.is_empty() { other } else { first }.to_string()
    };
    let rows = b.people.iter().map(|p| {
        let e = &p.signup;
        let factsheets = p
            .factsheets
            .iter()
            .map(|f| format!("{}: {public_url}{}", pick(&f.title_nl, &f.title_en), f.url))
            .collect::<Vec<_>>()
            .join("\n");
        let needs = p
            .needs
            .as_ref()
            .map(|n| {
                let mut lines = Vec::new();
                let list =
                    |terms: &[TermRef]| terms.iter().map(name).collect::<Vec<_>>().join(", ");
                if !n.product_groups.is_empty() {
                    lines.push(format!("{}: {}", w.product_groups, list(&n.product_groups)));
                }
                if !n.strategies.is_empty() {
                    let codes = n
                        .strategies
                        .iter()
                        .map(|t| format!("{} {}", t.code, name(t)))
                        .collect::<Vec<_>>()
                        .join(", ");
                    lines.push(format!("{}: {codes}", w.strategies));
                }
                if !n.project_what.is_empty() {
                    lines.push(format!("{}: {}", w.project, n.project_what));
                }
                if !n.project_when.is_empty() {
                    lines.push(format!("{}: {}", w.when, n.project_when));
                }
                if !n.shared_with_suppliers {
                    lines.push(format!("({})", w.not_shared));
                }
                if let Some(url) = &n.url {
                    lines.push(format!("{public_url}{url}"));
                }
                lines.join("\n")
            })
            .unwrap_or_default();
        vec![
            e.name.clone(),
            e.organisation.clone().unwrap_or_default(),
            role_name(lang, e.role).to_string(),
            match e.status {
                SignupStatus::Confirmed => w.confirmed,
                SignupStatus::Waitlisted => w.waitlisted,
            }
            .to_string(),
            e.waitlist_position
                .map(|n| n.to_string())
                .unwrap_or_default(),
            p.question
                .as_ref()
                .map(|q| q.text.clone())
                .unwrap_or_default(),
            p.question
                .as_ref()
                .map(|q| {
                    q.updated_at
                        .with_timezone(&tz)
                        .format("%Y-%m-%d %H:%M")
                        .to_string()
                })
                .unwrap_or_default(),
            factsheets,
            needs,
        ]
    });
    crate::spreadsheet::csv_file(&w.header, rows)
        .map_err(|e| ProgrammeError::App(crate::error::AppError::Internal(e)))
}
