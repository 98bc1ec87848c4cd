//! The public contract: IDs are stable for the life of a record (made from keys and uids, never
//! row numbers), records are found by their stable keys, every entity with identity has an
//! `id`, and the schema says what it is.

use crate::helpers::{Backend, TestApp};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use scam_atlas::ingest::{self, Dataset};
use serde_json::{Value, json};
use std::collections::BTreeMap;

both!(
    ids_survive_a_reload_with_an_event_added,
    records_are_found_by_their_keys,
    every_node_type_round_trips
);

/// Every ID the fixture's events show, nested ones included, with what it names.
const EVERYTHING: &str = r#"{
  events(first: 100) { nodes { id key
    participants { id role status count { claims { id quote } } }
    agencies { id agency { id key } }
    people { id person { id key statements(first: 10) { nodes { id quote } } } }
    citations { id quote }
    deportationFlows { id byNationality { id nationality { id code } } }
    seizures { id item } moneyFigures { id currency }
    related { id relation }
  } }
}"#;

/// `(id, what it names)` for every object with an `id` in `value`, found at `path`.
fn ids(value: &Value, path: &str, out: &mut BTreeMap<String, String>) {
    match value {
        Value::Object(map) => {
            if let Some(Value::String(id)) = map.get("id") {
                let mut named = map.clone();
                named.remove("id");
                // Nested objects name themselves; keep only this object's scalars.
                named.retain(|_, v| !v.is_object() && !v.is_array());
                let named = format!("{path} {}", Value::Object(named));
                if let Some(previous) = out.insert(id.clone(), named.clone()) {
                    assert_eq!(previous, named, "one ID names two things: {id}");
                }
            }
            for (key, child) in map {
                ids(child, &format!("{path}.{key}"), out);
            }
        }
        Value::Array(items) => items.iter().for_each(|item| ids(item, path, out)),
        _ => {}
    }
}

fn fixture_dir() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/rules")
}

async fn ids_survive_a_reload_with_an_event_added(backend: Backend) {
    let app = TestApp::fixture(backend, "rules").await;
    let mut before = BTreeMap::new();
    ids(&app.data(EVERYTHING, json!({})).await, "", &mut before);
    assert!(before.len() > 60, "the fixture shows {} IDs", before.len());

    // A curator adds one event at the top of events.toml: every row after it is renumbered.
    let mut dataset = Dataset::from_dir(&fixture_dir()).expect("the fixture reads");
    let (_, events) = dataset
        .files
        .iter_mut()
        .find(|(name, _)| name == "events.toml")
        .expect("events.toml");
    let first = events.find("[[event]]").expect("an event");
    let second = events[first + 1..]
        .find("\n[[event]]")
        .expect("a second event")
        + first
        + 1;
    let added =
        events[first..second].replacen("key = \"harbour-raid\"", "key = \"harbour-raid-again\"", 1);
    assert!(
        added.contains("harbour-raid-again"),
        "the copy has its own key"
    );
    events.insert_str(first, &format!("{added}\n"));
    ingest::load(app.db(), &dataset, true)
        .await
        .expect("the grown dataset reloads");

    let mut after = BTreeMap::new();
    ids(&app.data(EVERYTHING, json!({})).await, "", &mut after);
    for (id, named) in &before {
        assert_eq!(after.get(id), Some(named), "ID {id} changed what it names");
    }
    // What is new is the added event and its parts, whose IDs hold its key.
    let new: Vec<&String> = after
        .keys()
        .filter(|id| !before.contains_key(*id))
        .collect();
    assert!(!new.is_empty());
    for id in &new {
        let text = String::from_utf8(URL_SAFE_NO_PAD.decode(id).expect("base64")).expect("text");
        let (_, key) = text.split_once(':').expect("Type:key");
        assert!(key.starts_with("harbour-raid-again"), "new ID {text}");
    }
    let event = app
        .data(
            "query($key: String) { event(key: $key) { id key } }",
            json!({ "key": "harbour-raid-again" }),
        )
        .await;
    assert!(new.contains(&&event["event"]["id"].as_str().expect("an id").to_string()));
}

