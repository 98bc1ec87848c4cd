//! Partner writes over HTTP, on the `rules` fixture: a contributor proposes a sixth article
//! and its raid, an editor publishes them, an anonymous reader sees them and the totals they
//! change; a second article's number becomes a second claim on the same event; refused
//! changes leave the database exactly as it was; retractions leave tombstones; the audit
//! trail names each key; keys are stored as hashes; concurrent claims lose nothing.

use crate::helpers::{Backend, TestApp};
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use entity::enums::Role;
use scam_atlas::auth;
use sea_orm::{ConnectionTrait, DatabaseConnection, DbBackend, Statement};
use serde_json::{Value, json};

both!(
    a_partner_adds_an_article_and_its_raid,
    refused_changes_leave_the_database_as_it_was,
    keys_are_stored_as_hashes_and_a_revoked_key_is_refused,
    concurrent_claims_on_one_figure_lose_nothing,
    two_reports_of_one_raid_merge_into_one_event,
    the_readme_flow_works_on_the_curated_data,
    a_publish_on_one_instance_is_read_on_another,
    linked_groups_count_once,
    reads_may_require_a_key,
    a_claim_reaches_a_flows_nationality_share,
);

/// The sixth and seventh articles' texts: every quote below is in one of them.
pub(crate) const HERALD: &str = "The Harbour Herald, 2 June 2024.\n\
    Police raided a dockside warehouse in Harbour City on 1 June 2024 and arrested 40 \
    Bordurian nationals, the Avalonian police said.\n";
const GAZETTE: &str = "The Gazette, 3 June 2024.\n\
    The dockside raid in Harbour City netted 45 Bordurians, officers said.\n";

/// POSTs `query` with `variables`, sending `key` as the bearer key when given.
async fn call(
    app: &TestApp,
    key: Option<&str>,
    query: &str,
    variables: Value,
) -> (StatusCode, Value) {
    let mut request = Request::post("/graphql")
        .header(header::CONTENT_TYPE, "application/json")
        .header(header::ACCEPT, "application/graphql-response+json");
    if let Some(key) = key {
        request = request.header(header::AUTHORIZATION, format!("Bearer {key}"));
    }
    let request = request
        .body(Body::from(
            json!({ "query": query, "variables": variables }).to_string(),
        ))
        .expect("a request");
    let (status, _, body) = app.send(request).await;
    (status, body)
}

/// A call that must succeed; its `data`.
pub(crate) async fn ok(app: &TestApp, key: Option<&str>, query: &str, variables: Value) -> Value {
    let (status, body) = call(app, key, query, variables).await;
    assert_eq!(status, StatusCode::OK, "{body:#}");
    assert!(body.get("errors").is_none(), "unexpected errors: {body:#}");
    body["data"].clone()
}

/// A call that must be refused with `code`; its first error.
async fn refused(
    app: &TestApp,
    key: Option<&str>,
    query: &str,
    variables: Value,
    code: &str,
) -> Value {
    let (_, body) = call(app, key, query, variables).await;
    let error = body["errors"][0].clone();
    assert_eq!(error["extensions"]["code"], code, "{body:#}");
    error
}

pub(crate) const CREATE_SOURCE: &str = r#"
mutation($input: SourceInput!, $text: String!, $idem: String) {
  createSource(input: $input, text: $text, idempotencyKey: $idem) {
    proposal { id status kind author reviewer }
    node { id ... on Source { key outlet } }
  }
}"#;

pub(crate) const CREATE_EVENT: &str = r#"
mutation($input: EventInput!, $idem: String) {
  createEvent(input: $input, idempotencyKey: $idem) {
    proposal { id status kind author }
    node { id ... on Event { key version } }
  }
}"#;

const REVIEW: &str = r#"
mutation($id: ID!, $publish: Boolean!, $note: String) {
  reviewProposal(id: $id, publish: $publish, note: $note) {
    proposal { id status reviewer note }
    node { id }
  }
}"#;

const ADD_CLAIM: &str = r#"
mutation($to: FigureOwnerInput!, $claim: ClaimInput!, $version: Int) {
  addClaim(to: $to, claim: $claim, expectedVersion: $version) {
    proposal { id status author }
    node { id }
  }
}"#;

const EVENT: &str = r#"
query($key: String!) {
  event(key: $key) {
    id key version title
    citations { quote source { key } }
    participants { id nationality { code } count { value low high version claims { id value quote source { key } } } }
  }
}"#;

pub(crate) const TOTALS: &str = r#"
{ participantTotals(groupBy: [NATIONALITY]) { nationality { code } total { value low high } eventCount } }"#;

pub(crate) fn source(key: &str, outlet: &str) -> Value {
    json!({ "key": key, "headline": format!("{outlet} on the dockside raid"), "outlet": outlet,
            "published": { "start": "2024-06-02", "precision": "DAY" }, "reporting": "ORIGINAL" })
}

