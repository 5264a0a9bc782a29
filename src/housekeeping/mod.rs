//! Housekeeping: removes what is no longer needed (expired sessions, login links and live
//! tickets, old login requests, delivered mail, live messages no client can be replayed,
//! orphaned uploads and their files) and moves meeting requests nobody answers along (the
//! reminder, then the organiser's rule: `meetings::unanswered`), once per
//! `housekeeping.interval_minutes` across all instances; at such a run, once per
//! `housekeeping.meeting_digest_hours`, the digest emails of meeting requests go out
//! (`meetings::digest`), and the day before an event its reminders (`dayof::reminders`). Every instance checks regularly; a conditional update of each
//! job's lease row lets exactly one of them run per interval, on PostgreSQL as on SQLite.
//! (The meeting steps are also safe without the lease: they change each row only from the
//! state they found it in.)

mod uploads;

use std::time::Duration as StdDuration;

use chrono::{DateTime, Duration, Utc};
use sea_orm::sea_query::OnConflict;
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseConnection, DbErr, EntityName, EntityTrait, QueryFilter,
    Set,
};
use tokio::sync::watch;

use crate::domain::MailStatus;
use crate::entities::{
    housekeeping_lease, live_message, live_ticket, login_request, login_token, mail_outbox, session,
};
use crate::state::AppState;

const JOB: &str = "clean-up";
/// The lease of the digest emails of meeting requests.
const DIGEST_JOB: &str = "meeting-digest";

/// Live messages kept per event: the most a reconnecting client is replayed (the live
/// endpoint's replay limit). A client that missed more gets a `gap` whatever is stored, so
/// older messages can go; every replay that can still be complete stays possible.
pub const LIVE_MESSAGES_KEPT: i64 = 1000;

/// What one clean-up removed.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Report {
    pub sessions: u64,
    pub login_links: u64,
    pub login_requests: u64,
    pub live_tickets: u64,
    pub mails: u64,
    pub live_messages: u64,
    pub uploads: u64,
    pub files: u64,
    /// Reminders of unanswered meeting requests.
    pub meeting_reminders: u64,
    /// Unanswered meeting requests that lapsed, or count as accepted.
    pub meeting_requests_expired: u64,
    pub meeting_requests_accepted: u64,
    /// Digest emails of meeting requests queued.
    pub meeting_digests: u64,
    /// Day-before reminders queued.
    pub day_before_reminders: u64,
    /// Announcements whose emails were still being queued (after a stop) and went on.
    pub announcement_mailings_resumed: u64,
}

/// Checks about once a minute (or at the interval, when shorter) whether a clean-up is due
/// and runs it when this instance wins the lease; stops when `stop` turns true.
pub async fn run(state: AppState, mut stop: watch::Receiver<bool>) {
    let interval = lease_interval(&state);
    let check = StdDuration::from_secs(60).min(interval.to_std().unwrap_or_default());
    loop {
        match run_if_due(&state).await {
            Ok(Some(report)) => tracing::info!(?report, "housekeeping done"),
            Ok(None) => {}
            Err(err) => tracing::warn!(error = %err, "housekeeping failed; retried next interval"),
        }
        tokio::select! {
            _ = tokio::time::sleep(check) => {}
            _ = stop.wait_for(|stopped| *stopped) => break,
        }
    }
}

fn lease_interval(state: &AppState) -> Duration {
    Duration::minutes(state.settings.housekeeping.interval_minutes)
}

/// Runs the clean-up when no instance has started one within the interval.
/// `None`: another instance (or an earlier run here) holds this interval.
pub async fn run_if_due(state: &AppState) -> Result<Option<Report>, DbErr> {
    let now = Utc::now();
    if !claim(&state.db, JOB, now, lease_interval(state)).await? {
        return Ok(None);
    }
    let mut report = clean(state, now).await?;
    let handled = crate::meetings::unanswered::run(state, now).await?;
    report.meeting_reminders = handled.reminded;
    report.meeting_requests_expired = handled.expired;
    report.meeting_requests_accepted = handled.accepted;
    let digest_interval = Duration::hours(state.settings.housekeeping.meeting_digest_hours);
    if claim(&state.db, DIGEST_JOB, now, digest_interval).await? {
        report.meeting_digests = crate::meetings::digest::send_due(state, now).await?;
        finish(&state.db, DIGEST_JOB).await?;
    }
    report.day_before_reminders = crate::dayof::reminders::send_due(state, now).await?;
    report.announcement_mailings_resumed =
        crate::dayof::announcements::resume_mailings(state, now).await?;
    finish(&state.db, JOB).await?;
    Ok(Some(report))
}

