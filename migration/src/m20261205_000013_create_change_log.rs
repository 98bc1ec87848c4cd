//! The write side's records: proposals awaiting review (`proposal`), the audit trail of
//! every published change (`change`, whose ids are commit order), the results kept for
//! idempotent retries (`idempotency`), and where merged-away records now live (`redirect`).

use crate::build::*;
use sea_orm_migration::{prelude::*, schema::*};

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261205_000013_create_change_log"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let mut proposal = table("proposal")
            .col(id())
            .col(label("kind"))
            .col(label("status"))
            .col(text(n("input")))
            .col(string(n("summary")))
            .col(string(n("author")))
            .col(timestamp_with_time_zone(n("created_at")))
            .col(string_null(n("reviewer")))
            .col(timestamp_with_time_zone_null(n("reviewed_at")))
            .col(text_null(n("note")))
            .to_owned();
        reference(&mut proposal, "author_key_id", "api_key", false);
        let mut change = table("change")
            .col(big_integer(n("id")).auto_increment().primary_key())
            .col(timestamp_with_time_zone(n("at")))
            .col(string(n("actor")))
            .col(label("action"))
            .col(string_len(n("node_type"), 32))
            .col(text(n("node_id")))
            .col(text_null(n("before")))
            .col(text_null(n("after")))
            .col(text_null(n("reason")))
            .col(integer_null(n("proposal_id")))
            .to_owned();
        reference(&mut change, "key_id", "api_key", true);
        let mut idempotency = table("idempotency")
            .col(id())
            .col(string(n("idempotency_key")))
            .col(string_len(n("payload_hash"), 64))
            .col(text(n("response")))
            .col(timestamp_with_time_zone(n("created_at")))
            .to_owned();
        reference(&mut idempotency, "key_id", "api_key", false);
        let redirect = table("redirect")
            .col(id())
            .col(string_len(n("node_type"), 32))
            .col(text(n("from_key")))
            .col(text(n("to_key")))
            .to_owned();
        create(
            manager,
            vec![proposal, change, idempotency, redirect],
            &[
                ("proposal", &["status", "id"]),
                ("change", &["node_id"]),
                ("redirect", &["node_type", "from_key"]),
            ],
        )
        .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_idempotency_key_id_idempotency_key")
                    .table(n("idempotency"))
                    .col(n("key_id"))
                    .col(n("idempotency_key"))
                    .unique()
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        drop(manager, &["redirect", "idempotency", "change", "proposal"]).await
    }
}
