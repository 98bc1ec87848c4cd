//! Database reads behind the API: no GraphQL types here, and every function takes
//! `&impl ConnectionTrait` so it runs as well inside a transaction.

pub mod event;
pub mod rows;
