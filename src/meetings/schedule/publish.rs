//! Publishing a finished run: in one transaction its placements become the meetings people
//! see. New meetings are inserted, moved ones updated (their `sequence` raised), dropped
//! ones cancelled; each scheduled meeting holds its two participations and its table in its
//! slot (`meeting_hold`, unique per slot and holder), so the database itself refuses a
//! double booking, whatever runs at the same time. Requests become `scheduled` (and
//! dropped ones `accepted` again). The people whose meetings changed are told
//! (`notify::meetings_changed`).

use std::collections::{BTreeMap, HashMap, HashSet};

use chrono::Utc;
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

use super::holds::{self, HoldError};
use super::instance::{Built, LeftOutReason};
use super::runs::{self, built_of, result_of};
use super::{Placement, ScheduleError, ScheduleResult, notify};
use crate::domain::{MeetingRequestStatus, MeetingStatus, ScheduleRunStatus};
use crate::entities::{meeting, meeting_request, participation, person, schedule_run};
use crate::state::AppState;

/// Rows written per statement.
const CHUNK: usize = 500;

/// How the meetings of one person changed: meeting ids.
#[derive(Debug, Clone, Default, Serialize, ToSchema)]
pub struct PersonChange {
    pub participant_id: Uuid,
    pub added: Vec<Uuid>,
    pub moved: Vec<Uuid>,
    pub cancelled: Vec<Uuid>,
}

/// What publishing changed.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PublishSummary {
    pub run_id: Uuid,
    pub added: usize,
    pub moved: usize,
    pub dropped: usize,
    pub unchanged: usize,
    /// People whose meetings changed (each told live and by email).
    pub people_affected: usize,
    pub changes: Vec<PersonChange>,
}

/// A run's placements against the meetings published now.
#[derive(Debug, Default)]
pub(crate) struct Diff {
    /// New placements; with the cancelled meeting of the same request when there is one.
    pub added: Vec<(Placement, Option<meeting::Model>)>,
    /// A published meeting and where it goes now (another slot or table).
    pub moved: Vec<(meeting::Model, Placement)>,
    /// Published meetings the run leaves out.
    pub dropped: Vec<meeting::Model>,
    pub unchanged: usize,
}

/// Compares the placements with the event's meetings (`meetings`: every row of the event,
/// by request). A published meeting the run could not decide about (a same-role request,
/// which the solver cannot express) stays as it is.
pub(crate) fn diff(
    built: &Built,
    placements: &[Placement],
    meetings: &HashMap<Uuid, meeting::Model>,
) -> Diff {
    let mut out = Diff::default();
    let placed: HashSet<Uuid> = placements.iter().map(|p| p.request_id).collect();
    for p in placements {
        match meetings.get(&p.request_id) {
            Some(m) if m.status == MeetingStatus::Scheduled => {
                if m.slot_id == p.slot_id && m.table_id == p.table_id {
                    out.unchanged += 1;
                } else {
                    out.moved.push((m.clone(), p.clone()));
                }
            }
            Some(m) => out.added.push((p.clone(), Some(m.clone()))),
            None => out.added.push((p.clone(), None)),
        }
    }
    let undecided: HashSet<Uuid> = built
        .left_out
        .iter()
        .filter(|l| l.reason == LeftOutReason::SameRole)
        .map(|l| l.request_id)
        .collect();
    let mut dropped: Vec<meeting::Model> = meetings
        .values()
        .filter(|m| m.status == MeetingStatus::Scheduled)
        .filter(|m| !placed.contains(&m.request_id) && !undecided.contains(&m.request_id))
        .cloned()
        .collect();
    dropped.sort_by_key(|m| m.id);
    out.dropped = dropped;
    out
}

/// Every meeting row of the event, by request.
pub(crate) async fn meetings_by_request<C: ConnectionTrait>(
    db: &C,
    event_id: Uuid,
) -> ScheduleResult<HashMap<Uuid, meeting::Model>> {
    Ok(meeting::Entity::find()
        .filter(meeting::Column::EventId.eq(event_id))
        .all(db)
        .await?
        .into_iter()
        .map(|m| (m.request_id, m))
        .collect())
}

