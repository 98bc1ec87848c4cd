//! The command line and its settings: the only place configuration is read.

use clap::{Parser, Subcommand};
use std::net::SocketAddr;
use std::path::PathBuf;

/// The default database: a SQLite file in the working directory, created if missing.
pub const DEFAULT_DATABASE_URL: &str = "sqlite://scam-atlas.db?mode=rwc";

/// A header value: visible ASCII.
fn parse_header(text: &str) -> Result<axum::http::HeaderValue, String> {
    axum::http::HeaderValue::from_str(text).map_err(|_| "not a valid header value".to_string())
}

/// Scam Atlas: a GraphQL API over the crackdown on Southeast Asian scam centres.
#[derive(Debug, Parser)]
#[command(version, about)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,
    #[command(flatten)]
    pub config: Config,
}

/// Settings shared by every command.
#[derive(Clone, Debug, clap::Args)]
pub struct Config {
    /// Database URL: `sqlite://scam-atlas.db?mode=rwc` (default) or `postgres://user@host/db`.
    #[arg(long, env = "DATABASE_URL", default_value = DEFAULT_DATABASE_URL, global = true)]
    pub database_url: String,
    /// Address the server listens on.
    #[arg(
        long,
        env = "LISTEN_ADDR",
        default_value = "127.0.0.1:8000",
        global = true
    )]
    pub listen: SocketAddr,
    /// Database connections in the pool (SQLite: reader connections in WAL mode; PostgreSQL:
    /// connections per server instance).
    #[arg(
        long,
        env = "DB_CONNECTIONS",
        default_value_t = 8,
        value_parser = clap::value_parser!(u32).range(1..),
        global = true
    )]
    pub db_connections: u32,
    /// How long one request may run, in milliseconds, before it is stopped with
    /// `REQUEST_TIMEOUT` (PostgreSQL statements are stopped at the same bound).
    #[arg(long, env = "REQUEST_TIMEOUT_MS", default_value_t = 10_000, value_parser = clap::value_parser!(u64).range(100..=600_000), global = true)]
    pub request_timeout_ms: u64,
    /// Open client connections the server accepts at once; beyond them a connection is
    /// answered `503` and closed.
    #[arg(long, env = "MAX_CONNECTIONS", default_value_t = 4096, value_parser = clap::value_parser!(u32).range(1..), global = true)]
    pub max_connections: u32,
    /// Subscriptions one WebSocket connection may hold open at once; beyond them a
    /// `subscribe` is answered `TOO_MANY_SUBSCRIPTIONS`.
    #[arg(long, env = "MAX_SUBSCRIPTIONS_PER_CONNECTION", default_value_t = crate::live::quota::DEFAULT_PER_CONNECTION as u32, value_parser = clap::value_parser!(u32).range(1..), global = true)]
    pub max_subscriptions_per_connection: u32,
    /// Subscriptions one client (an API key, else an IP address) may hold open at once on
    /// this instance, over all its connections.
    #[arg(long, env = "MAX_SUBSCRIPTIONS_PER_CLIENT", default_value_t = crate::live::quota::DEFAULT_PER_CLIENT as u32, value_parser = clap::value_parser!(u32).range(1..), global = true)]
    pub max_subscriptions_per_client: u32,
    /// Seconds between the pings a WebSocket gets; one silent for two of them is closed.
    #[arg(long, env = "WS_PING_SECONDS", default_value_t = 30, value_parser = clap::value_parser!(u64).range(1..=3600), global = true)]
    pub ws_ping_seconds: u64,
    /// Add Scam Atlas's tables to a database that already holds other tables. Without it, a
    /// database with tables but no record of Scam Atlas's migrations is refused untouched, so
    /// that pointing DATABASE_URL at another application's database changes nothing.
    #[arg(long, env = "ADOPT_DATABASE", global = true)]
    pub adopt_database: bool,
    /// Origins browser apps may call the API from (`https://app.example.org`), comma-separated
    /// or repeated; without any, every origin may (anonymous reads; credentials never).
    #[arg(long = "cors-origin", env = "CORS_ORIGIN", value_delimiter = ',', value_parser = crate::cors::parse_origin, global = true)]
    pub cors_origins: Vec<axum::http::HeaderValue>,
    /// `Cache-Control` of GET answers without errors, which carry an `ETag` of the query and
    /// the data version and are answered `304` when the client holds them: e.g.
    /// `public, max-age=60` to let CDNs serve them a minute. The default, `no-cache`, lets
    /// caches store answers but revalidate them every time.
    #[arg(long, env = "CACHE_CONTROL", default_value = crate::state::DEFAULT_CACHE_CONTROL, value_parser = parse_header, global = true)]
    pub cache_control: axum::http::HeaderValue,
    /// Run only the documents in this JSON file of SHA-256 hash → document (GraphQL Codegen's
    /// or Relay's persisted output), by hash or sent in full; without it, clients register
    /// documents by hash as they go (Apollo's automatic persisted queries).
    #[arg(long, env = "TRUSTED_DOCUMENTS", global = true)]
    pub trusted_documents: Option<PathBuf>,
    /// Charge each request's cost to its client's budget (per API key, else per IP address),
    /// refusing with `RATE_LIMITED` when it is spent.
    #[arg(long, env = "RATE_LIMIT", default_value_t = false, action = clap::ArgAction::Set, global = true)]
    pub rate_limit: bool,
    /// Cost restored to a client's budget per minute.
    #[arg(long, env = "RATE_LIMIT_COST_PER_MINUTE", default_value_t = 600_000, value_parser = clap::value_parser!(u32).range(1..), global = true)]
    pub rate_limit_cost_per_minute: u32,
    /// The most a client's budget holds (at least the largest cost a query may have, 100,000).
    #[arg(long, env = "RATE_LIMIT_BURST", default_value_t = 200_000, value_parser = clap::value_parser!(u32).range(100_000..), global = true)]
    pub rate_limit_burst: u32,
    /// Share rate-limit budgets across instances through Redis (`redis://127.0.0.1:6379`);
    /// while Redis does not answer, each instance keeps its own.
    #[arg(long, env = "REDIS_URL", global = true)]
    pub redis_url: Option<String>,
    /// Read replicas (PostgreSQL), repeatable: GraphQL reads go to them in turn, skipping one
    /// that does not answer; migrations, loading and writes go to `--database-url`.
    #[arg(
        long = "replica-url",
        env = "REPLICA_URLS",
        value_delimiter = ',',
        global = true
    )]
    pub replica_urls: Vec<String>,
    /// Log format on standard error: `text` for people, `json` (one object a line, with its
    /// spans) for log collectors.
    #[arg(long, env = "LOG_FORMAT", value_enum, default_value_t = LogFormat::Text, global = true)]
    pub log_format: LogFormat,
    /// Refuse every request without a valid API key (`Authorization: Bearer <key>`), reads
    /// included; without it reading is open to anyone and only writes need a key.
    #[arg(long, env = "REQUIRE_KEY_FOR_READS", global = true)]
    pub require_key_for_reads: bool,
    /// Open GraphiQL in a browser once the server is ready (only when run from a terminal).
    #[arg(long, env = "OPEN_BROWSER", default_value_t = true, action = clap::ArgAction::Set, global = true)]
    pub open_browser: bool,
}

