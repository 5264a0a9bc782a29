//! The demo event's meeting requests, made through the meetings service as people would:
//! popular suppliers asked by many buyers and niche ones by one or two, mutual interest
//! (accepted with the answer's own priority), declines with a reason, requests nobody has
//! answered yet, one withdrawn, suppliers asking buyers too; and gaps in people's
//! availability (arriving late, leaving early).
//!
//! The buyers with a needs profile ([`super::DEMO_NEEDS`]) each have a few **planted
//! matches** ([`PLANTED_MATCHES`]): suppliers whose factsheets clearly fit their needs. The
//! recommender never reads this list; `benches/recommendations.rs` measures how many of them
//! it ranks in each buyer's top ten. No request here puts a buyer in touch with one of their
//! planted matches, since a pair with a request is not recommended.

use std::collections::HashMap;

use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder};
use uuid::Uuid;

use crate::domain::{Lang, MeetingPriority, MeetingRequestStatus, SlotKind};
use crate::entities::{meeting_request, participation, person, slot};
use crate::meetings::availability::{self, AvailabilityInput};
use crate::meetings::requests::{self, AcceptInput, DeclineInput, RequestInput};
use crate::state::AppState;

/// Suppliers that clearly fit a demo buyer's needs profile.
pub struct PlantedMatch {
    /// The buyer: an index into the demo's buyers, who are made in order (the first ones
    /// have the needs profiles of [`super::DEMO_NEEDS`]; see [`super::buyer_email`]).
    pub buyer: usize,
    /// Supplier organisations whose published factsheets fit that buyer.
    pub suppliers: &'static [&'static str],
}

/// For each demo buyer with a needs profile, the suppliers that fit them: the same product
/// group, the ambition strategies and business models they ask for, and the words they use.
pub const PLANTED_MATCHES: &[PlantedMatch] = &[
    PlantedMatch {
        buyer: 0,
        suppliers: &[
            "ReMeubel",
            "Refurb Office Benelux",
            "Stoelenbank",
            "Circular Chairs Europe",
        ],
    },
    PlantedMatch {
        buyer: 1,
        suppliers: &["Lumen as a Service", "Licht & Lease"],
    },
    PlantedMatch {
        buyer: 2,
        suppliers: &["Second Screen IT", "DeviceCare", "Matrix Refurb"],
    },
    PlantedMatch {
        buyer: 3,
        suppliers: &[
            "Vezelwerk Textiel",
            "ReWear Workwear",
            "Textile Takeback Alliance",
        ],
    },
    PlantedMatch {
        buyer: 4,
        suppliers: &["Loop Packaging", "Circa Catering", "PaperLoop"],
    },
    PlantedMatch {
        buyer: 5,
        suppliers: &["ZorgRetour", "MedLoop Zorgmaterialen"],
    },
    PlantedMatch {
        buyer: 6,
        suppliers: &[
            "Urban Mining Labs",
            "Betonreus Hergebruik",
            "Houtkring",
            "Nordic Reuse Partners",
        ],
    },
    PlantedMatch {
        buyer: 7,
        suppliers: &["ToGather Sharing", "Stoelenbank", "Nordic Reuse Partners"],
    },
    PlantedMatch {
        buyer: 8,
        suppliers: &["Matrix Refurb", "Second Screen IT", "DeviceCare"],
    },
    PlantedMatch {
        buyer: 9,
        suppliers: &["Lumen as a Service", "Licht & Lease", "GreenGrid Lighting"],
    },
    PlantedMatch {
        buyer: 10,
        suppliers: &[
            "ReWear Workwear",
            "Textile Takeback Alliance",
            "Vezelwerk Textiel",
        ],
    },
    PlantedMatch {
        buyer: 11,
        suppliers: &["Circular Chairs Europe", "Stoelenbank", "ToGather Sharing"],
    },
];

/// How the one asked answers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Answer {
    Accept(Option<MeetingPriority>),
    Decline,
    /// Not yet.
    Pending,
}

