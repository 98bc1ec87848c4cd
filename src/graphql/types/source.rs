//! `Source`: the articles every figure and fact is cited from.

use super::citation::CitationConnection;
use super::enums::Reporting;
use super::event::{Scope, events_field};
use super::filters::SourceFilter;
use super::scalars::DateSpan;
use crate::graphql::connection::{PageArgs, connection, cost};
use crate::graphql::loaders::SourceKey;
use crate::graphql::{ids, load};
use crate::service::catalog::SOURCES_BY_PUBLISHED;
use crate::service::event::Via;
use crate::service::relation::CitationsFrom;
use async_graphql::{Context, ID, Object, Result};
use entity::source;

connection!(
    SourceConnection,
    SourceEdge,
    Source(source),
    "A page of sources, with the cursors to move between pages.",
    "A source on a page, with its cursor."
);

/// Root fields about sources.
#[derive(Default)]
pub struct SourceQuery;

#[Object]
impl SourceQuery {
    /// The news articles figures and facts are cited from, newest first.
    #[graphql(complexity = "cost(first, last, child_complexity)")]
    async fn sources(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Only sources matching this.")] filter: Option<SourceFilter>,
        #[graphql(desc = "Read forward: this many sources (at most 100; 20 by default).")]
        first: Option<i32>,
        #[graphql(desc = "Read forward from after this cursor.")] after: Option<String>,
        #[graphql(desc = "Read backward: this many sources (at most 100).")] last: Option<i32>,
        #[graphql(desc = "Read backward from before this cursor.")] before: Option<String>,
    ) -> Result<SourceConnection> {
        let condition = filter.unwrap_or_default().into_service()?.condition();
        let args = PageArgs::new(first, after, last, before);
        SourceConnection::root(ctx, condition, SOURCES_BY_PUBLISHED, args).await
    }

    /// One source by its global ID or by its stable key (give exactly one); null when there
    /// is none.
    async fn source(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The source's global ID.")] id: Option<ID>,
        #[graphql(desc = "The source's stable key (e.g. `st-2017-08-03`).")] key: Option<String>,
    ) -> Result<Option<Source>> {
        Ok(load(ctx, SourceKey(ids::id_or_key("Source", id, key)?))
            .await?
            .map(Source))
    }
}

events_field!(
    /// The events this article reports.
    EventsOfSource
);

/// A news article. Every figure's claims and every event's facts cite one.
#[derive(Clone, Debug)]
pub struct Source(pub source::Model);

/// A news article. Every figure's claims and every event's facts cite one.
#[Object]
impl Source {
    /// Opaque global ID, stable for the life of the record.
    pub async fn id(&self) -> ID {
        ids::encode("Source", &self.0.key)
    }

    /// Every published change to this record, oldest first: its audit trail.
    pub async fn history(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "At most this many changes (at most 100).")] first: Option<i32>,
        #[graphql(desc = "The changes after this cursor.")] after: Option<String>,
    ) -> Result<crate::graphql::types::proposal::ChangeConnection> {
        crate::graphql::types::proposal::history(ctx, "Source", &self.0.key, first, after).await
    }

    /// Stable key of the source in the curated dataset (e.g. `st-2017-08-03`).
    async fn key(&self) -> &str {
        &self.0.key
    }

    /// The record's version: one more with every published change. Send it as a mutation's
    /// `expectedVersion` to make the change fail with CONFLICT if another came first.
    async fn version(&self) -> i32 {
        self.0.version
    }

    /// The article's headline as published.
    async fn headline(&self) -> &str {
        &self.0.headline
    }

    /// Where this copy of the article was published.
    async fn outlet(&self) -> &str {
        &self.0.outlet
    }

    /// The outlet whose reporting this article carries, when it is not `outlet`.
    async fn original_outlet(&self) -> Option<&str> {
        self.0.original_outlet.as_deref()
    }

    /// The wire agency the story comes from (Reuters, AFP), if any.
    async fn wire_agency(&self) -> Option<&str> {
        self.0.wire_agency.as_deref()
    }

    /// The byline, when given.
    async fn byline(&self) -> Option<&str> {
        self.0.byline.as_deref()
    }

    /// The dateline (where the story was filed), when given.
    async fn dateline(&self) -> Option<&str> {
        self.0.dateline.as_deref()
    }

    /// When it was published; `derived` when established from the text or other coverage.
    async fn published(&self) -> DateSpan {
        let s = &self.0;
        DateSpan::new(
            s.published_start,
            s.published_end,
            s.published_precision,
            s.published_derived,
        )
    }

    /// Address of the article, when known.
    async fn url(&self) -> Option<&str> {
        self.0.url.as_deref()
    }

    /// Whether this is original reporting, a republication, a pick-up or a rewrite.
    async fn reporting(&self) -> Reporting {
        self.0.reporting.into()
    }

    /// How the date and attribution were established.
    async fn note(&self) -> Option<&str> {
        self.0.note.as_deref()
    }

    /// The quotes drawn from this article, each with the event and facts it backs.
    #[graphql(complexity = "cost(first, last, child_complexity)")]
    async fn citations(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Read forward: this many citations (at most 100; 20 by default).")] first: Option<i32>,
        #[graphql(desc = "Read forward from after this cursor.")] after: Option<String>,
        #[graphql(desc = "Read backward: this many citations (at most 100).")] last: Option<i32>,
        #[graphql(desc = "Read backward from before this cursor.")] before: Option<String>,
    ) -> Result<CitationConnection> {
        let args = PageArgs::new(first, after, last, before);
        CitationConnection::nested(ctx, CitationsFrom, self.0.id, args).await
    }

    /// `events(...)`, flattened in.
    #[graphql(flatten)]
    async fn events_field(&self) -> EventsOfSource {
        EventsOfSource(Scope::Of(Via::Source, self.0.id))
    }
}
