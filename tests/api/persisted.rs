//! Persisted queries over HTTP, by Apollo's protocol: a hash the server has not seen is
//! `PERSISTED_QUERY_NOT_FOUND`; the document sent with its hash is checked, registered and
//! then served by hash, GET included. With trusted documents only those run.

use crate::helpers::{Backend, TestApp, exchange, post_json};
use axum::body::Body;
use axum::http::{Request, StatusCode};
use scam_atlas::app::{AppState, router};
use scam_atlas::persisted::{PersistedQueries, sha256_hex};
use serde_json::{Value, json};

both!(automatic_persisted_queries);

const JSON: &str = "application/json";
const GRAPHQL_RESPONSE: &str = "application/graphql-response+json";
const DOCUMENT: &str = "query Two { events(first: 2) { nodes { key } } }";

fn hashed(hash: &str) -> Value {
    json!({ "persistedQuery": { "version": 1, "sha256Hash": hash } })
}

fn code(body: &Value) -> &str {
    body["errors"][0]["extensions"]["code"]
        .as_str()
        .unwrap_or_default()
}

async fn automatic_persisted_queries(backend: Backend) {
    let app = TestApp::fixture(backend, "rules").await;
    let hash = sha256_hex(DOCUMENT);
    let by_hash = json!({ "extensions": hashed(&hash) });

    // Unknown: the error Apollo's link retries on, 200 for application/json, 400 for the
    // GraphQL response type (a request error, like a validation failure).
    let (status, _, body) = exchange(&app.router, post_json(&by_hash, JSON)).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(code(&body), "PERSISTED_QUERY_NOT_FOUND", "{body}");
    assert_eq!(body["errors"][0]["message"], "PersistedQueryNotFound");
    let (status, _, body) = exchange(&app.router, post_json(&by_hash, GRAPHQL_RESPONSE)).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    assert_eq!(code(&body), "PERSISTED_QUERY_NOT_FOUND");

    // A document whose hash is not the one sent is refused, and registers nothing.
    let wrong = json!({ "query": "{ countries { code } }", "extensions": hashed(&hash) });
    let (status, _, body) = exchange(&app.router, post_json(&wrong, JSON)).await;
    assert_eq!(
        (status, code(&body)),
        (StatusCode::BAD_REQUEST, "BAD_REQUEST"),
        "{body}"
    );
    // A malformed one too.
    let v2 = json!({ "extensions": { "persistedQuery": { "version": 2, "sha256Hash": hash } } });
    let (status, _, _) = exchange(&app.router, post_json(&v2, JSON)).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    // A document that does not validate is not kept.
    let invalid = "{ nothingHere }";
    let attempt = json!({ "query": invalid, "extensions": hashed(&sha256_hex(invalid)) });
    let (_, _, body) = exchange(&app.router, post_json(&attempt, JSON)).await;
    assert_eq!(code(&body), "GRAPHQL_VALIDATION_FAILED", "{body}");
    let again = json!({ "extensions": hashed(&sha256_hex(invalid)) });
    let (_, _, body) = exchange(&app.router, post_json(&again, JSON)).await;
    assert_eq!(code(&body), "PERSISTED_QUERY_NOT_FOUND", "{body}");

    // Registered with the document, then served by hash: POST, and GET (a short, stable URL).
    let register = json!({ "query": DOCUMENT, "extensions": hashed(&hash) });
    let (status, _, registered) = exchange(&app.router, post_json(&register, JSON)).await;
    assert_eq!(status, StatusCode::OK, "{registered}");
    assert_eq!(
        registered["data"]["events"]["nodes"]
            .as_array()
            .map(Vec::len),
        Some(2)
    );
    let (status, _, served) = exchange(&app.router, post_json(&by_hash, GRAPHQL_RESPONSE)).await;
    assert_eq!(status, StatusCode::OK, "{served}");
    assert_eq!(served["data"], registered["data"]);
    let extensions = hashed(&hash).to_string();
    let url = format!(
        "/graphql?operationName=Two&extensions={}",
        form_urlencoded::byte_serialize(extensions.as_bytes()).collect::<String>()
    );
    let get = Request::get(url).body(Body::empty()).expect("a request");
    let (status, _, by_get) = exchange(&app.router, get).await;
    assert_eq!(status, StatusCode::OK, "{by_get}");
    assert_eq!(by_get["data"], registered["data"]);
}

#[tokio::test]
async fn trusted_documents_are_all_that_runs() {
    let app = TestApp::fixture(Backend::Sqlite, "rules").await;
    let dir = tempfile::tempdir().expect("a directory");
    let file = dir.path().join("persisted-documents.json");
    let hash = sha256_hex(DOCUMENT);
    std::fs::write(&file, json!({ hash.clone(): DOCUMENT }).to_string()).expect("written");
    let trusted = PersistedQueries::trusted_from_file(&file).expect("the file loads");
    let app_router = router(AppState::new(app.db().clone()).with_persisted(trusted));

    // By hash, and sent in full: both run.
    let (status, _, body) = exchange(
        &app_router,
        post_json(&json!({ "extensions": hashed(&hash) }), JSON),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(
        body["data"]["events"]["nodes"].as_array().map(Vec::len),
        Some(2)
    );
    let (_, _, body) = exchange(&app_router, post_json(&json!({ "query": DOCUMENT }), JSON)).await;
    assert!(body.get("errors").is_none(), "{body}");
    // And by GraphQL over HTTP's `documentId`.
    let by_id = json!({ "documentId": format!("sha256:{hash}") });
    let (_, _, body) = exchange(&app_router, post_json(&by_id, JSON)).await;
    assert_eq!(
        body["data"]["events"]["nodes"].as_array().map(Vec::len),
        Some(2),
        "{body}"
    );

    // Anything else is refused, and cannot be registered.
    let other = "{ countries { code } }";
    for attempt in [
        json!({ "query": other }),
        json!({ "query": other, "extensions": hashed(&sha256_hex(other)) }),
        json!({ "extensions": hashed(&sha256_hex(other)) }),
    ] {
        let (status, _, body) = exchange(&app_router, post_json(&attempt, GRAPHQL_RESPONSE)).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
        assert_eq!(
            code(&body),
            "PERSISTED_QUERY_NOT_ALLOWED",
            "{attempt}: {body}"
        );
    }

    // A file whose hash is not its document's is refused at start.
    std::fs::write(&file, json!({ sha256_hex(other): DOCUMENT }).to_string()).expect("written");
    let error = PersistedQueries::trusted_from_file(&file)
        .err()
        .expect("refused");
    assert!(error.to_string().contains("not the SHA-256"), "{error}");
}
