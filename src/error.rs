//! The API's error type: what clients see (a message and a machine-readable
//! `extensions.code`), with internals logged rather than shown. Resolvers return it with `?`;
//! `graphql::errors` turns it into the response's error with its code.

/// Every error a resolver can return.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// An argument is malformed or out of range.
    #[error("{0}")]
    BadUserInput(String),
    /// The input breaks a rule of the dataset at `field` (a path into the input).
    #[error("{message}")]
    Invalid {
        message: String,
        field: Option<String>,
    },
    /// The request needs an API key and has none, or an unknown or revoked one.
    #[error("{0}")]
    Unauthenticated(String),
    /// The request's key may not do this.
    #[error("{0}")]
    Forbidden(String),
    /// The record changed since the version the change was made against.
    #[error("{0}")]
    Conflict(String),
    /// An idempotency key sent again with another change.
    #[error("{0}")]
    IdempotencyKeyReused(String),
    /// A record the request names does not exist.
    #[error("{0}")]
    NotFound(String),
    /// A connection or client holds as many subscriptions as it may.
    #[error("{0}")]
    TooManySubscriptions(String),
    /// A database failure; the client sees only that something went wrong inside.
    #[error("internal error")]
    Database(#[from] sea_orm::DbErr),
    /// A database failure seen through a DataLoader (which shares one error between keys).
    #[error("internal error")]
    Loader(#[from] std::sync::Arc<sea_orm::DbErr>),
    /// A fault of the server's own making (a missing piece of request data); logged.
    #[error("internal error")]
    Internal(String),
}

/// The `Result` of the API layer.
pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    /// The `extensions.code` clients switch on.
    pub fn code(&self) -> &'static str {
        match self {
            Error::BadUserInput(_) | Error::Invalid { .. } => "BAD_USER_INPUT",
            Error::Unauthenticated(_) => "UNAUTHENTICATED",
            Error::Forbidden(_) => "FORBIDDEN",
            Error::Conflict(_) => "CONFLICT",
            Error::IdempotencyKeyReused(_) => "IDEMPOTENCY_KEY_REUSED",
            Error::NotFound(_) => "NOT_FOUND",
            Error::TooManySubscriptions(_) => "TOO_MANY_SUBSCRIPTIONS",
            Error::Database(_) | Error::Loader(_) | Error::Internal(_) => "INTERNAL",
        }
    }
}

impl Error {
    /// The input field an error is about, for `extensions.field`.
    pub fn field(&self) -> Option<&str> {
        match self {
            Error::Invalid { field, .. } => field.as_deref(),
            _ => None,
        }
    }
}

impl From<crate::write::WriteError> for Error {
    fn from(e: crate::write::WriteError) -> Self {
        use crate::write::WriteError as W;
        match e {
            W::Invalid { message, field } => Error::Invalid { message, field },
            W::Conflict(m) => Error::Conflict(m),
            W::IdempotencyKeyReused(m) => Error::IdempotencyKeyReused(m),
            W::NotFound(m) => Error::NotFound(m),
            W::Forbidden(m) => Error::Forbidden(m),
            W::Database(e) => Error::Database(e),
        }
    }
}

impl From<crate::auth::AuthError> for Error {
    fn from(e: crate::auth::AuthError) -> Self {
        match e {
            crate::auth::AuthError::Unauthenticated(m) => Error::Unauthenticated(m),
            crate::auth::AuthError::Database(e) => Error::Database(e),
        }
    }
}
