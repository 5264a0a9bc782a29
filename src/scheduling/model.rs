//! The file formats (`matchfloor-instance/1`, `matchfloor-schedule/1`) and the checked,
//! index-based problem the solver works on.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

pub const INSTANCE_FORMAT: &str = "matchfloor-instance/1";
pub const SCHEDULE_FORMAT: &str = "matchfloor-schedule/1";

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Instance {
    pub format: String,
    #[serde(default)]
    pub name: Option<String>,
    pub slots: usize,
    pub tables: Vec<i64>,
    #[serde(default)]
    pub first_meeting_bonus: i64,
    pub participants: Vec<ParticipantSpec>,
    pub requests: Vec<RequestSpec>,
    #[serde(default)]
    pub pinned: Vec<Placement>,
    #[serde(default)]
    pub previous: Vec<Placement>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Side {
    Buyer,
    Supplier,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ParticipantSpec {
    pub id: String,
    pub side: Side,
    #[serde(default)]
    pub unavailable: Vec<i64>,
    #[serde(default)]
    pub max_meetings: Option<i64>,
    #[serde(default)]
    pub booth: bool,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RequestSpec {
    pub id: String,
    pub buyer: String,
    pub supplier: String,
    pub weight: i64,
    #[serde(default)]
    pub initiator: Option<String>,
}

#[derive(Debug, Clone, Deserialize, Serialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct Placement {
    pub request: String,
    pub slot: i64,
}

/// A participant, by index. Buyers and suppliers share one index space.
#[derive(Debug, Clone)]
pub struct Person {
    pub id: String,
    pub is_supplier: bool,
    /// Meets at an own booth and uses no shared table.
    pub booth: bool,
    /// Most meetings this person may have (their cap, or the slot count).
    pub cap: usize,
    /// Their cap as the instance gives it (None: no cap but the slot count), kept so that
    /// a problem with more slots (`whatif`) knows who may use them.
    pub max_meetings: Option<usize>,
    pub available: Vec<bool>,
}

#[derive(Debug, Clone)]
pub struct Request {
    pub id: String,
    pub buyer: usize,
    pub supplier: usize,
    pub weight: i64,
    /// The meeting takes a shared table (its supplier has no booth).
    pub needs_table: bool,
    /// Slots in which both sides are available.
    pub slots: Vec<usize>,
}

/// The checked problem: every id resolved to an index, every rule satisfiable by the pins.
#[derive(Debug, Clone)]
pub struct Problem {
    pub name: String,
    pub slots: usize,
    pub tables: Vec<usize>,
    pub bonus: i64,
    pub people: Vec<Person>,
    pub requests: Vec<Request>,
    /// Per request: the slot it is pinned to.
    pub pinned: Vec<Option<usize>>,
    /// Per request: its slot in the published schedule.
    pub previous: Vec<Option<usize>>,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid instance: {0}")]
pub struct InstanceError(pub String);

fn bad(message: impl Into<String>) -> InstanceError {
    InstanceError(message.into())
}

/// Reads an instance from JSON text, naming the problem when it is not valid.
pub fn parse_instance(text: &str) -> Result<Problem, InstanceError> {
    let instance: Instance = serde_json::from_str(text)
        .map_err(|e| bad(format!("not a valid instance document: {e}")))?;
    Problem::from_instance(&instance)
}

impl Problem {
    pub fn from_instance(inst: &Instance) -> Result<Self, InstanceError> {
        if inst.format != INSTANCE_FORMAT {
            return Err(bad(format!(
                "format is {:?}, expected {INSTANCE_FORMAT:?}",
                inst.format
            )));
        }
        let slots = inst.slots;
        if slots == 0 || slots > 1000 {
            return Err(bad(format!("slots is {slots}; expected 1 to 1000")));
        }
        if inst.tables.len() != slots {
            return Err(bad(format!(
                "tables has {} entries; expected one per slot ({slots})",
                inst.tables.len()
            )));
        }
        if let Some((t, n)) = inst.tables.iter().enumerate().find(|(_, n)| **n < 0) {
            return Err(bad(format!(
                "tables[{t}] is {n}; a table count cannot be negative"
            )));
        }
        if inst.first_meeting_bonus < 0 {
            return Err(bad("first_meeting_bonus cannot be negative"));
        }
        let mut index = HashMap::new();
        let mut people = Vec::with_capacity(inst.participants.len());
        for p in &inst.participants {
            if index.insert(p.id.clone(), people.len()).is_some() {
                return Err(bad(format!("participant id {:?} appears twice", p.id)));
            }
            let mut available = vec![true; slots];
            for &t in &p.unavailable {
                let t = slot_index(t, slots).ok_or_else(|| {
                    bad(format!(
                        "participant {:?}: unavailable slot {t} is out of range 0..{}",
                        p.id,
                        slots - 1
                    ))
                })?;
                available[t] = false;
            }
            let max_meetings = match p.max_meetings {
                Some(m) if m < 0 => {
                    return Err(bad(format!(
                        "participant {:?}: max_meetings cannot be negative",
                        p.id
                    )));
                }
                Some(m) => Some(m as usize),
                None => None,
            };
            if p.booth && p.side == Side::Buyer {
                return Err(bad(format!(
                    "participant {:?}: only suppliers have a booth",
                    p.id
                )));
            }
            people.push(Person {
                id: p.id.clone(),
                is_supplier: p.side == Side::Supplier,
                booth: p.booth,
                cap: cap_for(max_meetings, slots),
                max_meetings,
                available,
            });
        }
        let mut request_index = HashMap::new();
        let mut requests = Vec::with_capacity(inst.requests.len());
        for r in &inst.requests {
            if request_index.insert(r.id.clone(), requests.len()).is_some() {
                return Err(bad(format!("request id {:?} appears twice", r.id)));
            }
            let who = |id: &str, side: Side| -> Result<usize, InstanceError> {
                let i = *index.get(id).ok_or_else(|| {
                    bad(format!("request {:?}: unknown participant {id:?}", r.id))
                })?;
                if (side == Side::Supplier) != people[i].is_supplier {
                    return Err(bad(format!(
                        "request {:?}: {id:?} is not a {}",
                        r.id,
                        if side == Side::Supplier {
                            "supplier"
                        } else {
                            "buyer"
                        }
                    )));
                }
                Ok(i)
            };
            let buyer = who(&r.buyer, Side::Buyer)?;
            let supplier = who(&r.supplier, Side::Supplier)?;
            if r.weight < 0 {
                return Err(bad(format!(
                    "request {:?}: weight {} cannot be negative",
                    r.id, r.weight
                )));
            }
            let common = (0..slots)
                .filter(|&t| people[buyer].available[t] && people[supplier].available[t])
                .collect();
            requests.push(Request {
                id: r.id.clone(),
                buyer,
                supplier,
                weight: r.weight,
                needs_table: !people[supplier].booth,
                slots: common,
            });
        }
        let placements =
            |list: &[Placement], what: &str| -> Result<Vec<Option<usize>>, InstanceError> {
                let mut out = vec![None; requests.len()];
                for p in list {
                    let r = *request_index
                        .get(&p.request)
                        .ok_or_else(|| bad(format!("{what}: unknown request {:?}", p.request)))?;
                    let t = slot_index(p.slot, slots).ok_or_else(|| {
                        bad(format!(
                            "{what} {:?}: slot {} is out of range 0..{}",
                            p.request,
                            p.slot,
                            slots - 1
                        ))
                    })?;
                    if out[r].replace(t).is_some() {
                        return Err(bad(format!(
                            "{what}: request {:?} is listed twice",
                            p.request
                        )));
                    }
                }
                Ok(out)
            };
        let pinned = placements(&inst.pinned, "pinned")?;
        let previous = placements(&inst.previous, "previous")?;
        let problem = Problem {
            name: inst.name.clone().unwrap_or_default(),
            slots,
            tables: inst.tables.iter().map(|&n| n as usize).collect(),
            bonus: inst.first_meeting_bonus,
            people,
            requests,
            pinned,
            previous,
        };
        problem.check_pins()?;
        Ok(problem)
    }

    /// The pinned meetings must form a valid partial schedule on their own.
    fn check_pins(&self) -> Result<(), InstanceError> {
        let mut busy = vec![None::<usize>; self.people.len() * self.slots];
        let mut count = vec![0usize; self.people.len()];
        let mut tables = vec![0usize; self.slots];
        for (r, slot) in self.pinned.iter().enumerate() {
            let Some(t) = *slot else { continue };
            let req = &self.requests[r];
            for who in [req.buyer, req.supplier] {
                let person = &self.people[who];
                if !person.available[t] {
                    return Err(bad(format!(
                        "pinned {:?}: {:?} is unavailable in slot {t}",
                        req.id, person.id
                    )));
                }
                if let Some(other) = busy[who * self.slots + t].replace(r) {
                    return Err(bad(format!(
                        "pinned {:?} and {:?} both put {:?} in slot {t}",
                        self.requests[other].id, req.id, person.id
                    )));
                }
                count[who] += 1;
                if count[who] > person.cap {
                    return Err(bad(format!(
                        "pinned meetings give {:?} more than its {} meetings",
                        person.id, person.cap
                    )));
                }
            }
            if req.needs_table {
                tables[t] += 1;
                if tables[t] > self.tables[t] {
                    return Err(bad(format!(
                        "pinned meetings need more than the {} tables of slot {t}",
                        self.tables[t]
                    )));
                }
            }
        }
        Ok(())
    }

    /// The objective of a set of placements: weights plus the bonus per person met.
    pub fn objective(&self, slot_of: &[Option<usize>]) -> i64 {
        let mut met = vec![false; self.people.len()];
        let mut total = 0;
        for (r, s) in slot_of.iter().enumerate() {
            if s.is_some() {
                let req = &self.requests[r];
                total += req.weight;
                met[req.buyer] = true;
                met[req.supplier] = true;
            }
        }
        total + self.bonus * met.iter().filter(|m| **m).count() as i64
    }
}

/// A person's cap in a grid of `slots` slots: their `max_meetings`, at most one per slot.
pub fn cap_for(max_meetings: Option<usize>, slots: usize) -> usize {
    max_meetings.map_or(slots, |m| m.min(slots))
}

fn slot_index(t: i64, slots: usize) -> Option<usize> {
    (t >= 0 && (t as usize) < slots).then_some(t as usize)
}

/// One scheduled meeting in the output.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct MeetingOut {
    pub request: String,
    pub slot: usize,
    /// Shared table number (1-based); absent for a supplier who meets at their booth.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub table: Option<usize>,
    /// The meeting is at the supplier's own booth.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub at_booth: bool,
}

/// How a meeting of the previous schedule changed.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct Change {
    pub request: String,
    /// `moved`, `dropped` or `added`.
    pub kind: String,
    pub from: Option<usize>,
    pub to: Option<usize>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Statistics {
    pub solver: String,
    pub seed: u64,
    pub seconds: f64,
    pub iterations: u64,
    pub weight: i64,
    pub participants_met: usize,
    pub meetings: usize,
    pub requests: usize,
    /// 1 - objective / bound: how far from optimal the schedule can be at most.
    pub gap: f64,
    pub buyers_with_requests_but_no_meeting: usize,
    pub idle_gaps: usize,
    pub suppliers_changing_table: usize,
    pub changes_from_previous: usize,
    pub stopped_by_time_limit: bool,
    /// Why the search stopped.
    pub stopped: Stopped,
}

/// Why the search stopped.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Stopped {
    /// The schedule reached the proven bound: it is optimal.
    Bound,
    /// The iteration budget was spent.
    Budget,
    /// The time limit cut the search short.
    Time,
    /// The caller cancelled the search (`Control::cancel`).
    Cancelled,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Schedule {
    pub format: String,
    pub name: String,
    pub objective: i64,
    pub bound: i64,
    pub meetings: Vec<MeetingOut>,
    pub changes: Vec<Change>,
    pub statistics: Statistics,
}
