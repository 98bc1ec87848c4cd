//! Connecting to the database and bringing its schema up to date (seeding it is `ingest::seed`).
//! Every error here names what it was about (the SQLite path, the server's host:port, the
//! migration) and never shows a password.

use migration::{Migrator, MigratorTrait};
use sea_orm::{
    ConnectOptions, ConnectionTrait, Database, DatabaseConnection, DbBackend, DbErr, Statement,
};
use std::time::Duration;

/// Connections a pool gets unless told otherwise: in WAL mode SQLite readers run side by side
/// (SeaORM would default to one SQLite connection, serialising every request).
pub const DEFAULT_CONNECTIONS: u32 = 8;

/// How long one PostgreSQL statement may run, in milliseconds: the request deadline's default.
const STATEMENT_TIMEOUT_MS: &str = "10000";

/// How long a first connection may take before giving up: sqlx would otherwise retry in
/// silence for its 30 s acquire timeout when the server does not answer.
pub const CONNECT_TIMEOUT: Duration = Duration::from_secs(5);

/// The table SeaORM records applied migrations in.
const MIGRATIONS_TABLE: &str = "seaql_migrations";

/// Why the database could not be opened or migrated.
#[derive(Debug, thiserror::Error)]
pub enum DbError {
    /// The URL itself is not shown: where it cannot be read, neither can its password be
    /// found to hide.
    #[error("the database URL{scheme} cannot be used: {message}")]
    BadUrl { scheme: String, message: String },
    #[error("a connection pool needs at least one connection")]
    NoConnections,
    #[error(
        "could not connect to the database server at {addr} within {} s: is it running, and \
         are the host and port right?",
        timeout.as_secs()
    )]
    Timeout { addr: String, timeout: Duration },
    #[error("cannot connect to the database server at {addr}: {message}")]
    Connect { addr: String, message: String },
    #[error("cannot open the SQLite database {path}: {message}")]
    Sqlite { path: String, message: String },
    #[error(
        "the database holds tables that Scam Atlas did not create ({tables}); not adding its \
         tables to another application's database. Point DATABASE_URL at an empty database, \
         or pass --adopt-database to add them anyway"
    )]
    Foreign { tables: String },
    #[error("migration {name} failed, and none of it was applied: {source}")]
    Migration { name: String, source: DbErr },
    #[error("{0}")]
    Query(#[from] DbErr),
}

/// Where a database URL points, for messages: a SQLite path or a server's host:port.
#[derive(Debug, PartialEq, Eq)]
enum Target {
    Sqlite { path: String },
    Server { addr: String },
}

impl Target {
    fn parse(url: &str) -> Result<Target, DbError> {
        let bad = |message: &str| DbError::BadUrl {
            scheme: scheme(url).map_or(String::new(), |s| format!(" (scheme \"{s}\")")),
            message: message.into(),
        };
        if let Some(rest) = url.strip_prefix("sqlite:") {
            let rest = rest.strip_prefix("//").unwrap_or(rest);
            let path = rest.split('?').next().unwrap_or_default();
            if path.is_empty() {
                return Err(bad("no SQLite file is named"));
            }
            return Ok(Target::Sqlite { path: path.into() });
        }
        let Some(rest) = ["postgres://", "postgresql://"]
            .iter()
            .find_map(|scheme| url.strip_prefix(scheme))
        else {
            return Err(bad(
                "expected sqlite://<file>?mode=rwc or postgres://user@host:port/database",
            ));
        };
        let authority = rest.split(['/', '?']).next().unwrap_or_default();
        let host = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
        // With no host in the authority, libpq's rules apply (`?host=`, else localhost).
        let host = match host {
            "" => url
                .split_once('?')
                .and_then(|(_, q)| q.split('&').find_map(|kv| kv.strip_prefix("host=")))
                .unwrap_or("localhost"),
            host => host,
        };
        let addr = if host.contains(':') && !host.ends_with(']') {
            host.to_string()
        } else {
            format!("{host}:5432")
        };
        Ok(Target::Server { addr })
    }

    /// The error for a failed connection, with any password scrubbed from the driver's text.
    fn failed(self, url: &str, error: &DbErr) -> DbError {
        let message = scrub(url, &error.to_string());
        match self {
            Target::Sqlite { path } => DbError::Sqlite { path, message },
            Target::Server { addr } => DbError::Connect { addr, message },
        }
    }
}

