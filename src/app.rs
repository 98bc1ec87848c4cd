//! The application: its state, its routes, and serving them.

use crate::config::Config;
use crate::graphql::{AppSchema, build_schema};
use crate::{db, http};
use axum::Router;
use axum::response::{Html, IntoResponse};
use axum::routing::get;
use sea_orm::DatabaseConnection;
use tower_http::trace::TraceLayer;

/// What every request handler shares.
#[derive(Clone)]
pub struct AppState {
    /// The connection pool.
    pub db: DatabaseConnection,
    /// The GraphQL schema.
    pub schema: AppSchema,
}

impl AppState {
    /// State over a database that is already migrated.
    pub fn new(db: DatabaseConnection) -> Self {
        AppState {
            schema: build_schema(db.clone()),
            db,
        }
    }
}

/// Every route; binds no port, so tests drive it directly.
pub fn router(state: AppState) -> Router {
    Router::new()
        .route("/graphql", get(http::get).post(http::post))
        .route("/graphiql", get(graphiql))
        .route("/", get(graphiql))
        .route("/health", get(health))
        .layer(TraceLayer::new_for_http())
        .with_state(state)
}

async fn graphiql() -> impl IntoResponse {
    Html(crate::graphql::examples::graphiql_page())
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

/// Migrates, loads the curated dataset into an empty database, and serves until Ctrl-C.
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
    axum::serve(listener, router(AppState::new(db)))
        .with_graceful_shutdown(async {
            let _ = tokio::signal::ctrl_c().await;
        })
        .await
        .map_err(|source| ServeError::Listen {
            addr: config.listen,
            source,
        })
}
