//! The root query: one fragment per domain, merged.

use crate::error::Error;
use crate::graphql::connection::{self, CountRows, cost, edges};
use crate::graphql::loaders::*;
use crate::graphql::types::agency::{Agency, AgencyConnection, agency_position};
use crate::graphql::types::event::{Event, EventConnection, events_connection};
use crate::graphql::types::filters::*;
use crate::graphql::types::flow::{DeportationFlow, DeportationFlowConnection, flow_position};
use crate::graphql::types::person::{Person, PersonConnection, person_position};
use crate::graphql::types::place::{Country, Location, LocationConnection, location_position};
use crate::graphql::types::source::{Source, SourceConnection, source_position};
use crate::graphql::types::statistic::{Statistic, StatisticConnection, statistic_position};
use crate::graphql::{ids, load, read};
use crate::service::catalog::{self, by};
use crate::service::page::{Ordering, Paged, Position, page_of};
use async_graphql::{Context, ID, Interface, MergedObject, Object, Result};
use entity::*;
use sea_orm::{Condition, EntityTrait};

/// The entry points: events and what they involve, each found by ID or through a paginated,
/// filterable connection.
#[derive(MergedObject, Default)]
pub struct QueryRoot(
    NodeQuery,
    EventQuery,
    AgencyQuery,
    PersonQuery,
    PlaceQuery,
    SourceQuery,
    FlowQuery,
    StatisticQuery,
    crate::graphql::types::totals::TotalsQuery,
);

/// Anything with a global ID, which `node(id:)` fetches.
#[derive(Interface)]
#[graphql(field(name = "id", ty = "ID", desc = "Opaque global ID."))]
pub enum Node {
    Event(Event),
    Agency(Agency),
    Person(Person),
    Location(Location),
    Country(Country),
    Source(Source),
    DeportationFlow(DeportationFlow),
    Statistic(Statistic),
}

async fn node(ctx: &Context<'_>, id: &ID) -> Result<Option<Node>> {
    let (type_name, key) = ids::decode_any(id)?;
    let number = || {
        key.parse::<i32>()
            .map_err(|_| Error::BadUserInput(format!("\"{}\" is not a Scam Atlas ID", id.as_str())))
    };
    Ok(match type_name.as_str() {
        "Event" => load(ctx, EventId(number()?))
            .await?
            .map(|m| Node::Event(Event(m))),
        "Agency" => load(ctx, AgencyId(number()?))
            .await?
            .map(|m| Node::Agency(Agency(m))),
        "Person" => load(ctx, PersonId(number()?))
            .await?
            .map(|m| Node::Person(Person(m))),
        "Location" => load(ctx, LocationId(number()?))
            .await?
            .map(|m| Node::Location(Location(m))),
        "Country" => load(ctx, CountryCode(key.clone()))
            .await?
            .map(|m| Node::Country(Country(m))),
        "Source" => load(ctx, SourceId(number()?))
            .await?
            .map(|m| Node::Source(Source(m))),
        "DeportationFlow" => load(ctx, FlowId(number()?))
            .await?
            .map(|m| Node::DeportationFlow(DeportationFlow(m))),
        "Statistic" => load(ctx, StatisticId(number()?))
            .await?
            .map(|m| Node::Statistic(Statistic(m))),
        _ => {
            return Err(
                Error::BadUserInput(format!("\"{}\" is not a Scam Atlas ID", id.as_str())).into(),
            );
        }
    })
}

/// One page of a root connection over `E`.
#[allow(clippy::too_many_arguments)]
async fn root<E, N>(
    ctx: &Context<'_>,
    condition: Condition,
    ordering: Ordering,
    tag: &str,
    (first, after, last, before): (Option<i32>, Option<String>, Option<i32>, Option<String>),
    position: fn(&E::Model) -> Position,
    node: fn(E::Model) -> N,
) -> Result<((Vec<(String, N)>, connection::PageInfo), CountRows<E>)>
where
    E: EntityTrait,
    E::Model: Sync,
{
    let page = connection::page(tag, first, after, last, before)?;
    let (c, p) = (condition.clone(), page.clone());
    let paged: Paged<E::Model> = read(ctx, move |db| async move {
        page_of::<E>(&db, c, &ordering, &p).await
    })
    .await?;
    Ok((
        edges(paged, &page, tag, position, node),
        CountRows::new(condition),
    ))
}

/// Root fields for any object by global ID.
#[derive(Default)]
pub struct NodeQuery;

