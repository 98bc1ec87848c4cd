//! Totals over HTTP: `participantTotals`, `flowTotals` and `timeline`, one test per
//! reconciliation rule of the schema, on the `rules` fixture (tests/fixtures/rules/README.md
//! tabulates its events) with every expected figure worked out by hand next to its
//! assertion; and the number of SQL statements a totals query runs, which must not depend on
//! how many groups it returns (on generated data). What the curated data gives is pinned by
//! the examples' snapshots (tests/api/examples.rs).
//!
//! Resolution of one figure (`figure::resolve`): `value` is the lowest claim stated as exact
//! or as a lower bound, `low`/`high` span all claims. Sums (`figure::settle`): values, lows
//! and highs add up; all-exact parts give EXACT, inexact parts sharing one qualifier keep it,
//! otherwise any approximation gives ABOUT and bounds give AT_LEAST; a part without a number
//! counts as AT_LEAST; no number at all is UNKNOWN. Only the status with the most people
//! counts per role of an event unless grouped by STATUS ("d" below = derived).

use crate::helpers::{Backend, TestApp, country_id, fresh_db};
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use http_body_util::BodyExt;
use scam_atlas::app::{AppState, router};
use serde_json::{Value, json};
use std::collections::BTreeMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use tower::ServiceExt;

both!(
    two_articles_on_one_event_give_one_figure,
    a_total_and_its_breakdown_leave_a_derived_remainder,
    flows_by_destination_and_nationality,
    month_precision_events_count_in_their_month,
    women_are_a_floor_where_some_groups_give_no_count,
    lows_highs_and_qualifiers_add_up,
    derived_parts_mark_their_totals,
    statistics_never_enter_totals,
    stages_of_one_event_count_once_unless_grouped_by_status,
    the_grand_total_adds_every_event_once,
    every_people_dimension_groups,
    every_flow_dimension_groups,
    grouping_by_a_dimension_twice_is_bad_input,
    timeline_by_year,
    timeline_by_month,
);

// --- helpers -----------------------------------------------------------------------------

const FIGURE: &str = "value low high qualifier derived claims { value }";

/// A total as the server gives it: value, low, high, qualifier, derived.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Fig {
    value: Option<i64>,
    low: Option<i64>,
    high: Option<i64>,
    qualifier: String,
    derived: bool,
}

/// A figure with its span and qualifier.
fn fig(value: i64, low: i64, high: i64, qualifier: &str, derived: bool) -> Fig {
    Fig {
        value: Some(value),
        low: Some(low),
        high: Some(high),
        qualifier: qualifier.into(),
        derived,
    }
}

/// An exact figure that no arithmetic produced.
fn exact(value: i64) -> Fig {
    fig(value, value, value, "EXACT", false)
}

/// A total without any number (only parts that give none).
fn no_number() -> Fig {
    Fig {
        value: None,
        low: None,
        high: None,
        qualifier: "UNKNOWN".into(),
        derived: false,
    }
}

/// Reads a Figure; totals carry no claims of their own.
fn read_fig(v: &Value) -> Fig {
    assert!(v.is_object(), "expected a figure, got {v}");
    assert_eq!(v["claims"], json!([]), "totals list no claims: {v}");
    Fig {
        value: v["value"].as_i64(),
        low: v["low"].as_i64(),
        high: v["high"].as_i64(),
        qualifier: v["qualifier"].as_str().expect("a qualifier").into(),
        derived: v["derived"].as_bool().expect("derived"),
    }
}

fn list(v: &Value) -> &[Value] {
    v.as_array()
        .map(Vec::as_slice)
        .unwrap_or_else(|| panic!("expected a list, got {v}"))
}

/// A row's key `field` as text: a country's code, a place's key, an enum, a year or month;
/// None where the key is null.
fn label(row: &Value, field: &str) -> Option<String> {
    match &row[field] {
        Value::Null => None,
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Object(o) => o
            .get("code")
            .or_else(|| o.get("key"))
            .and_then(Value::as_str)
            .map(str::to_string),
        other => panic!("unexpected key {field}: {other}"),
    }
}

/// The one row whose keys are `keys` (a None key is a null key).
fn row<'a>(rows: &'a [Value], keys: &[(&str, Option<&str>)]) -> &'a Value {
    let found: Vec<&Value> = rows
        .iter()
        .filter(|r| {
            keys.iter()
                .all(|(field, want)| label(r, field).as_deref() == *want)
        })
        .collect();
    assert_eq!(
        found.len(),
        1,
        "exactly one row with {keys:?} in {:#}",
        Value::Array(rows.to_vec())
    );
    found[0]
}

/// Every row's `field` key, in row order.
fn labels(rows: &[Value], field: &str) -> Vec<Option<String>> {
    rows.iter().map(|r| label(r, field)).collect()
}

/// The non-null keys of `field` in row order must be ascending (rows are sorted by the
/// dimensions; where NULL sorts is the database's business).
fn assert_sorted(rows: &[Value], field: &str) {
    let keys: Vec<String> = labels(rows, field).into_iter().flatten().collect();
    let mut sorted = keys.clone();
    sorted.sort();
    assert_eq!(keys, sorted, "rows sorted by {field}");
}

fn sorted(keys: &[&str]) -> Vec<String> {
    let mut v: Vec<String> = keys.iter().map(|k| k.to_string()).collect();
    v.sort();
    v
}

/// The event keys a row's `events` lists, sorted.
fn event_keys(row: &Value) -> Vec<String> {
    let mut keys: Vec<String> = list(&row["events"]["nodes"])
        .iter()
        .map(|e| e["key"].as_str().expect("a key").to_string())
        .collect();
    keys.sort();
    keys
}

const PEOPLE: &str = r#"
query People($filter: EventFilter, $groupBy: [ParticipantDimension!]!) {
  participantTotals(filter: $filter, groupBy: $groupBy) {
    nationality { code }
    role
    status
    eventKind
    country { code }
    province { key name level }
    year
    month
    total { FIGURE }
    women { FIGURE }
    eventCount
    events(first: 100) { totalCount nodes { key date { start } } }
  }
}"#;

/// `participantTotals(filter, groupBy)`, each row checked to trace to exactly its
/// `eventCount` events, newest first.
async fn people(app: &TestApp, filter: Value, group_by: &[&str]) -> Vec<Value> {
    let data = app
        .data(
            &PEOPLE.replace("FIGURE", FIGURE),
            json!({ "filter": filter, "groupBy": group_by }),
        )
        .await;
    let rows = list(&data["participantTotals"]).to_vec();
    for r in &rows {
        let count = r["eventCount"].as_i64().expect("eventCount");
        assert_eq!(
            r["events"]["totalCount"].as_i64(),
            Some(count),
            "events.totalCount == eventCount: {r:#}"
        );
        let nodes = list(&r["events"]["nodes"]);
        assert_eq!(nodes.len() as i64, count.min(100), "{r:#}");
        // Newest first (UNKNOWN dates, null, sort lowest).
        let starts: Vec<&str> = nodes
            .iter()
            .map(|n| n["date"]["start"].as_str().unwrap_or(""))
            .collect();
        let mut newest_first = starts.clone();
        newest_first.sort_by(|a, b| b.cmp(a));
        assert_eq!(starts, newest_first, "events newest first: {r:#}");
        // Dimensions not grouped by are null.
        for (dim, field) in [
            ("NATIONALITY", "nationality"),
            ("ROLE", "role"),
            ("STATUS", "status"),
            ("EVENT_KIND", "eventKind"),
            ("COUNTRY", "country"),
            ("PROVINCE", "province"),
            ("YEAR", "year"),
            ("MONTH", "month"),
        ] {
            if !group_by.contains(&dim) {
                assert!(
                    r[field].is_null(),
                    "{field} is null when not grouped: {r:#}"
                );
            }
        }
    }
    rows
}

