//! Attacks on the transport, mostly over raw TCP: slow headers, partial bodies, huge and
//! oversized bodies, wrong content types, GET with mutations, invalid JSON, thousands of idle
//! sockets, pipelining, HTTP/1.0, header floods. A connection the server never closes is a
//! finding, as is a hang, a 5xx or an uncoded error. Longer than most files: it is a list of
//! attacks, each a few lines, and the three that need a connection of their own.

use super::check::{Expect, Sent};
use super::client::{Failure, HttpClient, Raw, Req, raw, responses};
use super::record::Recorder;
use super::server::Supervisor;
use hyper::body::Bytes;
use std::time::Duration;
use tokio::io::AsyncReadExt;
use tokio::net::TcpStream;

const CATEGORY: &str = "transport";

fn sent<'a>(name: &'a str, repro: &'a str, expect: Expect, json: bool) -> Sent<'a> {
    Sent {
        category: CATEGORY,
        name,
        repro,
        expect,
        json,
        allow_503: false,
        max_body: 1 << 20,
    }
}

/// Sends raw bytes and holds the outcome to the checks: the server must answer or close the
/// connection before the deadline.
async fn attack(
    recorder: &Recorder,
    server: &Supervisor,
    name: &str,
    bytes: Vec<u8>,
    chunk: usize,
    pause: Duration,
    expect: Expect,
) {
    let repro = format!(
        "{name}: {}",
        String::from_utf8_lossy(&bytes[..bytes.len().min(300)])
    );
    let _guard = recorder.start(&repro);
    let generation = server.generation();
    let outcome = match raw(&server.addr(), &bytes, chunk, pause, recorder.deadline).await {
        Err(Failure::Transport(_)) if server.crashed_since(generation).await => {
            Err(Failure::Crashed)
        }
        outcome => outcome,
    };
    let json = matches!(expect, Expect::Status(_));
    match outcome {
        Ok(Raw::Answered(reply, _)) => recorder.check(&sent(name, &repro, expect, json), Ok(reply)),
        Ok(Raw::Closed) if matches!(expect, Expect::Status(_)) => recorder.check(
            &sent(name, &repro, expect, json),
            Err(Failure::Transport("closed without a response".into())),
        ),
        Ok(Raw::Closed) => recorder.closed(CATEGORY),
        Err(Failure::Timeout) => {
            recorder.closed(CATEGORY);
            recorder.finding(
                &format!(
                    "transport {name}: the connection was still open after {} ms",
                    recorder.deadline.as_millis()
                ),
                &repro,
            )
        }
        Err(e) => recorder.check(&sent(name, &repro, expect, json), Err(e)),
    }
}

/// A request that sends its header section for longer than the deadline, a byte at a time.
fn slow_headers(recorder: &Recorder) -> Vec<u8> {
    let bytes = (recorder.deadline.as_millis() / 250 + 40) as usize;
    let mut request = b"GET /health HTTP/1.1\r\nHost: fuzz\r\nX-Slow: ".to_vec();
    request.extend(std::iter::repeat_n(b'a', bytes));
    request
}

fn post(body: &[u8], headers: &str) -> Vec<u8> {
    let mut request = format!(
        "POST /graphql HTTP/1.1\r\nHost: fuzz\r\nContent-Type: application/json\r\nContent-Length: {}\r\n{headers}\r\n",
        body.len()
    )
    .into_bytes();
    request.extend_from_slice(body);
    request
}

