//! The read API: every root connection, lookup, field, back-reference and filter of the
//! contract. The fields and back-references are checked on the curated dataset (what users
//! get), every expected value derived from `data/*.toml`; the event filters and orderings,
//! which are rules, on the `rules` fixture (tests/fixtures/rules/). Where a derivation is not
//! obvious a comment says how.

use crate::helpers::{Backend, TestApp, country_id};
use axum::http::StatusCode;
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde_json::{Value, json};
use std::collections::HashSet;

both!(
    root_connections_are_consistent,
    single_lookups_find_each_object,
    node_and_nodes_round_trip_every_type,
    wrong_and_unknown_ids,
    event_fields_hold_the_curated_values,
    back_references_lead_back,
    statistics_carry_their_figures,
    event_filters_narrow_events,
    event_date_filters_overlap_spans,
    events_order_by_people_count,
    filters_of_the_other_roots,
    bad_filter_input_is_the_clients_mistake,
    source_citations_name_their_event,
);

// --- helpers -----------------------------------------------------------------------------

/// A JSON list, or a panic naming what it was.
fn list(v: &Value) -> &[Value] {
    v.as_array()
        .map(Vec::as_slice)
        .unwrap_or_else(|| panic!("expected a list, got {v}"))
}

/// `field` of every item, as strings.
fn strings(items: &Value, field: &str) -> Vec<String> {
    list(items)
        .iter()
        .map(|i| {
            i[field]
                .as_str()
                .unwrap_or_else(|| panic!("no string {field} in {i}"))
                .to_string()
        })
        .collect()
}

/// A list of strings (enum values).
fn values(items: &Value) -> Vec<String> {
    list(items)
        .iter()
        .map(|i| {
            i.as_str()
                .unwrap_or_else(|| panic!("not a string: {i}"))
                .to_string()
        })
        .collect()
}

/// Sorted owned strings, for comparing sets.
fn set(keys: &[&str]) -> Vec<String> {
    let mut v: Vec<String> = keys.iter().map(|k| k.to_string()).collect();
    v.sort();
    v
}

fn sorted(mut v: Vec<String>) -> Vec<String> {
    v.sort();
    v
}

/// The item of `items` whose `field` is `value`.
fn find<'a>(items: &'a Value, field: &str, value: &str) -> &'a Value {
    list(items)
        .iter()
        .find(|i| i[field] == value)
        .unwrap_or_else(|| panic!("no item with {field} = {value} in {items:#}"))
}

/// The event with `key` among `nodes`.
fn event<'a>(nodes: &'a Value, key: &str) -> &'a Value {
    find(nodes, "key", key)
}

/// Runs a document that must fail; returns its first error's code and message.
async fn error(app: &TestApp, query: &str, variables: Value) -> (String, String) {
    let (status, body) = app.graphql(query, variables).await;
    assert_eq!(status, StatusCode::OK, "{query}: {body:#}");
    let first = &body["errors"][0];
    assert!(
        first.is_object(),
        "{query}: expected an error, got {body:#}"
    );
    (
        first["extensions"]["code"]
            .as_str()
            .unwrap_or_default()
            .to_string(),
        first["message"].as_str().unwrap_or_default().to_string(),
    )
}

/// Asserts the document fails with BAD_USER_INPUT.
async fn bad_input(app: &TestApp, query: &str, variables: Value) -> String {
    let (code, message) = error(app, query, variables.clone()).await;
    assert_eq!(
        code, "BAD_USER_INPUT",
        "{query} with {variables}: {message}"
    );
    message
}

/// The ids and keys of everything, to look objects up by key.
const EVERYTHING: &str = r#"{
  events(first: 100) { nodes { id key } }
  agencies(first: 100) { nodes { id key } }
  people(first: 100) { nodes { id key } }
  locations(first: 100) { nodes { id key } }
  sources(first: 100) { nodes { id key } }
  statistics(first: 100) { nodes { id key } }
  deportationFlows(first: 100) { nodes { id event { key } } }
  countries { id code }
}"#;

struct Ids(Value);

impl Ids {
    async fn load(app: &TestApp) -> Ids {
        Ids(app.data(EVERYTHING, json!({})).await)
    }

    /// The global ID of the object of root connection `root` with `key`.
    fn of(&self, root: &str, key: &str) -> String {
        find(&self.0[root]["nodes"], "key", key)["id"]
            .as_str()
            .expect("an id")
            .to_string()
    }

    fn country(&self, code: &str) -> String {
        find(&self.0["countries"], "code", code)["id"]
            .as_str()
            .expect("an id")
            .to_string()
    }

    /// The (one) flow of the event `event_key`.
    fn flow(&self, event_key: &str) -> String {
        list(&self.0["deportationFlows"]["nodes"])
            .iter()
            .find(|f| f["event"]["key"] == event_key)
            .unwrap_or_else(|| panic!("no flow of {event_key}"))["id"]
            .as_str()
            .expect("an id")
            .to_string()
    }
}

/// A well-formed global ID that names no row (IDs are base64url of `Type:id`).
fn unknown_id(type_name: &str) -> String {
    URL_SAFE_NO_PAD.encode(format!("{type_name}:987654"))
}

/// Asserts a connection's edges, nodes, page info and total agree with each other.
fn assert_consistent(what: &str, conn: &Value) {
    let edges = list(&conn["edges"]);
    let nodes = list(&conn["nodes"]);
    assert_eq!(edges.len(), nodes.len(), "{what}: as many edges as nodes");
    let mut cursors = HashSet::new();
    for (edge, node) in edges.iter().zip(nodes) {
        assert_eq!(edge["node"], *node, "{what}: edge node and node differ");
        let cursor = edge["cursor"].as_str().expect("a cursor");
        assert!(!cursor.is_empty(), "{what}: empty cursor");
        assert!(cursors.insert(cursor), "{what}: cursor {cursor} repeats");
    }
    let info = &conn["pageInfo"];
    let cursor_of = |e: Option<&Value>| e.map_or(Value::Null, |e| e["cursor"].clone());
    assert_eq!(
        info["startCursor"],
        cursor_of(edges.first()),
        "{what}: startCursor"
    );
    assert_eq!(
        info["endCursor"],
        cursor_of(edges.last()),
        "{what}: endCursor"
    );
    let total = conn["totalCount"].as_u64().expect("a totalCount") as usize;
    assert!(total >= nodes.len(), "{what}: totalCount below page size");
}

// --- root connections and lookups ---------------------------------------------------------

async fn root_connections_are_consistent(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    // Totals: 28 [[event]]; 24 [[agency]]; 9 [[person]]; 21 places = 10 countries (each a
    // COUNTRY place) + 11 [[place]]; 5 [[source]]; 12 [[statistic]]; 6 [[event.flows]].
    for (root, total) in [
        ("events", 28),
        ("agencies", 24),
        ("people", 9),
        ("locations", 21),
        ("sources", 5),
        ("statistics", 12),
        ("deportationFlows", 6),
    ] {
        let query = format!(
            "query($n: Int) {{ {root}(first: $n) {{ totalCount edges {{ cursor node {{ id }} }} nodes {{ id }} pageInfo {{ hasNextPage hasPreviousPage startCursor endCursor }} }} }}"
        );
        let all = &app.data(&query, json!({ "n": 100 })).await[root];
        assert_consistent(root, all);
        assert_eq!(all["totalCount"], total, "{root}: totalCount");
        assert_eq!(
            list(&all["nodes"]).len(),
            total,
            "{root}: one page holds all"
        );
        assert_eq!(all["pageInfo"]["hasNextPage"], false, "{root}");
        assert_eq!(all["pageInfo"]["hasPreviousPage"], false, "{root}");
        let ids: HashSet<&str> = list(&all["nodes"])
            .iter()
            .filter_map(|n| n["id"].as_str())
            .collect();
        assert_eq!(ids.len(), total, "{root}: ids are distinct");

        // A first page of two is the start of the whole list, and says more follow.
        let two = &app.data(&query, json!({ "n": 2 })).await[root];
        assert_consistent(root, two);
        assert_eq!(
            two["totalCount"], total,
            "{root}: totalCount counts all pages"
        );
        assert_eq!(two["nodes"], json!(list(&all["nodes"])[..2]), "{root}");
        assert_eq!(two["pageInfo"]["hasNextPage"], true, "{root}");
        assert_eq!(two["pageInfo"]["hasPreviousPage"], false, "{root}");

        // Without first or last a page holds 20.
        let default = &app.data(&query, json!({ "n": null })).await[root];
        assert_eq!(
            list(&default["nodes"]).len(),
            total.min(20),
            "{root}: default page"
        );
    }

    // The documented orders: events newest first (UNKNOWN dates last), agencies by name.
    let data = app
        .data(
            "{ events(first: 100) { nodes { date { start } } } agencies(first: 100) { nodes { name } } }",
            json!({}),
        )
        .await;
    let starts: Vec<Option<&str>> = list(&data["events"]["nodes"])
        .iter()
        .map(|n| n["date"]["start"].as_str())
        .collect();
    let mut expected = starts.clone();
    // None < Some, so reversing an ascending sort puts None (UNKNOWN) last.
    expected.sort();
    expected.reverse();
    assert_eq!(starts, expected, "events are newest first, UNKNOWN last");
    assert_eq!(
        starts[0],
        Some("2026-02-09"),
        "the My Casino tour is the newest"
    );
    let names = strings(&data["agencies"]["nodes"], "name");
    let mut by_name = names.clone();
    by_name.sort_by_key(|n| n.to_lowercase());
    assert_eq!(names, by_name, "agencies are by name");
}

