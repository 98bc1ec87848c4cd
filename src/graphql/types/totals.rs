//! Totals: people by any combination of dimensions here, the flow matrix in `flow_totals`,
//! the timeline in `timeline`, and the root fields for all three. The reconciliation rules
//! (written out on `Query.participantTotals`) are implemented once, in `crate::tally` and
//! `crate::figure::settle`.

use super::enums::{EventKind, ParticipantRole, ParticipantStatus};
use super::event::EventConnection;
use super::figure::Figure;
use super::flow_totals::{self, FlowDimension, FlowTotal};
use super::place::{Country, Location};
use super::timeline::{self, TimelineInterval, TimelinePoint};
use crate::compile::select::Fragments;
use crate::compile::totals::TotalsPlan;
use crate::error::Error;
use crate::graphql::connection::{PageArgs, cost};
use crate::graphql::load_all;
use crate::graphql::loaders::CountryCode;
use crate::graphql::raw::Answer;
use crate::service::event::EventFilter;
use crate::service::relation::EventsOfTotal;
use crate::service::totals::{self, MAX_ROWS, PeopleDim, month_text};
use async_graphql::parser::types::SelectionSet;
use async_graphql::{Context, Enum, Object, Result};
use entity::country;
use std::collections::HashMap;

/// What people totals can be grouped by; give any combination (none: one grand total).
#[derive(Enum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum ParticipantDimension {
    /// The people's nationality; the row of people of unspecified nationality has `nationality: null`.
    Nationality,
    /// The part they played (suspects, workers, victims, senior figures).
    Role,
    /// What happened to them. Grouping by status counts every stage (arrested, then released;
    /// arrested, then deported in a later event): the same people may appear in two rows.
    Status,
    /// The kind of event. An event of two kinds counts in both rows, and each event counts its
    /// own people: a body of people linked across events appears in each of its events' kinds.
    EventKind,
    /// The country the event happened in.
    Country,
    /// The province the event happened in (null when the event is placed only at country level).
    Province,
    /// The year the event's date span lies in (null for events of unknown date, and for spans
    /// over more than one year).
    Year,
    /// The month the event's date span lies in (null for events of unknown date, and for
    /// spans over more than one month).
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

/// Checks a groupBy list: no dimension twice.
pub(super) fn dims<D: Copy + PartialEq + std::fmt::Debug, T: From<D>>(
    group_by: &[D],
) -> Result<Vec<T>, Error> {
    for (i, d) in group_by.iter().enumerate() {
        if group_by[..i].contains(d) {
            return Err(Error::BadUserInput(format!("groupBy names {d:?} twice")));
        }
    }
    Ok(group_by.iter().map(|d| T::from(*d)).collect())
}

/// Refuses more rows than a response may hold.
pub(super) fn too_many(rows: usize) -> Result<(), Error> {
    if rows as u64 > MAX_ROWS {
        return Err(Error::BadUserInput(format!(
            "more than {MAX_ROWS} groups: narrow the filter or group by fewer dimensions"
        )));
    }
    Ok(())
}

/// The plan of the totals field being resolved, made by `plan`, when the compiler covers its
/// whole selection and the request does not ask for the resolvers (`compile::UseResolvers`).
pub(super) fn compiled(
    ctx: &Context<'_>,
    plan: fn(&Fragments, &[&SelectionSet]) -> Option<TotalsPlan>,
) -> Option<TotalsPlan> {
    if ctx.data_opt::<crate::compile::UseResolvers>().is_some() {
        return None;
    }
    plan(
        &ctx.query_env.fragments,
        &[&ctx.item.node.selection_set.node],
    )
}

/// The countries of `codes`, in one batch, by code (a missing one is left out).
pub(super) async fn countries(
    ctx: &Context<'_>,
    codes: Vec<String>,
) -> Result<HashMap<String, country::Model>> {
    if codes.is_empty() {
        return Ok(HashMap::new());
    }
    let found = load_all(ctx, codes.into_iter().map(CountryCode)).await?;
    Ok(found.into_iter().map(|(k, v)| (k.0, v)).collect())
}

