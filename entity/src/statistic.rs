//! `statistic`: A figure about a period rather than one event; never added to totals over events.

use crate::enums::*;
use sea_orm::entity::prelude::*;

/// A figure about a period rather than one event; never added to totals over events.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "statistic")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub key: String,
    pub description: String,
    pub unit: StatisticUnit,
    pub period_start: Option<Date>,
    pub period_end: Option<Date>,
    pub period_precision: DatePrecision,
    pub period_derived: bool,
    pub location_id: Option<i32>,
    /// Who states it, when not the source itself.
    pub agency_id: Option<i32>,
    pub figure_id: i32,
    /// Optimistic concurrency: 1 when written, one more with every change; a change made
    /// against an older version fails.
    pub version: i32,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
