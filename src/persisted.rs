//! Persisted queries: Apollo's automatic persisted queries (APQ) and an allow-list of trusted
//! documents. A request may name its document by `extensions.persistedQuery.sha256Hash`
//! (`version: 1`) instead of sending it:
//!
//! - automatic (the default): a hash the server has not seen answers `PERSISTED_QUERY_NOT_FOUND`
//!   (message `PersistedQueryNotFound`, what Apollo's PersistedQueryLink looks for); the client
//!   then sends the document with its hash, which is checked, and once the document has parsed
//!   and validated it is kept (in a bounded LRU cache) and served by hash afterwards, GET
//!   included: a short, stable URL a CDN can cache.
//! - trusted documents (`--trusted-documents FILE`, a JSON object SHA-256 hash → document, as
//!   GraphQL Codegen's client preset writes with SHA-256 hashes): only those documents run, by
//!   hash or sent in full; anything else is `PERSISTED_QUERY_NOT_ALLOWED`, and nothing is
//!   registered.
//!
//! The transport also takes GraphQL over HTTP's `documentId: "sha256:<hex>"` as the hash.
//!
//! The transport resolves the document before it runs (`http`): this is not an async-graphql
//! extension, which would cost every field a hook call.

use lru::LruCache;
use serde_json::{Map, Value};
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::num::NonZeroUsize;
use std::path::Path;
use std::sync::{Arc, Mutex};

/// Most documents the automatic cache keeps.
pub const CACHE_ENTRIES: usize = 10_000;
/// Most bytes of documents the automatic cache keeps; the least recently used go first.
pub const CACHE_BYTES: usize = 16 << 20;

/// Where documents named by hash come from.
pub enum PersistedQueries {
    /// Registered by clients as they go (APQ).
    Automatic(Mutex<Cache>),
    /// Only these, loaded at start.
    Trusted(HashMap<String, Arc<str>>),
}

/// The automatic store: an LRU cache bounded by entries and by bytes.
pub struct Cache {
    entries: LruCache<String, Arc<str>>,
    bytes: usize,
}

/// Why a request's persisted query cannot run.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Refusal {
    /// The hash is unknown: send the document with it.
    #[error("PersistedQueryNotFound")]
    NotFound,
    /// Trusted-documents mode, and this document is not one of them.
    #[error("only trusted documents run on this server; this one is not among them")]
    NotAllowed,
    /// The document sent does not have the hash sent with it.
    #[error("the document's SHA-256 does not match `extensions.persistedQuery.sha256Hash`")]
    HashMismatch,
    /// `extensions.persistedQuery` is not `{ version: 1, sha256Hash: "<64 hex digits>" }`.
    #[error(
        "`extensions.persistedQuery` must be {{ \"version\": 1, \"sha256Hash\": <64 hex digits> }}"
    )]
    Malformed,
}

impl Refusal {
    /// The `extensions.code` clients switch on.
    pub fn code(&self) -> &'static str {
        match self {
            Refusal::NotFound => "PERSISTED_QUERY_NOT_FOUND",
            Refusal::NotAllowed => "PERSISTED_QUERY_NOT_ALLOWED",
            Refusal::HashMismatch | Refusal::Malformed => "BAD_REQUEST",
        }
    }
}

/// A request's document, resolved.
pub struct Resolved {
    /// The document to run.
    pub query: String,
    /// The hash to register it under once it has parsed and validated (APQ only).
    pub register: Option<String>,
}

/// Why the trusted documents could not be loaded.
#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    #[error("cannot read the trusted documents {path}: {source}")]
    Read {
        path: String,
        source: std::io::Error,
    },
    #[error(
        "the trusted documents {path} are not a JSON object of SHA-256 hash → document: {reason}"
    )]
    Format { path: String, reason: String },
}

impl Default for PersistedQueries {
    fn default() -> Self {
        PersistedQueries::Automatic(Mutex::new(Cache {
            entries: LruCache::new(NonZeroUsize::new(CACHE_ENTRIES).unwrap_or(NonZeroUsize::MIN)),
            bytes: 0,
        }))
    }
}

