//! Compiled selections (`scam_atlas::compile`) answer exactly as the resolvers do: every
//! example, the benchmark's queries with variables, aliases, fragments and `@skip`/`@include`,
//! and a corpus of generated selections, each run twice on the same schema — compiled, and
//! with `UseResolvers` — and compared as JSON text (keys in order), errors and extensions
//! included. Selections the compiler covers must run in one statement.

use crate::helpers::{Backend, TestApp};
use async_graphql::{Request, Variables};
use scam_atlas::compile::UseResolvers;
use scam_atlas::graphql::AppSchema;
use serde_json::{Value, json};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

both!(
    examples_and_bench_queries_answer_alike,
    generated_selections_answer_alike
);

/// A schema over `app`'s database, and the counter of the statements it runs.
pub(crate) fn schema(app: &mut TestApp) -> (AppSchema, Arc<AtomicUsize>) {
    let counter = Arc::new(AtomicUsize::new(0));
    let seen = counter.clone();
    app.store.db.set_metric_callback(move |_| {
        seen.fetch_add(1, Ordering::SeqCst);
    });
    (
        scam_atlas::graphql::build_schema(app.store.db.clone()),
        counter,
    )
}

/// The response as clients read it: JSON text with its keys in order.
async fn answer(schema: &AppSchema, query: &str, variables: &Value, resolvers: bool) -> String {
    let mut request = Request::new(query).variables(Variables::from_json(variables.clone()));
    if resolvers {
        request = request.data(UseResolvers);
    }
    let response = schema.execute(request).await;
    let value = serde_json::to_value(&response).expect("the response serialises");
    value.to_string()
}

/// Runs `query` both ways, asserts the same answer, and returns it with the statements the
/// compiled run took.
pub(crate) async fn alike(
    schema: &AppSchema,
    counter: &AtomicUsize,
    query: &str,
    variables: &Value,
) -> (Value, usize) {
    let resolved = answer(schema, query, variables, true).await;
    counter.store(0, Ordering::SeqCst);
    let compiled = answer(schema, query, variables, false).await;
    let statements = counter.load(Ordering::SeqCst);
    assert_eq!(
        compiled, resolved,
        "compiled and resolved answers differ for\n{query}\nwith {variables}"
    );
    let parsed: Value = serde_json::from_str(&compiled).expect("JSON");
    (parsed, statements)
}

const DEEP_PAGE: &str = include_str!("../../benches/queries/deep_page.graphql");
const FILTERED: &str = include_str!("../../benches/queries/filtered_cursor.graphql");

/// Covered documents: the benchmark's two pages and the same with aliases, fragments,
/// directives and every connection field.
const COVERED: &[&str] = &[
    DEEP_PAGE,
    FILTERED,
    r#"query A($after: String, $skip: Boolean!, $with: Boolean = true) {
      page: events(first: 7, after: $after) {
        __typename
        info: pageInfo { __typename hasNextPage hasPreviousPage startCursor endCursor }
        edges { __typename cursor node { ...Head ... @include(if: $with) { ...Groups } } }
        nodes { t: title date { __typename end } title @skip(if: $skip) ...Head }
      }
    }
    fragment Head on Event { __typename id key version status summary date { start precision derived } }
    fragment Groups on Event {
      kinds
      people: participants { __typename n: count { version value low high qualifier derived __typename } }
      participants { role nationality { code name __typename } women { value qualifier } }
      location { __typename key name level country { code name } }
      agencies { role agency { key name shortName kind country { code } __typename } }
      deportationFlows { kind status fromCountry { code } toCountry { name } count { value } date { start end precision derived } }
      citations { quote source { key version headline outlet originalOutlet wireAgency byline dateline url reporting note published { start end precision derived __typename } } }
    }"#,
    r#"{ events(last: 3, orderBy: { field: PEOPLE_COUNT, direction: ASC }) {
      pageInfo { hasPreviousPage hasNextPage startCursor } edges { cursor } nodes { id title } } }"#,
    r#"{ events(first: 0) { nodes { id } pageInfo { hasNextPage endCursor } } }"#,
    r#"{ a: events(filter: { kinds: [DEPORTATION] }, first: 4) { nodes { id deportationFlows { kind } } }
         b: events(filter: { search: "scam" }, orderBy: { field: DATE, direction: ASC }) { nodes { title } } }"#,
];

