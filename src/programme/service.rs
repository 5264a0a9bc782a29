//! Sessions of the programme: creating and changing them (organisers), reading them
//! (participants, and everyone when the event is public), the sign-up list for
//! facilitators, each person's agenda and the meeting slots their sessions block.

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, NaiveDate, Utc};
use chrono_tz::Tz;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect, Set,
};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use super::questions::{self, QuestionText};
use super::signup::{self, SeatChange};
use super::{OtherSession, ProgrammeError, ProgrammeResult, SessionKind, SignupStatus};
use crate::domain::{LiveKind, Role, TermKind, parse_timezone};
use crate::entities::{
    event, organisation, participation, person, programme_session, room, session_facilitator,
    session_pitch, session_signup, session_signup_log, slot, taxonomy_term,
};
use crate::error::FieldError;
use crate::events::access::{self, EventAccess};
use crate::events::grid::{self, SlotKind, clock, parse_clock};
use crate::live::{self, Audience};
use crate::state::AppState;

use crate::bounds::{
    MAX_FACILITATORS, MAX_PITCHES, PITCH_MINUTES, SESSION_CAPACITY, SESSION_DESCRIPTION_MAX,
    SESSION_TITLE_MAX,
};

// ---- views ----

/// A taxonomy term as sessions show it: its code and names.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct TermRef {
    pub code: String,
    pub name_nl: String,
    pub name_en: String,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct RoomRef {
    pub id: Uuid,
    pub name: String,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct FacilitatorView {
    /// Absent on the public programme.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub person_id: Option<Uuid>,
    pub name: String,
    pub organisation: Option<String>,
}

/// One supplier's turn in a pitch session.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PitchView {
    pub position: i32,
    pub organisation_id: Uuid,
    pub organisation: String,
    pub minutes: i32,
    /// `HH:MM`: when the turn starts, counting the turns before it from the session's start.
    pub start: String,
    pub end: String,
}

/// Seats per role (`buyer`, `supplier`); a role left out has no limit of its own.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RoleCapacity {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub buyer: Option<i32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub supplier: Option<i32>,
}

/// Confirmed seats per role.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct RoleCounts {
    pub buyer: i32,
    pub supplier: i32,
}

/// The caller's own sign-up.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct MySignup {
    pub status: SignupStatus,
    /// 1 for the first on the waitlist; `null` when confirmed.
    pub waitlist_position: Option<i64>,
}

/// Whether sign-up is open now.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum SignupWindow {
    NotOpen,
    Open,
    Closed,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct SessionView {
    pub id: Uuid,
    pub event_id: Uuid,
    pub kind: SessionKind,
    pub title_nl: String,
    pub title_en: String,
    pub description_nl: String,
    pub description_en: String,
    pub product_group: Option<TermRef>,
    pub themes: Vec<TermRef>,
    pub room: Option<RoomRef>,
    /// The day in the event's time zone.
    pub date: NaiveDate,
    /// `HH:MM`, local to the event.
    pub start: String,
    pub end: String,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    pub capacity: i32,
    pub role_capacity: RoleCapacity,
    pub confirmed_count: i32,
    pub confirmed_by_role: RoleCounts,
    pub waitlist_count: i64,
    /// Seats still free (0 when full or beyond capacity).
    pub seats_left: i32,
    /// When sign-up opens; `null`: open from the start.
    pub signup_opens_at: Option<DateTime<Utc>>,
    /// When sign-up closes as set; `null`: at the session's start.
    pub signup_closes_at: Option<DateTime<Utc>>,
    pub signup_window: SignupWindow,
    pub facilitators: Vec<FacilitatorView>,
    /// The line-up of a pitch session, in order.
    pub lineup: Vec<PitchView>,
    /// The caller's sign-up; `null` when none (and on the public programme).
    pub my_signup: Option<MySignup>,
    /// The caller's question ahead of a market dialogue they signed up for; `null` when none
    /// (and on the public programme).
    pub my_question: Option<QuestionText>,
    /// Whether the caller leads this session.
    pub i_facilitate: bool,
}

/// When sign-up closes: as set, or when the session starts.
pub fn closes_at(s: &programme_session::Model) -> DateTime<Utc> {
    s.signup_closes_at.unwrap_or(s.starts_at)
}

pub fn window(s: &programme_session::Model, now: DateTime<Utc>) -> SignupWindow {
    if s.signup_opens_at.is_some_and(|open| now < open) {
        SignupWindow::NotOpen
    } else if now >= closes_at(s) {
        SignupWindow::Closed
    } else {
        SignupWindow::Open
    }
}

pub fn other_session(s: &programme_session::Model) -> OtherSession {
    OtherSession {
        id: s.id,
        title_nl: s.title_nl.clone(),
        title_en: s.title_en.clone(),
        date: s.local_date,
        start: clock(s.start_minute),
        end: clock(s.end_minute),
    }
}

fn theme_codes(s: &programme_session::Model) -> Vec<String> {
    serde_json::from_str(&s.themes).unwrap_or_default()
}

/// Who reads: the public (no personal data), or a person (their own sign-ups marked).
#[derive(Clone, Copy)]
pub(crate) enum Reader {
    Public,
    Person(Uuid),
}

