//! One write at a time. Writes are few and each reads ids and figures it then changes, so
//! they are serialised rather than retried: on PostgreSQL by a transaction-scoped advisory
//! lock (every instance over the database waits on the same lock, released at commit or
//! rollback), on SQLite by a lock in this process (SQLite has one writer anyway; a deferred
//! transaction that reads first would otherwise fail with SQLITE_BUSY when it writes).
//! Serialised writes also give the change log's ids in commit order.

use sea_orm::{
    ConnectionTrait, DatabaseConnection, DatabaseTransaction, DbBackend, DbErr, Statement,
    TransactionTrait,
};
use std::sync::LazyLock;
use tokio::sync::{Mutex, MutexGuard};

/// The advisory lock's key: any constant no other application on the database uses.
const ADVISORY_KEY: i64 = 0x5343_414d_4154_4c53; // "SCAMATLS"

/// SQLite's writers in this process.
static SQLITE_WRITER: LazyLock<Mutex<()>> = LazyLock::new(|| Mutex::new(()));

/// A write transaction that holds the write lock until it ends.
pub struct Write {
    pub txn: DatabaseTransaction,
    _guard: Option<MutexGuard<'static, ()>>,
}

/// Begins a transaction and takes the write lock (waiting for the write before it).
pub async fn begin(db: &DatabaseConnection) -> Result<Write, DbErr> {
    let guard = match db.get_database_backend() {
        DbBackend::Sqlite => Some(SQLITE_WRITER.lock().await),
        _ => None,
    };
    let txn = db.begin().await?;
    if txn.get_database_backend() == DbBackend::Postgres {
        txn.execute_raw(Statement::from_sql_and_values(
            DbBackend::Postgres,
            "SELECT pg_advisory_xact_lock($1)",
            [ADVISORY_KEY.into()],
        ))
        .await?;
    }
    Ok(Write { txn, _guard: guard })
}
