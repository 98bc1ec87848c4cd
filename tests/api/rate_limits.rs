//! Cost and rate limits as clients see them: every answer reports its cost in
//! `extensions.cost` (Shopify's shape), each client's budget in `x-ratelimit-*` headers, and a
//! spent budget refuses with `RATE_LIMITED` (429 and `Retry-After` for the GraphQL response
//! type, 200 for `application/json`), per API key and per address; with Redis the budget is
//! shared by every instance.

use crate::helpers::{Backend, TestApp, exchange, post_json};
use axum::Router;
use axum::body::Body;
use axum::http::{HeaderMap, Request, StatusCode, header};
use scam_atlas::app::{AppState, router};
use scam_atlas::ratelimit::{Limiter, Settings};
use scam_atlas::transport::ClientAddr;
use serde_json::json;
use std::num::NonZeroU32;
use std::sync::Arc;

both!(cost_is_reported_and_budgets_refuse_when_spent);

/// 11 fields a page of 5 × 2, and `events` itself: requested 1 + 5 × (1 + 1 × 1) = 11.
const QUERY: &str = "{ events(first: 5) { nodes { key } } }";

fn settings(per_minute: u32, burst: u32) -> Settings {
    Settings {
        cost_per_minute: NonZeroU32::new(per_minute).expect("non-zero"),
        burst: NonZeroU32::new(burst).expect("non-zero"),
    }
}

fn limited(app: &TestApp, limiter: Limiter) -> Router {
    router(AppState::new(app.db().clone()).with_limiter(Arc::new(limiter)))
}

fn number(headers: &HeaderMap, name: &str) -> u64 {
    headers
        .get(name)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse().ok())
        .unwrap_or_else(|| panic!("no numeric {name} in {headers:?}"))
}

fn ask(token: Option<&str>, accept: &str) -> Request<Body> {
    let mut request = post_json(&json!({ "query": QUERY }), accept);
    if let Some(token) = token {
        let value = format!("Bearer {token}").parse().expect("a header value");
        request.headers_mut().insert(header::AUTHORIZATION, value);
    }
    request
}

async fn cost_is_reported_and_budgets_refuse_when_spent(backend: Backend) {
    let app = TestApp::fixture(backend, "rules").await;
    // Off (the default): the cost is reported, with no throttle status and no headers.
    let (_, headers, body) = exchange(&app.router, ask(None, "application/json")).await;
    let cost = &body["extensions"]["cost"];
    assert_eq!(cost["requestedQueryCost"], 11, "{body}");
    let returned = body["data"]["events"]["nodes"]
        .as_array()
        .map_or(0, Vec::len) as u64;
    // events 1 + nodes 1 + one per key returned.
    assert_eq!(cost["actualQueryCost"], 2 + returned, "{body}");
    assert!(cost["throttleStatus"].is_null(), "{body}");
    assert!(!headers.contains_key("x-ratelimit-limit"));

    // A budget of 50, restored at 1 a second: four queries of 11, then refused.
    let router = limited(
        &app,
        Limiter::new(settings(60, 50), None).expect("a limiter"),
    );
    for round in 1..=4u64 {
        let (status, headers, body) = exchange(
            &router,
            ask(Some("alpha"), "application/graphql-response+json"),
        )
        .await;
        assert_eq!(status, StatusCode::OK, "{body}");
        assert_eq!(number(&headers, "x-ratelimit-limit"), 50);
        let remaining = number(&headers, "x-ratelimit-remaining");
        // Up to a second's refill while the test runs.
        assert!(
            (50 - 11 * round..=51 - 11 * round).contains(&remaining),
            "{remaining}"
        );
        assert_eq!(number(&headers, "x-ratelimit-used"), 50 - remaining);
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .expect("after 1970")
            .as_secs();
        assert!((now..=now + 60).contains(&number(&headers, "x-ratelimit-reset")));
        let throttle = &body["extensions"]["cost"]["throttleStatus"];
        assert_eq!(throttle["maximumAvailable"], 50, "{body}");
        assert_eq!(throttle["currentlyAvailable"], remaining);
        assert_eq!(throttle["restoreRate"], 1.0);
    }
    let (status, headers, body) = exchange(
        &router,
        ask(Some("alpha"), "application/graphql-response+json"),
    )
    .await;
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS, "{body}");
    assert_eq!(body["errors"][0]["extensions"]["code"], "RATE_LIMITED");
    assert!(body.get("data").is_none(), "{body}");
    // Where the client stands, in the body too.
    let cost = &body["extensions"]["cost"];
    assert_eq!(cost["requestedQueryCost"], 11, "{body}");
    assert_eq!(cost["actualQueryCost"], 0, "{body}");
    assert_eq!(
        cost["throttleStatus"]["currentlyAvailable"],
        number(&headers, "x-ratelimit-remaining")
    );
    let retry = number(&headers, "retry-after");
    assert!((4..=6).contains(&retry), "{retry}");
    // application/json: 200, as the GraphQL-over-HTTP spec has it for that type.
    let (status, _, body) = exchange(&router, ask(Some("alpha"), "application/json")).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body["errors"][0]["extensions"]["code"], "RATE_LIMITED");

    // Another key, the anonymous client and another address each have a budget of their own.
    let (status, _, _) = exchange(&router, ask(Some("beta"), "application/json")).await;
    assert_eq!(status, StatusCode::OK);
    let from = |ip: &str| {
        let mut request = ask(None, "application/graphql-response+json");
        let addr = format!("{ip}:4000").parse().expect("an address");
        request.extensions_mut().insert(ClientAddr(addr));
        request
    };
    for _ in 0..4 {
        let (status, _, _) = exchange(&router, from("192.0.2.1")).await;
        assert_eq!(status, StatusCode::OK);
    }
    let (status, _, _) = exchange(&router, from("192.0.2.1")).await;
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS);
    let (status, _, _) = exchange(&router, from("192.0.2.2")).await;
    assert_eq!(status, StatusCode::OK);

    // A request refused before its cost is known still costs 1 and gets the headers.
    let wrong_type = Request::post("/graphql")
        .header(header::CONTENT_TYPE, "text/plain")
        .body(Body::from("{}"))
        .expect("a request");
    let (status, headers, _) = exchange(&router, wrong_type).await;
    assert_eq!(status, StatusCode::UNSUPPORTED_MEDIA_TYPE);
    assert_eq!(number(&headers, "x-ratelimit-limit"), 50);
}

