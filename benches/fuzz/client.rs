//! Sending requests: a pooled hyper client for well-formed HTTP, raw TCP for the rest. Both
//! stop at the deadline and keep at most the first MB of a body (counting the rest), so a
//! server that answers with hundreds of MB cannot exhaust the fuzzer instead.

use http_body_util::{BodyExt, Full};
use hyper::body::Bytes;
use hyper_util::client::legacy::Client;
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::rt::TokioExecutor;
use std::time::{Duration, Instant};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

/// A response as the checks see it: status, content type, and the body (its first MB; `len`
/// is the whole length).
pub struct Reply {
    pub status: u16,
    pub content_type: String,
    pub body: Vec<u8>,
    pub len: usize,
    pub elapsed: Duration,
}

/// Why a request got no response.
pub enum Failure {
    /// Nothing (or not all of it) within the deadline.
    Timeout,
    /// The connection failed or was cut.
    Transport(String),
    /// The server crashed meanwhile (the crash is the finding).
    Crashed,
}

/// Bytes of a body kept for the checks.
pub const KEEP: usize = 1 << 20;

pub type HttpClient = Client<HttpConnector, Full<Bytes>>;

pub fn client(idle: usize) -> HttpClient {
    Client::builder(TokioExecutor::new())
        .pool_max_idle_per_host(idle)
        .pool_idle_timeout(Duration::from_secs(2))
        .build_http()
}

/// A well-formed request.
pub struct Req {
    pub method: &'static str,
    pub path: String,
    pub headers: Vec<(&'static str, String)>,
    pub body: Bytes,
}

impl Req {
    /// `POST /graphql` with a JSON body.
    pub fn graphql(body: &serde_json::Value) -> Req {
        Req {
            method: "POST",
            path: "/graphql".into(),
            headers: vec![("content-type", "application/json".into())],
            body: Bytes::from(body.to_string()),
        }
    }

    pub fn get(path: impl Into<String>) -> Req {
        Req {
            method: "GET",
            path: path.into(),
            headers: Vec::new(),
            body: Bytes::new(),
        }
    }

