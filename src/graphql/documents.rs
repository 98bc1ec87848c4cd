//! Parsed documents, kept by their text: a client sends the same few documents over and over
//! with different variables, and parsing one (async-graphql's pest parser) was ~5 % of the
//! server's time on the deep page; cloning the parsed tree costs a fraction of that.
//!
//! Only documents that parsed are kept, and only small ones, in a small LRU cache, so that a
//! client sending endless distinct documents costs at most `ENTRIES` × `MAX_TEXT` of text
//! and their trees. Everything after parsing (limits, validation, execution) still runs on
//! every request.

use async_graphql::parser::types::ExecutableDocument;
use async_graphql::{Request, ServerError};
use lru::LruCache;
use std::num::NonZeroUsize;
use std::sync::{Arc, Mutex};

/// Most documents kept.
const ENTRIES: usize = 128;
/// The longest document kept, in bytes.
const MAX_TEXT: usize = 4096;

/// The cache, one per schema.
pub struct Documents {
    entries: Mutex<LruCache<String, Arc<ExecutableDocument>>>,
}

impl Default for Documents {
    fn default() -> Self {
        let entries = NonZeroUsize::new(ENTRIES).unwrap_or(NonZeroUsize::MIN);
        Documents {
            entries: Mutex::new(LruCache::new(entries)),
        }
    }
}

impl Documents {
    /// `request`'s document, parsed, and given to the request so that async-graphql does not
    /// parse it again; from the cache when it holds the same text.
    pub fn parse(&self, request: &mut Request) -> Result<ExecutableDocument, ServerError> {
        let keep = request.query.len() <= MAX_TEXT;
        if keep && let Some(document) = self.get(&request.query) {
            request.set_parsed_query(ExecutableDocument::clone(&document));
            return Ok(ExecutableDocument::clone(&document));
        }
        let document = request.parsed_query()?.clone();
        if keep && let Ok(mut entries) = self.entries.lock() {
            entries.put(request.query.clone(), Arc::new(document.clone()));
        }
        Ok(document)
    }

    /// Keeps `document` as the parse of `text` (a test telling the cache's tree from a parse).
    #[cfg(test)]
    pub(crate) fn put(&self, text: &str, document: ExecutableDocument) {
        if let Ok(mut entries) = self.entries.lock() {
            entries.put(text.into(), Arc::new(document));
        }
    }

    fn get(&self, text: &str) -> Option<Arc<ExecutableDocument>> {
        self.entries.lock().ok()?.get(text).cloned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_document_is_parsed_once_and_given_to_each_request() {
        let documents = Documents::default();
        let text = "query Q($n: Int) { events(first: $n) { nodes { id } } }";
        documents.parse(&mut Request::new(text)).expect("parses");
        assert_eq!(documents.entries.lock().expect("a lock").len(), 1);
        // What the cache holds for a text is what a request of that text gets, its own
        // parsed document included: put another tree under the same text to tell them apart.
        let other = async_graphql::parser::parse_query("{ __typename }").expect("parses");
        let entry = Arc::new(other.clone());
        documents
            .entries
            .lock()
            .expect("a lock")
            .put(text.into(), entry);
        let mut second = Request::new(text);
        let given = documents.parse(&mut second).expect("from the cache");
        assert_eq!(format!("{given:?}"), format!("{other:?}"));
        let held = second.parsed_query().expect("held");
        assert_eq!(format!("{held:?}"), format!("{other:?}"));
    }

    #[test]
    fn errors_and_long_documents_are_not_kept() {
        let documents = Documents::default();
        assert!(documents.parse(&mut Request::new("{ events {")).is_err());
        let long = format!("{{ __typename {} }}", " ".repeat(MAX_TEXT));
        documents.parse(&mut Request::new(long)).expect("parses");
        assert_eq!(documents.entries.lock().expect("a lock").len(), 0);
    }
}