async fn single_lookups_find_each_object(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let ids = Ids::load(&app).await;
    let data = app
        .data(
            r#"query($e: ID!, $a: ID!, $p: ID!, $l: ID!, $s: ID!) {
              event(id: $e) { id key title }
              agency(id: $a) { id key name shortName kind country { code } parent { key } }
              person(id: $p) { id key name }
              location(id: $l) { id key name level country { code } parent { key } }
              source(id: $s) { id key headline outlet originalOutlet wireAgency byline dateline url reporting note published { start end precision derived } }
              kh: country(code: "KH") { id code name }
              lower: country(code: "kh") { id code name }
              absent: country(code: "FR") { code }
              countries { code name }
            }"#,
            json!({
                "e": ids.of("events", "2017-08-02-poipet-siem-reap-raids"),
                "a": ids.of("agencies", "us-fbi"),
                "p": ids.of("people", "khun-sambo"),
                "l": ids.of("locations", "poipet"),
                "s": ids.of("sources", "reuters-2017-08-17"),
            }),
        )
        .await;
    assert_eq!(
        data["event"]["title"],
        "Raids on VoIP extortion ring in Poipet and Siem Reap"
    );
    assert_eq!(
        data["agency"],
        json!({ "id": ids.of("agencies", "us-fbi"), "key": "us-fbi", "name": "Federal Bureau of Investigation",
                "shortName": "FBI", "kind": "LAW_ENFORCEMENT", "country": { "code": "US" }, "parent": { "key": "us-government" } })
    );
    assert_eq!(data["person"]["name"], "Khun Sambo");
    assert_eq!(data["location"]["name"], "Poipet");
    assert_eq!(data["location"]["level"], "CITY");
    assert_eq!(data["location"]["country"]["code"], "KH");
    assert_eq!(data["location"]["parent"]["key"], "banteay-meanchey");
    let source = &data["source"];
    assert_eq!(
        source["headline"],
        "Cambodian police arrest 376 in telecom scam targeting China"
    );
    assert_eq!(source["wireAgency"], "Reuters");
    assert_eq!(source["originalOutlet"], Value::Null);
    assert_eq!(source["dateline"], "PHNOM PENH");
    assert_eq!(source["reporting"], "REPUBLISHED");
    assert_eq!(
        source["published"],
        json!({ "start": "2017-08-17", "end": "2017-08-17", "precision": "DAY", "derived": true })
    );
    // A country by its code, in either case.
    assert_eq!(data["kh"]["code"], "KH");
    assert_eq!(data["kh"]["name"], "Cambodia");
    assert_eq!(
        data["lower"], data["kh"],
        "country(code: \"kh\") is Cambodia too"
    );
    assert_eq!(data["kh"]["id"], ids.country("KH"));
    assert_eq!(
        data["absent"],
        Value::Null,
        "a country not in the dataset is null"
    );
    // countries: the 10 of countries.toml, by name.
    assert_eq!(
        strings(&data["countries"], "name"),
        [
            "Cambodia",
            "China",
            "India",
            "Indonesia",
            "Philippines",
            "Taiwan",
            "Thailand",
            "United Kingdom",
            "United States",
            "Vietnam"
        ]
    );
    assert_eq!(find(&data["countries"], "code", "TW")["name"], "Taiwan");
}

async fn node_and_nodes_round_trip_every_type(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let ids = Ids::load(&app).await;
    // One object of each Node type, with what identifies it.
    let objects = [
        (
            "Event",
            ids.of("events", "my-casino-exodus"),
            "key",
            "my-casino-exodus",
        ),
        ("Agency", ids.of("agencies", "unodc"), "key", "unodc"),
        (
            "Person",
            ids.of("people", "uk-heisela"),
            "key",
            "uk-heisela",
        ),
        (
            "Location",
            ids.of("locations", "my-casino"),
            "key",
            "my-casino",
        ),
        ("Country", ids.country("TW"), "code", "TW"),
        (
            "Source",
            ids.of("sources", "afp-2025-07-16"),
            "key",
            "afp-2025-07-16",
        ),
        (
            "DeportationFlow",
            ids.flow("2025-03-cambodia-deports-119-thais"),
            "kind",
            "DEPORTATION",
        ),
        (
            "Statistic",
            ids.of("statistics", "kampot-police-officers-2026"),
            "key",
            "kampot-police-officers-2026",
        ),
    ];
    const NODE: &str = r#"
      fragment N on Node {
        __typename id
        ... on Event { key }
        ... on Agency { key }
        ... on Person { key }
        ... on Location { key }
        ... on Country { code }
        ... on Source { key }
        ... on DeportationFlow { kind toCountry { code } }
        ... on Statistic { key }
      }"#;
    for (type_name, id, field, value) in &objects {
        let data = app
            .data(
                &format!("query($id: ID!) {{ node(id: $id) {{ ...N }} }} {NODE}"),
                json!({ "id": id }),
            )
            .await;
        let node = &data["node"];
        assert_eq!(node["__typename"], *type_name, "{node}");
        assert_eq!(node["id"], *id, "{type_name}: the id round-trips");
        assert_eq!(node[*field], *value, "{type_name}: {node}");
    }
    assert_eq!(
        app.data(
            &format!("query($id: ID!) {{ node(id: $id) {{ ...N }} }} {NODE}"),
            json!({ "id": ids.flow("2025-03-cambodia-deports-119-thais") })
        )
        .await["node"]["toCountry"]["code"],
        "TH"
    );

    // nodes: the same objects in the order asked, null for a well-formed unknown ID.
    let mut asked: Vec<String> = objects.iter().map(|o| o.1.clone()).collect();
    asked.insert(3, unknown_id("Event"));
    asked.reverse();
    let data = app
        .data(
            &format!("query($ids: [ID!]!) {{ nodes(ids: $ids) {{ ...N }} }} {NODE}"),
            json!({ "ids": asked }),
        )
        .await;
    let nodes = list(&data["nodes"]);
    assert_eq!(nodes.len(), asked.len());
    for (node, id) in nodes.iter().zip(&asked) {
        if *id == unknown_id("Event") {
            assert_eq!(*node, Value::Null, "an unknown ID gives null");
        } else {
            assert_eq!(node["id"], *id, "nodes keeps the order of ids");
        }
    }
}

async fn wrong_and_unknown_ids(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let ids = Ids::load(&app).await;
    // An Agency's ID is well formed but not an Event's.
    let message = bad_input(
        &app,
        "query($id: ID!) { event(id: $id) { key } }",
        json!({ "id": ids.of("agencies", "kh-police") }),
    )
    .await;
    assert!(message.contains("Agency"), "{message}");
    // Likewise for the other typed lookups.
    for (root, id) in [
        ("agency", ids.of("people", "hun-manet")),
        ("person", ids.of("agencies", "un")),
        ("location", ids.of("events", "my-casino-exodus")),
        ("source", ids.of("locations", "poipet")),
    ] {
        bad_input(
            &app,
            &format!("query($id: ID!) {{ {root}(id: $id) {{ id }} }}"),
            json!({ "id": id }),
        )
        .await;
    }
    // Not an ID at all.
    bad_input(&app, r#"{ node(id: "%%%") { id } }"#, json!({})).await;
    bad_input(&app, r#"{ event(id: "bm90LWFuLWlk") { id } }"#, json!({})).await;

    // Well formed and of the right type, but no such row: null, without an error.
    let data = app
        .data(
            r#"query($e: ID!, $a: ID!, $p: ID!, $l: ID!, $s: ID!, $n: ID!) {
              event(id: $e) { id } agency(id: $a) { id } person(id: $p) { id }
              location(id: $l) { id } source(id: $s) { id } node(id: $n) { id }
            }"#,
            json!({
                "e": unknown_id("Event"), "a": unknown_id("Agency"), "p": unknown_id("Person"),
                "l": unknown_id("Location"), "s": unknown_id("Source"), "n": unknown_id("Statistic"),
            }),
        )
        .await;
    for field in ["event", "agency", "person", "location", "source", "node"] {
        assert_eq!(data[field], Value::Null, "{field} of an unknown id");
    }
}

// --- event fields --------------------------------------------------------------------------

const EVENTS_IN_FULL: &str = r#"
fragment F on Figure {
  value low high qualifier derived
  claims { value high qualifier derived note quote source { key } }
}
query {
  events(first: 30) {
    nodes {
      id key kinds title summary
      date { start end precision derived }
      status
      location { key }
      places { key }
      peopleCount { ...F }
      participants { nationality { code } role status count { ...F } women { ...F } event { key } }
      agencies { role agency { key } }
      people { role person { key } }
      deportationFlows {
        id fromCountry { code } toCountry { code } kind status
        date { start end precision derived }
        count { ...F }
        byNationality { nationality { code } count { ...F } }
        event { key }
      }
      seizures { item quantity { ...F } }
      moneyFigures { measure currency amount { ...F } }
      citations { quote source { key } supports { fact kind location { key } agency { key } person { key } } }
      statements { quote person { key } event { key } source { key } }
      related { relation event { key } quote source { key } }
    }
  }
}"#;

/// The participant group of `nationality` (a code, or None) with `status`.
fn group<'a>(event: &'a Value, nationality: Option<&str>, status: &str) -> &'a Value {
    list(&event["participants"])
        .iter()
        .find(|g| g["nationality"]["code"].as_str() == nationality && g["status"] == status)
        .unwrap_or_else(|| panic!("no {nationality:?} {status} group in {}", event["key"]))
}

