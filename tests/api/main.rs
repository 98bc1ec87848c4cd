//! The integration tests: one binary, each module one concern. Every database test runs on
//! SQLite and on PostgreSQL (see `helpers::both!`), each against a fresh database.

#[macro_use]
mod helpers;

mod bulk;
mod caching;
mod cohorts;
mod compiled;
mod compiled_totals;
mod contract;
mod coordinates;
mod cors;
mod crash_safety;
mod cursors;
mod dataset;
mod examples;
mod execution;
mod explain;
mod feed;
mod hardening;
mod http;
mod import_jobs;
mod imports;
mod instances;
mod killed_import;
mod limits;
mod live;
mod loading;
mod migrations;
mod ndjson_import;
mod observe;
mod pages;
mod pagination;
mod persisted;
mod rate_limits;
mod read;
mod replicas;
mod request_ids;
mod rollups;
mod schema;
mod search;
mod statements;
mod tallies;
mod totals;
mod traces;
mod writes;
