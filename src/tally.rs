//! Tallies: what each event and flow contributes to totals, worked out once when data is
//! written (by the curated loader and the generator alike), so that totals are plain
//! GROUP BYs in the database. The reconciliation rules live here and in `figure::settle`:
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
//! 5. A flow counts once whole; split by nationality, it counts as its parts plus the
//!    unsplit remainder. Planned flows and flows without a number are never summed.

use crate::figure::Resolved;
use crate::ingest::build::Rows;
use chrono::Datelike;
use entity::enums::{LocationLevel, ParticipantRole, ParticipantStatus, Qualifier, Status};
use entity::*;
use std::collections::{BTreeMap, HashMap};

/// A tally row's figure, as `remainder` reads its parts.
macro_rules! figure_of {
    ($row:expr) => {
        Resolved {
            value: $row.value,
            low: $row.low,
            high: $row.high,
            qualifier: $row.qualifier,
            derived: $row.derived,
        }
    };
}

/// Fills in the event columns totals group by, and the tally tables, from the other rows.
pub fn complete(rows: &mut Rows) {
    let figures: HashMap<i32, Resolved> = rows
        .figures
        .iter()
        .map(|f| (f.id, Resolved::from(f)))
        .collect();
    let places: HashMap<i32, &location::Model> = rows.locations.iter().map(|l| (l.id, l)).collect();
    let mut groups: HashMap<i32, Vec<&participant_group::Model>> = HashMap::new();
    for g in &rows.groups {
        groups.entry(g.event_id).or_default().push(g);
    }
    let mut participants = Vec::new();
    for event in &mut rows.events {
        event.year = event.date_start.map(|d| d.year());
        event.month = event.date_start.map(|d| d.year() * 100 + d.month() as i32);
        let place = event.location_id.and_then(|id| places.get(&id));
        event.country_code = place.map(|p| p.country_code.clone());
        event.province_id = place.and_then(|p| province_of(p, &places));
        let event_groups = groups.get(&event.id).map(Vec::as_slice).unwrap_or_default();
        let total = event
            .total_figure_id
            .and_then(|id| figures.get(&id))
            .copied();
        let value =
            |g: &participant_group::Model| figures.get(&g.count_figure_id).and_then(|f| f.value);
        let counted = headline(event_groups, value);
        let groups_sum = event_groups
            .iter()
            .zip(&counted)
            .filter(|(_, c)| **c)
            .filter_map(|(g, _)| value(g))
            .reduce(|a, b| a + b);
        event.people_count = match total {
            Some(t) => t.value,
            None => groups_sum,
        };
        participants.extend(
            event_tally(event.id, event_groups, total, &figures)
                .into_iter()
                .map(|t| participant_tally::Model {
                    country_code: event.country_code.clone(),
                    province_id: event.province_id,
                    year: event.year,
                    month: event.month,
                    ..t
                }),
        );
    }
    for (i, t) in participants.iter_mut().enumerate() {
        t.id = i as i32 + 1;
    }
    rows.participant_tallies = participants;

    let mut splits: HashMap<i32, Vec<&flow_nationality::Model>> = HashMap::new();
    for s in &rows.flow_nationalities {
        splits.entry(s.flow_id).or_default().push(s);
    }
    let mut flows = Vec::new();
    for flow in &rows.flows {
        let parts = splits.get(&flow.id).map(Vec::as_slice).unwrap_or_default();
        flows.extend(flow_tally(flow, parts, &figures));
    }
    for (i, t) in flows.iter_mut().enumerate() {
        t.id = i as i32 + 1;
    }
    rows.flow_tallies = flows;
}

fn province_of(place: &location::Model, places: &HashMap<i32, &location::Model>) -> Option<i32> {
    let mut current = Some(place);
    while let Some(p) = current {
        if p.level == LocationLevel::Province {
            return Some(p.id);
        }
        current = p.parent_id.and_then(|id| places.get(&id).copied());
    }
    None
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
        country_code: None,
        province_id: None,
        year: None,
        month: None,
    }
}

