//! `source`: One news article that figures and facts are cited from.

use crate::enums::*;
use sea_orm::entity::prelude::*;

/// One news article that figures and facts are cited from.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "source")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    /// Stable slug, unique.
    pub key: String,
    /// File name of the article's text in `data/articles/`.
    pub article: String,
    pub headline: String,
    /// Where this copy was published.
    pub outlet: String,
    /// Outlet whose reporting it carries, when another.
    pub original_outlet: Option<String>,
    pub wire_agency: Option<String>,
    pub byline: Option<String>,
    pub dateline: Option<String>,
    pub published_start: Option<Date>,
    pub published_end: Option<Date>,
    pub published_precision: DatePrecision,
    pub published_derived: bool,
    pub url: Option<String>,
    /// Original reporting or a pick-up, republication or rewrite.
    pub reporting: Reporting,
    /// How the date and attribution were established.
    pub note: Option<String>,
    /// Optimistic concurrency: 1 when written, one more with every change; a change made
    /// against an older version fails.
    pub version: i32,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
