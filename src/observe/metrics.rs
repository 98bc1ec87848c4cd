//! The server's metrics, in Prometheus's text format at `/metrics`, recorded with the
//! `metrics` crate into a Prometheus recorder of the server's own (not a process-wide one, so
//! two servers in one process, as in the tests, keep separate counts).
//!
//! What is recorded per request is a handful of counter and histogram updates at its end
//! (`graphql::executor`, `app`), never per field. Every metric, its type and labels are listed
//! in the README ("Metrics"); `describe` gives each its help text.

use metrics::{Unit, counter, describe_counter, describe_gauge, describe_histogram, gauge};
use metrics::{histogram, with_local_recorder};
use metrics_exporter_prometheus::{
    Matcher, PrometheusBuilder, PrometheusHandle, PrometheusRecorder,
};
use std::collections::HashSet;
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

/// Distinct operation names counted under their own label; later ones count as `other`.
pub const MAX_OPERATION_NAMES: usize = 100;
/// Longest operation name counted under its own label; longer ones count as `other`.
const MAX_NAME: usize = 64;

/// OpenTelemetry's advised buckets for `http.server.request.duration`, in seconds.
const DURATION_BUCKETS: &[f64] = &[
    0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1.0, 2.5, 5.0, 7.5, 10.0,
];
/// Buckets for the statements one request runs.
const STATEMENT_BUCKETS: &[f64] = &[0.0, 1.0, 2.0, 4.0, 8.0, 16.0, 32.0, 64.0, 128.0, 256.0];

/// GraphQL requests, by operation name, type and outcome.
pub const REQUESTS: &str = "scam_atlas_graphql_requests_total";
/// How long GraphQL requests took, from parsing to their last field.
pub const REQUEST_DURATION: &str = "scam_atlas_graphql_request_duration_seconds";
/// SQL statements one GraphQL request ran.
pub const REQUEST_STATEMENTS: &str = "scam_atlas_graphql_request_sql_statements";
/// Time one GraphQL request spent in SQL statements.
pub const REQUEST_SQL_DURATION: &str = "scam_atlas_graphql_request_sql_duration_seconds";
/// SQL statements run for GraphQL requests, by the pool that ran them.
pub const SQL_STATEMENTS: &str = "scam_atlas_sql_statements_total";
/// HTTP requests' durations, by method, route and status, as OpenTelemetry names them.
pub const HTTP_DURATION: &str = "http_server_request_duration_seconds";
/// Connections open in each pool.
pub const POOL_CONNECTIONS: &str = "scam_atlas_db_pool_connections";
/// Idle connections in each pool.
pub const POOL_IDLE: &str = "scam_atlas_db_pool_idle_connections";
/// Database reads running or queued for a connection.
pub const READS_IN_FLIGHT: &str = "scam_atlas_db_reads_in_flight";
/// Reads waiting for a connection.
pub const POOL_WAITING: &str = "scam_atlas_db_pool_waiting";
/// Whether each read replica is in use (1) or skipped as down (0).
pub const REPLICA_UP: &str = "scam_atlas_db_replica_up";
/// Requests refused for an empty rate-limit budget.
pub const RATE_LIMITED: &str = "scam_atlas_rate_limited_total";
/// GraphQL subscriptions open.
pub const SUBSCRIPTIONS_OPEN: &str = "scam_atlas_subscriptions_open";

/// One pool's state at a scrape.
#[derive(Clone, Debug)]
pub struct PoolStats {
    /// The pool's label: `primary`, `replica1`…
    pub pool: String,
    /// Connections open.
    pub size: u32,
    /// Connections idle.
    pub idle: usize,
    /// For a replica: whether reads go to it.
    pub up: Option<bool>,
}

/// What one GraphQL request did, as the executor saw it.
#[derive(Debug)]
pub struct RequestRecord<'a> {
    /// The selected operation's name, `None` when anonymous or unknown.
    pub operation_name: Option<&'a str>,
    /// `query`, `mutation`, `subscription`, or `unknown` when the document did not parse.
    pub operation_type: &'static str,
    /// `ok`, or the first error's `extensions.code`.
    pub outcome: &'a str,
    /// From parsing to the last field.
    pub duration: Duration,
    /// SQL statements it ran, and the time spent in them.
    pub statements: u64,
    pub sql_time: Duration,
    /// The pool its reads went to.
    pub pool: &'a str,
}