async fn event_fields_hold_the_curated_values(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let data = app.data(EVENTS_IN_FULL, json!({})).await;
    let nodes = &data["events"]["nodes"];
    assert_eq!(list(nodes).len(), 28);

    // Every back-reference of an event's parts leads back to it.
    for e in list(nodes) {
        let key = &e["key"];
        for g in list(&e["participants"]) {
            assert_eq!(g["event"]["key"], *key, "ParticipantGroup.event");
        }
        for f in list(&e["deportationFlows"]) {
            assert_eq!(f["event"]["key"], *key, "DeportationFlow.event");
        }
        for s in list(&e["statements"]) {
            assert_eq!(s["event"]["key"], *key, "Statement.event");
        }
        assert!(!list(&e["kinds"]).is_empty(), "{key}: an event has a kind");
        assert!(
            !list(&e["citations"]).is_empty(),
            "{key}: an event is cited"
        );
    }

    // --- Veal Sbov, 20 September 2016: 63 deported, 13 Taiwanese, hence 50 Chinese. -----
    let deported = event(nodes, "2016-09-20-veal-sbov-group-deported");
    assert_eq!(deported["kinds"], json!(["DEPORTATION"]));
    assert_eq!(
        deported["title"],
        "Cambodia deports 63 Chinese and Taiwanese VoIP scam suspects to China"
    );
    assert!(
        deported["summary"]
            .as_str()
            .is_some_and(|s| s.starts_with("On 20 September 2016")),
        "{}",
        deported["summary"]
    );
    // A DAY date ends on its start.
    assert_eq!(
        deported["date"],
        json!({ "start": "2016-09-20", "end": "2016-09-20", "precision": "DAY", "derived": true })
    );
    assert_eq!(deported["status"], "COMPLETED");
    assert_eq!(deported["location"]["key"], "KH");
    assert_eq!(strings(&deported["places"], "key"), ["KH"]);
    assert_eq!(
        deported["agencies"],
        json!([{ "role": "DEPORTING", "agency": { "key": "kh-immigration-department" } }])
    );
    assert_eq!(
        deported["people"],
        json!([{ "role": "SPOKESPERSON", "person": { "key": "uk-heisela" } }])
    );
    let tw = group(deported, Some("TW"), "DEPORTED");
    assert_eq!(tw["role"], "SUSPECT");
    assert_eq!(tw["count"]["value"], 13);
    assert_eq!(
        tw["count"]["derived"], true,
        "the deportation's quote gives 63; the 13 are the arrests' Taiwanese"
    );
    assert_eq!(tw["women"], Value::Null, "no source gives women here");
    let cn = group(deported, Some("CN"), "DEPORTED");
    assert_eq!(cn["count"]["value"], 50);
    assert_eq!(cn["count"]["derived"], true, "50 = 63 - 13 is arithmetic");
    assert_eq!(cn["count"]["claims"][0]["derived"], true);
    assert!(
        cn["count"]["claims"][0]["note"]
            .as_str()
            .is_some_and(|n| n.contains("63 - 13 = 50")),
        "the derived claim says how: {}",
        cn["count"]["claims"][0]
    );
    assert_eq!(cn["count"]["claims"][0]["source"]["key"], "ppp-2016-09-21");
    // No total is given, so the people are the DEPORTED groups added up: 13 + 50, derived
    // because one part is; the sum's claims are its parts' claims.
    let people = &deported["peopleCount"];
    assert_eq!(people["value"], 63);
    assert_eq!(people["qualifier"], "EXACT");
    assert_eq!(people["derived"], true);
    assert_eq!(list(&people["claims"]).len(), 2);
    // Its one flow: KH → CN, 63, split 13 TW + 50 CN.
    let flows = list(&deported["deportationFlows"]);
    assert_eq!(flows.len(), 1);
    let flow = &flows[0];
    assert_eq!(flow["fromCountry"]["code"], "KH");
    assert_eq!(flow["toCountry"]["code"], "CN");
    assert_eq!(flow["kind"], "DEPORTATION");
    assert_eq!(flow["status"], "COMPLETED");
    assert_eq!(
        flow["date"], deported["date"],
        "a flow takes its event's date"
    );
    assert_eq!(flow["count"]["value"], 63);
    assert_eq!(flow["count"]["qualifier"], "EXACT");
    assert!(
        flow["count"]["claims"][0]["note"]
            .as_str()
            .is_some_and(|n| n.contains("more than 60")),
        "{}",
        flow["count"]
    );
    let split = &flow["byNationality"];
    assert_eq!(list(split).len(), 2);
    let tw = list(split)
        .iter()
        .find(|n| n["nationality"]["code"] == "TW")
        .expect("TW");
    assert_eq!(tw["count"]["value"], 13);
    assert_eq!(
        tw["count"]["derived"], true,
        "the deportation's quote gives 63; the 13 are the arrests' Taiwanese"
    );
    let cn = list(split)
        .iter()
        .find(|n| n["nationality"]["code"] == "CN")
        .expect("CN");
    assert_eq!(cn["count"]["value"], 50);
    assert_eq!(cn["count"]["derived"], true);
    assert_eq!(
        cn["count"]["claims"][0]["note"], "63 - 13 Taiwanese = 50 Chinese.",
        "the note of the derived split"
    );
    // Its citations, what they support, its statement and its related events.
    let citations = list(&deported["citations"]);
    assert_eq!(citations.len(), 2);
    assert!(
        citations
            .iter()
            .all(|c| c["source"]["key"] == "ppp-2016-09-21")
    );
    let quoted = citations
        .iter()
        .find(|c| {
            c["quote"]
                .as_str()
                .is_some_and(|q| q.contains("We sent 63"))
        })
        .expect("Hai Seila's quote is cited");
    assert!(
        list(&quoted["supports"])
            .iter()
            .any(|s| s["fact"] == "PERSON" && s["person"]["key"] == "uk-heisela"),
        "{quoted:#}"
    );
    assert!(
        list(&quoted["supports"])
            .iter()
            .any(|s| s["fact"] == "KIND" && s["kind"] == "DEPORTATION" && s["person"].is_null()),
        "{quoted:#}"
    );
    assert!(
        citations
            .iter()
            .flat_map(|c| list(&c["supports"]))
            .any(|s| s["fact"] == "LOCATION"
                && s["location"]["key"] == "KH"
                && s["kind"].is_null()
                && s["agency"].is_null()),
        "place:KH is supported, with only `location` set"
    );
    let statements = list(&deported["statements"]);
    assert_eq!(statements.len(), 1);
    assert_eq!(statements[0]["person"]["key"], "uk-heisela");
    assert_eq!(statements[0]["source"]["key"], "ppp-2016-09-21");
    assert!(
        statements[0]["quote"]
            .as_str()
            .is_some_and(|q| q.contains("We sent 63 Chinese [and Taiwanese] nationals back"))
    );
    let related: Vec<(String, String)> = list(&deported["related"])
        .iter()
        .map(|r| {
            (
                r["relation"].as_str().unwrap_or_default().to_string(),
                r["event"]["key"].as_str().unwrap_or_default().to_string(),
            )
        })
        .collect();
    assert_eq!(
        sorted(related.iter().map(|(r, k)| format!("{r} {k}")).collect()),
        set(&[
            "FOLLOWS 2016-veal-sbov-voip-arrests",
            "LINKED_TO 2016-06-cambodia-deports-taiwanese-to-china"
        ])
    );
    assert!(
        list(&deported["related"])
            .iter()
            .all(|r| r["source"]["key"] == "ppp-2016-09-21" && r["quote"].is_string())
    );

    // --- The July 2025 raids: the sources' total ("just over 1,000") is the people count,
    // not the sum of the three nationality groups (271 + 213 + 75 = 559). ---------------
    let raids = event(nodes, "2025-07-cambodia-nationwide-raids");
    let people = &raids["peopleCount"];
    assert_eq!(people["value"], 1000, "the total, not 559: {people:#}");
    assert_eq!(people["qualifier"], "MORE_THAN");
    assert_eq!(people["derived"], false);
    assert_eq!(list(&people["claims"]).len(), 1);
    assert_eq!(people["claims"][0]["source"]["key"], "afp-2025-07-16");
    assert!(
        people["claims"][0]["quote"]
            .as_str()
            .is_some_and(|q| q.starts_with("Just over 1,000 suspects were detained"))
    );
    let sum: u64 = list(&raids["participants"])
        .iter()
        .filter_map(|g| g["count"]["value"].as_u64())
        .sum();
    assert_eq!(sum, 559);
    assert_eq!(
        group(raids, Some("ID"), "ARRESTED")["count"]["qualifier"],
        "AT_LEAST"
    );
    assert_eq!(
        sorted(strings(&raids["places"], "key")),
        set(&["phnom-penh", "poipet", "sihanoukville"])
    );
    // The most specific place holding Phnom Penh, Poipet and Sihanoukville is Cambodia.
    assert_eq!(raids["location"]["key"], "KH");
    assert_eq!(
        raids["date"],
        json!({ "start": "2025-07-14", "end": "2025-07-16", "precision": "RANGE", "derived": true })
    );
    assert_eq!(sorted(values(&raids["kinds"])), set(&["ARREST", "RAID"]));

    // --- The My Casino exodus: "about 6,000 to 7,000". -----------------------------------
    let exodus = event(nodes, "my-casino-exodus");
    let fled = group(exodus, None, "FLED");
    assert_eq!(fled["role"], "WORKER");
    assert_eq!(
        (
            &fled["count"]["value"],
            &fled["count"]["low"],
            &fled["count"]["high"],
            &fled["count"]["qualifier"]
        ),
        (&json!(6000), &json!(6000), &json!(7000), &json!("ABOUT"))
    );
    assert_eq!(fled["count"]["claims"][0]["value"], 6000);
    assert_eq!(fled["count"]["claims"][0]["high"], 7000);
    assert_eq!(exodus["peopleCount"]["high"], 7000);
    assert_eq!(exodus["location"]["key"], "my-casino");
    assert_eq!(exodus["agencies"], json!([]));
    assert_eq!(
        exodus["people"],
        json!([{ "role": "SPOKESPERSON", "person": { "key": "mao-chanmothurith" } }])
    );

    // --- A planned flow, with no count. --------------------------------------------------
    let planned = event(nodes, "2017-08-planned-deportation-flight-to-china");
    assert_eq!(planned["status"], "PLANNED");
    assert_eq!(
        planned["date"],
        json!({ "start": "2017-08-14", "end": "2017-08-20", "precision": "WEEK", "derived": true })
    );
    let flow = &planned["deportationFlows"][0];
    assert_eq!(flow["status"], "PLANNED");
    assert_eq!(flow["count"], Value::Null, "no source gives a number");
    assert_eq!(flow["byNationality"], json!([]));
    assert_eq!(flow["toCountry"]["code"], "CN");
    assert_eq!(planned["peopleCount"], Value::Null, "nobody is counted");
    assert_eq!(planned["participants"], json!([]));

    // --- The campaign's 173 and 11,000 are statistics, not an event. ------------------
    assert!(
        list(nodes)
            .iter()
            .all(|e| e["key"] != "2025-2026-cambodia-crackdown-campaign")
    );
    // --- June 2016: a deportation of Taiwanese with no number, in people and flow alike.
    let june = event(nodes, "2016-06-cambodia-deports-taiwanese-to-china");
    assert_eq!(
        group(june, Some("TW"), "DEPORTED")["count"]["value"],
        Value::Null
    );
    assert_eq!(june["deportationFlows"][0]["count"], Value::Null);

    // --- Banteay Meanchey casino: a total of 118 keeps the 80 released out. -------------
    let casino = event(nodes, "2016-banteay-meanchey-casino-crackdown");
    assert_eq!(casino["peopleCount"]["value"], 118);
    assert!(casino["peopleCount"]["claims"][0]["note"].is_string());
    assert_eq!(group(casino, Some("CN"), "RELEASED")["count"]["value"], 80);

    // --- Indonesia's $450 million: a Count beyond nothing, written as a JSON integer. --
    let indonesia = event(nodes, "2017-07-indonesia-detains-chinese");
    let money = list(&indonesia["moneyFigures"]);
    assert_eq!(money.len(), 1);
    assert_eq!(money[0]["measure"], "PROCEEDS");
    assert_eq!(money[0]["currency"], "USD");
    let amount = &money[0]["amount"]["value"];
    assert!(amount.is_u64(), "a Count is a JSON integer, got {amount}");
    assert_eq!(*amount, json!(450_000_000_u64));
    assert_eq!(money[0]["amount"]["qualifier"], "ABOUT");
    assert_eq!(indonesia["location"]["key"], "ID");
    assert_eq!(
        group(indonesia, Some("CN"), "DETAINED")["count"]["qualifier"],
        "MORE_THAN"
    );

    // --- 2 August 2017: seizures, women, citations of agencies, people and places. ------
    let raid = event(nodes, "2017-08-02-poipet-siem-reap-raids");
    let seizures = list(&raid["seizures"]);
    assert_eq!(seizures.len(), 2);
    let phones = find(&raid["seizures"], "item", "desk phone");
    assert_eq!(phones["quantity"]["value"], 100);
    assert_eq!(phones["quantity"]["qualifier"], "MORE_THAN");
    assert_eq!(
        find(&raid["seizures"], "item", "laptop")["quantity"]["value"],
        2
    );
    assert_eq!(group(raid, Some("CN"), "ARRESTED")["women"]["value"], 32);
    // 151 (firmest of 151/200) + 3 Taiwanese; high 200 + 3.
    assert_eq!(raid["peopleCount"]["value"], 154);
    assert_eq!(raid["peopleCount"]["low"], 154);
    assert_eq!(raid["peopleCount"]["high"], 203);
    assert_eq!(list(&raid["peopleCount"]["claims"]).len(), 3);
    // Two provinces: the common place is Cambodia.
    assert_eq!(raid["location"]["key"], "KH");
    let supports: Vec<&Value> = list(&raid["citations"])
        .iter()
        .flat_map(|c| list(&c["supports"]))
        .collect();
    assert!(
        supports
            .iter()
            .any(|s| s["fact"] == "AGENCY" && s["agency"]["key"] == "cn-authorities")
    );
    assert!(
        supports
            .iter()
            .any(|s| s["fact"] == "PERSON" && s["person"]["key"] == "khun-sambo")
    );
    assert!(
        supports
            .iter()
            .any(|s| s["fact"] == "LOCATION" && s["location"]["key"] == "poipet")
    );
    assert!(supports.iter().any(|s| s["fact"] == "DATE"));
    assert!(
        supports
            .iter()
            .any(|s| s["fact"] == "KIND" && s["kind"] == "SEIZURE")
    );
    // Khun Sambo's five quoted sentences, each his own words in quotation marks.
    assert_eq!(list(&raid["statements"]).len(), 5);
    assert!(list(&raid["statements"]).iter().all(|st| {
        st["quote"]
            .as_str()
            .is_some_and(|q| q.starts_with('"') && q.ends_with('"'))
    }));
    // Immigration announced the figures; the police arrested.
    assert!(
        list(&raid["agencies"]).iter().any(
            |a| a["role"] == "ANNOUNCING" && a["agency"]["key"] == "kh-immigration-department"
        )
    );
    assert!(
        list(&raid["agencies"])
            .iter()
            .any(|a| a["role"] == "TIP_OFF" && a["agency"]["key"] == "cn-authorities")
    );

    // --- No place, unknown date. --------------------------------------------------------
    let warning = event(nodes, "2025-04-unodc-warning");
    assert_eq!(warning["location"], Value::Null);
    assert_eq!(warning["places"], json!([]));
    let indictment = event(nodes, "chen-zhi-us-indictment");
    assert_eq!(
        indictment["date"],
        json!({ "start": null, "end": null, "precision": "UNKNOWN", "derived": false })
    );
    let china = event(nodes, "2017-china-arrests-suspects-linked-to-cambodia");
    let some = group(china, None, "ARRESTED");
    assert_eq!(some["nationality"], Value::Null);
    assert_eq!(some["count"]["value"], Value::Null, "\"some suspects\"");
    assert_eq!(some["count"]["qualifier"], "UNKNOWN");
    assert_eq!(some["count"]["claims"][0]["value"], Value::Null);
    assert_eq!(some["count"]["claims"][0]["qualifier"], "UNKNOWN");
    // Chen Zhi's extradition is an EXTRADITION flow of one, "last month": January 2026.
    let extradition = event(nodes, "chen-zhi-extradition-to-china");
    assert_eq!(
        extradition["date"],
        json!({ "start": "2026-01-01", "end": "2026-01-31", "precision": "MONTH", "derived": true })
    );
    assert_eq!(extradition["deportationFlows"][0]["kind"], "EXTRADITION");
    assert_eq!(extradition["deportationFlows"][0]["count"]["value"], 1);
}

