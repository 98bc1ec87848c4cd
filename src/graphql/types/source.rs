//! `Source`: the articles every figure and fact is cited from.

use super::enums::Reporting;
use super::event::{Citation, CitationConnection, EventConnection, events_connection};
use super::filters::{EventFilter, EventOrderBy};
use super::scalars::DateSpan;
use crate::graphql::connection::{self, CountChildren, children, connection, cost, edges};
use crate::graphql::ids;
use crate::graphql::loaders::CountOf;
use crate::service::event::Via;
use crate::service::page::{Position, SortValue};
use crate::service::relation::CitationsFrom;
use async_graphql::{Context, ID, Object, Result};
use entity::{citation, source};

connection!(
    SourceConnection,
    SourceEdge,
    Source,
    "A page of sources, with the cursors to move between pages.",
    "A source on a page, with its cursor."
);

/// The sort key of a source in publication order.
pub fn source_position(s: &source::Model) -> Position {
    Position {
        key: s.published_start.into(),
        id: s.id,
    }
}

/// A news article. Every figure's claims and every event's facts cite one.
#[derive(Clone, Debug)]
pub struct Source(pub source::Model);

/// A news article. Every figure's claims and every event's facts cite one.
#[Object]
impl Source {
    /// Opaque global ID.
    pub async fn id(&self) -> ID {
        ids::encode("Source", self.0.id)
    }

    /// Stable key of the source in the curated dataset (e.g. `st-2017-08-03`).
    async fn key(&self) -> &str {
        &self.0.key
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
        let tag = "citations";
        let page = connection::page(tag, first, after, last, before)?;
        let paged = children(ctx, CitationsFrom, self.0.id, &page).await?;
        let position = |c: &citation::Model| Position {
            key: SortValue::Int(c.id.into()),
            id: c.id,
        };
        Ok(CitationConnection::new(
            edges(paged, &page, tag, position, Citation),
            CountChildren(CountOf {
                relation: CitationsFrom,
                parent: self.0.id,
            }),
        ))
    }

    /// The events this article reports.
    #[graphql(complexity = "cost(first, last, child_complexity)")]
    #[allow(clippy::too_many_arguments)]
    async fn events(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Only events matching this.")] filter: Option<EventFilter>,
        #[graphql(desc = "The order; newest first by default.")] order_by: Option<EventOrderBy>,
        #[graphql(desc = "Read forward: this many events (at most 100; 20 by default).")]
        first: Option<i32>,
        #[graphql(desc = "Read forward from after this cursor.")] after: Option<String>,
        #[graphql(desc = "Read backward: this many events (at most 100).")] last: Option<i32>,
        #[graphql(desc = "Read backward from before this cursor.")] before: Option<String>,
    ) -> Result<EventConnection> {
        events_connection(
            ctx,
            Some((Via::Source, self.0.id)),
            filter,
            order_by,
            first,
            after,
            last,
            before,
        )
        .await
    }
}
