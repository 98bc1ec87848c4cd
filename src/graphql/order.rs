//! Puts response fields back in the order of the query's selection sets.
//!
//! The GraphQL spec (§7.2.2) has responses keep that order, but async-graphql 7.2 inserts
//! fields as their futures complete, so a field resolved through a DataLoader lands after
//! plain ones. Walking the document beside the data restores it: a key's place is its first
//! appearance in the selection set with fragments flattened, which is the order of the spec's
//! CollectFields (type conditions only drop keys, they never reorder them).

use async_graphql::parser::types::{
    DocumentOperations, ExecutableDocument, Selection, SelectionSet,
};
use async_graphql::{Name, Value};

/// The selection set of the operation that `operation` names in `document` (the first, when
/// none is named: execution has refused an ambiguous document already).
pub fn selected<'d>(
    document: &'d ExecutableDocument,
    operation: Option<&str>,
) -> Option<&'d SelectionSet> {
    let op = match (&document.operations, operation) {
        (DocumentOperations::Single(op), _) => Some(op),
        (DocumentOperations::Multiple(ops), Some(name)) => ops.get(name),
        (DocumentOperations::Multiple(ops), None) => ops.values().next(),
    };
    op.map(|op| &op.node.selection_set.node)
}

/// Reorders `data`, the result of the operation `operation` of `document` selects.
pub fn reorder(document: &ExecutableDocument, operation: Option<&str>, data: &mut Value) {
    if let Some(set) = selected(document, operation) {
        visit(document, &[set], data);
    }
}

/// The fields of `sets`, fragments flattened, as (response key, child selection set).
fn flatten<'d>(
    document: &'d ExecutableDocument,
    set: &'d SelectionSet,
    out: &mut Vec<(&'d Name, &'d SelectionSet)>,
) {
    for selection in &set.items {
        match &selection.node {
            Selection::Field(field) => out.push((
                &field.node.response_key().node,
                &field.node.selection_set.node,
            )),
            Selection::InlineFragment(fragment) => {
                flatten(document, &fragment.node.selection_set.node, out)
            }
            Selection::FragmentSpread(spread) => {
                if let Some(fragment) = document.fragments.get(&spread.node.fragment_name.node) {
                    flatten(document, &fragment.node.selection_set.node, out);
                }
            }
        }
    }
}

fn visit(document: &ExecutableDocument, sets: &[&SelectionSet], value: &mut Value) {
    match value {
        Value::List(items) => items
            .iter_mut()
            .for_each(|item| visit(document, sets, item)),
        Value::Object(map) => {
            let mut fields = Vec::new();
            for set in sets {
                flatten(document, set, &mut fields);
            }
            let position = |key: &Name| {
                fields
                    .iter()
                    .position(|(k, _)| *k == key)
                    .unwrap_or(usize::MAX)
            };
            map.sort_by(|a, _, b, _| position(a).cmp(&position(b)));
            for (key, child) in map.iter_mut() {
                let children: Vec<&SelectionSet> = fields
                    .iter()
                    .filter(|(k, _)| *k == key)
                    .map(|(_, s)| *s)
                    .collect();
                if children.iter().any(|s| !s.items.is_empty()) {
                    visit(document, &children, child);
                }
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::reorder;
    use async_graphql::Value;
    use async_graphql::parser::parse_query;

    fn data(json: serde_json::Value) -> Value {
        Value::from_json(json).expect("a value")
    }

    #[test]
    fn fields_follow_the_selection_with_fragments_flattened() {
        let document = parse_query(
            "query A { b ...F c { y x } } fragment F on Q { a: d b } query B { c { x } }",
        )
        .expect("parses");
        let mut value = data(serde_json::json!({
            "c": { "x": 1, "y": 2 }, "a": 3, "b": 4
        }));
        reorder(&document, Some("A"), &mut value);
        assert_eq!(
            serde_json::to_string(&value.into_json().expect("JSON")).expect("text"),
            r#"{"b":4,"a":3,"c":{"y":2,"x":1}}"#
        );
    }

    #[test]
    fn lists_are_reordered_item_by_item_and_unknown_keys_go_last() {
        let document = parse_query("{ l { b a } }").expect("parses");
        let mut value = data(serde_json::json!({
            "z": 0, "l": [{ "a": 1, "b": 2 }, { "a": 3, "b": 4 }]
        }));
        reorder(&document, None, &mut value);
        assert_eq!(
            serde_json::to_string(&value.into_json().expect("JSON")).expect("text"),
            r#"{"l":[{"b":2,"a":1},{"b":4,"a":3}],"z":0}"#
        );
    }
}
