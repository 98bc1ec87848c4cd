//! Scam Atlas: a GraphQL API over the crackdown on Southeast Asian scam centres.

/// The application state, router and server.
pub mod app;
/// API keys: who may write, and as what.
pub mod auth;
/// What the command line prints: the `keys` subcommand, progress bars.
pub mod cli;
/// Compiled selections: an events page and its nested fields read as JSON in one statement.
pub mod compile;
/// The command line and its settings.
pub mod config;
/// CORS: which browser apps on other origins may call the API.
pub mod cors;
/// Connecting to the database and migrating it.
pub mod db;
/// The API's error type and its `extensions.code`s.
pub mod error;
/// How a figure's claims resolve to one number, and how figures add up.
pub mod figure;
/// The GraphQL schema, its types and DataLoaders.
pub mod graphql;
/// GraphQL over HTTP: the `/graphql` handler.
pub mod http;
/// Loading the curated dataset (and generated ones), and working out their tallies.
pub mod ingest;
/// Live updates: published changes broadcast to subscribers, across instances.
pub mod live;
/// What operators see: metrics, logs and spans, readiness.
pub mod observe;
/// Persisted queries: Apollo's automatic ones, and an allow-list of trusted documents.
pub mod persisted;
/// Rate limits: a budget of query cost per client that refills, in process or in Redis.
pub mod ratelimit;
/// Every request's ID: in its response, its errors and its log lines.
pub mod request_id;
/// Database reads behind the API.
pub mod service;
/// What every request handler shares: the pool and the schema.
pub mod state;
/// What each event and flow contributes to totals: the reconciliation rules.
pub mod tally;
/// Accepting connections: limits, timeouts, draining.
pub mod transport;
/// The browser pages: GraphiQL and the explorer, their files embedded.
pub mod web;
/// The write path: proposals, review, publishing and the audit trail.
pub mod write;
