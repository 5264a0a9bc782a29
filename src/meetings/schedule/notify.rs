//! Telling people that their meetings changed: one private live message each (which
//! meetings were added, moved or cancelled) and one email each with their whole day of
//! meetings (slot times, table, partner and organisation) in their language, written in the
//! transaction that changed the meetings. Only the people whose meetings changed are told,
//! so a re-publication reaches only them. Links and emails are written a few hundred per
//! statement.

use std::collections::HashMap;
use std::sync::Arc;

use sea_orm::{ColumnTrait, DatabaseTransaction, EntityTrait, QueryFilter};
use uuid::Uuid;

use super::publish::PersonChange;
use super::{ScheduleError, ScheduleResult, Venue};
use crate::auth::service::{LinkPurpose, issue_links};
use crate::calendar::{self, CalendarPart};
use crate::domain::MeetingStatus;
use crate::entities::{event, meeting, meeting_request, participation};
use crate::live::{self, Audience, LiveKind, LiveMessage};
use crate::mail::templates::{Counterpart, LineChange, Mail, ScheduleLine, render};
use crate::state::AppState;

/// What telling people wrote: the live messages to commit, and whether mail was queued.
#[derive(Default)]
pub struct Told {
    pub messages: Vec<Arc<LiveMessage>>,
    pub mailed: bool,
}

