//! Read replicas: a request's reads go to a PostgreSQL hot standby (`.ci/run replica` starts
//! one on port 5433; `TEST_REPLICA_URL` names it), the primary takes the reads that ask for it,
//! and reads fall back to the primary while a replica is down.

use crate::helpers::{Backend, TestApp};
use crate::observe::{sample, scrape, value};
use scam_atlas::app::router;
use scam_atlas::db::replicas::ReadFrom;
use sea_orm::{ConnectionTrait, Database, DatabaseConnection, Statement};
use serde_json::json;

const QUERY: &str = "query Page { events(first: 3) { totalCount nodes { title } } }";

/// SQL statements each pool ran for requests, per the metrics.
async fn statements_by_pool(app: &TestApp, pool: &str) -> f64 {
    let scraped = scrape(app).await;
    sample(
        &scraped,
        "scam_atlas_sql_statements_total",
        &[("pool", pool)],
    )
    .map_or(0.0, |s| value(s).0)
}

async fn one_number(db: &DatabaseConnection, sql: &str) -> Option<i64> {
    let row = db
        .query_one_raw(Statement::from_string(db.get_database_backend(), sql))
        .await
        .ok()??;
    row.try_get_by_index::<i64>(0).ok()
}

/// The standby's URL for the test's database, once the standby has replayed its data.
async fn replayed(app: &TestApp) -> String {
    let standby = std::env::var("TEST_REPLICA_URL").expect("TEST_REPLICA_URL is set");
    let (base, _) = standby
        .rsplit_once('/')
        .expect("a URL with a database name");
    let (_, name) = app
        .store
        .url
        .rsplit_once('/')
        .expect("a URL with a database name");
    let url = format!("{base}/{name}");
    let events = one_number(app.db(), "SELECT COUNT(*) FROM event").await;
    for _ in 0..300 {
        if let Ok(replica) = Database::connect(&url).await {
            let in_recovery = one_number(
                &replica,
                "SELECT CASE WHEN pg_is_in_recovery() THEN 1::INT8 ELSE 0::INT8 END",
            )
            .await;
            assert_eq!(in_recovery, Some(1), "{url} is a hot standby, in recovery");
            let caught_up = one_number(&replica, "SELECT COUNT(*) FROM event").await == events;
            let _ = replica.close().await;
            if caught_up {
                return url;
            }
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    panic!("the standby did not replay the test's database within 30 s");
}

#[tokio::test]
#[cfg_attr(
    not(replica_tests),
    ignore = "read replicas: run `.ci/run postgres replica` and set TEST_REPLICA_URL=postgres://postgres@127.0.0.1:5433/postgres"
)]
async fn reads_are_served_by_the_standby_and_the_primary_when_asked() {
    let primary = TestApp::fixture(Backend::Postgres, "rules").await;
    let replica_url = replayed(&primary).await;
    let state = primary.state_with_replicas(&[replica_url]).await;
    let schema = state.schema.clone();
    let app = TestApp {
        router: router(state),
        store: primary.store,
    };
    let expected = app.data(QUERY, json!({})).await;
    assert_eq!(statements_by_pool(&app, "primary").await, 0.0);
    let on_replica = statements_by_pool(&app, "replica1").await;
    assert!(on_replica >= 2.0, "{on_replica}");
    // The same answer as the primary's (it is the same data, replayed).
    let direct = scam_atlas::graphql::build_schema(app.db().clone())
        .execute(QUERY)
        .await
        .into_result()
        .expect("the primary answers");
    assert_eq!(expected, direct.data.into_json().expect("JSON"));
    // Reading one's own writes: a request marked for the primary reads from it.
    let response = schema
        .execute(async_graphql::Request::new(QUERY).data(ReadFrom::Primary))
        .await;
    assert!(response.errors.is_empty(), "{:?}", response.errors);
    assert!(statements_by_pool(&app, "primary").await >= 2.0);
    assert_eq!(statements_by_pool(&app, "replica1").await, on_replica);
    let scraped = scrape(&app).await;
    let up = sample(
        &scraped,
        "scam_atlas_db_replica_up",
        &[("pool", "replica1")],
    )
    .map(|s| value(s).0);
    assert_eq!(up, Some(1.0));
}

both!(reads_fall_back_to_the_primary_while_the_replica_is_down);

async fn reads_fall_back_to_the_primary_while_the_replica_is_down(backend: Backend) {
    let primary = TestApp::fixture(backend, "rules").await;
    // Nothing listens on port 1.
    let down = "postgres://postgres@127.0.0.1:1/gone".to_string();
    let state = primary.state_with_replicas(&[down]).await;
    let app = TestApp {
        router: router(state),
        store: primary.store,
    };
    let data = app.data(QUERY, json!({})).await;
    assert!(
        data["events"]["totalCount"].as_i64().is_some_and(|n| n > 0),
        "{data}"
    );
    assert!(statements_by_pool(&app, "primary").await >= 2.0);
    assert_eq!(statements_by_pool(&app, "replica1").await, 0.0);
    let scraped = scrape(&app).await;
    let up = sample(
        &scraped,
        "scam_atlas_db_replica_up",
        &[("pool", "replica1")],
    )
    .map(|s| value(s).0);
    assert_eq!(up, Some(0.0));
}
