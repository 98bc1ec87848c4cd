//! Stable identities: every table whose rows clients see as objects of their own, and that has
//! no curated `key`, gains a `uid`, unique, which global IDs are made from instead of the
//! autoincrement `id` (which a reload renumbers). The loader derives a uid from the row's
//! place in its curated record (`<event key>/participants[2]`); the write path assigns one
//! once, at creation. Rows already present get `legacy/<id>` until the next load.

use crate::build::*;
use sea_orm_migration::{prelude::*, schema::*};

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261202_000009_add_stable_uids"
    }
}

/// The tables that gain a `uid`.
pub const TABLES: &[&str] = &[
    "claim",
    "citation",
    "participant_group",
    "participant_link",
    "deportation_flow",
    "flow_nationality",
    "event_agency",
    "event_person",
    "event_relation",
    "seizure",
    "money_figure",
    "statement",
    "person_alias",
    "person_title",
];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in TABLES {
            manager
                .alter_table(
                    Table::alter()
                        .table(n(table))
                        .add_column(string(n("uid")).default("").to_owned())
                        .to_owned(),
                )
                .await?;
            manager
                .get_connection()
                .execute_unprepared(&format!(
                    "UPDATE {table} SET uid = 'legacy/' || CAST(id AS TEXT)"
                ))
                .await?;
            manager
                .create_index(
                    Index::create()
                        .name(format!("idx_{table}_uid"))
                        .table(n(table))
                        .col(n("uid"))
                        .unique()
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in TABLES {
            manager
                .drop_index(
                    Index::drop()
                        .name(format!("idx_{table}_uid"))
                        .table(n(table))
                        .to_owned(),
                )
                .await?;
            manager
                .alter_table(
                    Table::alter()
                        .table(n(table))
                        .drop_column(n("uid"))
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }
}
