//! `Country` and `Location`: the gazetteer, and what happened in and between its places.

use super::enums::LocationLevel;
use super::event::{
    EventConnection, ParticipantGroup, ParticipantGroupConnection, events_connection,
};
use super::filters::{EventFilter, EventOrderBy};
use super::flow::{DeportationFlow, DeportationFlowConnection, flow_position};
use crate::graphql::connection::{self, CountChildren, children, connection, cost, edges};
use crate::graphql::loaders::{CountOf, CountryCode, LocationId, LocationKey};
use crate::graphql::{ids, load, load_required};
use crate::service::event::Via;
use crate::service::page::{Position, SortValue};
use crate::service::relation::{ChildrenOf, FlowsOf, NationalsOf};
use async_graphql::{Context, ID, Object, Result};
use entity::{country, location, participant_group};

/// A country: a nationality, a place, and an end of a deportation flow.
#[derive(Clone, Debug)]
pub struct Country(pub country::Model);

impl Country {
    /// Loads a country that a foreign key points at.
    pub async fn load(ctx: &Context<'_>, code: &str) -> Result<Self> {
        Ok(Country(
            load_required(ctx, CountryCode(code.to_string())).await?,
        ))
    }

    async fn flows(
        &self,
        ctx: &Context<'_>,
        outgoing: bool,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
    ) -> Result<DeportationFlowConnection> {
        let tag = "flows:DATE:DESC";
        let page = connection::page(tag, first, after, last, before)?;
        let relation = FlowsOf { outgoing };
        let paged = children(ctx, relation.clone(), self.0.code.clone(), &page).await?;
        Ok(DeportationFlowConnection::new(
            edges(paged, &page, tag, flow_position, DeportationFlow),
            CountChildren(CountOf {
                relation,
                parent: self.0.code.clone(),
            }),
        ))
    }
}

/// A country: a nationality, a place, and an end of a deportation flow.
#[Object]
impl Country {
    /// Opaque global ID.
    pub async fn id(&self) -> ID {
        ids::encode("Country", &self.0.code)
    }

    /// ISO 3166-1 alpha-2 code, e.g. `KH`; Taiwan is `TW`.
    async fn code(&self) -> &str {
        &self.0.code
    }

    /// English short name.
    async fn name(&self) -> &str {
        &self.0.name
    }

    /// The country as a place: the top of its part of the gazetteer.
    async fn location(&self, ctx: &Context<'_>) -> Result<Option<Location>> {
        Ok(load(ctx, LocationKey(self.0.code.clone()))
            .await?
            .map(Location))
    }

    /// Events that happened in the country (in any of its places).
    #[graphql(complexity = "cost(first, last, child_complexity)")]
    #[allow(clippy::too_many_arguments)]
    async fn events(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Only events matching this.")] filter: Option<EventFilter>,
        #[graphql(desc = "The order; newest first by default.")] order_by: Option<EventOrderBy>,
        #[graphql(desc = "Read forward: this many events (at most 100; 20 by default).")]
        first: Option<i32>,
        #[graphql(desc = "Read forward from after this cursor.")] after: Option<String>,
        #[graphql(desc = "Read backward: this many events (at most 100).")] last: Option<i32>,
        #[graphql(desc = "Read backward from before this cursor.")] before: Option<String>,
    ) -> Result<EventConnection> {
        let place = load_required(ctx, LocationKey(self.0.code.clone())).await?;
        events_connection(
            ctx,
            Some((Via::Location, place.id)),
            filter,
            order_by,
            first,
            after,
            last,
            before,
        )
        .await
    }

    /// Deportations and extraditions from this country, newest first.
    #[graphql(complexity = "cost(first, last, child_complexity)")]
    async fn flows_out(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Read forward: this many flows (at most 100; 20 by default).")]
        first: Option<i32>,
        #[graphql(desc = "Read forward from after this cursor.")] after: Option<String>,
        #[graphql(desc = "Read backward: this many flows (at most 100).")] last: Option<i32>,
        #[graphql(desc = "Read backward from before this cursor.")] before: Option<String>,
    ) -> Result<DeportationFlowConnection> {
        self.flows(ctx, true, first, after, last, before).await
    }

    /// Deportations and extraditions to this country, newest first.
    #[graphql(complexity = "cost(first, last, child_complexity)")]
    async fn flows_in(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Read forward: this many flows (at most 100; 20 by default).")]
        first: Option<i32>,
        #[graphql(desc = "Read forward from after this cursor.")] after: Option<String>,
        #[graphql(desc = "Read backward: this many flows (at most 100).")] last: Option<i32>,
        #[graphql(desc = "Read backward from before this cursor.")] before: Option<String>,
    ) -> Result<DeportationFlowConnection> {
        self.flows(ctx, false, first, after, last, before).await
    }

