//! What every request handler shares: the connection pool and the schema.

use crate::graphql::{AppSchema, build_schema};
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
    /// State over a database that is already migrated.
    pub fn new(db: DatabaseConnection) -> Self {
        AppState {
            schema: build_schema(db.clone()),
            db,
        }
    }
}
