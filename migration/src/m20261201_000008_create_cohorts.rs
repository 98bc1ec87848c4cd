//! Cohorts: links between participant groups of different events that are one body of
//! people (`participant_link`), and the tally columns that let totals count a body once.

use crate::build::*;
use sea_orm_migration::{prelude::*, schema::*};

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261201_000008_create_cohorts"
    }
}

/// Columns added to `participant_tally`, dropped again by `down`.
const TALLY_COLUMNS: &[&str] = &["group_id", "cohort_id", "staged", "once"];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let mut links = table("participant_link")
            .col(id())
            .col(label("relation"))
            .col(text(n("quote")))
            .to_owned();
        reference(&mut links, "group_id", "participant_group", false);
        reference(&mut links, "linked_group_id", "participant_group", false);
        reference(&mut links, "source_id", "source", false);
        // Rows tallied before cohorts existed belong to no body: every row is a stage, and
        // counts once where it was its event's headline (set below).
        let columns = [
            integer_null(n("group_id")),
            integer_null(n("cohort_id")),
            boolean(n("staged")).default(true).to_owned(),
            boolean(n("once")).default(false).to_owned(),
        ];
        // SQLite alters one column a statement.
        for column in columns {
            manager
                .alter_table(
                    Table::alter()
                        .table(n("participant_tally"))
                        .add_column(column)
                        .to_owned(),
                )
                .await?;
        }
        manager
            .get_connection()
            .execute_unprepared("UPDATE participant_tally SET once = headline")
            .await?;
        create(
            manager,
            vec![links],
            &[
                ("participant_link", &["group_id"]),
                ("participant_link", &["linked_group_id"]),
                ("participant_tally", &["once", "event_id"]),
                ("participant_tally", &["once", "nationality_code", "year"]),
                ("participant_tally", &["cohort_id"]),
            ],
        )
        .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for index in [
            "idx_participant_tally_once_event_id",
            "idx_participant_tally_once_nationality_code_year",
            "idx_participant_tally_cohort_id",
        ] {
            manager
                .drop_index(
                    Index::drop()
                        .name(index)
                        .table(n("participant_tally"))
                        .to_owned(),
                )
                .await?;
        }
        drop(manager, &["participant_link"]).await?;
        for column in TALLY_COLUMNS {
            manager
                .alter_table(
                    Table::alter()
                        .table(n("participant_tally"))
                        .drop_column(n(column))
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }
}
