//! Meeting requests: asking someone for a one-to-one meeting, accepting, declining and
//! withdrawing, and what each person sees of their own requests.
//!
//! Every rule holds under concurrency, on SQLite and PostgreSQL, because the database
//! decides it inside one transaction (docs/meetings.md, "Concurrency"):
//!
//! - **one request per pair**, whichever way it was asked: a unique index on the pair's
//!   two participation ids in order (`pair_low`, `pair_high`);
//! - **limits** by conditional updates of the people's counter rows (`meeting_tally`):
//!   `UPDATE ... SET requests_sent = requests_sent + 1 WHERE requests_sent < limit`, and
//!   the same for `meetings`; no changed row means the limit is reached;
//! - **one answer per request**: the request row is locked and changed only from the state
//!   it was read in (`UPDATE ... WHERE id = ? AND status = 'pending'`).
//!
//! Lock order: the pair's two participations (in id order, which also checks that both
//! take part), then the request row, then the counter rows, then the event's live sequence
//! (publishing comes last). SQLite runs one writer at a time (`db::begin` takes the write
//! lock first); on PostgreSQL the locks queue everything that concerns one pair, on every
//! instance.

use std::collections::HashMap;
use std::sync::Arc;

use chrono::{DateTime, Utc};
use sea_orm::sea_query::{Expr, ExprTrait, OnConflict};
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, DatabaseTransaction, EntityTrait, QueryFilter,
    QueryOrder, QuerySelect, Set,
};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use super::notices::{self, Change};
use super::rules::{self, is_open, may_meet, meeting_limit};
use super::{
    MeetingPriority, MeetingRequestStatus, MeetingsError, MeetingsResult, Whose, not_a_participant,
};
use crate::bounds::{DECLINE_REASON_MAX, MEETING_MESSAGE_MAX};
use crate::domain::{Role, optional_multiline_text};
use crate::entities::{
    event, meeting_request, meeting_rules, meeting_tally, participation, person,
};
use crate::error::FieldError;
use crate::events::access;
use crate::live::LiveMessage;
use crate::state::AppState;

type Request = meeting_request::Model;

/// A new meeting request.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RequestInput {
    /// The other side: their participant id in the event (the `participant_id` of the
    /// people one sees, e.g. the other side of a request).
    pub participant_id: Uuid,
    pub priority: MeetingPriority,
    /// A few words for the other side (several lines allowed).
    pub message: Option<String>,
}

/// Accepting a request, optionally with one's own priority.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(default, deny_unknown_fields)]
pub struct AcceptInput {
    /// How much the one asked wants the meeting; without it, the scheduler weighs the
    /// requester's priority.
    pub priority: Option<MeetingPriority>,
}

/// Declining a request, optionally with a reason the requester reads.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(default, deny_unknown_fields)]
pub struct DeclineInput {
    pub reason: Option<String>,
}

/// Whether the reader sent or received a request.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Direction {
    Sent,
    Received,
}

/// The other side of a request, as the reader sees them.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct OtherSide {
    pub participant_id: Uuid,
    pub name: String,
    pub organisation: Option<String>,
    pub organisation_id: Option<Uuid>,
    pub role: Role,
}

/// A meeting request as one of its two people sees it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct MeetingRequestView {
    pub id: Uuid,
    pub direction: Direction,
    pub status: MeetingRequestStatus,
    pub other: OtherSide,
    /// The requester's priority.
    pub priority: MeetingPriority,
    pub message: Option<String>,
    /// The priority the one asked accepted with, if they gave one.
    pub answer_priority: Option<MeetingPriority>,
    /// Why the one asked declined, if they said.
    pub decline_reason: Option<String>,
    pub answered_at: Option<DateTime<Utc>>,
    /// When the one asked got the reminder of this unanswered request.
    pub reminded_at: Option<DateTime<Utc>>,
    /// When the organiser's rule for unanswered requests expired or accepted it (nobody
    /// answered).
    pub lapsed_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// One's counters and the limits they are held to.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct MyCounts {
    /// Open requests sent (pending, accepted or scheduled).
    pub requests_sent: i32,
    pub max_requests_sent: Option<i32>,
    /// Meetings (accepted or scheduled), on either side.
    pub meetings: i32,
    /// For one's role.
    pub max_meetings: Option<i32>,
}

