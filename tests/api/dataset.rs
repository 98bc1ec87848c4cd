//! The curated dataset: its quotes are verbatim, it holds together, and one query shows an
//! event two articles report as one event with both articles' claims.

use crate::helpers::{Backend, TestApp, count, is_postgres};
use sea_orm::{ConnectionTrait, Statement};
use serde_json::{Value, json};
use std::collections::HashMap;
use std::io::Write;
use std::path::Path;

fn data_dir() -> &'static Path {
    Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/data"))
}

/// Every `(source key, quote, where)` in the data files, found wherever a table has both.
fn quotes() -> Vec<(String, String, String)> {
    fn walk(value: &toml::Value, at: &str, out: &mut Vec<(String, String, String)>) {
        match value {
            toml::Value::Table(t) => {
                if let (Some(toml::Value::String(s)), Some(toml::Value::String(q))) =
                    (t.get("source"), t.get("quote"))
                {
                    out.push((s.clone(), q.clone(), at.to_string()));
                }
                for (k, v) in t {
                    walk(v, &format!("{at}.{k}"), out);
                }
            }
            toml::Value::Array(items) => {
                for (i, v) in items.iter().enumerate() {
                    walk(v, &format!("{at}[{i}]"), out);
                }
            }
            _ => {}
        }
    }
    let mut out = Vec::new();
    for entry in std::fs::read_dir(data_dir()).expect("data/ exists") {
        let path = entry.expect("an entry").path();
        if path.extension().is_some_and(|e| e == "toml") {
            let value: toml::Value =
                toml::from_str(&std::fs::read_to_string(&path).expect("readable")).expect("TOML");
            walk(
                &value,
                &path.file_name().unwrap_or_default().to_string_lossy(),
                &mut out,
            );
        }
    }
    out
}

/// Source key → article file name, from `sources.toml`.
fn articles() -> HashMap<String, String> {
    let text = std::fs::read_to_string(data_dir().join("sources.toml")).expect("sources.toml");
    let value: toml::Value = toml::from_str(&text).expect("TOML");
    value["source"]
        .as_array()
        .expect("[[source]]")
        .iter()
        .map(|s| {
            (
                s["key"].as_str().unwrap_or_default().to_string(),
                s["article"].as_str().unwrap_or_default().to_string(),
            )
        })
        .collect()
}

/// `../shared/seeds/`, the articles as they were collected; None (said once) when absent,
/// unless `REQUIRE_SEEDS` is set (CI sets it), when its absence fails the test.
fn seeds_dir() -> Option<&'static Path> {
    let dir = Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/seeds"));
    if dir.is_dir() {
        return Some(dir);
    }
    assert!(
        std::env::var_os("REQUIRE_SEEDS").is_none(),
        "the seed articles are not at {} (REQUIRE_SEEDS is set)",
        dir.display()
    );
    let _ = writeln!(
        std::io::stderr(),
        "note: {} is absent: quotes were checked against data/articles/ only, not against the seeds",
        dir.display()
    );
    None
}

#[test]
fn every_quote_occurs_verbatim_in_its_article() {
    let articles = articles();
    let quotes = quotes();
    assert!(quotes.len() > 100, "found only {} quotes", quotes.len());
    let mut dirs = vec![data_dir().join("articles")];
    dirs.extend(seeds_dir().map(Path::to_path_buf));
    for dir in dirs {
        let mut missing = Vec::new();
        for (source, quote, at) in &quotes {
            let file = articles
                .get(source)
                .unwrap_or_else(|| panic!("{at}: unknown source {source}"));
            let text = std::fs::read_to_string(dir.join(file))
                .unwrap_or_else(|e| panic!("{}: {e}", dir.join(file).display()));
            if !text.contains(quote.as_str()) {
                missing.push(format!("{at}: {quote:?} is not in {file}"));
            }
        }
        assert!(
            missing.is_empty(),
            "quotes not verbatim in {}:\n{}",
            dir.display(),
            missing.join("\n")
        );
    }
}

#[test]
fn the_bundled_articles_are_the_seeds() {
    let Some(seeds) = seeds_dir() else { return };
    for file in articles().values() {
        let bundled =
            std::fs::read(data_dir().join("articles").join(file)).expect("bundled article");
        let seed = std::fs::read(seeds.join(file)).expect("seed article");
        assert!(
            bundled == seed,
            "data/articles/{file} differs from shared/seeds/{file}"
        );
    }
}

both!(
    references_hold_together,
    two_reports_of_one_raid_are_one_event_with_both_claims
);

