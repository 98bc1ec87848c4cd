//! The tally rules on small hand-made events: headlines, remainders, qualifiers, flows.

use super::*;
use entity::enums::{DatePrecision, FlowKind};

fn exact(value: i64) -> Resolved {
    Resolved {
        value: Some(value),
        low: Some(value),
        high: Some(value),
        qualifier: Qualifier::Exact,
        derived: false,
    }
}

fn about(value: i64, low: i64, high: i64) -> Resolved {
    Resolved {
        value: Some(value),
        low: Some(low),
        high: Some(high),
        qualifier: Qualifier::About,
        derived: false,
    }
}

fn group(role: ParticipantRole, status: ParticipantStatus, count: Resolved) -> Group {
    Group {
        id: 1,
        nationality_code: Some("CN".into()),
        role,
        status,
        count: Some(count),
        women: None,
    }
}

fn event(total: Option<Resolved>, groups: Vec<Group>) -> Event {
    Event {
        id: 7,
        date_start: NaiveDate::from_ymd_opt(2025, 3, 14),
        date_end: NaiveDate::from_ymd_opt(2025, 3, 14),
        place: Some(Place {
            country_code: "KH".into(),
            province_id: Some(3),
        }),
        total,
        groups,
        flows: Vec::new(),
    }
}

use ParticipantRole::{SeniorFigure, Suspect, Worker};
use ParticipantStatus::{Arrested, Deported, Detained, Released};

/// (role, status, value, qualifier, headline, remainder) of each participant row.
type Summary = (
    Option<ParticipantRole>,
    Option<ParticipantStatus>,
    Option<i64>,
    Qualifier,
    bool,
    bool,
);

fn summary(t: &Tallied) -> Vec<Summary> {
    t.participants
        .iter()
        .map(|r| {
            (
                r.role,
                r.status,
                r.value,
                r.qualifier,
                r.headline,
                r.remainder,
            )
        })
        .collect()
}

#[test]
fn the_larger_status_of_one_role_is_its_headline() {
    // 118 suspects arrested, 80 of them released: the same people, counted once, as arrested.
    let t = super::event(&event(
        None,
        vec![
            group(Suspect, Released, exact(80)),
            group(Suspect, Arrested, exact(118)),
        ],
    ));
    assert_eq!(
        summary(&t),
        vec![
            (
                Some(Suspect),
                Some(Released),
                Some(80),
                Qualifier::Exact,
                false,
                false
            ),
            (
                Some(Suspect),
                Some(Arrested),
                Some(118),
                Qualifier::Exact,
                true,
                false
            ),
        ]
    );
    assert_eq!(t.columns.people_count, Some(118));
}

#[test]
fn different_roles_are_different_people_and_ties_go_to_the_first_status() {
    let t = super::event(&event(
        None,
        vec![
            group(SeniorFigure, Arrested, exact(173)),
            group(Worker, Deported, exact(50)),
            group(Worker, Detained, exact(50)),
        ],
    ));
    let headlines: Vec<bool> = t.participants.iter().map(|r| r.headline).collect();
    // DETAINED comes before DEPORTED in the vocabulary.
    assert_eq!(headlines, vec![true, false, true]);
    assert_eq!(t.columns.people_count, Some(223));
}

#[test]
fn a_total_beyond_its_breakdown_leaves_a_derived_remainder() {
    let t = super::event(&event(
        Some(exact(200)),
        vec![
            group(Worker, Deported, exact(120)),
            group(Worker, Deported, about(30, 25, 40)),
        ],
    ));
    let left = t.participants.last().expect("a remainder row");
    assert!(left.remainder && left.derived && left.headline);
    assert_eq!(left.nationality_code, None);
    // One role and one status shared by the whole breakdown carry over to the remainder.
    assert_eq!((left.role, left.status), (Some(Worker), Some(Deported)));
    // An approximate part makes what is left a lower bound; its span is the total's span
    // less the parts' (200 - 120 - 40 .. 200 - 120 - 25).
    assert_eq!(
        (left.value, left.low, left.high, left.qualifier),
        (Some(50), Some(40), Some(55), Qualifier::AtLeast)
    );
    // The event's people are its total, never the total plus its breakdown.
    assert_eq!(t.columns.people_count, Some(200));
    assert_eq!(t.participants.len(), 3);
}

