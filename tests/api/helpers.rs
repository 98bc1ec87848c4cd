//! Spawning a fresh app per test, on SQLite or PostgreSQL, and talking to it over HTTP.

use axum::Router;
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use http_body_util::BodyExt;
use scam_atlas::app::{AppState, router};
use scam_atlas::ingest::Dataset;
use sea_orm::{ConnectionTrait, DatabaseConnection, DbBackend, Statement};
use serde_json::{Value, json};
use std::sync::atomic::{AtomicU32, Ordering};
use tower::ServiceExt;

/// Which database a test runs on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// Declares `mod $name { sqlite, postgres }`: the async fn `$name(Backend)` run on each. The
/// PostgreSQL half is compiled in as ignored, with the reason, unless `TEST_DATABASE_URL` was
/// set when the tests were built (see build.rs): a test that did not run never says `ok`.
macro_rules! both {
    ($($name:ident),* $(,)?) => {$(
        mod $name {
            #[tokio::test]
            async fn sqlite() {
                super::$name(crate::helpers::Backend::Sqlite).await
            }

            #[tokio::test]
            #[cfg_attr(not(postgres_tests), ignore = "PostgreSQL: set TEST_DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres to run")]
            async fn postgres() {
                super::$name(crate::helpers::Backend::Postgres).await
            }
        }
    )*};
}

/// The PostgreSQL server the tests use: `TEST_DATABASE_URL`, read when a PostgreSQL test runs.
/// Only tests compiled with `cfg(postgres_tests)` get here, so its absence is a failure.
pub fn postgres_url() -> String {
    match std::env::var("TEST_DATABASE_URL") {
        Ok(url) if !url.is_empty() => url,
        _ => panic!(
            "TEST_DATABASE_URL was set when the tests were built but is not set now \
             (e.g. postgres://postgres@127.0.0.1:5432/postgres)"
        ),
    }
}

/// A database of its own for one test; a PostgreSQL one is dropped when the test ends.
pub struct TestDb {
    pub db: DatabaseConnection,
    /// Where it is, for opening a second, independent pool (a second server instance).
    pub url: String,
    cleanup: Option<(String, String)>,
    _dir: Option<tempfile::TempDir>,
}

impl Drop for TestDb {
    fn drop(&mut self) {
        if let Some((admin_url, name)) = self.cleanup.take() {
            // Dropping needs a runtime of its own: the test's may be shutting down.
            let _ = std::thread::spawn(move || {
                let rt = tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()
                    .ok()?;
                rt.block_on(async {
                    let admin = sea_orm::Database::connect(&admin_url).await.ok()?;
                    admin
                        .execute_unprepared(&format!(
                            "DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)"
                        ))
                        .await
                        .ok()?;
                    admin.close().await.ok()
                })
            })
            .join();
        }
    }
}

static COUNTER: AtomicU32 = AtomicU32::new(0);

/// A fresh, empty (unmigrated) database.
pub async fn fresh_db(backend: Backend) -> TestDb {
    match backend {
        Backend::Sqlite => {
            let dir = tempfile::tempdir().expect("a temporary directory");
            let url = format!("sqlite://{}?mode=rwc", dir.path().join("test.db").display());
            let db = scam_atlas::db::connect(&url).await.expect("SQLite opens");
            TestDb {
                db,
                url,
                cleanup: None,
                _dir: Some(dir),
            }
        }
        Backend::Postgres => {
            let admin_url = postgres_url();
            let name = format!(
                "scam_atlas_test_{}_{}_{}",
                std::process::id(),
                COUNTER.fetch_add(1, Ordering::SeqCst),
                std::time::SystemTime::now()
                    .duration_since(std::time::UNIX_EPOCH)
                    .map(|d| d.subsec_nanos())
                    .unwrap_or(0)
            );
            let admin = sea_orm::Database::connect(&admin_url)
                .await
                .expect("PostgreSQL at TEST_DATABASE_URL answers");
            admin
                .execute_unprepared(&format!("CREATE DATABASE \"{name}\""))
                .await
                .expect("CREATE DATABASE");
            admin.close().await.expect("close admin connection");
            let (base, _) = admin_url
                .rsplit_once('/')
                .expect("a URL with a database name");
            let url = format!("{base}/{name}");
            let db = scam_atlas::db::connect(&url)
                .await
                .expect("the new database opens");
            TestDb {
                db,
                url,
                cleanup: Some((admin_url, name)),
                _dir: None,
            }
        }
    }
}