/// Everything the views of some sessions of one event need, loaded in a few queries.
pub(crate) async fn views<C: ConnectionTrait>(
    db: &C,
    event_id: Uuid,
    sessions: Vec<programme_session::Model>,
    reader: Reader,
) -> ProgrammeResult<Vec<SessionView>> {
    if sessions.is_empty() {
        return Ok(Vec::new());
    }
    let ids: Vec<Uuid> = sessions.iter().map(|s| s.id).collect();
    let terms: HashMap<(TermKind, String), TermRef> = taxonomy_term::Entity::find()
        .filter(taxonomy_term::Column::EventId.eq(event_id))
        .filter(
            taxonomy_term::Column::Kind.is_in([TermKind::ProductGroup, TermKind::DialogueTheme]),
        )
        .all(db)
        .await?
        .into_iter()
        .map(|t| {
            (
                (t.kind, t.code.clone()),
                TermRef {
                    code: t.code,
                    name_nl: t.name_nl,
                    name_en: t.name_en,
                },
            )
        })
        .collect();
    let term = |kind: TermKind, code: &str| {
        terms
            .get(&(kind, code.to_string()))
            .cloned()
            .unwrap_or(TermRef {
                code: code.to_string(),
                name_nl: code.to_string(),
                name_en: code.to_string(),
            })
    };
    let rooms: HashMap<Uuid, String> = room::Entity::find()
        .filter(room::Column::EventId.eq(event_id))
        .all(db)
        .await?
        .into_iter()
        .map(|r| (r.id, r.name))
        .collect();
    let facilitators = session_facilitator::Entity::find()
        .filter(session_facilitator::Column::SessionId.is_in(ids.clone()))
        .all(db)
        .await?;
    let pitches = session_pitch::Entity::find()
        .filter(session_pitch::Column::SessionId.is_in(ids.clone()))
        .order_by_asc(session_pitch::Column::Position)
        .all(db)
        .await?;
    let people: HashMap<Uuid, person::Model> = person::Entity::find()
        .filter(person::Column::Id.is_in(facilitators.iter().map(|f| f.person_id)))
        .all(db)
        .await?
        .into_iter()
        .map(|p| (p.id, p))
        .collect();
    let organisation_ids: HashSet<Uuid> = pitches
        .iter()
        .map(|p| p.organisation_id)
        .chain(people.values().filter_map(|p| p.organisation_id))
        .collect();
    let organisations: HashMap<Uuid, String> = organisation::Entity::find()
        .filter(organisation::Column::Id.is_in(organisation_ids))
        .all(db)
        .await?
        .into_iter()
        .map(|o| (o.id, o.name))
        .collect();
    let waitlists = signup::waitlist_counts(db, &ids).await?;
    let mine: HashMap<Uuid, session_signup::Model> = match reader {
        Reader::Person(person_id) => session_signup::Entity::find()
            .filter(session_signup::Column::SessionId.is_in(ids.clone()))
            .filter(session_signup::Column::PersonId.eq(person_id))
            .all(db)
            .await?
            .into_iter()
            .map(|s| (s.session_id, s))
            .collect(),
        Reader::Public => HashMap::new(),
    };
    let questions = questions::of_signups(db, mine.values().map(|r| r.id).collect()).await?;
    let now = Utc::now();
    let mut out = Vec::with_capacity(sessions.len());
    for s in sessions {
        let my_signup = match mine.get(&s.id) {
            Some(row) => Some(MySignup {
                status: row.status,
                waitlist_position: signup::position(db, row).await?,
            }),
            None => None,
        };
        let i_facilitate = match reader {
            Reader::Person(p) => facilitators
                .iter()
                .any(|f| f.session_id == s.id && f.person_id == p),
            Reader::Public => false,
        };
        let mut at = s.start_minute;
        let lineup = pitches
            .iter()
            .filter(|p| p.session_id == s.id)
            .map(|p| {
                let start = at;
                at += p.minutes;
                PitchView {
                    position: p.position,
                    organisation_id: p.organisation_id,
                    organisation: organisations
                        .get(&p.organisation_id)
                        .cloned()
                        .unwrap_or_default(),
                    minutes: p.minutes,
                    start: clock(start),
                    end: clock(at),
                }
            })
            .collect();
        let facilitator_views = facilitators
            .iter()
            .filter(|f| f.session_id == s.id)
            .filter_map(|f| people.get(&f.person_id))
            .map(|p| FacilitatorView {
                person_id: match reader {
                    Reader::Public => None,
                    Reader::Person(_) => Some(p.id),
                },
                name: p.name.clone(),
                organisation: p
                    .organisation_id
                    .and_then(|o| organisations.get(&o).cloned()),
            })
            .collect();
        out.push(SessionView {
            id: s.id,
            event_id: s.event_id,
            kind: s.kind,
            product_group: s
                .product_group
                .as_deref()
                .map(|c| term(TermKind::ProductGroup, c)),
            themes: theme_codes(&s)
                .iter()
                .map(|c| term(TermKind::DialogueTheme, c))
                .collect(),
            room: s.room_id.and_then(|id| {
                rooms.get(&id).map(|name| RoomRef {
                    id,
                    name: name.clone(),
                })
            }),
            date: s.local_date,
            start: clock(s.start_minute),
            end: clock(s.end_minute),
            starts_at: s.starts_at,
            ends_at: s.ends_at,
            capacity: s.capacity,
            role_capacity: RoleCapacity {
                buyer: s.capacity_buyers,
                supplier: s.capacity_suppliers,
            },
            confirmed_count: s.confirmed_count,
            confirmed_by_role: RoleCounts {
                buyer: s.confirmed_buyers,
                supplier: s.confirmed_suppliers,
            },
            waitlist_count: waitlists.get(&s.id).copied().unwrap_or(0),
            seats_left: (s.capacity - s.confirmed_count).max(0),
            signup_opens_at: s.signup_opens_at,
            signup_closes_at: s.signup_closes_at,
            signup_window: window(&s, now),
            facilitators: facilitator_views,
            lineup,
            my_question: mine
                .get(&s.id)
                .and_then(|row| questions.get(&row.id))
                .cloned(),
            my_signup,
            i_facilitate,
            title_nl: s.title_nl,
            title_en: s.title_en,
            description_nl: s.description_nl,
            description_en: s.description_en,
        });
    }
    Ok(out)
}

pub(crate) async fn view_one<C: ConnectionTrait>(
    db: &C,
    s: programme_session::Model,
    reader: Reader,
) -> ProgrammeResult<SessionView> {
    let event_id = s.event_id;
    views(db, event_id, vec![s], reader)
        .await?
        .pop()
        .ok_or(ProgrammeError::NotFound("session"))
}

/// One session of the event, or "not found".
pub(crate) async fn find<C: ConnectionTrait>(
    db: &C,
    event_id: Uuid,
    session_id: Uuid,
) -> ProgrammeResult<programme_session::Model> {
    programme_session::Entity::find_by_id(session_id)
        .filter(programme_session::Column::EventId.eq(event_id))
        .one(db)
        .await?
        .ok_or(ProgrammeError::NotFound("session"))
}

// ---- reading ----

/// The event's programme as one list, in time order (day, start, room); the browser
/// groups it into a day view by room.
#[derive(Debug, Serialize, ToSchema)]
pub struct Programme {
    pub event_id: Uuid,
    pub timezone: String,
    /// The event's rooms, for the columns of a day view.
    pub rooms: Vec<RoomRef>,
    pub sessions: Vec<SessionView>,
}

#[derive(Debug, Default)]
pub struct ProgrammeFilter {
    pub date: Option<NaiveDate>,
    pub kind: Option<SessionKind>,
}

async fn programme<C: ConnectionTrait>(
    db: &C,
    event: &event::Model,
    filter: ProgrammeFilter,
    reader: Reader,
) -> ProgrammeResult<Programme> {
    let mut query = programme_session::Entity::find()
        .filter(programme_session::Column::EventId.eq(event.id))
        .order_by_asc(programme_session::Column::StartsAt)
        .order_by_asc(programme_session::Column::EndsAt)
        .order_by_asc(programme_session::Column::Id);
    if let Some(date) = filter.date {
        query = query.filter(programme_session::Column::LocalDate.eq(date));
    }
    if let Some(kind) = filter.kind {
        query = query.filter(programme_session::Column::Kind.eq(kind));
    }
    let sessions = query.all(db).await?;
    let rooms = room::Entity::find()
        .filter(room::Column::EventId.eq(event.id))
        .order_by_asc(room::Column::Name)
        .all(db)
        .await?
        .into_iter()
        .map(|r| RoomRef {
            id: r.id,
            name: r.name,
        })
        .collect();
    Ok(Programme {
        event_id: event.id,
        timezone: event.timezone.clone(),
        rooms,
        sessions: views(db, event.id, sessions, reader).await?,
    })
}

