//! Seats: signing up and cancelling, the waitlist, promotions and organisers' overrides.
//!
//! Every seat is decided in the database, inside one transaction, by a conditional UPDATE
//! of the session row (`confirmed_count < capacity`, and the role's count below the role's
//! limit); whether it changed a row says confirmed or waitlisted. Waitlist numbers come
//! from the same row (`waitlist_seq + 1`). On PostgreSQL that UPDATE holds the row lock
//! until commit, so sign-ups for one session queue on it, on every server instance; on
//! SQLite writers run one at a time (`db::begin` takes the write lock first).
//!
//! Two sessions at the same time cannot both hold a seat for one person: a sign-up first
//! locks the person's participation row (`SELECT ... FOR UPDATE`), so one person's
//! sign-ups run one after the other, and then looks for a confirmed overlapping session.
//!
//! Lock order: person, then session, then the event's live sequence (publishing comes
//! last). A freed seat locks the session, then the people it considers; PostgreSQL breaks
//! the rare crossing of the two as a deadlock and [`crate::db::retrying`] runs it again.

use std::collections::HashMap;
use std::sync::Arc;

use chrono::Utc;
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, DatabaseTransaction, EntityTrait,
    PaginatorTrait, QueryFilter, QueryOrder, QuerySelect, Set,
};
use serde::{Deserialize, Serialize};
use serde_json::json;
use utoipa::ToSchema;
use uuid::Uuid;

use super::service::{self, SignupWindow, closes_at, find, other_session, window};
use super::{ProgrammeError, ProgrammeResult, SignupAction, SignupStatus};
use crate::auth::service::{LinkPurpose, issue_link};
use crate::domain::{Lang, LiveKind, Role};
use crate::entities::{
    event, participation, person, programme_session, room, session_signup, session_signup_log,
};
use crate::events::access;
use crate::live::{self, Audience, LiveMessage};
use crate::mail::templates::{Mail, SeatReason, To, render};
use crate::state::AppState;

type Session = programme_session::Model;

/// The answer to a sign-up.
#[derive(Debug, Serialize, ToSchema)]
pub struct SignupOutcome {
    pub session_id: Uuid,
    pub status: SignupStatus,
    /// 1 for the first on the waitlist; `null` when confirmed.
    pub waitlist_position: Option<i64>,
    pub confirmed_count: i32,
    pub waitlist_count: i64,
}

// ---- the counters on the session row ----

/// The session row's counter and limit for a role with seats of its own.
fn role_columns(role: Role) -> Option<(programme_session::Column, programme_session::Column)> {
    match role {
        Role::Buyer => Some((
            programme_session::Column::ConfirmedBuyers,
            programme_session::Column::CapacityBuyers,
        )),
        Role::Supplier => Some((
            programme_session::Column::ConfirmedSuppliers,
            programme_session::Column::CapacitySuppliers,
        )),
        Role::Organiser | Role::Facilitator => None,
    }
}

/// Whether someone of this role would fit in the session as its counters stand.
fn fits(s: &Session, role: Role) -> bool {
    let role_fits = match role {
        Role::Buyer => s.capacity_buyers.is_none_or(|cap| s.confirmed_buyers < cap),
        Role::Supplier => s
            .capacity_suppliers
            .is_none_or(|cap| s.confirmed_suppliers < cap),
        Role::Organiser | Role::Facilitator => true,
    };
    s.confirmed_count < s.capacity && role_fits
}

/// Adds `delta` seats for `role`. With `within_capacity`, only while a seat is free for
/// that role: the database decides, and `None` means the session is full for it.
async fn count_seat<C: ConnectionTrait>(
    db: &C,
    session_id: Uuid,
    role: Role,
    delta: i32,
    within_capacity: bool,
) -> ProgrammeResult<Option<Session>> {
    use programme_session::Column;
    let mut update = programme_session::Entity::update_many()
        .col_expr(
            Column::ConfirmedCount,
            Expr::col(Column::ConfirmedCount).add(delta),
        )
        .filter(Column::Id.eq(session_id));
    if let Some((count, cap)) = role_columns(role) {
        update = update.col_expr(count, Expr::col(count).add(delta));
        if within_capacity {
            update = update.filter(
                Condition::any()
                    .add(cap.is_null())
                    .add(Expr::col(count).lt(Expr::col(cap))),
            );
        }
    }
    if within_capacity {
        update = update.filter(Expr::col(Column::ConfirmedCount).lt(Expr::col(Column::Capacity)));
    }
    Ok(update.exec_with_returning(db).await?.pop())
}

/// Takes a seat if one is free for the role.
async fn take_seat<C: ConnectionTrait>(
    db: &C,
    session_id: Uuid,
    role: Role,
) -> ProgrammeResult<Option<Session>> {
    count_seat(db, session_id, role, 1, true).await
}

/// Takes a seat whatever the capacity (an organiser's decision).
async fn force_seat<C: ConnectionTrait>(
    db: &C,
    session_id: Uuid,
    role: Role,
) -> ProgrammeResult<Session> {
    count_seat(db, session_id, role, 1, false)
        .await?
        .ok_or(ProgrammeError::NotFound("session"))
}

