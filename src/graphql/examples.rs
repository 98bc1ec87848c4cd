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
