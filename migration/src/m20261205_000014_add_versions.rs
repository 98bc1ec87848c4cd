//! Optimistic concurrency: a `version` on every record a mutation changes (a change made
//! against an older version fails), and a person's public `standing` (no private persons).

use crate::build::*;
use sea_orm_migration::{prelude::*, schema::*};

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261205_000014_add_versions"
    }
}

/// Tables that get a `version`, which starts at 1.
const VERSIONED: &[&str] = &["event", "figure", "source", "statistic", "person"];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in VERSIONED {
            manager
                .alter_table(
                    Table::alter()
                        .table(n(table))
                        .add_column(integer(n("version")).default(1).to_owned())
                        .to_owned(),
                )
                .await?;
        }
        manager
            .alter_table(
                Table::alter()
                    .table(n("person"))
                    .add_column(label_null("standing"))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(n("person"))
                    .drop_column(n("standing"))
                    .to_owned(),
            )
            .await?;
        for table in VERSIONED.iter().rev() {
            manager
                .alter_table(
                    Table::alter()
                        .table(n(table))
                        .drop_column(n("version"))
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }
}