/// Every attack; the slow ones run side by side, so the phase takes about one deadline.
pub async fn run(recorder: &Recorder, server: &Supervisor, client: &HttpClient) {
    use Expect::*;
    let ms = Duration::from_millis;
    let partial = b"POST /graphql HTTP/1.1\r\nHost: fuzz\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{\"query\":".to_vec();
    let huge_length = b"POST /graphql HTTP/1.1\r\nHost: fuzz\r\nContent-Type: application/json\r\nContent-Length: 99999999999\r\n\r\n{\"query\":\"{ __typename }\"}".to_vec();
    let mut chunked = b"POST /graphql HTTP/1.1\r\nHost: fuzz\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n".to_vec();
    for _ in 0..128 {
        chunked.extend_from_slice(format!("{:x}\r\n{}\r\n", 65536, "a".repeat(65536)).as_bytes());
    }
    chunked.extend_from_slice(b"0\r\n\r\n");
    // Written in pieces while reading: a server that answers 413 early and closes is heard.
    let oversized = post(&[b' '; 8 << 20], "");
    let flood = format!(
        "GET /health HTTP/1.1\r\nHost: fuzz\r\nX-Big: {}\r\n\r\n",
        "a".repeat(200_000)
    )
    .into_bytes();
    let many: String = (0..2000).map(|i| format!("X-H{i}: v\r\n")).collect();
    let many = format!("GET /health HTTP/1.1\r\nHost: fuzz\r\n{many}\r\n").into_bytes();
    let pipelined = [
        b"GET /health HTTP/1.1\r\nHost: fuzz\r\n\r\n".to_vec(),
        post(b"{\"query\":\"{ __typename }\"}", ""),
        b"GET /health HTTP/1.1\r\nHost: fuzz\r\n\r\n".to_vec(),
    ]
    .concat();
    let http10 = b"GET /health HTTP/1.0\r\n\r\n".to_vec();
    let mut post10 =
        b"POST /graphql HTTP/1.0\r\nContent-Type: application/json\r\nContent-Length: 26\r\n\r\n"
            .to_vec();
    post10.extend_from_slice(b"{\"query\":\"{ __typename }\"}");
    tokio::join!(
        attack(
            recorder,
            server,
            "slow headers",
            slow_headers(recorder),
            1,
            ms(250),
            NoFault
        ),
        attack(
            recorder,
            server,
            "slow headers (2)",
            slow_headers(recorder),
            1,
            ms(250),
            NoFault
        ),
        attack(
            recorder,
            server,
            "partial body",
            partial,
            usize::MAX,
            Duration::ZERO,
            NoFault
        ),
        attack(
            recorder,
            server,
            "huge Content-Length",
            huge_length,
            usize::MAX,
            Duration::ZERO,
            Status(413)
        ),
        attack(
            recorder,
            server,
            "8 MB chunked body",
            chunked,
            1 << 16,
            ms(1),
            Status(413)
        ),
        attack(
            recorder,
            server,
            "an 8 MB body",
            oversized,
            1 << 16,
            ms(1),
            Status(413)
        ),
        attack(
            recorder,
            server,
            "a 200 KB header",
            flood,
            usize::MAX,
            Duration::ZERO,
            NoFault
        ),
        attack(
            recorder,
            server,
            "2,000 headers",
            many,
            usize::MAX,
            Duration::ZERO,
            NoFault
        ),
        attack(
            recorder,
            server,
            "a TLS hello",
            b"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03".to_vec(),
            usize::MAX,
            Duration::ZERO,
            NoFault
        ),
        attack(
            recorder,
            server,
            "a bad request line",
            b"FOO BAR BAZ\r\n\r\n".to_vec(),
            usize::MAX,
            Duration::ZERO,
            NoFault
        ),
        idle_keep_alive(recorder, server),
        idle_sockets(recorder, server, client, 2_000),
        async {
            pipelining(recorder, server, pipelined).await;
            http_1_0(
                recorder,
                server,
                "HTTP/1.0 GET",
                http10,
                Expect::Status(200),
            )
            .await;
            http_1_0(recorder, server, "HTTP/1.0 POST", post10, Expect::Data).await;
            well_formed(recorder, server, client).await;
        },
    );
}

