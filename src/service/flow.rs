//! Deportation flows: which match a filter, and their order.

use super::sort::Sort;
use chrono::NaiveDate;
use entity::enums::{FlowKind, Status};
use entity::*;
use sea_orm::sea_query::{Expr, ExprTrait, Query};
use sea_orm::{ColumnTrait, Condition};

/// Flows, newest first: at the root, out of and into a country, and behind a flow total.
pub const FLOWS_BY_DATE: Sort<deportation_flow::Entity> = Sort {
    name: "flows:DATE:DESC",
    column: deportation_flow::Column::DateStart,
    descending: true,
};

/// What to select flows by; every field narrows the selection.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct FlowFilter {
    /// Sent from any of these countries.
    pub from_countries: Vec<String>,
    /// Sent to any of these countries.
    pub to_countries: Vec<String>,
    /// Only flows whose destination the sources leave unspecified.
    pub to_unspecified: bool,
    /// Any of these kinds.
    pub kinds: Vec<FlowKind>,
    pub status: Option<Status>,
    /// Flows with people of any of these nationalities in their split.
    pub nationalities: Vec<String>,
    /// The flow's date span overlaps `[from, to]`.
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
}

impl FlowFilter {
    pub fn condition(&self) -> Condition {
        use deportation_flow::Column as C;
        let mut c = Condition::all();
        if !self.from_countries.is_empty() {
            c = c.add(C::FromCode.is_in(self.from_countries.clone()));
        }
        if !self.to_countries.is_empty() {
            c = c.add(C::ToCode.is_in(self.to_countries.clone()));
        }
        if self.to_unspecified {
            c = c.add(C::ToCode.is_null());
        }
        if !self.kinds.is_empty() {
            c = c.add(C::Kind.is_in(self.kinds.clone()));
        }
        if let Some(status) = self.status {
            c = c.add(C::Status.eq(status));
        }
        if !self.nationalities.is_empty() {
            let sub = Query::select()
                .column(flow_nationality::Column::FlowId)
                .from(flow_nationality::Entity)
                .and_where(
                    flow_nationality::Column::NationalityCode.is_in(self.nationalities.clone()),
                )
                .to_owned();
            c = c.add(Expr::col((deportation_flow::Entity, C::Id)).in_subquery(sub));
        }
        if let Some(from) = self.from {
            c = c.add(C::DateEnd.gte(from));
        }
        if let Some(to) = self.to {
            c = c.add(C::DateStart.lte(to));
        }
        c
    }
}