#[test]
fn an_exact_remainder_of_mixed_groups_has_no_role_or_status() {
    let t = super::event(&event(
        Some(exact(100)),
        vec![
            group(Worker, Deported, exact(60)),
            group(Suspect, Arrested, exact(30)),
        ],
    ));
    let left = t.participants.last().expect("a remainder row");
    assert_eq!(
        (left.role, left.status, left.value, left.qualifier),
        (None, None, Some(10), Qualifier::Exact)
    );
}

#[test]
fn a_breakdown_that_covers_its_total_leaves_nothing() {
    let t = super::event(&event(
        Some(exact(100)),
        vec![group(Worker, Deported, exact(100))],
    ));
    assert!(t.participants.iter().all(|r| !r.remainder));
    // Non-headline groups are not part of the breakdown the remainder is worked out from.
    let t = super::event(&event(
        Some(exact(100)),
        vec![
            group(Suspect, Arrested, exact(90)),
            group(Suspect, Released, exact(80)),
        ],
    ));
    let left = t.participants.last().expect("a remainder row");
    assert_eq!((left.remainder, left.value), (true, Some(10)));
}

#[test]
fn a_total_alone_is_one_row_with_the_events_grouping_columns() {
    let t = super::event(&event(Some(about(6000, 6000, 7000)), Vec::new()));
    assert_eq!(
        summary(&t),
        vec![(None, None, Some(6000), Qualifier::About, true, false)]
    );
    let row = &t.participants[0];
    assert_eq!(
        (
            row.event_id,
            row.country_code.as_deref(),
            row.province_id,
            row.year,
            row.month
        ),
        (7, Some("KH"), Some(3), Some(2025), Some(202503))
    );
    assert_eq!(
        t.columns,
        Columns {
            year: Some(2025),
            month: Some(202503),
            country_code: Some("KH".into()),
            province_id: Some(3),
            people_count: Some(6000),
        }
    );
}

#[test]
fn women_are_carried_and_a_missing_count_is_unknown() {
    let mut g = group(Worker, Rescued, exact(10));
    g.women = Some(about(4, 3, 5));
    let missing = Group {
        count: None,
        ..group(Worker, Fled, exact(0))
    };
    let t = super::event(&event(None, vec![g, missing]));
    let (first, second) = (&t.participants[0], &t.participants[1]);
    assert_eq!(
        (
            first.women_value,
            first.women_low,
            first.women_high,
            first.women_qualifier
        ),
        (Some(4), Some(3), Some(5), Some(Qualifier::About))
    );
    assert_eq!((second.value, second.qualifier), (None, Qualifier::Unknown));
    assert_eq!(t.columns.people_count, Some(10));
}

use ParticipantStatus::{Fled, Rescued};

fn flow(status: Status, count: Option<Resolved>, split: Vec<(&str, Resolved)>) -> Flow {
    Flow {
        flow: deportation_flow::Model {
            uid: "test/flows[0]".into(),
            id: 11,
            event_id: 7,
            from_code: "KH".into(),
            to_code: Some("CN".into()),
            kind: FlowKind::Deportation,
            status,
            date_start: NaiveDate::from_ymd_opt(2024, 12, 31),
            date_end: NaiveDate::from_ymd_opt(2024, 12, 31),
            date_precision: DatePrecision::Day,
            date_derived: false,
            count_figure_id: None,
        },
        count,
        split: split
            .into_iter()
            .map(|(n, r)| (n.to_string(), Some(r)))
            .collect(),
    }
}

/// (nationality, value, counted, split, remainder) of each flow row.
type FlowSummary = (Option<String>, Option<i64>, bool, bool, bool);

fn flows(f: Flow) -> Vec<FlowSummary> {
    let mut e = event(None, Vec::new());
    e.flows = vec![f];
    super::event(&e)
        .flows
        .into_iter()
        .map(|r| (r.nationality_code, r.value, r.counted, r.split, r.remainder))
        .collect()
}

#[test]
fn a_split_flow_counts_as_its_parts_and_the_unsplit_remainder() {
    let rows = flows(flow(
        Status::Completed,
        Some(exact(500)),
        vec![("CN", exact(300)), ("VN", exact(150))],
    ));
    assert_eq!(
        rows,
        vec![
            (None, Some(500), true, false, false),
            (Some("CN".into()), Some(300), true, true, false),
            (Some("VN".into()), Some(150), true, true, false),
            (None, Some(50), true, true, true),
        ]
    );
}

