//! Checking the reference files: countries, sources, places, agencies, people, statistics.

use super::{At, Builder, IngestError, Table, span, unique};
use crate::ingest::format as f;
use entity::enums::*;
use entity::*;
use std::collections::{HashMap, HashSet};

impl Builder<'_> {
    pub(super) fn countries(&mut self, countries: &[f::Country]) -> Result<(), IngestError> {
        for c in countries {
            let at = At::new("countries.toml", "country", &c.code);
            if c.code.len() != 2 || !c.code.bytes().all(|b| b.is_ascii_uppercase()) {
                return Err(at.err("code: not an ISO 3166-1 alpha-2 code (two capital letters)"));
            }
            if !self.countries.insert(c.code.clone()) {
                return Err(at.err("the code is used twice"));
            }
            let (latitude, longitude, _) = coordinates(c.centroid.as_ref(), &at, "centroid", true)?;
            self.centroids.push((latitude, longitude));
            self.rows.countries.push(country::Model {
                code: c.code.clone(),
                name: c.name.clone(),
            });
        }
        Ok(())
    }

    pub(super) fn sources(&mut self, sources: &[f::Source]) -> Result<(), IngestError> {
        let mut seen = HashSet::new();
        for s in sources {
            let at = At::new("sources.toml", "source", &s.key);
            unique(&mut seen, &s.key, &at)?;
            let text = *self
                .articles
                .get(s.article.as_str())
                .ok_or_else(|| at.err(format!("article: no article file \"{}\"", s.article)))?;
            let (start, end) = span(&s.published, &at, "published")?;
            let id = self.base.id(Table::Sources, self.rows.sources.len());
            self.sources.insert(s.key.clone(), (id, text));
            self.rows.source_texts.push(source_text::Model {
                source_id: id,
                text: text.to_string(),
            });
            self.rows.sources.push(source::Model {
                version: 1,
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
    pub(super) fn places(&mut self, places: &[f::Place]) -> Result<(), IngestError> {
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
        let centroids = self.centroids.clone();
        for (c, (latitude, longitude)) in countries.iter().zip(centroids) {
            let id = self.base.id(Table::Locations, self.rows.locations.len());
            self.places.insert(c.code.clone(), id);
            self.rows.locations.push(location::Model {
                id,
                key: c.code.clone(),
                name: c.name.clone(),
                level: LocationLevel::Country,
                parent_id: None,
                country_code: c.code.clone(),
                latitude: Some(latitude),
                longitude: Some(longitude),
                coordinate_precision: Some(CoordinatePrecision::Country),
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
            let (latitude, longitude, precision) =
                coordinates(p.coordinates.as_ref(), &at, "coordinates", false)?;
            let id = self.base.id(Table::Locations, self.rows.locations.len());
            self.places.insert(p.key.clone(), id);
            self.rows.locations.push(location::Model {
                id,
                key: p.key.clone(),
                name: p.name.clone(),
                level: p.level,
                parent_id: None,
                country_code: String::new(),
                latitude: Some(latitude),
                longitude: Some(longitude),
                coordinate_precision: Some(precision),
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

    pub(super) fn agencies(&mut self, agencies: &[f::Agency]) -> Result<(), IngestError> {
        let mut seen = HashSet::new();
        for (i, a) in agencies.iter().enumerate() {
            let at = At::new("agencies.toml", "agency", &a.key);
            unique(&mut seen, &a.key, &at)?;
            let id = self.base.id(Table::Agencies, i);
            self.agencies.insert(a.key.clone(), id);
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

    pub(super) fn people(&mut self, people: &[f::Person]) -> Result<(), IngestError> {
        let mut seen = HashSet::new();
        for p in people {
            let at = At::new("people.toml", "person", &p.key);
            unique(&mut seen, &p.key, &at)?;
            let standing = match p.standing {
                None => {
                    return Err(at.err(
                        "standing: say whether the person is a PUBLIC_OFFICIAL or a \
                         CHARGED_PRINCIPAL (private persons are never named)",
                    ));
                }
                Some(PersonStanding::PrivateIndividual) => {
                    return Err(at.err(
                        "standing: a private person is never named (only public officials \
                         and publicly charged principals)",
                    ));
                }
                Some(standing) => standing,
            };
            let id = self.base.id(Table::People, self.rows.people.len());
            self.people.insert(p.key.clone(), id);
            self.rows.people.push(person::Model {
                id,
                key: p.key.clone(),
                name: p.name.clone(),
                version: 1,
                standing: Some(standing),
            });
            for (i, alias) in p.aliases.iter().enumerate() {
                let source_id =
                    self.quoted(&alias.source, &alias.quote, &at, &format!("aliases[{i}]"))?;
                self.rows.aliases.push(person_alias::Model {
                    id: self.base.id(Table::Aliases, self.rows.aliases.len()),
                    uid: at.uid(&format!("aliases[{i}]")),
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
                    id: self.base.id(Table::Titles, self.rows.titles.len()),
                    uid: at.uid(&field),
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

    pub(super) fn statistics(&mut self, statistics: &[f::Statistic]) -> Result<(), IngestError> {
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
                version: 1,
                id: self.base.id(Table::Statistics, self.rows.statistics.len()),
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

/// A place's coordinates, checked: present, finite, in range, with a precision (a country's
/// centroid is COUNTRY precision, and may say so or not).
fn coordinates(
    c: Option<&f::Coordinates>,
    at: &At,
    field: &str,
    centroid: bool,
) -> Result<(f64, f64, CoordinatePrecision), IngestError> {
    let c =
        c.ok_or_else(|| at.err(format!("{field}: missing (latitude, longitude, precision)")))?;
    if !c.latitude.is_finite() || !(-90.0..=90.0).contains(&c.latitude) {
        return Err(at.err(format!("{field}.latitude: not between -90 and 90")));
    }
    if !c.longitude.is_finite() || !(-180.0..=180.0).contains(&c.longitude) {
        return Err(at.err(format!("{field}.longitude: not between -180 and 180")));
    }
    let precision = match (c.precision, centroid) {
        (None | Some(CoordinatePrecision::Country), true) => CoordinatePrecision::Country,
        (Some(_), true) => {
            return Err(at.err(format!(
                "{field}.precision: a centroid is COUNTRY precision"
            )));
        }
        (Some(p), false) => p,
        (None, false) => {
            return Err(at.err(format!(
                "{field}.precision: missing (SITE, CITY, PROVINCE or COUNTRY)"
            )));
        }
    };
    Ok((c.latitude, c.longitude, precision))
}
