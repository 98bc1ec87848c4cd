//! Scam Atlas's schema migrations: one change a file, each with a working `down`.

pub use sea_orm_migration::prelude::*;

mod build;
mod m20261121_000001_create_reference_tables;
mod m20261121_000002_create_figure_tables;
mod m20261121_000003_create_event_tables;
mod m20261121_000004_create_statistic_table;
mod m20261121_000005_create_dataset_load_table;
mod m20261121_000006_create_tally_tables;
mod m20261121_000007_create_ordering_indexes;
mod m20261201_000008_create_cohorts;
mod m20261202_000009_add_stable_uids;
mod m20261202_000010_add_location_coordinates;
mod m20261205_000011_create_source_texts;
mod m20261205_000012_create_api_keys;
mod m20261205_000013_create_change_log;
mod m20261205_000014_add_versions;
mod m20261205_000020_create_event_search;
mod m20261205_000021_create_data_version;
mod m20261205_000022_create_rollups;
mod m20261205_000030_create_import_jobs;
mod m20261205_000031_add_flow_rollup_grain;

/// Every migration, in the order they apply.
pub struct Migrator;

/// A migration run in a transaction on every backend, its record in `seaql_migrations`
/// included. SeaORM wraps only PostgreSQL's migrations by default, but SQLite's DDL is
/// transactional too: without this, a first start killed midway left tables no migration
/// recorded, and every later start failed on `table "event" already exists`.
struct Atomic(Box<dyn MigrationTrait>);

impl MigrationName for Atomic {
    fn name(&self) -> &str {
        self.0.name()
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Atomic {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        self.0.up(manager).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        self.0.down(manager).await
    }

    fn use_transaction(&self) -> Option<bool> {
        Some(true)
    }
}

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        let all: Vec<Box<dyn MigrationTrait>> = vec![
            Box::new(m20261121_000001_create_reference_tables::Migration),
            Box::new(m20261121_000002_create_figure_tables::Migration),
            Box::new(m20261121_000003_create_event_tables::Migration),
            Box::new(m20261121_000004_create_statistic_table::Migration),
            Box::new(m20261121_000005_create_dataset_load_table::Migration),
            Box::new(m20261121_000006_create_tally_tables::Migration),
            Box::new(m20261121_000007_create_ordering_indexes::Migration),
            Box::new(m20261201_000008_create_cohorts::Migration),
            Box::new(m20261202_000009_add_stable_uids::Migration),
            Box::new(m20261202_000010_add_location_coordinates::Migration),
            Box::new(m20261205_000011_create_source_texts::Migration),
            Box::new(m20261205_000012_create_api_keys::Migration),
            Box::new(m20261205_000013_create_change_log::Migration),
            Box::new(m20261205_000014_add_versions::Migration),
            Box::new(m20261205_000020_create_event_search::Migration),
            Box::new(m20261205_000021_create_data_version::Migration),
            Box::new(m20261205_000022_create_rollups::Migration),
            Box::new(m20261205_000030_create_import_jobs::Migration),
            Box::new(m20261205_000031_add_flow_rollup_grain::Migration),
        ];
        all.into_iter()
            .map(|m| Box::new(Atomic(m)) as Box<dyn MigrationTrait>)
            .collect()
    }
}
