//! No single request may crash, starve or exhaust the server: each reproduction of the
//! hardening issue, as a test over real HTTP (and real sockets for the transport).

use crate::helpers::{Backend, TestApp};
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use scam_atlas::app::{AppState, router};
use scam_atlas::graphql::limits::Deadline;
use scam_atlas::transport::Settings;
use serde_json::{Value, json};
use std::io::{Read, Write};
use std::time::{Duration, Instant};
use tower::ServiceExt;

both!(
    long_searches_are_refused_and_wildcards_are_literal,
    client_mistakes_are_coded_never_internal,
    errors_never_multiply_the_input,
    a_request_past_its_deadline_is_stopped
);

fn code(body: &Value) -> &str {
    body["errors"][0]["extensions"]["code"]
        .as_str()
        .unwrap_or("none")
}

async fn client_mistakes_are_coded_never_internal(backend: Backend) {
    let app = TestApp::fixture(backend, "rules").await;
    for (query, variables, expected) in [
        // Input coercion that async-graphql leaves to execution.
        (
            "{ events(filter: { from: 20250101 }) { totalCount } }",
            json!({}),
            "BAD_USER_INPUT",
        ),
        (
            "{ events(orderBy: [{ field: DATE }]) { totalCount } }",
            json!({}),
            "BAD_USER_INPUT",
        ),
        (
            "query($d: Date) { events(filter: { from: $d }) { totalCount } }",
            json!({ "d": 5 }),
            "BAD_USER_INPUT",
        ),
        // Variables: required ones must be given, undefined ones are refused.
        (
            "query($v: Boolean!) { countries @include(if: $v) { code } }",
            json!({}),
            "BAD_USER_INPUT",
        ),
        (
            "query($n: Int!) { events(first: $n) { totalCount } }",
            json!({ "n": null }),
            "BAD_USER_INPUT",
        ),
        (
            "{ events(filter: { search: $s }) { totalCount } }",
            json!({}),
            "GRAPHQL_VALIDATION_FAILED",
        ),
        // NUL bytes, which PostgreSQL refuses in text.
        (
            "query($s: String) { events(filter: { search: $s }) { totalCount } }",
            json!({ "s": "a\u{0}b" }),
            "BAD_USER_INPUT",
        ),
        (
            "{ people(filter: { search: \"a\\u0000b\" }) { totalCount } }",
            json!({}),
            "BAD_USER_INPUT",
        ),
        ("mutation { x }", json!({}), "GRAPHQL_VALIDATION_FAILED"),
    ] {
        let (status, body) = app.graphql(query, variables).await;
        assert_eq!(code(&body), expected, "{backend:?} {query}: {body}");
        assert_ne!(status, StatusCode::INTERNAL_SERVER_ERROR);
        let errors = body["errors"].as_array().map_or(0, Vec::len);
        assert_eq!(errors, 1, "one error, not the same one twice: {body}");
    }
    // A request error is a 400 with no `data` for the GraphQL response media type.
    let (status, body) = app
        .graphql(
            "query($v: Boolean!) { countries @include(if: $v) { code } }",
            json!({}),
        )
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(body.get("data").is_none(), "{body}");
}