/// What a participant needs to know of the organiser's rules.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct RulesForMe {
    pub acceptance_required: bool,
    pub deadline: Option<DateTime<Utc>>,
    /// Whether requests can be sent and answered now.
    pub open: bool,
    /// Whether one may ask people of one's own role.
    pub same_role_allowed: bool,
}

/// The caller's meeting requests, newest first.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct MyRequests {
    pub event_id: Uuid,
    pub sent: Vec<MeetingRequestView>,
    pub received: Vec<MeetingRequestView>,
    pub counts: MyCounts,
    pub rules: RulesForMe,
}

// ---- who the people are ----

/// The caller's active participation, or why they get nothing.
pub(super) async fn me<C: ConnectionTrait>(
    db: &C,
    by: &person::Model,
    event_id: Uuid,
) -> MeetingsResult<participation::Model> {
    access::active_participation(db, event_id, by.id)
        .await?
        .ok_or_else(|| not_a_participant(by))
}

/// Locks the two participations of a pair, in id order (so two transactions about the same
/// pair never wait for each other crosswise), and returns them as (`a`, `b`) again; `None`
/// for one that no longer takes part. `a`, the one acting, is locked exclusively (their
/// own requests run one after the other); `b` only in share mode, so that the many people
/// asking one popular supplier at once do not queue behind each other: the pair's unique
/// index and the counters' conditional updates decide between them, and `b` leaving the
/// event (an exclusive lock) still waits for them.
pub(super) async fn lock_pair(
    txn: &DatabaseTransaction,
    event_id: Uuid,
    a: &participation::Model,
    b: &participation::Model,
) -> MeetingsResult<(Option<participation::Model>, Option<participation::Model>)> {
    let lock = |p: &participation::Model| {
        let person_id = p.person_id;
        let acting = p.id == a.id;
        async move {
            if acting {
                access::lock_active_participation(txn, event_id, person_id).await
            } else {
                access::share_active_participation(txn, event_id, person_id).await
            }
        }
    };
    let (first, second) = if a.id <= b.id { (a, b) } else { (b, a) };
    let first = lock(first).await?;
    let second = lock(second).await?;
    Ok(if a.id <= b.id {
        (first, second)
    } else {
        (second, first)
    })
}

/// The request row, locked until commit.
pub(super) async fn lock_request(txn: &DatabaseTransaction, id: Uuid) -> MeetingsResult<Request> {
    meeting_request::Entity::find_by_id(id)
        .lock_exclusive()
        .one(txn)
        .await?
        .ok_or(MeetingsError::NotFound("meeting request"))
}

/// A request of the event that the caller (participation `mine`) is one side of; anyone
/// else finds none, whether it exists or not.
async fn own_request<C: ConnectionTrait>(
    db: &C,
    event_id: Uuid,
    mine: Uuid,
    request_id: Uuid,
) -> MeetingsResult<Request> {
    meeting_request::Entity::find_by_id(request_id)
        .filter(meeting_request::Column::EventId.eq(event_id))
        .filter(
            Condition::any()
                .add(meeting_request::Column::RequesterId.eq(mine))
                .add(meeting_request::Column::RecipientId.eq(mine)),
        )
        .one(db)
        .await?
        .ok_or(MeetingsError::NotFound("meeting request"))
}

fn check_open(rules: &meeting_rules::Model) -> MeetingsResult<()> {
    match rules.deadline {
        Some(deadline) if !is_open(rules, Utc::now()) => Err(MeetingsError::Closed { deadline }),
        _ => Ok(()),
    }
}

// ---- the counters ----

#[derive(Debug, Clone, Copy)]
pub(super) enum Counter {
    RequestsSent,
    Meetings,
}

