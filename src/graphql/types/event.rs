//! `Event` and what hangs off it: participants, agencies, people, citations, seizures, money.

use super::agency::Agency;
use super::enums::{
    AgencyRole, CitedFact, EventKind, MoneyMeasure, ParticipantRole, ParticipantStatus, PersonRole,
    Status,
};
use super::figure::Figure;
use super::filters::{EventFilter, EventOrderBy};
use super::flow::DeportationFlow;
use super::person::Person;
use super::person::Statement;
use super::place::{Country, Location};
use super::scalars::DateSpan;
use super::source::Source;
use crate::graphql::connection::{self, CountChildren, CountRows, children, connection, edges};
use crate::graphql::loaders::*;
use crate::graphql::{ids, load_all, load_each, load_many, load_required, read};
use crate::service::event::{EventOrder, Via};
use crate::service::page::{Position, page_of};
use crate::service::relation::EventsOf;
use async_graphql::{Context, ID, Object, Result, SimpleObject};
use entity::{citation, event, event_relation, participant_group};

connection!(
    EventConnection,
    EventEdge,
    Event,
    "A page of events, with the cursors to move between pages.",
    "An event on a page, with its cursor."
);

/// The events of a page: all events (`scope` None) or those of one parent, filtered and
/// ordered. Shared by `Query.events` and every parent's `events`.
#[allow(clippy::too_many_arguments)]
pub async fn events_connection(
    ctx: &Context<'_>,
    scope: Option<(Via, i32)>,
    filter: Option<EventFilter>,
    order_by: Option<EventOrderBy>,
    first: Option<i32>,
    after: Option<String>,
    last: Option<i32>,
    before: Option<String>,
) -> Result<EventConnection> {
    let filter = filter.unwrap_or_default().into_service()?;
    let (order, descending, tag) = order_by.unwrap_or_default().resolve();
    let page = connection::page(&tag, first, after, last, before)?;
    let position = |e: &event::Model| Position {
        key: order.key(e),
        id: e.id,
    };
    Ok(match scope {
        None => {
            let (condition, ordering, p) =
                (filter.condition(), order.ordering(descending), page.clone());
            let paged = read(ctx, move |db| async move {
                page_of::<event::Entity>(&db, condition, &ordering, &p).await
            })
            .await?;
            EventConnection::new(
                edges(paged, &page, &tag, position, Event),
                CountRows::<event::Entity>::new(filter.condition()),
            )
        }
        Some((via, parent)) => {
            let relation = EventsOf {
                via,
                filter,
                order,
                descending,
            };
            let paged = children(ctx, relation.clone(), parent, &page).await?;
            EventConnection::new(
                edges(paged, &page, &tag, position, Event),
                CountChildren(CountOf { relation, parent }),
            )
        }
    })
}

connection!(
    ParticipantGroupConnection,
    ParticipantGroupEdge,
    ParticipantGroup,
    "A page of participant groups, with the cursors to move between pages.",
    "A participant group on a page, with its cursor."
);

connection!(
    CitationConnection,
    CitationEdge,
    Citation,
    "A page of citations, with the cursors to move between pages.",
    "A citation on a page, with its cursor."
);

/// The sort key of an event in the default order, for cursors made outside a connection.
pub fn default_position(e: &event::Model) -> Position {
    Position {
        key: EventOrder::Date.key(e),
        id: e.id,
    }
}

/// One happening — a raid, an arrest, a deportation, a directive — however many articles
/// report it. Where articles disagree, each keeps its own claims.
#[derive(Clone, Debug)]
pub struct Event(pub event::Model);

/// One happening — a raid, an arrest, a deportation, a directive — however many articles
/// report it. Where articles disagree, each keeps its own claims.
#[Object]
impl Event {
    /// Opaque global ID.
    pub async fn id(&self) -> ID {
        ids::encode("Event", self.0.id)
    }

    /// Stable key in the curated dataset (e.g. `2017-08-02-poipet-siem-reap-raids`).
    async fn key(&self) -> &str {
        &self.0.key
    }