async fn examples_and_bench_queries_answer_alike(backend: Backend) {
    let mut app = TestApp::spawn(backend).await;
    let (schema, counter) = schema(&mut app);
    for (title, document) in scam_atlas::graphql::examples::EXAMPLES {
        let (answer, _) = alike(&schema, &counter, document, &json!({})).await;
        assert!(answer.get("errors").is_none(), "{title}: {answer:#}");
    }
    // A page cursor from the middle of the data, for `$after`.
    let listing = app
        .data("{ events(first: 12) { edges { cursor } } }", json!({}))
        .await;
    let cursor = listing["events"]["edges"][10]["cursor"].clone();
    for document in COVERED {
        for variables in [
            json!({ "skip": false }),
            json!({ "after": cursor, "skip": true, "with": false }),
        ] {
            // Only the variables the document declares (others are refused).
            let variables: serde_json::Map<String, Value> = variables
                .as_object()
                .into_iter()
                .flatten()
                .filter(|(k, _)| document.contains(&format!("${k}")))
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect();
            let variables = Value::Object(variables);
            let (answer, statements) = alike(&schema, &counter, document, &variables).await;
            assert!(answer.get("errors").is_none(), "{document}: {answer:#}");
            let roots = answer["data"].as_object().map_or(0, |d| d.len());
            // A page from the start reads in one statement; one reaching from the dated events
            // into the undated (as the cursor's pages here do) reads those by a second
            // (`service::page::PageQuery`, and `explain`'s walk).
            let most = if variables.get("after").is_some() {
                2 * roots
            } else {
                roots
            };
            assert!(
                (roots..=most).contains(&statements),
                "{statements} statements for {roots} root fields, compiled:\n{document}"
            );
        }
    }
    // Errors are the resolvers' own: a bad cursor, a page too large.
    for (document, variables) in [
        (DEEP_PAGE, json!({ "after": "bm90IGEgY3Vyc29y" })),
        ("{ events(first: 101) { nodes { id } } }", json!({})),
        ("{ events(first: 2, last: 2) { nodes { id } } }", json!({})),
    ] {
        let (answer, _) = alike(&schema, &counter, document, &variables).await;
        assert!(answer.get("errors").is_some(), "{document}: {answer:#}");
    }
}

/// A field of the generator's grammar: name, and the fields under it (empty for a leaf).
struct Spec {
    name: &'static str,
    children: fn() -> Vec<Spec>,
    type_name: &'static str,
}

const fn leaf(name: &'static str) -> Spec {
    Spec {
        name,
        children: Vec::new,
        type_name: "",
    }
}

const fn object(name: &'static str, type_name: &'static str, children: fn() -> Vec<Spec>) -> Spec {
    Spec {
        name,
        children,
        type_name,
    }
}

fn figure() -> Vec<Spec> {
    [
        "version",
        "value",
        "low",
        "high",
        "qualifier",
        "derived",
        "__typename",
    ]
    .into_iter()
    .map(leaf)
    .collect()
}

fn span() -> Vec<Spec> {
    ["start", "end", "precision", "derived", "__typename"]
        .into_iter()
        .map(leaf)
        .collect()
}

fn country() -> Vec<Spec> {
    vec![leaf("code"), leaf("name"), leaf("__typename")]
}

fn event() -> Vec<Spec> {
    vec![
        leaf("id"),
        leaf("key"),
        leaf("version"),
        leaf("title"),
        leaf("summary"),
        leaf("status"),
        leaf("kinds"),
        leaf("__typename"),
        object("date", "DateSpan", span),
        object("location", "Location", || {
            vec![
                leaf("key"),
                leaf("name"),
                leaf("level"),
                object("country", "Country", country),
            ]
        }),
        object("participants", "ParticipantGroup", || {
            vec![
                leaf("role"),
                leaf("status"),
                leaf("__typename"),
                object("nationality", "Country", country),
                object("count", "Figure", figure),
                object("women", "Figure", figure),
            ]
        }),
        object("agencies", "EventAgency", || {
            vec![
                leaf("role"),
                object("agency", "Agency", || {
                    vec![
                        leaf("key"),
                        leaf("name"),
                        leaf("shortName"),
                        leaf("kind"),
                        object("country", "Country", country),
                    ]
                }),
            ]
        }),
        object("deportationFlows", "DeportationFlow", || {
            vec![
                leaf("kind"),
                leaf("status"),
                object("fromCountry", "Country", country),
                object("toCountry", "Country", country),
                object("count", "Figure", figure),
                object("date", "DateSpan", span),
            ]
        }),
        object("citations", "Citation", || {
            vec![
                leaf("quote"),
                object("source", "Source", || {
                    let mut s: Vec<Spec> = [
                        "key",
                        "version",
                        "headline",
                        "outlet",
                        "originalOutlet",
                        "wireAgency",
                        "byline",
                        "dateline",
                        "url",
                        "reporting",
                        "note",
                    ]
                    .into_iter()
                    .map(leaf)
                    .collect();
                    s.push(object("published", "DateSpan", span));
                    s
                }),
            ]
        }),
    ]
}

