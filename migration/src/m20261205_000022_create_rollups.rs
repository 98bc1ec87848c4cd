//! Roll-ups of the tallies, which grouped totals read instead of scanning every tally: sums
//! per cell of (country, province, year, month) and the tally's own keys, with their low and
//! high and which inexact qualifiers occur, written in the same transaction as the tallies
//! (`service::totals::rollup`). People are rolled up at eight levels, one per set of the keys
//! that vary within an event (nationality, role, status), so that a row's count of events adds
//! up across cells, each in two grains (per month and place, per year and country); flows at
//! one, every key of a flow.

use crate::build::*;
use sea_orm_migration::{prelude::*, schema::*};

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261205_000022_create_rollups"
    }
}

/// The measure columns, their qualifier flags (1 when a part of the sum is so qualified),
/// with a prefix.
fn measures(table: &mut TableCreateStatement, prefix: &str) {
    for measure in ["value", "low", "high"] {
        table.col(big_integer_null(n(&format!("{prefix}{measure}"))));
    }
    for q in ["at_least", "more_than", "about", "nearly", "at_most"] {
        table.col(integer(n(&format!("{prefix}q_{q}"))));
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let mut people = table("participant_rollup");
        people
            .col(id())
            .col(integer(n("level")))
            .col(string_len_null(n("nationality_code"), 2))
            .col(label_null("role"))
            .col(label_null("status"))
            .col(string_len_null(n("country_code"), 2))
            .col(integer_null(n("province_id")))
            .col(integer_null(n("year")))
            .col(integer_null(n("month")));
        measures(&mut people, "");
        measures(&mut people, "w_");
        people
            .col(big_integer(n("w_known")))
            .col(integer(n("derived")))
            .col(big_integer(n("events")));
        manager.create_table(people.to_owned()).await?;
        // Totals read one level; refreshes, the months of one year.
        manager
            .create_index(
                Index::create()
                    .name("idx_participant_rollup_level")
                    .table(n("participant_rollup"))
                    .col(n("level"))
                    .col(n("nationality_code"))
                    .col(n("year"))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_participant_rollup_cell")
                    .table(n("participant_rollup"))
                    .col(n("year"))
                    .col(n("month"))
                    .col(n("country_code"))
                    .col(n("province_id"))
                    .to_owned(),
            )
            .await?;

        let mut flows = table("flow_rollup");
        flows
            .col(id())
            .col(boolean(n("split")))
            .col(string_len(n("from_code"), 2))
            .col(string_len_null(n("to_code"), 2))
            .col(string_len_null(n("nationality_code"), 2))
            .col(label("kind"))
            .col(label("status"))
            .col(integer_null(n("year")))
            .col(integer_null(n("month")));
        measures(&mut flows, "");
        flows
            .col(integer(n("derived")))
            .col(big_integer(n("counted")))
            .col(big_integer(n("uncounted")));
        manager.create_table(flows.to_owned()).await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_flow_rollup_split")
                    .table(n("flow_rollup"))
                    .col(n("split"))
                    .col(n("from_code"))
                    .col(n("to_code"))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_flow_rollup_cell")
                    .table(n("flow_rollup"))
                    .col(n("year"))
                    .col(n("month"))
                    .to_owned(),
            )
            .await?;
        // Whether the roll-ups hold every tally: a row once they were built (by a load). A
        // database that already holds data has none until its next load, and totals read the
        // tallies until then.
        manager
            .create_table(
                table("rollup_state")
                    .col(ColumnDef::new(n("id")).integer().not_null().primary_key())
                    .to_owned(),
            )
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for name in ["rollup_state", "flow_rollup", "participant_rollup"] {
            manager
                .drop_table(Table::drop().table(n(name)).to_owned())
                .await?;
        }
        Ok(())
    }
}