    /// What happened: one or more kinds.
    async fn kinds(&self, ctx: &Context<'_>) -> Result<Vec<EventKind>> {
        Ok(load_many(ctx, KindsOf(self.0.id))
            .await?
            .into_iter()
            .map(|k| k.kind.into())
            .collect())
    }

    /// A short title written by the curators.
    async fn title(&self) -> &str {
        &self.0.title
    }

    /// A summary written by the curators, naming where sources disagree.
    async fn summary(&self) -> &str {
        &self.0.summary
    }

    /// When it happened.
    async fn date(&self) -> DateSpan {
        let e = &self.0;
        DateSpan::new(e.date_start, e.date_end, e.date_precision, e.date_derived)
    }

    /// Whether it happened or was announced.
    async fn status(&self) -> Status {
        self.0.status.into()
    }

    /// The most specific place containing all its places (Cambodia for raids in two
    /// provinces); null for an event with no place.
    async fn location(&self, ctx: &Context<'_>) -> Result<Option<Location>> {
        match self.0.location_id {
            Some(id) => Ok(Some(Location::load(ctx, id).await?)),
            None => Ok(None),
        }
    }

    /// Every place a source names for it, as specific as the source is.
    async fn places(&self, ctx: &Context<'_>) -> Result<Vec<Location>> {
        let links = load_many(ctx, PlacesOf(self.0.id)).await?;
        let places = load_each(
            ctx,
            links.iter().map(|l| LocationId(l.location_id)).collect(),
        )
        .await?;
        Ok(places.into_iter().map(Location).collect())
    }

    /// How many people the event involved: the sources' total for the event when they give
    /// one; otherwise the participant groups added up, taking for each role the status with
    /// the most people (the 80 suspects released of 118 arrested are not added to them).
    /// Null when nobody is counted.
    async fn people_count(&self, ctx: &Context<'_>) -> Result<Option<Figure>> {
        if let Some(total) = self.0.total_figure_id {
            return Ok(Some(Figure::load(ctx, total).await?));
        }
        let groups = load_many(ctx, GroupsOf(self.0.id)).await?;
        let figures = load_each(
            ctx,
            groups.iter().map(|g| FigureId(g.count_figure_id)).collect(),
        )
        .await?;
        let values: std::collections::HashMap<i32, Option<i64>> =
            figures.iter().map(|f| (f.id, f.value)).collect();
        let counted = crate::tally::headline(&groups, |g| {
            values.get(&g.count_figure_id).copied().flatten()
        });
        let parts: Vec<entity::figure::Model> = figures
            .into_iter()
            .zip(counted)
            .filter(|(_, c)| *c)
            .map(|(f, _)| f)
            .collect();
        Ok(if parts.is_empty() {
            None
        } else {
            Some(Figure::sum_of(&parts))
        })
    }

    /// The people involved, by nationality, role and status.
    async fn participants(&self, ctx: &Context<'_>) -> Result<Vec<ParticipantGroup>> {
        Ok(load_many(ctx, GroupsOf(self.0.id))
            .await?
            .into_iter()
            .map(ParticipantGroup)
            .collect())
    }

    /// The agencies that acted, each with its part.
    async fn agencies(&self, ctx: &Context<'_>) -> Result<Vec<EventAgency>> {
        let links = load_many(ctx, AgencyLinksOf(self.0.id)).await?;
        let agencies =
            load_each(ctx, links.iter().map(|l| AgencyId(l.agency_id)).collect()).await?;
        Ok(links
            .iter()
            .zip(agencies)
            .map(|(l, a)| EventAgency {
                role: l.role.into(),
                agency: Agency(a),
            })
            .collect())
    }

    /// The named officials and principals involved, each with their part.
    async fn people(&self, ctx: &Context<'_>) -> Result<Vec<EventPerson>> {
        let links = load_many(ctx, PersonLinksOf(self.0.id)).await?;
        let people = load_each(ctx, links.iter().map(|l| PersonId(l.person_id)).collect()).await?;
        Ok(links
            .iter()
            .zip(people)
            .map(|(l, p)| EventPerson {
                role: l.role.into(),
                person: Person(p),
            })
            .collect())
    }

