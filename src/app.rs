//! The application: its routes, and serving them.

use crate::config::Config;
use crate::db::replicas::Databases;
use crate::graphql::limits::Deadline;
use crate::persisted::PersistedQueries;
use crate::ratelimit::{Limiter, Settings};
pub use crate::state::AppState;
use crate::{cors, db, http, request_id, transport};
use axum::Router;
use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{HeaderName, HeaderValue, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use std::num::NonZeroU32;
use std::sync::Arc;
use std::time::Duration;
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::trace::TraceLayer;

/// Every route; binds no port, so tests drive it directly.
pub fn router(state: AppState) -> Router {
    let header = |name: HeaderName, value: &'static str| {
        SetResponseHeaderLayer::if_not_present(name, HeaderValue::from_static(value))
    };
    let cors = cors::layer(&state.cors_origins);
    Router::new()
        .route(
            "/graphql",
            get(http::get_or_upgrade)
                .post(http::post)
                .fallback(http::method_not_allowed),
        )
        .route("/export/events.ndjson", get(http::export::ndjson))
        .route("/export/events.csv", get(http::export::csv))
        .route("/export/dataset.tar", get(http::export::dataset))
        .merge(crate::web::routes())
        .route("/health", get(health))
        .route("/ready", get(ready))
        .route("/metrics", get(metrics))
        .fallback(http::not_found)
        .layer(header(header::X_CONTENT_TYPE_OPTIONS, "nosniff"))
        .layer(header(header::REFERRER_POLICY, "no-referrer"))
        .layer(middleware::from_fn_with_state(state.clone(), measure))
        // The span names the path only: a GET's query string holds the document and its
        // variables, which spans never record.
        .layer(
            TraceLayer::new_for_http().make_span_with(|request: &axum::http::Request<Body>| {
                tracing::debug_span!(
                    "http.request",
                    http.request.method = %request.method(),
                    url.path = request.uri().path(),
                )
            }),
        )
        .layer(cors)
        .layer(axum::middleware::from_fn(request_id::layer))
        .with_state(state)
}

/// The route a path is counted under: one of the routes, never the raw path, so that probing
/// clients cannot grow the metrics.
fn route_of(path: &str) -> &'static str {
    match path {
        "/graphql" => "/graphql",
        "/graphiql" => "/graphiql",
        "/explore" => "/explore",
        "/" => "/",
        p if p.starts_with("/graphiql/") || p.starts_with("/explore/") => "/assets",
        "/export/events.ndjson" => "/export/events.ndjson",
        "/export/events.csv" => "/export/events.csv",
        "/export/dataset.tar" => "/export/dataset.tar",
        "/health" => "/health",
        "/ready" => "/ready",
        "/metrics" => "/metrics",
        _ => "unmatched",
    }
}

/// The method a request is counted under: a standard one, or `_OTHER` (OpenTelemetry's
/// word), since a client may send any token as a method.
fn method_of(method: &axum::http::Method) -> &'static str {
    match method.as_str() {
        "GET" => "GET",
        "POST" => "POST",
        "HEAD" => "HEAD",
        "OPTIONS" => "OPTIONS",
        "PUT" => "PUT",
        "DELETE" => "DELETE",
        "PATCH" => "PATCH",
        "CONNECT" => "CONNECT",
        "TRACE" => "TRACE",
        _ => "_OTHER",
    }
}

/// Records every HTTP request's duration and status (`http_server_request_duration_seconds`).
async fn measure(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let started = std::time::Instant::now();
    let method = method_of(request.method());
    let route = route_of(request.uri().path());
    let response = next.run(request).await;
    state
        .metrics
        .http_request(method, route, response.status().as_u16(), started.elapsed());
    response
}

/// The process is up (it touches nothing: see `/ready` for the database).
async fn health() -> &'static str {
    "ok"
}

/// The database answers and holds every migration this binary knows: 200
/// `{"status":"ready"}`, else 503 with the reason (`observe::ready`).
async fn ready(State(state): State<AppState>) -> Response {
    let (status, body) = match state.readiness.check().await {
        Ok(()) => (StatusCode::OK, serde_json::json!({ "status": "ready" })),
        Err(e) => (
            StatusCode::SERVICE_UNAVAILABLE,
            serde_json::json!({ "status": "unavailable", "reason": e.code(), "message": e.to_string() }),
        ),
    };
    (
        status,
        [
            (header::CONTENT_TYPE, "application/json"),
            (header::CACHE_CONTROL, "no-store"),
        ],
        body.to_string(),
    )
        .into_response()
}

/// The metrics in Prometheus's text format, with the pools' gauges read now.
async fn metrics(State(state): State<AppState>) -> Response {
    if let Some(hub) = state.schema.hub() {
        state.metrics.subscriptions_open(hub.quota.open());
    }
    let body = state.metrics.render(&state.databases.stats());
    (
        [
            (
                header::CONTENT_TYPE,
                "text/plain; version=0.0.4; charset=utf-8",
            ),
            (header::CACHE_CONTROL, "no-store"),
        ],
        body,
    )
        .into_response()
}