const FLOWS: &str = r#"
query Flows($filter: FlowFilter, $groupBy: [FlowDimension!]!) {
  flowTotals(filter: $filter, groupBy: $groupBy) {
    fromCountry { code }
    toCountry { code }
    nationality { code }
    kind
    status
    year
    month
    total { FIGURE }
    flowCount
    uncountedFlowCount
    uncountedFlows { status count { value } event { key } }
    flows(first: 100) { totalCount nodes { status event { key } } }
  }
}"#;

/// `flowTotals(filter, groupBy)`, each row checked: `flows` lists exactly `flowCount`
/// completed flows, `uncountedFlows` exactly `uncountedFlowCount` planned or unnumbered ones.
async fn flows(app: &TestApp, filter: Value, group_by: &[&str]) -> Vec<Value> {
    let data = app
        .data(
            &FLOWS.replace("FIGURE", FIGURE),
            json!({ "filter": filter, "groupBy": group_by }),
        )
        .await;
    let rows = list(&data["flowTotals"]).to_vec();
    for r in &rows {
        let counted = r["flowCount"].as_i64().expect("flowCount");
        assert_eq!(
            r["flows"]["totalCount"].as_i64(),
            Some(counted),
            "flows.totalCount == flowCount: {r:#}"
        );
        assert_eq!(list(&r["flows"]["nodes"]).len() as i64, counted, "{r:#}");
        for f in list(&r["flows"]["nodes"]) {
            assert_eq!(
                f["status"], "COMPLETED",
                "only completed flows are summed: {r:#}"
            );
        }
        let uncounted = list(&r["uncountedFlows"]);
        assert_eq!(
            r["uncountedFlowCount"].as_i64(),
            Some(uncounted.len() as i64),
            "{r:#}"
        );
        for f in uncounted {
            assert!(
                f["status"] == "PLANNED" || f["count"].is_null(),
                "only planned or unnumbered flows are uncounted: {r:#}"
            );
        }
        if counted == 0 {
            assert_eq!(read_fig(&r["total"]), no_number(), "nothing summed: {r:#}");
        }
    }
    rows
}

fn flow_events(row: &Value, field: &str) -> Vec<String> {
    let nodes = if field == "flows" {
        list(&row["flows"]["nodes"])
    } else {
        list(&row[field])
    };
    let mut keys: Vec<String> = nodes
        .iter()
        .map(|f| f["event"]["key"].as_str().expect("a key").to_string())
        .collect();
    keys.sort();
    keys
}

fn total(r: &Value) -> Fig {
    read_fig(&r["total"])
}

fn women(r: &Value) -> Option<Fig> {
    if r["women"].is_null() {
        None
    } else {
        Some(read_fig(&r["women"]))
    }
}

fn count(r: &Value, field: &str) -> i64 {
    r[field]
        .as_i64()
        .unwrap_or_else(|| panic!("no {field} in {r:#}"))
}

/// The error code and message of a document that must fail.
async fn error(app: &TestApp, query: &str, variables: Value) -> (String, String) {
    let (status, body) = app.graphql(query, variables).await;
    assert_eq!(status, StatusCode::OK, "{query}: {body:#}");
    let first = &body["errors"][0];
    assert!(
        first.is_object(),
        "{query}: expected an error, got {body:#}"
    );
    assert!(body["data"].is_null(), "{body:#}");
    (
        first["extensions"]["code"]
            .as_str()
            .unwrap_or_default()
            .to_string(),
        first["message"].as_str().unwrap_or_default().to_string(),
    )
}

// --- rule 1: claims about the same people are never added --------------------------------

/// The `rules` fixture (tests/fixtures/rules/README.md).
async fn fixture(backend: Backend) -> TestApp {
    TestApp::fixture(backend, "rules").await
}

async fn two_articles_on_one_event_give_one_figure(backend: Backend) {
    let app = fixture(backend).await;
    // Only the Harbour City raid spans 5 March 2024. XB: the daily's 120 and the wire's 100,
    // both exact -> 100 (the lowest floor), low 100, high 120, EXACT; never 220. XC: 7.
    let day = json!({ "from": "2024-03-05", "to": "2024-03-05" });
    let rows = people(&app, day.clone(), &["NATIONALITY"]).await;
    assert_eq!(
        labels(&rows, "nationality"),
        vec![Some("XB".to_string()), Some("XC".to_string())]
    );
    let xb = row(&rows, &[("nationality", Some("XB"))]);
    assert_eq!(total(xb), fig(100, 100, 120, "EXACT", false));
    assert_eq!(count(xb, "eventCount"), 1);
    assert_eq!(event_keys(xb), sorted(&["harbour-raid"]));
    // Women: the daily's 30 is the only count, and the XB group the row's only part: EXACT.
    assert_eq!(women(xb), Some(exact(30)));
    let xc = row(&rows, &[("nationality", Some("XC"))]);
    assert_eq!(total(xc), exact(7));
    assert_eq!(women(xc), None, "no source counts Carpanian women");

    // Grand total: 100 + 7 = 107, high 120 + 7 = 127; women 30, a floor (XC gives none).
    let all = people(&app, day, &[]).await;
    assert_eq!(all.len(), 1);
    assert_eq!(total(&all[0]), fig(107, 107, 127, "EXACT", false));
    assert_eq!(women(&all[0]), Some(fig(30, 30, 30, "AT_LEAST", false)));
    assert_eq!(count(&all[0], "eventCount"), 1);
}

// --- rule 2: a total and its breakdown are never added ----------------------------------

async fn a_total_and_its_breakdown_leave_a_derived_remainder(backend: Backend) {
    let app = fixture(backend).await;
    // The compound sweep (10-12 June 2024): total "just over 500" (500 MORE_THAN); breakdown
    // at least 200 XB and 150 XD. Remainder 500 - 350 = 150, derived, AT_LEAST (not all
    // exact); low 500 - 350 (parts' highs), high 500 - 350 (parts' lows).
    let filter = json!({ "from": "2024-06-10", "to": "2024-06-12" });
    let rows = people(&app, filter.clone(), &["NATIONALITY"]).await;
    assert_eq!(rows.len(), 3, "XB, XD and the remainder: {rows:#?}");
    assert_sorted(&rows, "nationality");
    assert_eq!(
        labels(&rows, "nationality"),
        vec![Some("XB".to_string()), Some("XD".to_string()), None],
        "the unknown key last"
    );
    assert_eq!(
        total(row(&rows, &[("nationality", Some("XB"))])),
        fig(200, 200, 200, "AT_LEAST", false)
    );
    assert_eq!(
        total(row(&rows, &[("nationality", Some("XD"))])),
        fig(150, 150, 150, "AT_LEAST", false)
    );
    let rest = row(&rows, &[("nationality", None)]);
    assert_eq!(total(rest), fig(150, 150, 150, "AT_LEAST", true));
    for r in &rows {
        assert_eq!(event_keys(r), sorted(&["compound-sweep"]));
    }
    // The grand total is the event's total, not 500 + 350.
    let all = people(&app, filter.clone(), &[]).await;
    assert_eq!(total(&all[0]), fig(500, 500, 500, "AT_LEAST", true));
    assert_eq!(count(&all[0], "eventCount"), 1);
    // The remainder keeps the role and status its parts share (SUSPECT, ARRESTED).
    let rows = people(&app, filter, &["NATIONALITY", "ROLE", "STATUS"]).await;
    assert_eq!(rows.len(), 3);
    let rest = row(
        &rows,
        &[
            ("nationality", None),
            ("role", Some("SUSPECT")),
            ("status", Some("ARRESTED")),
        ],
    );
    assert_eq!(total(rest), fig(150, 150, 150, "AT_LEAST", true));

    // All exact (the April deportation: 60 = 45 XB + 10 XC + 5): the remainder is EXACT and
    // still derived.
    let rows = people(
        &app,
        json!({ "from": "2024-04-02", "to": "2024-04-02" }),
        &["NATIONALITY"],
    )
    .await;
    assert_eq!(rows.len(), 3);
    assert_eq!(total(row(&rows, &[("nationality", Some("XB"))])), exact(45));
    assert_eq!(total(row(&rows, &[("nationality", Some("XC"))])), exact(10));
    assert_eq!(
        total(row(&rows, &[("nationality", None)])),
        fig(5, 5, 5, "EXACT", true)
    );

    // The casino: total 118 and breakdown 118 arrested leave nothing: no remainder row.
    let rows = people(&app, json!({ "kinds": ["RELEASE"] }), &["NATIONALITY"]).await;
    assert_eq!(labels(&rows, "nationality"), vec![Some("XC".to_string())]);
    assert_eq!(total(&rows[0]), exact(118));
}

