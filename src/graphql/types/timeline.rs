//! The timeline: per month or year, how many events happened and how many people they involved.

use super::figure::Figure;
use super::scalars::{Date, DateSpan};
use super::totals::too_many;
use crate::service::event::EventFilter;
use crate::service::totals::month_text;
use crate::service::totals::{self, MAX_ROWS, PeopleDim};
use async_graphql::{Context, Enum, Object, Result};
use chrono::NaiveDate;

/// The length of a timeline's periods.
#[derive(Enum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum TimelineInterval {
    /// Calendar months.
    Month,
    /// Calendar years.
    Year,
}

/// One period of a timeline.
pub struct TimelinePoint {
    period: Option<i32>,
    monthly: bool,
    event_count: u64,
    people: Option<totals::PeopleTotal>,
}

/// One period of a timeline: how many events happened in it and how many people they involved
/// (by the same rules as `participantTotals`: a body of people linked across events counts
/// once, in the period of the stage it is counted in). An event counts in the period its date
/// span lies in. Periods run without gaps from the first to the last; events of unknown date,
/// and those whose span runs over more than one period ("late last year" to February), come
/// last, in a point whose `period` is null: never piled into the period they start in.
#[Object]
impl TimelinePoint {
    /// The period, `YYYY` or `YYYY-MM`; null for events of unknown date or over several periods.
    async fn period(&self) -> Option<String> {
        self.period.map(|p| {
            if self.monthly {
                month_text(p)
            } else {
                p.to_string()
            }
        })
    }

    /// The period's first and last day (null for events of unknown date or over several periods).
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

    /// How many events happened in the period.
    async fn event_count(&self) -> u64 {
        self.event_count
    }

    /// How many people those events involved: exactly 0 in a period without events; null
    /// (unknown) when the period has events but none of them counts anyone.
    async fn people(&self) -> Option<Figure> {
        match &self.people {
            Some(p) => Some(Figure::computed(p.total)),
            None if self.event_count == 0 => Some(Figure::computed(crate::figure::Resolved {
                value: Some(0),
                low: Some(0),
                high: Some(0),
                qualifier: entity::enums::Qualifier::Exact,
                derived: false,
            })),
            None => None,
        }
    }

    /// How many of them were women, where sources say.
    async fn women(&self) -> Option<Figure> {
        self.people
            .as_ref()
            .and_then(|p| p.women)
            .map(Figure::computed)
    }
}

/// The points of `timeline`.
pub(super) async fn points(
    ctx: &Context<'_>,
    filter: Option<super::filters::EventFilter>,
    interval: TimelineInterval,
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
