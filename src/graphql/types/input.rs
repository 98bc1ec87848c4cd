//! What partners write: a new source, person, event or statistic, in the shape of the
//! curated dataset's records (`data/*.toml`), with other records named by their `key` (a
//! country by its ISO code). The write path checks them with the loader's own rules.

use super::enums::*;
use super::scalars::Date;
use crate::error::Error;
use crate::ingest::format as f;
use async_graphql::InputObject;
use serde::Serialize;

/// Turns an input into the dataset record of the same shape.
pub(crate) fn record<T: serde::de::DeserializeOwned>(input: &impl Serialize) -> Result<T, Error> {
    let json = serde_json::to_value(input).map_err(|e| Error::Internal(e.to_string()))?;
    serde_json::from_value(json).map_err(|e| Error::BadUserInput(format!("the input: {e}")))
}

/// A date span: `start` and `end` (the same day for DAY precision; absent for UNKNOWN).
#[derive(InputObject, Serialize)]
#[graphql(name = "DateSpanInput")]
pub struct DateSpanInput {
    /// First day of the span.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub start: Option<Date>,
    /// Last day; defaults to `start`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub end: Option<Date>,
    /// How precisely the date is known; the span must fit it (a MONTH is a calendar month).
    pub precision: DatePrecision,
    /// The date was worked out from relative words ("last month").
    #[graphql(default)]
    pub derived: bool,
}

/// One source's statement of a number, with the verbatim quote it rests on.
#[derive(InputObject, Serialize)]
pub struct ClaimInput {
    /// The number; absent only with qualifier UNKNOWN ("thousands").
    pub value: Option<i64>,
    /// Upper end of a stated range ("6,000 to 7,000").
    pub high: Option<i64>,
    /// How the source words it.
    #[graphql(default_with = "Qualifier::Exact")]
    pub qualifier: Qualifier,
    /// The value is arithmetic on what the source says (63 − 13); say how in `note`.
    #[graphql(default)]
    pub derived: bool,
    /// How a derived value was worked out, or why a wording was read as it was.
    pub note: Option<String>,
    /// The source's key.
    pub source: String,
    /// Words of the source's text, verbatim.
    pub quote: String,
}

/// A new source: an article, with its full text (every quote from it must be in the text).
#[derive(InputObject, Serialize)]
pub struct SourceInput {
    /// A new stable slug (`reuters-2026-12-01`).
    pub key: String,
    /// The article's headline.
    pub headline: String,
    /// Where it was published.
    pub outlet: String,
    /// The outlet whose reporting it carries, when another.
    pub original_outlet: Option<String>,
    /// The wire agency it credits.
    pub wire_agency: Option<String>,
    /// Its byline.
    pub byline: Option<String>,
    /// Its dateline.
    pub dateline: Option<String>,
    /// When it was published.
    pub published: DateSpanInput,
    /// Its address.
    pub url: Option<String>,
    /// Original reporting, or a pick-up of another outlet's.
    pub reporting: Reporting,
    /// How the date and attribution were established.
    pub note: Option<String>,
}

/// Another spelling of a person's name, as a source writes it.
#[derive(InputObject, Serialize)]
pub struct AliasInput {
    /// The spelling.
    pub name: String,
    /// The source's key.
    pub source: String,
    /// The words it appears in.
    pub quote: String,
}

/// A title a person held, as a source states it.
#[derive(InputObject, Serialize)]
pub struct TitleInput {
    /// The title, as the source words it.
    pub title: String,
    /// The agency's key, when the title is in one.
    pub agency: Option<String>,
    /// When the source says the person held it.
    pub as_of: Date,
    /// The source's key.
    pub source: String,
    /// The words stating it.
    pub quote: String,
}

/// A new person: a public official or a publicly charged principal, never anyone else.
#[derive(InputObject, Serialize)]
pub struct PersonInput {
    /// A new stable slug.
    pub key: String,
    /// The name used across the dataset.
    pub name: String,
    /// Why the person may be named; required (private persons are refused).
    pub standing: Option<PersonStanding>,
    /// Other spellings, each with its source.
    #[graphql(default)]
    pub aliases: Vec<AliasInput>,
    /// Titles, each with its source.
    #[graphql(default)]
    pub titles: Vec<TitleInput>,
}