// --- flows ---------------------------------------------------------------------------------

async fn flows_by_destination_and_nationality(backend: Backend) {
    let app = fixture(backend).await;
    // The five flows of the fixture:
    //   F1 2024-10 XA->(home countries) DEPORTATION 900        (october-crackdown)
    //   F2 2024-11 XA->XB DEPORTATION 50, PLANNED               (october-crackdown)
    //   F3 2024-10 XA->XC DEPORTATION, no number                (october-crackdown)
    //   F4 2024-10 XA->XB EXTRADITION 1                         (boss-extradited)
    //   F5 2024-04 XA->XB DEPORTATION 60 = XB 45 + XC 10 + 5    (april-deportation)
    let rows = flows(&app, json!(null), &["TO_COUNTRY"]).await;
    assert_eq!(
        labels(&rows, "toCountry"),
        vec![Some("XB".into()), Some("XC".into()), None]
    );
    // To XB: F4 1 + F5 60 = 61; the planned F2 listed, never summed.
    let xb = row(&rows, &[("toCountry", Some("XB"))]);
    assert_eq!(total(xb), exact(61));
    assert_eq!(count(xb, "flowCount"), 2);
    assert_eq!(
        flow_events(xb, "flows"),
        sorted(&["boss-extradited", "april-deportation"])
    );
    assert_eq!(count(xb, "uncountedFlowCount"), 1);
    assert_eq!(
        flow_events(xb, "uncountedFlows"),
        sorted(&["october-crackdown"])
    );
    // To XC: only F3, without a number: nothing summed, listed.
    let xc = row(&rows, &[("toCountry", Some("XC"))]);
    assert_eq!(total(xc), no_number());
    assert_eq!(
        (count(xc, "flowCount"), count(xc, "uncountedFlowCount")),
        (0, 1)
    );
    // To an unspecified destination: its own row, never dropped: F1 900.
    let home = row(&rows, &[("toCountry", None)]);
    assert_eq!(total(home), exact(900));
    assert_eq!(flow_events(home, "flows"), sorted(&["october-crackdown"]));
    let only = flows(&app, json!({ "toUnspecified": true }), &[]).await;
    assert_eq!(only.len(), 1);
    assert_eq!(total(&only[0]), exact(900));

    // Grand total: 900 + 1 + 60 = 961 over 3 flows; F2 and F3 uncounted.
    let all = flows(&app, json!(null), &[]).await;
    assert_eq!(all.len(), 1);
    assert_eq!(total(&all[0]), exact(961));
    assert_eq!(
        (
            count(&all[0], "flowCount"),
            count(&all[0], "uncountedFlowCount")
        ),
        (3, 2)
    );

    // The origin-destination matrix: everything leaves XA.
    let matrix = flows(&app, json!(null), &["FROM_COUNTRY", "TO_COUNTRY"]).await;
    assert_eq!(matrix.len(), 3);
    assert_eq!(
        total(row(
            &matrix,
            &[("fromCountry", Some("XA")), ("toCountry", Some("XB"))]
        )),
        exact(61)
    );
    assert_eq!(
        total(row(
            &matrix,
            &[("fromCountry", Some("XA")), ("toCountry", None)]
        )),
        exact(900)
    );

    // By nationality, a flow counts as its splits plus the unsplit rest:
    //   XB: F5's 45; XC: F5's 10;
    //   null: F1 900 + F4 1 (unsplit) + F5's rest 60 - 55 = 5 (derived) = 906, derived,
    //   3 flows; F2 (planned) and F3 (no number) listed.
    let rows = flows(&app, json!(null), &["NATIONALITY"]).await;
    assert_eq!(
        labels(&rows, "nationality"),
        vec![Some("XB".into()), Some("XC".into()), None]
    );
    assert_eq!(total(row(&rows, &[("nationality", Some("XB"))])), exact(45));
    assert_eq!(total(row(&rows, &[("nationality", Some("XC"))])), exact(10));
    let rest = row(&rows, &[("nationality", None)]);
    assert_eq!(total(rest), fig(906, 906, 906, "EXACT", true));
    assert_eq!(count(rest, "flowCount"), 3);
    assert_eq!(
        flow_events(rest, "flows"),
        sorted(&["october-crackdown", "boss-extradited", "april-deportation"])
    );
    assert_eq!(
        flow_events(rest, "uncountedFlows"),
        sorted(&["october-crackdown", "october-crackdown"])
    );

    // The split flow alone, by date: 45 + 10 + the derived 5; whole, its stated 60.
    let april = json!({ "from": "2024-04-02", "to": "2024-04-02" });
    let split = flows(&app, april.clone(), &["NATIONALITY"]).await;
    assert_eq!(split.len(), 3);
    assert_eq!(
        total(row(&split, &[("nationality", None)])),
        fig(5, 5, 5, "EXACT", true)
    );
    let whole = flows(&app, april, &[]).await;
    assert_eq!(total(&whole[0]), exact(60));

    // By status: COMPLETED 961 over 3, F3 uncounted; PLANNED nothing summed, F2 listed.
    let rows = flows(&app, json!(null), &["STATUS"]).await;
    assert_eq!(rows.len(), 2);
    let done = row(&rows, &[("status", Some("COMPLETED"))]);
    assert_eq!(total(done), exact(961));
    assert_eq!(
        (count(done, "flowCount"), count(done, "uncountedFlowCount")),
        (3, 1)
    );
    let planned = row(&rows, &[("status", Some("PLANNED"))]);
    assert_eq!(total(planned), no_number());
    assert_eq!(
        (
            count(planned, "flowCount"),
            count(planned, "uncountedFlowCount")
        ),
        (0, 1)
    );
}

// --- date precisions -------------------------------------------------------------------

async fn month_precision_events_count_in_their_month(backend: Backend) {
    let app = fixture(backend).await;
    // 10-20 September 2024 lies inside the exodus (MONTH: 1-30 September): 6000 [6000-7000]
    // ABOUT, one event, in month "2024-09".
    let filter = json!({ "from": "2024-09-10", "to": "2024-09-20" });
    let all = people(&app, filter.clone(), &[]).await;
    assert_eq!(total(&all[0]), fig(6000, 6000, 7000, "ABOUT", false));
    assert_eq!(event_keys(&all[0]), sorted(&["compound-exodus"]));
    let rows = people(&app, filter, &["MONTH"]).await;
    assert_eq!(labels(&rows, "month"), vec![Some("2024-09".to_string())]);
    // The last day of September still catches it; 1 October catches the three events of that
    // day instead (two with people: 912 + 1).
    let last_day = people(
        &app,
        json!({ "from": "2024-09-30", "to": "2024-09-30" }),
        &[],
    )
    .await;
    assert_eq!(event_keys(&last_day[0]), sorted(&["compound-exodus"]));
    let october = people(
        &app,
        json!({ "from": "2024-10-01", "to": "2024-10-01" }),
        &[],
    )
    .await;
    assert_eq!(
        event_keys(&october[0]),
        sorted(&["october-crackdown", "boss-extradited"])
    );
    // A YEAR-precision event (the casino, 2023) matches any day of its year.
    let mid_2023 = people(
        &app,
        json!({ "from": "2023-06-15", "to": "2023-06-15" }),
        &[],
    )
    .await;
    assert_eq!(total(&mid_2023[0]), exact(118));
    // No event spans 15 August 2024: one grand-total row of nothing.
    let nothing = people(
        &app,
        json!({ "from": "2024-08-15", "to": "2024-08-15" }),
        &[],
    )
    .await;
    assert_eq!(nothing.len(), 1, "{nothing:#?}");
    assert_eq!(total(&nothing[0]), no_number());
    assert_eq!(count(&nothing[0], "eventCount"), 0);
    assert_eq!(women(&nothing[0]), None);
}

