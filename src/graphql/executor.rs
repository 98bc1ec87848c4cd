//! How every request runs, whatever carries it (HTTP, a WebSocket, `schema.execute` in a
//! test): one async-graphql extension, registered once on the schema, that
//!
//! - parses the document once (a transport that parsed it already hands it over with
//!   `Request::set_parsed_query`) and holds it to `limits` before async-graphql validates it;
//! - gives the request its DataLoaders and runs its execution in `batch::Waves`, so the
//!   statements it runs follow the query's shape;
//! - puts response fields back in selection order (`order`);
//! - gives every error its code (`errors`), by the phase that raised it, and the request's ID
//!   (`extensions.requestId`) when the transport gave it one;
//! - charges the request's cost to the client's budget (`ratelimit::Meter`, when the transport
//!   gives one) before it runs, and reports the cost in `extensions.cost` (`cost`);
//! - sends its reads to a replica, or to the primary for a mutation or a request that asks
//!   (`db::replicas`);
//! - traces it (`graphql.request`, `graphql.parse`, `graphql.validate`, `graphql.execute`
//!   spans) and records it in the metrics once it is over, with the SQL it ran (`observe`).
//!
//! One extension, not several: each registered extension costs every field a hook call. None
//! of the above is per field: it happens in the request's hooks, once each.

use super::batch::Waves;
use super::limits::Deadline;
use super::loaders::loaders;
use super::{about, cost, errors, limits, order};
use crate::db::replicas::{Databases, ReadFrom};
use crate::observe::metrics::{Metrics, RequestRecord};
use crate::observe::{document, sql};
use crate::ratelimit::Meter;
use crate::request_id::RequestId;
use async_graphql::extensions::{
    Extension, ExtensionContext, ExtensionFactory, NextExecute, NextParseQuery, NextPrepareRequest,
    NextRequest, NextValidation,
};
use async_graphql::parser::types::{DocumentOperations, ExecutableDocument, OperationType};
use async_graphql::{Request, Response, ServerError, ServerResult, ValidationResult, Variables};
use sea_orm::DatabaseConnection;
use std::sync::{Arc, Mutex};
use tracing::Instrument;
use tracing::field::Empty;

/// The extension; the schema registers it once (see `schema_builder`).
pub struct Executor;

impl ExtensionFactory for Executor {
    fn create(&self) -> Arc<dyn Extension> {
        Arc::new(Run::default())
    }
}

/// One request's run: its waves, and the document it keeps for putting fields in order.
#[derive(Default)]
struct Run {
    waves: Waves,
    document: Mutex<Option<ExecutableDocument>>,
    /// Whether the document is large enough for its checks to leave the async worker.
    large: Mutex<bool>,
    /// The request's ID and budget, from its data (which the `request` hook cannot see).
    id: Mutex<Option<RequestId>>,
    meter: Mutex<Option<Arc<Meter>>>,
    /// The requested cost, once the document passed `limits`; the actual, once it ran.
    cost: Mutex<Option<(usize, usize)>>,
    /// What the metrics and the request's span say about it.
    seen: Mutex<Seen>,
}

/// What the executor learns of a request as it runs.
struct Seen {
    span: tracing::Span,
    operation_name: Option<String>,
    operation_type: &'static str,
    pool: String,
}

impl Default for Seen {
    fn default() -> Self {
        Seen {
            span: tracing::Span::none(),
            operation_name: None,
            operation_type: "unknown",
            pool: "primary".into(),
        }
    }
}

/// The selected operation's name (None when anonymous) and type, if the document names one
/// unambiguously.
fn operation(
    document: &ExecutableDocument,
    name: Option<&str>,
) -> Option<(Option<String>, OperationType)> {
    match (&document.operations, name) {
        (DocumentOperations::Single(op), _) => Some((None, op.node.ty)),
        (DocumentOperations::Multiple(ops), Some(name)) => {
            ops.get(name).map(|op| (Some(name.to_string()), op.node.ty))
        }
        (DocumentOperations::Multiple(ops), None) if ops.len() == 1 => ops
            .iter()
            .next()
            .map(|(name, op)| (Some(name.to_string()), op.node.ty)),
        _ => None,
    }
}

fn type_name(ty: OperationType) -> &'static str {
    match ty {
        OperationType::Query => "query",
        OperationType::Mutation => "mutation",
        OperationType::Subscription => "subscription",
    }
}

