//! Gives every error in a response a machine-readable `extensions.code`: the codes of our own
//! `Error`, and codes for what async-graphql reports itself (parse and validation failures,
//! the depth and complexity limits). Database details are logged, never sent.

use super::{MAX_COMPLEXITY, MAX_DEPTH};
use crate::error::Error;
use async_graphql::extensions::{
    Extension, ExtensionContext, ExtensionFactory, NextExecute, NextParseQuery, NextValidation,
};
use async_graphql::parser::types::ExecutableDocument;
use async_graphql::{
    ErrorExtensionValues, Response, ServerError, ServerResult, ValidationResult, Variables,
};
use std::sync::Arc;

/// The extension; add it to the schema once.
pub struct ErrorCodes;

impl ExtensionFactory for ErrorCodes {
    fn create(&self) -> Arc<dyn Extension> {
        Arc::new(ErrorCodes)
    }
}

/// Sets `extensions.code` unless the error already has one.
pub fn with_code(mut error: ServerError, code: &str) -> ServerError {
    let has_code = error
        .extensions
        .as_ref()
        .is_some_and(|e| e.get("code").is_some());
    if !has_code {
        error
            .extensions
            .get_or_insert_with(ErrorExtensionValues::default)
            .set("code", code);
    }
    error
}

/// What went wrong, told to the client: our own errors keep their code; a database error
/// is logged and reported only as INTERNAL; async-graphql's input errors are BAD_USER_INPUT.
fn classify(error: ServerError) -> ServerError {
    match error.source::<Error>() {
        Some(e @ (Error::Database(_) | Error::Loader(_))) => {
            tracing::error!(error = ?e, path = ?error.path, "database error");
            let mut hidden = ServerError::new("internal error", error.locations.first().copied());
            hidden.path = error.path;
            with_code(hidden, "INTERNAL")
        }
        Some(e) => {
            let code = e.code();
            with_code(error, code)
        }
        None if error.message.starts_with("Failed to parse")
            || error.message.starts_with("Invalid value") =>
        {
            with_code(error, "BAD_USER_INPUT")
        }
        None => with_code(error, "INTERNAL"),
    }
}

#[async_trait::async_trait]
impl Extension for ErrorCodes {
    async fn parse_query(
        &self,
        ctx: &ExtensionContext<'_>,
        query: &str,
        variables: &Variables,
        next: NextParseQuery<'_>,
    ) -> ServerResult<ExecutableDocument> {
        next.run(ctx, query, variables)
            .await
            .map_err(|e| with_code(e, "GRAPHQL_PARSE_FAILED"))
    }

    async fn validation(
        &self,
        ctx: &ExtensionContext<'_>,
        next: NextValidation<'_>,
    ) -> Result<ValidationResult, Vec<ServerError>> {
        next.run(ctx).await.map_err(|errors| {
            errors
                .into_iter()
                .map(|mut e| match e.message.as_str() {
                    "Query is nested too deep." => {
                        e.message = format!("the query is nested deeper than the limit of {MAX_DEPTH} levels");
                        with_code(e, "QUERY_TOO_DEEP")
                    }
                    "Query is too complex." => {
                        e.message = format!(
                            "the query's complexity exceeds the limit of {MAX_COMPLEXITY} \
                             (each field costs 1, multiplied by the page sizes of the connections around it)"
                        );
                        with_code(e, "QUERY_TOO_COMPLEX")
                    }
                    _ => with_code(e, "GRAPHQL_VALIDATION_FAILED"),
                })
                .collect()
        })
    }

    async fn execute(
        &self,
        ctx: &ExtensionContext<'_>,
        operation_name: Option<&str>,
        next: NextExecute<'_>,
    ) -> Response {
        let mut response = next.run(ctx, operation_name).await;
        response.errors = std::mem::take(&mut response.errors)
            .into_iter()
            .map(classify)
            .collect();
        response
    }
}
