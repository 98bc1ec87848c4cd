//! Importing a dataset in the `data/` format (a folder, or a tar of one such as
//! `GET /export/dataset.tar` gives): exactly the loader's checks (`build`), then one
//! transaction, so a failed or killed import leaves the database as it was.
//!
//! Events may come as NDJSON (`events.ndjson`, what `export --format ndjson` writes) in
//! place of `events.toml`: they are read into the same records (`ndjson`).
//!
//! [`import`] is the fast path into an empty (migrated) database, and refuses one holding
//! data; into such a database, records go through the write path (`write::import`), audited.

use super::build::build;
use super::write::{Progress, write_new};
use super::{Dataset, IngestError};
use entity::{event, location};
use sea_orm::{ConnectionTrait, DatabaseConnection, EntityTrait, PaginatorTrait, TransactionTrait};
use std::io::Read;
use std::path::Path;

/// The name an import is recorded under in `dataset_load`.
pub const IMPORTED: &str = "imported";

/// What an import wrote.
#[derive(Debug, PartialEq, Eq)]
pub struct Imported {
    /// Events written.
    pub events: usize,
}

/// Checks `dataset` as the loader does and writes it into `db`, which must hold no data, in
/// one transaction; `progress` is told after each batch how many rows are written of how
/// many. Errors: `Invalid` (the dataset, naming file and record), `Conflict` (the database
/// holds data), `Database`.
pub async fn import(
    db: &DatabaseConnection,
    dataset: &Dataset,
    progress: Progress<'_>,
) -> Result<Imported, IngestError> {
    refuse_data(db).await?;
    whole(dataset)?;
    let rows = build(dataset)?;
    let txn = db.begin().await?;
    let events = write_new(&txn, rows, IMPORTED, dataset.digest(), progress).await?;
    txn.commit().await?;
    // A bulk write leaves the planner without statistics until autovacuum comes round.
    db.execute_unprepared("ANALYZE").await?;
    Ok(Imported { events })
}

/// Whether `db` holds no data (no places, no events): what the fast path needs.
pub async fn is_empty(db: &impl ConnectionTrait) -> Result<bool, IngestError> {
    Ok(location::Entity::find().count(db).await? == 0
        && event::Entity::find().count(db).await? == 0)
}

/// The files a dataset needs to start an empty database.
const WHOLE: [&str; 7] = [
    "countries.toml",
    "sources.toml",
    "places.toml",
    "agencies.toml",
    "people.toml",
    "events.toml",
    "statistics.toml",
];

/// Refuses, saying which, a dataset that lacks files an empty database needs (an NDJSON
/// file of events alone has nothing for its events to name).
fn whole(dataset: &Dataset) -> Result<(), IngestError> {
    let missing: Vec<&str> = WHOLE
        .into_iter()
        .filter(|name| !dataset.files.iter().any(|(file, _)| file == name))
        .collect();
    if missing.is_empty() {
        return Ok(());
    }
    Err(IngestError::Unreadable(format!(
        "an empty database takes a whole dataset, and this one has no {}: events (events.toml \
         or events.ndjson, which carries events only) need the countries, sources with their \
         articles, places, agencies and people they name; import the folder that \
         `export --format toml` writes (or put events.ndjson in it in place of events.toml)",
        missing.join(", ")
    )))
}

/// Refuses, before any work, a database that holds data already.
async fn refuse_data(db: &impl ConnectionTrait) -> Result<(), IngestError> {
    if !is_empty(db).await? {
        return Err(IngestError::Conflict(
            "the database already holds data: import into an empty database (run \
             `scam-atlas migrate` on a new one); merging into existing data is not supported yet"
                .into(),
        ));
    }
    Ok(())
}

/// The dataset at `path`: a folder laid out like `data/` (its events in `events.toml` or
/// `events.ndjson`), a `.tar` of one, or an `.ndjson` file of events alone.
pub fn read(path: &Path) -> Result<Dataset, IngestError> {
    if path.is_dir() {
        return Dataset::from_dir(path);
    }
    match path.extension().and_then(|e| e.to_str()) {
        Some("tar") => from_tar(path),
        Some("ndjson") => {
            let text = std::fs::read_to_string(path)
                .map_err(|e| IngestError::Unreadable(format!("{}: {e}", path.display())))?;
            let mut dataset = Dataset::empty();
            dataset.add(super::ndjson::FILE, text)?;
            Ok(dataset)
        }
        _ => Err(IngestError::Unreadable(format!(
            "{}: not a folder laid out like data/, a .tar of one, nor an .ndjson file of events",
            path.display()
        ))),
    }
}

/// A dataset from a tar archive: its `*.toml` files and its `articles/*`, wherever in the
/// archive the layout starts.
fn from_tar(path: &Path) -> Result<Dataset, IngestError> {
    let unreadable =
        |e: std::io::Error| IngestError::Unreadable(format!("{}: {e}", path.display()));
    let mut archive = tar::Archive::new(std::fs::File::open(path).map_err(unreadable)?);
    let mut dataset = Dataset::empty();
    for entry in archive.entries().map_err(unreadable)? {
        let mut entry = entry.map_err(unreadable)?;
        if entry.header().entry_type() != tar::EntryType::Regular {
            continue;
        }
        let name_of = |p: &Path| p.file_name().and_then(|n| n.to_str()).map(str::to_string);
        let entry_path = entry.path().map_err(unreadable)?.into_owned();
        let (Some(name), parent) = (name_of(&entry_path), entry_path.parent().and_then(name_of))
        else {
            continue;
        };
        let mut text = String::new();
        entry.read_to_string(&mut text).map_err(unreadable)?;
        if parent.as_deref() == Some("articles") {
            dataset.add(&format!("articles/{name}"), text)?;
        } else if name.ends_with(".toml") || name == super::ndjson::FILE {
            dataset.add(&name, text)?;
        }
    }
    dataset.files.sort();
    dataset.articles.sort();
    Ok(dataset)
}
