//! The fields a selection set asks of one object, as GraphQL's CollectFields gathers them
//! (spec §6.3.2): fragments flattened, a response key in the place of its first appearance,
//! the sub-selections of a key that appears more than once merged.
//!
//! async-graphql has already removed what `@skip`/`@include` leave out (and the directives
//! themselves) before any resolver runs, so a directive still present here is one the compiler
//! does not know: the selection is not compiled. async-graphql's own look-ahead
//! (`SelectionField::selection_set`) flattens fragments too, but drops their type conditions
//! and does not merge keys, which is why this walks the document itself.

use super::write::Fields;
use async_graphql::Name;
use async_graphql::Positioned;
use async_graphql::parser::types::{FragmentDefinition, Selection, SelectionSet};
use async_graphql_value::Value;
use std::collections::HashMap;

/// The document's fragments by name.
pub type Fragments = HashMap<Name, Positioned<FragmentDefinition>>;

/// Deeper fragment nesting than this is not compiled (validation already refuses cycles).
const MAX_FRAGMENT_DEPTH: usize = 16;

/// One response key of a selection set: the field it names and every selection set under it.
#[derive(Debug)]
pub struct Key<'a> {
    /// The response key (the alias, or the field's name).
    pub key: &'a str,
    /// The field's name.
    pub name: &'a str,
    /// The field's arguments (of its first appearance: validation makes every appearance
    /// give the same).
    pub arguments: &'a [(Positioned<Name>, Positioned<Value>)],
    /// The selection sets under the key, in document order (empty lists for a leaf).
    pub sets: Vec<&'a SelectionSet>,
}

impl Key<'_> {
    /// Whether the field is a leaf (no selection set under it).
    pub fn is_leaf(&self) -> bool {
        self.sets.iter().all(|s| s.items.is_empty())
    }
}

/// The keys `sets` select on an object of type `type_name`, in response order; None when
/// anything in them is beyond the compiler: a directive, a fragment whose type condition is
/// another type (an interface), a fragment that is missing, one key naming two fields, or
/// nothing left at all (every field skipped: async-graphql answers such an object with null).
pub fn keys<'a>(
    fragments: &'a Fragments,
    sets: &[&'a SelectionSet],
    type_name: &str,
) -> Option<Vec<Key<'a>>> {
    let mut out: Vec<Key<'a>> = Vec::new();
    for set in sets {
        collect(fragments, set, type_name, 0, &mut out)?;
    }
    (!out.is_empty()).then_some(out)
}

/// The leaf fields `key`'s selection asks of an object of type `type_name`, each mapped by
/// `leaf`; None when one of them is not a leaf, takes arguments or is not known to `leaf`.
pub fn leaves<T>(
    fragments: &Fragments,
    key: &Key<'_>,
    type_name: &str,
    leaf: impl Fn(&str) -> Option<T>,
) -> Option<Fields<T>> {
    keys(fragments, &key.sets, type_name)?
        .iter()
        .map(|k| {
            let value = (k.is_leaf() && k.arguments.is_empty())
                .then(|| leaf(k.name))
                .flatten()?;
            Some((k.key.to_string(), value))
        })
        .collect()
}

fn collect<'a>(
    fragments: &'a Fragments,
    set: &'a SelectionSet,
    type_name: &str,
    depth: usize,
    out: &mut Vec<Key<'a>>,
) -> Option<()> {
    if depth > MAX_FRAGMENT_DEPTH {
        return None;
    }
    for selection in &set.items {
        match &selection.node {
            Selection::Field(field) => {
                let field = &field.node;
                if !field.directives.is_empty() {
                    return None;
                }
                let key = field.response_key().node.as_str();
                let name = field.name.node.as_str();
                match out.iter_mut().find(|k| k.key == key) {
                    Some(k) if k.name != name => return None,
                    Some(k) => k.sets.push(&field.selection_set.node),
                    None => out.push(Key {
                        key,
                        name,
                        arguments: &field.arguments,
                        sets: vec![&field.selection_set.node],
                    }),
                }
            }
            Selection::InlineFragment(fragment) => {
                let fragment = &fragment.node;
                let applies = fragment
                    .type_condition
                    .as_ref()
                    .is_none_or(|t| t.node.on.node == type_name);
                if !fragment.directives.is_empty() || !applies {
                    return None;
                }
                collect(
                    fragments,
                    &fragment.selection_set.node,
                    type_name,
                    depth + 1,
                    out,
                )?;
            }
            Selection::FragmentSpread(spread) => {
                let spread = &spread.node;
                let fragment = &fragments.get(&spread.fragment_name.node)?.node;
                if !spread.directives.is_empty()
                    || !fragment.directives.is_empty()
                    || fragment.type_condition.node.on.node != type_name
                {
                    return None;
                }
                collect(
                    fragments,
                    &fragment.selection_set.node,
                    type_name,
                    depth + 1,
                    out,
                )?;
            }
        }
    }
    Some(())
}

#[cfg(test)]
mod tests {
    use super::keys;
    use async_graphql::parser::parse_query;
    use async_graphql::parser::types::{DocumentOperations, Selection};

    /// The keys (and merged children's keys) of the first field of the document's operation.
    fn shape(query: &str, type_name: &str) -> Option<Vec<(String, String, usize)>> {
        let document = parse_query(query).expect("parses");
        let DocumentOperations::Single(op) = &document.operations else {
            panic!("one operation")
        };
        let Selection::Field(root) = &op.node.selection_set.node.items[0].node else {
            panic!("a field")
        };
        let found = keys(
            &document.fragments,
            &[&root.node.selection_set.node],
            type_name,
        )?;
        Some(
            found
                .iter()
                .map(|k| (k.key.to_string(), k.name.to_string(), k.sets.len()))
                .collect(),
        )
    }

    #[test]
    fn fragments_flatten_and_keys_merge_in_first_appearance_order() {
        let got = shape(
            "{ e { b: title ...F ... on Event { id b: title } ... { kinds } } } \
             fragment F on Event { id }",
            "Event",
        );
        assert_eq!(
            got,
            Some(vec![
                ("b".into(), "title".into(), 2),
                ("id".into(), "id".into(), 2),
                ("kinds".into(), "kinds".into(), 1),
            ])
        );
    }

    #[test]
    fn what_the_compiler_does_not_know_is_refused() {
        assert_eq!(shape("{ e { ... on Node { id } } }", "Event"), None);
        assert_eq!(shape("{ e { id @custom } }", "Event"), None);
        assert_eq!(shape("{ e { a: id a: title } }", "Event"), None);
        assert_eq!(shape("{ e { ...G } }", "Event"), None);
    }
}
