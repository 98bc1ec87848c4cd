//! The schema's enums: mirrors of `entity::enums` with the descriptions frontend teams read.
//! async-graphql's `remote` derives the conversions both ways, so a variant added on one side
//! and not the other fails to compile.

use async_graphql::Enum;

/// What happened in an event. An event has one or more kinds.
#[derive(Enum, Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
#[graphql(remote = "entity::enums::EventKind")]
pub enum EventKind {
    /// Police or soldiers entered premises.
    Raid,
    /// People were arrested.
    Arrest,
    /// People were detained (held, not necessarily charged).
    Detention,
    /// People were sent out of the country.
    Deportation,
    /// A person was handed to another country's justice.
    Extradition,
    /// People were set free.
    Release,
    /// Sites were sealed or shut.
    SiteClosure,
    /// Equipment, money or goods were seized.
    Seizure,
    /// An investigation was carried out.
    Investigation,
    /// An authority ordered action.
    Directive,
    /// A report was published.
    Report,
    /// Officials met.
    Meeting,
    /// An official or body made a public statement.
    Statement,
    /// Journalists or delegates were shown a site.
    MediaTour,
    /// Charges were filed.
    Indictment,
    /// Sanctions were imposed.
    Sanction,
    /// People left sites en masse.
    Exodus,
    /// A government acted towards another (protest, suspended ties).
    DiplomaticAction,
    /// A body warned of a threat.
    Warning,
}

/// How precisely a date span is known. `start`/`end` bound the span in every case but UNKNOWN.
#[derive(Enum, Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
#[graphql(remote = "entity::enums::DatePrecision")]
pub enum DatePrecision {
    /// One day.
    Day,
    /// One week, Monday to Sunday.
    Week,
    /// One calendar month.
    Month,
    /// One calendar year.
    Year,
    /// Somewhere between `start` and `end`.
    Range,
    /// Not known; `start` and `end` are null and no date filter matches.
    Unknown,
}

/// Whether an event or flow has happened or was announced.
#[derive(Enum, Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
#[graphql(remote = "entity::enums::Status")]
pub enum Status {
    /// It happened.
    Completed,
    /// It was announced as going to happen.
    Planned,
}

/// Level of a place in the gazetteer: country > province > district > commune or city > site.
#[derive(Enum, Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
#[graphql(remote = "entity::enums::LocationLevel")]
pub enum LocationLevel {
    /// A country.
    Country,
    /// A province or province-level municipality (Phnom Penh).
    Province,
    /// A district or khan.
    District,
    /// A commune or sangkat.
    Commune,
    /// A city or town.
    City,
    /// One compound, building or casino.
    Site,
}

/// How precisely coordinates locate a place: the smallest area they are known to lie in. A
/// site known only by its city has CITY precision, and is drawn as the city, not as a point.
#[derive(Enum, Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
#[graphql(remote = "entity::enums::CoordinatePrecision")]
pub enum CoordinatePrecision {
    /// The place itself: a compound, building or casino.
    Site,
    /// Somewhere in a city or town (its centre is given).
    City,
    /// Somewhere in a province (its centre is given).
    Province,
    /// Somewhere in a country (its centroid is given).
    Country,
}

/// What sort of body an agency is.
#[derive(Enum, Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
#[graphql(remote = "entity::enums::AgencyKind")]
pub enum AgencyKind {
    /// A police force or department.
    Police,
    /// An immigration department.
    Immigration,
    /// A ministry.
    Ministry,
    /// Armed forces or military police.
    Military,
    /// A commission or its secretariat.
    Commission,
    /// A government or head of government.
    Government,
    /// An embassy, ambassador's office or foreign ministry.
    Diplomatic,
    /// A law-enforcement agency other than police (e.g. the FBI).
    LawEnforcement,
    /// International police cooperation (Interpol).
    InternationalPolice,
    /// A non-governmental organisation.
    Ngo,
    /// A United Nations body.
    UnBody,
    /// A news organisation.
    Media,
}

/// The part an agency played in an event.
#[derive(Enum, Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
#[graphql(remote = "entity::enums::AgencyRole")]
pub enum AgencyRole {
    /// Made the arrests.
    Arresting,
    /// Carried out the raid.
    Raiding,
    /// Investigated.
    Investigating,
    /// Sent people out of the country.
    Deporting,
    /// Received deported or extradited people.
    Receiving,
    /// Announced or reported the event officially.
    Announcing,
    /// Gave the tip-off that led to it.
    TipOff,
    /// Helped or cooperated.
    Partner,
    /// Hosted it.
    Host,
    /// Ordered it.
    Ordering,
    /// Was ordered to act.
    Ordered,
    /// Published the report.
    Reporting,
    /// Criticised or protested.
    Critic,
    /// Expressed support.
    Supporter,
    /// Imposed sanctions.
    Sanctioning,
    /// Filed charges.
    Indicting,
    /// Organised it (a tour, a meeting).
    Organiser,
}

/// The part a named person played in an event.
#[derive(Enum, Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
#[graphql(remote = "entity::enums::PersonRole")]
pub enum PersonRole {
    /// Spoke about it to the press.
    Spokesperson,
    /// Took part as an official.
    Official,
    /// Ordered it.
    Ordering,
    /// Took part (a meeting).
    Participant,
    /// It was done to them (extradited, charged, sanctioned).
    Subject,
}

