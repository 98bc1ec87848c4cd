//! What Scam Atlas says about itself: the schema's description, in `schema.graphql` and in
//! introspection's `__schema { description }`.
//!
//! async-graphql 7.2 answers `__schema.description` with a fixed text of its own (GraphQL's
//! definition of a schema) and writes no schema description into the SDL; both are set here,
//! the first by rewriting the answer after execution (no per-field extension).

use async_graphql::parser::types::{ExecutableDocument, Selection, SelectionSet};
use async_graphql::{Name, Value};

/// The schema's description.
pub const DESCRIPTION: &str = "\
Scam Atlas: the crackdown on Southeast Asian scam centres — raids, arrests, deportations, \
extraditions and site closures; the people caught up in them (by nationality, sex and role); \
the agencies that acted; the places; the deportation flows between countries; and the news \
sources every figure comes from. Every figure keeps each source's claim with its verbatim \
quote, and totals never double-count (see `participantTotals`).

IDs are opaque and stable for the life of a record. Lists are Relay connections. Limits: \
depth 15, cost 100,000 (a connection multiplies what it selects by its `first`/`last`), 100 \
aliases, 15,000 tokens, 10 s a request by default; every error carries a machine-readable \
`extensions.code`.

Data licence: the curated dataset is licensed CC BY 4.0 \
(https://creativecommons.org/licenses/by/4.0/); cite it as \"Scam Atlas curated dataset\" with \
the date you read it, and the articles a figure quotes (`Claim.source`). Quotes remain their \
publishers' and are reproduced so that every figure can be checked. The server's code is MIT.";

/// `sdl` with the schema description written before its `schema { … }` block.
pub fn described(sdl: String) -> String {
    match sdl.rfind("schema {") {
        Some(at) => format!(
            "{}\"\"\"\n{DESCRIPTION}\n\"\"\"\n{}",
            &sdl[..at],
            &sdl[at..]
        ),
        None => sdl,
    }
}

/// Puts `DESCRIPTION` wherever the operation asked for `__schema { description }`.
pub fn describe(document: &ExecutableDocument, operation: Option<&str>, data: &mut Value) {
    let (Some(set), Value::Object(root)) = (super::order::selected(document, operation), data)
    else {
        return;
    };
    for (key, schema) in fields(document, set, "__schema") {
        let Some(Value::Object(answer)) = root.get_mut(key) else {
            continue;
        };
        for (key, _) in fields(document, schema, "description") {
            if let Some(value) = answer.get_mut(key) {
                *value = Value::String(DESCRIPTION.to_string());
            }
        }
    }
}

/// The response keys and selection sets of the fields named `name` in `set`, fragments
/// flattened (cycles are refused before execution).
fn fields<'d>(
    document: &'d ExecutableDocument,
    set: &'d SelectionSet,
    name: &str,
) -> Vec<(&'d Name, &'d SelectionSet)> {
    let mut out = Vec::new();
    for selection in &set.items {
        match &selection.node {
            Selection::Field(field) if field.node.name.node == name => out.push((
                &field.node.response_key().node,
                &field.node.selection_set.node,
            )),
            Selection::Field(_) => {}
            Selection::InlineFragment(fragment) => {
                out.extend(fields(document, &fragment.node.selection_set.node, name))
            }
            Selection::FragmentSpread(spread) => {
                if let Some(fragment) = document.fragments.get(&spread.node.fragment_name.node) {
                    out.extend(fields(document, &fragment.node.selection_set.node, name));
                }
            }
        }
    }
    out
}