pub(crate) fn raid(key: &str) -> Value {
    let quote = "Police raided a dockside warehouse in Harbour City on 1 June 2024 and arrested 40 \
                 Bordurian nationals, the Avalonian police said.";
    json!({
        "key": key, "kinds": ["RAID"], "title": "Dockside warehouse raid",
        "summary": "Police raided a warehouse in Harbour City and arrested Bordurians.",
        "date": { "start": "2024-06-01", "precision": "DAY" }, "places": ["harbour"],
        "agencies": [{ "agency": "xa-police", "role": "RAIDING" }],
        "citations": [{ "source": "herald", "quote": quote,
                        "supports": ["kind:RAID", "date", "place:harbour", "agency:xa-police"] }],
        "participants": [{ "nationality": "XB", "role": "SUSPECT", "status": "ARRESTED",
                           "count": [{ "value": 40, "source": "herald", "quote": quote }] }]
    })
}

/// The total of `code`'s row of participantTotals by nationality.
pub(crate) fn total_of(totals: &Value, code: &str) -> Value {
    totals["participantTotals"]
        .as_array()
        .expect("rows")
        .iter()
        .find(|r| r["nationality"]["code"] == code)
        .map(|r| r["total"].clone())
        .unwrap_or(Value::Null)
}

pub(crate) struct Keys {
    pub contributor: String,
    pub editor: String,
}

/// A contributor's and an editor's key, each used once (so its first use is recorded
/// before any comparison of the database).
pub(crate) async fn keys(app: &TestApp) -> Keys {
    let (_, contributor) = auth::create(app.db(), "Org X", Role::Contributor)
        .await
        .expect("a key");
    let (_, editor) = auth::create(app.db(), "Desk", Role::Editor)
        .await
        .expect("a key");
    for key in [&contributor, &editor] {
        ok(app, Some(key), "{ proposals { totalCount } }", json!({})).await;
    }
    Keys {
        contributor,
        editor,
    }
}

/// A contributor's proposal, published by the editor; returns the published node's ID.
async fn propose_and_publish(
    app: &TestApp,
    k: &Keys,
    query: &str,
    field: &str,
    variables: Value,
) -> Value {
    let data = ok(app, Some(&k.contributor), query, variables).await;
    let proposal = &data[field]["proposal"];
    assert_eq!(proposal["status"], "PENDING", "{data:#}");
    assert_eq!(proposal["author"], "Org X");
    assert!(
        data[field]["node"].is_null(),
        "a pending change is not public: {data:#}"
    );
    let published = ok(
        app,
        Some(&k.editor),
        REVIEW,
        json!({ "id": proposal["id"], "publish": true, "note": "checked" }),
    )
    .await;
    assert_eq!(
        published["reviewProposal"]["proposal"]["status"],
        "PUBLISHED"
    );
    assert_eq!(published["reviewProposal"]["proposal"]["reviewer"], "Desk");
    published["reviewProposal"]["node"]["id"].clone()
}

