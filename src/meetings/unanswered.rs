//! Requests nobody answers: one reminder to the one asked once a request has waited the
//! event's `reminder_after_hours`, and after the same time again the organiser's rule
//! (`after_reminder`): the request lapses (`expired`) or counts as accepted at the
//! requester's priority. Run by the housekeeping job ([`run`]), with the time as a
//! parameter so tests need not wait.
//!
//! Safe with several instances (and with the people answering at the same moment): the
//! reminder is recorded by a conditional update (`... WHERE status = 'pending' AND
//! reminded_at IS NULL`), so of two runs exactly one reminds; the rule takes the pair's
//! locks and the request row like an answer does and changes it only from `pending`.
//! docs/meetings.md, "Unanswered requests", has the timing.

use chrono::{DateTime, Duration, Utc};
use sea_orm::{ColumnTrait, DbErr, EntityTrait, QueryFilter, QueryOrder, QuerySelect, Set};
use uuid::Uuid;

use super::notices::{self, Change};
use super::requests::{
    Counter, commit, count, ensure_tallies, event_of, lock_pair, lock_request, transition,
};
use super::rules::{self, is_open, meeting_limit};
use super::{MeetingRequestStatus, MeetingsError, MeetingsResult, UnansweredRule};
use crate::entities::{meeting_request, meeting_rules, participation};
use crate::state::AppState;

/// What one run did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Handled {
    /// Reminders sent.
    pub reminded: u64,
    /// Requests that lapsed unanswered.
    pub expired: u64,
    /// Requests that count as accepted unanswered.
    pub accepted: u64,
}

/// The time a request waits before its reminder, and again after it; `None`: the event
/// sends no reminders, and unanswered requests stay pending.
fn period(rules: &meeting_rules::Model) -> Option<Duration> {
    rules
        .reminder_after_hours
        .map(|hours| Duration::hours(hours.into()))
}

/// Whether a pending request gets its reminder at `now`: it has waited the period, has had
/// none, and answers are still possible (after the deadline nobody can answer, so no
/// reminder asks them to).
pub(crate) fn reminder_due(
    rules: &meeting_rules::Model,
    row: &meeting_request::Model,
    now: DateTime<Utc>,
) -> bool {
    let Some(period) = period(rules) else {
        return false;
    };
    row.status == MeetingRequestStatus::Pending
        && row.reminded_at.is_none()
        && row.created_at <= now - period
        && is_open(rules, now)
}

/// Whether the organiser's rule handles a pending request at `now`: the period has passed
/// since its reminder, or, after the deadline (when no reminder goes out any more), since
/// the reminder would have been due.
pub(crate) fn lapse_due(
    rules: &meeting_rules::Model,
    row: &meeting_request::Model,
    now: DateTime<Utc>,
) -> bool {
    let Some(period) = period(rules) else {
        return false;
    };
    if row.status != MeetingRequestStatus::Pending {
        return false;
    }
    match row.reminded_at {
        Some(reminded) => reminded <= now - period,
        None => !is_open(rules, now) && row.created_at <= now - period,
    }
}

/// Reminds and handles every unanswered request that is due at `now`, event by event. A
/// request that fails (a stored value the code does not know, a lost connection) is
/// logged as an error naming it and left for the next run; the others go on.
pub async fn run(state: &AppState, now: DateTime<Utc>) -> Result<Handled, DbErr> {
    use meeting_request::Column;
    let db = &state.db;
    let events: Vec<Uuid> = meeting_request::Entity::find()
        .select_only()
        .column(Column::EventId)
        .distinct()
        .filter(Column::Status.eq(MeetingRequestStatus::Pending))
        .into_tuple()
        .all(db)
        .await?;
    let mut handled = Handled::default();
    for event_id in events {
        let rules = match rules::load(db, event_id).await {
            Ok(rules) => rules,
            Err(e) => {
                tracing::error!(%event_id, error = %e, "the event's rules for meeting requests cannot be read; its unanswered requests wait");
                continue;
            }
        };
        let Some(period) = period(&rules) else {
            continue;
        };
        let waiting = meeting_request::Entity::find()
            .filter(Column::EventId.eq(event_id))
            .filter(Column::Status.eq(MeetingRequestStatus::Pending))
            .filter(Column::CreatedAt.lte(now - period))
            .order_by_asc(Column::CreatedAt)
            .all(db)
            .await?;
        for row in waiting {
            let id = row.id;
            let outcome = if reminder_due(&rules, &row, now) {
                crate::db::retrying("meeting request reminder", || remind(state, id, now))
                    .await
                    .map(|done| handled.reminded += u64::from(done))
            } else if lapse_due(&rules, &row, now) {
                crate::db::retrying("unanswered meeting request", || lapse(state, id, now))
                    .await
                    .map(|outcome| match outcome {
                        Some(true) => handled.accepted += 1,
                        Some(false) => handled.expired += 1,
                        None => {}
                    })
            } else {
                Ok(())
            };
            if let Err(e) = outcome {
                tracing::error!(request_id = %id, error = %e, "unanswered meeting request left for the next run");
            }
        }
    }
    Ok(handled)
}

