//! The limits every request is held to before anything runs, as one policy: the size of the
//! document (tokens and nesting, checked before parsing), the aliases it uses, how far its
//! fragments expand, how deep its selections go, what it may cost, and the variables it
//! requires. Each limit has its own `extensions.code` and names the number exceeded.
//!
//! async-graphql's own depth and complexity checks expand fragments without bound before they
//! count (`k` levels of doubling fragments cost 2^k), so they are not used: this walk counts
//! every field as fragments expand and stops at a budget, so its own work is bounded.

use super::connection::{DEFAULT_PAGE, MAX_PAGE};
use async_graphql::parser::types::{
    DocumentOperations, ExecutableDocument, Field, OperationDefinition, Selection, SelectionSet,
};
use async_graphql::registry::{MetaField, MetaTypeName, Registry};
use async_graphql::{Name, Value, Variables};

/// Deepest selection nesting a query may have.
pub const MAX_DEPTH: usize = 15;
/// Largest cost a query may have: each field costs 1, multiplied by the page sizes of the
/// connections around it and the assumed sizes of the lists around it.
pub const MAX_COMPLEXITY: usize = 100_000;
/// Most aliased fields a document may hold.
pub const MAX_ALIASES: usize = 100;
/// Most fields the walk may visit with fragments expanded, over every operation and fragment.
pub const MAX_EXPANDED_FIELDS: usize = 20_000;
/// Most lexical tokens a document may hold.
pub const MAX_TOKENS: usize = 15_000;
/// Deepest nesting of `{`, `[` and `(` a document may hold (the parser recurses on them).
pub const MAX_NESTING: usize = 64;
/// The assumed size of a list that is not a page of a connection: how many participant
/// groups, citations or places an event has, for instance. Root lists of totals have their
/// own, larger size.
pub const ASSUMED_LIST_SIZE: usize = 5;
/// The assumed size of a root list (rows of totals or of a timeline, every country).
pub const ROOT_LIST_SIZE: usize = 50;

/// How long a request may run, from parsing to its last field (the schema's data; see
/// `executor`). On PostgreSQL each statement is held to the same bound (`db::connect_with`).
#[derive(Clone, Copy, Debug)]
pub struct Deadline(pub std::time::Duration);

impl Default for Deadline {
    fn default() -> Self {
        Deadline(std::time::Duration::from_secs(10))
    }
}

/// A limit a request exceeds.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Exceeded {
    #[error("the document holds more than {limit} tokens")]
    Tokens { limit: usize },
    #[error("the document nests brackets deeper than {limit} levels")]
    Nesting { limit: usize },
    #[error("the document uses {count} aliases; the limit is {limit}")]
    Aliases { count: usize, limit: usize },
    #[error("the document's fragments expand to more than {limit} fields")]
    Expansion { limit: usize },
    #[error("the query is nested deeper than the limit of {limit} levels")]
    Depth { limit: usize },
    #[error(
        "the query's cost, {cost}, exceeds the limit of {limit} (each field costs 1, \
         multiplied by the page sizes of the connections and the sizes of the lists around it)"
    )]
    Cost { cost: usize, limit: usize },
    #[error("the variable `${name}` of type `{ty}` is required")]
    MissingVariable { name: String, ty: String },
    #[error("strings may not contain the NUL character (U+0000)")]
    NulCharacter,
}

impl Exceeded {
    /// The `extensions.code` clients switch on.
    pub fn code(&self) -> &'static str {
        match self {
            Exceeded::Tokens { .. } | Exceeded::Nesting { .. } => "QUERY_TOO_LARGE",
            Exceeded::Aliases { .. } => "TOO_MANY_ALIASES",
            Exceeded::Expansion { .. } => "QUERY_TOO_LARGE",
            Exceeded::Depth { .. } => "QUERY_TOO_DEEP",
            Exceeded::Cost { .. } => "MAX_COST_EXCEEDED",
            Exceeded::MissingVariable { .. } | Exceeded::NulCharacter => "BAD_USER_INPUT",
        }
    }
}

/// Checks a document's size before it is parsed: a linear scan that skips strings and
/// comments, so the parser never sees a document that could exhaust it.
pub fn scan(query: &str) -> Result<(), Exceeded> {
    let (mut tokens, mut depth) = (0usize, 0usize);
    let mut chars = query.chars().peekable();
    let mut in_word = false;
    while let Some(c) = chars.next() {
        let word = c.is_alphanumeric() || c == '_' || c == '-' || c == '.';
        if word {
            if !in_word {
                tokens += 1;
            }
            in_word = true;
            continue;
        }
        in_word = false;
        match c {
            '#' => {
                for c in chars.by_ref() {
                    if c == '\n' || c == '\r' {
                        break;
                    }
                }
            }
            '"' => {
                tokens += 1;
                // Block strings and plain strings: skip to the closing quote, past escapes.
                let mut escaped = false;
                for c in chars.by_ref() {
                    match c {
                        '\\' if !escaped => escaped = true,
                        '"' if !escaped => break,
                        _ => escaped = false,
                    }
                }
            }
            '{' | '[' | '(' => {
                tokens += 1;
                depth += 1;
                if depth > MAX_NESTING {
                    return Err(Exceeded::Nesting { limit: MAX_NESTING });
                }
            }
            '}' | ']' | ')' => {
                tokens += 1;
                depth = depth.saturating_sub(1);
            }
            c if c.is_whitespace() || c == ',' => {}
            _ => tokens += 1,
        }
        if tokens > MAX_TOKENS {
            return Err(Exceeded::Tokens { limit: MAX_TOKENS });
        }
    }
    Ok(())
}

