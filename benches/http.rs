//! The HTTP benchmark: starts the release server on a chosen database and dataset, drives it
//! over real HTTP with concurrent clients, and prints, per canonical query, the requests per
//! second, p50 and p99 latency, SQL statements per request and the server's memory. With
//! `--postgraphile` (PostgreSQL only) it measures PostGraphile v5 on the same database in the
//! same run and prints the ratio.
//!
//! ```text
//! cargo bench --bench http -- --database sqlite --events 10000
//! cargo bench --bench http -- --database postgres --events 1000000 --postgraphile
//! ```
//!
//! Options: `--database sqlite|postgres`, `--events N` (generated once, then reused: SQLite in
//! `target/bench/`, PostgreSQL as database `scam_atlas_bench_N`), `--seconds S` per query (10),
//! `--clients C` (16), `--postgraphile`, `--postgres-url URL` (postgres://postgres@127.0.0.1:5432).

mod common;

use hdrhistogram::Histogram;
use http_body_util::{BodyExt, Full};
use hyper::body::Bytes;
use hyper_util::client::legacy::Client;
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::rt::TokioExecutor;
use serde_json::{Value, json};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

const QUERIES: &[&str] = &[
    "deep_page",
    "filtered_cursor",
    "node",
    "participant_totals",
    "flow_matrix",
];

struct Options {
    database: String,
    events: usize,
    seconds: u64,
    clients: usize,
    postgraphile: bool,
    postgres_url: String,
}

fn options() -> Options {
    let mut o = Options {
        database: "sqlite".into(),
        events: 10_000,
        seconds: 10,
        clients: 16,
        postgraphile: false,
        postgres_url: "postgres://postgres@127.0.0.1:5432".into(),
    };
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let mut value = || args.next().unwrap_or_default();
        match arg.as_str() {
            "--database" => o.database = value(),
            "--events" => o.events = value().parse().unwrap_or(o.events),
            "--seconds" => o.seconds = value().parse().unwrap_or(o.seconds),
            "--clients" => o.clients = value().parse().unwrap_or(o.clients),
            "--postgraphile" => o.postgraphile = true,
            "--postgres-url" => o.postgres_url = value(),
            _ => {} // cargo bench passes `--bench`
        }
    }
    o
}

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn server_binary() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_scam-atlas"))
}

/// The database URL for the dataset, generating it first when it does not exist yet.
fn prepare(o: &Options) -> String {
    common::prepare(&o.database, o.events, &o.postgres_url)
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port")
}

use common::memory;

struct Server {
    child: Child,
    url: String,
}

