//! Every migration goes up and comes down on both databases.

use crate::helpers::{Backend, TABLES, count, fresh_db};
use sea_orm::{ConnectionTrait, Statement};

both!(migrations_go_up_and_down);

async fn tables(db: &sea_orm::DatabaseConnection) -> Vec<String> {
    let sql = match db.get_database_backend() {
        sea_orm::DbBackend::Postgres => {
            "SELECT tablename AS name FROM pg_tables WHERE schemaname = 'public'"
        }
        // The search index (an FTS5 table and its shadow tables) is not a table of data.
        _ => {
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' \
             AND name NOT LIKE 'event_search%'"
        }
    };
    let rows = db
        .query_all_raw(Statement::from_string(db.get_database_backend(), sql))
        .await
        .expect("lists tables");
    let mut names: Vec<String> = rows
        .iter()
        .map(|r| r.try_get::<String>("", "name").expect("a name"))
        .collect();
    names.retain(|n| n != "seaql_migrations");
    names.sort();
    names
}

async fn migrations_go_up_and_down(backend: Backend) {
    let store = fresh_db(backend).await;
    let db = &store.db;
    scam_atlas::db::migrate(db).await.expect("up");
    let mut expected: Vec<String> = TABLES.iter().map(|t| t.to_string()).collect();
    expected.sort();
    assert_eq!(tables(db).await, expected);
    // Down, one at a time, to nothing; each down must undo exactly its up.
    for _ in 0..crate::helpers::migration_count() {
        scam_atlas::db::rollback(db, 1).await.expect("down");
    }
    assert_eq!(tables(db).await, Vec::<String>::new());
    // And up again, to a schema the dataset loads into.
    scam_atlas::db::migrate(db).await.expect("up");
    scam_atlas::ingest::seed(db).await.expect("load");
    assert!(count(db, "event").await > 0);
}

/// What `SHOW statement_timeout` says on a connection of `db`.
async fn statement_timeout(db: &sea_orm::DatabaseConnection) -> String {
    let row = db
        .query_one_raw(Statement::from_string(
            sea_orm::DbBackend::Postgres,
            "SHOW statement_timeout",
        ))
        .await
        .expect("asks")
        .expect("a row");
    row.try_get("", "statement_timeout").expect("a setting")
}

/// The server's pool stops a statement at the request deadline's default; the pool of a
/// command over the whole database (migrate, load-data, generate, import, export) does not:
/// one of its statements may rewrite millions of rows.
#[tokio::test]
#[cfg_attr(
    not(postgres_tests),
    ignore = "PostgreSQL: set TEST_DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres to run"
)]
async fn batch_commands_have_no_statement_limit() {
    let url = crate::helpers::postgres_url();
    let server = scam_atlas::db::connect(&url).await.expect("connects");
    assert_eq!(statement_timeout(&server).await, "10s");
    let batch = scam_atlas::db::connect_for_batch(&url)
        .await
        .expect("connects");
    assert_eq!(statement_timeout(&batch).await, "0");
}
