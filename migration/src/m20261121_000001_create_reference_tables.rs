//! Countries, sources, the gazetteer (with its closure table), agencies and people.

use crate::build::*;
use sea_orm_migration::{prelude::*, schema::*};

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261121_000001_create_reference_tables"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let country = table("country")
            .col(string_len(n("code"), 2).primary_key())
            .col(string(n("name")))
            .to_owned();
        let source = table("source")
            .col(id())
            .col(string_uniq(n("key")))
            .col(string(n("article")))
            .col(text(n("headline")))
            .col(string(n("outlet")))
            .col(string_null(n("original_outlet")))
            .col(string_null(n("wire_agency")))
            .col(string_null(n("byline")))
            .col(string_null(n("dateline")))
            .col(date_null(n("published_start")))
            .col(date_null(n("published_end")))
            .col(label("published_precision"))
            .col(boolean(n("published_derived")))
            .col(string_null(n("url")))
            .col(label("reporting"))
            .col(text_null(n("note")))
            .to_owned();
        let mut location = table("location")
            .col(id())
            .col(string_uniq(n("key")))
            .col(string(n("name")))
            .col(label("level"))
            .to_owned();
        reference(&mut location, "parent_id", "location", true);
        reference(&mut location, "country_code", "country", false);
        let mut closure = table("location_closure")
            .col(integer(n("depth")))
            .primary_key(
                Index::create()
                    .col(n("ancestor_id"))
                    .col(n("descendant_id")),
            )
            .to_owned();
        reference(&mut closure, "ancestor_id", "location", false);
        reference(&mut closure, "descendant_id", "location", false);
        let mut agency = table("agency")
            .col(id())
            .col(string_uniq(n("key")))
            .col(string(n("name")))
            .col(string_null(n("short_name")))
            .col(label("kind"))
            .to_owned();
        reference(&mut agency, "country_code", "country", true);
        reference(&mut agency, "parent_id", "agency", true);
        let person = table("person")
            .col(id())
            .col(string_uniq(n("key")))
            .col(string(n("name")))
            .to_owned();
        let mut alias = table("person_alias")
            .col(id())
            .col(string(n("name")))
            .col(text(n("quote")))
            .to_owned();
        reference(&mut alias, "person_id", "person", false);
        reference(&mut alias, "source_id", "source", false);
        let mut title = table("person_title")
            .col(id())
            .col(string(n("title")))
            .col(date(n("as_of")))
            .col(text(n("quote")))
            .to_owned();
        reference(&mut title, "person_id", "person", false);
        reference(&mut title, "agency_id", "agency", true);
        reference(&mut title, "source_id", "source", false);
        create(
            manager,
            vec![
                country, source, location, closure, agency, person, alias, title,
            ],
            &[
                ("source", &["published_start"]),
                ("location", &["parent_id"]),
                ("location", &["country_code"]),
                ("location_closure", &["descendant_id"]),
                ("agency", &["country_code"]),
                ("agency", &["parent_id"]),
                ("person_alias", &["person_id"]),
                ("person_alias", &["source_id"]),
                ("person_title", &["person_id"]),
                ("person_title", &["agency_id"]),
                ("person_title", &["source_id"]),
            ],
        )
        .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        drop(
            manager,
            &[
                "person_title",
                "person_alias",
                "person",
                "agency",
                "location_closure",
                "location",
                "source",
                "country",
            ],
        )
        .await
    }
}