/// The part the people of a participant group played.
#[derive(Enum, Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
#[graphql(remote = "entity::enums::ParticipantRole")]
pub enum ParticipantRole {
    /// Suspected of running or working a scam.
    Suspect,
    /// Workers of a scam compound.
    Worker,
    /// Victims of human trafficking.
    TraffickingVictim,
    /// Bosses, managers and other senior figures.
    SeniorFigure,
    /// Foreign nationals, with no further role stated.
    ForeignNational,
}

/// What happened to the people of a participant group.
#[derive(Enum, Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
#[graphql(remote = "entity::enums::ParticipantStatus")]
pub enum ParticipantStatus {
    /// Arrested.
    Arrested,
    /// Detained.
    Detained,
    /// Deported.
    Deported,
    /// Extradited.
    Extradited,
    /// Released.
    Released,
    /// Fled.
    Fled,
    /// Rescued.
    Rescued,
}

/// Whether a movement of people was a deportation or an extradition.
#[derive(Enum, Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
#[graphql(remote = "entity::enums::FlowKind")]
pub enum FlowKind {
    /// Sent out of the country by immigration authorities.
    Deportation,
    /// Handed over to another country's justice.
    Extradition,
}

/// How a source states a number.
#[derive(Enum, Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
#[graphql(remote = "entity::enums::Qualifier")]
pub enum Qualifier {
    /// Exactly this many.
    Exact,
    /// At least this many.
    AtLeast,
    /// More than this many ("over", "just over").
    MoreThan,
    /// About this many ("about", "an estimated").
    About,
    /// Nearly this many.
    Nearly,
    /// At most this many.
    AtMost,
    /// No number is stated ("thousands", "some").
    Unknown,
}

/// How an article relates to the reporting it carries.
#[derive(Enum, Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
#[graphql(remote = "entity::enums::Reporting")]
pub enum Reporting {
    /// The outlet's own reporting.
    Original,
    /// A wire story republished as it was.
    Republished,
    /// A re-report of another outlet's story.
    Pickup,
    /// A rewrite of another outlet's story.
    Rewrite,
}

/// What a money figure measures.
#[derive(Enum, Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
#[graphql(remote = "entity::enums::MoneyMeasure")]
pub enum MoneyMeasure {
    /// What a scam took in.
    Proceeds,
    /// What victims lost.
    Losses,
    /// Assets seized.
    AssetsSeized,
    /// A fine.
    Fine,
}

/// What a statistic counts.
#[derive(Enum, Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
#[graphql(remote = "entity::enums::StatisticUnit")]
pub enum StatisticUnit {
    /// People.
    People,
    /// Sites (compounds, centres, locations).
    Sites,
    /// US dollars.
    UsDollars,
}

/// The fact of an event that a citation supports.
#[derive(Enum, Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
#[graphql(remote = "entity::enums::CitedFact")]
pub enum CitedFact {
    /// One of its kinds.
    Kind,
    /// Its date.
    Date,
    /// Its status.
    Status,
    /// One of its places.
    Location,
    /// One agency's part.
    Agency,
    /// One person's part.
    Person,
}

/// How one event relates to another.
#[derive(Enum, Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
#[graphql(remote = "entity::enums::EventRelation")]
pub enum EventRelation {
    /// A source links the two (same ring, same investigation).
    LinkedTo,
    /// It came after and because of the other.
    Follows,
    /// It is part of the other (a raid within a campaign).
    PartOf,
}

/// How a participant group's people relate to a group of another event.
#[derive(Enum, Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
#[graphql(remote = "entity::enums::CohortRelation")]
pub enum CohortRelation {
    /// They are the same people (the 63 arrested in Veal Sbov, then deported).
    SamePeople,
    /// They are some of the other group's people (119 Thais deported, among 230 detained).
    PartOf,
}

/// Why a person may be named. Scam Atlas names public officials and publicly charged
/// principals only; a person stated to be a private individual is refused.
#[derive(Enum, Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
#[graphql(remote = "entity::enums::PersonStanding")]
pub enum PersonStanding {
    /// Holds or held public office (a minister, a police chief, a spokesperson).
    PublicOfficial,
    /// Publicly charged, indicted or sanctioned (a scam ring's alleged principal).
    ChargedPrincipal,
    /// Anyone else: never named; a write that names one is refused.
    PrivateIndividual,
}

/// What an API key may do.
#[derive(Enum, Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
#[graphql(remote = "entity::enums::Role")]
pub enum Role {
    /// Proposes changes, which an editor reviews.
    Contributor,
    /// Proposes, reviews and publishes; an editor's own change is published at once.
    Editor,
    /// Everything an editor may, and manages keys.
    Admin,
}

/// Where a proposed change stands.
#[derive(Enum, Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
#[graphql(remote = "entity::enums::ProposalStatus")]
pub enum ProposalStatus {
    /// Waiting for an editor; not in public reads or totals.
    Pending,
    /// Applied: in every read and total.
    Published,
    /// Turned down by an editor, with a note.
    Rejected,
}

/// What a published change did to a record.
#[derive(Enum, Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
#[graphql(remote = "entity::enums::ChangeAction")]
pub enum ChangeAction {
    /// The record was added.
    Created,
    /// The record was changed (a correction, or a figure's new or retracted claim).
    Updated,
    /// Another record was merged into it.
    Merged,
    /// The record was retracted: it is gone from every read and total; this is its tombstone.
    Retracted,
}
