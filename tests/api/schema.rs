//! `schema.graphql` is exactly the SDL the server serves, and every part of it is described.

use serde_json::Value;

#[test]
fn schema_graphql_is_up_to_date() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/schema.graphql");
    let committed = std::fs::read_to_string(path).unwrap_or_default();
    let served = scam_atlas::graphql::sdl();
    assert!(
        committed == served,
        "schema.graphql differs from the schema the code serves: run `cargo run -- export-schema` and commit the result"
    );
}

const INTROSPECTION: &str = "{ __schema { types { name description
    fields { name description args { name description } }
    inputFields { name description } enumValues { name description } } } }";

#[tokio::test]
async fn every_type_field_argument_and_value_is_described() {
    let schema = scam_atlas::graphql::schema_builder().finish();
    let response = schema.execute(INTROSPECTION).await;
    assert!(response.errors.is_empty(), "{:?}", response.errors);
    let data = response.data.into_json().expect("JSON");
    let described = |v: &Value| {
        v["description"]
            .as_str()
            .is_some_and(|d| !d.trim().is_empty())
    };
    let mut missing = Vec::new();
    for t in data["__schema"]["types"].as_array().expect("types") {
        let name = t["name"].as_str().unwrap_or_default();
        if name.starts_with("__") || ["String", "Int", "Float", "Boolean", "ID"].contains(&name) {
            continue;
        }
        if !described(t) {
            missing.push(name.to_string());
        }
        for (list, what) in [
            ("fields", "field"),
            ("inputFields", "input field"),
            ("enumValues", "value"),
        ] {
            for item in t[list].as_array().into_iter().flatten() {
                if !described(item) {
                    missing.push(format!("{name}.{} ({what})", item["name"]));
                }
                for arg in item["args"].as_array().into_iter().flatten() {
                    if !described(arg) {
                        missing.push(format!(
                            "{name}.{}({}) (argument)",
                            item["name"], arg["name"]
                        ));
                    }
                }
            }
        }
    }
    assert!(
        missing.is_empty(),
        "undescribed in the schema:\n{}",
        missing.join("\n")
    );
}
