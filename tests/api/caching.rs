//! HTTP caching of GET queries: a strong `ETag` of the query, its variables and the data
//! version, `304` to `If-None-Match`, the configured `Cache-Control`; right across instances,
//! since the version is read from the database.

use crate::helpers::{Backend, TestApp, exchange, post_json};
use axum::Router;
use axum::body::Body;
use axum::http::{HeaderMap, HeaderValue, Request, StatusCode, header};
use scam_atlas::app::{AppState, router};
use scam_atlas::service::version;
use serde_json::{Value, json};

both!(
    get_answers_carry_a_tag_and_are_revalidated,
    a_publish_changes_every_instances_tags,
    only_clean_get_answers_are_tagged
);

const QUERY: &str = "query($n: Int) { events(first: $n) { nodes { key } } }";

/// A GET of `QUERY` with `first: n`, sending `tag` as `If-None-Match`.
async fn get(router: &Router, n: i64, tag: Option<&HeaderValue>) -> (StatusCode, HeaderMap, Value) {
    let query = form_urlencoded::Serializer::new(String::new())
        .append_pair("query", QUERY)
        .append_pair("variables", &json!({ "n": n }).to_string())
        .finish();
    let mut request = Request::get(format!("/graphql?{query}"));
    if let Some(tag) = tag {
        request = request.header(header::IF_NONE_MATCH, tag);
    }
    exchange(router, request.body(Body::empty()).expect("a request")).await
}

fn etag(headers: &HeaderMap) -> HeaderValue {
    headers.get(header::ETAG).cloned().expect("an ETag")
}

async fn get_answers_carry_a_tag_and_are_revalidated(backend: Backend) {
    let app = TestApp::fixture(backend, "rules").await;
    let (status, headers, body) = get(&app.router, 2, None).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let tag = etag(&headers);
    assert!(
        tag.to_str().unwrap_or_default().starts_with("\"v"),
        "strong: {tag:?}"
    );
    assert_eq!(headers[header::CACHE_CONTROL], "no-cache");
    assert_eq!(headers[header::VARY], "Accept");
    // The same request is the same tag; the client holding it gets 304 and no body.
    let (status, again, body) = get(&app.router, 2, Some(&tag)).await;
    assert_eq!(status, StatusCode::NOT_MODIFIED);
    assert_eq!(body, json!(""));
    assert_eq!(etag(&again), tag);
    // Other variables, another answer: another tag, and a full answer.
    let (status, other, _) = get(&app.router, 3, Some(&tag)).await;
    assert_eq!(status, StatusCode::OK);
    assert_ne!(etag(&other), tag);
    // `*` and lists match; a weak form of the tag matches too (If-None-Match compares weakly).
    let list = HeaderValue::from_str(&format!("\"x\", W/{}", tag.to_str().unwrap_or_default()))
        .expect("a header");
    assert_eq!(
        get(&app.router, 2, Some(&list)).await.0,
        StatusCode::NOT_MODIFIED
    );
    // Cache-Control is configurable.
    let configured = router(
        AppState::new(app.db().clone())
            .with_cache_control(HeaderValue::from_static("public, max-age=60")),
    );
    let (_, headers, _) = get(&configured, 2, None).await;
    assert_eq!(headers[header::CACHE_CONTROL], "public, max-age=60");
}

async fn a_publish_changes_every_instances_tags(backend: Backend) {
    let app = TestApp::fixture(backend, "rules").await;
    let before = version::current(app.db()).await.expect("reads the version");
    assert!(before >= 1, "the load published: {before}");
    // A second instance over the same database agrees.
    let other = router(AppState::new(app.db().clone()));
    let tag = etag(&get(&app.router, 2, None).await.1);
    assert_eq!(etag(&get(&other, 2, None).await.1), tag);
    // A publish (any writer, any instance) bumps the version in the database ...
    version::bump(app.db()).await.expect("bumps");
    assert_eq!(version::current(app.db()).await.expect("reads"), before + 1);
    // ... and no instance answers 304 to the old tag any more.
    for instance in [&app.router, &other] {
        let (status, headers, _) = get(instance, 2, Some(&tag)).await;
        assert_eq!(status, StatusCode::OK);
        assert_ne!(etag(&headers), tag);
    }
    // Replacing the dataset is a publish too.
    let fresh = etag(&get(&app.router, 2, None).await.1);
    scam_atlas::ingest::load(app.db(), &scam_atlas::ingest::Dataset::curated(), true)
        .await
        .expect("replaces the data");
    assert_eq!(get(&other, 2, Some(&fresh)).await.0, StatusCode::OK);
}

async fn only_clean_get_answers_are_tagged(backend: Backend) {
    let app = TestApp::fixture(backend, "rules").await;
    // An answer with errors is never tagged, hence never revalidated.
    let (status, headers, body) = get(&app.router, -1, None).await;
    assert_eq!(status, StatusCode::OK);
    assert!(body.get("errors").is_some(), "{body}");
    assert!(headers.get(header::ETAG).is_none());
    // POST answers are not tagged.
    let request = post_json(
        &json!({ "query": QUERY, "variables": { "n": 2 } }),
        "application/json",
    );
    let (status, headers, _) = exchange(&app.router, request).await;
    assert_eq!(status, StatusCode::OK);
    assert!(headers.get(header::ETAG).is_none());
}
