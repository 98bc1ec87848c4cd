//! Importing a partner's dataset (files in the `data/` format, its events in `events.toml` or
//! as NDJSON in `events.ndjson`) into a database that holds data: its new sources (with their
//! articles), people, events and statistics, checked as one set by the loader's rules and
//! written in one transaction, each record in the audit trail. Countries, places and agencies
//! it lists must be in the database already (they come with the curated dataset); a key
//! already in use is refused; a record the files name that neither they nor the database
//! hold is named in the error (an NDJSON file carries events alone).

use super::{Audit, Change, WriteError, known};
use crate::ingest::build::Table;
use crate::ingest::build::partial::{Known, Records, References, build_partial};
use crate::ingest::format as f;
use crate::ingest::{Dataset, tallies, write};
use entity::enums::ChangeAction;
use sea_orm::ConnectionTrait;
use serde::{Deserialize, Serialize};
use std::collections::HashSet;
use std::sync::atomic::{AtomicU64, Ordering};

/// A source and its article's text.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct SourceWithText {
    pub source: f::Source,
    pub text: String,
}

/// The records of a dataset that an import adds.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct Imported {
    pub sources: Vec<SourceWithText>,
    pub people: Vec<f::Person>,
    pub events: Vec<f::Event>,
    pub statistics: Vec<f::Statistic>,
    /// Keys of the places, agencies and countries the files list, which must exist.
    pub places: Vec<String>,
    pub agencies: Vec<String>,
}

fn parse<T: serde::de::DeserializeOwned>(
    dataset: &Dataset,
    name: &str,
) -> Result<Option<T>, WriteError> {
    let Some((_, text)) = dataset.files.iter().find(|(file, _)| file == name) else {
        return Ok(None);
    };
    toml::from_str(text).map(Some).map_err(|e| {
        WriteError::invalid(
            name,
            format!("{name}: {}", e.to_string().trim().replace('\n', " ")),
        )
    })
}

/// The import of `files` (name and text each, as in the `data/` layout) as a change; a file
/// that cannot be read is refused with its place in the list as the field (`files[2]`).
pub fn change(files: impl IntoIterator<Item = (String, String)>) -> Result<Change, WriteError> {
    let mut dataset = Dataset::empty();
    for (n, (name, text)) in files.into_iter().enumerate() {
        dataset
            .add(&name, text)
            .map_err(|e| WriteError::invalid(&format!("files[{n}]"), e.to_string()))?;
    }
    change_of(&dataset)
}

/// The import of `dataset` as a change.
pub fn change_of(dataset: &Dataset) -> Result<Change, WriteError> {
    Ok(Change::ImportDataset {
        records: Box::new(records(dataset)?),
    })
}

/// The records of `dataset`, each source with its article.
pub fn records(dataset: &Dataset) -> Result<Imported, WriteError> {
    let mut imported = Imported::default();
    if let Some(file) = parse::<f::SourcesFile>(dataset, "sources.toml")? {
        for source in file.source {
            let text = dataset
                .articles
                .iter()
                .find(|(name, _)| *name == source.article)
                .map(|(_, text)| text.clone())
                .ok_or_else(|| {
                    WriteError::invalid(
                        "articles",
                        format!(
                            "source \"{}\": no article file \"{}\"",
                            source.key, source.article
                        ),
                    )
                })?;
            imported.sources.push(SourceWithText { source, text });
        }
    }
    if let Some(file) = parse::<f::PeopleFile>(dataset, "people.toml")? {
        imported.people = file.person;
    }
    if let Some(file) = parse::<f::EventsFile>(dataset, "events.toml")? {
        imported.events = file.event;
    }
    if let Some(file) = parse::<f::StatisticsFile>(dataset, "statistics.toml")? {
        imported.statistics = file.statistic;
    }
    if let Some(file) = parse::<f::PlacesFile>(dataset, "places.toml")? {
        imported.places = file.place.into_iter().map(|p| p.key).collect();
    }
    if let Some(file) = parse::<f::CountriesFile>(dataset, "countries.toml")? {
        imported
            .places
            .extend(file.country.into_iter().map(|c| c.code));
    }
    if let Some(file) = parse::<f::AgenciesFile>(dataset, "agencies.toml")? {
        imported.agencies = file.agency.into_iter().map(|a| a.key).collect();
    }
    Ok(imported)
}

