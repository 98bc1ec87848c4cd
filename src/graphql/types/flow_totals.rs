//! Flow totals: deportations and extraditions added up by any combination of dimensions,
//! the origin–destination matrix.

use super::enums::{FlowKind, Status};
use super::figure::Figure;
use super::flow::{DeportationFlow, DeportationFlowConnection};
use super::place::Country;
use super::totals::{compiled, countries, country, dims, too_many};
use crate::compile::totals::TotalsPlan;
use crate::graphql::connection::{MAX_PAGE, PageArgs, children, cost};
use crate::graphql::raw::Answer;
use crate::service::flow::FlowFilter;
use crate::service::page::{Direction, Page};
use crate::service::relation::FlowsOfTotal;
use crate::service::totals::{self, FlowDim, month_text};
use async_graphql::{Context, Enum, Object, Result};

/// What flow totals can be grouped by; give any combination (none: one grand total).
#[derive(Enum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum FlowDimension {
    /// The country people were sent from.
    FromCountry,
    /// The country people were sent to; the row of unspecified destinations has
    /// `toCountry: null`.
    ToCountry,
    /// The people's nationality, where a flow's split gives it; the rest of a flow has
    /// `nationality: null`.
    Nationality,
    /// Deportation or extradition.
    Kind,
    /// Completed or planned (planned flows are listed, never summed).
    Status,
    /// The year the flow's date span lies in (null when unknown or over more than one year).
    Year,
    /// The month the flow's date span lies in (null when unknown or over more than one month).
    Month,
}

impl From<FlowDimension> for FlowDim {
    fn from(d: FlowDimension) -> Self {
        match d {
            FlowDimension::FromCountry => FlowDim::From,
            FlowDimension::ToCountry => FlowDim::To,
            FlowDimension::Nationality => FlowDim::Nationality,
            FlowDimension::Kind => FlowDim::Kind,
            FlowDimension::Status => FlowDim::Status,
            FlowDimension::Year => FlowDim::Year,
            FlowDimension::Month => FlowDim::Month,
        }
    }
}

/// Deportations and extraditions of a group of flows, added up.
pub struct FlowTotal {
    row: totals::FlowTotal,
    filter: FlowFilter,
    dims: Vec<FlowDim>,
}

impl FlowTotal {
    fn relation(&self, counted: Option<bool>) -> FlowsOfTotal {
        FlowsOfTotal {
            filter: self.filter.clone(),
            dims: self.dims.clone(),
            counted,
        }
    }
}

/// Deportations and extraditions of a group of flows, added up: one cell of the
/// origin–destination matrix. Completed flows with a number are summed; planned flows and
/// flows without a number are listed in `uncountedFlows`, never summed. A key is null when
/// the totals are not grouped by it, and also where it is unspecified (`toCountry: null` in a
/// TO_COUNTRY grouping is flows to unspecified destinations, "home countries").
#[Object]
impl FlowTotal {
    /// The country people were sent from.
    #[graphql(name = "fromCountry")]
    async fn origin(&self, ctx: &Context<'_>) -> Result<Option<Country>> {
        country(ctx, &self.row.keys.from).await
    }

    /// The country people were sent to.
    async fn to_country(&self, ctx: &Context<'_>) -> Result<Option<Country>> {
        country(ctx, &self.row.keys.to).await
    }

    /// The people's nationality, where flows split by nationality.
    async fn nationality(&self, ctx: &Context<'_>) -> Result<Option<Country>> {
        country(ctx, &self.row.keys.nationality).await
    }

    /// Deportation or extradition.
    async fn kind(&self) -> Option<FlowKind> {
        self.row.keys.flow_kind.map(Into::into)
    }

    /// Completed or planned.
    async fn status(&self) -> Option<Status> {
        self.row.keys.flow_status.map(Into::into)
    }

    /// The year the flows' date spans lie in.
    async fn year(&self) -> Option<i32> {
        self.row.keys.year
    }

    /// The month the flows' date spans lie in, `YYYY-MM`.
    async fn month(&self) -> Option<String> {
        self.row.keys.month.map(month_text)
    }

    /// How many people were sent: the sum of the summed flows' figures.
    async fn total(&self) -> Figure {
        Figure::computed(self.row.total)
    }

    /// How many flows `total` adds up.
    async fn flow_count(&self) -> u64 {
        self.row.flow_count
    }

    /// Flows in this cell that are planned or give no number: listed, never summed (at most
    /// 100; `uncountedFlowCount` says how many there are).
    async fn uncounted_flows(&self, ctx: &Context<'_>) -> Result<Vec<DeportationFlow>> {
        if self.row.uncounted_count == 0 {
            return Ok(Vec::new());
        }
        let page = Page {
            limit: MAX_PAGE as u64,
            from: None,
            direction: Direction::Forward,
        };
        let (relation, parent) = (self.relation(Some(false)), self.row.keys.key.clone());
        let paged = children(ctx, relation, parent, &page).await?;
        Ok(paged.rows.into_iter().map(DeportationFlow).collect())
    }

    /// How many flows in this cell are planned or give no number.
    async fn uncounted_flow_count(&self) -> u64 {
        self.row.uncounted_count
    }

    /// The flows `total` adds up, newest first.
    #[graphql(complexity = "cost(first, last, child_complexity)")]
    async fn flows(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Read forward: this many flows (at most 100; 20 by default).")]
        first: Option<i32>,
        #[graphql(desc = "Read forward from after this cursor.")] after: Option<String>,
        #[graphql(desc = "Read backward: this many flows (at most 100).")] last: Option<i32>,
        #[graphql(desc = "Read backward from before this cursor.")] before: Option<String>,
    ) -> Result<DeportationFlowConnection> {
        let args = PageArgs::new(first, after, last, before);
        let (relation, parent) = (self.relation(Some(true)), self.row.keys.key.clone());
        DeportationFlowConnection::nested(ctx, relation, parent, args).await
    }
}

/// The rows of `flowTotals`.
pub(super) async fn rows(
    ctx: &Context<'_>,
    filter: Option<super::filters::FlowFilter>,
    group_by: &[FlowDimension],
) -> Result<Answer<Vec<FlowTotal>>> {
    let filter: FlowFilter = filter.unwrap_or_default().into_service()?;
    let dims: Vec<FlowDim> = dims(group_by)?;
    let (f, d) = (filter.clone(), dims.clone());
    let rows = crate::graphql::read(
        ctx,
        move |db| async move { totals::flows(&db, &f, &d).await },
    )
    .await?;
    too_many(rows.len())?;
    if let Some(plan) = compiled(ctx, TotalsPlan::flows) {
        let countries = countries(ctx, plan.countries(rows.iter().map(|r| &r.keys))).await?;
        if let Some(json) = plan.json(&rows, &countries) {
            return Ok(Answer::Json(json));
        }
    }
    Ok(Answer::Resolved(
        rows.into_iter()
            .map(|row| FlowTotal {
                row,
                filter: filter.clone(),
                dims: dims.clone(),
            })
            .collect(),
    ))
}