/// Well-formed HTTP that GraphQL over HTTP must refuse: wrong media types, GET with a
/// mutation, bodies that are not a JSON object of the right shape, an oversized body.
async fn well_formed(recorder: &Recorder, server: &Supervisor, client: &HttpClient) {
    let body = |text: &[u8], content_type: Option<&str>| Req {
        method: "POST",
        path: "/graphql".into(),
        headers: content_type
            .map(|c| ("content-type", c.to_string()))
            .into_iter()
            .collect(),
        body: Bytes::copy_from_slice(text),
    };
    let query = b"{\"query\":\"{ __typename }\"}";
    let mut requests = vec![
        (
            "text/plain",
            body(query, Some("text/plain")),
            Expect::Status(415),
        ),
        (
            "application/graphql",
            body(b"{ __typename }", Some("application/graphql")),
            Expect::Status(415),
        ),
        (
            "multipart",
            body(query, Some("multipart/form-data; boundary=x")),
            Expect::Status(415),
        ),
        (
            "form",
            body(
                b"query=%7B__typename%7D",
                Some("application/x-www-form-urlencoded"),
            ),
            Expect::Status(415),
        ),
        ("no content type", body(query, None), Expect::Status(415)),
        (
            "charset latin1",
            body(query, Some("application/json; charset=latin1")),
            Expect::Status(415),
        ),
        (
            "truncated JSON",
            body(b"{\"query\":", Some("application/json")),
            Expect::Status(400),
        ),
        (
            "a JSON array",
            body(b"[]", Some("application/json")),
            Expect::Status(400),
        ),
        (
            "a JSON string",
            body(b"\"x\"", Some("application/json")),
            Expect::Status(400),
        ),
        (
            "null",
            body(b"null", Some("application/json")),
            Expect::Status(400),
        ),
        (
            "an empty body",
            body(b"", Some("application/json")),
            Expect::Status(400),
        ),
        (
            "query a number",
            body(b"{\"query\":1}", Some("application/json")),
            Expect::Status(400),
        ),
        (
            "variables a list",
            body(
                b"{\"query\":\"{ __typename }\",\"variables\":[]}",
                Some("application/json"),
            ),
            Expect::Status(400),
        ),
        (
            "invalid UTF-8",
            body(b"{\"query\":\"\xff\xfe\"}", Some("application/json")),
            Expect::Status(400),
        ),
        (
            "100,000 nested arrays",
            body(&[b'['; 100_000], Some("application/json")),
            Expect::Status(400),
        ),
    ];
    for (path, name) in [
        (
            "/graphql?query=mutation%20%7B%20x%20%7D",
            "GET with a mutation",
        ),
        (
            "/graphql?query=subscription%20%7B%20x%20%7D",
            "GET with a subscription",
        ),
        (
            "/graphql?query=%7B__typename%7D&variables=%5B",
            "GET with variables not JSON",
        ),
    ] {
        let expect = if name.contains("JSON") {
            Expect::Status(400)
        } else {
            Expect::Status(405)
        };
        requests.push((name, Req::get(path), expect));
    }
    for (name, req, expect) in requests {
        let repro = format!("{name}: {}", super::record::short(&req.repro(), 300));
        let _guard = recorder.start(&repro);
        let outcome = server.send(client, &req, recorder.deadline).await;
        recorder.check(&sent(name, &repro, expect, true), outcome);
    }
}

/// Pipelined requests all get their answers, in order.
async fn pipelining(recorder: &Recorder, server: &Supervisor, bytes: Vec<u8>) {
    let repro = "three requests in one write: GET /health, POST /graphql, GET /health";
    match raw(
        &server.addr(),
        &bytes,
        usize::MAX,
        Duration::ZERO,
        Duration::from_secs(2),
    )
    .await
    {
        Ok(Raw::Answered(first, rest)) => {
            let n = 1 + responses(&rest).len();
            recorder.check(&sent("pipelined", repro, Expect::NoFault, false), Ok(first));
            if n != 3 {
                recorder.finding(
                    &format!("transport pipelined: {n} responses to 3 requests"),
                    repro,
                );
            }
        }
        _ => recorder.finding(
            "transport pipelined: no response to pipelined requests",
            repro,
        ),
    }
}