// --- women -------------------------------------------------------------------------------

async fn women_are_a_floor_where_some_groups_give_no_count(backend: Backend) {
    let app = fixture(backend).await;
    // XB over everything: 100 [100-120] (women 30) + 200 AT_LEAST + 1 + 45 = 346, high 366,
    // AT_LEAST, 4 events; women 30, a floor: three XB groups give no count of women.
    let rows = people(&app, json!(null), &["NATIONALITY"]).await;
    let xb = row(&rows, &[("nationality", Some("XB"))]);
    assert_eq!(total(xb), fig(346, 346, 366, "AT_LEAST", false));
    assert_eq!(count(xb, "eventCount"), 4);
    assert_eq!(women(xb), Some(fig(30, 30, 30, "AT_LEAST", false)));
    // Nobody else's women are counted.
    for r in &rows {
        if label(r, "nationality").as_deref() != Some("XB") {
            assert_eq!(women(r), None, "{r:#}");
        }
    }
}

// --- rules 4 and 5: lows, highs and qualifiers ----------------------------------------

async fn lows_highs_and_qualifiers_add_up(backend: Backend) {
    let app = fixture(backend).await;
    // EXODUS + EXTRADITION: 6000 [6000-7000] ABOUT + 1 EXACT = 6001 [6001-7001]; an ABOUT
    // part makes the sum ABOUT.
    let filter = json!({ "kinds": ["EXODUS", "EXTRADITION"] });
    let all = people(&app, filter.clone(), &[]).await;
    assert_eq!(total(&all[0]), fig(6001, 6001, 7001, "ABOUT", false));
    assert_eq!(count(&all[0], "eventCount"), 2);
    // Grouped by role, each part keeps its own qualifier.
    let rows = people(&app, filter, &["ROLE"]).await;
    assert_eq!(
        total(row(&rows, &[("role", Some("WORKER"))])),
        fig(6000, 6000, 7000, "ABOUT", false)
    );
    assert_eq!(
        total(row(&rows, &[("role", Some("SENIOR_FIGURE"))])),
        exact(1)
    );

    // RAID: the harbour raid 100 [100-120] + 7, the sweep 500 AT_LEAST (derived remainder),
    // the north raids 7 + 7 = 621, high 641; AT_LEAST (the one inexact kind), derived.
    let all = people(&app, json!({ "kinds": ["RAID"] }), &[]).await;
    assert_eq!(total(&all[0]), fig(621, 621, 641, "AT_LEAST", true));
    assert_eq!(count(&all[0], "eventCount"), 4);
    // RAID + EXODUS: AT_LEAST and ABOUT, one of them approximate -> ABOUT.
    let all = people(&app, json!({ "kinds": ["RAID", "EXODUS"] }), &[]).await;
    assert_eq!(total(&all[0]), fig(6621, 6621, 7641, "ABOUT", true));

    // A group without a number ("some Dorsetians", in XB) alone: no number -> UNKNOWN; added
    // to numbers it makes them a floor. ARREST: harbour 107 [107-127] + casino 118 + the
    // crackdown's 12d + 900 (different roles, both count) + the unnumbered group = 1137, high
    // 1157, AT_LEAST, derived, 4 events.
    let rows = people(&app, json!({ "countries": [country_id("XB")] }), &[]).await;
    assert_eq!(total(&rows[0]), no_number());
    assert_eq!(count(&rows[0], "eventCount"), 1);
    let all = people(&app, json!({ "kinds": ["ARREST"] }), &[]).await;
    assert_eq!(total(&all[0]), fig(1137, 1137, 1157, "AT_LEAST", true));
    assert_eq!(count(&all[0], "eventCount"), 4);
}

// --- rule 6: derived figures are marked --------------------------------------------------

async fn derived_parts_mark_their_totals(backend: Backend) {
    let app = fixture(backend).await;
    // 1 October 2024: the crackdown (12 senior figures, derived as 912 - 900; 900 workers)
    // and the extradition (XB 1). The warning of that day counts nobody.
    let filter = json!({ "from": "2024-10-01", "to": "2024-10-01" });
    let rows = people(&app, filter.clone(), &["ROLE"]).await;
    assert_eq!(
        total(row(&rows, &[("role", Some("SENIOR_FIGURE"))])),
        fig(13, 13, 13, "EXACT", true)
    );
    assert_eq!(total(row(&rows, &[("role", Some("WORKER"))])), exact(900));
    let rows = people(&app, filter.clone(), &["NATIONALITY"]).await;
    assert_eq!(total(row(&rows, &[("nationality", Some("XB"))])), exact(1));
    assert_eq!(
        total(row(&rows, &[("nationality", None)])),
        fig(912, 912, 912, "EXACT", true)
    );
    let all = people(&app, filter, &[]).await;
    assert_eq!(total(&all[0]), fig(913, 913, 913, "EXACT", true));
    assert_eq!(count(&all[0], "eventCount"), 2);
}

// --- rule 3: statistics never enter totals ----------------------------------------------

async fn statistics_never_enter_totals(backend: Backend) {
    let app = fixture(backend).await;
    let data = app
        .data(
            r#"{ statistics(first: 100) { nodes { key figure { value qualifier } } } }"#,
            json!({}),
        )
        .await;
    let stats = list(&data["statistics"]["nodes"]);
    assert_eq!(stats.len(), 2);
    let held = stats
        .iter()
        .find(|s| s["key"] == "held-in-2024")
        .expect("the 2024 statistic");
    assert_eq!(
        held["figure"],
        json!({ "value": 5000, "qualifier": "ABOUT" })
    );
    // 2024 over events: 107 + 60 + 500 + 6000 + 912 + 1 = 7580 [7580-8600], ABOUT, derived;
    // never 5,000, nor 5,000 + 7,580.
    let all = people(
        &app,
        json!({ "from": "2024-01-01", "to": "2024-12-31" }),
        &[],
    )
    .await;
    assert_eq!(total(&all[0]), fig(7580, 7580, 8600, "ABOUT", true));
    assert_eq!(count(&all[0], "eventCount"), 6);
    // Statistics name no flows either: to XB is still 61.
    let to_xb = flows(&app, json!({ "toCountries": [country_id("XB")] }), &[]).await;
    assert_eq!(total(&to_xb[0]), exact(61));
}

// --- the status rule ---------------------------------------------------------------------

async fn stages_of_one_event_count_once_unless_grouped_by_status(backend: Backend) {
    let app = fixture(backend).await;
    // The casino: 118 arrested, 80 of them released.
    let filter = json!({ "kinds": ["RELEASE"] });
    // Without STATUS: the status with the most people, ARRESTED, 118 (never 198).
    let all = people(&app, filter.clone(), &[]).await;
    assert_eq!(total(&all[0]), exact(118));
    assert_eq!(event_keys(&all[0]), sorted(&["casino-arrests"]));
    // With STATUS: every stage.
    let rows = people(&app, filter.clone(), &["STATUS"]).await;
    assert_eq!(rows.len(), 2);
    assert_eq!(
        total(row(&rows, &[("status", Some("ARRESTED"))])),
        exact(118)
    );
    assert_eq!(
        total(row(&rows, &[("status", Some("RELEASED"))])),
        exact(80)
    );
    let rows = people(&app, filter, &["NATIONALITY", "STATUS"]).await;
    assert_eq!(
        total(row(
            &rows,
            &[("nationality", Some("XC")), ("status", Some("RELEASED"))]
        )),
        exact(80)
    );
    // The event's own peopleCount agrees: 118.
    let data = app
        .data(
            r#"{ events(filter: { kinds: [RELEASE] }) { nodes { peopleCount { value } } } }"#,
            json!({}),
        )
        .await;
    assert_eq!(data["events"]["nodes"][0]["peopleCount"]["value"], 118);
}