/// Supplier organisations and how many buyers ask them for a meeting: the popular ones
/// first, then the niche ones. The askers are buyers without a needs profile, each asking
/// one or two.
const ASKED: &[(&str, usize)] = &[
    ("Kantoor in Abonnement", 14),
    ("Second Screen IT", 11),
    ("Lumen as a Service", 9),
    ("Circular Chairs Europe", 8),
    ("ReMeubel", 6),
    ("Loop Packaging", 4),
    ("Urban Mining Labs", 3),
    ("Houtkring", 2),
    ("Betonreus Hergebruik", 1),
    ("Groene Keuken Coöperatie", 1),
    ("Repair Café Pro", 1),
];

/// The buyers (by index) who ask the suppliers of [`ASKED`], in turn.
const ASKERS: std::ops::Range<usize> = 12..52;

/// Who asks whom, beside [`ASKED`]: (the supplier asks, buyer index, supplier
/// organisation, the answer). Buyers with a needs profile ask (or are asked by) suppliers
/// that are not their planted matches.
const PAIRS: &[(bool, usize, &str, Answer)] = &[
    (
        true,
        20,
        "Printless",
        Answer::Accept(Some(MeetingPriority::Must)),
    ),
    (true, 21, "Printless", Answer::Pending),
    (true, 6, "BioBord", Answer::Pending),
    (true, 1, "GreenGrid Lighting", Answer::Decline),
    (true, 3, "Tapijt Terug", Answer::Accept(None)),
    (
        true,
        25,
        "Modulo Bouw",
        Answer::Accept(Some(MeetingPriority::WouldLike)),
    ),
    (true, 0, "Kringloop Kantoor", Answer::Pending),
    (
        false,
        2,
        "Printless",
        Answer::Accept(Some(MeetingPriority::Must)),
    ),
    (false, 7, "Kantoor in Abonnement", Answer::Pending),
    (false, 9, "Second Screen IT", Answer::Decline),
    (false, 11, "Bureau Tweede Leven", Answer::Pending),
];

/// The answer to the `j`-th request a supplier receives: popular suppliers accept some
/// (with their own priority: mutual interest), decline some and leave many unanswered;
/// niche ones accept every other one.
fn answer(j: usize, popular: bool) -> Answer {
    match (popular, j % 5) {
        (true, 0) => Answer::Accept(Some(MeetingPriority::Must)),
        (true, 2) => Answer::Decline,
        (true, 3) => Answer::Accept(None),
        (true, _) => Answer::Pending,
        (false, _) if j.is_multiple_of(2) => Answer::Accept(Some(MeetingPriority::WouldLike)),
        (false, _) => Answer::Pending,
    }
}

const PRIORITIES: [MeetingPriority; 3] = [
    MeetingPriority::Must,
    MeetingPriority::WouldLike,
    MeetingPriority::IfTime,
];

fn message(lang: Lang, j: usize) -> Option<String> {
    j.is_multiple_of(3).then(|| {
        match lang {
            Lang::Nl => "Graag leggen we u ons aankoopproject voor; tien minuten volstaan.",
            Lang::En => "We would like to show you our purchasing project; ten minutes will do.",
        }
        .to_string()
    })
}

fn decline_reason(lang: Lang) -> Option<String> {
    Some(
        match lang {
            Lang::Nl => "Onze agenda voor die namiddag zit vol; we sturen u graag onze brochure.",
            Lang::En => "Our afternoon is fully booked; we are happy to send you our brochure.",
        }
        .to_string(),
    )
}

/// One request made and answered through the service.
async fn ask(
    state: &AppState,
    event_id: Uuid,
    from: &person::Model,
    to: (&person::Model, Uuid),
    priority: MeetingPriority,
    message: Option<String>,
    answer: Answer,
) -> anyhow::Result<Uuid> {
    let made = requests::create(
        state,
        from,
        event_id,
        RequestInput {
            participant_id: to.1,
            priority,
            message,
        },
    )
    .await?;
    match answer {
        Answer::Accept(priority) => {
            requests::accept(state, to.0, event_id, made.id, AcceptInput { priority }).await?;
        }
        Answer::Decline => {
            let reason = decline_reason(to.0.language);
            requests::decline(state, to.0, event_id, made.id, DeclineInput { reason }).await?;
        }
        Answer::Pending => {}
    }
    Ok(made.id)
}

