//! How every request runs, whatever carries it (HTTP, a WebSocket, `schema.execute` in a
//! test): one async-graphql extension, registered once on the schema, that
//!
//! - parses the document once (a transport that parsed it already hands it over with
//!   `Request::set_parsed_query`) and holds it to `limits` before async-graphql validates it;
//! - gives the request its DataLoaders and runs its execution in `batch::Waves`, so the
//!   statements it runs follow the query's shape;
//! - puts response fields back in selection order (`order`);
//! - gives every error its code (`errors`), by the phase that raised it.
//!
//! One extension, not several: each registered extension costs every field a hook call.

use super::batch::Waves;
use super::limits::Deadline;
use super::loaders::loaders;
use super::{about, errors, limits, order};
use async_graphql::extensions::{
    Extension, ExtensionContext, ExtensionFactory, NextExecute, NextParseQuery, NextPrepareRequest,
    NextRequest, NextValidation,
};
use async_graphql::parser::types::ExecutableDocument;
use async_graphql::{Request, Response, ServerError, ServerResult, ValidationResult, Variables};
use sea_orm::DatabaseConnection;
use std::sync::{Arc, Mutex};

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
        let deadline = ctx.data_opt::<Deadline>().copied().unwrap_or_default().0;
        let mut response = match tokio::time::timeout(deadline, next.run(ctx)).await {
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
        response
    }

    async fn prepare_request(
        &self,
        ctx: &ExtensionContext<'_>,
        mut request: Request,
        next: NextPrepareRequest<'_>,
    ) -> ServerResult<Request> {
        let large = request.query.len() > LARGE_DOCUMENT;
        let registry = &ctx.schema_env.registry;
        let document = offload(large, || {
            limits::scan(&request.query).map_err(errors::limit)?;
            limits::nul_free(&request.query, &request.variables).map_err(errors::limit)?;
            let document = request
                .parsed_query()
                .map_err(errors::parse_failed)?
                .clone();
            limits::check(
                registry,
                &document,
                request.operation_name.as_deref(),
                &request.variables,
            )
            .map_err(errors::limit)?;
            Ok::<_, ServerError>(document)
        })?;
        *lock(&self.large) = large;
        *lock(&self.document) = Some(document);
        // A schema without a database (`sdl()`, introspection) has no loaders to give.
        if let Some(db) = ctx.data_opt::<DatabaseConnection>() {
            request = request
                .data(loaders(db.clone(), &self.waves))
                .data(self.waves.clone());
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
        let mut response = self.waves.run(next.run(ctx, operation_name)).await;
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