/// Makes sure the counter rows of these participations exist (they start at zero).
pub(super) async fn ensure_tallies<C: ConnectionTrait>(
    db: &C,
    event_id: Uuid,
    participations: &[Uuid],
) -> MeetingsResult<()> {
    let rows = participations.iter().map(|id| meeting_tally::ActiveModel {
        participation_id: Set(*id),
        event_id: Set(event_id),
        requests_sent: Set(0),
        meetings: Set(0),
    });
    meeting_tally::Entity::insert_many(rows)
        .on_conflict(
            OnConflict::column(meeting_tally::Column::ParticipationId)
                .do_nothing()
                .to_owned(),
        )
        .exec_without_returning(db)
        .await?;
    Ok(())
}

/// Adds `delta` to one counter of a participation. With a limit, only while the counter is
/// below it: the database decides, and `false` means the limit is reached.
pub(super) async fn count<C: ConnectionTrait>(
    db: &C,
    participation_id: Uuid,
    counter: Counter,
    delta: i32,
    limit: Option<i32>,
) -> MeetingsResult<bool> {
    let column = match counter {
        Counter::RequestsSent => meeting_tally::Column::RequestsSent,
        Counter::Meetings => meeting_tally::Column::Meetings,
    };
    let mut update = meeting_tally::Entity::update_many()
        .col_expr(column, Expr::col(column).add(delta))
        .filter(meeting_tally::Column::ParticipationId.eq(participation_id));
    if let Some(limit) = limit.filter(|_| delta > 0) {
        update = update.filter(Expr::col(column).lt(limit));
    }
    Ok(update.exec(db).await?.rows_affected == 1)
}

/// Counts a new meeting for both people, each within their role's limit.
async fn count_meeting(
    txn: &DatabaseTransaction,
    rules: &meeting_rules::Model,
    mine: &participation::Model,
    theirs: &participation::Model,
) -> MeetingsResult<()> {
    for (who, whose) in [(mine, Whose::Mine), (theirs, Whose::Theirs)] {
        let limit = meeting_limit(rules, who.role);
        if !count(txn, who.id, Counter::Meetings, 1, limit).await? {
            return Err(MeetingsError::MeetingLimit {
                whose,
                limit: limit.unwrap_or_default(),
            });
        }
    }
    Ok(())
}

/// Changes request `id` as `row` says, only if it is still in the status `from` it was
/// read in; `None` when it was not.
pub(super) async fn transition(
    txn: &DatabaseTransaction,
    id: Uuid,
    from: MeetingRequestStatus,
    mut row: meeting_request::ActiveModel,
) -> MeetingsResult<Option<Request>> {
    use meeting_request::Column;
    row.updated_at = Set(Utc::now());
    let changed = meeting_request::Entity::update_many()
        .set(row)
        .filter(Column::Id.eq(id))
        .filter(Column::Status.eq(from))
        .exec_with_returning(txn)
        .await?;
    Ok(changed.into_iter().next())
}

// ---- reading ----

/// Name, organisation and role of each of these participations, keyed by participation.
pub(super) async fn other_sides<C: ConnectionTrait>(
    db: &C,
    participations: Vec<Uuid>,
) -> MeetingsResult<HashMap<Uuid, OtherSide>> {
    let parts = participation::Entity::find()
        .filter(participation::Column::Id.is_in(participations))
        .all(db)
        .await?;
    let (people, orgs) =
        crate::people::service::people_and_organisations(db, parts.iter().map(|p| p.person_id))
            .await?;
    Ok(parts
        .into_iter()
        .filter_map(|p| {
            let person = people.get(&p.person_id)?;
            Some((
                p.id,
                OtherSide {
                    participant_id: p.id,
                    name: person.name.clone(),
                    organisation: person.organisation_id.and_then(|o| orgs.get(&o).cloned()),
                    organisation_id: person.organisation_id,
                    role: p.role,
                },
            ))
        })
        .collect())
}

fn view_of(row: Request, reader: Uuid, other: OtherSide) -> MeetingRequestView {
    MeetingRequestView {
        id: row.id,
        direction: if row.requester_id == reader {
            Direction::Sent
        } else {
            Direction::Received
        },
        status: row.status,
        other,
        priority: row.priority,
        message: row.message,
        answer_priority: row.answer_priority,
        decline_reason: row.decline_reason,
        answered_at: row.answered_at,
        reminded_at: row.reminded_at,
        lapsed_at: row.lapsed_at,
        created_at: row.created_at,
        updated_at: row.updated_at,
    }
}