/// The server's metrics.
pub struct Metrics {
    recorder: PrometheusRecorder,
    handle: PrometheusHandle,
    names: Mutex<HashSet<String>>,
    reads_in_flight: std::sync::Arc<AtomicUsize>,
}

impl Default for Metrics {
    fn default() -> Self {
        Self::new()
    }
}

impl Metrics {
    /// A recorder with every metric described and the counters that may stay at zero
    /// registered, so that a scrape shows them from the start.
    pub fn new() -> Self {
        let builder = PrometheusBuilder::new()
            .set_buckets_for_metric(Matcher::Suffix("_seconds".into()), DURATION_BUCKETS)
            .and_then(|b| {
                b.set_buckets_for_metric(
                    Matcher::Full(REQUEST_STATEMENTS.into()),
                    STATEMENT_BUCKETS,
                )
            })
            .expect("the bucket lists are not empty");
        let recorder = builder.build_recorder();
        let handle = recorder.handle();
        let metrics = Metrics {
            recorder,
            handle,
            names: Mutex::new(HashSet::new()),
            reads_in_flight: Default::default(),
        };
        metrics.record(describe);
        metrics
    }

    /// Runs `record` with this server's recorder as the one `metrics`' macros record into
    /// (on this thread, for the closure's duration): how code outside this module records
    /// (`scam_atlas_rate_limited_total`, for instance).
    pub fn record<T>(&self, record: impl FnOnce() -> T) -> T {
        with_local_recorder(&self.recorder, record)
    }

    /// Counts a request refused for an empty rate-limit budget.
    pub fn rate_limited(&self) {
        self.record(|| counter!(RATE_LIMITED).increment(1));
    }

    /// The counter of database reads running or queued (`graphql::batch` keeps it).
    pub fn reads_in_flight(&self) -> std::sync::Arc<AtomicUsize> {
        self.reads_in_flight.clone()
    }

    /// Records a GraphQL request.
    pub fn graphql_request(&self, request: &RequestRecord<'_>) {
        let name = self.operation_label(request.operation_name);
        let kind = request.operation_type;
        let outcome = outcome_label(request.outcome);
        self.record(|| {
            let labels = [
                ("operation_name", name.clone()),
                ("operation_type", kind.to_string()),
            ];
            let counted = [labels[0].clone(), labels[1].clone(), ("outcome", outcome)];
            counter!(REQUESTS, &counted).increment(1);
            histogram!(REQUEST_DURATION, &labels).record(request.duration.as_secs_f64());
            let by_name = [("operation_name", name)];
            histogram!(REQUEST_STATEMENTS, &by_name).record(request.statements as f64);
            histogram!(REQUEST_SQL_DURATION, &by_name).record(request.sql_time.as_secs_f64());
            if request.statements > 0 {
                counter!(SQL_STATEMENTS, "pool" => request.pool.to_string())
                    .increment(request.statements);
            }
        });
    }

    /// Records an HTTP request (`route` is the route's pattern, never the raw path).
    pub fn http_request(
        &self,
        method: &'static str,
        route: &'static str,
        status: u16,
        took: Duration,
    ) {
        self.record(|| {
            histogram!(
                HTTP_DURATION,
                "http_request_method" => method,
                "http_route" => route,
                "http_response_status_code" => status.to_string(),
            )
            .record(took.as_secs_f64());
        });
    }

    /// The subscriptions open now (`live::Quota::open`), for the next exposition.
    pub fn subscriptions_open(&self, open: usize) {
        self.record(|| gauge!(SUBSCRIPTIONS_OPEN).set(open as f64));
    }

    /// The text exposition, with the pools' gauges read now.
    pub fn render(&self, pools: &[PoolStats]) -> String {
        let in_flight = self.reads_in_flight.load(Ordering::Relaxed);
        self.record(|| {
            let mut busy = 0usize;
            for pool in pools {
                let label = [("pool", pool.pool.clone())];
                gauge!(POOL_CONNECTIONS, &label).set(f64::from(pool.size));
                gauge!(POOL_IDLE, &label).set(pool.idle as f64);
                if let Some(up) = pool.up {
                    gauge!(REPLICA_UP, &label).set(if up { 1.0 } else { 0.0 });
                }
                busy += (pool.size as usize).saturating_sub(pool.idle);
            }
            gauge!(READS_IN_FLIGHT).set(in_flight as f64);
            gauge!(POOL_WAITING).set(in_flight.saturating_sub(busy) as f64);
        });
        self.handle.render()
    }

