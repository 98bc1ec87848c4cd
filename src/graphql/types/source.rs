//! `Source`: the articles every figure and fact is cited from.

use super::enums::Reporting;
use super::scalars::DateSpan;
use crate::graphql::ids;
use async_graphql::{ID, Object};
use entity::source;

/// A news article. Every figure's claims and every event's facts cite one.
#[derive(Clone, Debug)]
pub struct Source(pub source::Model);

/// A news article. Every figure's claims and every event's facts cite one.
#[Object]
impl Source {
    /// Opaque global ID.
    async fn id(&self) -> ID {
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
}