/// Makes the demo's meeting requests and availability gaps, once: nothing when the event
/// has meeting requests already. Returns a line for the report.
pub(super) async fn fill(
    state: &AppState,
    event_id: Uuid,
    suppliers: &[(String, person::Model)],
    buyers: &[person::Model],
) -> anyhow::Result<Option<String>> {
    let existing = meeting_request::Entity::find()
        .filter(meeting_request::Column::EventId.eq(event_id))
        .count(&state.db)
        .await?;
    if existing > 0 {
        return Ok(None);
    }
    let participations: HashMap<Uuid, Uuid> = participation::Entity::find()
        .filter(participation::Column::EventId.eq(event_id))
        .all(&state.db)
        .await?
        .into_iter()
        .map(|p| (p.person_id, p.id))
        .collect();
    let pid = |p: &person::Model| {
        participations
            .get(&p.id)
            .copied()
            .ok_or_else(|| anyhow::anyhow!("{} does not take part in the demo", p.email))
    };
    let mut people_of: HashMap<&str, Vec<&person::Model>> = HashMap::new();
    for (organisation, person) in suppliers {
        people_of.entry(organisation).or_default().push(person);
    }
    let of = |organisation: &str| {
        people_of
            .get(organisation)
            .filter(|people| !people.is_empty())
            .ok_or_else(|| anyhow::anyhow!("no demo supplier of {organisation}"))
    };
    let buyer = |i: usize| {
        buyers
            .get(i)
            .ok_or_else(|| anyhow::anyhow!("the demo has no buyer {i}"))
    };

    let mut made = 0;
    let mut pending = Vec::new();
    let mut askers = ASKERS.cycle();
    for (organisation, count) in ASKED {
        let popular = *count >= 5;
        let people = of(organisation)?;
        for j in 0..*count {
            let b = askers.next().unwrap_or(ASKERS.start);
            let from = buyer(b)?;
            // Popular suppliers send several people: the requests spread over them.
            let to = people[j % people.len()];
            let answer = answer(j, popular);
            let id = ask(
                state,
                event_id,
                from,
                (to, pid(to)?),
                PRIORITIES[(b + j) % PRIORITIES.len()],
                message(from.language, b + j),
                answer,
            )
            .await?;
            made += 1;
            if answer == Answer::Pending {
                pending.push((from, id));
            }
        }
    }
    for (supplier_asks, b, organisation, answer) in PAIRS {
        let (the_buyer, supplier) = (buyer(*b)?, of(organisation)?[0]);
        let (from, to) = if *supplier_asks {
            (supplier, the_buyer)
        } else {
            (the_buyer, supplier)
        };
        ask(
            state,
            event_id,
            from,
            (to, pid(to)?),
            PRIORITIES[b % PRIORITIES.len()],
            message(from.language, *b),
            *answer,
        )
        .await?;
        made += 1;
    }
    // One buyer thinks better of a request nobody answered yet.
    if let Some((from, id)) = pending.first() {
        requests::withdraw(state, from, event_id, *id).await?;
    }

    // Availability: some buyers arrive late (the first slot) or leave early (the last two),
    // a few suppliers too.
    let slots: Vec<Uuid> = slot::Entity::find()
        .filter(slot::Column::EventId.eq(event_id))
        .filter(slot::Column::Kind.eq(SlotKind::Meeting))
        .order_by_asc(slot::Column::StartsAt)
        .all(&state.db)
        .await?
        .into_iter()
        .map(|s| s.id)
        .collect();
    let (Some(first), Some(last_two)) = (slots.first(), slots.get(slots.len().saturating_sub(2)..))
    else {
        anyhow::bail!("the demo event has no meeting slots");
    };
    let mut gaps = 0;
    let supplier_people = suppliers.iter().map(|(_, p)| p);
    let everyone = buyers.iter().enumerate().chain(supplier_people.enumerate());
    for (i, person) in everyone {
        let slot_ids = match (i % 11, i % 13) {
            (0, _) => vec![*first],
            (_, 5) => last_two.to_vec(),
            _ => continue,
        };
        availability::set(state, person, event_id, AvailabilityInput { slot_ids }).await?;
        gaps += 1;
    }
    gaps += scarce_time(state, event_id, &slots, suppliers, buyers, &participations).await?;
    Ok(Some(format!(
        "Added {made} meeting requests (accepted, declined, unanswered, one withdrawn) and {gaps} people's availability gaps."
    )))
}

