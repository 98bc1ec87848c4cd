//! The inputs that filter and order connections, checked and turned into service filters.

use super::enums::{
    AgencyKind, EventKind, FlowKind, LocationLevel, Reporting, StatisticUnit, Status,
};
use super::scalars::Date;
use crate::error::Error;
use crate::graphql::ids;
use crate::service::catalog as c;
use crate::service::event::{EventFilter as Events, EventOrder};
use crate::service::flow::FlowFilter as Flows;
use async_graphql::{Enum, ID, InputObject};

/// An ISO 3166-1 alpha-2 code, upper-cased; anything else is the client's mistake.
pub fn country_code(code: &str) -> Result<String, Error> {
    let upper = code.trim().to_ascii_uppercase();
    if upper.len() == 2 && upper.bytes().all(|b| b.is_ascii_uppercase()) {
        Ok(upper)
    } else {
        Err(Error::BadUserInput(format!(
            "{} is not an ISO 3166-1 alpha-2 country code (e.g. KH)",
            ids::shown(code)
        )))
    }
}

/// Most words a search may hold, and most characters: each word is a pattern match over every
/// row, so a long search is long work (900 words took 30 s over 100,000 events), and a very
/// long one overflowed the stack building its condition.
pub const MAX_SEARCH_WORDS: usize = 16;
/// Most characters a search may hold.
pub const MAX_SEARCH_CHARS: usize = 200;

/// A search's words, checked against the limits; None for a blank one.
pub fn search(text: Option<String>) -> Result<Option<String>, Error> {
    let Some(text) = text.filter(|t| !t.trim().is_empty()) else {
        return Ok(None);
    };
    let words = text.split_whitespace().count();
    let chars = text.chars().count();
    if words > MAX_SEARCH_WORDS || chars > MAX_SEARCH_CHARS {
        return Err(Error::BadUserInput(format!(
            "a search may hold at most {MAX_SEARCH_WORDS} words and {MAX_SEARCH_CHARS} \
             characters; this one has {words} words and {chars} characters"
        )));
    }
    Ok(Some(text))
}

fn code(code: Option<String>) -> Result<Option<String>, Error> {
    code.as_deref().map(country_code).transpose()
}

fn id(type_name: &str, id: Option<ID>) -> Result<Option<i32>, Error> {
    id.as_ref().map(|id| ids::decode(type_name, id)).transpose()
}

fn span(
    from: Option<Date>,
    to: Option<Date>,
) -> Result<(Option<chrono::NaiveDate>, Option<chrono::NaiveDate>), Error> {
    match (from, to) {
        (Some(f), Some(t)) if t < f => Err(Error::BadUserInput(format!(
            "`to` ({}) is before `from` ({})",
            t.0, f.0
        ))),
        _ => Ok((from.map(|d| d.0), to.map(|d| d.0))),
    }
}

/// Narrows a list of events; every field given must hold.
#[derive(InputObject, Clone, Debug, Default)]
pub struct EventFilter {
    /// Events of any of these kinds.
    pub kinds: Option<Vec<EventKind>>,
    /// Events whose date span reaches this day or later. A MONTH-precision event of July 2025
    /// matches `from: "2025-07-05"`; events of UNKNOWN date match no date filter.
    pub from: Option<Date>,
    /// Events whose date span begins on this day or earlier.
    pub to: Option<Date>,
    /// Events in this country (ISO 3166-1 alpha-2 code, e.g. `KH`).
    pub country: Option<String>,
    /// Events in this place or any place under it (a province finds its cities' events).
    pub location: Option<ID>,
    /// Events involving people of this nationality (ISO code).
    pub nationality: Option<String>,
    /// Events this agency took part in.
    pub agency: Option<ID>,
    /// Events this person took part in.
    pub person: Option<ID>,
    /// Events this source reports.
    pub source: Option<ID>,
    /// Only completed, or only planned, events.
    pub status: Option<Status>,
    /// Words that must all occur in the title or summary (case-insensitive).
    pub search: Option<String>,
}

impl EventFilter {
    /// The service filter, with IDs and codes checked.
    pub fn into_service(self) -> Result<Events, Error> {
        let (from, to) = span(self.from, self.to)?;
        Ok(Events {
            kinds: self
                .kinds
                .unwrap_or_default()
                .into_iter()
                .map(Into::into)
                .collect(),
            from,
            to,
            country: code(self.country)?,
            location: id("Location", self.location)?,
            nationality: code(self.nationality)?,
            agency: id("Agency", self.agency)?,
            person: id("Person", self.person)?,
            source: id("Source", self.source)?,
            status: self.status.map(Into::into),
            search: search(self.search)?,
        })
    }
}

/// What to sort events by.
#[derive(Enum, Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum EventOrderField {
    /// The start of the event's date span; events of UNKNOWN date sort lowest.
    #[default]
    Date,
    /// The number of people the event involved (`peopleCount.value`); events without people
    /// sort lowest.
    PeopleCount,
}

