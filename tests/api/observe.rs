//! What an operator sees: `/health` and `/ready`, `/metrics` scraped and parsed, and the spans
//! a request leaves (with no literal and no variable value in them).

use crate::helpers::{Backend, TestApp, fresh_db};
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use scam_atlas::app::{AppState, router};
use sea_orm::{ConnectionTrait, Statement};
use serde_json::{Value, json};

async fn get(app: &TestApp, path: &str) -> (StatusCode, Value) {
    let request = Request::get(path).body(Body::empty()).expect("a request");
    let (status, _, body) = app.send(request).await;
    (status, body)
}

both!(ready_once_migrated_and_not_with_a_migration_missing);

async fn ready_once_migrated_and_not_with_a_migration_missing(backend: Backend) {
    let app = TestApp::fixture(backend, "rules").await;
    assert_eq!(
        get(&app, "/ready").await,
        (StatusCode::OK, json!({ "status": "ready" }))
    );
    // Take the last migration's record away, as if the binary were newer than the database.
    let db = app.db();
    let last = db
        .query_one_raw(Statement::from_string(
            db.get_database_backend(),
            "SELECT MAX(version) AS version FROM seaql_migrations",
        ))
        .await
        .expect("the records read")
        .and_then(|row| row.try_get::<String>("", "version").ok())
        .expect("a migration is recorded");
    db.execute_unprepared(&format!(
        "DELETE FROM seaql_migrations WHERE version = '{last}'"
    ))
    .await
    .expect("the record goes");
    // The answer is kept for a second; then the check sees the missing migration.
    tokio::time::sleep(scam_atlas::observe::ready::CACHE_FOR).await;
    let (status, body) = get(&app, "/ready").await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE, "{body}");
    assert_eq!(body["reason"], "MIGRATIONS_PENDING", "{body}");
    assert!(
        body["message"].as_str().is_some_and(|m| m.contains(&last)),
        "{body}"
    );
    // The process is still up.
    let (status, body) = get(&app, "/health").await;
    assert_eq!((status, body), (StatusCode::OK, json!("ok")));
}

#[tokio::test]
async fn not_ready_while_the_database_is_unreachable() {
    // Nothing listens on port 1: the pool (lazy, like a server whose database went away after
    // it started) cannot connect.
    let db = scam_atlas::db::connect_lazily("postgres://postgres@127.0.0.1:1/gone", 1)
        .await
        .expect("a lazy pool opens without connecting");
    let app = router(AppState::new(db));
    let started = std::time::Instant::now();
    let response = tower::ServiceExt::oneshot(
        app.clone(),
        Request::get("/ready")
            .body(Body::empty())
            .expect("a request"),
    )
    .await
    .expect("an answer");
    assert_eq!(response.status(), StatusCode::SERVICE_UNAVAILABLE);
    // Within the check's timeout (and some slack), not the pool's 5 s acquire timeout.
    assert!(
        started.elapsed() < std::time::Duration::from_secs(3),
        "{:?}",
        started.elapsed()
    );
    let bytes = http_body_util::BodyExt::collect(response.into_body())
        .await
        .expect("a body")
        .to_bytes();
    let body: Value = serde_json::from_slice(&bytes).expect("JSON");
    assert!(
        ["DATABASE_TIMEOUT", "DATABASE_UNREACHABLE"]
            .contains(&body["reason"].as_str().unwrap_or("")),
        "{body}"
    );
    let health = tower::ServiceExt::oneshot(
        app,
        Request::get("/health")
            .body(Body::empty())
            .expect("a request"),
    )
    .await
    .expect("an answer");
    assert_eq!(health.status(), StatusCode::OK);
}

