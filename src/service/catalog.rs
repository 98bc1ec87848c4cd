//! Filters and orderings of the reference connections: agencies, people, places, sources and
//! statistics.

use super::sort::Sort;
use super::words_match;
use chrono::NaiveDate;
use entity::enums::{AgencyKind, LocationLevel, Reporting, StatisticUnit};
use entity::*;
use sea_orm::sea_query::{Expr, ExprTrait, Func, Query};
use sea_orm::{ColumnTrait, Condition, ConnectionTrait, DbErr, EntityTrait, QueryOrder};

/// Agencies by name (short name included), kind and country.
#[derive(Clone, Debug, Default)]
pub struct AgencyFilter {
    pub search: Option<String>,
    /// Any of these kinds (none: any kind).
    pub kinds: Vec<AgencyKind>,
    /// Of any of these countries (ISO codes).
    pub countries: Vec<String>,
}

impl AgencyFilter {
    pub fn condition(&self) -> Condition {
        let mut c = Condition::all();
        if let Some(text) = &self.search {
            c = c.add(words_match(
                text,
                &[
                    Expr::col((agency::Entity, agency::Column::Name)),
                    Expr::col((agency::Entity, agency::Column::ShortName)),
                ],
            ));
        }
        if !self.kinds.is_empty() {
            c = c.add(agency::Column::Kind.is_in(self.kinds.clone()));
        }
        if !self.countries.is_empty() {
            c = c.add(agency::Column::CountryCode.is_in(self.countries.clone()));
        }
        c
    }
}

/// People by name or any alias.
#[derive(Clone, Debug, Default)]
pub struct PersonFilter {
    pub search: Option<String>,
}

impl PersonFilter {
    pub fn condition(&self) -> Condition {
        let Some(text) = &self.search else {
            return Condition::all();
        };
        // Each word must occur in the name or in one alias: "Hai Seila" finds Uk Heisela.
        text.split_whitespace().fold(Condition::all(), |all, word| {
            let pattern = super::contains_word(word);
            let aliases = Query::select()
                .column(person_alias::Column::PersonId)
                .from(person_alias::Entity)
                .and_where(
                    Expr::expr(Func::lower(Expr::col(person_alias::Column::Name)))
                        .like(pattern.clone()),
                )
                .to_owned();
            all.add(
                Condition::any()
                    .add(
                        Expr::expr(Func::lower(Expr::col((
                            person::Entity,
                            person::Column::Name,
                        ))))
                        .like(pattern),
                    )
                    .add(Expr::col((person::Entity, person::Column::Id)).in_subquery(aliases)),
            )
        })
    }
}

/// Places by name, level, country, and being within another place.
#[derive(Clone, Debug, Default)]
pub struct LocationFilter {
    pub search: Option<String>,
    /// Any of these levels.
    pub levels: Vec<LocationLevel>,
    /// In any of these countries (ISO codes).
    pub countries: Vec<String>,
    /// Only places under this one (its key; itself excluded).
    pub within: Option<String>,
}

impl LocationFilter {
    pub fn condition(&self) -> Condition {
        let mut c = Condition::all();
        if let Some(text) = &self.search {
            c = c.add(words_match(
                text,
                &[Expr::col((location::Entity, location::Column::Name))],
            ));
        }
        if !self.levels.is_empty() {
            c = c.add(location::Column::Level.is_in(self.levels.clone()));
        }
        if !self.countries.is_empty() {
            c = c.add(location::Column::CountryCode.is_in(self.countries.clone()));
        }
        if let Some(key) = &self.within {
            let under = Query::select()
                .column(location_closure::Column::DescendantId)
                .from(location_closure::Entity)
                .and_where(
                    location_closure::Column::AncestorId.in_subquery(super::ids_of::<
                        location::Entity,
                    >(
                        std::slice::from_ref(key)
                    )),
                )
                .and_where(location_closure::Column::Depth.gt(0))
                .to_owned();
            c = c.add(Expr::col((location::Entity, location::Column::Id)).in_subquery(under));
        }
        c
    }
}

/// Sources by headline or outlet, and by how they report.
#[derive(Clone, Debug, Default)]
pub struct SourceFilter {
    pub search: Option<String>,
    /// Reporting in any of these ways.
    pub reporting: Vec<Reporting>,
}

impl SourceFilter {
    pub fn condition(&self) -> Condition {
        let mut c = Condition::all();
        if let Some(text) = &self.search {
            c = c.add(words_match(
                text,
                &[
                    Expr::col((source::Entity, source::Column::Headline)),
                    Expr::col((source::Entity, source::Column::Outlet)),
                ],
            ));
        }
        if !self.reporting.is_empty() {
            c = c.add(source::Column::Reporting.is_in(self.reporting.clone()));
        }
        c
    }
}

/// Statistics by description, unit, period overlap and place.
#[derive(Clone, Debug, Default)]
pub struct StatisticFilter {
    pub search: Option<String>,
    /// Counting any of these.
    pub units: Vec<StatisticUnit>,
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
}

impl StatisticFilter {
    pub fn condition(&self) -> Condition {
        let mut c = Condition::all();
        if let Some(text) = &self.search {
            c = c.add(words_match(
                text,
                &[Expr::col((
                    statistic::Entity,
                    statistic::Column::Description,
                ))],
            ));
        }
        if !self.units.is_empty() {
            c = c.add(statistic::Column::Unit.is_in(self.units.clone()));
        }
        if let Some(from) = self.from {
            c = c.add(statistic::Column::PeriodEnd.gte(from));
        }
        if let Some(to) = self.to {
            c = c.add(statistic::Column::PeriodStart.lte(to));
        }
        c
    }
}

/// Every country, by name.
pub async fn countries(db: &impl ConnectionTrait) -> Result<Vec<country::Model>, DbErr> {
    country::Entity::find()
        .order_by_asc(country::Column::Name)
        .all(db)
        .await
}

/// Agencies by name.
pub const AGENCIES_BY_NAME: Sort<agency::Entity> = Sort {
    name: "agencies:NAME:ASC",
    column: agency::Column::Name,
    descending: false,
};

/// People by name.
pub const PEOPLE_BY_NAME: Sort<person::Entity> = Sort {
    name: "people:NAME:ASC",
    column: person::Column::Name,
    descending: false,
};

/// Places by name: the gazetteer, and the places under a place.
pub const LOCATIONS_BY_NAME: Sort<location::Entity> = Sort {
    name: "locations:NAME:ASC",
    column: location::Column::Name,
    descending: false,
};

/// Sources, newest first.
pub const SOURCES_BY_PUBLISHED: Sort<source::Entity> = Sort {
    name: "sources:PUBLISHED:DESC",
    column: source::Column::PublishedStart,
    descending: true,
};

/// Statistics, newest period first.
pub const STATISTICS_BY_PERIOD: Sort<statistic::Entity> = Sort {
    name: "statistics:PERIOD:DESC",
    column: statistic::Column::PeriodStart,
    descending: true,
};