async fn finish(db: &DatabaseConnection, job: &str) -> Result<(), DbErr> {
    housekeeping_lease::Entity::update_many()
        .col_expr(housekeeping_lease::Column::FinishedAt, Utc::now().into())
        .filter(housekeeping_lease::Column::Job.eq(job))
        .exec(db)
        .await?;
    Ok(())
}

/// Takes the lease of `job` for this interval. The update is conditional on the last start
/// being an interval ago, so of several instances asking at once exactly one sees its row
/// change.
async fn claim(
    db: &DatabaseConnection,
    job: &str,
    now: DateTime<Utc>,
    interval: Duration,
) -> Result<bool, DbErr> {
    housekeeping_lease::Entity::insert(housekeeping_lease::ActiveModel {
        job: Set(job.into()),
        started_at: Set(DateTime::<Utc>::UNIX_EPOCH),
        finished_at: Set(None),
    })
    .on_conflict(
        OnConflict::column(housekeeping_lease::Column::Job)
            .do_nothing()
            .to_owned(),
    )
    .exec_without_returning(db)
    .await?;
    let claimed = housekeeping_lease::Entity::update_many()
        .col_expr(housekeeping_lease::Column::StartedAt, now.into())
        .col_expr(
            housekeeping_lease::Column::FinishedAt,
            Option::<DateTime<Utc>>::None.into(),
        )
        .filter(housekeeping_lease::Column::Job.eq(job))
        .filter(housekeeping_lease::Column::StartedAt.lte(now - interval))
        .exec(db)
        .await?;
    Ok(claimed.rows_affected == 1)
}

async fn clean(state: &AppState, now: DateTime<Utc>) -> Result<Report, DbErr> {
    let db = &state.db;
    let keep = &state.settings.housekeeping;
    let expired = now - Duration::hours(keep.expired_credentials_hours);
    let mut report = Report {
        sessions: session::Entity::delete_many()
            .filter(session::Column::ExpiresAt.lt(expired))
            .exec(db)
            .await?
            .rows_affected,
        login_links: login_token::Entity::delete_many()
            .filter(login_token::Column::ExpiresAt.lt(expired))
            .exec(db)
            .await?
            .rows_affected,
        live_tickets: live_ticket::Entity::delete_many()
            .filter(live_ticket::Column::ExpiresAt.lt(expired))
            .exec(db)
            .await?
            .rows_affected,
        login_requests: login_request::Entity::delete_many()
            .filter(
                login_request::Column::CreatedAt
                    .lt(now - Duration::hours(keep.login_request_hours)),
            )
            .exec(db)
            .await?
            .rows_affected,
        ..Report::default()
    };
    report.mails = mail_outbox::Entity::delete_many()
        .filter(mail_outbox::Column::Status.eq(MailStatus::Sent))
        .filter(mail_outbox::Column::SentAt.lt(now - Duration::days(keep.sent_mail_days)))
        .exec(db)
        .await?
        .rows_affected
        + mail_outbox::Entity::delete_many()
            .filter(mail_outbox::Column::Status.eq(MailStatus::Failed))
            .filter(mail_outbox::Column::CreatedAt.lt(now - Duration::days(keep.failed_mail_days)))
            .exec(db)
            .await?
            .rows_affected;
    report.live_messages = trim_live_log(db).await?;
    let (uploads, files) = uploads::remove_orphans(state, now).await?;
    report.uploads = uploads;
    report.files = files;
    Ok(report)
}

/// Removes each event's live messages older than its latest [`LIVE_MESSAGES_KEPT`]. The
/// latest `seq` is read from the log itself (as the live endpoint does), and the unique
/// (event_id, seq) index answers the MAX per event.
async fn trim_live_log(db: &DatabaseConnection) -> Result<u64, DbErr> {
    let table = live_message::Entity.table_name();
    let sql = format!(
        "DELETE FROM {table} WHERE seq <= \
         (SELECT MAX(newest.seq) FROM {table} newest WHERE newest.event_id = {table}.event_id) \
         - {LIVE_MESSAGES_KEPT}"
    );
    Ok(db.execute_unprepared(&sql).await?.rows_affected())
}
