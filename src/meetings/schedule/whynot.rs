//! Why an accepted request has no meeting, in data and in words (docs/scheduling.md, "Why
//! not"): for the organiser every such request, for a buyer or supplier their own, told
//! from their side.
//!
//! The reason comes from [`crate::scheduling::explain::why_not`] on a placement of the
//! instance's requests: a run's result (the preview) or the meetings published now. This
//! file names what the solver's indices stand for: the people, the slots, the sessions and
//! marked unavailability that block a slot, the meetings that took a request's place. The
//! words depend on the reader: the organiser reads every detail; a participant reads their
//! own sessions and meetings but only that the other side is "not available" or "busy".

use std::collections::{BTreeMap, HashMap, HashSet};

use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

use super::instance::{Built, LeftOutReason, WeightClass};
use super::{ScheduleError, ScheduleResult, SlotRef, Venue};
use crate::domain::{Lang, MeetingStatus, Role, ScheduleMode};
use crate::entities::{meeting, participation, person, programme_session, schedule_run};
use crate::error::AppError;
use crate::events::access;
use crate::meetings::requests::{OtherSide, other_sides};
use crate::scheduling::explain::{WhyNot, why_not};
use crate::scheduling::model::Problem;
use crate::state::AppState;

/// The reason an accepted request has no meeting.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum WhyNotReason {
    /// Two buyers or two suppliers: the scheduler pairs a buyer with a supplier only.
    SameRole,
    /// One side no longer takes part as a buyer or supplier.
    NotTakingPart,
    /// No slot in which both are free (`blocked` says what blocks each slot).
    NoCommonFreeSlot,
    /// One side, or both, already has as many meetings as their limit (`at_limit`).
    AtLimit,
    /// Every table is taken in every slot in which both are free (`slots`).
    TablesFull,
    /// In every slot in which both are free one of them already has a meeting
    /// (`outweighed_by`).
    Outweighed,
    /// It fits in `slots` as the schedule stands (not placed yet, or worth nothing more).
    WouldFit,
}

/// A session as a reason names it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct SessionName {
    pub session_id: Uuid,
    pub title_nl: String,
    pub title_en: String,
}

/// A slot one side cannot meet in: kept by a session (`session`), or marked unavailable
/// (`session` is null). A participant reads only their own sessions.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct BlockedFor {
    pub person: OtherSide,
    pub slot: SlotRef,
    pub session: Option<SessionName>,
}

/// Someone at their meeting limit.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct AtLimit {
    pub person: OtherSide,
    pub meetings: usize,
    pub max_meetings: Option<i64>,
}

/// A meeting that keeps one of the two busy in a slot.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct MeetingInTheWay {
    pub request_id: Uuid,
    pub people: Vec<OtherSide>,
}

/// A slot both are free in, and the meetings that took it. A participant reads only their
/// own meetings: an empty list means the other side is busy.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct TakenSlot {
    pub slot: SlotRef,
    pub meetings: Vec<MeetingInTheWay>,
}

/// An accepted request without a meeting, and why.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct WhyNotView {
    pub request_id: Uuid,
    pub requester: Option<OtherSide>,
    pub recipient: Option<OtherSide>,
    /// For a buyer or supplier reading their own: the other side (null for organisers).
    pub other: Option<OtherSide>,
    /// Its weight class (null for a request the scheduler cannot take).
    pub class: Option<WeightClass>,
    pub reason: WhyNotReason,
    /// `no_common_free_slot`: what blocks each slot, per person.
    pub blocked: Vec<BlockedFor>,
    /// `at_limit`: who is at their limit.
    pub at_limit: Vec<AtLimit>,
    /// `tables_full`, `would_fit`: the slots in question.
    pub slots: Vec<SlotRef>,
    /// `outweighed`: per slot both are free in, the meetings in the way (the first
    /// [`SLOTS_NAMED`] slots; `outweighed_slots` says how many there are).
    pub outweighed_by: Vec<TakenSlot>,
    pub outweighed_slots: usize,
    /// The reason in the reader's language, told from their side.
    pub text: String,
}

