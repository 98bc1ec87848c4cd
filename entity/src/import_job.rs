//! `import_job`: An import started over the API, running in the background.

use crate::enums::*;
use sea_orm::entity::prelude::*;

/// An import started over the API, running in the background: what any instance shows of it.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "import_job")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    /// Random, 32 hex digits: the key of the job's global ID.
    #[sea_orm(unique)]
    pub uid: String,
    pub status: ImportJobStatus,
    /// Rows written so far (and events tallied), as last reported.
    pub rows_written: i64,
    /// Rows to write in all, once the import's checks have passed.
    pub rows_total: Option<i64>,
    pub error_message: Option<String>,
    /// The error's `extensions.code` (`BAD_USER_INPUT`, `ABANDONED`…).
    pub error_code: Option<String>,
    /// The input field the error is about.
    pub error_field: Option<String>,
    /// The proposal the import published, once it succeeded.
    pub proposal_id: Option<i32>,
    pub idempotency_key: Option<String>,
    /// Hex SHA-256 of the files: a retry with the same key must send the same.
    pub payload_hash: String,
    pub created_at: DateTimeUtc,
    pub started_at: Option<DateTimeUtc>,
    pub finished_at: Option<DateTimeUtc>,
    /// Last sign of life from the instance running it (see `write::job`).
    pub heartbeat_at: DateTimeUtc,
    /// The key that started it.
    pub key_id: i32,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
