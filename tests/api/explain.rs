//! On PostgreSQL, the queries that must stay fast at a million events use an index and never
//! scan the event table sequentially: the SQL a real GraphQL request runs is captured and
//! EXPLAINed with its own parameters, over a generated dataset large enough for the planner
//! to prefer indexes where they exist.

use crate::helpers::{Backend, fresh_db};
use axum::body::Body;
use axum::http::{Request, header};
use http_body_util::BodyExt;
use scam_atlas::app::{AppState, router};
use sea_orm::{ConnectionTrait, Statement};
use serde_json::{Value, json};
use std::sync::{Arc, Mutex};
use tower::ServiceExt;

const EVENTS: usize = 20_000;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[cfg_attr(
    not(postgres_tests),
    ignore = "PostgreSQL: set TEST_DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres to run"
)]
async fn paging_and_totals_use_indexes_on_postgres() {
    let mut store = fresh_db(Backend::Postgres).await;
    scam_atlas::db::migrate(&store.db)
        .await
        .expect("migrations");
    scam_atlas::ingest::load_generated(&store.db, EVENTS, 3, &scam_atlas::ingest::write::quietly)
        .await
        .expect("generated data loads");
    store
        .db
        .execute_unprepared("ANALYZE")
        .await
        .expect("ANALYZE");
    let captured: Arc<Mutex<Vec<Statement>>> = Arc::default();
    let sink = captured.clone();
    store.db.set_metric_callback(move |info| {
        if let Ok(mut statements) = sink.lock() {
            statements.push(info.statement.clone());
        }
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
            let bytes = app
                .oneshot(request)
                .await
                .expect("an answer")
                .into_body()
                .collect()
                .await
                .expect("a body")
                .to_bytes();
            let body: Value = serde_json::from_slice(&bytes).expect("JSON");
            assert!(body.get("errors").is_none(), "{body}");
            body
        }
    };

    // A filtered page deep in the data, reached by cursor.
    let page = "query($after: String) { events(filter: { kinds: [ARREST], from: \"2015-01-01\", to: \"2024-12-31\" }, first: 100, after: $after) { pageInfo { endCursor } nodes { id } } }";
    let mut after = Value::Null;
    for _ in 0..10 {
        let body = post(page, json!({ "after": after })).await;
        after = body["data"]["events"]["pageInfo"]["endCursor"].clone();
    }
    captured.lock().expect("statements").clear();
    post(page, json!({ "after": after })).await;
    let paging: Vec<Statement> = captured.lock().expect("statements").drain(..).collect();
    assert_plans(&store.db, &paging, "a filtered cursor page").await;

    // People totals by nationality and year, and the flow matrix.
    post(
        "{ participantTotals(groupBy: [NATIONALITY, YEAR]) { year total { value } } }",
        json!({}),
    )
    .await;
    post("{ participantTotals(filter: { countries: [\"Q291bnRyeTpLSA\"] }, groupBy: [NATIONALITY]) { total { value } } }", json!({})).await;
    let totals: Vec<Statement> = captured.lock().expect("statements").drain(..).collect();
    assert_plans(&store.db, &totals, "people totals").await;
}

/// Every statement that reads `event` does so through an index.
async fn assert_plans(db: &sea_orm::DatabaseConnection, statements: &[Statement], what: &str) {
    assert!(!statements.is_empty(), "{what}: no statements captured");
    for statement in statements
        .iter()
        .filter(|s| s.sql.trim_start().starts_with("SELECT"))
    {
        let explain = Statement {
            sql: format!("EXPLAIN {}", statement.sql),
            ..statement.clone()
        };
        let rows = db.query_all_raw(explain).await.expect("EXPLAIN runs");
        let plan: Vec<String> = rows
            .iter()
            .filter_map(|r| r.try_get::<String>("", "QUERY PLAN").ok())
            .collect();
        let plan = plan.join("\n");
        assert!(
            !plan.contains("Seq Scan on event ") && !plan.ends_with("Seq Scan on event"),
            "{what}: a sequential scan of the event table:\n{}\n{plan}",
            statement.sql
        );
        if statement.sql.contains("FROM \"event\"") && statement.sql.contains("LIMIT") {
            assert!(
                plan.contains("Index"),
                "{what}: no index used:\n{}\n{plan}",
                statement.sql
            );
        }
    }
}