pub(super) fn other_of(row: &Request, reader: Uuid) -> Uuid {
    if row.requester_id == reader {
        row.recipient_id
    } else {
        row.requester_id
    }
}

/// One request as the participation `reader` sees it.
pub(crate) async fn view_for<C: ConnectionTrait>(
    db: &C,
    row: Request,
    reader: Uuid,
) -> MeetingsResult<MeetingRequestView> {
    let other = other_of(&row, reader);
    let other = other_sides(db, vec![other])
        .await?
        .remove(&other)
        .ok_or(MeetingsError::NotFound("participant"))?;
    Ok(view_of(row, reader, other))
}

/// The caller's sent and received requests, newest first, with their counters and the
/// rules that concern them.
pub async fn mine(
    state: &AppState,
    by: &person::Model,
    event_id: Uuid,
) -> MeetingsResult<MyRequests> {
    let db = &state.db;
    let me = me(db, by, event_id).await?;
    let rows = meeting_request::Entity::find()
        .filter(meeting_request::Column::EventId.eq(event_id))
        .filter(
            Condition::any()
                .add(meeting_request::Column::RequesterId.eq(me.id))
                .add(meeting_request::Column::RecipientId.eq(me.id)),
        )
        .order_by_desc(meeting_request::Column::CreatedAt)
        .order_by_desc(meeting_request::Column::Id)
        .all(db)
        .await?;
    let others = other_sides(db, rows.iter().map(|r| other_of(r, me.id)).collect()).await?;
    let (mut sent, mut received) = (Vec::new(), Vec::new());
    for row in rows {
        let Some(other) = others.get(&other_of(&row, me.id)).cloned() else {
            continue;
        };
        let view = view_of(row, me.id, other);
        match view.direction {
            Direction::Sent => sent.push(view),
            Direction::Received => received.push(view),
        }
    }
    let rules = rules::load(db, event_id).await?;
    let tally = meeting_tally::Entity::find_by_id(me.id).one(db).await?;
    Ok(MyRequests {
        event_id,
        sent,
        received,
        counts: MyCounts {
            requests_sent: tally.as_ref().map_or(0, |t| t.requests_sent),
            max_requests_sent: rules.max_requests_sent,
            meetings: tally.as_ref().map_or(0, |t| t.meetings),
            max_meetings: meeting_limit(&rules, me.role),
        },
        rules: RulesForMe {
            acceptance_required: rules.acceptance_required,
            deadline: rules.deadline,
            open: is_open(&rules, Utc::now()),
            same_role_allowed: may_meet(&rules, me.role, me.role),
        },
    })
}

// ---- asking ----

fn invalid(field: &str, code: &str, message: &str) -> MeetingsError {
    MeetingsError::Invalid(vec![FieldError::new(field, code, message)])
}

fn not_in_event() -> MeetingsError {
    invalid(
        "participant_id",
        "not_found",
        "not a participant of this event",
    )
}

/// Asks the participant named in `input` for a meeting. With acceptance off in the
/// event's rules, the request counts as accepted at once.
pub async fn create(
    state: &AppState,
    by: &person::Model,
    event_id: Uuid,
    input: RequestInput,
) -> MeetingsResult<MeetingRequestView> {
    let mut errors = Vec::new();
    let message = optional_multiline_text(
        input.message.as_deref(),
        "message",
        MEETING_MESSAGE_MAX,
        &mut errors,
    );
    if !errors.is_empty() {
        return Err(MeetingsError::Invalid(errors));
    }
    crate::db::retrying("meeting request", || {
        create_once(state, by, event_id, &input, message.clone())
    })
    .await
}