async fn release_seat<C: ConnectionTrait>(
    db: &C,
    session_id: Uuid,
    role: Role,
) -> ProgrammeResult<Session> {
    count_seat(db, session_id, role, -1, false)
        .await?
        .ok_or(ProgrammeError::NotFound("session"))
}

/// Hands out the session's next waitlist number.
async fn next_waitlist_number<C: ConnectionTrait>(
    db: &C,
    session_id: Uuid,
) -> ProgrammeResult<Session> {
    use programme_session::Column;
    programme_session::Entity::update_many()
        .col_expr(Column::WaitlistSeq, Expr::col(Column::WaitlistSeq).add(1))
        .filter(Column::Id.eq(session_id))
        .exec_with_returning(db)
        .await?
        .pop()
        .ok_or(ProgrammeError::NotFound("session"))
}

/// Locks the session row until commit (on PostgreSQL; SQLite's writer lock covers it):
/// whoever changes its seats or its waitlist order goes through here or a counter update.
pub(crate) async fn lock_session<C: ConnectionTrait>(
    db: &C,
    event_id: Uuid,
    session_id: Uuid,
) -> ProgrammeResult<Session> {
    use programme_session::Column;
    programme_session::Entity::update_many()
        .col_expr(Column::WaitlistSeq, Expr::col(Column::WaitlistSeq))
        .filter(Column::Id.eq(session_id))
        .filter(Column::EventId.eq(event_id))
        .exec_with_returning(db)
        .await?
        .pop()
        .ok_or(ProgrammeError::NotFound("session"))
}

/// The person's active participation, locked until commit so that one person's sign-ups
/// (and promotions) run one at a time.
async fn lock_person<C: ConnectionTrait>(
    db: &C,
    event_id: Uuid,
    person_id: Uuid,
) -> ProgrammeResult<Option<participation::Model>> {
    Ok(access::lock_active_participation(db, event_id, person_id).await?)
}

/// Why someone without an active participation gets nothing: platform admins may look but
/// not sign up; anyone else does not find the event.
pub(crate) fn not_a_participant(by: &person::Model) -> ProgrammeError {
    if by.is_admin {
        ProgrammeError::Forbidden("only the event's participants sign up for sessions".into())
    } else {
        ProgrammeError::NotFound("event")
    }
}

// ---- the waitlist ----

pub(crate) async fn waitlist_counts<C: ConnectionTrait>(
    db: &C,
    sessions: &[Uuid],
) -> ProgrammeResult<HashMap<Uuid, i64>> {
    Ok(session_signup::Entity::find()
        .select_only()
        .column(session_signup::Column::SessionId)
        .column_as(session_signup::Column::Id.count(), "waiting")
        .filter(session_signup::Column::SessionId.is_in(sessions.to_vec()))
        .filter(session_signup::Column::Status.eq(SignupStatus::Waitlisted))
        .group_by(session_signup::Column::SessionId)
        .into_tuple::<(Uuid, i64)>()
        .all(db)
        .await?
        .into_iter()
        .collect())
}

async fn waitlist_count<C: ConnectionTrait>(db: &C, session_id: Uuid) -> ProgrammeResult<i64> {
    Ok(waitlist_counts(db, &[session_id])
        .await?
        .get(&session_id)
        .copied()
        .unwrap_or(0))
}

/// A waitlisted sign-up's place: how many wait with the same or a smaller number.
pub(crate) async fn position<C: ConnectionTrait>(
    db: &C,
    row: &session_signup::Model,
) -> ProgrammeResult<Option<i64>> {
    let (SignupStatus::Waitlisted, Some(seq)) = (row.status, row.waitlist_seq) else {
        return Ok(None);
    };
    let ahead = session_signup::Entity::find()
        .filter(session_signup::Column::SessionId.eq(row.session_id))
        .filter(session_signup::Column::Status.eq(SignupStatus::Waitlisted))
        .filter(session_signup::Column::WaitlistSeq.lte(seq))
        .count(db)
        .await?;
    Ok(Some(ahead as i64))
}

async fn waiting<C: ConnectionTrait>(
    db: &C,
    session_id: Uuid,
) -> ProgrammeResult<Vec<session_signup::Model>> {
    Ok(session_signup::Entity::find()
        .filter(session_signup::Column::SessionId.eq(session_id))
        .filter(session_signup::Column::Status.eq(SignupStatus::Waitlisted))
        .order_by_asc(session_signup::Column::WaitlistSeq)
        .all(db)
        .await?)
}

async fn signup_of<C: ConnectionTrait>(
    db: &C,
    session_id: Uuid,
    person_id: Uuid,
) -> ProgrammeResult<Option<session_signup::Model>> {
    Ok(session_signup::Entity::find()
        .filter(session_signup::Column::SessionId.eq(session_id))
        .filter(session_signup::Column::PersonId.eq(person_id))
        .one(db)
        .await?)
}

// ---- overlaps ----