// --- back-references -----------------------------------------------------------------------

async fn back_references_lead_back(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let ids = Ids::load(&app).await;
    let data = app
        .data(
            r#"query($a: ID!, $p: ID!, $bm: ID!, $kh: ID!, $s: ID!) {
              agency(id: $a) {
                key kind name shortName country { code } parent { key }
                events(first: 100) { totalCount nodes { key } }
              }
              person(id: $p) {
                key name
                aliases { name quote source { key } }
                titles { title agency { key } asOf quote source { key } }
                events(first: 100) { totalCount nodes { key } }
                statements(first: 100) { totalCount nodes { quote person { key } event { key } source { key } } }
              }
              bm: location(id: $bm) {
                key name level country { code } parent { key }
                children(first: 100) { totalCount nodes { key } }
                events(first: 100) { totalCount nodes { key } }
              }
              khPlace: location(id: $kh) {
                key level parent { key }
                children(first: 100) { totalCount nodes { key name } }
                events { totalCount }
              }
              kh: country(code: "KH") {
                location { key level name }
                events(first: 100) { totalCount }
                flowsOut(first: 100) { totalCount nodes { fromCountry { code } } }
                flowsIn(first: 100) { totalCount }
                nationals(first: 100) { totalCount }
              }
              cn: country(code: "CN") {
                events(first: 100) { totalCount nodes { key } }
                flowsIn(first: 100) { totalCount nodes { toCountry { code } event { key } } }
                flowsOut { totalCount }
              }
              tw: country(code: "TW") {
                nationals(first: 100) { totalCount nodes { nationality { code } role status count { value } event { key } } }
              }
              source(id: $s) {
                key headline
                citations(first: 100) { totalCount nodes { quote source { key } supports { fact } } }
                events(first: 100) { totalCount nodes { key } }
              }
              deportationFlows(first: 100) { nodes { fromCountry { code } event { key deportationFlows { id } } id } }
            }"#,
            json!({
                "a": ids.of("agencies", "kh-immigration-department"),
                "p": ids.of("people", "uk-heisela"),
                "bm": ids.of("locations", "banteay-meanchey"),
                "kh": ids.of("locations", "KH"),
                "s": ids.of("sources", "ppp-2016-09-21"),
            }),
        )
        .await;

    // Agency.events: the four events linking kh-immigration-department, in any role.
    let agency = &data["agency"];
    assert_eq!(agency["kind"], "IMMIGRATION");
    assert_eq!(agency["shortName"], "Immigration Department");
    assert_eq!(agency["country"]["code"], "KH");
    assert_eq!(agency["parent"]["key"], "kh-ministry-of-interior");
    assert_eq!(agency["events"]["totalCount"], 4);
    assert_eq!(
        sorted(strings(&agency["events"]["nodes"], "key")),
        set(&[
            "2017-08-02-poipet-siem-reap-raids",
            "2017-08-planned-deportation-flight-to-china",
            "2016-veal-sbov-voip-arrests",
            "2016-09-20-veal-sbov-group-deported"
        ])
    );

    // Person: Uk Heisela, "Uk Hai Seila" and "Hai Seila" in the Phnom Penh Post.
    let person = &data["person"];
    assert_eq!(person["name"], "Uk Heisela");
    assert_eq!(
        sorted(strings(&person["aliases"], "name")),
        set(&["Hai Seila", "Uk Hai Seila"])
    );
    assert!(
        list(&person["aliases"])
            .iter()
            .all(|a| a["source"]["key"] == "ppp-2016-09-21" && a["quote"].is_string())
    );
    let titles: Vec<String> = list(&person["titles"])
        .iter()
        .map(|t| {
            format!(
                "{} {}",
                t["asOf"].as_str().unwrap_or_default(),
                t["title"].as_str().unwrap_or_default()
            )
        })
        .collect();
    assert_eq!(
        sorted(titles),
        set(&[
            "2016-09-21 chief of investigations at the Immigration Department",
            "2017-08-17 immigration official"
        ])
    );
    assert!(
        list(&person["titles"])
            .iter()
            .all(|t| t["agency"]["key"] == "kh-immigration-department")
    );
    assert_eq!(person["events"]["totalCount"], 3);
    assert_eq!(
        sorted(strings(&person["events"]["nodes"], "key")),
        set(&[
            "2017-08-planned-deportation-flight-to-china",
            "2016-veal-sbov-voip-arrests",
            "2016-09-20-veal-sbov-group-deported"
        ])
    );
    // His one statement in his own words, about the Veal Sbov deportation (what he said of
    // the investigation is paraphrase, cited, not a statement).
    let statements = &person["statements"];
    assert_eq!(statements["totalCount"], 1);
    assert!(
        list(&statements["nodes"])
            .iter()
            .all(|s| s["person"]["key"] == "uk-heisela" && s["source"]["key"] == "ppp-2016-09-21")
    );
    assert_eq!(
        sorted(
            list(&statements["nodes"])
                .iter()
                .map(|s| s["event"]["key"].as_str().unwrap_or_default().to_string())
                .collect()
        ),
        set(&["2016-09-20-veal-sbov-group-deported"])
    );

    // Location: Banteay Meanchey holds Poipet, and its events include Poipet's.
    let bm = &data["bm"];
    assert_eq!(bm["level"], "PROVINCE");
    assert_eq!(bm["country"]["code"], "KH");
    assert_eq!(bm["parent"]["key"], "KH");
    assert_eq!(strings(&bm["children"]["nodes"], "key"), ["poipet"]);
    assert_eq!(bm["children"]["totalCount"], 1);
    // Places under Banteay Meanchey: itself (the 2016 casino) and Poipet (2 Aug 2017, the
    // July 2025 raids, the 2025 raids detaining 230).
    assert_eq!(
        sorted(strings(&bm["events"]["nodes"], "key")),
        set(&[
            "2016-banteay-meanchey-casino-crackdown",
            "2017-08-02-poipet-siem-reap-raids",
            "2025-07-cambodia-nationwide-raids",
            "2025-poipet-raids-230-detained"
        ])
    );
    assert_eq!(bm["events"]["totalCount"], 4);
    // Cambodia as a place: the top, with its five provinces under it, by name.
    let kh_place = &data["khPlace"];
    assert_eq!(kh_place["level"], "COUNTRY");
    assert_eq!(kh_place["parent"], Value::Null);
    assert_eq!(
        strings(&kh_place["children"]["nodes"], "name"),
        [
            "Banteay Meanchey",
            "Kampot",
            "Phnom Penh",
            "Preah Sihanouk",
            "Siem Reap"
        ]
    );
    // 21 of the 28 events have a place in Cambodia; the other 7 are in CN (2), ID, TW,
    // US (2, one also GB) or nowhere (the UNODC warning).
    assert_eq!(kh_place["events"]["totalCount"], 21);

    // Country: Cambodia's events, flows and nationals.
    let kh = &data["kh"];
    assert_eq!(
        kh["location"],
        json!({ "key": "KH", "level": "COUNTRY", "name": "Cambodia" })
    );
    assert_eq!(kh["events"]["totalCount"], 21);
    // Every one of the 6 flows leaves Cambodia; none arrives; no participant is Cambodian.
    assert_eq!(kh["flowsOut"]["totalCount"], 6);
    assert!(
        list(&kh["flowsOut"]["nodes"])
            .iter()
            .all(|f| f["fromCountry"]["code"] == "KH")
    );
    assert_eq!(kh["flowsIn"]["totalCount"], 0);
    assert_eq!(kh["nationals"]["totalCount"], 0);
    let cn = &data["cn"];
    assert_eq!(
        sorted(strings(&cn["events"]["nodes"], "key")),
        set(&[
            "2017-china-arrests-suspects-linked-to-cambodia",
            "2016-06-china-suspends-ties-with-taiwan"
        ])
    );
    // Flows to China: the planned flight, July 2017 (105), Sept 2016 (63), June 2016 and
    // Chen Zhi's extradition.
    assert_eq!(cn["flowsIn"]["totalCount"], 5);
    assert_eq!(
        sorted(
            list(&cn["flowsIn"]["nodes"])
                .iter()
                .map(|f| f["event"]["key"].as_str().unwrap_or_default().to_string())
                .collect()
        ),
        set(&[
            "2017-08-planned-deportation-flight-to-china",
            "2017-07-cambodia-deports-105-to-china",
            "2016-09-20-veal-sbov-group-deported",
            "2016-06-cambodia-deports-taiwanese-to-china",
            "chen-zhi-extradition-to-china"
        ])
    );
    assert!(
        list(&cn["flowsIn"]["nodes"])
            .iter()
            .all(|f| f["toCountry"]["code"] == "CN")
    );
    assert_eq!(cn["flowsOut"]["totalCount"], 0);
    // Taiwanese groups: 3 (2 Aug 2017), 13 arrested and 13 deported (2016), no number (June
    // 2016), 75 (July 2025).
    let tw = &data["tw"]["nationals"];
    assert_eq!(tw["totalCount"], 5);
    let mut counts: Vec<Option<u64>> = list(&tw["nodes"])
        .iter()
        .map(|g| {
            assert_eq!(g["nationality"]["code"], "TW");
            g["count"]["value"].as_u64()
        })
        .collect();
    counts.sort();
    assert_eq!(counts, [None, Some(3), Some(13), Some(13), Some(75)]);
    assert!(
        list(&tw["nodes"])
            .iter()
            .any(|g| g["event"]["key"] == "2025-07-cambodia-nationwide-raids")
    );

    // Source: the Phnom Penh Post's 10 quotes over 6 events.
    let source = &data["source"];
    assert_eq!(
        source["headline"],
        "VoIP ‘scammers’ from Taiwan sent to China"
    );
    assert_eq!(source["citations"]["totalCount"], 10);
    assert_eq!(list(&source["citations"]["nodes"]).len(), 10);
    assert!(
        list(&source["citations"]["nodes"])
            .iter()
            .all(|c| c["source"]["key"] == "ppp-2016-09-21")
    );
    assert_eq!(source["events"]["totalCount"], 6);
    assert_eq!(
        sorted(strings(&source["events"]["nodes"], "key")),
        set(&[
            "2016-veal-sbov-voip-arrests",
            "2016-09-20-veal-sbov-group-deported",
            "2016-06-cambodia-deports-taiwanese-to-china",
            "2016-06-taiwan-mofa-protest",
            "2016-06-china-suspends-ties-with-taiwan",
            "2016-banteay-meanchey-casino-crackdown"
        ])
    );

    // DeportationFlow.event: the event lists the flow among its own.
    for flow in list(&data["deportationFlows"]["nodes"]) {
        assert!(
            list(&flow["event"]["deportationFlows"])
                .iter()
                .any(|f| f["id"] == flow["id"]),
            "{flow:#}"
        );
    }
}

