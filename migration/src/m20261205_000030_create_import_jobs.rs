//! Import jobs (`import_job`): an import started over the API runs in the background, and
//! its row is what any instance shows of it: status, progress, the error or the proposal it
//! published, and a heartbeat by which a job whose instance died is known. A job is named by
//! a random `uid` (its global ID's key), unique across databases and processes.

use crate::build::*;
use sea_orm_migration::{prelude::*, schema::*};

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261205_000030_create_import_jobs"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let mut job = table("import_job")
            .col(id())
            .col(string_len_uniq(n("uid"), 32))
            .col(label("status"))
            .col(big_integer(n("rows_written")))
            .col(big_integer_null(n("rows_total")))
            .col(text_null(n("error_message")))
            .col(string_len_null(n("error_code"), 64))
            .col(text_null(n("error_field")))
            .col(integer_null(n("proposal_id")))
            .col(string_null(n("idempotency_key")))
            .col(string_len(n("payload_hash"), 64))
            .col(timestamp_with_time_zone(n("created_at")))
            .col(timestamp_with_time_zone_null(n("started_at")))
            .col(timestamp_with_time_zone_null(n("finished_at")))
            .col(timestamp_with_time_zone(n("heartbeat_at")))
            .to_owned();
        reference(&mut job, "key_id", "api_key", false);
        create(manager, vec![job], &[("import_job", &["status"])]).await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_import_job_key_id_idempotency_key")
                    .table(n("import_job"))
                    .col(n("key_id"))
                    .col(n("idempotency_key"))
                    .unique()
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        drop(manager, &["import_job"]).await
    }
}
