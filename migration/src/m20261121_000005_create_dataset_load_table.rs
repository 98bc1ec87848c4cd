//! The record of datasets loaded, which makes loading the same dataset twice a no-op.

use crate::build::*;
use sea_orm_migration::{prelude::*, schema::*};

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261121_000005_create_dataset_load_table"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let load = table("dataset_load")
            .col(id())
            .col(string(n("name")))
            .col(string(n("digest")))
            .col(timestamp_with_time_zone(n("loaded_at")))
            .to_owned();
        create(manager, vec![load], &[]).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        drop(manager, &["dataset_load"]).await
    }
}
