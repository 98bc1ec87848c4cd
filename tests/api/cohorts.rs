//! A body of people linked across events (a group SAME_PEOPLE as, or PART_OF, a group of
//! another event) counts once in `participantTotals` and `timeline`, and every stage keeps
//! its own row when grouped by STATUS or EVENT_KIND: on the `cohorts` fixture
//! (tests/fixtures/cohorts/README.md, figures worked out by hand beside each assertion), after
//! a link is removed and recomputed, and on the curated data (Veal Sbov's 63, Poipet's 230).

use crate::helpers::{Backend, TestApp, country_id};
use entity::participant_link;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, TransactionTrait};
use serde_json::{Value, json};
use std::collections::BTreeMap;

both!(
    a_body_counts_once_by_nationality_country_and_year,
    every_stage_has_its_row_by_status_and_event_kind,
    the_timeline_counts_a_body_once,
    groups_show_their_link,
    removing_a_link_and_recomputing_counts_both_stages,
    veal_sbov_and_poipet_count_once,
);

const PEOPLE: &str = r#"
query People($filter: EventFilter, $groupBy: [ParticipantDimension!]!) {
  participantTotals(filter: $filter, groupBy: $groupBy) {
    nationality { code }
    status
    eventKind
    country { code }
    year
    month
    total { value low high qualifier derived }
    eventCount
    events(first: 10) { nodes { key } }
  }
}"#;

/// Each row as (its keys joined by `|`, null keys as `-`) → (value, qualifier, derived, event
/// keys).
type Rows = BTreeMap<String, (Option<i64>, String, bool, Vec<String>)>;

async fn people(app: &TestApp, filter: Value, group_by: &[&str]) -> Rows {
    let data = app
        .data(PEOPLE, json!({ "filter": filter, "groupBy": group_by }))
        .await;
    let fields: Vec<&str> = group_by
        .iter()
        .map(|d| match *d {
            "NATIONALITY" => "nationality",
            "STATUS" => "status",
            "EVENT_KIND" => "eventKind",
            "COUNTRY" => "country",
            "YEAR" => "year",
            "MONTH" => "month",
            other => panic!("no field for {other}"),
        })
        .collect();
    let mut rows = Rows::new();
    for r in data["participantTotals"].as_array().expect("rows") {
        let key: Vec<String> = fields
            .iter()
            .map(|f| match &r[*f] {
                Value::Null => "-".to_string(),
                Value::Object(o) => o["code"].as_str().expect("a code").to_string(),
                Value::String(s) => s.clone(),
                other => other.to_string(),
            })
            .collect();
        let mut events: Vec<String> = r["events"]["nodes"]
            .as_array()
            .expect("events")
            .iter()
            .map(|e| e["key"].as_str().expect("a key").to_string())
            .collect();
        events.sort();
        assert_eq!(r["eventCount"].as_u64(), Some(events.len() as u64), "{r:#}");
        let total = &r["total"];
        rows.insert(
            key.join("|"),
            (
                total["value"].as_i64(),
                total["qualifier"].as_str().expect("a qualifier").into(),
                total["derived"].as_bool().expect("derived"),
                events,
            ),
        );
    }
    rows
}

/// (value, EXACT, derived, events).
fn exact(value: i64, derived: bool, events: &[&str]) -> (Option<i64>, String, bool, Vec<String>) {
    let mut events: Vec<String> = events.iter().map(|e| e.to_string()).collect();
    events.sort();
    (Some(value), "EXACT".into(), derived, events)
}

fn values(rows: &Rows) -> BTreeMap<&str, Option<i64>> {
    rows.iter().map(|(k, v)| (k.as_str(), v.0)).collect()
}

async fn fixture(backend: Backend) -> TestApp {
    TestApp::fixture(backend, "cohorts").await
}

