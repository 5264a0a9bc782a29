//! The scheduler's instance built from the event (`matchfloor-instance/1`), and the ids
//! behind its names, so slot indices and table numbers map back to rows.
//!
//! - **participants**: the active buyers and suppliers with an accepted or scheduled request
//!   the solver can take (named `b1..`, `s1..`);
//! - **requests**: accepted or scheduled requests between a buyer and a supplier (named
//!   `r1..`), weighted by both sides' priorities ([`weight`]). The solver's model joins a
//!   buyer and a supplier, so a buyer-buyer or supplier-supplier request (which the rules
//!   can allow) cannot be expressed: it is left out and listed as such ([`LeftOut`]);
//! - **slots**: the event's meeting slots in time order; **tables**: the event's meeting
//!   tables, in every slot (an event without tables: every supplier meets at their stand,
//!   a `booth`);
//! - **unavailable**: the slots a person marked, and those their confirmed sessions block;
//! - **max_meetings**: the organiser's limit per role;
//! - **pinned**: meetings an organiser pinned, and in mode `add_only` every published one;
//!   **previous**: the published meetings (mode `full`), so only worthwhile changes happen.

use std::collections::{BTreeSet, HashMap, HashSet};

use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use super::ScheduleResult;
use crate::domain::{
    MeetingPriority, MeetingRequestStatus, MeetingStatus, Role, ScheduleMode, SlotKind,
};
use crate::entities::{
    event, meeting, meeting_request, meeting_table, participation, slot, unavailable_slot,
};
use crate::scheduling::model::{
    INSTANCE_FORMAT, Instance, ParticipantSpec, Placement as SolverPlacement, RequestSpec, Side,
};

/// What the solver adds for every person who gets at least one meeting (the benchmark
/// kit's default): a first meeting for someone outweighs a further one for someone else.
pub const FIRST_MEETING_BONUS: i64 = 5;

/// A request's weight class, from both sides' priorities (docs/scheduling.md, "Weights").
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, ToSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum WeightClass {
    /// Both sides must meet.
    MutualMust,
    /// One side must meet.
    Must,
    /// At best "would like to meet".
    WouldLike,
    /// Both sides: if time allows.
    IfTime,
}

impl WeightClass {
    pub const ALL: [WeightClass; 4] = [
        WeightClass::MutualMust,
        WeightClass::Must,
        WeightClass::WouldLike,
        WeightClass::IfTime,
    ];
}

fn points(priority: MeetingPriority) -> i64 {
    match priority {
        MeetingPriority::Must => 3,
        MeetingPriority::WouldLike => 2,
        MeetingPriority::IfTime => 1,
    }
}

/// A request's weight and class: the requester's priority and the recipient's (their
/// answer's priority, or the requester's when they gave none) add up (must 3, would like
/// 2, if time 1), and two "must"s earn 2 more, so a mutual must (8) is worth most.
pub fn weight(requester: MeetingPriority, answer: Option<MeetingPriority>) -> (i64, WeightClass) {
    use MeetingPriority::{IfTime, Must, WouldLike};
    let recipient = answer.unwrap_or(requester);
    let mutual = requester == Must && recipient == Must;
    let weight = points(requester) + points(recipient) + if mutual { 2 } else { 0 };
    let class = match (requester, recipient) {
        (Must, Must) => WeightClass::MutualMust,
        (Must, _) | (_, Must) => WeightClass::Must,
        (WouldLike, _) | (_, WouldLike) => WeightClass::WouldLike,
        (IfTime, IfTime) => WeightClass::IfTime,
    };
    (weight, class)
}

/// Why an accepted request is not in the instance.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum LeftOutReason {
    /// Two buyers or two suppliers: the scheduler joins a buyer and a supplier only.
    SameRole,
    /// One side no longer takes part as a buyer or supplier.
    NotTakingPart,
}

/// An accepted request the instance leaves out, and why.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct LeftOut {
    pub request_id: Uuid,
    pub requester_id: Uuid,
    pub recipient_id: Uuid,
    pub reason: LeftOutReason,
}

/// The ids behind the instance's names, index for index.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct IdMap {
    /// Participation ids, in the order of `instance.participants`.
    pub participants: Vec<Uuid>,
    /// Request ids, in the order of `instance.requests`.
    pub requests: Vec<Uuid>,
    /// Per request (same order): its participations (requester, recipient) and class.
    pub request_people: Vec<(Uuid, Uuid)>,
    pub classes: Vec<WeightClass>,
    /// Slot ids by slot index.
    pub slots: Vec<Uuid>,
    /// Meeting table ids by table number - 1.
    pub tables: Vec<Uuid>,
}

