//! Tallies: what each event and flow contributes to totals, resolved at load time, and the
//! event columns totals group by (country, province, year, month).

use crate::build::*;
use sea_orm_migration::{prelude::*, schema::*};

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261121_000006_create_tally_tables"
    }
}

/// Columns added to `event`, dropped again by `down`.
const EVENT_COLUMNS: &[&str] = &["country_code", "province_id", "year", "month"];

fn measure(table: TableCreateStatement, prefix: &str) -> TableCreateStatement {
    table
        .to_owned()
        .col(big_integer_null(n(&format!("{prefix}value"))))
        .col(big_integer_null(n(&format!("{prefix}low"))))
        .col(big_integer_null(n(&format!("{prefix}high"))))
        .to_owned()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // SQLite alters one column a statement.
        let event_columns = [
            string_len_null(n("country_code"), 2),
            integer_null(n("province_id")),
            integer_null(n("year")),
            integer_null(n("month")),
        ];
        for column in event_columns {
            manager
                .alter_table(
                    Table::alter()
                        .table(n("event"))
                        .add_column(column)
                        .to_owned(),
                )
                .await?;
        }

        let mut participants = measure(table("participant_tally").col(id()).to_owned(), "");
        participants = measure(
            participants
                .col(label("qualifier"))
                .col(boolean(n("derived")))
                .col(label_null("role"))
                .col(label_null("status"))
                .to_owned(),
            "women_",
        )
        .col(label_null("women_qualifier"))
        .col(boolean(n("remainder")))
        .col(boolean(n("headline")))
        // The event's grouping columns, copied so that unfiltered totals need no join.
        .col(string_len_null(n("country_code"), 2))
        .col(integer_null(n("province_id")))
        .col(integer_null(n("year")))
        .col(integer_null(n("month")))
        .to_owned();
        reference(&mut participants, "event_id", "event", false);
        reference(&mut participants, "nationality_code", "country", true);

        let mut flows = measure(table("flow_tally").col(id()).to_owned(), "")
            .col(label("qualifier"))
            .col(boolean(n("derived")))
            .col(label("kind"))
            .col(label("status"))
            .col(integer_null(n("year")))
            .col(integer_null(n("month")))
            .col(boolean(n("counted")))
            .col(boolean(n("split")))
            .col(boolean(n("remainder")))
            .to_owned();
        reference(&mut flows, "flow_id", "deportation_flow", false);
        reference(&mut flows, "from_code", "country", false);
        reference(&mut flows, "to_code", "country", true);
        reference(&mut flows, "nationality_code", "country", true);

        create(
            manager,
            vec![participants, flows],
            &[
                ("event", &["country_code"]),
                ("event", &["province_id"]),
                ("event", &["year", "month"]),
                ("participant_tally", &["event_id"]),
                ("participant_tally", &["nationality_code", "event_id"]),
                ("participant_tally", &["headline", "event_id"]),
                (
                    "participant_tally",
                    &["headline", "nationality_code", "year"],
                ),
                ("flow_tally", &["flow_id"]),
                ("flow_tally", &["split", "from_code", "to_code"]),
                ("flow_tally", &["nationality_code"]),
                ("flow_tally", &["year", "month"]),
            ],
        )
        .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        drop(manager, &["flow_tally", "participant_tally"]).await?;
        for index in [
            "idx_event_country_code",
            "idx_event_province_id",
            "idx_event_year_month",
        ] {
            manager
                .drop_index(Index::drop().name(index).table(n("event")).to_owned())
                .await?;
        }
        for column in EVENT_COLUMNS {
            manager
                .alter_table(
                    Table::alter()
                        .table(n("event"))
                        .drop_column(n(column))
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }
}
