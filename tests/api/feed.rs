//! The changes feed under concurrent writers: a reader polling `changes(after:)` sees every
//! published change exactly once, in commit order, on both databases.

use crate::helpers::{Backend, TestApp, exchange};
use axum::body::Body;
use axum::http::{Request, header};
use entity::enums::Role;
use serde_json::{Value, json};
use std::collections::HashSet;

both!(a_polling_reader_sees_every_change_once_in_order);

async fn post(app: &TestApp, key: &str, query: &str, variables: Value) -> Value {
    let request = Request::post("/graphql")
        .header(header::CONTENT_TYPE, "application/json")
        .header(header::AUTHORIZATION, format!("Bearer {key}"))
        .body(Body::from(
            json!({ "query": query, "variables": variables }).to_string(),
        ))
        .expect("a request");
    let (_, _, body) = exchange(&app.router, request).await;
    assert!(body.get("errors").is_none(), "{body:#}");
    body["data"].clone()
}

const PERSON: &str =
    r#"mutation($input: PersonInput!) { createPerson(input: $input) { proposal { id } } }"#;
const FEED: &str = r#"query($after: String) { changes(first: 7, after: $after) {
  pageInfo { endCursor } nodes { id nodeId action } } }"#;

async fn a_polling_reader_sees_every_change_once_in_order(backend: Backend) {
    let app = TestApp::fixture(backend, "rules").await;
    let (_, key) = scam_atlas::auth::create(app.db(), "Writers", Role::Editor)
        .await
        .expect("a key");
    let writers = 4;
    let each = 6;
    let write = |w: usize| {
        let (app, key) = (&app, key.clone());
        async move {
            for i in 0..each {
                let input = json!({ "key": format!("official-{w}-{i}"), "name": format!("Official {w}-{i}"),
                                    "standing": "PUBLIC_OFFICIAL" });
                post(app, &key, PERSON, json!({ "input": input })).await;
            }
        }
    };
    let read = async {
        let mut cursor = Value::Null;
        let mut seen = Vec::new();
        while seen.len() < writers * each {
            let page = post(&app, &key, FEED, json!({ "after": cursor })).await;
            let nodes = page["changes"]["nodes"]
                .as_array()
                .cloned()
                .unwrap_or_default();
            if let Some(end) = page["changes"]["pageInfo"]["endCursor"].as_str() {
                cursor = json!(end);
            }
            seen.extend(nodes);
            tokio::task::yield_now().await;
        }
        seen
    };
    let writes = futures_util::future::join_all((0..writers).map(write));
    let (_, seen) = tokio::join!(writes, read);
    let ids: Vec<String> = seen
        .iter()
        .map(|c| c["id"].as_str().unwrap_or_default().to_string())
        .collect();
    let unique: HashSet<&String> = ids.iter().collect();
    assert_eq!(unique.len(), ids.len(), "a change seen twice");
    assert_eq!(ids.len(), writers * each, "every change seen");
    // In commit order: the order the whole log reads in afterwards.
    let all = post(
        &app,
        &key,
        "{ changes(first: 100) { nodes { id } } }",
        json!({}),
    )
    .await;
    let log: Vec<String> = all["changes"]["nodes"]
        .as_array()
        .expect("the log")
        .iter()
        .map(|c| c["id"].as_str().unwrap_or_default().to_string())
        .collect();
    assert_eq!(ids, log);
}