/// At most this many requests without a meeting are listed with their reasons (the most
/// wanted first); all of them are counted per reason. A big event's run can leave tens of
/// thousands of requests out, which no organiser reads one by one.
pub const LISTED: usize = 500;

/// How many requests without a meeting have this reason.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ReasonCount {
    pub reason: WhyNotReason,
    pub count: usize,
}

/// The first [`LISTED`] of the items, and all of them counted per reason.
pub(crate) fn listed(mut items: Vec<WhyNotView>) -> (Vec<WhyNotView>, usize, Vec<ReasonCount>) {
    let total = items.len();
    let mut counts: Vec<ReasonCount> = Vec::new();
    for item in &items {
        match counts.iter_mut().find(|c| c.reason == item.reason) {
            Some(c) => c.count += 1,
            None => counts.push(ReasonCount {
                reason: item.reason,
                count: 1,
            }),
        }
    }
    counts.sort_by(|a, b| b.count.cmp(&a.count).then(a.reason.cmp(&b.reason)));
    items.truncate(LISTED);
    (items, total, counts)
}

/// Accepted requests without a meeting in the published schedule.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct WhyNotList {
    pub event_id: Uuid,
    /// The language of the texts.
    pub lang: Lang,
    /// Whether a schedule was published (or meetings placed by hand); before, every
    /// accepted request waits for it and `items` is empty.
    pub published: bool,
    /// The first [`LISTED`] (500), the most wanted first.
    pub items: Vec<WhyNotView>,
    /// How many there are in all, and per reason.
    pub total: usize,
    pub by_reason: Vec<ReasonCount>,
}

/// Who reads the reasons: an organiser (everything), or one side of the requests.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reader {
    Organiser,
    Participant(Uuid),
}

/// Why the accepted requests have no meeting in the published schedule: organisers every
/// one, buyers and suppliers their own.
pub async fn of_published(
    state: &AppState,
    by: &person::Model,
    event_id: Uuid,
    lang: Lang,
) -> ScheduleResult<WhyNotList> {
    let db = &state.db;
    let access = access::participant(db, by, event_id).await?;
    let reader = if access.is_organiser() {
        Reader::Organiser
    } else {
        if !matches!(access.role, Some(Role::Buyer | Role::Supplier)) {
            return Err(ScheduleError::Forbidden(
                "only organisers, buyers and suppliers have meetings".into(),
            ));
        }
        let me = access::active_participation(db, event_id, by.id)
            .await?
            .ok_or(ScheduleError::NotFound("event"))?;
        Reader::Participant(me.id)
    };
    let published = schedule_run::Entity::find()
        .filter(schedule_run::Column::EventId.eq(event_id))
        .filter(schedule_run::Column::PublishedAt.is_not_null())
        .one(db)
        .await?
        .is_some()
        || meeting::Entity::find()
            .filter(meeting::Column::EventId.eq(event_id))
            .one(db)
            .await?
            .is_some();
    if !published {
        return Ok(WhyNotList {
            event_id,
            lang,
            published,
            items: Vec::new(),
            total: 0,
            by_reason: Vec::new(),
        });
    }
    let built = super::instance::build(db, &access.event, ScheduleMode::Full).await?;
    let placed: HashMap<Uuid, Uuid> = meeting::Entity::find()
        .filter(meeting::Column::EventId.eq(event_id))
        .filter(meeting::Column::Status.eq(MeetingStatus::Scheduled))
        .all(db)
        .await?
        .into_iter()
        .map(|m| (m.request_id, m.slot_id))
        .collect();
    let (items, total, by_reason) =
        listed(explain(db, event_id, &built, &placed, reader, lang).await?);
    Ok(WhyNotList {
        event_id,
        lang,
        published,
        items,
        total,
        by_reason,
    })
}

