//! CORS: a browser app on another origin may call the API (any origin by default, a list when
//! configured), its preflight is answered and cacheable, and credentials are never allowed.

use crate::helpers::{Backend, TestApp, exchange};
use axum::body::Body;
use axum::http::{HeaderMap, Request, StatusCode, header};
use scam_atlas::app::{AppState, router};
use scam_atlas::cors::parse_origin;

fn preflight(origin: &str) -> Request<Body> {
    Request::options("/graphql")
        .header(header::ORIGIN, origin)
        .header(header::ACCESS_CONTROL_REQUEST_METHOD, "POST")
        .header(
            header::ACCESS_CONTROL_REQUEST_HEADERS,
            "content-type, x-request-id",
        )
        .body(Body::empty())
        .expect("a request")
}

fn get(headers: &HeaderMap, name: header::HeaderName) -> &str {
    headers
        .get(name)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
}

#[tokio::test]
async fn any_origin_may_read_without_credentials() {
    let app = TestApp::fixture(Backend::Sqlite, "rules").await;
    let (status, headers, _) = exchange(&app.router, preflight("https://app.example")).await;
    assert!(status.is_success(), "{status}");
    assert_eq!(get(&headers, header::ACCESS_CONTROL_ALLOW_ORIGIN), "*");
    assert!(get(&headers, header::ACCESS_CONTROL_ALLOW_METHODS).contains("POST"));
    let allowed = get(&headers, header::ACCESS_CONTROL_ALLOW_HEADERS).to_ascii_lowercase();
    assert!(
        allowed.contains("content-type") && allowed.contains("x-request-id"),
        "{allowed}"
    );
    assert_eq!(get(&headers, header::ACCESS_CONTROL_MAX_AGE), "86400");
    assert!(!headers.contains_key(header::ACCESS_CONTROL_ALLOW_CREDENTIALS));

    // The request itself: allowed, and the headers a client reads are exposed to it.
    let request = Request::post("/graphql")
        .header(header::ORIGIN, "https://app.example")
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from(r#"{"query":"{ countries { code } }"}"#))
        .expect("a request");
    let (status, headers, body) = exchange(&app.router, request).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(get(&headers, header::ACCESS_CONTROL_ALLOW_ORIGIN), "*");
    let exposed = get(&headers, header::ACCESS_CONTROL_EXPOSE_HEADERS).to_ascii_lowercase();
    assert!(exposed.contains("x-request-id") && exposed.contains("x-ratelimit-remaining"));
}

#[tokio::test]
async fn a_configured_list_refuses_other_origins() {
    let app = TestApp::fixture(Backend::Sqlite, "rules").await;
    let origins = vec![parse_origin("https://app.example").expect("an origin")];
    let listed = router(AppState::new(app.db().clone()).with_cors_origins(origins));
    let (status, headers, _) = exchange(&listed, preflight("https://app.example")).await;
    assert!(status.is_success(), "{status}");
    assert_eq!(
        get(&headers, header::ACCESS_CONTROL_ALLOW_ORIGIN),
        "https://app.example"
    );
    assert!(
        get(&headers, header::VARY)
            .to_ascii_lowercase()
            .contains("origin")
    );
    // Another origin gets no permission: the browser refuses it.
    let (_, headers, _) = exchange(&listed, preflight("https://evil.example")).await;
    assert!(
        !headers.contains_key(header::ACCESS_CONTROL_ALLOW_ORIGIN),
        "{headers:?}"
    );
}
