//! Bulk export and import: export → import into an empty database → export gives the same
//! bytes, with the events as TOML or as NDJSON; an import is checked as the loader checks and
//! refused into a database with data (the fast path; `imports` has the write path's);
//! the HTTP exports stream with their media types and honour the filter.

use crate::helpers::{Backend, TestApp, count, country_id, counts, fresh_db};
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use http_body_util::BodyExt;
use scam_atlas::ingest::export::{self, Format, files::to_dir};
use scam_atlas::ingest::write::quietly;
use scam_atlas::ingest::{Dataset, IngestError, import};
use scam_atlas::service::event::EventFilter;
use sea_orm::DatabaseConnection;
use serde_json::{Value, json};
use std::path::Path;
use tower::ServiceExt;

both!(
    the_curated_data_round_trips_byte_for_byte,
    a_fixture_with_cohorts_round_trips,
    an_import_goes_into_an_empty_database_only,
    an_invalid_import_writes_nothing,
    the_http_exports_stream_and_filter,
    bad_export_parameters_are_the_clients_mistake,
    the_dataset_tar_imports
);

/// Every file under `dir`, by relative path, with its bytes.
pub(crate) fn files(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut all = Vec::new();
    for entry in std::fs::read_dir(dir).expect("reads the folder") {
        let path = entry.expect("an entry").path();
        if path.is_dir() {
            let folder = path
                .file_name()
                .and_then(|n| n.to_str())
                .unwrap_or_default()
                .to_string();
            all.extend(
                files(&path)
                    .into_iter()
                    .map(|(n, b)| (format!("{folder}/{n}"), b)),
            );
        } else {
            let name = path
                .file_name()
                .and_then(|n| n.to_str())
                .unwrap_or_default()
                .to_string();
            all.push((name, std::fs::read(&path).expect("reads a file")));
        }
    }
    all.sort();
    all
}

/// The export of `db` in `format`, as files.
pub(crate) async fn exported(db: &DatabaseConnection, format: Format) -> Vec<(String, Vec<u8>)> {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let snapshot = export::snapshot(db).await.expect("a snapshot");
    to_dir(&snapshot, &EventFilter::default(), format, dir.path())
        .await
        .expect("the export is written");
    files(dir.path())
}

/// A fresh migrated database with the dataset of `files` imported into it.
async fn imported(backend: Backend, files: &[(String, Vec<u8>)]) -> crate::helpers::TestDb {
    let dir = tempfile::tempdir().expect("a temporary folder");
    std::fs::create_dir_all(dir.path().join("articles")).expect("articles/");
    for (name, bytes) in files {
        std::fs::write(dir.path().join(name), bytes).expect("writes a file");
    }
    let store = fresh_db(backend).await;
    scam_atlas::db::migrate(&store.db)
        .await
        .expect("migrations");
    let dataset = Dataset::from_dir(dir.path()).expect("reads the export");
    let outcome = import(&store.db, &dataset, &quietly)
        .await
        .expect("the export imports");
    assert!(outcome.events > 0);
    store
}

/// Rows per table, the load record left out (an import is recorded under its own name).
async fn data_counts(db: &DatabaseConnection) -> Vec<(&'static str, i64)> {
    counts(db)
        .await
        .into_iter()
        .filter(|(t, _)| *t != "dataset_load")
        .collect()
}

async fn round_trip(app: &TestApp, backend: Backend) {
    let toml = exported(app.db(), Format::Toml).await;
    let names: Vec<&str> = toml.iter().map(|(n, _)| n.as_str()).collect();
    assert!(names.contains(&"events.toml") && names.iter().any(|n| n.starts_with("articles/")));
    let ndjson = exported(app.db(), Format::Ndjson).await;
    let store = imported(backend, &toml).await;
    assert_eq!(data_counts(&store.db).await, data_counts(app.db()).await);
    assert_eq!(
        exported(&store.db, Format::Toml).await,
        toml,
        "toml differs after a round trip"
    );
    assert_eq!(
        exported(&store.db, Format::Ndjson).await,
        ndjson,
        "ndjson differs"
    );
    assert_eq!(
        exported(&store.db, Format::Tar).await,
        exported(app.db(), Format::Tar).await
    );
    // The events as NDJSON in place of events.toml: the same database, the same bytes out.
    let mut with_ndjson: Vec<(String, Vec<u8>)> = toml
        .iter()
        .filter(|(name, _)| name != "events.toml")
        .cloned()
        .collect();
    with_ndjson.extend(ndjson.iter().cloned());
    assert!(with_ndjson.iter().any(|(name, _)| name == "events.ndjson"));
    let store = imported(backend, &with_ndjson).await;
    assert_eq!(data_counts(&store.db).await, data_counts(app.db()).await);
    assert_eq!(
        exported(&store.db, Format::Ndjson).await,
        ndjson,
        "ndjson differs after an NDJSON round trip"
    );
    assert_eq!(exported(&store.db, Format::Toml).await, toml);
}