/// Why each accepted request of `built` that `placed` (request -> slot) leaves out has no
/// meeting, as `reader` may read it, in `lang`; the organiser's list by weight class, then
/// names; a participant's by the other side's name.
pub(crate) async fn explain<C: ConnectionTrait>(
    db: &C,
    event_id: Uuid,
    built: &Built,
    placed: &HashMap<Uuid, Uuid>,
    reader: Reader,
    lang: Lang,
) -> ScheduleResult<Vec<WhyNotView>> {
    let problem = Problem::from_instance(&built.instance).map_err(|e| {
        ScheduleError::App(AppError::Internal(anyhow::anyhow!(
            "the stored instance is not valid: {e}"
        )))
    })?;
    let slot_index = built.slot_index();
    let slot_of: Vec<Option<usize>> = built
        .ids
        .requests
        .iter()
        .map(|id| placed.get(id).and_then(|s| slot_index.get(s).copied()))
        .collect();
    let reasons = why_not(&problem, &slot_of);
    let concerns = |(a, b): (Uuid, Uuid)| match reader {
        Reader::Organiser => true,
        Reader::Participant(me) => a == me || b == me,
    };
    let mine: Vec<(usize, &WhyNot)> = reasons
        .iter()
        .enumerate()
        .filter_map(|(r, w)| w.as_ref().map(|w| (r, w)))
        .filter(|(r, _)| concerns(built.ids.request_people[*r]))
        .collect();
    let left_out: Vec<_> = built
        .left_out
        .iter()
        .filter(|l| concerns((l.requester_id, l.recipient_id)))
        .collect();

    // Everyone named: both sides, and the people of the meetings in the way.
    let mut people: HashSet<Uuid> = left_out
        .iter()
        .flat_map(|l| [l.requester_id, l.recipient_id])
        .collect();
    let person_of = |index: usize| built.ids.participants[index];
    for (r, w) in &mine {
        let (a, b) = built.ids.request_people[*r];
        people.extend([a, b]);
        if let WhyNot::Outweighed { by } = w {
            for (_, others) in by.iter().take(SLOTS_NAMED) {
                for &o in others {
                    let (c, d) = built.ids.request_people[o];
                    people.extend([c, d]);
                }
            }
        }
    }
    let names = other_sides(db, people.iter().copied().collect()).await?;
    let venue = Venue::load(db, event_id).await?;
    let slot_at = |t: usize| built.ids.slots.get(t).and_then(|id| venue.slot(*id));
    let sessions = if mine
        .iter()
        .any(|(_, w)| matches!(w, WhyNot::NoCommonFreeSlot { .. }))
    {
        SessionsBlocking::load(db, event_id, &people).await?
    } else {
        SessionsBlocking::default()
    };

    let mut items = Vec::with_capacity(mine.len() + left_out.len());
    for l in left_out {
        let item = WhyNotView {
            request_id: l.request_id,
            requester: names.get(&l.requester_id).cloned(),
            recipient: names.get(&l.recipient_id).cloned(),
            other: None,
            class: None,
            reason: match l.reason {
                LeftOutReason::SameRole => WhyNotReason::SameRole,
                LeftOutReason::NotTakingPart => WhyNotReason::NotTakingPart,
            },
            blocked: Vec::new(),
            at_limit: Vec::new(),
            slots: Vec::new(),
            outweighed_by: Vec::new(),
            outweighed_slots: 0,
            text: String::new(),
        };
        items.push(item);
    }
    for (r, w) in mine {
        let (requester, recipient) = built.ids.request_people[r];
        let req = &problem.requests[r];
        let (buyer, supplier) = (person_of(req.buyer), person_of(req.supplier));
        let mut item = WhyNotView {
            request_id: built.ids.requests[r],
            requester: names.get(&requester).cloned(),
            recipient: names.get(&recipient).cloned(),
            other: None,
            class: built.ids.classes.get(r).copied(),
            reason: WhyNotReason::WouldFit,
            blocked: Vec::new(),
            at_limit: Vec::new(),
            slots: Vec::new(),
            outweighed_by: Vec::new(),
            outweighed_slots: 0,
            text: String::new(),
        };
        match w {
            WhyNot::NoCommonFreeSlot {
                buyer_unavailable,
                supplier_unavailable,
            } => {
                item.reason = WhyNotReason::NoCommonFreeSlot;
                for (who, slots) in [(buyer, buyer_unavailable), (supplier, supplier_unavailable)] {
                    let Some(person) = names.get(&who) else {
                        continue;
                    };
                    let own = reader == Reader::Organiser || reader == Reader::Participant(who);
                    for &t in slots {
                        let Some(slot) = slot_at(t) else { continue };
                        let session = own
                            .then(|| sessions.of(who, slot.slot_id))
                            .flatten()
                            .cloned();
                        item.blocked.push(BlockedFor {
                            person: person.clone(),
                            slot,
                            session,
                        });
                    }
                }
            }
            WhyNot::AtLimit {
                buyer: b,
                supplier: s,
            } => {
                item.reason = WhyNotReason::AtLimit;
                for (at, index) in [(*b, req.buyer), (*s, req.supplier)] {
                    let spec = &problem.people[index];
                    if let (true, Some(person)) = (at, names.get(&person_of(index))) {
                        item.at_limit.push(AtLimit {
                            person: person.clone(),
                            meetings: spec.cap,
                            max_meetings: spec.max_meetings.map(|m| m as i64),
                        });
                    }
                }
            }
            WhyNot::TablesFull { slots } => {
                item.reason = WhyNotReason::TablesFull;
                item.slots = slots.iter().filter_map(|&t| slot_at(t)).collect();
            }
            WhyNot::WouldFit { slots } => {
                item.reason = WhyNotReason::WouldFit;
                item.slots = slots.iter().filter_map(|&t| slot_at(t)).collect();
            }
            WhyNot::Outweighed { by } => {
                item.reason = WhyNotReason::Outweighed;
                item.outweighed_slots = by.len();
                for (t, others) in by.iter().take(SLOTS_NAMED) {
                    let Some(slot) = slot_at(*t) else { continue };
                    let meetings = others
                        .iter()
                        .filter(|&&o| concerns(built.ids.request_people[o]))
                        .map(|&o| {
                            let (c, d) = built.ids.request_people[o];
                            MeetingInTheWay {
                                request_id: built.ids.requests[o],
                                people: [c, d]
                                    .iter()
                                    .filter_map(|p| names.get(p).cloned())
                                    .collect(),
                            }
                        })
                        .collect();
                    item.outweighed_by.push(TakenSlot { slot, meetings });
                }
            }
        }
        items.push(item);
    }
    for item in &mut items {
        if let Reader::Participant(me) = reader {
            item.other = [&item.requester, &item.recipient]
                .into_iter()
                .flatten()
                .find(|o| o.participant_id != me)
                .cloned();
        }
        item.text = match reader {
            Reader::Organiser => organiser_words(item, lang),
            Reader::Participant(me) => own_words(item, me, lang),
        };
    }
    let other_name = |item: &WhyNotView| -> String {
        [&item.requester, &item.recipient]
            .into_iter()
            .flatten()
            .find(|o| reader != Reader::Participant(o.participant_id))
            .map(|o| o.name.clone())
            .unwrap_or_default()
    };
    items.sort_by_cached_key(|item| {
        let first = match reader {
            Reader::Organiser => item
                .requester
                .as_ref()
                .map(|o| o.name.clone())
                .unwrap_or_default(),
            Reader::Participant(_) => String::new(),
        };
        (
            item.class.unwrap_or(WeightClass::IfTime),
            first,
            other_name(item),
            item.request_id,
        )
    });
    Ok(items)
}

