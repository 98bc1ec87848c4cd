//! Keyset pagination: walking every page forward and backward, pages that stay put when rows
//! are inserted before their cursor, and the page arguments a client can get wrong. On the
//! `rules` fixture (tests/fixtures/rules/README.md), whose ties exercise the tie-breaker.

use crate::helpers::{Backend, TestApp};
use axum::http::StatusCode;
use chrono::NaiveDate;
use entity::enums::{DatePrecision, Status};
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, NotSet, QueryFilter, Set};
use serde_json::{Value, json};

both!(
    walking_pages_visits_every_event_once,
    a_page_is_twenty_by_default,
    walking_other_connections,
    date_pages_stay_put_when_events_are_inserted,
    people_count_pages_stay_put_when_events_are_inserted,
    nested_pages_stay_put_when_events_are_inserted,
    bad_page_arguments_are_refused,
);

/// The 14 events of the `rules` fixture.
const EVENTS: usize = 14;

// --- helpers -----------------------------------------------------------------------------

fn list(v: &Value) -> &[Value] {
    v.as_array()
        .map(Vec::as_slice)
        .unwrap_or_else(|| panic!("expected a list, got {v}"))
}

/// One page: its (cursor, key) edges and its page info.
#[derive(Clone, Debug, PartialEq)]
struct Page {
    edges: Vec<(String, String)>,
    has_next: bool,
    has_previous: bool,
    start: Value,
    end: Value,
}

impl Page {
    fn keys(&self) -> Vec<String> {
        self.edges.iter().map(|(_, k)| k.clone()).collect()
    }
}

/// Reads a connection (`edges { cursor node { <key> } } pageInfo { … }`) into a Page,
/// checking start and end cursors are the first and last edges'.
fn page_of(conn: &Value, key: &str) -> Page {
    let edges: Vec<(String, String)> = list(&conn["edges"])
        .iter()
        .map(|e| {
            (
                e["cursor"].as_str().expect("a cursor").to_string(),
                e["node"][key]
                    .as_str()
                    .unwrap_or_else(|| panic!("no {key} in {e}"))
                    .to_string(),
            )
        })
        .collect();
    let info = &conn["pageInfo"];
    let page = Page {
        has_next: info["hasNextPage"].as_bool().expect("hasNextPage"),
        has_previous: info["hasPreviousPage"].as_bool().expect("hasPreviousPage"),
        start: info["startCursor"].clone(),
        end: info["endCursor"].clone(),
        edges,
    };
    let cursor = |e: Option<&(String, String)>| e.map_or(Value::Null, |(c, _)| json!(c));
    assert_eq!(
        page.start,
        cursor(page.edges.first()),
        "startCursor is the first edge's"
    );
    assert_eq!(
        page.end,
        cursor(page.edges.last()),
        "endCursor is the last edge's"
    );
    page
}

const PAGE_INFO: &str = "pageInfo { hasNextPage hasPreviousPage startCursor endCursor }";

/// A page of root `events` in `order` (an EventOrderBy or null).
async fn events_page(app: &TestApp, order: &Value, args: Value) -> Page {
    let data = app
        .data(
            &format!(
                "query($o: EventOrderBy, $first: Int, $after: String, $last: Int, $before: String) {{
                   events(orderBy: $o, first: $first, after: $after, last: $last, before: $before) {{
                     edges {{ cursor node {{ key }} }} {PAGE_INFO}
                   }}
                 }}"
            ),
            with_order(args, order),
        )
        .await;
    page_of(&data["events"], "key")
}

fn with_order(mut args: Value, order: &Value) -> Value {
    args["o"] = order.clone();
    args
}

