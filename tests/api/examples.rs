//! The example queries GraphiQL opens with: every file of `src/graphql/examples/` is a tab,
//! the README shows each document, each one's full answer on the curated data is pinned by a
//! snapshot (the same on SQLite and PostgreSQL), and the answers the README shows are in it.

use crate::helpers::{Backend, TestApp};
use scam_atlas::graphql::examples::EXAMPLES;
use scam_atlas::web::graphiql_page;
use serde_json::{Value, json};
use std::collections::BTreeSet;

both!(every_example_answers_as_its_snapshot);

/// The snapshot name of an example: its title in snake case ("Nested events" → nested_events).
fn snapshot_name(title: &str) -> String {
    title
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_ascii_lowercase)
        .collect::<Vec<_>>()
        .join("_")
}

async fn every_example_answers_as_its_snapshot(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    for (title, document) in EXAMPLES {
        let data = app.data(document, json!({})).await;
        // IDs are stable (made from keys), so the snapshot pins them too; cursors are opaque
        // positions, no part of the answer a reader checks.
        insta::assert_json_snapshot!(snapshot_name(title), data, {
            ".**.cursor" => "[cursor]",
            ".**.startCursor" => "[cursor]",
            ".**.endCursor" => "[cursor]",
        });
    }
}

#[test]
fn every_example_file_is_a_graphiql_tab() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/src/graphql/examples");
    let mut files: Vec<String> = std::fs::read_dir(dir)
        .expect("src/graphql/examples/")
        .map(|e| e.expect("an entry").path())
        .filter(|p| p.extension().is_some_and(|x| x == "graphql"))
        .map(|p| std::fs::read_to_string(p).expect("readable"))
        .collect();
    files.sort();
    let mut wired: Vec<String> = EXAMPLES.iter().map(|(_, d)| d.to_string()).collect();
    wired.sort();
    assert_eq!(wired, files, "EXAMPLES lists every example file, once");

    // One tab per example, each holding its document.
    let page = graphiql_page();
    let tabs = page
        .split(r#"<script id="graphiql-tabs" type="application/json">"#)
        .nth(1)
        .and_then(|rest| rest.split_once("</script>"))
        .map(|(tabs, _)| tabs.replace("<\\/", "</"))
        .expect("the page carries its tabs");
    let tabs: Vec<Value> = serde_json::from_str(&tabs).expect("the tabs are JSON");
    let shown: Vec<&str> = tabs.iter().filter_map(|t| t["query"].as_str()).collect();
    let expected: Vec<&str> = EXAMPLES.iter().map(|(_, d)| d.trim_end()).collect();
    assert_eq!(shown, expected, "GraphiQL opens every example, in order");
}

#[test]
fn the_readme_and_graphiql_show_the_examples() {
    let readme = readme();
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

#[test]
fn the_readme_shows_answers_from_the_snapshots() {
    // The README abridges each answer (`…`), so each `"field": scalar` it shows must be a
    // field of that example's snapshot with that value: a README figure that drifts from what
    // the server answers fails here.
    let readme = readme();
    let mut checked = 0;
    for (title, document) in EXAMPLES {
        let Some(shown) = readme_answer(&readme, document) else {
            continue;
        };
        let snapshot = snapshot_answer(&snapshot_name(title));
        let mut fields = BTreeSet::new();
        flatten(&snapshot, &mut fields);
        for (field, shown) in scalar_fields(&shown) {
            assert!(
                holds(&fields, &field, &shown),
                "README.md shows {field}: {shown} for {title:?}, which its snapshot does not hold"
            );
            checked += 1;
        }
    }
    assert!(checked > 50, "only {checked} README fields found");
}

/// Whether `fields` has `field` with the value `shown`; a string the README cuts short with
/// `…` matches any value it begins.
fn holds(fields: &BTreeSet<(String, String)>, field: &str, shown: &str) -> bool {
    if fields.contains(&(field.to_string(), shown.to_string())) {
        return true;
    }
    let Ok(Value::String(text)) = serde_json::from_str::<Value>(shown) else {
        return false;
    };
    let Some((start, _)) = text.split_once('…') else {
        return false;
    };
    let start = start.trim_end();
    fields.iter().any(|(f, v)| {
        f == field
            && serde_json::from_str::<Value>(v)
                .ok()
                .and_then(|v| v.as_str().map(|s| s.starts_with(start)))
                .unwrap_or(false)
    })
}

fn readme() -> String {
    std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).expect("README.md")
}

/// The ```json block that follows `document` in the README, before any other example.
fn readme_answer(readme: &str, document: &str) -> Option<String> {
    let (_, after) = readme.split_once(document.trim_end())?;
    let after = after.split_once("```graphql").map_or(after, |(a, _)| a);
    // An example's answer is in its own section; a later section's JSON is not its answer.
    let after = after.split_once("\n## ").map_or(after, |(a, _)| a);
    let (_, block) = after.split_once("```json\n")?;
    block.split_once("```").map(|(json, _)| json.to_string())
}

/// The answer stored in `snapshots/api__examples__<name>.snap` (after its header).
fn snapshot_answer(name: &str) -> Value {
    let path = format!(
        "{}/tests/api/snapshots/api__examples__{name}.snap",
        env!("CARGO_MANIFEST_DIR")
    );
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    let body = text.splitn(3, "---\n").nth(2).expect("a snapshot header");
    serde_json::from_str(body).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// Every `(field, scalar as JSON text)` anywhere in `value`.
fn flatten(value: &Value, out: &mut BTreeSet<(String, String)>) {
    match value {
        Value::Object(o) => {
            for (k, v) in o {
                if !v.is_object() && !v.is_array() {
                    out.insert((k.clone(), v.to_string()));
                }
                flatten(v, out);
            }
        }
        Value::Array(items) => items.iter().for_each(|v| flatten(v, out)),
        _ => {}
    }
}

/// Every `"field": scalar` written in an abridged JSON text, the scalar as JSON text.
fn scalar_fields(text: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(start) = rest.find('"') {
        let Some((key, after)) = string_at(&rest[start..]) else {
            break;
        };
        rest = after;
        let Some(value) = rest.strip_prefix(": ") else {
            continue;
        };
        let scalar = if value.starts_with('"') {
            string_at(value).map(|(s, after)| {
                rest = after;
                Value::String(s).to_string()
            })
        } else {
            let end = value
                .find([',', ' ', '}', ']', '\n'])
                .unwrap_or(value.len());
            let token = &value[..end];
            let parsed = serde_json::from_str::<Value>(token).ok();
            parsed.map(|v| {
                rest = &value[end..];
                v.to_string()
            })
        };
        if let Some(scalar) = scalar {
            out.push((key, scalar));
        }
    }
    out
}

/// The JSON string at the start of `text` (which starts with `"`), and the text after it.
fn string_at(text: &str) -> Option<(String, &str)> {
    let mut escaped = false;
    for (i, c) in text.char_indices().skip(1) {
        match c {
            '\\' if !escaped => escaped = true,
            '"' if !escaped => {
                let s = serde_json::from_str(&text[..=i]).ok()?;
                return Some((s, &text[i + 1..]));
            }
            _ => escaped = false,
        }
    }
    None
}