#[test]
fn an_unsplit_flow_counts_whole_both_ways_and_planned_flows_never_count() {
    assert_eq!(
        flows(flow(Status::Completed, Some(exact(40)), Vec::new())),
        vec![
            (None, Some(40), true, false, false),
            (None, Some(40), true, true, false),
        ]
    );
    let planned = flows(flow(
        Status::Planned,
        Some(exact(40)),
        vec![("CN", exact(10))],
    ));
    assert!(planned.iter().all(|(_, _, counted, _, _)| !counted));
    let unnumbered = flows(flow(Status::Completed, None, vec![("CN", exact(10))]));
    assert!(unnumbered.iter().all(|(_, _, counted, _, _)| !counted));
}

#[test]
fn a_flow_is_dated_by_its_own_start() {
    let mut e = event(None, Vec::new());
    e.flows = vec![flow(Status::Completed, Some(exact(1)), Vec::new())];
    let row = &super::event(&e).flows[0];
    assert_eq!(
        (row.year, row.month, row.flow_id),
        (Some(2024), Some(202412), 11)
    );
}

#[test]
fn a_place_is_its_country_and_nearest_province() {
    let place = |id, level, parent_id| location::Model {
        id,
        key: format!("p{id}"),
        name: String::new(),
        level,
        parent_id,
        country_code: "KH".into(),
        latitude: None,
        longitude: None,
        coordinate_precision: None,
    };
    let site = place(9, LocationLevel::Site, Some(5));
    let city = place(5, LocationLevel::City, Some(2));
    let province = place(2, LocationLevel::Province, Some(1));
    let country = place(1, LocationLevel::Country, None);
    assert_eq!(
        Place::of(&[site, city, province, country.clone()]),
        Some(Place {
            country_code: "KH".into(),
            province_id: Some(2),
        })
    );
    assert_eq!(Place::of(&[country]).and_then(|p| p.province_id), None);
    assert_eq!(Place::of(&[]), None);
}

#[test]
fn an_undated_placeless_event_has_no_grouping_columns() {
    let mut e = event(None, Vec::new());
    e.date_start = None;
    e.date_end = None;
    e.place = None;
    assert_eq!(super::event(&e).columns, Columns::default());
}

#[test]
fn a_span_counts_in_a_period_only_when_it_lies_within_it() {
    let day = |y, m, d| NaiveDate::from_ymd_opt(y, m, d);
    // A day, a month, a year's part, a span over a year's end, nothing.
    assert_eq!(periods(day(2025, 3, 14), None), (Some(2025), Some(202503)));
    assert_eq!(
        periods(day(2026, 1, 1), day(2026, 1, 31)),
        (Some(2026), Some(202601))
    );
    assert_eq!(
        periods(day(2016, 1, 1), day(2016, 9, 21)),
        (Some(2016), None)
    );
    assert_eq!(periods(day(2025, 10, 1), day(2026, 2, 11)), (None, None));
    assert_eq!(periods(None, None), (None, None));
    // An event over two months counts in no month, and its rows say so too.
    let mut e = event(None, vec![group(Worker, Fled, exact(5))]);
    e.date_end = day(2025, 4, 2);
    let t = super::event(&e);
    assert_eq!((t.columns.year, t.columns.month), (Some(2025), None));
    assert_eq!(
        (t.participants[0].year, t.participants[0].month),
        (Some(2025), None)
    );
}

#[test]
fn group_rows_name_their_group_and_count_once_where_they_are_headline() {
    let t = super::event(&event(
        None,
        vec![
            Group {
                id: 4,
                ..group(Suspect, Arrested, exact(118))
            },
            Group {
                id: 5,
                ..group(Suspect, Released, exact(80))
            },
        ],
    ));
    let rows: Vec<_> = t
        .participants
        .iter()
        .map(|r| (r.group_id, r.headline, r.once, r.staged, r.cohort_id))
        .collect();
    assert_eq!(
        rows,
        vec![
            (Some(4), true, true, true, None),
            (Some(5), false, false, true, None)
        ]
    );
}
