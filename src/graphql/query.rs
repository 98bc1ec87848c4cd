//! The root query: one fragment per domain (each in its domain's module), merged; and the
//! `Node` interface with the fields that fetch any object by global ID.

use crate::error::Error;
use crate::graphql::connection::MAX_PAGE;
use crate::graphql::loaders::*;
use crate::graphql::types::agency::{Agency, AgencyQuery};
use crate::graphql::types::citation::Citation;
use crate::graphql::types::event::{Event, EventQuery};
use crate::graphql::types::figure::Claim;
use crate::graphql::types::flow::{DeportationFlow, FlowQuery};
use crate::graphql::types::participant::ParticipantGroup;
use crate::graphql::types::person::{Person, PersonQuery, Statement};
use crate::graphql::types::place::{Country, Location, PlaceQuery};
use crate::graphql::types::source::{Source, SourceQuery};
use crate::graphql::types::statistic::{Statistic, StatisticQuery};
use crate::graphql::types::totals::TotalsQuery;
use crate::graphql::{ids, load};
use async_graphql::{Context, ID, Interface, MergedObject, Object, Result};

/// Scam Atlas: the crackdown on Southeast Asian scam centres — raids, arrests, deportations,
/// extraditions and site closures; the people caught up in them; the agencies that acted; the
/// places; and the news sources every figure comes from, each figure kept as every source's
/// claim with its verbatim quote. The entry points: any object by its global ID, each kind
/// found by ID or stable key or through a paginated, filterable connection, and totals that
/// never double-count.
#[derive(MergedObject, Default)]
pub struct Query(
    NodeQuery,
    EventQuery,
    AgencyQuery,
    PersonQuery,
    PlaceQuery,
    SourceQuery,
    FlowQuery,
    StatisticQuery,
    TotalsQuery,
    crate::graphql::types::proposal::ReviewQuery,
    crate::graphql::types::import_job::ImportJobQuery,
);

/// Anything with a global ID that `node(id:)` fetches. IDs are opaque, and stable for the
/// life of a record: store them, and they still name the same record after the dataset is
/// reloaded or grows.
#[derive(Interface)]
#[graphql(field(
    name = "id",
    ty = "ID",
    desc = "Opaque global ID, stable for the life of the record."
))]
#[graphql(field(
    name = "history",
    ty = "crate::graphql::types::proposal::ChangeConnection",
    desc = "Every published change to this record, oldest first: its audit trail.",
    arg(
        name = "first",
        ty = "Option<i32>",
        desc = "At most this many changes (at most 100)."
    ),
    arg(
        name = "after",
        ty = "Option<String>",
        desc = "The changes after this cursor."
    )
))]
pub enum Node {
    Event(Event),
    Agency(Agency),
    Person(Person),
    Location(Location),
    Country(Country),
    Source(Source),
    DeportationFlow(DeportationFlow),
    Statistic(Statistic),
    ParticipantGroup(ParticipantGroup),
    Claim(Claim),
    Citation(Citation),
    Statement(Statement),
    ImportJob(crate::graphql::types::import_job::ImportJob),
}

/// The object a global ID names; null when there is none.
pub(crate) async fn node_of(ctx: &Context<'_>, id: &ID) -> Result<Option<Node>> {
    let (type_name, key) = ids::decode_any(id)?;
    if key.is_empty() {
        return Err(ids::not_an_id(id).into());
    }
    Ok(match type_name.as_str() {
        "Event" => match load(ctx, EventKey(key.clone())).await? {
            Some(m) => Some(Node::Event(Event(m))),
            // A merged-away event answers with the event it was merged into.
            None => {
                let db = crate::graphql::db(ctx)?;
                match crate::service::changes::redirected(db, "Event", &key)
                    .await
                    .map_err(Error::from)?
                {
                    Some(to) => load(ctx, EventKey(to))
                        .await?
                        .map(|m| Node::Event(Event(m))),
                    None => None,
                }
            }
        },
        "Agency" => load(ctx, AgencyKey(key))
            .await?
            .map(|m| Node::Agency(Agency(m))),
        "Person" => load(ctx, PersonKey(key))
            .await?
            .map(|m| Node::Person(Person(m))),
        "Location" => load(ctx, LocationKey(key))
            .await?
            .map(|m| Node::Location(Location(m))),
        "Country" => load(ctx, CountryCode(key))
            .await?
            .map(|m| Node::Country(Country(m))),
        "Source" => load(ctx, SourceKey(key))
            .await?
            .map(|m| Node::Source(Source(m))),
        "DeportationFlow" => load(ctx, FlowUid(key))
            .await?
            .map(|m| Node::DeportationFlow(DeportationFlow(m))),
        "Statistic" => load(ctx, StatisticKey(key))
            .await?
            .map(|m| Node::Statistic(Statistic(m))),
        "ParticipantGroup" => load(ctx, GroupUid(key))
            .await?
            .map(|m| Node::ParticipantGroup(ParticipantGroup(m))),
        "Claim" => load(ctx, ClaimUid(key))
            .await?
            .map(|m| Node::Claim(Claim(m))),
        "Citation" => load(ctx, CitationUid(key))
            .await?
            .map(|m| Node::Citation(Citation(m))),
        "Statement" => load(ctx, StatementUid(key))
            .await?
            .map(|m| Node::Statement(Statement(m))),
        "ImportJob" => crate::graphql::types::import_job::find(ctx, &key)
            .await?
            .map(Node::ImportJob),
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
        node_of(ctx, &id).await
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
        futures_util::future::try_join_all(ids.iter().map(|id| node_of(ctx, id))).await
    }
}
