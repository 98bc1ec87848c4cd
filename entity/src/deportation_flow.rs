//! `deportation_flow`: People moved from one country to another in an event.

use crate::enums::*;
use sea_orm::entity::prelude::*;

/// People moved from one country to another in an event.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "deportation_flow")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    /// Stable identity, unique in the table: what its global ID is made from.
    pub uid: String,
    pub event_id: i32,
    pub from_code: String,
    /// None when unspecified ("home countries").
    pub to_code: Option<String>,
    pub kind: FlowKind,
    pub status: Status,
    pub date_start: Option<Date>,
    pub date_end: Option<Date>,
    pub date_precision: DatePrecision,
    pub date_derived: bool,
    /// None when no source gives a number.
    pub count_figure_id: Option<i32>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
