//! What the two people of a meeting are told when an organiser places, moves or cancels it
//! by hand: a private live message (`my_meeting`) with the meeting as they see it, and an
//! email in their language with the slot's time, the table and the partner. Both are
//! written in the transaction of the change, so nobody hears of an edit that rolled back.

use std::sync::Arc;

use sea_orm::{DatabaseTransaction, EntityTrait};
use serde::Serialize;
use uuid::Uuid;

use super::agenda::{MeetingView, MyMeeting};
use crate::auth::service::{LinkPurpose, issue_link};
use crate::calendar;
use crate::entities::{event, meeting_table, participation, person, slot};
use crate::events::grid::{SlotView, clock};
use crate::events::venue::TableView;
use crate::live::{self, Audience, LiveKind, LiveMessage};
use crate::mail::templates::{Counterpart, Mail, MeetingEdit, render};
use crate::state::AppState;

use super::edit::{EditError, EditResult};

/// Where a meeting was: its slot and table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Place {
    pub slot_id: Uuid,
    pub table_id: Option<Uuid>,
}

/// What an organiser did to a meeting.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Change {
    /// Placed (a request put in the schedule by hand).
    Added,
    /// Moved (or swapped) from `from`.
    Moved { from: Place },
    /// Cancelled where it was.
    Cancelled,
}

impl Change {
    fn word(self) -> &'static str {
        match self {
            Change::Added => "added",
            Change::Moved { .. } => "moved",
            Change::Cancelled => "cancelled",
        }
    }
}

/// Where a meeting was, in the live message of a move.
#[derive(Debug, Clone, Serialize)]
struct Was {
    slot: SlotView,
    table: Option<TableView>,
}

/// The live message `my_meeting`.
#[derive(Debug, Clone, Serialize)]
struct MyMeetingChanged<'a> {
    /// `added`, `moved` or `cancelled`.
    change: &'static str,
    /// The meeting as the reader sees it (for `cancelled`, where it was).
    meeting: &'a MyMeeting,
    /// For `moved`: where it was before.
    from: Option<&'a Was>,
}

/// "2027-03-11, 13:00–13:20".
fn when(s: &slot::Model) -> String {
    format!(
        "{}, {}–{}",
        s.local_date.format("%Y-%m-%d"),
        clock(s.start_minute),
        clock(s.end_minute)
    )
}

/// "12 (by the window)".
fn table_words(t: &meeting_table::Model) -> String {
    match &t.label {
        Some(label) => format!("{} ({label})", t.number),
        None => t.number.to_string(),
    }
}

fn internal(err: serde_json::Error) -> EditError {
    EditError::App(crate::error::AppError::Internal(err.into()))
}

/// Tells both people of `meeting` (who still take part) what `change` did to it: live, and
/// by email in their language. Returns the live messages to commit with the transaction
/// and whether mail was queued.
pub(super) async fn tell(
    txn: &DatabaseTransaction,
    state: &AppState,
    event: &event::Model,
    meeting: &MeetingView,
    change: Change,
) -> EditResult<(Vec<Arc<LiveMessage>>, bool)> {
    let from = match change {
        Change::Moved { from } => Some(from),
        _ => None,
    };
    let (from_slot, from_table) = match from {
        Some(p) => (
            slot::Entity::find_by_id(p.slot_id).one(txn).await?,
            match p.table_id {
                Some(t) => meeting_table::Entity::find_by_id(t).one(txn).await?,
                None => None,
            },
        ),
        None => (None, None),
    };
    let was = from_slot.as_ref().map(|s| Was {
        slot: SlotView::from(s.clone()),
        table: from_table.clone().map(TableView::from),
    });
    let here_slot = slot::Entity::find_by_id(meeting.slot.id)
        .one(txn)
        .await?
        .ok_or(EditError::NotFound("slot"))?;
    let here_table = match &meeting.table {
        Some(t) => meeting_table::Entity::find_by_id(t.id).one(txn).await?,
        None => None,
    };
    let mut messages = Vec::new();
    let mut mailed = false;
    for who in &meeting.people {
        let Some(part) = participation::Entity::find_by_id(who.participant_id)
            .one(txn)
            .await?
        else {
            continue;
        };
        // Someone who left the event (a cancellation can reach them) hears nothing more.
        if !crate::events::access::is_active(&part) {
            continue;
        }
        let Some(mine) = meeting.for_person(part.id) else {
            continue;
        };
        let payload = serde_json::to_value(MyMeetingChanged {
            change: change.word(),
            meeting: &mine,
            from: was.as_ref(),
        })
        .map_err(internal)?;
        messages.push(
            live::publish(
                txn,
                event.id,
                Audience::Person(part.person_id),
                LiveKind::MyMeeting,
                payload,
            )
            .await?,
        );
        let Some(to) = person::Entity::find_by_id(part.person_id).one(txn).await? else {
            continue;
        };
        let partner = &mine.partner;
        let with = Counterpart {
            name: &partner.name,
            organisation: partner.organisation.as_deref(),
            role: partner.role,
        };
        let here_when = when(&here_slot);
        let here_table = here_table.as_ref().map(table_words);
        let from_when = from_slot.as_ref().map(when);
        let from_table = from_table.as_ref().map(table_words);
        let edit = match change {
            Change::Added => MeetingEdit::Added,
            Change::Moved { .. } => MeetingEdit::Moved {
                from_when: from_when.as_deref().unwrap_or_default(),
                from_table: from_table.as_deref(),
            },
            Change::Cancelled => MeetingEdit::Cancelled,
        };
        let link = issue_link(txn, state, to.id, LinkPurpose::Invitation, Some(event.id))
            .await
            .map_err(EditError::from)?;
        let minutes = state.settings.auth.invitation_link_hours * 60;
        let mail = Mail::MeetingEdited {
            event: &event.name,
            change: edit,
            with,
            when: &here_when,
            table: here_table.as_deref(),
            link: &link,
            minutes,
        };
        let facts = calendar::MeetingFacts {
            meeting_id: meeting.id,
            sequence: meeting.sequence,
            starts_at: here_slot.starts_at,
            ends_at: here_slot.ends_at,
            table: meeting.table.as_ref().map(|t| (t.number, t.label.clone())),
            partner: calendar::Partner {
                name: &partner.name,
                organisation: partner.organisation.as_deref(),
                role: partner.role,
            },
            cancelled: change == Change::Cancelled,
            updated_at: meeting.updated_at,
        };
        let entry = calendar::meeting_entry(&state.settings.mail, event, to.language, &facts);
        let invite = calendar::invite(&state.settings.mail, event, &to, entry);
        state
            .mail
            .enqueue(
                txn,
                render(mail, (&to).into(), Some(event)).with_calendar(vec![invite]),
            )
            .await?;
        mailed = true;
    }
    Ok((messages, mailed))
}
