//! `Agency`: the bodies that acted or spoke.

use super::enums::AgencyKind;
use super::event::{EventConnection, events_connection};
use super::filters::{EventFilter, EventOrderBy};
use super::place::Country;
use crate::graphql::connection::{connection, cost};
use crate::graphql::ids;
use crate::graphql::load_required;
use crate::graphql::loaders::AgencyId;
use crate::service::event::Via;
use crate::service::page::Position;
use async_graphql::{Context, ID, Object, Result};
use entity::agency;

connection!(
    AgencyConnection,
    AgencyEdge,
    Agency,
    "A page of agencies, with the cursors to move between pages.",
    "An agency on a page, with its cursor."
);

/// The sort key of an agency in name order.
pub fn agency_position(a: &agency::Model) -> Position {
    Position {
        key: a.name.as_str().into(),
        id: a.id,
    }
}

/// A body that acted or spoke: police, immigration, ministries, the military, commissions,
/// foreign governments and agencies, international police, NGOs, UN bodies, media.
#[derive(Clone, Debug)]
pub struct Agency(pub agency::Model);

impl Agency {
    /// Loads an agency that a foreign key points at.
    pub async fn load(ctx: &Context<'_>, id: i32) -> Result<Self> {
        Ok(Agency(load_required(ctx, AgencyId(id)).await?))
    }
}

/// A body that acted or spoke: police, immigration, ministries, the military, commissions,
/// foreign governments and agencies, international police, NGOs, UN bodies, media.
#[Object]
impl Agency {
    /// Opaque global ID.
    pub async fn id(&self) -> ID {
        ids::encode("Agency", self.0.id)
    }

    /// Stable key in the curated dataset.
    async fn key(&self) -> &str {
        &self.0.key
    }

    /// Full name.
    async fn name(&self) -> &str {
        &self.0.name
    }

    /// Abbreviation or short form, when there is one (e.g. `FBI`).
    async fn short_name(&self) -> Option<&str> {
        self.0.short_name.as_deref()
    }

    /// What sort of body it is.
    async fn kind(&self) -> AgencyKind {
        self.0.kind.into()
    }

    /// The country it belongs to; null for international bodies.
    async fn country(&self, ctx: &Context<'_>) -> Result<Option<Country>> {
        match &self.0.country_code {
            Some(code) => Ok(Some(Country::load(ctx, code).await?)),
            None => Ok(None),
        }
    }

    /// The body it is part of, if any.
    async fn parent(&self, ctx: &Context<'_>) -> Result<Option<Agency>> {
        match self.0.parent_id {
            Some(id) => Ok(Some(Agency::load(ctx, id).await?)),
            None => Ok(None),
        }
    }

    /// Events the agency took part in, in any role.
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
            Some((Via::Agency, self.0.id)),
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
