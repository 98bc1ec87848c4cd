//! What every request handler shares: the databases, the schema, the metrics and readiness,
//! and the policies the transport applies (persisted queries, rate limits, CORS).

use crate::db::replicas::Databases;
use crate::graphql::limits::Deadline;
use crate::graphql::{AppSchema, build_schema_for};
use crate::observe::metrics::Metrics;
use crate::observe::ready::Readiness;
use crate::persisted::PersistedQueries;
use crate::ratelimit::Limiter;
use axum::http::HeaderValue;
use sea_orm::DatabaseConnection;
use std::sync::Arc;
use std::time::Duration;

/// The `Cache-Control` of a cacheable answer (`http::cache`) when none is configured: caches
/// may store it but must revalidate it each time, which a `304` makes cheap.
pub const DEFAULT_CACHE_CONTROL: &str = "no-cache";

/// How a GraphQL WebSocket is kept (`http::socket`): how soon it must say `connection_init`,
/// how often it is pinged.
#[derive(Clone, Copy, Debug)]
pub struct SocketSettings {
    pub init_within: Duration,
    pub ping_every: Duration,
}

impl Default for SocketSettings {
    fn default() -> Self {
        SocketSettings {
            init_within: Duration::from_secs(10),
            ping_every: Duration::from_secs(30),
        }
    }
}

/// What every request handler shares.
#[derive(Clone)]
pub struct AppState {
    /// The primary's connection pool.
    pub db: DatabaseConnection,
    /// The primary and its read replicas, which requests read from.
    pub databases: Databases,
    /// The GraphQL schema, which runs every request the same way whatever the transport.
    pub schema: AppSchema,
    /// This server's metrics (`/metrics`).
    pub metrics: Arc<Metrics>,
    /// This server's readiness check (`/ready`).
    pub readiness: Arc<Readiness>,
    /// Documents named by hash: registered by clients (APQ), or a fixed allow-list.
    pub persisted: Arc<PersistedQueries>,
    /// Clients' cost budgets; None when rate limits are off.
    pub limiter: Option<Arc<Limiter>>,
    /// Origins browsers may call the API from; empty for any.
    pub cors_origins: Arc<[HeaderValue]>,
    /// Refuse reads without a valid API key (`--require-key-for-reads`).
    pub require_key_for_reads: bool,
    /// The `Cache-Control` of GET answers that carry an `ETag`.
    pub cache_control: HeaderValue,
    /// How GraphQL WebSockets are kept (`http::socket`).
    pub socket: SocketSettings,
}

impl AppState {
    /// State over a database that is already migrated, with the default request deadline.
    pub fn new(db: DatabaseConnection) -> Self {
        Self::with_deadline(db, Deadline::default())
    }

    /// State whose requests stop at `deadline`. The pool's metric callback is left as it is
    /// (tests count statements with their own); `serving` is what the server runs.
    /// State whose requests stop at `deadline`: automatic persisted queries, no rate limits,
    /// any origin.
    pub fn with_deadline(db: DatabaseConnection, deadline: Deadline) -> Self {
        Self::serving(Databases::new(db), deadline)
    }

    /// State over `databases` (from `Databases::connect`, which instruments every pool).
    pub fn serving(databases: Databases, deadline: Deadline) -> Self {
        let metrics = Arc::new(Metrics::new());
        let db = databases.primary().clone();
        AppState {
            schema: build_schema_for(databases.clone(), metrics.clone(), deadline),
            readiness: Arc::new(Readiness::new(db.clone())),
            databases,
            metrics,
            db,
            persisted: Arc::new(PersistedQueries::default()),
            limiter: None,
            cors_origins: Arc::from([]),
            require_key_for_reads: false,
            cache_control: HeaderValue::from_static(DEFAULT_CACHE_CONTROL),
            socket: SocketSettings::default(),
        }
    }

    /// The same state refusing requests without a valid API key.
    pub fn with_keys_required(mut self) -> Self {
        self.require_key_for_reads = true;
        self
    }

    /// The same state with these persisted queries.
    pub fn with_persisted(mut self, persisted: PersistedQueries) -> Self {
        self.persisted = Arc::new(persisted);
        self
    }

    /// The same state with rate limits.
    pub fn with_limiter(mut self, limiter: Arc<Limiter>) -> Self {
        self.limiter = Some(limiter);
        self
    }

    /// The same state with this `Cache-Control` on cacheable GET answers.
    pub fn with_cache_control(mut self, cache_control: HeaderValue) -> Self {
        self.cache_control = cache_control;
        self
    }

    /// The same state keeping WebSockets so.
    pub fn with_socket_settings(mut self, socket: SocketSettings) -> Self {
        self.socket = socket;
        self
    }

    /// The same state with these limits on subscriptions per connection and per client.
    pub fn with_subscription_limits(self, per_connection: usize, per_client: usize) -> Self {
        if let Some(hub) = self.schema.hub() {
            hub.quota.set(per_connection, per_client);
        }
        self
    }

    /// The same state whose changes feeder reads the table this often without being woken
    /// (tests set it long, so that only notifications deliver).
    pub fn with_resync_every(self, every: std::time::Duration) -> Self {
        if let Some(hub) = self.schema.hub() {
            hub.set_resync_every(every);
        }
        self
    }

    /// The same state allowing only these origins.
    pub fn with_cors_origins(mut self, origins: Vec<HeaderValue>) -> Self {
        self.cors_origins = Arc::from(origins);
        self
    }
}