pub async fn list(
    state: &AppState,
    by: &person::Model,
    event_id: Uuid,
    filter: ProgrammeFilter,
) -> ProgrammeResult<Programme> {
    let access = access::participant(&state.db, by, event_id).await?;
    programme(&state.db, &access.event, filter, Reader::Person(by.id)).await
}

pub async fn get(
    state: &AppState,
    by: &person::Model,
    event_id: Uuid,
    session_id: Uuid,
) -> ProgrammeResult<SessionView> {
    access::participant(&state.db, by, event_id).await?;
    let s = find(&state.db, event_id, session_id).await?;
    view_one(&state.db, s, Reader::Person(by.id)).await
}

/// Whether the event shows itself to the public: it takes registrations or its catalogue
/// is public. Only then is its programme public.
pub fn is_public(event: &event::Model) -> bool {
    event.registration_open || event.catalogue_public
}

pub async fn public_programme(
    state: &AppState,
    slug: &str,
    filter: ProgrammeFilter,
) -> ProgrammeResult<Programme> {
    let event = event::Entity::find()
        .filter(event::Column::Slug.eq(slug))
        .one(&state.db)
        .await?
        .filter(is_public)
        .ok_or(ProgrammeError::NotFound("event"))?;
    programme(&state.db, &event, filter, Reader::Public).await
}

// ---- writing ----

/// A turn in a pitch session's line-up; the order is the order of the list.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PitchInput {
    pub organisation_id: Uuid,
    pub minutes: i32,
}

/// Fields of a session. On create `kind`, `title_nl`, `title_en`, `date`, `start`, `end`
/// and `capacity` are required; on `PATCH` a field left out or `null` stays as it is, an
/// empty string clears optional text, and a list given replaces the list.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SessionInput {
    pub kind: Option<SessionKind>,
    pub title_nl: Option<String>,
    pub title_en: Option<String>,
    pub description_nl: Option<String>,
    pub description_en: Option<String>,
    /// A product group's code in the event's taxonomy; `""` clears it.
    pub product_group: Option<String>,
    /// Dialogue theme codes of the event's taxonomy.
    pub themes: Option<Vec<String>>,
    /// One of the event's rooms; `""` clears it.
    pub room_id: Option<String>,
    /// `YYYY-MM-DD`, one of the event's days.
    pub date: Option<NaiveDate>,
    /// `HH:MM` in the event's time zone.
    pub start: Option<String>,
    pub end: Option<String>,
    /// Seats in all.
    pub capacity: Option<i32>,
    /// Seats per role within `capacity`, e.g. `{"buyer": 15, "supplier": 5}`; given, it
    /// replaces the limits (`{}`: none).
    pub role_capacity: Option<RoleCapacity>,
    /// Person ids of the event's facilitators or organisers who lead the session.
    pub facilitators: Option<Vec<Uuid>>,
    /// RFC 3339; `""` clears it (open at once).
    pub signup_opens_at: Option<String>,
    /// RFC 3339; `""` clears it (sign-up closes when the session starts).
    pub signup_closes_at: Option<String>,
    /// Pitch sessions only: the line-up in order.
    pub lineup: Option<Vec<PitchInput>>,
}

fn text_field(
    raw: &str,
    field: &str,
    required: bool,
    errors: &mut Vec<FieldError>,
) -> Option<String> {
    if required {
        Some(crate::domain::required_text(
            raw,
            field,
            SESSION_TITLE_MAX,
            errors,
        ))
    } else {
        Some(
            crate::domain::optional_multiline_text(
                Some(raw),
                field,
                SESSION_DESCRIPTION_MAX,
                errors,
            )
            .unwrap_or_default(),
        )
    }
}

/// Checks the input against the event and the current session (`None` when creating)
/// and returns the session row to store, with its facilitators and line-up when given.
struct Planned {
    row: programme_session::Model,
    facilitators: Option<Vec<Uuid>>,
    lineup: Option<Vec<PitchInput>>,
}

