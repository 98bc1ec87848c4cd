//! The application: its routes, and serving them.

use crate::config::Config;
use crate::graphql::limits::Deadline;
use crate::persisted::PersistedQueries;
use crate::ratelimit::{Limiter, Settings};
pub use crate::state::AppState;
use crate::{cors, db, http, request_id, transport};
use axum::Router;
use axum::http::{HeaderName, HeaderValue, header};
use axum::response::{Html, IntoResponse};
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
            get(http::get)
                .post(http::post)
                .fallback(http::method_not_allowed),
        )
        .route("/graphiql", get(graphiql))
        .route("/", get(graphiql))
        .route("/health", get(health))
        .fallback(http::not_found)
        .layer(header(header::X_CONTENT_TYPE_OPTIONS, "nosniff"))
        .layer(header(header::REFERRER_POLICY, "no-referrer"))
        .layer(TraceLayer::new_for_http())
        .layer(cors)
        .layer(axum::middleware::from_fn(request_id::layer))
        .with_state(state)
}

/// GraphiQL's page may not be framed, and loads scripts only from itself and the CDN it names
/// (an inline script starts it).
const GRAPHIQL_CSP: &str = "default-src 'none'; script-src 'self' https://unpkg.com 'unsafe-inline'; \
     style-src 'self' https://unpkg.com 'unsafe-inline'; font-src https://unpkg.com data:; \
     img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; \
     form-action 'none'";

async fn graphiql() -> impl IntoResponse {
    (
        [
            (header::CONTENT_SECURITY_POLICY, GRAPHIQL_CSP),
            (header::X_FRAME_OPTIONS, "DENY"),
        ],
        Html(crate::graphql::examples::graphiql_page()),
    )
}

async fn health() -> &'static str {
    "ok"
}

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
        "Scam Atlas is ready: open {url} (GraphQL endpoint: http://{}/graphql)",
        config.listen
    );
    if config.open_browser && std::io::IsTerminal::is_terminal(&std::io::stdout()) {
        // A missing or failing browser is no reason to stop serving.
        if let Err(e) = webbrowser::open(&url) {
            tracing::debug!(error = %e, "could not open a browser");
        }
    }
    let deadline = Deadline(Duration::from_millis(config.request_timeout_ms));
    let app = router(state(config, db.clone(), deadline)?);
    let settings = transport::Settings {
        max_connections: config.max_connections as usize,
        ..transport::Settings::default()
    };
    transport::serve(listener, app, settings, transport::shutdown_signal()).await;
    db.close().await.map_err(db::DbError::from)?;
    Ok(())
}

/// The shared state the configuration asks for.
fn state(
    config: &Config,
    db: sea_orm::DatabaseConnection,
    deadline: Deadline,
) -> Result<AppState, ServeError> {
    let mut state =
        AppState::with_deadline(db, deadline).with_cors_origins(config.cors_origins.clone());
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
