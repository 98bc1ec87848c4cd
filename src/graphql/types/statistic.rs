//! `Statistic`: figures about a period rather than one event.

use super::agency::Agency;
use super::enums::StatisticUnit;
use super::figure::{Claim, Figure};
use super::place::Location;
use super::scalars::DateSpan;
use crate::graphql::connection::connection;
use crate::graphql::ids;
use crate::graphql::load_many;
use crate::graphql::loaders::ClaimsOf;
use crate::service::page::Position;
use async_graphql::{Context, ID, Object, Result};
use entity::statistic;

connection!(
    StatisticConnection,
    StatisticEdge,
    Statistic,
    "A page of statistics, with the cursors to move between pages.",
    "A statistic on a page, with its cursor."
);

/// The sort key of a statistic in period order.
pub fn statistic_position(s: &statistic::Model) -> Position {
    Position {
        key: s.period_start.into(),
        id: s.id,
    }
}

/// A figure about a period rather than one event ("at least 53 scam compounds", "more than
/// 600 deported in recent years"). Statistics never enter totals over events, which they
/// would overlap.
#[derive(Clone, Debug)]
pub struct Statistic(pub statistic::Model);

/// A figure about a period rather than one event ("at least 53 scam compounds", "more than
/// 600 deported in recent years"). Statistics never enter totals over events, which they
/// would overlap.
#[Object]
impl Statistic {
    /// Opaque global ID.
    pub async fn id(&self) -> ID {
        ids::encode("Statistic", self.0.id)
    }

    /// Stable key in the curated dataset.
    async fn key(&self) -> &str {
        &self.0.key
    }

    /// What is counted, in a sentence that stands without the article.
    async fn description(&self) -> &str {
        &self.0.description
    }

    /// What the figure counts: people, sites or US dollars.
    async fn unit(&self) -> StatisticUnit {
        self.0.unit.into()
    }

    /// The period the figure is about.
    async fn period(&self) -> DateSpan {
        let s = &self.0;
        DateSpan::new(
            s.period_start,
            s.period_end,
            s.period_precision,
            s.period_derived,
        )
    }

    /// The place it is about, if any.
    async fn location(&self, ctx: &Context<'_>) -> Result<Option<Location>> {
        match self.0.location_id {
            Some(id) => Ok(Some(Location::load(ctx, id).await?)),
            None => Ok(None),
        }
    }

    /// Who states it (a report's author), when not the article itself.
    async fn attributed_to(&self, ctx: &Context<'_>) -> Result<Option<Agency>> {
        match self.0.agency_id {
            Some(id) => Ok(Some(Agency::load(ctx, id).await?)),
            None => Ok(None),
        }
    }

    /// The figure, with every source's claim.
    async fn figure(&self, ctx: &Context<'_>) -> Result<Figure> {
        Figure::load(ctx, self.0.figure_id).await
    }

    /// The sources' statements of it, each with its quote (the figure's claims).
    async fn citations(&self, ctx: &Context<'_>) -> Result<Vec<Claim>> {
        Ok(load_many(ctx, ClaimsOf(self.0.figure_id))
            .await?
            .into_iter()
            .map(Claim)
            .collect())
    }
}