/// Another session of the event, at a time overlapping `s`, where the person has a seat.
async fn overlapping_seat<C: ConnectionTrait>(
    db: &C,
    person_id: Uuid,
    s: &Session,
) -> ProgrammeResult<Option<Session>> {
    let seats: Vec<Uuid> = session_signup::Entity::find()
        .filter(session_signup::Column::EventId.eq(s.event_id))
        .filter(session_signup::Column::PersonId.eq(person_id))
        .filter(session_signup::Column::Status.eq(SignupStatus::Confirmed))
        .filter(session_signup::Column::SessionId.ne(s.id))
        .select_only()
        .column(session_signup::Column::SessionId)
        .into_tuple::<Uuid>()
        .all(db)
        .await?;
    if seats.is_empty() {
        return Ok(None);
    }
    Ok(programme_session::Entity::find()
        .filter(programme_session::Column::Id.is_in(seats))
        .filter(programme_session::Column::StartsAt.lt(s.ends_at))
        .filter(programme_session::Column::EndsAt.gt(s.starts_at))
        .order_by_asc(programme_session::Column::StartsAt)
        .one(db)
        .await?)
}

/// Before a session moves in time: nobody with a seat in it may end up with two sessions
/// at once. Their participations are locked so no sign-up slips in meanwhile.
pub(crate) async fn check_time_change<C: ConnectionTrait>(
    db: &C,
    s: &Session,
) -> ProgrammeResult<()> {
    let mut people: Vec<Uuid> = session_signup::Entity::find()
        .filter(session_signup::Column::SessionId.eq(s.id))
        .filter(session_signup::Column::Status.eq(SignupStatus::Confirmed))
        .select_only()
        .column(session_signup::Column::PersonId)
        .into_tuple::<Uuid>()
        .all(db)
        .await?;
    people.sort();
    let mut clashes = 0;
    let mut first: Option<Session> = None;
    for person_id in people {
        lock_person(db, s.event_id, person_id).await?;
        if let Some(other) = overlapping_seat(db, person_id, s).await? {
            clashes += 1;
            first.get_or_insert(other);
        }
    }
    match first {
        Some(other) => Err(ProgrammeError::TimeConflict {
            people: clashes,
            other: Box::new(other_session(&other)),
        }),
        None => Ok(()),
    }
}

// ---- what a change tells people ----

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum NoticeKind {
    Promoted,
    Added,
    Removed,
    Moved,
}

#[derive(Debug)]
struct Notice {
    person_id: Uuid,
    session_id: Uuid,
    kind: NoticeKind,
    /// The sign-up whose seat the email's calendar file is about: given, or ended (`None`:
    /// no seat, so no calendar file).
    seat: Option<Uuid>,
}

/// What one transaction changed about seats: the sessions whose counts moved and the
/// people to tell. [`SeatChange::publish`] turns it into live messages (and emails)
/// inside the same transaction.
#[derive(Debug, Default)]
pub(crate) struct SeatChange {
    sessions: Vec<Uuid>,
    notices: Vec<Notice>,
    mails: usize,
}

/// The seat counts of a session as open programme pages receive them.
#[derive(Debug, Serialize, ToSchema)]
pub struct SeatCounts {
    pub session_id: Uuid,
    pub capacity: i32,
    pub role_capacity: service::RoleCapacity,
    pub confirmed_count: i32,
    pub confirmed_by_role: service::RoleCounts,
    pub waitlist_count: i64,
    pub seats_left: i32,
}

impl SeatChange {
    fn touched(&mut self, session_id: Uuid) {
        if !self.sessions.contains(&session_id) {
            self.sessions.push(session_id);
        }
    }

    fn notify(&mut self, person_id: Uuid, session_id: Uuid, kind: NoticeKind, seat: Option<Uuid>) {
        self.notices.push(Notice {
            person_id,
            session_id,
            kind,
            seat,
        });
    }

    pub(crate) fn mailed(&self) -> bool {
        self.mails > 0
    }

    /// Publishes the new seat counts to everyone on the event, and to each person told a
    /// private message; promoted, added and removed people get an email too.
    pub(crate) async fn publish(
        &mut self,
        txn: &DatabaseTransaction,
        state: &AppState,
        event: &event::Model,
    ) -> ProgrammeResult<Vec<Arc<LiveMessage>>> {
        let mut messages = Vec::new();
        for session_id in &self.sessions {
            let Some(s) = programme_session::Entity::find_by_id(*session_id)
                .one(txn)
                .await?
            else {
                continue;
            };
            let waiting = waitlist_count(txn, s.id).await?;
            messages.push(publish_seats(txn, &s, waiting).await?);
        }
        let notices = std::mem::take(&mut self.notices);
        for notice in &notices {
            let row = signup_of(txn, notice.session_id, notice.person_id).await?;
            let (status, waitlist_position) = match &row {
                Some(r) => (Some(r.status), position(txn, r).await?),
                None => (None, None),
            };
            let reason = match notice.kind {
                NoticeKind::Promoted => "promoted",
                NoticeKind::Added => "added",
                NoticeKind::Removed => "removed",
                NoticeKind::Moved => "moved",
            };
            messages.push(
                live::publish(
                    txn,
                    event.id,
                    Audience::Person(notice.person_id),
                    LiveKind::MySignup,
                    json!({
                        "session_id": notice.session_id,
                        "status": status,
                        "waitlist_position": waitlist_position,
                        "reason": reason,
                    }),
                )
                .await?,
            );
            if notice.kind != NoticeKind::Moved && mail(txn, state, event, notice).await? {
                self.mails += 1;
            }
        }
        Ok(messages)
    }
}