async fn the_curated_data_round_trips_byte_for_byte(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    round_trip(&app, backend).await;
}

/// Cohort links name a group of another event: the export writes them so that they resolve to
/// the same groups again.
async fn a_fixture_with_cohorts_round_trips(backend: Backend) {
    let app = TestApp::fixture(backend, "cohorts").await;
    assert!(count(app.db(), "participant_link").await > 0);
    round_trip(&app, backend).await;
}

async fn an_import_goes_into_an_empty_database_only(backend: Backend) {
    let app = TestApp::fixture(backend, "cohorts").await;
    let before = counts(app.db()).await;
    let dataset =
        Dataset::from_dir(&Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/cohorts"))
            .expect("the fixture reads");
    let error = import(app.db(), &dataset, &quietly)
        .await
        .expect_err("refused");
    assert!(matches!(error, IngestError::Conflict(_)), "{error}");
    assert!(error.to_string().contains("empty database"), "{error}");
    assert_eq!(counts(app.db()).await, before);
}

async fn an_invalid_import_writes_nothing(backend: Backend) {
    let app = TestApp::fixture(backend, "cohorts").await;
    let mut toml = exported(app.db(), Format::Toml).await;
    // A quote its article does not hold: the loader's check refuses the whole dataset.
    for (name, bytes) in &mut toml {
        if name.starts_with("articles/") {
            *bytes = b"Nothing quotable here.".to_vec();
        }
    }
    let dir = tempfile::tempdir().expect("a temporary folder");
    std::fs::create_dir_all(dir.path().join("articles")).expect("articles/");
    for (name, bytes) in &toml {
        std::fs::write(dir.path().join(name), bytes).expect("writes a file");
    }
    let store = fresh_db(backend).await;
    scam_atlas::db::migrate(&store.db)
        .await
        .expect("migrations");
    let before = counts(&store.db).await;
    let dataset = Dataset::from_dir(dir.path()).expect("reads");
    let error = import(&store.db, &dataset, &quietly)
        .await
        .expect_err("refused");
    assert!(matches!(error, IngestError::Invalid { .. }), "{error}");
    assert!(error.to_string().contains("not in the article"), "{error}");
    assert_eq!(counts(&store.db).await, before);
}

/// GETs `uri`; returns status, content type and the body's bytes.
async fn get(app: &TestApp, uri: &str) -> (StatusCode, String, Vec<u8>) {
    let request = Request::get(uri).body(Body::empty()).expect("a request");
    let response = app.router.clone().oneshot(request).await.expect("answers");
    let status = response.status();
    let content_type = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_string();
    let bytes = response
        .into_body()
        .collect()
        .await
        .expect("a body")
        .to_bytes();
    (status, content_type, bytes.to_vec())
}

async fn the_http_exports_stream_and_filter(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let total = count(app.db(), "event").await as usize;

    let (status, content_type, body) = get(&app, "/export/events.ndjson").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(content_type, "application/x-ndjson");
    let lines: Vec<Value> = String::from_utf8(body)
        .expect("UTF-8")
        .lines()
        .map(|l| serde_json::from_str(l).expect("each line is JSON"))
        .collect();
    assert_eq!(lines.len(), total);
    let keys: Vec<&str> = lines.iter().filter_map(|l| l["key"].as_str()).collect();
    assert!(keys.windows(2).all(|w| w[0] < w[1]), "in key order");
    // Every figure carries its claims, each with its quote and source.
    let claim = lines
        .iter()
        .find_map(|l| {
            l["participants"].as_array()?.first()?["count"]
                .as_array()?
                .first()
                .cloned()
        })
        .expect("a group's claim");
    assert!(
        claim["quote"].is_string() && claim["source"].is_string(),
        "{claim}"
    );

    // The filter of the README's example: Cambodia, Taiwanese, 2016–2017.
    let filter = json!({
        "countries": [country_id("KH")],
        "nationalities": [country_id("TW")],
        "from": "2016-01-01",
        "to": "2017-12-31",
    });
    let expected = app
        .data(
            "query($f: EventFilter) { events(filter: $f, first: 100) { nodes { id } totalCount } }",
            json!({ "f": filter }),
        )
        .await["events"]["totalCount"]
        .as_u64()
        .expect("a count") as usize;
    assert!(expected > 0 && expected < total);
    let query = format!(
        "countries={}&nationalities={}&from=2016-01-01&to=2017-12-31",
        country_id("KH"),
        country_id("TW")
    );
    let (_, _, body) = get(&app, &format!("/export/events.ndjson?{query}")).await;
    assert_eq!(
        String::from_utf8(body).expect("UTF-8").lines().count(),
        expected
    );

    let (status, content_type, body) = get(&app, &format!("/export/events.csv?{query}")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(content_type.starts_with("text/csv"), "{content_type}");
    let text = String::from_utf8(body).expect("UTF-8");
    assert!(text.starts_with("key,title,kinds,date_start,"), "{text}");
    assert_eq!(
        text.matches("\r\n").count(),
        expected + 1,
        "a header and a row an event"
    );
    let (status, _, _) = get(
        &app,
        "/export/events.csv?kinds=RAID,ARREST&status=COMPLETED",
    )
    .await;
    assert_eq!(status, StatusCode::OK);
}

async fn bad_export_parameters_are_the_clients_mistake(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    for query in [
        "kinds=NOT_A_KIND",
        "bogus=1",
        "from=2017-01-01&to=2016-01-01",
        "from=yesterday",
        "countries=not-an-id",
        "status=COMPLETED&status=PLANNED",
    ] {
        for path in [
            "/export/events.ndjson",
            "/export/events.csv",
            "/export/dataset.tar",
        ] {
            let (status, content_type, body) = get(&app, &format!("{path}?{query}")).await;
            assert_eq!(status, StatusCode::BAD_REQUEST, "{path}?{query}");
            assert!(
                content_type.starts_with("application/json"),
                "{content_type}"
            );
            let body: Value = serde_json::from_slice(&body).expect("a JSON error");
            assert_eq!(
                body["errors"][0]["extensions"]["code"], "BAD_USER_INPUT",
                "{body}"
            );
        }
    }
}

async fn the_dataset_tar_imports(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let (status, content_type, body) = get(&app, "/export/dataset.tar").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(content_type, "application/x-tar");
    let dir = tempfile::tempdir().expect("a temporary folder");
    let path = dir.path().join("dataset.tar");
    std::fs::write(&path, &body).expect("writes the tar");
    let dataset = scam_atlas::ingest::import::read(&path).expect("the tar reads");
    assert_eq!(dataset.files.len(), 7);
    assert!(!dataset.articles.is_empty());
    let store = fresh_db(backend).await;
    scam_atlas::db::migrate(&store.db)
        .await
        .expect("migrations");
    import(&store.db, &dataset, &quietly)
        .await
        .expect("the tar imports");
    assert_eq!(data_counts(&store.db).await, data_counts(app.db()).await);
    // The same bytes as the CLI's tar.
    let cli = exported(app.db(), Format::Tar).await;
    assert_eq!(cli, vec![("dataset.tar".to_string(), body)]);

    // A filtered dataset loads on its own: links to events it leaves out are dropped.
    let query = format!("countries={}", country_id("KH"));
    let (status, _, body) = get(&app, &format!("/export/dataset.tar?{query}")).await;
    assert_eq!(status, StatusCode::OK);
    let (_, _, lines) = get(&app, &format!("/export/events.ndjson?{query}")).await;
    let expected = String::from_utf8(lines).expect("UTF-8").lines().count();
    assert!(expected > 0 && expected < count(app.db(), "event").await as usize);
    std::fs::write(&path, &body).expect("writes the tar");
    let dataset = scam_atlas::ingest::import::read(&path).expect("the tar reads");
    let store = fresh_db(backend).await;
    scam_atlas::db::migrate(&store.db)
        .await
        .expect("migrations");
    let outcome = import(&store.db, &dataset, &quietly)
        .await
        .expect("the subset imports");
    assert_eq!(outcome.events, expected);
}
