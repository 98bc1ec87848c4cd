//! No N+1: the number of SQL statements a query runs depends on its shape, never on how many
//! rows it returns. The deepest query clients write runs at page sizes 1, 10 and 100 over a
//! generated dataset larger than the curated one, and must run the same statements each time.

use crate::helpers::{Backend, fresh_db};
use axum::body::Body;
use axum::http::{Request, header};
use http_body_util::BodyExt;
use scam_atlas::app::{AppState, router};
use serde_json::{Value, json};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use tower::ServiceExt;

const DEEP: &str = r#"
query Deep($n: Int!, $after: String) {
  events(first: $n, after: $after) {
    totalCount
    pageInfo { hasNextPage endCursor }
    edges {
      cursor
      node {
        id title kinds status
        date { start end precision }
        location { name country { name } }
        places { name parent { name level } }
        peopleCount { value low high qualifier claims { value source { headline } } }
        participants {
          nationality { code name }
          role status
          count { value low high qualifier claims { value qualifier quote source { outlet published { start } } } }
          women { value }
        }
        agencies {
          role
          agency { name kind country { code } parent { name } events(first: 5) { totalCount nodes { title } } }
        }
        people { role person { name aliases { name } } }
        deportationFlows {
          kind status fromCountry { code name } toCountry { code name }
          count { value claims { value source { headline } } }
          byNationality { nationality { code } count { value } }
        }
        seizures { item quantity { value } }
        citations { quote source { headline outlet } supports { fact location { name } } }
      }
    }
  }
}"#;

async fn statements_for(backend: Backend) -> Vec<(usize, usize, usize)> {
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
    let post = |query: &str, variables: Value| {
        let request = Request::post("/graphql")
            .header(header::CONTENT_TYPE, "application/json")
            .body(Body::from(
                json!({ "query": query, "variables": variables }).to_string(),
            ))
            .expect("a request");
        let app = app.clone();
        async move {
            let response = app.oneshot(request).await.expect("an answer");
            let bytes = response
                .into_body()
                .collect()
                .await
                .expect("a body")
                .to_bytes();
            serde_json::from_slice::<Value>(&bytes).expect("JSON")
        }
    };
    // Pages start at an event with every relation (the generator makes every tenth one so),
    // so that every page size reaches every relation the query names.
    let listing = post(
        "{ events(first: 100) { edges { cursor node { summary } } } }",
        json!({}),
    )
    .await;
    let edges = listing["data"]["events"]["edges"]
        .as_array()
        .expect("edges")
        .clone();
    let rich = edges.iter().position(|e| {
        e["node"]["summary"]
            .as_str()
            .is_some_and(|s| s.ends_with("Every relation."))
    });
    let after = match rich.expect("a rich event among the first 100") {
        0 => Value::Null,
        i => edges[i - 1]["cursor"].clone(),
    };
    let mut runs = Vec::new();
    for n in [1, 10, 100] {
        counter.store(0, Ordering::SeqCst);
        let body = post(DEEP, json!({ "n": n, "after": after })).await;
        assert!(body.get("errors").is_none(), "{body:#}");
        let edges = body["data"]["events"]["edges"]
            .as_array()
            .map_or(0, Vec::len);
        assert_eq!(edges, n, "a full page of {n}");
        runs.push((n, edges, counter.load(Ordering::SeqCst)));
    }
    drop(store);
    runs
}

fn assert_invariant(backend: Backend, runs: &[(usize, usize, usize)]) {
    let counts: Vec<usize> = runs.iter().map(|r| r.2).collect();
    assert!(
        counts.iter().all(|c| *c == counts[0]),
        "{backend:?}: statements per page size (n, rows, statements): {runs:?}"
    );
    // One statement per relation the query reaches, whatever the page size: a bound on the
    // shape (about 30 relations here), far below one per row.
    assert!(counts[0] < 40, "{backend:?}: {runs:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn statement_count_does_not_depend_on_page_size_sqlite() {
    let runs = statements_for(Backend::Sqlite).await;
    assert_invariant(Backend::Sqlite, &runs);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[cfg_attr(
    not(postgres_tests),
    ignore = "PostgreSQL: set TEST_DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres to run"
)]
async fn statement_count_does_not_depend_on_page_size_postgres() {
    let runs = statements_for(Backend::Postgres).await;
    assert_invariant(Backend::Postgres, &runs);
}