async fn plan<C: ConnectionTrait>(
    db: &C,
    event: &event::Model,
    current: Option<&programme_session::Model>,
    input: SessionInput,
) -> ProgrammeResult<Planned> {
    let tz: Tz = parse_timezone(&event.timezone)?;
    let now = Utc::now();
    let mut errors = Vec::new();
    let mut row = match current {
        Some(c) => c.clone(),
        None => programme_session::Model {
            id: Uuid::now_v7(),
            event_id: event.id,
            kind: SessionKind::MarketDialogue,
            title_nl: String::new(),
            title_en: String::new(),
            description_nl: String::new(),
            description_en: String::new(),
            product_group: None,
            themes: "[]".into(),
            room_id: None,
            local_date: event.start_date,
            start_minute: 0,
            end_minute: 0,
            starts_at: now,
            ends_at: now,
            capacity: 0,
            capacity_buyers: None,
            capacity_suppliers: None,
            confirmed_count: 0,
            confirmed_buyers: 0,
            confirmed_suppliers: 0,
            waitlist_seq: 0,
            signup_opens_at: None,
            signup_closes_at: None,
            sequence: 0,
            created_at: now,
            updated_at: now,
        },
    };
    let creating = current.is_none();
    let required = |present: bool, field: &str, errors: &mut Vec<FieldError>| {
        if creating && !present {
            errors.push(FieldError::new(field, "required", "this field is required"));
        }
    };
    required(input.kind.is_some(), "kind", &mut errors);
    required(input.title_nl.is_some(), "title_nl", &mut errors);
    required(input.title_en.is_some(), "title_en", &mut errors);
    required(input.date.is_some(), "date", &mut errors);
    required(input.start.is_some(), "start", &mut errors);
    required(input.end.is_some(), "end", &mut errors);
    required(input.capacity.is_some(), "capacity", &mut errors);
    if let Some(kind) = input.kind {
        row.kind = kind;
    }
    if let Some(t) = &input.title_nl {
        row.title_nl = text_field(t, "title_nl", true, &mut errors).unwrap_or_default();
    }
    if let Some(t) = &input.title_en {
        row.title_en = text_field(t, "title_en", true, &mut errors).unwrap_or_default();
    }
    if let Some(d) = &input.description_nl {
        row.description_nl =
            text_field(d, "description_nl", false, &mut errors).unwrap_or_default();
    }
    if let Some(d) = &input.description_en {
        row.description_en =
            text_field(d, "description_en", false, &mut errors).unwrap_or_default();
    }
    if let Some(code) = input.product_group.as_deref().map(str::trim) {
        if code.is_empty() {
            row.product_group = None;
        } else if term_exists(db, event.id, TermKind::ProductGroup, code).await? {
            row.product_group = Some(code.to_string());
        } else {
            errors.push(FieldError::new(
                "product_group",
                "unknown_term",
                "not one of the event's product groups",
            ));
        }
    }
    if let Some(themes) = &input.themes {
        let mut codes: Vec<String> = Vec::new();
        for (i, code) in themes.iter().map(|c| c.trim()).enumerate() {
            if !term_exists(db, event.id, TermKind::DialogueTheme, code).await? {
                errors.push(FieldError::new(
                    format!("themes[{i}]"),
                    "unknown_term",
                    "not one of the event's dialogue themes",
                ));
            } else if !codes.iter().any(|c| c == code) {
                codes.push(code.to_string());
            }
        }
        row.themes = serde_json::to_string(&codes).unwrap_or_else(|_| "[]".into());
    }
    if let Some(raw) = input.room_id.as_deref().map(str::trim) {
        if raw.is_empty() {
            row.room_id = None;
        } else {
            let found = match raw.parse::<Uuid>() {
                Ok(id) => room::Entity::find_by_id(id)
                    .filter(room::Column::EventId.eq(event.id))
                    .one(db)
                    .await?
                    .map(|r| r.id),
                Err(_) => None,
            };
            match found {
                Some(id) => row.room_id = Some(id),
                None => errors.push(FieldError::new(
                    "room_id",
                    "not_found",
                    "not one of the event's rooms",
                )),
            }
        }
    }
    if let Some(date) = input.date {
        match grid::check_day(event, date) {
            Ok(()) => row.local_date = date,
            Err(e) => errors.push(e),
        }
    }
    if let Some(start) = &input.start {
        match parse_clock(start, "start") {
            Ok(m) => row.start_minute = m,
            Err(e) => errors.push(e),
        }
    }
    if let Some(end) = &input.end {
        match parse_clock(end, "end") {
            Ok(m) => row.end_minute = m,
            Err(e) => errors.push(e),
        }
    }
    if errors
        .iter()
        .all(|e| e.field != "start" && e.field != "end")
        && (input.start.is_some() || input.end.is_some())
        && row.end_minute <= row.start_minute
    {
        errors.push(FieldError::new(
            "end",
            "out_of_range",
            "a session ends after it starts",
        ));
    }
    if let Some(capacity) = input.capacity {
        if SESSION_CAPACITY.contains(&capacity) {
            row.capacity = capacity;
        } else {
            errors.push(FieldError::new(
                "capacity",
                "out_of_range",
                format!(
                    "{} to {} seats",
                    SESSION_CAPACITY.start(),
                    SESSION_CAPACITY.end()
                ),
            ));
        }
    }
    if let Some(per_role) = &input.role_capacity {
        for (field, value) in [
            ("role_capacity.buyer", per_role.buyer),
            ("role_capacity.supplier", per_role.supplier),
        ] {
            if value.is_some_and(|v| !SESSION_CAPACITY.contains(&v)) {
                errors.push(FieldError::new(
                    field,
                    "out_of_range",
                    format!(
                        "{} to {} seats",
                        SESSION_CAPACITY.start(),
                        SESSION_CAPACITY.end()
                    ),
                ));
            }
        }
        row.capacity_buyers = per_role.buyer;
        row.capacity_suppliers = per_role.supplier;
    }
    for (field, cap) in [
        ("role_capacity.buyer", row.capacity_buyers),
        ("role_capacity.supplier", row.capacity_suppliers),
    ] {
        if cap.is_some_and(|c| c > row.capacity) {
            errors.push(FieldError::new(
                field,
                "out_of_range",
                "a role's seats fit within the session's capacity",
            ));
        }
    }
    if let Some(raw) = &input.signup_opens_at {
        match crate::domain::instant_field(raw, "signup_opens_at") {
            Ok(t) => row.signup_opens_at = t,
            Err(e) => errors.push(e),
        }
    }
    if let Some(raw) = &input.signup_closes_at {
        match crate::domain::instant_field(raw, "signup_closes_at") {
            Ok(t) => row.signup_closes_at = t,
            Err(e) => errors.push(e),
        }
    }
    if let (Some(open), Some(close)) = (row.signup_opens_at, row.signup_closes_at)
        && close <= open
    {
        errors.push(FieldError::new(
            "signup_closes_at",
            "out_of_range",
            "sign-up closes after it opens",
        ));
    }
    let facilitators = match &input.facilitators {
        Some(ids) => {
            let mut unique: Vec<Uuid> = Vec::new();
            for id in ids {
                if !unique.contains(id) {
                    unique.push(*id);
                }
            }
            if unique.len() > MAX_FACILITATORS {
                errors.push(FieldError::new(
                    "facilitators",
                    "too_many",
                    format!("at most {MAX_FACILITATORS} facilitators"),
                ));
            }
            let leaders: HashSet<Uuid> = participation::Entity::find()
                .filter(participation::Column::EventId.eq(event.id))
                .filter(participation::Column::PersonId.is_in(unique.clone()))
                .all(db)
                .await?
                .into_iter()
                .filter(|p| {
                    access::is_active(p) && matches!(p.role, Role::Facilitator | Role::Organiser)
                })
                .map(|p| p.person_id)
                .collect();
            if unique.iter().any(|id| !leaders.contains(id)) {
                errors.push(FieldError::new(
                    "facilitators",
                    "not_facilitator",
                    "facilitators are the event's facilitators or organisers",
                ));
            }
            Some(unique)
        }
        None => None,
    };
    let lineup = match input.lineup {
        Some(turns) => {
            if turns.len() > MAX_PITCHES {
                errors.push(FieldError::new(
                    "lineup",
                    "too_many",
                    format!("at most {MAX_PITCHES} pitches"),
                ));
            }
            let mut seen = HashSet::new();
            for (i, turn) in turns.iter().enumerate() {
                if !PITCH_MINUTES.contains(&turn.minutes) {
                    errors.push(FieldError::new(
                        format!("lineup[{i}].minutes"),
                        "out_of_range",
                        format!(
                            "a pitch lasts {} to {} minutes",
                            PITCH_MINUTES.start(),
                            PITCH_MINUTES.end()
                        ),
                    ));
                }
                if !seen.insert(turn.organisation_id) {
                    errors.push(FieldError::new(
                        format!("lineup[{i}].organisation_id"),
                        "duplicate",
                        "each organisation pitches once",
                    ));
                } else if !crate::organisations::service::in_event(
                    db,
                    event.id,
                    turn.organisation_id,
                )
                .await?
                {
                    errors.push(FieldError::new(
                        format!("lineup[{i}].organisation_id"),
                        "not_in_event",
                        "this organisation does not take part in the event",
                    ));
                }
            }
            Some(turns)
        }
        None => None,
    };
    let lineup_minutes: Option<i32> = match &lineup {
        Some(turns) => Some(turns.iter().map(|t| t.minutes.max(0)).sum()),
        None => match current {
            Some(c) => Some(
                session_pitch::Entity::find()
                    .filter(session_pitch::Column::SessionId.eq(c.id))
                    .all(db)
                    .await?
                    .iter()
                    .map(|p| p.minutes)
                    .sum(),
            ),
            None => None,
        },
    };
    if let Some(total) = lineup_minutes
        && total > 0
    {
        if row.kind != SessionKind::Pitch {
            errors.push(FieldError::new(
                "lineup",
                "not_allowed",
                "only pitch sessions have a line-up; empty it first",
            ));
        } else if total > row.end_minute - row.start_minute {
            errors.push(FieldError::new(
                "lineup",
                "too_long",
                "the pitches take longer than the session",
            ));
        }
    }
    if !errors.is_empty() {
        return Err(ProgrammeError::Invalid(errors));
    }
    row.starts_at = grid::instant(tz, row.local_date, row.start_minute, "start")?;
    row.ends_at = grid::instant(tz, row.local_date, row.end_minute, "end")?;
    row.updated_at = now;
    Ok(Planned {
        row,
        facilitators,
        lineup,
    })
}