/// An app over a fresh database, migrated and loaded with a dataset.
pub struct TestApp {
    pub store: TestDb,
    pub router: Router,
}

impl TestApp {
    /// An app over the curated dataset, what users get.
    pub async fn spawn(backend: Backend) -> TestApp {
        let store = fresh_db(backend).await;
        scam_atlas::db::migrate(&store.db)
            .await
            .expect("migrations");
        scam_atlas::ingest::seed(&store.db)
            .await
            .expect("the curated dataset loads");
        let router = router(AppState::new(store.db.clone()));
        TestApp { store, router }
    }

    /// An app over a fresh database loaded with the fixture dataset `tests/fixtures/<name>/`
    /// instead of the curated one: rule tests assert what the fixture implies, so that a
    /// correction to `data/` cannot break them.
    pub async fn fixture(backend: Backend, name: &str) -> TestApp {
        let store = fresh_db(backend).await;
        scam_atlas::db::migrate(&store.db)
            .await
            .expect("migrations");
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures")
            .join(name);
        let dataset = Dataset::from_dir(&dir).expect("the fixture's files read");
        scam_atlas::ingest::load(&store.db, &dataset, false)
            .await
            .unwrap_or_else(|e| panic!("the fixture {name} loads: {e}"));
        let router = router(AppState::new(store.db.clone()));
        TestApp { store, router }
    }

    /// An app over the fixture `name` as the server runs it: its pool instrumented
    /// (`Databases::connect`).
    pub async fn serving(backend: Backend, name: &str) -> TestApp {
        let app = TestApp::fixture(backend, name).await;
        let state = app.state_with_replicas(&[]).await;
        TestApp {
            router: router(state),
            store: app.store,
        }
    }

    /// The server's state over this app's database, with `replicas`, every pool instrumented.
    pub async fn state_with_replicas(&self, replicas: &[String]) -> AppState {
        let databases =
            scam_atlas::db::replicas::Databases::connect(self.store.db.clone(), replicas, 4)
                .await
                .expect("the databases connect");
        AppState::serving(databases, Default::default())
    }

    pub fn db(&self) -> &DatabaseConnection {
        &self.store.db
    }

    /// Sends a request; returns the status, the content type and the body as JSON.
    pub async fn send(&self, request: Request<Body>) -> (StatusCode, String, Value) {
        let response = self
            .router
            .clone()
            .oneshot(request)
            .await
            .expect("the router answers");
        let status = response.status();
        let content_type = response
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_string();
        let bytes = response
            .into_body()
            .collect()
            .await
            .expect("a body")
            .to_bytes();
        let body = serde_json::from_slice(&bytes)
            .unwrap_or_else(|_| Value::String(String::from_utf8_lossy(&bytes).into()));
        (status, content_type, body)
    }

    /// POSTs a GraphQL document with variables; returns the status and the response body.
    pub async fn graphql(&self, query: &str, variables: Value) -> (StatusCode, Value) {
        let request = Request::post("/graphql")
            .header(header::CONTENT_TYPE, "application/json")
            .header(header::ACCEPT, "application/graphql-response+json")
            .body(Body::from(
                json!({ "query": query, "variables": variables }).to_string(),
            ))
            .expect("a request");
        let (status, _, body) = self.send(request).await;
        (status, body)
    }

    /// POSTs a document that must succeed; returns its `data`.
    pub async fn data(&self, query: &str, variables: Value) -> Value {
        let (status, body) = self.graphql(query, variables).await;
        assert_eq!(status, StatusCode::OK, "{body:#}");
        assert!(body.get("errors").is_none(), "unexpected errors: {body:#}");
        body["data"].clone()
    }
}

