//! The queries that must stay fast at a million events use an index: the SQL a real GraphQL
//! request runs is captured and EXPLAINed with its own parameters, over a generated dataset
//! large enough for the planner to prefer indexes where they exist. On PostgreSQL they never
//! scan the event table sequentially, and the deep page keeps its plan; on both databases a
//! page after a cursor seeks its start.

use crate::helpers::{Backend, ask, fresh_db};
use scam_atlas::app::{AppState, router};
use sea_orm::{ConnectionTrait, Statement};
use serde_json::{Value, json};
use std::sync::{Arc, Mutex};

const EVENTS: usize = 20_000;

both!(
    a_cursor_page_seeks_its_start,
    only_the_page_reaching_the_undated_takes_two_statements,
);

/// A generated database of `events` events, ANALYZEd, behind the app, with every statement
/// the app runs captured.
struct Explained {
    store: crate::helpers::TestDb,
    app: axum::Router,
    captured: Arc<Mutex<Vec<Statement>>>,
}

impl Explained {
    async fn new(backend: Backend, events: usize) -> Self {
        let mut store = fresh_db(backend).await;
        scam_atlas::db::migrate(&store.db)
            .await
            .expect("migrations");
        scam_atlas::ingest::load_generated(
            &store.db,
            events,
            3,
            &scam_atlas::ingest::write::quietly,
        )
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
        Explained {
            store,
            app,
            captured,
        }
    }

    /// The answer to `query`, which must not fail.
    async fn post(&self, query: &str, variables: Value) -> Value {
        let body = ask(&self.app, query, variables).await;
        assert!(body.get("errors").is_none(), "{body}");
        body
    }

    /// The statements run since the last call.
    fn statements(&self) -> Vec<Statement> {
        self.captured
            .lock()
            .expect("statements")
            .drain(..)
            .collect()
    }

