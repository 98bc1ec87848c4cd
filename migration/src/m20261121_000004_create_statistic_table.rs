//! Statistics: figures about a period, kept apart from events so no total adds them.

use crate::build::*;
use sea_orm_migration::{prelude::*, schema::*};

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261121_000004_create_statistic_table"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let mut statistic = table("statistic")
            .col(id())
            .col(string_uniq(n("key")))
            .col(text(n("description")))
            .col(label("unit"))
            .col(date_null(n("period_start")))
            .col(date_null(n("period_end")))
            .col(label("period_precision"))
            .col(boolean(n("period_derived")))
            .to_owned();
        reference(&mut statistic, "location_id", "location", true);
        reference(&mut statistic, "agency_id", "agency", true);
        reference(&mut statistic, "figure_id", "figure", false);
        create(
            manager,
            vec![statistic],
            &[
                ("statistic", &["period_start"]),
                ("statistic", &["location_id"]),
                ("statistic", &["agency_id"]),
                ("statistic", &["figure_id"]),
            ],
        )
        .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        drop(manager, &["statistic"]).await
    }
}