#[tokio::test]
async fn not_ready_once_the_pool_is_closed() {
    let store = fresh_db(Backend::Sqlite).await;
    scam_atlas::db::migrate(&store.db)
        .await
        .expect("migrations");
    let state = AppState::new(store.db.clone());
    let app = TestApp {
        router: router(state),
        store,
    };
    assert_eq!(get(&app, "/ready").await.0, StatusCode::OK);
    app.db().close_by_ref().await.expect("the pool closes");
    tokio::time::sleep(scam_atlas::observe::ready::CACHE_FOR).await;
    let (status, body) = get(&app, "/ready").await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE, "{body}");
    assert_eq!(body["reason"], "DATABASE_UNREACHABLE", "{body}");
}

/// The scrape, parsed as Prometheus parses it.
pub async fn scrape(app: &TestApp) -> prometheus_parse::Scrape {
    let request = Request::get("/metrics")
        .body(Body::empty())
        .expect("a request");
    let response = tower::ServiceExt::oneshot(app.router.clone(), request)
        .await
        .expect("an answer");
    assert_eq!(response.status(), StatusCode::OK);
    let content_type = response.headers()[header::CONTENT_TYPE]
        .to_str()
        .unwrap_or_default()
        .to_string();
    assert!(
        content_type.starts_with("text/plain; version=0.0.4"),
        "{content_type}"
    );
    let bytes = http_body_util::BodyExt::collect(response.into_body())
        .await
        .expect("a body")
        .to_bytes();
    let text = String::from_utf8(bytes.to_vec()).expect("UTF-8");
    let lines = text.lines().map(|l| Ok(l.to_string()));
    prometheus_parse::Scrape::parse(lines).expect("the exposition parses")
}

/// The sample of `name` whose labels include every pair of `labels`.
pub fn sample<'a>(
    scrape: &'a prometheus_parse::Scrape,
    name: &str,
    labels: &[(&str, &str)],
) -> Option<&'a prometheus_parse::Sample> {
    scrape
        .samples
        .iter()
        .find(|s| s.metric == name && labels.iter().all(|(k, v)| s.labels.get(k) == Some(*v)))
}

/// A counter's or gauge's value, or a histogram's count and sum.
pub fn value(sample: &prometheus_parse::Sample) -> (f64, f64) {
    match &sample.value {
        prometheus_parse::Value::Counter(v)
        | prometheus_parse::Value::Gauge(v)
        | prometheus_parse::Value::Untyped(v) => (*v, *v),
        prometheus_parse::Value::Histogram(buckets) => {
            let count = buckets.iter().map(|b| b.count).fold(0.0, f64::max);
            (count, f64::NAN)
        }
        other => panic!("unexpected {other:?}"),
    }
}

both!(metrics_count_requests_by_operation_and_their_sql);

