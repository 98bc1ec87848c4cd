//! `Statistic`: figures about a period rather than one event.

use super::agency::Agency;
use super::enums::StatisticUnit;
use super::figure::{Claim, Figure};
use super::filters::StatisticFilter;
use super::place::Location;
use super::scalars::DateSpan;
use crate::graphql::connection::{PageArgs, connection, cost};
use crate::graphql::loaders::ClaimsOf;
use crate::graphql::{ids, load_many};
use crate::service::catalog::STATISTICS_BY_PERIOD;
use async_graphql::{Context, ID, Object, Result};
use entity::statistic;

connection!(
    StatisticConnection,
    StatisticEdge,
    Statistic(statistic),
    "A page of statistics, with the cursors to move between pages.",
    "A statistic on a page, with its cursor."
);

/// Root fields about statistics.
#[derive(Default)]
pub struct StatisticQuery;

#[Object]
impl StatisticQuery {
    /// Figures about periods rather than events (never part of totals over events), newest
    /// period first.
    #[graphql(complexity = "cost(first, last, child_complexity)")]
    async fn statistics(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Only statistics matching this.")] filter: Option<StatisticFilter>,
        #[graphql(desc = "Read forward: this many statistics (at most 100; 20 by default).")] first: Option<i32>,
        #[graphql(desc = "Read forward from after this cursor.")] after: Option<String>,
        #[graphql(desc = "Read backward: this many statistics (at most 100).")] last: Option<i32>,
        #[graphql(desc = "Read backward from before this cursor.")] before: Option<String>,
    ) -> Result<StatisticConnection> {
        let condition = filter.unwrap_or_default().into_service()?.condition();
        let args = PageArgs::new(first, after, last, before);
        StatisticConnection::root(ctx, condition, STATISTICS_BY_PERIOD, args).await
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
    /// Opaque global ID, stable for the life of the record.
    pub async fn id(&self) -> ID {
        ids::encode("Statistic", &self.0.key)
    }

    /// Every published change to this record, oldest first: its audit trail.
    pub async fn history(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "At most this many changes (at most 100).")] first: Option<i32>,
        #[graphql(desc = "The changes after this cursor.")] after: Option<String>,
    ) -> Result<crate::graphql::types::proposal::ChangeConnection> {
        crate::graphql::types::proposal::history(ctx, "Statistic", &self.0.key, first, after).await
    }

    /// Stable key in the curated dataset.
    async fn key(&self) -> &str {
        &self.0.key
    }

    /// The record's version: one more with every published change. Send it as a mutation's
    /// `expectedVersion` to make the change fail with CONFLICT if another came first.
    async fn version(&self) -> i32 {
        self.0.version
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