/// The sessions that keep people busy, per participation and slot, with their titles.
#[derive(Default)]
struct SessionsBlocking {
    by_slot: HashMap<(Uuid, Uuid), Uuid>,
    names: HashMap<Uuid, SessionName>,
}

impl SessionsBlocking {
    async fn load<C: ConnectionTrait>(
        db: &C,
        event_id: Uuid,
        participations: &HashSet<Uuid>,
    ) -> ScheduleResult<Self> {
        let person_to_participation: HashMap<Uuid, Uuid> = participation::Entity::find()
            .filter(participation::Column::Id.is_in(participations.iter().copied()))
            .all(db)
            .await?
            .into_iter()
            .map(|p| (p.person_id, p.id))
            .collect();
        let mut by_slot = HashMap::new();
        for (person, blocked) in
            crate::programme::service::blocked_slots_of_event(db, event_id).await?
        {
            let Some(&who) = person_to_participation.get(&person) else {
                continue;
            };
            for b in blocked {
                by_slot.entry((who, b.slot_id)).or_insert(b.session_id);
            }
        }
        let ids: HashSet<Uuid> = by_slot.values().copied().collect();
        let names = programme_session::Entity::find()
            .filter(programme_session::Column::Id.is_in(ids))
            .all(db)
            .await?
            .into_iter()
            .map(|s| {
                (
                    s.id,
                    SessionName {
                        session_id: s.id,
                        title_nl: s.title_nl,
                        title_en: s.title_en,
                    },
                )
            })
            .collect();
        Ok(SessionsBlocking { by_slot, names })
    }