/// A quote backing some of an event's facts.
#[derive(InputObject, Serialize)]
pub struct CitationInput {
    /// The source's key.
    pub source: String,
    /// Words of its text, verbatim.
    pub quote: String,
    /// The facts it backs: `date`, `status`, `kind:RAID`, `place:<key>`, `agency:<key>`,
    /// `person:<key>`. Every kind, the date, place, agency and person needs one.
    pub supports: Vec<String>,
}

/// An agency's part in an event.
#[derive(InputObject, Serialize)]
pub struct AgencyLinkInput {
    /// The agency's key.
    pub agency: String,
    /// What it did.
    pub role: AgencyRole,
}

/// A named person's part in an event.
#[derive(InputObject, Serialize)]
pub struct PersonLinkInput {
    /// The person's key.
    pub person: String,
    /// Their part.
    pub role: PersonRole,
}

/// A source's word that a group's people are a group of another event's.
#[derive(InputObject, Serialize)]
pub struct CohortLinkInput {
    /// Same people, or some of them.
    pub relation: CohortRelation,
    /// The other event's key.
    pub event: String,
    /// The other group's nationality (absent for its unspecified group).
    pub nationality: Option<String>,
    /// The other group's role, where its nationality does not tell it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub role: Option<ParticipantRole>,
    /// The other group's status, where its nationality does not tell it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<ParticipantStatus>,
    /// The source's key.
    pub source: String,
    /// The words saying so.
    pub quote: String,
}

/// People in an event with one nationality, role and status.
#[derive(InputObject, Serialize)]
pub struct ParticipantGroupInput {
    /// Country code; absent when the sources do not say.
    pub nationality: Option<String>,
    /// Their part.
    pub role: ParticipantRole,
    /// What became of them.
    pub status: ParticipantStatus,
    /// How many, each source's claim.
    pub count: Vec<ClaimInput>,
    /// How many were women, each source's claim.
    #[graphql(default)]
    pub women: Vec<ClaimInput>,
    /// The group of another event these people are.
    pub cohort: Option<CohortLinkInput>,
}

/// One nationality's share of a flow.
#[derive(InputObject, Serialize)]
pub struct FlowNationalityInput {
    /// Country code.
    pub nationality: String,
    /// How many, each source's claim.
    pub count: Vec<ClaimInput>,
}

/// People moved from one country to another.
#[derive(InputObject, Serialize)]
pub struct FlowInput {
    /// Country code they left.
    pub from: String,
    /// Country code they were sent to; absent when unspecified.
    pub to: Option<String>,
    /// Deportation, extradition, repatriation…
    pub kind: FlowKind,
    /// Done or planned; defaults to COMPLETED.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<Status>,
    /// Defaults to the event's date.
    pub date: Option<DateSpanInput>,
    /// How many, each source's claim; empty when no source gives a number.
    #[graphql(default)]
    pub count: Vec<ClaimInput>,
    /// The split by nationality.
    #[graphql(default)]
    pub by_nationality: Vec<FlowNationalityInput>,
}

/// Things seized.
#[derive(InputObject, Serialize)]
pub struct SeizureInput {
    /// Singular noun: "laptop".
    pub item: String,
    /// How many, each source's claim.
    pub quantity: Vec<ClaimInput>,
}

/// An amount of money.
#[derive(InputObject, Serialize)]
pub struct MoneyInput {
    /// What the amount is.
    pub measure: MoneyMeasure,
    /// ISO 4217 code.
    pub currency: String,
    /// How much, each source's claim.
    pub amount: Vec<ClaimInput>,
}

/// Something a named person said about the event.
#[derive(InputObject, Serialize)]
pub struct StatementInput {
    /// The person's key.
    pub person: String,
    /// The source's key.
    pub source: String,
    /// Their words as the source quotes them.
    pub quote: String,
}

