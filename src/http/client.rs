//! What the transport knows of a request's client: the request's ID, and the budget its cost
//! is charged to (`ratelimit`), reported in every response's headers.

use crate::ratelimit::{self, Meter};
use crate::request_id::RequestId;
use crate::state::AppState;
use crate::transport::ClientAddr;
use axum::Extension;
use axum::http::HeaderMap;
use axum::response::Response;
use std::sync::Arc;

/// What the transport knows of a request: its ID and its client's budget.
pub(super) struct Client {
    pub(super) id: Option<RequestId>,
    /// The bearer API key, if the request sent one.
    pub(super) key: Option<String>,
    pub(super) meter: Option<Arc<Meter>>,
}

impl Client {
    pub(super) fn new(
        state: &AppState,
        headers: &HeaderMap,
        id: Option<Extension<RequestId>>,
        addr: Option<Extension<ClientAddr>>,
    ) -> Client {
        let meter = state.limiter.as_ref().map(|limiter| {
            let key = ratelimit::client_key(headers, addr.map(|Extension(a)| a.0.ip()));
            Arc::new(Meter::new(limiter.clone(), key))
        });
        let key = headers
            .get(axum::http::header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(crate::auth::bearer)
            .map(str::to_string);
        Client {
            key,
            id: id.map(|Extension(id)| id),
            meter,
        }
    }

    /// The response with the budget's headers; a request refused before its cost was
    /// known (not JSON, not parsed) is charged 1.
    pub(super) async fn finish(&self, mut response: Response) -> Response {
        if let Some(meter) = &self.meter {
            let outcome = match meter.outcome() {
                Some(outcome) => outcome,
                None => meter.charge(1).await,
            };
            response.headers_mut().extend(ratelimit::headers(&outcome));
        }
        response
    }
}
