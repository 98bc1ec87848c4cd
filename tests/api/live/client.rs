//! A `graphql-transport-ws` client for the tests, and the instances it talks to.

use crate::helpers::TestApp;
use futures_util::{SinkExt, StreamExt};
use scam_atlas::app::{AppState, router};
use serde_json::{Value, json};
use std::net::SocketAddr;
use std::time::Duration;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;

/// How long a test waits for a message before it fails.
pub const PATIENCE: Duration = Duration::from_secs(20);

/// Another instance over `app`'s database (its own pool, schema and feeder), served on a port.
pub async fn instance(app: &TestApp, state: impl FnOnce(AppState) -> AppState) -> SocketAddr {
    let pool = scam_atlas::db::connect(&app.store.url)
        .await
        .expect("a second pool");
    let router = router(state(AppState::new(pool)));
    crate::helpers::serve_on_port(router, Default::default()).await
}

pub type Stream =
    tokio_tungstenite::WebSocketStream<tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>>;

/// A GraphQL WebSocket client.
pub struct Client {
    pub socket: Stream,
    /// Every message received, in order.
    pub seen: Vec<Value>,
    /// Messages received but not yet taken by `until`.
    pub unread: std::collections::VecDeque<Value>,
}

/// Opens a socket speaking `protocol`, unacknowledged.
pub async fn open(addr: SocketAddr, protocol: &str) -> Stream {
    let mut request = format!("ws://{addr}/graphql")
        .into_client_request()
        .expect("a request");
    request.headers_mut().insert(
        "sec-websocket-protocol",
        protocol.parse().expect("a header"),
    );
    let (socket, response) = tokio_tungstenite::connect_async(request)
        .await
        .expect("the upgrade");
    assert_eq!(
        response.headers()["sec-websocket-protocol"],
        protocol,
        "the server speaks the protocol offered"
    );
    socket
}

impl Client {
    /// Connects with `graphql-transport-ws` and `payload` in `connection_init`; waits for the
    /// acknowledgement.
    pub async fn connect(addr: SocketAddr, payload: Value) -> Client {
        let mut client = Client {
            socket: open(addr, "graphql-transport-ws").await,
            seen: Vec::new(),
            unread: Default::default(),
        };
        client
            .send(json!({ "type": "connection_init", "payload": payload }))
            .await;
        let ack = client.next().await.expect("an answer to connection_init");
        assert_eq!(ack["type"], "connection_ack", "{ack}");
        client
    }

    /// Connects with an API key.
    pub async fn with_key(addr: SocketAddr, key: &str) -> Client {
        Client::connect(addr, json!({ "Authorization": format!("Bearer {key}") })).await
    }

    pub async fn send(&mut self, message: Value) {
        self.socket
            .send(Message::text(message.to_string()))
            .await
            .expect("a message sent");
    }

    pub async fn subscribe(&mut self, id: &str, query: &str, variables: Value) {
        self.send(json!({ "id": id, "type": "subscribe",
                          "payload": { "query": query, "variables": variables } }))
            .await;
    }

    /// Waits until the server has handled every message sent so far (it answers a ping
    /// after them): from then on, each subscription hears of every commit.
    pub async fn settle(&mut self) {
        self.send(json!({ "type": "ping" })).await;
        self.until(|m| m["type"] == "pong").await;
    }

    /// The next protocol message; None when the socket closes, with the close code recorded
    /// as `{"close": code}`.
    pub async fn next(&mut self) -> Option<Value> {
        loop {
            let Ok(message) = tokio::time::timeout(PATIENCE, self.socket.next()).await else {
                panic!("no message in time; seen: {:#?}", self.seen);
            };
            match message {
                Some(Ok(Message::Text(text))) => {
                    let value: Value = serde_json::from_str(&text).expect("JSON");
                    self.seen.push(value.clone());
                    return Some(value);
                }
                Some(Ok(Message::Close(frame))) => {
                    let code = frame.map(|f| u16::from(f.code)).unwrap_or(1005);
                    self.seen.push(json!({ "close": code }));
                    return None;
                }
                Some(Ok(_)) => continue,
                Some(Err(e)) => {
                    self.seen.push(json!({ "error": e.to_string() }));
                    return None;
                }
                None => return None,
            }
        }
    }

    /// The first message, unread so far, that satisfies `wanted` (read on until one comes);
    /// the others stay unread.
    pub async fn until(&mut self, wanted: impl Fn(&Value) -> bool) -> Value {
        if let Some(at) = self.unread.iter().position(&wanted) {
            return self.unread.remove(at).unwrap_or_default();
        }
        loop {
            let message = self.next().await.unwrap_or_else(|| {
                panic!("the socket closed first; seen: {:#?}", self.seen);
            });
            if wanted(&message) {
                return message;
            }
            self.unread.push_back(message);
        }
    }

    /// The next `next` payload of subscription `id`.
    pub async fn payload(&mut self, id: &str) -> Value {
        let message = self
            .until(|m| m["id"] == id && (m["type"] == "next" || m["type"] == "error"))
            .await;
        assert_eq!(message["type"], "next", "{message:#}");
        message["payload"].clone()
    }

    /// The close code the server ends the socket with.
    pub async fn close_code(&mut self) -> u16 {
        while self.next().await.is_some() {}
        match self.seen.last() {
            Some(last) if last.get("close").is_some() => last["close"].as_u64().unwrap_or(0) as u16,
            _ => panic!("closed without a close frame: {:#?}", self.seen),
        }
    }
}

/// The body of `GET path` on the instance at `addr`.
pub async fn http_get(addr: SocketAddr, path: &str) -> String {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let mut stream = tokio::net::TcpStream::connect(addr)
        .await
        .expect("connected");
    let request = format!("GET {path} HTTP/1.1\r\nhost: {addr}\r\nconnection: close\r\n\r\n");
    stream.write_all(request.as_bytes()).await.expect("sent");
    let mut answer = String::new();
    stream.read_to_string(&mut answer).await.expect("read");
    answer
}
