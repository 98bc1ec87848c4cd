//! How deep selection sets nest, fragments and inline fragments counting as levels: the
//! check async-graphql runs as it parses (its `limit_recursive_depth`, 32 by default), run
//! here first so that its refusal has our code. Fragment cycles stop at the limit.

use super::Exceeded;
use async_graphql::parser::types::{ExecutableDocument, Selection, SelectionSet};

/// Deepest nesting of selection sets, fragments counted: async-graphql's default.
pub const MAX_SELECTION_NESTING: usize = 32;

/// Refuses a document whose selection sets nest deeper than `MAX_SELECTION_NESTING`.
pub fn nesting(document: &ExecutableDocument) -> Result<(), Exceeded> {
    fn visit(document: &ExecutableDocument, set: &SelectionSet, depth: usize) -> bool {
        if depth > MAX_SELECTION_NESTING {
            return false;
        }
        set.items.iter().all(|selection| match &selection.node {
            Selection::Field(field) => {
                let children = &field.node.selection_set.node;
                children.items.is_empty() || visit(document, children, depth + 1)
            }
            Selection::FragmentSpread(spread) => document
                .fragments
                .get(&spread.node.fragment_name.node)
                .is_none_or(|f| visit(document, &f.node.selection_set.node, depth + 1)),
            Selection::InlineFragment(inline) => {
                visit(document, &inline.node.selection_set.node, depth + 1)
            }
        })
    }
    let deep = document
        .operations
        .iter()
        .any(|(_, op)| !visit(document, &op.node.selection_set.node, 0));
    if deep {
        Err(Exceeded::Depth {
            limit: MAX_SELECTION_NESTING,
        })
    } else {
        Ok(())
    }
}
