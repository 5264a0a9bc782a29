//! What the people of a meeting request are told when it changes: a private live message
//! at once, and an email in their language, both written in the transaction of the change
//! (so nobody is told of a change that rolled back).
//!
//! The email goes out at once, or waits as a notice (`meeting_notice`) for the person's
//! next digest (`digest.rs`): the person's own choice (`meeting_notice_choice`), else the
//! organiser's default from the event's rules (`email_timing`).

use std::sync::Arc;

use chrono::Utc;
use sea_orm::{ConnectionTrait, DatabaseTransaction, EntityTrait, Set};
use uuid::Uuid;

use super::requests::view_for;
use super::{EmailTiming, MeetingsError, MeetingsResult};
use crate::auth::service::{LinkPurpose, issue_link};
use crate::domain::MeetingNoticeKind;
use crate::entities::{
    event, meeting_notice, meeting_notice_choice, meeting_request, organisation, participation,
    person,
};
use crate::live::{self, Audience, LiveKind, LiveMessage};
use crate::mail::templates::{Counterpart, Mail, render};
use crate::state::AppState;

/// What happened to a request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Change {
    /// A new request, waiting for an answer.
    Received,
    /// A new request that counts as accepted at once (the event needs no acceptance).
    ReceivedAccepted,
    Accepted,
    Declined,
    /// The requester withdrew it; `was_meeting` when it had been accepted.
    Withdrawn {
        was_meeting: bool,
    },
    /// The one reminder of an unanswered request, to the one asked.
    Reminder,
    /// Nobody answered in time and the organiser's rule handled it: it counts as accepted
    /// (`accepted`) or it lapsed. Both sides are told.
    Lapsed {
        accepted: bool,
    },
    /// One side left the event (`requester_left` says which); the other is told.
    Left {
        requester_left: bool,
        was_meeting: bool,
    },
}

impl Change {
    /// Whom it tells: `true` the requester, `false` the one asked.
    fn tells(self) -> &'static [bool] {
        match self {
            Change::Received
            | Change::ReceivedAccepted
            | Change::Withdrawn { .. }
            | Change::Reminder
            | Change::Left {
                requester_left: true,
                ..
            } => &[false],
            Change::Accepted
            | Change::Declined
            | Change::Left {
                requester_left: false,
                ..
            } => &[true],
            Change::Lapsed { .. } => &[true, false],
        }
    }

    fn kind(self) -> LiveKind {
        match self {
            Change::Received | Change::ReceivedAccepted => LiveKind::MeetingRequestReceived,
            Change::Accepted | Change::Lapsed { accepted: true } => {
                LiveKind::MeetingRequestAccepted
            }
            Change::Declined => LiveKind::MeetingRequestDeclined,
            Change::Withdrawn { .. }
            | Change::Left {
                requester_left: true,
                ..
            } => LiveKind::MeetingRequestWithdrawn,
            Change::Reminder => LiveKind::MeetingRequestReminder,
            Change::Lapsed { accepted: false }
            | Change::Left {
                requester_left: false,
                ..
            } => LiveKind::MeetingRequestExpired,
        }
    }

    /// What a digest lists for it.
    fn notice(self) -> MeetingNoticeKind {
        match self {
            Change::Received => MeetingNoticeKind::Received,
            Change::ReceivedAccepted => MeetingNoticeKind::ReceivedAccepted,
            Change::Accepted => MeetingNoticeKind::Accepted,
            Change::Declined => MeetingNoticeKind::Declined,
            Change::Withdrawn { .. } => MeetingNoticeKind::Withdrawn,
            Change::Reminder => MeetingNoticeKind::Reminder,
            Change::Lapsed { accepted: true } => MeetingNoticeKind::AutoAccepted,
            Change::Lapsed { accepted: false } => MeetingNoticeKind::Expired,
            Change::Left { .. } => MeetingNoticeKind::OtherLeft,
        }
    }

    /// Whether an email (or a digest line) goes with the live message: not for the
    /// withdrawal of a request the one asked had not accepted.
    fn mails(self) -> bool {
        self != (Change::Withdrawn { was_meeting: false })
    }
}

/// When emails about meeting requests reach this participation: their own choice, else
/// the organiser's default in the event's rules.
pub(crate) async fn email_timing<C: ConnectionTrait>(
    db: &C,
    participation_id: Uuid,
    event_id: Uuid,
) -> MeetingsResult<EmailTiming> {
    Ok(
        match meeting_notice_choice::Entity::find_by_id(participation_id)
            .one(db)
            .await?
        {
            Some(choice) => choice.email_timing,
            None => super::rules::load(db, event_id).await?.email_timing,
        },
    )
}

