//! Where a request's reads go: the primary, or read replicas (PostgreSQL hot standbys) in
//! turn. A replica that does not answer its health check is skipped, reads falling back to the
//! primary, until it answers again; each change is logged. Migrations, loading and writes use
//! the primary, which `Databases::primary` names.
//!
//! Reading one's own writes: a request that must see what was just written is routed to the
//! primary, by the executor for every mutation and for any request carrying
//! `ReadFrom::Primary` in its data (what a transport sets for a client that wrote in the last
//! seconds, once there are writes to remember: see the README, "Read replicas").

use crate::db::{DbError, connect_lazily};
use crate::observe::metrics::PoolStats;
use crate::observe::sql;
use sea_orm::{ConnectionTrait, DatabaseConnection, DbBackend, Statement};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::Duration;

/// How often replicas are checked.
pub const CHECK_EVERY: Duration = Duration::from_secs(1);
/// How long a replica may take to answer a check before it counts as down.
const CHECK_TIMEOUT: Duration = Duration::from_secs(1);

/// Where a request asks its reads to go (request data, set by a transport).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ReadFrom {
    /// The primary: the request must see writes that replicas may not have replayed yet.
    Primary,
    /// A replica if one is up (the default).
    Replica,
}

struct Replica {
    label: String,
    db: DatabaseConnection,
    up: AtomicBool,
}

struct Inner {
    primary: DatabaseConnection,
    replicas: Vec<Replica>,
    next: AtomicUsize,
}

/// The primary and its replicas; cheap to clone.
#[derive(Clone)]
pub struct Databases(Arc<Inner>);

impl Databases {
    /// The primary alone, as it is (its metric callback untouched).
    pub fn new(primary: DatabaseConnection) -> Self {
        Databases(Arc::new(Inner {
            primary,
            replicas: Vec::new(),
            next: AtomicUsize::new(0),
        }))
    }

    /// The primary and a pool per replica URL, each instrumented (`observe::sql`). Replicas
    /// are connected lazily and checked once before this returns: a replica that is down at
    /// start is skipped, not fatal.
    pub async fn connect(
        mut primary: DatabaseConnection,
        replica_urls: &[String],
        connections: u32,
    ) -> Result<Self, DbError> {
        sql::instrument(&mut primary, "primary");
        let mut replicas = Vec::new();
        for (i, url) in replica_urls.iter().enumerate() {
            let label = format!("replica{}", i + 1);
            let mut db = connect_lazily(url, connections).await?;
            sql::instrument(&mut db, &label);
            // Up until the first check, below, says otherwise (and logs it).
            replicas.push(Replica {
                label,
                db,
                up: AtomicBool::new(true),
            });
        }
        let databases = Databases(Arc::new(Inner {
            primary,
            replicas,
            next: AtomicUsize::new(0),
        }));
        databases.check().await;
        Ok(databases)
    }

    /// The primary: migrations, loading, writes.
    pub fn primary(&self) -> &DatabaseConnection {
        &self.0.primary
    }

    /// Where a request's reads go, and that pool's label: the next replica that is up, in
    /// turn, unless `from` is the primary or none is up.
    pub fn reader(&self, from: ReadFrom) -> (&str, &DatabaseConnection) {
        let replicas = &self.0.replicas;
        if from == ReadFrom::Replica && !replicas.is_empty() {
            let start = self.0.next.fetch_add(1, Ordering::Relaxed);
            for i in 0..replicas.len() {
                let replica = &replicas[(start + i) % replicas.len()];
                if replica.up.load(Ordering::Relaxed) {
                    return (&replica.label, &replica.db);
                }
            }
        }
        ("primary", &self.0.primary)
    }

    /// Every pool with its label, and for a replica whether it is up.
    pub fn pools(&self) -> impl Iterator<Item = (&str, &DatabaseConnection, Option<bool>)> {
        std::iter::once(("primary", &self.0.primary, None)).chain(
            self.0
                .replicas
                .iter()
                .map(|r| (r.label.as_str(), &r.db, Some(r.up.load(Ordering::Relaxed)))),
        )
    }

    /// Every pool's size and idle connections now, for the metrics.
    pub fn stats(&self) -> Vec<PoolStats> {
        self.pools()
            .map(|(pool, db, up)| {
                let (size, idle) = match db.get_database_backend() {
                    DbBackend::Postgres => {
                        let p = db.get_postgres_connection_pool();
                        (p.size(), p.num_idle())
                    }
                    DbBackend::Sqlite => {
                        let p = db.get_sqlite_connection_pool();
                        (p.size(), p.num_idle())
                    }
                    _ => (0, 0),
                };
                PoolStats {
                    pool: pool.to_string(),
                    size,
                    idle,
                    up,
                }
            })
            .collect()
    }

    /// Checks every replica once (`SELECT 1` within a second), marking it up or down, and
    /// logs each change.
    pub async fn check(&self) {
        for replica in &self.0.replicas {
            let answer = tokio::time::timeout(
                CHECK_TIMEOUT,
                replica.db.query_one_raw(Statement::from_string(
                    replica.db.get_database_backend(),
                    "SELECT 1",
                )),
            )
            .await;
            let up = matches!(answer, Ok(Ok(_)));
            let was = replica.up.swap(up, Ordering::Relaxed);
            match (was, up) {
                (false, true) => {
                    tracing::info!(pool = %replica.label, "read replica is up: reads go to it")
                }
                (true, false) => {
                    let error = match answer {
                        Ok(Err(e)) => e.to_string(),
                        _ => format!("no answer within {} ms", CHECK_TIMEOUT.as_millis()),
                    };
                    tracing::warn!(pool = %replica.label, %error, "read replica is down: reads fall back to the primary")
                }
                _ => {}
            }
        }
    }

    /// Checks the replicas every `CHECK_EVERY` until the returned task is aborted (none to do
    /// without replicas).
    pub fn watch(&self) -> Option<tokio::task::JoinHandle<()>> {
        if self.0.replicas.is_empty() {
            return None;
        }
        let databases = self.clone();
        Some(tokio::spawn(async move {
            let mut every = tokio::time::interval(CHECK_EVERY);
            every.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
            loop {
                every.tick().await;
                databases.check().await;
            }
        }))
    }

    /// Closes every pool.
    pub async fn close(&self) -> Result<(), DbError> {
        for replica in &self.0.replicas {
            let _ = replica.db.close_by_ref().await;
        }
        self.0.primary.close_by_ref().await?;
        Ok(())
    }
}
