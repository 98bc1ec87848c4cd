//! Every request has an ID, in its `x-request-id` header and in `extensions.requestId` of each
//! of its errors; internal errors are logged with it, and the client sees nothing of them
//! (no SQL, no table names, no driver messages, no paths).

use crate::helpers::{Backend, TestApp, exchange, post_json};
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use sea_orm::ConnectionTrait;
use serde_json::json;
use std::sync::{Arc, Mutex};

both!(internal_errors_are_logged_by_id_and_hidden);

fn request_id(headers: &axum::http::HeaderMap) -> String {
    headers
        .get("x-request-id")
        .and_then(|v| v.to_str().ok())
        .expect("an x-request-id header")
        .to_string()
}

#[tokio::test]
async fn ids_are_given_or_kept_and_returned_with_every_error() {
    let app = TestApp::fixture(Backend::Sqlite, "rules").await;
    let body = json!({ "query": "{ nothingHere }" });
    let (_, headers, answer) = exchange(&app.router, post_json(&body, "application/json")).await;
    let id = request_id(&headers);
    assert_eq!(id.len(), 32, "{id}");
    assert_eq!(
        answer["errors"][0]["extensions"]["requestId"],
        id.as_str(),
        "{answer}"
    );

    // A sane incoming ID is kept; an odd one is replaced.
    let with_id = |value: &str| {
        Request::post("/graphql")
            .header(header::CONTENT_TYPE, "application/json")
            .header("x-request-id", value)
            .body(Body::from(body.to_string()))
            .expect("a request")
    };
    let (_, headers, answer) = exchange(&app.router, with_id("trace-42.a")).await;
    assert_eq!(request_id(&headers), "trace-42.a");
    assert_eq!(answer["errors"][0]["extensions"]["requestId"], "trace-42.a");
    let (_, headers, _) = exchange(&app.router, with_id("no spaces; <script>")).await;
    assert_ne!(request_id(&headers), "no spaces; <script>");

    // The transport's own refusals carry it too.
    let wrong_type = Request::post("/graphql")
        .header(header::CONTENT_TYPE, "text/plain")
        .body(Body::from("{}"))
        .expect("a request");
    let (status, headers, answer) = exchange(&app.router, wrong_type).await;
    assert_eq!(status, StatusCode::UNSUPPORTED_MEDIA_TYPE);
    assert_eq!(
        answer["errors"][0]["extensions"]["requestId"],
        request_id(&headers).as_str()
    );
}

/// Log lines written while the test runs (the test's runtime runs on this thread).
#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl std::io::Write for Captured {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0.lock().expect("the log").extend_from_slice(bytes);
        Ok(bytes.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

async fn internal_errors_are_logged_by_id_and_hidden(backend: Backend) {
    let app = TestApp::fixture(backend, "rules").await;
    let log = Captured::default();
    let writer = log.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_writer(move || writer.clone())
        .with_ansi(false)
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);

    // A table gone: the database's error names it, with the SQL; the client sees neither.
    app.db()
        .execute_unprepared("DROP TABLE event_kind")
        .await
        .expect("dropped");
    let query = json!({ "query": "{ events(first: 3) { nodes { title kinds } } }" });
    let (status, headers, body) =
        exchange(&app.router, post_json(&query, "application/json")).await;
    assert_eq!(status, StatusCode::OK);
    let id = request_id(&headers);
    let errors = body["errors"].as_array().expect("errors");
    assert!(!errors.is_empty(), "{body}");
    for error in errors {
        assert_eq!(error["extensions"]["code"], "INTERNAL", "{body}");
        assert_eq!(error["extensions"]["requestId"], id.as_str());
        assert_eq!(error["message"], "internal error");
    }
    let text = body.to_string().to_ascii_lowercase();
    for leak in [
        "event_kind",
        "select",
        "sqlx",
        "no such table",
        "relation",
        "/tmp",
        ".rs",
    ] {
        assert!(!text.contains(leak), "{leak} in {text}");
    }
    let logged = String::from_utf8_lossy(&log.0.lock().expect("the log")).to_string();
    let line = logged
        .lines()
        .find(|l| l.contains("internal error") && l.contains(&id))
        .unwrap_or_else(|| panic!("no log line of the error with {id}:\n{logged}"));
    assert!(line.to_ascii_lowercase().contains("event_kind"), "{line}");

    // A closed pool: `UNAVAILABLE`, try again; again without a word of the driver's.
    app.db().clone().close().await.expect("closed");
    let query = json!({ "query": "{ countries { code } }" });
    let (_, headers, body) = exchange(&app.router, post_json(&query, "application/json")).await;
    assert_eq!(
        body["errors"][0]["extensions"]["code"], "UNAVAILABLE",
        "{body}"
    );
    assert_eq!(
        body["errors"][0]["extensions"]["requestId"],
        request_id(&headers).as_str()
    );
    let text = body.to_string().to_ascii_lowercase();
    assert!(!text.contains("pool") && !text.contains("sqlx"), "{text}");
}