async fn create_once(
    state: &AppState,
    by: &person::Model,
    event_id: Uuid,
    input: &RequestInput,
    message: Option<String>,
) -> MeetingsResult<MeetingRequestView> {
    let txn = crate::db::begin(&state.db).await?;
    let mine = me(&txn, by, event_id).await?;
    if !matches!(mine.role, Role::Buyer | Role::Supplier) {
        return Err(MeetingsError::Forbidden(
            "only buyers and suppliers request one-to-one meetings".into(),
        ));
    }
    if input.participant_id == mine.id {
        return Err(invalid(
            "participant_id",
            "self",
            "you cannot request a meeting with yourself",
        ));
    }
    let theirs = participation::Entity::find_by_id(input.participant_id)
        .filter(participation::Column::EventId.eq(event_id))
        .one(&txn)
        .await?
        .ok_or_else(not_in_event)?;
    let (mine, theirs) = match lock_pair(&txn, event_id, &mine, &theirs).await? {
        (None, _) => return Err(not_a_participant(by)),
        (_, None) => return Err(not_in_event()),
        (Some(mine), Some(theirs)) => (mine, theirs),
    };
    let rules = rules::load(&txn, event_id).await?;
    if !may_meet(&rules, mine.role, theirs.role) {
        return Err(invalid(
            "participant_id",
            "role_not_allowed",
            &match (mine.role, theirs.role) {
                (Role::Buyer, Role::Buyer) => {
                    "buyers do not request meetings with other buyers at this event".to_string()
                }
                (Role::Supplier, Role::Supplier) => {
                    "suppliers do not request meetings with other suppliers at this event"
                        .to_string()
                }
                _ => "one-to-one meetings are between buyers and suppliers".to_string(),
            },
        ));
    }
    check_open(&rules)?;

    // The pair's one row: a standing or declined request refuses, a withdrawn or expired
    // one is asked again. Both people are locked, and the unique index backs it up.
    let (low, high) = if mine.id < theirs.id {
        (mine.id, theirs.id)
    } else {
        (theirs.id, mine.id)
    };
    let existing = meeting_request::Entity::find()
        .filter(meeting_request::Column::PairLow.eq(low))
        .filter(meeting_request::Column::PairHigh.eq(high))
        .lock_exclusive()
        .one(&txn)
        .await?;
    if let Some(row) = &existing {
        if row.status == MeetingRequestStatus::Declined {
            return Err(MeetingsError::Declined { request_id: row.id });
        }
        if row.status.is_open() {
            return Err(MeetingsError::Exists {
                request_id: row.id,
                sent: row.requester_id == mine.id,
            });
        }
    }

    ensure_tallies(&txn, event_id, &[mine.id, theirs.id]).await?;
    if !count(
        &txn,
        mine.id,
        Counter::RequestsSent,
        1,
        rules.max_requests_sent,
    )
    .await?
    {
        return Err(MeetingsError::SendLimit {
            limit: rules.max_requests_sent.unwrap_or_default(),
        });
    }
    let accepted = !rules.acceptance_required;
    if accepted {
        count_meeting(&txn, &rules, &mine, &theirs).await?;
    }
    let now = Utc::now();
    let status = if accepted {
        MeetingRequestStatus::Accepted
    } else {
        MeetingRequestStatus::Pending
    };
    let fresh = meeting_request::ActiveModel {
        id: Set(existing.as_ref().map_or_else(Uuid::now_v7, |r| r.id)),
        event_id: Set(event_id),
        requester_id: Set(mine.id),
        recipient_id: Set(theirs.id),
        pair_low: Set(low),
        pair_high: Set(high),
        status: Set(status),
        priority: Set(input.priority),
        message: Set(message),
        answer_priority: Set(None),
        decline_reason: Set(None),
        answered_at: Set(accepted.then_some(now)),
        reminded_at: Set(None),
        lapsed_at: Set(None),
        created_at: Set(now),
        updated_at: Set(now),
    };
    let row = match existing {
        // Asked again after a withdrawal or expiry: the same row, from whoever asks now.
        Some(old) => transition(&txn, old.id, old.status, fresh)
            .await?
            .ok_or_else(|| {
                MeetingsError::Conflict("the request changed meanwhile; try again".into())
            })?,
        None => insert_pair(&txn, fresh, mine.id, low, high).await?,
    };
    let event = event_of(&txn, event_id).await?;
    let change = if accepted {
        Change::ReceivedAccepted
    } else {
        Change::Received
    };
    let (messages, mailed) =
        notices::tell(&txn, state, &event, &row, &mine, &theirs, change).await?;
    let answer = view_for(&txn, row, mine.id).await?;
    commit(state, txn, &messages, mailed).await?;
    Ok(answer)
}

