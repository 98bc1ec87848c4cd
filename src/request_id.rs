//! Every request's ID: the client's `x-request-id` when it is sane (1 to 64 characters of
//! letters, digits and `-_.:`), else a new random one. It is returned in the `x-request-id`
//! header, given to the GraphQL request (errors carry it in `extensions.requestId`) and set
//! on a tracing span around the request, so that whatever is logged while serving it names it.
//! Written by hand: tower-http's request-id layer keeps any incoming value, however long or
//! odd, and would echo it into logs and responses.

use axum::extract::Request;
use axum::http::{HeaderName, HeaderValue};
use axum::middleware::Next;
use axum::response::Response;
use tracing::Instrument;

/// The header that carries the ID both ways.
pub const HEADER: HeaderName = HeaderName::from_static("x-request-id");
/// The longest incoming ID kept.
const MAX_LEN: usize = 64;

/// One request's ID (in the request's extensions, and in the GraphQL request's data).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RequestId(pub String);

impl RequestId {
    /// The client's ID if it is sane, else a new one.
    fn from_header(value: Option<&HeaderValue>) -> RequestId {
        let sane = |s: &str| {
            (1..=MAX_LEN).contains(&s.len())
                && s.bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b"-_.:".contains(&b))
        };
        match value.and_then(|v| v.to_str().ok()) {
            Some(s) if sane(s) => RequestId(s.to_string()),
            _ => RequestId::generate(),
        }
    }

    /// A new random ID: 128 bits in hex (unique enough to find a request in the logs; it is
    /// no secret and needs no cryptographic generator).
    pub fn generate() -> RequestId {
        RequestId(format!("{:032x}", fastrand::u128(..)))
    }
}

tokio::task_local! {
    /// The ID of the request this task is serving, for errors answered outside the schema.
    static CURRENT: RequestId;
}

/// The ID of the request being served, if any.
pub fn current() -> Option<String> {
    CURRENT.try_with(|id| id.0.clone()).ok()
}

/// The middleware: gives the request its ID, and its response the header.
pub async fn layer(mut request: Request, next: Next) -> Response {
    let id = RequestId::from_header(request.headers().get(&HEADER));
    request.extensions_mut().insert(id.clone());
    let span = tracing::info_span!("request", request_id = %id.0);
    let mut response = CURRENT
        .scope(id.clone(), next.run(request).instrument(span))
        .await;
    if let Ok(value) = HeaderValue::from_str(&id.0) {
        response.headers_mut().insert(HEADER, value);
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_sane_id_is_kept_and_any_other_replaced() {
        let keep = HeaderValue::from_static("abc-123_x.y:z");
        assert_eq!(RequestId::from_header(Some(&keep)).0, "abc-123_x.y:z");
        for odd in ["", "has space", "semi;colon", &"x".repeat(65)] {
            let value = HeaderValue::from_str(odd).expect("a header value");
            let id = RequestId::from_header(Some(&value)).0;
            assert_ne!(id, odd);
            assert_eq!(id.len(), 32);
        }
        assert_ne!(RequestId::generate(), RequestId::generate());
    }
}
