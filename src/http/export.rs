//! Bulk export over HTTP: `GET /export/events.ndjson`, `/export/events.csv` and
//! `/export/dataset.tar` (the `data/` layout), streamed from one snapshot of a read replica
//! (else the primary) a page at a time through a bounded channel, so memory stays flat and a
//! slow client slows the export. The query string takes the fields of `events(filter:)`:
//! `kinds`, `countries`, `locations`, `nationalities`, `agencies`, `people` and `sources`
//! (lists: repeated or comma-separated; IDs as the API gives them), `from`, `to`, `status`
//! and `search`, checked exactly as the API checks them. A bad parameter is a 400 with
//! `extensions.code` `BAD_USER_INPUT`, before anything is streamed.

use crate::db::replicas::ReadFrom;
use crate::error::Error;
use crate::graphql::ids::shown;
use crate::graphql::types::filters::EventFilter as FilterInput;
use crate::ingest::export::{self, ExportError, Format, sink::Channel};
use crate::service::event::EventFilter;
use crate::state::AppState;
use async_graphql::InputType;
use axum::body::Body;
use axum::extract::{RawQuery, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::{Map, Value, json};

/// Chunks (pages of events) buffered between the database and a slow client.
const BUFFERED: usize = 2;

/// The filter parameters that take a list of values.
const LISTS: [&str; 7] = [
    "kinds",
    "countries",
    "locations",
    "nationalities",
    "agencies",
    "people",
    "sources",
];
/// The filter parameters that take one value.
const SINGLES: [&str; 4] = ["from", "to", "status", "search"];

/// `GET /export/events.ndjson`: one event's record a line (`application/x-ndjson`).
pub async fn ndjson(
    State(state): State<AppState>,
    headers: HeaderMap,
    RawQuery(query): RawQuery,
) -> Response {
    export(state, &headers, query, Format::Ndjson).await
}

/// `GET /export/events.csv`: one event a row (`text/csv`), columns as `CSV_COLUMNS` lists.
pub async fn csv(
    State(state): State<AppState>,
    headers: HeaderMap,
    RawQuery(query): RawQuery,
) -> Response {
    export(state, &headers, query, Format::Csv).await
}

/// `GET /export/dataset.tar`: the `data/` layout (`application/x-tar`), which
/// `scam-atlas import` loads.
pub async fn dataset(
    State(state): State<AppState>,
    headers: HeaderMap,
    RawQuery(query): RawQuery,
) -> Response {
    export(state, &headers, query, Format::Tar).await
}

async fn export(
    state: AppState,
    headers: &HeaderMap,
    query: Option<String>,
    format: Format,
) -> Response {
    let key = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(crate::auth::bearer);
    if let Err(message) = super::key_required(&state, key).await {
        return error(StatusCode::UNAUTHORIZED, "UNAUTHENTICATED", &message);
    }
    let filter = match filter(query.as_deref()) {
        Ok(filter) => filter,
        Err(e) => return error(StatusCode::BAD_REQUEST, e.code(), &e.to_string()),
    };
    let (_, db) = state.databases.reader(ReadFrom::Replica);
    let snapshot = match export::snapshot(db).await {
        Ok(snapshot) => snapshot,
        Err(e) => {
            tracing::error!(error = %e, "an export could not open its snapshot");
            return error(
                StatusCode::INTERNAL_SERVER_ERROR,
                "INTERNAL",
                "internal error",
            );
        }
    };
    let (tx, rx) = tokio::sync::mpsc::channel(BUFFERED);
    tokio::spawn(async move {
        let mut sink = Channel(tx.clone());
        let written = match format {
            Format::Tar => export::tar::dataset(&snapshot, &filter, &mut sink).await,
            _ => export::write::events(&snapshot, &filter, format, &mut sink).await,
        };
        match written {
            Ok(_) => {
                let _ = snapshot.commit().await;
            }
            Err(ExportError::Closed) => {}
            Err(e) => {
                // The status is sent already: the body ends with an error, so the client
                // sees a broken transfer rather than a short file.
                tracing::error!(error = %e, "an export failed while streaming");
                let _ = tx.send(Err(std::io::Error::other("export failed"))).await;
            }
        }
    });
    let chunks = futures_util::stream::unfold(rx, |mut rx| async move {
        rx.recv().await.map(|chunk| (chunk, rx))
    });
    let body = Body::from_stream(chunks);
    let (content_type, file) = match format {
        Format::Ndjson => ("application/x-ndjson", "events.ndjson"),
        Format::Csv => ("text/csv; charset=utf-8; header=present", "events.csv"),
        Format::Toml | Format::Tar => ("application/x-tar", "dataset.tar"),
    };
    let disposition = format!("attachment; filename=\"{file}\"");
    (
        [
            (header::CONTENT_TYPE, HeaderValue::from_static(content_type)),
            (
                header::CONTENT_DISPOSITION,
                HeaderValue::from_str(&disposition)
                    .unwrap_or_else(|_| HeaderValue::from_static("attachment")),
            ),
            (header::CACHE_CONTROL, HeaderValue::from_static("no-store")),
        ],
        body,
    )
        .into_response()
}

/// The query string's filter, checked as `events(filter:)` checks its argument.
pub fn filter(query: Option<&str>) -> Result<EventFilter, Error> {
    let mut object = Map::new();
    for (name, value) in form_urlencoded::parse(query.unwrap_or_default().as_bytes()) {
        if LISTS.contains(&name.as_ref()) {
            let list = object
                .entry(name.to_string())
                .or_insert_with(|| Value::Array(Vec::new()));
            if let Value::Array(list) = list {
                list.extend(
                    value
                        .split(',')
                        .map(str::trim)
                        .filter(|v| !v.is_empty())
                        .map(|v| Value::String(v.to_string())),
                );
            }
        } else if SINGLES.contains(&name.as_ref()) {
            if object
                .insert(name.to_string(), Value::String(value.to_string()))
                .is_some()
            {
                return Err(Error::BadUserInput(format!("`{name}` is given twice")));
            }
        } else {
            return Err(Error::BadUserInput(format!(
                "unknown parameter {}: an export takes {} and {}",
                shown(&name),
                LISTS.join(", "),
                SINGLES.join(", ")
            )));
        }
    }
    let value = async_graphql::Value::from_json(Value::Object(object))
        .map_err(|e| Error::BadUserInput(e.to_string()))?;
    let input = FilterInput::parse(Some(value)).map_err(|e| {
        let message = e.into_server_error(Default::default()).message;
        Error::BadUserInput(message.chars().take(200).collect())
    })?;
    input.into_service()
}

/// A JSON error body with its machine-readable code, as the API's errors have.
fn error(status: StatusCode, code: &str, message: &str) -> Response {
    let mut extensions = json!({ "code": code });
    if let Some(id) = crate::request_id::current() {
        extensions["requestId"] = Value::String(id);
    }
    let body = json!({ "errors": [{ "message": message, "extensions": extensions }] });
    (
        status,
        [(header::CONTENT_TYPE, "application/json; charset=utf-8")],
        body.to_string(),
    )
        .into_response()
}
