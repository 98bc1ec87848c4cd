//! The limits, each refused with its code, on the real schema (no database needed).

use super::*;

/// The code of the first error the schema (without a database) gives `query`.
async fn code(query: &str, variables: serde_json::Value) -> Option<String> {
    let schema = crate::graphql::schema_builder().finish();
    let request = async_graphql::Request::new(query).variables(Variables::from_json(variables));
    let response = schema.execute(request).await;
    let error = response.errors.first()?;
    match error.extensions.as_ref()?.get("code")? {
        Value::String(code) => Some(code.clone()),
        _ => None,
    }
}

/// `k` levels of fragments, each spreading the one below `width` times.
fn fragments(k: usize, width: usize) -> String {
    let mut document = String::from("query { ...F0 }\nfragment F0 on Query { __typename }\n");
    for i in 1..=k {
        let spreads = vec![format!("...F{}", i - 1); width].join(" ");
        document.push_str(&format!("fragment F{i} on Query {{ {spreads} }}\n"));
    }
    document.replace("query { ...F0 }", &format!("query {{ ...F{k} }}"))
}

#[tokio::test]
async fn fragment_explosions_stop_at_the_budget_quickly() {
    for (k, width) in [(30, 2), (20, 3), (64, 2)] {
        let started = std::time::Instant::now();
        assert_eq!(
            code(&fragments(k, width), serde_json::json!({}))
                .await
                .as_deref(),
            Some("QUERY_TOO_LARGE"),
            "k={k} width={width}"
        );
        // Not a timing test: a sanity bound far above the few milliseconds it takes, far
        // below the 2^30 expansions it would take without the budget.
        assert!(started.elapsed() < std::time::Duration::from_secs(5));
    }
    // A few levels stay well within the budget.
    assert_eq!(code(&fragments(4, 2), serde_json::json!({})).await, None);
}

#[tokio::test]
async fn fragments_that_spread_themselves_are_refused_not_followed() {
    for document in [
        "{ __typename ...F } fragment F on Query { ...F }",
        "{ ...A } fragment A on Query { ...B } fragment B on Query { __typename ...A }",
    ] {
        // Refused by async-graphql's parse-time nesting guard or by validation.
        let code = code(document, serde_json::json!({})).await;
        assert!(
            matches!(
                code.as_deref(),
                Some("QUERY_TOO_DEEP" | "GRAPHQL_VALIDATION_FAILED")
            ),
            "{document}: {code:?}"
        );
    }
}

#[test]
fn the_scan_bounds_tokens_and_nesting_and_skips_strings() {
    assert_eq!(scan("{ a }"), Ok(()));
    let deep = format!(
        "{}{}",
        "[".repeat(MAX_NESTING + 1),
        "]".repeat(MAX_NESTING + 1)
    );
    assert_eq!(scan(&deep), Err(Exceeded::Nesting { limit: MAX_NESTING }));
    let many = "a ".repeat(MAX_TOKENS + 1);
    assert_eq!(scan(&many), Err(Exceeded::Tokens { limit: MAX_TOKENS }));
    // Brackets and words inside strings and comments are not structure.
    let quoted = format!(
        "{{ a(s: \"{}\") }} # {}",
        "[ ".repeat(10_000),
        "{".repeat(100)
    );
    assert_eq!(scan(&quoted), Ok(()));
    assert_eq!(scan(r#"{ a(s: "\"[[[[") }"#), Ok(()));
}

#[tokio::test]
async fn aliases_depth_cost_and_required_variables_have_their_codes() {
    let aliases: String = (0..=MAX_ALIASES)
        .map(|i| format!("a{i}: __typename "))
        .collect();
    assert_eq!(
        code(&format!("{{ {aliases} }}"), serde_json::json!({}))
            .await
            .as_deref(),
        Some("TOO_MANY_ALIASES")
    );
    let deep = (0..MAX_DEPTH).fold("name".to_string(), |d, _| format!("parent {{ {d} }}"));
    assert_eq!(
        code(
            &format!("{{ locations {{ nodes {{ {deep} }} }} }}"),
            serde_json::json!({})
        )
        .await
        .as_deref(),
        Some("QUERY_TOO_DEEP")
    );
    // Lists multiply too: 50 rows × 100 events × 5 places × 5 groups.
    let wide = "{ participantTotals(groupBy: [YEAR]) { events(first: 100) { nodes { \
                title places { name parent { name } } participants { role status } } } } }";
    assert_eq!(
        code(wide, serde_json::json!({})).await.as_deref(),
        Some("QUERY_TOO_COMPLEX")
    );
    // Page sizes given as variables count as given.
    let paged = "query($n: Int) { agencies(first: $n) { nodes { events(first: $n) { nodes { \
                 agencies { agency { events(first: $n) { nodes { title } } } } } } } } }";
    assert_eq!(
        code(paged, serde_json::json!({ "n": 100 }))
            .await
            .as_deref(),
        Some("QUERY_TOO_COMPLEX")
    );
    let required = "query($v: Boolean!) { countries @include(if: $v) { code } }";
    assert_eq!(
        code(required, serde_json::json!({})).await.as_deref(),
        Some("BAD_USER_INPUT")
    );
    assert_eq!(
        code(required, serde_json::json!({ "v": null }))
            .await
            .as_deref(),
        Some("BAD_USER_INPUT")
    );
}