async fn references_hold_together(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let db = app.db();
    if !is_postgres(db) {
        // PostgreSQL enforces foreign keys on every write; SQLite is asked to check them all.
        let rows = db
            .query_all_raw(Statement::from_string(
                db.get_database_backend(),
                "PRAGMA foreign_key_check",
            ))
            .await
            .expect("runs");
        assert!(rows.is_empty(), "{} foreign-key violations", rows.len());
    }
    // Things no foreign key can say: every event cites a source, every figure has a claim,
    // every figure belongs to something.
    let orphans = [
        ("events without a citation", "SELECT COUNT(*) AS n FROM event e WHERE NOT EXISTS (SELECT 1 FROM citation c WHERE c.event_id = e.id)"),
        ("events without a kind", "SELECT COUNT(*) AS n FROM event e WHERE NOT EXISTS (SELECT 1 FROM event_kind k WHERE k.event_id = e.id)"),
        ("figures without a claim", "SELECT COUNT(*) AS n FROM figure f WHERE NOT EXISTS (SELECT 1 FROM claim c WHERE c.figure_id = f.id)"),
        (
            "figures nothing refers to",
            "SELECT COUNT(*) AS n FROM figure f WHERE f.id NOT IN (
                SELECT count_figure_id FROM participant_group UNION SELECT women_figure_id FROM participant_group WHERE women_figure_id IS NOT NULL
                UNION SELECT count_figure_id FROM deportation_flow WHERE count_figure_id IS NOT NULL
                UNION SELECT count_figure_id FROM flow_nationality UNION SELECT quantity_figure_id FROM seizure
                UNION SELECT amount_figure_id FROM money_figure UNION SELECT figure_id FROM statistic
                UNION SELECT total_figure_id FROM event WHERE total_figure_id IS NOT NULL)",
        ),
        ("places outside the closure", "SELECT COUNT(*) AS n FROM location l WHERE NOT EXISTS (SELECT 1 FROM location_closure c WHERE c.descendant_id = l.id AND c.depth = 0)"),
    ];
    for (what, sql) in orphans {
        let row = db
            .query_one_raw(Statement::from_string(db.get_database_backend(), sql))
            .await
            .expect("runs")
            .expect("a row");
        assert_eq!(row.try_get::<i64>("", "n").expect("a count"), 0, "{what}");
    }
    assert!(count(db, "event").await >= 20);
    assert!(count(db, "statistic").await >= 5);
}

const TWO_AUGUST: &str = r#"
query {
  events(first: 100) {
    nodes {
      key title
      date { start end precision derived }
      kinds
      places { key level parent { key } }
      participants {
        nationality { code }
        role status
        count { value low high qualifier claims { value qualifier quote source { key outlet } } }
        women { value claims { value source { key } } }
      }
      citations { quote source { key } supports { fact kind } }
    }
  }
}"#;

async fn two_reports_of_one_raid_are_one_event_with_both_claims(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let data = app.data(TWO_AUGUST, json!({})).await;
    let on_2_august: Vec<&Value> = data["events"]["nodes"]
        .as_array()
        .expect("nodes")
        .iter()
        .filter(|e| e["date"]["start"] == "2017-08-02" && e["date"]["end"] == "2017-08-02")
        .collect();
    assert_eq!(
        on_2_august.len(),
        1,
        "one event on 2 August 2017: {on_2_august:#?}"
    );
    let event = on_2_august[0];
    assert_eq!(event["date"]["precision"], "DAY");

    // Both articles are cited for it.
    let cited: Vec<&str> = event["citations"]
        .as_array()
        .expect("citations")
        .iter()
        .filter_map(|c| c["source"]["key"].as_str())
        .collect();
    assert!(
        cited.contains(&"st-2017-08-03") && cited.contains(&"reuters-2017-08-17"),
        "{cited:?}"
    );

    // Chinese arrested: 200 per The Straits Times, 151 per Reuters; the server stands behind 151.
    let chinese = event["participants"]
        .as_array()
        .expect("groups")
        .iter()
        .find(|g| g["nationality"]["code"] == "CN")
        .expect("a CN group");
    let mut claims: Vec<(f64, &str)> = chinese["count"]["claims"]
        .as_array()
        .expect("claims")
        .iter()
        .map(|c| {
            (
                c["value"].as_f64().expect("a value"),
                c["source"]["key"].as_str().expect("a key"),
            )
        })
        .collect();
    claims.sort_by(|a, b| a.0.total_cmp(&b.0));
    assert_eq!(
        claims,
        vec![(151.0, "reuters-2017-08-17"), (200.0, "st-2017-08-03")]
    );
    assert_eq!(chinese["count"]["value"], 151);
    assert_eq!(chinese["count"]["low"], 151);
    assert_eq!(chinese["count"]["high"], 200);
    assert_eq!(chinese["count"]["qualifier"], "EXACT");
    assert_eq!(chinese["women"]["value"], 32);
    assert_eq!(
        chinese["women"]["claims"][0]["source"]["key"],
        "st-2017-08-03"
    );

    // Three Taiwanese, from Reuters only.
    let taiwanese = event["participants"]
        .as_array()
        .expect("groups")
        .iter()
        .find(|g| g["nationality"]["code"] == "TW")
        .expect("a TW group");
    assert_eq!(taiwanese["count"]["value"], 3);
    assert_eq!(
        taiwanese["count"]["claims"].as_array().map(Vec::len),
        Some(1)
    );

    // Poipet (named by one article) lies in Banteay Meanchey (named by the other).
    let poipet = event["places"]
        .as_array()
        .expect("places")
        .iter()
        .find(|p| p["key"] == "poipet")
        .expect("Poipet");
    assert_eq!(poipet["parent"]["key"], "banteay-meanchey");
}

both!(the_rules_fixture_loads);

/// The fixture rule tests run on loads whole: the loader checks its quotes as it does the
/// curated data's, so a broken fixture fails here first, with the loader's message.
async fn the_rules_fixture_loads(backend: Backend) {
    let app = TestApp::fixture(backend, "rules").await;
    assert_eq!(count(app.db(), "event").await, 14);
    assert_eq!(count(app.db(), "statistic").await, 2);
    assert_eq!(count(app.db(), "deportation_flow").await, 5);
}
