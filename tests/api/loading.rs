//! Loading the dataset: twice changes nothing; every kind of malformed record is refused,
//! named, and leaves the database as it was.

use crate::helpers::{Backend, counts, fresh_db};
use scam_atlas::ingest::{self, Dataset, IngestError, LoadOutcome};

both!(
    loading_twice_changes_nothing,
    malformed_records_are_refused_and_nothing_is_written
);

async fn loading_twice_changes_nothing(backend: Backend) {
    let store = fresh_db(backend).await;
    let db = &store.db;
    scam_atlas::db::migrate(db).await.expect("migrations");
    assert!(
        matches!(ingest::seed(db).await.expect("first start"), LoadOutcome::Loaded { events } if events > 20)
    );
    let after_first = counts(db).await;
    // A second start, and an explicit load of the same dataset, write nothing.
    assert_eq!(
        ingest::seed(db).await.expect("second start"),
        LoadOutcome::Unchanged
    );
    assert_eq!(
        ingest::load(db, &Dataset::curated(), false)
            .await
            .expect("load-data"),
        LoadOutcome::Unchanged
    );
    assert_eq!(counts(db).await, after_first);
    // A changed dataset is refused unless replacing is asked for; replacing writes it whole.
    let mut changed = Dataset::curated();
    changed
        .files
        .iter_mut()
        .find(|(n, _)| n == "countries.toml")
        .expect("countries")
        .1
        .push_str("\n# reviewed\n");
    let refused = ingest::load(db, &changed, false)
        .await
        .expect_err("another version is refused");
    assert!(matches!(refused, IngestError::Conflict(_)), "{refused}");
    assert_eq!(counts(db).await, after_first);
    assert!(matches!(
        ingest::load(db, &changed, true).await.expect("replace"),
        LoadOutcome::Loaded { .. }
    ));
    assert_eq!(counts(db).await, after_first);
}

/// The curated dataset with `extra` appended to `file`.
fn with(file: &str, extra: &str) -> Dataset {
    let mut dataset = Dataset::curated();
    dataset
        .files
        .iter_mut()
        .find(|(n, _)| n == file)
        .expect("a data file")
        .1
        .push_str(extra);
    dataset
}

/// A well-formed event to break one thing of; `{}` marks where the broken line goes.
const EVENT: &str = r#"
[[event]]
key = "broken-event"
kinds = ["ARREST"]
title = "t"
summary = "s"
date = { start = 2017-08-02, precision = "DAY" }
places = ["poipet"]
agencies = [{ agency = "kh-police", role = "ARRESTING" }]
{}
[[event.citations]]
source = "st-2017-08-03"
quote = "The police arrested the Chinese nationals in two guesthouses in Poipet city, Banteay Meanchey province, on Wednesday (Aug 2)."
supports = ["kind:ARREST", "date", "place:poipet", "agency:kh-police"]
"#;

fn broken_event(line: &str) -> Dataset {
    with("events.toml", &EVENT.replace("{}", line))
}

