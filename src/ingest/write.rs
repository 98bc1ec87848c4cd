//! Writes a built dataset in one transaction: all of it, or (on any error) nothing.

use super::build::{Rows, build};
use super::{Dataset, IngestError};
use entity::*;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, DbBackend, DbErr,
    EntityTrait, IntoActiveModel, PaginatorTrait, QueryFilter, Statement, TransactionTrait,
};

/// The name the curated dataset is recorded under in `dataset_load`.
pub const CURATED: &str = "curated";

/// What a load did.
#[derive(Debug, PartialEq, Eq)]
pub enum LoadOutcome {
    /// The dataset was written: this many events.
    Loaded { events: usize },
    /// The same dataset (same digest) was already loaded; nothing was written.
    Unchanged,
}

/// Bound parameters per INSERT statement: under SQLite's limit (32,766) and PostgreSQL's
/// (65,535). Each batch holds as many rows as fit: few statements, because every round trip
/// of a large INSERT costs time (a 500-row batch loaded ~14k rows/s into PostgreSQL).
const PARAMETERS: usize = 30_000;

/// Loads `dataset` into `db`, which must hold no data other than an earlier load of the same
/// dataset. With `replace`, an earlier load of a *different* version is deleted first, in the
/// same transaction.
pub async fn load(
    db: &DatabaseConnection,
    dataset: &Dataset,
    replace: bool,
) -> Result<LoadOutcome, IngestError> {
    let rows = build(dataset)?;
    let digest = dataset.digest();
    let txn = db.begin().await?;
    let previous = dataset_load::Entity::find()
        .filter(dataset_load::Column::Name.eq(CURATED))
        .one(&txn)
        .await?;
    match previous {
        Some(p) if p.digest == digest => return Ok(LoadOutcome::Unchanged),
        Some(p) if !replace => {
            return Err(IngestError::Conflict(format!(
                "another version of the curated dataset (loaded {}) is in this database; \
                 run `scam-atlas load-data --replace` to replace it",
                p.loaded_at
            )));
        }
        Some(_) => clear(&txn).await?,
        None => {}
    }
    let events = write_new(&txn, rows, CURATED, digest, &quietly).await?;
    txn.commit().await?;
    Ok(LoadOutcome::Loaded { events })
}

/// Loads the curated dataset into a migrated database that holds no dataset yet: what `serve`
/// does at start. A database holding a dataset already (curated or generated) is left as it is.
pub async fn seed(db: &DatabaseConnection) -> Result<LoadOutcome, IngestError> {
    if anything_loaded(db).await? {
        backfill_texts(db).await?;
        return Ok(LoadOutcome::Unchanged);
    }
    load(db, &Dataset::curated(), false).await
}

/// The name generated data is recorded under in `dataset_load`.
pub const GENERATED: &str = "generated";

/// Generates `events` synthetic events from `seed` and loads them into an empty database,
/// recorded as `generated` (never beside the curated dataset).
pub async fn load_generated(
    db: &DatabaseConnection,
    events: usize,
    seed: u64,
    progress: Progress<'_>,
) -> Result<LoadOutcome, IngestError> {
    let rows = super::generate::generate(events, seed);
    let txn = db.begin().await?;
    let events = write_new(
        &txn,
        rows,
        GENERATED,
        format!("events={events} seed={seed}"),
        progress,
    )
    .await?;
    txn.commit().await?;
    // A bulk load leaves the planner without statistics until autovacuum comes round.
    db.execute_unprepared("ANALYZE").await?;
    Ok(LoadOutcome::Loaded { events })
}

/// Writes rows into a database that holds no data, and records the load; returns the number
/// of events written.
pub(super) async fn write_new(
    db: &impl ConnectionTrait,
    rows: Rows,
    name: &str,
    digest: String,
    progress: Progress<'_>,
) -> Result<usize, IngestError> {
    if location::Entity::find().count(db).await? > 0 || event::Entity::find().count(db).await? > 0 {
        return Err(IngestError::Conflict(format!(
            "the database already holds data; load the {name} dataset into an empty database"
        )));
    }
    let events = rows.events.len();
    write(db, rows, progress).await?;
    dataset_load::ActiveModel {
        id: sea_orm::NotSet,
        name: sea_orm::Set(name.into()),
        digest: sea_orm::Set(digest),
        loaded_at: sea_orm::Set(chrono::Utc::now()),
    }
    .insert(db)
    .await?;
    // A publish: caches holding answers of the data before it must revalidate.
    crate::service::version::bump(db).await?;
    Ok(events)
}

