//! GraphQL over HTTP, by the spec (<https://graphql.github.io/graphql-over-http/draft/>):
//! media-type negotiation, GET for queries only, and 4xx for requests that are not
//! well-formed. async-graphql-axum's stock handler answers 200 with one media type whatever
//! the client accepts, which fails the `graphql-http` audit; this one wraps `Schema::execute`.
//! Transport only: how a request runs, and its error codes, are the schema's (`executor`).
//! Around it: persisted queries resolve the document (`persisted`), the client's budget is
//! handed to the executor and reported in `x-ratelimit-*` headers (`ratelimit`), and every
//! error carries the request's ID (`request_id`).

use crate::graphql::limits;
use crate::persisted::Refusal;
use crate::request_id::RequestId;
use crate::state::AppState;
use crate::transport::ClientAddr;
use async_graphql::parser::types::{DocumentOperations, ExecutableDocument, OperationType};
use async_graphql::{Response as GqlResponse, Variables};
use axum::Extension;
use axum::body::Body;
use axum::extract::{RawQuery, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::{Map, Value, json};

mod body;
mod cache;
mod client;
pub mod export;
pub mod socket;

use body::read_body;
pub use body::{BODY_TIMEOUT, MAX_BODY};
use client::Client;

/// The response media types a client may accept.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum MediaType {
    /// `application/graphql-response+json`: status codes carry meaning.
    GraphqlResponse,
    /// `application/json`: the legacy type, always 200 for well-formed requests.
    Json,
}

impl MediaType {
    fn as_str(self) -> &'static str {
        match self {
            MediaType::GraphqlResponse => "application/graphql-response+json; charset=utf-8",
            MediaType::Json => "application/json; charset=utf-8",
        }
    }

    /// Picks a media type from `Accept`; None when the client accepts neither. A missing
    /// header or `*/*` gets `application/json`, as the `graphql-http` audit (1.23) asks; the
    /// newer type is used when the client names it (and prefers it by `q`).
    fn negotiate(headers: &HeaderMap) -> Option<MediaType> {
        let Some(accept) = headers.get(header::ACCEPT).and_then(|v| v.to_str().ok()) else {
            return Some(MediaType::Json);
        };
        let mut best: Option<(f32, MediaType)> = None;
        for range in accept.split(',') {
            let mut parts = range.split(';').map(str::trim);
            let essence = parts.next().unwrap_or_default().to_ascii_lowercase();
            let q = parts
                .filter_map(|p| p.strip_prefix("q="))
                .find_map(|q| q.parse::<f32>().ok())
                .unwrap_or(1.0);
            let media = match essence.as_str() {
                "application/graphql-response+json" => MediaType::GraphqlResponse,
                "application/json" | "*/*" | "application/*" => MediaType::Json,
                _ => continue,
            };
            let better = |(b, m): (f32, MediaType)| {
                q > b || (q == b && media == MediaType::GraphqlResponse && m != media)
            };
            if q > 0.0 && best.is_none_or(better) {
                best = Some((q, media));
            }
        }
        best.map(|(_, m)| m)
    }
}

/// A GraphQL-over-HTTP request's parameters, checked.
struct Params {
    /// None when the request names its document by hash only (`persisted`).
    query: Option<String>,
    operation_name: Option<String>,
    variables: Variables,
    extensions: Map<String, Value>,
}

/// A response to a request that is not well-formed: 4xx, errors only, no `data`.
fn reject(
    status: StatusCode,
    media: MediaType,
    code: &str,
    message: impl Into<String>,
) -> Response {
    let mut extensions = json!({ "code": code });
    if let Some(id) = crate::request_id::current() {
        extensions["requestId"] = Value::String(id);
    }
    let body = json!({ "errors": [{ "message": message.into(), "extensions": extensions }] });
    (
        status,
        [(
            header::CONTENT_TYPE,
            HeaderValue::from_static(media.as_str()),
        )],
        body.to_string(),
    )
        .into_response()
}