/// The country of a row's key, when it has one.
pub(super) async fn country(ctx: &Context<'_>, code: &Option<String>) -> Result<Option<Country>> {
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

    /// The year the events' date spans lie in.
    async fn year(&self) -> Option<i32> {
        self.row.keys.year
    }

    /// The month the events' date spans lie in, `YYYY-MM`.
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

    /// How many events the total adds up (a body of people linked across events adds up in
    /// the events it is counted in).
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
        let args = PageArgs::new(first, after, last, before);
        let (relation, parent) = (self.relation.clone(), self.row.keys.key.clone());
        EventConnection::nested(ctx, relation, parent, args).await
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
    /// different people.
    ///
    /// Across events, a group linked to a group of another event as the same people or part
    /// of them (`ParticipantGroup.cohortLink`: 63 arrested, then deported) belongs to one body
    /// of people with it. Grouped by STATUS or EVENT_KIND, each stage shows on its own row
    /// (that is what the grouping asks for); every other grouping counts the body once: its
    /// largest stage for the total, its most specific stage for the breakdown (the one naming
    /// the most nationalities, then the best dated and placed), and what the largest stage
    /// holds beyond that breakdown as people of unspecified nationality, marked derived (230
    /// detained of unknown nationality, of whom 119 Thai deported: 119 TH + 111 unspecified).
    /// Each part counts in the event of its stage, so a filter that leaves that event out
    /// leaves the part out.
    ///
    /// An event counts in the year and month its date span lies in; a span over more than one
    /// period counts in none (key null), never piled into the period it starts in. Rows whose
    /// key is unknown come last.
    async fn participant_totals(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Only events matching this.")] filter: Option<
            crate::graphql::types::filters::EventFilter,
        >,
        #[graphql(desc = "The dimensions to group by, in the order rows are sorted by.")] group_by: Vec<ParticipantDimension>,
    ) -> Result<Answer<Vec<ParticipantTotal>>> {
        let filter: EventFilter = filter.unwrap_or_default().into_service()?;
        let dims: Vec<PeopleDim> = dims(&group_by)?;
        let (f, d) = (filter.clone(), dims.clone());
        let rows = crate::graphql::read(
            ctx,
            move |db| async move { totals::people(&db, &f, &d).await },
        )
        .await?;
        too_many(rows.len())?;
        if let Some(plan) = compiled(ctx, TotalsPlan::people) {
            let countries = countries(ctx, plan.countries(rows.iter().map(|r| &r.keys))).await?;
            if let Some(json) = plan.json(&rows, &countries) {
                return Ok(Answer::Json(json));
            }
        }
        let relation = EventsOfTotal { filter, dims };
        Ok(Answer::Resolved(
            rows.into_iter()
                .map(|row| ParticipantTotal {
                    row,
                    relation: relation.clone(),
                })
                .collect(),
        ))
    }

    /// Deportations and extraditions among the flows `filter` selects, added up and grouped by
    /// `groupBy`: the origin–destination matrix (group by FROM_COUNTRY and TO_COUNTRY) a Sankey
    /// diagram or a map draws. A flow to an unspecified destination is its own row
    /// (`toCountry: null`), never dropped; planned flows and flows without a number are listed,
    /// never summed.
    async fn flow_totals(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Only flows matching this.")] filter: Option<
            crate::graphql::types::filters::FlowFilter,
        >,
        #[graphql(desc = "The dimensions to group by, in the order rows are sorted by.")] group_by: Vec<FlowDimension>,
    ) -> Result<Answer<Vec<FlowTotal>>> {
        flow_totals::rows(ctx, filter, &group_by).await
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
        timeline::points(ctx, filter, interval).await
    }
}