/// Inserts the pair's first request. The unique index on the pair decides: should another
/// request of the pair have been made meanwhile (the people's locks make that impossible,
/// the index makes it certain), the answer names it.
async fn insert_pair(
    txn: &DatabaseTransaction,
    fresh: meeting_request::ActiveModel,
    mine: Uuid,
    low: Uuid,
    high: Uuid,
) -> MeetingsResult<Request> {
    use meeting_request::Column;
    let id = fresh.id.clone().take();
    let inserted = meeting_request::Entity::insert(fresh)
        .on_conflict(
            OnConflict::columns([Column::PairLow, Column::PairHigh])
                .do_nothing()
                .to_owned(),
        )
        .exec_without_returning(txn)
        .await?;
    let row = meeting_request::Entity::find()
        .filter(Column::PairLow.eq(low))
        .filter(Column::PairHigh.eq(high))
        .one(txn)
        .await?
        .ok_or(MeetingsError::NotFound("meeting request"))?;
    if inserted == 1 && Some(row.id) == id {
        return Ok(row);
    }
    Err(if row.status == MeetingRequestStatus::Declined {
        MeetingsError::Declined { request_id: row.id }
    } else {
        MeetingsError::Exists {
            request_id: row.id,
            sent: row.requester_id == mine,
        }
    })
}

pub(super) async fn event_of<C: ConnectionTrait>(
    db: &C,
    event_id: Uuid,
) -> MeetingsResult<event::Model> {
    event::Entity::find_by_id(event_id)
        .one(db)
        .await?
        .ok_or(MeetingsError::NotFound("event"))
}

pub(super) async fn commit(
    state: &AppState,
    txn: DatabaseTransaction,
    messages: &[Arc<LiveMessage>],
    mailed: bool,
) -> MeetingsResult<()> {
    state.live.commit(txn, messages).await?;
    if mailed {
        state.mail.wake();
    }
    Ok(())
}

// ---- answering and withdrawing ----

/// What the caller does to a request.
#[derive(Debug, Clone)]
enum Act {
    Accept(Option<MeetingPriority>),
    Decline(Option<String>),
    Withdraw,
}

/// Accepts a request one received.
pub async fn accept(
    state: &AppState,
    by: &person::Model,
    event_id: Uuid,
    request_id: Uuid,
    input: AcceptInput,
) -> MeetingsResult<MeetingRequestView> {
    let act = Act::Accept(input.priority);
    crate::db::retrying("meeting request", || {
        act_once(state, by, event_id, request_id, act.clone())
    })
    .await
}

/// Declines a request one received; the pair cannot ask each other again.
pub async fn decline(
    state: &AppState,
    by: &person::Model,
    event_id: Uuid,
    request_id: Uuid,
    input: DeclineInput,
) -> MeetingsResult<MeetingRequestView> {
    let mut errors = Vec::new();
    let reason = optional_multiline_text(
        input.reason.as_deref(),
        "reason",
        DECLINE_REASON_MAX,
        &mut errors,
    );
    if !errors.is_empty() {
        return Err(MeetingsError::Invalid(errors));
    }
    let act = Act::Decline(reason);
    crate::db::retrying("meeting request", || {
        act_once(state, by, event_id, request_id, act.clone())
    })
    .await
}

/// Withdraws a request one sent, pending or accepted, until it is scheduled.
pub async fn withdraw(
    state: &AppState,
    by: &person::Model,
    event_id: Uuid,
    request_id: Uuid,
) -> MeetingsResult<MeetingRequestView> {
    crate::db::retrying("meeting request", || {
        act_once(state, by, event_id, request_id, Act::Withdraw)
    })
    .await
}

/// Only the one asked answers a request, and only the one who asked withdraws it.
fn check_side(row: &Request, mine: Uuid, answering: bool) -> MeetingsResult<()> {
    match (answering, row.recipient_id == mine) {
        (true, false) => Err(MeetingsError::Forbidden(
            "only the one asked answers a meeting request".into(),
        )),
        (false, true) => Err(MeetingsError::Forbidden(
            "only the one who asked withdraws a meeting request".into(),
        )),
        _ => Ok(()),
    }
}