async fn a_partner_adds_an_article_and_its_raid(backend: Backend) {
    let app = TestApp::fixture(backend, "rules").await;
    let k = keys(&app).await;
    let before = ok(&app, None, TOTALS, json!({})).await;
    let events_before = ok(&app, None, "{ events { totalCount } }", json!({})).await;

    propose_and_publish(
        &app,
        &k,
        CREATE_SOURCE,
        "createSource",
        json!({ "input": source("herald", "The Harbour Herald"), "text": HERALD }),
    )
    .await;
    // Proposed, the raid is in no public read and no total.
    let proposed = ok(
        &app,
        Some(&k.contributor),
        CREATE_EVENT,
        json!({ "input": raid("dockside-raid") }),
    )
    .await;
    assert_eq!(
        ok(&app, None, EVENT, json!({ "key": "dockside-raid" })).await["event"],
        Value::Null
    );
    assert_eq!(ok(&app, None, TOTALS, json!({})).await, before);
    let mine = ok(
        &app,
        Some(&k.contributor),
        "{ proposals(status: PENDING) { nodes { id summary } } }",
        json!({}),
    )
    .await;
    assert_eq!(
        mine["proposals"]["nodes"][0]["summary"],
        "add event dockside-raid"
    );
    let published = ok(
        &app,
        Some(&k.editor),
        REVIEW,
        json!({ "id": proposed["createEvent"]["proposal"]["id"], "publish": true }),
    )
    .await;
    assert!(published["reviewProposal"]["node"]["id"].is_string());

    // An anonymous reader sees the event, its quote, and totals with its 40 Bordurians.
    let event = ok(&app, None, EVENT, json!({ "key": "dockside-raid" })).await["event"].clone();
    assert_eq!(event["citations"][0]["source"]["key"], "herald");
    assert_eq!(event["participants"][0]["count"]["value"], 40);
    let after = ok(&app, None, TOTALS, json!({})).await;
    let xb = |t: &Value| total_of(t, "XB")["value"].as_i64().unwrap_or(0);
    assert_eq!(xb(&after), xb(&before) + 40, "{after:#}");

    // A second article reports the same raid with another number: a second claim, not a
    // second event. The server stands behind the lower; high spans both.
    propose_and_publish(
        &app,
        &k,
        CREATE_SOURCE,
        "createSource",
        json!({ "input": source("gazette", "The Gazette"), "text": GAZETTE }),
    )
    .await;
    let group = event["participants"][0]["id"].clone();
    let claim = json!({ "value": 45, "source": "gazette",
        "quote": "The dockside raid in Harbour City netted 45 Bordurians, officers said." });
    propose_and_publish(
        &app,
        &k,
        ADD_CLAIM,
        "addClaim",
        json!({ "to": { "group": group }, "claim": claim, "version": 1 }),
    )
    .await;
    let event = ok(&app, None, EVENT, json!({ "key": "dockside-raid" })).await["event"].clone();
    let count = &event["participants"][0]["count"];
    assert_eq!(
        (
            count["value"].clone(),
            count["low"].clone(),
            count["high"].clone()
        ),
        (json!(40), json!(40), json!(45))
    );
    assert_eq!(count["claims"].as_array().map(Vec::len), Some(2));
    assert_eq!(count["version"], 2);
    let events_after = ok(&app, None, "{ events { totalCount } }", json!({})).await;
    assert_eq!(
        events_after["events"]["totalCount"].as_i64(),
        events_before["events"]["totalCount"]
            .as_i64()
            .map(|n| n + 1)
    );
    assert_eq!(
        total_of(&ok(&app, None, TOTALS, json!({})).await, "XB")["high"].as_i64(),
        total_of(&before, "XB")["high"].as_i64().map(|h| h + 45)
    );

    // Retracting the event takes it out of every total and leaves a tombstone.
    let retract = r#"mutation($id: ID!) { retractEvent(id: $id, reason: "duplicate of an earlier report", expectedVersion: 1) { proposal { status } node { id } } }"#;
    let done = ok(&app, Some(&k.editor), retract, json!({ "id": event["id"] })).await;
    assert_eq!(
        done["retractEvent"]["proposal"]["status"], "PUBLISHED",
        "an editor's change publishes at once"
    );
    assert_eq!(ok(&app, None, TOTALS, json!({})).await, before);
    assert_eq!(
        ok(
            &app,
            None,
            "query($id: ID!) { node(id: $id) { id } }",
            json!({ "id": event["id"] })
        )
        .await["node"],
        Value::Null
    );

    // The audit trail shows every step with its key's name; the event's history its own.
    let trail = ok(&app, Some(&k.editor),
        "{ changes(first: 100) { nodes { action nodeType nodeId actor reason after proposal { author } } } }", json!({})).await;
    let steps: Vec<(String, String, String)> = trail["changes"]["nodes"]
        .as_array()
        .expect("changes")
        .iter()
        .map(|c| {
            (
                c["action"].as_str().unwrap_or_default().into(),
                c["nodeType"].as_str().unwrap_or_default().into(),
                c["proposal"]["author"].as_str().unwrap_or_default().into(),
            )
        })
        .collect();
    let expected = [
        ("CREATED", "Source", "Org X"),
        ("CREATED", "Event", "Org X"),
        ("CREATED", "Source", "Org X"),
        ("CREATED", "Claim", "Org X"),
        ("UPDATED", "Event", "Org X"),
        ("RETRACTED", "Event", "Desk"),
    ];
    assert_eq!(
        steps,
        expected
            .map(|(a, t, k)| (a.to_string(), t.to_string(), k.to_string()))
            .to_vec()
    );
    let nodes = trail["changes"]["nodes"].as_array().expect("changes");
    assert!(
        nodes.iter().all(|c| c["actor"] == "Desk"),
        "the publisher's key is named: {trail:#}"
    );
    let tombstone = nodes.last().expect("the retraction");
    assert!(tombstone["after"].is_null() && tombstone["nodeId"] == event["id"]);
    assert_eq!(tombstone["reason"], "duplicate of an earlier report");
    // Reading the trail needs a key.
    refused(
        &app,
        None,
        "{ changes { totalCount } }",
        json!({}),
        "UNAUTHENTICATED",
    )
    .await;
}

