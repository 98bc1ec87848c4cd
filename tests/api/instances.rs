//! Several server instances over one database answer alike: nothing a request needs lives in
//! one process (cursors and IDs carry their own position; every answer comes from the
//! database), so a client may be sent to any instance between two pages.

use crate::helpers::{Backend, TestApp, ask};
use scam_atlas::app::{AppState, router};
use serde_json::json;

both!(two_instances_answer_alike);

async fn two_instances_answer_alike(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    // A second instance: its own pool and schema over the same database.
    let pool = scam_atlas::db::connect(&app.store.url)
        .await
        .expect("a second pool");
    let other = router(AppState::new(pool));
    let queries = [
        "{ events(first: 5) { nodes { id title peopleCount { value } participants { count { value claims { value } } } } } }",
        "{ participantTotals(groupBy: [NATIONALITY, YEAR]) { nationality { code } year total { value low high qualifier } eventCount } }",
        "{ flowTotals(groupBy: [FROM_COUNTRY, TO_COUNTRY]) { fromCountry { code } toCountry { code } total { value } flowCount } }",
    ];
    for query in queries {
        let (a, b) = (
            ask(&app.router, query, json!({})).await,
            ask(&other, query, json!({})).await,
        );
        assert!(a.get("errors").is_none(), "{a}");
        assert_eq!(a, b, "{query}");
    }
    // A page's cursor from one instance continues on the other; an ID from one resolves there.
    let page = "query($after: String) { events(first: 3, after: $after) { pageInfo { endCursor } nodes { id key } } }";
    let first = ask(&app.router, page, json!({ "after": null })).await;
    let cursor = first["data"]["events"]["pageInfo"]["endCursor"].clone();
    let on_other = ask(&other, page, json!({ "after": cursor })).await;
    let on_same = ask(&app.router, page, json!({ "after": cursor })).await;
    assert_eq!(on_other, on_same);
    let id = first["data"]["events"]["nodes"][0]["id"].clone();
    let node = ask(
        &other,
        "query($id: ID!) { node(id: $id) { id } }",
        json!({ "id": id }),
    )
    .await;
    assert_eq!(node["data"]["node"]["id"], id);
}
