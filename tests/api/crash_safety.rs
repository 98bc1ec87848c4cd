//! A first start killed at any moment (SIGKILL, the real binary) leaves a database that the
//! next start opens and serves: each migration, with its record, and the dataset load are
//! all or nothing. And a database of another application is refused, untouched.

use crate::helpers::{Backend, TABLES, count, counts, fresh_db};
use sea_orm::{ConnectionTrait, DatabaseConnection, Statement};
use std::io::{BufRead, BufReader, Read, Write};
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

both!(
    a_first_start_killed_at_any_point_starts_again,
    another_applications_database_is_left_alone
);

/// The binary under test, with a clean environment for its settings.
fn scam_atlas(url: &str, args: &[&str]) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_scam-atlas"));
    command
        .args(args)
        .env("DATABASE_URL", url)
        .env("OPEN_BROWSER", "false")
        .env("RUST_LOG", "warn")
        .env_remove("DB_CONNECTIONS")
        .env_remove("LISTEN_ADDR")
        .env_remove("ADOPT_DATABASE")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    command
}

/// Waits for a child, killing it (and failing) if it takes longer than `limit`.
fn finish(mut child: Child, limit: Duration, what: &str) -> Output {
    let started = Instant::now();
    while child.try_wait().expect("polls the child").is_none() {
        if started.elapsed() > limit {
            let _ = child.kill();
            panic!("{what} did not finish within {limit:?}");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    child.wait_with_output().expect("collects the output")
}

fn run(url: &str, args: &[&str]) -> Output {
    let child = scam_atlas(url, args).spawn().expect("the binary starts");
    finish(child, Duration::from_secs(120), &args.join(" "))
}

/// The tables that exist, of those a full schema has.
async fn existing(db: &DatabaseConnection) -> Vec<String> {
    let sql = match db.get_database_backend() {
        sea_orm::DbBackend::Postgres => {
            "SELECT tablename AS name FROM pg_tables WHERE schemaname = current_schema()"
        }
        _ => "SELECT name FROM sqlite_master WHERE type = 'table'",
    };
    db.query_all_raw(Statement::from_string(db.get_database_backend(), sql))
        .await
        .expect("lists tables")
        .iter()
        .map(|r| r.try_get::<String>("", "name").expect("a name"))
        .collect()
}

/// How many of `TABLES` exist once the first n migrations are applied: 8 reference tables,
/// 2 figure tables, 14 event tables, statistics, the load record, 2 tally tables, indexes,
/// the cohort links, the stable uids and the coordinates (columns only), article texts, API
/// keys, the write log (proposals, changes, idempotency, redirects), versions (columns), the
/// search index (none of `TABLES`), the data version, the roll-ups, import jobs, the flow
/// roll-up's grain (a column).
const TABLES_AFTER: [usize; 20] = [
    0, 8, 10, 24, 25, 26, 28, 28, 29, 29, 29, 30, 31, 35, 35, 35, 36, 39, 40, 40,
];

/// What a killed start left, checked for halves: every migration recorded has all its tables
/// and none not recorded does, and a dataset is there whole or not at all. Returns whether
/// the start was cut short (`migrate`: before its last migration; `serve`: before the load).
async fn check_what_was_left(db: &DatabaseConnection, command: &str) -> bool {
    let tables = existing(db).await;
    let recorded = if tables.iter().any(|t| t == "seaql_migrations") {
        count(db, "seaql_migrations").await
    } else {
        0
    };
    let data_tables = TABLES
        .iter()
        .filter(|t| tables.contains(&t.to_string()))
        .count();
    assert_eq!(
        data_tables, TABLES_AFTER[recorded as usize],
        "{recorded} migrations recorded, but these tables: {tables:?}"
    );
    let loaded = recorded == TABLES_AFTER.len() as i64 - 1 && count(db, "dataset_load").await > 0;
    if recorded == TABLES_AFTER.len() as i64 - 1 && !loaded {
        // The load is one transaction: without its record, not one row of it.
        for table in TABLES {
            assert_eq!(count(db, table).await, 0, "{table} holds a partial load");
        }
    }
    match command {
        "migrate" => recorded < TABLES_AFTER.len() as i64 - 1,
        _ => !loaded,
    }
}

/// A port nothing listens on (it was free a moment ago).
fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free port")
        .port()
}

/// Starts `serve`, waits until it says it is ready, asks it one GraphQL question and returns
/// the answer's body; then stops it.
fn serve_and_ask(url: &str) -> String {
    let port = free_port();
    let listen = format!("127.0.0.1:{port}");
    let mut child = scam_atlas(url, &["serve", "--listen", &listen])
        .spawn()
        .expect("the binary starts");
    let stdout = child.stdout.take().expect("piped stdout");
    let (ready_tx, ready_rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            if line.contains("is ready") {
                let _ = ready_tx.send(());
            }
        }
    });
    if ready_rx.recv_timeout(Duration::from_secs(120)).is_err() {
        let _ = child.kill();
        let output = child.wait_with_output().expect("output");
        panic!(
            "serve never became ready: {}",
            String::from_utf8_lossy(&output.stderr)
        );
    }
    let body = r#"{"query":"{ events(first: 1) { totalCount } }"}"#;
    let mut stream = std::net::TcpStream::connect(&listen).expect("connects");
    stream
        .set_read_timeout(Some(Duration::from_secs(30)))
        .expect("a timeout");
    write!(
        stream,
        "POST /graphql HTTP/1.1\r\nHost: {listen}\r\nContent-Type: application/json\r\n\
         Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    )
    .expect("sends");
    let mut response = String::new();
    stream.read_to_string(&mut response).expect("reads");
    let _ = child.kill();
    let _ = child.wait();
    response
}