/// Publishes the run (organisers): only a done run, only the event's latest done run, once.
pub async fn publish(
    state: &AppState,
    by: &person::Model,
    event_id: Uuid,
    run_id: Uuid,
) -> ScheduleResult<PublishSummary> {
    use schedule_run::Column;
    let txn = crate::db::begin(&state.db).await?;
    let (access, row) = runs::for_organiser(&txn, by, event_id, run_id).await?;
    if row.status != ScheduleRunStatus::Done {
        return Err(ScheduleError::RunState { status: row.status });
    }
    if row.published_at.is_some() {
        return Err(ScheduleError::AlreadyPublished);
    }
    let latest = schedule_run::Entity::find()
        .filter(Column::EventId.eq(event_id))
        .filter(Column::Status.eq(ScheduleRunStatus::Done))
        .order_by_desc(Column::FinishedAt)
        .order_by_desc(Column::CreatedAt)
        .select_only()
        .column(Column::Id)
        .into_tuple::<Uuid>()
        .one(&txn)
        .await?;
    if let Some(latest) = latest.filter(|l| *l != row.id) {
        return Err(ScheduleError::NotLatest {
            latest_run_id: latest,
        });
    }
    let now = Utc::now();
    // Once: of two publications at the same time, one changes the row.
    let marked = schedule_run::Entity::update_many()
        .col_expr(Column::PublishedAt, Some(now).into())
        .col_expr(Column::PublishedBy, Some(by.id).into())
        .filter(Column::Id.eq(row.id))
        .filter(Column::PublishedAt.is_null())
        .exec(&txn)
        .await?;
    if marked.rows_affected != 1 {
        return Err(ScheduleError::AlreadyPublished);
    }
    let built = built_of(&row)?;
    let result = result_of(&row)?;

    // The requests and people must still be what the run saw.
    let requests: HashMap<Uuid, meeting_request::Model> = meeting_request::Entity::find()
        .filter(meeting_request::Column::EventId.eq(event_id))
        .all(&txn)
        .await?
        .into_iter()
        .map(|r| (r.id, r))
        .collect();
    let active: HashSet<Uuid> = participation::Entity::find()
        .filter(participation::Column::EventId.eq(event_id))
        .all(&txn)
        .await?
        .into_iter()
        .filter(crate::events::access::is_active)
        .map(|p| p.id)
        .collect();
    for p in &result.placements {
        let fits = requests.get(&p.request_id).is_some_and(|r| {
            r.status.is_meeting()
                && active.contains(&r.requester_id)
                && active.contains(&r.recipient_id)
        });
        if !fits {
            return Err(ScheduleError::Outdated(
                "meeting requests changed since this run (withdrawn, or someone left the event): run the scheduler again".into(),
            ));
        }
    }
    let meetings = meetings_by_request(&txn, event_id).await?;
    let diff = diff(&built, &result.placements, &meetings);

    // Holds of what moves or goes away are released first, then taken anew.
    let released: Vec<Uuid> = diff
        .moved
        .iter()
        .map(|(m, _)| m.id)
        .chain(diff.dropped.iter().map(|m| m.id))
        .collect();
    holds::release_all(&txn, &released).await?;
    let dropped_ids: Vec<Uuid> = diff.dropped.iter().map(|m| m.id).collect();
    for chunk in dropped_ids.chunks(CHUNK) {
        meeting::Entity::update_many()
            .col_expr(
                meeting::Column::Status,
                MeetingStatus::Cancelled.as_str().into(),
            )
            .col_expr(
                meeting::Column::Sequence,
                Expr::col(meeting::Column::Sequence).add(1),
            )
            .col_expr(meeting::Column::UpdatedAt, now.into())
            .col_expr(meeting::Column::UpdatedBy, Some(by.id).into())
            .filter(meeting::Column::Id.is_in(chunk.to_vec()))
            .exec(&txn)
            .await?;
    }
    // Moved ones, and cancelled ones placed again, keep their row.
    let mut placed_again: Vec<(Uuid, Placement)> =
        diff.moved.iter().map(|(m, p)| (m.id, p.clone())).collect();
    let mut inserted = Vec::new();
    let mut added_ids = Vec::new();
    // Every meeting as it is to be, for its holds.
    let mut to_hold: Vec<meeting::Model> = Vec::new();
    for (p, old) in &diff.added {
        match old {
            Some(m) => {
                placed_again.push((m.id, p.clone()));
                added_ids.push((m.id, p.clone()));
            }
            None => {
                let id = Uuid::now_v7();
                added_ids.push((id, p.clone()));
                let new = meeting::Model {
                    id,
                    event_id,
                    request_id: p.request_id,
                    slot_id: p.slot_id,
                    table_id: p.table_id,
                    status: MeetingStatus::Scheduled,
                    pinned: false,
                    sequence: 0,
                    run_id: Some(row.id),
                    created_at: now,
                    updated_at: now,
                    updated_by: Some(by.id),
                };
                to_hold.push(new.clone());
                inserted.push(meeting::ActiveModel::from(new));
            }
        }
    }
    let old_rows: HashMap<Uuid, &meeting::Model> = meetings.values().map(|m| (m.id, m)).collect();
    for (id, p) in &placed_again {
        if let Some(old) = old_rows.get(id) {
            to_hold.push(meeting::Model {
                slot_id: p.slot_id,
                table_id: p.table_id,
                status: MeetingStatus::Scheduled,
                ..(*old).clone()
            });
        }
    }
    for (id, p) in &placed_again {
        meeting::Entity::update_many()
            .col_expr(meeting::Column::SlotId, p.slot_id.into())
            .col_expr(meeting::Column::TableId, p.table_id.into())
            .col_expr(
                meeting::Column::Status,
                MeetingStatus::Scheduled.as_str().into(),
            )
            .col_expr(
                meeting::Column::Sequence,
                Expr::col(meeting::Column::Sequence).add(1),
            )
            .col_expr(meeting::Column::RunId, Some(row.id).into())
            .col_expr(meeting::Column::UpdatedAt, now.into())
            .col_expr(meeting::Column::UpdatedBy, Some(by.id).into())
            .filter(meeting::Column::Id.eq(*id))
            .exec(&txn)
            .await?;
    }
    let mut rest = inserted;
    while !rest.is_empty() {
        let tail = rest.split_off(rest.len().min(CHUNK));
        meeting::Entity::insert_many(rest)
            .exec_without_returning(&txn)
            .await?;
        rest = tail;
    }
    // The database decides: a person or table held twice in a slot refuses the whole
    // publication, naming what is in the way.
    let pairs: Vec<(&meeting::Model, &meeting_request::Model)> = to_hold
        .iter()
        .map(|m| (m, &requests[&m.request_id]))
        .collect();
    if let Err(err) = holds::take_all(&txn, &pairs).await {
        return Err(match err {
            HoldError::Taken(taken) => ScheduleError::Outdated(format!(
                "meetings changed since this run: {}; run the scheduler again",
                taken.words()
            )),
            HoldError::Database(e) => e.into(),
        });
    }

    // Requests: placed ones scheduled, dropped ones back to accepted.
    let placed: Vec<Uuid> = result.placements.iter().map(|p| p.request_id).collect();
    for chunk in placed.chunks(CHUNK) {
        set_request_status(
            &txn,
            chunk,
            MeetingRequestStatus::Accepted,
            MeetingRequestStatus::Scheduled,
        )
        .await?;
    }
    let unplaced: Vec<Uuid> = diff.dropped.iter().map(|m| m.request_id).collect();
    for chunk in unplaced.chunks(CHUNK) {
        set_request_status(
            &txn,
            chunk,
            MeetingRequestStatus::Scheduled,
            MeetingRequestStatus::Accepted,
        )
        .await?;
    }

    // Per person what changed.
    let mut people: BTreeMap<Uuid, PersonChange> = BTreeMap::new();
    let mut touch = |request: Uuid, meeting: Uuid, kind: u8| {
        let r = &requests[&request];
        for who in [r.requester_id, r.recipient_id] {
            let entry = people.entry(who).or_insert_with(|| PersonChange {
                participant_id: who,
                ..PersonChange::default()
            });
            match kind {
                0 => entry.added.push(meeting),
                1 => entry.moved.push(meeting),
                _ => entry.cancelled.push(meeting),
            }
        }
    };
    for (id, p) in &added_ids {
        touch(p.request_id, *id, 0);
    }
    for (m, _) in &diff.moved {
        touch(m.request_id, m.id, 1);
    }
    for m in &diff.dropped {
        touch(m.request_id, m.id, 2);
    }
    let changes: Vec<PersonChange> = people
        .into_values()
        .filter(|c| active.contains(&c.participant_id))
        .collect();
    let told = notify::meetings_changed(&txn, state, &access.event, &changes).await?;
    state.live.commit(txn, &told.messages).await?;
    if told.mailed {
        state.mail.wake();
    }
    Ok(PublishSummary {
        run_id: row.id,
        added: diff.added.len(),
        moved: diff.moved.len(),
        dropped: diff.dropped.len(),
        unchanged: diff.unchanged,
        people_affected: changes.len(),
        changes,
    })
}

async fn set_request_status<C: ConnectionTrait>(
    db: &C,
    ids: &[Uuid],
    from: MeetingRequestStatus,
    to: MeetingRequestStatus,
) -> ScheduleResult<()> {
    meeting_request::Entity::update_many()
        .col_expr(meeting_request::Column::Status, to.as_str().into())
        .col_expr(meeting_request::Column::UpdatedAt, Utc::now().into())
        .filter(meeting_request::Column::Id.is_in(ids.to_vec()))
        .filter(meeting_request::Column::Status.eq(from))
        .exec(db)
        .await?;
    Ok(())
}
