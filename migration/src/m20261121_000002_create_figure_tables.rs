//! Figures and the claims sources make about them.

use crate::build::*;
use sea_orm_migration::{prelude::*, schema::*};

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261121_000002_create_figure_tables"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let figure = table("figure")
            .col(id())
            .col(big_integer_null(n("value")))
            .col(big_integer_null(n("low")))
            .col(big_integer_null(n("high")))
            .col(label("qualifier"))
            .col(boolean(n("derived")))
            .to_owned();
        let mut claim = table("claim")
            .col(id())
            .col(big_integer_null(n("value")))
            .col(big_integer_null(n("high")))
            .col(label("qualifier"))
            .col(boolean(n("derived")))
            .col(text_null(n("note")))
            .col(text(n("quote")))
            .to_owned();
        reference(&mut claim, "figure_id", "figure", false);
        reference(&mut claim, "source_id", "source", false);
        create(
            manager,
            vec![figure, claim],
            &[("claim", &["figure_id"]), ("claim", &["source_id"])],
        )
        .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        drop(manager, &["claim", "figure"]).await
    }
}