/// How the event relates to another.
#[derive(InputObject, Serialize)]
pub struct RelatedInput {
    /// The other event's key.
    pub event: String,
    /// How.
    pub relation: EventRelation,
    /// The source's key.
    pub source: String,
    /// The words saying so.
    pub quote: String,
}

/// A new event: one happening, however many articles report it.
#[derive(InputObject, Serialize)]
pub struct EventInput {
    /// A new stable slug.
    pub key: String,
    /// What happened (one or more).
    pub kinds: Vec<EventKind>,
    /// A headline-length title.
    pub title: String,
    /// A few sentences a reader understands without the article.
    pub summary: String,
    /// When it happened.
    pub date: DateSpanInput,
    /// Done or planned; defaults to COMPLETED.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<Status>,
    /// Keys of the places (or country codes), most specific first.
    pub places: Vec<String>,
    /// The quotes backing its facts.
    pub citations: Vec<CitationInput>,
    /// The agencies that acted.
    #[graphql(default)]
    pub agencies: Vec<AgencyLinkInput>,
    /// Named people.
    #[graphql(default)]
    pub people: Vec<PersonLinkInput>,
    /// All people in it, when sources give a total beside a partial breakdown.
    #[graphql(default)]
    pub total: Vec<ClaimInput>,
    /// People by nationality, role and status.
    #[graphql(default)]
    pub participants: Vec<ParticipantGroupInput>,
    /// People moved between countries.
    #[graphql(default)]
    pub flows: Vec<FlowInput>,
    /// Things seized.
    #[graphql(default)]
    pub seizures: Vec<SeizureInput>,
    /// Money.
    #[graphql(default)]
    pub money: Vec<MoneyInput>,
    /// What officials said.
    #[graphql(default)]
    pub statements: Vec<StatementInput>,
    /// Other events it relates to.
    #[graphql(default)]
    pub related: Vec<RelatedInput>,
}

/// A new statistic: a figure about a period, never added to totals over events.
#[derive(InputObject, Serialize)]
pub struct StatisticInput {
    /// A new stable slug.
    pub key: String,
    /// What is counted, in a sentence.
    pub description: String,
    /// People, sites, money…
    pub unit: StatisticUnit,
    /// The period it covers.
    pub period: DateSpanInput,
    /// The place's key (or a country code) it is about.
    pub place: Option<String>,
    /// The key of the agency that states it.
    pub attributed_to: Option<String>,
    /// Each source's claim.
    pub figure: Vec<ClaimInput>,
}

/// Which of an event's figures a claim is about: name exactly one owner.
#[derive(InputObject, Serialize)]
pub struct FigureOwnerInput {
    /// A participant group's ID: its count (or, with `women`, its count of women).
    pub group: Option<async_graphql::ID>,
    /// With `group`: the claim counts the group's women.
    #[graphql(default)]
    pub women: bool,
    /// A deportation flow's ID: its count.
    pub flow: Option<async_graphql::ID>,
    /// A flow's nationality share (`FlowNationality`'s ID): its count.
    pub flow_nationality: Option<async_graphql::ID>,
    /// A seizure's ID: its quantity.
    pub seizure: Option<async_graphql::ID>,
    /// A money figure's ID: its amount.
    pub money: Option<async_graphql::ID>,
    /// An event's ID: its total of people.
    pub event_total: Option<async_graphql::ID>,
    /// A statistic's ID: its figure.
    pub statistic: Option<async_graphql::ID>,
}

/// The source-level fields of a new source record; its article is stored as `<key>.txt`.
pub(crate) fn source_record(input: &SourceInput) -> Result<f::Source, Error> {
    let mut json = serde_json::to_value(input).map_err(|e| Error::Internal(e.to_string()))?;
    if let serde_json::Value::Object(map) = &mut json {
        map.insert(
            "article".into(),
            serde_json::Value::String(format!("{}.txt", input.key)),
        );
    }
    serde_json::from_value(json).map_err(|e| Error::BadUserInput(format!("the input: {e}")))
}
