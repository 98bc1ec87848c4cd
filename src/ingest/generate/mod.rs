//! A deterministic synthetic dataset with the curated data's shape, for tests and benchmarks:
//! the same seed and size always give the same rows. Everything it makes is marked synthetic
//! (its sources' outlet is `GENERATOR_OUTLET`), and it loads only into an empty database, so
//! it never mixes with the curated dataset.

mod reference;

use super::build::Rows;
use crate::figure::{ClaimValue, resolve};
use chrono::{Duration, NaiveDate};
use entity::enums::*;
use entity::*;
use reference::COUNTRIES;
use sea_orm::Iterable;

/// The outlet every generated source names.
pub const GENERATOR_OUTLET: &str = "Scam Atlas synthetic data";

/// Builds `events` synthetic events from `seed`, with the places, agencies, people and sources
/// they need.
pub fn generate(events: usize, seed: u64) -> Rows {
    let mut g = Generator {
        rng: fastrand::Rng::with_seed(seed),
        rows: Rows::default(),
    };
    g.reference(events);
    for i in 0..events {
        g.event(i);
    }
    super::tallies::complete(&mut g.rows);
    g.rows
}

struct Generator {
    rng: fastrand::Rng,
    rows: Rows,
}

fn id(len: usize) -> i32 {
    i32::try_from(len + 1).unwrap_or(i32::MAX)
}

