//! Delivery: across instances, after a reconnect, after the listener loses its connection,
//! and the README's documents.

use super::client::{Client, instance};
use super::{CHANGED, EVENT_PUBLISHED, TOTALS_CHANGED};
use crate::helpers::{Backend, TestApp, country_id};
use crate::writes::{
    CREATE_EVENT, CREATE_SOURCE, HERALD, Keys, TOTALS, keys, ok, raid, source, total_of,
};
use sea_orm::ConnectionTrait;
use serde_json::{Value, json};
use std::time::Duration;

both!(
    a_publish_on_one_instance_reaches_a_subscriber_on_another,
    a_subscriber_that_reconnects_misses_nothing,
    the_readmes_subscriptions_run_as_written,
);

/// The editor publishes an article of the Herald's under `key`, through `app`.
async fn publish_source(app: &TestApp, k: &Keys, key: &str) {
    let input = source(key, "The Harbour Herald");
    ok(
        app,
        Some(&k.editor),
        CREATE_SOURCE,
        json!({ "input": input, "text": HERALD }),
    )
    .await;
}

/// The global ID of the source with `key`.
fn source_id(key: &str) -> String {
    scam_atlas::graphql::ids::encode("Source", key).to_string()
}

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
    publish_source(&app, &k, "herald-first").await;
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
    publish_source(&app, &k, "herald-later").await;
    let live = again.payload("feed").await["data"]["changed"].clone();
    assert_eq!(live["nodeId"], source_id("herald-later"));
    again.settle().await;
    let feed_messages = again.seen.iter().filter(|m| m["id"] == "feed").count();
    assert_eq!(
        feed_messages,
        missed.len() + 1,
        "nothing twice: {:#?}",
        again.seen
    );
}

async fn the_readmes_subscriptions_run_as_written(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let (_, key) = scam_atlas::auth::create(app.db(), "Reader", entity::enums::Role::Contributor)
        .await
        .expect("a key");
    let b = instance(&app, |s| s).await;
    let readme = include_str!("../../../README.md");
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
    assert_eq!(change["nodeId"], source_id("unannounced"));
    // Listening again: a publish is notified as before.
    publish_source(&app, &k, "herald-back").await;
    let change = partner.payload("feed").await["data"]["changed"].clone();
    assert_eq!(change["nodeId"], source_id("herald-back"));
}