/// The SHA-256 of a document, in lowercase hex (as Apollo's protocol sends it).
pub fn sha256_hex(document: &str) -> String {
    Sha256::digest(document.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

fn is_hash(s: &str) -> bool {
    s.len() == 64 && s.bytes().all(|b| b.is_ascii_hexdigit())
}

impl PersistedQueries {
    /// Trusted documents from a JSON object of hash → document; each hash is checked.
    pub fn trusted_from_file(path: &Path) -> Result<PersistedQueries, LoadError> {
        let shown = path.display().to_string();
        let text = std::fs::read_to_string(path).map_err(|source| LoadError::Read {
            path: shown.clone(),
            source,
        })?;
        let format = |reason: String| LoadError::Format {
            path: shown.clone(),
            reason,
        };
        let map: Map<String, Value> =
            serde_json::from_str(&text).map_err(|e| format(e.to_string()))?;
        let mut documents = HashMap::with_capacity(map.len());
        for (hash, document) in map {
            let Value::String(document) = document else {
                return Err(format(format!("the value of {hash} is not a string")));
            };
            let hash = hash.to_ascii_lowercase();
            if !is_hash(&hash) || sha256_hex(&document) != hash {
                return Err(format(format!("{hash} is not the SHA-256 of its document")));
            }
            documents.insert(hash, Arc::from(document));
        }
        Ok(PersistedQueries::Trusted(documents))
    }

    /// The document a request runs: `query` as sent (None when absent) and its
    /// `extensions`. Ok(None) when the request has neither a query nor a persisted query.
    pub fn resolve(
        &self,
        query: Option<String>,
        extensions: &Map<String, Value>,
    ) -> Result<Option<Resolved>, Refusal> {
        let hash = match extensions.get("persistedQuery") {
            None | Some(Value::Null) => None,
            Some(Value::Object(pq)) => {
                let version_ok = pq.get("version").and_then(Value::as_u64) == Some(1);
                match pq.get("sha256Hash").and_then(Value::as_str) {
                    Some(h) if version_ok && is_hash(h) => Some(h.to_ascii_lowercase()),
                    _ => return Err(Refusal::Malformed),
                }
            }
            Some(_) => return Err(Refusal::Malformed),
        };
        match (self, query, hash) {
            (_, None, None) => Ok(None),
            (PersistedQueries::Automatic(_), Some(query), None) => Ok(Some(Resolved {
                query,
                register: None,
            })),
            (PersistedQueries::Automatic(cache), None, Some(hash)) => {
                let found = lock(cache).entries.get(&hash).cloned();
                let query = found.ok_or(Refusal::NotFound)?;
                Ok(Some(Resolved {
                    query: query.to_string(),
                    register: None,
                }))
            }
            (PersistedQueries::Automatic(_), Some(query), Some(hash)) => {
                if sha256_hex(&query) != hash {
                    return Err(Refusal::HashMismatch);
                }
                Ok(Some(Resolved {
                    query,
                    register: Some(hash),
                }))
            }
            (PersistedQueries::Trusted(documents), query, hash) => {
                let hash = match (&query, hash) {
                    (Some(query), Some(hash)) if sha256_hex(query) != hash => {
                        return Err(Refusal::HashMismatch);
                    }
                    (_, Some(hash)) => hash,
                    (Some(query), None) => sha256_hex(query),
                    (None, None) => return Ok(None),
                };
                let document = documents.get(&hash).ok_or(Refusal::NotAllowed)?;
                Ok(Some(Resolved {
                    query: document.to_string(),
                    register: None,
                }))
            }
        }
    }

    /// Keeps a document that parsed and validated under its hash (APQ only), evicting the
    /// least recently used beyond the cache's bounds.
    pub fn register(&self, hash: String, query: &str) {
        let PersistedQueries::Automatic(cache) = self else {
            return;
        };
        if query.len() > CACHE_BYTES {
            return;
        }
        let mut cache = lock(cache);
        cache.bytes += query.len();
        // `push` hands back what it replaced or, at the entry bound, what it evicted.
        if let Some((_, old)) = cache.entries.push(hash, Arc::from(query)) {
            cache.bytes -= old.len();
        }
        while cache.bytes > CACHE_BYTES {
            match cache.entries.pop_lru() {
                Some((_, evicted)) => cache.bytes -= evicted.len(),
                None => break,
            }
        }
    }
}

fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn ext(hash: &str) -> Map<String, Value> {
        let Value::Object(map) = json!({ "persistedQuery": { "version": 1, "sha256Hash": hash } })
        else {
            unreachable!()
        };
        map
    }

    #[test]
    fn automatic_registers_then_serves_by_hash() {
        let store = PersistedQueries::default();
        let doc = "{ __typename }";
        let hash = sha256_hex(doc);
        assert_eq!(
            store.resolve(None, &ext(&hash)).err(),
            Some(Refusal::NotFound)
        );
        assert_eq!(
            store.resolve(Some("{ x }".into()), &ext(&hash)).err(),
            Some(Refusal::HashMismatch)
        );
        let resolved = store
            .resolve(Some(doc.into()), &ext(&hash))
            .expect("ok")
            .expect("a document");
        store.register(resolved.register.expect("to register"), &resolved.query);
        let served = store
            .resolve(None, &ext(&hash))
            .expect("found")
            .expect("a document");
        assert_eq!(served.query, doc);
        assert_eq!(
            store.resolve(None, &ext("zz")).err(),
            Some(Refusal::Malformed)
        );
    }

    #[test]
    fn the_cache_is_bounded_by_bytes() {
        let store = PersistedQueries::default();
        let big = "x".repeat(CACHE_BYTES / 4 + 1);
        for i in 0..8 {
            let doc = format!("{i}{big}");
            store.register(sha256_hex(&doc), &doc);
        }
        let PersistedQueries::Automatic(cache) = &store else {
            unreachable!()
        };
        let cache = lock(cache);
        assert!(cache.bytes <= CACHE_BYTES);
        assert_eq!(cache.entries.len(), 3);
    }
}
