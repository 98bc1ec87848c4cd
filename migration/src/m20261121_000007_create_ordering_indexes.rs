//! PostgreSQL indexes in the exact orderings the API pages by. Nulls sort lowest (last when
//! descending), which a plain ascending index read backwards does not give on PostgreSQL (it
//! puts NULLs first); SQLite's NULLs already sort lowest, so its plain indexes serve.

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::{ConnectionTrait, DbBackend};

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261121_000007_create_ordering_indexes"
    }
}

/// (index, table, columns in order).
const INDEXES: &[(&str, &str, &str)] = &[
    (
        "idx_event_date_order",
        "event",
        "date_start DESC NULLS LAST, id DESC",
    ),
    (
        "idx_event_people_order",
        "event",
        "people_count DESC NULLS LAST, id DESC",
    ),
    (
        "idx_flow_date_order",
        "deportation_flow",
        "date_start DESC NULLS LAST, id DESC",
    ),
];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        if manager.get_database_backend() != DbBackend::Postgres {
            return Ok(());
        }
        let db = manager.get_connection();
        for (name, table, columns) in INDEXES {
            db.execute_unprepared(&format!("CREATE INDEX {name} ON {table} ({columns})"))
                .await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        if manager.get_database_backend() != DbBackend::Postgres {
            return Ok(());
        }
        let db = manager.get_connection();
        for (name, _, _) in INDEXES {
            db.execute_unprepared(&format!("DROP INDEX {name}")).await?;
        }
        Ok(())
    }
}
