//! Search through the full-text index: the same words, hence the same hits, on SQLite's FTS5
//! and PostgreSQL's `tsvector`, kept right by the database whoever writes an event.

use crate::helpers::{Backend, TestApp};
use sea_orm::{ConnectionTrait, Statement};
use serde_json::json;

both!(
    both_indexes_find_the_same_events,
    the_index_follows_every_write
);

/// Rewrites one event's title and summary the way any writer would, with plain SQL.
async fn retitle(app: &TestApp, key: &str, title: &str, summary: &str) {
    let db = app.db();
    let sql = match db.get_database_backend() {
        sea_orm::DbBackend::Postgres => "UPDATE event SET title = $1, summary = $2 WHERE key = $3",
        _ => "UPDATE event SET title = ?, summary = ? WHERE key = ?",
    };
    db.execute_raw(Statement::from_sql_and_values(
        db.get_database_backend(),
        sql,
        [title.into(), summary.into(), key.into()],
    ))
    .await
    .expect("updates the event");
}

async fn hits(app: &TestApp, search: &str) -> Vec<String> {
    let data = app
        .data(
            "query($s: String) { events(first: 100, filter: { search: $s }) { nodes { key } } }",
            json!({ "s": search }),
        )
        .await;
    let mut keys: Vec<String> = data["events"]["nodes"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|n| n["key"].as_str().map(str::to_string))
        .collect();
    keys.sort();
    keys
}

/// Titles that tell tokenisers apart: hyphens, dots, underscores, digits, accents, case.
async fn both_indexes_find_the_same_events(backend: Backend) {
    let app = TestApp::fixture(backend, "rules").await;
    retitle(
        &app,
        "harbour-raid",
        "North-east raid at example.com",
        "3.5% of v1.2_beta",
    )
    .await;
    retitle(
        &app,
        "compound-sweep",
        "Raid in Đà Nẵng",
        "CAFÉ owners and Café staff",
    )
    .await;
    retitle(
        &app,
        "casino-arrests",
        "Casino ARRESTS",
        "Anti-fraud task_force, 2024",
    )
    .await;
    let cases: &[(&str, &[&str])] = &[
        ("north", &["harbour-raid"]),
        ("east", &["harbour-raid"]),
        ("north-east", &["harbour-raid"]),
        ("com", &["harbour-raid"]),
        ("example.com", &["harbour-raid"]),
        ("3", &["harbour-raid"]),
        ("5", &["harbour-raid"]),
        ("v1", &["harbour-raid"]),
        ("beta", &["harbour-raid"]),
        ("raid", &["compound-sweep", "harbour-raid"]),
        ("RAI", &["compound-sweep", "harbour-raid"]),
        ("aid", &[]),
        ("nẵng", &["compound-sweep"]),
        ("Đà", &["compound-sweep"]),
        ("nang", &[]),
        ("café", &["compound-sweep"]),
        ("cafe", &[]),
        ("arrests casino", &["casino-arrests"]),
        ("task force 2024", &["casino-arrests"]),
        ("fraud", &["casino-arrests"]),
        ("raid fraud", &[]),
        ("%", &[]),
        ("*", &[]),
        ("\"raid\"", &["compound-sweep", "harbour-raid"]),
        ("raid OR casino", &[]),
        ("NOT", &[]),
    ];
    // Other events of the fixture may match too; these three are the ones compared.
    let retitled = ["casino-arrests", "compound-sweep", "harbour-raid"];
    for (search, expected) in cases {
        let mut found = hits(&app, search).await;
        found.retain(|k| retitled.contains(&k.as_str()));
        assert_eq!(&found, expected, "search {search:?}");
    }
}

/// Every write keeps the index right: the loader's inserts, an update, a delete.
async fn the_index_follows_every_write(backend: Backend) {
    let app = TestApp::fixture(backend, "rules").await;
    assert_eq!(hits(&app, "exodus").await, ["compound-exodus"]);
    retitle(
        &app,
        "compound-exodus",
        "Zzyzxqq departure",
        "Workers left.",
    )
    .await;
    assert!(hits(&app, "exodus").await.is_empty());
    assert_eq!(hits(&app, "zzyzxqq").await, ["compound-exodus"]);
    // Replacing the dataset deletes every event and inserts others.
    let dataset = scam_atlas::ingest::Dataset::curated();
    scam_atlas::ingest::load(app.db(), &dataset, true)
        .await
        .expect("replaces the data");
    assert!(hits(&app, "zzyzxqq").await.is_empty());
    assert!(!hits(&app, "Veal Sbov").await.is_empty());
}
