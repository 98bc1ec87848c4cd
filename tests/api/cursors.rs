//! Cursors a client forged or mixed up: a key of the wrong type for the ordering, a cursor of
//! another ordering, garbage. Each is the client's mistake (BAD_USER_INPUT), on every root and
//! nested connection, and never reaches the database as a comparison it refuses.

use crate::helpers::{Backend, TestApp};
use axum::http::StatusCode;
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde_json::{Value, json};

both!(
    forged_and_foreign_cursors_are_refused,
    real_cursors_still_page
);

/// A cursor as the server writes one: base64url of `{"o": ordering, "key": …, "id": …}`.
fn forge(ordering: &str, key: Value) -> String {
    URL_SAFE_NO_PAD.encode(json!({ "o": ordering, "key": key, "id": 1 }).to_string())
}

/// Asks `query` (where `ARGS` stands for `first: 2, after: $c` and `SEL` for a selection of
/// the connection) with `cursor`, and checks the answer is one BAD_USER_INPUT error.
async fn refused(app: &TestApp, query: &str, cursor: &str) {
    let query = format!(
        "query($c: String) {{ {} }}",
        query
            .replace("ARGS", "first: 2, after: $c")
            .replace("SEL", "{ totalCount nodes { __typename } }")
    );
    let (status, body) = app.graphql(&query, json!({ "c": cursor })).await;
    assert_eq!(status, StatusCode::OK, "{body:#}");
    let errors = body["errors"].as_array().map(Vec::as_slice).unwrap_or(&[]);
    let short = &cursor[..cursor.len().min(60)];
    assert_eq!(errors.len(), 1, "{query} after {short}: {body:#}");
    assert_eq!(
        errors[0]["extensions"]["code"], "BAD_USER_INPUT",
        "{query} after {short}: {body:#}"
    );
}

async fn forged_and_foreign_cursors_are_refused(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let date = json!({ "Date": "2017-08-02" });
    let text = json!({ "Text": "2017-08-02" });
    let int = json!({ "Int": 3 });

    // A text key (and an int key) for a date ordering: at the root and nested.
    for (query, ordering) in [
        ("events(ARGS) SEL", "events:Date:Desc"),
        ("sources(ARGS) SEL", "sources:PUBLISHED:DESC"),
        ("statistics(ARGS) SEL", "statistics:PERIOD:DESC"),
        ("deportationFlows(ARGS) SEL", "flows:DATE:DESC"),
        (
            "country(code: \"KH\") { events(ARGS) SEL }",
            "events:Date:Desc",
        ),
        (
            "country(code: \"KH\") { flowsOut(ARGS) SEL }",
            "flows:DATE:DESC",
        ),
        (
            "participantTotals(groupBy: []) { events(ARGS) SEL }",
            "events:Date:Desc",
        ),
        (
            "flowTotals(groupBy: []) { flows(ARGS) SEL }",
            "flows:DATE:DESC",
        ),
    ] {
        refused(&app, query, &forge(ordering, text.clone())).await;
        refused(&app, query, &forge(ordering, int.clone())).await;
    }
    // A date PostgreSQL cannot hold.
    let ancient = forge("events:Date:Desc", json!({ "Date": "-5000-01-01" }));
    refused(&app, "events(ARGS) SEL", &ancient).await;
    // A text key for an ordering by number.
    let by_count = "events(orderBy: { field: PEOPLE_COUNT }, ARGS) SEL";
    refused(
        &app,
        by_count,
        &forge("events:PeopleCount:Desc", text.clone()),
    )
    .await;

    // An int key (and a date key) for a name ordering; a name PostgreSQL cannot hold; a null
    // name, which no row has.
    let children = format!(
        "location(id: \"{}\") {{ children(ARGS) SEL }}",
        cambodia(&app).await
    );
    for (query, ordering) in [
        ("agencies(ARGS) SEL", "agencies:NAME:ASC"),
        ("people(ARGS) SEL", "people:NAME:ASC"),
        ("locations(ARGS) SEL", "locations:NAME:ASC"),
        (children.as_str(), "locations:NAME:ASC"),
    ] {
        for key in [
            int.clone(),
            date.clone(),
            json!({ "Text": "a\u{0}b" }),
            json!("Null"),
        ] {
            refused(&app, query, &forge(ordering, key)).await;
        }
    }

    // A well-formed cursor of another ordering.
    for (query, ordering) in [
        ("agencies(ARGS) SEL", "events:Date:Desc"),
        ("locations(ARGS) SEL", "agencies:NAME:ASC"),
        ("events(ARGS) SEL", "events:Date:Asc"),
        (
            "events(orderBy: { direction: ASC }, ARGS) SEL",
            "flows:DATE:DESC",
        ),
        (
            "country(code: \"KH\") { nationals(ARGS) SEL }",
            "statements",
        ),
    ] {
        refused(&app, query, &forge(ordering, date.clone())).await;
    }

    // Garbage: not base64, base64 of not-JSON, JSON of the wrong shape, a huge string.
    let huge = "A".repeat(50_000);
    for garbage in ["garbage!", "bm90LWpzb24", "eyJ4IjoxfQ", "", huge.as_str()] {
        refused(&app, "events(ARGS) SEL", garbage).await;
        refused(&app, "country(code: \"KH\") { events(ARGS) SEL }", garbage).await;
    }
}

/// The global ID of Cambodia's place.
async fn cambodia(app: &TestApp) -> String {
    let data = app
        .data("{ country(code: \"KH\") { location { id } } }", json!({}))
        .await;
    data["country"]["location"]["id"]
        .as_str()
        .expect("Cambodia is a place")
        .to_string()
}

/// The checks refuse only what is wrong: a cursor the server wrote pages on, including one at
/// an undated row (a null key) and one the client re-encoded by hand.
async fn real_cursors_still_page(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let page =
        "query($c: String) { events(first: 100, after: $c) { edges { cursor node { key } } } }";
    let all = app.data(page, json!({ "c": null })).await;
    let edges = all["events"]["edges"].as_array().expect("edges").clone();
    assert!(edges.len() > 2, "the curated events");
    let second = app.data(page, json!({ "c": edges[0]["cursor"] })).await;
    assert_eq!(
        second["events"]["edges"][0], edges[1],
        "after the first is the second"
    );

    let (status, body) = app
        .graphql(
            page,
            json!({ "c": forge("events:Date:Desc", json!("Null")) }),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        body.get("errors").is_none(),
        "a null date is a position: {body:#}"
    );

    let text = "query($c: String) { agencies(first: 1, after: $c) { nodes { name } } }";
    let (_, body) = app
        .graphql(
            text,
            json!({ "c": forge("agencies:NAME:ASC", json!({ "Text": "M" })) }),
        )
        .await;
    assert!(body.get("errors").is_none(), "{body:#}");
    assert_eq!(
        body["data"]["agencies"]["nodes"].as_array().map(Vec::len),
        Some(1),
        "an agency after M: {body:#}"
    );
}