async fn long_searches_are_refused_and_wildcards_are_literal(backend: Backend) {
    let app = TestApp::fixture(backend, "rules").await;
    // 15,000 words once overflowed the stack; 60,000 characters in one word were too complex
    // a pattern for SQLite. Both are refused before any SQL is built.
    for search in ["a ".repeat(15_000), "a".repeat(60_000), "w ".repeat(17)] {
        for root in [
            "events",
            "people",
            "agencies",
            "locations",
            "sources",
            "statistics",
        ] {
            let query = format!(
                "query($s: String) {{ {root}(filter: {{ search: $s }}) {{ totalCount }} }}"
            );
            let (status, body) = app.graphql(&query, json!({ "s": search })).await;
            assert_eq!(status, StatusCode::OK);
            assert_eq!(code(&body), "BAD_USER_INPUT", "{root}: {body}");
            let message = body["errors"][0]["message"].as_str().unwrap_or_default();
            assert!(message.contains("16 words"), "{message}");
        }
    }
    // Sixteen words are fine.
    app.data(
        "{ events(filter: { search: \"a b c d e f g h i j k l m n o p\" }) { totalCount } }",
        json!({}),
    )
    .await;
    // `%`, `_` and `\` are literal characters, not wildcards, in every search.
    for search in ["%", "_", "%%", "_%_", "\\"] {
        for root in ["events", "people"] {
            let query = format!(
                "query($s: String) {{ {root}(filter: {{ search: $s }}) {{ totalCount }} }}"
            );
            let data = app.data(&query, json!({ "s": search })).await;
            assert_eq!(data[root]["totalCount"], 0, "{root} {search:?}");
        }
    }
    // Dates are exactly YYYY-MM-DD, as variables and as literals.
    for date in ["2025-1-1", " 2025-01-01", "+99999-01-01", "0000-01-01"] {
        let query = "query($d: Date) { events(filter: { from: $d }) { totalCount } }";
        let (_, body) = app.graphql(query, json!({ "d": date })).await;
        assert_eq!(code(&body), "BAD_USER_INPUT", "{date:?}: {body}");
        let literal = format!("{{ events(filter: {{ from: \"{date}\" }}) {{ totalCount }} }}");
        let (_, body) = app.graphql(&literal, json!({})).await;
        assert_eq!(code(&body), "BAD_USER_INPUT", "{date:?}: {body}");
    }
}

async fn errors_never_multiply_the_input(backend: Backend) {
    let app = TestApp::fixture(backend, "rules").await;
    // A cursor of 400 KB, used under 100 aliases: each error quotes at most a short prefix,
    // and at most 20 errors are reported.
    let cursor = "x".repeat(400_000);
    let aliases: String = (0..100)
        .map(|i| format!("a{i}: events(after: $c) {{ totalCount }} "))
        .collect();
    let query = format!("query($c: String) {{ {aliases} }}");
    let request = Request::post("/graphql")
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from(
            json!({ "query": query, "variables": { "c": cursor } }).to_string(),
        ))
        .expect("a request");
    let response = app
        .router
        .clone()
        .oneshot(request)
        .await
        .expect("an answer");
    let bytes = axum::body::to_bytes(response.into_body(), usize::MAX)
        .await
        .expect("a body");
    assert!(bytes.len() < 16_000, "{backend:?}: {} bytes", bytes.len());
    let body: Value = serde_json::from_slice(&bytes).expect("JSON");
    let errors = body["errors"].as_array().expect("errors");
    assert_eq!(
        errors.len(),
        21,
        "20 errors and one saying how many were left out"
    );
    assert_eq!(errors[20]["extensions"]["code"], "TOO_MANY_ERRORS");
    assert!(errors.iter().all(|e| e["extensions"]["code"].is_string()));
    // More than 100 aliases are refused before anything runs.
    let aliases: String = (0..101).map(|i| format!("a{i}: __typename ")).collect();
    let (_, body) = app.graphql(&format!("{{ {aliases} }}"), json!({})).await;
    assert_eq!(code(&body), "TOO_MANY_ALIASES", "{body}");
}

