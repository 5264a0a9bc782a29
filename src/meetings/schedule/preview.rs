//! What an organiser decides on before publishing a finished run: how good the schedule is
//! (objective, proven bound, gap), the meetings by priority, how many meetings people get
//! (a distribution, and who has none or fewer than they asked), the table use per slot,
//! what changes against the meetings published now (with the people affected), and the
//! accepted requests the scheduler could not take.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use sea_orm::ConnectionTrait;
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

use super::instance::{Built, WeightClass};
use super::publish::{diff, meetings_by_request};
use super::runs::{built_of, result_of};
use super::whynot::{self, Reader, ReasonCount, WhyNotView};
use super::{Placement, ScheduleResult, SlotRef, TableRef, Venue};
use crate::domain::Lang;
use crate::entities::{event, schedule_run};
use crate::meetings::requests::{OtherSide, other_sides};

/// Requested and scheduled meetings of one weight class.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ByPriority {
    pub class: WeightClass,
    /// Accepted requests of the class the scheduler took.
    pub requested: usize,
    pub scheduled: usize,
}

/// How many people have this many meetings.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Bucket {
    pub meetings: usize,
    pub people: usize,
}

/// Someone with no meeting, or fewer than they asked for.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ShortPerson {
    pub person: OtherSide,
    /// Their accepted requests the scheduler took.
    pub asked: usize,
    pub got: usize,
    /// Their limit of meetings, if the organiser set one.
    pub max_meetings: Option<i64>,
    /// Slots they cannot meet in (marked, or kept by their sessions).
    pub unavailable_slots: usize,
}

/// Table use in one slot.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct SlotUse {
    pub slot: SlotRef,
    pub used: usize,
    pub available: usize,
}

/// One meeting that changes against the published schedule.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct MeetingChange {
    pub request_id: Uuid,
    /// The published meeting (moved, dropped), or the cancelled one placed again.
    pub meeting_id: Option<Uuid>,
    pub people: Vec<OtherSide>,
    pub from: Option<SlotRef>,
    pub from_table: Option<TableRef>,
    pub to: Option<SlotRef>,
    pub to_table: Option<TableRef>,
}

/// What publishing this run would change.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Changes {
    pub added: Vec<MeetingChange>,
    pub moved: Vec<MeetingChange>,
    pub dropped: Vec<MeetingChange>,
    pub unchanged: usize,
    /// Everyone with a meeting added, moved or dropped, by name.
    pub people_affected: Vec<OtherSide>,
}

/// A done run's preview.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Preview {
    pub objective: i64,
    /// A proven upper limit of any schedule's objective for this instance.
    pub bound: i64,
    /// `1 - objective / bound`: 0 means proven optimal.
    pub gap: f64,
    pub meetings: usize,
    /// Accepted requests the scheduler took.
    pub requests: usize,
    pub participants: usize,
    pub participants_met: usize,
    pub seconds: f64,
    pub stopped_by_time_limit: bool,
    /// Slots people sit idle between their first and last meeting.
    pub idle_gaps: usize,
    pub by_priority: Vec<ByPriority>,
    /// How many people have 0, 1, 2, ... meetings (every count up to the most).
    pub distribution: Vec<Bucket>,
    /// People with no meeting or fewer than they asked, fewest first.
    pub short: Vec<ShortPerson>,
    pub tables: Vec<SlotUse>,
    pub changes: Changes,
    /// The accepted requests without a meeting in this schedule, and why, in the reader's
    /// words (`whynot.rs`): the most wanted first, at most 500.
    pub left_out: Vec<WhyNotView>,
    /// How many accepted requests have no meeting in this schedule, in all and per reason.
    pub left_out_total: usize,
    pub left_out_by_reason: Vec<ReasonCount>,
}