fn params(object: Map<String, Value>) -> Result<Params, String> {
    let query = match object.get("query") {
        Some(Value::String(q)) => Some(q.clone()),
        None | Some(Value::Null) => None,
        Some(_) => return Err("`query` must be a string".into()),
    };
    let operation_name = match object.get("operationName") {
        Some(Value::String(name)) => Some(name.clone()),
        None | Some(Value::Null) => None,
        Some(_) => return Err("`operationName` must be a string or null".into()),
    };
    let variables = match object.get("variables") {
        Some(Value::Object(map)) => Variables::from_json(Value::Object(map.clone())),
        None | Some(Value::Null) => Variables::default(),
        Some(_) => return Err("`variables` must be an object or null".into()),
    };
    let mut extensions = match object.get("extensions") {
        Some(Value::Object(map)) => map.clone(),
        None | Some(Value::Null) => Map::new(),
        Some(_) => return Err("`extensions` must be an object or null".into()),
    };
    // GraphQL over HTTP's persisted documents (draft appendix) name a document by
    // `documentId`, `sha256:<hex>`: the same document as Apollo's extension names.
    match object.get("documentId") {
        None | Some(Value::Null) => {}
        Some(Value::String(id)) => {
            let hash = id.strip_prefix("sha256:").unwrap_or(id);
            extensions
                .entry("persistedQuery")
                .or_insert_with(|| json!({ "version": 1, "sha256Hash": hash }));
        }
        Some(_) => return Err("`documentId` must be a string".into()),
    }
    Ok(Params {
        query,
        operation_name,
        variables,
        extensions,
    })
}

/// Any method on `/graphql` but GET and POST. The body is read (within the limits) before
/// answering, so the client, still sending it, is not cut off before it reads the answer.
pub async fn method_not_allowed(body: Body) -> Response {
    let _ = tokio::time::timeout(BODY_TIMEOUT, axum::body::to_bytes(body, MAX_BODY)).await;
    let mut response = reject(
        StatusCode::METHOD_NOT_ALLOWED,
        MediaType::Json,
        "METHOD_NOT_ALLOWED",
        "send GraphQL requests to /graphql with POST (or GET, for queries)",
    );
    response
        .headers_mut()
        .insert(header::ALLOW, HeaderValue::from_static("GET, POST"));
    response
}

/// Any path the server does not serve.
pub async fn not_found() -> Response {
    reject(
        StatusCode::NOT_FOUND,
        MediaType::Json,
        "NOT_FOUND",
        "no such route: GraphQL is served at /graphql, GraphiQL at /graphiql, the explorer at /explore",
    )
}

/// `POST /graphql` with an `application/json` body.
pub async fn post(
    State(state): State<AppState>,
    id: Option<Extension<RequestId>>,
    addr: Option<Extension<ClientAddr>>,
    headers: HeaderMap,
    body: Body,
) -> Response {
    let client = Client::new(&state, &headers, id, addr);
    let response = post_inner(&state, &client, &headers, body).await;
    client.finish(response).await
}

async fn post_inner(
    state: &AppState,
    client: &Client,
    headers: &HeaderMap,
    body: Body,
) -> Response {
    let Some(media) = MediaType::negotiate(headers) else {
        return not_acceptable();
    };
    let content_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    let mut parts = content_type.split(';').map(str::trim);
    let essence = parts.next().unwrap_or_default().to_ascii_lowercase();
    let charset_ok = parts
        .filter_map(|p| {
            p.to_ascii_lowercase()
                .strip_prefix("charset=")
                .map(|c| c.trim_matches('"').to_string())
        })
        .all(|c| c == "utf-8");
    if essence != "application/json" || !charset_ok {
        return reject(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            media,
            "UNSUPPORTED_MEDIA_TYPE",
            "POST a JSON body with `Content-Type: application/json` (UTF-8)",
        );
    }
    let body = match read_body(body, media).await {
        Ok(body) => body,
        Err(response) => return response,
    };
    let object = match serde_json::from_slice::<Value>(&body) {
        Ok(Value::Object(object)) => object,
        Ok(_) => {
            return reject(
                StatusCode::BAD_REQUEST,
                media,
                "BAD_REQUEST",
                "the body must be a JSON object",
            );
        }
        Err(e) => {
            return reject(
                StatusCode::BAD_REQUEST,
                media,
                "BAD_REQUEST",
                format!("the body is not JSON: {e}"),
            );
        }
    };
    match params(object) {
        Ok(params) => execute(state, client, media, params, None).await,
        Err(message) => reject(StatusCode::BAD_REQUEST, media, "BAD_REQUEST", message),
    }
}

