//! Events and everything that hangs off one: kinds, places, agencies, people, citations,
//! participant groups, flows, seizures, money, statements and links to other events.

use crate::build::*;
use sea_orm_migration::{prelude::*, schema::*};

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261121_000003_create_event_tables"
    }
}

/// Children first, so `down` drops in this order and `up` creates in reverse.
const TABLES: &[&str] = &[
    "event_relation",
    "statement",
    "money_figure",
    "seizure",
    "flow_nationality",
    "deportation_flow",
    "participant_group",
    "citation_fact",
    "citation",
    "event_person",
    "event_agency",
    "event_location",
    "event_kind",
    "event",
];

fn date_span(table: TableCreateStatement) -> TableCreateStatement {
    table
        .to_owned()
        .col(date_null(n("date_start")))
        .col(date_null(n("date_end")))
        .col(label("date_precision"))
        .col(boolean(n("date_derived")))
        .to_owned()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let mut event = date_span(
            table("event")
                .col(id())
                .col(string_uniq(n("key")))
                .col(text(n("title")))
                .col(text(n("summary")))
                .to_owned(),
        )
        .col(label("status"))
        .col(big_integer_null(n("people_count")))
        .to_owned();
        reference(&mut event, "location_id", "location", true);
        reference(&mut event, "total_figure_id", "figure", true);

        let mut kind = table("event_kind")
            .col(label("kind"))
            .primary_key(Index::create().col(n("event_id")).col(n("kind")))
            .to_owned();
        reference(&mut kind, "event_id", "event", false);
        let mut place = table("event_location")
            .primary_key(Index::create().col(n("event_id")).col(n("location_id")))
            .to_owned();
        reference(&mut place, "event_id", "event", false);
        reference(&mut place, "location_id", "location", false);
        let mut agency = table("event_agency")
            .col(id())
            .col(label("role"))
            .to_owned();
        reference(&mut agency, "event_id", "event", false);
        reference(&mut agency, "agency_id", "agency", false);
        let mut person = table("event_person")
            .col(id())
            .col(label("role"))
            .to_owned();
        reference(&mut person, "event_id", "event", false);
        reference(&mut person, "person_id", "person", false);

        let mut citation = table("citation").col(id()).col(text(n("quote"))).to_owned();
        reference(&mut citation, "event_id", "event", false);
        reference(&mut citation, "source_id", "source", false);
        let mut fact = table("citation_fact")
            .col(id())
            .col(label("fact"))
            .col(label_null("kind"))
            .to_owned();
        reference(&mut fact, "citation_id", "citation", false);
        reference(&mut fact, "location_id", "location", true);
        reference(&mut fact, "agency_id", "agency", true);
        reference(&mut fact, "person_id", "person", true);

        let mut group = table("participant_group")
            .col(id())
            .col(label("role"))
            .col(label("status"))
            .to_owned();
        reference(&mut group, "event_id", "event", false);
        reference(&mut group, "nationality_code", "country", true);
        reference(&mut group, "count_figure_id", "figure", false);
        reference(&mut group, "women_figure_id", "figure", true);

        let mut flow = date_span(
            table("deportation_flow")
                .col(id())
                .col(label("kind"))
                .col(label("status"))
                .to_owned(),
        );
        reference(&mut flow, "event_id", "event", false);
        reference(&mut flow, "from_code", "country", false);
        reference(&mut flow, "to_code", "country", true);
        reference(&mut flow, "count_figure_id", "figure", true);
        let mut flow_nationality = table("flow_nationality").col(id()).to_owned();
        reference(&mut flow_nationality, "flow_id", "deportation_flow", false);
        reference(&mut flow_nationality, "nationality_code", "country", false);
        reference(&mut flow_nationality, "count_figure_id", "figure", false);

        let mut seizure = table("seizure").col(id()).col(string(n("item"))).to_owned();
        reference(&mut seizure, "event_id", "event", false);
        reference(&mut seizure, "quantity_figure_id", "figure", false);
        let mut money = table("money_figure")
            .col(id())
            .col(label("measure"))
            .col(string_len(n("currency"), 3))
            .to_owned();
        reference(&mut money, "event_id", "event", false);
        reference(&mut money, "amount_figure_id", "figure", false);
        let mut statement = table("statement")
            .col(id())
            .col(text(n("quote")))
            .to_owned();
        reference(&mut statement, "person_id", "person", false);
        reference(&mut statement, "event_id", "event", true);
        reference(&mut statement, "source_id", "source", false);
        let mut relation = table("event_relation")
            .col(id())
            .col(label("relation"))
            .col(text(n("quote")))
            .to_owned();
        reference(&mut relation, "event_id", "event", false);
        reference(&mut relation, "related_event_id", "event", false);
        reference(&mut relation, "source_id", "source", false);

        create(
            manager,
            vec![
                event,
                kind,
                place,
                agency,
                person,
                citation,
                fact,
                group,
                flow,
                flow_nationality,
                seizure,
                money,
                statement,
                relation,
            ],
            &[
                ("event", &["date_start", "id"]),
                ("event", &["date_end"]),
                ("event", &["people_count", "id"]),
                ("event", &["status"]),
                ("event", &["location_id"]),
                ("event", &["total_figure_id"]),
                ("event_kind", &["kind", "event_id"]),
                ("event_location", &["location_id"]),
                ("event_agency", &["event_id"]),
                ("event_agency", &["agency_id", "event_id"]),
                ("event_person", &["event_id"]),
                ("event_person", &["person_id", "event_id"]),
                ("citation", &["event_id"]),
                ("citation", &["source_id", "event_id"]),
                ("citation_fact", &["citation_id"]),
                ("citation_fact", &["location_id"]),
                ("citation_fact", &["agency_id"]),
                ("citation_fact", &["person_id"]),
                ("participant_group", &["event_id"]),
                ("participant_group", &["nationality_code", "event_id"]),
                ("participant_group", &["role", "status"]),
                ("participant_group", &["count_figure_id"]),
                ("participant_group", &["women_figure_id"]),
                ("deportation_flow", &["event_id"]),
                ("deportation_flow", &["from_code"]),
                ("deportation_flow", &["to_code"]),
                ("deportation_flow", &["kind", "status"]),
                ("deportation_flow", &["date_start"]),
                ("deportation_flow", &["count_figure_id"]),
                ("flow_nationality", &["flow_id"]),
                ("flow_nationality", &["nationality_code"]),
                ("flow_nationality", &["count_figure_id"]),
                ("seizure", &["event_id"]),
                ("seizure", &["quantity_figure_id"]),
                ("money_figure", &["event_id"]),
                ("money_figure", &["amount_figure_id"]),
                ("statement", &["person_id"]),
                ("statement", &["event_id"]),
                ("statement", &["source_id"]),
                ("event_relation", &["event_id"]),
                ("event_relation", &["related_event_id"]),
                ("event_relation", &["source_id"]),
            ],
        )
        .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        drop(manager, TABLES).await
    }
}
