//! The curated dataset's file format: what a person writes and reviews in `data/*.toml`.
//!
//! Pure data, parsed with serde; nothing here touches the database. Records refer to each
//! other by `key` (a stable kebab-case slug), countries by ISO 3166-1 alpha-2 code.
//! Every number is a list of [`Claim`]s, one per source, each with its verbatim quote.

use chrono::NaiveDate;
use entity::enums::*;
use serde::{Deserialize, Serialize};

mod fields;

/// `data/sources.toml`: one `[[source]]` per article.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct SourcesFile {
    pub source: Vec<Source>,
}

/// One news article.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Source {
    pub key: String,
    /// File name of the article's text under `data/articles/` (same name as in `shared/seeds/`).
    pub article: String,
    pub headline: String,
    pub outlet: String,
    /// The outlet whose reporting this article carries, when it is not `outlet`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub original_outlet: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub wire_agency: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub byline: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub dateline: Option<String>,
    pub published: DateSpan,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    pub reporting: Reporting,
    /// How the publication date and other facts were established.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// `data/countries.toml`: every country referred to anywhere.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct CountriesFile {
    pub country: Vec<Country>,
}

#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Country {
    /// ISO 3166-1 alpha-2, upper case; Taiwan is `TW`.
    pub code: String,
    pub name: String,
    /// The country's centroid (its precision is COUNTRY, whatever is written).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub centroid: Option<Coordinates>,
}

/// WGS84 coordinates of a place, and how precisely they place it.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Coordinates {
    /// Degrees north (−90 to 90).
    pub latitude: f64,
    /// Degrees east (−180 to 180).
    pub longitude: f64,
    /// The smallest thing the coordinates are known to lie in; required for places, implied
    /// (COUNTRY) for a country's centroid.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub precision: Option<CoordinatePrecision>,
}

/// `data/places.toml`: the gazetteer below country level. Every country is a place of level
/// COUNTRY whose key is its code, created by the loader; other places name their `parent`.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct PlacesFile {
    pub place: Vec<Place>,
}

#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Place {
    pub key: String,
    pub name: String,
    pub level: LocationLevel,
    /// Key of the enclosing place, or a country code.
    pub parent: String,
    /// Where it is: required, with its precision.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub coordinates: Option<Coordinates>,
}

/// `data/agencies.toml`.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct AgenciesFile {
    pub agency: Vec<Agency>,
}

#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Agency {
    pub key: String,
    pub name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub short_name: Option<String>,
    pub kind: AgencyKind,
    /// Country code; absent for international bodies.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub country: Option<String>,
    /// Key of the agency it belongs to.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub parent: Option<String>,
}

/// `data/people.toml`: public officials and publicly charged principals only.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct PeopleFile {
    pub person: Vec<Person>,
}

#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Person {
    pub key: String,
    pub name: String,
    /// Why the person may be named: a public official or a publicly charged principal.
    /// Required: private persons are never named.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub standing: Option<PersonStanding>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub aliases: Vec<Alias>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub titles: Vec<Title>,
}

/// Another spelling of a person's name, as a source writes it.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Alias {
    pub name: String,
    pub source: String,
    pub quote: String,
}

/// A title a person held, as a source states it at a date.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Title {
    pub title: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub agency: Option<String>,
    /// When the source says the person held it (usually the source's date).
    #[serde(deserialize_with = "fields::date")]
    pub as_of: NaiveDate,
    pub source: String,
    pub quote: String,
}

/// `data/events.toml`.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct EventsFile {
    pub event: Vec<Event>,
}

/// One happening, however many articles report it.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Event {
    pub key: String,
    pub kinds: Vec<EventKind>,
    pub title: String,
    pub summary: String,
    pub date: DateSpan,
    #[serde(
        default = "fields::completed",
        skip_serializing_if = "fields::is_completed"
    )]
    pub status: Status,
    /// Keys of the places (or country codes) where it happened, most specific first; empty
    /// only for an event with no place (a worldwide warning).
    pub places: Vec<String>,
    /// Source quotes backing the event's descriptive facts; see [`Citation::supports`].
    pub citations: Vec<Citation>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub agencies: Vec<AgencyLink>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub people: Vec<PersonLink>,
    /// All people in the event when the sources give a total beside a partial breakdown.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub total: Vec<Claim>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub participants: Vec<ParticipantGroup>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub flows: Vec<Flow>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub seizures: Vec<Seizure>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub money: Vec<Money>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub statements: Vec<Statement>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub related: Vec<Related>,
}

