//! A request's cost, told to the client in `extensions.cost`, in Shopify's shape:
//!
//! ```json
//! { "requestedQueryCost": 31, "actualQueryCost": 22,
//!   "throttleStatus": { "maximumAvailable": 200000, "currentlyAvailable": 199969, "restoreRate": 5000 } }
//! ```
//!
//! `requestedQueryCost` is `limits`' estimate before anything runs (what the budget is charged);
//! `actualQueryCost` the same rule over what the answer holds: every field returned costs 1,
//! and a list's children count once per item it returned (so a short last page costs less
//! than requested, a list longer than its assumed size more). `throttleStatus` is the
//! client's budget after the charge (`ratelimit`), null when rate limits are off.

use crate::ratelimit::Outcome;
use async_graphql::Value;
use serde_json::json;

/// The `extensions.cost` entry.
pub fn extension(requested: usize, actual: usize, throttle: Option<Outcome>) -> Value {
    let throttle = throttle.map(|o| {
        json!({
            "maximumAvailable": o.limit,
            "currentlyAvailable": o.remaining,
            "restoreRate": o.restore_per_second,
        })
    });
    let cost = json!({
        "requestedQueryCost": requested,
        "actualQueryCost": actual,
        "throttleStatus": throttle,
    });
    Value::from_json(cost).unwrap_or(Value::Null)
}

/// The cost of what an answer's `data` holds.
pub fn actual(data: &Value) -> usize {
    match data {
        Value::Object(fields) => fields.values().map(field).fold(0, usize::saturating_add),
        _ => 0,
    }
}

/// One field: 1, plus its children (for a list, every item's).
fn field(value: &Value) -> usize {
    1usize.saturating_add(children(value))
}

fn children(value: &Value) -> usize {
    // A compiled answer's text (`raw`): every key in it is a field returned.
    if let Some(text) = super::raw::raw_text(value) {
        return super::raw::keys_in(text);
    }
    match value {
        Value::Object(_) => actual(value),
        Value::List(items) => items.iter().map(children).fold(0, usize::saturating_add),
        _ => 0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_actual_cost_counts_what_was_returned() {
        let data = Value::from_json(json!({
            "events": { "nodes": [{ "id": "a", "title": "x" }, { "id": "b", "title": "y" }],
                        "totalCount": 2 },
            "country": null,
        }))
        .expect("a value");
        // events 1 + nodes (1 + 2 × 2) + totalCount 1, and country 1.
        assert_eq!(actual(&data), 8);
        assert_eq!(actual(&Value::Null), 0);
    }
}
