//! NDJSON in: a partner's `events.ndjson` (what `GET /export/events.ndjson` gives) imports
//! through `importDataset` into a database holding the records its events name, and gives
//! back the same bytes; what it lacks is named (BAD_USER_INPUT, `extensions.field`), and an
//! empty database refuses it alone, saying which files it needs.

use crate::bulk::exported;
use crate::helpers::{Backend, TestApp, count, counts, exchange, fresh_db, post_json};
use axum::Router;
use axum::http::header;
use entity::enums::Role;
use scam_atlas::app::{AppState, router};
use scam_atlas::ingest::export::Format;
use scam_atlas::ingest::write::quietly;
use scam_atlas::ingest::{Dataset, import};
use serde_json::{Value, json};

both!(
    an_ndjson_export_imports_through_the_write_path,
    an_ndjson_import_names_what_it_lacks
);

const IMPORT: &str = r#"mutation($files: [DatasetFileInput!]!) {
  importDataset(files: $files) { proposal { status kind } } }"#;

/// `importDataset` with `files`, sent with the key `key`; the response.
pub(crate) async fn import_files(router: &Router, key: &str, files: Value) -> Value {
    let mut request = post_json(
        &json!({ "query": IMPORT, "variables": { "files": files } }),
        "application/json",
    );
    request.headers_mut().insert(
        header::AUTHORIZATION,
        format!("Bearer {key}").parse().expect("a header"),
    );
    exchange(router, request).await.2
}

/// The text of the only file of an export.
fn text_of(files: Vec<(String, Vec<u8>)>) -> String {
    let [(_, bytes)] = files.as_slice() else {
        panic!(
            "one file: {:?}",
            files.iter().map(|f| &f.0).collect::<Vec<_>>()
        );
    };
    String::from_utf8(bytes.clone()).expect("UTF-8")
}

async fn an_ndjson_export_imports_through_the_write_path(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let ndjson = text_of(exported(app.db(), Format::Ndjson).await);
    // A database holding everything but the events: the reference files of a TOML export.
    let mut reference = Dataset::empty();
    for (name, bytes) in exported(app.db(), Format::Toml).await {
        let text = String::from_utf8(bytes).expect("UTF-8");
        let text = if name == "events.toml" {
            "event = []\n".to_string()
        } else {
            text
        };
        reference.add(&name, text).expect("a file of the export");
    }
    let store = fresh_db(backend).await;
    scam_atlas::db::migrate(&store.db)
        .await
        .expect("migrations");
    import(&store.db, &reference, &quietly)
        .await
        .expect("the reference files import");
    assert_eq!(count(&store.db, "event").await, 0);
    let (_, key) = scam_atlas::auth::create(&store.db, "Partner desk", Role::Editor)
        .await
        .expect("a key");
    let other = router(AppState::new(store.db.clone()));

    let done = import_files(
        &other,
        &key,
        json!([{ "name": "events.ndjson", "text": ndjson }]),
    )
    .await;
    assert_eq!(
        done["data"]["importDataset"]["proposal"],
        json!({ "status": "PUBLISHED", "kind": "IMPORT_DATASET" }),
        "{done:#}"
    );
    let events = count(app.db(), "event").await;
    assert_eq!(count(&store.db, "event").await, events);
    // Every event in the audit trail, created under the partner's key.
    let created = data_with_key(
        &other,
        &key,
        "{ changes(first: 100) { nodes { action nodeType actor } } }",
    )
    .await;
    let nodes = created["changes"]["nodes"].as_array().expect("changes");
    let event_changes = nodes.iter().filter(|c| c["nodeType"] == "Event").count();
    assert_eq!(event_changes as i64, events, "{created:#}");
    assert!(
        nodes
            .iter()
            .all(|c| c["action"] == "CREATED" && c["actor"] == "Partner desk")
    );
    // The same bytes out as in, and the same totals as the source database.
    assert_eq!(text_of(exported(&store.db, Format::Ndjson).await), ndjson);
    let totals = "{ participantTotals(groupBy: [NATIONALITY]) { nationality { code } total { value low high qualifier } eventCount } }";
    let here = app.data(totals, json!({})).await;
    let there = data_with_key(&other, &key, totals).await;
    assert_eq!(here, there);
}

async fn an_ndjson_import_names_what_it_lacks(backend: Backend) {
    let curated = TestApp::spawn(backend).await;
    let ndjson = text_of(exported(curated.db(), Format::Ndjson).await);
    let app = TestApp::fixture(backend, "rules").await;
    let (_, key) = scam_atlas::auth::create(app.db(), "Desk", Role::Editor)
        .await
        .expect("a key");
    let before = counts(app.db()).await;

    // The curated events name sources and people this database does not hold.
    let refused = import_files(
        &app.router,
        &key,
        json!([{ "name": "events.ndjson", "text": ndjson }]),
    )
    .await;
    let error = &refused["errors"][0];
    assert_eq!(error["extensions"]["code"], "BAD_USER_INPUT", "{refused:#}");
    assert_eq!(error["extensions"]["field"], "files", "{refused:#}");
    let message = error["message"].as_str().expect("a message");
    assert!(
        message.contains("sources \"") && message.contains("NDJSON"),
        "{message}"
    );

    // A line that is no event record: named by its number, in the file named by its place.
    let bad = import_files(
        &app.router,
        &key,
        json!([
            { "name": "articles/x.txt", "text": "x" },
            { "name": "events.ndjson", "text": format!("{}\n{{\"key\": 7}}\n", ndjson.lines().next().expect("a line")) },
        ]),
    )
    .await;
    let error = &bad["errors"][0];
    assert_eq!(error["extensions"]["code"], "BAD_USER_INPUT", "{bad:#}");
    assert_eq!(error["extensions"]["field"], "files[1]", "{bad:#}");
    assert!(
        error["message"]
            .as_str()
            .is_some_and(|m| m.contains("line 2")),
        "{bad:#}"
    );
    // Both events.toml and events.ndjson: one too many.
    let twice = import_files(
        &app.router,
        &key,
        json!([
            { "name": "events.toml", "text": "event = []\n" },
            { "name": "events.ndjson", "text": "" },
        ]),
    )
    .await;
    assert_eq!(
        twice["errors"][0]["extensions"]["field"], "files[1]",
        "{twice:#}"
    );
    assert_eq!(counts(app.db()).await, before);

    // An empty database takes a whole dataset: NDJSON alone is refused, the files named.
    let dir = tempfile::tempdir().expect("a temporary folder");
    let path = dir.path().join("events.ndjson");
    std::fs::write(&path, &ndjson).expect("writes the file");
    let store = fresh_db(backend).await;
    scam_atlas::db::migrate(&store.db)
        .await
        .expect("migrations");
    let empty = counts(&store.db).await;
    let error = scam_atlas::cli::import(&store.db, &path)
        .await
        .expect_err("refused")
        .to_string();
    assert!(
        error.contains("countries.toml") && error.contains("sources.toml"),
        "{error}"
    );
    assert_eq!(counts(&store.db).await, empty);
}

/// Runs `query` on `router` with the key `key`; its `data`, which must come without errors.
async fn data_with_key(router: &Router, key: &str, query: &str) -> Value {
    let mut request = post_json(&json!({ "query": query }), "application/json");
    request.headers_mut().insert(
        header::AUTHORIZATION,
        format!("Bearer {key}").parse().expect("a header"),
    );
    let (_, _, body) = exchange(router, request).await;
    assert!(body.get("errors").is_none(), "{body:#}");
    body["data"].clone()
}
