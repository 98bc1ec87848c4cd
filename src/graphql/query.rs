//! The root query: one fragment per domain (each in its domain's module), merged; and the
//! `Node` interface with the fields that fetch any object by global ID.

use crate::error::Error;
use crate::graphql::connection::MAX_PAGE;
use crate::graphql::loaders::*;
use crate::graphql::types::agency::{Agency, AgencyQuery};
use crate::graphql::types::event::{Event, EventQuery};
use crate::graphql::types::flow::{DeportationFlow, FlowQuery};
use crate::graphql::types::person::{Person, PersonQuery};
use crate::graphql::types::place::{Country, Location, PlaceQuery};
use crate::graphql::types::source::{Source, SourceQuery};
use crate::graphql::types::statistic::{Statistic, StatisticQuery};
use crate::graphql::types::totals::TotalsQuery;
use crate::graphql::{ids, load};
use async_graphql::{Context, ID, Interface, MergedObject, Object, Result};

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
    TotalsQuery,
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
    let number = || key.parse::<i32>().map_err(|_| ids::not_an_id(id));
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
        _ => return Err(ids::not_an_id(id).into()),
    })
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
        if ids.len() > MAX_PAGE {
            return Err(Error::BadUserInput(format!("at most {MAX_PAGE} IDs at once")).into());
        }
        // All at once, so each type's IDs load in one batch.
        futures_util::future::try_join_all(ids.iter().map(|id| node(ctx, id))).await
    }
}
