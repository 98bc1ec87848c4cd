//! Checks a dataset completely and turns it into rows with their final ids, touching no
//! database: a dataset either builds whole or yields the first error, naming file and record.
//!
//! Ids are assigned from 1, so the rows go into an empty database (see `write`). The checks
//! are split by what they read: `reference` (countries, sources, places, agencies, people,
//! statistics), `claims` (figures), `events` (an event's links and relations), `citations`
//! (what backs each fact), `numbers` (participants, flows, seizures, money) and `cohorts`
//! (groups of different events that are the same people).

mod citations;
mod claims;
mod cohorts;
mod events;
mod numbers;
mod reference;

use super::IngestError;
use super::dataset::Dataset;
use super::format as f;
use chrono::NaiveDate;
use entity::*;
use serde::de::DeserializeOwned;
use std::collections::{HashMap, HashSet};

/// Every row of a dataset, ready to insert in this order.
#[derive(Debug, Default)]
pub struct Rows {
    pub countries: Vec<country::Model>,
    pub sources: Vec<source::Model>,
    pub source_texts: Vec<source_text::Model>,
    pub locations: Vec<location::Model>,
    pub closures: Vec<location_closure::Model>,
    pub agencies: Vec<agency::Model>,
    pub people: Vec<person::Model>,
    pub aliases: Vec<person_alias::Model>,
    pub titles: Vec<person_title::Model>,
    pub figures: Vec<figure::Model>,
    pub claims: Vec<claim::Model>,
    pub events: Vec<event::Model>,
    pub event_kinds: Vec<event_kind::Model>,
    pub event_locations: Vec<event_location::Model>,
    pub event_agencies: Vec<event_agency::Model>,
    pub event_people: Vec<event_person::Model>,
    pub citations: Vec<citation::Model>,
    pub citation_facts: Vec<citation_fact::Model>,
    pub groups: Vec<participant_group::Model>,
    pub links: Vec<participant_link::Model>,
    pub flows: Vec<deportation_flow::Model>,
    pub flow_nationalities: Vec<flow_nationality::Model>,
    pub seizures: Vec<seizure::Model>,
    pub money: Vec<money_figure::Model>,
    pub statements: Vec<statement::Model>,
    pub relations: Vec<event_relation::Model>,
    pub statistics: Vec<statistic::Model>,
    pub participant_tallies: Vec<participant_tally::Model>,
    pub flow_tallies: Vec<flow_tally::Model>,
}

/// Checks `dataset` and returns its rows, or the first thing wrong with it.
pub fn build(dataset: &Dataset) -> Result<Rows, IngestError> {
    let countries: f::CountriesFile = parse(dataset, "countries.toml")?;
    let sources: f::SourcesFile = parse(dataset, "sources.toml")?;
    let places: f::PlacesFile = parse(dataset, "places.toml")?;
    let agencies: f::AgenciesFile = parse(dataset, "agencies.toml")?;
    let people: f::PeopleFile = parse(dataset, "people.toml")?;
    let events: f::EventsFile = parse(dataset, "events.toml")?;
    let statistics: f::StatisticsFile = parse(dataset, "statistics.toml")?;

    let mut b = Builder {
        articles: dataset
            .articles
            .iter()
            .map(|(n, t)| (n.as_str(), t.as_str()))
            .collect(),
        ..Default::default()
    };
    b.countries(&countries.country)?;
    b.sources(&sources.source)?;
    b.places(&places.place)?;
    b.agencies(&agencies.agency)?;
    b.people(&people.person)?;
    b.events(&events.event)?;
    b.statistics(&statistics.statistic)?;
    super::tallies::complete(&mut b.rows);
    Ok(b.rows)
}

fn parse<T: DeserializeOwned>(dataset: &Dataset, name: &str) -> Result<T, IngestError> {
    let (_, text) = dataset
        .files
        .iter()
        .find(|(file, _)| file == name)
        .ok_or_else(|| IngestError::Unreadable(format!("the dataset has no {name}")))?;
    toml::from_str(text).map_err(|e| IngestError::Invalid {
        file: name.to_string(),
        record: "syntax".to_string(),
        message: e.to_string().trim().replace('\n', " "),
    })
}

/// Which record is being checked, for error messages.
#[derive(Clone)]
struct At {
    file: &'static str,
    record: String,
    /// The record's key, which the stable uids of its parts start with.
    key: String,
}

impl At {
    fn new(file: &'static str, kind: &str, key: &str) -> Self {
        At {
            file,
            record: format!("{kind} \"{key}\""),
            key: key.to_string(),
        }
    }

    /// The stable uid of the part of this record at `field` (`participants[2]`): its place in
    /// the curated record, which a reload keeps (curators append parts, never reorder them).
    fn uid(&self, field: &str) -> String {
        format!("{}/{field}", self.key)
    }

    fn err(&self, message: impl Into<String>) -> IngestError {
        IngestError::Invalid {
            file: self.file.to_string(),
            record: self.record.clone(),
            message: message.into(),
        }
    }
}