/// How often histogram samples are folded into their buckets between scrapes.
const UPKEEP_EVERY: Duration = Duration::from_secs(5);

/// Why the server could not start.
#[derive(Debug, thiserror::Error)]
pub enum ServeError {
    #[error("database: {0}")]
    Database(#[from] crate::db::DbError),
    #[error("loading the curated dataset: {0}")]
    Ingest(#[from] crate::ingest::IngestError),
    #[error("{0}")]
    TrustedDocuments(#[from] crate::persisted::LoadError),
    #[error("rate limits: {0}")]
    RateLimits(#[from] crate::ratelimit::SetupError),
    #[error("cannot listen on {addr}: {source}")]
    Listen {
        addr: std::net::SocketAddr,
        source: std::io::Error,
    },
}

/// Migrates, loads the curated dataset into an empty database, and serves until Ctrl-C or
/// SIGTERM, then drains open connections and closes the pool.
pub async fn serve(config: &Config) -> Result<(), ServeError> {
    let db = db::connect_with(&config.database_url, config.db_connections).await?;
    db::migrate_with(&db, config.adopt_database).await?;
    if let crate::ingest::LoadOutcome::Loaded { events } = crate::ingest::seed(&db).await? {
        tracing::info!(events, "loaded the curated dataset");
    }
    let listener = tokio::net::TcpListener::bind(config.listen)
        .await
        .map_err(|source| ServeError::Listen {
            addr: config.listen,
            source,
        })?;
    let url = format!("http://{}/graphiql", config.listen);
    println!(
        "Scam Atlas is ready: open {url} (GraphQL endpoint: http://{0}/graphql; explorer: \
         http://{0}/explore)",
        config.listen
    );
    if config.open_browser && std::io::IsTerminal::is_terminal(&std::io::stdout()) {
        // A missing or failing browser is no reason to stop serving.
        if let Err(e) = webbrowser::open(&url) {
            tracing::debug!(error = %e, "could not open a browser");
        }
    }
    let deadline = Deadline(Duration::from_millis(config.request_timeout_ms));
    let databases = Databases::connect(db, &config.replica_urls, config.db_connections).await?;
    let state = state(config, AppState::serving(databases.clone(), deadline))?;
    let watch = databases.watch();
    let metrics = state.metrics.clone();
    let upkeep = tokio::spawn(async move {
        let mut every = tokio::time::interval(UPKEEP_EVERY);
        loop {
            every.tick().await;
            metrics.upkeep();
        }
    });
    let settings = transport::Settings {
        max_connections: config.max_connections as usize,
        ..transport::Settings::default()
    };
    let hub = state.schema.hub().cloned();
    transport::serve(
        listener,
        router(state),
        settings,
        transport::shutdown_signal(),
    )
    .await;
    if let Some(hub) = hub {
        hub.close();
    }
    upkeep.abort();
    if let Some(watch) = watch {
        watch.abort();
    }
    databases.close().await?;
    Ok(())
}

/// The shared state the configuration asks for.
fn state(config: &Config, base: AppState) -> Result<AppState, ServeError> {
    let socket = crate::state::SocketSettings {
        ping_every: Duration::from_secs(config.ws_ping_seconds),
        ..Default::default()
    };
    let mut state = base
        .with_cors_origins(config.cors_origins.clone())
        .with_cache_control(config.cache_control.clone())
        .with_socket_settings(socket)
        .with_subscription_limits(
            config.max_subscriptions_per_connection as usize,
            config.max_subscriptions_per_client as usize,
        );
    if config.require_key_for_reads {
        state = state.with_keys_required();
    }
    if let Some(path) = &config.trusted_documents {
        let trusted = PersistedQueries::trusted_from_file(path)?;
        if let PersistedQueries::Trusted(documents) = &trusted {
            tracing::info!(count = documents.len(), "only trusted documents run");
        }
        state = state.with_persisted(trusted);
    }
    if config.rate_limit {
        let settings = Settings {
            cost_per_minute: NonZeroU32::new(config.rate_limit_cost_per_minute)
                .unwrap_or(NonZeroU32::MIN),
            burst: NonZeroU32::new(config.rate_limit_burst).unwrap_or(NonZeroU32::MIN),
        };
        let limiter = Limiter::new(settings, config.redis_url.as_deref())?;
        tracing::info!(
            cost_per_minute = settings.cost_per_minute.get(),
            burst = settings.burst.get(),
            shared = config.redis_url.is_some(),
            "rate limits on"
        );
        state = state.with_limiter(Arc::new(limiter));
    } else if config.redis_url.is_some() {
        tracing::warn!(
            "--redis-url is set but rate limits are off (--rate-limit true turns them on)"
        );
    }
    Ok(state)
}