#[Object]
impl NodeQuery {
    /// Any object by its global ID; null when there is none.
    async fn node(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "A global ID.")] id: ID,
    ) -> Result<Option<Node>> {
        node(ctx, &id).await
    }

    /// Objects by their global IDs, in the same order; null where there is none.
    #[graphql(complexity = "ids.len() * child_complexity")]
    async fn nodes(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Up to 100 global IDs.")] ids: Vec<ID>,
    ) -> Result<Vec<Option<Node>>> {
        if ids.len() > connection::MAX_PAGE {
            return Err(Error::BadUserInput(format!(
                "at most {} IDs at once",
                connection::MAX_PAGE
            ))
            .into());
        }
        // All at once, so each type's IDs load in one batch.
        futures_util::future::try_join_all(ids.iter().map(|id| node(ctx, id))).await
    }
}

/// Root fields about events.
#[derive(Default)]
pub struct EventQuery;

#[Object]
impl EventQuery {
    /// Events, newest first unless `orderBy` says otherwise; filter them by kind, date, place,
    /// nationality, agency, person, source, status or words.
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
        events_connection(ctx, None, filter, order_by, first, after, last, before).await
    }

    /// One event by its global ID; null when there is none.
    async fn event(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The event's global ID.")] id: ID,
    ) -> Result<Option<Event>> {
        Ok(load(ctx, EventId(ids::decode("Event", &id)?))
            .await?
            .map(Event))
    }
}

/// Root fields about agencies.
#[derive(Default)]
pub struct AgencyQuery;

#[Object]
impl AgencyQuery {
    /// Agencies, by name.
    #[graphql(complexity = "cost(first, last, child_complexity)")]
    async fn agencies(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Only agencies matching this.")] filter: Option<AgencyFilter>,
        #[graphql(desc = "Read forward: this many agencies (at most 100; 20 by default).")]
        first: Option<i32>,
        #[graphql(desc = "Read forward from after this cursor.")] after: Option<String>,
        #[graphql(desc = "Read backward: this many agencies (at most 100).")] last: Option<i32>,
        #[graphql(desc = "Read backward from before this cursor.")] before: Option<String>,
    ) -> Result<AgencyConnection> {
        let condition = filter.unwrap_or_default().into_service()?.condition();
        let ordering = by(agency::Entity, "name", false);
        let (page, total) = root::<agency::Entity, _>(
            ctx,
            condition,
            ordering,
            "agencies:NAME:ASC",
            (first, after, last, before),
            agency_position,
            Agency,
        )
        .await?;
        Ok(AgencyConnection::new(page, total))
    }

    /// One agency by its global ID; null when there is none.
    async fn agency(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The agency's global ID.")] id: ID,
    ) -> Result<Option<Agency>> {
        Ok(load(ctx, AgencyId(ids::decode("Agency", &id)?))
            .await?
            .map(Agency))
    }
}

/// Root fields about people.
#[derive(Default)]
pub struct PersonQuery;

#[Object]
impl PersonQuery {
    /// Named officials and charged principals, by name.
    #[graphql(complexity = "cost(first, last, child_complexity)")]
    async fn people(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Only people matching this (name or alias).")] filter: Option<
            PersonFilter,
        >,
        #[graphql(desc = "Read forward: this many people (at most 100; 20 by default).")]
        first: Option<i32>,
        #[graphql(desc = "Read forward from after this cursor.")] after: Option<String>,
        #[graphql(desc = "Read backward: this many people (at most 100).")] last: Option<i32>,
        #[graphql(desc = "Read backward from before this cursor.")] before: Option<String>,
    ) -> Result<PersonConnection> {
        let condition = catalog::PersonFilter {
            search: filter.unwrap_or_default().search,
        }
        .condition();
        let ordering = by(person::Entity, "name", false);
        let (page, total) = root::<person::Entity, _>(
            ctx,
            condition,
            ordering,
            "people:NAME:ASC",
            (first, after, last, before),
            person_position,
            Person,
        )
        .await?;
        Ok(PersonConnection::new(page, total))
    }

