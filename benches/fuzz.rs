//! The fuzz suite (issue 9): starts the release server on a database of its own, runs every
//! reproduction of issue 9 as a regression case, attacks the transport, then sends random
//! schema-aware documents from C clients for the rest of the time, while `/health` is probed
//! and the process watched (crash, RSS). Prints figures and findings; exits non-zero on any.
//!
//! ```text
//! cargo bench --bench fuzz -- --database sqlite --seconds 60
//! cargo bench --bench fuzz -- --database postgres --requests 100000 --seed 7
//! ```
//!
//! Options: `--database sqlite|postgres`, `--seconds S` (60: the whole run, start-up aside;
//! the random phase gets what the fixed phases leave, at least a quarter of it), `--requests N`
//! (stop the random phase after N documents), `--seed N` (1), `--clients C` (8),
//! `--postgres-url URL` (postgres://postgres@127.0.0.1:5432; a database is created for the run
//! and dropped after), `--deadline-ms` (15000, per response), `--max-rss-mb` (1024),
//! `--max-response-mb` (16), `--health-p99-ms` (1000), `--show N` (print the seed's first N
//! documents and exit). Full requests of the findings are
//! written to `target/fuzz/<database>/`.

#[path = "fuzz/cases.rs"]
mod cases;
#[path = "fuzz/check.rs"]
mod check;
#[path = "fuzz/client.rs"]
mod client;
#[path = "fuzz/documents.rs"]
mod documents;
#[path = "fuzz/record.rs"]
mod record;
#[path = "fuzz/schema.rs"]
mod schema;
#[path = "fuzz/server.rs"]
mod server;
#[path = "fuzz/transport.rs"]
mod transport;
#[path = "fuzz/values.rs"]
mod values;

use check::{Expect, Sent};
use client::{HttpClient, Req, send};
use record::Recorder;
use serde_json::{Value, json};
use server::Supervisor;
use std::path::Path;
use std::process::ExitCode;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::{Duration, Instant};
use values::Pools;

struct Options {
    database: String,
    seconds: u64,
    requests: Option<usize>,
    seed: u64,
    clients: usize,
    postgres_url: String,
    deadline: Duration,
    max_rss_mb: f64,
    max_response: usize,
    health_p99_ms: f64,
    show: usize,
}

fn options() -> Options {
    let mut o = Options {
        database: "sqlite".into(),
        seconds: 60,
        requests: None,
        seed: 1,
        clients: 8,
        postgres_url: "postgres://postgres@127.0.0.1:5432".into(),
        deadline: Duration::from_millis(15_000),
        max_rss_mb: 1024.0,
        max_response: 16 << 20,
        health_p99_ms: 1000.0,
        show: 0,
    };
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let mut value = || args.next().unwrap_or_default();
        match arg.as_str() {
            "--database" => o.database = value(),
            "--seconds" => o.seconds = value().parse().unwrap_or(o.seconds),
            "--requests" => o.requests = value().parse().ok(),
            "--seed" => o.seed = value().parse().unwrap_or(o.seed),
            "--clients" => o.clients = value().parse().unwrap_or(o.clients).max(1),
            "--postgres-url" => o.postgres_url = value(),
            "--deadline-ms" => {
                o.deadline = value()
                    .parse()
                    .map(Duration::from_millis)
                    .unwrap_or(o.deadline)
            }
            "--max-rss-mb" => o.max_rss_mb = value().parse().unwrap_or(o.max_rss_mb),
            "--max-response-mb" => {
                o.max_response = value()
                    .parse::<usize>()
                    .map_or(o.max_response, |mb| mb << 20)
            }
            "--health-p99-ms" => o.health_p99_ms = value().parse().unwrap_or(o.health_p99_ms),
            "--show" => o.show = value().parse().unwrap_or(0),
            _ => {} // cargo bench passes `--bench`
        }
    }
    assert!(
        o.database == "sqlite" || o.database == "postgres",
        "--database is sqlite or postgres"
    );
    o
}

