//! Reading a request's body within its limits: its size and the time it takes to arrive.

use super::{MediaType, reject};
use axum::body::{Body, Bytes};
use axum::http::StatusCode;
use axum::response::Response;

/// The largest request body accepted, in bytes.
pub const MAX_BODY: usize = 1 << 20;
/// How long a client may take to send a request's body.
pub const BODY_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(10);

/// A request body, read within `MAX_BODY` bytes and `BODY_TIMEOUT`. A body over the limit
/// is still read to its end (up to 16 times the limit, discarded) before the 413, so that a
/// client still sending reads the answer instead of a reset; one announced larger than that is
/// refused at once.
pub(super) async fn read_body(body: Body, media: MediaType) -> Result<Bytes, Response> {
    let announced = axum::body::HttpBody::size_hint(&body).lower();
    if announced > DRAIN_LIMIT as u64 {
        return Err(too_large(media));
    }
    match tokio::time::timeout(BODY_TIMEOUT, collect(body)).await {
        Ok(Ok(Some(bytes))) => Ok(bytes),
        Ok(Ok(None)) => Err(too_large(media)),
        Ok(Err(())) => Err(reject(
            StatusCode::BAD_REQUEST,
            media,
            "BAD_REQUEST",
            "the request body could not be read",
        )),
        Err(_) => Err(reject(
            StatusCode::REQUEST_TIMEOUT,
            media,
            "REQUEST_TIMEOUT",
            format!(
                "the request body took longer than {} s to arrive",
                BODY_TIMEOUT.as_secs()
            ),
        )),
    }
}

/// The most of an oversized body read (and discarded) before answering 413.
const DRAIN_LIMIT: usize = 16 * MAX_BODY;

/// The body's bytes, or None when it exceeds `MAX_BODY` (read on, discarding, to its end or
/// `DRAIN_LIMIT`).
async fn collect(body: Body) -> Result<Option<Bytes>, ()> {
    use http_body_util::BodyExt;
    let mut body = body;
    let mut kept = Vec::new();
    let mut seen = 0usize;
    while let Some(frame) = body.frame().await {
        let frame = frame.map_err(|_| ())?;
        if let Ok(data) = frame.into_data() {
            seen += data.len();
            if seen > DRAIN_LIMIT {
                return Ok(None);
            }
            if seen <= MAX_BODY {
                kept.extend_from_slice(&data);
            }
        }
    }
    Ok((seen <= MAX_BODY).then(|| Bytes::from(kept)))
}

fn too_large(media: MediaType) -> Response {
    reject(
        StatusCode::PAYLOAD_TOO_LARGE,
        media,
        "PAYLOAD_TOO_LARGE",
        format!("the request body exceeds the limit of {MAX_BODY} bytes"),
    )
}