// --- the grand total -------------------------------------------------------------------

/// The fixture's grand total: 107 + 500 + 118 + 6000 + 912 + 1 + 60 + 7 + 7 (and the
/// unnumbered group) = 7712; high + 20 (harbour's 120) + 1000 (the exodus's 7,000) = 8732.
const GRAND: i64 = 7712;
const GRAND_HIGH: i64 = 8732;

async fn the_grand_total_adds_every_event_once(backend: Backend) {
    let app = fixture(backend).await;
    // Inexact kinds AT_LEAST (the sweep, the unnumbered group) and ABOUT (the exodus) ->
    // ABOUT; derived; the 10 events with people.
    let all = people(&app, json!(null), &[]).await;
    assert_eq!(all.len(), 1);
    assert_eq!(total(&all[0]), fig(GRAND, GRAND, GRAND_HIGH, "ABOUT", true));
    assert_eq!(count(&all[0], "eventCount"), 10);
    assert_eq!(women(&all[0]), Some(fig(30, 30, 30, "AT_LEAST", false)));
    // Every grouping adds back up to the grand total (rows partition the tallies), except
    // EVENT_KIND (an event of two kinds counts twice) and STATUS (every stage).
    for dim in [
        "NATIONALITY",
        "ROLE",
        "COUNTRY",
        "PROVINCE",
        "YEAR",
        "MONTH",
    ] {
        let rows = people(&app, json!(null), &[dim]).await;
        let sum: i64 = rows.iter().filter_map(|r| total(r).value).sum();
        assert_eq!(sum, GRAND, "{dim}");
        let high: i64 = rows.iter().filter_map(|r| total(r).high).sum();
        assert_eq!(high, GRAND_HIGH, "{dim}");
    }
}

// --- every dimension -----------------------------------------------------------------------

async fn every_people_dimension_groups(backend: Backend) {
    let app = fixture(backend).await;

    // NATIONALITY: XB 346 (see women_…); XC 7 + 118 + 10 = 135; XD 150 AT_LEAST + 7 + 7 +
    // the unnumbered = 164 AT_LEAST; null: 150d + 6000 [6000-7000] + 12d + 900 + 5d = 7067,
    // high 8067, ABOUT, derived. The null key last.
    let rows = people(&app, json!(null), &["NATIONALITY"]).await;
    assert_eq!(
        labels(&rows, "nationality"),
        vec![
            Some("XB".into()),
            Some("XC".into()),
            Some("XD".into()),
            None
        ]
    );
    let expected = [
        (Some("XC"), exact(135), 3),
        (Some("XD"), fig(164, 164, 164, "AT_LEAST", false), 4),
        (None, fig(7067, 7067, 8067, "ABOUT", true), 4),
    ];
    for (key, figure, events) in expected {
        let r = row(&rows, &[("nationality", key)]);
        assert_eq!(total(r), figure, "{key:?}");
        assert_eq!(count(r, "eventCount"), events, "{key:?}");
    }

    // ROLE (headline statuses): SUSPECT 107 + 500 + 118 + 60 + 14 + the unnumbered = 799,
    // high 819, AT_LEAST, derived, 7 events; WORKER 6000 ABOUT + 900 = 6900 [6900-7900]
    // ABOUT; SENIOR_FIGURE 12d + 1 = 13, derived.
    let rows = people(&app, json!(null), &["ROLE"]).await;
    assert_eq!(rows.len(), 3, "{rows:#?}");
    let suspects = row(&rows, &[("role", Some("SUSPECT"))]);
    assert_eq!(total(suspects), fig(799, 799, 819, "AT_LEAST", true));
    assert_eq!(count(suspects, "eventCount"), 7);
    let workers = row(&rows, &[("role", Some("WORKER"))]);
    assert_eq!(total(workers), fig(6900, 6900, 7900, "ABOUT", false));
    assert_eq!(
        event_keys(workers),
        sorted(&["compound-exodus", "october-crackdown"])
    );
    let senior = row(&rows, &[("role", Some("SENIOR_FIGURE"))]);
    assert_eq!(total(senior), fig(13, 13, 13, "EXACT", true));

    // STATUS (every stage): ARRESTED 107 + 500 + 118 + 12d + 14 + the unnumbered = 751, high
    // 771, AT_LEAST, 7 events; RELEASED 80; FLED 6000 ABOUT; DEPORTED 900 + 60 = 960, derived
    // (the 5); EXTRADITED 1.
    let rows = people(&app, json!(null), &["STATUS"]).await;
    assert_eq!(rows.len(), 5, "{rows:#?}");
    let arrested = row(&rows, &[("status", Some("ARRESTED"))]);
    assert_eq!(total(arrested), fig(751, 751, 771, "AT_LEAST", true));
    assert_eq!(count(arrested, "eventCount"), 7);
    assert_eq!(
        total(row(&rows, &[("status", Some("RELEASED"))])),
        exact(80)
    );
    assert_eq!(
        total(row(&rows, &[("status", Some("FLED"))])),
        fig(6000, 6000, 7000, "ABOUT", false)
    );
    assert_eq!(
        total(row(&rows, &[("status", Some("DEPORTED"))])),
        fig(960, 960, 960, "EXACT", true)
    );
    assert_eq!(
        total(row(&rows, &[("status", Some("EXTRADITED"))])),
        exact(1)
    );

    // EVENT_KIND: the harbour raid is RAID and ARREST: 107 [107-127] in each.
    let rows = people(
        &app,
        json!({ "from": "2024-03-05", "to": "2024-03-05" }),
        &["EVENT_KIND"],
    )
    .await;
    let mut kinds: Vec<String> = labels(&rows, "eventKind").into_iter().flatten().collect();
    kinds.sort();
    assert_eq!(kinds, sorted(&["ARREST", "RAID"]));
    for r in &rows {
        assert_eq!(total(r), fig(107, 107, 127, "EXACT", false));
    }
    // Over everything: ARREST 1137 (see lows_highs_…), RELEASE 118 (the casino under both),
    // DEPORTATION 912 + 60 = 972, derived.
    let rows = people(&app, json!(null), &["EVENT_KIND"]).await;
    let arrest = row(&rows, &[("eventKind", Some("ARREST"))]);
    assert_eq!(total(arrest), fig(1137, 1137, 1157, "AT_LEAST", true));
    assert!(event_keys(arrest).contains(&"casino-arrests".to_string()));
    assert_eq!(
        total(row(&rows, &[("eventKind", Some("RELEASE"))])),
        exact(118)
    );
    assert_eq!(
        total(row(&rows, &[("eventKind", Some("DEPORTATION"))])),
        fig(972, 972, 972, "EXACT", true)
    );

    // COUNTRY: XA everything numbered (7712, 9 events); XB the unnumbered group alone.
    let rows = people(&app, json!(null), &["COUNTRY"]).await;
    assert_eq!(
        labels(&rows, "country"),
        vec![Some("XA".into()), Some("XB".into())]
    );
    let xa = row(&rows, &[("country", Some("XA"))]);
    assert_eq!(total(xa), fig(GRAND, GRAND, GRAND_HIGH, "ABOUT", true));
    assert_eq!(count(xa, "eventCount"), 9);
    assert_eq!(total(row(&rows, &[("country", Some("XB"))])), no_number());

    // PROVINCE (of the event's most specific place): north = harbour 107 [107-127] + 7 + 7 =
    // 121, high 141, 3 events; south = sweep 500 (compound-7 and south: south) + casino 118 +
    // exodus 6000 (compound-7 lies in south) = 6618, high 7618, ABOUT; none (placed at
    // country level, or in XB) = 912 + 1 + 60 + the unnumbered = 973 AT_LEAST, 4 events.
    let rows = people(&app, json!(null), &["PROVINCE"]).await;
    assert_eq!(rows.len(), 3, "{rows:#?}");
    let north = row(&rows, &[("province", Some("north"))]);
    assert_eq!(north["province"]["name"], "North Province");
    assert_eq!(north["province"]["level"], "PROVINCE");
    assert_eq!(total(north), fig(121, 121, 141, "EXACT", false));
    assert_eq!(
        event_keys(north),
        sorted(&["harbour-raid", "north-raid-one", "north-raid-two"])
    );
    let south = row(&rows, &[("province", Some("south"))]);
    assert_eq!(total(south), fig(6618, 6618, 7618, "ABOUT", true));
    assert_eq!(count(south, "eventCount"), 3);
    let none = row(&rows, &[("province", None)]);
    assert_eq!(total(none), fig(973, 973, 973, "AT_LEAST", true));
    assert_eq!(count(none, "eventCount"), 4);

    // YEAR (of the span's start): 2021 14; 2023 118; 2024 7580 (see statistics_…); null: the
    // undated group.
    let rows = people(&app, json!(null), &["YEAR"]).await;
    assert_eq!(
        labels(&rows, "year"),
        vec![
            Some("2021".into()),
            Some("2023".into()),
            Some("2024".into()),
            None
        ]
    );
    assert_eq!(total(row(&rows, &[("year", Some("2021"))])), exact(14));
    assert_eq!(total(row(&rows, &[("year", Some("2023"))])), exact(118));
    let y2024 = row(&rows, &[("year", Some("2024"))]);
    assert_eq!(total(y2024), fig(7580, 7580, 8600, "ABOUT", true));
    assert_eq!(count(y2024, "eventCount"), 6);
    let undated = row(&rows, &[("year", None)]);
    assert_eq!(total(undated), no_number());
    assert_eq!(event_keys(undated), sorted(&["undated-arrests"]));

    // MONTH ("YYYY-MM" of the month the span lies in): the casino's YEAR-precision date lies
    // in no one month, so it counts with the undated (118 + a part without a number).
    let rows = people(&app, json!(null), &["MONTH"]).await;
    assert_sorted(&rows, "month");
    let expected: Vec<(Option<&str>, Fig, i64)> = vec![
        (Some("2021-02"), exact(14), 2),
        (Some("2024-03"), fig(107, 107, 127, "EXACT", false), 1),
        (Some("2024-04"), fig(60, 60, 60, "EXACT", true), 1),
        (Some("2024-06"), fig(500, 500, 500, "AT_LEAST", true), 1),
        (Some("2024-09"), fig(6000, 6000, 7000, "ABOUT", false), 1),
        (Some("2024-10"), fig(913, 913, 913, "EXACT", true), 2),
        (None, fig(118, 118, 118, "AT_LEAST", false), 2),
    ];
    assert_eq!(rows.len(), expected.len(), "{rows:#?}");
    for (month, figure, events) in expected {
        let r = row(&rows, &[("month", month)]);
        assert_eq!(total(r), figure, "{month:?}");
        assert_eq!(count(r, "eventCount"), events, "{month:?}");
    }

    // Several dimensions at once: 2024 by YEAR and NATIONALITY.
    //   XB 100 [100-120] + 200 AL + 1 + 45 = 346; XC 7 + 10 = 17; XD 150 AL; null 150d +
    //   6000 ABOUT + 912d + 5d = 7067.
    let rows = people(
        &app,
        json!({ "from": "2024-01-01", "to": "2024-12-31" }),
        &["YEAR", "NATIONALITY"],
    )
    .await;
    assert_eq!(rows.len(), 4, "{rows:#?}");
    let cell = |n: Option<&str>| total(row(&rows, &[("year", Some("2024")), ("nationality", n)]));
    assert_eq!(cell(Some("XB")), fig(346, 346, 366, "AT_LEAST", false));
    assert_eq!(cell(Some("XC")), exact(17));
    assert_eq!(cell(Some("XD")), fig(150, 150, 150, "AT_LEAST", false));
    assert_eq!(cell(None), fig(7067, 7067, 8067, "ABOUT", true));

    // A filter that selects nothing: no rows by any dimension; with no dimension, one grand
    // total of nothing.
    assert_eq!(
        people(&app, json!({ "search": "zzyzx" }), &["NATIONALITY"]).await,
        Vec::<Value>::new()
    );
    let nothing = people(&app, json!({ "search": "zzyzx" }), &[]).await;
    assert_eq!(nothing.len(), 1, "{nothing:#?}");
    assert_eq!(total(&nothing[0]), no_number());
    assert_eq!(count(&nothing[0], "eventCount"), 0);
}