/// No string of a request may hold U+0000: no field needs it, and PostgreSQL refuses it in
/// text (`invalid byte sequence for encoding "UTF8": 0x00`), which would surface as a
/// database error. Checked in the document (as the escape `\u0000`) and in the variables.
pub fn nul_free(query: &str, variables: &Variables) -> Result<(), Exceeded> {
    fn clean(value: &Value) -> bool {
        match value {
            Value::String(s) => !s.contains('\0'),
            Value::List(items) => items.iter().all(clean),
            Value::Object(fields) => fields.iter().all(|(k, v)| !k.contains('\0') && clean(v)),
            _ => true,
        }
    }
    let escaped = query.to_ascii_lowercase().contains("\\u0000");
    if escaped || query.contains('\0') || !variables.iter().all(|(_, v)| clean(v)) {
        return Err(Exceeded::NulCharacter);
    }
    Ok(())
}

/// Checks a parsed document against every limit: aliases, expansion, depth and cost of each
/// operation and fragment, and the selected operation's required variables.
pub fn check(
    registry: &Registry,
    document: &ExecutableDocument,
    operation: Option<&str>,
    variables: &Variables,
) -> Result<usize, Exceeded> {
    let aliases: usize = document
        .operations
        .iter()
        .map(|(_, op)| aliases_in(&op.node.selection_set.node))
        .chain(
            document
                .fragments
                .values()
                .map(|f| aliases_in(&f.node.selection_set.node)),
        )
        .sum();
    if aliases > MAX_ALIASES {
        return Err(Exceeded::Aliases {
            count: aliases,
            limit: MAX_ALIASES,
        });
    }
    let mut walk = Walk {
        registry,
        document,
        variables,
        visited: 0,
        expanding: Vec::new(),
    };
    // Fragments are walked on their own too: validation visits them whether used or not.
    for fragment in document.fragments.values() {
        let on = fragment.node.type_condition.node.on.node.as_str();
        walk.cost(&fragment.node.selection_set.node, on, 0, false)?;
    }
    let mut selected_cost = 0;
    for (name, op) in document.operations.iter() {
        let root = match op.node.ty {
            async_graphql::parser::types::OperationType::Query => registry.query_type.as_str(),
            async_graphql::parser::types::OperationType::Mutation => {
                registry.mutation_type.as_deref().unwrap_or_default()
            }
            async_graphql::parser::types::OperationType::Subscription => {
                registry.subscription_type.as_deref().unwrap_or_default()
            }
        };
        let cost = walk.cost(&op.node.selection_set.node, root, 0, false)?;
        if cost > MAX_COMPLEXITY {
            return Err(Exceeded::Cost {
                cost,
                limit: MAX_COMPLEXITY,
            });
        }
        if is_selected(document, name.map(Name::as_str), operation) {
            required_variables(&op.node, variables)?;
            selected_cost = cost;
        }
    }
    Ok(selected_cost)
}

/// Whether the operation named `name` is the one a request with `operation` runs.
fn is_selected(document: &ExecutableDocument, name: Option<&str>, operation: Option<&str>) -> bool {
    match (&document.operations, operation) {
        (DocumentOperations::Single(_), _) => true,
        (DocumentOperations::Multiple(_), Some(wanted)) => name == Some(wanted),
        (DocumentOperations::Multiple(ops), None) => ops.len() == 1,
    }
}

/// A variable declared non-null without a default must be given, and not as null (the spec's
/// CoerceVariableValues; async-graphql lets it through).
fn required_variables(op: &OperationDefinition, variables: &Variables) -> Result<(), Exceeded> {
    for definition in &op.variable_definitions {
        let d = &definition.node;
        let given = variables.get(&d.name.node);
        if !d.var_type.node.nullable
            && d.default_value.is_none()
            && matches!(given, None | Some(Value::Null))
        {
            return Err(Exceeded::MissingVariable {
                name: d.name.node.to_string(),
                ty: d.var_type.node.to_string(),
            });
        }
    }
    Ok(())
}

/// Aliased fields in a selection set as written (fragments not expanded: each is counted
/// where it is defined).
fn aliases_in(set: &SelectionSet) -> usize {
    set.items
        .iter()
        .map(|s| match &s.node {
            Selection::Field(f) => {
                usize::from(f.node.alias.is_some()) + aliases_in(&f.node.selection_set.node)
            }
            Selection::InlineFragment(f) => aliases_in(&f.node.selection_set.node),
            Selection::FragmentSpread(_) => 0,
        })
        .sum()
}

