//! CORS: which browser apps on other origins may call the API. By default any origin may, for
//! anonymous reads (`Access-Control-Allow-Origin: *`); `--cors-origin` narrows it to a list,
//! and other origins get no CORS headers, so browsers refuse them. Credentials (cookies, HTTP
//! auth) are never allowed: the API has none to protect, and `*` with credentials would let
//! any page act as its visitor. Preflights are answered by tower-http's layer and may be
//! cached for `MAX_AGE` (Chromium caps it at 2 hours).

use axum::http::{HeaderName, HeaderValue, Method, header};
use std::time::Duration;
use tower_http::cors::{AllowOrigin, CorsLayer};

/// How long a browser may cache a preflight's answer.
pub const MAX_AGE: Duration = Duration::from_secs(86_400);

/// The layer for these origins (any origin when the list is empty).
pub fn layer(origins: &[HeaderValue]) -> CorsLayer {
    let allow_origin = if origins.is_empty() {
        AllowOrigin::any()
    } else {
        AllowOrigin::list(origins.iter().cloned())
    };
    let name = HeaderName::from_static;
    CorsLayer::new()
        .allow_origin(allow_origin)
        .allow_methods([Method::GET, Method::POST])
        .allow_headers([
            header::CONTENT_TYPE,
            header::ACCEPT,
            header::AUTHORIZATION,
            name("x-request-id"),
            name("apollographql-client-name"),
            name("apollographql-client-version"),
            name("apollo-require-preflight"),
        ])
        .expose_headers([
            name("x-request-id"),
            name("x-ratelimit-limit"),
            name("x-ratelimit-remaining"),
            name("x-ratelimit-used"),
            name("x-ratelimit-reset"),
            header::RETRY_AFTER,
        ])
        .max_age(MAX_AGE)
}

/// An origin as `--cors-origin` takes it: `scheme://host[:port]`, nothing after.
pub fn parse_origin(origin: &str) -> Result<HeaderValue, String> {
    let origin = origin.trim().trim_end_matches('/');
    let rest = origin
        .strip_prefix("https://")
        .or_else(|| origin.strip_prefix("http://"))
        .ok_or_else(|| {
            format!("`{origin}` is not an origin: it starts with http:// or https://")
        })?;
    let host_ok = !rest.is_empty()
        && rest
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"-.:[]".contains(&b));
    if !host_ok {
        return Err(format!(
            "`{origin}` is not an origin: scheme://host[:port], without a path"
        ));
    }
    HeaderValue::from_str(&origin.to_ascii_lowercase()).map_err(|e| e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn origins_are_scheme_host_and_port() {
        assert_eq!(
            parse_origin("https://App.example.org/").expect("an origin"),
            "https://app.example.org"
        );
        assert!(parse_origin("http://localhost:5173").is_ok());
        for bad in [
            "app.example.org",
            "https://",
            "https://x.org/path",
            "ftp://x.org",
        ] {
            assert!(parse_origin(bad).is_err(), "{bad}");
        }
    }
}