async fn every_flow_dimension_groups(backend: Backend) {
    let app = fixture(backend).await;
    // KIND: DEPORTATION F1 900 + F5 60 = 960 over 2, F2 and F3 uncounted; EXTRADITION F4 1.
    let rows = flows(&app, json!(null), &["KIND"]).await;
    assert_eq!(rows.len(), 2);
    let dep = row(&rows, &[("kind", Some("DEPORTATION"))]);
    assert_eq!(total(dep), exact(960));
    assert_eq!(
        (count(dep, "flowCount"), count(dep, "uncountedFlowCount")),
        (2, 2)
    );
    let ext = row(&rows, &[("kind", Some("EXTRADITION"))]);
    assert_eq!(total(ext), exact(1));
    assert_eq!(flow_events(ext, "flows"), sorted(&["boss-extradited"]));
    // YEAR: every flow in 2024 (F2 in November): 961 over 3, 2 uncounted.
    let rows = flows(&app, json!(null), &["YEAR"]).await;
    assert_eq!(labels(&rows, "year"), vec![Some("2024".to_string())]);
    assert_eq!(total(&rows[0]), exact(961));
    assert_eq!(
        (
            count(&rows[0], "flowCount"),
            count(&rows[0], "uncountedFlowCount")
        ),
        (3, 2)
    );
    // MONTH: 2024-04 F5 60; 2024-10 F1 900 + F4 1 = 901, F3 uncounted; 2024-11 only the
    // planned F2: nothing summed, listed.
    let rows = flows(&app, json!(null), &["MONTH"]).await;
    assert_eq!(
        labels(&rows, "month"),
        vec![
            Some("2024-04".into()),
            Some("2024-10".into()),
            Some("2024-11".into())
        ]
    );
    assert_eq!(total(row(&rows, &[("month", Some("2024-04"))])), exact(60));
    let october = row(&rows, &[("month", Some("2024-10"))]);
    assert_eq!(total(october), exact(901));
    assert_eq!(
        (
            count(october, "flowCount"),
            count(october, "uncountedFlowCount")
        ),
        (2, 1)
    );
    let november = row(&rows, &[("month", Some("2024-11"))]);
    assert_eq!(total(november), no_number());
    assert_eq!(
        (
            count(november, "flowCount"),
            count(november, "uncountedFlowCount")
        ),
        (0, 1)
    );
    // Nothing to XD: no rows by TO; one empty grand total.
    assert_eq!(
        flows(
            &app,
            json!({ "toCountries": [country_id("XD")] }),
            &["TO_COUNTRY"]
        )
        .await,
        Vec::<Value>::new()
    );
    let nothing = flows(&app, json!({ "toCountries": [country_id("XD")] }), &[]).await;
    assert_eq!(nothing.len(), 1, "{nothing:#?}");
    assert_eq!(
        (
            count(&nothing[0], "flowCount"),
            count(&nothing[0], "uncountedFlowCount")
        ),
        (0, 0)
    );
    // FROM: everything from XA.
    let rows = flows(&app, json!(null), &["FROM_COUNTRY"]).await;
    assert_eq!(labels(&rows, "fromCountry"), vec![Some("XA".to_string())]);
    assert_eq!(total(&rows[0]), exact(961));
    // All dimensions at once: the Carpanians of the April split are one cell.
    let rows = flows(
        &app,
        json!(null),
        &[
            "FROM_COUNTRY",
            "TO_COUNTRY",
            "NATIONALITY",
            "KIND",
            "STATUS",
            "YEAR",
            "MONTH",
        ],
    )
    .await;
    assert_eq!(
        total(row(
            &rows,
            &[
                ("fromCountry", Some("XA")),
                ("toCountry", Some("XB")),
                ("nationality", Some("XC")),
                ("kind", Some("DEPORTATION")),
                ("status", Some("COMPLETED")),
                ("year", Some("2024")),
                ("month", Some("2024-04")),
            ]
        )),
        exact(10)
    );
}

