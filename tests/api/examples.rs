//! The example queries GraphiQL opens with are the README's, and each of them runs.

use crate::helpers::{Backend, TestApp};
use scam_atlas::graphql::examples::{EXAMPLES, graphiql_page};
use serde_json::json;

both!(every_example_runs);

async fn every_example_runs(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    for (title, document) in EXAMPLES {
        let data = app.data(document, json!({})).await;
        let first = data
            .as_object()
            .and_then(|o| o.values().next())
            .expect("a root field");
        assert!(!first.is_null(), "{title}: {data}");
    }
}

#[test]
fn the_readme_and_graphiql_show_the_examples() {
    let readme = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md"))
        .expect("README.md");
    let page = graphiql_page();
    for (title, document) in EXAMPLES {
        assert!(
            readme.contains(document.trim_end()),
            "README.md lacks the example {title:?} as written in src/graphql/examples/"
        );
        let operation = document
            .lines()
            .find(|l| l.starts_with("query "))
            .expect("a named operation");
        assert!(
            page.contains(operation.trim_end_matches(" {")),
            "GraphiQL lacks {title:?}"
        );
    }
}