/// The preview of a done run.
pub async fn of_run<C: ConnectionTrait>(
    db: &C,
    event: &event::Model,
    row: &schedule_run::Model,
    lang: Lang,
) -> ScheduleResult<Preview> {
    let built = built_of(row)?;
    let result = result_of(row)?;
    let schedule = &result.schedule;
    let venue = Venue::load(db, event.id).await?;
    let mut people_ids: BTreeSet<Uuid> = built.ids.participants.iter().copied().collect();
    let meetings = meetings_by_request(db, event.id).await?;
    let diff = diff(&built, &result.placements, &meetings);
    // Both people of each request, including published meetings outside the instance.
    let request_people = request_people(db, &built, &meetings).await?;
    people_ids.extend(request_people.values().flat_map(|(a, b)| [*a, *b]));
    let names = other_sides(db, people_ids.into_iter().collect()).await?;

    let placed: HashMap<Uuid, &Placement> = result
        .placements
        .iter()
        .map(|p| (p.request_id, p))
        .collect();
    let mut by_class: BTreeMap<WeightClass, (usize, usize)> =
        WeightClass::ALL.iter().map(|c| (*c, (0, 0))).collect();
    for (i, id) in built.ids.requests.iter().enumerate() {
        let entry = by_class.entry(built.ids.classes[i]).or_default();
        entry.0 += 1;
        if placed.contains_key(id) {
            entry.1 += 1;
        }
    }

    // Meetings per person.
    let mut asked = vec![0usize; built.ids.participants.len()];
    let mut got = vec![0usize; built.ids.participants.len()];
    let person_index: HashMap<&str, usize> = built
        .instance
        .participants
        .iter()
        .enumerate()
        .map(|(i, p)| (p.id.as_str(), i))
        .collect();
    for (i, r) in built.instance.requests.iter().enumerate() {
        let (b, s) = (
            person_index[r.buyer.as_str()],
            person_index[r.supplier.as_str()],
        );
        asked[b] += 1;
        asked[s] += 1;
        if placed.contains_key(&built.ids.requests[i]) {
            got[b] += 1;
            got[s] += 1;
        }
    }
    let most = got.iter().copied().max().unwrap_or(0);
    let mut distribution: Vec<Bucket> = (0..=most)
        .map(|n| Bucket {
            meetings: n,
            people: 0,
        })
        .collect();
    for &n in &got {
        distribution[n].people += 1;
    }
    if built.ids.participants.is_empty() {
        distribution.clear();
    }
    let mut short: Vec<ShortPerson> = (0..built.ids.participants.len())
        .filter(|&p| got[p] == 0 || got[p] < asked[p])
        .filter_map(|p| {
            let spec = &built.instance.participants[p];
            Some(ShortPerson {
                person: names.get(&built.ids.participants[p])?.clone(),
                asked: asked[p],
                got: got[p],
                max_meetings: spec.max_meetings,
                unavailable_slots: spec.unavailable.len(),
            })
        })
        .collect();
    short.sort_by(|a, b| {
        (a.got, &a.person.name, a.person.participant_id).cmp(&(
            b.got,
            &b.person.name,
            b.person.participant_id,
        ))
    });

    // Tables per slot.
    let mut used = vec![0usize; built.ids.slots.len()];
    let slot_index = built.slot_index();
    for p in &result.placements {
        if p.table_id.is_some()
            && let Some(&t) = slot_index.get(&p.slot_id)
        {
            used[t] += 1;
        }
    }
    let tables = built
        .ids
        .slots
        .iter()
        .enumerate()
        .filter_map(|(t, id)| {
            Some(SlotUse {
                slot: venue.slot(*id)?,
                used: used[t],
                available: built.instance.tables[t].max(0) as usize,
            })
        })
        .collect();

    // Changes against what is published now.
    let people_of = |request: Uuid| -> Vec<OtherSide> {
        request_people
            .get(&request)
            .map(|(a, b)| {
                [a, b]
                    .into_iter()
                    .filter_map(|id| names.get(id).cloned())
                    .collect()
            })
            .unwrap_or_default()
    };
    let mut affected: BTreeMap<Uuid, OtherSide> = BTreeMap::new();
    let mut change = |request: Uuid,
                      meeting_id: Option<Uuid>,
                      from: Option<(Uuid, Option<Uuid>)>,
                      to: Option<&Placement>| {
        let people = people_of(request);
        for p in &people {
            affected.insert(p.participant_id, p.clone());
        }
        MeetingChange {
            request_id: request,
            meeting_id,
            people,
            from: from.and_then(|(slot, _)| venue.slot(slot)),
            from_table: from.and_then(|(_, table)| venue.table(table)),
            to: to.and_then(|p| venue.slot(p.slot_id)),
            to_table: to.and_then(|p| venue.table(p.table_id)),
        }
    };
    let added = diff
        .added
        .iter()
        .map(|(p, old)| change(p.request_id, old.as_ref().map(|m| m.id), None, Some(p)))
        .collect();
    let moved = diff
        .moved
        .iter()
        .map(|(m, p)| {
            change(
                m.request_id,
                Some(m.id),
                Some((m.slot_id, m.table_id)),
                Some(p),
            )
        })
        .collect();
    let dropped = diff
        .dropped
        .iter()
        .map(|m| {
            change(
                m.request_id,
                Some(m.id),
                Some((m.slot_id, m.table_id)),
                None,
            )
        })
        .collect();
    let mut people_affected: Vec<OtherSide> = affected.into_values().collect();
    people_affected.sort_by(|a, b| (&a.name, a.participant_id).cmp(&(&b.name, b.participant_id)));

    let placed_slots: HashMap<Uuid, Uuid> = result
        .placements
        .iter()
        .map(|p| (p.request_id, p.slot_id))
        .collect();
    let (left_out, left_out_total, left_out_by_reason) = whynot::listed(
        whynot::explain(db, event.id, &built, &placed_slots, Reader::Organiser, lang).await?,
    );
    Ok(Preview {
        objective: schedule.objective,
        bound: schedule.bound,
        gap: super::worker::gap(schedule.objective, schedule.bound),
        meetings: schedule.meetings.len(),
        requests: built.ids.requests.len(),
        participants: built.ids.participants.len(),
        participants_met: schedule.statistics.participants_met,
        seconds: schedule.statistics.seconds,
        stopped_by_time_limit: schedule.statistics.stopped_by_time_limit,
        idle_gaps: schedule.statistics.idle_gaps,
        by_priority: by_class
            .into_iter()
            .map(|(class, (requested, scheduled))| ByPriority {
                class,
                requested,
                scheduled,
            })
            .collect(),
        distribution,
        short,
        tables,
        changes: Changes {
            added,
            moved,
            dropped,
            unchanged: diff.unchanged,
            people_affected,
        },
        left_out,
        left_out_total,
        left_out_by_reason,
    })
}

/// The two participations of every request of the instance and of every meeting.
async fn request_people<C: ConnectionTrait>(
    db: &C,
    built: &Built,
    meetings: &HashMap<Uuid, crate::entities::meeting::Model>,
) -> ScheduleResult<HashMap<Uuid, (Uuid, Uuid)>> {
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QuerySelect};
    let mut out: HashMap<Uuid, (Uuid, Uuid)> = built
        .ids
        .requests
        .iter()
        .copied()
        .zip(built.ids.request_people.iter().copied())
        .collect();
    let missing: Vec<Uuid> = meetings
        .keys()
        .filter(|id| !out.contains_key(id))
        .copied()
        .collect();
    for chunk in missing.chunks(500) {
        use crate::entities::meeting_request::{Column, Entity};
        let rows: Vec<(Uuid, Uuid, Uuid)> = Entity::find()
            .filter(Column::Id.is_in(chunk.to_vec()))
            .select_only()
            .column(Column::Id)
            .column(Column::RequesterId)
            .column(Column::RecipientId)
            .into_tuple()
            .all(db)
            .await?;
        for (id, a, b) in rows {
            out.insert(id, (a, b));
        }
    }
    Ok(out)
}