async fn grouping_by_a_dimension_twice_is_bad_input(backend: Backend) {
    let app = fixture(backend).await;
    for (query, what) in [
        (
            "{ participantTotals(groupBy: [NATIONALITY, NATIONALITY]) { eventCount } }",
            "people, the same twice",
        ),
        (
            "{ participantTotals(groupBy: [YEAR, ROLE, YEAR]) { eventCount } }",
            "people, the same twice apart",
        ),
        (
            "{ flowTotals(groupBy: [TO_COUNTRY, TO_COUNTRY]) { flowCount } }",
            "flows, the same twice",
        ),
    ] {
        let (code, message) = error(&app, query, json!({})).await;
        assert_eq!(code, "BAD_USER_INPUT", "{what}: {message}");
    }
    // Every dimension once, in any order, is fine.
    let rows = people(
        &app,
        json!(null),
        &[
            "MONTH",
            "YEAR",
            "PROVINCE",
            "COUNTRY",
            "EVENT_KIND",
            "STATUS",
            "ROLE",
            "NATIONALITY",
        ],
    )
    .await;
    assert!(!rows.is_empty());
}

// --- timeline --------------------------------------------------------------------------

const TIMELINE: &str = r#"
query Timeline($filter: EventFilter, $interval: TimelineInterval!) {
  timeline(filter: $filter, interval: $interval) {
    period
    span { start end precision derived }
    eventCount
    people { FIGURE }
    women { FIGURE }
  }
}"#;

async fn timeline(app: &TestApp, filter: Value, interval: &str) -> Vec<Value> {
    let data = app
        .data(
            &TIMELINE.replace("FIGURE", FIGURE),
            json!({ "filter": filter, "interval": interval }),
        )
        .await;
    list(&data["timeline"]).to_vec()
}

/// Events per period of their start (`len` 4 for years, 7 for months), counted from the
/// events list; undated under None.
async fn events_by_period(
    app: &TestApp,
    filter: Value,
    len: usize,
) -> BTreeMap<Option<String>, i64> {
    let data = app
        .data(
            "query E($filter: EventFilter) { events(filter: $filter, first: 100) { totalCount nodes { date { start end } } } }",
            json!({ "filter": filter }),
        )
        .await;
    let nodes = list(&data["events"]["nodes"]);
    assert_eq!(
        data["events"]["totalCount"].as_i64(),
        Some(nodes.len() as i64)
    );
    let mut out = BTreeMap::new();
    for n in nodes {
        // The period the span lies in; none when it runs over more than one.
        let (start, end) = (n["date"]["start"].as_str(), n["date"]["end"].as_str());
        let period = match (start, end) {
            (Some(s), Some(e)) if s[..len] == e[..len] => Some(s[..len].to_string()),
            _ => None,
        };
        *out.entry(period).or_insert(0) += 1;
    }
    out
}

/// Checks a timeline: periods consecutive, undated last; event counts as the events list
/// gives them; people per period as participantTotals grouped by the period.
async fn check_timeline(app: &TestApp, filter: Value, monthly: bool) -> Vec<Value> {
    let points = timeline(app, filter.clone(), if monthly { "MONTH" } else { "YEAR" }).await;
    let periods: Vec<Option<String>> = labels(&points, "period");
    let dated: Vec<&String> = periods.iter().flatten().collect();
    // Undated (if any) last.
    if let Some(i) = periods.iter().position(Option::is_none) {
        assert_eq!(i, periods.len() - 1, "undated last: {periods:?}");
    }
    // Consecutive.
    let next = |p: &str| -> String {
        if monthly {
            let (y, m) = (
                p[..4].parse::<i32>().expect("a year"),
                p[5..].parse::<u32>().expect("a month"),
            );
            if m == 12 {
                format!("{:04}-01", y + 1)
            } else {
                format!("{y:04}-{:02}", m + 1)
            }
        } else {
            (p.parse::<i32>().expect("a year") + 1).to_string()
        }
    };
    for w in dated.windows(2) {
        assert_eq!(next(w[0]), *w[1], "no gap between {} and {}", w[0], w[1]);
    }
    // Event counts: as the events list says, bucketed by the period each date span lies in.
    let counts = events_by_period(app, filter.clone(), if monthly { 7 } else { 4 }).await;
    for p in &points {
        let period = label(p, "period");
        assert_eq!(
            count(p, "eventCount"),
            counts.get(&period).copied().unwrap_or(0),
            "{period:?}"
        );
    }
    let listed: i64 = counts.values().sum();
    let charted: i64 = points.iter().map(|p| count(p, "eventCount")).sum();
    assert_eq!(charted, listed, "every event in one period");
    // People and women: participantTotals grouped by the same period.
    let dim = if monthly { "MONTH" } else { "YEAR" };
    let field = if monthly { "month" } else { "year" };
    let rows = people(app, filter, &[dim]).await;
    for p in &points {
        let period = label(p, "period");
        let found = rows.iter().find(|r| label(r, field) == period);
        match found {
            Some(r) => {
                assert_eq!(read_fig(&p["people"]), total(r), "{period:?}");
                assert_eq!(
                    (!p["women"].is_null()).then(|| read_fig(&p["women"])),
                    women(r),
                    "{period:?}"
                );
            }
            // No one counted: exactly 0 in a period without events, unknown (null) in one
            // whose events count no one.
            None if p["eventCount"] == 0 => {
                assert_eq!(p["people"]["value"], 0, "{period:?}: {p:#}");
                assert_eq!(p["people"]["qualifier"], "EXACT", "{period:?}: {p:#}");
                assert!(p["women"].is_null(), "{period:?}: {p:#}");
            }
            None => {
                assert!(p["people"].is_null(), "{period:?}: {p:#}");
                assert!(p["women"].is_null(), "{period:?}: {p:#}");
            }
        }
    }
    points
}

async fn timeline_by_year(backend: Backend) {
    let app = fixture(backend).await;
    let points = check_timeline(&app, json!(null), false).await;
    // Years 2021 to 2024 without gaps, then the undated:
    //   2021: the two north raids, 14.   2022: the meeting, the statement and the planned
    //   inspection, nobody counted.
    //   2023: the casino, 118.           2024: 7 events (the warning among them), 7580
    //   [7580-8600] ABOUT, derived; women 30, a floor.   undated: the unnumbered group.
    let periods: Vec<Option<String>> = labels(&points, "period");
    assert_eq!(
        periods,
        vec![
            Some("2021".into()),
            Some("2022".into()),
            Some("2023".into()),
            Some("2024".into()),
            None
        ]
    );
    let event_counts: Vec<i64> = points.iter().map(|p| count(p, "eventCount")).collect();
    assert_eq!(event_counts, vec![2, 3, 1, 7, 1]);
    assert_eq!(read_fig(&points[0]["people"]), exact(14));
    assert!(points[1]["people"].is_null(), "events, but nobody counted");
    assert_eq!(read_fig(&points[2]["people"]), exact(118));
    assert_eq!(
        read_fig(&points[3]["people"]),
        fig(7580, 7580, 8600, "ABOUT", true)
    );
    assert_eq!(
        read_fig(&points[3]["women"]),
        fig(30, 30, 30, "AT_LEAST", false)
    );
    assert_eq!(read_fig(&points[4]["people"]), no_number());
    // Spans: a year from 1 January to 31 December; the undated has none.
    assert_eq!(
        points[1]["span"],
        json!({ "start": "2022-01-01", "end": "2022-12-31", "precision": "YEAR", "derived": false })
    );
    assert_eq!(
        points[4]["span"],
        json!({ "start": null, "end": null, "precision": "UNKNOWN", "derived": false })
    );

    // Filtered, checked the same way: Avalonia only; nothing at all; Borduria (the 2022
    // meeting, then the undated arrests, last).
    let xa = check_timeline(&app, json!({ "countries": [country_id("XA")] }), false).await;
    assert_eq!(xa.len(), 4, "no undated point in XA: {xa:#?}");
    assert_eq!(
        timeline(&app, json!({ "search": "zzyzx" }), "YEAR").await,
        Vec::<Value>::new()
    );
    let xb = check_timeline(&app, json!({ "countries": [country_id("XB")] }), false).await;
    assert_eq!(
        labels(&xb, "period"),
        vec![Some("2022".to_string()), None],
        "{xb:#?}"
    );
    assert_eq!(count(&xb[0], "eventCount"), 1);
    assert!(xb[0]["people"].is_null());
    assert_eq!(read_fig(&xb[1]["people"]), no_number());
}

