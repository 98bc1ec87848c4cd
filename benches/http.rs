//! The HTTP benchmark: starts the release server on a chosen database and dataset, drives it
//! over real HTTP with concurrent clients, and prints, per canonical query, the requests per
//! second, p50 and p99 latency, SQL statements per request and the server's peak memory
//! while that query ran. Requests vary (a random page cursor, a random node, a random filter
//! year) so that no cache answers them; `--fixed` sends one request per query instead. In the
//! same run it measures the static-JSON limit: an axum server on the same stack (this binary,
//! started again as a child, tokio multi-thread, mimalloc) answering the deep page's bytes
//! from memory, and prints the ratio to it. With `--postgraphile` (PostgreSQL only) it
//! measures PostGraphile v5 on the same database and prints the ratio.
//!
//! ```text
//! cargo bench --bench http -- --database sqlite --events 10000
//! cargo bench --bench http -- --database postgres --events 1000000 --postgraphile
//! cargo bench --bench http -- --database sqlite,postgres --events 10000,100000,1000000 --postgraphile
//! ```
//!
//! Options: `--database sqlite|postgres` or both, comma-separated, `--events N` or several
//! (each dataset generated once, then reused: SQLite in `target/bench/`, PostgreSQL as
//! database `scam_atlas_bench_N`), `--seconds S` per query (10),
//! `--clients C` (16), `--fixed`, `--server PATH` (another build of the server, for a
//! before/after comparison on the same data), `--postgraphile`, `--postgres-url URL`
//! (postgres://postgres@127.0.0.1:5432). Besides req/s it prints the server's CPU time per
//! request, which other load on the machine does not change. It ends with a summary of every
//! run, the tables the README's performance section shows.

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

#[derive(Clone)]
struct Options {
    /// The databases to run on, in order (`--database sqlite,postgres`).
    databases: Vec<String>,
    /// The dataset sizes to run at, in order (`--events 10000,100000,1000000`).
    sizes: Vec<usize>,
    seconds: u64,
    clients: usize,
    postgraphile: bool,
    postgres_url: String,
    /// One request per query, not varied.
    fixed: bool,
    /// The server binary (default: this build's `scam-atlas`), to compare builds.
    server: Option<PathBuf>,
}

