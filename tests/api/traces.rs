//! The spans a request leaves, captured by a subscriber of the test's own: their names, their
//! OpenTelemetry GraphQL attributes and their nesting, and never a variable's value or a
//! literal of the document in any span or event.

use crate::helpers::{Backend, TestApp};
use axum::body::Body;
use axum::http::Request;
use serde_json::json;
use std::sync::{Arc, Mutex};
use tracing::field::{Field, Visit};
use tracing::span::{Attributes, Id, Record};
use tracing::{Event, Subscriber};
use tracing_subscriber::layer::{Context, Layer, SubscriberExt};
use tracing_subscriber::registry::LookupSpan;

/// One captured span: its name, its ancestors' names (innermost first) and its fields.
#[derive(Clone, Debug, Default)]
struct Captured {
    name: String,
    ancestors: Vec<String>,
    fields: FieldList,
}

/// A span's or an event's fields, by name, as text.
type FieldList = Vec<(String, String)>;

#[derive(Clone, Default)]
struct Capture {
    spans: Arc<Mutex<Vec<(Id, Captured)>>>,
    events: Arc<Mutex<Vec<FieldList>>>,
}

struct Fields<'a>(&'a mut FieldList);

impl Visit for Fields<'_> {
    fn record_str(&mut self, field: &Field, value: &str) {
        self.0.push((field.name().into(), value.into()));
    }

    fn record_debug(&mut self, field: &Field, value: &dyn std::fmt::Debug) {
        self.0.push((field.name().into(), format!("{value:?}")));
    }
}

impl<S: Subscriber + for<'a> LookupSpan<'a>> Layer<S> for Capture {
    fn on_new_span(&self, attrs: &Attributes<'_>, id: &Id, ctx: Context<'_, S>) {
        let mut captured = Captured {
            name: attrs.metadata().name().into(),
            ..Captured::default()
        };
        attrs.record(&mut Fields(&mut captured.fields));
        if let Some(scope) = ctx.span_scope(id) {
            captured.ancestors = scope.skip(1).map(|s| s.name().to_string()).collect();
        }
        self.spans
            .lock()
            .expect("the lock")
            .push((id.clone(), captured));
    }

    fn on_record(&self, id: &Id, values: &Record<'_>, _: Context<'_, S>) {
        let mut spans = self.spans.lock().expect("the lock");
        if let Some((_, captured)) = spans.iter_mut().rev().find(|(i, _)| i == id) {
            values.record(&mut Fields(&mut captured.fields));
        }
    }

    fn on_event(&self, event: &Event<'_>, _: Context<'_, S>) {
        let mut fields = Vec::new();
        event.record(&mut Fields(&mut fields));
        self.events.lock().expect("the lock").push(fields);
    }
}

impl Capture {
    fn spans(&self) -> Vec<Captured> {
        self.spans
            .lock()
            .expect("the lock")
            .iter()
            .map(|(_, c)| c.clone())
            .collect()
    }

    fn named(&self, name: &str) -> Vec<Captured> {
        self.spans()
            .into_iter()
            .filter(|s| s.name == name)
            .collect()
    }

    /// Every value recorded in a span or an event.
    fn everything(&self) -> Vec<String> {
        let spans = self
            .spans()
            .into_iter()
            .flat_map(|s| s.fields)
            .map(|(_, v)| v);
        let events = self.events.lock().expect("the lock").clone();
        spans
            .chain(events.into_iter().flatten().map(|(_, v)| v))
            .collect()
    }
}

impl Captured {
    fn field(&self, name: &str) -> Option<&str> {
        self.fields
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }
}

/// What a search is for, as a variable, and as a literal of the document.
const IN_A_VARIABLE: &str = "Veryprivatename";
const IN_A_LITERAL: &str = "Literalsecret";

both!(a_request_is_traced_without_its_values);

async fn a_request_is_traced_without_its_values(backend: Backend) {
    let app = TestApp::serving(backend, "rules").await;
    let capture = Capture::default();
    let subscriber = tracing_subscriber::registry().with(capture.clone());
    // The test's runtime runs on this thread: the subscriber sees the whole request.
    let _default = tracing::subscriber::set_default(subscriber);
    let query = format!(
        r#"query Traced($who: String) {{
             people(filter: {{ search: $who }}) {{ totalCount }}
             events(filter: {{ search: "{IN_A_LITERAL}" }}, first: 2) {{ totalCount nodes {{ title }} }}
           }}"#
    );
    app.data(&query, json!({ "who": IN_A_VARIABLE })).await;
    // The same through GET, whose query string holds both.
    let url = format!(
        "/graphql?query={}&variables={}",
        form_urlencoded::byte_serialize(query.as_bytes()).collect::<String>(),
        form_urlencoded::byte_serialize(json!({ "who": IN_A_VARIABLE }).to_string().as_bytes())
            .collect::<String>(),
    );
    let (status, _, body) = app
        .send(Request::get(url).body(Body::empty()).expect("a request"))
        .await;
    assert!(
        status.is_success() && body.get("errors").is_none(),
        "{body}"
    );

    let requests = capture.named("graphql.request");
    assert_eq!(requests.len(), 2, "{:#?}", capture.spans());
    for request in &requests {
        assert_eq!(request.field("graphql.operation.name"), Some("Traced"));
        assert_eq!(request.field("graphql.operation.type"), Some("query"));
        let document = request
            .field("graphql.document")
            .expect("the document is recorded");
        assert!(
            document.starts_with("query Traced($who: String) { people(filter: { search: $who })"),
            "{document}"
        );
        assert!(
            document.contains(r#"events(filter: { search: "" } first: 0)"#),
            "{document}"
        );
        assert!(
            request.ancestors.contains(&"http.request".to_string()),
            "{request:?}"
        );
    }
    for phase in ["graphql.parse", "graphql.validate", "graphql.execute"] {
        let spans = capture.named(phase);
        assert_eq!(spans.len(), 2, "{phase}: {:#?}", capture.spans());
        assert!(
            spans
                .iter()
                .all(|s| s.ancestors.first().map(String::as_str) == Some("graphql.request")),
            "{spans:?}"
        );
    }
    let queries = capture.named("db.query");
    // Both searches and the page: at least three statements a request.
    assert!(queries.len() >= 6, "{queries:#?}");
    for query in &queries {
        // The transport reads the data version for a GET's `ETag` before the request runs.
        if query
            .field("db.query.text")
            .is_some_and(|t| t.contains("data_version"))
        {
            assert!(
                query.ancestors.contains(&"http.request".to_string()),
                "{query:?}"
            );
            continue;
        }
        // Inside SeaORM's own (TRACE) spans of the call, inside the request's execution.
        assert!(
            query.ancestors.contains(&"graphql.execute".to_string()),
            "{query:?}"
        );
        let system = if backend == Backend::Postgres {
            "postgresql"
        } else {
            "sqlite"
        };
        assert_eq!(query.field("db.system.name"), Some(system));
        assert_eq!(query.field("db.pool"), Some("primary"));
        assert!(
            query
                .field("db.query.text")
                .is_some_and(|t| t.contains("SELECT")),
            "{query:?}"
        );
        assert!(query.field("duration_ms").is_some());
    }
    let http = capture.named("http.request");
    assert!(
        http.iter().any(|s| s.field("url.path") == Some("/graphql")),
        "{http:?}"
    );
    for value in capture.everything() {
        assert!(
            !value.contains(IN_A_VARIABLE),
            "a variable's value was recorded: {value}"
        );
        assert!(
            !value.contains(IN_A_LITERAL),
            "a literal was recorded: {value}"
        );
    }
}
