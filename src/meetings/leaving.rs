//! Someone leaves the event (an organiser cancels or declines their participation): their
//! open requests end in the same transaction. What they asked is `withdrawn`, what they
//! were asked `expired`, pending and accepted alike (scheduled meetings are the
//! scheduler's to undo); the counters the limits are enforced on give the places back,
//! and the other side is told, live and by email or in their digest.
//!
//! Two steps, so that the transaction takes its locks in the order every other one does
//! (requests and counters before the event's live sequence, which the programme's release
//! of seats takes too): [`release_participant`] changes the requests and counters,
//! [`Released::tell`] publishes the notices last.

use std::sync::Arc;

use sea_orm::{
    ColumnTrait, Condition, DatabaseTransaction, EntityTrait, QueryFilter, QueryOrder, QuerySelect,
    Set,
};

use super::notices::{self, Change};
use super::requests::{Counter, count, ensure_tallies, transition};
use super::{MeetingRequestStatus, MeetingsError, MeetingsResult};
use crate::entities::{event, meeting_request, participation};
use crate::live::LiveMessage;
use crate::state::AppState;

/// One request that ended because someone left, with the other side.
struct Ended {
    row: meeting_request::Model,
    other: participation::Model,
    requester_left: bool,
    was_meeting: bool,
}

/// The requests a leaver's departure ended, still to be told.
#[must_use = "the other sides are told with Released::tell"]
pub(crate) struct Released(Vec<Ended>);

/// Ends the pending and accepted requests of `leaver` (their participation as it is now,
/// no longer active) inside the transaction that changed their status, which holds their
/// participation's lock: every change of one of their requests takes it first, so none
/// runs in between.
pub(crate) async fn release_participant(
    txn: &DatabaseTransaction,
    event_id: uuid::Uuid,
    leaver: &participation::Model,
) -> MeetingsResult<Released> {
    use meeting_request::Column;
    let rows = meeting_request::Entity::find()
        .filter(Column::EventId.eq(event_id))
        .filter(
            Condition::any()
                .add(Column::RequesterId.eq(leaver.id))
                .add(Column::RecipientId.eq(leaver.id)),
        )
        .filter(Column::Status.is_in([
            MeetingRequestStatus::Pending,
            MeetingRequestStatus::Accepted,
        ]))
        .order_by_asc(Column::Id)
        .lock_exclusive()
        .all(txn)
        .await?;
    let mut ended = Vec::with_capacity(rows.len());
    for row in rows {
        let requester_left = row.requester_id == leaver.id;
        let other_id = if requester_left {
            row.recipient_id
        } else {
            row.requester_id
        };
        let other = participation::Entity::find_by_id(other_id)
            .one(txn)
            .await?
            .ok_or(MeetingsError::NotFound("participant"))?;
        let was_meeting = row.status == MeetingRequestStatus::Accepted;
        ensure_tallies(txn, event_id, &[row.requester_id, row.recipient_id]).await?;
        count(txn, row.requester_id, Counter::RequestsSent, -1, None).await?;
        if was_meeting {
            count(txn, row.requester_id, Counter::Meetings, -1, None).await?;
            count(txn, row.recipient_id, Counter::Meetings, -1, None).await?;
        }
        let update = meeting_request::ActiveModel {
            id: Set(row.id),
            status: Set(if requester_left {
                MeetingRequestStatus::Withdrawn
            } else {
                MeetingRequestStatus::Expired
            }),
            ..Default::default()
        };
        let row = transition(txn, row.id, row.status, update)
            .await?
            .ok_or_else(|| {
                MeetingsError::Conflict("a meeting request changed meanwhile; try again".into())
            })?;
        ended.push(Ended {
            row,
            other,
            requester_left,
            was_meeting,
        });
    }
    Ok(Released(ended))
}

impl Released {
    /// Tells the other side of each ended request. Returns the live messages to commit
    /// with the transaction and whether mail was queued.
    pub(crate) async fn tell(
        self,
        txn: &DatabaseTransaction,
        state: &AppState,
        event: &event::Model,
        leaver: &participation::Model,
    ) -> MeetingsResult<(Vec<Arc<LiveMessage>>, bool)> {
        let mut messages = Vec::new();
        let mut mailed = false;
        for ended in self.0 {
            let (requester, recipient) = if ended.requester_left {
                (leaver, &ended.other)
            } else {
                (&ended.other, leaver)
            };
            let (told, mail) = notices::tell(
                txn,
                state,
                event,
                &ended.row,
                requester,
                recipient,
                Change::Left {
                    requester_left: ended.requester_left,
                    was_meeting: ended.was_meeting,
                },
            )
            .await?;
            messages.extend(told);
            mailed |= mail;
        }
        Ok((messages, mailed))
    }
}