/// How logs are written.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum LogFormat {
    /// Human-readable lines.
    #[default]
    Text,
    /// One JSON object a line, with the spans each event happened in.
    Json,
}

/// What to do; `serve` when none is given.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Migrate the database, load the curated dataset if it is empty, and serve the API.
    Serve,
    /// Apply pending migrations (or, with `--down N`, roll back the last N).
    Migrate {
        /// Roll back this many migrations instead of applying.
        #[arg(long)]
        down: Option<u32>,
    },
    /// Migrate, then load the curated dataset (a no-op when that version is already loaded).
    LoadData {
        /// Load from a folder laid out like `data/` instead of the dataset built into the binary.
        #[arg(long)]
        data_dir: Option<PathBuf>,
        /// Replace another version of the curated dataset already in the database.
        #[arg(long)]
        replace: bool,
    },
    /// Migrate, then load a deterministic synthetic dataset into an empty database (for
    /// benchmarks and tests; it is recorded as generated and never mixed with curated data).
    Generate {
        /// How many events to generate.
        #[arg(long, default_value_t = 10_000)]
        events: usize,
        /// The seed: the same seed and size give the same data.
        #[arg(long, default_value_t = 1)]
        seed: u64,
    },
    /// Manage API keys: `keys create --name "Org X" --role contributor`, `keys list`,
    /// `keys revoke <prefix>`.
    Keys {
        #[command(subcommand)]
        action: KeysAction,
    },
    /// Migrate, then write every event (and, for `toml` and `tar`, the reference files and
    /// article texts) into `--out`, read from one snapshot, page by page.
    Export {
        /// `ndjson` (events.ndjson), `csv` (events.csv), `toml` (the data/ layout) or `tar`
        /// (dataset.tar, the data/ layout in one file).
        #[arg(long, value_enum)]
        format: crate::ingest::export::Format,
        /// The folder to write into (created if need be).
        #[arg(long)]
        out: PathBuf,
        /// Only the events matching these fields of `events(filter:)`, written as the HTTP
        /// export's query string: `kinds=RAID,ARREST&from=2017-01-01`.
        #[arg(long)]
        filter: Option<String>,
    },
    /// Migrate, then import a dataset in the data/ format (a folder, or a .tar of one; its
    /// events in events.toml or events.ndjson) or an .ndjson file of events: checked as the
    /// loader checks, written in one transaction. Into an empty database directly; into one
    /// holding data through the write path, audited under the key "cli".
    Import {
        /// The folder, the .tar file or the .ndjson file.
        path: PathBuf,
    },
    /// Write the GraphQL schema (SDL) the server serves.
    ExportSchema {
        /// Where to write it; `-` for standard output.
        #[arg(long, default_value = "schema.graphql")]
        out: PathBuf,
    },
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(args: &[&str]) -> Result<Cli, clap::Error> {
        Cli::try_parse_from(std::iter::once("scam-atlas").chain(args.iter().copied()))
    }

    #[test]
    fn a_pool_needs_at_least_one_connection() {
        let error = parse(&["--db-connections", "0", "migrate"]).expect_err("refused");
        assert_eq!(error.kind(), clap::error::ErrorKind::ValueValidation);
        let cli = parse(&["migrate", "--db-connections", "1"]).expect("accepted");
        assert_eq!(cli.config.db_connections, 1);
    }

    #[test]
    fn protection_options_parse() {
        let config = parse(&["--cors-origin", "https://a.example,http://localhost:5173"])
            .expect("parses")
            .config;
        assert_eq!(config.cors_origins.len(), 2);
        assert!(!config.rate_limit);
        assert!(parse(&["--cors-origin", "a.example"]).is_err());
        // A budget smaller than the largest query allowed could never pay for it.
        assert!(parse(&["--rate-limit-burst", "99999"]).is_err());
        let on = parse(&["--rate-limit", "true", "--rate-limit-cost-per-minute", "60"])
            .expect("parses")
            .config;
        assert!(on.rate_limit);
        assert_eq!(on.rate_limit_cost_per_minute, 60);
    }

    #[test]
    fn replicas_and_the_log_format() {
        let cli = parse(&[
            "--replica-url",
            "postgres://a/x",
            "--replica-url",
            "postgres://b/x",
        ])
        .expect("parses");
        assert_eq!(
            cli.config.replica_urls,
            ["postgres://a/x", "postgres://b/x"]
        );
        assert_eq!(cli.config.log_format, LogFormat::Text);
        let cli = parse(&["serve", "--log-format", "json"]).expect("parses");
        assert_eq!(cli.config.log_format, LogFormat::Json);
        assert!(parse(&["--log-format", "xml"]).is_err());
    }

    #[test]
    fn adopting_a_database_is_asked_for_explicitly() {
        assert!(!parse(&["serve"]).expect("parses").config.adopt_database);
        assert!(
            parse(&["migrate", "--adopt-database"])
                .expect("parses")
                .config
                .adopt_database
        );
    }
}

/// What to do with API keys.
#[derive(Debug, Subcommand)]
pub enum KeysAction {
    /// Create a key and print it (once: only its SHA-256 is stored).
    Create {
        /// Who will hold it ("Org X"): the audit trail's name for them.
        #[arg(long)]
        name: String,
        /// What it may do.
        #[arg(long, value_enum)]
        role: KeyRole,
    },
    /// List the keys: prefix, name, role, created, last used, revoked.
    List,
    /// Revoke a key, named by its visible prefix (`sa_live_ab12`) or its number.
    Revoke {
        /// The key's prefix or number, as `keys list` shows it.
        key: String,
    },
}

/// What a key may do.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum KeyRole {
    /// Proposes changes, which an editor reviews.
    Contributor,
    /// Proposes, reviews and publishes.
    Editor,
    /// Everything, and manages keys.
    Admin,
}

impl From<KeyRole> for entity::enums::Role {
    fn from(role: KeyRole) -> Self {
        match role {
            KeyRole::Contributor => entity::enums::Role::Contributor,
            KeyRole::Editor => entity::enums::Role::Editor,
            KeyRole::Admin => entity::enums::Role::Admin,
        }
    }
}
