//! Connecting to the database (SQLite by default, PostgreSQL by URL) and migrating it.

use std::time::Duration;

use anyhow::Context;
use migration::{Migrator, MigratorTrait};
use sea_orm::sqlx::sqlite::{SqliteJournalMode, SqliteSynchronous};
use sea_orm::{ConnectOptions, Database, DatabaseConnection, DbBackend};

use crate::config::Settings;

pub async fn connect(settings: &Settings) -> anyhow::Result<DatabaseConnection> {
    let url = settings.database_url();
    let is_sqlite = url.starts_with("sqlite:");
    if is_sqlite && settings.database.url.is_empty() {
        std::fs::create_dir_all(&settings.data_dir).with_context(|| {
            format!(
                "cannot create the data directory {} (setting data_dir)",
                settings.data_dir.display()
            )
        })?;
    }
    let mut options = ConnectOptions::new(url.clone());
    options
        .max_connections(settings.database.max_connections)
        .min_connections(1)
        .connect_timeout(Duration::from_secs(10))
        .acquire_timeout(Duration::from_secs(10))
        .sqlx_logging(false)
        .map_sqlx_sqlite_opts(|opts| {
            opts.journal_mode(SqliteJournalMode::Wal)
                .synchronous(SqliteSynchronous::Normal)
                .foreign_keys(true)
                .busy_timeout(Duration::from_secs(10))
        });
    Database::connect(options).await.with_context(|| {
        format!(
            "cannot connect to the database at {} (setting database.url)",
            redact(&url)
        )
    })
}

/// Key of the PostgreSQL advisory lock that migrations run under ("mfmigrat" in ASCII).
const MIGRATION_LOCK_KEY: i64 = 0x6d66_6d69_6772_6174;

/// Applies pending migrations. On PostgreSQL they run in one transaction that first takes
/// an advisory lock, so instances starting together wait for each other instead of
/// creating the same tables at once (which fails on PostgreSQL's catalogue, e.g. a
/// duplicate `pg_type` entry); whoever comes later finds nothing left to do. SQLite
/// serialises writers by itself and sea-orm runs each migration in a transaction there.
pub async fn migrate(db: &DatabaseConnection) -> anyhow::Result<()> {
    use sea_orm::{ConnectionTrait, Statement, TransactionTrait};
    if !is_postgres(db) {
        return Migrator::up(db, None)
            .await
            .context("running database migrations failed");
    }
    let txn = db
        .begin()
        .await
        .context("cannot start the migration transaction")?;
    txn.execute_raw(Statement::from_sql_and_values(
        DbBackend::Postgres,
        "SELECT pg_advisory_xact_lock($1)",
        [MIGRATION_LOCK_KEY.into()],
    ))
    .await
    .context("cannot take the migration lock")?;
    Migrator::up(&txn, None)
        .await
        .context("running database migrations failed")?;
    txn.commit()
        .await
        .context("committing the database migrations failed")
}

pub fn is_postgres(db: &DatabaseConnection) -> bool {
    db.get_database_backend() == DbBackend::Postgres
}

/// Hides the password in a database URL before it goes into a message.
pub fn redact(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme), Some(at)) if at > scheme => {
            let creds = &url[scheme + 3..at];
            match creds.find(':') {
                Some(colon) => format!(
                    "{}{}:***{}",
                    &url[..scheme + 3],
                    &creds[..colon],
                    &url[at..]
                ),
                None => url.to_string(),
            }
        }
        _ => url.to_string(),
    }
}

/// Starts a transaction. On SQLite it takes the write lock at once (BEGIN IMMEDIATE):
/// a deferred transaction that reads and then writes can fail with "database is locked"
/// when another connection wrote in between, whereas an immediate one waits its turn.
///
/// Waiting its turn is SQLite's busy handler, which sleeps and polls, longer each time
/// (up to 100 ms a try), in no order: under a burst of writers some wait seconds while
/// later ones pass. So writers of this process queue first, in order, on
/// [`sqlite_writers_queue`], and only the head of the queue waits on SQLite's lock; it
/// leaves the queue as soon as it holds the lock, so the queue is never held across a
/// transaction (docs/benchmarks.md, "Meeting requests: a burst").
pub async fn begin(
    db: &DatabaseConnection,
) -> Result<sea_orm::DatabaseTransaction, sea_orm::DbErr> {
    use sea_orm::{SqliteTransactionMode, TransactionOptions, TransactionTrait};
    if db.get_database_backend() == DbBackend::Sqlite {
        let queue = sqlite_writers_queue(db);
        let _turn = queue.lock().await;
        db.begin_with_options(TransactionOptions {
            sqlite_transaction_mode: Some(SqliteTransactionMode::Immediate),
            ..Default::default()
        })
        .await
    } else {
        db.begin().await
    }
}

/// The queue of this process's SQLite writers, one per database file.
fn sqlite_writers_queue(db: &DatabaseConnection) -> std::sync::Arc<tokio::sync::Mutex<()>> {
    use std::collections::HashMap;
    use std::path::PathBuf;
    use std::sync::{Arc, LazyLock, Mutex};
    type Queues = Mutex<HashMap<PathBuf, Arc<tokio::sync::Mutex<()>>>>;
    static QUEUES: LazyLock<Queues> = LazyLock::new(Default::default);
    let file = db
        .get_sqlite_connection_pool()
        .connect_options()
        .get_filename()
        .to_path_buf();
    let mut queues = QUEUES
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    queues.entry(file).or_default().clone()
}

/// Whether a transaction failed only because of other transactions running at the same
/// time, so running it again will do: a PostgreSQL deadlock victim (`40P01`) or a
/// serialisation failure (`40001`).
pub fn is_transient(err: &sea_orm::DbErr) -> bool {
    use sea_orm::{DbErr, RuntimeErr};
    match err {
        DbErr::Exec(RuntimeErr::SqlxError(e)) | DbErr::Query(RuntimeErr::SqlxError(e)) => {
            match e.as_ref() {
                sea_orm::sqlx::Error::Database(db) => {
                    matches!(db.code().as_deref(), Some("40P01") | Some("40001"))
                }
                _ => false,
            }
        }
        _ => false,
    }
}

/// An error that may say a transaction lost a race with others and is worth running again
/// (see [`is_transient`]). Each capability's error type says where its database error is.
pub trait Transient {
    fn is_transient(&self) -> bool;
}

impl Transient for sea_orm::DbErr {
    fn is_transient(&self) -> bool {
        is_transient(self)
    }
}

/// The set-up services (grid, venue) that still answer with the HTTP surface's error.
impl Transient for crate::error::AppError {
    fn is_transient(&self) -> bool {
        matches!(self, crate::error::AppError::Database(e) if is_transient(e))
    }
}

/// How many times [`retrying`] runs a transaction again before it gives up.
const RETRIES: u32 = 5;

/// Runs one transaction again when PostgreSQL chose it as a deadlock victim (or could not
/// serialise it), at most [`RETRIES`] times, so clients never see such a crossing. Writers
/// that lock rows in different orders (a person, then a session; a session, then the
/// people it considers) can cross rarely; the database breaks the tie and this retries.
/// `what` names the transaction in the log.
pub async fn retrying<T, E, F, Fut>(what: &'static str, mut attempt: F) -> Result<T, E>
where
    E: Transient + std::fmt::Display,
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = Result<T, E>>,
{
    let mut tries = 0;
    loop {
        match attempt().await {
            Err(e) if tries < RETRIES && e.is_transient() => {
                tries += 1;
                tracing::info!(error = %e, tries, what, "retrying a transaction");
            }
            other => return other,
        }
    }
}