/// Redis at an address where nothing listens: the budget falls back to the instance's own.
#[tokio::test]
async fn an_unreachable_redis_fails_open_to_local_budgets() {
    let app = TestApp::fixture(Backend::Sqlite, "rules").await;
    let limiter = Limiter::new(settings(60, 30), Some("redis://127.0.0.1:1/")).expect("a limiter");
    let router = limited(&app, limiter);
    let started = std::time::Instant::now();
    for _ in 0..2 {
        let (status, headers, body) = exchange(&router, ask(None, "application/json")).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        assert!(body.get("errors").is_none(), "{body}");
        assert!(number(&headers, "x-ratelimit-remaining") <= 19);
    }
    let (_, _, body) = exchange(&router, ask(None, "application/json")).await;
    assert_eq!(
        body["errors"][0]["extensions"]["code"], "RATE_LIMITED",
        "{body}"
    );
    // One wait for Redis at most, not one per request.
    assert!(started.elapsed() < std::time::Duration::from_secs(2));
}

/// The Redis the shared-budget test uses (`TEST_REDIS_URL`, read when it runs).
fn redis_url() -> String {
    std::env::var("TEST_REDIS_URL")
        .ok()
        .filter(|u| !u.is_empty())
        .expect("TEST_REDIS_URL was set when the tests were built but is not set now")
}

#[tokio::test]
#[cfg_attr(
    not(redis_tests),
    ignore = "Redis: set TEST_REDIS_URL=redis://127.0.0.1:6379 to run"
)]
async fn two_instances_share_a_budget_through_redis() {
    let app = TestApp::fixture(Backend::Sqlite, "rules").await;
    let url = redis_url();
    let a = limited(
        &app,
        Limiter::new(settings(60, 50), Some(&url)).expect("a limiter"),
    );
    let b = limited(
        &app,
        Limiter::new(settings(60, 50), Some(&url)).expect("a limiter"),
    );
    // A key of this run's own, so that runs do not share a budget.
    let token = format!("shared-{}-{}", std::process::id(), fastrand::u64(..));
    let mut remaining = Vec::new();
    for instance in [&a, &b, &a, &b] {
        let (status, headers, body) =
            exchange(instance, ask(Some(&token), "application/json")).await;
        assert_eq!(status, StatusCode::OK);
        assert!(body.get("errors").is_none(), "{body}");
        remaining.push(number(&headers, "x-ratelimit-remaining"));
    }
    // One budget: each instance sees what the other spent.
    for (i, left) in remaining.iter().enumerate() {
        let spent = 11 * (i as u64 + 1);
        assert!((50 - spent..=51 - spent).contains(left), "{remaining:?}");
    }
    let (status, headers, body) =
        exchange(&b, ask(Some(&token), "application/graphql-response+json")).await;
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS, "{body}");
    assert_eq!(body["errors"][0]["extensions"]["code"], "RATE_LIMITED");
    assert!(number(&headers, "retry-after") >= 1);
    let (status, _, _) = exchange(&a, ask(Some(&token), "application/graphql-response+json")).await;
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS);
    // Another client is not affected.
    let (status, _, _) =
        exchange(&a, ask(Some(&format!("{token}-other")), "application/json")).await;
    assert_eq!(status, StatusCode::OK);
}
