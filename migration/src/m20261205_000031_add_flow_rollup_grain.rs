//! A coarse grain for the flow roll-up, as the people roll-up has: rows per year (`month`
//! NULL, `coarse` true) beside the rows per month, for the flow totals that do not group by
//! month. The origin–destination matrix then sums a few rows per year and route instead of
//! one per month (at 1M generated events, summing the monthly rows was most of its time).
//!
//! A database whose roll-ups are built gets its coarse rows here, summed from its monthly
//! ones: a flow is in one month, so its counts add up across months exactly.

use crate::build::*;
use sea_orm_migration::{prelude::*, schema::*};

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261205_000031_add_flow_rollup_grain"
    }
}

/// The keys a coarse row keeps (the month goes).
const KEYS: [&str; 7] = [
    "split",
    "from_code",
    "to_code",
    "nationality_code",
    "kind",
    "status",
    "year",
];

/// The columns summed, and those whose maximum is kept (qualifier flags, `derived`).
const SUMMED: [&str; 5] = ["value", "low", "high", "counted", "uncounted"];
const MAXED: [&str; 6] = [
    "q_at_least",
    "q_more_than",
    "q_about",
    "q_nearly",
    "q_at_most",
    "derived",
];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(n("flow_rollup"))
                    .add_column(boolean(n("coarse")).default(false).to_owned())
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_flow_rollup_grain")
                    .table(n("flow_rollup"))
                    .col(n("coarse"))
                    .col(n("split"))
                    .col(n("from_code"))
                    .col(n("to_code"))
                    .to_owned(),
            )
            .await?;
        let mut select = Query::select();
        select
            .from(n("flow_rollup"))
            .and_where(Expr::col(n("coarse")).eq(false));
        for key in KEYS {
            select.column(n(key)).group_by_col(n(key));
        }
        select.expr(Expr::cust("NULL"));
        for column in SUMMED {
            select.expr(Expr::col(n(column)).sum());
        }
        for column in MAXED {
            select.expr(Expr::col(n(column)).max());
        }
        select.expr(Expr::val(true));
        let columns = KEYS
            .into_iter()
            .chain(["month"])
            .chain(SUMMED)
            .chain(MAXED)
            .chain(["coarse"])
            .map(n);
        let insert = Query::insert()
            .into_table(n("flow_rollup"))
            .columns(columns)
            .select_from(select)
            .map_err(|e| DbErr::Custom(e.to_string()))?
            .to_owned();
        manager.exec_stmt(insert).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .exec_stmt(
                Query::delete()
                    .from_table(n("flow_rollup"))
                    .and_where(Expr::col(n("coarse")).eq(true))
                    .to_owned(),
            )
            .await?;
        manager
            .drop_index(
                Index::drop()
                    .name("idx_flow_rollup_grain")
                    .table(n("flow_rollup"))
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(n("flow_rollup"))
                    .drop_column(n("coarse"))
                    .to_owned(),
            )
            .await
    }
}
