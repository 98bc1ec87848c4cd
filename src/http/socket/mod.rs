//! GraphQL over WebSocket on `/graphql`: `graphql-transport-ws` (what `graphql-ws`, urql,
//! Apollo Client and GraphiQL speak) and the legacy `graphql-ws`, by async-graphql's protocol
//! handling over the schema's own executor (`graphql::streams`).
//!
//! Around it, what the protocol leaves to the server:
//! - the API key, from `connection_init`'s payload (`{"Authorization": "Bearer <key>"}`, or
//!   `headers.Authorization`, or `apiKey`) or the upgrade request's header; an unknown or
//!   revoked key, or none where the server requires one, closes the socket with 4403;
//! - no acknowledgement until this instance's feeder knows where the changes stand, so every
//!   change committed after a `subscribe` reaches that subscription (`live`);
//! - `connection_init` within `Settings::init_within`, or 4408;
//! - a WebSocket ping every `Settings::ping_every`; a client that sends nothing back (not
//!   even the pong its WebSocket library answers with) for two rounds is closed with 3008;
//! - at shutdown, 1001, so that draining completes.

mod framing;

use crate::graphql::credentials::Credentials;
use crate::live::Session;
use crate::state::AppState;
use crate::transport::{ClientAddr, Held};
use async_graphql::http::{
    ALL_WEBSOCKET_PROTOCOLS, WebSocket as Protocol, WebSocketProtocols, WsMessage,
};
use axum::extract::ws::{CloseFrame, Message, WebSocket, WebSocketUpgrade};
use axum::extract::{FromRequestParts, Request};
use axum::response::Response;
use framing::Framing;
use futures_util::{SinkExt, StreamExt};
use serde_json::Value;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

/// Client messages queued for the protocol; a client that sends more at once is closed.
const QUEUED: usize = 256;

/// How long a closing socket waits for the client's close frame.
const CLOSE_GRACE: Duration = Duration::from_secs(1);

/// The receiving end of a queue as a stream.
fn tokio_stream_of<T>(
    mut receiver: tokio::sync::mpsc::Receiver<T>,
) -> impl futures_util::Stream<Item = T> {
    futures_util::stream::poll_fn(move |cx| receiver.poll_recv(cx))
}

/// Whether `request` asks to become a WebSocket.
pub fn is_upgrade(request: &Request) -> bool {
    request
        .headers()
        .get(axum::http::header::UPGRADE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.eq_ignore_ascii_case("websocket"))
}

/// Upgrades `GET /graphql` to a GraphQL WebSocket.
pub async fn upgrade(state: AppState, request: Request) -> Response {
    let (mut parts, _) = request.into_parts();
    // graphql-transport-ws if the client offers it, else the legacy graphql-ws.
    let offered = parts
        .headers
        .get(axum::http::header::SEC_WEBSOCKET_PROTOCOL)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    let offers = |name: &str| offered.split(',').any(|p| p.trim() == name);
    let Some(protocol) = ALL_WEBSOCKET_PROTOCOLS
        .into_iter()
        .find(|name| offers(name))
        .and_then(|name| name.parse::<WebSocketProtocols>().ok())
    else {
        return refuse(
            "offer the WebSocket subprotocol graphql-transport-ws (or the legacy graphql-ws)",
        );
    };
    let upgrade = match WebSocketUpgrade::from_request_parts(&mut parts, &state).await {
        Ok(upgrade) => upgrade,
        Err(rejection) => return refuse(&rejection.body_text()),
    };
    let header_key = parts
        .headers
        .get(axum::http::header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(crate::auth::bearer)
        .map(str::to_string);
    let addr = parts.extensions.get::<ClientAddr>().copied();
    let held = parts.extensions.get::<Held>().cloned();
    upgrade
        .protocols([protocol.sec_websocket_protocol()])
        .max_message_size(super::MAX_BODY)
        .on_upgrade(move |socket| async move {
            let connection = Connection {
                state,
                header_key,
                client: addr.map(|a| format!("addr:{}", a.0.ip())),
            };
            connection.serve(socket, protocol, held).await;
        })
}

/// An upgrade refused: 400 with the API's JSON error (`BAD_REQUEST`).
fn refuse(message: &str) -> Response {
    let status = axum::http::StatusCode::BAD_REQUEST;
    super::reject(status, super::MediaType::Json, "BAD_REQUEST", message)
}

/// An upgraded connection before `connection_init`.
struct Connection {
    state: AppState,
    header_key: Option<String>,
    /// Who the connection counts against when it sends no key.
    client: Option<String>,
}

/// The API key in a `connection_init` payload, if any.
fn key_in(payload: &Value) -> Option<String> {
    let object = payload.as_object()?;
    let headers = object
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case("headers"))
        .and_then(|(_, v)| v.as_object());
    let authorization = |o: &serde_json::Map<String, Value>| {
        o.iter()
            .find(|(k, _)| k.eq_ignore_ascii_case("authorization"))
            .and_then(|(_, v)| v.as_str())
            .map(|v| crate::auth::bearer(v).unwrap_or(v).to_string())
    };
    authorization(object)
        .or_else(|| headers.and_then(authorization))
        .or_else(|| {
            object
                .get("apiKey")
                .and_then(Value::as_str)
                .map(str::to_string)
        })
}

/// The close frame a socket ends with. A close frame's reason holds at most 123 bytes (its
/// payload, 125, less the code): a longer one, such as a parser's message, is cut at a
/// character boundary, or clients fail the whole frame.
fn close(code: u16, reason: &str) -> Message {
    let mut end = reason.len().min(MAX_REASON);
    while !reason.is_char_boundary(end) {
        end -= 1;
    }
    Message::Close(Some(CloseFrame {
        code,
        reason: reason[..end].into(),
    }))
}