/// `ok`, or the first error's code.
fn outcome(response: &Response) -> String {
    let Some(error) = response.errors.first() else {
        return "ok".into();
    };
    match error.extensions.as_ref().and_then(|e| e.get("code")) {
        Some(async_graphql::Value::String(code)) => code.clone(),
        Some(async_graphql::Value::Enum(code)) => code.to_string(),
        _ => "error".into(),
    }
}

/// Documents longer than this (in bytes) are parsed and validated off the async workers'
/// cooperative schedule (`offload`); shorter ones cost less than the hand-over.
const LARGE_DOCUMENT: usize = 4096;

/// Runs CPU-bound `work`, for a large document through `block_in_place`, so that the
/// runtime moves this worker's other tasks (other requests, `/health`) to another thread.
fn offload<T>(large: bool, work: impl FnOnce() -> T) -> T {
    use tokio::runtime::{Handle, RuntimeFlavor};
    let multi_thread =
        Handle::try_current().is_ok_and(|h| h.runtime_flavor() == RuntimeFlavor::MultiThread);
    if large && multi_thread {
        tokio::task::block_in_place(work)
    } else {
        work()
    }
}

#[async_trait::async_trait]
impl Extension for Run {
    async fn request(&self, ctx: &ExtensionContext<'_>, next: NextRequest<'_>) -> Response {
        let started = std::time::Instant::now();
        let span = tracing::info_span!(
            "graphql.request",
            graphql.operation.name = Empty,
            graphql.operation.type = Empty,
            graphql.document = Empty,
        );
        lock(&self.seen).span = span.clone();
        let tally = Arc::new(sql::Tally::default());
        let deadline = ctx.data_opt::<Deadline>().copied().unwrap_or_default().0;
        let run = tokio::time::timeout(deadline, next.run(ctx));
        let mut response = match sql::tallied(tally.clone(), run).instrument(span).await {
            Ok(response) => response,
            // Dropping the request drops its reads; PostgreSQL stops their statements at the
            // same bound (`statement_timeout`).
            Err(_) => Response::from_errors(vec![errors::timed_out(deadline)]),
        };
        let errors = std::mem::take(&mut response.errors)
            .into_iter()
            .map(errors::operation_resolution)
            .collect();
        response.errors = errors::bounded(errors);
        if let Some(metrics) = ctx.data_opt::<Arc<Metrics>>() {
            let seen = lock(&self.seen);
            metrics.graphql_request(&RequestRecord {
                operation_name: seen.operation_name.as_deref(),
                operation_type: seen.operation_type,
                outcome: &outcome(&response),
                duration: started.elapsed(),
                statements: tally.statements(),
                sql_time: tally.time(),
                pool: &seen.pool,
            });
        }
        if let Some((requested, actual)) = *lock(&self.cost) {
            let throttle = lock(&self.meter).as_ref().and_then(|m| m.outcome());
            let cost = cost::extension(requested, actual, throttle);
            response.extensions.insert("cost".into(), cost);
        }
        if let Some(RequestId(id)) = &*lock(&self.id) {
            for error in &mut response.errors {
                errors::with_request_id(error, id);
            }
        }
        response
    }