/// Scarce time, so that scheduling the demo leaves accepted requests out and says why: the
/// supplier with the most accepted requests can meet in two slots only (some of their
/// requests are outweighed by the others), and one accepted pair has no slot in common (the
/// buyer leaves halfway, the supplier arrives then). How many people's availability it set.
async fn scarce_time(
    state: &AppState,
    event_id: Uuid,
    slots: &[Uuid],
    suppliers: &[(String, person::Model)],
    buyers: &[person::Model],
    participations: &HashMap<Uuid, Uuid>,
) -> anyhow::Result<usize> {
    let people: HashMap<Uuid, &person::Model> = suppliers
        .iter()
        .map(|(_, p)| p)
        .chain(buyers)
        .filter_map(|p| Some((*participations.get(&p.id)?, p)))
        .collect();
    let supplier_ids: Vec<Uuid> = suppliers
        .iter()
        .filter_map(|(_, p)| participations.get(&p.id).copied())
        .collect();
    let accepted: Vec<(Uuid, Uuid)> = meeting_request::Entity::find()
        .filter(meeting_request::Column::EventId.eq(event_id))
        .filter(meeting_request::Column::Status.eq(MeetingRequestStatus::Accepted))
        .order_by_asc(meeting_request::Column::Id)
        .all(&state.db)
        .await?
        .into_iter()
        .map(|r| (r.requester_id, r.recipient_id))
        .collect();
    let mut count: HashMap<Uuid, usize> = HashMap::new();
    for (a, b) in &accepted {
        for id in [a, b] {
            if supplier_ids.contains(id) {
                *count.entry(*id).or_default() += 1;
            }
        }
    }
    // The busiest (the first of them in the suppliers' order, for the same demo every time).
    let most = count.values().copied().max().unwrap_or(0);
    let busiest = supplier_ids
        .iter()
        .copied()
        .find(|id| most >= 3 && count.get(id) == Some(&most));
    let half = slots.len() / 2;
    let mut set = 0;
    if let Some(busy) = busiest.and_then(|id| people.get(&id))
        && slots.len() > 2
    {
        let slot_ids = slots[2..].to_vec();
        availability::set(state, busy, event_id, AvailabilityInput { slot_ids }).await?;
        set += 1;
    }
    // One accepted pair apart from the busiest, each side with no other accepted request.
    let alone = |id: &Uuid| accepted.iter().filter(|(a, b)| a == id || b == id).count() == 1;
    let pair = accepted
        .iter()
        .find(|(a, b)| Some(*a) != busiest && Some(*b) != busiest && alone(a) && alone(b));
    if let Some((a, b)) = pair
        && half > 0
    {
        let (buyer, supplier) = if supplier_ids.contains(a) {
            (b, a)
        } else {
            (a, b)
        };
        for (who, slot_ids) in [
            (buyer, slots[half..].to_vec()),
            (supplier, slots[..half].to_vec()),
        ] {
            if let Some(person) = people.get(who) {
                availability::set(state, person, event_id, AvailabilityInput { slot_ids }).await?;
                set += 1;
            }
        }
    }
    Ok(set)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_request_puts_a_buyer_in_touch_with_their_planted_matches() {
        for planted in PLANTED_MATCHES {
            assert!(planted.buyer < super::super::DEMO_NEEDS.len());
            assert!(!ASKERS.contains(&planted.buyer));
            for (_, b, organisation, _) in PAIRS {
                assert!(
                    *b != planted.buyer || !planted.suppliers.contains(organisation),
                    "buyer {b} and {organisation}"
                );
            }
            for supplier in planted.suppliers {
                assert!(super::super::SUPPLIER_ORGS.contains(supplier), "{supplier}");
            }
        }
        for (organisation, _) in ASKED {
            assert!(super::super::SUPPLIER_ORGS.contains(organisation));
        }
    }
}