    /// One person by their global ID; null when there is none.
    async fn person(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The person's global ID.")] id: ID,
    ) -> Result<Option<Person>> {
        Ok(load(ctx, PersonId(ids::decode("Person", &id)?))
            .await?
            .map(Person))
    }
}

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
        let ordering = by(location::Entity, "name", false);
        let (page, total) = root::<location::Entity, _>(
            ctx,
            condition,
            ordering,
            "locations:NAME:ASC",
            (first, after, last, before),
            location_position,
            Location,
        )
        .await?;
        Ok(LocationConnection::new(page, total))
    }

    /// One place by its global ID; null when there is none.
    async fn location(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The place's global ID.")] id: ID,
    ) -> Result<Option<Location>> {
        Ok(load(ctx, LocationId(ids::decode("Location", &id)?))
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
        use sea_orm::QueryOrder;
        let rows = read(ctx, |db| async move {
            country::Entity::find()
                .order_by_asc(country::Column::Name)
                .all(&db)
                .await
        })
        .await?;
        Ok(rows.into_iter().map(Country).collect())
    }
}

/// Root fields about sources.
#[derive(Default)]
pub struct SourceQuery;

#[Object]
impl SourceQuery {
    /// The news articles figures and facts are cited from, newest first.
    #[graphql(complexity = "cost(first, last, child_complexity)")]
    async fn sources(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Only sources matching this.")] filter: Option<SourceFilter>,
        #[graphql(desc = "Read forward: this many sources (at most 100; 20 by default).")]
        first: Option<i32>,
        #[graphql(desc = "Read forward from after this cursor.")] after: Option<String>,
        #[graphql(desc = "Read backward: this many sources (at most 100).")] last: Option<i32>,
        #[graphql(desc = "Read backward from before this cursor.")] before: Option<String>,
    ) -> Result<SourceConnection> {
        let f = filter.unwrap_or_default();
        let condition = catalog::SourceFilter {
            search: f.search,
            reporting: f.reporting.map(Into::into),
        }
        .condition();
        let ordering = by(source::Entity, "published_start", true);
        let (page, total) = root::<source::Entity, _>(
            ctx,
            condition,
            ordering,
            "sources:PUBLISHED:DESC",
            (first, after, last, before),
            source_position,
            Source,
        )
        .await?;
        Ok(SourceConnection::new(page, total))
    }

    /// One source by its global ID; null when there is none.
    async fn source(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The source's global ID.")] id: ID,
    ) -> Result<Option<Source>> {
        Ok(load(ctx, SourceId(ids::decode("Source", &id)?))
            .await?
            .map(Source))
    }
}

/// Root fields about deportation and extradition flows.
#[derive(Default)]
pub struct FlowQuery;

#[Object]
impl FlowQuery {
    /// Deportation and extradition flows, newest first.
    #[graphql(complexity = "cost(first, last, child_complexity)")]
    async fn deportation_flows(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Only flows matching this.")] filter: Option<FlowFilter>,
        #[graphql(desc = "Read forward: this many flows (at most 100; 20 by default).")]
        first: Option<i32>,
        #[graphql(desc = "Read forward from after this cursor.")] after: Option<String>,
        #[graphql(desc = "Read backward: this many flows (at most 100).")] last: Option<i32>,
        #[graphql(desc = "Read backward from before this cursor.")] before: Option<String>,
    ) -> Result<DeportationFlowConnection> {
        let condition = filter.unwrap_or_default().into_service()?.condition();
        let ordering = by(deportation_flow::Entity, "date_start", true);
        let (page, total) = root::<deportation_flow::Entity, _>(
            ctx,
            condition,
            ordering,
            "flows:DATE:DESC",
            (first, after, last, before),
            flow_position,
            DeportationFlow,
        )
        .await?;
        Ok(DeportationFlowConnection::new(page, total))
    }
}

/// Root fields about statistics.
#[derive(Default)]
pub struct StatisticQuery;

#[Object]
impl StatisticQuery {
    /// Figures about periods rather than events (never part of totals over events), newest
    /// period first.
    #[graphql(complexity = "cost(first, last, child_complexity)")]
    async fn statistics(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Only statistics matching this.")] filter: Option<StatisticFilter>,
        #[graphql(desc = "Read forward: this many statistics (at most 100; 20 by default).")] first: Option<i32>,
        #[graphql(desc = "Read forward from after this cursor.")] after: Option<String>,
        #[graphql(desc = "Read backward: this many statistics (at most 100).")] last: Option<i32>,
        #[graphql(desc = "Read backward from before this cursor.")] before: Option<String>,
    ) -> Result<StatisticConnection> {
        let condition = filter.unwrap_or_default().into_service()?.condition();
        let ordering = by(statistic::Entity, "period_start", true);
        let (page, total) = root::<statistic::Entity, _>(
            ctx,
            condition,
            ordering,
            "statistics:PERIOD:DESC",
            (first, after, last, before),
            statistic_position,
            Statistic,
        )
        .await?;
        Ok(StatisticConnection::new(page, total))
    }
}