async fn statistics_carry_their_figures(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let data = app
        .data(
            r#"{ statistics(first: 100) { nodes {
                  id key description unit
                  period { start end precision derived }
                  location { key }
                  attributedTo { key }
                  figure { value low high qualifier derived claims { value qualifier note quote source { key } } }
                  citations { value high qualifier derived note quote source { key } }
            } } }"#,
            json!({}),
        )
        .await;
    let nodes = &data["statistics"]["nodes"];
    let amnesty = find(nodes, "key", "amnesty-2025-scam-compounds-in-cambodia");
    assert!(
        amnesty["description"]
            .as_str()
            .is_some_and(|d| d.starts_with("Scam compounds in Cambodia"))
    );
    assert_eq!(amnesty["unit"], "SITES");
    assert_eq!(
        amnesty["period"],
        json!({ "start": "2025-06-01", "end": "2025-06-30", "precision": "MONTH", "derived": true })
    );
    assert_eq!(amnesty["location"]["key"], "KH");
    assert_eq!(amnesty["attributedTo"]["key"], "amnesty-international");
    assert_eq!(amnesty["figure"]["value"], 53);
    assert_eq!(amnesty["figure"]["qualifier"], "AT_LEAST");
    let citations = list(&amnesty["citations"]);
    assert_eq!(citations.len(), 1);
    assert_eq!(citations[0]["value"], 53);
    assert_eq!(citations[0]["source"]["key"], "afp-2025-07-16");
    assert!(
        citations[0]["quote"]
            .as_str()
            .is_some_and(|q| q.starts_with("There are at least 53 scam compounds"))
    );
    // citations are the figure's claims.
    assert_eq!(
        amnesty["citations"][0]["quote"],
        amnesty["figure"]["claims"][0]["quote"]
    );

    // $40 billion a year, attributed to the UN, about no place: beyond 32 bits, an integer.
    let takings = find(nodes, "key", "southeast-asia-scam-centre-takings-per-year");
    assert_eq!(takings["unit"], "US_DOLLARS");
    assert!(takings["figure"]["value"].is_u64(), "{}", takings["figure"]);
    assert_eq!(takings["figure"]["value"], json!(40_000_000_000_u64));
    assert_eq!(takings["figure"]["qualifier"], "ABOUT");
    assert_eq!(takings["attributedTo"]["key"], "un");
    assert_eq!(takings["location"], Value::Null);
    assert_eq!(takings["period"]["precision"], "YEAR");

    // "In recent years": UNKNOWN period, more than 600.
    let recent = find(
        nodes,
        "key",
        "cambodia-deportations-to-china-recent-years-2017",
    );
    assert_eq!(
        recent["period"],
        json!({ "start": null, "end": null, "precision": "UNKNOWN", "derived": false })
    );
    assert_eq!(recent["figure"]["value"], 600);
    assert_eq!(recent["figure"]["qualifier"], "MORE_THAN");
    assert_eq!(recent["attributedTo"], Value::Null);

    // "Thousands": no value.
    let thousands = find(
        nodes,
        "key",
        "cross-strait-telecom-fraud-arrests-since-2011",
    );
    assert_eq!(thousands["figure"]["value"], Value::Null);
    assert_eq!(thousands["figure"]["qualifier"], "UNKNOWN");
    assert!(thousands["citations"][0]["note"].is_string());

    // Kampot police: a DAY period, in Kampot province.
    let police = find(nodes, "key", "kampot-police-officers-2026");
    assert_eq!(police["location"]["key"], "kampot-province");
    assert_eq!(police["attributedTo"]["key"], "kh-kampot-provincial-police");
    assert_eq!(police["period"]["end"], "2026-02-11");

    // Newest period first, UNKNOWN last.
    let starts: Vec<Option<&str>> = list(nodes)
        .iter()
        .map(|n| n["period"]["start"].as_str())
        .collect();
    let mut expected = starts.clone();
    expected.sort();
    expected.reverse();
    assert_eq!(starts, expected, "statistics are newest period first");
}