impl Drop for Server {
    fn drop(&mut self) {
        // Kill the process group: serve.sh starts node as a child.
        let _ = Command::new("kill")
            .args(["--", &format!("-{}", self.child.id())])
            .status();
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

type HttpClient = Client<HttpConnector, Full<Bytes>>;

async fn post(client: &HttpClient, url: &str, body: &Value) -> Result<Value, String> {
    let request = hyper::Request::post(url)
        .header("content-type", "application/json")
        .header("accept", "application/json")
        .body(Full::new(Bytes::from(body.to_string())))
        .map_err(|e| e.to_string())?;
    let response = client.request(request).await.map_err(|e| e.to_string())?;
    let status = response.status();
    let bytes = response
        .into_body()
        .collect()
        .await
        .map_err(|e| e.to_string())?
        .to_bytes();
    let value: Value = serde_json::from_slice(&bytes).map_err(|e| format!("{status}: {e}"))?;
    if !status.is_success() || value.get("errors").is_some() {
        return Err(format!(
            "{status}: {}",
            value.to_string().chars().take(300).collect::<String>()
        ));
    }
    Ok(value)
}

/// Starts a server process and waits until `probe` answers; returns it and the time to answer.
async fn start(
    mut command: Command,
    url: String,
    client: &HttpClient,
    probe: &Value,
) -> (Server, Duration) {
    use std::os::unix::process::CommandExt;
    command
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .process_group(0);
    let started = Instant::now();
    let child = command.spawn().expect("the server starts");
    let server = Server { child, url };
    loop {
        if post(client, &server.url, probe).await.is_ok() {
            return (server, started.elapsed());
        }
        assert!(
            started.elapsed() < Duration::from_secs(120),
            "the server did not answer within 120 s"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

struct Measured {
    rps: f64,
    p50: f64,
    p99: f64,
    errors: usize,
}

async fn load(client: &HttpClient, url: &str, body: &Value, o: &Options) -> Measured {
    let deadline = Instant::now() + Duration::from_secs(o.seconds);
    let errors = Arc::new(AtomicUsize::new(0));
    let mut tasks = Vec::new();
    for _ in 0..o.clients {
        let (client, url, body, errors) = (
            client.clone(),
            url.to_string(),
            body.clone(),
            errors.clone(),
        );
        tasks.push(tokio::spawn(async move {
            let mut histogram = Histogram::<u64>::new(3).expect("a histogram");
            while Instant::now() < deadline {
                let t = Instant::now();
                match post(&client, &url, &body).await {
                    Ok(_) => {
                        let _ = histogram.record(t.elapsed().as_micros() as u64);
                    }
                    Err(e) => {
                        if errors.fetch_add(1, Ordering::SeqCst) == 0 {
                            eprintln!("error: {e}");
                        }
                    }
                }
            }
            histogram
        }));
    }
    let mut all = Histogram::<u64>::new(3).expect("a histogram");
    for task in tasks {
        if let Ok(h) = task.await {
            let _ = all.add(h);
        }
    }
    Measured {
        rps: all.len() as f64 / o.seconds as f64,
        p50: all.value_at_quantile(0.5) as f64 / 1000.0,
        p99: all.value_at_quantile(0.99) as f64 / 1000.0,
        errors: errors.load(Ordering::SeqCst),
    }
}

fn document(dir: &Path, name: &str) -> String {
    std::fs::read_to_string(dir.join(format!("{name}.graphql")))
        .unwrap_or_else(|e| panic!("{}: {e}", dir.join(name).display()))
}

/// Request bodies for Scam Atlas, with the variables taken from the data itself.
async fn scam_atlas_bodies(client: &HttpClient, url: &str) -> Vec<(&'static str, Value)> {
    let dir = root().join("benches/queries");
    // A cursor 50 pages (of 20) into the filtered list, walked 100 at a time.
    let walk = "query($after: String) { events(filter: { kinds: [ARREST], from: \"2015-01-01\", to: \"2024-12-31\" }, first: 100, after: $after) { pageInfo { endCursor } } }";
    let mut after = Value::Null;
    for _ in 0..10 {
        let page = post(
            client,
            url,
            &json!({ "query": walk, "variables": { "after": after } }),
        )
        .await
        .expect("a page");
        let end = page["data"]["events"]["pageInfo"]["endCursor"].clone();
        if end.is_null() {
            break;
        }
        after = end;
    }
    let first = post(
        client,
        url,
        &json!({ "query": "{ events(first: 1) { nodes { id } } }" }),
    )
    .await
    .expect("an event");
    let id = first["data"]["events"]["nodes"][0]["id"].clone();
    QUERIES
        .iter()
        .map(|name| {
            let variables = match *name {
                "filtered_cursor" => json!({ "after": after }),
                "node" => json!({ "id": id }),
                _ => json!({}),
            };
            (
                *name,
                json!({ "query": document(&dir, name), "variables": variables }),
            )
        })
        .collect()
}

/// SQL statements each body runs, counted in process with the same code over the same data.
async fn statements(database_url: &str, bodies: &[(&'static str, Value)]) -> Vec<usize> {
    use tower::ServiceExt;
    let mut db = scam_atlas::db::connect(database_url)
        .await
        .expect("the database opens");
    let counter = Arc::new(AtomicUsize::new(0));
    let seen = counter.clone();
    let show = std::env::var_os("BENCH_SHOW_SQL").is_some();
    db.set_metric_callback(move |info| {
        seen.fetch_add(1, Ordering::SeqCst);
        if show {
            eprintln!(
                "{:>8.2} ms  {}",
                info.elapsed.as_secs_f64() * 1000.0,
                info.statement
            );
        }
    });
    let app = scam_atlas::app::router(scam_atlas::app::AppState::new(db));
    let mut counts = Vec::new();
    for (_, body) in bodies {
        counter.store(0, Ordering::SeqCst);
        let request = axum::http::Request::post("/graphql")
            .header("content-type", "application/json")
            .body(axum::body::Body::from(body.to_string()))
            .expect("a request");
        let _ = app.clone().oneshot(request).await;
        counts.push(counter.load(Ordering::SeqCst));
    }
    counts
}

#[tokio::main]
async fn main() {
    let o = options();
    let client: HttpClient = Client::builder(TokioExecutor::new())
        .pool_max_idle_per_host(o.clients * 2)
        .build_http();
    let database_url = prepare(&o);
    let port = free_port();
    let mut command = Command::new(server_binary());
    command.args([
        "--database-url",
        &database_url,
        "--listen",
        &format!("127.0.0.1:{port}"),
        "--open-browser",
        "false",
    ]);
    command.env("RUST_LOG", "warn");
    if let Ok(n) = std::env::var("DB_CONNECTIONS") {
        command.env("DB_CONNECTIONS", n);
    }
    let probe = json!({ "query": "{ __typename }" });
    let (server, ready) = start(
        command,
        format!("http://127.0.0.1:{port}/graphql"),
        &client,
        &probe,
    )
    .await;
    let pid = server.child.id();
    let (idle, _) = memory(pid);
    let bodies = scam_atlas_bodies(&client, &server.url).await;
    let counts = statements(&database_url, &bodies).await;

    println!(
        "\nScam Atlas on {} with {} events: first answer {:.0} ms after start, idle {:.1} MB; {} clients, {} s per query\n",
        o.database,
        o.events,
        ready.as_secs_f64() * 1000.0,
        idle,
        o.clients,
        o.seconds
    );
    println!("| query | req/s | p50 ms | p99 ms | SQL statements | errors |");
    println!("| --- | ---: | ---: | ---: | ---: | ---: |");
    let mut ours = Vec::new();
    for ((name, body), statements) in bodies.iter().zip(&counts) {
        let m = load(&client, &server.url, body, &o).await;
        println!(
            "| {name} | {:.0} | {:.2} | {:.2} | {statements} | {} |",
            m.rps, m.p50, m.p99, m.errors
        );
        ours.push((*name, m.rps));
    }
    let (rss, peak) = memory(pid);
    println!("\nserver memory: {rss:.1} MB resident after the run, {peak:.1} MB peak");
    drop(server);

    if o.postgraphile {
        assert_eq!(
            o.database, "postgres",
            "--postgraphile needs --database postgres"
        );
        postgraphile(&o, &client, &database_url, &ours).await;
    }
}

/// PostGraphile v5 on the same database: the same five queries, in its dialect.
async fn postgraphile(o: &Options, client: &HttpClient, database_url: &str, ours: &[(&str, f64)]) {
    let dir = root().join("benches/postgraphile");
    let port = free_port();
    let mut command = Command::new(dir.join("serve.sh"));
    command
        .current_dir(&dir)
        .env("DATABASE_URL", database_url)
        .env("PORT", port.to_string());
    let probe = json!({ "query": "{ __typename }" });
    let (server, ready) = start(
        command,
        format!("http://127.0.0.1:{port}/graphql"),
        client,
        &probe,
    )
    .await;
    let queries = dir.join("queries");
    let variables = postgraphile_variables(client, &server.url, &queries).await;
    println!(
        "\nPostGraphile v5 on the same database: first answer {:.0} ms after start\n",
        ready.as_secs_f64() * 1000.0
    );
    println!("| query | req/s | p50 ms | p99 ms | errors | Scam Atlas ÷ PostGraphile |");
    println!("| --- | ---: | ---: | ---: | ---: | ---: |");
    for (name, rps) in ours {
        let body = json!({ "query": document(&queries, name), "variables": variables.get(*name).cloned().unwrap_or(json!({})) });
        let m = load(client, &server.url, &body, o).await;
        let ratio = if m.rps > 0.0 {
            format!("{:.1}×", rps / m.rps)
        } else {
            "n/a".into()
        };
        println!(
            "| {name} | {:.0} | {:.2} | {:.2} | {} | {ratio} |",
            m.rps, m.p50, m.p99, m.errors
        );
    }
    drop(server);
}

/// Variables for PostGraphile's queries: a node ID and a cursor 50 pages in, asked of it with
/// the `setup` documents beside the queries (`<name>.setup.graphql` returns `{ "variables" }`
/// shaped data: see benches/postgraphile/README.md).
async fn postgraphile_variables(
    client: &HttpClient,
    url: &str,
    dir: &Path,
) -> serde_json::Map<String, Value> {
    let mut out = serde_json::Map::new();
    for name in QUERIES {
        let setup = dir.join(format!("{name}.setup.graphql"));
        if let Ok(query) = std::fs::read_to_string(&setup) {
            let mut variables = json!({});
            // A setup document may need to page: it is run until it yields no new cursor, at
            // most 10 times, feeding its own output back as variables.
            for _ in 0..10 {
                let Ok(answer) = post(
                    client,
                    url,
                    &json!({ "query": query, "variables": variables }),
                )
                .await
                else {
                    break;
                };
                let next = extract(&answer["data"]);
                if next == variables {
                    break;
                }
                variables = next;
            }
            out.insert(name.to_string(), variables);
        }
    }
    out
}

/// The fields of a setup answer aliased `var_<name>` anywhere in it, as variables.
fn extract(data: &Value) -> Value {
    fn walk(v: &Value, out: &mut serde_json::Map<String, Value>) {
        match v {
            Value::Object(map) => {
                for (k, v) in map {
                    if let Some(name) = k.strip_prefix("var_") {
                        out.insert(name.to_string(), v.clone());
                    } else {
                        walk(v, out);
                    }
                }
            }
            Value::Array(items) => items.iter().for_each(|i| walk(i, out)),
            _ => {}
        }
    }
    let mut out = serde_json::Map::new();
    walk(data, &mut out);
    Value::Object(out)
}