    async fn prepare_request(
        &self,
        ctx: &ExtensionContext<'_>,
        mut request: Request,
        next: NextPrepareRequest<'_>,
    ) -> ServerResult<Request> {
        let data = |id| request.data.get(&id);
        let id = data(std::any::TypeId::of::<RequestId>()).and_then(|d| d.downcast_ref());
        *lock(&self.id) = id.cloned();
        let meter = data(std::any::TypeId::of::<Arc<Meter>>()).and_then(|d| d.downcast_ref());
        *lock(&self.meter) = meter.cloned();
        let large = request.query.len() > LARGE_DOCUMENT;
        let registry = &ctx.schema_env.registry;
        let (document, requested) = offload(large, || {
            let _parse = tracing::debug_span!("graphql.parse").entered();
            limits::scan(&request.query).map_err(errors::limit)?;
            limits::nul_free(&request.query, &request.variables).map_err(errors::limit)?;
            let document = request
                .parsed_query()
                .map_err(errors::parse_failed)?
                .clone();
            let requested = limits::check(
                registry,
                &document,
                request.operation_name.as_deref(),
                &request.variables,
            )
            .map_err(errors::limit)?;
            Ok::<_, ServerError>((document, requested))
        })?;
        *lock(&self.cost) = Some((requested, 0));
        let meter = lock(&self.meter).clone();
        if let Some(meter) = meter {
            let outcome = meter
                .charge(u32::try_from(requested).unwrap_or(u32::MAX))
                .await;
            if !outcome.allowed {
                if let Some(metrics) = ctx.data_opt::<Arc<Metrics>>() {
                    metrics.rate_limited();
                }
                return Err(errors::rate_limited(&outcome));
            }
        }
        *lock(&self.large) = large;
        let selected = operation(&document, request.operation_name.as_deref());
        *lock(&self.document) = Some(document);
        let mut from = match request.data.get(&std::any::TypeId::of::<ReadFrom>()) {
            Some(from) => from
                .downcast_ref::<ReadFrom>()
                .copied()
                .unwrap_or(ReadFrom::Replica),
            None => ReadFrom::Replica,
        };
        {
            let mut seen = lock(&self.seen);
            if let Some((name, ty)) = selected {
                // A mutation's reads follow its writes, and a subscription follows writes as
                // they happen: both read from the primary.
                if ty != OperationType::Query {
                    from = ReadFrom::Primary;
                }
                seen.operation_type = type_name(ty);
                seen.operation_name = name;
            }
            let span = &seen.span;
            if !span.is_disabled() {
                if let Some(name) = &seen.operation_name {
                    span.record("graphql.operation.name", name.as_str());
                }
                span.record("graphql.operation.type", seen.operation_type);
                let shown = document::sanitise(&request.query, document::MAX_DOCUMENT);
                span.record("graphql.document", shown.as_str());
            }
        }
        if let Some(metrics) = ctx.data_opt::<Arc<Metrics>>() {
            self.waves.count_in(metrics.reads_in_flight());
        }
        // A schema without a database (`sdl()`, introspection) has no loaders to give.
        let reader = match ctx.data_opt::<Databases>() {
            Some(databases) => {
                let (pool, db) = databases.reader(from);
                lock(&self.seen).pool = pool.to_string();
                Some(db.clone())
            }
            None => ctx.data_opt::<DatabaseConnection>().cloned(),
        };
        if let Some(db) = reader {
            request = request
                .data(loaders(db.clone(), &self.waves))
                .data(self.waves.clone())
                .data(db);
        }
        next.run(ctx, request).await
    }

    async fn parse_query(
        &self,
        ctx: &ExtensionContext<'_>,
        query: &str,
        variables: &Variables,
        next: NextParseQuery<'_>,
    ) -> ServerResult<ExecutableDocument> {
        // Parsed already in `prepare_request`: what can fail here is the parser's nesting guard.
        next.run(ctx, query, variables)
            .await
            .map_err(errors::too_deep_to_parse)
    }

    async fn validation(
        &self,
        ctx: &ExtensionContext<'_>,
        next: NextValidation<'_>,
    ) -> Result<ValidationResult, Vec<ServerError>> {
        // Validation is synchronous work inside an async hook: for a large document, block
        // this worker (handing its other tasks to the rest) rather than stall them.
        let large = *lock(&self.large);
        offload(large, || {
            let _validate = tracing::debug_span!("graphql.validate").entered();
            futures_util::FutureExt::now_or_never(next.run(ctx))
        })
        .unwrap_or_else(|| Err(vec![errors::internal("validation did not complete".into())]))
        .map_err(|e| e.into_iter().map(errors::validation_failed).collect())
    }

    async fn execute(
        &self,
        ctx: &ExtensionContext<'_>,
        operation_name: Option<&str>,
        next: NextExecute<'_>,
    ) -> Response {
        let mut response = self
            .waves
            .run(next.run(ctx, operation_name))
            .instrument(tracing::debug_span!("graphql.execute"))
            .await;
        if let Some((_, actual)) = &mut *lock(&self.cost) {
            *actual = cost::actual(&response.data);
        }
        if let Some(document) = lock(&self.document).take() {
            order::reorder(&document, operation_name, &mut response.data);
            about::describe(&document, operation_name, &mut response.data);
        }
        response.errors = std::mem::take(&mut response.errors)
            .into_iter()
            .map(errors::execution)
            .collect();
        response
    }
}

fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}