/// Which of an event's groups count when totals are not split by status: for each role, the
/// groups of the status with the most people (on a tie, the first status in the vocabulary's
/// order). One rule for totals, `event.people_count` and `Event.peopleCount`.
pub fn headline<G: std::borrow::Borrow<participant_group::Model>>(
    groups: &[G],
    value: impl Fn(&participant_group::Model) -> Option<i64>,
) -> Vec<bool> {
    let mut sums: BTreeMap<(ParticipantRole, ParticipantStatus), i64> = BTreeMap::new();
    for g in groups {
        let g = g.borrow();
        *sums.entry((g.role, g.status)).or_default() += value(g).unwrap_or(0);
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
            best.get(&g.borrow().role)
                .is_some_and(|(s, _)| *s == g.borrow().status)
        })
        .collect()
}

/// What one event contributes: its groups, and the remainder of its total beyond the
/// breakdown (or, with no breakdown, the total itself).
fn event_tally(
    event_id: i32,
    groups: &[&participant_group::Model],
    total: Option<Resolved>,
    figures: &HashMap<i32, Resolved>,
) -> Vec<participant_tally::Model> {
    let count =
        |g: &participant_group::Model| figures.get(&g.count_figure_id).copied().unwrap_or(UNKNOWN);
    let headlines = headline(groups, |g| count(g).value);
    let mut rows: Vec<participant_tally::Model> = groups
        .iter()
        .zip(&headlines)
        .map(|(g, is_headline)| {
            let women = g.women_figure_id.and_then(|id| figures.get(&id));
            participant_tally::Model {
                nationality_code: g.nationality_code.clone(),
                role: Some(g.role),
                status: Some(g.status),
                women_value: women.and_then(|w| w.value),
                women_low: women.and_then(|w| w.low),
                women_high: women.and_then(|w| w.high),
                women_qualifier: women.map(|w| w.qualifier),
                headline: *is_headline,
                ..row(event_id, count(g))
            }
        })
        .collect();
    if let Some(total) = total {
        let breakdown: Vec<&participant_tally::Model> =
            rows.iter().filter(|r| r.headline).collect();
        if breakdown.is_empty() {
            rows.push(row(event_id, total));
        } else if let Some(remainder) = remainder(
            total,
            &breakdown.iter().map(|r| figure_of!(r)).collect::<Vec<_>>(),
        ) {
            let roles: Vec<Option<ParticipantRole>> = breakdown.iter().map(|r| r.role).collect();
            let shared_role = if roles.iter().all(|r| *r == roles[0]) {
                roles[0]
            } else {
                None
            };
            let statuses: Vec<Option<ParticipantStatus>> =
                breakdown.iter().map(|r| r.status).collect();
            let shared_status = if statuses.iter().all(|s| *s == statuses[0]) {
                statuses[0]
            } else {
                None
            };
            rows.push(participant_tally::Model {
                role: shared_role,
                status: shared_status,
                remainder: true,
                ..row(event_id, remainder)
            });
        }
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
fn flow_tally(
    flow: &deportation_flow::Model,
    splits: &[&flow_nationality::Model],
    figures: &HashMap<i32, Resolved>,
) -> Vec<flow_tally::Model> {
    let count = flow
        .count_figure_id
        .and_then(|id| figures.get(&id))
        .copied()
        .unwrap_or(UNKNOWN);
    let counted = |r: &Resolved| flow.status == Status::Completed && r.value.is_some();
    let make = |figure: Resolved, nationality: Option<String>, split: bool, remainder: bool| {
        flow_tally::Model {
            id: 0,
            flow_id: flow.id,
            from_code: flow.from_code.clone(),
            to_code: flow.to_code.clone(),
            nationality_code: nationality,
            kind: flow.kind,
            status: flow.status,
            year: flow.date_start.map(|d| d.year()),
            month: flow.date_start.map(|d| d.year() * 100 + d.month() as i32),
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
    let parts: Vec<flow_tally::Model> = splits
        .iter()
        .map(|s| {
            let part = make(
                figures.get(&s.count_figure_id).copied().unwrap_or(UNKNOWN),
                Some(s.nationality_code.clone()),
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
    } else {
        let left = remainder(
            count,
            &parts.iter().map(|p| figure_of!(p)).collect::<Vec<_>>(),
        );
        rows.extend(parts);
        if let Some(left) = left {
            rows.push(make(left, None, true, true));
        }
    }
    rows
}