async fn a_first_start_killed_at_any_point_starts_again(backend: Backend) {
    let mut interrupted = 0;
    let mut complete = None;
    for (i, delay) in [0u64, 15, 30, 50, 80, 120, 170, 250, 400]
        .into_iter()
        .enumerate()
    {
        let store = fresh_db(backend).await;
        let command = if i % 2 == 0 { "migrate" } else { "serve" };
        let listen = format!("127.0.0.1:{}", free_port());
        let mut child = scam_atlas(&store.url, &[command, "--listen", &listen])
            .spawn()
            .expect("the binary starts");
        std::thread::sleep(Duration::from_millis(delay));
        child.kill().expect("SIGKILL");
        child.wait().expect("reaped");
        let cut_short = check_what_was_left(&store.db, command).await;
        interrupted += usize::from(cut_short);

        // The next start goes through, whatever the kill left.
        let output = run(&store.url, &["load-data"]);
        let stdout = String::from_utf8_lossy(&output.stdout);
        assert!(
            output.status.success(),
            "after a kill at {delay} ms into {command}: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        assert!(
            stdout.contains("loaded the dataset: ") || stdout.contains("already loaded"),
            "{stdout}"
        );
        let after = counts(&store.db).await;
        assert!(count(&store.db, "event").await > 20);
        // Every recovered database holds the same, whole dataset.
        match &complete {
            None => complete = Some(after),
            Some(first) => assert_eq!(&after, first, "after a kill at {delay} ms"),
        }
        if i == 1 {
            let response = serve_and_ask(&store.url);
            assert!(response.starts_with("HTTP/1.1 200"), "{response}");
            assert!(response.contains("\"totalCount\":"), "{response}");
        }
    }
    // The kills must have landed before the work was done, or this tested nothing.
    assert!(
        interrupted >= 3,
        "only {interrupted} kills interrupted a start"
    );
}

async fn another_applications_database_is_left_alone(backend: Backend) {
    let store = fresh_db(backend).await;
    store
        .db
        .execute_unprepared("CREATE TABLE invoices (id INTEGER PRIMARY KEY)")
        .await
        .expect("another application's table");
    for command in ["serve", "migrate", "load-data"] {
        let output = run(&store.url, &[command, "--listen", "127.0.0.1:0"]);
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(!output.status.success(), "{command} went ahead");
        assert!(
            stderr.contains("invoices") && stderr.contains("--adopt-database"),
            "{command}: {stderr}"
        );
    }
    assert_eq!(existing(&store.db).await, vec!["invoices".to_string()]);
    let output = run(&store.url, &["load-data", "--adopt-database"]);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(count(&store.db, "event").await > 20);
    assert_eq!(count(&store.db, "invoices").await, 0);
}
