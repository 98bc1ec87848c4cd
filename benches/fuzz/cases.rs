//! Every reproduction in issue 9 as a regression case, numbered by its defect: each must be
//! answered within the deadline, without a fault, and as the spec or the issue says (refused
//! with a code, or answered; never INTERNAL, never the input echoed back at length).
//! Longer than most files: most of it is the list of cases, one a few lines, kept in one
//! place so the issue can be read beside it.

use super::check::{Expect, Sent};
use super::client::{HttpClient, Req};
use super::record::Recorder;
use super::server::Supervisor;
use super::values::{Pools, forged_cursor};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde_json::{Value, json};
use std::time::Duration;

/// One regression case.
pub struct Case {
    pub name: String,
    pub req: Req,
    pub expect: Expect,
    /// Longest acceptable response, in bytes.
    pub max_body: usize,
}

const KB: usize = 1 << 10;

fn case(name: &str, query: &str, variables: Value, expect: Expect, max_body: usize) -> Case {
    Case {
        name: name.to_string(),
        req: Req::graphql(&json!({ "query": query, "variables": variables })),
        expect,
        max_body,
    }
}

fn words(n: usize) -> String {
    "a ".repeat(n)
}

/// `k` levels of fragments, each spreading the one below `fan` times, over `{ __typename }`.
fn fragments(k: usize, fan: usize) -> String {
    let mut doc = "{ ...F".to_string() + &k.to_string() + " }\nfragment F0 on Query { __typename }";
    for i in 1..=k {
        let spreads = vec![format!("...F{}", i - 1); fan].join(" ");
        doc.push_str(&format!("\nfragment F{i} on Query {{ {spreads} }}"));
    }
    doc
}

/// `n` aliases of `field`.
fn aliased(n: usize, field: &str) -> String {
    let items: Vec<String> = (0..n).map(|i| format!("a{i}: {field}")).collect();
    items.join(" ")
}