// --- event filters -------------------------------------------------------------------------

/// The keys of the events matching `filter` (sorted), checking totalCount agrees.
async fn event_keys(app: &TestApp, filter: Value) -> Vec<String> {
    let data = app
        .data(
            "query($f: EventFilter) { events(first: 100, filter: $f) { totalCount nodes { key } } }",
            json!({ "f": filter }),
        )
        .await;
    let keys = strings(&data["events"]["nodes"], "key");
    assert_eq!(
        data["events"]["totalCount"],
        keys.len(),
        "totalCount of {filter}"
    );
    sorted(keys)
}

async fn event_filters_narrow_events(backend: Backend) {
    // On the `rules` fixture (tests/fixtures/rules/README.md): filters are rules, and its
    // events are few enough to list what each filter must give.
    let app = TestApp::fixture(backend, "rules").await;
    let ids = Ids::load(&app).await;

    // kinds: any of them.
    assert_eq!(
        event_keys(&app, json!({ "kinds": ["EXTRADITION", "EXODUS"] })).await,
        set(&["boss-extradited", "compound-exodus"])
    );
    assert_eq!(
        event_keys(&app, json!({ "kinds": ["DEPORTATION"] })).await,
        set(&["october-crackdown", "april-deportation"])
    );

    // location: South Province (found by name) finds what happened at Compound Seven in it.
    let found = app
        .data(
            r#"{ locations(filter: { search: "South" }) { nodes { id key } } }"#,
            json!({}),
        )
        .await;
    let nodes = list(&found["locations"]["nodes"]);
    assert_eq!(nodes.len(), 1);
    assert_eq!(nodes[0]["key"], "south");
    assert_eq!(
        event_keys(&app, json!({ "locations": [nodes[0]["id"].clone()] })).await,
        set(&[
            "compound-sweep",
            "casino-arrests",
            "compound-exodus",
            "planned-inspection"
        ])
    );
    // Compound Seven itself: not the casino, which is placed at province level.
    assert_eq!(
        event_keys(
            &app,
            json!({ "locations": [ids.of("locations", "compound-7")] })
        )
        .await,
        set(&["compound-sweep", "compound-exodus"])
    );

    // country, in either case; the travel warning has no place, so no country.
    assert_eq!(
        event_keys(&app, json!({ "countries": [country_id("XB")] })).await,
        set(&["undated-arrests", "ministers-meeting"])
    );
    assert_eq!(
        event_keys(&app, json!({ "countries": [country_id("xb")] })).await,
        set(&["undated-arrests", "ministers-meeting"])
    );
    assert_eq!(
        event_keys(&app, json!({ "countries": [country_id("XA")] }))
            .await
            .len(),
        11
    );
    assert_eq!(
        event_keys(&app, json!({ "countries": [country_id("XD")] })).await,
        set(&[])
    );

    // nationality: events with a participant group of it.
    assert_eq!(
        event_keys(&app, json!({ "nationalities": [country_id("XC")] })).await,
        set(&["harbour-raid", "casino-arrests", "april-deportation"])
    );
    assert_eq!(
        event_keys(&app, json!({ "nationalities": [country_id("XD")] })).await,
        set(&[
            "compound-sweep",
            "undated-arrests",
            "north-raid-one",
            "north-raid-two"
        ])
    );

    // agency, person, source.
    assert_eq!(
        event_keys(
            &app,
            json!({ "agencies": [ids.of("agencies", "xa-police")] })
        )
        .await,
        set(&["harbour-raid", "october-crackdown"])
    );
    assert_eq!(
        event_keys(
            &app,
            json!({ "people": [ids.of("people", "inspector-vale")] })
        )
        .await,
        set(&["harbour-raid", "compound-sweep", "vale-statement"])
    );
    assert_eq!(
        event_keys(&app, json!({ "sources": [ids.of("sources", "weekly")] })).await,
        set(&[
            "ministers-meeting",
            "vale-statement",
            "north-raid-one",
            "north-raid-two",
            "planned-inspection"
        ])
    );

    // status.
    assert_eq!(
        event_keys(&app, json!({ "status": "PLANNED" })).await,
        set(&["planned-inspection"])
    );
    assert_eq!(
        event_keys(&app, json!({ "status": "COMPLETED" }))
            .await
            .len(),
        13
    );

    // search: every word, anywhere in title or summary, any case.
    assert_eq!(
        event_keys(&app, json!({ "search": "north raid" })).await,
        set(&["north-raid-one", "north-raid-two"])
    );
    // "more" is only in the second raid's summary.
    assert_eq!(
        event_keys(&app, json!({ "search": "NORTH More" })).await,
        set(&["north-raid-two"])
    );
    assert_eq!(
        event_keys(&app, json!({ "search": "exodus" })).await,
        set(&["compound-exodus"])
    );
    assert_eq!(
        event_keys(&app, json!({ "search": "north exodus" })).await,
        set(&[]),
        "all words must match"
    );

    // Fields combine: arrests in Borduria.
    assert_eq!(
        event_keys(
            &app,
            json!({ "kinds": ["ARREST"], "countries": [country_id("XB")] })
        )
        .await,
        set(&["undated-arrests"])
    );
    // A filter on a nested connection: Inspector Vale's events that were raids, newest first.
    let data = app
        .data(
            r#"query($p: ID!) { person(id: $p) { events(filter: { kinds: [RAID] }) { totalCount nodes { key } } } }"#,
            json!({ "p": ids.of("people", "inspector-vale") }),
        )
        .await;
    assert_eq!(
        strings(&data["person"]["events"]["nodes"], "key"),
        ["compound-sweep", "harbour-raid"]
    );
    assert_eq!(data["person"]["events"]["totalCount"], 2);
}

