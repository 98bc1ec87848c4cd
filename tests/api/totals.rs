//! Totals over HTTP on the curated data: `participantTotals`, `flowTotals` and `timeline`,
//! checked against figures worked out by hand from `data/events.toml` (each derivation is
//! written next to its assertion), one test per reconciliation rule of the schema; and the
//! number of SQL statements a totals query runs, which must not depend on how many groups
//! it returns.
//!
//! Resolution of one figure (`figure::resolve`): `value` is the lowest claim stated as exact
//! or as a lower bound, `low`/`high` span all claims. Sums (`figure::settle`): values, lows
//! and highs add up; all-exact parts give EXACT, inexact parts sharing one qualifier keep it,
//! otherwise any approximation gives ABOUT and bounds give AT_LEAST; a part without a number
//! counts as AT_LEAST; no number at all is UNKNOWN.
//!
//! The events with people, as `data/events.toml` records them (value [low-high] qualifier;
//! "d" = derived; only the status with the most people counts unless grouped by STATUS):
//!
//! | event (start)                      | place            | groups                                         |
//! |------------------------------------|------------------|------------------------------------------------|
//! | 2016 Banteay Meanchey casino (01-01)| banteay-meanchey| total 118; CN 118 ARRESTED, CN 80 RELEASED    |
//! | June 2016 TW deported (06-01)      | KH               | TW 25 DEPORTED                                 |
//! | Veal Sbov arrests (2016-07-20)     | veal-sbov (PP)   | TW 13, CN 50d ARRESTED                         |
//! | Veal Sbov deported (2016-09-20)    | KH               | TW 13, CN 50d DEPORTED                         |
//! | July 2017 Phnom Penh (07-01, MONTH)| phnom-penh       | CN 31 ARRESTED                                 |
//! | July 2017 105 deported (MONTH)     | KH               | (none) 105 DEPORTED                            |
//! | July 2017 Indonesia (MONTH)        | ID               | CN 150 MORE_THAN DETAINED                      |
//! | 2 Aug 2017 Poipet/Siem Reap        | KH (two provinces)| CN 200 (ST) / 151 (Reuters) -> 151 [151-200], women 32; TW 3 |
//! | 16 Aug 2017 Phnom Penh             | phnom-penh       | CN 225, women 25                               |
//! | China's arrests (UNKNOWN date)     | CN               | (none) "some" -> no number                     |
//! | Poipet raids 230 (2025-01-01)      | poipet           | (none) 230 DETAINED, FOREIGN_NATIONAL          |
//! | March 2025 119 Thais (MONTH)       | KH               | TH 119 DEPORTED, FOREIGN_NATIONAL              |
//! | July 2025 raids (07-14..16)        | KH (three places)| total 1000 MORE_THAN; ID 271, VN 213, TW 75 AT_LEAST |
//! | Crackdown campaign (2025-10-01)    | KH               | 173 SENIOR_FIGURE ARRESTED, 11000 WORKER DEPORTED |
//! | Chen Zhi extradition (2025-10-01)  | KH               | 1 SENIOR_FIGURE EXTRADITED                     |
//! | My Casino exodus (2025-10-01)      | my-casino (Kampot)| 6000 [6000-7000] ABOUT WORKER FLED            |

use crate::helpers::{Backend, TestApp, fresh_db};
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
    from { code }
    to { code }
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

async fn two_articles_on_one_event_give_one_figure(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    // Only the 2 Aug 2017 raids span 2 Aug 2017 (July's MONTH events end on 31 July, the
    // planned flight starts on 14 August).
    // 2 Aug 2017: CN claims 200 (ST) and 151 (Reuters), both exact -> 151 (the lowest
    // floor), low 151, high 200, EXACT; never 200 + 151 = 351. TW: 3 (Reuters only).
    let rows = people(
        &app,
        json!({ "from": "2017-08-02", "to": "2017-08-02" }),
        &["NATIONALITY"],
    )
    .await;
    assert_eq!(
        labels(&rows, "nationality"),
        vec![Some("CN".to_string()), Some("TW".to_string())]
    );
    let cn = row(&rows, &[("nationality", Some("CN"))]);
    assert_eq!(total(cn), fig(151, 151, 200, "EXACT", false));
    assert_eq!(count(cn, "eventCount"), 1);
    assert_eq!(
        event_keys(cn),
        sorted(&["2017-08-02-poipet-siem-reap-raids"])
    );
    // Women: ST's 32 is the only count, and the CN group is the row's only part -> 32 EXACT.
    assert_eq!(women(cn), Some(exact(32)));
    let tw = row(&rows, &[("nationality", Some("TW"))]);
    assert_eq!(total(tw), exact(3));
    assert_eq!(women(tw), None, "no source counts Taiwanese women");

    // Grand total: 151 + 3 = 154, low 151 + 3 = 154, high 200 + 3 = 203.
    let all = people(
        &app,
        json!({ "from": "2017-08-02", "to": "2017-08-02" }),
        &[],
    )
    .await;
    assert_eq!(all.len(), 1);
    assert_eq!(total(&all[0]), fig(154, 154, 203, "EXACT", false));
    assert_eq!(count(&all[0], "eventCount"), 1);
}

// --- rule 2: a total and its breakdown are never added ----------------------------------

async fn a_total_and_its_breakdown_leave_a_derived_remainder(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    // 14-16 July 2025 catches the raids and Hun Manet's directive (15 July, no people).
    // Raids: total "just over 1,000" (1000 MORE_THAN); breakdown at least 271 ID, 213 VN,
    // 75 TW (AT_LEAST). Remainder: 1000 - (271 + 213 + 75) = 1000 - 559 = 441, derived,
    // AT_LEAST (not everything is exact); low 1000 - 559 (parts' highs) = 441, high
    // 1000 - 559 (parts' lows) = 441.
    let filter = json!({ "from": "2025-07-14", "to": "2025-07-16" });
    let rows = people(&app, filter.clone(), &["NATIONALITY"]).await;
    assert_eq!(rows.len(), 4, "ID, TW, VN and the remainder: {rows:#?}");
    assert_sorted(&rows, "nationality");
    assert_eq!(
        total(row(&rows, &[("nationality", Some("ID"))])),
        fig(271, 271, 271, "AT_LEAST", false)
    );
    assert_eq!(
        total(row(&rows, &[("nationality", Some("VN"))])),
        fig(213, 213, 213, "AT_LEAST", false)
    );
    assert_eq!(
        total(row(&rows, &[("nationality", Some("TW"))])),
        fig(75, 75, 75, "AT_LEAST", false)
    );
    let rest = row(&rows, &[("nationality", None)]);
    assert_eq!(total(rest), fig(441, 441, 441, "AT_LEAST", true));
    for r in &rows {
        assert_eq!(count(r, "eventCount"), 1);
        assert_eq!(
            event_keys(r),
            sorted(&["2025-07-cambodia-nationwide-raids"])
        );
        assert_eq!(women(r), None);
    }

    // The grand total is the event's total, not 1000 + 559: 271 + 213 + 75 + 441 = 1000,
    // every part AT_LEAST -> AT_LEAST (the one inexact kind); derived, as the remainder is.
    let all = people(&app, filter.clone(), &[]).await;
    assert_eq!(all.len(), 1);
    assert_eq!(total(&all[0]), fig(1000, 1000, 1000, "AT_LEAST", true));
    assert_eq!(
        count(&all[0], "eventCount"),
        1,
        "the directive counts nobody"
    );

    // The remainder keeps the role its parts share (all SUSPECT) and the status (ARRESTED).
    let rows = people(&app, filter.clone(), &["NATIONALITY", "ROLE", "STATUS"]).await;
    assert_eq!(rows.len(), 4);
    let rest = row(
        &rows,
        &[
            ("nationality", None),
            ("role", Some("SUSPECT")),
            ("status", Some("ARRESTED")),
        ],
    );
    assert_eq!(total(rest), fig(441, 441, 441, "AT_LEAST", true));

    // Banteay Meanchey casino: total 118 and breakdown 118 arrested leave nothing: no
    // remainder row, CN 118.
    let rows = people(&app, json!({ "kinds": ["RELEASE"] }), &["NATIONALITY"]).await;
    assert_eq!(labels(&rows, "nationality"), vec![Some("CN".to_string())]);
    assert_eq!(total(&rows[0]), exact(118));
}