    /// The request as one line for a reproduction.
    pub fn repro(&self) -> String {
        let headers: Vec<String> = self
            .headers
            .iter()
            .map(|(k, v)| format!("{k}: {v}"))
            .collect();
        format!(
            "{} {} [{}] {}",
            self.method,
            self.path,
            headers.join("; "),
            String::from_utf8_lossy(&self.body)
        )
    }
}

/// Sends `req` to `base` (`http://127.0.0.1:port`) and reads the answer, within `deadline`.
pub async fn send(
    client: &HttpClient,
    base: &str,
    req: &Req,
    deadline: Duration,
) -> Result<Reply, Failure> {
    let started = Instant::now();
    let mut builder = hyper::Request::builder()
        .method(req.method)
        .uri(format!("{base}{}", req.path));
    for (k, v) in &req.headers {
        builder = builder.header(*k, v);
    }
    let request = builder
        .body(Full::new(req.body.clone()))
        .map_err(|e| Failure::Transport(e.to_string()))?;
    let exchange = async {
        let response = client
            .request(request)
            .await
            .map_err(|e| Failure::Transport(format!("{e:?}")))?;
        let status = response.status().as_u16();
        let content_type = response
            .headers()
            .get("content-type")
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_string();
        let mut body = response.into_body();
        let (mut kept, mut len) = (Vec::new(), 0usize);
        while let Some(frame) = body.frame().await {
            let frame = frame.map_err(|e| Failure::Transport(e.to_string()))?;
            if let Some(data) = frame.data_ref() {
                len += data.len();
                let room = KEEP.saturating_sub(kept.len());
                kept.extend_from_slice(&data[..data.len().min(room)]);
            }
        }
        Ok(Reply {
            status,
            content_type,
            body: kept,
            len,
            elapsed: started.elapsed(),
        })
    };
    tokio::time::timeout(deadline, exchange)
        .await
        .unwrap_or(Err(Failure::Timeout))
}

/// How a raw exchange ended.
pub enum Raw {
    /// A response (the first, when several were pipelined), and the rest of the bytes read.
    Answered(Reply, Vec<u8>),
    /// The server closed the connection without answering.
    Closed,
}

/// Writes `bytes` to a fresh connection in pieces of `chunk` bytes `pause` apart, then reads
/// until the server closes the connection, or `read_for` passes, or the deadline.
pub async fn raw(
    addr: &str,
    bytes: &[u8],
    chunk: usize,
    pause: Duration,
    read_for: Duration,
) -> Result<Raw, Failure> {
    let started = Instant::now();
    let mut stream = TcpStream::connect(addr)
        .await
        .map_err(|e| Failure::Transport(e.to_string()))?;
    let mut reply = Vec::new();
    let mut buffer = vec![0u8; 64 * 1024];
    for piece in bytes.chunks(chunk.max(1)) {
        if stream.write_all(piece).await.is_err() {
            break; // the server closed its end: read what it said
        }
        if !pause.is_zero() {
            // Read while pausing, so a server that answers early is heard.
            match tokio::time::timeout(pause, stream.read(&mut buffer)).await {
                Ok(Ok(0)) | Ok(Err(_)) => return Ok(ended(reply, started)),
                Ok(Ok(n)) => reply.extend_from_slice(&buffer[..n]),
                Err(_) => {}
            }
        }
        if started.elapsed() > read_for {
            return Err(Failure::Timeout);
        }
    }
    let until = started + read_for;
    loop {
        let left = until.saturating_duration_since(Instant::now());
        match tokio::time::timeout(left, stream.read(&mut buffer)).await {
            Ok(Ok(0)) | Ok(Err(_)) => return Ok(ended(reply, started)),
            Ok(Ok(n)) => {
                if reply.len() < 4 * KEEP {
                    reply.extend_from_slice(&buffer[..n]);
                }
            }
            Err(_) if reply.is_empty() => return Err(Failure::Timeout),
            Err(_) => return Ok(ended(reply, started)),
        }
    }
}

fn ended(bytes: Vec<u8>, started: Instant) -> Raw {
    match parse(&bytes, started.elapsed()) {
        Some((reply, rest)) => Raw::Answered(reply, rest),
        None => Raw::Closed,
    }
}

/// Every response in `bytes`, in order (for pipelining).
pub fn responses(mut bytes: &[u8]) -> Vec<Reply> {
    let mut out = Vec::new();
    while let Some((reply, rest)) = parse(bytes, Duration::ZERO) {
        out.push(reply);
        if rest.len() >= bytes.len() {
            break;
        }
        let consumed = bytes.len() - rest.len();
        bytes = &bytes[consumed..];
    }
    out
}

/// One HTTP/1 response off the front of `bytes` (Content-Length, chunked, or to the end).
fn parse(bytes: &[u8], elapsed: Duration) -> Option<(Reply, Vec<u8>)> {
    let end = bytes.windows(4).position(|w| w == b"\r\n\r\n")?;
    let head = String::from_utf8_lossy(&bytes[..end]).to_string();
    let mut lines = head.split("\r\n");
    let status: u16 = lines.next()?.split_whitespace().nth(1)?.parse().ok()?;
    let mut content_type = String::new();
    let (mut length, mut chunked) = (None, false);
    for line in lines {
        let (k, v) = line.split_once(':')?;
        match k.trim().to_ascii_lowercase().as_str() {
            "content-type" => content_type = v.trim().to_string(),
            "content-length" => length = v.trim().parse::<usize>().ok(),
            "transfer-encoding" => chunked = v.to_ascii_lowercase().contains("chunked"),
            _ => {}
        }
    }
    let rest = &bytes[end + 4..];
    let (body, rest) = if chunked {
        let (mut body, mut at) = (Vec::new(), 0);
        loop {
            let line_end = rest[at..].windows(2).position(|w| w == b"\r\n")? + at;
            let size =
                usize::from_str_radix(String::from_utf8_lossy(&rest[at..line_end]).trim(), 16)
                    .ok()?;
            at = line_end + 2;
            if size == 0 {
                at = (at + 2).min(rest.len());
                break;
            }
            body.extend_from_slice(rest.get(at..at + size)?);
            at += size + 2;
        }
        (body, rest.get(at..).unwrap_or_default().to_vec())
    } else {
        let n = length.unwrap_or(rest.len()).min(rest.len());
        (rest[..n].to_vec(), rest[n..].to_vec())
    };
    let len = body.len();
    Some((
        Reply {
            status,
            content_type,
            body,
            len,
            elapsed,
        },
        rest,
    ))
}