/// Walks a connection to its end with pages of `size`, forward then backward, and checks
/// the walks against `all` (every (cursor, key) in order, from one big page).
async fn walk<F, Fut>(what: &str, all: &[(String, String)], size: usize, fetch: F)
where
    F: Fn(Value) -> Fut,
    Fut: std::future::Future<Output = Page>,
{
    // Forward: first/after from the start until hasNextPage is false.
    let mut forward = Vec::new();
    let mut after = Value::Null;
    let mut pages = 0;
    loop {
        let page = fetch(json!({ "first": size, "after": after })).await;
        pages += 1;
        assert!(
            pages <= all.len() + 1,
            "{what}: the forward walk does not end"
        );
        assert_eq!(
            page.has_previous,
            pages > 1,
            "{what}: hasPreviousPage of forward page {pages}"
        );
        assert!(page.edges.len() <= size, "{what}: page larger than {size}");
        forward.extend(page.edges.iter().cloned());
        assert_eq!(
            page.has_next,
            forward.len() < all.len(),
            "{what}: hasNextPage of forward page {pages} ({} of {} read)",
            forward.len(),
            all.len()
        );
        if !page.has_next {
            break;
        }
        assert_eq!(
            page.edges.len(),
            size,
            "{what}: only the last page is short"
        );
        after = page.end.clone();
    }
    assert_eq!(pages, all.len().div_ceil(size), "{what}: forward pages");
    assert_eq!(
        forward, all,
        "{what}: forward walk = one big page, cursors included"
    );

    // Backward: last/before from the end until hasPreviousPage is false.
    let mut backward: Vec<Vec<(String, String)>> = Vec::new();
    let mut before = Value::Null;
    loop {
        let page = fetch(json!({ "last": size, "before": before })).await;
        let read: usize = backward.iter().map(Vec::len).sum::<usize>() + page.edges.len();
        assert!(
            backward.len() <= all.len(),
            "{what}: the backward walk does not end"
        );
        assert_eq!(
            page.has_next,
            !backward.is_empty(),
            "{what}: hasNextPage of backward page {}",
            backward.len() + 1
        );
        assert_eq!(
            page.has_previous,
            read < all.len(),
            "{what}: hasPreviousPage of backward page {}",
            backward.len() + 1
        );
        let more = page.has_previous;
        before = page.start.clone();
        backward.push(page.edges);
        if !more {
            break;
        }
    }
    assert_eq!(
        backward.len(),
        all.len().div_ceil(size),
        "{what}: backward pages"
    );
    // Each backward page is in the ordering's order; the pages come last one first.
    let last_page = &backward[0];
    assert_eq!(
        last_page.as_slice(),
        &all[all.len() - last_page.len()..],
        "{what}: the first backward page is the end of the list, in order"
    );
    let rebuilt: Vec<(String, String)> = backward.into_iter().rev().flatten().collect();
    assert_eq!(
        rebuilt, all,
        "{what}: backward pages, reversed, = one big page"
    );
}

fn orders() -> [Value; 5] {
    [
        Value::Null,
        json!({ "field": "DATE", "direction": "ASC" }),
        json!({ "field": "DATE", "direction": "DESC" }),
        json!({ "field": "PEOPLE_COUNT", "direction": "ASC" }),
        json!({ "field": "PEOPLE_COUNT", "direction": "DESC" }),
    ]
}

/// Inserts an event straight into the database, outside the loader; returns its id.
async fn insert_event(
    app: &TestApp,
    key: &str,
    date: Option<NaiveDate>,
    people: Option<i64>,
    place: Option<i32>,
) -> i32 {
    let event = entity::event::ActiveModel {
        id: NotSet,
        key: Set(key.to_string()),
        title: Set(format!("Inserted by a test: {key}")),
        summary: Set("An event a pagination test inserts after reading a page.".into()),
        date_start: Set(date),
        date_end: Set(date),
        date_precision: Set(if date.is_some() {
            DatePrecision::Day
        } else {
            DatePrecision::Unknown
        }),
        date_derived: Set(false),
        status: Set(Status::Completed),
        location_id: Set(place),
        total_figure_id: Set(None),
        people_count: Set(people),
        country_code: Set(None),
        province_id: Set(None),
        year: Set(None),
        month: Set(None),
        version: Set(1),
    }
    .insert(app.db())
    .await
    .expect("the event inserts");
    if let Some(place) = place {
        entity::event_location::ActiveModel {
            event_id: Set(event.id),
            location_id: Set(place),
        }
        .insert(app.db())
        .await
        .expect("the event's place inserts");
    }
    event.id
}

fn date(s: &str) -> Option<NaiveDate> {
    Some(NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("a date"))
}

/// The first BAD_USER_INPUT error's message, or a panic.
async fn bad_input(app: &TestApp, query: &str, variables: Value) -> String {
    let (status, body) = app.graphql(query, variables.clone()).await;
    assert_eq!(status, StatusCode::OK, "{body:#}");
    let error = &body["errors"][0];
    assert_eq!(
        error["extensions"]["code"], "BAD_USER_INPUT",
        "{query} with {variables}: {body:#}"
    );
    error["message"].as_str().unwrap_or_default().to_string()
}

// --- walks ---------------------------------------------------------------------------------