async fn term_exists<C: ConnectionTrait>(
    db: &C,
    event_id: Uuid,
    kind: TermKind,
    code: &str,
) -> ProgrammeResult<bool> {
    Ok(taxonomy_term::Entity::find()
        .filter(taxonomy_term::Column::EventId.eq(event_id))
        .filter(taxonomy_term::Column::Kind.eq(kind))
        .filter(taxonomy_term::Column::Code.eq(code))
        .one(db)
        .await?
        .is_some())
}

async fn store_lists<C: ConnectionTrait>(
    db: &C,
    session_id: Uuid,
    facilitators: Option<Vec<Uuid>>,
    lineup: Option<Vec<PitchInput>>,
) -> ProgrammeResult<()> {
    if let Some(people) = facilitators {
        session_facilitator::Entity::delete_many()
            .filter(session_facilitator::Column::SessionId.eq(session_id))
            .exec(db)
            .await?;
        if !people.is_empty() {
            session_facilitator::Entity::insert_many(people.into_iter().map(|person_id| {
                session_facilitator::ActiveModel {
                    id: Set(Uuid::now_v7()),
                    session_id: Set(session_id),
                    person_id: Set(person_id),
                }
            }))
            .exec(db)
            .await?;
        }
    }
    if let Some(turns) = lineup {
        session_pitch::Entity::delete_many()
            .filter(session_pitch::Column::SessionId.eq(session_id))
            .exec(db)
            .await?;
        if !turns.is_empty() {
            session_pitch::Entity::insert_many(turns.into_iter().enumerate().map(|(i, t)| {
                session_pitch::ActiveModel {
                    id: Set(Uuid::now_v7()),
                    session_id: Set(session_id),
                    organisation_id: Set(t.organisation_id),
                    position: Set(i as i32 + 1),
                    minutes: Set(t.minutes),
                }
            }))
            .exec(db)
            .await?;
        }
    }
    Ok(())
}

/// The live message that tells open programme pages a session changed (no personal data).
async fn publish_session<C: ConnectionTrait>(
    db: &C,
    s: &programme_session::Model,
) -> ProgrammeResult<std::sync::Arc<live::LiveMessage>> {
    let view = view_one(db, s.clone(), Reader::Public).await?;
    let payload = serde_json::to_value(&view)
        .map_err(|e| ProgrammeError::App(anyhow::Error::from(e).into()))?;
    Ok(live::publish(
        db,
        s.event_id,
        Audience::Event,
        LiveKind::SessionChanged,
        payload,
    )
    .await?)
}

pub async fn create(
    state: &AppState,
    by: &person::Model,
    event_id: Uuid,
    input: SessionInput,
) -> ProgrammeResult<SessionView> {
    let txn = crate::db::begin(&state.db).await?;
    let event = access::organiser(&txn, by, event_id).await?.event;
    let planned = plan(&txn, &event, None, input).await?;
    let row: programme_session::ActiveModel = planned.row.into();
    let row = row.insert(&txn).await?;
    store_lists(&txn, row.id, planned.facilitators, planned.lineup).await?;
    let message = publish_session(&txn, &row).await?;
    let view = view_one(&txn, row, Reader::Person(by.id)).await?;
    state.live.commit(txn, &[message]).await?;
    Ok(view)
}

pub async fn update(
    state: &AppState,
    by: &person::Model,
    event_id: Uuid,
    session_id: Uuid,
    input: SessionInput,
) -> ProgrammeResult<SessionView> {
    crate::db::retrying("programme", || {
        update_once(state, by, event_id, session_id, input.clone())
    })
    .await
}

async fn update_once(
    state: &AppState,
    by: &person::Model,
    event_id: Uuid,
    session_id: Uuid,
    input: SessionInput,
) -> ProgrammeResult<SessionView> {
    let txn = crate::db::begin(&state.db).await?;
    let access = access::organiser(&txn, by, event_id).await?;
    // Lock the session row first: sign-ups and cancellations wait until the change is in.
    signup::lock_session(&txn, event_id, session_id).await?;
    let current = find(&txn, event_id, session_id).await?;
    let planned = plan(&txn, &access.event, Some(&current), input).await?;
    let moved =
        planned.row.starts_at != current.starts_at || planned.row.ends_at != current.ends_at;
    // What a calendar entry of the session shows: a change raises its SEQUENCE.
    let in_calendars = moved
        || planned.row.room_id != current.room_id
        || planned.row.title_nl != current.title_nl
        || planned.row.title_en != current.title_en;
    let mut active: programme_session::ActiveModel = current.clone().into();
    let next = planned.row;
    if in_calendars {
        active.sequence = Set(current.sequence + 1);
    }
    active.kind = Set(next.kind);
    active.title_nl = Set(next.title_nl.clone());
    active.title_en = Set(next.title_en.clone());
    active.description_nl = Set(next.description_nl.clone());
    active.description_en = Set(next.description_en.clone());
    active.product_group = Set(next.product_group.clone());
    active.themes = Set(next.themes.clone());
    active.room_id = Set(next.room_id);
    active.local_date = Set(next.local_date);
    active.start_minute = Set(next.start_minute);
    active.end_minute = Set(next.end_minute);
    active.starts_at = Set(next.starts_at);
    active.ends_at = Set(next.ends_at);
    active.capacity = Set(next.capacity);
    active.capacity_buyers = Set(next.capacity_buyers);
    active.capacity_suppliers = Set(next.capacity_suppliers);
    active.signup_opens_at = Set(next.signup_opens_at);
    active.signup_closes_at = Set(next.signup_closes_at);
    active.updated_at = Set(next.updated_at);
    let row = active.update(&txn).await?;
    if moved {
        signup::check_time_change(&txn, &row).await?;
    }
    // The people with a seat now hear what changed; anyone promoted below gets the new
    // time and room in their seat's email.
    let told = super::notices::tell_changed(&txn, state, &access.event, &current, &row).await?;
    store_lists(&txn, row.id, planned.facilitators, planned.lineup).await?;
    // More seats (or a role's limit lifted) go to the waitlist at once.
    let mut change = SeatChange::default();
    let row = signup::fill(&txn, row, None, &mut change).await?;
    let mut messages = vec![publish_session(&txn, &row).await?];
    messages.extend(change.publish(&txn, state, &access.event).await?);
    let view = view_one(&txn, row, Reader::Person(by.id)).await?;
    state.live.commit(txn, &messages).await?;
    if change.mailed() || told > 0 {
        state.mail.wake();
    }
    Ok(view)
}