    /// Participant groups of this nationality, across all events.
    #[graphql(complexity = "cost(first, last, child_complexity)")]
    async fn nationals(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Read forward: this many groups (at most 100; 20 by default).")]
        first: Option<i32>,
        #[graphql(desc = "Read forward from after this cursor.")] after: Option<String>,
        #[graphql(desc = "Read backward: this many groups (at most 100).")] last: Option<i32>,
        #[graphql(desc = "Read backward from before this cursor.")] before: Option<String>,
    ) -> Result<ParticipantGroupConnection> {
        let tag = "nationals";
        let page = connection::page(tag, first, after, last, before)?;
        let paged = children(ctx, NationalsOf, self.0.code.clone(), &page).await?;
        let position = |g: &participant_group::Model| Position {
            key: SortValue::Int(g.event_id.into()),
            id: g.id,
        };
        Ok(ParticipantGroupConnection::new(
            edges(paged, &page, tag, position, ParticipantGroup),
            CountChildren(CountOf {
                relation: NationalsOf,
                parent: self.0.code.clone(),
            }),
        ))
    }
}

connection!(
    LocationConnection,
    LocationEdge,
    Location,
    "A page of places, with the cursors to move between pages.",
    "A place on a page, with its cursor."
);

/// A place: a country, province, district, commune or city, or a single site. Places form a
/// hierarchy, so a question about a province finds what happened in its cities.
#[derive(Clone, Debug)]
pub struct Location(pub location::Model);

impl Location {
    /// Loads a place that a foreign key points at.
    pub async fn load(ctx: &Context<'_>, id: i32) -> Result<Self> {
        Ok(Location(load_required(ctx, LocationId(id)).await?))
    }
}

/// The sort key of a place in name order.
pub fn location_position(l: &location::Model) -> Position {
    Position {
        key: l.name.as_str().into(),
        id: l.id,
    }
}

/// A place: a country, province, district, commune or city, or a single site. Places form a
/// hierarchy, so a question about a province finds what happened in its cities.
#[Object]
impl Location {
    /// Opaque global ID.
    pub async fn id(&self) -> ID {
        ids::encode("Location", self.0.id)
    }

    /// Stable key (a country's place has its ISO code as key, e.g. `KH`; others a slug, e.g. `poipet`).
    async fn key(&self) -> &str {
        &self.0.key
    }

    /// The place's name.
    async fn name(&self) -> &str {
        &self.0.name
    }

    /// Its level in the hierarchy.
    async fn level(&self) -> LocationLevel {
        self.0.level.into()
    }

    /// The country it lies in.
    async fn country(&self, ctx: &Context<'_>) -> Result<Country> {
        Country::load(ctx, &self.0.country_code).await
    }

    /// The place it lies in; null for a country.
    async fn parent(&self, ctx: &Context<'_>) -> Result<Option<Location>> {
        match self.0.parent_id {
            Some(id) => Ok(load(ctx, LocationId(id)).await?.map(Location)),
            None => Ok(None),
        }
    }

    /// The places directly under it, by name.
    #[graphql(complexity = "cost(first, last, child_complexity)")]
    async fn children(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Read forward: this many places (at most 100; 20 by default).")]
        first: Option<i32>,
        #[graphql(desc = "Read forward from after this cursor.")] after: Option<String>,
        #[graphql(desc = "Read backward: this many places (at most 100).")] last: Option<i32>,
        #[graphql(desc = "Read backward from before this cursor.")] before: Option<String>,
    ) -> Result<LocationConnection> {
        let tag = "locations:NAME:ASC";
        let page = connection::page(tag, first, after, last, before)?;
        let paged = children(ctx, ChildrenOf, self.0.id, &page).await?;
        Ok(LocationConnection::new(
            edges(paged, &page, tag, location_position, Location),
            CountChildren(CountOf {
                relation: ChildrenOf,
                parent: self.0.id,
            }),
        ))
    }

    /// Events that happened here or in any place under it.
    #[graphql(complexity = "cost(first, last, child_complexity)")]
    #[allow(clippy::too_many_arguments)]
    async fn events(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Only events matching this.")] filter: Option<EventFilter>,
        #[graphql(desc = "The order; newest first by default.")] order_by: Option<EventOrderBy>,
        #[graphql(desc = "Read forward: this many events (at most 100; 20 by default).")]
        first: Option<i32>,
        #[graphql(desc = "Read forward from after this cursor.")] after: Option<String>,
        #[graphql(desc = "Read backward: this many events (at most 100).")] last: Option<i32>,
        #[graphql(desc = "Read backward from before this cursor.")] before: Option<String>,
    ) -> Result<EventConnection> {
        events_connection(
            ctx,
            Some((Via::Location, self.0.id)),
            filter,
            order_by,
            first,
            after,
            last,
            before,
        )
        .await
    }
}
