//! Bodies of people across events on hand-made rows: counted once, broken down by the most
//! specific stage, every stage kept for status and event-kind totals.

use super::*;
use entity::enums::{ParticipantRole, ParticipantStatus};

/// A headline group row of `event` with an exact count, dated to `year` (month 1) or not.
fn row(
    group: i32,
    event: i32,
    nationality: Option<&str>,
    status: ParticipantStatus,
    value: i64,
    year: Option<i32>,
) -> participant_tally::Model {
    participant_tally::Model {
        id: 0,
        event_id: event,
        nationality_code: nationality.map(str::to_string),
        role: Some(ParticipantRole::Suspect),
        status: Some(status),
        value: Some(value),
        low: Some(value),
        high: Some(value),
        qualifier: Qualifier::Exact,
        derived: false,
        women_value: None,
        women_low: None,
        women_high: None,
        women_qualifier: None,
        remainder: false,
        headline: true,
        group_id: Some(group),
        cohort_id: None,
        staged: true,
        once: true,
        country_code: Some("KH".into()),
        province_id: None,
        year,
        month: year.map(|y| y * 100 + 1),
    }
}

use ParticipantStatus::{Arrested, Deported, Detained};

/// (event, nationality, value, once, cohort) of a row.
type Summary<'a> = (i32, Option<&'a str>, Option<i64>, bool, Option<i32>);

fn summary(rows: &[participant_tally::Model]) -> Vec<Summary<'_>> {
    rows.iter()
        .map(|r| {
            (
                r.event_id,
                r.nationality_code.as_deref(),
                r.value,
                r.once,
                r.cohort_id,
            )
        })
        .collect()
}

#[test]
fn the_same_people_at_two_stages_count_once_in_the_better_dated_stage() {
    // Arrested (date unknown) and deported (dated): 13 TW and 50 CN, linked group to group.
    let mut rows = vec![
        row(1, 10, Some("TW"), Arrested, 13, None),
        row(2, 10, Some("CN"), Arrested, 50, None),
        row(3, 11, Some("TW"), Deported, 13, Some(2016)),
        row(4, 11, Some("CN"), Deported, 50, Some(2016)),
    ];
    count_once(&mut rows, &[(3, 1), (4, 2)]);
    assert_eq!(
        summary(&rows),
        vec![
            (10, Some("TW"), Some(13), false, Some(1)),
            (10, Some("CN"), Some(50), false, Some(2)),
            (11, Some("TW"), Some(13), true, Some(1)),
            (11, Some("CN"), Some(50), true, Some(2)),
        ]
    );
    // Every stage still counts where totals are split by status.
    assert!(rows.iter().all(|r| r.staged && r.headline));
}

#[test]
fn a_part_named_by_nationality_breaks_down_the_whole() {
    // 230 detained of unknown nationality; 119 Thai among them deported later.
    let mut rows = vec![
        row(1, 20, None, Detained, 230, None),
        row(2, 21, Some("TH"), Deported, 119, Some(2025)),
    ];
    count_once(&mut rows, &[(2, 1)]);
    assert_eq!(rows.len(), 3);
    assert_eq!(
        summary(&rows),
        vec![
            (20, None, Some(230), false, Some(1)),
            (21, Some("TH"), Some(119), true, Some(1)),
            (20, None, Some(111), true, Some(1)),
        ]
    );
    let rest = &rows[2];
    assert!(rest.remainder && rest.derived && !rest.staged && !rest.headline);
    assert_eq!(rest.qualifier, Qualifier::Exact);
    assert_eq!((rest.low, rest.high), (Some(111), Some(111)));
    assert_eq!(rest.role, Some(ParticipantRole::Suspect));
    assert_eq!(rest.status, None);
    // Counted once: 119 + 111 = 230, not 349.
    let once: i64 = rows.iter().filter(|r| r.once).filter_map(|r| r.value).sum();
    assert_eq!(once, 230);
}

#[test]
fn a_chain_of_three_stages_is_one_body() {
    let mut rows = vec![
        row(1, 30, None, Detained, 100, Some(2024)),
        row(2, 31, Some("XB"), Arrested, 60, Some(2024)),
        row(3, 32, Some("XB"), Deported, 40, Some(2024)),
    ];
    count_once(&mut rows, &[(2, 1), (3, 2)]);
    // Most specific: both name one nationality and are dated alike; the larger (60) wins,
    // and the whole (100) leaves 40 unspecified.
    let once: Vec<_> = summary(&rows).into_iter().filter(|r| r.3).collect();
    assert_eq!(
        once,
        vec![
            (31, Some("XB"), Some(60), true, Some(1)),
            (30, None, Some(40), true, Some(1))
        ]
    );
}

#[test]
fn unlinked_rows_and_links_inside_one_event_change_nothing() {
    let mut rows = vec![
        row(1, 40, Some("XB"), Arrested, 5, Some(2024)),
        row(2, 40, Some("XC"), Arrested, 6, Some(2024)),
        row(3, 41, Some("XC"), Deported, 6, Some(2024)),
    ];
    let before = rows.clone();
    // A link within one event, and one to a group that has no row.
    count_once(&mut rows, &[(1, 2), (3, 99)]);
    assert_eq!(rows, before);
}

#[test]
fn a_group_outside_its_events_headline_takes_no_part() {
    let mut released = row(
        2,
        50,
        Some("XC"),
        ParticipantStatus::Released,
        80,
        Some(2023),
    );
    released.headline = false;
    released.once = false;
    let mut rows = vec![
        row(1, 50, Some("XC"), Arrested, 118, Some(2023)),
        released,
        row(3, 51, Some("XC"), Deported, 80, Some(2023)),
    ];
    let before = rows.clone();
    count_once(&mut rows, &[(3, 2)]);
    assert_eq!(rows, before);
}