pub async fn delete(
    state: &AppState,
    by: &person::Model,
    event_id: Uuid,
    session_id: Uuid,
) -> ProgrammeResult<()> {
    let txn = crate::db::begin(&state.db).await?;
    let event = access::organiser(&txn, by, event_id).await?.event;
    let s = signup::lock_session(&txn, event_id, session_id).await?;
    let told = super::notices::tell_cancelled(&txn, state, &event, &s).await?;
    let signed_up: Vec<Uuid> = session_signup::Entity::find()
        .filter(session_signup::Column::SessionId.eq(session_id))
        .all(&txn)
        .await?
        .into_iter()
        .map(|s| s.person_id)
        .collect();
    programme_session::Entity::delete_by_id(session_id)
        .exec(&txn)
        .await?;
    let payload = serde_json::json!({ "session_id": session_id });
    let mut messages = vec![
        live::publish(
            &txn,
            event_id,
            Audience::Event,
            LiveKind::SessionDeleted,
            payload.clone(),
        )
        .await?,
    ];
    // Everyone who had a seat or a place on the waitlist refreshes their agenda.
    for person_id in signed_up {
        messages.push(
            live::publish(
                &txn,
                event_id,
                Audience::Person(person_id),
                LiveKind::MySignup,
                serde_json::json!({ "session_id": session_id, "status": null, "reason": "session_deleted" }),
            )
            .await?,
        );
    }
    state.live.commit(txn, &messages).await?;
    if told > 0 {
        state.mail.wake();
    }
    Ok(())
}

/// After a change of the event's time zone: same local clock times, new instants.
pub async fn reanchor<C: ConnectionTrait>(
    db: &C,
    event_id: Uuid,
    tz: Tz,
) -> Result<(), crate::error::AppError> {
    let sessions = programme_session::Entity::find()
        .filter(programme_session::Column::EventId.eq(event_id))
        .all(db)
        .await?;
    for s in sessions {
        let (date, start, end) = (s.local_date, s.start_minute, s.end_minute);
        let sequence = s.sequence;
        let mut active: programme_session::ActiveModel = s.into();
        // New instants: calendars must take the new times.
        active.sequence = Set(sequence + 1);
        active.starts_at = Set(grid::instant(tz, date, start, "start")
            .map_err(|e| crate::error::AppError::Validation(vec![e]))?);
        active.ends_at = Set(grid::instant(tz, date, end, "end")
            .map_err(|e| crate::error::AppError::Validation(vec![e]))?);
        active.update(db).await?;
    }
    Ok(())
}