    fn of(&self, participation: Uuid, slot: Uuid) -> Option<&SessionName> {
        self.by_slot
            .get(&(participation, slot))
            .and_then(|s| self.names.get(s))
    }
}

// ---- in words ----

/// At most this many slots are named in a sentence (and listed with the meetings in the
/// way); the rest are counted.
pub const SLOTS_NAMED: usize = 6;

fn who(o: &OtherSide) -> String {
    match &o.organisation {
        Some(org) => format!("{} ({org})", o.name),
        None => o.name.clone(),
    }
}

/// `13:00, 13:20 and 14:00`, and how many more beyond [`SLOTS_NAMED`].
fn slots_text<'a>(slots: impl IntoIterator<Item = &'a SlotRef>, lang: Lang) -> String {
    let mut starts: Vec<String> = slots.into_iter().map(|s| s.start.clone()).collect();
    starts.dedup();
    if starts.len() > SLOTS_NAMED {
        let more = starts.len() - SLOTS_NAMED + 1;
        starts.truncate(SLOTS_NAMED - 1);
        starts.push(match lang {
            Lang::Nl => format!("nog {more} andere"),
            Lang::En => format!("{more} more"),
        });
    }
    lang.enumerate(&starts)
}

fn title(s: &SessionName, lang: Lang) -> &str {
    match lang {
        Lang::Nl => &s.title_nl,
        Lang::En => &s.title_en,
    }
}

/// What blocks one person: per session its slots, then the slots marked unavailable, as
/// "in “Title” at 13:00 and 13:20; not available at 14:00".
fn blocked_text(blocked: &[&BlockedFor], lang: Lang) -> String {
    let mut sessions: BTreeMap<String, Vec<&SlotRef>> = BTreeMap::new();
    let mut marked = Vec::new();
    for b in blocked {
        match &b.session {
            Some(s) => sessions
                .entry(title(s, lang).to_string())
                .or_default()
                .push(&b.slot),
            None => marked.push(&b.slot),
        }
    }
    let mut parts: Vec<String> = sessions
        .into_iter()
        .map(|(title, slots)| match lang {
            Lang::Nl => format!("in „{title}” om {}", slots_text(slots, lang)),
            Lang::En => format!("in “{title}” at {}", slots_text(slots, lang)),
        })
        .collect();
    if !marked.is_empty() {
        parts.push(match lang {
            Lang::Nl => format!("niet beschikbaar om {}", slots_text(marked, lang)),
            Lang::En => format!("not available at {}", slots_text(marked, lang)),
        });
    }
    parts.join("; ")
}

