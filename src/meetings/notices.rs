//! What the other side of a meeting request is told when it changes: a private live
//! message at once, and an email in their language, both written in the transaction of
//! the change (so nobody is told of a change that rolled back).
//!
//! Emails go out immediately for now. The event's rules already store when they should
//! (`email_timing`, immediate or a digest every few hours); digests come with a later
//! release and will read it here.

use std::sync::Arc;

use sea_orm::{DatabaseTransaction, EntityTrait};

use super::requests::view_for;
use super::{MeetingsError, MeetingsResult};
use crate::auth::service::{LinkPurpose, issue_link};
use crate::entities::{event, meeting_request, organisation, participation, person};
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
}

impl Change {
    /// Whether the recipient of the request is told (else the requester is).
    fn tells_recipient(self) -> bool {
        matches!(
            self,
            Change::Received | Change::ReceivedAccepted | Change::Withdrawn { .. }
        )
    }

    fn kind(self) -> LiveKind {
        match self {
            Change::Received | Change::ReceivedAccepted => LiveKind::MeetingRequestReceived,
            Change::Accepted => LiveKind::MeetingRequestAccepted,
            Change::Declined => LiveKind::MeetingRequestDeclined,
            Change::Withdrawn { .. } => LiveKind::MeetingRequestWithdrawn,
        }
    }
}

/// Tells the other side of `change`, if they still take part: a live message with the
/// request as they see it, and an email unless it is the withdrawal of a request they had
/// not accepted. Returns the
/// live messages to commit with the transaction and whether mail was queued.
pub(crate) async fn tell(
    txn: &DatabaseTransaction,
    state: &AppState,
    event: &event::Model,
    row: &meeting_request::Model,
    requester: &participation::Model,
    recipient: &participation::Model,
    change: Change,
) -> MeetingsResult<(Vec<Arc<LiveMessage>>, bool)> {
    let (told, actor) = if change.tells_recipient() {
        (recipient, requester)
    } else {
        (requester, recipient)
    };
    // Someone who left the event (a withdrawal can reach them) hears nothing more of it.
    if !crate::events::access::is_active(told) {
        return Ok((Vec::new(), false));
    }
    let seen = view_for(txn, row.clone(), told.id).await?;
    let payload = serde_json::to_value(&seen)
        .map_err(|e| MeetingsError::App(crate::error::AppError::Internal(e.into())))?;
    let message = live::publish(
        txn,
        event.id,
        Audience::Person(told.person_id),
        change.kind(),
        payload,
    )
    .await?;
    if change == (Change::Withdrawn { was_meeting: false }) {
        return Ok((vec![message], false));
    }
    let mailed = mail(txn, state, event, row, told, actor, change).await?;
    Ok((vec![message], mailed))
}

/// Emails `told` about what `actor` did, in `told`'s language; false when either is gone.
async fn mail(
    txn: &DatabaseTransaction,
    state: &AppState,
    event: &event::Model,
    row: &meeting_request::Model,
    told: &participation::Model,
    actor: &participation::Model,
    change: Change,
) -> MeetingsResult<bool> {
    let (Some(to), Some(by)) = (
        person::Entity::find_by_id(told.person_id).one(txn).await?,
        person::Entity::find_by_id(actor.person_id).one(txn).await?,
    ) else {
        return Ok(false);
    };
    let organisation = match by.organisation_id {
        Some(id) => organisation::Entity::find_by_id(id)
            .one(txn)
            .await?
            .map(|o| o.name),
        None => None,
    };
    let who = Counterpart {
        name: &by.name,
        organisation: organisation.as_deref(),
        role: actor.role,
    };
    let link = issue_link(txn, state, to.id, LinkPurpose::Invitation, Some(event.id)).await?;
    let minutes = state.settings.auth.invitation_link_hours * 60;
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
    };
    state
        .mail
        .enqueue(txn, render(mail, to.language, &to.email, &to.name))
        .await
        .map_err(MeetingsError::from)?;
    Ok(true)
}