/// Ascending or descending.
#[derive(Enum, Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum OrderDirection {
    /// Smallest (earliest) first.
    Asc,
    /// Largest (latest) first.
    #[default]
    Desc,
}

/// How to order events: by default newest first.
#[derive(InputObject, Clone, Copy, Debug, Default)]
pub struct EventOrderBy {
    /// What to sort by.
    #[graphql(default)]
    pub field: EventOrderField,
    /// Which way.
    #[graphql(default)]
    pub direction: OrderDirection,
}

impl EventOrderBy {
    /// The service ordering and whether it is descending (`EventOrder::sort` makes the `Sort`).
    pub fn resolve(self) -> (EventOrder, bool) {
        let order = match self.field {
            EventOrderField::Date => EventOrder::Date,
            EventOrderField::PeopleCount => EventOrder::PeopleCount,
        };
        (order, self.direction == OrderDirection::Desc)
    }
}

/// Narrows a list of agencies.
#[derive(InputObject, Clone, Debug, Default)]
pub struct AgencyFilter {
    /// Words that must all occur in the name or short name.
    pub search: Option<String>,
    /// Only agencies of this kind.
    pub kind: Option<AgencyKind>,
    /// Only agencies of this country (ISO code).
    pub country: Option<String>,
}

impl AgencyFilter {
    pub fn into_service(self) -> Result<c::AgencyFilter, Error> {
        Ok(c::AgencyFilter {
            search: search(self.search)?,
            kind: self.kind.map(Into::into),
            country: code(self.country)?,
        })
    }
}

/// Narrows a list of people.
#[derive(InputObject, Clone, Debug, Default)]
pub struct PersonFilter {
    /// Words that must each occur in the name or in one of the aliases ("Hai Seila" finds
    /// Uk Heisela).
    pub search: Option<String>,
}

/// Narrows a list of places.
#[derive(InputObject, Clone, Debug, Default)]
pub struct LocationFilter {
    /// Words that must all occur in the name.
    pub search: Option<String>,
    /// Only places of this level.
    pub level: Option<LocationLevel>,
    /// Only places in this country (ISO code).
    pub country: Option<String>,
    /// Only places under this place (at any depth).
    pub within: Option<ID>,
}

impl LocationFilter {
    pub fn into_service(self) -> Result<c::LocationFilter, Error> {
        Ok(c::LocationFilter {
            search: search(self.search)?,
            level: self.level.map(Into::into),
            country: code(self.country)?,
            within: id("Location", self.within)?,
        })
    }
}

/// Narrows a list of sources.
#[derive(InputObject, Clone, Debug, Default)]
pub struct SourceFilter {
    /// Words that must all occur in the headline or outlet.
    pub search: Option<String>,
    /// Only sources that report this way.
    pub reporting: Option<Reporting>,
}

/// Narrows a list of statistics.
#[derive(InputObject, Clone, Debug, Default)]
pub struct StatisticFilter {
    /// Words that must all occur in the description.
    pub search: Option<String>,
    /// Only statistics counting this.
    pub unit: Option<StatisticUnit>,
    /// Statistics whose period reaches this day or later (UNKNOWN periods never match).
    pub from: Option<Date>,
    /// Statistics whose period begins on this day or earlier.
    pub to: Option<Date>,
}

impl StatisticFilter {
    pub fn into_service(self) -> Result<c::StatisticFilter, Error> {
        let (from, to) = span(self.from, self.to)?;
        Ok(c::StatisticFilter {
            search: search(self.search)?,
            unit: self.unit.map(Into::into),
            from,
            to,
        })
    }
}

/// Narrows a list of deportation and extradition flows.
#[derive(InputObject, Clone, Debug, Default)]
pub struct FlowFilter {
    /// Flows from this country (ISO code).
    pub from: Option<String>,
    /// Flows to this country (ISO code).
    pub to: Option<String>,
    /// Only flows whose destination the sources leave unspecified.
    #[graphql(default)]
    pub to_unspecified: bool,
    /// Only deportations, or only extraditions.
    pub kind: Option<FlowKind>,
    /// Only completed, or only planned, flows.
    pub status: Option<Status>,
    /// Flows with people of this nationality in their split (ISO code).
    pub nationality: Option<String>,
    /// Flows whose date span reaches this day or later.
    pub since: Option<Date>,
    /// Flows whose date span begins on this day or earlier.
    pub until: Option<Date>,
}

impl FlowFilter {
    pub fn into_service(self) -> Result<Flows, Error> {
        if self.to.is_some() && self.to_unspecified {
            return Err(Error::BadUserInput(
                "give `to` or `toUnspecified`, not both".into(),
            ));
        }
        let (since, until) = span(self.since, self.until)?;
        Ok(Flows {
            from: code(self.from)?,
            to: code(self.to)?,
            to_unspecified: self.to_unspecified,
            kind: self.kind.map(Into::into),
            status: self.status.map(Into::into),
            nationality: code(self.nationality)?,
            since,
            until,
        })
    }
}
