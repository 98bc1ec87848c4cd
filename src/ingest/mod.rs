//! Loading the curated dataset: read the files (`dataset`), check everything and turn it into
//! rows with their ids (`build`, pure; its date rules in `span`), work out each event's
//! tallies (`tallies`, over the pure `crate::tally`), then write them in one transaction
//! (`write`). `generate` makes synthetic rows of the same shape.

pub mod build;
pub mod dataset;
pub mod export;
pub mod format;
pub mod generate;
pub mod import;
pub mod ndjson;
pub mod span;
pub mod tallies;
pub mod write;

pub use dataset::Dataset;
pub use import::{Imported, import};
pub use write::{LoadOutcome, load, load_generated, seed};

/// Why a dataset cannot be loaded: which file, which record, what is wrong.
#[derive(Debug, thiserror::Error)]
pub enum IngestError {
    #[error("{file}: {record}: {message}")]
    Invalid {
        file: String,
        record: String,
        message: String,
    },
    #[error("{0}")]
    Unreadable(String),
    #[error("{0}")]
    Conflict(String),
    #[error("database error while loading: {0}")]
    Database(#[from] sea_orm::DbErr),
}