/// Every table's rows, as text: equal dumps are equal databases.
pub async fn dump(db: &DatabaseConnection) -> Vec<(String, Vec<String>)> {
    let backend = db.get_database_backend();
    let tables_sql = match backend {
        DbBackend::Postgres => {
            "SELECT tablename AS name FROM pg_tables WHERE schemaname = 'public' ORDER BY 1"
        }
        _ => {
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY 1"
        }
    };
    let tables = db
        .query_all_raw(Statement::from_string(backend, tables_sql))
        .await
        .expect("tables");
    let mut all = Vec::new();
    for t in tables {
        let name: String = t.try_get("", "name").expect("a name");
        let row_sql = match backend {
            DbBackend::Postgres => format!("SELECT t::text AS r FROM \"{name}\" t ORDER BY 1"),
            _ => {
                let columns = db
                    .query_all_raw(Statement::from_string(
                        backend,
                        format!("SELECT name FROM pragma_table_info('{name}')"),
                    ))
                    .await
                    .expect("columns");
                let parts: Vec<String> = columns
                    .iter()
                    .map(|c| {
                        format!(
                            "quote(\"{}\")",
                            c.try_get::<String>("", "name").expect("a column")
                        )
                    })
                    .collect();
                format!(
                    "SELECT {} AS r FROM \"{name}\" ORDER BY 1",
                    parts.join(" || ',' || ")
                )
            }
        };
        let rows = db
            .query_all_raw(Statement::from_string(backend, row_sql))
            .await
            .expect("rows");
        all.push((
            name,
            rows.iter()
                .map(|r| r.try_get::<String>("", "r").unwrap_or_default())
                .collect(),
        ));
    }
    all
}

async fn refused_changes_leave_the_database_as_it_was(backend: Backend) {
    let app = TestApp::fixture(backend, "rules").await;
    let k = keys(&app).await;
    ok(&app, Some(&k.editor), CREATE_SOURCE,
        json!({ "input": source("herald", "The Harbour Herald"), "text": HERALD, "idem": "herald-1" })).await;
    let version = ok(&app, None, EVENT, json!({ "key": "harbour-raid" })).await["event"].clone();
    let start = dump(app.db()).await;

    // A quote that is not in its source's text.
    let mut bad_quote = raid("bad-quote");
    bad_quote["citations"][0]["quote"] = json!("Police raided a palace.");
    let error = refused(
        &app,
        Some(&k.editor),
        CREATE_EVENT,
        json!({ "input": bad_quote }),
        "BAD_USER_INPUT",
    )
    .await;
    assert_eq!(error["extensions"]["field"], "citations[0]", "{error:#}");
    assert!(
        error["message"]
            .as_str()
            .is_some_and(|m| m.contains("not in the article")),
        "{error:#}"
    );
    // A place that does not exist.
    let mut dangling = raid("dangling");
    dangling["places"] = json!(["atlantis"]);
    let error = refused(
        &app,
        Some(&k.contributor),
        CREATE_EVENT,
        json!({ "input": dangling }),
        "BAD_USER_INPUT",
    )
    .await;
    assert_eq!(error["extensions"]["field"], "places", "{error:#}");
    // A private person.
    let person =
        r#"mutation($input: PersonInput!) { createPerson(input: $input) { proposal { id } } }"#;
    let error = refused(&app, Some(&k.editor), person,
        json!({ "input": { "key": "jane-doe", "name": "Jane Doe", "standing": "PRIVATE_INDIVIDUAL" } }), "BAD_USER_INPUT").await;
    assert_eq!(error["extensions"]["field"], "standing", "{error:#}");
    // A change against a stale version.
    let correct = r#"mutation($id: ID!, $v: Int!) { correctEvent(id: $id, expectedVersion: $v, reason: "typo", title: "New") { proposal { id } } }"#;
    refused(
        &app,
        Some(&k.editor),
        correct,
        json!({ "id": version["id"], "v": version["version"].as_i64().unwrap_or(1) + 1 }),
        "CONFLICT",
    )
    .await;
    // An idempotency key used again with another payload; the same payload is answered again.
    refused(
        &app,
        Some(&k.editor),
        CREATE_SOURCE,
        json!({ "input": source("other", "Other"), "text": HERALD, "idem": "herald-1" }),
        "IDEMPOTENCY_KEY_REUSED",
    )
    .await;
    let again = ok(&app, Some(&k.editor), CREATE_SOURCE,
        json!({ "input": source("herald", "The Harbour Herald"), "text": HERALD, "idem": "herald-1" })).await;
    assert_eq!(again["createSource"]["node"]["key"], "herald");
    // No key, and a contributor reviewing.
    let (status, body) = call(
        &app,
        None,
        CREATE_EVENT,
        json!({ "input": raid("anonymous") }),
    )
    .await;
    assert_eq!(
        (status, body["errors"][0]["extensions"]["code"].clone()),
        (StatusCode::UNAUTHORIZED, json!("UNAUTHENTICATED"))
    );
    let (status, _) = call(
        &app,
        Some(&k.contributor),
        REVIEW,
        json!({ "id": "UHJvcG9zYWw6MQ", "publish": true }),
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN);

    assert!(
        dump(app.db()).await == start,
        "a refused change wrote something"
    );
}

