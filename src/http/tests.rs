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
