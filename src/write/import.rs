//! Importing a partner's dataset (files in the `data/` format) into a database that holds
//! data: its new sources (with their articles), people, events and statistics, checked as
//! one set by the loader's rules and written in one transaction, each record in the audit
//! trail. Countries, places and agencies it lists must be in the database already (they come
//! with the curated dataset); a key already in use is refused.

use super::{Audit, WriteError, known};
use crate::ingest::build::Table;
use crate::ingest::build::partial::{Records, build_partial};
use crate::ingest::format as f;
use crate::ingest::{Dataset, tallies, write};
use entity::enums::ChangeAction;
use sea_orm::ConnectionTrait;
use serde::{Deserialize, Serialize};

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

/// Writes the new records of `imported`; returns a CREATED audit for each.
pub async fn apply(
    db: &impl ConnectionTrait,
    imported: &Imported,
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
    let known = known::read(db, &records.references()).await?;
    let rows = build_partial(&known, &records)?;
    let events: Vec<i32> = rows.events.iter().map(|e| e.id).collect();
    write::write(db, rows, &write::quietly).await?;
    for id in events {
        tallies::recompute(db, id).await?;
    }
    Ok(audits)
}
