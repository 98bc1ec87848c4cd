//! The reference files read back from the database: countries, sources, places, agencies,
//! people and statistics, each in key order. These tables are small beside the events (a
//! generated million events has a few thousand of each), so each is read whole.

use super::read::{Keys, by_parent, claims, claims_of, in_record_order, keys, span};
use crate::ingest::format as f;
use entity::enums::LocationLevel;
use entity::*;
use sea_orm::{ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder};

/// Every country, by code, with its centroid (its place of level COUNTRY).
pub async fn countries(db: &impl ConnectionTrait) -> Result<f::CountriesFile, DbErr> {
    let places = location::Entity::find()
        .filter(location::Column::Level.eq(LocationLevel::Country))
        .all(db)
        .await?;
    let country = country::Entity::find()
        .order_by_asc(country::Column::Code)
        .all(db)
        .await?
        .into_iter()
        .map(|c| {
            let centroid = places.iter().find(|p| p.key == c.code).and_then(|p| {
                Some(f::Coordinates {
                    latitude: p.latitude?,
                    longitude: p.longitude?,
                    precision: None,
                })
            });
            f::Country {
                code: c.code,
                name: c.name,
                centroid,
            }
        })
        .collect();
    Ok(f::CountriesFile { country })
}

/// Every source, by key.
pub async fn sources(db: &impl ConnectionTrait) -> Result<f::SourcesFile, DbErr> {
    let source = source::Entity::find()
        .order_by_asc(source::Column::Key)
        .all(db)
        .await?
        .into_iter()
        .map(|s| f::Source {
            published: span(
                s.published_start,
                s.published_end,
                s.published_precision,
                s.published_derived,
            ),
            key: s.key,
            article: s.article,
            headline: s.headline,
            outlet: s.outlet,
            original_outlet: s.original_outlet,
            wire_agency: s.wire_agency,
            byline: s.byline,
            dateline: s.dateline,
            url: s.url,
            reporting: s.reporting,
            note: s.note,
        })
        .collect();
    Ok(f::SourcesFile { source })
}

/// Every place below country level, by key.
pub async fn places(db: &impl ConnectionTrait) -> Result<f::PlacesFile, DbErr> {
    let all = location::Entity::find()
        .order_by_asc(location::Column::Key)
        .all(db)
        .await?;
    let parents = keys::<location::Entity>(db, all.iter().filter_map(|l| l.parent_id)).await?;
    let place = all
        .into_iter()
        .filter(|l| l.level != LocationLevel::Country)
        .map(|l| {
            let parent = l
                .parent_id
                .ok_or_else(|| DbErr::RecordNotFound(format!("location {}: no parent", l.id)))?;
            Ok(f::Place {
                parent: parents.of(parent)?,
                coordinates: match (l.latitude, l.longitude) {
                    (Some(latitude), Some(longitude)) => Some(f::Coordinates {
                        latitude,
                        longitude,
                        precision: l.coordinate_precision,
                    }),
                    _ => None,
                },
                key: l.key,
                name: l.name,
                level: l.level,
            })
        })
        .collect::<Result<_, DbErr>>()?;
    Ok(f::PlacesFile { place })
}

/// Every agency, by key.
pub async fn agencies(db: &impl ConnectionTrait) -> Result<f::AgenciesFile, DbErr> {
    let all = agency::Entity::find()
        .order_by_asc(agency::Column::Key)
        .all(db)
        .await?;
    let parents = keys::<agency::Entity>(db, all.iter().filter_map(|a| a.parent_id)).await?;
    let agency = all
        .into_iter()
        .map(|a| {
            Ok(f::Agency {
                parent: a.parent_id.map(|p| parents.of(p)).transpose()?,
                key: a.key,
                name: a.name,
                short_name: a.short_name,
                kind: a.kind,
                country: a.country_code,
            })
        })
        .collect::<Result<_, DbErr>>()?;
    Ok(f::AgenciesFile { agency })
}

/// Every person, by key, with their aliases and titles in record order.
pub async fn people(db: &impl ConnectionTrait) -> Result<f::PeopleFile, DbErr> {
    let all = person::Entity::find()
        .order_by_asc(person::Column::Key)
        .all(db)
        .await?;
    let aliases = person_alias::Entity::find().all(db).await?;
    let titles = person_title::Entity::find().all(db).await?;
    let sources: Keys = keys::<source::Entity>(
        db,
        aliases
            .iter()
            .map(|a| a.source_id)
            .chain(titles.iter().map(|t| t.source_id))
            .collect::<Vec<_>>(),
    )
    .await?;
    let agencies = keys::<agency::Entity>(db, titles.iter().filter_map(|t| t.agency_id)).await?;
    let mut aliases = by_parent(aliases, |a| a.person_id);
    let mut titles = by_parent(titles, |t| t.person_id);
    let person = all
        .into_iter()
        .map(|p| {
            let mut own_aliases = aliases.remove(&p.id).unwrap_or_default();
            in_record_order(&mut own_aliases, |a| (&a.uid, a.id));
            let mut own_titles = titles.remove(&p.id).unwrap_or_default();
            in_record_order(&mut own_titles, |t| (&t.uid, t.id));
            Ok(f::Person {
                key: p.key,
                name: p.name,
                standing: p.standing,
                aliases: own_aliases
                    .into_iter()
                    .map(|a| {
                        Ok(f::Alias {
                            name: a.name,
                            source: sources.of(a.source_id)?,
                            quote: a.quote,
                        })
                    })
                    .collect::<Result<_, DbErr>>()?,
                titles: own_titles
                    .into_iter()
                    .map(|t| {
                        Ok(f::Title {
                            title: t.title,
                            agency: t.agency_id.map(|a| agencies.of(a)).transpose()?,
                            as_of: t.as_of,
                            source: sources.of(t.source_id)?,
                            quote: t.quote,
                        })
                    })
                    .collect::<Result<_, DbErr>>()?,
            })
        })
        .collect::<Result<_, DbErr>>()?;
    Ok(f::PeopleFile { person })
}

/// Every statistic, by key, with its figure's claims.
pub async fn statistics(db: &impl ConnectionTrait) -> Result<f::StatisticsFile, DbErr> {
    let all = statistic::Entity::find()
        .order_by_asc(statistic::Column::Key)
        .all(db)
        .await?;
    let figures = claims(db, all.iter().map(|s| s.figure_id).collect::<Vec<_>>()).await?;
    let places = keys::<location::Entity>(db, all.iter().filter_map(|s| s.location_id)).await?;
    let agencies = keys::<agency::Entity>(db, all.iter().filter_map(|s| s.agency_id)).await?;
    let statistic = all
        .into_iter()
        .map(|s| {
            Ok(f::Statistic {
                period: span(
                    s.period_start,
                    s.period_end,
                    s.period_precision,
                    s.period_derived,
                ),
                place: s.location_id.map(|l| places.of(l)).transpose()?,
                attributed_to: s.agency_id.map(|a| agencies.of(a)).transpose()?,
                figure: claims_of(&figures, Some(s.figure_id)),
                key: s.key,
                description: s.description,
                unit: s.unit,
            })
        })
        .collect::<Result<_, DbErr>>()?;
    Ok(f::StatisticsFile { statistic })
}
