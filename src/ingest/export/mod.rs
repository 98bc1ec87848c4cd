//! Export: the database read back into the `data/` format's records (`events`, `reference`),
//! and those records written out as NDJSON, CSV, TOML files or a tar of the `data/` layout
//! (`write`, `tar`), page by page, so an export's memory stays flat however large the data.
//!
//! Entry points for reuse (the write path merges events through them):
//! [`event`] (one event by id), [`page`] (a key-ordered page matching a filter) and
//! [`records`] (any event rows), each giving [`ExportedEvent`]s whose `record` loads back,
//! through `ingest::build`, into the same rows with the same uids.

pub mod articles;
mod assemble;
mod csv;
pub mod events;
pub mod files;
mod read;
pub mod reference;
pub mod sink;
pub mod tar;
pub mod write;

pub use events::{ExportedEvent, event, page, records};
pub use sink::Sink;

use sea_orm::{
    AccessMode, DatabaseConnection, DatabaseTransaction, DbBackend, DbErr, IsolationLevel,
    TransactionTrait,
};

/// Events read per page: each page costs a few batched queries (one per table of parts).
pub const PAGE: u64 = 500;

/// What an export can be written as.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// One event's record a line, as JSON: every figure with all its claims and quotes.
    Ndjson,
    /// One event a row, flat columns (see `write::CSV_COLUMNS`).
    Csv,
    /// The `data/` layout: the `*.toml` files and `articles/`, loadable with `import`.
    Toml,
    /// The `data/` layout in one tar archive.
    Tar,
}

/// Why an export stopped.
#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    #[error("database error while exporting: {0}")]
    Database(#[from] DbErr),
    #[error("a record could not be written: {0}")]
    Encode(String),
    #[error("{0}")]
    Io(#[from] std::io::Error),
    /// The reader went away (an HTTP client that hung up).
    #[error("the export's reader went away")]
    Closed,
}

/// A read transaction over `db`: every page of an export sees the same snapshot, however
/// many statements it takes (REPEATABLE READ on PostgreSQL; SQLite's read transactions are
/// snapshots already).
pub async fn snapshot(db: &DatabaseConnection) -> Result<DatabaseTransaction, DbErr> {
    match db.get_database_backend() {
        DbBackend::Postgres => {
            db.begin_with_config(
                Some(IsolationLevel::RepeatableRead),
                Some(AccessMode::ReadOnly),
            )
            .await
        }
        _ => db.begin().await,
    }
}
