//! Opening and migrating go wrong clearly: each error names its SQLite path, host:port or
//! migration, none shows a password, and another application's database is left alone.

use super::*;
use std::time::Instant;

fn message(result: Result<DatabaseConnection, DbError>) -> String {
    result.map(|_| ()).expect_err("refused").to_string()
}

#[tokio::test]
async fn a_pool_of_no_connections_is_refused() {
    let error = connect_with("sqlite::memory:", 0).await.map(|_| ());
    assert!(matches!(error, Err(DbError::NoConnections)), "{error:?}");
}

#[tokio::test]
async fn a_silent_server_is_given_up_on_in_seconds_naming_host_and_port() {
    // Accepts the TCP connection, then never answers PostgreSQL's startup message.
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("a port");
    let addr = listener.local_addr().expect("an address");
    let _held = tokio::spawn(async move {
        let mut open = Vec::new();
        while let Ok((socket, _)) = listener.accept().await {
            open.push(socket);
        }
    });
    let started = Instant::now();
    let error = connect(&format!("postgres://app:s3cret@{addr}/db")).await;
    let elapsed = started.elapsed();
    assert!(matches!(error, Err(DbError::Timeout { .. })), "{error:?}");
    let text = message(error);
    assert!(text.contains(&addr.to_string()), "{text}");
    assert!(!text.contains("s3cret"), "{text}");
    assert!(
        elapsed < CONNECT_TIMEOUT + Duration::from_secs(2),
        "{elapsed:?}"
    );
}

#[tokio::test]
async fn sqlite_errors_name_the_path() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let path = dir.path().join("no-such-folder").join("atlas.db");
    let text = message(connect(&format!("sqlite://{}?mode=rwc", path.display())).await);
    assert!(
        text.contains(&path.display().to_string()),
        "{text} should name {path:?}"
    );
}

#[tokio::test]
async fn no_error_shows_the_password() {
    for url in [
        "postgres://app:s3cret@127.0.0.1:notaport/db",
        "mysql://app:s3cret@127.0.0.1/db",
        "postgres://app@no-such-host.invalid/db?password=s3cret",
        "s3cret",
    ] {
        let text = message(connect(url).await);
        assert!(!text.contains("s3cret"), "{url}: {text}");
    }
    assert_eq!(
        redact("postgres://app:s3cret@db:5432/atlas"),
        "postgres://app:***@db:5432/atlas"
    );
    assert_eq!(
        redact("sqlite://atlas.db?mode=rwc"),
        "sqlite://atlas.db?mode=rwc"
    );
}

#[test]
fn targets_are_read_from_urls() {
    let server = |url| match Target::parse(url) {
        Ok(Target::Server { addr }) => addr,
        other => panic!("{url}: {other:?}"),
    };
    assert_eq!(
        server("postgres://u:p@db.example:6543/x"),
        "db.example:6543"
    );
    assert_eq!(
        server("postgresql://u@db.example/x?sslmode=require"),
        "db.example:5432"
    );
    assert_eq!(
        server("postgres:///x?host=/run/postgresql"),
        "/run/postgresql:5432"
    );
    assert_eq!(server("postgres://[::1]/x"), "[::1]:5432");
    assert_eq!(
        Target::parse("sqlite://data/atlas.db?mode=rwc").ok(),
        Some(Target::Sqlite {
            path: "data/atlas.db".into()
        })
    );
    assert!(Target::parse("sqlite://?mode=rwc").is_err());
}

/// A SQLite file of its own, with a pool open on it.
async fn sqlite_file() -> (tempfile::TempDir, DatabaseConnection) {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let url = format!("sqlite://{}?mode=rwc", dir.path().join("app.db").display());
    let db = connect(&url).await.expect("opens");
    (dir, db)
}

async fn tables(db: &DatabaseConnection) -> Vec<String> {
    db.query_all_raw(Statement::from_string(
        DbBackend::Sqlite,
        "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name",
    ))
    .await
    .expect("lists tables")
    .iter()
    .map(|r| r.try_get::<String>("", "name").expect("a name"))
    .collect()
}

#[tokio::test]
async fn another_applications_database_is_refused_untouched_unless_adopted() {
    let (_dir, db) = sqlite_file().await;
    db.execute_unprepared("CREATE TABLE invoices (id INTEGER PRIMARY KEY)")
        .await
        .expect("another application's table");
    let error = migrate(&db).await;
    assert!(matches!(error, Err(DbError::Foreign { .. })), "{error:?}");
    let text = error.expect_err("refused").to_string();
    assert!(
        text.contains("invoices") && text.contains("--adopt-database"),
        "{text}"
    );
    assert_eq!(tables(&db).await, vec!["invoices"]);
    // Adopted once, the database is Scam Atlas's too: later starts need no flag.
    migrate_with(&db, true).await.expect("adopts");
    migrate(&db).await.expect("ours now");
    let after = tables(&db).await;
    assert!(after.contains(&"invoices".to_string()) && after.contains(&"event".to_string()));
}

#[tokio::test]
async fn an_empty_database_or_one_with_only_an_empty_record_is_ours() {
    let (_dir, db) = sqlite_file().await;
    // What a first start killed between creating the record table and its first migration
    // leaves behind.
    db.execute_unprepared(
        "CREATE TABLE seaql_migrations (version TEXT PRIMARY KEY, applied_at BIGINT NOT NULL)",
    )
    .await
    .expect("an empty record");
    migrate(&db).await.expect("migrates");
    assert!(tables(&db).await.contains(&"event".to_string()));
}

#[tokio::test]
async fn a_failing_migration_is_named_and_leaves_nothing_behind() {
    let (_dir, db) = sqlite_file().await;
    migrate(&db).await.expect("migrates");
    let all = u32::try_from(Migrator::migrations().len()).expect("a few migrations");
    rollback(&db, all - 2)
        .await
        .expect("rolls back to the first two migrations");
    // A table in the way of the third migration's last table, in a database recorded as ours.
    db.execute_unprepared("CREATE TABLE event_relation (id INTEGER PRIMARY KEY)")
        .await
        .expect("a table in the way");
    let before = tables(&db).await;
    let error = migrate(&db).await;
    let Err(DbError::Migration { name, .. }) = &error else {
        panic!("{error:?}");
    };
    assert_eq!(name, "m20261121_000003_create_event_tables");
    assert!(
        error
            .expect_err("failed")
            .to_string()
            .contains("m20261121_000003")
    );
    // The migration's other tables were rolled back with it.
    assert_eq!(tables(&db).await, before);
}
