//! The data version: one row counting the publishes (loads, and the write path's publishing
//! transactions), so that every server instance can tell clients and caches whether what
//! they hold is still current (`service::version`, HTTP `ETag`s). No row means version 0.

use crate::build::*;
use sea_orm_migration::prelude::*;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261205_000021_create_data_version"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(n("data_version"))
                    .col(ColumnDef::new(n("id")).integer().not_null().primary_key())
                    .col(ColumnDef::new(n("version")).big_integer().not_null())
                    .to_owned(),
            )
            .await?;
        // A database that already holds data starts at version 1, as if its load had
        // bumped it.
        manager
            .get_connection()
            .execute_unprepared(
                "INSERT INTO data_version (id, version) \
                 SELECT 1, 1 WHERE EXISTS (SELECT 1 FROM dataset_load)",
            )
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(n("data_version")).to_owned())
            .await
    }
}