/// Emails the person told in `notice` (in their language); false when they are gone.
async fn mail(
    txn: &DatabaseTransaction,
    state: &AppState,
    event: &event::Model,
    notice: &Notice,
) -> ProgrammeResult<bool> {
    let (Some(person), Some(s)) = (
        person::Entity::find_by_id(notice.person_id)
            .one(txn)
            .await?,
        programme_session::Entity::find_by_id(notice.session_id)
            .one(txn)
            .await?,
    ) else {
        return Ok(false);
    };
    let room = room_name(txn, s.room_id).await?;
    let lang = person.language;
    let title = title_in(&s, lang);
    let when = when_of(&s);
    let link = issue_link(
        txn,
        state,
        person.id,
        LinkPurpose::Invitation,
        Some(event.id),
    )
    .await?;
    let minutes = state.settings.auth.invitation_link_hours * 60;
    let mail = match notice.kind {
        NoticeKind::Promoted | NoticeKind::Added => Mail::SessionSeat {
            event: &event.name,
            session: title,
            when: &when,
            room: room.as_deref(),
            reason: if notice.kind == NoticeKind::Promoted {
                SeatReason::FromWaitlist
            } else {
                SeatReason::ByOrganiser
            },
            link: &link,
            minutes,
        },
        NoticeKind::Removed | NoticeKind::Moved => Mail::SessionRemoved {
            event: &event.name,
            session: title,
            when: &when,
            link: &link,
            minutes,
        },
    };
    let calendar = notice
        .seat
        .map(|seat| {
            let ended = notice.kind == NoticeKind::Removed;
            vec![crate::calendar::session_invite(
                &state.settings.mail,
                event,
                &person,
                &s,
                room.as_deref(),
                seat,
                ended,
            )]
        })
        .unwrap_or_default();
    state
        .mail
        .enqueue(
            txn,
            render(mail, (&person).into(), Some(event)).with_calendar(calendar),
        )
        .await?;
    Ok(true)
}

/// A session's title in the reader's language.
pub(crate) fn title_in(s: &Session, lang: Lang) -> &str {
    match lang {
        Lang::Nl => &s.title_nl,
        Lang::En => &s.title_en,
    }
}

/// A session's day and local times as emails say them: `2027-03-11, 14:00–15:00`.
pub(crate) fn when_of(s: &Session) -> String {
    format!(
        "{}, {}–{}",
        s.local_date.format("%Y-%m-%d"),
        crate::events::grid::clock(s.start_minute),
        crate::events::grid::clock(s.end_minute)
    )
}

pub(crate) async fn room_name<C: ConnectionTrait>(
    db: &C,
    room_id: Option<Uuid>,
) -> ProgrammeResult<Option<String>> {
    Ok(match room_id {
        Some(id) => room::Entity::find_by_id(id).one(db).await?.map(|r| r.name),
        None => None,
    })
}

/// Confirms a sign-up by email: the seat, or the place on the waitlist.
async fn mail_signed_up(
    txn: &DatabaseTransaction,
    state: &AppState,
    event_id: Uuid,
    person: &person::Model,
    s: &Session,
    waitlist_position: Option<i64>,
) -> ProgrammeResult<()> {
    let event = event_of(txn, event_id).await?;
    let room = room_name(txn, s.room_id).await?;
    let lang = person.language;
    let when = when_of(s);
    let link = issue_link(
        txn,
        state,
        person.id,
        LinkPurpose::Invitation,
        Some(event.id),
    )
    .await?;
    let mail = Mail::SessionSignedUp {
        event: &event.name,
        session: title_in(s, lang),
        when: &when,
        room: room.as_deref(),
        waitlist_position,
        link: &link,
        minutes: state.settings.auth.invitation_link_hours * 60,
    };
    state
        .mail
        .enqueue(txn, render(mail, To::from(person), Some(&event)))
        .await?;
    Ok(())
}

/// Tells everyone on the event a session's new seat counts.
async fn publish_seats<C: ConnectionTrait>(
    db: &C,
    s: &Session,
    waitlist_count: i64,
) -> ProgrammeResult<Arc<LiveMessage>> {
    let counts = SeatCounts {
        session_id: s.id,
        capacity: s.capacity,
        role_capacity: service::RoleCapacity {
            buyer: s.capacity_buyers,
            supplier: s.capacity_suppliers,
        },
        confirmed_count: s.confirmed_count,
        confirmed_by_role: service::RoleCounts {
            buyer: s.confirmed_buyers,
            supplier: s.confirmed_suppliers,
        },
        waitlist_count,
        seats_left: Ord::max(s.capacity - s.confirmed_count, 0),
    };
    Ok(live::publish(
        db,
        s.event_id,
        Audience::Event,
        LiveKind::SessionSeats,
        json(&counts)?,
    )
    .await?)
}