async fn act_once(
    state: &AppState,
    by: &person::Model,
    event_id: Uuid,
    request_id: Uuid,
    act: Act,
) -> MeetingsResult<MeetingRequestView> {
    let txn = crate::db::begin(&state.db).await?;
    let mine = me(&txn, by, event_id).await?;
    let seen = own_request(&txn, event_id, mine.id, request_id).await?;
    let answering = !matches!(act, Act::Withdraw);
    check_side(&seen, mine.id, answering)?;
    let other_id = other_of(&seen, mine.id);
    let other = participation::Entity::find_by_id(other_id)
        .one(&txn)
        .await?
        .ok_or(MeetingsError::NotFound("meeting request"))?;
    let (mine, theirs) = match lock_pair(&txn, event_id, &mine, &other).await? {
        (None, _) => return Err(not_a_participant(by)),
        (Some(mine), Some(theirs)) => (mine, theirs),
        // Withdrawing stays possible when the other side left the event; answering
        // someone who left is not.
        (Some(mine), None) if !answering => (mine, other),
        (Some(_), None) => {
            return Err(MeetingsError::Conflict(
                "the one who asked no longer takes part in the event".into(),
            ));
        }
    };
    // Read again under the lock: whoever came first has changed it by now (a withdrawn
    // request may even have been asked again the other way round).
    let row = lock_request(&txn, request_id).await?;
    check_side(&row, mine.id, answering)?;
    let rules = rules::load(&txn, event_id).await?;
    let now = Utc::now();
    let mut update = meeting_request::ActiveModel {
        id: Set(row.id),
        ..Default::default()
    };
    let (change, from) = match act {
        Act::Accept(priority) => {
            if row.status != MeetingRequestStatus::Pending {
                return Err(MeetingsError::NotPending { status: row.status });
            }
            check_open(&rules)?;
            ensure_tallies(&txn, event_id, &[mine.id, theirs.id]).await?;
            count_meeting(&txn, &rules, &mine, &theirs).await?;
            update.status = Set(MeetingRequestStatus::Accepted);
            update.answer_priority = Set(priority);
            update.answered_at = Set(Some(now));
            (Change::Accepted, MeetingRequestStatus::Pending)
        }
        Act::Decline(reason) => {
            if row.status != MeetingRequestStatus::Pending {
                return Err(MeetingsError::NotPending { status: row.status });
            }
            check_open(&rules)?;
            // A declined request no longer counts against the requester's limit.
            ensure_tallies(&txn, event_id, &[theirs.id]).await?;
            count(&txn, theirs.id, Counter::RequestsSent, -1, None).await?;
            update.status = Set(MeetingRequestStatus::Declined);
            update.decline_reason = Set(reason);
            update.answered_at = Set(Some(now));
            (Change::Declined, MeetingRequestStatus::Pending)
        }
        Act::Withdraw => {
            let was_meeting = match row.status {
                MeetingRequestStatus::Pending => false,
                MeetingRequestStatus::Accepted => true,
                status => return Err(MeetingsError::NotWithdrawable { status }),
            };
            ensure_tallies(&txn, event_id, &[mine.id, theirs.id]).await?;
            count(&txn, mine.id, Counter::RequestsSent, -1, None).await?;
            if was_meeting {
                count(&txn, mine.id, Counter::Meetings, -1, None).await?;
                count(&txn, theirs.id, Counter::Meetings, -1, None).await?;
            }
            update.status = Set(MeetingRequestStatus::Withdrawn);
            (Change::Withdrawn { was_meeting }, row.status)
        }
    };
    let row = transition(&txn, request_id, from, update)
        .await?
        .ok_or_else(|| {
            MeetingsError::Conflict("the request changed meanwhile; try again".into())
        })?;
    let event = event_of(&txn, event_id).await?;
    let (requester, recipient) = if row.requester_id == mine.id {
        (&mine, &theirs)
    } else {
        (&theirs, &mine)
    };
    let (messages, mailed) =
        notices::tell(&txn, state, &event, &row, requester, recipient, change).await?;
    let answer = view_for(&txn, row, mine.id).await?;
    commit(state, txn, &messages, mailed).await?;
    Ok(answer)
}