    /// People deported or extradited in it.
    async fn deportation_flows(&self, ctx: &Context<'_>) -> Result<Vec<DeportationFlow>> {
        Ok(load_many(ctx, FlowsOf(self.0.id))
            .await?
            .into_iter()
            .map(DeportationFlow)
            .collect())
    }

    /// What was seized.
    async fn seizures(&self, ctx: &Context<'_>) -> Result<Vec<Seizure>> {
        let seizures = load_many(ctx, SeizuresOf(self.0.id)).await?;
        let figures = load_each(
            ctx,
            seizures
                .iter()
                .map(|s| FigureId(s.quantity_figure_id))
                .collect(),
        )
        .await?;
        Ok(seizures
            .into_iter()
            .zip(figures)
            .map(|(s, f)| Seizure {
                item: s.item,
                quantity: Figure::stored(&f),
            })
            .collect())
    }

    /// Sums of money involved.
    async fn money_figures(&self, ctx: &Context<'_>) -> Result<Vec<MoneyFigure>> {
        let money = load_many(ctx, MoneyOf(self.0.id)).await?;
        let figures = load_each(
            ctx,
            money.iter().map(|m| FigureId(m.amount_figure_id)).collect(),
        )
        .await?;
        Ok(money
            .into_iter()
            .zip(figures)
            .map(|(m, f)| MoneyFigure {
                measure: m.measure.into(),
                currency: m.currency,
                amount: Figure::stored(&f),
            })
            .collect())
    }

    /// The quotes its descriptive facts rest on, each with its source and the facts it backs.
    async fn citations(&self, ctx: &Context<'_>) -> Result<Vec<Citation>> {
        Ok(load_many(ctx, CitationsOf(self.0.id))
            .await?
            .into_iter()
            .map(Citation)
            .collect())
    }

    /// What named officials said about it, in their words as sources quote them.
    async fn statements(&self, ctx: &Context<'_>) -> Result<Vec<Statement>> {
        Ok(load_many(ctx, StatementsAbout(self.0.id))
            .await?
            .into_iter()
            .map(Statement)
            .collect())
    }

    /// Other events a source links to this one.
    async fn related(&self, ctx: &Context<'_>) -> Result<Vec<RelatedEvent>> {
        Ok(load_many(ctx, RelatedTo(self.0.id))
            .await?
            .into_iter()
            .map(RelatedEvent)
            .collect())
    }
}

/// Another event a source links to this one.
#[derive(Clone, Debug)]
pub struct RelatedEvent(pub event_relation::Model);

/// Another event a source links to this one.
#[Object]
impl RelatedEvent {
    /// How this event relates to the other (it FOLLOWS it, is PART_OF it, is LINKED_TO it).
    async fn relation(&self) -> super::enums::EventRelation {
        self.0.relation.into()
    }

    /// The other event.
    async fn event(&self, ctx: &Context<'_>) -> Result<Event> {
        Ok(Event(
            load_required(ctx, EventId(self.0.related_event_id)).await?,
        ))
    }

    /// The sentence that links them, verbatim.
    async fn quote(&self) -> &str {
        &self.0.quote
    }

    /// The article the quote is from.
    async fn source(&self, ctx: &Context<'_>) -> Result<Source> {
        Ok(Source(
            load_required(ctx, SourceId(self.0.source_id)).await?,
        ))
    }
}

/// The people of one nationality, role and status in an event.
#[derive(Clone, Debug)]
pub struct ParticipantGroup(pub participant_group::Model);

/// The people of one nationality, role and status in an event.
#[Object]
impl ParticipantGroup {
    /// Their nationality; null when the sources do not say.
    async fn nationality(&self, ctx: &Context<'_>) -> Result<Option<Country>> {
        match &self.0.nationality_code {
            Some(code) => Ok(Some(Country::load(ctx, code).await?)),
            None => Ok(None),
        }
    }

    /// The part they played.
    async fn role(&self) -> ParticipantRole {
        self.0.role.into()
    }

    /// What happened to them.
    async fn status(&self) -> ParticipantStatus {
        self.0.status.into()
    }