fn options() -> Options {
    let mut o = Options {
        databases: vec!["sqlite".into()],
        sizes: vec![10_000],
        seconds: 10,
        clients: 16,
        postgraphile: false,
        postgres_url: "postgres://postgres@127.0.0.1:5432".into(),
        fixed: false,
        server: None,
    };
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let mut value = || args.next().unwrap_or_default();
        match arg.as_str() {
            "--database" => o.databases = value().split(',').map(str::to_owned).collect(),
            "--events" => {
                o.sizes = value()
                    .split(',')
                    .filter_map(|n| n.trim().replace('_', "").parse().ok())
                    .collect()
            }
            "--seconds" => o.seconds = value().parse().unwrap_or(o.seconds),
            "--clients" => o.clients = value().parse().unwrap_or(o.clients),
            "--postgraphile" => o.postgraphile = true,
            "--fixed" => o.fixed = true,
            "--server" => o.server = Some(PathBuf::from(value())),
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
    std::env::args()
        .skip_while(|a| a != "--server")
        .nth(1)
        .map_or_else(
            || PathBuf::from(env!("CARGO_BIN_EXE_scam-atlas")),
            PathBuf::from,
        )
}

/// CPU time a process has used so far (user and system), in milliseconds, from `/proc`:
/// what a request costs the server, whatever else the machine runs.
fn cpu_ms(pid: u32) -> f64 {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
    // Fields after the command (which may hold spaces) start after the last ')'.
    let fields: Vec<&str> = stat
        .rsplit_once(')')
        .map(|(_, rest)| rest.split_whitespace().collect())
        .unwrap_or_default();
    let ticks = |i: usize| {
        fields
            .get(i)
            .and_then(|t| t.parse::<f64>().ok())
            .unwrap_or(0.0)
    };
    // utime and stime are fields 14 and 15 of the line, 12 and 13 after the command.
    (ticks(11) + ticks(12)) * 1000.0 / 100.0
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
    post_raw(client, url, body.to_string()).await
}

async fn post_raw(client: &HttpClient, url: &str, body: String) -> Result<Value, String> {
    let request = hyper::Request::post(url)
        .header("content-type", "application/json")
        .header("accept", "application/json")
        .body(Full::new(Bytes::from(body)))
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
    requests: u64,
    rps: f64,
    p50: f64,
    p99: f64,
    errors: usize,
}

/// Drives `url` with `o.clients` clients for `o.seconds`, each request a body of `bodies`
/// picked at random.
async fn load(client: &HttpClient, url: &str, bodies: &[Value], o: &Options) -> Measured {
    let bodies: Arc<Vec<String>> = Arc::new(bodies.iter().map(Value::to_string).collect());
    let deadline = Instant::now() + Duration::from_secs(o.seconds);
    let errors = Arc::new(AtomicUsize::new(0));
    let mut tasks = Vec::new();
    for c in 0..o.clients {
        let (client, url, bodies, errors) = (
            client.clone(),
            url.to_string(),
            bodies.clone(),
            errors.clone(),
        );
        tasks.push(tokio::spawn(async move {
            let mut histogram = Histogram::<u64>::new(3).expect("a histogram");
            // xorshift: a different, repeatable sequence per client.
            let mut seed =
                0x9E37_79B9_7F4A_7C15u64 ^ (c as u64 + 1).wrapping_mul(0xBF58_476D_1CE4_E5B9);
            while Instant::now() < deadline {
                seed ^= seed << 13;
                seed ^= seed >> 7;
                seed ^= seed << 17;
                let body = &bodies[(seed % bodies.len() as u64) as usize];
                let t = Instant::now();
                match post_raw(&client, &url, body.clone()).await {
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
        requests: all.len(),
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

/// Cursors of `list` (a query with `$after` returning `pageInfo { endCursor }` at
/// `data.events`), walked `pages` times.
async fn cursors(client: &HttpClient, url: &str, list: &str, pages: usize) -> Vec<Value> {
    let mut out = vec![Value::Null];
    let mut after = Value::Null;
    for _ in 0..pages {
        let Ok(page) = post(
            client,
            url,
            &json!({ "query": list, "variables": { "after": after } }),
        )
        .await
        else {
            break;
        };
        let end = page["data"]["events"]["pageInfo"]["endCursor"].clone();
        if end.is_null() {
            break;
        }
        out.push(end.clone());
        after = end;
    }
    out
}

/// Request bodies for Scam Atlas, per query, with the variables taken from the data itself:
/// many per query (random cursors, nodes, years), or one with `--fixed`.
async fn scam_atlas_bodies(
    client: &HttpClient,
    url: &str,
    fixed: bool,
) -> Vec<(&'static str, Vec<Value>)> {
    let dir = root().join("benches/queries");
    // Cursors into the filtered list, every 20 events, 50 pages deep (the fixed body: the last).
    let walk = "query($after: String) { events(filter: { kinds: [ARREST], from: \"2015-01-01\", to: \"2024-12-31\" }, first: 20, after: $after) { pageInfo { endCursor } } }";
    let filtered = cursors(client, url, walk, 50).await;
    // Cursors of the unfiltered list, for the deep page: 200 pages of 20.
    let all =
        "query($after: String) { events(first: 20, after: $after) { pageInfo { endCursor } } }";
    let deep = if fixed {
        vec![Value::Null]
    } else {
        cursors(client, url, all, 200).await
    };
    let ids = post(
        client,
        url,
        &json!({ "query": "{ events(first: 100) { nodes { id } } }" }),
    )
    .await
    .expect("events");
    let ids: Vec<Value> = ids["data"]["events"]["nodes"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|n| n["id"].clone())
        .collect();
    QUERIES
        .iter()
        .map(|name| {
            let variables: Vec<Value> = match *name {
                "deep_page" => deep.iter().map(|a| json!({ "after": a })).collect(),
                "filtered_cursor" if fixed => {
                    vec![json!({ "after": filtered.last().cloned().unwrap_or(Value::Null) })]
                }
                "filtered_cursor" => filtered.iter().map(|a| json!({ "after": a })).collect(),
                "node" if fixed => {
                    vec![json!({ "id": ids.first().cloned().unwrap_or(Value::Null) })]
                }
                "node" => ids.iter().map(|id| json!({ "id": id })).collect(),
                _ => vec![json!({})],
            };
            let query = document(&dir, name);
            let bodies = variables
                .into_iter()
                .map(|v| json!({ "query": query, "variables": v }))
                .collect();
            (*name, bodies)
        })
        .collect()
}

/// SQL statements each body runs, counted in process with the same code over the same data.
async fn statements(database_url: &str, bodies: &[(&'static str, Vec<Value>)]) -> Vec<usize> {
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
    for (_, variants) in bodies {
        let Some(body) = variants.first() else {
            counts.push(0);
            continue;
        };
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

/// The environment variable that makes this binary the static-JSON server (see `static_json`).
const STATIC_BODY: &str = "SCAM_ATLAS_BENCH_STATIC_BODY";

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// The static-JSON limit: axum on tokio's multi-thread runtime (as the server runs), one route
/// answering `POST /graphql` with the bytes of a file, read once.
async fn static_json(file: String, listen: String) {
    let bytes = Bytes::from(std::fs::read(&file).expect("the body file"));
    let app = axum::Router::new().route(
        "/graphql",
        axum::routing::post(move || {
            let bytes = bytes.clone();
            async move {
                (
                    [(
                        axum::http::header::CONTENT_TYPE,
                        "application/json; charset=utf-8",
                    )],
                    bytes,
                )
            }
        }),
    );
    let listener = tokio::net::TcpListener::bind(&listen).await.expect("binds");
    axum::serve(listener, app).await.expect("serves");
}

/// Starts the static-JSON server answering `body`, measures it, and returns its req/s.
async fn static_limit(client: &HttpClient, body: &Value, o: &Options) -> (Measured, f64, f64) {
    let file = root().join("target/bench/static-body.json");
    std::fs::write(&file, body.to_string()).expect("writes the body");
    let port = free_port();
    let mut command = Command::new(std::env::current_exe().expect("this binary"));
    command
        .env(STATIC_BODY, &file)
        .env("LISTEN_ADDR", format!("127.0.0.1:{port}"));
    let (server, _) = start(
        command,
        format!("http://127.0.0.1:{port}/graphql"),
        client,
        &json!({}),
    )
    .await;
    let cpu = cpu_ms(server.child.id());
    let m = load(client, &server.url, &[json!({})], o).await;
    let cpu = (cpu_ms(server.child.id()) - cpu) / m.requests.max(1) as f64;
    let (_, peak) = memory(server.child.id());
    drop(server);
    (m, peak, cpu)
}

/// Resets a process's peak resident memory (VmHWM), so that the next peak is one query's.
fn reset_peak(pid: u32) {
    let _ = std::fs::write(format!("/proc/{pid}/clear_refs"), "5");
}

fn main() {
    if let Ok(file) = std::env::var(STATIC_BODY) {
        let listen = std::env::var("LISTEN_ADDR").unwrap_or_else(|_| "127.0.0.1:8001".into());
        tokio::runtime::Builder::new_multi_thread()
            .enable_all()
            .build()
            .expect("a runtime")
            .block_on(static_json(file, listen));
        return;
    }
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("a runtime")
        .block_on(bench());
}

/// What one (database, size) run measured, for the summary table at the end.
struct Run {
    database: String,
    events: usize,
    queries: Vec<QueryRun>,
    idle: f64,
    /// The static-JSON limit's req/s in the same run.
    limit: Option<f64>,
    /// PostGraphile's req/s per query on the same database, when it ran.
    postgraphile: Vec<(&'static str, f64)>,
}

/// What one query measured in a run.
struct QueryRun {
    name: &'static str,
    /// Under `--clients` clients.
    load: Measured,
    /// Server CPU ms per request.
    cpu: f64,
    statements: usize,
    /// Peak MB while it ran.
    peak: f64,
    /// p50 ms with one client alone.
    alone: f64,
}

impl Run {
    fn query(&self, name: &str) -> Option<&QueryRun> {
        self.queries.iter().find(|q| q.name == name)
    }

    fn rps(&self, name: &str) -> f64 {
        self.query(name).map_or(0.0, |q| q.load.rps)
    }
}

async fn bench() {
    let o = options();
    println!(
        "server: {}; load average at start: {}",
        server_binary().display(),
        std::fs::read_to_string("/proc/loadavg")
            .unwrap_or_default()
            .trim()
    );
    let client: HttpClient = Client::builder(TokioExecutor::new())
        .pool_max_idle_per_host(o.clients * 2)
        .build_http();
    let mut runs = Vec::new();
    for database in &o.databases {
        for &events in &o.sizes {
            runs.push(run(&o, &client, database, events).await);
        }
    }
    summary(&o, &runs);
}

/// Runs every query against Scam Atlas on `database` with `events` events, then the
/// static-JSON limit and (with `--postgraphile`, on PostgreSQL) PostGraphile.
async fn run(o: &Options, client: &HttpClient, database: &str, events: usize) -> Run {
    let database_url = common::prepare(database, events, &o.postgres_url);
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
        client,
        &probe,
    )
    .await;
    let pid = server.child.id();
    let (idle, _) = memory(pid);
    let bodies = scam_atlas_bodies(client, &server.url, o.fixed).await;
    let counts = statements(&database_url, &bodies).await;

    println!(
        "\nScam Atlas on {database} with {events} events: first answer {:.0} ms after start, idle {idle:.1} MB; {} clients, {} s per query\n",
        ready.as_secs_f64() * 1000.0,
        o.clients,
        o.seconds
    );
    println!(
        "| query | variants | req/s | p50 ms | p99 ms | server CPU ms/req | SQL statements | peak MB | errors |"
    );
    println!("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
    let mut queries = Vec::new();
    let mut overall: f64 = 0.0;
    for ((name, variants), statements) in bodies.iter().zip(&counts) {
        reset_peak(pid);
        let cpu = cpu_ms(pid);
        let m = load(client, &server.url, variants, o).await;
        let cpu = (cpu_ms(pid) - cpu) / m.requests.max(1) as f64;
        let (_, peak) = memory(pid);
        overall = overall.max(peak);
        println!(
            "| {name} | {} | {:.0} | {:.2} | {:.2} | {cpu:.2} | {statements} | {peak:.1} | {} |",
            variants.len(),
            m.rps,
            m.p50,
            m.p99,
            m.errors
        );
        queries.push(QueryRun {
            name,
            load: m,
            cpu,
            statements: *statements,
            peak,
            alone: 0.0,
        });
    }
    // One client alone, a second per query: the latency a single dashboard sees.
    let one = Options {
        clients: 1,
        seconds: 1,
        ..o.clone()
    };
    for (query, (_, variants)) in queries.iter_mut().zip(&bodies) {
        query.alone = load(client, &server.url, variants, &one).await.p50;
    }
    println!(
        "\none client alone, p50 ms: {}",
        queries
            .iter()
            .map(|q| format!("{} {:.1}", q.name, q.alone))
            .collect::<Vec<_>>()
            .join(", ")
    );
    let (rss, _) = memory(pid);
    println!("\nserver memory: {rss:.1} MB resident after the run, {overall:.1} MB peak");
    // The static-JSON limit, with the deep page's first answer as its bytes.
    let mut limit = None;
    if let Some((_, variants)) = bodies.iter().find(|(n, _)| *n == "deep_page")
        && let Some(first) = variants.first()
        && let Ok(answer) = post(client, &server.url, first).await
    {
        let (m, peak, cpu) = static_limit(client, &answer, o).await;
        let deep = queries
            .iter()
            .find(|q| q.name == "deep_page")
            .map_or(0.0, |q| q.load.rps);
        println!(
            "\nstatic-JSON limit (axum, the deep page's {} bytes from memory): {:.0} req/s, p50 {:.2} ms, \
             p99 {:.2} ms, {cpu:.3} server CPU ms/req, {peak:.1} MB peak; the deep page is {:.1} % of it",
            answer.to_string().len(),
            m.rps,
            m.p50,
            m.p99,
            percent(deep, m.rps)
        );
        limit = Some(m.rps);
    }
    drop(server);

    let mut theirs = Vec::new();
    if o.postgraphile && database == "postgres" {
        let ours: Vec<(&str, f64)> = queries.iter().map(|q| (q.name, q.load.rps)).collect();
        theirs = postgraphile(o, client, &database_url, &ours).await;
    }
    Run {
        database: database.to_owned(),
        events,
        queries,
        idle,
        limit,
        postgraphile: theirs,
    }
}

fn percent(part: f64, whole: f64) -> f64 {
    if whole > 0.0 {
        100.0 * part / whole
    } else {
        0.0
    }
}

/// The README's performance tables, from every run of this command: req/s per query and
/// configuration (with the ratio to PostGraphile), then p99, peak memory and the limits.
fn summary(o: &Options, runs: &[Run]) {
    let cpu = std::fs::read_to_string("/proc/cpuinfo")
        .unwrap_or_default()
        .lines()
        .find(|l| l.starts_with("model name"))
        .and_then(|l| l.split_once(':'))
        .map(|(_, m)| m.trim().to_owned())
        .unwrap_or_default();
    let cores = std::thread::available_parallelism().map_or(0, |n| n.get());
    println!(
        "\n## Summary ({cores} cores, {cpu}; {} clients, {} s per query; load average at the end: {})\n",
        o.clients,
        o.seconds,
        std::fs::read_to_string("/proc/loadavg")
            .unwrap_or_default()
            .trim()
    );
    let label = |r: &Run| {
        let db = if r.database == "postgres" {
            "PostgreSQL"
        } else {
            "SQLite"
        };
        match r.events {
            n if n >= 1_000_000 && n % 1_000_000 == 0 => format!("{db} {}M", n / 1_000_000),
            n if n >= 1_000 && n % 1_000 == 0 => format!("{db} {}k", n / 1_000),
            n => format!("{db} {n}"),
        }
    };
    let header = |what: &str| {
        let names: Vec<String> = runs.iter().map(label).collect();
        println!("| {what} | {} |", names.join(" | "));
        println!("| --- |{}", " ---: |".repeat(runs.len()));
    };
    let row = |name: &str, cell: &dyn Fn(&Run) -> String| {
        let cells: Vec<String> = runs.iter().map(cell).collect();
        println!("| {name} | {} |", cells.join(" | "));
    };
    header("req/s (× PostGraphile)");
    for name in QUERIES {
        row(name, &|r| match r.query(name).map(|q| &q.load) {
            Some(m) => match r.postgraphile.iter().find(|p| p.0 == *name) {
                Some((_, theirs)) if *theirs > 0.0 => {
                    format!("{:.0} ({:.1}×)", m.rps, m.rps / theirs)
                }
                _ => format!("{:.0}", m.rps),
            },
            None => "‑".into(),
        });
    }
    row("static-JSON limit", &|r| {
        r.limit.map_or("‑".into(), |l| format!("{l:.0}"))
    });
    row("deep page ÷ limit", &|r| {
        r.limit.map_or("‑".into(), |l| {
            format!("{:.1} %", percent(r.rps("deep_page"), l))
        })
    });
    println!();
    header("p50 / p99 ms under load; p50 ms alone");
    for name in QUERIES {
        row(name, &|r| {
            r.query(name).map_or("‑".into(), |q| {
                format!("{:.1} / {:.1}; {:.1}", q.load.p50, q.load.p99, q.alone)
            })
        });
    }
    println!();
    header("server CPU ms/req · SQL statements · peak MB");
    for name in QUERIES {
        row(name, &|r| {
            r.query(name).map_or("‑".into(), |q| {
                format!("{:.2} · {} · {:.0}", q.cpu, q.statements, q.peak)
            })
        });
    }
    row("idle MB", &|r| format!("{:.0}", r.idle));
}

/// PostGraphile v5 on the same database: the same five queries, in its dialect.
async fn postgraphile(
    o: &Options,
    client: &HttpClient,
    database_url: &str,
    ours: &[(&'static str, f64)],
) -> Vec<(&'static str, f64)> {
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
    let mut theirs = Vec::new();
    for (name, rps) in ours {
        let body = json!({ "query": document(&queries, name), "variables": variables.get(*name).cloned().unwrap_or(json!({})) });
        let m = load(client, &server.url, std::slice::from_ref(&body), o).await;
        let ratio = if m.rps > 0.0 {
            format!("{:.1}×", rps / m.rps)
        } else {
            "n/a".into()
        };
        println!(
            "| {name} | {:.0} | {:.2} | {:.2} | {} | {ratio} |",
            m.rps, m.p50, m.p99, m.errors
        );
        theirs.push((*name, m.rps));
    }
    drop(server);
    theirs
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
