//! `DeportationFlow`: people moved between countries.

use super::enums::{FlowKind, Status};
use super::event::Event;
use super::figure::Figure;
use super::filters::FlowFilter;
use super::place::Country;
use super::scalars::DateSpan;
use crate::graphql::connection::{PageArgs, connection, cost};
use crate::graphql::loaders::{CountryCode, EventId, FigureId, NationalitiesOf};
use crate::graphql::{ids, load_each, load_many, load_required};
use crate::service::flow::FLOWS_BY_DATE;
use async_graphql::{Context, ID, Object, Result, SimpleObject};
use entity::deportation_flow;

connection!(
    DeportationFlowConnection,
    DeportationFlowEdge,
    DeportationFlow(deportation_flow),
    "A page of deportation and extradition flows, with the cursors to move between pages.",
    "A flow on a page, with its cursor."
);

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
        let args = PageArgs::new(first, after, last, before);
        DeportationFlowConnection::root(ctx, condition, FLOWS_BY_DATE, args).await
    }
}

/// People deported or extradited from one country to another in an event.
#[derive(Clone, Debug)]
pub struct DeportationFlow(pub deportation_flow::Model);

/// People deported or extradited from one country to another in an event.
#[Object]
impl DeportationFlow {
    /// Opaque global ID, stable for the life of the record.
    pub async fn id(&self) -> ID {
        ids::encode("DeportationFlow", &self.0.uid)
    }

    /// Every published change to this record, oldest first: its audit trail.
    pub async fn history(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "At most this many changes (at most 100).")] first: Option<i32>,
        #[graphql(desc = "The changes after this cursor.")] after: Option<String>,
    ) -> Result<crate::graphql::types::proposal::ChangeConnection> {
        crate::graphql::types::proposal::history(ctx, "DeportationFlow", &self.0.uid, first, after)
            .await
    }

    /// The country people were sent from.
    #[graphql(name = "fromCountry")]
    async fn origin(&self, ctx: &Context<'_>) -> Result<Country> {
        Country::load(ctx, &self.0.from_code).await
    }

    /// The country people were sent to; null when the sources leave it unspecified
    /// ("to their home countries").
    async fn to_country(&self, ctx: &Context<'_>) -> Result<Option<Country>> {
        match &self.0.to_code {
            Some(code) => Ok(Some(Country::load(ctx, code).await?)),
            None => Ok(None),
        }
    }

    /// Deportation or extradition.
    async fn kind(&self) -> FlowKind {
        self.0.kind.into()
    }

    /// Whether it happened or was announced.
    async fn status(&self) -> Status {
        self.0.status.into()
    }

    /// When.
    async fn date(&self) -> DateSpan {
        let f = &self.0;
        DateSpan::new(f.date_start, f.date_end, f.date_precision, f.date_derived)
    }

    /// How many people; null when no source gives a number.
    async fn count(&self, ctx: &Context<'_>) -> Result<Option<Figure>> {
        match self.0.count_figure_id {
            Some(id) => Ok(Some(Figure::load(ctx, id).await?)),
            None => Ok(None),
        }
    }

    /// The split by nationality, where the sources give it.
    async fn by_nationality(&self, ctx: &Context<'_>) -> Result<Vec<FlowNationality>> {
        let parts = load_many(ctx, NationalitiesOf(self.0.id)).await?;
        let (countries, figures) = futures_util::try_join!(
            load_each(
                ctx,
                parts
                    .iter()
                    .map(|p| CountryCode(p.nationality_code.clone()))
                    .collect()
            ),
            load_each(
                ctx,
                parts.iter().map(|p| FigureId(p.count_figure_id)).collect()
            ),
        )?;
        Ok(parts
            .iter()
            .zip(countries.into_iter().zip(figures))
            .map(|(p, (c, f))| FlowNationality {
                id: ids::encode("FlowNationality", &p.uid),
                nationality: Country(c),
                count: Figure::stored(&f),
            })
            .collect())
    }

    /// The event it belongs to.
    async fn event(&self, ctx: &Context<'_>) -> Result<Event> {
        Ok(Event(load_required(ctx, EventId(self.0.event_id)).await?))
    }
}

/// The people of one nationality in a flow.
#[derive(SimpleObject, Clone, Debug)]
pub struct FlowNationality {
    /// Opaque global ID, stable for the life of the record.
    pub id: ID,
    /// Their nationality.
    pub nationality: Country,
    /// How many.
    pub count: Figure,
}