// --- flows ---------------------------------------------------------------------------------

async fn flows_by_destination_and_nationality(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    // The seven flows of data/events.toml:
    //   F1 2017-08 KH->CN DEPORTATION PLANNED, no number           (planned flight)
    //   F2 2017-07 KH->CN DEPORTATION 105                          (105 deported)
    //   F3 2016-09 KH->CN DEPORTATION 63 = TW 13 + CN 50 (derived) (Veal Sbov group)
    //   F4 2016-06 KH->CN DEPORTATION no number; split TW 25       (June 2016)
    //   F5 2025-03 KH->TH DEPORTATION 119 = TH 119                 (119 Thais)
    //   F6 2025-10 KH->(unspecified) DEPORTATION 11000             (campaign, "home countries")
    //   F7 2025-10 KH->CN EXTRADITION 1                            (Chen Zhi)
    let rows = flows(&app, json!(null), &["TO"]).await;
    assert_eq!(
        rows.len(),
        3,
        "CN, TH and the unspecified destination: {rows:#?}"
    );
    assert_sorted(&rows, "to");
    // To CN: F2 105 + F3 63 + F7 1 = 169 EXACT; F1 (planned) and F4 (no number) listed,
    // never summed.
    let cn = row(&rows, &[("to", Some("CN"))]);
    assert_eq!(total(cn), exact(169));
    assert_eq!(count(cn, "flowCount"), 3);
    assert_eq!(
        flow_events(cn, "flows"),
        sorted(&[
            "2017-07-cambodia-deports-105-to-china",
            "2016-09-20-veal-sbov-group-deported",
            "chen-zhi-extradition-to-china",
        ])
    );
    assert_eq!(count(cn, "uncountedFlowCount"), 2);
    assert_eq!(
        flow_events(cn, "uncountedFlows"),
        sorted(&[
            "2017-08-planned-deportation-flight-to-china",
            "2016-06-cambodia-deports-taiwanese-to-china",
        ])
    );
    // To TH: F5 119.
    let th = row(&rows, &[("to", Some("TH"))]);
    assert_eq!(total(th), exact(119));
    assert_eq!(
        (count(th, "flowCount"), count(th, "uncountedFlowCount")),
        (1, 0)
    );
    // To an unspecified destination: its own row, never dropped: F6 11000.
    let home = row(&rows, &[("to", None)]);
    assert_eq!(total(home), exact(11000));
    assert_eq!(count(home, "flowCount"), 1);
    assert_eq!(
        flow_events(home, "flows"),
        sorted(&["2025-2026-cambodia-crackdown-campaign"])
    );
    // The same row by filter.
    let only = flows(&app, json!({ "toUnspecified": true }), &[]).await;
    assert_eq!(only.len(), 1);
    assert_eq!(total(&only[0]), exact(11000));

    // Grand total: 105 + 63 + 119 + 11000 + 1 = 11288 over 5 flows; F1 and F4 uncounted.
    let all = flows(&app, json!(null), &[]).await;
    assert_eq!(all.len(), 1);
    assert_eq!(total(&all[0]), exact(11288));
    assert_eq!(count(&all[0], "flowCount"), 5);
    assert_eq!(count(&all[0], "uncountedFlowCount"), 2);

    // The origin-destination matrix: everything leaves KH.
    let matrix = flows(&app, json!(null), &["FROM", "TO"]).await;
    assert_eq!(matrix.len(), 3);
    assert_eq!(
        total(row(&matrix, &[("from", Some("KH")), ("to", Some("CN"))])),
        exact(169)
    );
    assert_eq!(
        total(row(&matrix, &[("from", Some("KH")), ("to", Some("TH"))])),
        exact(119)
    );
    assert_eq!(
        total(row(&matrix, &[("from", Some("KH")), ("to", None)])),
        exact(11000)
    );

    // By nationality, flows count as their splits plus the unsplit rest:
    //   CN: F3's 50 (derived)                               = 50 EXACT derived, 1 flow
    //   TH: F5's 119 (no remainder: 119 - 119 = 0)          = 119, 1 flow
    //   TW: F3's 13 + F4's 25                               = 38, 2 flows
    //   null: unsplit F2 105 + F6 11000 + F7 1              = 11106, 3 flows; F1 uncounted
    let rows = flows(&app, json!(null), &["NATIONALITY"]).await;
    assert_eq!(rows.len(), 4, "{rows:#?}");
    assert_sorted(&rows, "nationality");
    let cn = row(&rows, &[("nationality", Some("CN"))]);
    assert_eq!(total(cn), fig(50, 50, 50, "EXACT", true));
    assert_eq!(
        flow_events(cn, "flows"),
        sorted(&["2016-09-20-veal-sbov-group-deported"])
    );
    let th = row(&rows, &[("nationality", Some("TH"))]);
    assert_eq!(total(th), exact(119));
    assert_eq!(count(th, "flowCount"), 1);
    // TW: Veal Sbov's 13. The June 2016 flow splits 25 Taiwanese but has no count of its
    // own: like the flow, its split is listed as uncounted, never summed.
    let tw = row(&rows, &[("nationality", Some("TW"))]);
    assert_eq!(total(tw), exact(13));
    assert_eq!(count(tw, "flowCount"), 1);
    assert_eq!(count(tw, "uncountedFlowCount"), 1);
    // `flows` lists the summed flows; the June 2016 one is among the uncounted.
    assert_eq!(
        flow_events(tw, "flows"),
        sorted(&["2016-09-20-veal-sbov-group-deported"])
    );
    let rest = row(&rows, &[("nationality", None)]);
    assert_eq!(total(rest), exact(11106));
    assert_eq!(count(rest, "flowCount"), 3);
    assert_eq!(
        flow_events(rest, "flows"),
        sorted(&[
            "2017-07-cambodia-deports-105-to-china",
            "2025-2026-cambodia-crackdown-campaign",
            "chen-zhi-extradition-to-china",
        ])
    );
    assert_eq!(
        flow_events(rest, "uncountedFlows"),
        sorted(&["2017-08-planned-deportation-flight-to-china"])
    );

    // A flow filter by nationality: the Veal Sbov split alone, 13 TW + 50 CN.
    let veal_sbov = flows(
        &app,
        json!({ "since": "2016-09-20", "until": "2016-09-20" }),
        &["NATIONALITY"],
    )
    .await;
    assert_eq!(
        labels(&veal_sbov, "nationality"),
        vec![Some("CN".to_string()), Some("TW".to_string())]
    );
    assert_eq!(
        total(row(&veal_sbov, &[("nationality", Some("CN"))])),
        fig(50, 50, 50, "EXACT", true)
    );
    assert_eq!(
        total(row(&veal_sbov, &[("nationality", Some("TW"))])),
        exact(13)
    );
    // Whole, the same flow is its stated 63, not derived.
    let whole = flows(
        &app,
        json!({ "since": "2016-09-20", "until": "2016-09-20" }),
        &[],
    )
    .await;
    assert_eq!(total(&whole[0]), exact(63));

    // By status: the planned flight is listed, never summed.
    //   COMPLETED: 11288 over 5 flows; F4 (no number) uncounted.
    //   PLANNED:   nothing summed (no number), F1 listed.
    let rows = flows(&app, json!(null), &["STATUS"]).await;
    assert_eq!(rows.len(), 2);
    let done = row(&rows, &[("status", Some("COMPLETED"))]);
    assert_eq!(total(done), exact(11288));
    assert_eq!(
        (count(done, "flowCount"), count(done, "uncountedFlowCount")),
        (5, 1)
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
    assert_eq!(
        flow_events(planned, "uncountedFlows"),
        sorted(&["2017-08-planned-deportation-flight-to-china"])
    );
}

// --- MONTH-precision events ------------------------------------------------------------

async fn month_precision_events_count_in_their_month(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    // 10-20 July 2017 lies inside the three MONTH events of July 2017 (1-31 July):
    //   Phnom Penh arrests: CN 31; 105 deported: unspecified 105; Indonesia: CN 150 MORE_THAN.
    // Grand total 31 + 105 + 150 = 286 over 3 events; the one inexact kind, MORE_THAN, survives.
    let filter = json!({ "from": "2017-07-10", "to": "2017-07-20" });
    let all = people(&app, filter.clone(), &[]).await;
    assert_eq!(all.len(), 1);
    assert_eq!(total(&all[0]), fig(286, 286, 286, "MORE_THAN", false));
    assert_eq!(count(&all[0], "eventCount"), 3);
    assert_eq!(
        event_keys(&all[0]),
        sorted(&[
            "2017-07-phnom-penh-arrests",
            "2017-07-cambodia-deports-105-to-china",
            "2017-07-indonesia-detains-chinese",
        ])
    );
    // By nationality: CN 31 + 150 = 181 MORE_THAN over 2 events; null 105 over 1.
    let rows = people(&app, filter.clone(), &["NATIONALITY"]).await;
    assert_eq!(rows.len(), 2);
    let cn = row(&rows, &[("nationality", Some("CN"))]);
    assert_eq!(total(cn), fig(181, 181, 181, "MORE_THAN", false));
    assert_eq!(count(cn, "eventCount"), 2);
    let rest = row(&rows, &[("nationality", None)]);
    assert_eq!(total(rest), exact(105));
    assert_eq!(count(rest, "eventCount"), 1);
    // By month: all three start on 1 July 2017 -> one row "2017-07".
    let rows = people(&app, filter.clone(), &["MONTH"]).await;
    assert_eq!(labels(&rows, "month"), vec![Some("2017-07".to_string())]);
    assert_eq!(total(&rows[0]), fig(286, 286, 286, "MORE_THAN", false));
    // In Cambodia only (Indonesia's detentions are placed in ID): 31 + 105 = 136 EXACT.
    let kh = people(
        &app,
        json!({ "from": "2017-07-10", "to": "2017-07-20", "country": "KH" }),
        &[],
    )
    .await;
    assert_eq!(total(&kh[0]), exact(136));
    assert_eq!(count(&kh[0], "eventCount"), 2);
    // The last day of July still catches them; 1 August does not.
    let last_day = people(
        &app,
        json!({ "from": "2017-07-31", "to": "2017-07-31" }),
        &[],
    )
    .await;
    assert_eq!(total(&last_day[0]), fig(286, 286, 286, "MORE_THAN", false));
    // No event spans 1 August 2017: the grand total (no dimension) is still one row, of
    // nothing: no events, no number.
    let first_of_august = people(
        &app,
        json!({ "from": "2017-08-01", "to": "2017-08-01" }),
        &[],
    )
    .await;
    assert_eq!(first_of_august.len(), 1, "{first_of_august:#?}");
    assert_eq!(total(&first_of_august[0]), no_number());
    assert_eq!(count(&first_of_august[0], "eventCount"), 0);
    assert_eq!(women(&first_of_august[0]), None);
}

// --- women -------------------------------------------------------------------------------

async fn women_are_a_floor_where_some_groups_give_no_count(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    // August 2017: 2 Aug (CN 151 [151-200], women 32; TW 3, no women count) and 16 Aug
    // (CN 225, women 25); the planned flight has no people.
    let august = json!({ "from": "2017-08-01", "to": "2017-08-31" });
    let rows = people(&app, august.clone(), &["NATIONALITY"]).await;
    assert_eq!(rows.len(), 2);
    // CN: 151 + 225 = 376, low 376, high 200 + 225 = 425; women 32 + 25 = 57, every CN group
    // gives a count -> EXACT.
    let cn = row(&rows, &[("nationality", Some("CN"))]);
    assert_eq!(total(cn), fig(376, 376, 425, "EXACT", false));
    assert_eq!(count(cn, "eventCount"), 2);
    assert_eq!(women(cn), Some(exact(57)));
    // TW: 3, and no source counts its women -> null.
    let tw = row(&rows, &[("nationality", Some("TW"))]);
    assert_eq!(women(tw), None);
    // All of August: 151 + 3 + 225 = 379 (high 428); women 57, but the TW group gives no
    // count of women -> a floor, AT_LEAST.
    let all = people(&app, august, &[]).await;
    assert_eq!(total(&all[0]), fig(379, 379, 428, "EXACT", false));
    assert_eq!(women(&all[0]), Some(fig(57, 57, 57, "AT_LEAST", false)));

    // All CN groups of the dataset (headline statuses only):
    //   2 Aug 151 [151-200] (w 32) + July PP 31 + 16 Aug 225 (w 25) + Indonesia 150
    //   MORE_THAN + Veal Sbov arrests 50d + Veal Sbov deported 50d + Banteay 118 (arrested;
    //   the 80 released are the same people)
    //   = 775, low 775, high 824 (200 for 151), MORE_THAN (the one inexact kind), derived
    //   (the 50s), over 7 events. Women 32 + 25 = 57, AT_LEAST: five CN groups give no count.
    let rows = people(&app, json!(null), &["NATIONALITY"]).await;
    let cn = row(&rows, &[("nationality", Some("CN"))]);
    assert_eq!(total(cn), fig(775, 775, 824, "MORE_THAN", true));
    assert_eq!(count(cn, "eventCount"), 7);
    assert_eq!(women(cn), Some(fig(57, 57, 57, "AT_LEAST", false)));
    // Nobody else's women are counted.
    for r in &rows {
        if label(r, "nationality").as_deref() != Some("CN") {
            assert_eq!(women(r), None, "{r:#}");
        }
    }
}

// --- rules 4 and 5: lows, highs and qualifiers ----------------------------------------

async fn lows_highs_and_qualifiers_add_up(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    // EXODUS + EXTRADITION: the My Casino exodus "about 6,000 to 7,000" (6000 [6000-7000]
    // ABOUT) + Chen Zhi 1 EXACT = 6001, low 6000 + 1 = 6001, high 7000 + 1 = 7001; an ABOUT
    // part makes the sum ABOUT.
    let all = people(&app, json!({ "kinds": ["EXODUS", "EXTRADITION"] }), &[]).await;
    assert_eq!(total(&all[0]), fig(6001, 6001, 7001, "ABOUT", false));
    assert_eq!(count(&all[0], "eventCount"), 2);
    // Grouped by role, each part keeps its own: WORKER 6000 ABOUT, SENIOR_FIGURE 1 EXACT.
    let rows = people(
        &app,
        json!({ "kinds": ["EXODUS", "EXTRADITION"] }),
        &["ROLE"],
    )
    .await;
    assert_eq!(rows.len(), 2);
    assert_eq!(
        total(row(&rows, &[("role", Some("WORKER"))])),
        fig(6000, 6000, 7000, "ABOUT", false)
    );
    assert_eq!(
        total(row(&rows, &[("role", Some("SENIOR_FIGURE"))])),
        exact(1)
    );

    // EXODUS + DETENTION: 6000 [6000-7000] ABOUT + Indonesia 150 MORE_THAN + Poipet 230 EXACT
    // = 6380, low 6380, high 7380; inexact kinds ABOUT and MORE_THAN, one approximate -> ABOUT.
    let all = people(&app, json!({ "kinds": ["EXODUS", "DETENTION"] }), &[]).await;
    assert_eq!(total(&all[0]), fig(6380, 6380, 7380, "ABOUT", false));
    assert_eq!(count(&all[0], "eventCount"), 3);

    // DETENTION alone: 150 MORE_THAN + 230 EXACT = 380 MORE_THAN (a lower bound survives).
    let all = people(&app, json!({ "kinds": ["DETENTION"] }), &[]).await;
    assert_eq!(total(&all[0]), fig(380, 380, 380, "MORE_THAN", false));

    // AT_LEAST with EXACT: the July 2025 raids (1000 AT_LEAST, derived remainder) + the
    // Poipet raids 230 EXACT (both have kind RAID; the 2 Aug 2017 raids too: 151 [151-200]
    // + 3). RAID = 1000 + 230 + 154 = 1384, low 1384, high 1000 + 230 + 203 = 1433, AT_LEAST.
    let all = people(&app, json!({ "kinds": ["RAID"] }), &[]).await;
    assert_eq!(total(&all[0]), fig(1384, 1384, 1433, "AT_LEAST", true));
    assert_eq!(count(&all[0], "eventCount"), 3);

    // A group without a number (China's "some suspects", UNKNOWN date, place CN) alone: no
    // number at all -> UNKNOWN, value/low/high null; added to numbers it makes them a floor.
    let rows = people(&app, json!({ "country": "CN" }), &[]).await;
    assert_eq!(rows.len(), 1);
    assert_eq!(total(&rows[0]), no_number());
    assert_eq!(count(&rows[0], "eventCount"), 1);
    // ARREST events: 2 Aug 154 [154-203], July PP 31, China (no number), 16 Aug 225, Veal
    // Sbov 13 + 50d, Banteay 118, July 2025 1000 AT_LEAST, campaign 173 senior figures
    // arrested + 11000 workers deported (different roles: both count) = 154 + 31 + 225 + 63
    // + 118 + 1000 + 173 + 11000 = 12764, high 12764 + 49 = 12813; inexact kinds: AT_LEAST
    // only -> AT_LEAST.
    let all = people(&app, json!({ "kinds": ["ARREST"] }), &[]).await;
    assert_eq!(total(&all[0]), fig(12764, 12764, 12813, "AT_LEAST", true));
    assert_eq!(count(&all[0], "eventCount"), 8);
}

// --- rule 6: derived figures are marked --------------------------------------------------

async fn derived_parts_mark_their_totals(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    // Veal Sbov arrests (20 Jul - 20 Sep 2016) and deportation (20 Sep 2016) on 20 Sep 2016
    // (the Banteay Meanchey casino, 1 Jan - 21 Sep 2016, spans it too):
    //   CN: 50d + 50d + 118 = 218, derived; TW: 13 + 13 = 26, not derived.
    let filter = json!({ "from": "2016-09-20", "to": "2016-09-20" });
    let rows = people(&app, filter.clone(), &["NATIONALITY"]).await;
    assert_eq!(rows.len(), 2);
    assert_eq!(
        total(row(&rows, &[("nationality", Some("CN"))])),
        fig(218, 218, 218, "EXACT", true)
    );
    assert_eq!(total(row(&rows, &[("nationality", Some("TW"))])), exact(26));
    // Without the derived 50s: TW alone is not derived, the grand total is.
    let all = people(&app, filter, &[]).await;
    assert_eq!(total(&all[0]), fig(244, 244, 244, "EXACT", true));
    assert_eq!(count(&all[0], "eventCount"), 3);
}

// --- rule 3: statistics never enter totals ----------------------------------------------

async fn statistics_never_enter_totals(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    // The statistics exist: "more than 600" deported to China in recent years, and 376
    // arrested in August 2017 (to the 17th).
    let data = app
        .data(
            r#"{ statistics(first: 100) { nodes { key figure { value qualifier } } } }"#,
            json!({}),
        )
        .await;
    let stats = list(&data["statistics"]["nodes"]);
    let stat = |key: &str| {
        stats
            .iter()
            .find(|s| s["key"] == key)
            .unwrap_or_else(|| panic!("no statistic {key}"))["figure"]
            .clone()
    };
    assert_eq!(
        stat("cambodia-deportations-to-china-recent-years-2017"),
        json!({ "value": 600, "qualifier": "MORE_THAN" })
    );
    assert_eq!(
        stat("2017-08-cambodia-telecom-scam-arrests"),
        json!({ "value": 376, "qualifier": "EXACT" })
    );
    // Flows to CN: 105 + 63 + 1 = 169 EXACT, never 169 + 600 nor MORE_THAN.
    let to_cn = flows(&app, json!({ "to": "CN" }), &[]).await;
    assert_eq!(total(&to_cn[0]), exact(169));
    // People deported (grouped by status, every stage counts): 105 + 63 (Veal Sbov, 13 +
    // 50d) + 25 (June 2016 TW) + 119 (Thais) + 11000 (campaign workers) = 11312 EXACT,
    // derived; over 5 events. No 600.
    let rows = people(&app, json!(null), &["STATUS"]).await;
    let deported = row(&rows, &[("status", Some("DEPORTED"))]);
    assert_eq!(total(deported), fig(11312, 11312, 11312, "EXACT", true));
    assert_eq!(count(deported, "eventCount"), 5);
    // 1-17 August 2017: 151 [151-200] + 3 + 225 = 379 (high 428), not the statistic's 376
    // and not 376 + 379.
    let all = people(
        &app,
        json!({ "from": "2017-08-01", "to": "2017-08-17" }),
        &[],
    )
    .await;
    assert_eq!(total(&all[0]), fig(379, 379, 428, "EXACT", false));
}

// --- the status rule ---------------------------------------------------------------------

async fn stages_of_one_event_count_once_unless_grouped_by_status(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    // The Banteay Meanchey casino (the only RELEASE event): 118 arrested, 80 of them released.
    let filter = json!({ "kinds": ["RELEASE"] });
    // Without STATUS: the status with the most people, ARRESTED, 118 (never 198).
    let all = people(&app, filter.clone(), &[]).await;
    assert_eq!(all.len(), 1);
    assert_eq!(total(&all[0]), exact(118));
    assert_eq!(count(&all[0], "eventCount"), 1);
    assert_eq!(
        event_keys(&all[0]),
        sorted(&["2016-banteay-meanchey-casino-crackdown"])
    );
    // With STATUS: every stage, 118 ARRESTED and 80 RELEASED.
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
    for r in &rows {
        assert_eq!(count(r, "eventCount"), 1);
    }
    // With NATIONALITY and STATUS: CN twice.
    let rows = people(&app, filter.clone(), &["NATIONALITY", "STATUS"]).await;
    assert_eq!(rows.len(), 2);
    assert_eq!(
        total(row(
            &rows,
            &[("nationality", Some("CN")), ("status", Some("RELEASED"))]
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

async fn the_grand_total_adds_every_event_once(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    // Every event with people, once, at its headline status:
    //   154 (2 Aug: 151 [151-200] + 3) + 31 + (China: no number) + 225 + 105 + 150 MORE_THAN
    //   + 63 (Veal Sbov arrests) + 63 (Veal Sbov deported) + 25 + 118 (Banteay) + 1000
    //   (July 2025) + 230 + 119 + 11000 + 173 (campaign: workers DEPORTED and senior figures
    //   ARRESTED are different roles, both count) + 1 + 6000 [6000-7000] ABOUT = 19457; low
    //   19457; high 19457 + 49 + 1000 = 20506; inexact kinds AT_LEAST (China, July 2025),
    //   MORE_THAN, ABOUT -> ABOUT; derived; 16 events.
    let all = people(&app, json!(null), &[]).await;
    assert_eq!(all.len(), 1);
    assert_eq!(total(&all[0]), fig(19457, 19457, 20506, "ABOUT", true));
    assert_eq!(count(&all[0], "eventCount"), 16);
    // Women: 57, a floor.
    assert_eq!(women(&all[0]), Some(fig(57, 57, 57, "AT_LEAST", false)));
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
        assert_eq!(sum, 19457, "{dim}");
        let high: i64 = rows.iter().filter_map(|r| total(r).high).sum();
        assert_eq!(high, 20506, "{dim}");
    }
}

// --- every dimension -----------------------------------------------------------------------

async fn every_people_dimension_groups(backend: Backend) {
    let app = TestApp::spawn(backend).await;

    // ROLE (headline statuses):
    //   SUSPECT: 154 + 31 + China + 225 + 105 + 150 MT + 63 + 63 + 25 + 118 + 1000 (the
    //     remainder shares SUSPECT) = 1934, high 1983; AT_LEAST and MORE_THAN -> AT_LEAST;
    //     11 events.
    //   FOREIGN_NATIONAL: 230 + 119 = 349, 2 events.
    //   WORKER: 11000 + 6000 [6000-7000] ABOUT = 17000, high 18000, ABOUT, 2 events.
    //   SENIOR_FIGURE: Chen Zhi 1 (the campaign's 173 arrested are not its headline status).
    let rows = people(&app, json!(null), &["ROLE"]).await;
    assert_eq!(rows.len(), 4, "{rows:#?}");
    let suspects = row(&rows, &[("role", Some("SUSPECT"))]);
    assert_eq!(total(suspects), fig(1934, 1934, 1983, "AT_LEAST", true));
    assert_eq!(count(suspects, "eventCount"), 11);
    let foreign = row(&rows, &[("role", Some("FOREIGN_NATIONAL"))]);
    assert_eq!(total(foreign), exact(349));
    assert_eq!(count(foreign, "eventCount"), 2);
    let workers = row(&rows, &[("role", Some("WORKER"))]);
    assert_eq!(total(workers), fig(17000, 17000, 18000, "ABOUT", false));
    assert_eq!(
        event_keys(workers),
        sorted(&["2025-2026-cambodia-crackdown-campaign", "my-casino-exodus"])
    );
    // Senior figures: the campaign's 173 arrested (its senior figures are another role than
    // its 11,000 deported workers, so they count) + Chen Zhi, 1 = 174.
    let senior = row(&rows, &[("role", Some("SENIOR_FIGURE"))]);
    assert_eq!(total(senior), exact(174));
    assert_eq!(
        event_keys(senior),
        sorted(&[
            "2025-2026-cambodia-crackdown-campaign",
            "chen-zhi-extradition-to-china"
        ])
    );

    // STATUS (every stage):
    //   ARRESTED: 154 + 31 + China + 225 + 63 + 118 + 1000 + 173 = 1764, high 1813, AT_LEAST,
    //     8 events; DEPORTED 11312 (see statistics_never_enter_totals); DETAINED 150 MT + 230
    //     = 380 MORE_THAN; EXTRADITED 1; FLED 6000 ABOUT; RELEASED 80.
    let rows = people(&app, json!(null), &["STATUS"]).await;
    assert_eq!(rows.len(), 6, "{rows:#?}");
    let arrested = row(&rows, &[("status", Some("ARRESTED"))]);
    assert_eq!(total(arrested), fig(1764, 1764, 1813, "AT_LEAST", true));
    assert_eq!(count(arrested, "eventCount"), 8);
    assert_eq!(
        total(row(&rows, &[("status", Some("DETAINED"))])),
        fig(380, 380, 380, "MORE_THAN", false)
    );
    assert_eq!(
        total(row(&rows, &[("status", Some("EXTRADITED"))])),
        exact(1)
    );
    assert_eq!(
        total(row(&rows, &[("status", Some("FLED"))])),
        fig(6000, 6000, 7000, "ABOUT", false)
    );
    assert_eq!(
        total(row(&rows, &[("status", Some("RELEASED"))])),
        exact(80)
    );

    // EVENT_KIND: the 2 Aug 2017 raids are RAID, ARREST and SEIZURE: 154 [154-203] in each.
    let rows = people(
        &app,
        json!({ "from": "2017-08-02", "to": "2017-08-02" }),
        &["EVENT_KIND"],
    )
    .await;
    assert_eq!(
        {
            let mut kinds: Vec<String> = labels(&rows, "eventKind").into_iter().flatten().collect();
            kinds.sort();
            kinds
        },
        sorted(&["ARREST", "RAID", "SEIZURE"])
    );
    for r in &rows {
        assert_eq!(total(r), fig(154, 154, 203, "EXACT", false));
        assert_eq!(count(r, "eventCount"), 1);
    }
    // Over everything: ARREST is the kind of 8 events (12764, see
    // lows_highs_and_qualifiers_add_up); the Banteay Meanchey casino counts under ARREST and
    // under RELEASE.
    let rows = people(&app, json!(null), &["EVENT_KIND"]).await;
    let arrest = row(&rows, &[("eventKind", Some("ARREST"))]);
    assert_eq!(total(arrest), fig(12764, 12764, 12813, "AT_LEAST", true));
    assert_eq!(count(arrest, "eventCount"), 8);
    let release = row(&rows, &[("eventKind", Some("RELEASE"))]);
    assert_eq!(total(release), exact(118));
    assert!(event_keys(arrest).contains(&"2016-banteay-meanchey-casino-crackdown".to_string()));
    // EXODUS 6000 ABOUT; DEPORTATION 105 + 63 + 25 + 119 + 11173 = 11485 (the campaign's
    // 11,000 workers and 173 senior figures; it is also SITE_CLOSURE and ARREST: 11173 in each).
    assert_eq!(
        total(row(&rows, &[("eventKind", Some("DEPORTATION"))])),
        fig(11485, 11485, 11485, "EXACT", true)
    );
    assert_eq!(
        total(row(&rows, &[("eventKind", Some("SITE_CLOSURE"))])),
        exact(11173)
    );

    // COUNTRY: KH = everything but Indonesia's 150 and China's unnumbered arrests
    //   = 19457 - 150 = 19307, high 20506 - 150 = 20356, ABOUT, 14 events;
    //   ID 150 MORE_THAN; CN no number (UNKNOWN).
    let rows = people(&app, json!(null), &["COUNTRY"]).await;
    assert_eq!(rows.len(), 3, "{rows:#?}");
    assert_sorted(&rows, "country");
    let kh = row(&rows, &[("country", Some("KH"))]);
    assert_eq!(total(kh), fig(19307, 19307, 20356, "ABOUT", true));
    assert_eq!(count(kh, "eventCount"), 14);
    assert_eq!(
        total(row(&rows, &[("country", Some("ID"))])),
        fig(150, 150, 150, "MORE_THAN", false)
    );
    assert_eq!(total(row(&rows, &[("country", Some("CN"))])), no_number());

    // PROVINCE (the province of the event's most specific place):
    //   banteay-meanchey: the casino 118 + the Poipet raids 230 (Poipet lies in Banteay
    //     Meanchey) = 348, 2 events;
    //   phnom-penh: July 2017 31 + 16 Aug 225 + Veal Sbov arrests 13 + 50d (Veal Sbov <
    //     Chbar Ampov < Phnom Penh) = 319, derived, 3 events;
    //   kampot-province: My Casino 6000 ABOUT;
    //   null (placed at country level: 2 Aug spans two provinces, July 2025 three, the rest
    //     KH/CN/ID): 154 + China + 105 + 150 + 63 + 25 + 1000 + 119 + 11000 + 173 + 1
    //     = 12790, high 12839, 10 events.
    let rows = people(&app, json!(null), &["PROVINCE"]).await;
    assert_eq!(rows.len(), 4, "{rows:#?}");
    let bm = row(&rows, &[("province", Some("banteay-meanchey"))]);
    assert_eq!(bm["province"]["name"], "Banteay Meanchey");
    assert_eq!(bm["province"]["level"], "PROVINCE");
    assert_eq!(total(bm), exact(348));
    assert_eq!(
        event_keys(bm),
        sorted(&[
            "2016-banteay-meanchey-casino-crackdown",
            "2025-poipet-raids-230-detained",
        ])
    );
    let pp = row(&rows, &[("province", Some("phnom-penh"))]);
    assert_eq!(total(pp), fig(319, 319, 319, "EXACT", true));
    assert_eq!(count(pp, "eventCount"), 3);
    assert_eq!(
        total(row(&rows, &[("province", Some("kampot-province"))])),
        fig(6000, 6000, 7000, "ABOUT", false)
    );
    let none = row(&rows, &[("province", None)]);
    assert_eq!(total(none), fig(12790, 12790, 12839, "AT_LEAST", true));
    assert_eq!(count(none, "eventCount"), 10);

    // YEAR (of the span's start):
    //   2016: 118 + 25 + 63 + 63 = 269, derived, 4 events;
    //   2017: 31 + 105 + 150 MT + 154 [154-203] + 225 = 665, high 714, MORE_THAN, 5 events;
    //   2025: 230 + 119 + 1000 + 11000 + 173 + 1 + 6000 [6000-7000] = 18523, high 19523, ABOUT,
    //     6 events (the campaign, Chen Zhi and the exodus start on 1 October 2025);
    //   null: China's unnumbered arrests.
    let rows = people(&app, json!(null), &["YEAR"]).await;
    assert_eq!(rows.len(), 4, "{rows:#?}");
    assert_sorted(&rows, "year");
    let y2016 = row(&rows, &[("year", Some("2016"))]);
    assert_eq!(total(y2016), fig(269, 269, 269, "EXACT", true));
    assert_eq!(count(y2016, "eventCount"), 4);
    let y2017 = row(&rows, &[("year", Some("2017"))]);
    assert_eq!(total(y2017), fig(665, 665, 714, "MORE_THAN", false));
    assert_eq!(count(y2017, "eventCount"), 5);
    let y2025 = row(&rows, &[("year", Some("2025"))]);
    assert_eq!(total(y2025), fig(18523, 18523, 19523, "ABOUT", true));
    assert_eq!(count(y2025, "eventCount"), 6);
    let undated = row(&rows, &[("year", None)]);
    assert_eq!(total(undated), no_number());
    assert_eq!(
        event_keys(undated),
        sorted(&["2017-china-arrests-suspects-linked-to-cambodia"])
    );

    // MONTH ("YYYY-MM" of the span's start):
    //   2016-01 Banteay 118; 2016-06 25; 2016-07 Veal Sbov arrests 63d; 2016-09 Veal Sbov
    //   deported 63d; 2017-07 286 MORE_THAN; 2017-08 379 [379-428]; 2025-01 Poipet 230;
    //   2025-03 119; 2025-07 1000 AT_LEAST d; 2025-10 11000 + 173 + 1 + 6000 [6000-7000] = 17174,
    //   high 18174, ABOUT; null: China.
    let rows = people(&app, json!(null), &["MONTH"]).await;
    assert_sorted(&rows, "month");
    let expected: Vec<(Option<&str>, Fig, i64)> = vec![
        (Some("2016-01"), exact(118), 1),
        (Some("2016-06"), exact(25), 1),
        (Some("2016-07"), fig(63, 63, 63, "EXACT", true), 1),
        (Some("2016-09"), fig(63, 63, 63, "EXACT", true), 1),
        (Some("2017-07"), fig(286, 286, 286, "MORE_THAN", false), 3),
        (Some("2017-08"), fig(379, 379, 428, "EXACT", false), 2),
        (Some("2025-01"), exact(230), 1),
        (Some("2025-03"), exact(119), 1),
        (Some("2025-07"), fig(1000, 1000, 1000, "AT_LEAST", true), 1),
        (Some("2025-10"), fig(17174, 17174, 18174, "ABOUT", false), 3),
        (None, no_number(), 1),
    ];
    assert_eq!(rows.len(), expected.len(), "{rows:#?}");
    for (month, figure, events) in expected {
        let r = row(&rows, &[("month", month)]);
        assert_eq!(total(r), figure, "{month:?}");
        assert_eq!(count(r, "eventCount"), events, "{month:?}");
    }

    // Several dimensions at once: 2017 by YEAR and NATIONALITY.
    //   2017/CN: 31 + 150 MT + 151 [151-200] + 225 = 557, high 606, MORE_THAN, 4 events;
    //   2017/TW: 3; 2017/null: 105.
    let rows = people(
        &app,
        json!({ "from": "2017-01-01", "to": "2017-12-31" }),
        &["YEAR", "NATIONALITY"],
    )
    .await;
    assert_eq!(rows.len(), 3, "{rows:#?}");
    assert_eq!(
        total(row(
            &rows,
            &[("year", Some("2017")), ("nationality", Some("CN"))]
        )),
        fig(557, 557, 606, "MORE_THAN", false)
    );
    assert_eq!(
        total(row(
            &rows,
            &[("year", Some("2017")), ("nationality", Some("TW"))]
        )),
        exact(3)
    );
    assert_eq!(
        total(row(&rows, &[("year", Some("2017")), ("nationality", None)])),
        exact(105)
    );
    // A filter that selects nothing: no rows by any dimension; with no dimension, one grand
    // total of nothing (eventCount 0, no number).
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
    let app = TestApp::spawn(backend).await;
    // KIND: DEPORTATION F2 105 + F3 63 + F5 119 + F6 11000 = 11287 over 4, F1 and F4
    // uncounted; EXTRADITION F7 1.
    let rows = flows(&app, json!(null), &["KIND"]).await;
    assert_eq!(rows.len(), 2);
    let dep = row(&rows, &[("kind", Some("DEPORTATION"))]);
    assert_eq!(total(dep), exact(11287));
    assert_eq!(
        (count(dep, "flowCount"), count(dep, "uncountedFlowCount")),
        (4, 2)
    );
    let ext = row(&rows, &[("kind", Some("EXTRADITION"))]);
    assert_eq!(total(ext), exact(1));
    assert_eq!(
        flow_events(ext, "flows"),
        sorted(&["chen-zhi-extradition-to-china"])
    );
    // YEAR: 2016 F3 63 (F4 uncounted); 2017 F2 105 (F1 uncounted); 2025 F5 119 + F6 11000 +
    // F7 1 = 11120 over 3.
    let rows = flows(&app, json!(null), &["YEAR"]).await;
    assert_eq!(
        labels(&rows, "year"),
        vec![
            Some("2016".to_string()),
            Some("2017".to_string()),
            Some("2025".to_string())
        ]
    );
    let y2016 = row(&rows, &[("year", Some("2016"))]);
    assert_eq!(total(y2016), exact(63));
    assert_eq!(
        (
            count(y2016, "flowCount"),
            count(y2016, "uncountedFlowCount")
        ),
        (1, 1)
    );
    let y2017 = row(&rows, &[("year", Some("2017"))]);
    assert_eq!(total(y2017), exact(105));
    assert_eq!(
        (
            count(y2017, "flowCount"),
            count(y2017, "uncountedFlowCount")
        ),
        (1, 1)
    );
    let y2025 = row(&rows, &[("year", Some("2025"))]);
    assert_eq!(total(y2025), exact(11120));
    assert_eq!(count(y2025, "flowCount"), 3);
    // MONTH: 2016-06 only F4 (no number: nothing summed, listed); 2016-09 63; 2017-07 105;
    // 2017-08 only F1 (planned: listed); 2025-03 119; 2025-10 11000 + 1 = 11001.
    let rows = flows(&app, json!(null), &["MONTH"]).await;
    assert_eq!(
        labels(&rows, "month"),
        [
            "2016-06", "2016-09", "2017-07", "2017-08", "2025-03", "2025-10"
        ]
        .iter()
        .map(|m| Some(m.to_string()))
        .collect::<Vec<_>>()
    );
    let june = row(&rows, &[("month", Some("2016-06"))]);
    assert_eq!(total(june), no_number());
    assert_eq!(
        (count(june, "flowCount"), count(june, "uncountedFlowCount")),
        (0, 1)
    );
    let aug = row(&rows, &[("month", Some("2017-08"))]);
    assert_eq!(total(aug), no_number());
    assert_eq!(
        (count(aug, "flowCount"), count(aug, "uncountedFlowCount")),
        (0, 1)
    );
    assert_eq!(
        total(row(&rows, &[("month", Some("2025-10"))])),
        exact(11001)
    );
    // Nothing to the US: no rows by TO; one empty grand total.
    assert_eq!(
        flows(&app, json!({ "to": "US" }), &["TO"]).await,
        Vec::<Value>::new()
    );
    let nothing = flows(&app, json!({ "to": "US" }), &[]).await;
    assert_eq!(nothing.len(), 1, "{nothing:#?}");
    assert_eq!(
        (
            count(&nothing[0], "flowCount"),
            count(&nothing[0], "uncountedFlowCount")
        ),
        (0, 0)
    );
    // FROM: everything from KH.
    let rows = flows(&app, json!(null), &["FROM"]).await;
    assert_eq!(labels(&rows, "from"), vec![Some("KH".to_string())]);
    assert_eq!(total(&rows[0]), exact(11288));
    // All dimensions at once: one row per flow tally split; TW from KH to CN deported in
    // 2016 = F3's 13 (2016-09) and F4's 25 (2016-06) in two months.
    let rows = flows(
        &app,
        json!(null),
        &[
            "FROM",
            "TO",
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
                ("from", Some("KH")),
                ("to", Some("CN")),
                ("nationality", Some("TW")),
                ("kind", Some("DEPORTATION")),
                ("status", Some("COMPLETED")),
                ("year", Some("2016")),
                ("month", Some("2016-06")),
            ]
        )),
        // The June 2016 flow has no count of its own: its split of 25 Taiwanese is listed
        // with it, never summed, so the cell has no number.
        no_number()
    );
}

async fn grouping_by_a_dimension_twice_is_bad_input(backend: Backend) {
    let app = TestApp::spawn(backend).await;
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
            "{ flowTotals(groupBy: [TO, TO]) { flowCount } }",
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
async fn events_by_start(
    app: &TestApp,
    filter: Value,
    len: usize,
) -> BTreeMap<Option<String>, i64> {
    let data = app
        .data(
            "query E($filter: EventFilter) { events(filter: $filter, first: 100) { totalCount nodes { date { start } } } }",
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
        let period = n["date"]["start"].as_str().map(|s| s[..len].to_string());
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
                p[..4].parse::<i32>().unwrap(),
                p[5..].parse::<u32>().unwrap(),
            );
            if m == 12 {
                format!("{:04}-01", y + 1)
            } else {
                format!("{y:04}-{:02}", m + 1)
            }
        } else {
            (p.parse::<i32>().unwrap() + 1).to_string()
        }
    };
    for w in dated.windows(2) {
        assert_eq!(next(w[0]), *w[1], "no gap between {} and {}", w[0], w[1]);
    }
    // Event counts: as the events list says, bucketed by the start of each date span.
    let counts = events_by_start(app, filter.clone(), if monthly { 7 } else { 4 }).await;
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
            None => {
                assert!(p["people"].is_null(), "{period:?}: {p:#}");
                assert!(p["women"].is_null(), "{period:?}: {p:#}");
            }
        }
    }
    points
}