fn blocked_of(item: &WhyNotView, participant: Uuid) -> Vec<&BlockedFor> {
    item.blocked
        .iter()
        .filter(|b| b.person.participant_id == participant)
        .collect()
}

/// "; and 3 more slots" for the slots of an outweighed request beyond those listed.
fn more_slots(item: &WhyNotView, lang: Lang) -> String {
    match item
        .outweighed_slots
        .saturating_sub(item.outweighed_by.len())
    {
        0 => String::new(),
        more => match lang {
            Lang::Nl => format!("; en nog {more} slots"),
            Lang::En => format!("; and {more} more slots"),
        },
    }
}

fn limit_text(a: &AtLimit) -> String {
    a.max_meetings.unwrap_or(a.meetings as i64).to_string()
}

/// The reason as the organiser reads it.
fn organiser_words(item: &WhyNotView, lang: Lang) -> String {
    let a = item.requester.as_ref().map(who).unwrap_or_default();
    let b = item.recipient.as_ref().map(who).unwrap_or_default();
    match (item.reason, lang) {
        (WhyNotReason::SameRole, Lang::Nl) => format!(
            "{a} en {b} nemen deel in dezelfde rol: de planner koppelt alleen een aankoper aan een aanbieder. Plan het gesprek met de hand als het moet doorgaan."
        ),
        (WhyNotReason::SameRole, Lang::En) => format!(
            "{a} and {b} take part in the same role: the scheduler only pairs a buyer with a supplier. Place the meeting by hand if it should happen."
        ),
        (WhyNotReason::NotTakingPart, Lang::Nl) => {
            format!("{a} of {b} neemt niet meer deel als aankoper of aanbieder.")
        }
        (WhyNotReason::NotTakingPart, Lang::En) => {
            format!("{a} or {b} no longer takes part as a buyer or supplier.")
        }
        (WhyNotReason::NoCommonFreeSlot, _) => {
            let mut parts = Vec::new();
            for side in [&item.requester, &item.recipient].into_iter().flatten() {
                let blocked = blocked_of(item, side.participant_id);
                if !blocked.is_empty() {
                    parts.push(format!("{}: {}", who(side), blocked_text(&blocked, lang)));
                }
            }
            let lead = lang.pick(
                "Geen slot waarin beiden vrij zijn.",
                "No slot in which both are free.",
            );
            if parts.is_empty() {
                lead.to_string()
            } else {
                format!("{lead} {}.", parts.join(". "))
            }
        }
        (WhyNotReason::AtLimit, _) => item
            .at_limit
            .iter()
            .map(|l| match lang {
                Lang::Nl => format!(
                    "{} heeft het maximum aantal gesprekken voor de rol bereikt ({}).",
                    who(&l.person),
                    limit_text(l)
                ),
                Lang::En => format!(
                    "{} has reached the limit of meetings for their role ({}).",
                    who(&l.person),
                    limit_text(l)
                ),
            })
            .collect::<Vec<_>>()
            .join(" "),
        (WhyNotReason::TablesFull, Lang::Nl) => format!(
            "Alle tafels zijn bezet in elk slot waarin beiden vrij zijn: {}.",
            slots_text(&item.slots, lang)
        ),
        (WhyNotReason::TablesFull, Lang::En) => format!(
            "Every table is taken in each slot in which both are free: {}.",
            slots_text(&item.slots, lang)
        ),
        (WhyNotReason::WouldFit, Lang::Nl) => format!(
            "Het past nog om {}: plan het met de hand, of laat de planner opnieuw lopen.",
            slots_text(&item.slots, lang)
        ),
        (WhyNotReason::WouldFit, Lang::En) => format!(
            "It still fits at {}: place it by hand, or run the scheduler again.",
            slots_text(&item.slots, lang)
        ),
        (WhyNotReason::Outweighed, _) => {
            let parts: Vec<String> = item
                .outweighed_by
                .iter()
                .take(SLOTS_NAMED)
                .map(|taken| {
                    let meetings: Vec<String> = taken
                        .meetings
                        .iter()
                        .map(|m| {
                            let names: Vec<String> =
                                m.people.iter().map(|p| p.name.clone()).collect();
                            names.join(lang.pick(" met ", " with "))
                        })
                        .collect();
                    format!(
                        "{} {} {}",
                        lang.pick("om", "at"),
                        taken.slot.start,
                        lang.enumerate(&meetings)
                    )
                })
                .collect();
            let (parts, more) = (parts.join("; "), more_slots(item, lang));
            match lang {
                Lang::Nl => format!(
                    "Verdrongen door andere gesprekken: in elk slot waarin beiden vrij zijn, heeft een van hen al een gesprek ({parts}{more})."
                ),
                Lang::En => format!(
                    "Outweighed by other meetings: in each slot in which both are free, one of them already has a meeting ({parts}{more})."
                ),
            }
        }
    }
}

