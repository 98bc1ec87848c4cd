//! Connecting to the database and bringing its schema up to date (seeding it is `ingest::seed`).

use migration::{Migrator, MigratorTrait};
use sea_orm::{ConnectOptions, Database, DatabaseConnection, DbErr};

/// Connections a pool gets unless told otherwise: in WAL mode SQLite readers run side by side
/// (SeaORM would default to one SQLite connection, serialising every request).
pub const DEFAULT_CONNECTIONS: u32 = 8;

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
        options.max_connections(connections);
    }
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
