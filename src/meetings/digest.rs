//! Digest emails: people who want their meeting-request emails as a digest (their choice,
//! or the organiser's default) get one email per event every
//! `housekeeping.meeting_digest_hours`, listing the notices queued since the last one
//! (`meeting_notice`), in their language. Sent by the housekeeping job ([`send_due`]).
//!
//! Exactly once, however many instances run: a person's notices are taken by one
//! conditional update (`UPDATE ... SET sent_at = ? WHERE participation_id = ? AND sent_at
//! IS NULL RETURNING ...`) in the transaction that queues their email, so a second run
//! finds none of them.

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, Utc};
use sea_orm::{ColumnTrait, DbErr, EntityTrait, QueryFilter, QuerySelect};
use uuid::Uuid;

use super::requests::{commit, event_of, other_of, other_sides};
use super::{MeetingRequestStatus, MeetingsError, MeetingsResult};
use crate::auth::service::{LinkPurpose, issue_link};
use crate::domain::MeetingNoticeKind;
use crate::entities::{meeting_notice, meeting_request, participation, person};
use crate::events::access;
use crate::mail::templates::{Counterpart, DigestItem, Mail, render};
use crate::state::AppState;

/// Sends the digest of everyone with notices waiting; the number of emails queued. A
/// person whose digest fails (a stored value the code does not know, a lost connection)
/// is logged as an error naming it and left for the next run; the others go on.
pub async fn send_due(state: &AppState, now: DateTime<Utc>) -> Result<u64, DbErr> {
    use meeting_notice::Column;
    let waiting: Vec<Uuid> = meeting_notice::Entity::find()
        .select_only()
        .column(Column::ParticipationId)
        .distinct()
        .filter(Column::SentAt.is_null())
        .into_tuple()
        .all(&state.db)
        .await?;
    let mut sent = 0;
    for participation_id in waiting {
        match crate::db::retrying("meeting digest", || send_one(state, participation_id, now)).await
        {
            Ok(mailed) => sent += u64::from(mailed),
            Err(e) => {
                tracing::error!(%participation_id, error = %e, "meeting digest left for the next run");
            }
        }
    }
    Ok(sent)
}

/// Whether a notice still says something true when the digest goes out: a new request or
/// a reminder only while the reader still has it to answer (or, accepted at once, as a
/// meeting); what happened (answers, lapses, departures) always.
fn still_current(kind: MeetingNoticeKind, row: &meeting_request::Model, reader: Uuid) -> bool {
    match kind {
        MeetingNoticeKind::Received | MeetingNoticeKind::Reminder => {
            row.recipient_id == reader && row.status == MeetingRequestStatus::Pending
        }
        MeetingNoticeKind::ReceivedAccepted => {
            row.recipient_id == reader && row.status.is_meeting()
        }
        _ => true,
    }
}

/// Takes every waiting notice of one participation and queues their digest; `false` when
/// there was nothing (left) to send.
async fn send_one(
    state: &AppState,
    participation_id: Uuid,
    now: DateTime<Utc>,
) -> MeetingsResult<bool> {
    use meeting_notice::Column;
    let txn = crate::db::begin(&state.db).await?;
    let mut notices = meeting_notice::Entity::update_many()
        .col_expr(Column::SentAt, now.into())
        .filter(Column::ParticipationId.eq(participation_id))
        .filter(Column::SentAt.is_null())
        .exec_with_returning(&txn)
        .await?;
    notices.sort_by_key(|n| (n.created_at, n.id));
    let reader = participation::Entity::find_by_id(participation_id)
        .one(&txn)
        .await?;
    let to = match &reader {
        Some(reader) if access::is_active(reader) => {
            person::Entity::find_by_id(reader.person_id)
                .one(&txn)
                .await?
        }
        _ => None,
    };
    let (Some(reader), Some(to), Some(first)) = (reader, to, notices.first()) else {
        // Someone who left hears nothing more; their notices are done with.
        txn.commit().await?;
        return Ok(false);
    };
    let event = event_of(&txn, first.event_id).await?;
    let requests: HashMap<Uuid, meeting_request::Model> = meeting_request::Entity::find()
        .filter(meeting_request::Column::Id.is_in(notices.iter().map(|n| n.request_id)))
        .all(&txn)
        .await?
        .into_iter()
        .map(|r| (r.id, r))
        .collect();
    // A request new in this digest needs no reminder line besides.
    let new: HashSet<Uuid> = notices
        .iter()
        .filter(|n| n.kind == MeetingNoticeKind::Received)
        .map(|n| n.request_id)
        .collect();
    let listed: Vec<(&meeting_notice::Model, &meeting_request::Model)> = notices
        .iter()
        .filter(|n| !(n.kind == MeetingNoticeKind::Reminder && new.contains(&n.request_id)))
        .filter_map(|n| Some((n, requests.get(&n.request_id)?)))
        .filter(|(n, row)| still_current(n.kind, row, reader.id))
        .collect();
    if listed.is_empty() {
        txn.commit().await?;
        return Ok(false);
    }
    let others = other_sides(
        &txn,
        listed
            .iter()
            .map(|(_, row)| other_of(row, reader.id))
            .collect(),
    )
    .await?;
    let items: Vec<DigestItem<'_>> = listed
        .iter()
        .filter_map(|(notice, row)| {
            let other = others.get(&other_of(row, reader.id))?;
            Some(DigestItem {
                kind: notice.kind,
                other: Counterpart {
                    name: &other.name,
                    organisation: other.organisation.as_deref(),
                    role: other.role,
                },
                sent: row.requester_id == reader.id,
                priority: row.priority,
                message: row.message.as_deref(),
                reason: row.decline_reason.as_deref(),
            })
        })
        .collect();
    let link = issue_link(&txn, state, to.id, LinkPurpose::Invitation, Some(event.id)).await?;
    let mail = render(
        Mail::MeetingDigest {
            event: &event.name,
            items: &items,
            every_hours: state.settings.housekeeping.meeting_digest_hours,
            link: &link,
            minutes: state.settings.auth.invitation_link_hours * 60,
        },
        (&to).into(),
        Some(&event),
    );
    state
        .mail
        .enqueue(&txn, mail)
        .await
        .map_err(MeetingsError::from)?;
    commit(state, txn, &[], true).await?;
    Ok(true)
}
