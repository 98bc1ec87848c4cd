//! `flow_tally`: what one flow contributes to flow totals, whole and split by nationality.

use crate::enums::*;
use sea_orm::entity::prelude::*;

/// What one flow contributes to flow totals: once whole (`split` false), and once split by
/// nationality (`split` true: one row per nationality given, plus the unsplit remainder).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "flow_tally")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub flow_id: i32,
    pub from_code: String,
    pub to_code: Option<String>,
    /// Set on split rows that name a nationality.
    pub nationality_code: Option<String>,
    pub kind: FlowKind,
    pub status: Status,
    /// Year and month (`yyyymm`) the flow's date span starts in.
    pub year: Option<i32>,
    pub month: Option<i32>,
    pub value: Option<i64>,
    pub low: Option<i64>,
    pub high: Option<i64>,
    pub qualifier: Qualifier,
    pub derived: bool,
    /// Summed into totals: completed and with a number. Planned flows and flows without a
    /// number are listed beside totals, never added.
    pub counted: bool,
    pub split: bool,
    pub remainder: bool,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
