//! The generator's reference data: 40 countries, each with provinces, cities and sites, four
//! agencies, 200 people and a pool of synthetic sources.

use super::{GENERATOR_OUTLET, Generator, id};
use crate::ingest::build::Rows;
use chrono::{Duration, NaiveDate};
use entity::enums::*;
use entity::*;

/// The countries events happen in and people come from.
pub(super) const COUNTRIES: &[(&str, &str)] = &[
    ("KH", "Cambodia"),
    ("CN", "China"),
    ("TW", "Taiwan"),
    ("TH", "Thailand"),
    ("VN", "Vietnam"),
    ("ID", "Indonesia"),
    ("MY", "Malaysia"),
    ("MM", "Myanmar"),
    ("LA", "Laos"),
    ("PH", "Philippines"),
    ("IN", "India"),
    ("US", "United States"),
    ("GB", "United Kingdom"),
    ("KR", "South Korea"),
    ("JP", "Japan"),
    ("SG", "Singapore"),
    ("BD", "Bangladesh"),
    ("PK", "Pakistan"),
    ("NP", "Nepal"),
    ("LK", "Sri Lanka"),
    ("UG", "Uganda"),
    ("KE", "Kenya"),
    ("NG", "Nigeria"),
    ("ET", "Ethiopia"),
    ("BR", "Brazil"),
    ("TR", "Turkey"),
    ("RU", "Russia"),
    ("UA", "Ukraine"),
    ("KZ", "Kazakhstan"),
    ("UZ", "Uzbekistan"),
    ("AU", "Australia"),
    ("NZ", "New Zealand"),
    ("CA", "Canada"),
    ("FR", "France"),
    ("DE", "Germany"),
    ("IT", "Italy"),
    ("ES", "Spain"),
    ("AE", "United Arab Emirates"),
    ("EG", "Egypt"),
    ("ZA", "South Africa"),
];

impl Generator {
    pub(super) fn reference(&mut self, events: usize) {
        let r = &mut self.rows;
        for (code, name) in COUNTRIES {
            r.countries.push(country::Model {
                code: code.to_string(),
                name: name.to_string(),
            });
        }
        // Country > 5 provinces > 3 cities > 2 sites: 2,040 places.
        let add = |r: &mut Rows, name: String, level, parent: Option<i32>, code: &str| {
            let lid = id(r.locations.len());
            r.locations.push(location::Model {
                id: lid,
                key: format!("gen-{lid}"),
                name,
                level,
                parent_id: parent,
                country_code: code.to_string(),
                // A generated gazetteer has no coordinates.
                latitude: None,
                longitude: None,
                coordinate_precision: None,
            });
            let mut ancestor = Some(lid);
            let mut depth = 0;
            while let Some(a) = ancestor {
                r.closures.push(location_closure::Model {
                    ancestor_id: a,
                    descendant_id: lid,
                    depth,
                });
                ancestor = r.locations[(a - 1) as usize].parent_id;
                depth += 1;
            }
            lid
        };
        for (code, name) in COUNTRIES {
            let country = add(r, name.to_string(), LocationLevel::Country, None, code);
            for p in 0..5 {
                let province = add(
                    r,
                    format!("{name} province {p}"),
                    LocationLevel::Province,
                    Some(country),
                    code,
                );
                for c in 0..3 {
                    let city = add(
                        r,
                        format!("{name} city {p}.{c}"),
                        LocationLevel::City,
                        Some(province),
                        code,
                    );
                    for s in 0..2 {
                        add(
                            r,
                            format!("{name} compound {p}.{c}.{s}"),
                            LocationLevel::Site,
                            Some(city),
                            code,
                        );
                    }
                }
            }
        }
        let kinds = [
            AgencyKind::Police,
            AgencyKind::Immigration,
            AgencyKind::Ministry,
            AgencyKind::Military,
        ];
        for (code, name) in COUNTRIES {
            for kind in kinds {
                let aid = id(r.agencies.len());
                r.agencies.push(agency::Model {
                    id: aid,
                    key: format!("gen-agency-{aid}"),
                    name: format!("{name} {}", kind.as_str().to_lowercase()),
                    short_name: None,
                    kind,
                    country_code: Some(code.to_string()),
                    parent_id: None,
                });
            }
        }
        for p in 0..200 {
            r.people.push(person::Model {
                version: 1,
                standing: Some(PersonStanding::PublicOfficial),
                id: p + 1,
                key: format!("gen-person-{}", p + 1),
                name: format!("Official {}", p + 1),
            });
        }
        for s in 0..(events / 3).max(3) {
            let day = NaiveDate::from_ymd_opt(2011, 1, 1).unwrap_or_default()
                + Duration::days((s % 5475) as i64);
            r.sources.push(source::Model {
                version: 1,
                id: id(s),
                key: format!("gen-source-{}", s + 1),
                article: String::new(),
                headline: format!("Synthetic report {}", s + 1),
                outlet: GENERATOR_OUTLET.into(),
                original_outlet: None,
                wire_agency: None,
                byline: None,
                dateline: None,
                published_start: Some(day),
                published_end: Some(day),
                published_precision: DatePrecision::Day,
                published_derived: false,
                url: None,
                reporting: Reporting::Original,
                note: Some("generated".into()),
            });
        }
    }
}