/// The URL's scheme, if it starts with a plausible one.
fn scheme(url: &str) -> Option<&str> {
    let (scheme, _) = url.split_once(':')?;
    let plausible = !scheme.is_empty()
        && scheme.len() <= 16
        && scheme
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"+-.".contains(&b));
    plausible.then_some(scheme)
}

/// The URL's password, if it has one (`user:password@` or `?password=`).
fn password(url: &str) -> Option<&str> {
    let (_, rest) = url.split_once("://")?;
    let authority = rest.split(['/', '?']).next()?;
    let from_userinfo = authority
        .rsplit_once('@')
        .and_then(|(userinfo, _)| userinfo.split_once(':'))
        .map(|(_, password)| password);
    let from_query = url
        .split_once('?')
        .and_then(|(_, query)| query.split('&').find_map(|kv| kv.strip_prefix("password=")));
    from_userinfo.or(from_query).filter(|p| !p.is_empty())
}

/// `text` with the URL's password, if any, replaced by `***`.
fn scrub(url: &str, text: &str) -> String {
    match password(url) {
        Some(p) => text.replace(p, "***"),
        None => text.to_string(),
    }
}

/// The URL as it may be shown: without its password.
pub fn redact(url: &str) -> String {
    scrub(url, url)
}

/// Opens a connection pool with the default number of connections.
pub async fn connect(url: &str) -> Result<DatabaseConnection, DbError> {
    connect_with(url, DEFAULT_CONNECTIONS).await
}

/// Opens a connection pool of `connections`, giving up after `CONNECT_TIMEOUT`. (sqlx turns
/// SQLite's foreign-key enforcement on by default.)
pub async fn connect_with(url: &str, connections: u32) -> Result<DatabaseConnection, DbError> {
    connect_options(url, options(url, connections, STATEMENT_TIMEOUT_MS)?).await
}

/// Opens a pool for a command that works on the whole database (migrate, load-data, generate,
/// import, export): on PostgreSQL its statements have no time limit, since one of them may
/// rewrite millions of rows (a tally recompute at 1M events took over 10 s on a busy
/// machine, and the request's limit stopped `generate`).
pub async fn connect_for_batch(url: &str) -> Result<DatabaseConnection, DbError> {
    connect_options(url, options(url, DEFAULT_CONNECTIONS, "0")?).await
}

async fn connect_options(
    url: &str,
    (target, options): (Target, ConnectOptions),
) -> Result<DatabaseConnection, DbError> {
    match tokio::time::timeout(CONNECT_TIMEOUT, Database::connect(options)).await {
        Ok(Ok(db)) => Ok(db),
        // The pool's own acquire timeout can end the wait first: the same silence.
        Ok(Err(e)) if pool_timed_out(&e) => Err(match target {
            Target::Server { addr } => DbError::Timeout {
                addr,
                timeout: CONNECT_TIMEOUT,
            },
            target => target.failed(url, &e),
        }),
        Ok(Err(e)) => Err(target.failed(url, &e)),
        Err(_) => Err(match target {
            Target::Server { addr } => DbError::Timeout {
                addr,
                timeout: CONNECT_TIMEOUT,
            },
            Target::Sqlite { path } => DbError::Sqlite {
                path,
                message: format!("not opened within {} s", CONNECT_TIMEOUT.as_secs()),
            },
        }),
    }
}

/// A pool of `connections` that connects on first use, so a server that is down now does not
/// stop the caller (read replicas: `replicas`).
pub async fn connect_lazily(url: &str, connections: u32) -> Result<DatabaseConnection, DbError> {
    let (target, mut options) = options(url, connections, STATEMENT_TIMEOUT_MS)?;
    options.connect_lazy(true);
    Database::connect(options)
        .await
        .map_err(|e| target.failed(url, &e))
}

