//! Every error in a response gets its machine-readable `extensions.code` here, in one place,
//! by what kind of error it is — which phase of the request raised it, and what its source
//! is — never by its English text. Database details are logged, never sent.

use super::limits::Exceeded;
use crate::error::Error;
use async_graphql::{ErrorExtensionValues, Pos, ServerError};
use sea_orm::{DbErr, RuntimeErr};

/// The most errors one response carries; the spec lets a server stop early.
pub const MAX_ERRORS: usize = 20;
/// The longest error message, in characters: a message may quote the client's input, and a
/// long input quoted under many aliases would make a response of any size.
pub const MAX_MESSAGE: usize = 200;

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

/// The client's budget cannot pay for the request now (`ratelimit`); nothing ran.
pub fn rate_limited(outcome: &crate::ratelimit::Outcome) -> ServerError {
    let seconds = outcome.retry_after.as_secs_f64().ceil().max(1.0);
    with_code(
        ServerError::new(
            format!(
                "rate limited: this request costs {}, {} of the budget of {} is left; \
                 try again in {seconds} s",
                outcome.cost, outcome.remaining, outcome.limit
            ),
            None,
        ),
        "RATE_LIMITED",
    )
}

/// Tags an error with the ID of the request it belongs to (`extensions.requestId`), which
/// the logs name too.
pub fn with_request_id(error: &mut ServerError, id: &str) {
    error
        .extensions
        .get_or_insert_with(ErrorExtensionValues::default)
        .set("requestId", id);
}

/// The request ran out of time.
pub fn timed_out(deadline: std::time::Duration) -> ServerError {
    with_code(
        ServerError::new(
            format!(
                "the request took longer than the limit of {} ms and was stopped",
                deadline.as_millis()
            ),
            None,
        ),
        "REQUEST_TIMEOUT",
    )
}

/// A response's errors, bounded: duplicates dropped, messages cut to `MAX_MESSAGE`
/// characters, and at most `MAX_ERRORS` of them, the last saying how many were left out.
pub fn bounded(errors: Vec<ServerError>) -> Vec<ServerError> {
    let total = errors.len();
    let mut kept: Vec<ServerError> = Vec::with_capacity(total.min(MAX_ERRORS + 1));
    for mut error in errors {
        if kept.iter().any(|k| {
            k.message == error.message && k.locations == error.locations && k.path == error.path
        }) {
            continue;
        }
        if kept.len() == MAX_ERRORS {
            let more = ServerError::new(
                format!(
                    "{} more errors left out (at most {MAX_ERRORS} are reported)",
                    total - MAX_ERRORS
                ),
                None,
            );
            kept.push(with_code(more, "TOO_MANY_ERRORS"));
            break;
        }
        if let Some((cut, _)) = error.message.char_indices().nth(MAX_MESSAGE) {
            error.message.truncate(cut);
            error.message.push('…');
        }
        kept.push(error);
    }
    kept
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
    let source = error.source::<Error>();
    let database = match source {
        Some(Error::Database(e)) => Some(e),
        Some(Error::Loader(e)) => Some(&**e),
        _ => None,
    };
    if let Some((e, code)) = database.and_then(|e| Some((e, database_code(e)?))) {
        tracing::warn!(error = ?e, path = ?error.path, code, "database unavailable");
        return with_code(
            replaced(error, "the database is unavailable or busy; try again"),
            code,
        );
    }
    match source {
        Some(e @ (Error::Database(_) | Error::Loader(_) | Error::Internal(_))) => {
            tracing::error!(error = ?e, path = ?error.path, "internal error");
            hidden(error)
        }
        Some(e) => {
            let code = e.code();
            let field = e.field().map(str::to_string);
            let mut error = with_code(error, code);
            if let Some(field) = field {
                error
                    .extensions
                    .get_or_insert_with(ErrorExtensionValues::default)
                    .set("field", field);
            }
            error
        }
        None => {
            tracing::error!(message = %error.message, path = ?error.path, "unclassified error");
            hidden(error)
        }
    }
}

/// A database failure that is not a fault of the query: the pool was exhausted, the
/// connection dropped or the server is shutting down (`UNAVAILABLE`: try again), or the
/// statement ran past its time (`REQUEST_TIMEOUT`). PostgreSQL's SQLSTATE classes 08
/// (connection exception) and 57 (operator intervention; 57014 is a cancelled statement).
fn database_code(error: &DbErr) -> Option<&'static str> {
    let runtime = match error {
        DbErr::ConnectionAcquire(_) => return Some("UNAVAILABLE"),
        DbErr::Conn(e) | DbErr::Exec(e) | DbErr::Query(e) => e,
        _ => return None,
    };
    let RuntimeErr::SqlxError(sqlx) = runtime else {
        return None;
    };
    use sea_orm::sqlx::Error as Sqlx;
    match &**sqlx {
        Sqlx::Io(_) | Sqlx::PoolTimedOut | Sqlx::PoolClosed | Sqlx::WorkerCrashed => {
            Some("UNAVAILABLE")
        }
        Sqlx::Database(e) => match e.code().as_deref() {
            Some("57014") => Some("REQUEST_TIMEOUT"),
            Some(c) if c.starts_with("08") || c.starts_with("57") => Some("UNAVAILABLE"),
            _ => None,
        },
        _ => None,
    }
}

/// The error with its message replaced, keeping where it happened.
fn replaced(error: ServerError, message: &str) -> ServerError {
    let location: Option<Pos> = error.locations.first().copied();
    let mut replaced = ServerError::new(message, location);
    replaced.path = error.path;
    replaced
}

/// An internal error as the client sees it: where it happened, not what it was.
fn hidden(error: ServerError) -> ServerError {
    with_code(replaced(error, "internal error"), "INTERNAL")
}
