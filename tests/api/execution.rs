//! One execution path: `schema.execute` called directly answers exactly as `POST /graphql`
//! does, with the same SQL statements, because loaders, waves, field order and error codes
//! live behind the schema, not in the HTTP handler.

use crate::helpers::{Backend, TestApp};
use axum::body::Body;
use axum::http::{Request, header};
use http_body_util::BodyExt;
use scam_atlas::app::{AppState, router};
use scam_atlas::request_id::RequestId;
use serde_json::{Value, json};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use tower::ServiceExt;

both!(schema_execute_answers_as_http_does);

const NESTED: &str = include_str!("../../src/graphql/examples/nested.graphql");

/// A relation reached through every kind of nesting: connections inside lists inside pages.
const DEEP: &str = r#"
query Deep {
  events(first: 10) {
    totalCount
    nodes {
      title kinds
      participants { nationality { code name } count { value claims { quote source { outlet } } } }
      agencies { agency { name events(first: 3) { totalCount nodes { title } } } }
      citations { source { headline } supports { fact location { name } } }
    }
  }
  bad: event(id: "nope") { title }
}"#;

async fn schema_execute_answers_as_http_does(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let statements = Arc::new(AtomicUsize::new(0));
    let mut db = app.db().clone();
    let seen = statements.clone();
    db.set_metric_callback(move |_| {
        seen.fetch_add(1, Ordering::SeqCst);
    });
    let state = AppState::new(db);
    let http = router(state.clone());
    for document in [NESTED, DEEP] {
        statements.store(0, Ordering::SeqCst);
        let request = Request::post("/graphql")
            .header(header::CONTENT_TYPE, "application/json")
            .body(Body::from(json!({ "query": document }).to_string()))
            .expect("a request");
        let response = http.clone().oneshot(request).await.expect("an answer");
        // The transport gives the request its ID; the schema tags errors with whatever ID
        // its request carries, so the direct request is given the same one.
        let id = response.headers()["x-request-id"]
            .to_str()
            .expect("an ID")
            .to_string();
        let bytes = response
            .into_body()
            .collect()
            .await
            .expect("a body")
            .to_bytes();
        let over_http: Value = serde_json::from_slice(&bytes).expect("JSON");
        let http_statements = statements.swap(0, Ordering::SeqCst);

        let direct = state
            .schema
            .execute(async_graphql::Request::new(document).data(RequestId(id)))
            .await;
        let direct = serde_json::to_value(&direct).expect("a response serialises");
        let direct_statements = statements.load(Ordering::SeqCst);

        assert_eq!(direct, over_http, "{backend:?}: the same answer");
        assert_eq!(
            direct_statements, http_statements,
            "{backend:?}: the same statements"
        );
        assert!(
            http_statements > 2 && http_statements < 30,
            "{backend:?}: batched statements, not none and not one per row: {http_statements}"
        );
    }
    // The direct answer is really complete: nested relations resolved, errors coded.
    let direct = state
        .schema
        .execute(async_graphql::Request::new(DEEP))
        .await;
    let direct = serde_json::to_value(&direct).expect("JSON");
    let first = &direct["data"]["events"]["nodes"][0];
    assert!(first["participants"].is_array(), "{direct:#}");
    assert!(first["agencies"][0]["agency"]["events"]["totalCount"].is_u64());
    assert_eq!(direct["errors"][0]["extensions"]["code"], "BAD_USER_INPUT");
    // Fields keep the order of the selection, although loaders finish in another order.
    let keys: Vec<&String> = first.as_object().expect("an event").keys().collect();
    assert_eq!(
        keys,
        ["title", "kinds", "participants", "agencies", "citations"]
    );
}