/// The pool's options for `url`, and where it points; on PostgreSQL each statement stops
/// after `statement_timeout` milliseconds ("0": never).
fn options(
    url: &str,
    connections: u32,
    statement_timeout: &str,
) -> Result<(Target, ConnectOptions), DbError> {
    let statement_timeout = statement_timeout.to_owned();
    if connections == 0 {
        return Err(DbError::NoConnections);
    }
    let target = Target::parse(url)?;
    let mut options = ConnectOptions::new(url.to_owned());
    options.sqlx_logging(false);
    match &target {
        // Each connection to `:memory:` is a database of its own: keep exactly one.
        Target::Sqlite { path } if path.contains(":memory:") => {
            options.max_connections(1).min_connections(1);
        }
        Target::Sqlite { .. } => {
            options
                .max_connections(connections)
                .map_sqlx_sqlite_opts(|o| {
                    o.journal_mode(sea_orm::sqlx::sqlite::SqliteJournalMode::Wal)
                        .busy_timeout(Duration::from_secs(10))
                });
        }
        Target::Server { .. } => {
            options
                .max_connections(connections)
                // A statement stops at the request deadline's default, whoever is waiting for
                // it (a client that went away leaves nothing running), and skips JIT
                // compilation, which these short statements never repay (measured: a
                // 5,000-word search spent 19 minutes compiling, deaf to cancel).
                .map_sqlx_postgres_opts(move |o| {
                    o.options([
                        ("statement_timeout", statement_timeout.as_str()),
                        ("jit", "off"),
                    ])
                });
        }
    }
    // A request that cannot get a connection soon says so (`UNAVAILABLE`) within its deadline.
    options.acquire_timeout(Duration::from_secs(5));
    Ok((target, options))
}

/// Whether a connection failed because the pool waited out its acquire timeout.
fn pool_timed_out(error: &DbErr) -> bool {
    use sea_orm::RuntimeErr;
    match error {
        DbErr::ConnectionAcquire(_) => true,
        DbErr::Conn(RuntimeErr::SqlxError(e)) => {
            matches!(**e, sea_orm::sqlx::Error::PoolTimedOut)
        }
        _ => false,
    }
}

/// Applies pending migrations to a database that is empty or Scam Atlas's own.
pub async fn migrate(db: &DatabaseConnection) -> Result<(), DbError> {
    migrate_with(db, false).await
}

/// Applies pending migrations, each in its own transaction with its record, so that a kill at
/// any point leaves every migration applied whole or not at all. Unless `adopt`, a database
/// holding tables but no record of Scam Atlas's migrations is refused, untouched.
pub async fn migrate_with(db: &DatabaseConnection, adopt: bool) -> Result<(), DbError> {
    if !adopt {
        refuse_foreign(db).await?;
    }
    for migration in Migrator::get_pending_migrations(db).await? {
        let name = migration.name().to_string();
        Migrator::up(db, Some(1))
            .await
            .map_err(|source| DbError::Migration { name, source })?;
    }
    Ok(())
}

/// Rolls back the last `steps` migrations, each in its own transaction.
pub async fn rollback(db: &DatabaseConnection, steps: u32) -> Result<(), DbError> {
    let applied = Migrator::get_applied_migrations(db).await?;
    for migration in applied.iter().rev().take(steps as usize) {
        let name = migration.name().to_string();
        Migrator::down(db, Some(1))
            .await
            .map_err(|source| DbError::Migration { name, source })?;
    }
    Ok(())
}

/// Fails with `DbError::Foreign` when the database has tables but none of our migrations.
async fn refuse_foreign(db: &DatabaseConnection) -> Result<(), DbError> {
    let backend = db.get_database_backend();
    let list = match backend {
        DbBackend::Postgres => {
            "SELECT tablename AS name FROM pg_tables WHERE schemaname = current_schema() \
             ORDER BY tablename"
        }
        _ => {
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' \
             ORDER BY name"
        }
    };
    let mut tables = Vec::new();
    for row in db
        .query_all_raw(Statement::from_string(backend, list))
        .await?
    {
        tables.push(row.try_get::<String>("", "name")?);
    }
    if !tables.iter().any(|t| t != MIGRATIONS_TABLE) {
        return Ok(());
    }
    if tables.iter().any(|t| t == MIGRATIONS_TABLE) {
        let ours: Vec<String> = Migrator::migrations()
            .iter()
            .map(|m| m.name().to_string())
            .collect();
        let recorded = db
            .query_all_raw(Statement::from_string(
                backend,
                format!("SELECT version FROM {MIGRATIONS_TABLE}"),
            ))
            .await?;
        for row in recorded {
            if ours.contains(&row.try_get::<String>("", "version")?) {
                return Ok(());
            }
        }
    }
    let shown: Vec<&str> = tables.iter().take(5).map(String::as_str).collect();
    let more = if tables.len() > shown.len() {
        ", …"
    } else {
        ""
    };
    Err(DbError::Foreign {
        tables: format!("{}{more}", shown.join(", ")),
    })
}

pub mod replicas;

#[cfg(test)]
mod tests;