/// `GET /graphql`: a WebSocket upgrade (subscriptions, `socket`), or a query.
pub async fn get_or_upgrade(
    State(state): State<AppState>,
    request: axum::extract::Request,
) -> Response {
    if socket::is_upgrade(&request) {
        return socket::upgrade(state, request).await;
    }
    axum::handler::Handler::call(get, request, state).await
}

/// `GET /graphql?query=…&variables=…` (or `extensions=` naming a persisted query): queries only.
pub async fn get(
    State(state): State<AppState>,
    id: Option<Extension<RequestId>>,
    addr: Option<Extension<ClientAddr>>,
    headers: HeaderMap,
    RawQuery(raw): RawQuery,
) -> Response {
    let client = Client::new(&state, &headers, id, addr);
    let response = get_inner(&state, &client, &headers, raw).await;
    client.finish(response).await
}

async fn get_inner(
    state: &AppState,
    client: &Client,
    headers: &HeaderMap,
    raw: Option<String>,
) -> Response {
    let Some(media) = MediaType::negotiate(headers) else {
        return not_acceptable();
    };
    let mut object = Map::new();
    for (key, value) in form_urlencoded::parse(raw.as_deref().unwrap_or_default().as_bytes()) {
        let (key, value) = (key.into_owned(), value.into_owned());
        let value = match key.as_str() {
            "variables" | "extensions" if !value.is_empty() => {
                match serde_json::from_str::<Value>(&value) {
                    Ok(v) => v,
                    Err(e) => {
                        return reject(
                            StatusCode::BAD_REQUEST,
                            media,
                            "BAD_REQUEST",
                            format!("`{key}` is not JSON: {e}"),
                        );
                    }
                }
            }
            _ => Value::String(value),
        };
        object.insert(key, value);
    }
    match params(object) {
        Ok(params) => execute(state, client, media, params, Some(headers)).await,
        Err(message) => reject(StatusCode::BAD_REQUEST, media, "BAD_REQUEST", message),
    }
}

/// A persisted query that cannot run: an unknown or refused document is a request error
/// like a validation failure (400 for `application/graphql-response+json`, 200 for
/// `application/json`, which is what Apollo's PersistedQueryLink reads either way); a
/// malformed one, or one whose hash does not match, is a bad request.
fn persisted_refusal(media: MediaType, refusal: Refusal) -> Response {
    let status = match (&refusal, media) {
        (Refusal::NotFound | Refusal::NotAllowed, MediaType::Json) => StatusCode::OK,
        _ => StatusCode::BAD_REQUEST,
    };
    reject(status, media, refusal.code(), refusal.to_string())
}

fn not_acceptable() -> Response {
    reject(
        StatusCode::NOT_ACCEPTABLE,
        MediaType::Json,
        "NOT_ACCEPTABLE",
        "accept application/graphql-response+json or application/json",
    )
}

/// The operation a request selects, if the document parses and names one unambiguously.
fn selected_operation(document: &ExecutableDocument, name: Option<&str>) -> Option<OperationType> {
    match (&document.operations, name) {
        (DocumentOperations::Single(op), _) => Some(op.node.ty),
        (DocumentOperations::Multiple(ops), Some(name)) => ops.get(name).map(|op| op.node.ty),
        (DocumentOperations::Multiple(ops), None) if ops.len() == 1 => {
            ops.values().next().map(|op| op.node.ty)
        }
        _ => None,
    }
}