/// The instance as a run keeps it: the document the solver reads, the ids behind it and
/// the requests it could not take.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Built {
    pub mode: ScheduleMode,
    pub instance: Instance,
    pub ids: IdMap,
    pub left_out: Vec<LeftOut>,
}

impl Built {
    /// Index of each request id in the instance.
    pub fn request_index(&self) -> HashMap<Uuid, usize> {
        self.ids
            .requests
            .iter()
            .enumerate()
            .map(|(i, id)| (*id, i))
            .collect()
    }

    pub fn slot_index(&self) -> HashMap<Uuid, usize> {
        self.ids
            .slots
            .iter()
            .enumerate()
            .map(|(i, id)| (*id, i))
            .collect()
    }

    /// The table id of a 1-based table number.
    pub fn table_id(&self, number: usize) -> Option<Uuid> {
        number
            .checked_sub(1)
            .and_then(|i| self.ids.tables.get(i).copied())
    }
}

/// Builds the event's instance as it stands now.
pub async fn build<C: ConnectionTrait>(
    db: &C,
    event: &event::Model,
    mode: ScheduleMode,
) -> ScheduleResult<Built> {
    let event_id = event.id;
    let slots = slot::Entity::find()
        .filter(slot::Column::EventId.eq(event_id))
        .filter(slot::Column::Kind.eq(SlotKind::Meeting))
        .order_by_asc(slot::Column::StartsAt)
        .order_by_asc(slot::Column::Id)
        .all(db)
        .await?;
    let slot_index: HashMap<Uuid, usize> =
        slots.iter().enumerate().map(|(i, s)| (s.id, i)).collect();
    let tables = meeting_table::Entity::find()
        .filter(meeting_table::Column::EventId.eq(event_id))
        .order_by_asc(meeting_table::Column::Number)
        .all(db)
        .await?;
    let rules = crate::meetings::rules::load(db, event_id).await?;
    let requests = meeting_request::Entity::find()
        .filter(meeting_request::Column::EventId.eq(event_id))
        .filter(meeting_request::Column::Status.is_in([
            MeetingRequestStatus::Accepted,
            MeetingRequestStatus::Scheduled,
        ]))
        .order_by_asc(meeting_request::Column::Id)
        .all(db)
        .await?;
    let people: HashSet<Uuid> = requests
        .iter()
        .flat_map(|r| [r.requester_id, r.recipient_id])
        .collect();
    let participations: HashMap<Uuid, participation::Model> = participation::Entity::find()
        .filter(participation::Column::EventId.eq(event_id))
        .filter(participation::Column::Id.is_in(people))
        .all(db)
        .await?
        .into_iter()
        .filter(crate::events::access::is_active)
        .filter(|p| matches!(p.role, Role::Buyer | Role::Supplier))
        .map(|p| (p.id, p))
        .collect();

    // The requests the solver can take, and the others with why.
    let mut taken = Vec::new();
    let mut left_out = Vec::new();
    for r in &requests {
        let reason = match (
            participations.get(&r.requester_id),
            participations.get(&r.recipient_id),
        ) {
            (Some(a), Some(b)) if a.role != b.role => None,
            (Some(_), Some(_)) => Some(LeftOutReason::SameRole),
            _ => Some(LeftOutReason::NotTakingPart),
        };
        match reason {
            None => taken.push(r),
            Some(reason) => left_out.push(LeftOut {
                request_id: r.id,
                requester_id: r.requester_id,
                recipient_id: r.recipient_id,
                reason,
            }),
        }
    }

    // Participants: buyers first, then suppliers, each in id order.
    let used: BTreeSet<(u8, Uuid)> = taken
        .iter()
        .flat_map(|r| [r.requester_id, r.recipient_id])
        .map(|id| {
            let side = u8::from(participations[&id].role == Role::Supplier);
            (side, id)
        })
        .collect();
    let mut names: HashMap<Uuid, String> = HashMap::new();
    let (mut buyers, mut suppliers) = (0, 0);
    let mut ids = IdMap {
        slots: slots.iter().map(|s| s.id).collect(),
        tables: tables.iter().map(|t| t.id).collect(),
        ..IdMap::default()
    };
    let mut unavailable: HashMap<Uuid, BTreeSet<i64>> = HashMap::new();
    for row in unavailable_slot::Entity::find()
        .filter(unavailable_slot::Column::EventId.eq(event_id))
        .all(db)
        .await?
    {
        if let Some(&t) = slot_index.get(&row.slot_id) {
            unavailable
                .entry(row.participation_id)
                .or_default()
                .insert(t as i64);
        }
    }
    let blocked = crate::programme::service::blocked_slots_of_event(db, event_id).await?;
    let by_person: HashMap<Uuid, Uuid> = participations
        .values()
        .map(|p| (p.person_id, p.id))
        .collect();
    for (person, slots_blocked) in blocked {
        let Some(&participation) = by_person.get(&person) else {
            continue;
        };
        for b in slots_blocked {
            if let Some(&t) = slot_index.get(&b.slot_id) {
                unavailable
                    .entry(participation)
                    .or_default()
                    .insert(t as i64);
            }
        }
    }
    let mut participants = Vec::with_capacity(used.len());
    for (side, id) in used {
        let role = participations[&id].role;
        let name = if side == 0 {
            buyers += 1;
            format!("b{buyers}")
        } else {
            suppliers += 1;
            format!("s{suppliers}")
        };
        names.insert(id, name.clone());
        ids.participants.push(id);
        participants.push(ParticipantSpec {
            id: name,
            side: if side == 0 {
                Side::Buyer
            } else {
                Side::Supplier
            },
            unavailable: unavailable
                .get(&id)
                .map(|s| s.iter().copied().collect())
                .unwrap_or_default(),
            max_meetings: crate::meetings::rules::meeting_limit(&rules, role).map(i64::from),
            // Without meeting tables suppliers meet at their own stand (as placing by hand
            // does); with tables every meeting takes one.
            booth: side == 1 && tables.is_empty(),
        });
    }
    let mut request_names: HashMap<Uuid, String> = HashMap::new();
    let mut request_specs = Vec::with_capacity(taken.len());
    for (i, r) in taken.iter().enumerate() {
        let name = format!("r{}", i + 1);
        let requester_is_buyer = participations[&r.requester_id].role == Role::Buyer;
        let (buyer, supplier) = if requester_is_buyer {
            (r.requester_id, r.recipient_id)
        } else {
            (r.recipient_id, r.requester_id)
        };
        let (w, class) = weight(r.priority, r.answer_priority);
        request_names.insert(r.id, name.clone());
        ids.requests.push(r.id);
        ids.request_people.push((r.requester_id, r.recipient_id));
        ids.classes.push(class);
        request_specs.push(RequestSpec {
            id: name,
            buyer: names[&buyer].clone(),
            supplier: names[&supplier].clone(),
            weight: w,
            initiator: Some(
                if requester_is_buyer {
                    "buyer"
                } else {
                    "supplier"
                }
                .into(),
            ),
        });
    }

    // The published meetings: fixed (pinned, or everything when only adding), or where
    // they are now (previous), so only worthwhile changes happen.
    let mut pinned = Vec::new();
    let mut previous = Vec::new();
    for m in meeting::Entity::find()
        .filter(meeting::Column::EventId.eq(event_id))
        .filter(meeting::Column::Status.eq(MeetingStatus::Scheduled))
        .order_by_asc(meeting::Column::RequestId)
        .all(db)
        .await?
    {
        let (Some(name), Some(&t)) = (request_names.get(&m.request_id), slot_index.get(&m.slot_id))
        else {
            continue;
        };
        let placement = SolverPlacement {
            request: name.clone(),
            slot: t as i64,
        };
        if m.pinned || mode == ScheduleMode::AddOnly {
            pinned.push(placement);
        } else {
            previous.push(placement);
        }
    }
    let instance = Instance {
        format: INSTANCE_FORMAT.into(),
        name: Some(event.name.clone()),
        slots: slots.len(),
        tables: vec![tables.len() as i64; slots.len()],
        first_meeting_bonus: FIRST_MEETING_BONUS,
        participants,
        requests: request_specs,
        pinned,
        previous,
    };
    Ok(Built {
        mode,
        instance,
        ids,
        left_out,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use MeetingPriority::{IfTime, Must, WouldLike};

    #[test]
    fn a_mutual_must_weighs_most_and_the_answer_falls_back_to_the_requester() {
        assert_eq!(weight(Must, Some(Must)), (8, WeightClass::MutualMust));
        assert_eq!(weight(Must, None), (8, WeightClass::MutualMust));
        assert_eq!(weight(Must, Some(WouldLike)), (5, WeightClass::Must));
        assert_eq!(weight(IfTime, Some(Must)), (4, WeightClass::Must));
        assert_eq!(weight(WouldLike, None), (4, WeightClass::WouldLike));
        assert_eq!(weight(WouldLike, Some(IfTime)), (3, WeightClass::WouldLike));
        assert_eq!(weight(IfTime, None), (2, WeightClass::IfTime));
        // Every mutual must outweighs anything else.
        for a in [Must, WouldLike, IfTime] {
            for b in [WouldLike, IfTime] {
                assert!(weight(a, Some(b)).0 < weight(Must, Some(Must)).0);
            }
        }
    }
}
