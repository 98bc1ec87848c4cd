//! How `graphql-transport-ws` frames an operation that fails before its first result.

use async_graphql::http::WebSocketProtocols;
use serde_json::Value;
use std::collections::HashSet;

/// What async-graphql sends, as `graphql-transport-ws` frames it: an operation that failed
/// before its first result (a document that breaks a rule, a refused subscription, a field
/// that could not start) ends with an `error` message carrying the errors, and no `complete`
/// after it.
/// async-graphql sends those errors as `next` followed by `complete`, which clients take for
/// a result.
pub(super) struct Framing {
    protocol: WebSocketProtocols,
    /// Operations ended by an `error`, whose `complete` is not sent.
    failed: HashSet<String>,
    /// Operations that sent a result: a later failure is a result with errors.
    started: HashSet<String>,
}

impl Framing {
    pub(super) fn new(protocol: WebSocketProtocols) -> Self {
        Framing {
            protocol,
            failed: HashSet::new(),
            started: HashSet::new(),
        }
    }

    /// The message to send for `text` (async-graphql's), or None to send nothing.
    pub(super) fn frame(&mut self, text: String) -> Option<String> {
        if self.protocol != WebSocketProtocols::GraphQLWS
            || !(text.starts_with("{\"type\":\"next\"")
                || text.starts_with("{\"type\":\"complete\""))
        {
            return Some(text);
        }
        let Ok(mut message) = serde_json::from_str::<Value>(&text) else {
            return Some(text);
        };
        let id = message["id"].as_str().unwrap_or_default().to_string();
        if message["type"] == "complete" {
            self.started.remove(&id);
            return (!self.failed.remove(&id)).then_some(text);
        }
        if self.started.contains(&id) {
            return Some(text);
        }
        let payload = &mut message["payload"];
        let failed = payload.get("data").is_none_or(Value::is_null)
            && payload["errors"].as_array().is_some_and(|e| !e.is_empty());
        if !failed {
            self.started.insert(id);
            return Some(text);
        }
        let errors = payload["errors"].take();
        self.failed.insert(id.clone());
        Some(serde_json::json!({ "type": "error", "id": id, "payload": errors }).to_string())
    }
}
