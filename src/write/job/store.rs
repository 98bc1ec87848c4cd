//! The rows of import jobs: what every instance reads. Each write is its own statement,
//! outside the import's transaction (the job's last step, SUCCEEDED, is the exception: it
//! is written in the import's own transaction, so a job has succeeded exactly when its
//! records are committed).

use super::live;
use chrono::{TimeDelta, Utc};
use entity::enums::ImportJobStatus as S;
use entity::import_job::{ActiveModel, Column, Entity, Model};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, NotSet, QueryFilter, Set,
};

/// A job that has given no sign of life for this long, and is not running in this process,
/// is dead: its instance stopped (a crash, a kill, a deploy) and took its import's
/// transaction with it, so nothing of it was written. The heartbeat beats 15 times as often.
pub const STALE_AFTER: TimeDelta = TimeDelta::seconds(30);

/// The code of the error a dead job reads with.
pub const ABANDONED: &str = "ABANDONED";

/// A new QUEUED job for the key `key_id`, with a new random uid.
pub async fn create(
    db: &impl ConnectionTrait,
    key_id: i32,
    idempotency_key: Option<&str>,
    payload_hash: String,
) -> Result<Model, DbErr> {
    let mut bytes = [0u8; 16];
    getrandom::fill(&mut bytes)
        .map_err(|e| DbErr::Custom(format!("no randomness for a job's uid: {e}")))?;
    let now = Utc::now();
    ActiveModel {
        id: NotSet,
        uid: Set(bytes.iter().map(|b| format!("{b:02x}")).collect()),
        status: Set(S::Queued),
        rows_written: Set(0),
        rows_total: Set(None),
        error_message: Set(None),
        error_code: Set(None),
        error_field: Set(None),
        proposal_id: Set(None),
        idempotency_key: Set(idempotency_key.map(str::to_string)),
        payload_hash: Set(payload_hash),
        created_at: Set(now),
        started_at: Set(None),
        finished_at: Set(None),
        heartbeat_at: Set(now),
        key_id: Set(key_id),
    }
    .insert(db)
    .await
}

/// The job `key_id` started with this idempotency key, if any.
pub async fn by_idempotency_key(
    db: &impl ConnectionTrait,
    key_id: i32,
    idempotency_key: &str,
) -> Result<Option<Model>, DbErr> {
    Entity::find()
        .filter(Column::KeyId.eq(key_id))
        .filter(Column::IdempotencyKey.eq(idempotency_key))
        .one(db)
        .await
}

/// Updates job `id` with `set` if it is still in one of `statuses`; whether it was.
async fn update_if(
    db: &impl ConnectionTrait,
    id: i32,
    statuses: &[S],
    set: ActiveModel,
) -> Result<bool, DbErr> {
    let done = Entity::update_many()
        .set(set)
        .filter(Column::Id.eq(id))
        .filter(Column::Status.is_in(statuses.iter().copied()))
        .exec(db)
        .await?;
    Ok(done.rows_affected == 1)
}

/// The job's task has begun: RUNNING.
pub async fn started(db: &impl ConnectionTrait, id: i32) -> Result<bool, DbErr> {
    let now = Utc::now();
    let set = ActiveModel {
        status: Set(S::Running),
        started_at: Set(Some(now)),
        heartbeat_at: Set(now),
        ..Default::default()
    };
    update_if(db, id, &[S::Queued], set).await
}

/// A heartbeat with the progress so far; false when the job is no longer running (it was
/// given up as dead meanwhile, and its import must not commit).
pub async fn beat(
    db: &impl ConnectionTrait,
    id: i32,
    (written, total): (u64, u64),
) -> Result<bool, DbErr> {
    let set = ActiveModel {
        rows_written: Set(count(written)),
        rows_total: Set((total > 0).then(|| count(total))),
        heartbeat_at: Set(Utc::now()),
        ..Default::default()
    };
    update_if(db, id, &[S::Queued, S::Running], set).await
}

/// The import committed (called inside its transaction): SUCCEEDED, with its proposal and
/// final counts. False when the job was given up as dead meanwhile: the caller then rolls
/// the import back, so that what readers were told stays true. (A job still QUEUED is fine:
/// on SQLite its RUNNING may not have been written while another import held the writer.)
pub async fn succeeded(
    db: &impl ConnectionTrait,
    id: i32,
    proposal_id: i32,
    (written, total): (u64, u64),
) -> Result<bool, DbErr> {
    let now = Utc::now();
    let set = ActiveModel {
        status: Set(S::Succeeded),
        proposal_id: Set(Some(proposal_id)),
        rows_written: Set(count(written)),
        rows_total: Set(Some(count(total))),
        finished_at: Set(Some(now)),
        heartbeat_at: Set(now),
        ..Default::default()
    };
    update_if(db, id, &[S::Queued, S::Running], set).await
}

/// The import failed and wrote nothing: FAILED, with what the client would have been told.
pub async fn failed(
    db: &impl ConnectionTrait,
    id: i32,
    code: &str,
    message: String,
    field: Option<String>,
) -> Result<bool, DbErr> {
    let now = Utc::now();
    let set = ActiveModel {
        status: Set(S::Failed),
        error_code: Set(Some(code.to_string())),
        error_message: Set(Some(message)),
        error_field: Set(field),
        finished_at: Set(Some(now)),
        ..Default::default()
    };
    update_if(db, id, &[S::Queued, S::Running], set).await
}

/// The job with uid `uid` as it stands: a dead one (see [`STALE_AFTER`]) is marked FAILED
/// (`ABANDONED`) first; one running in this process shows its latest progress.
pub async fn find(db: &impl ConnectionTrait, uid: &str) -> Result<Option<Model>, DbErr> {
    let Some(job) = Entity::find().filter(Column::Uid.eq(uid)).one(db).await? else {
        return Ok(None);
    };
    let id = job.id;
    if let Some(live) = live::get(uid) {
        return Ok(Some(with_progress(job, live.progress())));
    }
    let unfinished = matches!(job.status, S::Queued | S::Running);
    if unfinished && Utc::now() - job.heartbeat_at > STALE_AFTER {
        let message = format!(
            "the instance running this import stopped (no sign of life for {} s); its \
             transaction ended with it, so nothing was written: start the import again",
            STALE_AFTER.num_seconds()
        );
        failed(db, id, ABANDONED, message, None).await?;
        return Entity::find_by_id(id).one(db).await;
    }
    Ok(Some(job))
}

/// `job` with the progress its import reports here, where that is further than its row.
fn with_progress(mut job: Model, (written, total): (u64, u64)) -> Model {
    if matches!(job.status, S::Queued | S::Running) {
        job.rows_written = job.rows_written.max(count(written));
        if total > 0 {
            job.rows_total = Some(job.rows_total.unwrap_or(0).max(count(total)));
        }
    }
    job
}

fn count(n: u64) -> i64 {
    i64::try_from(n).unwrap_or(i64::MAX)
}