fn json<T: Serialize>(value: &T) -> ProgrammeResult<serde_json::Value> {
    serde_json::to_value(value)
        .map_err(|e| ProgrammeError::App(crate::error::AppError::Internal(e.into())))
}

async fn log(
    txn: &DatabaseTransaction,
    s: &Session,
    person_id: Uuid,
    action: SignupAction,
    by: Option<Uuid>,
    (from_position, to_position): (Option<i64>, Option<i64>),
) -> ProgrammeResult<()> {
    session_signup_log::ActiveModel {
        id: Set(Uuid::now_v7()),
        session_id: Set(s.id),
        event_id: Set(s.event_id),
        person_id: Set(person_id),
        action: Set(action),
        by_person_id: Set(by),
        from_position: Set(from_position.map(|p| p as i32)),
        to_position: Set(to_position.map(|p| p as i32)),
        created_at: Set(Utc::now()),
    }
    .insert(txn)
    .await?;
    Ok(())
}

// ---- freeing seats ----

/// Gives free seats of the session to the waitlist, in order: each seat goes to the first
/// person waiting who fits it (their role's limit, no other session at the same time, still
/// taking part). Runs inside the transaction that freed the seats.
pub(crate) async fn fill(
    txn: &DatabaseTransaction,
    s: Session,
    by: Option<Uuid>,
    change: &mut SeatChange,
) -> ProgrammeResult<Session> {
    let mut s = lock_session(txn, s.event_id, s.id).await?;
    if s.confirmed_count >= s.capacity {
        return Ok(s);
    }
    for candidate in waiting(txn, s.id).await? {
        if s.confirmed_count >= s.capacity {
            break;
        }
        if !fits(&s, candidate.role)
            || lock_person(txn, s.event_id, candidate.person_id)
                .await?
                .is_none()
            || overlapping_seat(txn, candidate.person_id, &s)
                .await?
                .is_some()
        {
            continue;
        }
        let Some(next) = take_seat(txn, s.id, candidate.role).await? else {
            continue;
        };
        let promoted = session_signup::Entity::update_many()
            .col_expr(
                session_signup::Column::Status,
                Expr::value(SignupStatus::Confirmed.as_str()),
            )
            .col_expr(
                session_signup::Column::WaitlistSeq,
                Expr::value(Option::<i64>::None),
            )
            .col_expr(session_signup::Column::UpdatedAt, Expr::value(Utc::now()))
            .filter(session_signup::Column::Id.eq(candidate.id))
            .filter(session_signup::Column::Status.eq(SignupStatus::Waitlisted))
            .exec(txn)
            .await?;
        if promoted.rows_affected == 0 {
            // They left the waitlist at this very moment: the seat stays free.
            s = release_seat(txn, s.id, candidate.role).await?;
            continue;
        }
        s = next;
        log(
            txn,
            &s,
            candidate.person_id,
            SignupAction::Promoted,
            by,
            (None, None),
        )
        .await?;
        change.touched(s.id);
        change.notify(
            candidate.person_id,
            s.id,
            NoticeKind::Promoted,
            Some(candidate.id),
        );
    }
    Ok(s)
}

/// Removes a sign-up; a freed seat goes to the waitlist at once. The person may now fit
/// sessions at the same time they wait for, which get their free seats handed out too.
async fn leave(
    txn: &DatabaseTransaction,
    s: &Session,
    row: &session_signup::Model,
    by: Option<Uuid>,
    change: &mut SeatChange,
) -> ProgrammeResult<()> {
    let deleted = session_signup::Entity::delete_many()
        .filter(session_signup::Column::Id.eq(row.id))
        .exec(txn)
        .await?;
    if deleted.rows_affected == 0 {
        return Err(ProgrammeError::NotSignedUp);
    }
    change.touched(s.id);
    if row.status != SignupStatus::Confirmed {
        return Ok(());
    }
    let freed = release_seat(txn, s.id, row.role).await?;
    fill(txn, freed, by, change).await?;
    let waits: Vec<Uuid> = session_signup::Entity::find()
        .filter(session_signup::Column::EventId.eq(s.event_id))
        .filter(session_signup::Column::PersonId.eq(row.person_id))
        .filter(session_signup::Column::Status.eq(SignupStatus::Waitlisted))
        .select_only()
        .column(session_signup::Column::SessionId)
        .into_tuple::<Uuid>()
        .all(txn)
        .await?;
    if waits.is_empty() {
        return Ok(());
    }
    let same_time = programme_session::Entity::find()
        .filter(programme_session::Column::Id.is_in(waits))
        .filter(programme_session::Column::StartsAt.lt(s.ends_at))
        .filter(programme_session::Column::EndsAt.gt(s.starts_at))
        .filter(
            Expr::col(programme_session::Column::ConfirmedCount)
                .lt(Expr::col(programme_session::Column::Capacity)),
        )
        .order_by_asc(programme_session::Column::Id)
        .all(txn)
        .await?;
    for other in same_time {
        fill(txn, other, by, change).await?;
    }
    Ok(())
}

// ---- the participant's own sign-up ----

