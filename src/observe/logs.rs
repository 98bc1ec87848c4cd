//! Logs and trace spans: human-readable text on standard error by default, or one JSON object
//! per line (`--log-format json`) with the spans each event happened in, and each span as it
//! closes. `RUST_LOG` filters
//! both (default `info`; `scam_atlas=debug` adds the parse, validate, execute and SQL spans).
//!
//! Spans (OpenTelemetry's GraphQL attribute names): `graphql.request` (INFO) with
//! `graphql.operation.name`, `graphql.operation.type` and `graphql.document` (sanitised, see
//! `document`); inside it `graphql.parse`, `graphql.validate`, `graphql.execute` (DEBUG), and
//! one `db.query` (DEBUG) per SQL statement (`sql`). Variables are never recorded.

use crate::config::LogFormat;
use tracing_subscriber::EnvFilter;
use tracing_subscriber::fmt::format::FmtSpan;

/// Installs the process's subscriber, writing to standard error in `format`.
pub fn init(format: LogFormat) {
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| "info".into());
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr);
    match format {
        LogFormat::Text => builder.init(),
        // Each span is also written as it closes, with its attributes and how long it took
        // (`time.busy`, `time.idle`): at `info`, one line per GraphQL request.
        LogFormat::Json => builder
            .json()
            .with_current_span(true)
            .with_span_list(true)
            .with_span_events(FmtSpan::CLOSE)
            .init(),
    }
}
