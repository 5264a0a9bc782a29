//! Synthetic instances shaped like a real afternoon (the same shape as the benchmark kit's
//! generator): popular suppliers get most requests, some suppliers meet at their booth,
//! some people arrive late, leave early or sit in a session for a few slots. Used by the
//! bench and the tests.

use super::model::{INSTANCE_FORMAT, Instance, ParticipantSpec, RequestSpec, Side};
use super::rng::Rng;

#[derive(Debug, Clone)]
pub struct Shape {
    pub buyers: usize,
    pub suppliers: usize,
    pub slots: usize,
    /// Shared tables per slot; None: 60 % of the suppliers without a booth.
    pub tables: Option<usize>,
    pub booth_share: f64,
    pub requests_per_buyer: f64,
    /// Zipf exponent of supplier popularity.
    pub skew: f64,
    pub unavailable: f64,
    pub max_meetings: Option<usize>,
    pub bonus: i64,
}

impl Default for Shape {
    fn default() -> Self {
        Shape {
            buyers: 160,
            suppliers: 40,
            slots: 12,
            tables: None,
            booth_share: 0.3,
            requests_per_buyer: 6.0,
            skew: 1.0,
            unavailable: 0.25,
            max_meetings: None,
            bonus: 5,
        }
    }
}

fn blocked(rng: &mut Rng, share: f64, slots: usize) -> Vec<i64> {
    if !rng.chance(share) {
        return Vec::new();
    }
    let third = (slots / 3).max(1);
    let kind = rng.unit();
    let range = if kind < 0.35 {
        0..1 + rng.below(third)
    } else if kind < 0.6 {
        slots - 1 - rng.below(third)..slots
    } else {
        let start = rng.below(slots.saturating_sub(2).max(1));
        start..(start + 2 + rng.below(2)).min(slots)
    };
    range.map(|t| t as i64).collect()
}

pub fn instance(shape: &Shape, seed: u64) -> Instance {
    let mut rng = Rng::new(seed);
    let slots = shape.slots;
    let booths = (shape.booth_share * shape.suppliers as f64).round() as usize;
    let mut participants = Vec::new();
    let sides = [
        (Side::Buyer, "b", shape.buyers),
        (Side::Supplier, "s", shape.suppliers),
    ];
    for (side, prefix, count) in sides {
        for i in 0..count {
            participants.push(ParticipantSpec {
                id: format!("{prefix}{i}"),
                side,
                unavailable: blocked(&mut rng, shape.unavailable, slots),
                max_meetings: shape.max_meetings.map(|m| m as i64),
                booth: side == Side::Supplier && i < booths,
            });
        }
    }
    // Popularity by rank, in a shuffled order of suppliers.
    let mut order: Vec<usize> = (0..shape.suppliers).collect();
    for i in (1..order.len()).rev() {
        order.swap(i, rng.below(i + 1));
    }
    let weights: Vec<f64> = (0..shape.suppliers)
        .map(|k| 1.0 / ((k + 1) as f64).powf(shape.skew))
        .collect();
    let total: f64 = weights.iter().sum();
    let mut requests = Vec::new();
    for b in 0..shape.buyers {
        let wanted = ((-(1.0 - rng.unit()).ln() * shape.requests_per_buyer) as usize + 1)
            .min(shape.suppliers);
        let mut chosen: Vec<usize> = Vec::new();
        while chosen.len() < wanted {
            let mut x = rng.unit() * total;
            let mut k = 0;
            while k + 1 < weights.len() && x >= weights[k] {
                x -= weights[k];
                k += 1;
            }
            let s = order[k];
            if !chosen.contains(&s) {
                chosen.push(s);
            }
        }
        chosen.sort_unstable();
        for s in chosen {
            let mut weight = [1, 1, 2, 2, 3][rng.below(5)];
            if rng.chance(0.25) {
                weight += 2;
            }
            requests.push(RequestSpec {
                id: format!("r{}", requests.len()),
                buyer: format!("b{b}"),
                supplier: format!("s{s}"),
                weight,
                initiator: Some(
                    if rng.chance(0.15) {
                        "supplier"
                    } else {
                        "buyer"
                    }
                    .into(),
                ),
            });
        }
    }
    let tables = shape
        .tables
        .unwrap_or(((shape.suppliers - booths) as f64 * 0.6) as usize)
        .max(1);
    Instance {
        format: INSTANCE_FORMAT.into(),
        name: Some(format!(
            "generated-b{}-s{}-t{}-seed{seed}",
            shape.buyers, shape.suppliers, slots
        )),
        slots,
        tables: vec![tables as i64; slots],
        first_meeting_bonus: shape.bonus,
        participants,
        requests,
        pinned: Vec::new(),
        previous: Vec::new(),
    }
}
