//! `Citation`: a verbatim quote from one source about an event, and the facts it backs.

use super::agency::Agency;
use super::enums::{CitedFact, EventKind};
use super::event::Event;
use super::person::Person;
use super::place::Location;
use super::source::Source;
use crate::graphql::connection::connection;
use crate::graphql::loaders::{AgencyId, EventId, FactsOf, LocationId, PersonId, SourceId};
use crate::graphql::{ids, load_all, load_many, load_required};
use async_graphql::{Context, ID, Object, Result, SimpleObject};
use entity::citation;

connection!(
    CitationConnection,
    CitationEdge,
    Citation(citation),
    "A page of citations, with the cursors to move between pages.",
    "A citation on a page, with its cursor."
);

/// A verbatim quote from one source about an event.
#[derive(Clone, Debug)]
pub struct Citation(pub citation::Model);

/// A verbatim quote from one source about an event.
#[Object]
impl Citation {
    /// Opaque global ID, stable for the life of the record.
    pub async fn id(&self) -> ID {
        ids::encode("Citation", &self.0.uid)
    }

    /// Every published change to this record, oldest first: its audit trail.
    pub async fn history(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "At most this many changes (at most 100).")] first: Option<i32>,
        #[graphql(desc = "The changes after this cursor.")] after: Option<String>,
    ) -> Result<crate::graphql::types::proposal::ChangeConnection> {
        crate::graphql::types::proposal::history(ctx, "Citation", &self.0.uid, first, after).await
    }

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