async fn event_date_filters_overlap_spans(backend: Backend) {
    let app = TestApp::fixture(backend, "rules").await;
    // A MONTH event (the exodus, September 2024) overlaps 1-5 September ...
    assert_eq!(
        event_keys(&app, json!({ "from": "2024-09-01", "to": "2024-09-05" })).await,
        set(&["compound-exodus"])
    );
    // ... and reaches 30 September: with the three events of 1 October, everything ending on
    // or after it.
    assert_eq!(
        event_keys(&app, json!({ "from": "2024-09-30" })).await,
        set(&[
            "compound-exodus",
            "october-crackdown",
            "boss-extradited",
            "travel-warning"
        ])
    );
    assert_eq!(
        event_keys(&app, json!({ "from": "2024-08-15", "to": "2024-08-15" })).await,
        set(&[]),
        "nothing spans 15 August 2024"
    );
    // A DAY event on its day, not the day after.
    assert_eq!(
        event_keys(&app, json!({ "from": "2024-03-05", "to": "2024-03-05" })).await,
        set(&["harbour-raid"])
    );
    assert_eq!(
        event_keys(&app, json!({ "from": "2024-03-06", "to": "2024-03-06" })).await,
        set(&[])
    );
    // A RANGE event by a day inside it (10-12 June 2024); a YEAR event by any day of 2023.
    assert_eq!(
        event_keys(&app, json!({ "from": "2024-06-11", "to": "2024-06-11" })).await,
        set(&["compound-sweep"])
    );
    assert_eq!(
        event_keys(&app, json!({ "from": "2023-07-01", "to": "2023-07-01" })).await,
        set(&["casino-arrests"])
    );
    // A WEEK event (1-7 August 2022) by its Sunday, not the Monday after.
    assert_eq!(
        event_keys(&app, json!({ "from": "2022-08-07", "to": "2022-08-07" })).await,
        set(&["planned-inspection"])
    );
    assert_eq!(
        event_keys(&app, json!({ "from": "2022-08-08", "to": "2022-08-08" })).await,
        set(&[])
    );

    // UNKNOWN dates match no date filter, however wide, but are found without one.
    assert_eq!(
        event_keys(
            &app,
            json!({ "kinds": ["ARREST"], "countries": [country_id("XB")] })
        )
        .await,
        set(&["undated-arrests"])
    );
    for filter in [
        json!({ "countries": [country_id("XB")], "kinds": ["ARREST"], "from": "1900-01-01" }),
        json!({ "countries": [country_id("XB")], "kinds": ["ARREST"], "to": "2999-12-31" }),
        json!({ "countries": [country_id("XB")], "kinds": ["ARREST"], "from": "1900-01-01", "to": "2999-12-31" }),
    ] {
        assert_eq!(event_keys(&app, filter.clone()).await, set(&[]), "{filter}");
    }
    // 14 events, 1 of UNKNOWN date.
    assert_eq!(
        event_keys(&app, json!({ "from": "1900-01-01" }))
            .await
            .len(),
        13
    );

    // `to` before `from` is the client's mistake.
    let message = bad_input(
        &app,
        r#"{ events(filter: { from: "2017-08-02", to: "2017-08-01" }) { totalCount } }"#,
        json!({}),
    )
    .await;
    assert!(message.contains("before"), "{message}");
    // So is a date that is not one.
    bad_input(
        &app,
        r#"{ events(filter: { from: "2017-02-30" }) { totalCount } }"#,
        json!({}),
    )
    .await;
}

async fn events_order_by_people_count(backend: Backend) {
    let app = TestApp::fixture(backend, "rules").await;
    const QUERY: &str = "query($o: EventOrderBy) { events(first: 100, orderBy: $o) { nodes { key peopleCount { value } } } }";
    let desc = app
        .data(
            QUERY,
            json!({ "o": { "field": "PEOPLE_COUNT", "direction": "DESC" } }),
        )
        .await;
    let nodes = list(&desc["events"]["nodes"]);
    assert_eq!(nodes.len(), 14);
    // The largest: the exodus's 6,000, the crackdown's 912 (two roles, both count), the
    // sweep's 500 (its total, not 500 + 350).
    assert_eq!(
        nodes[..3]
            .iter()
            .map(|n| n["key"].as_str().unwrap_or_default())
            .collect::<Vec<_>>(),
        ["compound-exodus", "october-crackdown", "compound-sweep"]
    );
    let values: Vec<Option<u64>> = nodes
        .iter()
        .map(|n| n["peopleCount"]["value"].as_u64())
        .collect();
    let mut expected = values.clone();
    expected.sort();
    expected.reverse();
    assert_eq!(values, expected, "largest first, uncounted last");
    // Nine events have a count; five do not (the unnumbered group among them).
    assert_eq!(values.iter().filter(|v| v.is_none()).count(), 5);

    let asc = app
        .data(
            QUERY,
            json!({ "o": { "field": "PEOPLE_COUNT", "direction": "ASC" } }),
        )
        .await;
    let asc_values: Vec<Option<u64>> = list(&asc["events"]["nodes"])
        .iter()
        .map(|n| n["peopleCount"]["value"].as_u64())
        .collect();
    let mut ascending = asc_values.clone();
    ascending.sort();
    assert_eq!(asc_values, ascending, "smallest first, uncounted first");
    assert_eq!(
        list(&asc["events"]["nodes"]).last().map(|n| &n["key"]),
        Some(&json!("compound-exodus"))
    );

    // DATE ASC: oldest first, UNKNOWN (lowest) first; `field` defaults to DATE.
    let oldest = app
        .data(
            "{ events(first: 100, orderBy: { direction: ASC }) { nodes { date { start } } } }",
            json!({}),
        )
        .await;
    let starts: Vec<Option<&str>> = list(&oldest["events"]["nodes"])
        .iter()
        .map(|n| n["date"]["start"].as_str())
        .collect();
    let mut expected = starts.clone();
    expected.sort();
    assert_eq!(starts, expected);
    assert_eq!(starts[1], Some("2021-02-02"), "1 UNKNOWN, then the oldest");
}

// --- the other roots' filters ----------------------------------------------------------------

/// The `field`s of the nodes of root connection `root` under `filter` (sorted).
async fn root_keys(
    app: &TestApp,
    root: &str,
    input: &str,
    filter: Value,
    field: &str,
) -> Vec<String> {
    let selection = if field == "event" {
        "event { key }"
    } else {
        field
    };
    let data = app
        .data(
            &format!(
                "query($f: {input}) {{ {root}(first: 100, filter: $f) {{ totalCount nodes {{ {selection} }} }} }}"
            ),
            json!({ "f": filter }),
        )
        .await;
    let nodes = &data[root]["nodes"];
    let keys: Vec<String> = if field == "event" {
        list(nodes)
            .iter()
            .map(|n| n["event"]["key"].as_str().unwrap_or_default().to_string())
            .collect()
    } else {
        strings(nodes, field)
    };
    assert_eq!(data[root]["totalCount"], keys.len(), "{root} {filter}");
    sorted(keys)
}

