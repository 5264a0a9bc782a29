//! The organisers' overview of an event's meeting requests: requests per person, the
//! unanswered ones by age, who has neither sent nor received one (to nudge them), the most
//! requested suppliers, and the acceptance rate; the per-person table also as CSV.
//!
//! Withdrawn requests count nowhere: the requester took them back (or left the event).

use std::collections::HashMap;

use chrono::{DateTime, Duration, Utc};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

use super::requests::{OtherSide, other_sides};
use super::{MeetingRequestStatus, MeetingsError, MeetingsResult};
use crate::domain::{Lang, Role};
use crate::entities::{meeting_request, participation, person};
use crate::events::access;
use crate::mail::templates::role_name;
use crate::state::AppState;

/// How many suppliers the overview names as the most requested.
pub const MOST_REQUESTED: usize = 10;

/// One buyer's or supplier's requests.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PersonRequests {
    pub person: OtherSide,
    /// Requests they sent (any state but withdrawn).
    pub sent: u32,
    /// Requests they received (any state but withdrawn).
    pub received: u32,
    /// Meetings: accepted or scheduled, either way.
    pub accepted: u32,
    /// Declined, either way.
    pub declined: u32,
    /// Waiting for an answer, either way.
    pub pending: u32,
    /// Waiting for their own answer (received and pending).
    pub awaiting_answer: u32,
}

/// The request that has waited longest for an answer.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct OldestRequest {
    pub request_id: Uuid,
    pub requester: OtherSide,
    pub recipient: OtherSide,
    pub created_at: DateTime<Utc>,
    /// Whole hours it has waited.
    pub waiting_hours: i64,
    pub reminded_at: Option<DateTime<Utc>>,
}

/// Pending requests by how long they have waited.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Unanswered {
    pub total: u32,
    /// Less than 24 hours.
    pub under_24h: u32,
    /// 24 hours up to 3 days.
    pub from_1_to_3_days: u32,
    /// 3 days or more.
    pub over_3_days: u32,
    pub oldest: Option<OldestRequest>,
}

/// A supplier and how often they were asked.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct RequestedSupplier {
    pub person: OtherSide,
    /// Requests received (any state but withdrawn).
    pub requests: u32,
    /// Of which meetings (accepted or scheduled).
    pub accepted: u32,
}

/// How requests were answered.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Acceptance {
    /// All requests but withdrawn ones.
    pub requests: u32,
    /// Accepted or declined.
    pub answered: u32,
    /// Accepted or scheduled: by an answer, at once (no acceptance needed) or by the rule
    /// for unanswered requests.
    pub accepted: u32,
    /// Of `accepted`, those that count as accepted because nobody answered.
    pub accepted_unanswered: u32,
    pub declined: u32,
    pub expired: u32,
    pub pending: u32,
    /// `accepted / answered`; `null` when nothing was answered.
    pub rate_of_answered: Option<f64>,
    /// `accepted / requests`; `null` when there are no requests.
    pub rate_of_all: Option<f64>,
}

/// The organisers' overview of an event's meeting requests.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct RequestOverview {
    pub event_id: Uuid,
    pub generated_at: DateTime<Utc>,
    /// Every buyer and supplier taking part, by name.
    pub people: Vec<PersonRequests>,
    pub unanswered: Unanswered,
    /// Buyers and suppliers with no request sent or received, by name.
    pub without_requests: Vec<OtherSide>,
    /// The suppliers asked most (at most 10), most asked first.
    pub most_requested: Vec<RequestedSupplier>,
    pub acceptance: Acceptance,
}

/// The overview of the event's requests (organisers).
pub async fn overview(
    state: &AppState,
    by: &person::Model,
    event_id: Uuid,
) -> MeetingsResult<RequestOverview> {
    let db = &state.db;
    access::organiser(db, by, event_id).await?;
    let people: Vec<Uuid> = participation::Entity::find()
        .filter(participation::Column::EventId.eq(event_id))
        .filter(participation::Column::Role.is_in([Role::Buyer, Role::Supplier]))
        .all(db)
        .await?
        .into_iter()
        .filter(access::is_active)
        .map(|p| p.id)
        .collect();
    let people = other_sides(db, people).await?;
    let requests = meeting_request::Entity::find()
        .filter(meeting_request::Column::EventId.eq(event_id))
        .filter(meeting_request::Column::Status.ne(MeetingRequestStatus::Withdrawn))
        .all(db)
        .await?;
    // The people of the oldest pending request may have left meanwhile: name them too.
    let oldest = requests
        .iter()
        .filter(|r| r.status == MeetingRequestStatus::Pending)
        .min_by_key(|r| (r.created_at, r.id));
    let oldest_people = match oldest {
        Some(r) => other_sides(db, vec![r.requester_id, r.recipient_id]).await?,
        None => HashMap::new(),
    };
    Ok(build(
        event_id,
        people,
        &requests,
        &oldest_people,
        Utc::now(),
    ))
}

