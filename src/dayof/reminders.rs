//! The day-before reminder: the day before an event starts, from
//! `housekeeping.day_before_hour` in the event's time zone, every active participant gets
//! one email with their agenda (their scheduled meetings with time, table and partner, and
//! the sessions they have a seat in or lead) and their check-in code. Sent by the
//! housekeeping job ([`send_due`]).
//!
//! Once per person per event, however many instances run: the participation's
//! `day_before_sent_at` is set by a conditional update (`... WHERE day_before_sent_at IS
//! NULL`) in the transaction that queues the email, so whoever comes second changes no row
//! and sends nothing. People who left or were declined get nothing.

use chrono::{DateTime, Duration, NaiveDate, Timelike, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ColumnTrait, DatabaseTransaction, DbErr, EntityTrait, QueryFilter, QueryOrder, QuerySelect,
};
use uuid::Uuid;

use crate::auth::service::{LinkPurpose, issue_link};
use crate::domain::{Lang, SignupStatus, Status};
use crate::entities::{
    event, participation, person, programme_session, session_facilitator, session_signup,
};
use crate::error::{AppError, AppResult};
use crate::mail::templates::{
    AgendaSession, Counterpart, LineChange, Mail, ScheduleLine, To, render,
};
use crate::state::AppState;

/// Whether it is time for an event's reminder at `now`: the day before its first day in its
/// own time zone, from the configured hour on.
pub fn due(event: &event::Model, now: DateTime<Utc>, hour: u32) -> bool {
    let Ok(tz) = crate::domain::parse_timezone(&event.timezone) else {
        return false;
    };
    let local = now.with_timezone(&tz);
    let day_before: Option<NaiveDate> = event.start_date.pred_opt();
    day_before == Some(local.date_naive()) && local.hour() >= hour
}

/// Queues the reminders due at `now`; the number of emails queued. A person whose email
/// fails is logged and tried again at the next run (while it is still the day before).
pub async fn send_due(state: &AppState, now: DateTime<Utc>) -> Result<u64, DbErr> {
    let hour = state.settings.housekeeping.day_before_hour;
    // Events starting tomorrow somewhere on earth; `due` decides in each one's own zone.
    let today = now.date_naive();
    let events: Vec<event::Model> = event::Entity::find()
        .filter(event::Column::StartDate.between(today, today + Duration::days(2)))
        .all(&state.db)
        .await?
        .into_iter()
        .filter(|e| due(e, now, hour))
        .collect();
    let mut sent = 0;
    for event in events {
        let waiting: Vec<Uuid> = participation::Entity::find()
            .select_only()
            .column(participation::Column::Id)
            .filter(participation::Column::EventId.eq(event.id))
            .filter(participation::Column::Status.is_in(active_statuses()))
            .filter(participation::Column::DayBeforeSentAt.is_null())
            .order_by_asc(participation::Column::Id)
            .into_tuple()
            .all(&state.db)
            .await?;
        for participation_id in waiting {
            match crate::db::retrying("day-before reminder", || {
                send_one(state, &event, participation_id, now)
            })
            .await
            {
                Ok(mailed) => sent += u64::from(mailed),
                Err(e) => {
                    tracing::error!(%participation_id, error = %e, "day-before reminder left for the next run");
                }
            }
        }
    }
    Ok(sent)
}

/// The statuses of people who take part ([`Status::is_active`]).
fn active_statuses() -> Vec<Status> {
    <Status as sea_orm::Iterable>::iter()
        .filter(|s| s.is_active())
        .collect()
}

/// Takes one participation's reminder (the conditional update) and queues it; `false` when
/// another run took it first or the person no longer takes part.
async fn send_one(
    state: &AppState,
    event: &event::Model,
    participation_id: Uuid,
    now: DateTime<Utc>,
) -> AppResult<bool> {
    let txn = crate::db::begin(&state.db).await?;
    let taken = participation::Entity::update_many()
        .col_expr(participation::Column::DayBeforeSentAt, Expr::value(now))
        .filter(participation::Column::Id.eq(participation_id))
        .filter(participation::Column::DayBeforeSentAt.is_null())
        .filter(participation::Column::Status.is_in(active_statuses()))
        .exec_with_returning(&txn)
        .await?;
    let Some(me) = taken.into_iter().next() else {
        txn.commit().await?;
        return Ok(false);
    };
    let Some(to) = person::Entity::find_by_id(me.person_id).one(&txn).await? else {
        txn.commit().await?;
        return Ok(false);
    };
    queue(&txn, state, event, &me, &to).await?;
    txn.commit().await?;
    state.mail.wake();
    Ok(true)
}

