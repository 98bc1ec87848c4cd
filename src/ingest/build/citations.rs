//! Checking an event's citations: each quote is in its source's article, and every fact the
//! event states (kinds, date, places, agencies, people) is backed by at least one.

use super::events::Links;
use super::{At, Builder, IngestError, Table};
use crate::ingest::format as f;
use entity::enums::*;
use entity::*;
use std::collections::HashSet;

impl Builder<'_> {
    pub(super) fn citations(
        &mut self,
        e: &f::Event,
        id: i32,
        links: &Links<'_>,
        at: &At,
    ) -> Result<(), IngestError> {
        let mut supported = HashSet::new();
        for (i, c) in e.citations.iter().enumerate() {
            let field = format!("citations[{i}]");
            let source_id = self.quoted(&c.source, &c.quote, at, &field)?;
            let citation_id = self.base.id(Table::Citations, self.rows.citations.len());
            self.rows.citations.push(citation::Model {
                id: citation_id,
                uid: at.uid(&field),
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
                    id: self
                        .base
                        .id(Table::CitationFacts, self.rows.citation_facts.len()),
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
                            *links
                                .places
                                .get(k)
                                .ok_or_else(|| bad("not a place of this event"))?,
                        );
                    }
                    Some(("agency", k)) => {
                        fact.fact = CitedFact::Agency;
                        fact.agency_id = Some(
                            *links
                                .agencies
                                .get(k)
                                .ok_or_else(|| bad("not an agency of this event"))?,
                        );
                    }
                    Some(("person", k)) => {
                        fact.fact = CitedFact::Person;
                        fact.person_id = Some(
                            *links
                                .people
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
        Ok(())
    }
}
