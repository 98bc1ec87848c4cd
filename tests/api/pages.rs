//! The browser pages: GraphiQL and the explorer load only files this server serves (each one
//! answers, with its type), under a strict Content-Security-Policy; unknown files are JSON
//! `NOT_FOUND`. The browser tests (`tests/browser`, `.ci/run browser`) open them for real.

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use http_body_util::BodyExt;
use tower::ServiceExt;

/// A router over a database that is never touched: the pages need none.
async fn router() -> axum::Router {
    let db = sea_orm::Database::connect("sqlite::memory:")
        .await
        .expect("an in-memory database");
    scam_atlas::app::router(scam_atlas::app::AppState::new(db))
}

struct Answer {
    status: StatusCode,
    content_type: String,
    csp: String,
    body: String,
}

async fn get(router: &axum::Router, path: &str) -> Answer {
    let response = router
        .clone()
        .oneshot(Request::get(path).body(Body::empty()).expect("a request"))
        .await
        .expect("an answer");
    let header = |name| {
        response
            .headers()
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_string()
    };
    let (status, content_type) = (response.status(), header(header::CONTENT_TYPE));
    let csp = header(header::CONTENT_SECURITY_POLICY);
    let bytes = response
        .into_body()
        .collect()
        .await
        .expect("a body")
        .to_bytes();
    Answer {
        status,
        content_type,
        csp,
        body: String::from_utf8_lossy(&bytes).into_owned(),
    }
}

/// The values of `attr="…"` in an HTML page.
fn attributes<'a>(page: &'a str, attr: &str) -> Vec<&'a str> {
    let needle = format!("{attr}=\"");
    page.match_indices(&needle)
        .filter_map(|(i, _)| page[i + needle.len()..].split('"').next())
        .collect()
}

/// A strict policy: nothing from another host, no inline or eval'd script, no framing.
fn assert_strict(csp: &str, page: &str) {
    assert!(csp.contains("default-src 'self'"), "{page}: {csp}");
    assert!(csp.contains("frame-ancestors 'none'"), "{page}: {csp}");
    assert!(!csp.contains("http"), "{page} names another host: {csp}");
    let script = csp
        .split(';')
        .find(|d| d.trim().starts_with("script-src"))
        .expect("a script-src");
    assert_eq!(script.trim(), "script-src 'self'", "{page}");
}

#[tokio::test]
async fn graphiql_loads_only_files_it_serves() {
    let router = router().await;
    let page = get(&router, "/graphiql").await;
    assert_eq!(page.status, StatusCode::OK);
    assert_strict(&page.csp, "/graphiql");
    let files: Vec<&str> = attributes(&page.body, "src")
        .into_iter()
        .chain(attributes(&page.body, "href"))
        .filter(|f| *f != "data:,")
        .collect();
    assert_eq!(
        files.len(),
        6,
        "four scripts and two style sheets: {files:?}"
    );
    for file in files {
        assert!(file.starts_with("/graphiql/"), "{file} is not served here");
        let answer = get(&router, file).await;
        assert_eq!(answer.status, StatusCode::OK, "{file}");
        let expected = if file.ends_with(".css") {
            "text/css"
        } else {
            "text/javascript"
        };
        assert!(answer.content_type.starts_with(expected), "{file}");
        assert!(
            !answer.body.contains("unpkg.com"),
            "{file} loads from a CDN"
        );
    }
    assert_eq!(get(&router, "/").await.body, page.body, "/ is GraphiQL too");
}

#[tokio::test]
async fn the_explorer_loads_only_files_it_serves() {
    let router = router().await;
    let page = get(&router, "/explore").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.content_type.starts_with("text/html"));
    assert_strict(&page.csp, "/explore");
    assert!(
        page.csp.contains("style-src 'self';"),
        "no inline style: {}",
        page.csp
    );
    // Every module the page loads, and every module they import, answers.
    let mut queue: Vec<String> = attributes(&page.body, "src")
        .into_iter()
        .chain(
            attributes(&page.body, "href")
                .into_iter()
                .filter(|h| h.ends_with(".css")),
        )
        .map(str::to_string)
        .collect();
    let mut seen = Vec::new();
    while let Some(file) = queue.pop() {
        if seen.contains(&file) {
            continue;
        }
        let answer = get(&router, &file).await;
        assert_eq!(answer.status, StatusCode::OK, "{file}");
        if file.ends_with(".js") {
            assert!(answer.content_type.starts_with("text/javascript"), "{file}");
            for import in answer.body.match_indices(" from './") {
                let name = answer.body[import.0 + 9..]
                    .split('\'')
                    .next()
                    .expect("a module name");
                queue.push(format!("/explore/{name}"));
            }
        }
        seen.push(file);
    }
    assert!(seen.len() >= 10, "the explorer's modules: {seen:?}");
    let region = get(&router, "/explore/region.json").await;
    assert!(region.content_type.starts_with("application/json"));
    let region: serde_json::Value = serde_json::from_str(&region.body).expect("JSON");
    assert!(region["countries"].as_array().is_some_and(|c| c.len() > 10));
}

#[tokio::test]
async fn unknown_files_are_not_found() {
    let router = router().await;
    for path in [
        "/explore/nope.js",
        "/explore/%2e%2e/Cargo.toml",
        "/explore/../Cargo.toml",
        "/graphiql/graphiql.min.js.map",
        "/graphiql/../../Cargo.toml",
    ] {
        let answer = get(&router, path).await;
        assert_eq!(answer.status, StatusCode::NOT_FOUND, "{path}");
        assert!(answer.body.contains("NOT_FOUND"), "{path}: {}", answer.body);
    }
}
