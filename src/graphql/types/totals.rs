//! Totals: people by any combination of dimensions, the flow matrix, and the timeline. The
//! reconciliation rules (written out on `QueryRoot.participantTotals`) are implemented once,
//! in `crate::tally` and `crate::figure::settle`.

use super::enums::{EventKind, FlowKind, ParticipantRole, ParticipantStatus, Status};
use super::event::{Event, EventConnection};
use super::figure::Figure;
use super::flow::{DeportationFlow, DeportationFlowConnection, flow_position};
use super::place::{Country, Location};
use super::scalars::{Date, DateSpan};
use crate::error::Error;
use crate::graphql::connection::{self, CountChildren, children, cost, edges};
use crate::graphql::loaders::CountOf;
use crate::service::event::{EventFilter, EventOrder};
use crate::service::flow::FlowFilter;
use crate::service::page::Position;
use crate::service::relation::{EventsOfTotal, FlowsOfTotal};
use crate::service::totals::{self, FlowDim, MAX_ROWS, PeopleDim};
use async_graphql::{Context, Enum, Object, Result};
use chrono::NaiveDate;

/// What people totals can be grouped by; give any combination (none: one grand total).
#[derive(Enum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum ParticipantDimension {
    /// The people's nationality; the row of people of unspecified nationality has `nationality: null`.
    Nationality,
    /// The part they played (suspects, workers, victims, senior figures).
    Role,
    /// What happened to them. Grouping by status counts every stage (arrested, then released):
    /// the same people may appear in two rows.
    Status,
    /// The kind of event. An event of two kinds counts in both rows.
    EventKind,
    /// The country the event happened in.
    Country,
    /// The province the event happened in (null when the event is placed only at country level).
    Province,
    /// The year the event's date span starts in (null for events of unknown date).
    Year,
    /// The month the event's date span starts in.
    Month,
}

impl From<ParticipantDimension> for PeopleDim {
    fn from(d: ParticipantDimension) -> Self {
        match d {
            ParticipantDimension::Nationality => PeopleDim::Nationality,
            ParticipantDimension::Role => PeopleDim::Role,
            ParticipantDimension::Status => PeopleDim::Status,
            ParticipantDimension::EventKind => PeopleDim::EventKind,
            ParticipantDimension::Country => PeopleDim::Country,
            ParticipantDimension::Province => PeopleDim::Province,
            ParticipantDimension::Year => PeopleDim::Year,
            ParticipantDimension::Month => PeopleDim::Month,
        }
    }
}

/// What flow totals can be grouped by; give any combination (none: one grand total).
#[derive(Enum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum FlowDimension {
    /// The country people were sent from.
    From,
    /// The country people were sent to; the row of unspecified destinations has `to: null`.
    To,
    /// The people's nationality, where a flow's split gives it; the rest of a flow has
    /// `nationality: null`.
    Nationality,
    /// Deportation or extradition.
    Kind,
    /// Completed or planned (planned flows are listed, never summed).
    Status,
    /// The year the flow's date span starts in.
    Year,
    /// The month the flow's date span starts in.
    Month,
}

impl From<FlowDimension> for FlowDim {
    fn from(d: FlowDimension) -> Self {
        match d {
            FlowDimension::From => FlowDim::From,
            FlowDimension::To => FlowDim::To,
            FlowDimension::Nationality => FlowDim::Nationality,
            FlowDimension::Kind => FlowDim::Kind,
            FlowDimension::Status => FlowDim::Status,
            FlowDimension::Year => FlowDim::Year,
            FlowDimension::Month => FlowDim::Month,
        }
    }
}

/// The length of a timeline's periods.
#[derive(Enum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum TimelineInterval {
    /// Calendar months.
    Month,
    /// Calendar years.
    Year,
}

/// Checks a groupBy list: no dimension twice.
fn dims<D: Copy + PartialEq + std::fmt::Debug, T: From<D>>(
    group_by: &[D],
) -> Result<Vec<T>, Error> {
    for (i, d) in group_by.iter().enumerate() {
        if group_by[..i].contains(d) {
            return Err(Error::BadUserInput(format!("groupBy names {d:?} twice")));
        }
    }
    Ok(group_by.iter().map(|d| T::from(*d)).collect())
}

fn too_many(rows: usize) -> Result<(), Error> {
    if rows as u64 > MAX_ROWS {
        return Err(Error::BadUserInput(format!(
            "more than {MAX_ROWS} groups: narrow the filter or group by fewer dimensions"
        )));
    }
    Ok(())
}