async fn filters_of_the_other_roots(backend: Backend) {
    let app = TestApp::fixture(backend, "rules").await;
    let ids = Ids::load(&app).await;
    let agencies = |f: Value| root_keys(&app, "agencies", "AgencyFilter", f, "key");
    assert_eq!(
        agencies(json!({ "kinds": ["POLICE"] })).await,
        set(&["xa-police"])
    );
    assert_eq!(
        agencies(json!({ "countries": [country_id("XB")] })).await,
        set(&["xb-immigration"])
    );
    assert_eq!(
        agencies(json!({ "countries": [country_id("xa")], "kinds": ["GOVERNMENT"] })).await,
        set(&["xa-government"])
    );
    // Name or short name.
    assert_eq!(
        agencies(json!({ "search": "avalonia" })).await,
        set(&["xa-police", "xa-government"])
    );
    assert_eq!(
        agencies(json!({ "search": "bis" })).await,
        set(&["xb-immigration"])
    );

    let people = |f: Value| root_keys(&app, "people", "PersonFilter", f, "key");
    assert_eq!(
        people(json!({ "search": "Captain Vale" })).await,
        set(&["inspector-vale"]),
        "an alias finds the person"
    );
    assert_eq!(
        people(json!({ "search": "arden" })).await,
        set(&["minister-arden"])
    );
    assert_eq!(
        people(json!({ "search": "Captain Nobody" })).await,
        set(&[])
    );

    let locations = |f: Value| root_keys(&app, "locations", "LocationFilter", f, "key");
    assert_eq!(
        locations(json!({ "levels": ["PROVINCE"] })).await,
        set(&["north", "south"])
    );
    // Avalonia's place and the 4 places under it.
    assert_eq!(
        locations(json!({ "countries": [country_id("XA")] }))
            .await
            .len(),
        5
    );
    assert_eq!(
        locations(json!({ "within": ids.of("locations", "north") })).await,
        set(&["harbour"]),
        "itself excluded"
    );
    assert_eq!(
        locations(json!({ "within": ids.of("locations", "XA") })).await,
        set(&["north", "harbour", "south", "compound-7"]),
        "at any depth"
    );
    assert_eq!(
        locations(json!({ "within": ids.of("locations", "XA"), "levels": ["SITE"] })).await,
        set(&["compound-7"])
    );
    assert_eq!(
        locations(json!({ "search": "harbour" })).await,
        set(&["harbour"])
    );
    assert_eq!(
        locations(json!({ "countries": [country_id("XB")] })).await,
        set(&["XB"])
    );

    let sources = |f: Value| root_keys(&app, "sources", "SourceFilter", f, "key");
    // "wire" is in one source's headline and outlet.
    assert_eq!(sources(json!({ "search": "wire" })).await, set(&["wire"]));
    assert_eq!(
        sources(json!({ "search": "Avalon Daily" })).await,
        set(&["daily"])
    );
    assert_eq!(
        sources(json!({ "reporting": ["ORIGINAL"] })).await,
        set(&["daily", "wire"])
    );
    assert_eq!(
        sources(json!({ "reporting": ["REWRITE"] })).await,
        set(&["weekly"])
    );

    let statistics = |f: Value| root_keys(&app, "statistics", "StatisticFilter", f, "key");
    assert_eq!(
        statistics(json!({ "units": ["PEOPLE"] })).await,
        set(&["held-in-2024", "since-2020"])
    );
    assert_eq!(statistics(json!({ "units": ["SITES"] })).await, set(&[]));
    assert_eq!(
        statistics(json!({ "from": "2024-06-01", "to": "2024-06-01" })).await,
        set(&["held-in-2024"]),
        "UNKNOWN periods never match"
    );
    assert_eq!(statistics(json!({ "to": "2023-12-31" })).await, set(&[]));
    assert_eq!(
        statistics(json!({ "search": "compounds" })).await,
        set(&["held-in-2024", "since-2020"])
    );
    assert_eq!(
        statistics(json!({ "units": ["PEOPLE"], "search": "government estimates" })).await,
        set(&["held-in-2024"])
    );

    // Flows, named by their events (F1-F5 as in tests/api/totals.rs).
    let flows = |f: Value| root_keys(&app, "deportationFlows", "FlowFilter", f, "event");
    assert_eq!(
        flows(json!({ "fromCountries": [country_id("XA")] }))
            .await
            .len(),
        5
    );
    assert_eq!(
        flows(json!({ "fromCountries": [country_id("XB")] })).await,
        set(&[])
    );
    assert_eq!(
        flows(json!({ "toCountries": [country_id("XB")] })).await,
        set(&["october-crackdown", "boss-extradited", "april-deportation"])
    );
    assert_eq!(
        flows(json!({ "toCountries": [country_id("xc")] })).await,
        set(&["october-crackdown"])
    );
    assert_eq!(
        flows(json!({ "toUnspecified": true })).await,
        set(&["october-crackdown"])
    );
    assert_eq!(
        flows(json!({ "kinds": ["EXTRADITION"] })).await,
        set(&["boss-extradited"])
    );
    assert_eq!(
        flows(json!({ "status": "PLANNED" })).await,
        set(&["october-crackdown"])
    );
    assert_eq!(
        flows(json!({ "nationalities": [country_id("XC")] })).await,
        set(&["april-deportation"])
    );
    // Dates are the flow's own (the planned flight is in November), not its event's.
    assert_eq!(
        flows(json!({ "from": "2024-10-15" })).await,
        set(&["october-crackdown"])
    );
    assert_eq!(
        flows(json!({ "to": "2024-06-30" })).await,
        set(&["april-deportation"])
    );
    assert_eq!(
        flows(json!({ "from": "2024-10-01", "to": "2024-10-31", "kinds": ["DEPORTATION"] })).await,
        set(&["october-crackdown", "october-crackdown"])
    );
}

async fn bad_filter_input_is_the_clients_mistake(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let ids = Ids::load(&app).await;
    for (query, what) in [
        (
            r#"{ events(filter: { countries: ["Q291bnRyeTpYWVo"] }) { totalCount } }"#,
            "event country",
        ),
        (
            r#"{ events(filter: { nationalities: ["Q291bnRyeTox"] }) { totalCount } }"#,
            "event nationality",
        ),
        (
            r#"{ agencies(filter: { countries: ["Q291bnRyeTpYWVo"] }) { totalCount } }"#,
            "agency country",
        ),
        (
            r#"{ locations(filter: { countries: ["QWdlbmN5OmtoLXBvbGljZQ"] }) { totalCount } }"#,
            "location country",
        ),
        (
            r#"{ deportationFlows(filter: { fromCountries: ["Q291bnRyeTpYWVo"] }) { totalCount } }"#,
            "flow fromCountries",
        ),
        (
            r#"{ deportationFlows(filter: { toCountries: ["not an ID"] }) { totalCount } }"#,
            "flow toCountries",
        ),
        (
            r#"{ deportationFlows(filter: { nationalities: ["Q291bnRyeTpYWVo"] }) { totalCount } }"#,
            "flow nationality",
        ),
        (r#"{ country(code: "XYZ") { name } }"#, "country(code:)"),
        (
            r#"{ statistics(filter: { from: "2020-01-02", to: "2020-01-01" }) { totalCount } }"#,
            "statistic span",
        ),
        (
            r#"{ deportationFlows(filter: { from: "2020-01-02", to: "2020-01-01" }) { totalCount } }"#,
            "flow span",
        ),
        (
            r#"{ deportationFlows(filter: { toCountries: ["Q291bnRyeTpDTg"], toUnspecified: true }) { totalCount } }"#,
            "toCountries and toUnspecified",
        ),
    ] {
        let (code, message) = error(&app, query, json!({})).await;
        assert_eq!(code, "BAD_USER_INPUT", "{what}: {message}");
    }
    let message = bad_input(
        &app,
        r#"{ events(filter: { countries: ["Q291bnRyeTpYWVo"] }) { totalCount } }"#,
        json!({}),
    )
    .await;
    assert!(message.contains("XYZ"), "{message}");
    // More values than a list filter takes.
    bad_input(
        &app,
        "query($ids: [ID!]) { events(filter: { agencies: $ids }) { totalCount } }",
        json!({ "ids": vec![ids.of("agencies", "kh-police"); 101] }),
    )
    .await;
    // An ID of the wrong type in a filter.
    for (filter, id) in [
        ("locations", ids.of("agencies", "kh-police")),
        ("agencies", ids.of("people", "hun-manet")),
        ("people", ids.of("sources", "afp-2025-07-16")),
        ("sources", ids.of("events", "my-casino-exodus")),
        ("countries", ids.of("events", "my-casino-exodus")),
    ] {
        bad_input(
            &app,
            &format!(
                "query($id: ID!) {{ events(filter: {{ {filter}: [$id] }}) {{ totalCount }} }}"
            ),
            json!({ "id": id }),
        )
        .await;
    }
    bad_input(
        &app,
        "query($id: ID!) { locations(filter: { within: $id }) { totalCount } }",
        json!({ "id": ids.of("events", "my-casino-exodus") }),
    )
    .await;
}

/// `Source.citations` is documented as "the quotes drawn from this article, each with the
/// event and facts it backs", and the contract lists `Citation.event`: a citation reached
/// from its source must say which event it is about.
async fn source_citations_name_their_event(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let ids = Ids::load(&app).await;
    let (status, body) = app
        .graphql(
            "query($s: ID!) { source(id: $s) { citations(first: 100) { nodes { quote event { key } } } } }",
            json!({ "s": ids.of("sources", "afp-2025-07-16") }),
        )
        .await;
    assert!(
        status == StatusCode::OK && body.get("errors").is_none(),
        "Citation.event is in the contract but the server refuses it: {status} {body:#}"
    );
    let nodes = list(&body["data"]["source"]["citations"]["nodes"]);
    assert!(!nodes.is_empty());
    for c in nodes {
        assert!(c["event"]["key"].is_string(), "{c}");
    }
    // AFP's "Just over 1,000 suspects were detained" is about the July 2025 raids.
    assert!(nodes.iter().any(|c| {
        c["event"]["key"] == "2025-07-cambodia-nationwide-raids"
            && c["quote"]
                .as_str()
                .is_some_and(|q| q.starts_with("Just over 1,000"))
    }));
}
