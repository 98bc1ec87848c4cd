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

/// Most words a search may hold, and most characters: each word is one more term for the
/// index to intersect (or, over the small catalogues, one more pattern match over every row;
/// before the index, 900 words took 30 s over 100,000 events, and a very long search
/// overflowed the stack building its condition). Words are counted both ways a search reads
/// them, split at spaces and as the index's runs of letters and digits, so `a-b-c-…` is as
/// many words as `a b c …`.
pub const MAX_SEARCH_WORDS: usize = 16;
/// Most characters a search may hold.
pub const MAX_SEARCH_CHARS: usize = 200;

/// A search's words, checked against the limits; None for a blank one.
pub fn search(text: Option<String>) -> Result<Option<String>, Error> {
    let Some(text) = text.filter(|t| !t.trim().is_empty()) else {
        return Ok(None);
    };
    let words = text
        .split_whitespace()
        .count()
        .max(crate::service::search::terms(&text).len());
    let chars = text.chars().count();
    if words > MAX_SEARCH_WORDS || chars > MAX_SEARCH_CHARS {
        return Err(Error::BadUserInput(format!(
            "a search may hold at most {MAX_SEARCH_WORDS} words and {MAX_SEARCH_CHARS} \
             characters; this one has {words} words and {chars} characters"
        )));
    }
    Ok(Some(text))
}

/// Most values one list filter may hold.
pub const MAX_FILTER_VALUES: usize = 100;

/// The stable keys in a list filter of `type_name` IDs (any of them matches; none given, or an
/// empty list, filters nothing).
fn keys(type_name: &str, ids: Option<Vec<ID>>) -> Result<Vec<String>, Error> {
    if let Some(list) = &ids
        && list.len() > MAX_FILTER_VALUES
    {
        return Err(Error::BadUserInput(format!(
            "a filter takes at most {MAX_FILTER_VALUES} IDs; this one has {}",
            list.len()
        )));
    }
    ids::decode_all(type_name, ids)
}

/// The ISO codes in a list filter of country IDs.
fn codes(ids: Option<Vec<ID>>) -> Result<Vec<String>, Error> {
    keys("Country", ids)?
        .iter()
        .map(|code| country_code(code))
        .collect()
}

/// The values of a list filter of an enum, converted for the service.
fn all<A: Into<B>, B>(values: Option<Vec<A>>) -> Vec<B> {
    values
        .unwrap_or_default()
        .into_iter()
        .map(Into::into)
        .collect()
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
    /// Events in any of these countries (Country IDs; `country(code: "KH") { id }` gives one).
    pub countries: Option<Vec<ID>>,
    /// Events in any of these places or any place under them (a province finds its cities'
    /// events).
    pub locations: Option<Vec<ID>>,
    /// Events involving people of any of these nationalities (Country IDs).
    pub nationalities: Option<Vec<ID>>,
    /// Events any of these agencies took part in.
    pub agencies: Option<Vec<ID>>,
    /// Events any of these people took part in.
    pub people: Option<Vec<ID>>,
    /// Events any of these sources report.
    pub sources: Option<Vec<ID>>,
    /// Only completed, or only planned, events.
    pub status: Option<Status>,
    /// Words that must each begin a word of the title or summary, in any case. A word is a
    /// run of letters and digits (accents count): `raid` finds "raids" and "Raid", `aid` does
    /// not, and `north-east` is the two words `north` and `east`.
    pub search: Option<String>,
}

impl EventFilter {
    /// The service filter, with IDs and codes checked.
    pub fn into_service(self) -> Result<Events, Error> {
        let (from, to) = span(self.from, self.to)?;
        Ok(Events {
            kinds: all(self.kinds),
            from,
            to,
            countries: codes(self.countries)?,
            locations: keys("Location", self.locations)?,
            nationalities: codes(self.nationalities)?,
            agencies: keys("Agency", self.agencies)?,
            people: keys("Person", self.people)?,
            sources: keys("Source", self.sources)?,
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
    /// Only agencies of any of these kinds.
    pub kinds: Option<Vec<AgencyKind>>,
    /// Only agencies of any of these countries (Country IDs).
    pub countries: Option<Vec<ID>>,
}

impl AgencyFilter {
    pub fn into_service(self) -> Result<c::AgencyFilter, Error> {
        Ok(c::AgencyFilter {
            search: search(self.search)?,
            kinds: all(self.kinds),
            countries: codes(self.countries)?,
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
    /// Only places of any of these levels.
    pub levels: Option<Vec<LocationLevel>>,
    /// Only places in any of these countries (Country IDs).
    pub countries: Option<Vec<ID>>,
    /// Only places under this place (at any depth).
    pub within: Option<ID>,
}

impl LocationFilter {
    pub fn into_service(self) -> Result<c::LocationFilter, Error> {
        Ok(c::LocationFilter {
            search: search(self.search)?,
            levels: all(self.levels),
            countries: codes(self.countries)?,
            within: self
                .within
                .map(|id| ids::decode("Location", &id))
                .transpose()?,
        })
    }
}

/// Narrows a list of sources.
#[derive(InputObject, Clone, Debug, Default)]
pub struct SourceFilter {
    /// Words that must all occur in the headline or outlet.
    pub search: Option<String>,
    /// Only sources that report in any of these ways.
    pub reporting: Option<Vec<Reporting>>,
}

impl SourceFilter {
    pub fn into_service(self) -> Result<c::SourceFilter, Error> {
        Ok(c::SourceFilter {
            search: search(self.search)?,
            reporting: all(self.reporting),
        })
    }
}

/// Narrows a list of statistics.
#[derive(InputObject, Clone, Debug, Default)]
pub struct StatisticFilter {
    /// Words that must all occur in the description.
    pub search: Option<String>,
    /// Only statistics counting any of these.
    pub units: Option<Vec<StatisticUnit>>,
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
            units: all(self.units),
            from,
            to,
        })
    }
}

/// Narrows a list of deportation and extradition flows; every field given must hold, and a
/// list matches any of its values.
#[derive(InputObject, Clone, Debug, Default)]
pub struct FlowFilter {
    /// Flows from any of these countries (Country IDs).
    pub from_countries: Option<Vec<ID>>,
    /// Flows to any of these countries (Country IDs).
    pub to_countries: Option<Vec<ID>>,
    /// Only flows whose destination the sources leave unspecified.
    #[graphql(default)]
    pub to_unspecified: bool,
    /// Only flows of any of these kinds.
    pub kinds: Option<Vec<FlowKind>>,
    /// Only completed, or only planned, flows.
    pub status: Option<Status>,
    /// Flows with people of any of these nationalities in their split (Country IDs).
    pub nationalities: Option<Vec<ID>>,
    /// Flows whose date span reaches this day or later.
    pub from: Option<Date>,
    /// Flows whose date span begins on this day or earlier.
    pub to: Option<Date>,
}

impl FlowFilter {
    pub fn into_service(self) -> Result<Flows, Error> {
        let to_countries = codes(self.to_countries)?;
        if !to_countries.is_empty() && self.to_unspecified {
            return Err(Error::BadUserInput(
                "give `toCountries` or `toUnspecified`, not both".into(),
            ));
        }
        let (from, to) = span(self.from, self.to)?;
        Ok(Flows {
            from_countries: codes(self.from_countries)?,
            to_countries,
            to_unspecified: self.to_unspecified,
            kinds: all(self.kinds),
            status: self.status.map(Into::into),
            nationalities: codes(self.nationalities)?,
            from,
            to,
        })
    }
}
