//! Import jobs over real HTTP: `startImport` answers at once with a job, which a second
//! instance over the same database polls until it SUCCEEDED, its progress rising to its
//! total; a failing job ends FAILED with a coded error and writes nothing; a job whose
//! instance died reads FAILED (`ABANDONED`) once its heartbeat is stale, and cannot then
//! succeed.

use crate::helpers::{Backend, TestApp, count, counts};
use crate::imports::{ARTICLE, EVENTS, SOURCES};
use axum::Router;
use bytes::Bytes;
use chrono::{TimeDelta, Utc};
use entity::enums::{ImportJobStatus, Role};
use entity::import_job;
use http_body_util::{BodyExt, Full};
use hyper_util::client::legacy::Client;
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::rt::TokioExecutor;
use scam_atlas::app::{AppState, router};
use scam_atlas::write::job::store;
use sea_orm::{ActiveModelTrait, DatabaseConnection, EntityTrait, IntoActiveModel, Set};
use serde_json::{Value, json};
use std::net::SocketAddr;
use std::time::Duration;

both!(
    an_import_job_reports_its_progress_to_another_instance,
    a_failing_import_job_writes_nothing,
    a_job_whose_instance_died_reads_failed
);

const START: &str = r#"mutation($files: [DatasetFileInput!]!, $key: String) {
  startImport(files: $files, idempotencyKey: $key) { id status } }"#;

const POLL: &str = r#"query($id: ID!) {
  importJob(id: $id) { id status rowsWritten rowsTotal error { message code field }
    proposal { status kind } startedAt finishedAt } }"#;

/// A server on a real socket: the router behind the server's own transport.
async fn serve(router: Router) -> SocketAddr {
    crate::helpers::serve_on_port(router, Default::default()).await
}

/// A client of a served instance, with an API key.
struct Http {
    client: Client<HttpConnector, Full<Bytes>>,
    addr: SocketAddr,
    key: Option<String>,
}

impl Http {
    fn new(addr: SocketAddr, key: Option<&str>) -> Self {
        Http {
            client: Client::builder(TokioExecutor::new()).build_http(),
            addr,
            key: key.map(str::to_string),
        }
    }

    /// POSTs a document; the whole response.
    async fn post(&self, query: &str, variables: Value) -> Value {
        let mut request = hyper::Request::post(format!("http://{}/graphql", self.addr))
            .header("content-type", "application/json");
        if let Some(key) = &self.key {
            request = request.header("authorization", format!("Bearer {key}"));
        }
        let body = json!({ "query": query, "variables": variables }).to_string();
        let request = request
            .body(Full::new(Bytes::from(body)))
            .expect("a request");
        let response = self.client.request(request).await.expect("an answer");
        let bytes = response
            .into_body()
            .collect()
            .await
            .expect("a body")
            .to_bytes();
        serde_json::from_slice(&bytes).expect("JSON")
    }

    /// Polls job `id` until it has SUCCEEDED or FAILED; every answer, in order.
    async fn poll(&self, id: &Value) -> Vec<Value> {
        self.poll_with_rows(id, None).await.0
    }

    /// [`poll`](Http::poll), reading the job's row in `db` after each answer as well, as any
    /// instance would find it: (rows written, rows in all).
    async fn poll_with_rows(
        &self,
        id: &Value,
        db: Option<&DatabaseConnection>,
    ) -> (Vec<Value>, Vec<(i64, Option<i64>)>) {
        let (mut seen, mut rows) = (Vec::new(), Vec::new());
        for _ in 0..2400 {
            let answer = self.post(POLL, json!({ "id": id })).await;
            let job = answer["data"]["importJob"].clone();
            assert!(job.is_object(), "{answer:#}");
            if let Some(db) = db {
                let row = import_job::Entity::find()
                    .one(db)
                    .await
                    .expect("reads")
                    .expect("the job's row");
                rows.push((row.rows_written, row.rows_total));
            }
            let done = job["status"] == "SUCCEEDED" || job["status"] == "FAILED";
            seen.push(job);
            if done {
                return (seen, rows);
            }
            tokio::time::sleep(Duration::from_millis(25)).await;
        }
        panic!(
            "the job never finished: {:#}",
            seen.last().unwrap_or(&Value::Null)
        );
    }
}