/// The cases, with real cursors and IDs from `pools` where a case needs one.
pub fn cases(pools: &Pools, max_body: usize) -> Vec<Case> {
    use Expect::*;
    let search = "query($s: String) { events(filter: { search: $s }) { totalCount } }";
    let mb = |n: f64| "A".repeat((n * (1 << 20) as f64) as usize);
    let real_cursor = pools.cursors.first().cloned().unwrap_or_default();
    let mut rng = fastrand::Rng::with_seed(9);
    let mut out = vec![
        // 1: a search long enough to overflow the stack, or SQLite's expression and LIKE limits.
        case(
            "1 15,000-word search",
            search,
            json!({ "s": words(15_000) }),
            NoFault,
            max_body,
        ),
        case(
            "1 15,000-word search of people",
            "query($s: String) { people(filter: { search: $s }) { totalCount } }",
            json!({ "s": words(15_000) }),
            NoFault,
            max_body,
        ),
        case(
            "1 a 60,000-character search word",
            search,
            json!({ "s": "b".repeat(60_000) }),
            NoFault,
            max_body,
        ),
        case(
            "1 a 60,000-character agency search",
            "query($s: String) { agencies(filter: { search: $s }) { totalCount } }",
            json!({ "s": "b".repeat(60_000) }),
            NoFault,
            max_body,
        ),
        // 2: fragments that double (or triple) at every level.
        case(
            "2 fragments doubling, k=21",
            &fragments(21, 2),
            json!({}),
            Error,
            64 * KB,
        ),
        case(
            "2 fragments doubling, k=30",
            &fragments(30, 2),
            json!({}),
            Error,
            64 * KB,
        ),
        case(
            "2 fragments three ways, k=20",
            &fragments(20, 3),
            json!({}),
            Error,
            64 * KB,
        ),
        // Found by this suite (not in the issue): a fragment cycle, which validation must
        // refuse, overflowed the stack of the walk that counts fragments.
        case(
            "2 a fragment that spreads itself",
            "{ __typename ...F } fragment F on Query { ...F }",
            json!({}),
            Error,
            64 * KB,
        ),
        case(
            "2 two fragments that spread each other",
            "{ ...F } fragment F on Query { __typename ...G } fragment G on Query { ...F }",
            json!({}),
            Error,
            64 * KB,
        ),
        // 3: input echoed into errors, multiplied by aliases.
        case(
            "3 1 MB cursor × 400 aliases",
            &format!(
                "query($c: String) {{ {} }}",
                aliased(400, "events(after: $c) { totalCount }")
            ),
            json!({ "c": mb(1.0) }),
            Error,
            64 * KB,
        ),
        case(
            "3 1.9 MB cursor × 1,000 aliases",
            &format!(
                "query($c: String) {{ {} }}",
                aliased(1000, "events(after: $c) { totalCount }")
            ),
            json!({ "c": mb(1.9) }),
            Error,
            64 * KB,
        ),
        case(
            "3 1 MB cursor × 100 aliases",
            &format!(
                "query($c: String) {{ {} }}",
                aliased(100, "events(after: $c) { totalCount }")
            ),
            json!({ "c": mb(1.0) }),
            Error,
            256 * KB,
        ),
        case(
            "3 1 MB ID",
            "query($id: ID!) { node(id: $id) { id } }",
            json!({ "id": mb(1.0) }),
            Error,
            64 * KB,
        ),
        case(
            "3 1 MB country",
            "query($c: String!) { country(code: $c) { name } }",
            json!({ "c": mb(1.0) }),
            NoFault,
            64 * KB,
        ),
        case(
            "3 1 MB date",
            "query($d: Date) { events(filter: { from: $d }) { totalCount } }",
            json!({ "d": mb(1.0) }),
            Error,
            64 * KB,
        ),
        // 4: searches slow enough to need a deadline.
        case(
            "4 900-word search",
            search,
            json!({ "s": words(900) }),
            NoFault,
            max_body,
        ),
        case(
            "4 5,000-word search",
            search,
            json!({ "s": words(5_000) }),
            NoFault,
            max_body,
        ),
        case(
            "4 16 aliased 900-word searches",
            &format!(
                "query($s: String) {{ {} }}",
                aliased(16, "events(filter: { search: $s }) { totalCount }")
            ),
            json!({ "s": words(900) }),
            NoFault,
            max_body,
        ),
        // 5: lists whose sizes the complexity did not multiply through.
        case(
            "5 totals × events(first: 100)",
            "{ participantTotals(groupBy: [YEAR, MONTH, NATIONALITY]) { events(first: 100) { nodes { title summary places { name parent { name } } participants { role status count { value } } } } } }",
            json!({}),
            NoFault,
            max_body,
        ),
        case(
            "5 countries × events(first: 100) × citations",
            "{ countries { events(first: 100) { nodes { title citations { quote source { title } } } } } }",
            json!({}),
            NoFault,
            max_body,
        ),
        // 8: client mistakes reported as INTERNAL.
        case(
            "8 NUL in a search",
            search,
            json!({ "s": "a\u{0}b" }),
            NoFault,
            max_body,
        ),
        case(
            "8 NUL in a people search",
            "{ people(filter: { search: \"x\\u0000y\" }) { totalCount } }",
            json!({}),
            NoFault,
            max_body,
        ),
        case(
            "8 NUL in a country code",
            "{ country(code: \"K\\u0000\") { name } }",
            json!({}),
            NoFault,
            max_body,
        ),
        case(
            "8 NUL in an ID",
            "query($id: ID!) { node(id: $id) { id } }",
            json!({ "id": URL_SAFE_NO_PAD.encode("Event:1\u{0}") }),
            Error,
            max_body,
        ),
        case(
            "8 coercion: a number for a Date",
            "{ events(filter: { from: 20250101 }) { totalCount } }",
            json!({}),
            Error,
            max_body,
        ),
        case(
            "8 coercion: a list for an input object",
            "{ events(orderBy: [{ field: DATE }]) { totalCount } }",
            json!({}),
            Error,
            max_body,
        ),
        case(
            "8 an undefined variable",
            "{ events(first: $n) { totalCount } }",
            json!({}),
            Error,
            max_body,
        ),
        // 9: required variables.
        case(
            "9 a required Boolean! variable missing",
            "query($v: Boolean!) { countries @include(if: $v) { code } }",
            json!({}),
            Error,
            max_body,
        ),
        case(
            "9 a required Int! variable given null",
            "query($n: Int!) { events(first: $n) { totalCount } }",
            json!({ "n": null }),
            Error,
            max_body,
        ),
        // 10: small ones.
        case(
            "10 mutation on a schema without mutations",
            "mutation { x }",
            json!({}),
            Error,
            max_body,
        ),
        case(
            "10 people search with \\",
            "{ people(filter: { search: \"\\\\\" }) { totalCount } }",
            json!({}),
            NoFault,
            max_body,
        ),
    ];
    for (i, key) in [
        "{\"Int\":20250101}",
        "{\"Text\":\"2025-01-01\"}",
        "\"Null\"",
        "{\"Date\":\"+99999-01-01\"}",
    ]
    .iter()
    .enumerate()
    {
        let cursor = match URL_SAFE_NO_PAD
            .decode(&real_cursor)
            .ok()
            .and_then(|b| serde_json::from_slice::<Value>(&b).ok())
        {
            Some(mut data) => {
                data["key"] = serde_json::from_str(key).unwrap_or(Value::Null);
                URL_SAFE_NO_PAD.encode(data.to_string())
            }
            None => forged_cursor(&mut rng, &real_cursor),
        };
        let expect = if i == 2 { NoFault } else { Error };
        out.push(case(
            &format!("8 a cursor whose key is {key}"),
            "query($c: String) { events(after: $c) { totalCount } }",
            json!({ "c": cursor }),
            expect,
            max_body,
        ));
    }
    for date in ["2025-1-1", " 2025-01-01", "+99999-01-01", "0000-01-01"] {
        out.push(case(
            &format!("10 the Date {date:?}"),
            "query($d: Date) { events(filter: { from: $d }) { totalCount } }",
            json!({ "d": date }),
            Error,
            max_body,
        ));
        let literal = format!(
            "{{ events(filter: {{ to: {} }}) {{ totalCount }} }}",
            Value::from(date)
        );
        out.push(case(
            &format!("10 the Date literal {date:?}"),
            &literal,
            json!({}),
            Error,
            max_body,
        ));
    }
    let oversized = json!({ "query": "{ __typename }", "variables": { "x": mb(3.0) } });
    let mut big = Req::graphql(&oversized);
    big.path = "/graphql".into();
    out.push(Case {
        name: "10 a 3 MB body gets 413".into(),
        req: big,
        expect: Status(413),
        max_body,
    });
    let mut put = Req::graphql(&json!({ "query": "{ __typename }" }));
    put.method = "PUT";
    out.push(Case {
        name: "10 PUT /graphql gets 405".into(),
        req: put,
        expect: Status(405),
        max_body,
    });
    let mut delete = Req::get("/graphql");
    delete.method = "DELETE";
    out.push(Case {
        name: "10 DELETE /graphql gets 405".into(),
        req: delete,
        expect: Status(405),
        max_body,
    });
    out.push(Case {
        name: "10 GET /graphql/nope gets 404".into(),
        req: Req::get("/graphql/nope"),
        expect: Status(404),
        max_body,
    });
    out.push(Case {
        name: "10 GET with a mutation gets 405".into(),
        req: Req::get("/graphql?query=mutation%20%7B%20x%20%7D"),
        expect: Status(405),
        max_body,
    });
    out
}

