//! Media-type negotiation, by the GraphQL-over-HTTP spec.

use super::MediaType;
use axum::http::{HeaderMap, HeaderValue, header};

fn negotiate(accept: Option<&str>) -> Option<MediaType> {
    let mut headers = HeaderMap::new();
    if let Some(accept) = accept {
        headers.insert(
            header::ACCEPT,
            HeaderValue::from_str(accept).expect("a header"),
        );
    }
    MediaType::negotiate(&headers)
}

#[test]
fn media_types_are_negotiated_by_the_spec() {
    use MediaType::*;
    assert_eq!(negotiate(None), Some(Json), "no Accept: the legacy type");
    assert_eq!(negotiate(Some("*/*")), Some(Json));
    assert_eq!(negotiate(Some("application/*")), Some(Json));
    assert_eq!(
        negotiate(Some("application/graphql-response+json")),
        Some(GraphqlResponse)
    );
    assert_eq!(
        negotiate(Some("application/json, application/graphql-response+json")),
        Some(GraphqlResponse),
        "equal preference: the newer type"
    );
    assert_eq!(
        negotiate(Some(
            "application/graphql-response+json;q=0.5, application/json"
        )),
        Some(Json),
        "q decides"
    );
    assert_eq!(
        negotiate(Some("APPLICATION/JSON; charset=utf-8")),
        Some(Json)
    );
    assert_eq!(negotiate(Some("application/json;q=0")), None, "q=0 refuses");
    assert_eq!(negotiate(Some("text/html")), None);
}

/// The transport reads a request's operation from the cache of recent documents, as the
/// executor does, instead of parsing the document once more itself: under a query's text the
/// cache holds a subscription here, and the transport refuses the request as one.
#[tokio::test]
async fn the_transport_takes_the_document_from_the_cache() {
    use tower::ServiceExt;
    let db = sea_orm::Database::connect("sqlite::memory:")
        .await
        .expect("an in-memory database");
    let state = crate::state::AppState::new(db);
    let text = "{ __typename }";
    let subscription =
        async_graphql::parser::parse_query("subscription { __typename }").expect("parses");
    state.schema.documents().put(text, subscription);
    let request = axum::http::Request::post("/graphql")
        .header(header::CONTENT_TYPE, "application/json")
        .body(axum::body::Body::from(
            serde_json::json!({ "query": text }).to_string(),
        ))
        .expect("a request");
    let response = crate::app::router(state)
        .oneshot(request)
        .await
        .expect("an answer");
    let bytes = http_body_util::BodyExt::collect(response.into_body())
        .await
        .expect("a body")
        .to_bytes();
    let body: serde_json::Value = serde_json::from_slice(&bytes).expect("JSON");
    let message = body["errors"][0]["message"].as_str().unwrap_or_default();
    assert!(
        message.starts_with("subscriptions run over a WebSocket"),
        "{body}"
    );
}