// ---- the sign-up list and the log ----

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct SignupEntry {
    pub person_id: Uuid,
    pub name: String,
    pub organisation: Option<String>,
    pub organisation_id: Option<Uuid>,
    pub role: Role,
    pub status: SignupStatus,
    pub waitlist_position: Option<i64>,
    pub signed_up_at: DateTime<Utc>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SignupList {
    pub session: SessionView,
    /// Confirmed first (in sign-up order), then the waitlist in order.
    pub signups: Vec<SignupEntry>,
}

/// The session's facilitators and the event's organisers (and platform admins); anyone
/// else in the event is refused, people outside it do not find the event.
pub(crate) async fn facilitator_or_organiser<C: ConnectionTrait>(
    db: &C,
    by: &person::Model,
    event_id: Uuid,
    session_id: Uuid,
) -> ProgrammeResult<(EventAccess, programme_session::Model)> {
    let access = access::participant(db, by, event_id).await?;
    let s = find(db, event_id, session_id).await?;
    if access.is_organiser() {
        return Ok((access, s));
    }
    let leads = session_facilitator::Entity::find()
        .filter(session_facilitator::Column::SessionId.eq(session_id))
        .filter(session_facilitator::Column::PersonId.eq(by.id))
        .one(db)
        .await?
        .is_some();
    if leads {
        Ok((access, s))
    } else {
        Err(ProgrammeError::Forbidden(
            "only the session's facilitators and the organisers see who signed up".into(),
        ))
    }
}

/// The session's sign-ups in list order, each with its row: confirmed first (in the order
/// they got their seat), then the waitlist in order, numbered from 1.
pub(crate) async fn signup_list<C: ConnectionTrait>(
    db: &C,
    session_id: Uuid,
) -> ProgrammeResult<Vec<(session_signup::Model, SignupEntry)>> {
    let rows = session_signup::Entity::find()
        .filter(session_signup::Column::SessionId.eq(session_id))
        .all(db)
        .await?;
    let (people, organisations) =
        crate::people::service::people_and_organisations(db, rows.iter().map(|r| r.person_id))
            .await?;
    let (mut confirmed, mut waiting): (Vec<session_signup::Model>, Vec<session_signup::Model>) =
        rows.into_iter()
            .partition(|r| r.status == SignupStatus::Confirmed);
    confirmed.sort_by_key(|r| (r.updated_at, r.id));
    waiting.sort_by_key(|r| r.waitlist_seq);
    let entry = |r: &session_signup::Model, position: Option<i64>| {
        let p = people.get(&r.person_id);
        let organisation_id = p.and_then(|p| p.organisation_id);
        SignupEntry {
            person_id: r.person_id,
            name: p.map(|p| p.name.clone()).unwrap_or_default(),
            organisation: organisation_id.and_then(|o| organisations.get(&o).cloned()),
            organisation_id,
            role: r.role,
            status: r.status,
            waitlist_position: position,
            signed_up_at: r.created_at,
        }
    };
    let mut list: Vec<(session_signup::Model, SignupEntry)> = confirmed
        .into_iter()
        .map(|r| {
            let e = entry(&r, None);
            (r, e)
        })
        .collect();
    list.extend(waiting.into_iter().enumerate().map(|(i, r)| {
        let e = entry(&r, Some(i as i64 + 1));
        (r, e)
    }));
    Ok(list)
}

pub async fn signups(
    state: &AppState,
    by: &person::Model,
    event_id: Uuid,
    session_id: Uuid,
) -> ProgrammeResult<SignupList> {
    let db = &state.db;
    let (_, s) = facilitator_or_organiser(db, by, event_id, session_id).await?;
    let signups = signup_list(db, session_id)
        .await?
        .into_iter()
        .map(|(_, entry)| entry)
        .collect();
    Ok(SignupList {
        session: view_one(db, s, Reader::Person(by.id)).await?,
        signups,
    })
}

#[derive(Debug, Serialize, ToSchema)]
pub struct LogEntry {
    pub id: Uuid,
    pub action: super::SignupAction,
    pub person_id: Uuid,
    pub person: String,
    /// The organiser; for a promotion, the organiser whose change freed the seat (`null`
    /// when a participant's own cancellation did).
    pub by_person_id: Option<Uuid>,
    pub by: Option<String>,
    pub from_position: Option<i32>,
    pub to_position: Option<i32>,
    pub at: DateTime<Utc>,
}

/// Organisers' changes to the session's sign-ups and the promotions, oldest first.
pub async fn log(
    state: &AppState,
    by: &person::Model,
    event_id: Uuid,
    session_id: Uuid,
) -> ProgrammeResult<Vec<LogEntry>> {
    let db = &state.db;
    access::organiser(db, by, event_id).await?;
    find(db, event_id, session_id).await?;
    let rows = session_signup_log::Entity::find()
        .filter(session_signup_log::Column::SessionId.eq(session_id))
        .order_by_asc(session_signup_log::Column::CreatedAt)
        .order_by_asc(session_signup_log::Column::Id)
        .all(db)
        .await?;
    let names: HashMap<Uuid, String> = person::Entity::find()
        .filter(
            person::Column::Id.is_in(
                rows.iter()
                    .flat_map(|r| [Some(r.person_id), r.by_person_id])
                    .flatten(),
            ),
        )
        .all(db)
        .await?
        .into_iter()
        .map(|p| (p.id, p.name))
        .collect();
    Ok(rows
        .into_iter()
        .map(|r| LogEntry {
            id: r.id,
            action: r.action,
            person: names.get(&r.person_id).cloned().unwrap_or_default(),
            person_id: r.person_id,
            by: r.by_person_id.and_then(|b| names.get(&b).cloned()),
            by_person_id: r.by_person_id,
            from_position: r.from_position,
            to_position: r.to_position,
            at: r.created_at,
        })
        .collect())
}

// ---- agenda and blocked slots ----

/// A meeting slot the person cannot meet in, and the session that takes it.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct BlockedSlot {
    pub slot_id: Uuid,
    pub date: NaiveDate,
    pub start: String,
    pub end: String,
    pub session_id: Uuid,
}

/// Sessions that keep people busy: the ones they have a confirmed seat in, and the ones
/// they lead. Keyed by person.
async fn busy_sessions<C: ConnectionTrait>(
    db: &C,
    event_id: Uuid,
    person: Option<Uuid>,
) -> ProgrammeResult<HashMap<Uuid, Vec<programme_session::Model>>> {
    let mut seats = session_signup::Entity::find()
        .filter(session_signup::Column::EventId.eq(event_id))
        .filter(session_signup::Column::Status.eq(SignupStatus::Confirmed));
    if let Some(p) = person {
        seats = seats.filter(session_signup::Column::PersonId.eq(p));
    }
    let seats = seats.all(db).await?;
    let sessions: HashMap<Uuid, programme_session::Model> = programme_session::Entity::find()
        .filter(programme_session::Column::EventId.eq(event_id))
        .all(db)
        .await?
        .into_iter()
        .map(|s| (s.id, s))
        .collect();
    let mut leads = session_facilitator::Entity::find()
        .filter(session_facilitator::Column::SessionId.is_in(sessions.keys().copied()));
    if let Some(p) = person {
        leads = leads.filter(session_facilitator::Column::PersonId.eq(p));
    }
    let leads = leads.all(db).await?;
    let mut busy: HashMap<Uuid, Vec<programme_session::Model>> = HashMap::new();
    let pairs = seats
        .iter()
        .map(|s| (s.person_id, s.session_id))
        .chain(leads.iter().map(|f| (f.person_id, f.session_id)));
    for (person_id, session_id) in pairs {
        if let Some(s) = sessions.get(&session_id) {
            let list = busy.entry(person_id).or_default();
            if !list.iter().any(|x| x.id == s.id) {
                list.push(s.clone());
            }
        }
    }
    Ok(busy)
}

/// The one rule for blocking: a meeting slot is blocked for a person when it overlaps in
/// time a session they are busy in.
fn blocked_by(slots: &[slot::Model], sessions: &[programme_session::Model]) -> Vec<BlockedSlot> {
    let mut out = Vec::new();
    for sl in slots.iter().filter(|s| s.kind == SlotKind::Meeting) {
        if let Some(s) = sessions
            .iter()
            .filter(|s| sl.starts_at < s.ends_at && sl.ends_at > s.starts_at)
            .min_by_key(|s| (s.starts_at, s.id))
        {
            out.push(BlockedSlot {
                slot_id: sl.id,
                date: sl.local_date,
                start: clock(sl.start_minute),
                end: clock(sl.end_minute),
                session_id: s.id,
            });
        }
    }
    out
}

async fn meeting_slots<C: ConnectionTrait>(
    db: &C,
    event_id: Uuid,
) -> ProgrammeResult<Vec<slot::Model>> {
    Ok(slot::Entity::find()
        .filter(slot::Column::EventId.eq(event_id))
        .filter(slot::Column::Kind.eq(SlotKind::Meeting))
        .order_by_asc(slot::Column::StartsAt)
        .all(db)
        .await?)
}

/// A person's meeting slots blocked by their sessions, in time order.
pub async fn blocked_slots<C: ConnectionTrait>(
    db: &C,
    event_id: Uuid,
    person_id: Uuid,
) -> ProgrammeResult<Vec<BlockedSlot>> {
    let busy = busy_sessions(db, event_id, Some(person_id)).await?;
    let Some(sessions) = busy.get(&person_id) else {
        return Ok(Vec::new());
    };
    Ok(blocked_by(&meeting_slots(db, event_id).await?, sessions))
}