/// `yyyymm` as `YYYY-MM`.
fn month_text(month: i32) -> String {
    format!("{:04}-{:02}", month / 100, month % 100)
}

async fn country(ctx: &Context<'_>, code: &Option<String>) -> Result<Option<Country>> {
    match code {
        Some(code) => Ok(Some(Country::load(ctx, code).await?)),
        None => Ok(None),
    }
}

/// The people of a group of events, added up without double counting.
pub struct ParticipantTotal {
    row: totals::PeopleTotal,
    relation: EventsOfTotal,
}

/// The people of a group of events, added up without double counting (see
/// `participantTotals`). A key is null when the totals are not grouped by it, and also where
/// it is unknown (`nationality: null` in a NATIONALITY grouping is people of unspecified
/// nationality).
#[Object]
impl ParticipantTotal {
    /// Their nationality.
    async fn nationality(&self, ctx: &Context<'_>) -> Result<Option<Country>> {
        country(ctx, &self.row.keys.nationality).await
    }

    /// The part they played.
    async fn role(&self) -> Option<ParticipantRole> {
        self.row.keys.role.map(Into::into)
    }

    /// What happened to them.
    async fn status(&self) -> Option<ParticipantStatus> {
        self.row.keys.status.map(Into::into)
    }

    /// The kind of event.
    async fn event_kind(&self) -> Option<EventKind> {
        self.row.keys.event_kind.map(Into::into)
    }

    /// The country of the events.
    async fn country(&self, ctx: &Context<'_>) -> Result<Option<Country>> {
        country(ctx, &self.row.keys.country).await
    }

    /// The province of the events.
    async fn province(&self, ctx: &Context<'_>) -> Result<Option<Location>> {
        match self.row.keys.province {
            Some(id) => Ok(Some(Location::load(ctx, id).await?)),
            None => Ok(None),
        }
    }

    /// The year the events' date spans start in.
    async fn year(&self) -> Option<i32> {
        self.row.keys.year
    }

    /// The month the events' date spans start in, `YYYY-MM`.
    async fn month(&self) -> Option<String> {
        self.row.keys.month.map(month_text)
    }

    /// How many people: the sum of each event's figure (`value`, `low`, `high` add up; the
    /// qualifier survives: AT_LEAST if any part is a lower bound, ABOUT if any is approximate).
    async fn total(&self) -> Figure {
        Figure::computed(self.row.total)
    }

    /// How many of them were women, where sources say; a floor (AT_LEAST) when some of the
    /// events give no count of women; null when none does.
    async fn women(&self) -> Option<Figure> {
        self.row.women.map(Figure::computed)
    }

    /// How many events the total adds up.
    async fn event_count(&self) -> u64 {
        self.row.event_count
    }

