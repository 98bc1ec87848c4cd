//! Importing a dataset in the `data/` format (a folder, or a tar of one such as
//! `GET /export/dataset.tar` gives): exactly the loader's checks (`build`), then one
//! transaction, so a failed or killed import leaves the database as it was.
//!
//! For now an import goes into an empty (migrated) database; one into a database holding data
//! is refused. Merging into existing data is the write path's job, which will call
//! [`import`] once it can take rows beside those already written.

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
    let rows = build(dataset)?;
    let txn = db.begin().await?;
    let events = write_new(&txn, rows, IMPORTED, dataset.digest(), progress).await?;
    txn.commit().await?;
    // A bulk write leaves the planner without statistics until autovacuum comes round.
    db.execute_unprepared("ANALYZE").await?;
    Ok(Imported { events })
}

/// Refuses, before any work, a database that holds data already.
async fn refuse_data(db: &impl ConnectionTrait) -> Result<(), IngestError> {
    if location::Entity::find().count(db).await? > 0 || event::Entity::find().count(db).await? > 0 {
        return Err(IngestError::Conflict(
            "the database already holds data: import into an empty database (run \
             `scam-atlas migrate` on a new one); merging into existing data is not supported yet"
                .into(),
        ));
    }
    Ok(())
}

/// The dataset at `path`: a folder laid out like `data/`, or a `.tar` of one.
pub fn read(path: &Path) -> Result<Dataset, IngestError> {
    if path.is_dir() {
        return Dataset::from_dir(path);
    }
    match path.extension().and_then(|e| e.to_str()) {
        Some("tar") => from_tar(path),
        Some("ndjson") => Err(IngestError::Unreadable(format!(
            "{}: importing NDJSON is not supported yet; import a data/ folder or a dataset.tar",
            path.display()
        ))),
        _ => Err(IngestError::Unreadable(format!(
            "{}: not a folder laid out like data/, nor a .tar of one",
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
    let mut dataset = Dataset {
        files: Vec::new(),
        articles: Vec::new(),
    };
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
            dataset.articles.push((name, text));
        } else if name.ends_with(".toml") {
            dataset.files.push((name, text));
        }
    }
    dataset.files.sort();
    dataset.articles.sort();
    Ok(dataset)
}