/// Number of rows of `table`.
pub async fn count(db: &DatabaseConnection, table: &str) -> i64 {
    let backend = db.get_database_backend();
    let row = db
        .query_one_raw(Statement::from_string(
            backend,
            format!("SELECT COUNT(*) AS n FROM {table}"),
        ))
        .await
        .expect("COUNT runs")
        .expect("a row");
    row.try_get::<i64>("", "n").expect("a count")
}

/// Every data table, for before/after comparisons.
pub const TABLES: &[&str] = &[
    "country",
    "source",
    "location",
    "location_closure",
    "agency",
    "person",
    "person_alias",
    "person_title",
    "figure",
    "claim",
    "event",
    "event_kind",
    "event_location",
    "event_agency",
    "event_person",
    "citation",
    "citation_fact",
    "participant_group",
    "deportation_flow",
    "flow_nationality",
    "seizure",
    "money_figure",
    "statement",
    "event_relation",
    "statistic",
    "dataset_load",
    "participant_tally",
    "flow_tally",
    "participant_link",
    "source_text",
    "api_key",
    "proposal",
    "change",
    "idempotency",
    "redirect",
    "data_version",
    "participant_rollup",
    "flow_rollup",
    "rollup_state",
    "import_job",
];

/// Row counts of every table.
pub async fn counts(db: &DatabaseConnection) -> Vec<(&'static str, i64)> {
    let mut all = Vec::new();
    for table in TABLES {
        all.push((*table, count(db, table).await));
    }
    all
}

/// Whether `db` is PostgreSQL.
pub fn is_postgres(db: &DatabaseConnection) -> bool {
    db.get_database_backend() == DbBackend::Postgres
}

/// The global ID of the country with ISO code `code` (what country filters take).
pub fn country_id(code: &str) -> String {
    use base64::Engine;
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(format!("Country:{code}"))
}

/// How many migrations the server has.
pub fn migration_count() -> u32 {
    use migration::MigratorTrait;
    u32::try_from(migration::Migrator::migrations().len()).expect("a few migrations")
}

/// Sends a request to `router`; returns the status, the headers and the body as JSON (or as
/// a JSON string when it is not JSON).
pub async fn exchange(
    router: &Router,
    request: Request<Body>,
) -> (StatusCode, axum::http::HeaderMap, Value) {
    let response = router
        .clone()
        .oneshot(request)
        .await
        .expect("the router answers");
    let (parts, body) = response.into_parts();
    let bytes = body.collect().await.expect("a body").to_bytes();
    let body = serde_json::from_slice(&bytes)
        .unwrap_or_else(|_| Value::String(String::from_utf8_lossy(&bytes).into()));
    (parts.status, parts.headers, body)
}

/// A POST of `body` to /graphql, accepting `accept`.
pub fn post_json(body: &Value, accept: &str) -> Request<Body> {
    Request::post("/graphql")
        .header(header::CONTENT_TYPE, "application/json")
        .header(header::ACCEPT, accept)
        .body(Body::from(body.to_string()))
        .expect("a request")
}

/// Serves `router` on a real socket through the server's own transport, with `settings`;
/// returns its address.
pub async fn serve_on_port(
    router: Router,
    settings: scam_atlas::transport::Settings,
) -> std::net::SocketAddr {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("a port");
    let addr = listener.local_addr().expect("an address");
    tokio::spawn(scam_atlas::transport::serve(
        listener,
        router,
        settings,
        std::future::pending(),
    ));
    addr
}

/// The answer of `app` (a router, no socket) to a POST of `query` with `variables`.
pub async fn ask(app: &Router, query: &str, variables: Value) -> Value {
    let request = Request::post("/graphql")
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from(
            json!({ "query": query, "variables": variables }).to_string(),
        ))
        .expect("a request");
    let bytes = app
        .clone()
        .oneshot(request)
        .await
        .expect("an answer")
        .into_body()
        .collect()
        .await
        .expect("a body")
        .to_bytes();
    serde_json::from_slice(&bytes).expect("JSON")
}
