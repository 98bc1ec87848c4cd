//! Building a few new records beside those already in a database: the write path's use of
//! the loader's checks. The caller says what the database holds that the new records may
//! name ([`Known`], read inside its transaction) and where new ids start; the checks, their
//! order and their messages are the loader's own.

use super::{Bases, Builder, IngestError, Rows};
use crate::ingest::format as f;
use entity::*;
use std::collections::{HashMap, HashSet};

/// What the database holds that new records may refer to, by key.
#[derive(Debug, Default)]
pub struct Known {
    /// Where each table's new ids start.
    pub bases: Bases,
    pub countries: HashSet<String>,
    /// Source key → (id, article text).
    pub sources: HashMap<String, (i32, String)>,
    /// Place key (or country code) → (location id, its ancestors nearest first, itself included).
    pub places: HashMap<String, (i32, Vec<i32>)>,
    pub agencies: HashMap<String, i32>,
    pub people: HashMap<String, i32>,
    pub events: HashMap<String, i32>,
    /// The groups of known events that a new cohort link may name, and their count values.
    pub groups: Vec<participant_group::Model>,
    pub values: HashMap<i32, Option<i64>>,
}

/// New records, each kind checked as the loader checks its file.
#[derive(Debug, Default)]
pub struct Records {
    /// Sources with their article texts.
    pub sources: Vec<(f::Source, String)>,
    pub people: Vec<f::Person>,
    pub events: Vec<f::Event>,
    pub statistics: Vec<f::Statistic>,
}

impl Records {
    /// Every key these records name, by kind, for reading what is [`Known`] of them.
    pub fn references(&self) -> References {
        let mut r = References::default();
        let claims = |claims: &[f::Claim], r: &mut References| {
            r.sources.extend(claims.iter().map(|c| c.source.clone()));
        };
        for p in &self.people {
            r.sources.extend(p.aliases.iter().map(|a| a.source.clone()));
            for t in &p.titles {
                r.sources.insert(t.source.clone());
                r.agencies.extend(t.agency.clone());
            }
        }
        for e in &self.events {
            r.places.extend(e.places.iter().cloned());
            r.sources
                .extend(e.citations.iter().map(|c| c.source.clone()));
            r.agencies
                .extend(e.agencies.iter().map(|a| a.agency.clone()));
            r.people.extend(e.people.iter().map(|p| p.person.clone()));
            claims(&e.total, &mut r);
            for g in &e.participants {
                claims(&g.count, &mut r);
                claims(&g.women, &mut r);
                if let Some(link) = &g.cohort {
                    r.events.insert(link.event.clone());
                    r.sources.insert(link.source.clone());
                }
            }
            for flow in &e.flows {
                claims(&flow.count, &mut r);
                for part in &flow.by_nationality {
                    claims(&part.count, &mut r);
                }
            }
            for s in &e.seizures {
                claims(&s.quantity, &mut r);
            }
            for m in &e.money {
                claims(&m.amount, &mut r);
            }
            for s in &e.statements {
                r.people.insert(s.person.clone());
                r.sources.insert(s.source.clone());
            }
            for rel in &e.related {
                r.events.insert(rel.event.clone());
                r.sources.insert(rel.source.clone());
            }
        }
        for s in &self.statistics {
            r.places.extend(s.place.clone());
            r.agencies.extend(s.attributed_to.clone());
            claims(&s.figure, &mut r);
        }
        r
    }
}

/// The keys new records name.
#[derive(Debug, Default)]
pub struct References {
    pub sources: HashSet<String>,
    pub places: HashSet<String>,
    pub agencies: HashSet<String>,
    pub people: HashSet<String>,
    pub events: HashSet<String>,
}

/// Checks `records` against what is `known` and returns their rows, numbered from the
/// known bases; tallies are left to the caller (`tallies::recompute`, once written).
pub fn build_partial(known: &Known, records: &Records) -> Result<Rows, IngestError> {
    let mut b = seeded(known);
    for (source, text) in &records.sources {
        b.articles.insert(source.article.as_str(), text.as_str());
    }
    let sources: Vec<f::Source> = records.sources.iter().map(|(s, _)| s.clone()).collect();
    for s in &sources {
        if known.sources.contains_key(&s.key) {
            let at = super::At::new("sources.toml", "source", &s.key);
            return Err(at.err("the key is used twice"));
        }
    }
    b.sources(&sources)?;
    for p in &records.people {
        if known.people.contains_key(&p.key) {
            let at = super::At::new("people.toml", "person", &p.key);
            return Err(at.err("the key is used twice"));
        }
    }
    b.people(&records.people)?;
    b.events(&records.events)?;
    b.statistics(&records.statistics)?;
    Ok(b.rows)
}

/// Checks one new claim on a figure, as the loader checks a figure's claims; returns its row
/// (its `figure_id` and `uid` are the caller's to set).
pub fn check_claim(
    known: &Known,
    record: (&'static str, &str, &str),
    claim: &f::Claim,
) -> Result<claim::Model, IngestError> {
    let mut b = seeded(known);
    let (file, kind, key) = record;
    let at = super::At::new(file, kind, key);
    b.figure(std::slice::from_ref(claim), &at, "claim")?;
    b.rows
        .claims
        .pop()
        .ok_or_else(|| IngestError::Unreadable("a checked claim made no row".into()))
}

fn seeded(known: &Known) -> Builder<'_> {
    let mut b = Builder {
        base: known.bases,
        seeded_groups: known.groups.clone(),
        seeded_values: known.values.clone(),
        ..Default::default()
    };
    b.countries = known.countries.clone();
    b.sources = known
        .sources
        .iter()
        .map(|(k, (id, text))| (k.clone(), (*id, text.as_str())))
        .collect();
    for (key, (id, chain)) in &known.places {
        b.places.insert(key.clone(), *id);
        b.ancestry.insert(*id, chain.clone());
    }
    b.agencies = known.agencies.clone();
    b.people = known.people.clone();
    b.events = known.events.clone();
    b
}