async fn walking_pages_visits_every_event_once(backend: Backend) {
    let app = TestApp::fixture(backend, "rules").await;
    for order in orders() {
        let what = format!("events ordered by {order}");
        let all = events_page(&app, &order, json!({ "first": 100 })).await;
        assert_eq!(all.edges.len(), EVENTS, "{what}");
        assert!(
            !all.has_next && !all.has_previous,
            "{what}: one page holds all"
        );
        let mut keys = all.keys();
        keys.sort();
        keys.dedup();
        assert_eq!(keys.len(), EVENTS, "{what}: every event once");
        // Pages of 3 and 7 cross the ties (three events on 1 October 2024, two on 5 May 2022
        // and two on 2 February 2021; five have no people count, two count 7), so the id
        // tie-breaker is exercised.
        walk(&what, &all.edges, 3, |args| events_page(&app, &order, args)).await;
        walk(&what, &all.edges, 7, |args| events_page(&app, &order, args)).await;
    }

    // `last` alone reads the end of the list.
    let all = events_page(&app, &Value::Null, json!({ "first": 100 })).await;
    let tail = events_page(&app, &Value::Null, json!({ "last": 4 })).await;
    assert_eq!(tail.edges, all.edges[EVENTS - 4..]);
    assert!(!tail.has_next && tail.has_previous);
    // A page after the last edge is empty, with null cursors.
    let past = events_page(
        &app,
        &Value::Null,
        json!({ "first": 5, "after": all.edges[EVENTS - 1].0 }),
    )
    .await;
    assert!(past.edges.is_empty());
    assert!(!past.has_next && past.has_previous);
    assert_eq!((past.start, past.end), (Value::Null, Value::Null));
    // first: 0 is an empty page, not an error.
    let none = events_page(&app, &Value::Null, json!({ "first": 0 })).await;
    assert!(none.edges.is_empty());
}

async fn a_page_is_twenty_by_default(backend: Backend) {
    let app = TestApp::fixture(backend, "rules").await;
    // Ten more events (in 2019, older than every dated fixture event) make 24: more than a
    // default page either way.
    for day in 1..=10 {
        let key = format!("filler-{day}");
        insert_event(&app, &key, date(&format!("2019-01-{day:02}")), None, None).await;
    }
    let all = events_page(&app, &Value::Null, json!({ "first": 100 })).await;
    let n = EVENTS + 10;
    assert_eq!(all.edges.len(), n);
    let head = events_page(&app, &Value::Null, json!({})).await;
    assert_eq!(head.edges, all.edges[..20], "first 20 by default");
    assert!(head.has_next);
    // `before` alone: the 20 before it.
    let before = events_page(&app, &Value::Null, json!({ "before": all.edges[n - 1].0 })).await;
    assert_eq!(before.edges, all.edges[n - 21..n - 1], "20 by default");
    assert!(before.has_previous && before.has_next);
}

async fn walking_other_connections(backend: Backend) {
    let app = TestApp::fixture(backend, "rules").await;
    // Root connections of each ordering: by name, by date (descending, with ties), by period
    // (UNKNOWN periods last).
    for (root, key) in [
        ("agencies", "key"),
        ("locations", "key"),
        ("people", "key"),
        ("sources", "key"),
        ("statistics", "key"),
        ("deportationFlows", "id"),
    ] {
        let query = format!(
            "query($first: Int, $after: String, $last: Int, $before: String) {{
               {root}(first: $first, after: $after, last: $last, before: $before) {{
                 edges {{ cursor node {{ {key} }} }} {PAGE_INFO}
               }}
             }}"
        );
        let fetch = |args: Value| {
            let query = query.clone();
            let app = &app;
            async move { page_of(&app.data(&query, args).await[root], key) }
        };
        let all = fetch(json!({ "first": 100 })).await;
        walk(root, &all.edges, 2, fetch).await;
    }

    // A nested connection: Avalonia's 11 events, in pages of 4.
    let query = format!(
        "query($first: Int, $after: String, $last: Int, $before: String) {{
           country(code: \"XA\") {{
             events(first: $first, after: $after, last: $last, before: $before) {{
               edges {{ cursor node {{ key }} }} {PAGE_INFO}
             }}
           }}
         }}"
    );
    let fetch = |args: Value| {
        let query = query.clone();
        let app = &app;
        async move { page_of(&app.data(&query, args).await["country"]["events"], "key") }
    };
    let all = fetch(json!({ "first": 100 })).await;
    assert_eq!(all.edges.len(), 11);
    walk("country XA events", &all.edges, 4, fetch).await;

    // Paging one parent's events leaves another's alone in the same request.
    let data = app
        .data(
            &format!(
                "{{ xa: country(code: \"XA\") {{ events(first: 2) {{ edges {{ cursor node {{ key }} }} {PAGE_INFO} }} }}
                    xb: country(code: \"XB\") {{ events(first: 2) {{ edges {{ cursor node {{ key }} }} {PAGE_INFO} }} }} }}"
            ),
            json!({}),
        )
        .await;
    let xa = page_of(&data["xa"]["events"], "key");
    let xb = page_of(&data["xb"]["events"], "key");
    assert_eq!(xa.edges, all.edges[..2]);
    assert!(xa.has_next);
    // Borduria's two events (May 2022, then the UNKNOWN-date arrests) fit one page.
    assert_eq!(xb.keys(), ["ministers-meeting", "undated-arrests"]);
    assert!(!xb.has_next);
}

