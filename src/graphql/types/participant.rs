//! Who took part in an event: participant groups (counted people), agencies and named people.

use super::agency::Agency;
use super::enums::{AgencyRole, ParticipantRole, ParticipantStatus, PersonRole};
use super::event::Event;
use super::figure::Figure;
use super::person::Person;
use super::place::Country;
use crate::graphql::connection::connection;
use crate::graphql::load_required;
use crate::graphql::loaders::EventId;
use async_graphql::{Context, Object, Result, SimpleObject};
use entity::participant_group;

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
