//! Who took part in an event: participant groups (counted people), agencies and named people.

use super::agency::Agency;
use super::enums::{AgencyRole, CohortRelation, ParticipantRole, ParticipantStatus, PersonRole};
use super::event::Event;
use super::figure::Figure;
use super::person::Person;
use super::place::Country;
use super::source::Source;
use crate::graphql::connection::connection;
use crate::graphql::loaders::{CohortLinkOf, EventId, GroupId, SourceId};
use crate::graphql::{ids, load, load_required};
use async_graphql::{Context, ID, Object, Result, SimpleObject};
use entity::{participant_group, participant_link};

connection!(
    ParticipantGroupConnection,
    ParticipantGroupEdge,
    ParticipantGroup(participant_group),
    "A page of participant groups, with the cursors to move between pages.",
    "A participant group on a page, with its cursor."
);

/// The people of one nationality, role and status in an event.
#[derive(Clone, Debug)]
pub struct ParticipantGroup(pub participant_group::Model);

/// The people of one nationality, role and status in an event.
#[Object]
impl ParticipantGroup {
    /// Opaque global ID, stable for the life of the record.
    pub async fn id(&self) -> ID {
        ids::encode("ParticipantGroup", &self.0.uid)
    }

    /// Every published change to this record, oldest first: its audit trail.
    pub async fn history(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "At most this many changes (at most 100).")] first: Option<i32>,
        #[graphql(desc = "The changes after this cursor.")] after: Option<String>,
    ) -> Result<crate::graphql::types::proposal::ChangeConnection> {
        crate::graphql::types::proposal::history(ctx, "ParticipantGroup", &self.0.uid, first, after)
            .await
    }

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

    /// The group of another event whose people these are, all of them or some, where a source
    /// says so (the 63 deported are the 63 arrested); null otherwise. Linked groups are one
    /// body of people, counted once in totals (see `participantTotals`).
    async fn cohort_link(&self, ctx: &Context<'_>) -> Result<Option<CohortLink>> {
        Ok(load(ctx, CohortLinkOf(self.0.id)).await?.map(CohortLink))
    }
}

/// A source's word that a participant group's people are the same people as, or some of, the
/// people of a group of another event.
#[derive(Clone, Debug)]
pub struct CohortLink(pub participant_link::Model);

/// A source's word that a participant group's people are the same people as, or some of, the
/// people of a group of another event.
#[Object]
impl CohortLink {
    /// Opaque global ID, stable for the life of the record.
    pub async fn id(&self) -> ID {
        ids::encode("CohortLink", &self.0.uid)
    }

    /// All of the other group's people, or some of them.
    async fn relation(&self) -> CohortRelation {
        self.0.relation.into()
    }

    /// The other event's group.
    async fn group(&self, ctx: &Context<'_>) -> Result<ParticipantGroup> {
        Ok(ParticipantGroup(
            load_required(ctx, GroupId(self.0.linked_group_id)).await?,
        ))
    }

    /// The quote that says so, verbatim.
    async fn quote(&self) -> &str {
        &self.0.quote
    }

    /// The article it is from.
    async fn source(&self, ctx: &Context<'_>) -> Result<Source> {
        Ok(Source(
            load_required(ctx, SourceId(self.0.source_id)).await?,
        ))
    }
}

/// An agency's part in an event.
#[derive(SimpleObject, Clone, Debug)]
pub struct EventAgency {
    /// Opaque global ID, stable for the life of the record.
    pub id: ID,
    /// What it did.
    pub role: AgencyRole,
    /// The agency.
    pub agency: Agency,
}

/// A named person's part in an event.
#[derive(SimpleObject, Clone, Debug)]
pub struct EventPerson {
    /// Opaque global ID, stable for the life of the record.
    pub id: ID,
    /// What they did.
    pub role: PersonRole,
    /// The person.
    pub person: Person,
}
