//! What every request handler shares: the connection pool and the schema.

use crate::graphql::limits::Deadline;
use crate::graphql::{AppSchema, build_schema_with};
use sea_orm::DatabaseConnection;

/// What every request handler shares.
#[derive(Clone)]
pub struct AppState {
    /// The connection pool.
    pub db: DatabaseConnection,
    /// The GraphQL schema, which runs every request the same way whatever the transport.
    pub schema: AppSchema,
}

impl AppState {
    /// State over a database that is already migrated, with the default request deadline.
    pub fn new(db: DatabaseConnection) -> Self {
        Self::with_deadline(db, Deadline::default())
    }

    /// State whose requests stop at `deadline`.
    pub fn with_deadline(db: DatabaseConnection, deadline: Deadline) -> Self {
        AppState {
            schema: build_schema_with(db.clone(), deadline),
            db,
        }
    }
}
