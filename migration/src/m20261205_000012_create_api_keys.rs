//! API keys (`api_key`): who may write. Only a key's SHA-256 is kept, never the key.

use crate::build::*;
use sea_orm_migration::{prelude::*, schema::*};

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261205_000012_create_api_keys"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let keys = table("api_key")
            .col(id())
            .col(string(n("name")))
            .col(label("role"))
            .col(string_len(n("prefix"), 16))
            .col(string_len_uniq(n("hash"), 64))
            .col(timestamp_with_time_zone(n("created_at")))
            .col(timestamp_with_time_zone_null(n("last_used_at")))
            .col(timestamp_with_time_zone_null(n("revoked_at")))
            .to_owned();
        create(manager, vec![keys], &[]).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        drop(manager, &["api_key"]).await
    }
}