async fn a_request_past_its_deadline_is_stopped(backend: Backend) {
    use sea_orm::TransactionTrait;
    let app = TestApp::fixture(backend, "rules").await;
    // A pool of one connection, held by a transaction: the request waits for a connection
    // until its deadline (200 ms, well before the pool's own 5 s acquire timeout).
    let pool = scam_atlas::db::connect_with(&app.store.url, 1)
        .await
        .expect("a pool");
    let impatient = router(AppState::with_deadline(
        pool.clone(),
        Deadline(Duration::from_millis(200)),
    ));
    let ask = || {
        Request::post("/graphql")
            .header(header::CONTENT_TYPE, "application/json")
            .body(Body::from(
                json!({ "query": "{ events { totalCount } }" }).to_string(),
            ))
            .expect("a request")
    };
    let held = pool.begin().await.expect("a transaction");
    let started = Instant::now();
    let response = impatient.clone().oneshot(ask()).await.expect("an answer");
    assert!(
        started.elapsed() < Duration::from_secs(3),
        "stopped at its deadline"
    );
    assert_eq!(response.status(), StatusCode::OK);
    let bytes = axum::body::to_bytes(response.into_body(), usize::MAX)
        .await
        .expect("a body");
    let body: Value = serde_json::from_slice(&bytes).expect("JSON");
    assert_eq!(code(&body), "REQUEST_TIMEOUT", "{body}");
    // Once the connection is free, the same app answers: nothing was left holding it.
    held.rollback().await.expect("rolled back");
    let response = impatient.oneshot(ask()).await.expect("an answer");
    let bytes = axum::body::to_bytes(response.into_body(), usize::MAX)
        .await
        .expect("a body");
    let body: Value = serde_json::from_slice(&bytes).expect("JSON");
    assert!(
        body["data"]["events"]["totalCount"]
            .as_u64()
            .is_some_and(|n| n > 0),
        "{body}"
    );
}

#[tokio::test]
async fn fragment_explosions_are_refused_over_http() {
    let app = TestApp::fixture(Backend::Sqlite, "rules").await;
    let mut document = String::from("query { ...F30 }\nfragment F0 on Query { __typename }\n");
    for i in 1..=30 {
        document.push_str(&format!(
            "fragment F{i} on Query {{ ...F{0} ...F{0} }}\n",
            i - 1
        ));
    }
    let (status, body) = app.graphql(&document, json!({})).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(code(&body), "QUERY_TOO_LARGE", "{body}");
}

#[tokio::test]
async fn routes_answer_in_json_with_codes_and_security_headers() {
    let app = TestApp::fixture(Backend::Sqlite, "rules").await;
    let send = |request: Request<Body>| app.send(request);
    let (status, _, body) = send(
        Request::put("/graphql")
            .body(Body::empty())
            .expect("a request"),
    )
    .await;
    assert_eq!(
        (status, code(&body)),
        (StatusCode::METHOD_NOT_ALLOWED, "METHOD_NOT_ALLOWED")
    );
    let (status, _, body) = send(
        Request::get("/nowhere")
            .body(Body::empty())
            .expect("a request"),
    )
    .await;
    assert_eq!((status, code(&body)), (StatusCode::NOT_FOUND, "NOT_FOUND"));
    let big = Request::post("/graphql")
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from(vec![b' '; 2 << 20]))
        .expect("a request");
    let (status, content_type, body) = send(big).await;
    assert_eq!(
        (status, code(&body)),
        (StatusCode::PAYLOAD_TOO_LARGE, "PAYLOAD_TOO_LARGE")
    );
    assert!(content_type.starts_with("application/json"));

    let page = app
        .router
        .clone()
        .oneshot(
            Request::get("/graphiql")
                .body(Body::empty())
                .expect("a request"),
        )
        .await
        .expect("an answer");
    let headers = page.headers();
    assert_eq!(headers[header::X_CONTENT_TYPE_OPTIONS], "nosniff");
    assert_eq!(headers[header::X_FRAME_OPTIONS], "DENY");
    assert!(
        headers[header::CONTENT_SECURITY_POLICY]
            .to_str()
            .is_ok_and(
                |csp| csp.contains("frame-ancestors 'none'") && csp.contains("default-src 'self'")
            )
    );
    assert!(headers.contains_key(header::REFERRER_POLICY));
}

/// Serves the fixture app on a real socket with `settings`; returns its address.
async fn serve(settings: Settings) -> (std::net::SocketAddr, TestApp) {
    let app = TestApp::fixture(Backend::Sqlite, "rules").await;
    let addr = crate::helpers::serve_on_port(app.router.clone(), settings).await;
    (addr, app)
}

