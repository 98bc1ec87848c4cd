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
    /// Sent from this country.
    pub from: Option<String>,
    /// Sent to this country.
    pub to: Option<String>,
    /// Only flows whose destination the sources leave unspecified.
    pub to_unspecified: bool,
    pub kind: Option<FlowKind>,
    pub status: Option<Status>,
    /// Flows with people of this nationality in their split.
    pub nationality: Option<String>,
    /// The flow's date span overlaps `[since, until]`.
    pub since: Option<NaiveDate>,
    pub until: Option<NaiveDate>,
}

impl FlowFilter {
    pub fn condition(&self) -> Condition {
        use deportation_flow::Column as C;
        let mut c = Condition::all();
        if let Some(code) = &self.from {
            c = c.add(C::FromCode.eq(code.clone()));
        }
        if let Some(code) = &self.to {
            c = c.add(C::ToCode.eq(code.clone()));
        }
        if self.to_unspecified {
            c = c.add(C::ToCode.is_null());
        }
        if let Some(kind) = self.kind {
            c = c.add(C::Kind.eq(kind));
        }
        if let Some(status) = self.status {
            c = c.add(C::Status.eq(status));
        }
        if let Some(code) = &self.nationality {
            let sub = Query::select()
                .column(flow_nationality::Column::FlowId)
                .from(flow_nationality::Entity)
                .and_where(flow_nationality::Column::NationalityCode.eq(code.clone()))
                .to_owned();
            c = c.add(Expr::col((deportation_flow::Entity, C::Id)).in_subquery(sub));
        }
        if let Some(since) = self.since {
            c = c.add(C::DateEnd.gte(since));
        }
        if let Some(until) = self.until {
            c = c.add(C::DateStart.lte(until));
        }
        c
    }
}
