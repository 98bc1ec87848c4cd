//! The application: its routes, and serving them.

use crate::config::Config;
use crate::graphql::limits::Deadline;
pub use crate::state::AppState;
use crate::{db, http, transport};
use axum::Router;
use axum::http::{HeaderName, HeaderValue, header};
use axum::routing::get;
use std::time::Duration;
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::trace::TraceLayer;

/// Every route; binds no port, so tests drive it directly.
pub fn router(state: AppState) -> Router {
    let header = |name: HeaderName, value: &'static str| {
        SetResponseHeaderLayer::if_not_present(name, HeaderValue::from_static(value))
    };
    Router::new()
        .route(
            "/graphql",
            get(http::get)
                .post(http::post)
                .fallback(http::method_not_allowed),
        )
        .merge(crate::web::routes())
        .route("/health", get(health))
        .fallback(http::not_found)
        .layer(header(header::X_CONTENT_TYPE_OPTIONS, "nosniff"))
        .layer(header(header::REFERRER_POLICY, "no-referrer"))
        .layer(TraceLayer::new_for_http())
        .with_state(state)
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
    let app = router(AppState::with_deadline(db.clone(), deadline));
    let settings = transport::Settings {
        max_connections: config.max_connections as usize,
        ..transport::Settings::default()
    };
    transport::serve(listener, app, settings, transport::shutdown_signal()).await;
    db.close().await.map_err(db::DbError::from)?;
    Ok(())
}