/// Writes the new records of `imported`, telling `progress` how many rows (and events
/// tallied) of how many are done; returns a CREATED audit for each.
pub async fn apply(
    db: &impl ConnectionTrait,
    imported: &Imported,
    progress: write::Progress<'_>,
) -> Result<Vec<Audit>, WriteError> {
    for (table, keys, what) in [
        (Table::Locations, &imported.places, "place"),
        (Table::Agencies, &imported.agencies, "agency"),
    ] {
        for key in keys {
            if !known::key_taken(db, table, key).await? {
                return Err(WriteError::invalid(
                    what,
                    format!(
                        "{what} \"{key}\" is not in the database: new places and agencies come \
                         with the curated dataset"
                    ),
                ));
            }
        }
    }
    let mut audits = Vec::new();
    let mut created = |node_type: &'static str, key: &str, after: Option<serde_json::Value>| {
        audits.push(Audit {
            action: ChangeAction::Created,
            node_type,
            key: key.to_string(),
            before: None,
            after,
        })
    };
    let checks = imported
        .sources
        .iter()
        .map(|s| (Table::Sources, "Source", s.source.key.as_str()))
        .chain(
            imported
                .people
                .iter()
                .map(|p| (Table::People, "Person", p.key.as_str())),
        )
        .chain(
            imported
                .events
                .iter()
                .map(|e| (Table::Events, "Event", e.key.as_str())),
        )
        .chain(
            imported
                .statistics
                .iter()
                .map(|s| (Table::Statistics, "Statistic", s.key.as_str())),
        );
    for (table, node_type, key) in checks {
        if known::key_taken(db, table, key).await?
            || super::audit::retired(db, node_type, key).await?
        {
            return Err(WriteError::invalid(
                "key",
                format!("{} \"{key}\": the key is taken", node_type.to_lowercase()),
            ));
        }
    }
    for s in &imported.sources {
        created("Source", &s.source.key, super::apply::json(&s.source));
    }
    for p in &imported.people {
        created("Person", &p.key, super::apply::json(p));
    }
    for e in &imported.events {
        created("Event", &e.key, super::apply::json(e));
    }
    for s in &imported.statistics {
        created("Statistic", &s.key, super::apply::json(s));
    }
    let records = Records {
        sources: imported
            .sources
            .iter()
            .map(|s| (s.source.clone(), s.text.clone()))
            .collect(),
        people: imported.people.clone(),
        events: imported.events.clone(),
        statistics: imported.statistics.clone(),
    };
    let references = records.references();
    let known = known::read(db, &references).await?;
    missing(&known, &records, &references)?;
    let rows = build_partial(&known, &records)?;
    let events: Vec<i32> = rows.events.iter().map(|e| e.id).collect();
    // Rows written, then events tallied, as one count.
    let tallied = events.len() as u64;
    let rows_total = AtomicU64::new(0);
    let rows_progress = |written: u64, total: u64| {
        rows_total.store(total, Ordering::Relaxed);
        progress(written, total + tallied);
    };
    write::write(db, rows, &rows_progress).await?;
    let rows_total = rows_total.load(Ordering::Relaxed);
    let tallied_so_far = |n: usize| progress(rows_total + n as u64, rows_total + tallied);
    tallies::recompute_many(db, &events, &tallied_so_far).await?;
    Ok(audits)
}

/// Refuses records that name sources, places, agencies, people or events that neither the
/// import nor the database holds, naming (the first few of) them: what an NDJSON file of
/// events needs beside it.
fn missing(known: &Known, records: &Records, refs: &References) -> Result<(), WriteError> {
    let new_sources: HashSet<&str> = records
        .sources
        .iter()
        .map(|(s, _)| s.key.as_str())
        .collect();
    let new_people: HashSet<&str> = records.people.iter().map(|p| p.key.as_str()).collect();
    let new_events: HashSet<&str> = records.events.iter().map(|e| e.key.as_str()).collect();
    let said: Vec<String> = [
        absent("sources", &refs.sources, &|k| {
            known.sources.contains_key(k) || new_sources.contains(k)
        }),
        absent("places", &refs.places, &|k| known.places.contains_key(k)),
        absent("agencies", &refs.agencies, &|k| {
            known.agencies.contains_key(k)
        }),
        absent("people", &refs.people, &|k| {
            known.people.contains_key(k) || new_people.contains(k)
        }),
        absent("events", &refs.events, &|k| {
            known.events.contains_key(k) || new_events.contains(k)
        }),
    ]
    .into_iter()
    .flatten()
    .collect();
    if said.is_empty() {
        return Ok(());
    }
    Err(WriteError::invalid(
        "files",
        // The hint first: a response shows the first 200 characters of a message.
        format!(
            "missing (NDJSON carries events alone: send sources.toml, articles/, people.toml \
             too, or import them first): {}",
            said.join("; ")
        ),
    ))
}

/// The keys of `kind` in `named` that `held` says nothing holds, said in a few words (the
/// first [`SHOWN`] of them, in order, and how many more); None when there are none.
fn absent(kind: &str, named: &HashSet<String>, held: &dyn Fn(&str) -> bool) -> Option<String> {
    let mut absent: Vec<&String> = named.iter().filter(|k| !held(k)).collect();
    if absent.is_empty() {
        return None;
    }
    absent.sort();
    let shown: Vec<String> = absent
        .iter()
        .take(SHOWN)
        .map(|k| format!("\"{}\"", k.chars().take(60).collect::<String>()))
        .collect();
    let more = match absent.len().saturating_sub(SHOWN) {
        0 => String::new(),
        more => format!(" and {more} more"),
    };
    Some(format!("{kind} {}{more}", shown.join(", ")))
}

/// Keys of one kind a missing-records error shows, at most.
const SHOWN: usize = 2;