/// Records the reminder of request `id` and tells the one asked; `false` when it needs
/// none any more (answered, withdrawn, or reminded by another run meanwhile).
async fn remind(state: &AppState, id: Uuid, now: DateTime<Utc>) -> MeetingsResult<bool> {
    use meeting_request::Column;
    let txn = crate::db::begin(&state.db).await?;
    let Some(row) = meeting_request::Entity::update_many()
        .col_expr(Column::RemindedAt, now.into())
        .filter(Column::Id.eq(id))
        .filter(Column::Status.eq(MeetingRequestStatus::Pending))
        .filter(Column::RemindedAt.is_null())
        .exec_with_returning(&txn)
        .await?
        .into_iter()
        .next()
    else {
        return Ok(false);
    };
    let (Some(requester), Some(recipient)) = (
        participation::Entity::find_by_id(row.requester_id)
            .one(&txn)
            .await?,
        participation::Entity::find_by_id(row.recipient_id)
            .one(&txn)
            .await?,
    ) else {
        return Err(MeetingsError::NotFound("participant"));
    };
    let event = event_of(&txn, row.event_id).await?;
    let (messages, mailed) = notices::tell(
        &txn,
        state,
        &event,
        &row,
        &requester,
        &recipient,
        Change::Reminder,
    )
    .await?;
    commit(state, txn, &messages, mailed).await?;
    Ok(true)
}