async fn keys_are_stored_as_hashes_and_a_revoked_key_is_refused(backend: Backend) {
    let app = TestApp::fixture(backend, "rules").await;
    let (record, key) = auth::create(app.db(), "Org Y", Role::Editor)
        .await
        .expect("a key");
    assert!(key.starts_with("sa_live_") && key.len() > 40, "{key}");
    let rows = dump(app.db()).await;
    let (_, api_keys) = rows
        .iter()
        .find(|(t, _)| t == "api_key")
        .expect("the api_key table");
    assert_eq!(api_keys.len(), 1);
    assert!(
        !api_keys[0].contains(&key),
        "the key itself is stored: {}",
        api_keys[0]
    );
    assert!(
        api_keys[0].contains(&auth::hash(&key)),
        "its SHA-256 is: {}",
        api_keys[0]
    );
    ok(&app, Some(&key), "{ proposals { totalCount } }", json!({})).await;
    auth::revoke(app.db(), &record.prefix)
        .await
        .expect("revoked");
    let error = refused(
        &app,
        Some(&key),
        "{ proposals { totalCount } }",
        json!({}),
        "UNAUTHENTICATED",
    )
    .await;
    assert!(
        error["message"]
            .as_str()
            .is_some_and(|m| m.contains("revoked")),
        "{error:#}"
    );
    refused(
        &app,
        Some("sa_live_not-a-key"),
        "{ proposals { totalCount } }",
        json!({}),
        "UNAUTHENTICATED",
    )
    .await;
}

async fn concurrent_claims_on_one_figure_lose_nothing(backend: Backend) {
    let app = TestApp::fixture(backend, "rules").await;
    let k = keys(&app).await;
    let n = 16;
    let text: String = (0..n)
        .map(|i| format!("Officials counted {} suspects.\n", 130 + i))
        .collect();
    ok(
        &app,
        Some(&k.editor),
        CREATE_SOURCE,
        json!({ "input": source("tally", "Tally"), "text": text }),
    )
    .await;
    let event = ok(&app, None, EVENT, json!({ "key": "harbour-raid" })).await["event"].clone();
    let group = event["participants"][0]["id"].clone();
    let claims_before = event["participants"][0]["count"]["claims"]
        .as_array()
        .map_or(0, Vec::len);
    // Without a version every claim lands; all at once.
    let calls = (0..n).map(|i| {
        let claim = json!({ "value": 130 + i, "qualifier": "ABOUT", "source": "tally",
                            "quote": format!("Officials counted {} suspects.", 130 + i) });
        let (app, key, group) = (&app, k.editor.clone(), group.clone());
        async move {
            call(
                app,
                Some(&key),
                ADD_CLAIM,
                json!({ "to": { "group": group }, "claim": claim }),
            )
            .await
        }
    });
    for (status, body) in futures_util::future::join_all(calls).await {
        assert!(
            status == StatusCode::OK && body.get("errors").is_none(),
            "{body:#}"
        );
    }
    let event = ok(&app, None, EVENT, json!({ "key": "harbour-raid" })).await["event"].clone();
    let count = &event["participants"][0]["count"];
    assert_eq!(
        count["claims"].as_array().map(Vec::len),
        Some(claims_before + n as usize),
        "no lost update"
    );
    assert_eq!(count["high"], 130 + n - 1);
    let version = count["version"].as_i64().expect("a version");
    // With the version read, exactly one of many concurrent changes wins.
    let text: String = (0..8)
        .map(|i| format!("Later, officials counted {} suspects.\n", 200 + i))
        .collect();
    ok(
        &app,
        Some(&k.editor),
        CREATE_SOURCE,
        json!({ "input": source("later", "Later"), "text": text }),
    )
    .await;
    let calls = (0..8).map(|i| {
        let claim = json!({ "value": 200 + i, "source": "later", "quote": format!("Later, officials counted {} suspects.", 200 + i) });
        let (app, key, group) = (&app, k.editor.clone(), group.clone());
        async move { call(app, Some(&key), ADD_CLAIM, json!({ "to": { "group": group }, "claim": claim, "version": version })).await }
    });
    let results = futures_util::future::join_all(calls).await;
    let won = results
        .iter()
        .filter(|(_, b)| b.get("errors").is_none())
        .count();
    let conflicts = results
        .iter()
        .filter(|(_, b)| b["errors"][0]["extensions"]["code"] == "CONFLICT")
        .count();
    assert_eq!((won, conflicts), (1, 7), "{results:#?}");
    // The totals equal a recomputation from scratch.
    let totals = ok(&app, None, TOTALS, json!({})).await;
    let ids = app
        .db()
        .query_all_raw(Statement::from_string(
            app.db().get_database_backend(),
            "SELECT id FROM event",
        ))
        .await
        .expect("events");
    for row in ids {
        let id: i32 = row.try_get("", "id").expect("an id");
        scam_atlas::ingest::tallies::recompute(app.db(), id)
            .await
            .expect("recomputed");
    }
    assert_eq!(ok(&app, None, TOTALS, json!({})).await, totals);
}