impl Generator {
    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.rng.usize(..items.len())]
    }

    /// A figure with one claim per source; sources sometimes disagree.
    fn figure(&mut self, sources: &[i32], base: i64) -> i32 {
        let fid = id(self.rows.figures.len());
        let mut values = Vec::new();
        for source_id in sources {
            let qualifier = *self.pick(&[
                Qualifier::Exact,
                Qualifier::Exact,
                Qualifier::Exact,
                Qualifier::AtLeast,
                Qualifier::About,
            ]);
            let value = if self.rng.u8(..4) == 0 {
                base + self.rng.i64(1..=base.max(1))
            } else {
                base
            };
            values.push(ClaimValue {
                value: Some(value),
                high: None,
                qualifier,
                derived: false,
            });
            self.rows.claims.push(claim::Model {
                id: id(self.rows.claims.len()),
                uid: format!("gen/claims/{}", self.rows.claims.len() + 1),
                figure_id: fid,
                value: Some(value),
                high: None,
                qualifier,
                derived: false,
                note: None,
                source_id: *source_id,
                quote: format!("Synthetic claim of {value}."),
            });
        }
        let r = resolve(&values);
        self.rows.figures.push(figure::Model {
            version: 1,
            id: fid,
            value: r.value,
            low: r.low,
            high: r.high,
            qualifier: r.qualifier,
            derived: r.derived,
        });
        fid
    }

    fn event(&mut self, i: usize) {
        let eid = id(i);
        // Every tenth event has every relation (people, flows with a nationality split,
        // seizures, women counts): tests start pages at one to reach the whole schema.
        let rich = i.is_multiple_of(10);
        let all_kinds: Vec<EventKind> = EventKind::iter().collect();
        let mut kinds = if rich {
            vec![EventKind::Deportation]
        } else {
            vec![*self.pick(&[
                EventKind::Raid,
                EventKind::Arrest,
                EventKind::Deportation,
                EventKind::Detention,
            ])]
        };
        if self.rng.bool() {
            let extra = *self.pick(&all_kinds);
            if !kinds.contains(&extra) {
                kinds.push(extra);
            }
        }
        let start = NaiveDate::from_ymd_opt(2011, 1, 1).unwrap_or_default()
            + Duration::days(self.rng.i64(0..5475));
        let precision = *self.pick(&[
            DatePrecision::Day,
            DatePrecision::Day,
            DatePrecision::Day,
            DatePrecision::Day,
            DatePrecision::Month,
            DatePrecision::Month,
            DatePrecision::Week,
            DatePrecision::Year,
            DatePrecision::Range,
            DatePrecision::Unknown,
        ]);
        let (date_start, date_end) = match precision {
            DatePrecision::Day => (Some(start), Some(start)),
            DatePrecision::Week => (Some(start), Some(start + Duration::days(6))),
            DatePrecision::Month => {
                let first = start - Duration::days(i64::from(chrono::Datelike::day(&start)) - 1);
                (Some(first), Some(first + Duration::days(27)))
            }
            DatePrecision::Year | DatePrecision::Range => (
                Some(start),
                Some(start + Duration::days(self.rng.i64(1..90))),
            ),
            DatePrecision::Unknown => (None, None),
        };
        let country_index = self.rng.usize(..COUNTRIES.len());
        // Each country's places are 51 consecutive ids; pick a city or site within it.
        let place = (country_index * 51 + 1 + self.rng.usize(1..51)) as i32;
        let sources: Vec<i32> = {
            let n = self.rng.usize(1..=3);
            let pool = self.rows.sources.len();
            let first = self.rng.usize(..pool);
            (0..n)
                .map(|k| id((first + k * 7) % pool))
                .collect::<std::collections::BTreeSet<_>>()
                .into_iter()
                .collect()
        };
        for kind in &kinds {
            self.rows.event_kinds.push(event_kind::Model {
                event_id: eid,
                kind: *kind,
            });
        }
        self.rows.event_locations.push(event_location::Model {
            event_id: eid,
            location_id: place,
        });
        let agency = (country_index * 4 + self.rng.usize(1..=4)) as i32;
        self.rows.event_agencies.push(event_agency::Model {
            id: id(self.rows.event_agencies.len()),
            uid: format!("gen/event_agencies/{}", self.rows.event_agencies.len() + 1),
            event_id: eid,
            agency_id: agency,
            role: AgencyRole::Arresting,
        });
        if rich || self.rng.u8(..4) == 0 {
            self.rows.event_people.push(event_person::Model {
                id: id(self.rows.event_people.len()),
                uid: format!("gen/event_people/{}", self.rows.event_people.len() + 1),
                event_id: eid,
                person_id: self.rng.i32(1..=200),
                role: PersonRole::Spokesperson,
            });
        }
        for source_id in &sources {
            let cid = id(self.rows.citations.len());
            self.rows.citations.push(citation::Model {
                id: cid,
                uid: format!("gen/citations/{cid}"),
                event_id: eid,
                source_id: *source_id,
                quote: format!("Synthetic citation {cid}."),
            });
            self.rows.citation_facts.push(citation_fact::Model {
                id: id(self.rows.citation_facts.len()),
                citation_id: cid,
                fact: CitedFact::Location,
                kind: None,
                location_id: Some(place),
                agency_id: None,
                person_id: None,
            });
        }
        let mut people = 0;
        for _ in 0..self.rng.usize(1..=3) {
            let nationality = COUNTRIES[self.rng.usize(..COUNTRIES.len())].0.to_string();
            let base = self.rng.i64(1..300);
            let count_figure_id = self.figure(&sources, base);
            let women_figure_id = if rich || self.rng.u8(..3) == 0 {
                Some(self.figure(&sources[..1], base / 4))
            } else {
                None
            };
            people += base;
            let role = *self.pick(&[
                ParticipantRole::Suspect,
                ParticipantRole::Worker,
                ParticipantRole::TraffickingVictim,
            ]);
            let status = *self.pick(&[
                ParticipantStatus::Arrested,
                ParticipantStatus::Detained,
                ParticipantStatus::Deported,
            ]);
            let unknown_nationality = self.rng.u8(..10) == 0;
            self.rows.groups.push(participant_group::Model {
                id: id(self.rows.groups.len()),
                uid: format!("gen/groups/{}", self.rows.groups.len() + 1),
                event_id: eid,
                nationality_code: if unknown_nationality {
                    None
                } else {
                    Some(nationality)
                },
                role,
                status,
                count_figure_id,
                women_figure_id,
            });
        }
        if kinds.contains(&EventKind::Deportation) {
            let fid = id(self.rows.flows.len());
            let count_figure_id = Some(self.figure(&sources, people));
            let to = COUNTRIES[self.rng.usize(..COUNTRIES.len())].0;
            if rich || self.rng.bool() {
                let nationality_figure = self.figure(&sources[..1], people / 2);
                self.rows.flow_nationalities.push(flow_nationality::Model {
                    id: id(self.rows.flow_nationalities.len()),
                    uid: format!(
                        "gen/flow_nationalities/{}",
                        self.rows.flow_nationalities.len() + 1
                    ),
                    flow_id: fid,
                    nationality_code: to.to_string(),
                    count_figure_id: nationality_figure,
                });
            }
            self.rows.flows.push(deportation_flow::Model {
                id: fid,
                uid: format!("gen/flows/{fid}"),
                event_id: eid,
                from_code: COUNTRIES[country_index].0.to_string(),
                to_code: if !rich && self.rng.u8(..8) == 0 {
                    None
                } else {
                    Some(to.to_string())
                },
                kind: FlowKind::Deportation,
                status: Status::Completed,
                date_start,
                date_end,
                date_precision: precision,
                date_derived: false,
                count_figure_id,
            });
        }
        if rich || self.rng.u8(..5) == 0 {
            let quantity = self.rng.i64(1..100);
            let quantity_figure_id = self.figure(&sources[..1], quantity);
            self.rows.seizures.push(seizure::Model {
                id: id(self.rows.seizures.len()),
                uid: format!("gen/seizures/{}", self.rows.seizures.len() + 1),
                event_id: eid,
                item: "laptop".into(),
                quantity_figure_id,
            });
        }
        self.rows.events.push(event::Model {
            version: 1,
            id: eid,
            key: format!("gen-event-{eid}"),
            title: format!("Synthetic event {eid}"),
            summary: format!(
                "A generated {} for testing and benchmarks.{}",
                kinds[0].as_str().to_lowercase(),
                if rich { " Every relation." } else { "" }
            ),
            date_start,
            date_end,
            date_precision: precision,
            date_derived: false,
            status: Status::Completed,
            location_id: Some(place),
            total_figure_id: None,
            // Set with the tallies (`tallies::complete`), by the same rule as curated data.
            people_count: None,
            country_code: None,
            province_id: None,
            year: None,
            month: None,
        });
    }
}