    /// Drains histogram samples into their buckets; run every few seconds (`app::serve`), so
    /// that memory does not grow between scrapes.
    pub fn upkeep(&self) {
        self.handle.run_upkeep();
    }

    /// The label for an operation name: `anonymous`, the name itself while fewer than
    /// `MAX_OPERATION_NAMES` have been seen, else `other`.
    fn operation_label(&self, name: Option<&str>) -> String {
        let Some(name) = name.filter(|n| !n.is_empty()) else {
            return "anonymous".into();
        };
        if name.len() > MAX_NAME || !name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_') {
            return "other".into();
        }
        let mut names = self.names.lock().unwrap_or_else(|p| p.into_inner());
        if names.contains(name) {
            return name.into();
        }
        if names.len() < MAX_OPERATION_NAMES {
            names.insert(name.into());
            return name.into();
        }
        "other".into()
    }
}

/// An outcome label: `ok`, or an error code (the codes of `graphql::errors`, a closed set);
/// anything else that found its way into a code counts as `error`.
fn outcome_label(outcome: &str) -> String {
    let code_like = !outcome.is_empty()
        && outcome.len() <= 40
        && outcome.bytes().all(|b| b.is_ascii_uppercase() || b == b'_');
    if outcome == "ok" || code_like {
        outcome.into()
    } else {
        "error".into()
    }
}

/// Every metric's help text; the counters and gauges that may stay at zero are registered.
fn describe() {
    describe_counter!(
        REQUESTS,
        "GraphQL requests, by operation name, type and outcome (ok or the first error's code)."
    );
    describe_histogram!(
        REQUEST_DURATION,
        Unit::Seconds,
        "How long GraphQL requests took, from parsing to their last field."
    );
    describe_histogram!(
        REQUEST_STATEMENTS,
        Unit::Count,
        "SQL statements one GraphQL request ran."
    );
    describe_histogram!(
        REQUEST_SQL_DURATION,
        Unit::Seconds,
        "Time one GraphQL request spent in SQL statements."
    );
    describe_counter!(
        SQL_STATEMENTS,
        "SQL statements run for GraphQL requests, by the pool that ran them (primary, replica1, ...)."
    );
    describe_histogram!(
        HTTP_DURATION,
        Unit::Seconds,
        "HTTP requests' durations, by method, route and status code."
    );
    describe_gauge!(POOL_CONNECTIONS, "Connections open in each database pool.");
    describe_gauge!(POOL_IDLE, "Idle connections in each database pool.");
    describe_gauge!(
        READS_IN_FLIGHT,
        "Database reads of GraphQL requests running or waiting for a connection."
    );
    describe_gauge!(
        POOL_WAITING,
        "Reads waiting for a connection: reads in flight beyond the connections in use."
    );
    describe_gauge!(
        REPLICA_UP,
        "Whether reads go to each read replica (1) or it is skipped as down (0)."
    );
    describe_counter!(
        RATE_LIMITED,
        "Requests refused with RATE_LIMITED for an empty rate-limit budget."
    );
    describe_gauge!(SUBSCRIPTIONS_OPEN, "GraphQL subscriptions open.");
    counter!(RATE_LIMITED).absolute(0);
    gauge!(SUBSCRIPTIONS_OPEN).set(0.0);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn operation_names_are_bounded() {
        let metrics = Metrics::new();
        assert_eq!(metrics.operation_label(None), "anonymous");
        assert_eq!(metrics.operation_label(Some("")), "anonymous");
        for i in 0..MAX_OPERATION_NAMES {
            assert_eq!(
                metrics.operation_label(Some(&format!("Op{i}"))),
                format!("Op{i}")
            );
        }
        assert_eq!(metrics.operation_label(Some("OneTooMany")), "other");
        assert_eq!(metrics.operation_label(Some("Op7")), "Op7");
        assert_eq!(metrics.operation_label(Some(&"x".repeat(65))), "other");
        assert_eq!(outcome_label("BAD_USER_INPUT"), "BAD_USER_INPUT");
        assert_eq!(outcome_label("no such code"), "error");
    }
}