async fn timeline_by_year(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let points = check_timeline(&app, json!(null), false).await;
    // Years 2016 to 2026 without gaps, then the undated:
    //   2016: Banteay, June deportation, Taiwan's protest, China's suspension, Veal Sbov
    //     arrests and deportation = 6 events; people 118 + 25 + 63 + 63 = 269, derived.
    //   2017: July PP, 105 deported, Indonesia, 2 Aug, 16 Aug, planned flight = 6; people 665
    //     [665-714] MORE_THAN; women 32 + 25 = 57, AT_LEAST (other 2017 groups give none).
    //   2018-2024: nothing.
    //   2025: Poipet 230, 119 Thais, UNODC (April), Amnesty report (June), July raids,
    //     directive, campaign, Chen Zhi, exodus, British meeting, FBI, Amnesty statement
    //     (1 Oct), Thai-led tour (1 Dec) = 13; people 18523 [18523-19523] ABOUT.
    //   2026: the My Casino media tour = 1; nobody counted -> null.
    //   undated: China's arrests, US indictment, US/UK sanctions = 3; people: China's
    //     unnumbered group -> no number (UNKNOWN), as participantTotals says.
    let periods: Vec<Option<String>> = labels(&points, "period");
    let mut expected: Vec<Option<String>> = (2016..=2026).map(|y| Some(y.to_string())).collect();
    expected.push(None);
    assert_eq!(periods, expected);
    let point = |p: Option<&str>| {
        points
            .iter()
            .find(|x| label(x, "period").as_deref() == p)
            .unwrap_or_else(|| panic!("no point {p:?}"))
    };
    let event_counts: Vec<i64> = points.iter().map(|p| count(p, "eventCount")).collect();
    assert_eq!(event_counts, vec![6, 6, 0, 0, 0, 0, 0, 0, 0, 13, 1, 3]);
    assert_eq!(
        read_fig(&point(Some("2016"))["people"]),
        fig(269, 269, 269, "EXACT", true)
    );
    let y2017 = point(Some("2017"));
    assert_eq!(
        read_fig(&y2017["people"]),
        fig(665, 665, 714, "MORE_THAN", false)
    );
    assert_eq!(
        read_fig(&y2017["women"]),
        fig(57, 57, 57, "AT_LEAST", false)
    );
    assert_eq!(
        read_fig(&point(Some("2025"))["people"]),
        fig(18523, 18523, 19523, "ABOUT", true)
    );
    for empty in ["2018", "2024", "2026"] {
        assert!(point(Some(empty))["people"].is_null(), "{empty}");
    }
    assert_eq!(read_fig(&point(None)["people"]), no_number());
    // Spans: a year from 1 January to 31 December; the undated has none.
    assert_eq!(
        point(Some("2020"))["span"],
        json!({ "start": "2020-01-01", "end": "2020-12-31", "precision": "YEAR", "derived": false })
    );
    assert_eq!(
        point(None)["span"],
        json!({ "start": null, "end": null, "precision": "UNKNOWN", "derived": false })
    );

    // Filtered: Cambodia only (events placed in KH or below), checked the same way.
    let kh = check_timeline(&app, json!({ "country": "KH" }), false).await;
    assert!(!kh.is_empty());
    // Nothing selected: no points at all.
    assert_eq!(
        timeline(&app, json!({ "search": "zzyzx" }), "YEAR").await,
        Vec::<Value>::new()
    );
    // In CN: China's suspension of ties (June 2016, nobody counted) and China's undated
    // arrests (no number): 2016 and the undated point, last.
    let cn = check_timeline(&app, json!({ "country": "CN" }), false).await;
    assert_eq!(
        labels(&cn, "period"),
        vec![Some("2016".to_string()), None],
        "{cn:#?}"
    );
    assert_eq!(count(&cn[0], "eventCount"), 1);
    assert!(cn[0]["people"].is_null());
    assert_eq!(read_fig(&cn[1]["people"]), no_number());
}