// --- stability -------------------------------------------------------------------------------

async fn date_pages_stay_put_when_events_are_inserted(backend: Backend) {
    let app = TestApp::fixture(backend, "rules").await;
    let newest = Value::Null; // the default: DATE DESC
    let first = events_page(&app, &newest, json!({ "first": 5 })).await;
    let second = events_page(&app, &newest, json!({ "first": 5, "after": first.end })).await;
    assert_eq!(second.edges.len(), 5);

    // 2030 sorts before everything newest-first, so before page 1's end cursor.
    insert_event(&app, "inserted-2030", date("2030-01-01"), None, None).await;
    let fresh = events_page(&app, &newest, json!({ "first": 5 })).await;
    assert_eq!(fresh.keys()[0], "inserted-2030", "the insert sorts first");

    let again = events_page(&app, &newest, json!({ "first": 5, "after": first.end })).await;
    assert_eq!(again, second, "page 2 after the same cursor is unchanged");

    // Reading backward from page 2's start gives page 1 plus the new event ahead of it.
    let back = events_page(&app, &newest, json!({ "last": 6, "before": second.start })).await;
    assert_eq!(back.keys()[0], "inserted-2030");
    assert_eq!(back.edges[1..], first.edges[..]);

    // The total counts it.
    let total =
        app.data("{ events { totalCount } }", json!({})).await["events"]["totalCount"].clone();
    assert_eq!(total, EVENTS + 1);
}

async fn people_count_pages_stay_put_when_events_are_inserted(backend: Backend) {
    let app = TestApp::fixture(backend, "rules").await;

    // DESC: the largest first; a million people sorts before page 1's end cursor.
    let desc = json!({ "field": "PEOPLE_COUNT", "direction": "DESC" });
    let first = events_page(&app, &desc, json!({ "first": 5 })).await;
    let second = events_page(&app, &desc, json!({ "first": 5, "after": first.end })).await;
    insert_event(
        &app,
        "inserted-million",
        date("2020-01-01"),
        Some(1_000_000),
        None,
    )
    .await;
    let fresh = events_page(&app, &desc, json!({ "first": 5 })).await;
    assert_eq!(
        fresh.keys()[0],
        "inserted-million",
        "the insert sorts first"
    );
    let again = events_page(&app, &desc, json!({ "first": 5, "after": first.end })).await;
    assert_eq!(again, second, "PEOPLE_COUNT DESC: page 2 is unchanged");

    // ASC: uncounted events (nulls sort lowest) first, then the smallest counts. Page 1 of
    // 8 ends past the 5 uncounted events and past 1, 7 and 7; page 2 holds 60, 107, 118, 500
    // and 912.
    let asc = json!({ "field": "PEOPLE_COUNT", "direction": "ASC" });
    let first = events_page(&app, &asc, json!({ "first": 8 })).await;
    let second = events_page(&app, &asc, json!({ "first": 5, "after": first.end })).await;
    assert_eq!(second.edges.len(), 5);
    // 0 sorts after every null and before every count, and an uncounted event among the
    // nulls: both before page 1's end cursor.
    insert_event(&app, "inserted-zero", date("2020-01-01"), Some(0), None).await;
    insert_event(&app, "inserted-uncounted", date("2020-01-01"), None, None).await;
    let fresh = events_page(&app, &asc, json!({ "first": 8 })).await;
    let position = |key: &str| fresh.keys().iter().position(|k| k == key);
    assert!(
        position("inserted-zero").is_some() && position("inserted-uncounted").is_some(),
        "both inserts sort within the first 8: {:?}",
        fresh.keys()
    );
    assert!(position("inserted-uncounted") < position("inserted-zero"));
    let again = events_page(&app, &asc, json!({ "first": 5, "after": first.end })).await;
    assert_eq!(again, second, "PEOPLE_COUNT ASC: page 2 is unchanged");
}