async fn malformed_records_are_refused_and_nothing_is_written(backend: Backend) {
    let store = fresh_db(backend).await;
    let db = &store.db;
    scam_atlas::db::migrate(db).await.expect("migrations");
    let empty = counts(db).await;
    let quote = "The police arrested the Chinese nationals in two guesthouses in Poipet city, Banteay Meanchey province, on Wednesday (Aug 2).";
    let cases: Vec<(&str, Dataset, &[&str])> = vec![
        ("the well-formed control", broken_event(""), &[]),
        (
            "a date that ends before it starts",
            broken_event("").clone_with(
                "date = { start = 2017-08-02, precision = \"DAY\" }",
                "date = { start = 2017-08-02, end = 2017-08-01, precision = \"RANGE\" }",
            ),
            &[
                "events.toml",
                "event \"broken-event\"",
                "date",
                "end is before start",
            ],
        ),
        (
            "a MONTH that is not a month",
            broken_event("").clone_with(
                "date = { start = 2017-08-02, precision = \"DAY\" }",
                "date = { start = 2017-08-02, end = 2017-08-31, precision = \"MONTH\" }",
            ),
            &["event \"broken-event\"", "is not one MONTH"],
        ),
        (
            "an impossible calendar date",
            broken_event("").clone_with("start = 2017-08-02", "start = \"2017-02-30\""),
            &["events.toml", "2017-02-30"],
        ),
        (
            "an unknown country",
            broken_event(&format!(
                "[[event.participants]]\nnationality = \"XX\"\nrole = \"SUSPECT\"\nstatus = \"ARRESTED\"\ncount = [{{ value = 1, source = \"st-2017-08-03\", quote = \"{quote}\" }}]\n"
            )),
            &[
                "event \"broken-event\"",
                "participants[0]",
                "unknown country \"XX\"",
            ],
        ),
        (
            "a dangling reference",
            broken_event("").clone_with(
                "agency = \"kh-police\", role",
                "agency = \"no-such-agency\", role",
            ),
            &[
                "event \"broken-event\"",
                "unknown agency \"no-such-agency\"",
            ],
        ),
        (
            "a quote that is not in its article",
            broken_event("").clone_with("on Wednesday (Aug 2).\"", "on Thursday (Aug 3).\""),
            &[
                "event \"broken-event\"",
                "citations[0]",
                "not in the article of source \"st-2017-08-03\"",
            ],
        ),
        (
            "two claims from one source",
            broken_event(&format!(
                "[[event.participants]]\nrole = \"SUSPECT\"\nstatus = \"ARRESTED\"\ncount = [{{ value = 1, source = \"st-2017-08-03\", quote = \"{quote}\" }}, {{ value = 2, source = \"st-2017-08-03\", quote = \"{quote}\" }}]\n"
            )),
            &["participants[0].count[1]", "one claim per source"],
        ),
        (
            "a fact no citation supports",
            broken_event("").clone_with(
                "kinds = [\"ARREST\"]",
                "kinds = [\"ARREST\", \"DEPORTATION\"]",
            ),
            &[
                "event \"broken-event\"",
                "no citation supports kind:DEPORTATION",
            ],
        ),
        (
            "an unknown field",
            broken_event("colour = \"red\""),
            &["events.toml", "colour"],
        ),
        (
            "a duplicate key",
            with(
                "countries.toml",
                "\n[[country]]\ncode = \"KH\"\nname = \"Cambodia again\"\n",
            ),
            &["countries.toml", "country \"KH\"", "twice"],
        ),
        (
            "a place without coordinates",
            with(
                "places.toml",
                "\n[[place]]\nkey = \"nowhere\"\nname = \"Nowhere\"\nlevel = \"CITY\"\nparent = \"KH\"\n",
            ),
            &["places.toml", "place \"nowhere\"", "coordinates: missing"],
        ),
        (
            "coordinates out of range",
            with(
                "places.toml",
                "\n[[place]]\nkey = \"nowhere\"\nname = \"Nowhere\"\nlevel = \"CITY\"\nparent = \"KH\"\ncoordinates = { latitude = 91.0, longitude = 104.9, precision = \"CITY\" }\n",
            ),
            &[
                "place \"nowhere\"",
                "coordinates.latitude: not between -90 and 90",
            ],
        ),
        (
            "coordinates without a precision",
            with(
                "places.toml",
                "\n[[place]]\nkey = \"nowhere\"\nname = \"Nowhere\"\nlevel = \"CITY\"\nparent = \"KH\"\ncoordinates = { latitude = 11.5, longitude = 104.9 }\n",
            ),
            &["place \"nowhere\"", "coordinates.precision: missing"],
        ),
        (
            "a country without a centroid",
            with(
                "countries.toml",
                "\n[[country]]\ncode = \"ZZ\"\nname = \"Nowhere\"\n",
            ),
            &["countries.toml", "country \"ZZ\"", "centroid: missing"],
        ),
        (
            "broken TOML",
            with("places.toml", "\n[[place]\n"),
            &["places.toml", "syntax"],
        ),
    ];
    for (what, dataset, expected) in cases {
        let result = ingest::load(db, &dataset, false).await;
        if expected.is_empty() {
            // The control loads, proving the cases below fail for their one defect; clear it.
            assert!(result.is_ok(), "{what}: {result:?}");
            scam_atlas::db::rollback(db, crate::helpers::migration_count())
                .await
                .expect("down");
            scam_atlas::db::migrate(db).await.expect("up");
            assert_eq!(counts(db).await, empty);
            continue;
        }
        let message = result.expect_err(what).to_string();
        for part in expected {
            assert!(
                message.contains(part),
                "{what}: {message:?} should mention {part:?}"
            );
        }
        assert_eq!(counts(db).await, empty, "{what}: the database changed");
    }
}

trait CloneWith {
    fn clone_with(&self, from: &str, to: &str) -> Dataset;
}

impl CloneWith for Dataset {
    /// A copy with `from` replaced by `to` in the appended broken event (the end of events.toml).
    fn clone_with(&self, from: &str, to: &str) -> Dataset {
        let mut dataset = self.clone();
        let events = &mut dataset
            .files
            .iter_mut()
            .find(|(n, _)| n == "events.toml")
            .expect("events")
            .1;
        let start = events
            .find("key = \"broken-event\"")
            .expect("the broken event");
        let (head, tail) = events.split_at(start);
        assert!(tail.contains(from), "{from:?} is not in the broken event");
        *events = format!("{head}{}", tail.replacen(from, to, 1));
        dataset
    }
}