async fn timeline_by_month(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let points = check_timeline(&app, json!(null), true).await;
    // January 2016 (Banteay) to February 2026 (media tour): 10 years x 12 + 2 = 122 months,
    // then the undated.
    assert_eq!(points.len(), 123);
    assert_eq!(label(&points[0], "period").as_deref(), Some("2016-01"));
    assert_eq!(label(&points[121], "period").as_deref(), Some("2026-02"));
    assert_eq!(label(&points[122], "period"), None);
    // Events per month (by the start of the span):
    //   2016-01 1, 2016-06 3, 2016-07 1, 2016-09 1, 2017-07 3, 2017-08 3, 2025-01 1,
    //   2025-03 1, 2025-04 1, 2025-06 1, 2025-07 2, 2025-10 6, 2025-12 1, 2026-02 1,
    //   undated 3; every other month 0.
    let expected: BTreeMap<Option<&str>, i64> = [
        (Some("2016-01"), 1),
        (Some("2016-06"), 3),
        (Some("2016-07"), 1),
        (Some("2016-09"), 1),
        (Some("2017-07"), 3),
        (Some("2017-08"), 3),
        (Some("2025-01"), 1),
        (Some("2025-03"), 1),
        (Some("2025-04"), 1),
        (Some("2025-06"), 1),
        (Some("2025-07"), 2),
        (Some("2025-10"), 6),
        (Some("2025-12"), 1),
        (Some("2026-02"), 1),
        (None, 3),
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
    // People per month, as worked out in every_people_dimension_groups (MONTH).
    assert_eq!(
        read_fig(&point("2017-07")["people"]),
        fig(286, 286, 286, "MORE_THAN", false)
    );
    assert_eq!(
        read_fig(&point("2017-08")["people"]),
        fig(379, 379, 428, "EXACT", false)
    );
    // 2017-08 women: 57, AT_LEAST (the 3 Taiwanese give no count of women).
    assert_eq!(
        read_fig(&point("2017-08")["women"]),
        fig(57, 57, 57, "AT_LEAST", false)
    );
    assert_eq!(
        read_fig(&point("2025-10")["people"]),
        fig(17174, 17174, 18174, "ABOUT", false)
    );
    // Months with events but nobody counted (UNODC's warning, April 2025) and months without
    // events have no people.
    assert!(point("2025-04")["people"].is_null());
    assert!(point("2020-05")["people"].is_null());
    // A month's span: February 2016 had 29 days.
    assert_eq!(
        point("2016-02")["span"],
        json!({ "start": "2016-02-01", "end": "2016-02-29", "precision": "MONTH", "derived": false })
    );
    assert_eq!(
        point("2025-12")["span"],
        json!({ "start": "2025-12-01", "end": "2025-12-31", "precision": "MONTH", "derived": false })
    );
    // Filtered to 2017: July and August only, no undated point (UNKNOWN matches no date).
    let y2017 = check_timeline(
        &app,
        json!({ "from": "2017-01-01", "to": "2017-12-31" }),
        true,
    )
    .await;
    assert_eq!(
        labels(&y2017, "period"),
        vec![Some("2017-07".to_string()), Some("2017-08".to_string())]
    );
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
    to { code }
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
        &[&["TO"], &["TO", "NATIONALITY", "YEAR", "MONTH"]],
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