/// Tells every person in `changes` (live and by email) what changed, with their whole day.
pub async fn meetings_changed(
    txn: &DatabaseTransaction,
    state: &AppState,
    event: &event::Model,
    changes: &[PersonChange],
) -> ScheduleResult<Told> {
    let mut told = Told::default();
    if changes.is_empty() {
        return Ok(told);
    }
    let participations: HashMap<Uuid, participation::Model> = participation::Entity::find()
        .filter(participation::Column::EventId.eq(event.id))
        .all(txn)
        .await?
        .into_iter()
        .map(|p| (p.id, p))
        .collect();
    let requests: HashMap<Uuid, meeting_request::Model> = meeting_request::Entity::find()
        .filter(meeting_request::Column::EventId.eq(event.id))
        .all(txn)
        .await?
        .into_iter()
        .map(|r| (r.id, r))
        .collect();
    let meetings = meeting::Entity::find()
        .filter(meeting::Column::EventId.eq(event.id))
        .all(txn)
        .await?;
    let venue = Venue::load(txn, event.id).await?;
    // Each participation's meetings, scheduled and cancelled.
    let mut of_person: HashMap<Uuid, Vec<(&meeting::Model, Uuid)>> = HashMap::new();
    for m in &meetings {
        let Some(r) = requests.get(&m.request_id) else {
            continue;
        };
        of_person
            .entry(r.requester_id)
            .or_default()
            .push((m, r.recipient_id));
        of_person
            .entry(r.recipient_id)
            .or_default()
            .push((m, r.requester_id));
    }
    let person_ids = changes
        .iter()
        .flat_map(|c| of_person.get(&c.participant_id).into_iter().flatten())
        .filter_map(|(_, other)| participations.get(other).map(|p| p.person_id))
        .chain(
            changes
                .iter()
                .filter_map(|c| participations.get(&c.participant_id).map(|p| p.person_id)),
        );
    let (people, organisations) =
        crate::people::service::people_and_organisations(txn, person_ids).await?;

    let mut recipients = Vec::new();
    for change in changes {
        let Some(me) = participations.get(&change.participant_id) else {
            continue;
        };
        let payload = serde_json::to_value(change)
            .map_err(|e| ScheduleError::App(crate::error::AppError::Internal(e.into())))?;
        told.messages.push(
            live::publish(
                txn,
                event.id,
                Audience::Person(me.person_id),
                LiveKind::MeetingsChanged,
                payload,
            )
            .await?,
        );
        if people.contains_key(&me.person_id) {
            recipients.push((change, me));
        }
    }
    let links = issue_links(
        txn,
        state,
        &recipients
            .iter()
            .map(|(_, me)| me.person_id)
            .collect::<Vec<_>>(),
        LinkPurpose::Invitation,
        Some(event.id),
    )
    .await?;
    let minutes = state.settings.auth.invitation_link_hours * 60;
    let mut mails = Vec::with_capacity(recipients.len());
    for ((change, me), link) in recipients.iter().zip(&links) {
        let to = &people[&me.person_id];
        let mut day: Vec<&(&meeting::Model, Uuid)> = of_person
            .get(&me.id)
            .map(|v| v.iter().collect())
            .unwrap_or_default();
        day.sort_by_key(|(m, _)| {
            (
                venue.starts(m.slot_id),
                venue.table(m.table_id).map(|t| t.number),
            )
        });
        // The texts the lines borrow.
        let texts: Vec<Text<'_>> = day
            .iter()
            .filter_map(|(m, other)| {
                let other = participations.get(other)?;
                let partner = people.get(&other.person_id)?;
                let slot = venue.slot(m.slot_id)?;
                let change = if m.status == MeetingStatus::Cancelled {
                    if !change.cancelled.contains(&m.id) {
                        return None;
                    }
                    LineChange::Cancelled
                } else if change.added.contains(&m.id) {
                    LineChange::New
                } else if change.moved.contains(&m.id) {
                    LineChange::Moved
                } else {
                    LineChange::Unchanged
                };
                Some((
                    format!("{}, {}–{}", slot.date, slot.start, slot.end),
                    venue.table(m.table_id).map(|t| match t.label {
                        Some(label) => format!("{} ({label})", t.number),
                        None => t.number.to_string(),
                    }),
                    partner.name.as_str(),
                    partner
                        .organisation_id
                        .and_then(|o| organisations.get(&o))
                        .map(String::as_str),
                    other.role,
                    change,
                ))
            })
            .collect();
        let scheduled: Vec<ScheduleLine<'_>> = texts
            .iter()
            .filter(|t| t.5 != LineChange::Cancelled)
            .map(line)
            .collect();
        let cancelled: Vec<ScheduleLine<'_>> = texts
            .iter()
            .filter(|t| t.5 == LineChange::Cancelled)
            .map(line)
            .collect();
        // One calendar file per meeting: its entry (REQUEST), or its cancellation (CANCEL).
        let calendar: Vec<CalendarPart> = day
            .iter()
            .filter(|(m, _)| {
                m.status != MeetingStatus::Cancelled || change.cancelled.contains(&m.id)
            })
            .filter_map(|(m, other)| {
                let other = participations.get(other)?;
                let partner = people.get(&other.person_id)?;
                let (starts_at, ends_at) = venue.span(m.slot_id)?;
                let facts = calendar::MeetingFacts {
                    meeting_id: m.id,
                    sequence: m.sequence,
                    starts_at,
                    ends_at,
                    table: venue.table(m.table_id).map(|t| (t.number, t.label.clone())),
                    partner: calendar::Partner {
                        name: &partner.name,
                        organisation: partner
                            .organisation_id
                            .and_then(|o| organisations.get(&o))
                            .map(String::as_str),
                        role: other.role,
                    },
                    cancelled: m.status == MeetingStatus::Cancelled,
                    updated_at: m.updated_at,
                };
                let entry =
                    calendar::meeting_entry(&state.settings.mail, event, to.language, &facts);
                Some(calendar::invite(&state.settings.mail, event, to, entry))
            })
            .collect();
        mails.push(
            render(
                Mail::MeetingSchedule {
                    event: &event.name,
                    meetings: &scheduled,
                    cancelled: &cancelled,
                    link,
                    minutes,
                },
                to.into(),
                Some(event),
            )
            .with_calendar(calendar),
        );
    }
    told.mailed = !mails.is_empty();
    state
        .mail
        .enqueue_many(txn, mails)
        .await
        .map_err(ScheduleError::from)?;
    Ok(told)
}

/// The texts one line of a schedule email borrows: when, table, partner's name and
/// organisation, their role, and the change.
type Text<'a> = (
    String,
    Option<String>,
    &'a str,
    Option<&'a str>,
    crate::domain::Role,
    LineChange,
);

fn line<'a>(t: &'a Text<'_>) -> ScheduleLine<'a> {
    ScheduleLine {
        when: &t.0,
        table: t.1.as_deref(),
        partner: Counterpart {
            name: t.2,
            organisation: t.3,
            role: t.4,
        },
        change: t.5,
    }
}
