//! The example queries GraphiQL opens with, one tab each; the README shows the same documents
//! and a snapshot test pins each one's full answer on the curated data.

/// `(title, document)` of each example, in the order GraphiQL shows them and the README
/// lists them; every file of `src/graphql/examples/` is here (a test checks).
pub const EXAMPLES: &[(&str, &str)] = &[
    ("Nested events", include_str!("examples/nested.graphql")),
    ("Filters", include_str!("examples/filters.graphql")),
    (
        "Figures and claims",
        include_str!("examples/figures.graphql"),
    ),
    (
        "People by nationality",
        include_str!("examples/totals.graphql"),
    ),
    ("Flow matrix", include_str!("examples/flows.graphql")),
    ("Timeline", include_str!("examples/timeline.graphql")),
];

/// The GraphiQL page, with one tab per example. GraphiQL itself loads from a CDN in the
/// browser; the server only serves this page.
pub fn graphiql_page() -> String {
    let tabs: Vec<serde_json::Value> = EXAMPLES
        .iter()
        .map(|(_, query)| serde_json::json!({ "query": query.trim_end() }))
        .collect();
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
  <style>body {{ margin: 0; height: 100vh; }} #graphiql {{ height: 100vh; }}</style>
  <link rel="stylesheet" href="https://unpkg.com/graphiql@3.8.3/graphiql.min.css">
</head>
<body>
  <div id="graphiql">Loading GraphiQL…</div>
  <script crossorigin src="https://unpkg.com/react@18.3.1/umd/react.production.min.js"></script>
  <script crossorigin src="https://unpkg.com/react-dom@18.3.1/umd/react-dom.production.min.js"></script>
  <script crossorigin src="https://unpkg.com/graphiql@3.8.3/graphiql.min.js"></script>
  <script>
    const fetcher = GraphiQL.createFetcher({{ url: '/graphql' }});
    const root = ReactDOM.createRoot(document.getElementById('graphiql'));
    root.render(React.createElement(GraphiQL, {{
      fetcher,
      defaultTabs: {tabs},
      defaultEditorToolsVisibility: true,
    }}));
  </script>
</body>
</html>
"#
    )
}
