//! Checks a dataset completely and turns it into rows with their final ids, touching no
//! database: a dataset either builds whole or yields the first error, naming file and record.
//!
//! Ids are assigned from 1, so the rows go into an empty database (see `write`).

use super::IngestError;
use super::dataset::Dataset;
use super::format as f;
use crate::figure::{ClaimValue, resolve};
use chrono::{Datelike, Duration, NaiveDate};
use entity::enums::*;
use entity::*;
use serde::de::DeserializeOwned;
use std::collections::{BTreeMap, HashMap, HashSet};

/// Every row of a dataset, ready to insert in this order.
#[derive(Debug, Default)]
pub struct Rows {
    pub countries: Vec<country::Model>,
    pub sources: Vec<source::Model>,
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
    crate::tally::complete(&mut b.rows);
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
}

impl At {
    fn new(file: &'static str, kind: &str, key: &str) -> Self {
        At {
            file,
            record: format!("{kind} \"{key}\""),
        }
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
    articles: HashMap<&'a str, &'a str>,
    /// Source key → (id, article text).
    sources: HashMap<String, (i32, &'a str)>,
    countries: HashSet<String>,
    /// Place key (or country code) → location id.
    places: HashMap<String, i32>,
    /// Location id → its ancestors, nearest first, itself included.
    ancestry: HashMap<i32, Vec<i32>>,
    agencies: HashMap<String, i32>,
    people: HashMap<String, i32>,
    events: HashMap<String, i32>,
}

fn next_id(len: usize) -> i32 {
    i32::try_from(len + 1).unwrap_or(i32::MAX)
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

/// A date span checked against its precision: (start, end, precision, derived).
fn span(
    d: &f::DateSpan,
    at: &At,
    field: &str,
) -> Result<(Option<NaiveDate>, Option<NaiveDate>), IngestError> {
    let bad = |why: &str| at.err(format!("{field}: bad date: {why}"));
    if d.precision == DatePrecision::Unknown {
        return match (d.start, d.end) {
            (None, None) => Ok((None, None)),
            _ => Err(bad("precision UNKNOWN takes no start or end")),
        };
    }
    let start = d.start.ok_or_else(|| bad("start is missing"))?;
    let end = d.end.unwrap_or(start);
    if end < start {
        return Err(bad("end is before start"));
    }
    let month_end = |day: NaiveDate| {
        let (y, m) = if day.month() == 12 {
            (day.year() + 1, 1)
        } else {
            (day.year(), day.month() + 1)
        };
        NaiveDate::from_ymd_opt(y, m, 1).map(|first| first - Duration::days(1))
    };
    let fits = match d.precision {
        DatePrecision::Day => start == end,
        DatePrecision::Week => end - start == Duration::days(6),
        DatePrecision::Month => start.day() == 1 && Some(end) == month_end(start),
        DatePrecision::Year => {
            start.ordinal() == 1
                && end.month() == 12
                && end.day() == 31
                && start.year() == end.year()
        }
        DatePrecision::Range | DatePrecision::Unknown => true,
    };
    if !fits {
        return Err(bad(&format!(
            "{start}..{end} is not one {}",
            d.precision.as_str()
        )));
    }
    Ok((Some(start), Some(end)))
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

    fn countries(&mut self, countries: &[f::Country]) -> Result<(), IngestError> {
        for c in countries {
            let at = At::new("countries.toml", "country", &c.code);
            if c.code.len() != 2 || !c.code.bytes().all(|b| b.is_ascii_uppercase()) {
                return Err(at.err("code: not an ISO 3166-1 alpha-2 code (two capital letters)"));
            }
            if !self.countries.insert(c.code.clone()) {
                return Err(at.err("the code is used twice"));
            }
            self.rows.countries.push(country::Model {
                code: c.code.clone(),
                name: c.name.clone(),
            });
        }
        Ok(())
    }

    fn sources(&mut self, sources: &[f::Source]) -> Result<(), IngestError> {
        let mut seen = HashSet::new();
        for s in sources {
            let at = At::new("sources.toml", "source", &s.key);
            unique(&mut seen, &s.key, &at)?;
            let text = *self
                .articles
                .get(s.article.as_str())
                .ok_or_else(|| at.err(format!("article: no article file \"{}\"", s.article)))?;
            let (start, end) = span(&s.published, &at, "published")?;
            let id = next_id(self.rows.sources.len());
            self.sources.insert(s.key.clone(), (id, text));
            self.rows.sources.push(source::Model {
                id,
                key: s.key.clone(),
                article: s.article.clone(),
                headline: s.headline.clone(),
                outlet: s.outlet.clone(),
                original_outlet: s.original_outlet.clone(),
                wire_agency: s.wire_agency.clone(),
                byline: s.byline.clone(),
                dateline: s.dateline.clone(),
                published_start: start,
                published_end: end,
                published_precision: s.published.precision,
                published_derived: s.published.derived,
                url: s.url.clone(),
                reporting: s.reporting,
                note: s.note.clone(),
            });
        }
        Ok(())
    }

    /// Every country becomes a place of level COUNTRY keyed by its code; then the gazetteer.
    fn places(&mut self, places: &[f::Place]) -> Result<(), IngestError> {
        fn rank(level: LocationLevel) -> u8 {
            match level {
                LocationLevel::Country => 0,
                LocationLevel::Province => 1,
                LocationLevel::District => 2,
                LocationLevel::Commune | LocationLevel::City => 3,
                LocationLevel::Site => 4,
            }
        }
        let countries = self.rows.countries.clone();
        for c in &countries {
            let id = next_id(self.rows.locations.len());
            self.places.insert(c.code.clone(), id);
            self.rows.locations.push(location::Model {
                id,
                key: c.code.clone(),
                name: c.name.clone(),
                level: LocationLevel::Country,
                parent_id: None,
                country_code: c.code.clone(),
            });
        }
        for p in places {
            let at = At::new("places.toml", "place", &p.key);
            if self.places.contains_key(&p.key) {
                return Err(at.err("the key is used twice (or is a country code)"));
            }
            if p.level == LocationLevel::Country {
                return Err(at.err("level: countries come from countries.toml, not places.toml"));
            }
            let id = next_id(self.rows.locations.len());
            self.places.insert(p.key.clone(), id);
            self.rows.locations.push(location::Model {
                id,
                key: p.key.clone(),
                name: p.name.clone(),
                level: p.level,
                parent_id: None,
                country_code: String::new(),
            });
        }
        // Parents may come later in the file, so they are resolved once every key is known.
        // A parent must sit at a higher level than its child, which also rules out cycles.
        for p in places {
            let at = At::new("places.toml", "place", &p.key);
            let id = self.place(&p.key, &at, "key")?;
            let parent = self.place(&p.parent, &at, "parent")?;
            let parent_level = self.rows.locations[(parent - 1) as usize].level;
            if rank(parent_level) >= rank(p.level) {
                return Err(at.err(format!(
                    "parent: a {} cannot lie in a {} (\"{}\")",
                    p.level.as_str(),
                    parent_level.as_str(),
                    p.parent
                )));
            }
            self.rows.locations[(id - 1) as usize].parent_id = Some(parent);
        }
        let parent_of: HashMap<i32, Option<i32>> = self
            .rows
            .locations
            .iter()
            .map(|l| (l.id, l.parent_id))
            .collect();
        for location in &mut self.rows.locations {
            let mut chain = vec![location.id];
            while let Some(Some(parent)) = parent_of.get(chain.last().unwrap_or(&0)) {
                chain.push(*parent);
            }
            let root = chain.last().copied().unwrap_or(location.id);
            location.country_code = countries
                .get((root - 1) as usize)
                .map(|c| c.code.clone())
                .unwrap_or_default();
            for (depth, ancestor) in chain.iter().enumerate() {
                self.rows.closures.push(location_closure::Model {
                    ancestor_id: *ancestor,
                    descendant_id: location.id,
                    depth: depth as i32,
                });
            }
            self.ancestry.insert(location.id, chain);
        }
        Ok(())
    }

    fn agencies(&mut self, agencies: &[f::Agency]) -> Result<(), IngestError> {
        let mut seen = HashSet::new();
        for a in agencies {
            let at = At::new("agencies.toml", "agency", &a.key);
            unique(&mut seen, &a.key, &at)?;
            self.agencies
                .insert(a.key.clone(), next_id(self.agencies.len()));
        }
        for a in agencies {
            let at = At::new("agencies.toml", "agency", &a.key);
            let country_code = a
                .country
                .as_deref()
                .map(|c| self.country(c, &at, "country"))
                .transpose()?;
            let parent_id = a
                .parent
                .as_deref()
                .map(|p| self.agency(p, &at, "parent"))
                .transpose()?;
            self.rows.agencies.push(agency::Model {
                id: self.agency(&a.key, &at, "key")?,
                key: a.key.clone(),
                name: a.name.clone(),
                short_name: a.short_name.clone(),
                kind: a.kind,
                country_code,
                parent_id,
            });
        }
        let parent_of: HashMap<i32, Option<i32>> = self
            .rows
            .agencies
            .iter()
            .map(|a| (a.id, a.parent_id))
            .collect();
        for a in agencies {
            let at = At::new("agencies.toml", "agency", &a.key);
            let mut current = self.agency(&a.key, &at, "key")?;
            for _ in 0..=parent_of.len() {
                match parent_of.get(&current) {
                    Some(Some(parent)) => current = *parent,
                    _ => break,
                }
                if current == self.agency(&a.key, &at, "key")? {
                    return Err(at.err("parent: the agency is its own ancestor"));
                }
            }
        }
        Ok(())
    }

    fn people(&mut self, people: &[f::Person]) -> Result<(), IngestError> {
        let mut seen = HashSet::new();
        for p in people {
            let at = At::new("people.toml", "person", &p.key);
            unique(&mut seen, &p.key, &at)?;
            let id = next_id(self.rows.people.len());
            self.people.insert(p.key.clone(), id);
            self.rows.people.push(person::Model {
                id,
                key: p.key.clone(),
                name: p.name.clone(),
            });
            for (i, alias) in p.aliases.iter().enumerate() {
                let source_id =
                    self.quoted(&alias.source, &alias.quote, &at, &format!("aliases[{i}]"))?;
                self.rows.aliases.push(person_alias::Model {
                    id: next_id(self.rows.aliases.len()),
                    person_id: id,
                    name: alias.name.clone(),
                    source_id,
                    quote: alias.quote.clone(),
                });
            }
            for (i, title) in p.titles.iter().enumerate() {
                let field = format!("titles[{i}]");
                let source_id = self.quoted(&title.source, &title.quote, &at, &field)?;
                let agency_id = title
                    .agency
                    .as_deref()
                    .map(|a| self.agency(a, &at, &field))
                    .transpose()?;
                self.rows.titles.push(person_title::Model {
                    id: next_id(self.rows.titles.len()),
                    person_id: id,
                    title: title.title.clone(),
                    agency_id,
                    as_of: title.as_of,
                    source_id,
                    quote: title.quote.clone(),
                });
            }
        }
        Ok(())
    }

    /// Checks a figure's claims and adds the figure with its resolution; `None` for no claims.
    fn figure(
        &mut self,
        claims: &[f::Claim],
        at: &At,
        field: &str,
    ) -> Result<Option<i32>, IngestError> {
        if claims.is_empty() {
            return Ok(None);
        }
        let figure_id = next_id(self.rows.figures.len());
        let mut by_source = HashSet::new();
        let mut values = Vec::new();
        for (i, c) in claims.iter().enumerate() {
            let field = format!("{field}[{i}]");
            let source_id = self.quoted(&c.source, &c.quote, at, &field)?;
            if !by_source.insert(source_id) {
                return Err(at.err(format!(
                    "{field}: a second claim from source \"{}\" (one claim per source)",
                    c.source
                )));
            }
            match (c.value, c.qualifier) {
                (None, q) if q != Qualifier::Unknown => {
                    return Err(at.err(format!(
                        "{field}: no value (only an UNKNOWN claim has none)"
                    )));
                }
                (Some(_), Qualifier::Unknown) => {
                    return Err(at.err(format!("{field}: an UNKNOWN claim has no value")));
                }
                (Some(v), _) if v < 0 => return Err(at.err(format!("{field}: negative value {v}"))),
                _ => {}
            }
            if let (Some(low), Some(high)) = (c.value, c.high)
                && high < low
            {
                return Err(at.err(format!("{field}: high {high} is below value {low}")));
            }
            if c.derived && c.note.is_none() {
                return Err(at.err(format!(
                    "{field}: a derived claim needs a note saying how it was worked out"
                )));
            }
            values.push(ClaimValue {
                value: c.value,
                high: c.high,
                qualifier: c.qualifier,
                derived: c.derived,
            });
            self.rows.claims.push(claim::Model {
                id: next_id(self.rows.claims.len()),
                figure_id,
                value: c.value,
                high: c.high,
                qualifier: c.qualifier,
                derived: c.derived,
                note: c.note.clone(),
                source_id,
                quote: c.quote.clone(),
            });
        }
        let r = resolve(&values);
        self.rows.figures.push(figure::Model {
            id: figure_id,
            value: r.value,
            low: r.low,
            high: r.high,
            qualifier: r.qualifier,
            derived: r.derived,
        });
        Ok(Some(figure_id))
    }

    fn required_figure(
        &mut self,
        claims: &[f::Claim],
        at: &At,
        field: &str,
    ) -> Result<(i32, Option<i64>), IngestError> {
        let id = self
            .figure(claims, at, field)?
            .ok_or_else(|| at.err(format!("{field}: no claims")))?;
        Ok((id, self.rows.figures[(id - 1) as usize].value))
    }

    fn events(&mut self, events: &[f::Event]) -> Result<(), IngestError> {
        let mut seen = HashSet::new();
        for e in events {
            let at = At::new("events.toml", "event", &e.key);
            unique(&mut seen, &e.key, &at)?;
            self.events
                .insert(e.key.clone(), next_id(self.events.len()));
        }
        for e in events {
            self.event(e)?;
        }
        Ok(())
    }

    fn event(&mut self, e: &f::Event) -> Result<(), IngestError> {
        let at = At::new("events.toml", "event", &e.key);
        let id = self.events[&e.key];
        let (date_start, date_end) = span(&e.date, &at, "date")?;
        if e.kinds.is_empty() {
            return Err(at.err("kinds: an event has at least one kind"));
        }
        let mut kinds = HashSet::new();
        for kind in &e.kinds {
            if !kinds.insert(*kind) {
                return Err(at.err(format!("kinds: {} twice", kind.as_str())));
            }
            self.rows.event_kinds.push(event_kind::Model {
                event_id: id,
                kind: *kind,
            });
        }
        let mut places = BTreeMap::new();
        for key in &e.places {
            let location_id = self.place(key, &at, "places")?;
            if places.insert(key.as_str(), location_id).is_some() {
                return Err(at.err(format!("places: \"{key}\" twice")));
            }
            self.rows.event_locations.push(event_location::Model {
                event_id: id,
                location_id,
            });
        }
        let mut agencies = HashMap::new();
        for link in &e.agencies {
            let agency_id = self.agency(&link.agency, &at, "agencies")?;
            agencies.insert(link.agency.as_str(), agency_id);
            self.rows.event_agencies.push(event_agency::Model {
                id: next_id(self.rows.event_agencies.len()),
                event_id: id,
                agency_id,
                role: link.role,
            });
        }
        let mut people = HashMap::new();
        for link in &e.people {
            let person_id = self.person(&link.person, &at, "people")?;
            people.insert(link.person.as_str(), person_id);
            self.rows.event_people.push(event_person::Model {
                id: next_id(self.rows.event_people.len()),
                event_id: id,
                person_id,
                role: link.role,
            });
        }

        // Citations, and the check that every descriptive fact is backed by one.
        let mut supported = HashSet::new();
        for (i, c) in e.citations.iter().enumerate() {
            let field = format!("citations[{i}]");
            let source_id = self.quoted(&c.source, &c.quote, &at, &field)?;
            let citation_id = next_id(self.rows.citations.len());
            self.rows.citations.push(citation::Model {
                id: citation_id,
                event_id: id,
                source_id,
                quote: c.quote.clone(),
            });
            if c.supports.is_empty() {
                return Err(at.err(format!("{field}: supports names no fact")));
            }
            for support in &c.supports {
                let bad = |why: &str| at.err(format!("{field}: supports \"{support}\": {why}"));
                let mut fact = citation_fact::Model {
                    id: next_id(self.rows.citation_facts.len()),
                    citation_id,
                    fact: CitedFact::Date,
                    kind: None,
                    location_id: None,
                    agency_id: None,
                    person_id: None,
                };
                match support.split_once(':') {
                    None if support == "date" => fact.fact = CitedFact::Date,
                    None if support == "status" => fact.fact = CitedFact::Status,
                    Some(("kind", k)) => {
                        let kind = e
                            .kinds
                            .iter()
                            .find(|kind| kind.as_str() == k)
                            .ok_or_else(|| bad("not a kind of this event"))?;
                        fact.fact = CitedFact::Kind;
                        fact.kind = Some(*kind);
                    }
                    Some(("place", k)) => {
                        fact.fact = CitedFact::Location;
                        fact.location_id = Some(
                            *places
                                .get(k)
                                .ok_or_else(|| bad("not a place of this event"))?,
                        );
                    }
                    Some(("agency", k)) => {
                        fact.fact = CitedFact::Agency;
                        fact.agency_id = Some(
                            *agencies
                                .get(k)
                                .ok_or_else(|| bad("not an agency of this event"))?,
                        );
                    }
                    Some(("person", k)) => {
                        fact.fact = CitedFact::Person;
                        fact.person_id = Some(
                            *people
                                .get(k)
                                .ok_or_else(|| bad("not a person of this event"))?,
                        );
                    }
                    _ => {
                        return Err(bad(
                            "expected date, status, kind:…, place:…, agency:… or person:…",
                        ));
                    }
                }
                supported.insert(support.as_str());
                self.rows.citation_facts.push(fact);
            }
        }
        let mut needed: Vec<String> = e
            .kinds
            .iter()
            .map(|k| format!("kind:{}", k.as_str()))
            .collect();
        if e.date.precision != DatePrecision::Unknown {
            needed.push("date".into());
        }
        needed.extend(e.places.iter().map(|k| format!("place:{k}")));
        needed.extend(e.agencies.iter().map(|a| format!("agency:{}", a.agency)));
        needed.extend(e.people.iter().map(|p| format!("person:{}", p.person)));
        if let Some(missing) = needed.iter().find(|n| !supported.contains(n.as_str())) {
            return Err(at.err(format!("citations: no citation supports {missing}")));
        }

        // Numbers.
        let total_figure_id = self.figure(&e.total, &at, "total")?;
        for (i, g) in e.participants.iter().enumerate() {
            let field = format!("participants[{i}]");
            let nationality_code = g
                .nationality
                .as_deref()
                .map(|c| self.country(c, &at, &field))
                .transpose()?;
            let (count_figure_id, _) =
                self.required_figure(&g.count, &at, &format!("{field}.count"))?;
            let women_figure_id = self.figure(&g.women, &at, &format!("{field}.women"))?;
            self.rows.groups.push(participant_group::Model {
                id: next_id(self.rows.groups.len()),
                event_id: id,
                nationality_code,
                role: g.role,
                status: g.status,
                count_figure_id,
                women_figure_id,
            });
        }
        for (i, flow) in e.flows.iter().enumerate() {
            let field = format!("flows[{i}]");
            let from_code = self.country(&flow.from, &at, &format!("{field}.from"))?;
            let to_code = flow
                .to
                .as_deref()
                .map(|c| self.country(c, &at, &format!("{field}.to")))
                .transpose()?;
            let date = flow.date.as_ref().unwrap_or(&e.date);
            let (date_start, date_end) = span(date, &at, &format!("{field}.date"))?;
            let count_figure_id = self.figure(&flow.count, &at, &format!("{field}.count"))?;
            let flow_id = next_id(self.rows.flows.len());
            for (j, part) in flow.by_nationality.iter().enumerate() {
                let field = format!("{field}.by_nationality[{j}]");
                let nationality_code = self.country(&part.nationality, &at, &field)?;
                let (count_figure_id, _) =
                    self.required_figure(&part.count, &at, &format!("{field}.count"))?;
                self.rows.flow_nationalities.push(flow_nationality::Model {
                    id: next_id(self.rows.flow_nationalities.len()),
                    flow_id,
                    nationality_code,
                    count_figure_id,
                });
            }
            self.rows.flows.push(deportation_flow::Model {
                id: flow_id,
                event_id: id,
                from_code,
                to_code,
                kind: flow.kind,
                status: flow.status,
                date_start,
                date_end,
                date_precision: date.precision,
                date_derived: date.derived,
                count_figure_id,
            });
        }
        for (i, s) in e.seizures.iter().enumerate() {
            let (quantity_figure_id, _) =
                self.required_figure(&s.quantity, &at, &format!("seizures[{i}].quantity"))?;
            self.rows.seizures.push(seizure::Model {
                id: next_id(self.rows.seizures.len()),
                event_id: id,
                item: s.item.clone(),
                quantity_figure_id,
            });
        }
        for (i, m) in e.money.iter().enumerate() {
            if m.currency.len() != 3 || !m.currency.bytes().all(|b| b.is_ascii_uppercase()) {
                return Err(at.err(format!("money[{i}].currency: not an ISO 4217 code")));
            }
            let (amount_figure_id, _) =
                self.required_figure(&m.amount, &at, &format!("money[{i}].amount"))?;
            self.rows.money.push(money_figure::Model {
                id: next_id(self.rows.money.len()),
                event_id: id,
                measure: m.measure,
                currency: m.currency.clone(),
                amount_figure_id,
            });
        }
        for (i, s) in e.statements.iter().enumerate() {
            let field = format!("statements[{i}]");
            let person_id = self.person(&s.person, &at, &field)?;
            let source_id = self.quoted(&s.source, &s.quote, &at, &field)?;
            self.rows.statements.push(statement::Model {
                id: next_id(self.rows.statements.len()),
                person_id,
                event_id: Some(id),
                source_id,
                quote: s.quote.clone(),
            });
        }
        for (i, r) in e.related.iter().enumerate() {
            let field = format!("related[{i}]");
            let related_event_id = *self
                .events
                .get(&r.event)
                .ok_or_else(|| at.err(format!("{field}: unknown event \"{}\"", r.event)))?;
            if related_event_id == id {
                return Err(at.err(format!("{field}: an event cannot relate to itself")));
            }
            let source_id = self.quoted(&r.source, &r.quote, &at, &field)?;
            self.rows.relations.push(event_relation::Model {
                id: next_id(self.rows.relations.len()),
                event_id: id,
                related_event_id,
                relation: r.relation,
                source_id,
                quote: r.quote.clone(),
            });
        }

        self.rows.events.push(event::Model {
            id,
            key: e.key.clone(),
            title: e.title.clone(),
            summary: e.summary.clone(),
            date_start,
            date_end,
            date_precision: e.date.precision,
            date_derived: e.date.derived,
            status: e.status,
            location_id: self.common_ancestor(places.values().copied()),
            total_figure_id,
            // Set with the tallies (`tally::complete`), by the same rule.
            people_count: None,
            country_code: None,
            province_id: None,
            year: None,
            month: None,
        });
        Ok(())
    }

    /// The most specific place containing all of `places`; None for no places.
    fn common_ancestor(&self, places: impl Iterator<Item = i32>) -> Option<i32> {
        let chains: Vec<&Vec<i32>> = places.filter_map(|p| self.ancestry.get(&p)).collect();
        let first = chains.first()?;
        first
            .iter()
            .copied()
            .find(|candidate| chains.iter().all(|c| c.contains(candidate)))
    }

    fn statistics(&mut self, statistics: &[f::Statistic]) -> Result<(), IngestError> {
        let mut seen = HashSet::new();
        for s in statistics {
            let at = At::new("statistics.toml", "statistic", &s.key);
            unique(&mut seen, &s.key, &at)?;
            let (period_start, period_end) = span(&s.period, &at, "period")?;
            let location_id = s
                .place
                .as_deref()
                .map(|p| self.place(p, &at, "place"))
                .transpose()?;
            let agency_id = s
                .attributed_to
                .as_deref()
                .map(|a| self.agency(a, &at, "attributed_to"))
                .transpose()?;
            let (figure_id, _) = self.required_figure(&s.figure, &at, "figure")?;
            self.rows.statistics.push(statistic::Model {
                id: next_id(self.rows.statistics.len()),
                key: s.key.clone(),
                description: s.description.clone(),
                unit: s.unit,
                period_start,
                period_end,
                period_precision: s.period.precision,
                period_derived: s.period.derived,
                location_id,
                agency_id,
                figure_id,
            });
        }
        Ok(())
    }
}