fn rate(part: u32, whole: u32) -> Option<f64> {
    (whole > 0).then(|| (f64::from(part) / f64::from(whole) * 10_000.0).round() / 10_000.0)
}

/// The overview from the event's buyers and suppliers, its requests (withdrawn ones left
/// out) and the people of the oldest pending one, at `now`.
fn build(
    event_id: Uuid,
    people: HashMap<Uuid, OtherSide>,
    requests: &[meeting_request::Model],
    oldest_people: &HashMap<Uuid, OtherSide>,
    now: DateTime<Utc>,
) -> RequestOverview {
    use MeetingRequestStatus as S;
    let mut tally: HashMap<Uuid, PersonRequests> = people
        .into_values()
        .map(|person| {
            (
                person.participant_id,
                PersonRequests {
                    person,
                    sent: 0,
                    received: 0,
                    accepted: 0,
                    declined: 0,
                    pending: 0,
                    awaiting_answer: 0,
                },
            )
        })
        .collect();
    let mut unanswered = Unanswered {
        total: 0,
        under_24h: 0,
        from_1_to_3_days: 0,
        over_3_days: 0,
        oldest: None,
    };
    let mut acceptance = Acceptance {
        requests: 0,
        answered: 0,
        accepted: 0,
        accepted_unanswered: 0,
        declined: 0,
        expired: 0,
        pending: 0,
        rate_of_answered: None,
        rate_of_all: None,
    };
    let mut oldest: Option<&meeting_request::Model> = None;
    for r in requests.iter().filter(|r| r.status != S::Withdrawn) {
        acceptance.requests += 1;
        match r.status {
            S::Accepted | S::Scheduled => {
                acceptance.accepted += 1;
                acceptance.accepted_unanswered += u32::from(r.lapsed_at.is_some());
            }
            S::Declined => acceptance.declined += 1,
            S::Expired => acceptance.expired += 1,
            S::Pending => {
                acceptance.pending += 1;
                unanswered.total += 1;
                let waited = now - r.created_at;
                if waited < Duration::hours(24) {
                    unanswered.under_24h += 1;
                } else if waited < Duration::days(3) {
                    unanswered.from_1_to_3_days += 1;
                } else {
                    unanswered.over_3_days += 1;
                }
                if oldest.is_none_or(|o| (r.created_at, r.id) < (o.created_at, o.id)) {
                    oldest = Some(r);
                }
            }
            S::Withdrawn => {}
        }
        for (who, sent) in [(r.requester_id, true), (r.recipient_id, false)] {
            let Some(t) = tally.get_mut(&who) else {
                continue;
            };
            if sent {
                t.sent += 1;
            } else {
                t.received += 1;
            }
            match r.status {
                S::Accepted | S::Scheduled => t.accepted += 1,
                S::Declined => t.declined += 1,
                S::Pending => {
                    t.pending += 1;
                    t.awaiting_answer += u32::from(!sent);
                }
                S::Expired | S::Withdrawn => {}
            }
        }
    }
    acceptance.answered = acceptance.accepted + acceptance.declined;
    acceptance.rate_of_answered = rate(acceptance.accepted, acceptance.answered);
    acceptance.rate_of_all = rate(acceptance.accepted, acceptance.requests);
    unanswered.oldest = oldest.and_then(|r| {
        Some(OldestRequest {
            request_id: r.id,
            requester: oldest_people.get(&r.requester_id)?.clone(),
            recipient: oldest_people.get(&r.recipient_id)?.clone(),
            created_at: r.created_at,
            waiting_hours: (now - r.created_at).num_hours(),
            reminded_at: r.reminded_at,
        })
    });

    let by_name = |a: &OtherSide, b: &OtherSide| {
        (a.name.to_lowercase(), a.participant_id).cmp(&(b.name.to_lowercase(), b.participant_id))
    };
    let mut people: Vec<PersonRequests> = tally.into_values().collect();
    people.sort_by(|a, b| by_name(&a.person, &b.person));
    let without_requests = people
        .iter()
        .filter(|p| p.sent == 0 && p.received == 0)
        .map(|p| p.person.clone())
        .collect();
    let mut most_requested: Vec<RequestedSupplier> = people
        .iter()
        .filter(|p| p.person.role == Role::Supplier && p.received > 0)
        .map(|p| RequestedSupplier {
            person: p.person.clone(),
            requests: p.received,
            accepted: requests
                .iter()
                .filter(|r| r.recipient_id == p.person.participant_id && r.status.is_meeting())
                .count() as u32,
        })
        .collect();
    most_requested.sort_by(|a, b| {
        b.requests
            .cmp(&a.requests)
            .then(b.accepted.cmp(&a.accepted))
            .then_with(|| by_name(&a.person, &b.person))
    });
    most_requested.truncate(MOST_REQUESTED);
    RequestOverview {
        event_id,
        generated_at: now,
        people,
        unanswered,
        without_requests,
        most_requested,
        acceptance,
    }
}