#[derive(Default)]
struct Builder<'a> {
    rows: Rows,
    base: Bases,
    /// Groups of events already in the database that new cohort links may name, and the
    /// values of their count figures.
    seeded_groups: Vec<participant_group::Model>,
    seeded_values: HashMap<i32, Option<i64>>,
    articles: HashMap<&'a str, &'a str>,
    /// Source key → (id, article text).
    sources: HashMap<String, (i32, &'a str)>,
    countries: HashSet<String>,
    /// Each country's centroid (latitude, longitude), in the order of `rows.countries`.
    centroids: Vec<(f64, f64)>,
    /// Place key (or country code) → location id.
    places: HashMap<String, i32>,
    /// Location id → its ancestors, nearest first, itself included.
    ancestry: HashMap<i32, Vec<i32>>,
    agencies: HashMap<String, i32>,
    people: HashMap<String, i32>,
    events: HashMap<String, i32>,
}

/// The tables whose rows a build numbers.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Table {
    Sources,
    Locations,
    Agencies,
    People,
    Aliases,
    Titles,
    Figures,
    Claims,
    Events,
    EventAgencies,
    EventPeople,
    Citations,
    CitationFacts,
    Groups,
    Links,
    Flows,
    FlowNationalities,
    Seizures,
    Money,
    Statements,
    Relations,
    Statistics,
}

impl Table {
    /// Every table, in the order of [`Bases`]' array.
    pub const ALL: [Table; 22] = [
        Table::Sources,
        Table::Locations,
        Table::Agencies,
        Table::People,
        Table::Aliases,
        Table::Titles,
        Table::Figures,
        Table::Claims,
        Table::Events,
        Table::EventAgencies,
        Table::EventPeople,
        Table::Citations,
        Table::CitationFacts,
        Table::Groups,
        Table::Links,
        Table::Flows,
        Table::FlowNationalities,
        Table::Seizures,
        Table::Money,
        Table::Statements,
        Table::Relations,
        Table::Statistics,
    ];

    /// The table's name in the database.
    pub fn name(self) -> &'static str {
        match self {
            Table::Sources => "source",
            Table::Locations => "location",
            Table::Agencies => "agency",
            Table::People => "person",
            Table::Aliases => "person_alias",
            Table::Titles => "person_title",
            Table::Figures => "figure",
            Table::Claims => "claim",
            Table::Events => "event",
            Table::EventAgencies => "event_agency",
            Table::EventPeople => "event_person",
            Table::Citations => "citation",
            Table::CitationFacts => "citation_fact",
            Table::Groups => "participant_group",
            Table::Links => "participant_link",
            Table::Flows => "deportation_flow",
            Table::FlowNationalities => "flow_nationality",
            Table::Seizures => "seizure",
            Table::Money => "money_figure",
            Table::Statements => "statement",
            Table::Relations => "event_relation",
            Table::Statistics => "statistic",
        }
    }
}

/// The id after which each table's new rows are numbered: 0 everywhere for a load into an
/// empty database; the largest id in use for the write path, which builds a few records
/// beside those already written.
#[derive(Clone, Copy, Debug, Default)]
pub struct Bases(pub [i32; 22]);

impl Bases {
    /// The id of the table's new row that `len` new rows precede.
    fn id(&self, table: Table, len: usize) -> i32 {
        let base = self.0[table as usize];
        base.saturating_add(i32::try_from(len + 1).unwrap_or(i32::MAX))
    }
}

fn unique<'k>(seen: &mut HashSet<&'k str>, key: &'k str, at: &At) -> Result<(), IngestError> {
    if key.trim().is_empty() || key != key.trim() {
        return Err(at.err("the key is empty or has surrounding spaces"));
    }
    if !seen.insert(key) {
        return Err(at.err("the key is used twice"));
    }
    Ok(())
}

/// A date span checked by `span::check`, its error naming the record and field.
fn span(
    d: &f::DateSpan,
    at: &At,
    field: &str,
) -> Result<(Option<NaiveDate>, Option<NaiveDate>), IngestError> {
    super::span::check(d).map_err(|why| at.err(format!("{field}: bad date: {why}")))
}

impl<'a> Builder<'a> {
    fn source(&self, key: &str, at: &At, field: &str) -> Result<(i32, &'a str), IngestError> {
        self.sources
            .get(key)
            .copied()
            .ok_or_else(|| at.err(format!("{field}: unknown source \"{key}\"")))
    }

    /// The id of a source whose article contains `quote` verbatim.
    fn quoted(&self, source: &str, quote: &str, at: &At, field: &str) -> Result<i32, IngestError> {
        let (id, text) = self.source(source, at, field)?;
        if quote.trim().is_empty() {
            return Err(at.err(format!("{field}: the quote is empty")));
        }
        if !text.contains(quote) {
            return Err(at.err(format!(
                "{field}: the quote is not in the article of source \"{source}\": {quote:?}"
            )));
        }
        Ok(id)
    }

    fn country(&self, code: &str, at: &At, field: &str) -> Result<String, IngestError> {
        if self.countries.contains(code) {
            Ok(code.to_string())
        } else {
            Err(at.err(format!("{field}: unknown country \"{code}\"")))
        }
    }

    fn place(&self, key: &str, at: &At, field: &str) -> Result<i32, IngestError> {
        self.places
            .get(key)
            .copied()
            .ok_or_else(|| at.err(format!("{field}: unknown place \"{key}\"")))
    }

    fn agency(&self, key: &str, at: &At, field: &str) -> Result<i32, IngestError> {
        self.agencies
            .get(key)
            .copied()
            .ok_or_else(|| at.err(format!("{field}: unknown agency \"{key}\"")))
    }

    fn person(&self, key: &str, at: &At, field: &str) -> Result<i32, IngestError> {
        self.people
            .get(key)
            .copied()
            .ok_or_else(|| at.err(format!("{field}: unknown person \"{key}\"")))
    }
}