/// Runs every case in order, then the two that compare answers or outlast a client.
pub async fn run(
    recorder: &Recorder,
    server: &Supervisor,
    client: &HttpClient,
    pools: &Pools,
    max_body: usize,
) {
    for case in cases(pools, max_body) {
        let repro = format!("{}: {}", case.name, case.req.repro());
        let _guard = recorder.start(&repro);
        let outcome = server.send(client, &case.req, recorder.deadline).await;
        let sent = Sent {
            category: "case",
            name: &case.name,
            repro: &repro,
            expect: case.expect,
            json: case.req.path.starts_with("/graphql"),
            allow_503: false,
            max_body: case.max_body,
        };
        recorder.check(&sent, outcome);
    }
    wildcards(recorder, server, client).await;
    abandoned(recorder, server, client).await;
}

async fn total(
    recorder: &Recorder,
    server: &Supervisor,
    client: &HttpClient,
    name: &str,
    search: Option<&str>,
) -> Option<i64> {
    let query = "query($s: String) { people(filter: { search: $s }) { totalCount } }";
    let body = json!({ "query": query, "variables": { "s": search } });
    let req = Req::graphql(&body);
    let repro = format!("{name}: {}", req.repro());
    let outcome = server.send(client, &req, recorder.deadline).await;
    let count = match &outcome {
        Ok(reply) => serde_json::from_slice::<Value>(&reply.body)
            .ok()
            .and_then(|v| v.pointer("/data/people/totalCount").and_then(Value::as_i64)),
        Err(_) => None,
    };
    let sent = Sent {
        category: "case",
        name,
        repro: &repro,
        expect: Expect::Data,
        json: true,
        allow_503: false,
        max_body: 1 << 20,
    };
    recorder.check(&sent, outcome);
    count
}

