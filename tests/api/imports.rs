//! `importDataset`: a partner's `data/`-format files added to a database that holds data, in
//! one transaction, checked by the loader's rules; a file naming an unknown place writes
//! nothing. `scam-atlas import` into a database that holds data goes the same way, audited
//! under the key "cli".

use crate::helpers::{Backend, TestApp, count, counts, exchange, post_json};
use axum::http::header;
use entity::enums::Role;
use serde_json::{Value, json};

both!(
    a_dataset_is_imported_beside_the_data,
    the_command_line_imports_beside_the_data
);

const IMPORT: &str = r#"mutation($files: [DatasetFileInput!]!) {
  importDataset(files: $files) { proposal { status kind summary } } }"#;

pub(crate) const SOURCES: &str = r#"
[[source]]
key = "herald"
article = "herald.txt"
headline = "The Harbour Herald"
outlet = "The Harbour Herald"
published = { start = 2024-06-02, precision = "DAY" }
reporting = "ORIGINAL"
"#;

pub(crate) const ARTICLE: &str = "Police raided a dockside warehouse in Harbour City on 1 June 2024 and \
    arrested 40 Bordurian nationals.\n";

pub(crate) const EVENTS: &str = r#"
[[event]]
key = "dockside-raid"
kinds = ["RAID"]
title = "Dockside warehouse raid"
summary = "Police raided a warehouse in Harbour City."
date = { start = 2024-06-01, precision = "DAY" }
places = ["harbour"]

[[event.citations]]
source = "herald"
quote = "Police raided a dockside warehouse in Harbour City on 1 June 2024"
supports = ["kind:RAID", "date", "place:harbour"]

[[event.participants]]
nationality = "XB"
role = "SUSPECT"
status = "ARRESTED"
count = [{ value = 40, source = "herald", quote = "arrested 40 Bordurian nationals" }]
"#;

async fn import(app: &TestApp, key: &str, files: Value) -> Value {
    let mut request = post_json(
        &json!({ "query": IMPORT, "variables": { "files": files } }),
        "application/json",
    );
    request.headers_mut().insert(
        header::AUTHORIZATION,
        format!("Bearer {key}").parse().expect("a header"),
    );
    exchange(&app.router, request).await.2
}

async fn a_dataset_is_imported_beside_the_data(backend: Backend) {
    let app = TestApp::fixture(backend, "rules").await;
    let (_, key) = scam_atlas::auth::create(app.db(), "Desk", Role::Editor)
        .await
        .expect("a key");
    let events = || async {
        app.data("{ events { totalCount } }", json!({})).await["events"]["totalCount"].as_i64()
    };
    let before = events().await;
    // A place the database does not know: refused, nothing written.
    let refused = import(&app, &key, json!([
        { "name": "places.toml", "text": "[[place]]\nkey = \"atlantis\"\nname = \"Atlantis\"\nlevel = \"CITY\"\nparent = \"XA\"\n" },
        { "name": "sources.toml", "text": SOURCES }, { "name": "articles/herald.txt", "text": ARTICLE },
        { "name": "events.toml", "text": EVENTS },
    ])).await;
    assert_eq!(
        refused["errors"][0]["extensions"]["code"], "BAD_USER_INPUT",
        "{refused:#}"
    );
    assert_eq!(events().await, before);
    let done = import(&app, &key, json!([
        { "name": "sources.toml", "text": SOURCES }, { "name": "articles/herald.txt", "text": ARTICLE },
        { "name": "events.toml", "text": EVENTS },
    ])).await;
    assert_eq!(
        done["data"]["importDataset"]["proposal"]["status"], "PUBLISHED",
        "{done:#}"
    );
    assert_eq!(events().await, before.map(|n| n + 1));
    let event = app.data(r#"{ event(key: "dockside-raid") { participants { count { value } } citations { source { key } } } }"#, json!({})).await;
    assert_eq!(event["event"]["participants"][0]["count"]["value"], 40);
    // The same files again: every key is taken.
    let again = import(&app, &key, json!([
        { "name": "sources.toml", "text": SOURCES }, { "name": "articles/herald.txt", "text": ARTICLE },
    ])).await;
    assert_eq!(
        again["errors"][0]["extensions"]["code"], "BAD_USER_INPUT",
        "{again:#}"
    );
}

/// Writes `files` (name, text) into a new folder.
fn folder(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("a temporary folder");
    std::fs::create_dir_all(dir.path().join("articles")).expect("articles/");
    for (name, text) in files {
        std::fs::write(dir.path().join(name), text).expect("writes a file");
    }
    dir
}

async fn the_command_line_imports_beside_the_data(backend: Backend) {
    let app = TestApp::fixture(backend, "rules").await;
    let events = count(app.db(), "event").await;
    let dir = folder(&[
        ("sources.toml", SOURCES),
        ("articles/herald.txt", ARTICLE),
        ("events.toml", EVENTS),
    ]);
    scam_atlas::cli::import(app.db(), dir.path())
        .await
        .expect("imported through the write path");
    assert_eq!(count(app.db(), "event").await, events + 1);
    // Audited like any editor's change, under the command line's own key.
    let trail = app
        .data(
            r#"{ event(key: "dockside-raid") { history { nodes { action actor } } } }"#,
            json!({}),
        )
        .await;
    assert_eq!(
        trail["event"]["history"]["nodes"],
        json!([{ "action": "CREATED", "actor": "cli" }]),
        "{trail:#}"
    );
    // The command line's key is no key a request can use.
    let keys = scam_atlas::auth::list(app.db()).await.expect("keys");
    let cli = keys.iter().find(|k| k.name == "cli").expect("the cli key");
    assert!(cli.revoked_at.is_some());

    // The same files again: refused, nothing written.
    let before = counts(app.db()).await;
    let error = scam_atlas::cli::import(app.db(), dir.path())
        .await
        .expect_err("the keys are taken")
        .to_string();
    assert!(error.contains("taken"), "{error}");
    assert_eq!(counts(app.db()).await, before);

    // An NDJSON file of events alone, naming what the database now holds.
    let file: scam_atlas::ingest::format::EventsFile = toml::from_str(EVENTS).expect("TOML");
    let mut record = serde_json::to_value(&file.event[0]).expect("JSON");
    record["key"] = json!("dockside-raid-2");
    let file = dir.path().join("more.ndjson");
    std::fs::write(&file, format!("{record}\n")).expect("writes the file");
    scam_atlas::cli::import(app.db(), &file)
        .await
        .expect("NDJSON imports beside the data");
    assert_eq!(count(app.db(), "event").await, events + 2);
}
