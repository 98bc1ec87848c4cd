//! Subscriptions over WebSocket, as a `graphql-transport-ws` client speaks them: a publish on
//! one instance reaches a subscriber on another with nested fields; a subscriber that drops
//! its connection catches up through `changes` or `changed(after:)`; keys, limits, pings.

use crate::helpers::{Backend, TestApp, country_id};
use crate::writes::{
    CREATE_EVENT, CREATE_SOURCE, HERALD, Keys, TOTALS, keys, ok, raid, source, total_of,
};
use futures_util::{SinkExt, StreamExt};
use scam_atlas::app::{AppState, router};
use scam_atlas::http::socket::Settings;
use sea_orm::ConnectionTrait;
use serde_json::{Value, json};
use std::net::SocketAddr;
use std::time::Duration;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;

both!(
    a_publish_on_one_instance_reaches_a_subscriber_on_another,
    a_subscriber_that_reconnects_misses_nothing,
    keys_and_limits_hold_on_the_socket,
    silent_sockets_are_closed,
    queries_and_the_legacy_protocol_work_on_the_socket,
    the_readmes_subscriptions_run_as_written,
    bad_messages_close_that_socket_only,
);

/// How long a test waits for a message before it fails.
const PATIENCE: Duration = Duration::from_secs(20);

/// Another instance over `app`'s database (its own pool, schema and feeder), served on a port.
async fn instance(app: &TestApp, state: impl FnOnce(AppState) -> AppState) -> SocketAddr {
    let pool = scam_atlas::db::connect(&app.store.url)
        .await
        .expect("a second pool");
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("a port");
    let addr = listener.local_addr().expect("an address");
    tokio::spawn(scam_atlas::transport::serve(
        listener,
        router(state(AppState::new(pool))),
        Default::default(),
        std::future::pending(),
    ));
    addr
}

type Stream =
    tokio_tungstenite::WebSocketStream<tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>>;

/// A GraphQL WebSocket client.
struct Client {
    socket: Stream,
    /// Every message received, in order.
    seen: Vec<Value>,
    /// Messages received but not yet taken by `until`.
    unread: std::collections::VecDeque<Value>,
}