/// 10: `%` and `_` in a people search are characters to find, not wildcards.
async fn wildcards(recorder: &Recorder, server: &Supervisor, client: &HttpClient) {
    let Some(all) = total(recorder, server, client, "10 every person", None).await else {
        return;
    };
    for w in ["%", "_", "%%", "_%_"] {
        let name = format!("10 people search for {w:?}");
        if let Some(n) = total(recorder, server, client, &name, Some(w)).await
            && all > 1
            && n == all
        {
            recorder.finding(
                &format!("case {name}: matches every person ({n}), as if a wildcard"),
                &format!("{{ people(filter: {{ search: {w:?} }}) {{ totalCount }} }}"),
            );
        }
    }
}

/// 4: searches whose clients hang up after 3 s must not hold the pool: a cheap query still
/// answers, without INTERNAL, right after.
async fn abandoned(recorder: &Recorder, server: &Supervisor, client: &HttpClient) {
    let query = format!(
        "query($s: String) {{ {} }}",
        aliased(16, "events(filter: { search: $s }) { totalCount }")
    );
    let body = json!({ "query": query, "variables": { "s": words(900) } }).to_string();
    let request = format!(
        "POST /graphql HTTP/1.1\r\nHost: fuzz\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    );
    let hang_ups: Vec<_> = (0..4)
        .map(|_| {
            let (addr, request) = (server.addr(), request.clone());
            tokio::spawn(async move {
                let _ = super::client::raw(
                    &addr,
                    request.as_bytes(),
                    usize::MAX,
                    Duration::ZERO,
                    Duration::from_secs(3),
                )
                .await;
            })
        })
        .collect();
    for h in hang_ups {
        let _ = h.await;
    }
    recorder.abandon("4 clients hung up after 3 s on 16 aliased 900-word searches");
    for i in 0..5 {
        let name = format!("4 a cheap query after abandoned searches ({i})");
        let req = Req::graphql(&json!({ "query": "{ events(first: 1) { totalCount } }" }));
        let repro = format!("{name}: after 4 clients hung up on 16 aliased 900-word searches");
        let outcome = server.send(client, &req, recorder.deadline).await;
        let sent = Sent {
            category: "case",
            name: &name,
            repro: &repro,
            expect: Expect::Data,
            json: true,
            allow_503: false,
            max_body: 1 << 20,
        };
        recorder.check(&sent, outcome);
    }
}
