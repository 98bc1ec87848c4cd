//! Connecting to the database and bringing its schema and curated data up to date.

use crate::ingest::{self, Dataset, IngestError, LoadOutcome};
use migration::{Migrator, MigratorTrait};
use sea_orm::{ConnectOptions, Database, DatabaseConnection, DbErr};

/// Connections a pool gets unless told otherwise: in WAL mode SQLite readers run side by side
/// (SeaORM would default to one SQLite connection, serialising every request).
pub const DEFAULT_CONNECTIONS: u32 = 8;

/// How long one PostgreSQL statement may run, in milliseconds: the request deadline's default.
const STATEMENT_TIMEOUT_MS: &str = "10000";

/// Opens a connection pool with the default number of connections.
pub async fn connect(url: &str) -> Result<DatabaseConnection, DbErr> {
    connect_with(url, DEFAULT_CONNECTIONS).await
}

/// Opens a connection pool of `connections`. (sqlx turns SQLite's foreign-key enforcement on
/// by default.)
pub async fn connect_with(url: &str, connections: u32) -> Result<DatabaseConnection, DbErr> {
    let mut options = ConnectOptions::new(url.to_owned());
    options.sqlx_logging(false);
    if url.starts_with("sqlite:") {
        if url.contains(":memory:") {
            // Each connection to `:memory:` is a database of its own: keep exactly one.
            options.max_connections(1).min_connections(1);
        } else {
            options
                .max_connections(connections)
                .map_sqlx_sqlite_opts(|o| {
                    o.journal_mode(sea_orm::sqlx::sqlite::SqliteJournalMode::Wal)
                        .busy_timeout(std::time::Duration::from_secs(10))
                });
        }
    }
    if !url.starts_with("sqlite:") {
        options
            .max_connections(connections)
            // A statement stops at the request deadline's default, whoever is waiting for
            // it (a client that went away leaves nothing running), and skips JIT compilation,
            // which these short statements never repay (measured: a 5,000-word search spent
            // 19 minutes compiling, deaf to cancel).
            .map_sqlx_postgres_opts(|o| {
                o.options([("statement_timeout", STATEMENT_TIMEOUT_MS), ("jit", "off")])
            });
    }
    // A request that cannot get a connection soon says so (`UNAVAILABLE`) within its deadline.
    options.acquire_timeout(std::time::Duration::from_secs(5));
    Database::connect(options).await
}

/// Applies pending migrations.
pub async fn migrate(db: &DatabaseConnection) -> Result<(), DbErr> {
    Migrator::up(db, None).await
}

/// Rolls back the last `steps` migrations.
pub async fn rollback(db: &DatabaseConnection, steps: u32) -> Result<(), DbErr> {
    Migrator::down(db, Some(steps)).await
}

/// Migrates, then loads the curated dataset into an empty database: what `serve` does at
/// start. A database that holds a dataset already (curated or generated) is left as it is.
pub async fn prepare(db: &DatabaseConnection) -> Result<LoadOutcome, IngestError> {
    migrate(db).await?;
    if ingest::write::anything_loaded(db).await? {
        return Ok(LoadOutcome::Unchanged);
    }
    ingest::load(db, &Dataset::curated(), false).await
}
