//! Bodies of people across events: a participant group linked to a group of another event
//! (SAME_PEOPLE, PART_OF) is the same people seen at another stage, and totals count them once.
//! A pure pass over the participant rows `tally::event` produced for the events concerned:
//!
//! - Linked groups form one body; its stages are its groups event by event.
//! - Unless totals are split by status or by event kind, a body counts once: its largest
//!   stage gives the total, its most specific stage the breakdown (the stage naming the most
//!   nationalities, then the best dated, then the best placed), and what the largest stage
//!   holds beyond that breakdown is a derived row of unspecified nationality in the largest
//!   stage's event. 230 detained of unknown nationality, of whom 119 Thai deported later,
//!   count 119 TH (in the deportation) + 111 unspecified (in the raids).
//! - Split by status or event kind, every stage keeps its own row (`staged`, `headline`).
//!
//! Only an event's headline groups take part: a group outside it is already counted by its
//! own event's headline stage (the loader refuses such links).

use super::{Resolved, remainder, shared};
use entity::enums::Qualifier;
use entity::participant_tally;
use std::cmp::Reverse;
use std::collections::{BTreeMap, HashMap};

/// A link between two groups of different events: `(group_id, linked_group_id)`.
pub type Link = (i32, i32);

/// Sets `once` and `cohort_id` on the rows of linked groups and adds each body's remainder
/// row (id 0). Rows of groups in no body are left as they are.
pub fn count_once(rows: &mut Vec<participant_tally::Model>, links: &[Link]) {
    let members: HashMap<i32, usize> = rows
        .iter()
        .enumerate()
        .filter(|(_, r)| r.headline && !r.remainder)
        .filter_map(|(i, r)| r.group_id.map(|g| (g, i)))
        .collect();
    let mut parent: BTreeMap<i32, i32> = BTreeMap::new();
    for (a, b) in links {
        let (Some(&ia), Some(&ib)) = (members.get(a), members.get(b)) else {
            continue;
        };
        if rows[ia].event_id == rows[ib].event_id {
            continue;
        }
        let (ra, rb) = (root(&mut parent, *a), root(&mut parent, *b));
        // The smaller group id is the root, so a body's id is its smallest group id.
        if ra != rb {
            parent.insert(ra.max(rb), ra.min(rb));
        }
    }
    let mut bodies: BTreeMap<i32, Vec<usize>> = BTreeMap::new();
    for group in parent.keys().copied().collect::<Vec<_>>() {
        let body = root(&mut parent, group);
        bodies.entry(body).or_default().push(members[&group]);
    }
    for (body, indexes) in bodies {
        if let Some(rest) = settle_body(rows, body, &indexes) {
            rows.push(rest);
        }
    }
}

fn root(parent: &mut BTreeMap<i32, i32>, group: i32) -> i32 {
    let mut at = *parent.entry(group).or_insert(group);
    while let Some(&up) = parent.get(&at) {
        if up == at {
            break;
        }
        at = up;
    }
    parent.insert(group, at);
    at
}

/// One event's groups in a body.
struct Stage {
    event_id: i32,
    rows: Vec<usize>,
    sum: i64,
}

/// How specific a stage is, best last: nationalities named, date known to the year and to
/// the month, province known.
fn specificity(rows: &[participant_tally::Model], s: &Stage) -> (usize, u8, bool) {
    let first = &rows[s.rows[0]];
    (
        s.rows
            .iter()
            .filter(|i| rows[**i].nationality_code.is_some())
            .count(),
        u8::from(first.year.is_some()) + u8::from(first.month.is_some()),
        first.province_id.is_some(),
    )
}

/// Marks a body's rows and returns the remainder of its largest stage beyond its most
/// specific one, if anything is left.
fn settle_body(
    rows: &mut [participant_tally::Model],
    body: i32,
    indexes: &[usize],
) -> Option<participant_tally::Model> {
    let mut by_event: BTreeMap<i32, Vec<usize>> = BTreeMap::new();
    for &i in indexes {
        by_event.entry(rows[i].event_id).or_default().push(i);
        rows[i].cohort_id = Some(body);
        rows[i].once = false;
    }
    let stages: Vec<Stage> = by_event
        .into_iter()
        .map(|(event_id, rows_of)| Stage {
            event_id,
            sum: rows_of.iter().filter_map(|i| rows[*i].value).sum(),
            rows: rows_of,
        })
        .collect();
    // On a full tie the earlier event is chosen, so that the choice is the same every load.
    let specific = stages
        .iter()
        .max_by_key(|s| (specificity(rows, s), s.sum, Reverse(s.event_id)))?;
    let largest = stages
        .iter()
        .max_by_key(|s| (s.sum, specificity(rows, s), Reverse(s.event_id)))?;
    for &i in &specific.rows {
        rows[i].once = true;
    }
    if largest.event_id == specific.event_id {
        return None;
    }
    let figure = |i: &usize| Resolved {
        value: rows[*i].value,
        low: rows[*i].low,
        high: rows[*i].high,
        qualifier: rows[*i].qualifier,
        derived: rows[*i].derived,
    };
    let parts: Vec<Resolved> = specific.rows.iter().map(figure).collect();
    let whole = sum(largest.rows.iter().map(figure));
    let left = remainder(whole, &parts)?;
    let both = || largest.rows.iter().chain(&specific.rows).map(|i| &rows[*i]);
    let at = &rows[largest.rows[0]];
    Some(participant_tally::Model {
        id: 0,
        event_id: largest.event_id,
        nationality_code: None,
        role: shared(both().map(|r| r.role)).flatten(),
        status: None,
        value: left.value,
        low: left.low,
        high: left.high,
        qualifier: left.qualifier,
        derived: true,
        women_value: None,
        women_low: None,
        women_high: None,
        women_qualifier: None,
        remainder: true,
        // A body's remainder exists only where the body counts once: every stage has its
        // own rows where totals are split by status or event kind.
        headline: false,
        group_id: None,
        cohort_id: Some(body),
        staged: false,
        once: true,
        country_code: at.country_code.clone(),
        province_id: at.province_id,
        year: at.year,
        month: at.month,
    })
}

/// A stage's groups added up, exact only when every part is.
fn sum(parts: impl Iterator<Item = Resolved>) -> Resolved {
    let parts: Vec<Resolved> = parts.collect();
    let add = |pick: fn(&Resolved) -> Option<i64>| parts.iter().map(pick).sum::<Option<i64>>();
    Resolved {
        value: add(|p| p.value),
        low: add(|p| p.low),
        high: add(|p| p.high),
        qualifier: if parts.iter().all(|p| p.qualifier == Qualifier::Exact) {
            Qualifier::Exact
        } else {
            Qualifier::AtLeast
        },
        derived: parts.iter().any(|p| p.derived),
    }
}

#[cfg(test)]
mod tests;