async fn outcome<C: ConnectionTrait>(
    db: &C,
    row: &session_signup::Model,
) -> ProgrammeResult<SignupOutcome> {
    let s = programme_session::Entity::find_by_id(row.session_id)
        .one(db)
        .await?
        .ok_or(ProgrammeError::NotFound("session"))?;
    Ok(SignupOutcome {
        session_id: s.id,
        status: row.status,
        waitlist_position: position(db, row).await?,
        confirmed_count: s.confirmed_count,
        waitlist_count: waitlist_count(db, s.id).await?,
    })
}

fn check_window(s: &Session) -> ProgrammeResult<()> {
    match window(s, Utc::now()) {
        SignupWindow::Open => Ok(()),
        SignupWindow::NotOpen => Err(ProgrammeError::NotOpen {
            opens_at: s.signup_opens_at.unwrap_or(s.starts_at),
        }),
        SignupWindow::Closed => Err(ProgrammeError::Closed {
            closed_at: closes_at(s),
        }),
    }
}

/// Signs the caller up: a seat when one is free for their role, else a place at the end
/// of the waitlist. Asking again answers the same and changes nothing.
pub async fn sign_up(
    state: &AppState,
    by: &person::Model,
    event_id: Uuid,
    session_id: Uuid,
) -> ProgrammeResult<SignupOutcome> {
    let _turn = state.seat_queues.turn(session_id).await;
    crate::db::retrying("programme", || {
        sign_up_once(state, by, event_id, session_id)
    })
    .await
}

async fn sign_up_once(
    state: &AppState,
    by: &person::Model,
    event_id: Uuid,
    session_id: Uuid,
) -> ProgrammeResult<SignupOutcome> {
    let txn = crate::db::begin(&state.db).await?;
    let me = lock_person(&txn, event_id, by.id)
        .await?
        .ok_or_else(|| not_a_participant(by))?;
    let s = find(&txn, event_id, session_id).await?;
    if let Some(existing) = signup_of(&txn, s.id, by.id).await? {
        return outcome(&txn, &existing).await;
    }
    check_window(&s)?;
    if let Some(other) = overlapping_seat(&txn, by.id, &s).await? {
        return Err(ProgrammeError::Overlap {
            other: Box::new(other_session(&other)),
        });
    }
    // The seat, or the next waitlist number: either way the session row as it now is.
    let (status, counted) = match take_seat(&txn, s.id, me.role).await? {
        Some(counted) => (SignupStatus::Confirmed, counted),
        None => (
            SignupStatus::Waitlisted,
            next_waitlist_number(&txn, s.id).await?,
        ),
    };
    let now = Utc::now();
    let row = session_signup::ActiveModel {
        id: Set(Uuid::now_v7()),
        session_id: Set(s.id),
        event_id: Set(event_id),
        person_id: Set(by.id),
        role: Set(me.role),
        status: Set(status),
        waitlist_seq: Set((status == SignupStatus::Waitlisted).then_some(counted.waitlist_seq)),
        created_at: Set(now),
        updated_at: Set(now),
    }
    .insert(&txn)
    .await?;
    let waiting = waitlist_count(&txn, s.id).await?;
    let answer = SignupOutcome {
        session_id: s.id,
        status,
        // A new number is the highest handed out (moves renumber below it): the last place.
        waitlist_position: (row.status == SignupStatus::Waitlisted).then_some(waiting),
        confirmed_count: counted.confirmed_count,
        waitlist_count: waiting,
    };
    mail_signed_up(&txn, state, event_id, by, &s, answer.waitlist_position).await?;
    // Published last: the event's live sequence is the last lock taken.
    let message = publish_seats(&txn, &counted, waiting).await?;
    state.live.commit(txn, &[message]).await?;
    state.mail.wake();
    Ok(answer)
}

async fn event_of<C: ConnectionTrait>(db: &C, event_id: Uuid) -> ProgrammeResult<event::Model> {
    event::Entity::find_by_id(event_id)
        .one(db)
        .await?
        .ok_or(ProgrammeError::NotFound("event"))
}

/// Cancels the caller's seat or waitlist place until sign-up closes; a freed seat goes to
/// the first person waiting who fits it, in the same transaction.
pub async fn cancel(
    state: &AppState,
    by: &person::Model,
    event_id: Uuid,
    session_id: Uuid,
) -> ProgrammeResult<()> {
    let _turn = state.seat_queues.turn(session_id).await;
    crate::db::retrying("programme", || cancel_once(state, by, event_id, session_id)).await
}

async fn cancel_once(
    state: &AppState,
    by: &person::Model,
    event_id: Uuid,
    session_id: Uuid,
) -> ProgrammeResult<()> {
    let txn = crate::db::begin(&state.db).await?;
    access::active_participation(&txn, event_id, by.id)
        .await?
        .ok_or_else(|| not_a_participant(by))?;
    let s = find(&txn, event_id, session_id).await?;
    let row = signup_of(&txn, s.id, by.id)
        .await?
        .ok_or(ProgrammeError::NotSignedUp)?;
    if window(&s, Utc::now()) == SignupWindow::Closed {
        return Err(ProgrammeError::Closed {
            closed_at: closes_at(&s),
        });
    }
    let mut change = SeatChange::default();
    leave(&txn, &s, &row, None, &mut change).await?;
    let event = event_of(&txn, event_id).await?;
    let messages = change.publish(&txn, state, &event).await?;
    state.live.commit(txn, &messages).await?;
    if change.mailed() {
        state.mail.wake();
    }
    Ok(())
}