fn connection() -> Vec<Spec> {
    vec![
        leaf("__typename"),
        object("nodes", "Event", event),
        object("edges", "EventEdge", || {
            vec![
                leaf("cursor"),
                leaf("__typename"),
                object("node", "Event", event),
            ]
        }),
        object("pageInfo", "PageInfo", || {
            [
                "hasNextPage",
                "hasPreviousPage",
                "startCursor",
                "endCursor",
                "__typename",
            ]
            .into_iter()
            .map(leaf)
            .collect()
        }),
    ]
}

/// A random selection set of `specs` on `type_name`: a non-empty subset in random order,
/// some fields aliased, some repeated (their selections merge), some inside inline fragments
/// or behind `@include`/`@skip` (never the first, so that none is left empty).
fn selection(rng: &mut fastrand::Rng, specs: &[Spec], type_name: &str, depth: usize) -> String {
    let mut picked: Vec<&Spec> = specs.iter().filter(|_| rng.u8(..) < 110).collect();
    if picked.is_empty() {
        picked.push(&specs[rng.usize(..specs.len())]);
    }
    rng.shuffle(&mut picked);
    let mut out: Vec<String> = Vec::new();
    for spec in picked {
        let times = if rng.u8(..) < 25 { 2 } else { 1 };
        let alias = (rng.u8(..) < 70).then(|| format!("a{}_{}", rng.u8(..9), spec.name));
        for _ in 0..times {
            let mut field = match &alias {
                Some(a) => format!("{a}: {}", spec.name),
                None => spec.name.to_string(),
            };
            // The first field carries no directive: a selection left empty by them is
            // answered with null, and falls back to the resolvers.
            // Nor does `__typename` (async-graphql's unused-variable rule does not see them).
            let wrap = match rng.u8(..10) {
                2 | 3 if out.is_empty() || spec.name == "__typename" => 9,
                w => w,
            };
            match wrap {
                2 => field.push_str(" @include(if: $yes)"),
                3 => field.push_str(" @skip(if: $yes)"),
                _ => {}
            }
            let children = (spec.children)();
            if !children.is_empty() && depth < 6 {
                field.push_str(&format!(
                    " {{ {} }}",
                    selection(rng, &children, spec.type_name, depth + 1)
                ));
            } else if !children.is_empty() {
                field.push_str(" { __typename }");
            }
            out.push(match wrap {
                0 => format!("... on {type_name} {{ {field} }}"),
                1 => format!("... {{ {field} }}"),
                _ => field,
            });
        }
    }
    out.join(" ")
}

async fn generated_selections_answer_alike(backend: Backend) {
    let mut app = TestApp::spawn(backend).await;
    let (schema, counter) = schema(&mut app);
    let seed = fastrand::u64(..);
    let mut rng = fastrand::Rng::with_seed(seed);
    let arguments = [
        "first: 5",
        "first: 20",
        "last: 6",
        "first: 8, orderBy: { field: PEOPLE_COUNT, direction: DESC }",
        "filter: { kinds: [ARREST, DEPORTATION] }, first: 10",
        "filter: { from: \"2016-01-01\", to: \"2017-12-31\" }",
    ];
    for i in 0..60 {
        let args = arguments[i % arguments.len()];
        let set = selection(&mut rng, &connection(), "EventConnection", 0);
        let (declared, variables) = if set.contains("$yes") {
            ("($yes: Boolean!)", json!({ "yes": rng.bool() }))
        } else {
            ("", json!({}))
        };
        let document = format!("query G{declared} {{ events({args}) {{ {set} }} }}");
        let (answer, statements) = alike(&schema, &counter, &document, &variables).await;
        assert!(
            answer.get("errors").is_none(),
            "seed {seed}: {document}: {answer:#}"
        );
        assert_eq!(
            statements, 1,
            "seed {seed}: compiled in one statement:\n{document}"
        );
    }
}