/// A date span. `end` defaults to `start`; both are absent when the precision is UNKNOWN.
/// `derived` marks a date worked out from relative words ("last month", "on Wednesday").
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct DateSpan {
    #[serde(default, deserialize_with = "fields::optional_date")]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub start: Option<NaiveDate>,
    #[serde(default, deserialize_with = "fields::optional_date")]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub end: Option<NaiveDate>,
    pub precision: DatePrecision,
    #[serde(default, skip_serializing_if = "fields::is_false")]
    pub derived: bool,
}

/// A verbatim quote from one source about an event. `supports` lists the facts it backs:
/// `"date"`, `"status"`, `"kind:RAID"`, `"place:<key>"`, `"agency:<key>"`, `"person:<key>"`.
/// Every kind, the date (unless UNKNOWN), every place, agency and person of the event
/// must be supported by at least one citation.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Citation {
    pub source: String,
    pub quote: String,
    pub supports: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct AgencyLink {
    pub agency: String,
    pub role: AgencyRole,
}

#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct PersonLink {
    pub person: String,
    pub role: PersonRole,
}

/// One source's statement of a number. A source gives one claim per wording of a figure: two
/// only where it words the same figure twice (a headline's 376 and its lead's "nearly 400"),
/// each with its own quote.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Claim {
    /// Absent only with qualifier UNKNOWN ("thousands", "some").
    #[serde(skip_serializing_if = "Option::is_none")]
    pub value: Option<i64>,
    /// Upper end when the source states a range ("6,000 to 7,000").
    #[serde(skip_serializing_if = "Option::is_none")]
    pub high: Option<i64>,
    #[serde(default = "fields::exact", skip_serializing_if = "fields::is_exact")]
    pub qualifier: Qualifier,
    /// True when the value is arithmetic on what the source says (63 − 13 = 50).
    #[serde(default, skip_serializing_if = "fields::is_false")]
    pub derived: bool,
    /// How a derived value was worked out, or why a wording was read as it was.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    pub source: String,
    pub quote: String,
}

/// People in an event with one nationality, role and status.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ParticipantGroup {
    /// Country code; absent when the sources do not say.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub nationality: Option<String>,
    pub role: ParticipantRole,
    pub status: ParticipantStatus,
    pub count: Vec<Claim>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub women: Vec<Claim>,
    /// The group of another event whose people these are, when a source says so: one body of
    /// people at two stages (arrested, then deported), which totals count once.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cohort: Option<CohortLink>,
}

/// A source's word that a group's people are the same people as a group of another event
/// (`SAME_PEOPLE`: "the 63 … were deported") or some of them (`PART_OF`: "119 Thais, among 230
/// foreign nationals detained"). Link only an event's headline groups (for each role, the
/// status with the most people): its other stages are counted by that one already.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct CohortLink {
    pub relation: CohortRelation,
    /// Key of the other event.
    pub event: String,
    /// The other group's nationality; absent for its group of unspecified nationality.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub nationality: Option<String>,
    /// The other group's role and status, needed only where its nationality does not tell it
    /// from the event's other groups.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub role: Option<ParticipantRole>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<ParticipantStatus>,
    pub source: String,
    pub quote: String,
}

/// People moved from one country to another.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Flow {
    pub from: String,
    /// Country code; absent when the destination is unspecified ("home countries").
    #[serde(skip_serializing_if = "Option::is_none")]
    pub to: Option<String>,
    pub kind: FlowKind,
    #[serde(
        default = "fields::completed",
        skip_serializing_if = "fields::is_completed"
    )]
    pub status: Status,
    /// Defaults to the event's date.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub date: Option<DateSpan>,
    /// Empty when the sources give no number.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub count: Vec<Claim>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub by_nationality: Vec<FlowNationality>,
}

#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct FlowNationality {
    pub nationality: String,
    pub count: Vec<Claim>,
}

#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Seizure {
    /// Singular noun: "laptop", "desk phone", "VoIP gateway".
    pub item: String,
    pub quantity: Vec<Claim>,
}

#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Money {
    pub measure: MoneyMeasure,
    /// ISO 4217 code.
    pub currency: String,
    pub amount: Vec<Claim>,
}

/// Something a named person said, in their words as a source quotes them.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Statement {
    pub person: String,
    pub source: String,
    pub quote: String,
}

#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Related {
    pub event: String,
    pub relation: EventRelation,
    pub source: String,
    pub quote: String,
}

/// `data/statistics.toml`: figures about a period rather than one event. They never enter
/// totals over events.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct StatisticsFile {
    pub statistic: Vec<Statistic>,
}

#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Statistic {
    pub key: String,
    /// What is counted, in a sentence a reader understands without the article.
    pub description: String,
    pub unit: StatisticUnit,
    pub period: DateSpan,
    /// Key of the place (or a country code) it is about.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub place: Option<String>,
    /// Key of the agency that states it (a report's author), when not the source itself.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub attributed_to: Option<String>,
    pub figure: Vec<Claim>,
}
