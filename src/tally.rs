//! Tallies: what one event and its flows contribute to totals, worked out when data is
//! written (by the curated loader, the generator and, one event at a time, the write path),
//! so that totals are plain GROUP BYs in the database. A pure module: it takes an event's
//! plain inputs and returns its rows. The reconciliation rules live here and in
//! `figure::settle`:
//!
//! 1. Claims about the same quantity are never added: a group contributes its figure's
//!    resolved `value`, with its `low` and `high`.
//! 2. An event's total and its breakdown are never added together: the breakdown counts, and
//!    what the total leaves beyond it is a derived remainder of unspecified nationality.
//! 3. Statistics never enter totals (they are not tallied at all).
//! 4. Within one event, groups of one role in different statuses are the same people at
//!    different stages (118 suspects arrested, 80 of them released): unless totals are split
//!    by status, each role of an event contributes only its `headline` status, the one with
//!    the most people (`headline`). Different roles are different people (173 senior figures
//!    arrested and 11,000 workers deported both count).
//! 5. Across events, groups linked as the same people (or part of them) are one body of
//!    people, counted once unless totals are split by status or event kind (`cohort`).
//! 6. A flow counts once whole; split by nationality, it counts as its parts plus the
//!    unsplit remainder. Planned flows and flows without a number are never summed.

pub mod cohort;

use crate::figure::Resolved;
use chrono::{Datelike, NaiveDate};
use entity::enums::{LocationLevel, ParticipantRole, ParticipantStatus, Qualifier, Status};
use entity::{deportation_flow, event, flow_tally, location, participant_group, participant_tally};
use std::collections::BTreeMap;

/// Where an event took place, as totals group by it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Place {
    pub country_code: String,
    /// The province the place lies in (or is), if any.
    pub province_id: Option<i32>,
}

impl Place {
    /// The place of a location given with its ancestors, nearest first and itself included
    /// (as `location_closure` orders them by depth).
    pub fn of(ancestry: &[location::Model]) -> Option<Place> {
        let place = ancestry.first()?;
        Some(Place {
            country_code: place.country_code.clone(),
            province_id: ancestry
                .iter()
                .find(|l| l.level == LocationLevel::Province)
                .map(|l| l.id),
        })
    }
}

/// One participant group of an event, with its resolved figures.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Group {
    pub id: i32,
    pub nationality_code: Option<String>,
    pub role: ParticipantRole,
    pub status: ParticipantStatus,
    /// None only if the figure is missing (it is required; it then counts as UNKNOWN).
    pub count: Option<Resolved>,
    pub women: Option<Resolved>,
}

/// One flow of an event, with its resolved count and its nationality split.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Flow {
    pub flow: deportation_flow::Model,
    pub count: Option<Resolved>,
    /// `(nationality, resolved count)` in the order the dataset gives them.
    pub split: Vec<(String, Option<Resolved>)>,
}

/// Everything an event's tallies depend on.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Event {
    pub id: i32,
    pub date_start: Option<NaiveDate>,
    pub date_end: Option<NaiveDate>,
    pub place: Option<Place>,
    /// The sources' total for the event, when they give one.
    pub total: Option<Resolved>,
    pub groups: Vec<Group>,
    pub flows: Vec<Flow>,
}

/// The event columns that totals group and count by.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Columns {
    /// The year the event's date span lies in; None when it is unknown or runs over more
    /// than one year (see `periods`).
    pub year: Option<i32>,
    /// `yyyymm` of the month the event's date span lies in, likewise.
    pub month: Option<i32>,
    pub country_code: Option<String>,
    pub province_id: Option<i32>,
    /// The total when sources give one, else the headline groups added up.
    pub people_count: Option<i64>,
}

impl Columns {
    /// Writes these columns into an event row.
    pub fn apply(self, event: &mut event::Model) {
        event.year = self.year;
        event.month = self.month;
        event.country_code = self.country_code;
        event.province_id = self.province_id;
        event.people_count = self.people_count;
    }
}

/// What one event contributes. Tally rows carry id 0: ids are the writer's business.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Tallied {
    pub columns: Columns,
    pub participants: Vec<participant_tally::Model>,
    pub flows: Vec<flow_tally::Model>,
}