/// Runs a request; `get` holds a GET request's headers (GET runs queries only, and its
/// answers are cached: see `cache`).
async fn execute(
    state: &AppState,
    client: &Client,
    media: MediaType,
    params: Params,
    get: Option<&HeaderMap>,
) -> Response {
    let via_get = get.is_some();
    let resolved = match state.persisted.resolve(params.query, &params.extensions) {
        Ok(Some(resolved)) => resolved,
        Ok(None) => {
            return reject(
                StatusCode::BAD_REQUEST,
                media,
                "BAD_REQUEST",
                "`query` is missing",
            );
        }
        Err(refusal) => return persisted_refusal(media, refusal),
    };
    let register = resolved.register.map(|hash| (hash, resolved.query.clone()));
    let validator = match get {
        Some(headers) => {
            let operation = params.operation_name.as_deref();
            let validator =
                validator(state, media, &resolved.query, operation, &params.variables).await;
            if let Some(v) = &validator
                && v.is_held_by(headers)
            {
                return v.not_modified();
            }
            validator
        }
        None => None,
    };
    let mut request = async_graphql::Request::new(resolved.query).variables(params.variables);
    let key = client.key.clone();
    if let Err(message) = key_required(state, key.as_deref()).await {
        let status = match media {
            MediaType::GraphqlResponse => StatusCode::UNAUTHORIZED,
            MediaType::Json => StatusCode::OK,
        };
        return reject(status, media, "UNAUTHENTICATED", message);
    }
    request = request.data(crate::graphql::credentials::Credentials(key));
    if let Some(id) = &client.id {
        request = request.data(id.clone());
    }
    if let Some(meter) = &client.meter {
        request = request.data(meter.clone());
    }
    if let Some(name) = params.operation_name {
        request = request.operation_name(name);
    }
    for (key, value) in params.extensions {
        if let Ok(value) = async_graphql::Value::from_json(value) {
            request.extensions.insert(key, value);
        }
    }
    // GET may only run queries, and subscriptions run over a WebSocket: parse here (once;
    // the executor takes the parsed document) to see which operation the request selects. A
    // document too large to parse safely, or one that does not parse, goes on to the
    // executor, which refuses it with its code.
    if limits::scan(&request.query).is_ok() {
        let name = request.operation_name.clone();
        if let Ok(document) = state.schema.parse(&mut request) {
            let operation = selected_operation(&document, name.as_deref());
            if via_get && operation.is_some_and(|t| t != OperationType::Query) {
                let message = match operation {
                    Some(OperationType::Subscription) => {
                        "only queries may be sent with GET; subscriptions run over a WebSocket \
                         at /graphql (graphql-transport-ws)"
                    }
                    _ => "only queries may be sent with GET; send mutations with POST",
                };
                let mut response = reject(
                    StatusCode::METHOD_NOT_ALLOWED,
                    media,
                    "METHOD_NOT_ALLOWED",
                    message,
                );
                response
                    .headers_mut()
                    .insert(header::ALLOW, HeaderValue::from_static("POST"));
                return response;
            }
            if operation == Some(OperationType::Subscription) {
                let status = match media {
                    MediaType::GraphqlResponse => StatusCode::BAD_REQUEST,
                    MediaType::Json => StatusCode::OK,
                };
                return reject(
                    status,
                    media,
                    "BAD_REQUEST",
                    "subscriptions run over a WebSocket at /graphql (graphql-transport-ws); \
                     send queries and mutations over HTTP",
                );
            }
        }
    }
    let response = state.schema.execute(request).await;
    if let Some((hash, query)) = register
        && !crate::graphql::executor::is_request_error(&response)
    {
        state.persisted.register(hash, &query);
    }
    let clean = response.errors.is_empty();
    let mut response = respond(media, response);
    if let Some(v) = validator
        && clean
        && response.status() == StatusCode::OK
    {
        v.mark(&mut response);
    }
    response
}

/// The validator of a GET answer, from the data version the primary holds now; None (the
/// answer is then not cached) if the version cannot be read.
async fn validator(
    state: &AppState,
    media: MediaType,
    query: &str,
    operation: Option<&str>,
    variables: &Variables,
) -> Option<cache::Validator> {
    let version = match crate::service::version::current(&state.db).await {
        Ok(version) => version,
        Err(e) => {
            tracing::warn!(error = %e, "the data version could not be read; not cached");
            return None;
        }
    };
    let variables = serde_json::to_string(variables).unwrap_or_default();
    Some(cache::Validator::new(
        version,
        media.as_str(),
        query,
        operation,
        &variables,
        state.cache_control.clone(),
    ))
}

