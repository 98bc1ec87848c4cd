//! Writing JSON text as async-graphql would serialise the same values: objects of response
//! keys in response order, lists, strings escaped as serde_json escapes them.

/// Response keys and what each holds, in response order.
pub type Fields<T> = Vec<(String, T)>;

/// An object of `fields`, each value written by `value`.
pub fn object<T>(out: &mut String, fields: &Fields<T>, mut value: impl FnMut(&mut String, &T)) {
    out.push('{');
    for (i, (key, field)) in fields.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        string(out, key);
        out.push(':');
        value(out, field);
    }
    out.push('}');
}

/// A list of `items`, each written by `item`.
pub fn list<T>(
    out: &mut String,
    items: impl IntoIterator<Item = T>,
    mut item: impl FnMut(&mut String, T),
) {
    out.push('[');
    for (i, it) in items.into_iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        item(out, it);
    }
    out.push(']');
}

/// A JSON string, escaped as serde_json escapes it.
pub fn string(out: &mut String, text: &str) {
    // Writing a `str` into a String cannot fail.
    if let Ok(json) = serde_json::to_string(text) {
        out.push_str(&json);
    }
}

/// A string or null.
pub fn optional(out: &mut String, text: Option<&str>) {
    match text {
        Some(text) => string(out, text),
        None => out.push_str("null"),
    }
}

pub fn boolean(out: &mut String, value: bool) {
    out.push_str(if value { "true" } else { "false" });
}

/// A `Date` as the scalar writes it (`YYYY-MM-DD`), or null.
pub fn date(out: &mut String, day: Option<chrono::NaiveDate>) {
    match day {
        Some(day) => {
            out.push('"');
            out.push_str(&day.format("%Y-%m-%d").to_string());
            out.push('"');
        }
        None => out.push_str("null"),
    }
}

/// An integer or null.
pub fn number(out: &mut String, value: Option<i64>) {
    match value {
        Some(n) => out.push_str(&n.to_string()),
        None => out.push_str("null"),
    }
}

/// An enum value's GraphQL name, as a JSON string.
pub fn enum_name<E: async_graphql::InputType>(out: &mut String, value: E) {
    match value.to_value() {
        async_graphql::Value::Enum(name) => string(out, name.as_str()),
        other => out.push_str(&other.to_string()),
    }
}