/// Everyone's blocked meeting slots in the event, for the meeting scheduler.
pub async fn blocked_slots_of_event<C: ConnectionTrait>(
    db: &C,
    event_id: Uuid,
) -> ProgrammeResult<HashMap<Uuid, Vec<BlockedSlot>>> {
    let busy = busy_sessions(db, event_id, None).await?;
    let slots = meeting_slots(db, event_id).await?;
    Ok(busy
        .into_iter()
        .map(|(person, sessions)| (person, blocked_by(&slots, &sessions)))
        .filter(|(_, blocked)| !blocked.is_empty())
        .collect())
}

/// One's own day: the sessions one signed up for or leads, in time order, the meeting
/// slots they block, and one's scheduled one-to-one meetings in time order.
#[derive(Debug, Serialize, ToSchema)]
pub struct Agenda {
    pub event_id: Uuid,
    pub timezone: String,
    /// Each with `my_signup` (status and waitlist position) and `i_facilitate`.
    pub sessions: Vec<SessionView>,
    pub blocked_slots: Vec<BlockedSlot>,
    /// One's scheduled meetings: slot, table, and the partner (name, organisation, the
    /// factsheet of a supplier).
    pub meetings: Vec<crate::meetings::schedule::agenda::MyMeeting>,
    /// My check-in code for the desk on the event day; `null` when I do not take part
    /// (an organiser of the platform looking in).
    pub checkin_code: Option<String>,
}

pub async fn agenda(
    state: &AppState,
    by: &person::Model,
    event_id: Uuid,
) -> ProgrammeResult<Agenda> {
    let db = &state.db;
    let access = access::participant(db, by, event_id).await?;
    let signed: HashSet<Uuid> = session_signup::Entity::find()
        .filter(session_signup::Column::EventId.eq(event_id))
        .filter(session_signup::Column::PersonId.eq(by.id))
        .select_only()
        .column(session_signup::Column::SessionId)
        .into_tuple::<Uuid>()
        .all(db)
        .await?
        .into_iter()
        .collect();
    let led: Vec<Uuid> = session_facilitator::Entity::find()
        .filter(session_facilitator::Column::PersonId.eq(by.id))
        .select_only()
        .column(session_facilitator::Column::SessionId)
        .into_tuple::<Uuid>()
        .all(db)
        .await?;
    let ids: Vec<Uuid> = signed.into_iter().chain(led).collect();
    let sessions = programme_session::Entity::find()
        .filter(programme_session::Column::EventId.eq(event_id))
        .filter(programme_session::Column::Id.is_in(ids))
        .order_by_asc(programme_session::Column::StartsAt)
        .order_by_asc(programme_session::Column::EndsAt)
        .order_by_asc(programme_session::Column::Id)
        .all(db)
        .await?;
    let mine = access::active_participation(db, event_id, by.id).await?;
    let meetings = match &mine {
        Some(me) => crate::meetings::schedule::agenda::my_meetings(db, event_id, me.id)
            .await
            .map_err(crate::error::AppError::from)?,
        None => Vec::new(),
    };
    Ok(Agenda {
        event_id,
        timezone: access.event.timezone.clone(),
        sessions: views(db, event_id, sessions, Reader::Person(by.id)).await?,
        blocked_slots: blocked_slots(db, event_id, by.id).await?,
        meetings,
        checkin_code: mine.map(|me| me.checkin_code),
    })
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;

    use super::*;

    fn session(start: (u32, u32), end: (u32, u32)) -> programme_session::Model {
        let at = |(h, m): (u32, u32)| Utc.with_ymd_and_hms(2027, 3, 11, h, m, 0).unwrap();
        programme_session::Model {
            id: Uuid::now_v7(),
            event_id: Uuid::nil(),
            kind: SessionKind::MarketDialogue,
            title_nl: String::new(),
            title_en: String::new(),
            description_nl: String::new(),
            description_en: String::new(),
            product_group: None,
            themes: "[]".into(),
            room_id: None,
            local_date: NaiveDate::from_ymd_opt(2027, 3, 11).unwrap(),
            start_minute: (start.0 * 60 + start.1) as i32,
            end_minute: (end.0 * 60 + end.1) as i32,
            starts_at: at(start),
            ends_at: at(end),
            capacity: 10,
            capacity_buyers: None,
            capacity_suppliers: None,
            confirmed_count: 0,
            confirmed_buyers: 0,
            confirmed_suppliers: 0,
            waitlist_seq: 0,
            sequence: 0,
            signup_opens_at: None,
            signup_closes_at: None,
            created_at: at(start),
            updated_at: at(start),
        }
    }

    fn slot_at(start: (u32, u32), end: (u32, u32), kind: SlotKind) -> slot::Model {
        let s = session(start, end);
        slot::Model {
            id: Uuid::now_v7(),
            event_id: Uuid::nil(),
            local_date: s.local_date,
            start_minute: s.start_minute,
            end_minute: s.end_minute,
            starts_at: s.starts_at,
            ends_at: s.ends_at,
            kind,
            label: None,
        }
    }

    #[test]
    fn a_meeting_slot_is_blocked_when_it_overlaps_a_session_and_touching_is_not_overlapping() {
        let slots = [
            slot_at((13, 0), (13, 20), SlotKind::Meeting),
            slot_at((13, 20), (13, 40), SlotKind::Meeting),
            slot_at((13, 40), (14, 0), SlotKind::Break),
            slot_at((14, 0), (14, 20), SlotKind::Meeting),
        ];
        let sessions = [session((13, 20), (14, 0))];
        let blocked = blocked_by(&slots, &sessions);
        assert_eq!(
            blocked.iter().map(|b| b.start.as_str()).collect::<Vec<_>>(),
            ["13:20"],
            "13:00 ends as it starts, the break is no meeting, 14:00 starts as it ends"
        );
        let sessions = [session((13, 10), (13, 30)), session((13, 25), (14, 5))];
        let blocked = blocked_by(&slots, &sessions);
        assert_eq!(
            blocked.iter().map(|b| b.start.as_str()).collect::<Vec<_>>(),
            ["13:00", "13:20", "14:00"]
        );
        assert_eq!(
            blocked[1].session_id, sessions[0].id,
            "the earlier session names it"
        );
    }

    #[test]
    fn sign_up_is_open_between_opening_and_closing_and_closes_at_the_start_by_default() {
        let mut s = session((14, 0), (15, 0));
        let before = s.starts_at - chrono::Duration::minutes(1);
        assert_eq!(window(&s, before), SignupWindow::Open);
        assert_eq!(window(&s, s.starts_at), SignupWindow::Closed);
        s.signup_opens_at = Some(before);
        assert_eq!(
            window(&s, before - chrono::Duration::seconds(1)),
            SignupWindow::NotOpen
        );
        s.signup_closes_at = Some(s.ends_at);
        assert_eq!(window(&s, s.starts_at), SignupWindow::Open);
    }
}