/// Applies the organiser's rule to request `id` if it is still due: `Some(true)` when it
/// now counts as accepted, `Some(false)` when it lapsed, `None` when it no longer waits.
///
/// Counting as accepted respects both people's limits of meetings, like an answer: when
/// either has as many as the organiser allows, the request lapses instead.
async fn lapse(state: &AppState, id: Uuid, now: DateTime<Utc>) -> MeetingsResult<Option<bool>> {
    let txn = crate::db::begin(&state.db).await?;
    let Some(seen) = meeting_request::Entity::find_by_id(id).one(&txn).await? else {
        return Ok(None);
    };
    if seen.status != MeetingRequestStatus::Pending {
        return Ok(None);
    }
    let (Some(requester), Some(recipient)) = (
        participation::Entity::find_by_id(seen.requester_id)
            .one(&txn)
            .await?,
        participation::Entity::find_by_id(seen.recipient_id)
            .one(&txn)
            .await?,
    ) else {
        return Err(MeetingsError::NotFound("participant"));
    };
    // The pair's locks first, as every change of a request takes them, then the row again.
    let (locked_requester, locked_recipient) =
        lock_pair(&txn, seen.event_id, &requester, &recipient).await?;
    let row = lock_request(&txn, id).await?;
    let rules = rules::load(&txn, row.event_id).await?;
    if row.requester_id != requester.id || !lapse_due(&rules, &row, now) {
        return Ok(None);
    }
    ensure_tallies(&txn, row.event_id, &[requester.id, recipient.id]).await?;
    // Both still take part and the organiser chose acceptance: a meeting, within limits.
    let accepted = match (&locked_requester, &locked_recipient) {
        (Some(a), Some(b)) if rules.after_reminder == UnansweredRule::Accept => {
            if !count(
                &txn,
                a.id,
                Counter::Meetings,
                1,
                meeting_limit(&rules, a.role),
            )
            .await?
            {
                false
            } else if !count(
                &txn,
                b.id,
                Counter::Meetings,
                1,
                meeting_limit(&rules, b.role),
            )
            .await?
            {
                count(&txn, a.id, Counter::Meetings, -1, None).await?;
                false
            } else {
                true
            }
        }
        _ => false,
    };
    let mut update = meeting_request::ActiveModel {
        id: Set(row.id),
        lapsed_at: Set(Some(now)),
        ..Default::default()
    };
    if accepted {
        update.status = Set(MeetingRequestStatus::Accepted);
    } else {
        // A lapsed request no longer counts against the requester's limit.
        count(&txn, requester.id, Counter::RequestsSent, -1, None).await?;
        update.status = Set(MeetingRequestStatus::Expired);
    }
    let row = transition(&txn, id, MeetingRequestStatus::Pending, update)
        .await?
        .ok_or_else(|| {
            MeetingsError::Conflict("the request changed meanwhile; try again".into())
        })?;
    let event = event_of(&txn, row.event_id).await?;
    let requester = locked_requester.unwrap_or(requester);
    let recipient = locked_recipient.unwrap_or(recipient);
    let (messages, mailed) = notices::tell(
        &txn,
        state,
        &event,
        &row,
        &requester,
        &recipient,
        Change::Lapsed { accepted },
    )
    .await?;
    commit(state, txn, &messages, mailed).await?;
    Ok(Some(accepted))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pending(created: DateTime<Utc>, reminded: Option<DateTime<Utc>>) -> meeting_request::Model {
        meeting_request::Model {
            id: Uuid::nil(),
            event_id: Uuid::nil(),
            requester_id: Uuid::nil(),
            recipient_id: Uuid::nil(),
            pair_low: Uuid::nil(),
            pair_high: Uuid::nil(),
            status: MeetingRequestStatus::Pending,
            priority: crate::domain::MeetingPriority::Must,
            message: None,
            answer_priority: None,
            decline_reason: None,
            answered_at: None,
            reminded_at: reminded,
            lapsed_at: None,
            created_at: created,
            updated_at: created,
        }
    }

    #[test]
    fn a_reminder_after_the_period_and_the_rule_after_the_same_period_again() {
        let now = Utc::now();
        let mut rules = rules::default_rules(Uuid::nil());
        rules.reminder_after_hours = Some(48);
        let young = pending(now - Duration::hours(47), None);
        let old = pending(now - Duration::hours(48), None);
        assert!(!reminder_due(&rules, &young, now));
        assert!(reminder_due(&rules, &old, now));
        assert!(!lapse_due(&rules, &old, now), "not before its reminder");

        let reminded_lately = pending(now - Duration::hours(90), Some(now - Duration::hours(47)));
        let reminded_long_ago = pending(now - Duration::hours(90), Some(now - Duration::hours(48)));
        assert!(!reminder_due(&rules, &reminded_lately, now), "one reminder");
        assert!(!lapse_due(&rules, &reminded_lately, now));
        assert!(lapse_due(&rules, &reminded_long_ago, now));

        let mut answered = reminded_long_ago.clone();
        answered.status = MeetingRequestStatus::Accepted;
        assert!(!lapse_due(&rules, &answered, now));

        rules.reminder_after_hours = None;
        assert!(!reminder_due(&rules, &old, now));
        assert!(
            !lapse_due(&rules, &reminded_long_ago, now),
            "no reminder, no rule"
        );
    }

    #[test]
    fn after_the_deadline_no_reminder_and_the_rule_applies_when_it_would_have_been_due() {
        let now = Utc::now();
        let mut rules = rules::default_rules(Uuid::nil());
        rules.reminder_after_hours = Some(24);
        rules.deadline = Some(now - Duration::hours(1));
        let old = pending(now - Duration::hours(30), None);
        let young = pending(now - Duration::hours(10), None);
        assert!(!reminder_due(&rules, &old, now));
        assert!(lapse_due(&rules, &old, now));
        assert!(!lapse_due(&rules, &young, now));
    }
}