async fn two_reports_of_one_raid_merge_into_one_event(backend: Backend) {
    let app = TestApp::fixture(backend, "rules").await;
    let k = keys(&app).await;
    let before = ok(&app, None, TOTALS, json!({})).await;
    for (key, outlet, text) in [
        ("herald", "The Harbour Herald", HERALD),
        ("gazette", "The Gazette", GAZETTE),
    ] {
        ok(
            &app,
            Some(&k.editor),
            CREATE_SOURCE,
            json!({ "input": source(key, outlet), "text": text }),
        )
        .await;
    }
    ok(
        &app,
        Some(&k.editor),
        CREATE_EVENT,
        json!({ "input": raid("dockside-raid") }),
    )
    .await;
    // The same raid entered again from the second article, as its own event.
    let quote = "The dockside raid in Harbour City netted 45 Bordurians, officers said.";
    let mut second = raid("dockside-raid-gazette");
    second["citations"] = json!([{ "source": "gazette", "quote": quote, "supports": ["kind:RAID", "place:harbour"] },
        { "source": "herald", "quote": "Police raided a dockside warehouse in Harbour City on 1 June 2024 and arrested 40 Bordurian nationals, the Avalonian police said.", "supports": ["date", "agency:xa-police"] }]);
    second["participants"][0]["count"] =
        json!([{ "value": 45, "source": "gazette", "quote": quote }]);
    ok(
        &app,
        Some(&k.editor),
        CREATE_EVENT,
        json!({ "input": second }),
    )
    .await;
    let xb = |t: &Value| total_of(t, "XB")["value"].as_i64().unwrap_or(0);
    assert_eq!(
        xb(&ok(&app, None, TOTALS, json!({})).await),
        xb(&before) + 85,
        "two events count twice"
    );

    let a = ok(&app, None, EVENT, json!({ "key": "dockside-raid" })).await["event"].clone();
    let b = ok(&app, None, EVENT, json!({ "key": "dockside-raid-gazette" })).await["event"].clone();
    let merge = r#"mutation($into: ID!, $from: ID!) { mergeEvents(into: $into, from: $from, reason: "one raid, two reports") { node { id ... on Event { key version } } } }"#;
    let merged = ok(
        &app,
        Some(&k.editor),
        merge,
        json!({ "into": a["id"], "from": b["id"] }),
    )
    .await;
    assert_eq!(merged["mergeEvents"]["node"]["key"], "dockside-raid");

    // One event, one group with both articles' claims; counted once.
    let event = ok(&app, None, EVENT, json!({ "key": "dockside-raid" })).await["event"].clone();
    let count = &event["participants"][0]["count"];
    assert_eq!(
        event["participants"].as_array().map(Vec::len),
        Some(1),
        "{event:#}"
    );
    assert_eq!(
        (count["value"].clone(), count["high"].clone()),
        (json!(40), json!(45))
    );
    let claim_ids: Vec<Value> = count["claims"]
        .as_array()
        .expect("claims")
        .iter()
        .map(|c| c["id"].clone())
        .collect();
    assert!(
        claim_ids.contains(&b["participants"][0]["count"]["claims"][0]["id"]),
        "a moved claim keeps its ID"
    );
    assert_eq!(event["citations"].as_array().map(Vec::len), Some(3));
    assert_eq!(
        xb(&ok(&app, None, TOTALS, json!({})).await),
        xb(&before) + 40
    );
    // The merged-away ID answers with the survivor; both histories show the merge.
    let node = ok(&app, None, "query($id: ID!) { node(id: $id) { id ... on Event { key history { nodes { action actor } } } } }", json!({ "id": b["id"] })).await;
    assert_eq!(node["node"]["key"], "dockside-raid");
    let actions: Vec<&str> = node["node"]["history"]["nodes"]
        .as_array()
        .expect("history")
        .iter()
        .filter_map(|c| c["action"].as_str())
        .collect();
    assert_eq!(actions, ["CREATED", "MERGED"]);
    assert_eq!(
        ok(&app, None, EVENT, json!({ "key": "dockside-raid-gazette" })).await["event"],
        Value::Null
    );
}

/// The GraphQL documents of the README's section on contributing data, by operation name.
fn readme_documents() -> Vec<String> {
    let readme = include_str!("../../README.md");
    let start = readme.find("## Contributing data").expect("the section");
    let section = &readme[start..];
    let section = &section[..section[3..].find("\n## ").map_or(section.len(), |i| i + 3)];
    section
        .split("```graphql\n")
        .skip(1)
        .filter_map(|block| block.split("```").next())
        .map(str::to_string)
        .collect()
}