async fn a_body_counts_once_by_nationality_country_and_year(backend: Backend) {
    let app = fixture(backend).await;
    // Harbour: 40 XB + 20 XC arrested, then deported: counted once, in the arrests (placed in
    // a province, so the most specific stage). Border: 100 detained of unknown nationality,
    // of whom 30 XB deported: XB 30 in the deportation + 70 unspecified (derived) in the raid.
    // Quiet arrest: 5 XB. Never 60 + 60 + 100 + 30 + 5 = 255.
    let rows = people(&app, json!(null), &["NATIONALITY"]).await;
    assert_eq!(
        rows,
        Rows::from([
            (
                "XB".into(),
                exact(
                    75,
                    false,
                    &["harbour-arrests", "border-deportation", "quiet-arrest"]
                )
            ),
            ("XC".into(), exact(20, false, &["harbour-arrests"])),
            ("-".into(), exact(70, true, &["border-raid"])),
        ])
    );
    let all = people(&app, json!(null), &[]).await;
    assert_eq!(values(&all), BTreeMap::from([("", Some(165))]));

    // By country: everything but the quiet arrest is in Avalonia, once: 60 + 100.
    let rows = people(&app, json!(null), &["COUNTRY"]).await;
    assert_eq!(
        values(&rows),
        BTreeMap::from([("XA", Some(160)), ("XB", Some(5))])
    );
    // By year: 2023 the quiet arrest; 2024 both bodies once.
    let rows = people(&app, json!(null), &["YEAR"]).await;
    assert_eq!(
        values(&rows),
        BTreeMap::from([("2023", Some(5)), ("2024", Some(160))])
    );
    // By nationality and month: each part in the month of the stage it counts in.
    let rows = people(&app, json!(null), &["NATIONALITY", "MONTH"]).await;
    assert_eq!(
        values(&rows),
        BTreeMap::from([
            ("XB|2023-01", Some(5)),
            ("XB|2024-03", Some(40)),
            ("XC|2024-03", Some(20)),
            ("XB|2024-07", Some(30)),
            ("-|2024-06", Some(70)),
        ])
    );
    // A filter that selects the stage a body counts in keeps it: Avalonia in July 2024 is the
    // 30 Bordurians deported.
    let july = json!({ "from": "2024-07-01", "to": "2024-07-31" });
    assert_eq!(
        values(&people(&app, july, &["NATIONALITY"]).await),
        BTreeMap::from([("XB", Some(30))])
    );
}

async fn every_stage_has_its_row_by_status_and_event_kind(backend: Backend) {
    let app = fixture(backend).await;
    // By status, each stage is what the grouping asks for: 65 arrested (40 + 20 + 5), 100
    // detained, 90 deported (40 + 20 + 30); no derived remainder.
    let rows = people(&app, json!(null), &["STATUS"]).await;
    assert_eq!(
        rows,
        Rows::from([
            (
                "ARRESTED".into(),
                exact(65, false, &["harbour-arrests", "quiet-arrest"])
            ),
            (
                "DEPORTED".into(),
                exact(90, false, &["harbour-deportation", "border-deportation"])
            ),
            ("DETAINED".into(), exact(100, false, &["border-raid"])),
        ])
    );
    let rows = people(&app, json!(null), &["NATIONALITY", "STATUS"]).await;
    assert_eq!(
        values(&rows),
        BTreeMap::from([
            ("XB|ARRESTED", Some(45)),
            ("XB|DEPORTED", Some(70)),
            ("XC|ARRESTED", Some(20)),
            ("XC|DEPORTED", Some(20)),
            ("-|DETAINED", Some(100)),
        ])
    );
    // By event kind, each event counts its own people.
    let rows = people(&app, json!(null), &["EVENT_KIND"]).await;
    assert_eq!(
        values(&rows),
        BTreeMap::from([
            ("ARREST", Some(65)),
            ("DEPORTATION", Some(90)),
            ("DETENTION", Some(100)),
            ("RAID", Some(100)),
        ])
    );
}

async fn the_timeline_counts_a_body_once(backend: Backend) {
    let app = fixture(backend).await;
    let query = r#"query($i: TimelineInterval!) { timeline(interval: $i) { period eventCount people { value qualifier derived } } }"#;
    let points = |data: Value| -> BTreeMap<String, (u64, Option<i64>)> {
        data["timeline"]
            .as_array()
            .expect("points")
            .iter()
            .map(|p| {
                (
                    p["period"].as_str().unwrap_or("-").to_string(),
                    (
                        p["eventCount"].as_u64().expect("eventCount"),
                        p["people"]["value"].as_i64(),
                    ),
                )
            })
            .collect()
    };
    let years = points(app.data(query, json!({ "i": "YEAR" })).await);
    assert_eq!(
        years,
        BTreeMap::from([
            ("2023".to_string(), (1, Some(5))),
            ("2024".to_string(), (4, Some(160))),
        ])
    );
    let months = points(app.data(query, json!({ "i": "MONTH" })).await);
    // The harbour deportation happened in April, but its people were counted in March.
    assert_eq!(months["2024-03"], (1, Some(60)));
    assert_eq!(months["2024-04"], (1, None));
    assert_eq!(months["2024-06"], (1, Some(70)));
    assert_eq!(months["2024-07"], (1, Some(30)));
    let people: i64 = months.values().filter_map(|(_, p)| *p).sum();
    assert_eq!(people, 165, "every person once: {months:?}");
}

