//! Import jobs as clients see them: `startImport` starts one and returns at once, and
//! `importJob(id:)` or `node(id:)` polls it, from any instance, until it has SUCCEEDED or
//! FAILED. The running and the rows are the write path's (`write::job`).

use super::proposal::{ChangeConnection, Proposal};
use super::scalars::Count;
use crate::error::Error;
use crate::graphql::credentials::actor;
use crate::graphql::mutation::DatasetFileInput;
use crate::graphql::{db, ids};
use crate::write::job;
use async_graphql::{Context, Enum, ID, Object, Result, SimpleObject};
use entity::enums::Role;
use entity::{import_job, proposal};
use sea_orm::EntityTrait;

/// Where an import job stands.
#[derive(Enum, Clone, Copy, Debug, PartialEq, Eq)]
#[graphql(remote = "entity::enums::ImportJobStatus")]
pub enum ImportJobStatus {
    /// Accepted; its task has not begun.
    Queued,
    /// Checking the files, waiting for the write lock, or writing.
    Running,
    /// Every record is written, in one transaction with its audit rows: see `proposal`.
    Succeeded,
    /// Nothing was written: see `error`.
    Failed,
}

/// Why an import job failed, as the synchronous `importDataset` would have said it.
#[derive(SimpleObject, Clone, Debug)]
pub struct ImportError {
    /// What was wrong (a record's rule, a missing file, a record the files name that neither
    /// they nor the database hold…).
    pub message: String,
    /// The error's code, as `extensions.code`: `BAD_USER_INPUT`, `CONFLICT`, `INTERNAL`, or
    /// `ABANDONED` when the instance running the job stopped.
    pub code: String,
    /// The input field it is about, as `extensions.field` (`files[2]`, `citations[0]`…).
    pub field: Option<String>,
}

/// An import running in the background, started with `startImport`: poll it with
/// `importJob(id:)` or `node(id:)` from any instance. The import applies in one transaction
/// or not at all; its progress is counted in rows written (then events tallied).
#[derive(Clone, Debug)]
pub struct ImportJob(pub import_job::Model);

/// An import running in the background, started with `startImport`.
#[Object]
impl ImportJob {
    /// Opaque global ID.
    pub async fn id(&self) -> ID {
        ids::encode("ImportJob", &self.0.uid)
    }

    /// Where it stands. A job whose instance stopped reads FAILED (`ABANDONED`) once it has
    /// given no sign of life for 30 seconds.
    async fn status(&self) -> ImportJobStatus {
        self.0.status.into()
    }

    /// Rows written so far (then events tallied): rises to `rowsTotal`.
    async fn rows_written(&self) -> Count {
        Count(self.0.rows_written)
    }

    /// Rows to write in all (with the events to tally); null until the files have passed
    /// their checks.
    async fn rows_total(&self) -> Option<Count> {
        self.0.rows_total.map(Count)
    }

    /// Why it failed; null unless FAILED.
    async fn error(&self) -> Option<ImportError> {
        Some(ImportError {
            message: self.0.error_message.clone()?,
            code: self.0.error_code.clone().unwrap_or_default(),
            field: self.0.error_field.clone(),
        })
    }

    /// The published proposal holding the import's records, once SUCCEEDED.
    async fn proposal(&self, ctx: &Context<'_>) -> Result<Option<Proposal>> {
        let Some(id) = self.0.proposal_id else {
            return Ok(None);
        };
        let found = proposal::Entity::find_by_id(id)
            .one(db(ctx)?)
            .await
            .map_err(Error::from)?;
        Ok(found.map(Proposal))
    }

    /// When it was started (RFC 3339).
    async fn created_at(&self) -> String {
        self.0.created_at.to_rfc3339()
    }

    /// When its task began (RFC 3339).
    async fn started_at(&self) -> Option<String> {
        self.0.started_at.map(|t| t.to_rfc3339())
    }

    /// When it SUCCEEDED or FAILED (RFC 3339).
    async fn finished_at(&self) -> Option<String> {
        self.0.finished_at.map(|t| t.to_rfc3339())
    }

    /// A job is not a record of the dataset: its history is always empty (the records it
    /// imports have theirs).
    pub async fn history(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "At most this many changes (at most 100).")] first: Option<i32>,
        #[graphql(desc = "The changes after this cursor.")] after: Option<String>,
    ) -> Result<ChangeConnection> {
        super::proposal::history(ctx, "ImportJob", &self.0.uid, first, after).await
    }
}

/// The job a global ID names, for an editor's key; null when there is none.
pub(crate) async fn find(ctx: &Context<'_>, key: &str) -> Result<Option<ImportJob>> {
    if !actor(ctx).await?.may(Role::Editor) {
        return Err(Error::Forbidden("only an editor reads import jobs".into()).into());
    }
    let job = job::store::find(db(ctx)?, key).await.map_err(Error::from)?;
    Ok(job.map(ImportJob))
}

/// Root field for import jobs.
#[derive(Default)]
pub struct ImportJobQuery;

#[Object]
impl ImportJobQuery {
    /// An import job by its global ID (editors); null when there is none.
    async fn import_job(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The job's ID, as `startImport` gave it.")] id: ID,
    ) -> Result<Option<ImportJob>> {
        let key = ids::decode("ImportJob", &id)?;
        find(ctx, &key).await
    }
}

/// Root field that starts an import job.
#[derive(Default)]
pub struct ImportMutation;

#[Object]
impl ImportMutation {
    /// Starts importing a dataset (editors) and returns its job at once, QUEUED: the files
    /// are those `importDataset` takes (its events in `events.toml` or `events.ndjson`),
    /// checked by the same rules and written in one transaction or not at all, in the
    /// background. Poll the job with `importJob(id:)` or `node(id:)` for its progress and
    /// outcome.
    async fn start_import(
        &self,
        ctx: &Context<'_>,
        #[graphql(
            desc = "The files: `sources.toml`, `events.toml` (or `events.ndjson`)… and \
                    `articles/<file>`."
        )]
        files: Vec<DatasetFileInput>,
        #[graphql(
            desc = "Makes a retry safe: the same key with the same files returns the first \
                    job; with other files it is refused."
        )]
        idempotency_key: Option<String>,
    ) -> Result<ImportJob> {
        let actor = actor(ctx).await?;
        let files = files.into_iter().map(|f| (f.name, f.text)).collect();
        let job = job::start(db(ctx)?, &actor, files, idempotency_key.as_deref())
            .await
            .map_err(Error::from)?;
        Ok(ImportJob(job))
    }
}