async fn the_readme_flow_works_on_the_curated_data(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let k = keys(&app).await;
    let docs = readme_documents();
    let doc = |name: &str| {
        docs.iter()
            .find(|d| d.contains(name))
            .cloned()
            .unwrap_or_else(|| panic!("no {name} in the README"))
    };
    let text = "SIHANOUKVILLE, Cambodia (AP) — Cambodian police raided a scam compound in Sihanoukville \
                on Sunday and detained 212 foreign nationals, including 98 Chinese, officials said.";
    let review = |id: Value| json!({ "id": id });
    let call_named = |name: &'static str, key: String, variables: Value| {
        let document = doc(name);
        let app = &app;
        async move {
            let request = Request::post("/graphql")
                .header(header::CONTENT_TYPE, "application/json")
                .header(header::AUTHORIZATION, format!("Bearer {key}"))
                .body(Body::from(
                    json!({ "query": document, "variables": variables, "operationName": name })
                        .to_string(),
                ))
                .expect("a request");
            let (status, _, body) = app.send(request).await;
            assert!(
                status == StatusCode::OK && body.get("errors").is_none(),
                "{name}: {body:#}"
            );
            body["data"].clone()
        }
    };
    let article = call_named("AddArticle", k.contributor.clone(), json!({ "text": text })).await;
    call_named(
        "Publish",
        k.editor.clone(),
        review(article["createSource"]["proposal"]["id"].clone()),
    )
    .await;
    call_named("AddRaid", k.contributor.clone(), json!({})).await;
    let pending = call_named("Pending", k.editor.clone(), json!({})).await;
    let id = pending["proposals"]["nodes"][0]["id"].clone();
    call_named("Publish", k.editor.clone(), review(id)).await;
    let event = ok(
        &app,
        None,
        EVENT,
        json!({ "key": "sihanoukville-raid-2026-11-30" }),
    )
    .await["event"]
        .clone();
    assert_eq!(event["participants"][0]["count"]["value"], 98, "{event:#}");
}

async fn a_publish_on_one_instance_is_read_on_another(backend: Backend) {
    let app = TestApp::fixture(backend, "rules").await;
    let k = keys(&app).await;
    // A second instance: its own pool and schema over the same database.
    let pool = scam_atlas::db::connect(&app.store.url)
        .await
        .expect("a second pool");
    let other = scam_atlas::app::router(scam_atlas::app::AppState::new(pool));
    let read_other = |query: &'static str, variables: Value| {
        let other = other.clone();
        async move {
            let body = json!({ "query": query, "variables": variables });
            let (_, _, answer) = crate::helpers::exchange(
                &other,
                crate::helpers::post_json(&body, "application/json"),
            )
            .await;
            answer["data"].clone()
        }
    };
    let before = read_other(TOTALS, json!({})).await;
    ok(
        &app,
        Some(&k.editor),
        CREATE_SOURCE,
        json!({ "input": source("herald", "The Harbour Herald"), "text": HERALD }),
    )
    .await;
    ok(
        &app,
        Some(&k.editor),
        CREATE_EVENT,
        json!({ "input": raid("dockside-raid") }),
    )
    .await;
    let after = read_other(TOTALS, json!({})).await;
    assert_eq!(
        after,
        ok(&app, None, TOTALS, json!({})).await,
        "both instances answer alike"
    );
    let xb = |t: &Value| total_of(t, "XB")["value"].as_i64().unwrap_or(0);
    assert_eq!(xb(&after), xb(&before) + 40);
    let event = read_other(EVENT, json!({ "key": "dockside-raid" })).await;
    assert_eq!(event["event"]["citations"][0]["source"]["key"], "herald");
}