/// The `rules` fixture's dockside raid, `n` times under different keys.
fn events(n: usize) -> String {
    (0..n)
        .map(|i| EVENTS.replace("dockside-raid", &format!("dockside-raid-{i:04}")))
        .collect()
}

fn files(events_toml: &str) -> Value {
    json!([
        { "name": "sources.toml", "text": SOURCES },
        { "name": "articles/herald.txt", "text": ARTICLE },
        { "name": "events.toml", "text": events_toml },
    ])
}

async fn editor(app: &TestApp) -> (i32, String) {
    let (record, key) = scam_atlas::auth::create(app.db(), "Desk", Role::Editor)
        .await
        .expect("a key");
    (record.id, key)
}

async fn an_import_job_reports_its_progress_to_another_instance(backend: Backend) {
    const EVENTS_IMPORTED: usize = 400;
    let app = TestApp::fixture(backend, "rules").await;
    let (_, key) = editor(&app).await;
    let before = count(app.db(), "event").await;
    let a = Http::new(serve(app.router.clone()).await, Some(&key));
    let pool = scam_atlas::db::connect(&app.store.url)
        .await
        .expect("a second pool");
    let b = Http::new(serve(router(AppState::new(pool))).await, Some(&key));

    let started = a
        .post(
            START,
            json!({ "files": files(&events(EVENTS_IMPORTED)), "key": null }),
        )
        .await;
    let job = &started["data"]["startImport"];
    assert_eq!(job["status"], "QUEUED", "{started:#}");
    let (seen, rows) = b.poll_with_rows(&job["id"], Some(app.db())).await;
    let last = seen.last().expect("an answer");
    assert_eq!(last["status"], "SUCCEEDED", "{last:#}");
    assert_eq!(
        last["proposal"],
        json!({ "status": "PUBLISHED", "kind": "IMPORT_DATASET" })
    );
    assert!(last["startedAt"].is_string() && last["finishedAt"].is_string());
    assert_eq!(last["error"], Value::Null);
    // Progress only rises, and ends at the total.
    let written: Vec<i64> = seen
        .iter()
        .map(|j| j["rowsWritten"].as_i64().expect("a count"))
        .collect();
    assert!(written.windows(2).all(|w| w[0] <= w[1]), "{written:?}");
    let totals: Vec<i64> = seen
        .iter()
        .filter_map(|j| j["rowsTotal"].as_i64())
        .collect();
    assert!(totals.windows(2).all(|w| w[0] <= w[1]), "{totals:?}");
    let total = last["rowsTotal"].as_i64().expect("a total");
    assert!(total > EVENTS_IMPORTED as i64, "{total}");
    assert_eq!(written.last(), Some(&total));
    assert!(
        seen.iter()
            .all(|j| j["rowsWritten"].as_i64() <= Some(total))
    );
    // The row itself (what an instance in another process reads; on PostgreSQL the heartbeat
    // writes it while the import runs) never goes back either, and ends at the total.
    assert!(
        rows.windows(2)
            .all(|w| w[0].0 <= w[1].0 && w[0].1 <= w[1].1),
        "{rows:?}"
    );
    assert_eq!(rows.last(), Some(&(total, Some(total))));
    assert_eq!(
        count(app.db(), "event").await,
        before + EVENTS_IMPORTED as i64
    );

    // The job is a Node: the same through `node(id:)`, on either instance.
    let node = a
        .post(
            "query($id: ID!) { node(id: $id) { __typename id ... on ImportJob { status rowsWritten } } }",
            json!({ "id": job["id"] }),
        )
        .await;
    assert_eq!(
        node["data"]["node"],
        json!({ "__typename": "ImportJob", "id": job["id"], "status": "SUCCEEDED", "rowsWritten": total })
    );
}