/// Real IDs, cursors, title words and country codes, for documents that get past validation.
async fn pools(client: &HttpClient, server: &Supervisor, deadline: Duration) -> Pools {
    let mut pools = Pools::default();
    let queries = [
        "{ events(first: 40) { edges { cursor node { id title } } } }",
        "{ events(first: 5, orderBy: { field: PEOPLE_COUNT }) { edges { cursor node { id } } } }",
        "{ countries { id code } }",
        "{ agencies(first: 10) { edges { cursor node { id name } } } }",
        "{ people(first: 10) { edges { cursor node { id name } } } }",
        "{ locations(first: 10) { edges { cursor node { id name } } } }",
        "{ sources(first: 10) { edges { cursor node { id } } } }",
        "{ deportationFlows(first: 10) { edges { cursor node { id } } } }",
        "{ statistics(first: 10) { edges { cursor node { id } } } }",
    ];
    for query in queries {
        let Ok(reply) = server
            .send(client, &Req::graphql(&json!({ "query": query })), deadline)
            .await
        else {
            continue;
        };
        let value: Value = serde_json::from_slice(&reply.body).unwrap_or_default();
        collect(&value, &mut pools);
    }
    pools.words.sort();
    pools.words.dedup();
    pools
}

fn collect(value: &Value, pools: &mut Pools) {
    match value {
        Value::Object(map) => {
            for (key, v) in map {
                match (key.as_str(), v) {
                    ("id", Value::String(s)) => pools.ids.push(s.clone()),
                    ("cursor", Value::String(s)) => pools.cursors.push(s.clone()),
                    ("code", Value::String(s)) => pools.countries.push(s.clone()),
                    ("title" | "name", Value::String(s)) => pools.words.extend(
                        s.split_whitespace()
                            .map(|w| w.trim_matches(|c: char| !c.is_alphanumeric()).to_string())
                            .filter(|w| w.len() > 2),
                    ),
                    _ => collect(v, pools),
                }
            }
        }
        Value::Array(items) => items.iter().for_each(|v| collect(v, pools)),
        _ => {}
    }
}

/// One random document as a request: mostly POST, sometimes GET, with either media type.
fn request(doc: &documents::Doc, rng: &mut fastrand::Rng) -> Req {
    let mut body = json!({ "query": doc.query, "variables": doc.variables });
    if let Some(name) = &doc.operation_name {
        body["operationName"] = json!(name);
    }
    let mut query = form_urlencoded::Serializer::new(String::new());
    query.append_pair("query", &doc.query);
    if !doc.variables.is_empty() {
        query.append_pair(
            "variables",
            &Value::Object(doc.variables.clone()).to_string(),
        );
    }
    if let Some(name) = &doc.operation_name {
        query.append_pair("operationName", name);
    }
    let query = query.finish();
    // GET for one in ten that fit a URL (hyper's client refuses longer ones itself).
    let mut req = if query.len() < 8_000 && rng.u8(..10) == 0 {
        Req::get(format!("/graphql?{query}"))
    } else {
        Req::graphql(&body)
    };
    if rng.u8(..3) == 0 {
        req.headers
            .push(("accept", "application/graphql-response+json".into()));
    }
    req
}

fn schema() -> schema::Schema {
    let sdl = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("schema.graphql"))
        .expect("schema.graphql at the repository root");
    schema::Schema::parse(&sdl)
}

/// `--show N`: the first N documents of client 0 for the seed, without a server (so without
/// real IDs and cursors), to see what the generator writes.
fn show(o: &Options) {
    let (schema, pools) = (schema(), Pools::default());
    let mut generator = documents::Generator::new(&schema, &pools, o.seed.wrapping_mul(1_000_003));
    for _ in 0..o.show {
        let doc = generator.document();
        println!(
            "# {}\n{}\n{}\n",
            doc.kind,
            doc.query,
            Value::Object(doc.variables)
        );
    }
}

/// C clients sending random documents until the time is up or N have been sent.
async fn random(
    o: &Options,
    recorder: &Recorder,
    server: &Supervisor,
    client: &HttpClient,
    pools: &Pools,
    until: Instant,
) {
    let schema = schema();
    let sent = AtomicUsize::new(0);
    let limit = o.requests.unwrap_or(usize::MAX);
    let clients = (0..o.clients).map(|c| {
        let (schema, sent) = (&schema, &sent);
        async move {
            let seed = o.seed.wrapping_mul(1_000_003).wrapping_add(c as u64);
            let mut generator = documents::Generator::new(schema, pools, seed);
            let mut rng = fastrand::Rng::with_seed(seed ^ 0x5eed);
            while Instant::now() < until && sent.fetch_add(1, Ordering::Relaxed) < limit {
                let doc = generator.document();
                let req = request(&doc, &mut rng);
                let repro = format!("seed {seed}: {}", req.repro());
                let _guard = recorder.start(&repro);
                let outcome = server.send(client, &req, recorder.deadline).await;
                let category = format!("random/{}", doc.kind);
                let check = Sent {
                    category: &category,
                    name: "",
                    repro: &repro,
                    expect: Expect::NoFault,
                    json: true,
                    allow_503: false,
                    max_body: o.max_response,
                };
                recorder.check(&check, outcome);
            }
        }
    });
    futures_util::future::join_all(clients).await;
}