/// Opens a socket speaking `protocol`, unacknowledged.
async fn open(addr: SocketAddr, protocol: &str) -> Stream {
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
    async fn connect(addr: SocketAddr, payload: Value) -> Client {
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
    async fn with_key(addr: SocketAddr, key: &str) -> Client {
        Client::connect(addr, json!({ "Authorization": format!("Bearer {key}") })).await
    }

    async fn send(&mut self, message: Value) {
        self.socket
            .send(Message::text(message.to_string()))
            .await
            .expect("a message sent");
    }

    async fn subscribe(&mut self, id: &str, query: &str, variables: Value) {
        self.send(json!({ "id": id, "type": "subscribe",
                          "payload": { "query": query, "variables": variables } }))
            .await;
    }

    /// Waits until the server has handled every message sent so far (it answers a ping
    /// after them): from then on, each subscription hears of every commit.
    async fn settle(&mut self) {
        self.send(json!({ "type": "ping" })).await;
        self.until(|m| m["type"] == "pong").await;
    }

    /// The next protocol message; None when the socket closes, with the close code recorded
    /// as `{"close": code}`.
    async fn next(&mut self) -> Option<Value> {
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
    async fn until(&mut self, wanted: impl Fn(&Value) -> bool) -> Value {
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
    async fn payload(&mut self, id: &str) -> Value {
        let message = self
            .until(|m| m["id"] == id && (m["type"] == "next" || m["type"] == "error"))
            .await;
        assert_eq!(message["type"], "next", "{message:#}");
        message["payload"].clone()
    }

    /// The close code the server ends the socket with.
    async fn close_code(&mut self) -> u16 {
        while self.next().await.is_some() {}
        match self.seen.last() {
            Some(last) if last.get("close").is_some() => last["close"].as_u64().unwrap_or(0) as u16,
            _ => panic!("closed without a close frame: {:#?}", self.seen),
        }
    }
}

const EVENT_PUBLISHED: &str = r#"
subscription($countries: [ID!]) {
  eventPublished(filter: { countries: $countries }) {
    key title
    participants { nationality { code } count { value claims { value quote source { key } } } }
  }
}"#;

const CHANGED: &str = r#"
subscription($after: String, $types: [String!]) {
  changed(after: $after, filter: { types: $types }) { cursor action nodeType nodeId node { id } }
}"#;

const TOTALS_CHANGED: &str = r#"
subscription {
  totalsChanged {
    cursor
    changes { nodeType }
    query { participantTotals(groupBy: [NATIONALITY]) { nationality { code } total { value low high } eventCount } }
  }
}"#;

/// The editor publishes the Herald's article, then its raid, through `app`.
async fn publish_raid(app: &TestApp, k: &Keys, key: &str) {
    ok(
        app,
        Some(&k.editor),
        CREATE_SOURCE,
        json!({ "input": source(&format!("herald-{key}"), "The Harbour Herald"), "text": HERALD }),
    )
    .await;
    let mut event = raid(key);
    event["citations"][0]["source"] = json!(format!("herald-{key}"));
    event["participants"][0]["count"][0]["source"] = json!(format!("herald-{key}"));
    ok(
        app,
        Some(&k.editor),
        CREATE_EVENT,
        json!({ "input": event }),
    )
    .await;
}

/// Long enough that a test fails rather than waits for the feeder's periodic read: only a
/// notification (or, on SQLite, the writer's wake-up) delivers.
const NO_RESYNC: Duration = Duration::from_secs(3600);

async fn a_publish_on_one_instance_reaches_a_subscriber_on_another(backend: Backend) {
    let a = TestApp::fixture(backend, "rules").await;
    let k = keys(&a).await;
    let b = instance(&a, |s| s.with_resync_every(NO_RESYNC)).await;
    let before = ok(&a, None, TOTALS, json!({})).await;

    let mut anonymous = Client::connect(b, json!({})).await;
    anonymous
        .subscribe(
            "here",
            EVENT_PUBLISHED,
            json!({ "countries": [country_id("XA")] }),
        )
        .await;
    anonymous
        .subscribe(
            "elsewhere",
            EVENT_PUBLISHED,
            json!({ "countries": [country_id("XB")] }),
        )
        .await;
    anonymous
        .subscribe("totals", TOTALS_CHANGED, json!({}))
        .await;
    anonymous.settle().await;
    let mut partner = Client::with_key(b, &k.contributor).await;
    partner
        .subscribe("all", CHANGED, json!({ "types": ["Event", "Source"] }))
        .await;
    partner.settle().await;

    publish_raid(&a, &k, "dockside-raid").await;

    // The event, with the nested fields a query would give.
    let event = anonymous.payload("here").await["data"]["eventPublished"].clone();
    assert_eq!(event["key"], "dockside-raid");
    let group = &event["participants"][0];
    assert_eq!(group["nationality"]["code"], "XB");
    assert_eq!(group["count"]["value"], 40);
    assert_eq!(
        group["count"]["claims"][0]["source"]["key"],
        "herald-dockside-raid"
    );
    assert!(
        group["count"]["claims"][0]["quote"]
            .as_str()
            .is_some_and(|q| q.contains("arrested 40")),
        "{event:#}"
    );

    // The totals, as they stand after the publish, in the payload itself.
    let mut totals = anonymous.payload("totals").await["data"]["totalsChanged"].clone();
    while totals["changes"]
        .as_array()
        .is_none_or(|c| !c.iter().any(|c| c["nodeType"] == "Event"))
    {
        totals = anonymous.payload("totals").await["data"]["totalsChanged"].clone();
    }
    let xb = |t: &Value| total_of(t, "XB")["value"].as_i64().unwrap_or(0);
    assert_eq!(xb(&totals["query"]), xb(&before) + 40, "{totals:#}");
    assert_eq!(
        totals["query"],
        ok(&a, None, TOTALS, json!({})).await,
        "the payload's totals are the query's"
    );

    // The partner's feed: the source, then the event, each once, in commit order.
    let first = partner.payload("all").await["data"]["changed"].clone();
    let second = partner.payload("all").await["data"]["changed"].clone();
    assert_eq!(
        (&first["nodeType"], &first["action"]),
        (&json!("Source"), &json!("CREATED"))
    );
    assert_eq!(
        (&second["nodeType"], &second["action"]),
        (&json!("Event"), &json!("CREATED"))
    );
    assert_eq!(second["node"]["id"], second["nodeId"]);

    // The filter held: the other country's subscription heard nothing.
    anonymous.settle().await;
    assert!(
        !anonymous.seen.iter().any(|m| m["id"] == "elsewhere"),
        "{:#?}",
        anonymous.seen
    );
}

async fn a_subscriber_that_reconnects_misses_nothing(backend: Backend) {
    let app = TestApp::fixture(backend, "rules").await;
    let k = keys(&app).await;
    let b = instance(&app, |s| s).await;
    let mut partner = Client::with_key(b, &k.contributor).await;
    partner.subscribe("feed", CHANGED, json!({})).await;
    partner.settle().await;
    ok(
        &app,
        Some(&k.editor),
        CREATE_SOURCE,
        json!({ "input": source("herald-first", "The Harbour Herald"), "text": HERALD }),
    )
    .await;
    let seen = partner.payload("feed").await["data"]["changed"].clone();
    let cursor = seen["cursor"].as_str().expect("a cursor").to_string();
    partner.socket.close(None).await.expect("closed");

    // Published while the partner is away.
    publish_raid(&app, &k, "missed-raid").await;

    // Through the feed: exactly what was missed, in order.
    let page = ok(
        &app,
        Some(&k.contributor),
        "query($after: String) { changes(first: 100, after: $after) { nodes { cursor nodeType nodeId action } } }",
        json!({ "after": cursor }),
    )
    .await;
    let missed = page["changes"]["nodes"].as_array().expect("nodes").clone();
    assert!(
        missed.iter().any(|c| c["nodeType"] == "Event"),
        "{missed:#?}"
    );

    // Through the subscription, resumed from the cursor: the same changes, then live ones.
    let mut again = Client::with_key(b, &k.contributor).await;
    again
        .subscribe("feed", CHANGED, json!({ "after": cursor }))
        .await;
    let mut replayed = Vec::new();
    for _ in 0..missed.len() {
        let change = again.payload("feed").await["data"]["changed"].clone();
        replayed.push(
            json!({ "cursor": change["cursor"], "nodeType": change["nodeType"],
                              "nodeId": change["nodeId"], "action": change["action"] }),
        );
    }
    assert_eq!(replayed, missed, "replayed in commit order, each once");
    again.settle().await;
    ok(
        &app,
        Some(&k.editor),
        CREATE_SOURCE,
        json!({ "input": source("herald-later", "The Harbour Herald"), "text": HERALD }),
    )
    .await;
    let live = again.payload("feed").await["data"]["changed"].clone();
    assert_eq!(
        live["nodeId"],
        scam_atlas::graphql::ids::encode("Source", "herald-later").to_string()
    );
    again.settle().await;
    let feed_messages = again.seen.iter().filter(|m| m["id"] == "feed").count();
    assert_eq!(
        feed_messages,
        missed.len() + 1,
        "nothing twice: {:#?}",
        again.seen
    );
}

async fn keys_and_limits_hold_on_the_socket(backend: Backend) {
    let app = TestApp::fixture(backend, "rules").await;
    let k = keys(&app).await;
    let b = instance(&app, |s| s.with_subscription_limits(2, 3)).await;

    // A key the server does not know: 4403, before any subscription.
    let mut stranger = Client {
        socket: open(b, "graphql-transport-ws").await,
        seen: Vec::new(),
        unread: Default::default(),
    };
    stranger
        .send(json!({ "type": "connection_init", "payload": { "Authorization": "Bearer sa_live_nope" } }))
        .await;
    assert_eq!(stranger.close_code().await, 4403, "{:#?}", stranger.seen);

    // `changed` needs a key, as `changes` does.
    let mut anonymous = Client::connect(b, json!({})).await;
    anonymous.subscribe("c", CHANGED, json!({})).await;
    let error = anonymous
        .until(|m| m["id"] == "c" && m["type"] == "error")
        .await;
    assert_eq!(error["payload"][0]["extensions"]["code"], "UNAUTHENTICATED");

    // Two per connection, three per client (the key) over its connections.
    let mut one = Client::with_key(b, &k.contributor).await;
    for id in ["1", "2", "3"] {
        one.subscribe(id, TOTALS_CHANGED, json!({})).await;
    }
    let refused = one.until(|m| m["type"] == "error").await;
    assert_eq!(refused["id"], "3");
    assert_eq!(
        refused["payload"][0]["extensions"]["code"],
        "TOO_MANY_SUBSCRIPTIONS"
    );
    let mut two = Client::with_key(b, &k.contributor).await;
    two.subscribe("4", TOTALS_CHANGED, json!({})).await;
    two.subscribe("5", TOTALS_CHANGED, json!({})).await;
    let refused = two.until(|m| m["type"] == "error").await;
    assert_eq!(
        refused["id"], "5",
        "the key's third subscription is its last"
    );
    let metrics = http_get(b, "/metrics").await;
    assert!(
        metrics.contains("scam_atlas_subscriptions_open 3"),
        "the gauge counts the three open: {metrics}"
    );
    // Completing one gives its place back.
    one.send(json!({ "id": "1", "type": "complete" })).await;
    one.settle().await;
    two.subscribe("6", TOTALS_CHANGED, json!({})).await;
    two.settle().await;
    assert!(
        !two.seen
            .iter()
            .any(|m| m["id"] == "6" && m["type"] == "error"),
        "{:#?}",
        two.seen
    );

    // A server that needs a key for reads needs one on the socket.
    let strict = instance(&app, AppState::with_keys_required).await;
    let mut keyless = Client {
        socket: open(strict, "graphql-transport-ws").await,
        seen: Vec::new(),
        unread: Default::default(),
    };
    keyless
        .send(json!({ "type": "connection_init", "payload": {} }))
        .await;
    assert_eq!(keyless.close_code().await, 4403);
    Client::with_key(strict, &k.contributor).await;
}

async fn silent_sockets_are_closed(backend: Backend) {
    let app = TestApp::fixture(backend, "rules").await;
    let settings = Settings {
        init_within: Duration::from_millis(300),
        ping_every: Duration::from_millis(200),
    };
    let b = instance(&app, |s| s.with_socket_settings(settings)).await;

    // No connection_init: 4408.
    let mut mute = Client {
        socket: open(b, "graphql-transport-ws").await,
        seen: Vec::new(),
        unread: Default::default(),
    };
    assert_eq!(mute.close_code().await, 4408);

    // A client that reads (its WebSocket answers the pings) stays, well past two rounds.
    let mut awake = Client::connect(b, json!({})).await;
    let listening = async {
        loop {
            awake.next().await;
        }
    };
    let _ = tokio::time::timeout(Duration::from_millis(1200), listening).await;
    awake.settle().await;

    // One that stops reading stops answering: closed with 3008.
    let mut asleep = Client::connect(b, json!({})).await;
    tokio::time::sleep(Duration::from_millis(1200)).await;
    assert_eq!(asleep.close_code().await, 3008);
}

async fn queries_and_the_legacy_protocol_work_on_the_socket(backend: Backend) {
    let app = TestApp::fixture(backend, "rules").await;
    let b = instance(&app, |s| s).await;
    let mut client = Client::connect(b, json!({})).await;
    client
        .subscribe("q", "{ event(key: \"harbour-raid\") { key } }", json!({}))
        .await;
    let answer = client.payload("q").await;
    let complete = client.until(|m| m["id"] == "q").await;
    assert_eq!(complete["type"], "complete");
    let expected = ok(
        &app,
        None,
        "{ event(key: \"harbour-raid\") { key } }",
        json!({}),
    )
    .await;
    assert_eq!(answer["data"], expected);

    // A document that breaks a rule gets its code, as over HTTP.
    client
        .subscribe("bad", "subscription { nope }", json!({}))
        .await;
    let error = client.until(|m| m["id"] == "bad").await;
    assert_eq!(error["type"], "error");
    assert_eq!(
        error["payload"][0]["extensions"]["code"],
        "GRAPHQL_VALIDATION_FAILED"
    );

    // An upgrade offering no protocol the server speaks: a 400 with the API's JSON error.
    let request = format!("ws://{b}/graphql")
        .into_client_request()
        .expect("a request");
    match tokio_tungstenite::connect_async(request).await {
        Err(tokio_tungstenite::tungstenite::Error::Http(response)) => {
            assert_eq!(response.status(), 400);
            let body: Value =
                serde_json::from_slice(response.body().as_deref().unwrap_or_default())
                    .expect("a JSON body");
            assert_eq!(body["errors"][0]["extensions"]["code"], "BAD_REQUEST");
        }
        other => panic!("an upgrade without a subprotocol was not refused: {other:?}"),
    }

    // The legacy subprotocol (subscriptions-transport-ws's `graphql-ws`).
    let mut legacy = open(b, "graphql-ws").await;
    for message in [
        json!({ "type": "connection_init", "payload": {} }),
        json!({ "id": "1", "type": "start", "payload": { "query": "{ event(key: \"harbour-raid\") { key } }" } }),
    ] {
        legacy
            .send(Message::text(message.to_string()))
            .await
            .expect("sent");
    }
    let mut types = Vec::new();
    while types.last() != Some(&json!("complete")) {
        let message = tokio::time::timeout(PATIENCE, legacy.next())
            .await
            .expect("in time")
            .expect("open")
            .expect("a message");
        if let Message::Text(text) = message {
            let value: Value = serde_json::from_str(&text).expect("JSON");
            if value["type"] == "data" {
                assert_eq!(value["payload"]["data"], expected);
            }
            types.push(value["type"].clone());
        }
    }
    assert!(
        types.contains(&json!("connection_ack")) && types.contains(&json!("data")),
        "{types:?}"
    );
}

async fn the_readmes_subscriptions_run_as_written(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let (_, key) = scam_atlas::auth::create(app.db(), "Reader", entity::enums::Role::Contributor)
        .await
        .expect("a key");
    let b = instance(&app, |s| s).await;
    let readme = include_str!("../../README.md");
    let mut client = Client::with_key(b, &key).await;
    let mut ids = Vec::new();
    for block in readme.split("```graphql\n").skip(1) {
        let block = &block[..block.find("```").expect("a closed block")];
        // Each `subscription` of the block, on its own.
        for (i, document) in block.split("\nsubscription ").enumerate() {
            let document = if i == 0 {
                document.to_string()
            } else {
                format!("subscription {document}")
            };
            if !document.trim_start().starts_with("subscription") {
                continue;
            }
            let id = format!("readme-{}", ids.len());
            client.subscribe(&id, &document, json!({})).await;
            ids.push(id);
        }
    }
    assert_eq!(ids.len(), 3, "the README shows three subscriptions");
    // A refusal would come as each starts (its key checked, its document validated).
    client.settle().await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    client.settle().await;
    assert!(
        !client
            .seen
            .iter()
            .any(|m| m["type"] == "error" || m["type"] == "complete"),
        "{:#?}",
        client.seen
    );
}

/// The body of `GET path` on the instance at `addr`.
async fn http_get(addr: SocketAddr, path: &str) -> String {
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

/// PostgreSQL only: a change whose notification never came (as when it commits while the
/// listener is away) is read once the listener's connection, killed, is made again; with no
/// periodic read to fall back on. Then notifications flow again.
#[tokio::test]
#[cfg_attr(
    not(postgres_tests),
    ignore = "PostgreSQL: set TEST_DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres to run"
)]
async fn a_listener_that_loses_its_connection_misses_nothing() {
    use sea_orm::{ActiveModelTrait, Set};
    let app = TestApp::fixture(Backend::Postgres, "rules").await;
    let k = keys(&app).await;
    let b = instance(&app, |s| s.with_resync_every(NO_RESYNC)).await;
    let mut partner = Client::with_key(b, &k.contributor).await;
    partner.subscribe("feed", CHANGED, json!({})).await;
    partner.settle().await;
    // A change in the table that no notification announced.
    entity::change::ActiveModel {
        at: Set(chrono::Utc::now()),
        actor: Set("Desk".into()),
        action: Set(entity::enums::ChangeAction::Created),
        node_type: Set("Source".into()),
        node_key: Set("unannounced".into()),
        ..Default::default()
    }
    .insert(app.db())
    .await
    .expect("a change row");
    partner.settle().await;
    assert!(
        !partner.seen.iter().any(|m| m["id"] == "feed"),
        "nothing announced it yet: {:#?}",
        partner.seen
    );
    let listeners = "SELECT pid FROM pg_stat_activity WHERE datname = current_database() \
                     AND query LIKE 'LISTEN %scam_atlas_changes%'";
    let killed = app
        .db()
        .query_all_raw(sea_orm::Statement::from_string(
            sea_orm::DbBackend::Postgres,
            format!("SELECT pg_terminate_backend(pid) AS killed FROM ({listeners}) AS l"),
        ))
        .await
        .expect("the listener's backend is terminated");
    assert_eq!(killed.len(), 1, "one listener: instance B's");
    let change = partner.payload("feed").await["data"]["changed"].clone();
    assert_eq!(
        change["nodeId"],
        scam_atlas::graphql::ids::encode("Source", "unannounced").to_string()
    );
    // Listening again: a publish is notified as before.
    ok(
        &app,
        Some(&k.editor),
        CREATE_SOURCE,
        json!({ "input": source("herald-back", "The Harbour Herald"), "text": HERALD }),
    )
    .await;
    let change = partner.payload("feed").await["data"]["changed"].clone();
    assert_eq!(
        change["nodeId"],
        scam_atlas::graphql::ids::encode("Source", "herald-back").to_string()
    );
}

async fn bad_messages_close_that_socket_only(backend: Backend) {
    let app = TestApp::fixture(backend, "rules").await;
    let b = instance(&app, |s| s).await;
    let mut bystander = Client::connect(b, json!({})).await;
    bystander.subscribe("t", TOTALS_CHANGED, json!({})).await;

    // Not JSON; a message of an unknown type; a message larger than a request may be.
    let huge = format!(
        "{{\"type\":\"ping\",\"payload\":\"{}\"}}",
        "x".repeat(2 << 20)
    );
    for (garbage, expected) in [
        ("{ not json".to_string(), 4400u16),
        (json!({ "type": "launch" }).to_string(), 4400),
        (huge, 1009),
    ] {
        let mut client = Client::connect(b, json!({})).await;
        let _ = client.socket.send(Message::text(garbage)).await;
        let code = client.close_code().await;
        assert_eq!(code, expected, "{:#?}", client.seen);
    }

    // The others carry on.
    bystander.settle().await;
    assert!(
        !bystander.seen.iter().any(|m| m["type"] == "error"),
        "{:#?}",
        bystander.seen
    );
    let data = ok(&app, None, "{ events(first: 1) { totalCount } }", json!({})).await;
    assert!(data["events"]["totalCount"].as_i64().is_some());
}
