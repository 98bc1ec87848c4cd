//! `figure`: A number some sources state, with the server's resolution of their claims (kept in step by the loader).

use crate::enums::*;
use sea_orm::entity::prelude::*;

/// A number some sources state, with the server's resolution of their claims (kept in step by the loader).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "figure")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    /// The most conservative claim: the lowest stated as exact or as a lower bound.
    pub value: Option<i64>,
    /// Lowest value any claim states.
    pub low: Option<i64>,
    /// Highest value any claim states.
    pub high: Option<i64>,
    /// Qualifier of the claim `value` comes from.
    pub qualifier: Qualifier,
    /// `value` comes from arithmetic on claims.
    pub derived: bool,
    /// Optimistic concurrency: 1 when written, one more with every change; a change made
    /// against an older version fails.
    pub version: i32,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
