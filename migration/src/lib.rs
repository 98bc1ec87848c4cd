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

/// Every migration, in the order they apply.
pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m20261121_000001_create_reference_tables::Migration),
            Box::new(m20261121_000002_create_figure_tables::Migration),
            Box::new(m20261121_000003_create_event_tables::Migration),
            Box::new(m20261121_000004_create_statistic_table::Migration),
            Box::new(m20261121_000005_create_dataset_load_table::Migration),
            Box::new(m20261121_000006_create_tally_tables::Migration),
            Box::new(m20261121_000007_create_ordering_indexes::Migration),
        ]
    }
}