/// The reason as one of the two people reads it: their own sessions and meetings named,
/// the other side's only as "not available" or "busy".
fn own_words(item: &WhyNotView, me: Uuid, lang: Lang) -> String {
    let other = [&item.requester, &item.recipient]
        .into_iter()
        .flatten()
        .find(|o| o.participant_id != me);
    let p = other.map(who).unwrap_or_else(|| {
        lang.pick("de andere deelnemer", "the other participant")
            .to_string()
    });
    let other_id = other.map(|o| o.participant_id);
    match (item.reason, lang) {
        (WhyNotReason::SameRole, Lang::Nl) => format!(
            "Jij en {p} nemen deel in dezelfde rol, en de planner koppelt alleen een aankoper aan een aanbieder. De organisatoren kunnen het gesprek met de hand inplannen."
        ),
        (WhyNotReason::SameRole, Lang::En) => format!(
            "You and {p} take part in the same role, and the scheduler only pairs a buyer with a supplier. The organisers can place the meeting by hand."
        ),
        (WhyNotReason::NotTakingPart, Lang::Nl) => {
            format!("{p} neemt niet meer deel als aankoper of aanbieder.")
        }
        (WhyNotReason::NotTakingPart, Lang::En) => {
            format!("{p} no longer takes part as a buyer or supplier.")
        }
        (WhyNotReason::NoCommonFreeSlot, _) => {
            let mut parts = Vec::new();
            let mine = blocked_of(item, me);
            if !mine.is_empty() {
                parts.push(format!(
                    "{} {}",
                    lang.pick("jij bent", "you are"),
                    blocked_text(&mine, lang)
                ));
            }
            if let Some(o) = other_id {
                let theirs = blocked_of(item, o);
                if !theirs.is_empty() {
                    let slots = theirs.iter().map(|b| &b.slot);
                    parts.push(match lang {
                        Lang::Nl => {
                            format!("{p} is niet beschikbaar om {}", slots_text(slots, lang))
                        }
                        Lang::En => format!("{p} is not available at {}", slots_text(slots, lang)),
                    });
                }
            }
            let lead = match lang {
                Lang::Nl => format!("Jij en {p} hebben geen vrij slot gemeenschappelijk"),
                Lang::En => format!("You and {p} have no free slot in common"),
            };
            if parts.is_empty() {
                format!("{lead}.")
            } else {
                format!("{lead}: {}.", parts.join("; "))
            }
        }
        (WhyNotReason::AtLimit, _) => {
            let mut parts = Vec::new();
            for l in &item.at_limit {
                parts.push(match (l.person.participant_id == me, lang) {
                    (true, Lang::Nl) => format!(
                        "Je hebt al zoveel gesprekken als de organisatoren toelaten ({}).",
                        limit_text(l)
                    ),
                    (true, Lang::En) => format!(
                        "You already have as many meetings as the organisers allow ({}).",
                        limit_text(l)
                    ),
                    (false, Lang::Nl) => {
                        format!("{p} heeft al zoveel gesprekken als de organisatoren toelaten.")
                    }
                    (false, Lang::En) => {
                        format!("{p} already has as many meetings as the organisers allow.")
                    }
                });
            }
            parts.join(" ")
        }
        (WhyNotReason::TablesFull, Lang::Nl) => format!(
            "Alle tafels zijn bezet in elk slot waarin jullie allebei vrij zijn ({}).",
            slots_text(&item.slots, lang)
        ),
        (WhyNotReason::TablesFull, Lang::En) => format!(
            "Every table is taken in each slot in which you are both free ({}).",
            slots_text(&item.slots, lang)
        ),
        (WhyNotReason::WouldFit, Lang::Nl) => format!(
            "Er is nog plaats om {}: de organisatoren kunnen dit gesprek nog toevoegen.",
            slots_text(&item.slots, lang)
        ),
        (WhyNotReason::WouldFit, Lang::En) => format!(
            "There is still room at {}: the organisers can still add this meeting.",
            slots_text(&item.slots, lang)
        ),
        (WhyNotReason::Outweighed, _) => {
            let parts: Vec<String> = item
                .outweighed_by
                .iter()
                .take(SLOTS_NAMED)
                .map(|taken| {
                    let with: Vec<String> = taken
                        .meetings
                        .iter()
                        .flat_map(|m| m.people.iter())
                        .filter(|o| o.participant_id != me)
                        .map(who)
                        .collect();
                    match (with.is_empty(), lang) {
                        (false, Lang::Nl) => format!(
                            "om {} heb je een gesprek met {}",
                            taken.slot.start,
                            lang.enumerate(&with)
                        ),
                        (false, Lang::En) => {
                            format!("at {} you meet {}", taken.slot.start, lang.enumerate(&with))
                        }
                        (true, Lang::Nl) => format!("om {} is {p} bezet", taken.slot.start),
                        (true, Lang::En) => format!("at {} {p} is busy", taken.slot.start),
                    }
                })
                .collect();
            let (parts, more) = (parts.join("; "), more_slots(item, lang));
            match lang {
                Lang::Nl => format!(
                    "In elk slot waarin jullie allebei vrij zijn, heeft een van jullie al een gesprek: {parts}{more}."
                ),
                Lang::En => format!(
                    "In each slot in which you are both free, one of you already has a meeting: {parts}{more}."
                ),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn item(reason: WhyNotReason) -> WhyNotView {
        WhyNotView {
            request_id: Uuid::now_v7(),
            requester: None,
            recipient: None,
            other: None,
            class: None,
            reason,
            blocked: Vec::new(),
            at_limit: Vec::new(),
            slots: Vec::new(),
            outweighed_by: Vec::new(),
            outweighed_slots: 0,
            text: String::new(),
        }
    }

    #[test]
    fn a_long_list_keeps_the_first_and_counts_them_all() {
        let mut items: Vec<WhyNotView> = (0..LISTED)
            .map(|_| item(WhyNotReason::Outweighed))
            .collect();
        items.push(item(WhyNotReason::TablesFull));
        items.push(item(WhyNotReason::TablesFull));
        let first = items[0].request_id;
        let (listed, total, counts) = listed(items);
        assert_eq!(listed.len(), LISTED);
        assert_eq!(listed[0].request_id, first);
        assert_eq!(total, LISTED + 2);
        let counts: Vec<(WhyNotReason, usize)> =
            counts.iter().map(|c| (c.reason, c.count)).collect();
        assert_eq!(
            counts,
            [
                (WhyNotReason::Outweighed, LISTED),
                (WhyNotReason::TablesFull, 2)
            ]
        );
    }
}