/// The longest close reason, in bytes.
const MAX_REASON: usize = 123;

impl Connection {
    async fn serve(self, socket: WebSocket, protocol: WebSocketProtocols, held: Option<Held>) {
        let Some(hub) = self.state.schema.hub().cloned() else {
            return;
        };
        // Acknowledged only once every later commit reaches this connection's subscribers.
        hub.start().await;
        let settings = self.state.socket;
        let (mut sink, mut source) = socket.split();
        // The client's messages reach the protocol through a queue this loop fills, so that
        // the loop sees every frame (a pong too) and can still read after the protocol ends.
        let (queue, input) = tokio::sync::mpsc::channel::<Vec<u8>>(QUEUED);
        let input = tokio_stream_of(input);
        let mut heard = Instant::now();
        let refused = Arc::new(AtomicBool::new(false));
        let init = {
            let (state, refused) = (self.state.clone(), refused.clone());
            let (header_key, client) = (self.header_key, self.client);
            move |payload: Value| async move {
                let key = key_in(&payload).or(header_key);
                let outcome = admit(&state, key, client).await;
                if outcome.is_err() {
                    refused.store(true, Ordering::SeqCst);
                }
                outcome
            }
        };
        let mut messages = Protocol::new(self.state.schema.clone(), input, protocol)
            .on_connection_init(init)
            .boxed();
        let mut stopped = held.as_ref().map(|h| h.stopped.clone());
        let init_by = tokio::time::Instant::now() + settings.init_within;
        let mut acknowledged = false;
        let mut framing = Framing::new(protocol);
        let mut pings = tokio::time::interval(settings.ping_every);
        pings.tick().await;
        let last: Option<Message> = loop {
            let out = tokio::select! {
                message = messages.next() => message,
                frame = source.next() => {
                    heard = Instant::now();
                    let bytes = match frame {
                        Some(Ok(Message::Text(text))) => text.as_bytes().to_vec(),
                        Some(Ok(Message::Binary(bytes))) => bytes.to_vec(),
                        Some(Ok(Message::Close(_))) | None => break None,
                        // A frame the WebSocket layer refused: larger than a request may be
                        // (its message says so; axum does not expose the error's type), or
                        // malformed. A broken connection takes this way too, and the close
                        // frame then goes nowhere.
                        Some(Err(e)) => {
                            let text = e.to_string();
                            break Some(if text.contains("too long") {
                                close(1009, "the message is larger than a request may be")
                            } else {
                                close(1002, &text)
                            });
                        }
                        Some(Ok(_)) => continue,
                    };
                    if queue.try_send(bytes).is_err() {
                        break Some(close(1008, "too many messages at once"));
                    }
                    continue;
                }
                () = tokio::time::sleep_until(init_by), if !acknowledged => {
                    break Some(close(4408, "connection initialisation timeout"));
                }
                _ = pings.tick() => {
                    if heard.elapsed() > settings.ping_every * 2 {
                        break Some(close(3008, "no answer to pings"));
                    }
                    if sink.send(Message::Ping(Default::default())).await.is_err() {
                        break None;
                    }
                    continue;
                }
                _ = async { match &mut stopped {
                    Some(s) => { let _ = s.wait_for(|stop| *stop).await; }
                    None => std::future::pending().await,
                } } => break Some(close(1001, "the server is shutting down")),
            };
            let message = match out {
                Some(WsMessage::Text(text)) => {
                    acknowledged |= text.contains("\"connection_ack\"");
                    match framing.frame(text) {
                        Some(text) => Message::Text(text.into()),
                        None => continue,
                    }
                }
                Some(WsMessage::Close(code, reason)) => {
                    if refused.load(Ordering::SeqCst) {
                        break Some(close(4403, &reason));
                    }
                    // graphql-transport-ws names an invalid message 4400; async-graphql
                    // closes with WebSocket's generic 1002.
                    let code = match (code, protocol) {
                        (1002, WebSocketProtocols::GraphQLWS) => 4400,
                        _ => code,
                    };
                    break Some(close(code, &reason));
                }
                None => break None,
            };
            if sink.send(message).await.is_err() {
                break None;
            }
        };
        if let Some(last) = last {
            // The closing handshake: the client answers with its own close frame (reading
            // what came before it), then the connection ends.
            if sink.send(last).await.is_ok() {
                let answered = async {
                    while let Some(Ok(frame)) = source.next().await {
                        if matches!(frame, Message::Close(_)) {
                            break;
                        }
                    }
                };
                let _ = tokio::time::timeout(CLOSE_GRACE, answered).await;
            }
        }
        let _ = sink.close().await;
        drop(held);
    }
}

/// The connection's session: its key (checked) and who its subscriptions count against.
async fn admit(
    state: &AppState,
    key: Option<String>,
    client: Option<String>,
) -> async_graphql::Result<async_graphql::Data> {
    super::key_required(state, key.as_deref())
        .await
        .map_err(async_graphql::Error::new)?;
    let client = match &key {
        Some(key) => match crate::auth::authenticate(&state.db, key).await {
            Ok(actor) => format!("key:{}", actor.key_id),
            Err(crate::auth::AuthError::Unauthenticated(m)) => {
                return Err(async_graphql::Error::new(m));
            }
            Err(crate::auth::AuthError::Database(e)) => {
                tracing::warn!(error = %e, "a key could not be checked");
                return Err(async_graphql::Error::new(
                    "the key could not be checked; try again",
                ));
            }
        },
        None => client.unwrap_or_else(|| "anonymous".into()),
    };
    let mut data = async_graphql::Data::default();
    data.insert(Credentials(key));
    data.insert(Session::new(client));
    Ok(data)
}