/// Tallies one event: its grouping columns, its participant rows and its flows' rows.
pub fn event(e: &Event) -> Tallied {
    let (year, month) = periods(e.date_start, e.date_end);
    let country_code = e.place.as_ref().map(|p| p.country_code.clone());
    let province_id = e.place.as_ref().and_then(|p| p.province_id);
    let headlines = headline_by(&e.groups, |g| (g.role, g.status, count(g).value));
    let groups_sum = e
        .groups
        .iter()
        .zip(&headlines)
        .filter(|(_, h)| **h)
        .filter_map(|(g, _)| count(g).value)
        .reduce(|a, b| a + b);
    let people_count = match e.total {
        Some(t) => t.value,
        None => groups_sum,
    };
    let participants = participant_rows(e.id, &e.groups, &headlines, e.total)
        .into_iter()
        .map(|t| participant_tally::Model {
            country_code: country_code.clone(),
            province_id,
            year,
            month,
            ..t
        })
        .collect();
    Tallied {
        columns: Columns {
            year,
            month,
            country_code,
            province_id,
            people_count,
        },
        participants,
        flows: e.flows.iter().flat_map(flow_rows).collect(),
    }
}

fn yyyymm(day: NaiveDate) -> i32 {
    day.year() * 100 + day.month() as i32
}

/// The year and `yyyymm` month a date span lies in. A span over more than one year (or
/// month) lies in none: its people are not piled into the period it starts in ("late last
/// year" to February is not October), and a timeline shows them with the undated.
pub fn periods(start: Option<NaiveDate>, end: Option<NaiveDate>) -> (Option<i32>, Option<i32>) {
    let Some(start) = start else {
        return (None, None);
    };
    let end = end.unwrap_or(start);
    let year = (start.year() == end.year()).then(|| start.year());
    let month = (yyyymm(start) == yyyymm(end)).then(|| yyyymm(start));
    (year, month)
}

fn count(g: &Group) -> Resolved {
    g.count.unwrap_or(UNKNOWN)
}

/// Which of an event's groups count when totals are not split by status: for each role, the
/// groups of the status with the most people (on a tie, the first status in the vocabulary's
/// order). One rule for totals, `event.people_count` and `Event.peopleCount`.
pub fn headline<G: std::borrow::Borrow<participant_group::Model>>(
    groups: &[G],
    value: impl Fn(&participant_group::Model) -> Option<i64>,
) -> Vec<bool> {
    headline_by(groups, |g| {
        let g = g.borrow();
        (g.role, g.status, value(g))
    })
}

/// `headline` over anything that has a role, a status and a count.
fn headline_by<T>(
    groups: &[T],
    key: impl Fn(&T) -> (ParticipantRole, ParticipantStatus, Option<i64>),
) -> Vec<bool> {
    let mut sums: BTreeMap<(ParticipantRole, ParticipantStatus), i64> = BTreeMap::new();
    for g in groups {
        let (role, status, value) = key(g);
        *sums.entry((role, status)).or_default() += value.unwrap_or(0);
    }
    let mut best: BTreeMap<ParticipantRole, (ParticipantStatus, i64)> = BTreeMap::new();
    for ((role, status), sum) in sums {
        // Statuses come in order, so only a larger sum displaces an earlier status.
        if best.get(&role).is_none_or(|(_, b)| sum > *b) {
            best.insert(role, (status, sum));
        }
    }
    groups
        .iter()
        .map(|g| {
            let (role, status, _) = key(g);
            best.get(&role).is_some_and(|(s, _)| *s == status)
        })
        .collect()
}

fn row(event_id: i32, figure: Resolved) -> participant_tally::Model {
    participant_tally::Model {
        id: 0,
        event_id,
        nationality_code: None,
        role: None,
        status: None,
        value: figure.value,
        low: figure.low,
        high: figure.high,
        qualifier: figure.qualifier,
        derived: figure.derived,
        women_value: None,
        women_low: None,
        women_high: None,
        women_qualifier: None,
        remainder: false,
        headline: true,
        group_id: None,
        cohort_id: None,
        staged: true,
        once: true,
        country_code: None,
        province_id: None,
        year: None,
        month: None,
    }
}

/// A tally row's figure, as `remainder` reads its parts.
fn figure_of(value: Option<i64>, low: Option<i64>, high: Option<i64>, q: Qualifier) -> Resolved {
    Resolved {
        value,
        low,
        high,
        qualifier: q,
        derived: false,
    }
}

/// The one value shared by every item, if they all agree.
fn shared<T: Copy + PartialEq>(mut items: impl Iterator<Item = T>) -> Option<T> {
    let first = items.next()?;
    items.all(|i| i == first).then_some(first)
}

