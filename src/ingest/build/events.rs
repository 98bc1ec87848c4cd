//! Checking one event: its vocabulary and links (kinds, places, agencies, people), then its
//! citations, numbers and relations, each in its own step.

use super::{At, Builder, IngestError, Table, span, unique};
use crate::ingest::format as f;
use entity::*;
use std::collections::{BTreeMap, HashMap, HashSet};

/// What an event links to, by the keys its citations name.
pub(super) struct Links<'e> {
    pub places: BTreeMap<&'e str, i32>,
    pub agencies: HashMap<&'e str, i32>,
    pub people: HashMap<&'e str, i32>,
}

impl Builder<'_> {
    pub(super) fn events(&mut self, events: &[f::Event]) -> Result<(), IngestError> {
        let mut seen = HashSet::new();
        for (i, e) in events.iter().enumerate() {
            let at = At::new("events.toml", "event", &e.key);
            unique(&mut seen, &e.key, &at)?;
            if self.events.contains_key(&e.key) {
                return Err(at.err("the key is used twice"));
            }
            let id = self.base.id(Table::Events, i);
            self.events.insert(e.key.clone(), id);
        }
        for e in events {
            self.event(e)?;
        }
        // Links may name groups of events further down the file.
        self.cohorts(events)
    }

    /// Checks one event in the order its errors are reported: date, links, citations,
    /// numbers, relations.
    fn event(&mut self, e: &f::Event) -> Result<(), IngestError> {
        let at = At::new("events.toml", "event", &e.key);
        let id = self.events[&e.key];
        let (date_start, date_end) = span(&e.date, &at, "date")?;
        let links = self.links(e, id, &at)?;
        self.citations(e, id, &links, &at)?;
        let total_figure_id = self.numbers(e, id, &at)?;
        self.relations(e, id, &at)?;
        self.rows.events.push(event::Model {
            version: 1,
            id,
            key: e.key.clone(),
            title: e.title.clone(),
            summary: e.summary.clone(),
            date_start,
            date_end,
            date_precision: e.date.precision,
            date_derived: e.date.derived,
            status: e.status,
            location_id: self.common_ancestor(links.places.values().copied()),
            total_figure_id,
            // Set with the tallies (`tallies::complete`), by the same rule.
            people_count: None,
            country_code: None,
            province_id: None,
            year: None,
            month: None,
        });
        Ok(())
    }

    /// The event's kinds, places, agencies and people.
    fn links<'e>(&mut self, e: &'e f::Event, id: i32, at: &At) -> Result<Links<'e>, IngestError> {
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
            let location_id = self.place(key, at, "places")?;
            if places.insert(key.as_str(), location_id).is_some() {
                return Err(at.err(format!("places: \"{key}\" twice")));
            }
            self.rows.event_locations.push(event_location::Model {
                event_id: id,
                location_id,
            });
        }
        let mut agencies = HashMap::new();
        for (i, link) in e.agencies.iter().enumerate() {
            let agency_id = self.agency(&link.agency, at, "agencies")?;
            agencies.insert(link.agency.as_str(), agency_id);
            self.rows.event_agencies.push(event_agency::Model {
                id: self
                    .base
                    .id(Table::EventAgencies, self.rows.event_agencies.len()),
                uid: at.uid(&format!("agencies[{i}]")),
                event_id: id,
                agency_id,
                role: link.role,
            });
        }
        let mut people = HashMap::new();
        for (i, link) in e.people.iter().enumerate() {
            let person_id = self.person(&link.person, at, "people")?;
            people.insert(link.person.as_str(), person_id);
            self.rows.event_people.push(event_person::Model {
                id: self
                    .base
                    .id(Table::EventPeople, self.rows.event_people.len()),
                uid: at.uid(&format!("people[{i}]")),
                event_id: id,
                person_id,
                role: link.role,
            });
        }
        Ok(Links {
            places,
            agencies,
            people,
        })
    }

    /// What its officials said about it, and how it relates to other events.
    fn relations(&mut self, e: &f::Event, id: i32, at: &At) -> Result<(), IngestError> {
        for (i, s) in e.statements.iter().enumerate() {
            let field = format!("statements[{i}]");
            let person_id = self.person(&s.person, at, &field)?;
            let source_id = self.quoted(&s.source, &s.quote, at, &field)?;
            self.rows.statements.push(statement::Model {
                id: self.base.id(Table::Statements, self.rows.statements.len()),
                uid: at.uid(&field),
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
            let source_id = self.quoted(&r.source, &r.quote, at, &field)?;
            self.rows.relations.push(event_relation::Model {
                id: self.base.id(Table::Relations, self.rows.relations.len()),
                uid: at.uid(&field),
                event_id: id,
                related_event_id,
                relation: r.relation,
                source_id,
                quote: r.quote.clone(),
            });
        }
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
}