async fn records_are_found_by_their_keys(backend: Backend) {
    let app = TestApp::fixture(backend, "rules").await;
    let data = app
        .data(
            r#"{
              event(key: "harbour-raid") { id key }
              source(key: "daily") { id key }
              agency(key: "xa-police") { id key }
              person(key: "inspector-vale") { id key }
              location(key: "harbour") { id key }
              country(code: "XA") { id code }
              missing: event(key: "no-such-event") { id }
            }"#,
            json!({}),
        )
        .await;
    assert!(data["missing"].is_null());
    for (root, field) in [
        ("event", "key"),
        ("source", "key"),
        ("agency", "key"),
        ("person", "key"),
        ("location", "key"),
        ("country", "code"),
    ] {
        let id = data[root]["id"].as_str().expect("found by key");
        let node = app
            .data(
                &format!(
                    "query($id: ID!) {{ node(id: $id) {{ id ... on {} {{ {field} }} }} }}",
                    {
                        let mut t = root.to_string();
                        t[..1].make_ascii_uppercase();
                        t
                    }
                ),
                json!({ "id": id }),
            )
            .await;
        assert_eq!(node["node"][field], data[root][field], "{root}");
        if root != "country" {
            // By ID too, the same record.
            let by_id = app
                .data(
                    &format!("query($id: ID) {{ {root}(id: $id) {{ {field} }} }}"),
                    json!({ "id": id }),
                )
                .await;
            assert_eq!(by_id[root][field], data[root][field], "{root}(id:)");
        }
    }
    // Exactly one of `id` and `key`.
    for document in [
        r#"{ event { id } }"#,
        r#"{ event(id: "RXZlbnQ6aGFyYm91ci1yYWlk", key: "harbour-raid") { id } }"#,
    ] {
        let (_, body) = app.graphql(document, json!({})).await;
        assert_eq!(
            body["errors"][0]["extensions"]["code"], "BAD_USER_INPUT",
            "{document}: {body:#}"
        );
    }
}

async fn every_node_type_round_trips(backend: Backend) {
    let app = TestApp::fixture(backend, "rules").await;
    let data = app
        .data(
            r#"{ event(key: "harbour-raid") {
                participants { id count { claims { id } } }
                citations { id }
                statements { id }
            } }"#,
            json!({}),
        )
        .await;
    let event = &data["event"];
    for (id, typename) in [
        (&event["participants"][0]["id"], "ParticipantGroup"),
        (
            &event["participants"][0]["count"]["claims"][0]["id"],
            "Claim",
        ),
        (&event["citations"][0]["id"], "Citation"),
        (&event["statements"][0]["id"], "Statement"),
    ] {
        let node = app
            .data(
                "query($id: ID!) { node(id: $id) { __typename id } }",
                json!({ "id": id }),
            )
            .await;
        assert_eq!(node["node"]["__typename"], typename, "{id}");
        assert_eq!(&node["node"]["id"], id);
    }
}

#[tokio::test]
async fn the_schema_describes_itself() {
    let app = TestApp::fixture(Backend::Sqlite, "rules").await;
    let data = app
        .data(
            "{ __schema { about: description queryType { name } } }",
            json!({}),
        )
        .await;
    let about = data["__schema"]["about"].as_str().expect("a description");
    assert!(about.starts_with("Scam Atlas"), "{about}");
    assert!(about.contains("CC BY 4.0"), "{about}");
    assert_eq!(data["__schema"]["queryType"]["name"], "Query");
    let sdl = scam_atlas::graphql::sdl();
    assert!(
        sdl.contains("scalar Date @specifiedBy("),
        "Date names its specification"
    );
    assert!(
        sdl.contains("scalar Count @specifiedBy("),
        "Count names its specification"
    );
    assert!(
        sdl.contains("\"\"\"\nScam Atlas:"),
        "the SDL carries the description"
    );
}