async fn groups_show_their_link(backend: Backend) {
    let app = fixture(backend).await;
    let data = app
        .data(
            r#"{ events(first: 10, filter: { kinds: [DEPORTATION] }) { nodes { key participants {
                nationality { code }
                cohortLink { relation quote source { outlet } group { status count { value } event { key } } }
              } } } }"#,
            json!({}),
        )
        .await;
    let events = data["events"]["nodes"].as_array().expect("events");
    let border = events
        .iter()
        .find(|e| e["key"] == "border-deportation")
        .expect("the border deportation");
    assert_eq!(
        border["participants"][0]["cohortLink"],
        json!({
            "relation": "PART_OF",
            "quote": "30 Bordurians were deported, among the 100 foreign nationals detained in the border raid.",
            "source": { "outlet": "The Avalon Gazette" },
            "group": { "status": "DETAINED", "count": { "value": 100 }, "event": { "key": "border-raid" } }
        })
    );
    let harbour = events
        .iter()
        .find(|e| e["key"] == "harbour-deportation")
        .expect("the harbour deportation");
    for p in harbour["participants"].as_array().expect("groups") {
        assert_eq!(p["cohortLink"]["relation"], "SAME_PEOPLE");
        assert_eq!(p["cohortLink"]["group"]["event"]["key"], "harbour-arrests");
    }
    // The linked-to side has no link of its own.
    let data = app
        .data(
            r#"{ events(filter: { kinds: [RAID] }) { nodes { participants { cohortLink { relation } } } } }"#,
            json!({}),
        )
        .await;
    assert_eq!(
        data["events"]["nodes"][0]["participants"][0]["cohortLink"],
        Value::Null
    );
}

async fn removing_a_link_and_recomputing_counts_both_stages(backend: Backend) {
    let app = fixture(backend).await;
    let db = app.db();
    // The write path removes the border deportation's link and recomputes that one event:
    // the raid, no longer in a body, must be recomputed with it.
    let txn = db.begin().await.expect("a transaction");
    let link = participant_link::Entity::find()
        .filter(participant_link::Column::Relation.eq(entity::enums::CohortRelation::PartOf))
        .one(&txn)
        .await
        .expect("reads")
        .expect("the border link");
    participant_link::Entity::delete_by_id(link.id)
        .exec(&txn)
        .await
        .expect("deletes");
    let deportation = entity::event::Entity::find()
        .filter(entity::event::Column::Key.eq("border-deportation"))
        .one(&txn)
        .await
        .expect("reads")
        .expect("the event");
    scam_atlas::ingest::tallies::recompute(&txn, deportation.id)
        .await
        .expect("recomputes");
    txn.commit().await.expect("commits");
    // Now two bodies are one fewer: 100 unspecified and 30 XB are different people.
    let rows = people(&app, json!(null), &["NATIONALITY"]).await;
    assert_eq!(
        values(&rows),
        BTreeMap::from([("XB", Some(75)), ("XC", Some(20)), ("-", Some(100))])
    );
    assert!(!rows["-"].2, "no derived remainder is left");
    // The harbour body, untouched, still counts once.
    let all = people(&app, json!(null), &[]).await;
    assert_eq!(all.values().next().map(|r| r.0), Some(Some(195)));
}

/// On the curated data: the 63 of Veal Sbov (arrested, then deported) and Poipet's 230
/// detained, of whom 119 Thais deported.
async fn veal_sbov_and_poipet_count_once(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let by_status = people(
        &app,
        json!({ "countries": [country_id("KH")], "search": "Veal Sbov" }),
        &["NATIONALITY", "STATUS"],
    )
    .await;
    for key in ["CN|ARRESTED", "CN|DEPORTED"] {
        assert_eq!(by_status[key].0, Some(50), "{key}: {by_status:?}");
    }
    for key in ["TW|ARRESTED", "TW|DEPORTED"] {
        assert_eq!(by_status[key].0, Some(13), "{key}: {by_status:?}");
    }
    // By nationality, the 63 count once however the events are selected: Cambodia in 2016
    // holds 50 Chinese from them (beside the casino's 118), not 100, and 13 Taiwanese, not 26.
    let y2016 = people(
        &app,
        json!({ "countries": [country_id("KH")], "from": "2016-01-01", "to": "2016-12-31" }),
        &["NATIONALITY"],
    )
    .await;
    assert_eq!(y2016["CN"].0, Some(168), "{y2016:?}");
    assert_eq!(y2016["TW"].0, Some(13), "{y2016:?}");
    // Poipet: 230 detained of unknown nationality, of whom 119 Thai: 119 TH + 111
    // unspecified, never 230 + 119.
    let all = people(&app, json!(null), &["NATIONALITY", "STATUS"]).await;
    assert_eq!(all["TH|DEPORTED"].0, Some(119));
    assert_eq!(all["-|DETAINED"].0, Some(230));
    let once = people(&app, json!(null), &["NATIONALITY"]).await;
    let th = &once["TH"];
    assert_eq!(th.3, vec!["2025-03-cambodia-deports-119-thais".to_string()]);
    // The raids' 111 beyond the 119 are in the unspecified row, traced to the raids.
    assert!(
        once["-"]
            .3
            .contains(&"2025-poipet-raids-230-detained".to_string())
    );
}
