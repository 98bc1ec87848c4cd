//! Answers written as JSON text before async-graphql sees them (a compiled selection,
//! `compile`), behind the schema's own types.
//!
//! `Answer<T>` is typed exactly as `T` (its name, its registry entry: the SDL does not
//! change); it resolves either as `T` does, or to the JSON text as it is. async-graphql's
//! `raw_value` feature writes an object whose only key is `RAW_VALUE_TOKEN` as the raw JSON
//! its string holds, when the response is serialised: no `Value` tree is built for it.

use async_graphql::parser::types::Field;
use async_graphql::registry::Registry;
use async_graphql::{ContextSelectionSet, Name, OutputType, Positioned, ServerResult, Value};
use async_graphql_value::RAW_VALUE_TOKEN;
use std::borrow::Cow;

/// A field's answer: JSON text already written, or a value its resolvers answer.
pub enum Answer<T> {
    /// JSON text of exactly what `T`'s resolvers would give for the selection.
    Json(String),
    /// A value that resolves field by field.
    Resolved(T),
}

impl<T: OutputType> OutputType for Answer<T> {
    fn type_name() -> Cow<'static, str> {
        T::type_name()
    }

    fn qualified_type_name() -> String {
        T::qualified_type_name()
    }

    fn create_type_info(registry: &mut Registry) -> String {
        T::create_type_info(registry)
    }

    async fn resolve(
        &self,
        ctx: &ContextSelectionSet<'_>,
        field: &Positioned<Field>,
    ) -> ServerResult<Value> {
        match self {
            Answer::Json(text) => Ok(raw(text.clone())),
            Answer::Resolved(value) => value.resolve(ctx, field).await,
        }
    }
}

/// The value async-graphql writes out as the JSON `text` holds.
pub fn raw(text: String) -> Value {
    let mut map = async_graphql_value::indexmap::IndexMap::new();
    map.insert(Name::new(RAW_VALUE_TOKEN), Value::String(text));
    Value::Object(map)
}

/// The JSON text of a raw value; None for any other value.
pub fn raw_text(value: &Value) -> Option<&str> {
    match value {
        Value::Object(map) if map.len() == 1 => match map.get(RAW_VALUE_TOKEN) {
            Some(Value::String(text)) => Some(text),
            _ => None,
        },
        _ => None,
    }
}

/// How many object keys JSON `text` holds, at any depth: every `:` outside a string.
pub fn keys_in(text: &str) -> usize {
    let mut keys = 0;
    let mut in_string = false;
    let mut escaped = false;
    for b in text.bytes() {
        match (in_string, escaped, b) {
            (true, true, _) => escaped = false,
            (true, false, b'\\') => escaped = true,
            (true, false, b'"') => in_string = false,
            (false, _, b'"') => in_string = true,
            (false, _, b':') => keys += 1,
            _ => {}
        }
    }
    keys
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn raw_values_serialise_as_their_text() {
        let value = raw(r#"{"a":[1,{"b":"x:\"y"}]}"#.to_string());
        assert_eq!(
            serde_json::to_string(&value).expect("serialises"),
            r#"{"a":[1,{"b":"x:\"y"}]}"#
        );
        assert_eq!(raw_text(&value), Some(r#"{"a":[1,{"b":"x:\"y"}]}"#));
        assert_eq!(keys_in(r#"{"a":[1,{"b":"x:\"y:"}],"c\\":{}}"#), 3);
        // Tests and clients that turn an answer into `serde_json::Value` read the JSON itself.
        assert_eq!(
            value.into_json().expect("JSON"),
            serde_json::json!({ "a": [1, { "b": "x:\"y" }] })
        );
    }
}
