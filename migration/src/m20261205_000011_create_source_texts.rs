//! Article texts in the database (`source_text`), so that the write path checks a new quote
//! against its source's text as the loader checks the curated ones against `data/articles/`.

use crate::build::*;
use sea_orm_migration::{prelude::*, schema::*};

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261205_000011_create_source_texts"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let mut texts = table("source_text").col(text(n("text"))).to_owned();
        texts
            .col(integer(n("source_id")).primary_key())
            .foreign_key(
                ForeignKey::create()
                    .from_col(n("source_id"))
                    .to(n("source"), n("id"))
                    .on_delete(ForeignKeyAction::Cascade),
            );
        create(manager, vec![texts], &[]).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        drop(manager, &["source_text"]).await
    }
}
