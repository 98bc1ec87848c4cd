//! How every request runs, whatever carries it (HTTP, a WebSocket, `AppSchema::execute` in a
//! test): `run` wraps async-graphql's `Schema::execute` and
//!
//! - parses the document once and holds it to `limits` before async-graphql validates it;
//! - gives the request its DataLoaders and runs its execution in `batch::Waves`, so the
//!   statements it runs follow the query's shape;
//! - puts response fields back in selection order (`order`);
//! - gives every error its code (`errors`), by the phase that raised it, and the request's ID
//!   (`extensions.requestId`) when the transport gave it one;
//! - charges the request's cost to the client's budget (`ratelimit::Meter`, when the transport
//!   gives one) before it runs, and reports the cost in `extensions.cost` (`cost`);
//! - sends its reads to a replica, or to the primary for a mutation or a request that asks
//!   (`db::replicas`);
//! - traces it (`graphql.request`, `graphql.parse`, `graphql.validate` — the limits;
//!   async-graphql's own rules run at the start of `graphql.execute` — and `graphql.execute`
//!   spans) and records it in the metrics once it is over, with the SQL it ran (`observe`).
//!
//! Not an async-graphql extension: registering any extension turns off async-graphql's fast
//! path for every field and list item (each builds a `ResolveInfo`, looks its type up in the
//! registry and runs the extension chain), although none of the above is per field. Only a
//! document too large to validate on an async worker goes through the schema that has one
//! (`Offload`, whose single hook moves validation off the worker).

use super::batch::Waves;
use super::documents::Documents;
use super::limits::Deadline;
use super::loaders::loaders;
use super::{about, cost, errors, limits, order};
use crate::db::replicas::{Databases, ReadFrom};
use crate::observe::metrics::{Metrics, RequestRecord};
use crate::observe::{document, sql};
use crate::ratelimit::Meter;
use crate::request_id::RequestId;
use async_graphql::extensions::{
    Extension, ExtensionContext, ExtensionFactory, NextPrepareRequest, NextValidation,
};
use async_graphql::parser::types::{DocumentOperations, ExecutableDocument, OperationType};
use async_graphql::{Request, Response, ServerError, ValidationResult};
use async_graphql::{SchemaEnv, ServerResult};
use sea_orm::DatabaseConnection;
use std::any::{Any, TypeId};
use std::sync::Arc;
use std::sync::OnceLock;
use tracing::Instrument;
use tracing::field::Empty;

/// What the executor needs of the schema's setting: where reads go, where requests are
/// recorded, and how long one may run.
#[derive(Clone, Default)]
pub struct Setting {
    pub databases: Option<Databases>,
    pub db: Option<DatabaseConnection>,
    pub metrics: Option<Arc<Metrics>>,
    pub deadline: Deadline,
    /// This instance's live changes, which subscriptions read (made with the schema).
    pub hub: Option<Arc<crate::live::Hub>>,
    /// The documents parsed lately, by their text.
    pub documents: Arc<Documents>,
}

/// The two builds of the schema a request may run on, and its types.
pub struct Schemas<'a> {
    /// The schema's types, which `limits` walks.
    pub registry: &'a async_graphql::registry::Registry,
    /// Without extensions: async-graphql's fast path for every field.
    pub fast: &'a super::RawSchema,
    /// With `Offload`, for documents larger than `LARGE_DOCUMENT`.
    pub large: &'a super::RawSchema,
}

/// What the executor learns of a request as it runs.
struct Seen {
    operation_name: Option<String>,
    operation_type: &'static str,
    pool: String,
    /// The requested cost, once the document passed `limits`; the actual, once it ran.
    cost: Option<(usize, usize)>,
}

