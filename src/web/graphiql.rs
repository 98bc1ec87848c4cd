//! GraphiQL's page: the HTML shell, with the example tabs as a JSON data block that the
//! bootstrap script (`graphiql/start.js`) reads. Everything it loads is served by this binary.

use crate::graphql::examples::EXAMPLES;

/// The GraphiQL page, with one tab per example (in the order of `EXAMPLES`).
pub fn graphiql_page() -> String {
    let tabs: Vec<serde_json::Value> = EXAMPLES
        .iter()
        .map(|(_, query)| serde_json::json!({ "query": query.trim_end() }))
        .collect();
    // A data block is not run as script, so the policy's `script-src 'self'` still holds;
    // `</` is escaped so no document can close the element.
    let tabs = serde_json::to_string(&tabs)
        .unwrap_or_else(|_| "[]".into())
        .replace("</", "<\\/");
    format!(
        r#"<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>Scam Atlas — GraphiQL</title>
  <link rel="icon" href="data:,">
  <link rel="stylesheet" href="/graphiql/graphiql.min.css">
  <link rel="stylesheet" href="/graphiql/page.css">
</head>
<body>
  <div id="graphiql">Loading GraphiQL…</div>
  <script id="graphiql-tabs" type="application/json">{tabs}</script>
  <script src="/graphiql/react.production.min.js"></script>
  <script src="/graphiql/react-dom.production.min.js"></script>
  <script src="/graphiql/graphiql.min.js"></script>
  <script src="/graphiql/start.js"></script>
</body>
</html>
"#
    )
}
