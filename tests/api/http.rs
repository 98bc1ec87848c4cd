//! GraphQL over HTTP: media types, methods, status codes and error codes, by the spec.

use crate::helpers::{Backend, TestApp};
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use serde_json::json;

both!(transport_follows_graphql_over_http, errors_carry_codes);

fn post(body: &str, content_type: Option<&str>, accept: Option<&str>) -> Request<Body> {
    let mut request = Request::post("/graphql");
    if let Some(ct) = content_type {
        request = request.header(header::CONTENT_TYPE, ct);
    }
    if let Some(accept) = accept {
        request = request.header(header::ACCEPT, accept);
    }
    request
        .body(Body::from(body.to_string()))
        .expect("a request")
}

fn get(query_string: &str) -> Request<Body> {
    Request::get(format!("/graphql?{query_string}"))
        .body(Body::empty())
        .expect("a request")
}

async fn transport_follows_graphql_over_http(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let ok = r#"{"query":"{ events(first: 1) { totalCount } }"}"#;

    // The media type follows Accept; none, or */*, gets application/json (graphql-http audit).
    for (accept, expected) in [
        (None, "application/json"),
        (Some("*/*"), "application/json"),
        (
            Some("*/*, application/graphql-response+json"),
            "application/graphql-response+json",
        ),
        (
            Some("application/graphql-response+json"),
            "application/graphql-response+json",
        ),
        (Some("application/json"), "application/json"),
        (
            Some("application/json;q=0.9, application/graphql-response+json"),
            "application/graphql-response+json",
        ),
    ] {
        let (status, content_type, body) =
            app.send(post(ok, Some("application/json"), accept)).await;
        assert_eq!(status, StatusCode::OK, "{accept:?}: {body}");
        assert!(
            content_type.starts_with(expected),
            "{accept:?} got {content_type}"
        );
        assert!(
            body["data"]["events"]["totalCount"]
                .as_u64()
                .is_some_and(|n| n > 0)
        );
    }
    let (status, _, _) = app
        .send(post(ok, Some("application/json"), Some("text/html")))
        .await;
    assert_eq!(status, StatusCode::NOT_ACCEPTABLE);

    // A POST must be JSON, in UTF-8.
    for content_type in [
        None,
        Some("text/plain"),
        Some("application/json; charset=latin1"),
    ] {
        let (status, _, body) = app.send(post(ok, content_type, None)).await;
        assert_eq!(
            status,
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "{content_type:?}"
        );
        assert!(body.get("data").is_none());
    }
    // Malformed JSON and malformed parameters are 400 whatever is accepted.
    for body in [
        "{not json",
        r#"{"query": 1}"#,
        r#"{"query":"{ events { totalCount } }","variables":"x"}"#,
        "[]",
    ] {
        for accept in ["application/json", "application/graphql-response+json"] {
            let (status, _, response) = app
                .send(post(body, Some("application/json"), Some(accept)))
                .await;
            assert_eq!(status, StatusCode::BAD_REQUEST, "{body} / {accept}");
            assert_eq!(response["errors"][0]["extensions"]["code"], "BAD_REQUEST");
            assert!(response.get("data").is_none());
        }
    }
    // A document that does not parse or validate: 400 without data for graphql-response+json,
    // 200 for legacy application/json clients.
    for (query, code) in [
        ("{ events(", "GRAPHQL_PARSE_FAILED"),
        ("{ events { nope } }", "GRAPHQL_VALIDATION_FAILED"),
    ] {
        let body = json!({ "query": query }).to_string();
        let graphql_response = Some("application/graphql-response+json");
        let (status, _, response) = app
            .send(post(&body, Some("application/json"), graphql_response))
            .await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{query}");
        assert_eq!(response["errors"][0]["extensions"]["code"], code);
        assert!(response.get("data").is_none(), "{response}");
        let (status, _, response) = app
            .send(post(
                &body,
                Some("application/json"),
                Some("application/json"),
            ))
            .await;
        assert_eq!(status, StatusCode::OK, "{query}");
        assert_eq!(response["errors"][0]["extensions"]["code"], code);
    }

    // GET runs queries, with JSON-encoded variables, and refuses mutations.
    let (status, _, body) =
        app.send(get("query=query%20Q(%24n%3A%20Int!)%20%7B%20events(first%3A%20%24n)%20%7B%20nodes%20%7B%20key%20%7D%20%7D%20%7D&variables=%7B%22n%22%3A2%7D")).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(
        body["data"]["events"]["nodes"].as_array().map(Vec::len),
        Some(2)
    );
    let (status, _, body) = app.send(get("query=mutation%20%7B%20x%20%7D")).await;
    assert_eq!(status, StatusCode::METHOD_NOT_ALLOWED, "{body}");
    let (status, _, _) = app.send(get("variables=%7B%7D")).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);

    // The response keeps the order of the selection set, whatever order fields resolve in.
    let data = app
        .data(
            "{ events(first: 1) { nodes { participants { role } title kinds key } } }",
            json!({}),
        )
        .await;
    let keys: Vec<&String> = data["events"]["nodes"][0]
        .as_object()
        .expect("an event")
        .keys()
        .collect();
    assert_eq!(keys, ["participants", "title", "kinds", "key"]);

    // Health and GraphiQL.
    let (status, _, body) = app
        .send(
            Request::get("/health")
                .body(Body::empty())
                .expect("a request"),
        )
        .await;
    assert_eq!((status, body.as_str()), (StatusCode::OK, Some("ok")));
    let (status, content_type, _) = app
        .send(
            Request::get("/graphiql")
                .body(Body::empty())
                .expect("a request"),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    assert!(content_type.starts_with("text/html"));
}

async fn errors_carry_codes(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let (status, body) = app
        .graphql("{ events(first: 1000) { totalCount } }", json!({}))
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        body["errors"][0]["extensions"]["code"], "BAD_USER_INPUT",
        "{body}"
    );
    let (_, body) = app
        .graphql("{ event(id: \"not-an-id\") { key } }", json!({}))
        .await;
    assert_eq!(
        body["errors"][0]["extensions"]["code"], "BAD_USER_INPUT",
        "{body}"
    );
    let (_, body) = app
        .graphql("{ events(after: \"garbage\") { totalCount } }", json!({}))
        .await;
    assert_eq!(
        body["errors"][0]["extensions"]["code"], "BAD_USER_INPUT",
        "{body}"
    );
    let (_, body) = app
        .graphql(
            "query Q($n: Int!) { events(first: $n) { totalCount } }",
            json!({ "n": "ten" }),
        )
        .await;
    assert!(
        body["errors"][0]["extensions"]["code"].is_string(),
        "{body}"
    );
}
