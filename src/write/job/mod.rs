//! Import jobs: an import started over the API (`startImport`) runs in a background task and
//! is followed through its row (`store`), which every instance reads. The import itself is
//! the write path's `ImportDataset` change, in one transaction or not at all; the job's row
//! is written beside it, on other connections: RUNNING when the task begins, then a
//! heartbeat with the progress every [`HEARTBEAT`] (PostgreSQL), then FAILED with the error,
//! or SUCCEEDED inside the import's own transaction. A job whose instance died stops beating
//! and reads as FAILED (`ABANDONED`) once [`store::STALE_AFTER`] has passed.
//!
//! SQLite has one writer, and the import's transaction is it: the row can take no progress
//! until the import commits, so there the progress is this process's (`live`), which is the
//! only instance over a SQLite file (as the write lock is already, `lock`).

pub mod live;
pub mod store;

use super::{Change, Submission, WriteError, import, submit_with};
use crate::auth::Actor;
use entity::enums::Role;
use entity::import_job;
use sea_orm::{ConnectionTrait, DatabaseConnection, DbBackend};
use sha2::{Digest, Sha256};
use std::time::Duration;

/// How often a running job's row is told its progress, and that its instance lives.
pub const HEARTBEAT: Duration = Duration::from_secs(2);

/// The job a change is the work of, as the write path sees it.
#[derive(Clone, Copy)]
pub struct Running<'a> {
    pub id: i32,
    pub live: &'a live::Live,
}

/// Starts importing `files` (name and text each, as `importDataset` takes them) as `actor`,
/// an editor: returns the QUEUED job at once, the import running in a task of its own. With
/// an idempotency key, a retry with the same files returns the first job; other files are
/// refused.
pub async fn start(
    db: &DatabaseConnection,
    actor: &Actor,
    files: Vec<(String, String)>,
    idempotency_key: Option<&str>,
) -> Result<import_job::Model, WriteError> {
    if !actor.may(Role::Editor) {
        return Err(WriteError::Forbidden(
            "only an editor imports a dataset".into(),
        ));
    }
    let hash = digest(&files);
    if let Some(key) = idempotency_key {
        if key.is_empty() || key.len() > 255 {
            return Err(WriteError::invalid(
                "idempotencyKey",
                "an idempotency key has 1 to 255 characters",
            ));
        }
        if let Some(job) = store::by_idempotency_key(db, actor.key_id, key).await? {
            if job.payload_hash != hash {
                return Err(WriteError::IdempotencyKeyReused(
                    "this idempotency key was used with other files; use a new key".into(),
                ));
            }
            return Ok(store::find(db, &job.uid).await?.unwrap_or(job));
        }
    }
    let job = store::create(db, actor.key_id, idempotency_key, hash).await?;
    let registered = live::register(&job.uid);
    tokio::spawn(run(db.clone(), actor.clone(), files, job.id, registered));
    Ok(job)
}

/// The job's task: the import through the write path, its heartbeat beside it, and its
/// outcome written to its row.
async fn run(
    db: DatabaseConnection,
    actor: Actor,
    files: Vec<(String, String)>,
    id: i32,
    registered: live::Registered,
) {
    if let Err(e) = store::started(&db, id).await {
        tracing::error!(job = id, error = %e, "an import job's start could not be recorded");
    }
    let heartbeat = (db.get_database_backend() == DbBackend::Postgres)
        .then(|| tokio::spawn(beat(db.clone(), id, registered.live.clone())));
    let live = &*registered.live;
    let progress = |written: u64, total: u64| live.advance(written, total);
    let outcome = async {
        let change: Change = import::change(files)?;
        let how = Submission {
            progress: &progress,
            job: Some(Running { id, live }),
            ..Default::default()
        };
        submit_with(&db, &actor, change, how).await
    }
    .await;
    if let Some(heartbeat) = heartbeat {
        heartbeat.abort();
    }
    if let Err(e) = outcome {
        let e = crate::error::Error::from(e);
        if e.code() == "INTERNAL" {
            tracing::error!(job = id, error = ?e, "an import job failed inside");
        }
        let field = e.field().map(str::to_string);
        if let Err(e) = store::failed(&db, id, e.code(), e.to_string(), field).await {
            tracing::error!(job = id, error = %e, "an import job's failure could not be recorded");
        }
    }
    drop(registered);
}

/// Writes the job's progress and its sign of life every [`HEARTBEAT`], from a connection of
/// its own, until the job is no longer running.
async fn beat(db: DatabaseConnection, id: i32, live: std::sync::Arc<live::Live>) {
    loop {
        tokio::time::sleep(HEARTBEAT).await;
        match store::beat(&db, id, live.progress()).await {
            Ok(true) => {}
            Ok(false) => break,
            Err(e) => tracing::warn!(job = id, error = %e, "an import job's heartbeat failed"),
        }
    }
}

/// Marks the job SUCCEEDED inside its import's transaction; a job given up as dead meanwhile
/// is a conflict, which rolls the import back.
pub(super) async fn succeeded(
    txn: &impl ConnectionTrait,
    job: Running<'_>,
    proposal_id: i32,
) -> Result<(), WriteError> {
    if store::succeeded(txn, job.id, proposal_id, job.live.progress()).await? {
        return Ok(());
    }
    Err(WriteError::Conflict(
        "this import job was given up as abandoned while it ran (its heartbeat stopped); \
         nothing was written: start it again"
            .into(),
    ))
}

/// Hex SHA-256 over the files' names and texts.
fn digest(files: &[(String, String)]) -> String {
    let mut hash = Sha256::new();
    for (name, text) in files {
        hash.update(name.as_bytes());
        hash.update([0]);
        hash.update(text.as_bytes());
        hash.update([0]);
    }
    hash.finalize().iter().map(|b| format!("{b:02x}")).collect()
}
