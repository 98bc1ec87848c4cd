//! Query limits: depth and complexity (connection sizes multiplied in) are refused before
//! execution with an error naming the limit.

use crate::helpers::{Backend, TestApp};
use axum::http::StatusCode;
use serde_json::json;

both!(too_deep_and_too_complex_queries_are_refused);

async fn too_deep_and_too_complex_queries_are_refused(backend: Backend) {
    let app = TestApp::spawn(backend).await;

    let mut deep = String::from("name");
    for _ in 0..16 {
        deep = format!("parent {{ {deep} }}");
    }
    let (status, body) = app
        .graphql(
            &format!("{{ locations(first: 1) {{ nodes {{ {deep} }} }} }}"),
            json!({}),
        )
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    assert_eq!(
        body["errors"][0]["extensions"]["code"], "QUERY_TOO_DEEP",
        "{body}"
    );
    assert!(
        body["errors"][0]["message"]
            .as_str()
            .is_some_and(|m| m.contains("15")),
        "{body}"
    );
    assert!(body.get("data").is_none());

    // 100 agencies × 100 events × 100 events: page sizes multiply into the cost.
    let wide = "{ agencies(first: 100) { nodes { events(first: 100) { nodes { agencies { agency { events(first: 100) { nodes { title } } } } } } } } }";
    let (status, body) = app.graphql(wide, json!({})).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    assert_eq!(
        body["errors"][0]["extensions"]["code"], "MAX_COST_EXCEEDED",
        "{body}"
    );
    assert!(
        body["errors"][0]["message"]
            .as_str()
            .is_some_and(|m| m.contains("100000")),
        "{body}"
    );

    // The same shape with small pages is fine.
    let narrow = wide.replace("first: 100", "first: 5");
    let data = app.data(&narrow, json!({})).await;
    assert!(
        data["agencies"]["nodes"]
            .as_array()
            .is_some_and(|a| !a.is_empty())
    );
}