/// The operation a request runs, by async-graphql's own rule (a name must name one of several
/// operations; without a name, the document must hold one): its name (None when the
/// document holds a single operation) and type. None when the rule fails.
pub(super) fn operation(
    document: &ExecutableDocument,
    name: Option<&str>,
) -> Option<(Option<String>, OperationType)> {
    match (&document.operations, name) {
        (DocumentOperations::Single(op), None) => Some((None, op.node.ty)),
        (DocumentOperations::Single(_), Some(_)) => None,
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
pub const LARGE_DOCUMENT: usize = 4096;

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

/// The request's data of type `T`, which the transport put there.
fn data<T: Any + Clone>(request: &Request) -> Option<T> {
    request
        .data
        .get(&TypeId::of::<T>())
        .and_then(|d| d.downcast_ref::<T>())
        .cloned()
}

/// Runs `request` on the schema: the one way every request runs.
pub async fn run(schemas: Schemas<'_>, setting: &Setting, request: Request) -> Response {
    let started = std::time::Instant::now();
    let span = tracing::info_span!(
        "graphql.request",
        graphql.operation.name = Empty,
        graphql.operation.type = Empty,
        graphql.document = Empty,
    );
    let id = data::<RequestId>(&request);
    let meter = data::<Arc<Meter>>(&request);
    let mut seen = Seen {
        operation_name: None,
        operation_type: "unknown",
        pool: "primary".into(),
        cost: None,
    };
    let tally = Arc::new(sql::Tally::default());
    let deadline = setting.deadline.0;
    let work = prepare_and_execute(schemas, setting, request, meter.as_ref(), &mut seen, &span);
    let run = tokio::time::timeout(deadline, work);
    let mut response = match sql::tallied(tally.clone(), run)
        .instrument(span.clone())
        .await
    {
        Ok(response) => response,
        // Dropping the request drops its reads; PostgreSQL stops their statements at the
        // same bound (`statement_timeout`).
        Err(_) => Response::from_errors(vec![errors::timed_out(deadline)]),
    };
    response.errors = errors::bounded(std::mem::take(&mut response.errors));
    if let Some(metrics) = &setting.metrics {
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
    if let Some((requested, actual)) = seen.cost {
        let throttle = meter.as_ref().and_then(|m| m.outcome());
        let cost = cost::extension(requested, actual, throttle);
        response.extensions.insert("cost".into(), cost);
    }
    if let Some(RequestId(id)) = &id {
        for error in &mut response.errors {
            errors::with_request_id(error, id);
        }
    }
    response
}

/// Parses the document and holds it to `limits`: the document and its cost, or the error.
pub(super) fn check(
    registry: &async_graphql::registry::Registry,
    documents: &Documents,
    request: &mut Request,
) -> Result<(ExecutableDocument, usize), ServerError> {
    let large = request.query.len() > LARGE_DOCUMENT;
    offload(large, || {
        let parse_span = tracing::debug_span!("graphql.parse").entered();
        limits::scan(&request.query).map_err(errors::limit)?;
        limits::nul_free(&request.query, &request.variables).map_err(errors::limit)?;
        let document = documents.parse(request).map_err(errors::parse_failed)?;
        drop(parse_span);
        let _validate = tracing::debug_span!("graphql.validate").entered();
        let requested = limits::check(
            registry,
            &document,
            request.operation_name.as_deref(),
            &request.variables,
        )
        .map_err(errors::limit)?;
        // After `check`, whose budget bounds how far fragments expand.
        limits::nesting(&document).map_err(errors::limit)?;
        Ok::<_, ServerError>((document, requested))
    })
}

/// Parses and checks the document, charges its cost, gives the request its loaders and
/// runs it; every error coded by the phase that raised it.
async fn prepare_and_execute(
    schemas: Schemas<'_>,
    setting: &Setting,
    mut request: Request,
    meter: Option<&Arc<Meter>>,
    seen: &mut Seen,
    span: &tracing::Span,
) -> Response {
    let large = request.query.len() > LARGE_DOCUMENT;
    let (mut document, requested) = match check(schemas.registry, &setting.documents, &mut request)
    {
        Ok(checked) => checked,
        Err(error) => return Response::from_errors(vec![error]),
    };
    // Limits counted every field; the answer's order is that of the fields that run.
    order::drop_skipped(&mut document, &request.variables);
    seen.cost = Some((requested, 0));
    if let Some(meter) = meter {
        let outcome = meter
            .charge(u32::try_from(requested).unwrap_or(u32::MAX))
            .await;
        if !outcome.allowed {
            if let Some(metrics) = &setting.metrics {
                metrics.rate_limited();
            }
            return Response::from_errors(vec![errors::rate_limited(&outcome)]);
        }
    }
    let selected = operation(&document, request.operation_name.as_deref());
    let mut from = data::<ReadFrom>(&request).unwrap_or(ReadFrom::Replica);
    let resolved_name = selected.as_ref().and_then(|(name, _)| name.clone());
    if let Some((name, ty)) = &selected {
        // A mutation's reads follow its writes, and a subscription follows writes as they
        // happen: both read from the primary.
        if *ty != OperationType::Query {
            from = ReadFrom::Primary;
        }
        seen.operation_type = type_name(*ty);
        seen.operation_name = name.clone();
    }
    if !span.is_disabled() {
        if let Some(name) = &seen.operation_name {
            span.record("graphql.operation.name", name.as_str());
        }
        span.record("graphql.operation.type", seen.operation_type);
        let shown = document::sanitise(&request.query, document::MAX_DOCUMENT);
        span.record("graphql.document", shown.as_str());
    }
    let waves = Waves::default();
    if let Some(metrics) = &setting.metrics {
        waves.count_in(metrics.reads_in_flight());
    }
    // A schema without a database (`sdl()`, introspection) has no loaders to give.
    let reader = match &setting.databases {
        Some(databases) => {
            let (pool, db) = databases.reader(from);
            seen.pool = pool.to_string();
            Some(db.clone())
        }
        None => setting.db.clone(),
    };
    if let Some(db) = reader {
        request = request
            .data(loaders(db.clone(), &waves))
            .data(waves.clone())
            .data(db);
    }
    let schema = if large { schemas.large } else { schemas.fast };
    let response = waves
        .run(schema.execute(request))
        .instrument(tracing::debug_span!("graphql.execute"))
        .await;
    let ran = !is_request_error(&response);
    let response = shape(
        &document,
        resolved_name.as_deref(),
        selected.is_some(),
        response,
    );
    if let Some((_, actual)) = &mut seen.cost
        && ran
    {
        *actual = cost::actual(&response.data);
    }
    response
}

/// Nothing ran: the errors are the document's (none has a path), and there is no data.
pub fn is_request_error(response: &Response) -> bool {
    response.data == async_graphql::Value::Null
        && !response.errors.is_empty()
        && response.errors.iter().all(|e| e.path.is_empty())
}

/// A response as clients get it: every error coded by the phase that raised it, fields in
/// selection order. `chosen`: the document's operation could be chosen.
pub(super) fn shape(
    document: &ExecutableDocument,
    name: Option<&str>,
    chosen: bool,
    mut response: Response,
) -> Response {
    if is_request_error(&response) {
        // Nothing ran: the document failed validation, or (valid, but no operation could be
        // chosen) async-graphql's choice of the operation, whose errors have no location.
        let unresolved = !chosen && response.errors.iter().all(|e| e.locations.is_empty());
        let code = if unresolved {
            errors::operation_resolution
        } else {
            errors::validation_failed
        };
        response.errors = std::mem::take(&mut response.errors)
            .into_iter()
            .map(code)
            .collect();
        return response;
    }
    order::reorder(document, name, &mut response.data);
    about::describe(document, name, &mut response.data);
    response.errors = std::mem::take(&mut response.errors)
        .into_iter()
        .map(errors::execution)
        .collect();
    response
}

/// The one extension, on the schema large documents run on: it validates them off the async
/// worker (`offload`).
pub struct Offload;

impl ExtensionFactory for Offload {
    fn create(&self) -> Arc<dyn Extension> {
        Arc::new(Offload)
    }
}

#[async_trait::async_trait]
impl Extension for Offload {
    async fn validation(
        &self,
        ctx: &ExtensionContext<'_>,
        next: NextValidation<'_>,
    ) -> Result<ValidationResult, Vec<ServerError>> {
        // Validation is synchronous work inside an async hook: block this worker (handing
        // its other tasks to the rest) rather than stall them.
        offload(true, || {
            futures_util::FutureExt::now_or_never(next.run(ctx))
        })
        .unwrap_or_else(|| Err(vec![errors::internal("validation did not complete".into())]))
    }
}

/// Keeps a schema's environment (its registry of types), which async-graphql shows only to
/// extensions: a schema built with `Capture` hands it over on its first request, and refuses
/// that request before it parses anything.
pub struct Capture(pub Arc<OnceLock<SchemaEnv>>);

impl ExtensionFactory for Capture {
    fn create(&self) -> Arc<dyn Extension> {
        Arc::new(Capture(self.0.clone()))
    }
}

#[async_trait::async_trait]
impl Extension for Capture {
    async fn prepare_request(
        &self,
        ctx: &ExtensionContext<'_>,
        _request: Request,
        _next: NextPrepareRequest<'_>,
    ) -> ServerResult<Request> {
        let _ = self.0.set(ctx.schema_env.clone());
        Err(ServerError::new("the schema's types are captured", None))
    }
}

/// The environment of the schema `build` makes with `Capture` (built only for this).
pub fn environment(build: impl FnOnce(Capture) -> super::RawSchema) -> SchemaEnv {
    let cell = Arc::new(OnceLock::new());
    let schema = build(Capture(cell.clone()));
    // The hook refuses at once, before anything awaits: the request is over at its first poll.
    let _ = futures_util::FutureExt::now_or_never(schema.execute("{ __typename }"));
    cell.get()
        .cloned()
        .expect("a schema with `Capture` hands over its environment on its first request")
}
