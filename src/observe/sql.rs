//! The SQL a request runs: every statement of a pool is counted and timed into the request
//! that ran it, and traced as a `db.query` span inside that request's spans.
//!
//! SeaORM reports each statement once it is done, through the pool's metric callback (the one
//! hook it has without its `tracing-spans` feature); reads run inside the request's own task
//! (see `graphql::batch`), so a task-local tally set around the request sees all of them. The
//! span is therefore opened when the statement's answer arrives, and carries its duration.

use sea_orm::{DatabaseConnection, DbBackend};
use std::future::Future;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

/// The longest SQL text a span records, in bytes (a batched `IN (…)` has thousands of
/// placeholders).
const MAX_SQL: usize = 1024;

/// What one request's statements added up to.
#[derive(Debug, Default)]
pub struct Tally {
    statements: AtomicU64,
    nanos: AtomicU64,
}

impl Tally {
    /// Statements run so far.
    pub fn statements(&self) -> u64 {
        self.statements.load(Ordering::Relaxed)
    }

    /// Time spent in them so far.
    pub fn time(&self) -> Duration {
        Duration::from_nanos(self.nanos.load(Ordering::Relaxed))
    }

    fn add(&self, elapsed: Duration) {
        self.statements.fetch_add(1, Ordering::Relaxed);
        let nanos = u64::try_from(elapsed.as_nanos()).unwrap_or(u64::MAX);
        self.nanos.fetch_add(nanos, Ordering::Relaxed);
    }
}

tokio::task_local! {
    static CURRENT: Arc<Tally>;
}

/// Runs `future` with the statements it runs counted into `tally`.
pub async fn tallied<F: Future>(tally: Arc<Tally>, future: F) -> F::Output {
    CURRENT.scope(tally, future).await
}

/// Counts and traces every statement `db` runs (its pool is called `pool` in spans). Replaces
/// any callback set before: SeaORM keeps one.
pub fn instrument(db: &mut DatabaseConnection, pool: &str) {
    let pool: Arc<str> = pool.into();
    db.set_metric_callback(move |info| {
        let _ = CURRENT.try_with(|tally| tally.add(info.elapsed));
        let statement = info.statement;
        let span = tracing::debug_span!(
            "db.query",
            db.system.name = system(statement.db_backend),
            db.operation.name = operation(&statement.sql),
            db.query.text = truncated(&statement.sql),
            db.pool = &*pool,
            duration_ms = info.elapsed.as_secs_f64() * 1000.0,
            error = info.failed,
        );
        drop(span);
    });
}

/// OpenTelemetry's `db.system.name`.
fn system(backend: DbBackend) -> &'static str {
    match backend {
        DbBackend::Postgres => "postgresql",
        DbBackend::Sqlite => "sqlite",
        _ => "other_sql",
    }
}

/// The statement's first keyword (`SELECT`, `WITH`…).
fn operation(sql: &str) -> &str {
    sql.split_whitespace().next().unwrap_or_default()
}

/// The SQL text, parameterised as SeaORM sends it (values are bound, never in the text), cut
/// at `MAX_SQL` bytes.
fn truncated(sql: &str) -> &str {
    if sql.len() <= MAX_SQL {
        return sql;
    }
    let mut end = MAX_SQL;
    while !sql.is_char_boundary(end) {
        end -= 1;
    }
    &sql[..end]
}