async fn nested_pages_stay_put_when_events_are_inserted(backend: Backend) {
    let app = TestApp::fixture(backend, "rules").await;
    let query = format!(
        "query($after: String) {{
           country(code: \"XA\") {{
             events(first: 2, after: $after) {{ totalCount edges {{ cursor node {{ key }} }} {PAGE_INFO} }}
           }}
         }}"
    );
    let page = |after: Value| {
        let query = query.clone();
        let app = &app;
        async move {
            page_of(
                &app.data(&query, json!({ "after": after })).await["country"]["events"],
                "key",
            )
        }
    };
    let first = page(Value::Null).await;
    let second = page(first.end.clone()).await;
    assert_eq!(second.edges.len(), 2);

    // A 2030 event in Harbour City is one of Avalonia's, and the newest.
    let harbour = entity::location::Entity::find()
        .filter(entity::location::Column::Key.eq("harbour"))
        .one(app.db())
        .await
        .expect("a query")
        .expect("Harbour City")
        .id;
    insert_event(
        &app,
        "inserted-kh-2030",
        date("2030-01-01"),
        None,
        Some(harbour),
    )
    .await;
    let fresh = page(Value::Null).await;
    assert_eq!(
        fresh.keys()[0],
        "inserted-kh-2030",
        "the insert is Avalonia's newest"
    );

    let again = page(first.end.clone()).await;
    assert_eq!(again, second, "Avalonia's page 2 is unchanged");
    assert_eq!(
        app.data(&query, json!({ "after": null })).await["country"]["events"]["totalCount"],
        12
    );
}

// --- errors ----------------------------------------------------------------------------------

async fn bad_page_arguments_are_refused(backend: Backend) {
    let app = TestApp::fixture(backend, "rules").await;
    let message = bad_input(&app, "{ events(first: 101) { totalCount } }", json!({})).await;
    assert!(message.contains("100"), "names the limit: {message}");
    let message = bad_input(&app, "{ events(last: 101) { totalCount } }", json!({})).await;
    assert!(message.contains("100"), "names the limit: {message}");
    bad_input(&app, "{ events(first: -1) { totalCount } }", json!({})).await;
    bad_input(&app, "{ events(last: -1) { totalCount } }", json!({})).await;
    bad_input(
        &app,
        "{ events(first: 2, last: 2) { totalCount } }",
        json!({}),
    )
    .await;
    // On nested connections and other roots too.
    bad_input(
        &app,
        "{ country(code: \"XA\") { events(first: 101) { totalCount } } }",
        json!({}),
    )
    .await;
    bad_input(&app, "{ agencies(first: 1000) { totalCount } }", json!({})).await;
    bad_input(
        &app,
        "{ statistics(first: 1, last: 1) { totalCount } }",
        json!({}),
    )
    .await;

    let all = events_page(&app, &Value::Null, json!({ "first": 3 })).await;
    let cursor = all.end.clone();
    // after with before, first with before, last with after.
    for args in [
        json!({ "first": 2, "after": cursor, "before": cursor }),
        json!({ "first": 2, "before": cursor }),
        json!({ "last": 2, "after": cursor }),
    ] {
        bad_input(
            &app,
            "query($first: Int, $after: String, $last: Int, $before: String) { events(first: $first, after: $after, last: $last, before: $before) { totalCount } }",
            args,
        )
        .await;
    }

    // A DATE cursor means nothing in PEOPLE_COUNT order (nor in DATE ASC).
    for order in [
        json!({ "field": "PEOPLE_COUNT", "direction": "DESC" }),
        json!({ "field": "PEOPLE_COUNT", "direction": "ASC" }),
        json!({ "field": "DATE", "direction": "ASC" }),
    ] {
        bad_input(
            &app,
            "query($o: EventOrderBy, $c: String) { events(orderBy: $o, first: 2, after: $c) { totalCount } }",
            json!({ "o": order, "c": cursor }),
        )
        .await;
    }
    // Nor does an events cursor among agencies.
    bad_input(
        &app,
        "query($c: String) { agencies(first: 2, after: $c) { totalCount } }",
        json!({ "c": cursor }),
    )
    .await;

    // Garbage: not base64, base64 of not-JSON, and JSON of the wrong shape.
    for garbage in ["garbage!", "bm90LWpzb24", "eyJ4IjoxfQ", ""] {
        bad_input(
            &app,
            "query($c: String) { events(first: 2, after: $c) { totalCount } }",
            json!({ "c": garbage }),
        )
        .await;
        bad_input(
            &app,
            "query($c: String) { events(last: 2, before: $c) { totalCount } }",
            json!({ "c": garbage }),
        )
        .await;
    }
}
