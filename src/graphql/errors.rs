//! Every error in a response gets its machine-readable `extensions.code` here, in one place,
//! by what kind of error it is — which phase of the request raised it, and what its source
//! is — never by its English text. Database details are logged, never sent.

use super::limits::Exceeded;
use crate::error::Error;
use async_graphql::{ErrorExtensionValues, Pos, ServerError};

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

/// The document does not parse.
pub fn parse_failed(error: ServerError) -> ServerError {
    with_code(error, "GRAPHQL_PARSE_FAILED")
}

/// The parser's own nesting guard (async-graphql's recursion depth) refused the document.
pub fn too_deep_to_parse(error: ServerError) -> ServerError {
    with_code(error, "QUERY_TOO_DEEP")
}

/// A document breaks one of the schema's validation rules.
pub fn validation_failed(error: ServerError) -> ServerError {
    with_code(error, "GRAPHQL_VALIDATION_FAILED")
}

/// A document exceeds one of `limits`.
pub fn limit(exceeded: Exceeded) -> ServerError {
    with_code(
        ServerError::new(exceeded.to_string(), None),
        exceeded.code(),
    )
}

/// A fault of the server's own making, before execution.
pub fn internal(message: String) -> ServerError {
    tracing::error!(%message, "internal error");
    with_code(ServerError::new("internal error", None), "INTERNAL")
}

/// Errors left without a code once a request is over: async-graphql picks the operation to
/// run after validation and outside every other phase, so these are its failures to do so (an
/// unknown `operationName`, or none given for a document of several operations).
pub fn operation_resolution(error: ServerError) -> ServerError {
    with_code(error, "OPERATION_RESOLUTION_FAILURE")
}

/// What went wrong while executing, told to the client: our own errors keep their code; a
/// database error is logged and reported only as INTERNAL. An error without a source was
/// raised by async-graphql itself while coercing a field's arguments (a literal or variable
/// of the wrong type, which its validation lets through for custom scalars and list/object
/// mismatches): the client's input, BAD_USER_INPUT.
pub fn execution(error: ServerError) -> ServerError {
    if error.source.is_none() {
        return with_code(error, "BAD_USER_INPUT");
    }
    match error.source::<Error>() {
        Some(e @ (Error::Database(_) | Error::Loader(_) | Error::Internal(_))) => {
            tracing::error!(error = ?e, path = ?error.path, "internal error");
            hidden(error)
        }
        Some(e) => {
            let code = e.code();
            with_code(error, code)
        }
        None => {
            tracing::error!(message = %error.message, path = ?error.path, "unclassified error");
            hidden(error)
        }
    }
}

/// An internal error as the client sees it: where it happened, not what it was.
fn hidden(error: ServerError) -> ServerError {
    let location: Option<Pos> = error.locations.first().copied();
    let mut hidden = ServerError::new("internal error", location);
    hidden.path = error.path;
    with_code(hidden, "INTERNAL")
}