async fn a_failing_import_job_writes_nothing(backend: Backend) {
    let app = TestApp::fixture(backend, "rules").await;
    let (_, key) = editor(&app).await;
    let http = Http::new(serve(app.router.clone()).await, Some(&key));
    let before = counts(app.db()).await;
    // A quote its article does not hold, in the last of many events.
    let broken = format!(
        "{}{}",
        events(50),
        EVENTS
            .replace("dockside-raid", "dockside-raid-broken")
            .replace("arrested 40 Bordurian", "arrested 41 Bordurian")
    );
    let variables = json!({ "files": files(&broken), "key": "once" });
    let started = http.post(START, variables.clone()).await;
    let id = started["data"]["startImport"]["id"].clone();
    assert!(id.is_string(), "{started:#}");
    let last = http.poll(&id).await.pop().expect("an answer");
    assert_eq!(last["status"], "FAILED", "{last:#}");
    assert_eq!(last["error"]["code"], "BAD_USER_INPUT", "{last:#}");
    let message = last["error"]["message"].as_str().expect("a message");
    assert!(message.contains("dockside-raid-broken"), "{message}");
    assert_eq!(last["proposal"], Value::Null);
    // Nothing written but the job's own row.
    let after: Vec<_> = counts(app.db())
        .await
        .into_iter()
        .filter(|(t, _)| *t != "import_job")
        .collect();
    let expected: Vec<_> = before
        .into_iter()
        .filter(|(t, _)| *t != "import_job")
        .collect();
    assert_eq!(after, expected);
    assert_eq!(count(app.db(), "import_job").await, 1);

    // A retry with the same key and files is the same job; other files are refused.
    let again = http.post(START, variables).await;
    assert_eq!(again["data"]["startImport"]["id"], id, "{again:#}");
    let other = http
        .post(START, json!({ "files": files(&events(1)), "key": "once" }))
        .await;
    assert_eq!(
        other["errors"][0]["extensions"]["code"], "IDEMPOTENCY_KEY_REUSED",
        "{other:#}"
    );
    // Editors only; and a job is read with a key.
    let (_, contributor) = scam_atlas::auth::create(app.db(), "Org", Role::Contributor)
        .await
        .expect("a key");
    let refused = Http::new(http.addr, Some(&contributor))
        .post(START, json!({ "files": files(&events(1)) }))
        .await;
    assert_eq!(refused["errors"][0]["extensions"]["code"], "FORBIDDEN");
    let anonymous = Http::new(http.addr, None)
        .post(POLL, json!({ "id": id }))
        .await;
    assert_eq!(
        anonymous["errors"][0]["extensions"]["code"],
        "UNAUTHENTICATED"
    );
}

async fn a_job_whose_instance_died_reads_failed(backend: Backend) {
    let app = TestApp::fixture(backend, "rules").await;
    let (key_id, key) = editor(&app).await;
    let http = Http::new(serve(app.router.clone()).await, Some(&key));
    // Two jobs left RUNNING by an instance that no longer runs them: one beat a moment ago,
    // the other beat last more than the staleness bound ago.
    let mut ids = Vec::new();
    for age in [
        TimeDelta::zero(),
        store::STALE_AFTER + TimeDelta::seconds(5),
    ] {
        let job = store::create(app.db(), key_id, None, "0".repeat(64))
            .await
            .expect("a job row");
        let mut row: import_job::ActiveModel = job.clone().into_active_model();
        row.status = Set(ImportJobStatus::Running);
        row.started_at = Set(Some(Utc::now() - age));
        row.heartbeat_at = Set(Utc::now() - age);
        row.update(app.db()).await.expect("updated");
        let id = scam_atlas::graphql::ids::encode("ImportJob", &job.uid);
        ids.push((job.id, job.uid, id));
    }
    let read = |id: async_graphql::ID| {
        let http = &http;
        async move {
            http.post(POLL, json!({ "id": id.to_string() })).await["data"]["importJob"].clone()
        }
    };
    let fresh = read(ids[0].2.clone()).await;
    assert_eq!(fresh["status"], "RUNNING", "{fresh:#}");
    let dead = read(ids[1].2.clone()).await;
    assert_eq!(dead["status"], "FAILED", "{dead:#}");
    assert_eq!(dead["error"]["code"], "ABANDONED", "{dead:#}");
    assert!(dead["finishedAt"].is_string());
    // The verdict is stored: every instance reads it, and the import can no longer commit.
    let row = store::find(app.db(), &ids[1].1)
        .await
        .expect("reads")
        .expect("the job");
    assert_eq!(row.status, ImportJobStatus::Failed);
    assert!(
        !store::succeeded(app.db(), ids[1].0, 1, (1, 1))
            .await
            .expect("runs")
    );
    assert!(
        store::succeeded(app.db(), ids[0].0, 1, (1, 1))
            .await
            .expect("runs")
    );
}
