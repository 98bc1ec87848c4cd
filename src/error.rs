//! The API's error type: what clients see (a message and a machine-readable
//! `extensions.code`), with internals logged rather than shown. Resolvers return it with `?`;
//! `graphql::errors` turns it into the response's error with its code.

/// Every error a resolver can return.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// An argument is malformed or out of range.
    #[error("{0}")]
    BadUserInput(String),
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
            Error::BadUserInput(_) => "BAD_USER_INPUT",
            Error::Database(_) | Error::Loader(_) | Error::Internal(_) => "INTERNAL",
        }
    }
}