macro_rules! tables {
    ($mac:ident) => {
        $mac!(
            country, countries;
            source, sources;
            source_text, source_texts;
            location, locations;
            location_closure, closures;
            agency, agencies;
            person, people;
            person_alias, aliases;
            person_title, titles;
            figure, figures;
            claim, claims;
            event, events;
            event_kind, event_kinds;
            event_location, event_locations;
            event_agency, event_agencies;
            event_person, event_people;
            citation, citations;
            citation_fact, citation_facts;
            participant_group, groups;
            participant_link, links;
            deportation_flow, flows;
            flow_nationality, flow_nationalities;
            seizure, seizures;
            money_figure, money;
            statement, statements;
            event_relation, relations;
            statistic, statistics;
            participant_tally, participant_tallies;
            flow_tally, flow_tallies
        )
    };
}

/// Told, after each batch, how many rows are written of how many.
pub type Progress<'a> = &'a (dyn Fn(u64, u64) + Sync);

/// No progress to report.
pub fn quietly(_: u64, _: u64) {}

/// Inserts every row in batched multi-row INSERTs, parents before children, then moves
/// PostgreSQL's id sequences past the ids the rows brought with them.
pub async fn write(
    db: &impl ConnectionTrait,
    rows: Rows,
    progress: Progress<'_>,
) -> Result<(), DbErr> {
    macro_rules! count_all {
        ($($module:ident, $field:ident);*) => { 0 $(+ rows.$field.len() as u64)* };
    }
    let total = tables!(count_all);
    let mut written = 0;
    macro_rules! insert_all {
        ($($module:ident, $field:ident);*) => {$(
            let columns = <$module::Column as sea_orm::Iterable>::iter().count().max(1);
            let mut models = rows.$field.into_iter().map(IntoActiveModel::into_active_model).peekable();
            while models.peek().is_some() {
                let chunk: Vec<$module::ActiveModel> = models.by_ref().take(PARAMETERS / columns).collect();
                written += chunk.len() as u64;
                $module::Entity::insert_many(chunk).exec_without_returning(db).await?;
                progress(written, total);
            }
        )*};
    }
    tables!(insert_all);
    if db.get_database_backend() == DbBackend::Postgres {
        macro_rules! bump {
            ($($module:ident, $field:ident);*) => {$(
                if !matches!(stringify!($module), "country" | "source_text" | "location_closure" | "event_kind" | "event_location") {
                    let table = stringify!($module);
                    db.execute_raw(Statement::from_string(DbBackend::Postgres, format!(
                        "SELECT setval(pg_get_serial_sequence('{table}', 'id'), COALESCE((SELECT MAX(id) FROM {table}), 0) + 1, false)"
                    ))).await?;
                }
            )*};
        }
        tables!(bump);
    }
    // The roll-ups grouped totals read, from the tallies just written, in this transaction.
    crate::service::totals::rollup::rebuild(db).await?;
    Ok(())
}

/// Deletes every row of every data table, children first.
async fn clear(db: &impl ConnectionTrait) -> Result<(), DbErr> {
    macro_rules! delete_all {
        ($($module:ident, $field:ident);*) => {
            delete_all!(@rev [] $($module)*);
        };
        (@rev [$($done:ident)*] $head:ident $($rest:ident)*) => { delete_all!(@rev [$head $($done)*] $($rest)*); };
        (@rev [$($module:ident)*]) => {$(
            $module::Entity::delete_many().exec(db).await?;
        )*};
    }
    tables!(delete_all);
    dataset_load::Entity::delete_many().exec(db).await?;
    Ok(())
}

/// Whether any dataset (curated or generated) has been loaded.
pub async fn anything_loaded(db: &impl ConnectionTrait) -> Result<bool, DbErr> {
    Ok(dataset_load::Entity::find().count(db).await? > 0)
}

/// Stores the article text of every curated source that has none: a database loaded before
/// texts were kept (migration 11) gets them, so new claims can quote the curated articles.
async fn backfill_texts(db: &impl ConnectionTrait) -> Result<(), DbErr> {
    let loaded_curated = dataset_load::Entity::find()
        .filter(dataset_load::Column::Name.eq(CURATED))
        .count(db)
        .await?;
    if loaded_curated == 0 {
        return Ok(());
    }
    let curated = Dataset::curated();
    let with_text: std::collections::HashSet<i32> = source_text::Entity::find()
        .all(db)
        .await?
        .into_iter()
        .map(|t| t.source_id)
        .collect();
    let missing: Vec<source_text::ActiveModel> = source::Entity::find()
        .all(db)
        .await?
        .into_iter()
        .filter(|s| !with_text.contains(&s.id))
        .filter_map(|s| {
            let (_, text) = curated
                .articles
                .iter()
                .find(|(name, _)| *name == s.article)?;
            Some(source_text::ActiveModel {
                source_id: sea_orm::Set(s.id),
                text: sea_orm::Set(text.clone()),
            })
        })
        .collect();
    if !missing.is_empty() {
        source_text::Entity::insert_many(missing)
            .exec_without_returning(db)
            .await?;
    }
    Ok(())
}
