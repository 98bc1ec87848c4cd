//! Puts response fields back in the order of the query's selection sets.
//!
//! The GraphQL spec (§7.2.2) has responses keep that order, but async-graphql 7.2 inserts
//! fields as their futures complete, so a field resolved through a DataLoader lands after
//! plain ones. Walking the document beside the data restores it: a key's place is its first
//! appearance in the selection set with fragments flattened, which is the order of the spec's
//! CollectFields (type conditions only drop keys, they never reorder them).

use async_graphql::parser::types::{
    Directive, DocumentOperations, ExecutableDocument, Selection, SelectionSet,
};
use async_graphql::{Name, Positioned, Value, Variables};

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

/// Removes from `document` what `@skip`/`@include` leave out, by async-graphql's own rule
/// (7.2.1's `remove_skipped_selection`, which it applies before execution: a condition is
/// the variable as sent, a missing one false), so that a key's place is its first appearance
/// among the fields that run, as the spec's CollectFields has it, not among skipped ones.
pub fn drop_skipped(document: &mut ExecutableDocument, variables: &Variables) {
    for fragment in document.fragments.values_mut() {
        drop_in(&mut fragment.node.selection_set.node, variables);
    }
    match &mut document.operations {
        DocumentOperations::Single(operation) => {
            drop_in(&mut operation.node.selection_set.node, variables)
        }
        DocumentOperations::Multiple(operations) => {
            for operation in operations.values_mut() {
                drop_in(&mut operation.node.selection_set.node, variables);
            }
        }
    }
}

fn drop_in(set: &mut SelectionSet, variables: &Variables) {
    set.items
        .retain(|selection| !skipped(selection.node.directives(), variables));
    for selection in &mut set.items {
        match &mut selection.node {
            Selection::Field(field) => drop_in(&mut field.node.selection_set.node, variables),
            Selection::InlineFragment(fragment) => {
                drop_in(&mut fragment.node.selection_set.node, variables)
            }
            Selection::FragmentSpread(_) => {}
        }
    }
}

fn skipped(directives: &[Positioned<Directive>], variables: &Variables) -> bool {
    directives.iter().any(|directive| {
        let include = match directive.node.name.node.as_str() {
            "skip" => false,
            "include" => true,
            _ => return false,
        };
        directive.node.get_argument("if").is_some_and(|condition| {
            let value = condition
                .node
                .clone()
                .into_const_with(|name| variables.get(&name).cloned().ok_or(()))
                .unwrap_or_default();
            include != (value == Value::Boolean(true))
        })
    })
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
