//! Compiled selections: a root `events` page and everything its nodes select, read in ONE
//! statement that builds the nested JSON in the database, instead of resolving every field
//! through async-graphql and a DataLoader per relation (issue 14).
//!
//! - `select` gathers a selection set's fields as GraphQL does (fragments, aliases, merged
//!   keys) and refuses what the compiler does not know;
//! - `objects` says which fields below an event the database builds, and from which columns;
//! - `shape` turns that into SQL for SQLite or PostgreSQL;
//! - `events` plans the connection, runs the statement and writes the connection's JSON;
//! - `totals` writes the rows of `participantTotals` and `flowTotals` as JSON (their sums are
//!   computed by `service::totals`; what the resolvers cost there was the answer's fields);
//! - `write` writes JSON text as async-graphql serialises values.
//!
//! A selection the compiler does not cover in full runs through the resolvers, untouched;
//! so does every selection of a request carrying `UseResolvers` (the tests compare both).

pub mod events;
pub mod objects;
pub mod select;
pub mod shape;
pub mod totals;
pub mod write;

pub use events::EventsPlan;

/// Request data that turns compilation off: every field of the request is resolved one by one.
/// Tests set it to check that both ways give the same answer.
#[derive(Clone, Copy, Debug, Default)]
pub struct UseResolvers;