// ---- organisers' overrides ----

/// An organiser gives a participant a seat, beyond capacity if need be.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AddInput {
    pub person_id: Uuid,
}

/// An organiser moves someone on the waitlist.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MoveInput {
    /// The new place, 1 for the first; beyond the end means last.
    pub waitlist_position: i64,
}

pub async fn add(
    state: &AppState,
    by: &person::Model,
    event_id: Uuid,
    session_id: Uuid,
    input: AddInput,
) -> ProgrammeResult<service::SignupList> {
    crate::db::retrying("programme", || {
        add_once(state, by, event_id, session_id, input.person_id)
    })
    .await?;
    service::signups(state, by, event_id, session_id).await
}

async fn add_once(
    state: &AppState,
    by: &person::Model,
    event_id: Uuid,
    session_id: Uuid,
    person_id: Uuid,
) -> ProgrammeResult<()> {
    let txn = crate::db::begin(&state.db).await?;
    let event = access::organiser(&txn, by, event_id).await?.event;
    let target = lock_person(&txn, event_id, person_id)
        .await?
        .ok_or_else(|| {
            ProgrammeError::Invalid(vec![crate::error::FieldError::new(
                "person_id",
                "not_found",
                "not a participant of the event",
            )])
        })?;
    let s = find(&txn, event_id, session_id).await?;
    let existing = signup_of(&txn, s.id, person_id).await?;
    if existing
        .as_ref()
        .is_some_and(|r| r.status == SignupStatus::Confirmed)
    {
        return Ok(());
    }
    if let Some(other) = overlapping_seat(&txn, person_id, &s).await? {
        return Err(ProgrammeError::Overlap {
            other: Box::new(other_session(&other)),
        });
    }
    let now = Utc::now();
    let from = match &existing {
        Some(row) => position(&txn, row).await?,
        None => None,
    };
    let role = existing.as_ref().map(|r| r.role).unwrap_or(target.role);
    let s = force_seat(&txn, s.id, role).await?;
    let seat = match existing {
        Some(row) => {
            let mut active: session_signup::ActiveModel = row.into();
            active.status = Set(SignupStatus::Confirmed);
            active.waitlist_seq = Set(None);
            active.updated_at = Set(now);
            active.update(&txn).await?.id
        }
        None => {
            session_signup::ActiveModel {
                id: Set(Uuid::now_v7()),
                session_id: Set(s.id),
                event_id: Set(event_id),
                person_id: Set(person_id),
                role: Set(role),
                status: Set(SignupStatus::Confirmed),
                waitlist_seq: Set(None),
                created_at: Set(now),
                updated_at: Set(now),
            }
            .insert(&txn)
            .await?
            .id
        }
    };
    log(
        &txn,
        &s,
        person_id,
        SignupAction::Added,
        Some(by.id),
        (from, None),
    )
    .await?;
    let mut change = SeatChange::default();
    change.touched(s.id);
    change.notify(person_id, s.id, NoticeKind::Added, Some(seat));
    let messages = change.publish(&txn, state, &event).await?;
    state.live.commit(txn, &messages).await?;
    state.mail.wake();
    Ok(())
}

pub async fn remove(
    state: &AppState,
    by: &person::Model,
    event_id: Uuid,
    session_id: Uuid,
    person_id: Uuid,
) -> ProgrammeResult<service::SignupList> {
    crate::db::retrying("programme", || {
        remove_once(state, by, event_id, session_id, person_id)
    })
    .await?;
    service::signups(state, by, event_id, session_id).await
}

async fn remove_once(
    state: &AppState,
    by: &person::Model,
    event_id: Uuid,
    session_id: Uuid,
    person_id: Uuid,
) -> ProgrammeResult<()> {
    let txn = crate::db::begin(&state.db).await?;
    let event = access::organiser(&txn, by, event_id).await?.event;
    let s = find(&txn, event_id, session_id).await?;
    let row = signup_of(&txn, s.id, person_id)
        .await?
        .ok_or(ProgrammeError::NotSignedUp)?;
    let from = position(&txn, &row).await?;
    let mut change = SeatChange::default();
    let seat = (row.status == SignupStatus::Confirmed).then_some(row.id);
    change.notify(person_id, s.id, NoticeKind::Removed, seat);
    leave(&txn, &s, &row, Some(by.id), &mut change).await?;
    log(
        &txn,
        &s,
        person_id,
        SignupAction::Removed,
        Some(by.id),
        (from, None),
    )
    .await?;
    let messages = change.publish(&txn, state, &event).await?;
    state.live.commit(txn, &messages).await?;
    state.mail.wake();
    Ok(())
}

