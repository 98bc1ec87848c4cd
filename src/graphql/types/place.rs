//! `Country` and `Location`: the gazetteer, and what happened in and between its places.

use super::enums::{CoordinatePrecision, LocationLevel};
use super::event::{Scope, events_field};
use super::filters::{LocationFilter, country_code};
use super::flow::DeportationFlowConnection;
use super::participant::ParticipantGroupConnection;
use crate::graphql::connection::{PageArgs, connection, cost};
use crate::graphql::loaders::{CountryCode, LocationId, LocationKey};
use crate::graphql::{ids, load, load_required, read};
use crate::service::catalog::{self, LOCATIONS_BY_NAME};
use crate::service::event::Via;
use crate::service::relation::{ChildrenOf, FlowsOf, NationalsOf};
use async_graphql::{Context, ID, Object, Result, SimpleObject};
use entity::{country, location};

/// Root fields about places and countries.
#[derive(Default)]
pub struct PlaceQuery;

#[Object]
impl PlaceQuery {
    /// Places of the gazetteer, by name.
    #[graphql(complexity = "cost(first, last, child_complexity)")]
    async fn locations(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Only places matching this.")] filter: Option<LocationFilter>,
        #[graphql(desc = "Read forward: this many places (at most 100; 20 by default).")]
        first: Option<i32>,
        #[graphql(desc = "Read forward from after this cursor.")] after: Option<String>,
        #[graphql(desc = "Read backward: this many places (at most 100).")] last: Option<i32>,
        #[graphql(desc = "Read backward from before this cursor.")] before: Option<String>,
    ) -> Result<LocationConnection> {
        let condition = filter.unwrap_or_default().into_service()?.condition();
        let args = PageArgs::new(first, after, last, before);
        LocationConnection::root(ctx, condition, LOCATIONS_BY_NAME, args).await
    }

    /// One place by its global ID or by its stable key (give exactly one); null when there
    /// is none.
    async fn location(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The place's global ID.")] id: Option<ID>,
        #[graphql(
            desc = "The place's stable key (e.g. `phnom-penh`; a country's place has its ISO code)."
        )]
        key: Option<String>,
    ) -> Result<Option<Location>> {
        Ok(load(ctx, LocationKey(ids::id_or_key("Location", id, key)?))
            .await?
            .map(Location))
    }

    /// One country by its ISO 3166-1 alpha-2 code (e.g. `KH`); null when there is none.
    async fn country(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "ISO 3166-1 alpha-2 code.")] code: String,
    ) -> Result<Option<Country>> {
        Ok(load(ctx, CountryCode(country_code(&code)?))
            .await?
            .map(Country))
    }

    /// Every country the dataset mentions, by name.
    async fn countries(&self, ctx: &Context<'_>) -> Result<Vec<Country>> {
        let rows = read(ctx, |db| async move { catalog::countries(&db).await }).await?;
        Ok(rows.into_iter().map(Country).collect())
    }
}

events_field!(
    /// Events that happened in the country (in any of its places).
    EventsOfCountry
);

events_field!(
    /// Events that happened here or in any place under it.
    EventsOfLocation
);

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
}

/// A country: a nationality, a place, and an end of a deportation flow.
#[Object]
impl Country {
    /// Opaque global ID, stable for the life of the record.
    pub async fn id(&self) -> ID {
        ids::encode("Country", &self.0.code)
    }

    /// Every published change to this record, oldest first: its audit trail.
    pub async fn history(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "At most this many changes (at most 100).")] first: Option<i32>,
        #[graphql(desc = "The changes after this cursor.")] after: Option<String>,
    ) -> Result<crate::graphql::types::proposal::ChangeConnection> {
        crate::graphql::types::proposal::history(ctx, "Country", &self.0.code, first, after).await
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

    /// The country's geographic centre (COUNTRY precision), for placing it on a map; null
    /// when the dataset gives none.
    async fn centroid(&self, ctx: &Context<'_>) -> Result<Option<Coordinates>> {
        Ok(load(ctx, LocationKey(self.0.code.clone()))
            .await?
            .and_then(|l| Coordinates::of(&l)))
    }

    /// `events(...)`, flattened in.
    #[graphql(flatten)]
    async fn events_field(&self) -> EventsOfCountry {
        EventsOfCountry(Scope::Country(self.0.code.clone()))
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
        let args = PageArgs::new(first, after, last, before);
        let relation = FlowsOf { outgoing: true };
        DeportationFlowConnection::nested(ctx, relation, self.0.code.clone(), args).await
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
        let args = PageArgs::new(first, after, last, before);
        let relation = FlowsOf { outgoing: false };
        DeportationFlowConnection::nested(ctx, relation, self.0.code.clone(), args).await
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
        let args = PageArgs::new(first, after, last, before);
        ParticipantGroupConnection::nested(ctx, NationalsOf, self.0.code.clone(), args).await
    }
}

/// A point on the Earth (WGS84), with how precisely it locates what it stands for.
#[derive(Clone, Copy, Debug, SimpleObject)]
pub struct Coordinates {
    /// Degrees north of the equator (negative: south), −90 to 90.
    pub latitude: f64,
    /// Degrees east of Greenwich (negative: west), −180 to 180.
    pub longitude: f64,
    /// The smallest area the point is known to lie in: a CITY-precision point is the city's
    /// centre, not the place's own position.
    pub precision: CoordinatePrecision,
}

impl Coordinates {
    /// A place's coordinates, when it has all three columns.
    fn of(place: &location::Model) -> Option<Self> {
        Some(Coordinates {
            latitude: place.latitude?,
            longitude: place.longitude?,
            precision: place.coordinate_precision?.into(),
        })
    }
}

connection!(
    LocationConnection,
    LocationEdge,
    Location(location),
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

/// A place: a country, province, district, commune or city, or a single site. Places form a
/// hierarchy, so a question about a province finds what happened in its cities.
#[Object]
impl Location {
    /// Opaque global ID, stable for the life of the record.
    pub async fn id(&self) -> ID {
        ids::encode("Location", &self.0.key)
    }

    /// Every published change to this record, oldest first: its audit trail.
    pub async fn history(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "At most this many changes (at most 100).")] first: Option<i32>,
        #[graphql(desc = "The changes after this cursor.")] after: Option<String>,
    ) -> Result<crate::graphql::types::proposal::ChangeConnection> {
        crate::graphql::types::proposal::history(ctx, "Location", &self.0.key, first, after).await
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

    /// Where it is on a map, and how precisely; null when the dataset gives no coordinates
    /// (generated datasets do not).
    async fn coordinates(&self) -> Option<Coordinates> {
        Coordinates::of(&self.0)
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
        let args = PageArgs::new(first, after, last, before);
        LocationConnection::nested(ctx, ChildrenOf, self.0.id, args).await
    }

    /// `events(...)`, flattened in.
    #[graphql(flatten)]
    async fn events_field(&self) -> EventsOfLocation {
        EventsOfLocation(Scope::Of(Via::Location, self.0.id))
    }
}