#[tokio::main]
async fn main() -> ExitCode {
    let o = options();
    if o.show > 0 {
        show(&o);
        return ExitCode::SUCCESS;
    }
    let client = client::client(o.clients * 2);
    let database = server::Database::create(&o.database, &o.postgres_url, o.seed);
    let server = Supervisor::start(&database, o.max_rss_mb, &client).await;
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("target/fuzz")
        .join(&o.database);
    let recorder = Arc::new(Recorder::new(o.deadline, dir.clone()));
    let started = Instant::now();
    let done = Arc::new(AtomicBool::new(false));

    // The watcher: crashes and RSS, every 25 ms.
    let watcher = {
        let (recorder, server, client, done) = (
            recorder.clone(),
            server.clone(),
            client.clone(),
            done.clone(),
        );
        tokio::spawn(async move {
            while !done.load(Ordering::Relaxed) {
                server.watch(&recorder, &client).await;
                tokio::time::sleep(Duration::from_millis(25)).await;
            }
        })
    };
    // `/health` every 100 ms, on its own connection pool, whatever else is running.
    let health = {
        let (recorder, server, done) = (recorder.clone(), server.clone(), done.clone());
        tokio::spawn(async move {
            let client = client::client(2);
            while !done.load(Ordering::Relaxed) {
                let outcome = send(
                    &client,
                    &server.base(),
                    &Req::get("/health"),
                    recorder.deadline,
                )
                .await;
                recorder.health(outcome);
                tokio::time::sleep(Duration::from_millis(100)).await;
            }
        })
    };

    let pools = pools(&client, &server, o.deadline).await;
    println!(
        "fuzzing Scam Atlas on {} (seed {}, {} clients, deadline {} ms): {} IDs, {} cursors, {} words",
        o.database,
        o.seed,
        o.clients,
        o.deadline.as_millis(),
        pools.ids.len(),
        pools.cursors.len(),
        pools.words.len()
    );
    let phase = |name: &str| {
        recorder.set_phase(name);
        println!("{:>6.1} s  {name}", started.elapsed().as_secs_f64());
    };
    phase("regression cases");
    cases::run(&recorder, &server, &client, &pools, o.max_response).await;
    phase("transport attacks");
    transport::run(&recorder, &server, &client).await;
    let budget = Duration::from_secs(o.seconds);
    let left = budget.saturating_sub(started.elapsed()).max(budget / 4);
    phase("random documents");
    random(
        &o,
        &recorder,
        &server,
        &client,
        &pools,
        Instant::now() + left,
    )
    .await;
    phase("done");

    done.store(true, Ordering::Relaxed);
    let _ = health.await;
    let _ = watcher.await;
    server.watch(&recorder, &client).await;
    for line in server.logged_errors() {
        // The timestamp differs line to line; the rest says what it was.
        let text = line.split_once(' ').map_or(line.as_str(), |(_, rest)| rest);
        recorder.finding(
            &format!("the server logged: {}", record::short(text, 140)),
            &line,
        );
    }
    let health_p99 = recorder.health_p99();
    if health_p99 > o.health_p99_ms {
        recorder.finding(
            &format!(
                "/health p99 {health_p99:.0} ms in some phase (bound {:.0} ms)",
                o.health_p99_ms
            ),
            "GET /health every 100 ms throughout",
        );
    }
    server.stop();
    recorder.print();
    println!(
        "\nserver: peak RSS {:.1} MB (bound {:.0} MB), restarts after crashes or the RSS bound: {}; run took {:.1} s",
        server.peak_rss(),
        o.max_rss_mb,
        server.restarts(),
        started.elapsed().as_secs_f64()
    );
    drop(database);
    if recorder.has_findings() {
        println!("full requests of the findings: {}", dir.display());
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}