pub async fn move_on_waitlist(
    state: &AppState,
    by: &person::Model,
    event_id: Uuid,
    session_id: Uuid,
    person_id: Uuid,
    input: MoveInput,
) -> ProgrammeResult<service::SignupList> {
    crate::db::retrying("programme", || {
        move_once(
            state,
            by,
            event_id,
            session_id,
            person_id,
            input.waitlist_position,
        )
    })
    .await?;
    service::signups(state, by, event_id, session_id).await
}

async fn move_once(
    state: &AppState,
    by: &person::Model,
    event_id: Uuid,
    session_id: Uuid,
    person_id: Uuid,
    to: i64,
) -> ProgrammeResult<()> {
    if to < crate::bounds::FIRST_PLACE {
        return Err(ProgrammeError::Invalid(vec![
            crate::error::FieldError::new("waitlist_position", "out_of_range", "places start at 1"),
        ]));
    }
    let txn = crate::db::begin(&state.db).await?;
    let event = access::organiser(&txn, by, event_id).await?.event;
    let s = lock_session(&txn, event_id, session_id).await?;
    let mut order = waiting(&txn, s.id).await?;
    let Some(from) = order.iter().position(|r| r.person_id == person_id) else {
        return Err(match signup_of(&txn, s.id, person_id).await? {
            Some(_) => ProgrammeError::Conflict(
                "this person has a seat; only people on the waitlist move".into(),
            ),
            None => ProgrammeError::NotSignedUp,
        });
    };
    let to_index = (to as usize - 1).min(order.len() - 1);
    if to_index != from {
        let moving = order.remove(from);
        order.insert(to_index, moving);
        // New numbers after every number handed out so far, in the new order.
        let base = s.waitlist_seq;
        let now = Utc::now();
        for (i, row) in order.iter().enumerate() {
            session_signup::Entity::update_many()
                .col_expr(
                    session_signup::Column::WaitlistSeq,
                    Expr::value(base + i as i64 + 1),
                )
                .col_expr(session_signup::Column::UpdatedAt, Expr::value(now))
                .filter(session_signup::Column::Id.eq(row.id))
                .exec(&txn)
                .await?;
        }
        use programme_session::Column;
        programme_session::Entity::update_many()
            .col_expr(Column::WaitlistSeq, Expr::value(base + order.len() as i64))
            .filter(Column::Id.eq(s.id))
            .exec(&txn)
            .await?;
    }
    log(
        &txn,
        &s,
        person_id,
        SignupAction::Moved,
        Some(by.id),
        (Some(from as i64 + 1), Some(to_index as i64 + 1)),
    )
    .await?;
    let mut change = SeatChange::default();
    change.touched(s.id);
    change.notify(person_id, s.id, NoticeKind::Moved, None);
    let messages = change.publish(&txn, state, &event).await?;
    state.live.commit(txn, &messages).await?;
    Ok(())
}

/// Frees the seats and waitlist places of someone who no longer takes part in the event
/// (cancelled or declined), inside the transaction that changed their status: each freed
/// seat goes to the waitlist at once. Returns the live messages to commit with it and
/// whether mail was queued.
pub(crate) async fn release_person(
    txn: &DatabaseTransaction,
    state: &AppState,
    event: &event::Model,
    person_id: Uuid,
) -> ProgrammeResult<(Vec<Arc<LiveMessage>>, bool)> {
    let rows = session_signup::Entity::find()
        .filter(session_signup::Column::EventId.eq(event.id))
        .filter(session_signup::Column::PersonId.eq(person_id))
        .order_by_asc(session_signup::Column::Id)
        .all(txn)
        .await?;
    let mut change = SeatChange::default();
    for row in rows {
        let s = find(txn, event.id, row.session_id).await?;
        leave(txn, &s, &row, None, &mut change).await?;
    }
    let messages = change.publish(txn, state, event).await?;
    Ok((messages, change.mailed()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_seat_fits_within_the_total_and_the_role_s_own_limit() {
        let mut s = Session {
            id: Uuid::nil(),
            event_id: Uuid::nil(),
            kind: super::super::SessionKind::MarketDialogue,
            title_nl: String::new(),
            title_en: String::new(),
            description_nl: String::new(),
            description_en: String::new(),
            product_group: None,
            themes: "[]".into(),
            room_id: None,
            local_date: chrono::NaiveDate::from_ymd_opt(2027, 3, 11).unwrap(),
            start_minute: 0,
            end_minute: 60,
            starts_at: Utc::now(),
            ends_at: Utc::now(),
            capacity: 3,
            capacity_buyers: Some(2),
            capacity_suppliers: None,
            confirmed_count: 2,
            confirmed_buyers: 2,
            confirmed_suppliers: 0,
            waitlist_seq: 0,
            sequence: 0,
            signup_opens_at: None,
            signup_closes_at: None,
            created_at: Utc::now(),
            updated_at: Utc::now(),
        };
        assert!(!fits(&s, Role::Buyer), "buyers' seats are taken");
        assert!(
            fits(&s, Role::Supplier),
            "suppliers have no limit of their own"
        );
        assert!(fits(&s, Role::Facilitator));
        s.confirmed_count = 3;
        assert!(!fits(&s, Role::Supplier), "the total is reached");
    }
}
