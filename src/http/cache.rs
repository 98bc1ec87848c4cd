//! HTTP caching of GET queries (RFC 9110 §8.8.3, §13.1.2): a strong `ETag` made from what
//! decides the answer — the document, its operation and variables, the response's media type,
//! this server's version and the data version (`service::version`, read from the database so
//! every instance agrees) — and `304 Not Modified` to a client that already holds it.
//! Only answers without errors carry an `ETag`, so only they are ever revalidated.

use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use sha2::{Digest, Sha256};

/// What a GET answer is cached under.
pub struct Validator {
    /// The strong entity tag, quoted.
    pub etag: HeaderValue,
    /// The configured `Cache-Control`.
    pub cache_control: HeaderValue,
}

impl Validator {
    /// The validator of the answer to `query` (with `operation` and `variables`) in `media`
    /// at data version `version`.
    pub fn new(
        version: i64,
        media: &str,
        query: &str,
        operation: Option<&str>,
        variables: &str,
        cache_control: HeaderValue,
    ) -> Self {
        let mut hash = Sha256::new();
        // Each part length-prefixed, so that no two requests hash alike by shifting text
        // from one part to the next.
        for part in [
            env!("CARGO_PKG_VERSION"),
            media,
            query,
            operation.unwrap_or("\u{0}"),
            variables,
        ] {
            hash.update((part.len() as u64).to_le_bytes());
            hash.update(part.as_bytes());
        }
        let digest = hash.finalize();
        let hex: String = digest[..16].iter().map(|b| format!("{b:02x}")).collect();
        let etag = HeaderValue::from_str(&format!("\"v{version}-{hex}\""))
            .unwrap_or_else(|_| HeaderValue::from_static("\"unrepresentable\""));
        Validator {
            etag,
            cache_control,
        }
    }

    /// Whether the client's `If-None-Match` names this answer (`*` does; weak tags compare
    /// by their opaque part, as §13.1.2 asks for this header).
    pub fn is_held_by(&self, headers: &HeaderMap) -> bool {
        let Ok(ours) = self.etag.to_str() else {
            return false;
        };
        headers
            .get_all(header::IF_NONE_MATCH)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(','))
            .map(str::trim)
            .any(|tag| tag == "*" || tag.strip_prefix("W/").unwrap_or(tag) == ours)
    }

    /// Adds the validator's headers to a cacheable answer.
    pub fn mark(&self, response: &mut Response) {
        let headers = response.headers_mut();
        headers.insert(header::ETAG, self.etag.clone());
        headers.insert(header::CACHE_CONTROL, self.cache_control.clone());
        headers.insert(header::VARY, HeaderValue::from_static("Accept"));
    }

    /// `304 Not Modified`: the client's copy is current.
    pub fn not_modified(&self) -> Response {
        let mut response = StatusCode::NOT_MODIFIED.into_response();
        self.mark(&mut response);
        response
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn validator(version: i64, variables: &str) -> Validator {
        Validator::new(
            version,
            "application/json",
            "{ countries { code } }",
            None,
            variables,
            HeaderValue::from_static(crate::state::DEFAULT_CACHE_CONTROL),
        )
    }

    #[test]
    fn tags_change_with_the_version_and_the_request() {
        let a = validator(1, "{}");
        assert_eq!(a.etag, validator(1, "{}").etag);
        assert_ne!(a.etag, validator(2, "{}").etag);
        assert_ne!(a.etag, validator(1, "{\"a\":1}").etag);
        let mut headers = HeaderMap::new();
        assert!(!a.is_held_by(&headers));
        headers.insert(
            header::IF_NONE_MATCH,
            HeaderValue::from_str(&format!("\"x\", W/{}", a.etag.to_str().unwrap_or_default()))
                .unwrap_or_else(|_| HeaderValue::from_static("")),
        );
        assert!(a.is_held_by(&headers));
        assert!(!validator(2, "{}").is_held_by(&headers));
    }
}