    /// How many people.
    async fn count(&self, ctx: &Context<'_>) -> Result<Figure> {
        Figure::load(ctx, self.0.count_figure_id).await
    }

    /// How many of them were women, where a source says.
    async fn women(&self, ctx: &Context<'_>) -> Result<Option<Figure>> {
        match self.0.women_figure_id {
            Some(id) => Ok(Some(Figure::load(ctx, id).await?)),
            None => Ok(None),
        }
    }

    /// The event they were part of.
    async fn event(&self, ctx: &Context<'_>) -> Result<Event> {
        Ok(Event(load_required(ctx, EventId(self.0.event_id)).await?))
    }
}

/// An agency's part in an event.
#[derive(SimpleObject, Clone, Debug)]
pub struct EventAgency {
    /// What it did.
    pub role: AgencyRole,
    /// The agency.
    pub agency: Agency,
}

/// A named person's part in an event.
#[derive(SimpleObject, Clone, Debug)]
pub struct EventPerson {
    /// What they did.
    pub role: PersonRole,
    /// The person.
    pub person: Person,
}

/// Items seized in an event.
#[derive(SimpleObject, Clone, Debug)]
pub struct Seizure {
    /// What was seized, singular ("laptop", "desk phone").
    pub item: String,
    /// How many.
    pub quantity: Figure,
}

/// An amount of money in an event.
#[derive(SimpleObject, Clone, Debug)]
pub struct MoneyFigure {
    /// What the amount measures.
    pub measure: MoneyMeasure,
    /// ISO 4217 currency code.
    pub currency: String,
    /// The amount, in whole units of the currency.
    pub amount: Figure,
}

/// A verbatim quote from one source about an event.
#[derive(Clone, Debug)]
pub struct Citation(pub citation::Model);

/// A verbatim quote from one source about an event.
#[Object]
impl Citation {
    /// The quote, verbatim.
    async fn quote(&self) -> &str {
        &self.0.quote
    }

    /// The article it is from.
    async fn source(&self, ctx: &Context<'_>) -> Result<Source> {
        Ok(Source(
            load_required(ctx, SourceId(self.0.source_id)).await?,
        ))
    }

    /// The event it is about.
    async fn event(&self, ctx: &Context<'_>) -> Result<Event> {
        Ok(Event(load_required(ctx, EventId(self.0.event_id)).await?))
    }

    /// The facts of the event this quote backs.
    async fn supports(&self, ctx: &Context<'_>) -> Result<Vec<SupportedFact>> {
        let facts = load_many(ctx, FactsOf(self.0.id)).await?;
        let (places, agencies, people) = futures_util::try_join!(
            load_all(
                ctx,
                facts.iter().filter_map(|f| f.location_id).map(LocationId)
            ),
            load_all(ctx, facts.iter().filter_map(|f| f.agency_id).map(AgencyId)),
            load_all(ctx, facts.iter().filter_map(|f| f.person_id).map(PersonId)),
        )?;
        Ok(facts
            .into_iter()
            .map(|f| SupportedFact {
                fact: f.fact.into(),
                kind: f.kind.map(Into::into),
                location: f
                    .location_id
                    .and_then(|id| places.get(&LocationId(id)).cloned())
                    .map(Location),
                agency: f
                    .agency_id
                    .and_then(|id| agencies.get(&AgencyId(id)).cloned())
                    .map(Agency),
                person: f
                    .person_id
                    .and_then(|id| people.get(&PersonId(id)).cloned())
                    .map(Person),
            })
            .collect())
    }
}

/// One fact of an event that a citation backs; the field matching `fact` is set.
#[derive(SimpleObject, Clone, Debug)]
pub struct SupportedFact {
    /// Which fact.
    pub fact: CitedFact,
    /// The kind, when `fact` is KIND.
    pub kind: Option<EventKind>,
    /// The place, when `fact` is LOCATION.
    pub location: Option<Location>,
    /// The agency, when `fact` is AGENCY.
    pub agency: Option<Agency>,
    /// The person, when `fact` is PERSON.
    pub person: Option<Person>,
}