/// HTTP/1.0: answered, then closed.
async fn http_1_0(
    recorder: &Recorder,
    server: &Supervisor,
    name: &str,
    bytes: Vec<u8>,
    expect: Expect,
) {
    let json = expect == Expect::Data;
    let repro = String::from_utf8_lossy(&bytes).to_string();
    match raw(
        &server.addr(),
        &bytes,
        usize::MAX,
        Duration::ZERO,
        recorder.deadline,
    )
    .await
    {
        Ok(Raw::Answered(reply, _)) => recorder.check(&sent(name, &repro, expect, json), Ok(reply)),
        Ok(Raw::Closed) => recorder.finding(
            &format!("transport {name}: closed without a response"),
            &repro,
        ),
        Err(e) => recorder.check(&sent(name, &repro, expect, json), Err(e)),
    }
}

/// Whether the server has closed `stream` (reads end-of-stream or an error at once).
async fn is_closed(stream: &mut TcpStream) -> bool {
    let mut byte = [0u8; 1024];
    loop {
        match tokio::time::timeout(Duration::from_millis(1), stream.read(&mut byte)).await {
            Ok(Ok(0)) | Ok(Err(_)) => return true,
            Ok(Ok(_)) => continue, // a response (a 408 or 503): read on to see the close
            Err(_) => return false,
        }
    }
}

/// A keep-alive connection left idle after one request is closed by the server in time.
async fn idle_keep_alive(recorder: &Recorder, server: &Supervisor) {
    let repro = "GET /health HTTP/1.1 on a keep-alive connection, then nothing";
    let Ok(mut stream) = TcpStream::connect(server.addr()).await else {
        return;
    };
    use tokio::io::AsyncWriteExt;
    let _ = stream
        .write_all(b"GET /health HTTP/1.1\r\nHost: fuzz\r\n\r\n")
        .await;
    tokio::time::sleep(recorder.deadline).await;
    recorder.closed(CATEGORY);
    if !is_closed(&mut stream).await {
        recorder.finding(
            &format!(
                "transport idle keep-alive: the connection was still open after {} ms",
                recorder.deadline.as_millis()
            ),
            repro,
        );
    }
}

/// `n` sockets opened and left silent: a normal request still answers while they are held
/// (a 503 refusal is allowed here, and only here), and the server closes them in time.
async fn idle_sockets(recorder: &Recorder, server: &Supervisor, client: &HttpClient, n: usize) {
    let mut sockets = Vec::with_capacity(n);
    for _ in 0..n {
        match TcpStream::connect(server.addr()).await {
            Ok(s) => sockets.push(s),
            Err(e) => {
                recorder.finding(
                    &format!(
                        "transport idle sockets: connect failed after {} sockets: {e}",
                        sockets.len()
                    ),
                    "open sockets, send nothing",
                );
                break;
            }
        }
    }
    tokio::time::sleep(Duration::from_millis(500)).await;
    let name = format!("a request beside {} idle sockets", sockets.len());
    let repro = format!("{name}: POST /graphql {{ __typename }}");
    let req = Req::graphql(&serde_json::json!({ "query": "{ __typename }" }));
    let outcome = server.send(client, &req, recorder.deadline).await;
    let mut check = sent(&name, &repro, Expect::NoFault, true);
    check.allow_503 = true;
    recorder.check(&check, outcome);
    tokio::time::sleep(recorder.deadline).await;
    let mut closed = 0;
    for s in &mut sockets {
        recorder.closed(CATEGORY);
        if is_closed(s).await {
            closed += 1;
        }
    }
    if closed < sockets.len() {
        recorder.finding(
            &format!(
                "transport idle sockets: {} of {} silent connections still open after {} ms",
                sockets.len() - closed,
                sockets.len(),
                recorder.deadline.as_millis() + 500
            ),
            "open 2,000 TCP connections to the server and send nothing",
        );
    }
}