async fn linked_groups_count_once(backend: Backend) {
    let app = TestApp::fixture(backend, "rules").await;
    let k = keys(&app).await;
    let before = ok(&app, None, TOTALS, json!({})).await;
    let group = |key: &'static str| {
        let app = &app;
        async move {
            let event = ok(app, None, EVENT, json!({ "key": key })).await["event"].clone();
            event["participants"]
                .as_array()
                .expect("groups")
                .iter()
                .find(|g| g["nationality"]["code"] == "XB")
                .expect("an XB group")["id"]
                .clone()
        }
    };
    let (deported, arrested) = (
        group("april-deportation").await,
        group("harbour-raid").await,
    );
    let link = r#"mutation($group: ID!, $to: ID!, $relation: CohortRelation!) {
      linkCohort(group: $group, to: $to, relation: $relation, source: "wire",
        quote: "On 2 April 2024, 60 people were deported to Borduria: 45 Bordurians and 10 Carpanians, with the rest of other nationalities.") {
        proposal { status } } }"#;
    // A part larger than its whole, and a group of the same event, are refused.
    let error = refused(
        &app,
        Some(&k.editor),
        link,
        json!({ "group": arrested, "to": deported, "relation": "PART_OF" }),
        "BAD_USER_INPUT",
    )
    .await;
    assert_eq!(error["extensions"]["field"], "relation", "{error:#}");
    ok(
        &app,
        Some(&k.editor),
        link,
        json!({ "group": deported, "to": arrested, "relation": "PART_OF" }),
    )
    .await;
    // The 45 deported Bordurians are among the 100 arrested: counted once.
    let after = ok(&app, None, TOTALS, json!({})).await;
    let xb = |t: &Value| total_of(t, "XB")["value"].as_i64().unwrap_or(0);
    assert_eq!(xb(&after), xb(&before) - 45, "{after:#}");
    refused(
        &app,
        Some(&k.editor),
        link,
        json!({ "group": deported, "to": arrested, "relation": "PART_OF" }),
        "BAD_USER_INPUT",
    )
    .await;
}

async fn reads_may_require_a_key(backend: Backend) {
    let app = TestApp::fixture(backend, "rules").await;
    let (_, key) = auth::create(app.db(), "Reader", Role::Contributor)
        .await
        .expect("a key");
    let closed = TestApp {
        router: scam_atlas::app::router(
            scam_atlas::app::AppState::new(app.db().clone()).with_keys_required(),
        ),
        store: app.store,
    };
    let (status, body) = call(&closed, None, "{ events { totalCount } }", json!({})).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED, "{body:#}");
    assert_eq!(body["errors"][0]["extensions"]["code"], "UNAUTHENTICATED");
    assert!(body.get("data").is_none(), "nothing ran: {body:#}");
    let (status, body) = call(
        &closed,
        Some("sa_live_unknown"),
        "{ events { totalCount } }",
        json!({}),
    )
    .await;
    assert_eq!(
        (status, body["errors"][0]["extensions"]["code"].clone()),
        (StatusCode::UNAUTHORIZED, json!("UNAUTHENTICATED"))
    );
    let data = ok(&closed, Some(&key), "{ events { totalCount } }", json!({})).await;
    assert!(data["events"]["totalCount"].as_i64().is_some_and(|n| n > 0));
    // The bulk export is a read like any other.
    let export = |key: Option<&str>| {
        let mut request = Request::get("/export/events.ndjson");
        if let Some(key) = key {
            request = request.header(header::AUTHORIZATION, format!("Bearer {key}"));
        }
        request.body(Body::empty()).expect("a request")
    };
    let (status, _, body) = closed.send(export(None)).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED, "{body:#}");
    let (status, _, _) = closed.send(export(Some(&key))).await;
    assert_eq!(status, StatusCode::OK);
}

async fn a_claim_reaches_a_flows_nationality_share(backend: Backend) {
    let app = TestApp::fixture(backend, "rules").await;
    let k = keys(&app).await;
    let text = "Officials later put the Bordurians deported on 2 April at 47.\n";
    ok(
        &app,
        Some(&k.editor),
        CREATE_SOURCE,
        json!({ "input": source("later", "Later"), "text": text }),
    )
    .await;
    let flows = r#"{ event(key: "april-deportation") { deportationFlows { byNationality { id nationality { code } count { low high } } } } }"#;
    let read = || async {
        ok(&app, None, flows, json!({})).await["event"]["deportationFlows"][0]["byNationality"]
            .clone()
    };
    let share = read()
        .await
        .as_array()
        .expect("shares")
        .iter()
        .find(|p| p["nationality"]["code"] == "XB")
        .expect("the XB share")
        .clone();
    let claim = json!({ "value": 47, "source": "later",
        "quote": "Officials later put the Bordurians deported on 2 April at 47." });
    ok(
        &app,
        Some(&k.editor),
        ADD_CLAIM,
        json!({ "to": { "flowNationality": share["id"] }, "claim": claim }),
    )
    .await;
    let after = read().await;
    let xb = after
        .as_array()
        .expect("shares")
        .iter()
        .find(|p| p["nationality"]["code"] == "XB")
        .expect("XB");
    assert_eq!(
        (xb["count"]["low"].clone(), xb["count"]["high"].clone()),
        (json!(45), json!(47)),
        "{after:#}"
    );
    // Naming two owners, or none, is the client's mistake.
    let error = refused(
        &app,
        Some(&k.editor),
        ADD_CLAIM,
        json!({ "to": { "flowNationality": share["id"], "seizure": share["id"] }, "claim": claim }),
        "BAD_USER_INPUT",
    )
    .await;
    assert_eq!(error["extensions"]["field"], "to");
}