/// Writes the reminder of participation `me` with their agenda as it is now.
async fn queue(
    txn: &DatabaseTransaction,
    state: &AppState,
    event: &event::Model,
    me: &participation::Model,
    to: &person::Model,
) -> AppResult<()> {
    let lang = to.language;
    let meetings = crate::meetings::schedule::agenda::my_meetings(txn, event.id, me.id)
        .await
        .map_err(AppError::from)?;
    let meeting_texts: Vec<(String, Option<String>)> = meetings
        .iter()
        .map(|m| {
            (
                format!("{}, {}–{}", m.slot.date, m.slot.start, m.slot.end),
                m.table.as_ref().map(|t| match &t.label {
                    Some(label) => format!("{} ({label})", t.number),
                    None => t.number.to_string(),
                }),
            )
        })
        .collect();
    let lines: Vec<ScheduleLine<'_>> = meetings
        .iter()
        .zip(&meeting_texts)
        .map(|(m, (when, table))| ScheduleLine {
            when,
            table: table.as_deref(),
            partner: Counterpart {
                name: &m.partner.name,
                organisation: m.partner.organisation.as_deref(),
                role: m.partner.role,
            },
            change: LineChange::Unchanged,
        })
        .collect();
    let sessions = my_sessions(txn, event.id, to.id).await?;
    let mut session_texts = Vec::with_capacity(sessions.len());
    for s in &sessions {
        let room = crate::programme::signup::room_name(txn, s.room_id)
            .await
            .map_err(AppError::from)?;
        session_texts.push((crate::programme::signup::when_of(s), room));
    }
    let agenda: Vec<AgendaSession<'_>> = sessions
        .iter()
        .zip(&session_texts)
        .map(|(s, (when, room))| AgendaSession {
            when,
            title: match lang {
                Lang::Nl => &s.title_nl,
                Lang::En => &s.title_en,
            },
            room: room.as_deref(),
        })
        .collect();
    let link = issue_link(txn, state, to.id, LinkPurpose::Invitation, Some(event.id)).await?;
    let date = event.start_date.format("%Y-%m-%d").to_string();
    let mail = render(
        Mail::DayBefore {
            event: &event.name,
            date: &date,
            venue: event.venue.trim(),
            checkin_code: &me.checkin_code,
            meetings: &lines,
            sessions: &agenda,
            link: &link,
            minutes: state.settings.auth.invitation_link_hours * 60,
        },
        To::from(to),
        Some(event),
    );
    state.mail.enqueue(txn, mail).await?;
    Ok(())
}

/// The sessions the person has a seat in or leads, in time order.
async fn my_sessions(
    txn: &DatabaseTransaction,
    event_id: Uuid,
    person_id: Uuid,
) -> AppResult<Vec<programme_session::Model>> {
    let seated: Vec<Uuid> = session_signup::Entity::find()
        .select_only()
        .column(session_signup::Column::SessionId)
        .filter(session_signup::Column::EventId.eq(event_id))
        .filter(session_signup::Column::PersonId.eq(person_id))
        .filter(session_signup::Column::Status.eq(SignupStatus::Confirmed))
        .into_tuple()
        .all(txn)
        .await?;
    let led: Vec<Uuid> = session_facilitator::Entity::find()
        .select_only()
        .column(session_facilitator::Column::SessionId)
        .filter(session_facilitator::Column::PersonId.eq(person_id))
        .into_tuple()
        .all(txn)
        .await?;
    Ok(programme_session::Entity::find()
        .filter(programme_session::Column::EventId.eq(event_id))
        .filter(programme_session::Column::Id.is_in(seated.into_iter().chain(led)))
        .order_by_asc(programme_session::Column::StartsAt)
        .order_by_asc(programme_session::Column::EndsAt)
        .order_by_asc(programme_session::Column::Id)
        .all(txn)
        .await?)
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;

    use super::*;

    fn event(start: (i32, u32, u32), timezone: &str) -> event::Model {
        let now = Utc::now();
        event::Model {
            id: Uuid::nil(),
            slug: "e".into(),
            name: "E".into(),
            description_nl: String::new(),
            description_en: String::new(),
            venue: String::new(),
            start_date: NaiveDate::from_ymd_opt(start.0, start.1, start.2).unwrap(),
            end_date: NaiveDate::from_ymd_opt(start.0, start.1, start.2).unwrap(),
            timezone: timezone.into(),
            languages: crate::domain::Languages::new(vec![Lang::Nl]).unwrap(),
            registration_open: false,
            supplier_approval_required: false,
            catalogue_public: false,
            factsheet_review_changes: false,
            catalogue_version: 0,
            colour: "#1f7a4d".into(),
            created_at: now,
            updated_at: now,
        }
    }

    #[test]
    fn due_the_day_before_from_the_hour_in_the_event_s_zone() {
        let brussels = event((2027, 3, 11), "Europe/Brussels");
        // 08:59 and 09:00 in Brussels (UTC+1) on 10 March.
        assert!(!due(
            &brussels,
            Utc.with_ymd_and_hms(2027, 3, 10, 7, 59, 0).unwrap(),
            9
        ));
        assert!(due(
            &brussels,
            Utc.with_ymd_and_hms(2027, 3, 10, 8, 0, 0).unwrap(),
            9
        ));
        assert!(due(
            &brussels,
            Utc.with_ymd_and_hms(2027, 3, 10, 22, 59, 0).unwrap(),
            9
        ));
        // Midnight in Brussels: the event's day itself.
        assert!(!due(
            &brussels,
            Utc.with_ymd_and_hms(2027, 3, 10, 23, 0, 0).unwrap(),
            9
        ));
        assert!(!due(
            &brussels,
            Utc.with_ymd_and_hms(2027, 3, 9, 12, 0, 0).unwrap(),
            9
        ));
        // The same instant is still the 9th in New York.
        let new_york = event((2027, 3, 11), "America/New_York");
        assert!(!due(
            &new_york,
            Utc.with_ymd_and_hms(2027, 3, 10, 8, 0, 0).unwrap(),
            9
        ));
        assert!(due(
            &new_york,
            Utc.with_ymd_and_hms(2027, 3, 10, 15, 0, 0).unwrap(),
            9
        ));
    }
}