/// The walk over a document with fragments expanded, counting the fields it visits.
struct Walk<'a> {
    registry: &'a Registry,
    document: &'a ExecutableDocument,
    variables: &'a Variables,
    visited: usize,
    /// The fragments being expanded, innermost last.
    expanding: Vec<&'a Name>,
}

impl<'a> Walk<'a> {
    /// Counts one field or spread against the expansion budget.
    fn visit(&mut self) -> Result<(), Exceeded> {
        self.visited += 1;
        if self.visited > MAX_EXPANDED_FIELDS {
            return Err(Exceeded::Expansion {
                limit: MAX_EXPANDED_FIELDS,
            });
        }
        Ok(())
    }

    /// The cost of `set` selected on `type_name` at `depth`; `flat` inside introspection, whose
    /// lists are the schema's own and bounded.
    fn cost(
        &mut self,
        set: &SelectionSet,
        type_name: &str,
        depth: usize,
        flat: bool,
    ) -> Result<usize, Exceeded> {
        let mut total = 0usize;
        for selection in &set.items {
            let cost = match &selection.node {
                Selection::Field(field) => self.field(&field.node, type_name, depth, flat)?,
                Selection::InlineFragment(fragment) => {
                    let on = fragment
                        .node
                        .type_condition
                        .as_ref()
                        .map_or(type_name, |c| c.node.on.node.as_str());
                    self.cost(&fragment.node.selection_set.node, on, depth, flat)?
                }
                Selection::FragmentSpread(spread) => {
                    let name = &spread.node.fragment_name.node;
                    // A spread is work too (a fragment of nothing but spreads), and a fragment
                    // that spreads itself, directly or not, is left to validation to refuse.
                    self.visit()?;
                    let document = self.document;
                    match document.fragments.get_key_value(name) {
                        Some((name, fragment)) if !self.expanding.contains(&name) => {
                            let on = fragment.node.type_condition.node.on.node.as_str();
                            self.expanding.push(name);
                            let cost =
                                self.cost(&fragment.node.selection_set.node, on, depth, flat);
                            self.expanding.pop();
                            cost?
                        }
                        _ => 0,
                    }
                }
            };
            total = total.saturating_add(cost);
        }
        Ok(total)
    }

    fn field(
        &mut self,
        field: &Field,
        parent: &str,
        depth: usize,
        flat: bool,
    ) -> Result<usize, Exceeded> {
        self.visit()?;
        let depth = depth + 1;
        if depth > MAX_DEPTH {
            return Err(Exceeded::Depth { limit: MAX_DEPTH });
        }
        let children = &field.selection_set.node;
        let name = field.name.node.as_str();
        let flat = flat || name.starts_with("__");
        let meta = self
            .registry
            .concrete_type_by_name(parent)
            .and_then(|t| t.field_by_name(name));
        let Some(meta) = meta else {
            // Unknown here (introspection, or a field validation will refuse): no multiplier.
            return Ok(1usize.saturating_add(self.cost(children, "", depth, flat)?));
        };
        if children.items.is_empty() {
            return Ok(1);
        }
        let child_type = MetaTypeName::concrete_typename(&meta.ty);
        let inner = self.cost(children, child_type, depth, flat)?;
        let times = if flat {
            1
        } else {
            self.multiplier(parent, meta, field)
        };
        Ok(1usize.saturating_add(times.saturating_mul(inner)))
    }

    /// How many times a field's children are resolved: a connection's page size, the number
    /// of IDs asked for, or a list's assumed size.
    fn multiplier(&self, parent: &str, meta: &MetaField, field: &Field) -> usize {
        if meta.args.contains_key("first") || meta.args.contains_key("last") {
            let size = self
                .int_argument(field, "first")
                .or_else(|| self.int_argument(field, "last"))
                .map_or(DEFAULT_PAGE, |n| {
                    usize::try_from(n).unwrap_or(0).min(MAX_PAGE)
                });
            return size.max(1);
        }
        if let Some(ids) = self.list_argument_len(field, "ids") {
            return ids.max(1);
        }
        let is_list = MetaTypeName::create(&meta.ty).unwrap_non_null().is_list();
        if !is_list || parent.ends_with("Connection") {
            // A connection's `edges` and `nodes` are its page, already counted.
            return 1;
        }
        if parent == self.registry.query_type {
            // Root lists grow with the data: rows of totals and timelines, every country.
            ROOT_LIST_SIZE
        } else {
            ASSUMED_LIST_SIZE
        }
    }

    fn argument(&self, field: &Field, name: &str) -> Option<Value> {
        let variables = self.variables;
        field
            .get_argument(name)?
            .node
            .clone()
            .into_const_with(|v| variables.get(&v).cloned().ok_or(()))
            .ok()
    }

    fn int_argument(&self, field: &Field, name: &str) -> Option<i64> {
        match self.argument(field, name)? {
            Value::Number(n) => n.as_i64(),
            _ => None,
        }
    }

    fn list_argument_len(&self, field: &Field, name: &str) -> Option<usize> {
        match self.argument(field, name)? {
            Value::List(items) => Some(items.len()),
            _ => Some(1),
        }
    }
}

mod nesting;
pub use nesting::{MAX_SELECTION_NESTING, nesting};

#[cfg(test)]
mod tests;