    /// Follows `page`'s `endCursor` `pages` times, then runs the page after it alone and
    /// returns its statements.
    async fn page_after(&self, page: &str, pages: usize) -> Vec<Statement> {
        let mut after = Value::Null;
        for _ in 0..pages {
            let body = self.post(page, json!({ "after": after })).await;
            after = body["data"]["events"]["pageInfo"]["endCursor"].clone();
        }
        self.statements();
        self.post(page, json!({ "after": after })).await;
        self.statements()
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[cfg_attr(
    not(postgres_tests),
    ignore = "PostgreSQL: set TEST_DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres to run"
)]
async fn paging_and_totals_use_indexes_on_postgres() {
    let explained = Explained::new(Backend::Postgres, EVENTS).await;
    let post = |query, variables| explained.post(query, variables);
    let store = &explained.store;

    // A filtered page deep in the data, reached by cursor.
    let page = "query($after: String) { events(filter: { kinds: [ARREST], from: \"2015-01-01\", to: \"2024-12-31\" }, first: 100, after: $after) { pageInfo { endCursor } nodes { id } } }";
    let paging = explained.page_after(page, 10).await;
    assert_plans(&store.db, &paging, "a filtered cursor page").await;

    // People totals by nationality and year, and the flow matrix.
    post(
        "{ participantTotals(groupBy: [NATIONALITY, YEAR]) { year total { value } } }",
        json!({}),
    )
    .await;
    post("{ participantTotals(filter: { countries: [\"Q291bnRyeTpLSA\"] }, groupBy: [NATIONALITY]) { total { value } } }", json!({})).await;
    let totals = explained.statements();
    assert_plans(&store.db, &totals, "people totals").await;
}

/// On PostgreSQL, the deep page (no filter) runs on a plan PostgreSQL keeps for its prepared
/// statement, not one planned afresh each time: its limit is written in. (With the limit
/// bound, all eight runs here were planned afresh.)
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[cfg_attr(
    not(postgres_tests),
    ignore = "PostgreSQL: set TEST_DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres to run"
)]
async fn an_unfiltered_page_keeps_its_plan_on_postgres() {
    let explained = Explained::new(Backend::Postgres, 2_000).await;
    // One connection, so that every run prepares on the session asked afterwards.
    let one = scam_atlas::db::connect_with(&explained.store.url, 1)
        .await
        .expect("a pool of one");
    let app = router(AppState::new(one.clone()));
    let explained = Explained { app, ..explained };
    let deep = include_str!("../../benches/queries/deep_page.graphql");
    for _ in 0..8 {
        explained.post(deep, json!({})).await;
    }
    let rows = one
        .query_all_raw(Statement::from_string(
            sea_orm::DbBackend::Postgres,
            "SELECT statement, generic_plans, custom_plans FROM pg_prepared_statements \
             WHERE statement LIKE '%FROM \"event\"%ORDER BY%'",
        ))
        .await
        .expect("pg_prepared_statements");
    let plans: Vec<(String, i64, i64)> = rows
        .iter()
        .map(|r| {
            let sql: String = r.try_get("", "statement").expect("statement");
            let tail = sql[sql.len().saturating_sub(12)..].to_string();
            let generic = r.try_get("", "generic_plans").expect("generic_plans");
            (
                tail,
                generic,
                r.try_get("", "custom_plans").expect("custom_plans"),
            )
        })
        .collect();
    let deep = plans.iter().find(|(tail, ..)| tail.ends_with(" LIMIT 21"));
    assert!(
        deep.is_some_and(|(_, generic, _)| *generic >= 3),
        "{plans:?}"
    );
}

/// Every statement that reads `event` does so through an index.
async fn assert_plans(db: &sea_orm::DatabaseConnection, statements: &[Statement], what: &str) {
    assert!(!statements.is_empty(), "{what}: no statements captured");
    for statement in statements
        .iter()
        .filter(|s| s.sql.trim_start().starts_with("SELECT"))
    {
        let plan = plan(db, statement).await;
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

/// A page after a cursor starts where the cursor points, found in the index on (date, id),
/// instead of reading the index from its start and dropping every row before the cursor:
/// the deep page 30 pages in, by date (nullable: the undated events follow the dated ones),
/// and by date ascending from an undated event's cursor.
async fn a_cursor_page_seeks_its_start(backend: Backend) {
    let explained = Explained::new(backend, 3_000).await;
    let deep = "query($after: String) { events(first: 20, after: $after) { pageInfo { endCursor } nodes { id title participants { role } } } }";
    let ascending = "query($after: String) { events(first: 20, after: $after, orderBy: { field: DATE, direction: ASC }) { pageInfo { endCursor } nodes { id date { start } } } }";
    // (what, document, pages before, the seek in PostgreSQL's plan and in SQLite's, whether
    // the index may be read from its start: ascending from an undated event, the tail is
    // every dated event, read from the first.)
    let cases = [
        (
            "descending",
            deep,
            30,
            "Index Cond: (ROW(date_start, id) < ROW(",
            "(date_start<?)",
            false,
        ),
        (
            "ascending from the undated",
            ascending,
            3,
            "Index Cond: ((date_start IS NULL) AND (id > ",
            "(date_start=? AND id>?)",
            true,
        ),
    ];
    for (what, page, pages, postgres, sqlite, from_start) in cases {
        let statements = explained.page_after(page, pages).await;
        assert_eq!(statements.len(), 1, "{what}: one statement");
        let plan = plan(&explained.store.db, &statements[0]).await;
        let seek = match backend {
            Backend::Postgres => postgres,
            Backend::Sqlite => sqlite,
        };
        assert!(
            plan.contains(seek),
            "{what}: the cursor is no index condition ({seek}):\n{}\n{plan}",
            statements[0].sql
        );
        assert!(
            from_start
                || !(plan.contains("Filter: ((date_start <") || plan.contains("SCAN event USING")),
            "{what}: the index is read from its start:\n{plan}"
        );
    }
}

/// Walking every page of 50 by date reads each event once, in one statement a page, but for
/// the one page that reaches from the dated events into the undated: its second statement
/// reads those, by their own index seek.
async fn only_the_page_reaching_the_undated_takes_two_statements(backend: Backend) {
    let explained = Explained::new(backend, 3_000).await;
    let page = "query($after: String) { events(first: 50, after: $after) { pageInfo { endCursor hasNextPage } nodes { id } } }";
    let (mut after, mut seen, mut straddling) = (Value::Null, Vec::new(), Vec::new());
    loop {
        let body = explained.post(page, json!({ "after": after })).await;
        let statements = explained.statements();
        let events = &body["data"]["events"];
        seen.extend(events["nodes"].as_array().expect("nodes").iter().cloned());
        match statements.len() {
            1 => {}
            2 => {
                let plan = plan(&explained.store.db, &statements[1]).await;
                explained.statements(); // the EXPLAIN's own
                let seeks =
                    plan.contains("(date_start=?)") || plan.contains("(date_start IS NULL)");
                assert!(seeks, "the undated are read by an index seek:\n{plan}");
                straddling.push(seen.len());
            }
            n => panic!("{n} statements for one page"),
        }
        if events["pageInfo"]["hasNextPage"] != json!(true) {
            break;
        }
        after = events["pageInfo"]["endCursor"].clone();
    }
    assert_eq!(seen.len(), 3_000, "every event");
    seen.sort_by_key(|n| n["id"].to_string());
    seen.dedup();
    assert_eq!(seen.len(), 3_000, "every event once");
    assert_eq!(
        straddling.len(),
        1,
        "pages of two statements, ending at {straddling:?}"
    );
}

/// `statement`'s plan, one line per node: `EXPLAIN` on PostgreSQL, `EXPLAIN QUERY PLAN` on
/// SQLite.
async fn plan(db: &sea_orm::DatabaseConnection, statement: &Statement) -> String {
    let (prefix, column) = match db.get_database_backend() {
        sea_orm::DbBackend::Sqlite => ("EXPLAIN QUERY PLAN", "detail"),
        _ => ("EXPLAIN", "QUERY PLAN"),
    };
    let explain = Statement {
        sql: format!("{prefix} {}", statement.sql),
        ..statement.clone()
    };
    let rows = db.query_all_raw(explain).await.expect("EXPLAIN runs");
    rows.iter()
        .filter_map(|r| r.try_get::<String>("", column).ok())
        .collect::<Vec<_>>()
        .join("\n")
}