/// The per-person table as a CSV file with headers in `lang`; formulas guarded like every
/// export (`spreadsheet::csv_file`).
pub fn people_csv(overview: &RequestOverview, lang: Lang) -> MeetingsResult<Vec<u8>> {
    let header = match lang {
        Lang::Nl => [
            "Naam",
            "Organisatie",
            "Rol",
            "Verstuurd",
            "Ontvangen",
            "Aanvaard",
            "Geweigerd",
            "Openstaand",
            "Wacht op hun antwoord",
        ],
        Lang::En => [
            "Name",
            "Organisation",
            "Role",
            "Sent",
            "Received",
            "Accepted",
            "Declined",
            "Pending",
            "Awaiting their answer",
        ],
    };
    let rows = overview.people.iter().map(|p| {
        [
            p.person.name.clone(),
            p.person.organisation.clone().unwrap_or_default(),
            role_name(lang, p.person.role).to_string(),
            p.sent.to_string(),
            p.received.to_string(),
            p.accepted.to_string(),
            p.declined.to_string(),
            p.pending.to_string(),
            p.awaiting_answer.to_string(),
        ]
    });
    crate::spreadsheet::csv_file(&header, rows)
        .map_err(|e| MeetingsError::App(crate::error::AppError::Internal(e)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn side(name: &str, role: Role) -> OtherSide {
        OtherSide {
            participant_id: Uuid::now_v7(),
            name: name.into(),
            organisation: None,
            organisation_id: None,
            role,
        }
    }

    fn request(
        from: &OtherSide,
        to: &OtherSide,
        status: MeetingRequestStatus,
        created: DateTime<Utc>,
    ) -> meeting_request::Model {
        meeting_request::Model {
            id: Uuid::now_v7(),
            event_id: Uuid::nil(),
            requester_id: from.participant_id,
            recipient_id: to.participant_id,
            pair_low: from.participant_id.min(to.participant_id),
            pair_high: from.participant_id.max(to.participant_id),
            status,
            priority: crate::domain::MeetingPriority::Must,
            message: None,
            answer_priority: None,
            decline_reason: None,
            answered_at: None,
            reminded_at: None,
            lapsed_at: None,
            created_at: created,
            updated_at: created,
        }
    }

    #[test]
    fn counts_per_person_ages_and_rates() {
        use MeetingRequestStatus as S;
        let now = Utc::now();
        let (bea, bo) = (side("Bea", Role::Buyer), side("Bo", Role::Buyer));
        let (sara, tom, uma) = (
            side("Sara", Role::Supplier),
            side("Tom", Role::Supplier),
            side("Uma", Role::Supplier),
        );
        let rows = vec![
            request(&bea, &sara, S::Accepted, now - Duration::hours(100)),
            request(&bea, &tom, S::Declined, now - Duration::hours(90)),
            request(&bo, &sara, S::Pending, now - Duration::hours(80)),
            request(&tom, &bo, S::Pending, now - Duration::hours(30)),
            request(&bea, &uma, S::Pending, now - Duration::hours(2)),
            request(&bo, &tom, S::Expired, now - Duration::hours(200)),
            request(&bo, &uma, S::Withdrawn, now - Duration::hours(300)),
        ];
        let people: HashMap<Uuid, OtherSide> = [&bea, &bo, &sara, &tom, &uma]
            .into_iter()
            .map(|p| (p.participant_id, p.clone()))
            .collect();
        let names = people.clone();
        let o = build(Uuid::nil(), people, &rows, &names, now);
        let of = |name: &str| o.people.iter().find(|p| p.person.name == name).unwrap();
        let bea_row = of("Bea");
        assert_eq!(
            (
                bea_row.sent,
                bea_row.received,
                bea_row.accepted,
                bea_row.declined,
                bea_row.pending
            ),
            (3, 0, 1, 1, 1)
        );
        let bo_row = of("Bo");
        assert_eq!(
            (bo_row.sent, bo_row.received, bo_row.awaiting_answer),
            (2, 1, 1)
        );
        assert_eq!(
            of("Uma").received,
            1,
            "the withdrawn request counts nowhere"
        );
        assert_eq!(
            (
                o.unanswered.total,
                o.unanswered.under_24h,
                o.unanswered.from_1_to_3_days,
                o.unanswered.over_3_days
            ),
            (3, 1, 1, 1)
        );
        let oldest = o.unanswered.oldest.as_ref().unwrap();
        assert_eq!(oldest.requester.name, "Bo");
        assert_eq!(oldest.waiting_hours, 80);
        assert_eq!(o.most_requested[0].person.name, "Sara");
        assert_eq!(o.most_requested[1].person.name, "Tom");
        assert_eq!(o.most_requested.len(), 3);
        assert!(o.without_requests.is_empty());
        assert_eq!(
            (
                o.acceptance.requests,
                o.acceptance.answered,
                o.acceptance.accepted
            ),
            (6, 2, 1)
        );
        assert_eq!(o.acceptance.rate_of_answered, Some(0.5));
        assert_eq!(o.acceptance.rate_of_all, Some(0.1667));
    }
}