/// Tells the people of `change` who still take part: each gets a live message with the
/// request as they see it and, unless it is the withdrawal of a request they had not
/// accepted, an email now or a line in their next digest. Returns the live messages to
/// commit with the transaction and whether mail was queued.
pub(crate) async fn tell(
    txn: &DatabaseTransaction,
    state: &AppState,
    event: &event::Model,
    row: &meeting_request::Model,
    requester: &participation::Model,
    recipient: &participation::Model,
    change: Change,
) -> MeetingsResult<(Vec<Arc<LiveMessage>>, bool)> {
    let mut messages = Vec::new();
    let mut mailed = false;
    for &to_requester in change.tells() {
        let (told, other) = if to_requester {
            (requester, recipient)
        } else {
            (recipient, requester)
        };
        // Someone who left the event (a withdrawal can reach them) hears nothing more of it.
        if !crate::events::access::is_active(told) {
            continue;
        }
        let seen = view_for(txn, row.clone(), told.id).await?;
        let payload = serde_json::to_value(&seen)
            .map_err(|e| MeetingsError::App(crate::error::AppError::Internal(e.into())))?;
        messages.push(
            live::publish(
                txn,
                event.id,
                Audience::Person(told.person_id),
                change.kind(),
                payload,
            )
            .await?,
        );
        if !change.mails() {
            continue;
        }
        match email_timing(txn, told.id, event.id).await? {
            EmailTiming::Immediate => {
                mailed |= mail(txn, state, event, row, told, other, change).await?;
            }
            EmailTiming::Digest => {
                meeting_notice::Entity::insert(meeting_notice::ActiveModel {
                    id: Set(Uuid::now_v7()),
                    event_id: Set(event.id),
                    participation_id: Set(told.id),
                    request_id: Set(row.id),
                    kind: Set(change.notice()),
                    created_at: Set(Utc::now()),
                    sent_at: Set(None),
                })
                .exec_without_returning(txn)
                .await?;
            }
        }
    }
    Ok((messages, mailed))
}

/// The person of a participation and the name of their organisation, for a mail.
async fn named<C: ConnectionTrait>(
    db: &C,
    who: &participation::Model,
) -> MeetingsResult<Option<(person::Model, Option<String>)>> {
    let Some(person) = person::Entity::find_by_id(who.person_id).one(db).await? else {
        return Ok(None);
    };
    let organisation = match person.organisation_id {
        Some(id) => organisation::Entity::find_by_id(id)
            .one(db)
            .await?
            .map(|o| o.name),
        None => None,
    };
    Ok(Some((person, organisation)))
}

/// Emails `told` about `change` at once, in `told`'s language; false when either person is
/// gone.
async fn mail(
    txn: &DatabaseTransaction,
    state: &AppState,
    event: &event::Model,
    row: &meeting_request::Model,
    told: &participation::Model,
    other: &participation::Model,
    change: Change,
) -> MeetingsResult<bool> {
    let (Some((to, _)), Some((by, organisation))) =
        (named(txn, told).await?, named(txn, other).await?)
    else {
        return Ok(false);
    };
    let who = Counterpart {
        name: &by.name,
        organisation: organisation.as_deref(),
        role: other.role,
    };
    let link = issue_link(txn, state, to.id, LinkPurpose::Invitation, Some(event.id)).await?;
    let minutes = state.settings.auth.invitation_link_hours * 60;
    let sent = row.requester_id == told.id;
    let mail = match change {
        Change::Received | Change::ReceivedAccepted => Mail::MeetingRequestReceived {
            event: &event.name,
            from: who,
            priority: row.priority,
            message: row.message.as_deref(),
            accepted: change == Change::ReceivedAccepted,
            link: &link,
            minutes,
        },
        Change::Accepted | Change::Declined => Mail::MeetingRequestAnswered {
            event: &event.name,
            by: who,
            accepted: change == Change::Accepted,
            reason: row.decline_reason.as_deref(),
            link: &link,
            minutes,
        },
        Change::Withdrawn { .. } => Mail::MeetingWithdrawn {
            event: &event.name,
            by: who,
            link: &link,
            minutes,
        },
        Change::Reminder => {
            let rules = super::rules::load(txn, event.id).await?;
            Mail::MeetingReminder {
                event: &event.name,
                from: who,
                priority: row.priority,
                message: row.message.as_deref(),
                waited_hours: (Utc::now() - row.created_at).num_hours().max(0),
                then: rules.after_reminder,
                hours: rules
                    .reminder_after_hours
                    .unwrap_or(super::rules::DEFAULT_REMINDER_HOURS)
                    .into(),
                link: &link,
                minutes,
            }
        }
        Change::Lapsed { accepted } => Mail::MeetingLapsed {
            event: &event.name,
            other: who,
            sent,
            accepted,
            link: &link,
            minutes,
        },
        Change::Left { was_meeting, .. } => Mail::MeetingOff {
            event: &event.name,
            other: who,
            sent,
            was_meeting,
            link: &link,
            minutes,
        },
    };
    state
        .mail
        .enqueue(txn, render(mail, (&to).into(), Some(event)))
        .await
        .map_err(MeetingsError::from)?;
    Ok(true)
}