async fn timeline_by_month(backend: Backend) {
    let app = fixture(backend).await;
    let points = check_timeline(&app, json!(null), true).await;
    // February 2021 to October 2024: 3 years x 12 + 9 = 45 months, then the undated.
    assert_eq!(points.len(), 46);
    assert_eq!(label(&points[0], "period").as_deref(), Some("2021-02"));
    assert_eq!(label(&points[44], "period").as_deref(), Some("2024-10"));
    assert_eq!(label(&points[45], "period"), None);
    let expected: BTreeMap<Option<&str>, i64> = [
        (Some("2021-02"), 2),
        (Some("2022-05"), 2),
        (Some("2022-08"), 1),
        (Some("2024-03"), 1),
        (Some("2024-04"), 1),
        (Some("2024-06"), 1),
        (Some("2024-09"), 1),
        (Some("2024-10"), 3),
        (None, 2),
    ]
    .into_iter()
    .collect();
    for p in &points {
        let period = label(p, "period");
        assert_eq!(
            count(p, "eventCount"),
            expected.get(&period.as_deref()).copied().unwrap_or(0),
            "{period:?}"
        );
    }
    let point = |p: &str| {
        points
            .iter()
            .find(|x| label(x, "period").as_deref() == Some(p))
            .unwrap_or_else(|| panic!("no point {p}"))
    };
    assert_eq!(
        read_fig(&point("2024-10")["people"]),
        fig(913, 913, 913, "EXACT", true)
    );
    assert_eq!(
        read_fig(&point("2024-03")["people"]),
        fig(107, 107, 127, "EXACT", false)
    );
    assert_eq!(
        read_fig(&point("2024-03")["women"]),
        fig(30, 30, 30, "AT_LEAST", false)
    );
    // A month with events but nobody counted has unknown people (null); one without events
    // has exactly none.
    assert!(point("2022-05")["people"].is_null());
    assert_eq!(point("2022-01")["eventCount"], 0);
    assert_eq!(
        read_fig(&point("2022-01")["people"]),
        fig(0, 0, 0, "EXACT", false)
    );
    // A month's span: February 2024 had 29 days.
    assert_eq!(
        point("2024-02")["span"],
        json!({ "start": "2024-02-01", "end": "2024-02-29", "precision": "MONTH", "derived": false })
    );
    // Filtered to 2024: March to October only, no undated point (UNKNOWN matches no date).
    let y2024 = check_timeline(
        &app,
        json!({ "from": "2024-01-01", "to": "2024-12-31" }),
        true,
    )
    .await;
    assert_eq!(label(&y2024[0], "period").as_deref(), Some("2024-03"));
    assert_eq!(y2024.len(), 8);
}

// --- statements: constant whatever the number of groups --------------------------------

const GROUPED: &str = r#"
query Grouped($groupBy: [ParticipantDimension!]!) {
  participantTotals(groupBy: $groupBy) {
    nationality { code }
    total { value }
    eventCount
    events(first: 2) { totalCount nodes { title } }
  }
}"#;

const GROUPED_FLOWS: &str = r#"
query GroupedFlows($groupBy: [FlowDimension!]!) {
  flowTotals(groupBy: $groupBy) {
    toCountry { code }
    total { value }
    flowCount
    uncountedFlowCount
    uncountedFlows { kind }
    flows(first: 2) { totalCount nodes { kind } }
  }
}"#;

/// (rows, statements) of `query` for each groupBy, over a generated dataset.
async fn grouped_statements(
    backend: Backend,
    query: &str,
    root: &str,
    group_bys: &[&[&str]],
) -> Vec<(usize, usize)> {
    let mut store = fresh_db(backend).await;
    scam_atlas::db::migrate(&store.db)
        .await
        .expect("migrations");
    scam_atlas::ingest::load_generated(&store.db, 400, 7, &scam_atlas::ingest::write::quietly)
        .await
        .expect("generated data loads");
    let counter = Arc::new(AtomicUsize::new(0));
    let seen = counter.clone();
    store.db.set_metric_callback(move |_| {
        seen.fetch_add(1, Ordering::SeqCst);
    });
    let app = router(AppState::new(store.db.clone()));
    let mut runs = Vec::new();
    for group_by in group_bys {
        let request = Request::post("/graphql")
            .header(header::CONTENT_TYPE, "application/json")
            .body(Body::from(
                json!({ "query": query, "variables": { "groupBy": group_by } }).to_string(),
            ))
            .expect("a request");
        counter.store(0, Ordering::SeqCst);
        let response = app.clone().oneshot(request).await.expect("an answer");
        let bytes = response
            .into_body()
            .collect()
            .await
            .expect("a body")
            .to_bytes();
        let statements = counter.load(Ordering::SeqCst);
        let body: Value = serde_json::from_slice(&bytes).expect("JSON");
        assert!(body.get("errors").is_none(), "{body:#}");
        let rows = list(&body["data"][root]).to_vec();
        for r in &rows {
            // Every row traces to its members, on generated data too.
            let (members, listed) = if root == "participantTotals" {
                (count(r, "eventCount"), &r["events"])
            } else {
                (count(r, "flowCount"), &r["flows"])
            };
            assert_eq!(listed["totalCount"].as_i64(), Some(members), "{r:#}");
            assert_eq!(list(&listed["nodes"]).len() as i64, members.min(2), "{r:#}");
        }
        runs.push((rows.len(), statements));
    }
    drop(store);
    runs
}

async fn statements_do_not_depend_on_groups(backend: Backend) {
    let people = grouped_statements(
        backend,
        GROUPED,
        "participantTotals",
        &[&["NATIONALITY"], &["NATIONALITY", "YEAR", "MONTH"]],
    )
    .await;
    assert!(
        people[1].0 > 5 * people[0].0,
        "{backend:?}: many more groups by nationality, year and month: {people:?}"
    );
    assert_eq!(
        people[0].1, people[1].1,
        "{backend:?}: statements per grouping (rows, statements): {people:?}"
    );
    assert!(people[0].1 < 10, "{backend:?}: {people:?}");

    let flows = grouped_statements(
        backend,
        GROUPED_FLOWS,
        "flowTotals",
        &[
            &["TO_COUNTRY"],
            &["TO_COUNTRY", "NATIONALITY", "YEAR", "MONTH"],
        ],
    )
    .await;
    assert!(
        flows[1].0 > 3 * flows[0].0,
        "{backend:?}: many more flow groups: {flows:?}"
    );
    assert_eq!(
        flows[0].1, flows[1].1,
        "{backend:?}: statements per flow grouping (rows, statements): {flows:?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn statement_count_does_not_depend_on_groups_sqlite() {
    statements_do_not_depend_on_groups(Backend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[cfg_attr(
    not(postgres_tests),
    ignore = "PostgreSQL: set TEST_DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres to run"
)]
async fn statement_count_does_not_depend_on_groups_postgres() {
    statements_do_not_depend_on_groups(Backend::Postgres).await;
}