/// An event's groups, and the remainder of its total beyond the breakdown (or, with no
/// breakdown, the total itself).
fn participant_rows(
    event_id: i32,
    groups: &[Group],
    headlines: &[bool],
    total: Option<Resolved>,
) -> Vec<participant_tally::Model> {
    let mut rows: Vec<participant_tally::Model> = groups
        .iter()
        .zip(headlines)
        .map(|(g, is_headline)| participant_tally::Model {
            nationality_code: g.nationality_code.clone(),
            role: Some(g.role),
            status: Some(g.status),
            women_value: g.women.and_then(|w| w.value),
            women_low: g.women.and_then(|w| w.low),
            women_high: g.women.and_then(|w| w.high),
            women_qualifier: g.women.map(|w| w.qualifier),
            headline: *is_headline,
            once: *is_headline,
            group_id: Some(g.id),
            ..row(event_id, count(g))
        })
        .collect();
    let Some(total) = total else {
        return rows;
    };
    let breakdown: Vec<&participant_tally::Model> = rows.iter().filter(|r| r.headline).collect();
    if breakdown.is_empty() {
        rows.push(row(event_id, total));
        return rows;
    }
    let parts: Vec<Resolved> = breakdown
        .iter()
        .map(|r| figure_of(r.value, r.low, r.high, r.qualifier))
        .collect();
    if let Some(left) = remainder(total, &parts) {
        let role = shared(breakdown.iter().map(|r| r.role)).flatten();
        let status = shared(breakdown.iter().map(|r| r.status)).flatten();
        rows.push(participant_tally::Model {
            role,
            status,
            remainder: true,
            ..row(event_id, left)
        });
    }
    rows
}

const UNKNOWN: Resolved = Resolved {
    value: None,
    low: None,
    high: None,
    qualifier: Qualifier::Unknown,
    derived: false,
};

/// What a total leaves beyond its parts (a group's or a flow's breakdown): derived, AT_LEAST
/// unless everything is exact; None when nothing is left.
fn remainder(total: Resolved, parts: &[Resolved]) -> Option<Resolved> {
    let sum = |pick: fn(&Resolved) -> Option<i64>| parts.iter().filter_map(pick).sum::<i64>();
    let value = total.value? - sum(|p| p.value);
    if value <= 0 {
        return None;
    }
    let exact = total.qualifier == Qualifier::Exact
        && parts.iter().all(|p| p.qualifier == Qualifier::Exact);
    Some(Resolved {
        value: Some(value),
        low: total.low.map(|l| (l - sum(|p| p.high)).max(0)),
        high: total.high.map(|h| (h - sum(|p| p.low)).max(0)),
        qualifier: if exact {
            Qualifier::Exact
        } else {
            Qualifier::AtLeast
        },
        derived: true,
    })
}

/// What one flow contributes: whole, and split by nationality with the unsplit remainder.
fn flow_rows(f: &Flow) -> Vec<flow_tally::Model> {
    let flow = &f.flow;
    let count = f.count.unwrap_or(UNKNOWN);
    let counted = |r: &Resolved| flow.status == Status::Completed && r.value.is_some();
    let (year, month) = periods(flow.date_start, flow.date_end);
    let make = |figure: Resolved, nationality: Option<String>, split: bool, remainder: bool| {
        flow_tally::Model {
            id: 0,
            flow_id: flow.id,
            from_code: flow.from_code.clone(),
            to_code: flow.to_code.clone(),
            nationality_code: nationality,
            kind: flow.kind,
            status: flow.status,
            year,
            month,
            value: figure.value,
            low: figure.low,
            high: figure.high,
            qualifier: figure.qualifier,
            derived: figure.derived,
            counted: counted(&figure),
            split,
            remainder,
        }
    };
    let mut rows = vec![make(count, None, false, false)];
    let whole_counted = counted(&count);
    let parts: Vec<flow_tally::Model> = f
        .split
        .iter()
        .map(|(nationality, figure)| {
            let part = make(
                figure.unwrap_or(UNKNOWN),
                Some(nationality.clone()),
                true,
                false,
            );
            // A part is summed only when its flow is: a planned or uncounted flow's split is
            // listed with it, never added.
            flow_tally::Model {
                counted: part.counted && whole_counted,
                ..part
            }
        })
        .collect();
    if parts.is_empty() {
        rows.push(make(count, None, true, false));
        return rows;
    }
    let left = remainder(
        count,
        &parts
            .iter()
            .map(|p| figure_of(p.value, p.low, p.high, p.qualifier))
            .collect::<Vec<_>>(),
    );
    rows.extend(parts);
    if let Some(left) = left {
        rows.push(make(left, None, true, true));
    }
    rows
}

#[cfg(test)]
mod tests;
