//! Readiness (`/ready`): the database answers, within a second, and holds every migration this
//! binary knows. The answer is kept for a second, so that however often a load balancer or a
//! scrape storm asks, the database sees at most one check a second; checks never overlap.

use migration::{Migrator, MigratorTrait};
use sea_orm::{ConnectionTrait, DatabaseConnection, Statement};
use std::time::{Duration, Instant};
use tokio::sync::Mutex;

/// How long the database may take to answer a check.
pub const CHECK_TIMEOUT: Duration = Duration::from_secs(1);
/// How long an answer is reused.
pub const CACHE_FOR: Duration = Duration::from_secs(1);

/// Why the server is not ready.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum NotReady {
    #[error("the database did not answer within {} ms", CHECK_TIMEOUT.as_millis())]
    Timeout,
    #[error("the database cannot be reached")]
    Unreachable,
    #[error("migrations not applied: {0}")]
    Pending(String),
}

impl NotReady {
    /// A machine-readable reason, for the JSON answer.
    pub fn code(&self) -> &'static str {
        match self {
            NotReady::Timeout => "DATABASE_TIMEOUT",
            NotReady::Unreachable => "DATABASE_UNREACHABLE",
            NotReady::Pending(_) => "MIGRATIONS_PENDING",
        }
    }
}

/// The readiness check of one server, with its last answer.
pub struct Readiness {
    db: DatabaseConnection,
    last: Mutex<Option<(Instant, Result<(), NotReady>)>>,
}

impl Readiness {
    /// Checks `db`, the primary: replicas are left out, since reads fall back to the primary.
    pub fn new(db: DatabaseConnection) -> Self {
        Readiness {
            db,
            last: Mutex::new(None),
        }
    }

    /// Whether the server is ready: the last answer if it is under `CACHE_FOR` old, else a
    /// fresh check (one at a time: a caller arriving during a check waits for its answer).
    pub async fn check(&self) -> Result<(), NotReady> {
        let mut last = self.last.lock().await;
        if let Some((at, answer)) = &*last
            && at.elapsed() < CACHE_FOR
        {
            return answer.clone();
        }
        let answer = match tokio::time::timeout(CHECK_TIMEOUT, probe(&self.db)).await {
            Ok(answer) => answer,
            Err(_) => Err(NotReady::Timeout),
        };
        if let Err(e) = &answer {
            tracing::warn!(reason = %e, "not ready");
        }
        *last = Some((Instant::now(), answer.clone()));
        answer
    }
}

/// `SELECT 1`, then the recorded migrations against the binary's list. Migrations recorded
/// but unknown to this binary (a newer version migrated the database during a rolling
/// deploy) do not make it unready: every migration this binary needs is there.
async fn probe(db: &DatabaseConnection) -> Result<(), NotReady> {
    let backend = db.get_database_backend();
    if let Err(e) = db
        .query_one_raw(Statement::from_string(backend, "SELECT 1"))
        .await
    {
        tracing::debug!(error = %e, "readiness: SELECT 1 failed");
        return Err(NotReady::Unreachable);
    }
    // Read-only, unlike `Migrator::get_pending_migrations`, which creates the table it reads.
    let recorded = db
        .query_all_raw(Statement::from_string(
            backend,
            format!("SELECT version FROM {}", Migrator::migration_table_name()),
        ))
        .await
        .map(|rows| {
            rows.iter()
                .filter_map(|row| row.try_get::<String>("", "version").ok())
                .collect::<std::collections::HashSet<_>>()
        })
        // The database answers but has no record: nothing is applied.
        .unwrap_or_default();
    let pending: Vec<String> = Migrator::migrations()
        .iter()
        .map(|m| m.name().to_string())
        .filter(|name| !recorded.contains(name))
        .collect();
    if pending.is_empty() {
        Ok(())
    } else {
        Err(NotReady::Pending(pending.join(", ")))
    }
}