async fn metrics_count_requests_by_operation_and_their_sql(backend: Backend) {
    let app = TestApp::serving(backend, "rules").await;
    let before = scrape(&app).await;
    assert!(sample(&before, "scam_atlas_graphql_requests_total", &[]).is_none());
    for name in [
        "scam_atlas_rate_limited_total",
        "scam_atlas_subscriptions_open",
    ] {
        let found = sample(&before, name, &[]).unwrap_or_else(|| panic!("{name} is registered"));
        assert_eq!(value(found).0, 0.0, "{name}");
    }
    let named = "query Observed($n: Int!) { events(first: $n) { totalCount nodes { title participants { role } } } }";
    for _ in 0..2 {
        app.data(named, json!({ "n": 3 })).await;
    }
    app.data("{ events(first: 1) { totalCount } }", json!({}))
        .await;
    let (status, _) = app.graphql("{ noSuchField }", json!({})).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    // A method and a path of the client's own invention count under bounded labels.
    let odd = Request::builder()
        .method("BREW")
        .uri("/graphql")
        .body(Body::empty())
        .expect("a request");
    assert_eq!(app.send(odd).await.0, StatusCode::METHOD_NOT_ALLOWED);
    assert_eq!(get(&app, "/no/such/path/42").await.0, StatusCode::NOT_FOUND);

    let after = scrape(&app).await;
    let requests = |labels: &[(&str, &str)]| {
        sample(&after, "scam_atlas_graphql_requests_total", labels).map(|s| value(s).0)
    };
    let observed = [
        ("operation_name", "Observed"),
        ("operation_type", "query"),
        ("outcome", "ok"),
    ];
    assert_eq!(requests(&observed), Some(2.0));
    assert_eq!(
        requests(&[("operation_name", "anonymous"), ("outcome", "ok")]),
        Some(1.0)
    );
    assert_eq!(
        requests(&[
            ("operation_name", "anonymous"),
            ("operation_type", "query"),
            ("outcome", "GRAPHQL_VALIDATION_FAILED")
        ]),
        Some(1.0)
    );
    // Histograms: two requests of `Observed`, each running SQL.
    let histogram = |name: &str| {
        let labels = [("operation_name", "Observed")];
        let count = sample(&after, &format!("{name}_count"), &labels).map(|s| value(s).0);
        let sum = sample(&after, &format!("{name}_sum"), &labels).map(|s| value(s).0);
        (count, sum)
    };
    let (count, sum) = histogram("scam_atlas_graphql_request_duration_seconds");
    assert_eq!(count, Some(2.0));
    assert!(sum.is_some_and(|s| s > 0.0));
    let (count, statements) = histogram("scam_atlas_graphql_request_sql_statements");
    assert_eq!(count, Some(2.0));
    // totalCount, the page, and the participants: at least three statements a request.
    assert!(statements.is_some_and(|s| s >= 6.0), "{statements:?}");
    let (_, sql_time) = histogram("scam_atlas_graphql_request_sql_duration_seconds");
    assert!(sql_time.is_some_and(|s| s > 0.0));
    let primary = sample(
        &after,
        "scam_atlas_sql_statements_total",
        &[("pool", "primary")],
    )
    .map(|s| value(s).0);
    assert!(
        primary.is_some_and(|n| n >= statements.unwrap_or(0.0)),
        "{primary:?}"
    );
    // HTTP: the four GraphQL requests and the first scrape, by route and status.
    let http = |route: &str, status: &str| {
        sample(
            &after,
            "http_server_request_duration_seconds_count",
            &[
                ("http_route", route),
                ("http_response_status_code", status),
                ("http_request_method", "POST"),
            ],
        )
        .map(|s| value(s).0)
    };
    assert_eq!(http("/graphql", "200"), Some(3.0));
    assert_eq!(http("/graphql", "400"), Some(1.0));
    let counted = |labels: &[(&str, &str)]| {
        sample(&after, "http_server_request_duration_seconds_count", labels).map(|s| value(s).0)
    };
    assert_eq!(
        counted(&[
            ("http_request_method", "_OTHER"),
            ("http_response_status_code", "405")
        ]),
        Some(1.0)
    );
    assert_eq!(
        counted(&[("http_route", "unmatched"), ("http_request_method", "GET")]),
        Some(1.0)
    );
    assert!(
        !after
            .samples
            .iter()
            .any(|s| s.labels.values().any(|v| v.contains("no/such")))
    );
    // The pool as it is now.
    let size = sample(
        &after,
        "scam_atlas_db_pool_connections",
        &[("pool", "primary")],
    )
    .map(|s| value(s).0);
    assert!(size.is_some_and(|n| n >= 1.0), "{size:?}");
    assert!(
        sample(
            &after,
            "scam_atlas_db_pool_idle_connections",
            &[("pool", "primary")]
        )
        .is_some()
    );
    assert_eq!(
        sample(&after, "scam_atlas_db_pool_waiting", &[]).map(|s| value(s).0),
        Some(0.0)
    );
    assert_eq!(
        sample(&after, "scam_atlas_db_reads_in_flight", &[]).map(|s| value(s).0),
        Some(0.0)
    );
}
