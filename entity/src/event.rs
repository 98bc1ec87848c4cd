//! `event`: One happening, however many sources report it.

use crate::enums::*;
use sea_orm::entity::prelude::*;

/// One happening, however many sources report it.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "event")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub key: String,
    pub title: String,
    pub summary: String,
    /// First day the event may have happened; None when UNKNOWN.
    pub date_start: Option<Date>,
    /// Last day the event may have happened; None when UNKNOWN.
    pub date_end: Option<Date>,
    pub date_precision: DatePrecision,
    /// The date was worked out from relative words.
    pub date_derived: bool,
    pub status: Status,
    /// The most specific place containing every place of the event; None for an event with no
    /// place (a worldwide warning).
    pub location_id: Option<i32>,
    /// All people in the event, when sources give a total beside a partial breakdown.
    pub total_figure_id: Option<i32>,
    /// Resolved people figure (the total, else the sum of the groups), kept for sorting.
    pub people_count: Option<i64>,
    /// Country of `location_id`, for totals by country.
    pub country_code: Option<String>,
    /// The province `location_id` lies in (or is), for totals by province.
    pub province_id: Option<i32>,
    /// Year and month (`yyyymm`) the date span starts in; None when UNKNOWN.
    pub year: Option<i32>,
    pub month: Option<i32>,
    /// Optimistic concurrency: 1 when written, one more with every change; a change made
    /// against an older version fails.
    pub version: i32,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