/// Reads from `stream` until the server closes it or `limit` passes; the bytes read.
fn read_until_closed(stream: &mut std::net::TcpStream, limit: Duration) -> Option<Vec<u8>> {
    stream.set_read_timeout(Some(limit)).expect("a timeout");
    let mut all = Vec::new();
    let mut buffer = [0u8; 4096];
    loop {
        match stream.read(&mut buffer) {
            Ok(0) => return Some(all),
            Ok(n) => all.extend_from_slice(&buffer[..n]),
            Err(_) => return None,
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn slow_and_idle_connections_are_closed_and_the_limit_refuses_clearly() {
    let settings = Settings {
        max_connections: 2,
        header_timeout: Duration::from_millis(500),
    };
    let (addr, _app) = serve(settings).await;
    tokio::task::spawn_blocking(move || {
        // Slow headers: half a request line, then nothing.
        let mut slow = std::net::TcpStream::connect(addr).expect("connects");
        slow.write_all(b"GET /health HTTP/1.1\r\nHost: x\r\n")
            .expect("writes");
        let started = Instant::now();
        assert!(
            read_until_closed(&mut slow, Duration::from_secs(5)).is_some(),
            "closed"
        );
        assert!(started.elapsed() < Duration::from_secs(4));

        // An idle kept-alive connection is closed after its request.
        let mut idle = std::net::TcpStream::connect(addr).expect("connects");
        idle.write_all(b"GET /health HTTP/1.1\r\nHost: x\r\n\r\n")
            .expect("writes");
        let answer = read_until_closed(&mut idle, Duration::from_secs(5)).expect("closed");
        assert!(
            answer.starts_with(b"HTTP/1.1 200"),
            "{}",
            String::from_utf8_lossy(&answer)
        );

        // A body announced larger than the limit is refused at once, not waited for.
        let mut huge = std::net::TcpStream::connect(addr).expect("connects");
        huge.write_all(
            b"POST /graphql HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n\
              Content-Length: 99999999999\r\n\r\n{\"query\":\"{ __typename }\"}",
        )
        .expect("writes");
        let started = Instant::now();
        let answer = read_until_closed(&mut huge, Duration::from_secs(5)).unwrap_or_default();
        let answer = String::from_utf8_lossy(&answer);
        assert!(answer.starts_with("HTTP/1.1 413"), "{answer}");
        assert!(answer.contains("PAYLOAD_TOO_LARGE"), "{answer}");
        assert!(started.elapsed() < Duration::from_secs(3));
        // Another method with a body gets its 405 whole, the body read first.
        let mut put = std::net::TcpStream::connect(addr).expect("connects");
        put.write_all(
            b"PUT /graphql HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n\
              Connection: close\r\nContent-Length: 24\r\n\r\n{\"query\":\"{ __typename }\"}",
        )
        .expect("writes");
        let answer = read_until_closed(&mut put, Duration::from_secs(5)).expect("closed");
        let answer = String::from_utf8_lossy(&answer);
        assert!(
            answer.starts_with("HTTP/1.1 405") && answer.contains("METHOD_NOT_ALLOWED"),
            "{answer}"
        );

        // Two held connections fill the limit: the third is told so, in JSON, and closed.
        // Each is held in the middle of its body, which the server waits 10 s for, not in
        // silence, which it ends after 500 ms: on a loaded machine the third was sometimes
        // accepted only after the silent ones had been closed, and got in. Connections are
        // accepted in the order they were made, so the held ones count first; but a slot of
        // a connection above is given back only when the server's task for it ends, which on
        // a loaded machine can come after a held one was refused (and the third then got the
        // slot, CI saw it): the pair is made again until neither was refused.
        let hold = || -> Vec<std::net::TcpStream> {
            (0..2)
                .map(|_| {
                    let mut stream = std::net::TcpStream::connect(addr).expect("connects");
                    stream
                        .write_all(
                            b"POST /graphql HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n\
                              Content-Length: 100\r\n\r\n{\"query\":",
                        )
                        .expect("writes");
                    stream
                })
                .collect()
        };
        let refused = |held: &mut Vec<std::net::TcpStream>| {
            held.iter_mut().any(|stream| {
                stream
                    .set_read_timeout(Some(Duration::from_millis(100)))
                    .expect("a timeout");
                stream.read(&mut [0u8; 64]).is_ok()
            })
        };
        let mut held = hold();
        std::thread::sleep(Duration::from_millis(250));
        for _ in 0..20 {
            if !refused(&mut held) {
                break;
            }
            drop(held);
            std::thread::sleep(Duration::from_millis(500));
            held = hold();
            std::thread::sleep(Duration::from_millis(250));
        }
        assert!(!refused(&mut held), "the held connections were accepted");
        let mut third = std::net::TcpStream::connect(addr).expect("connects");
        let refusal = read_until_closed(&mut third, Duration::from_secs(5)).expect("closed");
        let refusal = String::from_utf8_lossy(&refusal);
        assert!(refusal.starts_with("HTTP/1.1 503"), "{refusal}");
        assert!(refusal.contains("\"code\":\"UNAVAILABLE\""), "{refusal}");
        drop(held);
        // Once they are gone (closed by the server's idle timeout, or by us), it serves again.
        std::thread::sleep(Duration::from_millis(300));
        let mut again = std::net::TcpStream::connect(addr).expect("connects");
        again
            .write_all(b"GET /health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
            .expect("writes");
        let answer = read_until_closed(&mut again, Duration::from_secs(5)).expect("closed");
        assert!(
            answer.starts_with(b"HTTP/1.1 200"),
            "{}",
            String::from_utf8_lossy(&answer)
        );
    })
    .await
    .expect("the client thread");
}

/// PostgreSQL backends terminated under load: requests in flight fail as UNAVAILABLE (never
/// INTERNAL), and the server recovers by itself, without a restart.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[cfg_attr(
    not(postgres_tests),
    ignore = "PostgreSQL: set TEST_DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres to run"
)]
async fn terminated_database_connections_are_unavailable_then_recovered() {
    use sea_orm::ConnectionTrait;
    let app = std::sync::Arc::new(TestApp::fixture(Backend::Postgres, "rules").await);
    let name = app
        .store
        .url
        .rsplit('/')
        .next()
        .expect("a database name")
        .to_string();
    let admin = sea_orm::Database::connect(crate::helpers::postgres_url())
        .await
        .expect("an admin connection");
    let query =
        "{ events(first: 5) { totalCount nodes { title participants { count { value } } } } }";
    let load = (0..6).map(|_| {
        let app = app.clone();
        tokio::spawn(async move {
            let mut codes = Vec::new();
            let until = Instant::now() + Duration::from_secs(2);
            while Instant::now() < until {
                let (status, body) = app.graphql(query, json!({})).await;
                assert_eq!(status, StatusCode::OK, "{body}");
                for e in body["errors"].as_array().into_iter().flatten() {
                    codes.push(
                        e["extensions"]["code"]
                            .as_str()
                            .unwrap_or("none")
                            .to_string(),
                    );
                }
            }
            codes
        })
    });
    let load: Vec<_> = load.collect();
    for _ in 0..5 {
        tokio::time::sleep(Duration::from_millis(300)).await;
        admin
            .execute_unprepared(&format!(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity \
                 WHERE datname = '{name}' AND pid <> pg_backend_pid()"
            ))
            .await
            .expect("terminates");
    }
    let mut codes = Vec::new();
    for task in load {
        codes.extend(task.await.expect("a load task"));
    }
    assert!(
        codes.iter().all(|c| c == "UNAVAILABLE"),
        "failures are UNAVAILABLE, not internal noise: {codes:?}"
    );
    eprintln!(
        "failures seen while backends were terminated: {}",
        codes.len()
    );
    // Recovered: the pool reconnects by itself within a few attempts.
    let mut recovered = false;
    for _ in 0..30 {
        let (_, body) = app.graphql(query, json!({})).await;
        if body.get("errors").is_none() {
            recovered = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(recovered, "the server answers again without a restart");
}