/// The largest response body sent, in bytes; a larger answer is replaced by an error that
/// asks for less (list sizes in the cost are estimates, so a few queries can exceed them).
pub const MAX_RESPONSE: usize = 32 << 20;

/// A request error as the spec words it: no `data` entry, since nothing was executed.
#[derive(serde::Serialize)]
struct RequestError<'a> {
    errors: &'a [async_graphql::ServerError],
    /// The cost and the budget, when the request got as far as its cost.
    #[serde(skip_serializing_if = "std::collections::BTreeMap::is_empty")]
    extensions: &'a std::collections::BTreeMap<String, async_graphql::Value>,
}

fn respond(media: MediaType, response: GqlResponse) -> Response {
    let request_error = crate::graphql::executor::is_request_error(&response);
    let body = if request_error {
        serde_json::to_string(&RequestError {
            errors: &response.errors,
            extensions: &response.extensions,
        })
    } else {
        serde_json::to_string(&response)
    };
    let body = match body {
        Ok(body) if body.len() <= MAX_RESPONSE => body,
        Ok(_) => json!({ "data": null, "errors": [{
            "message": format!("the answer exceeds the limit of {MAX_RESPONSE} bytes; ask for smaller pages or fewer fields"),
            "extensions": { "code": "RESPONSE_TOO_LARGE" } }] })
        .to_string(),
        Err(e) => {
            tracing::error!(error = %e, "a response did not serialise");
            json!({ "data": null, "errors": [{ "message": "internal error",
                "extensions": { "code": "INTERNAL" } }] })
            .to_string()
        }
    };
    let rate_limited = request_error
        && response.errors.iter().any(|e| {
            e.extensions.as_ref().and_then(|x| x.get("code"))
                == Some(&async_graphql::Value::from("RATE_LIMITED"))
        });
    // A mutation refused for its key, with nothing else answered: 401 or 403 where the media
    // type lets the status speak (GraphQL over HTTP), 200 for `application/json`.
    let refused = |code: &str| {
        response.data == async_graphql::Value::Null
            && !response.errors.is_empty()
            && response.errors.iter().all(|e| {
                e.extensions.as_ref().and_then(|x| x.get("code"))
                    == Some(&async_graphql::Value::from(code))
            })
    };
    let status = match (request_error, media) {
        (_, MediaType::GraphqlResponse) if refused("UNAUTHENTICATED") => StatusCode::UNAUTHORIZED,
        (_, MediaType::GraphqlResponse) if refused("FORBIDDEN") => StatusCode::FORBIDDEN,
        (true, MediaType::GraphqlResponse) if rate_limited => StatusCode::TOO_MANY_REQUESTS,
        (true, MediaType::GraphqlResponse) => StatusCode::BAD_REQUEST,
        _ => StatusCode::OK,
    };
    (
        status,
        [(
            header::CONTENT_TYPE,
            HeaderValue::from_static(media.as_str()),
        )],
        body,
    )
        .into_response()
}

#[cfg(test)]
mod tests;

/// With `--require-key-for-reads`, a request's bearer key must be valid: why not, if it is not.
pub(crate) async fn key_required(state: &AppState, key: Option<&str>) -> Result<(), String> {
    if !state.require_key_for_reads {
        return Ok(());
    }
    let Some(key) = key else {
        return Err("this server needs an API key: send `Authorization: Bearer <key>`".into());
    };
    match crate::auth::authenticate(&state.db, key).await {
        Ok(_) => Ok(()),
        Err(crate::auth::AuthError::Unauthenticated(m)) => Err(m),
        Err(crate::auth::AuthError::Database(e)) => {
            tracing::warn!(error = %e, "a key could not be checked");
            Err("the key could not be checked; try again".to_string())
        }
    }
}
