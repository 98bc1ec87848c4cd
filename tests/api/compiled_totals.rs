//! Totals written as JSON (`scam_atlas::compile::totals`) answer exactly as the resolvers do:
//! `participantTotals` and `flowTotals` by every dimension alone, in pairs and all together,
//! with every covered field, aliases, fragments and `__typename`, and with fields the compiler
//! leaves to the resolvers, each run both ways on the rule fixtures and compared as JSON text.

use crate::compiled::{alike, schema};
use crate::helpers::{Backend, TestApp};
use serde_json::json;

both!(totals_answer_alike);

const PEOPLE_DIMS: &[&str] = &[
    "NATIONALITY",
    "ROLE",
    "STATUS",
    "EVENT_KIND",
    "COUNTRY",
    "PROVINCE",
    "YEAR",
    "MONTH",
];
const FLOW_DIMS: &[&str] = &[
    "FROM_COUNTRY",
    "TO_COUNTRY",
    "NATIONALITY",
    "KIND",
    "STATUS",
    "YEAR",
    "MONTH",
];

const PEOPLE: &str = "__typename nationality { id code name __typename } role status eventKind \
    country { code } year month total { value low high qualifier derived version __typename } \
    women { value qualifier derived } eventCount";
const FLOWS: &str = "__typename fromCountry { code name } toCountry { id code __typename } \
    nationality { name } kind status year month total { value low high qualifier derived } \
    flowCount uncountedFlowCount";

/// Every dimension alone, each with the next, and all of them.
fn groupings(dims: &[&str]) -> Vec<String> {
    let mut out: Vec<String> = vec![String::new(), dims.join(", ")];
    for (i, d) in dims.iter().enumerate() {
        out.push((*d).to_string());
        out.push(format!("{d}, {}", dims[(i + 1) % dims.len()]));
    }
    out
}

async fn totals_answer_alike(backend: Backend) {
    let mut app = TestApp::fixture(backend, "rules").await;
    let (schema, counter) = schema(&mut app);
    let mut documents = Vec::new();
    for group in groupings(PEOPLE_DIMS) {
        documents.push(format!(
            "{{ participantTotals(groupBy: [{group}]) {{ {PEOPLE} }} }}"
        ));
    }
    for group in groupings(FLOW_DIMS) {
        documents.push(format!(
            "{{ flowTotals(groupBy: [{group}]) {{ {FLOWS} }} }}"
        ));
    }
    documents.extend(
        [
            // Filters, aliases, fragments and merged keys.
            r#"{ t: participantTotals(filter: { kinds: [ARREST] }, groupBy: [NATIONALITY, YEAR]) {
                 n: nationality { c: code } ...P total { value } total { high } } }
               fragment P on ParticipantTotal { total { low qualifier } y: year }"#,
            r#"{ flowTotals(filter: { status: COMPLETED }, groupBy: [FROM_COUNTRY, TO_COUNTRY]) {
                 ... on FlowTotal { fromCountry { code } } total { value } } }"#,
            // Fields the compiler leaves to the resolvers: the whole field resolves.
            "{ participantTotals(groupBy: [PROVINCE]) { province { name } total { value } } }",
            "{ participantTotals(groupBy: [NATIONALITY]) { nationality { code } events(first: 2) { nodes { title } } } }",
            "{ flowTotals(groupBy: [TO_COUNTRY]) { toCountry { code } flows(first: 2) { nodes { kind } } uncountedFlows { kind } } }",
            "{ flowTotals(groupBy: [FROM_COUNTRY]) { total { value claims { quote } } } }",
            // Errors are the resolvers' own.
            "{ participantTotals(groupBy: [YEAR, YEAR]) { year } }",
        ]
        .map(String::from),
    );
    let mut rows = 0;
    for document in &documents {
        let (answer, _) = alike(&schema, &counter, document, &json!({})).await;
        let data = &answer["data"];
        if let Some(root) = data.as_object().and_then(|d| d.values().next()) {
            rows += root.as_array().map_or(0, Vec::len);
        }
    }
    // The fixture gives the totals something to say.
    assert!(rows > 100, "{rows} rows in all");
}
