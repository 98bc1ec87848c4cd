//! The socket itself: keys and limits, pings and timeouts, queries and the legacy protocol,
//! and what bad messages do.

use super::client::{Client, PATIENCE, http_get, instance, open};
use super::{CHANGED, TOTALS_CHANGED};
use crate::helpers::{Backend, TestApp};
use crate::writes::{keys, ok};
use futures_util::{SinkExt, StreamExt};
use scam_atlas::app::AppState;
use scam_atlas::state::SocketSettings as Settings;
use serde_json::{Value, json};
use std::time::Duration;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;

both!(
    keys_and_limits_hold_on_the_socket,
    silent_sockets_are_closed,
    queries_and_the_legacy_protocol_work_on_the_socket,
    bad_messages_close_that_socket_only,
);

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

    // Over HTTP, a subscription is told where it runs.
    let (_, body) = app
        .graphql("subscription { totalsChanged { cursor } }", json!({}))
        .await;
    assert_eq!(
        body["errors"][0]["extensions"]["code"], "BAD_REQUEST",
        "{body}"
    );
    assert!(
        body["errors"][0]["message"]
            .as_str()
            .is_some_and(|m| m.contains("WebSocket")),
        "{body}"
    );

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