    /// The events the total adds up, newest first: every total traces to its events and, through
    /// them, to its sources.
    #[graphql(complexity = "cost(first, last, child_complexity)")]
    async fn events(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Read forward: this many events (at most 100; 20 by default).")]
        first: Option<i32>,
        #[graphql(desc = "Read forward from after this cursor.")] after: Option<String>,
        #[graphql(desc = "Read backward: this many events (at most 100).")] last: Option<i32>,
        #[graphql(desc = "Read backward from before this cursor.")] before: Option<String>,
    ) -> Result<EventConnection> {
        let tag = "events:Date:Desc";
        let page = connection::page(tag, first, after, last, before)?;
        let paged = children(ctx, self.relation.clone(), self.row.keys.key.clone(), &page).await?;
        let position = |e: &entity::event::Model| Position {
            key: EventOrder::Date.key(e),
            id: e.id,
        };
        Ok(EventConnection::new(
            edges(paged, &page, tag, position, Event),
            CountChildren(CountOf {
                relation: self.relation.clone(),
                parent: self.row.keys.key.clone(),
            }),
        ))
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
/// the totals are not grouped by it, and also where it is unspecified (`to: null` in a TO
/// grouping is flows to unspecified destinations, "home countries").
#[Object]
impl FlowTotal {
    /// The country people were sent from.
    async fn from(&self, ctx: &Context<'_>) -> Result<Option<Country>> {
        country(ctx, &self.row.keys.from).await
    }

    /// The country people were sent to.
    async fn to(&self, ctx: &Context<'_>) -> Result<Option<Country>> {
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

    /// The year the flows' date spans start in.
    async fn year(&self) -> Option<i32> {
        self.row.keys.year
    }

    /// The month the flows' date spans start in, `YYYY-MM`.
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
        let page = connection::page(
            "flows:uncounted",
            Some(connection::MAX_PAGE as i32),
            None,
            None,
            None,
        )?;
        let paged = children(
            ctx,
            self.relation(Some(false)),
            self.row.keys.key.clone(),
            &page,
        )
        .await?;
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
        let tag = "flows:DATE:DESC";
        let page = connection::page(tag, first, after, last, before)?;
        let relation = self.relation(Some(true));
        let paged = children(ctx, relation.clone(), self.row.keys.key.clone(), &page).await?;
        Ok(DeportationFlowConnection::new(
            edges(paged, &page, tag, flow_position, DeportationFlow),
            CountChildren(CountOf {
                relation,
                parent: self.row.keys.key.clone(),
            }),
        ))
    }
}

/// One period of a timeline.
pub struct TimelinePoint {
    period: Option<i32>,
    monthly: bool,
    event_count: u64,
    people: Option<totals::PeopleTotal>,
}

/// One period of a timeline: how many events started in it and how many people they involved
/// (by the same rules as `participantTotals`). Periods run without gaps from the first to the
/// last; events of unknown date come last, in a point whose `period` is null.
#[Object]
impl TimelinePoint {
    /// The period, `YYYY` or `YYYY-MM`; null for events of unknown date.
    async fn period(&self) -> Option<String> {
        self.period.map(|p| {
            if self.monthly {
                month_text(p)
            } else {
                p.to_string()
            }
        })
    }

    /// The period's first and last day (null for events of unknown date).
    async fn span(&self) -> DateSpan {
        let (start, end) = match self.period {
            Some(p) if self.monthly => {
                let start = NaiveDate::from_ymd_opt(p / 100, (p % 100) as u32, 1);
                let next = if p % 100 == 12 {
                    NaiveDate::from_ymd_opt(p / 100 + 1, 1, 1)
                } else {
                    NaiveDate::from_ymd_opt(p / 100, (p % 100) as u32 + 1, 1)
                };
                (start, next.and_then(|n| n.pred_opt()))
            }
            Some(y) => (
                NaiveDate::from_ymd_opt(y, 1, 1),
                NaiveDate::from_ymd_opt(y, 12, 31),
            ),
            None => (None, None),
        };
        let precision = match (self.period, self.monthly) {
            (None, _) => entity::enums::DatePrecision::Unknown,
            (_, true) => entity::enums::DatePrecision::Month,
            (_, false) => entity::enums::DatePrecision::Year,
        };
        DateSpan {
            start: start.map(Date),
            end: end.map(Date),
            precision: precision.into(),
            derived: false,
        }
    }

    /// How many events started in the period.
    async fn event_count(&self) -> u64 {
        self.event_count
    }

    /// How many people those events involved; null when none counts anyone.
    async fn people(&self) -> Option<Figure> {
        self.people.as_ref().map(|p| Figure::computed(p.total))
    }

    /// How many of them were women, where sources say.
    async fn women(&self) -> Option<Figure> {
        self.people
            .as_ref()
            .and_then(|p| p.women)
            .map(Figure::computed)
    }
}

/// Root fields for totals.
#[derive(Default)]
pub struct TotalsQuery;

#[Object]
impl TotalsQuery {
    /// People in the events `filter` selects, added up and grouped by `groupBy`. The rules,
    /// applied everywhere the same way:
    /// 1. Claims about the same quantity from different sources are never added: each group
    ///    contributes one figure, its `value` (with `low` and `high`).
    /// 2. An event's total and its breakdown are never added together: the breakdown counts,
    ///    and what the total leaves beyond it counts as people of unspecified nationality
    ///    ("just over 1,000", of whom at least 271 Indonesian, 213 Vietnamese and 75
    ///    Taiwanese, leaves at least 441 unspecified), marked derived.
    /// 3. Statistics (figures about a period) never enter totals over events.
    /// 4. A total's `low` and `high` are the sums of its parts' lows and highs; its `value` the
    ///    sum of their values.
    /// 5. Qualifiers survive: a sum with an AT_LEAST part is AT_LEAST; an ABOUT part makes it
    ///    ABOUT.
    /// 6. Derived figures (arithmetic on claims) are marked derived wherever they appear.
    ///
    /// Within one event, groups of one role in different statuses are the same people at
    /// different stages (118 suspects arrested, 80 of them released): unless grouped by STATUS,
    /// each role of an event counts only its status with the most people; different roles are
    /// different people. An event counts in the year and month its date span starts in. Rows
    /// whose key is unknown come last.
    async fn participant_totals(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Only events matching this.")] filter: Option<
            crate::graphql::types::filters::EventFilter,
        >,
        #[graphql(desc = "The dimensions to group by, in the order rows are sorted by.")] group_by: Vec<ParticipantDimension>,
    ) -> Result<Vec<ParticipantTotal>> {
        let filter: EventFilter = filter.unwrap_or_default().into_service()?;
        let dims: Vec<PeopleDim> = dims(&group_by)?;
        let (f, d) = (filter.clone(), dims.clone());
        let rows = crate::graphql::read(
            ctx,
            move |db| async move { totals::people(&db, &f, &d).await },
        )
        .await?;
        too_many(rows.len())?;
        let relation = EventsOfTotal { filter, dims };
        Ok(rows
            .into_iter()
            .map(|row| ParticipantTotal {
                row,
                relation: relation.clone(),
            })
            .collect())
    }

    /// Deportations and extraditions among the flows `filter` selects, added up and grouped by
    /// `groupBy`: the origin–destination matrix (group by FROM and TO) a Sankey diagram or a
    /// map draws. A flow to an unspecified destination is its own row (`to: null`), never
    /// dropped; planned flows and flows without a number are listed, never summed.
    async fn flow_totals(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Only flows matching this.")] filter: Option<
            crate::graphql::types::filters::FlowFilter,
        >,
        #[graphql(desc = "The dimensions to group by, in the order rows are sorted by.")] group_by: Vec<FlowDimension>,
    ) -> Result<Vec<FlowTotal>> {
        let filter: FlowFilter = filter.unwrap_or_default().into_service()?;
        let dims: Vec<FlowDim> = dims(&group_by)?;
        let (f, d) = (filter.clone(), dims.clone());
        let rows = crate::graphql::read(
            ctx,
            move |db| async move { totals::flows(&db, &f, &d).await },
        )
        .await?;
        too_many(rows.len())?;
        Ok(rows
            .into_iter()
            .map(|row| FlowTotal {
                row,
                filter: filter.clone(),
                dims: dims.clone(),
            })
            .collect())
    }

    /// Per period, how many events the filter selects and how many people they involved, for
    /// charts. Periods run without gaps from the first to the last.
    async fn timeline(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Only events matching this.")] filter: Option<
            crate::graphql::types::filters::EventFilter,
        >,
        #[graphql(desc = "Months or years.")] interval: TimelineInterval,
    ) -> Result<Vec<TimelinePoint>> {
        let filter: EventFilter = filter.unwrap_or_default().into_service()?;
        let monthly = interval == TimelineInterval::Month;
        let dim = if monthly {
            PeopleDim::Month
        } else {
            PeopleDim::Year
        };
        let (f1, f2) = (filter.clone(), filter);
        let (events, people) = futures_util::try_join!(
            crate::graphql::read(ctx, move |db| async move {
                totals::events_per_period(&db, &f1, monthly).await
            }),
            crate::graphql::read(ctx, move |db| async move {
                totals::people(&db, &f2, &[dim]).await
            }),
        )?;
        let mut people: std::collections::HashMap<Option<i32>, totals::PeopleTotal> = people
            .into_iter()
            .map(|p| (if monthly { p.keys.month } else { p.keys.year }, p))
            .collect();
        let counts: std::collections::HashMap<Option<i32>, u64> = events.iter().cloned().collect();
        let dated: Vec<i32> = events.iter().filter_map(|(p, _)| *p).collect();
        let mut periods: Vec<Option<i32>> = match (dated.first(), dated.last()) {
            (Some(first), Some(last)) => successive(*first, *last, monthly)
                .into_iter()
                .map(Some)
                .collect(),
            _ => Vec::new(),
        };
        if counts.contains_key(&None) {
            periods.push(None);
        }
        too_many(periods.len())?;
        Ok(periods
            .into_iter()
            .map(|period| TimelinePoint {
                period,
                monthly,
                event_count: counts.get(&period).copied().unwrap_or(0),
                people: people.remove(&period),
            })
            .collect())
    }
}

/// Every year (or `yyyymm` month) from `first` to `last`.
fn successive(first: i32, last: i32, monthly: bool) -> Vec<i32> {
    let mut out = Vec::new();
    let mut p = first;
    while p <= last && out.len() as u64 <= MAX_ROWS {
        out.push(p);
        p = if !monthly {
            p + 1
        } else if p % 100 == 12 {
            (p / 100 + 1) * 100 + 1
        } else {
            p + 1
        };
    }
    out
}
