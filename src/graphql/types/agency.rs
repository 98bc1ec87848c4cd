//! `Agency`: the bodies that acted or spoke.

use super::enums::AgencyKind;
use super::event::{Scope, events_field};
use super::filters::AgencyFilter;
use super::place::Country;
use crate::graphql::connection::{PageArgs, connection, cost};
use crate::graphql::loaders::{AgencyId, AgencyKey};
use crate::graphql::{ids, load, load_required};
use crate::service::catalog::AGENCIES_BY_NAME;
use crate::service::event::Via;
use async_graphql::{Context, ID, Object, Result};
use entity::agency;

connection!(
    AgencyConnection,
    AgencyEdge,
    Agency(agency),
    "A page of agencies, with the cursors to move between pages.",
    "An agency on a page, with its cursor."
);

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
        let args = PageArgs::new(first, after, last, before);
        AgencyConnection::root(ctx, condition, AGENCIES_BY_NAME, args).await
    }

    /// One agency by its global ID or by its stable key (give exactly one); null when there
    /// is none.
    async fn agency(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The agency's global ID.")] id: Option<ID>,
        #[graphql(desc = "The agency's stable key (e.g. `kh-ministry-of-interior`).")] key: Option<
            String,
        >,
    ) -> Result<Option<Agency>> {
        Ok(load(ctx, AgencyKey(ids::id_or_key("Agency", id, key)?))
            .await?
            .map(Agency))
    }
}

events_field!(
    /// Events the agency took part in, in any role.
    EventsOfAgency
);

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
    /// Opaque global ID, stable for the life of the record.
    pub async fn id(&self) -> ID {
        ids::encode("Agency", &self.0.key)
    }

    /// Every published change to this record, oldest first: its audit trail.
    pub async fn history(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "At most this many changes (at most 100).")] first: Option<i32>,
        #[graphql(desc = "The changes after this cursor.")] after: Option<String>,
    ) -> Result<crate::graphql::types::proposal::ChangeConnection> {
        crate::graphql::types::proposal::history(ctx, "Agency", &self.0.key, first, after).await
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

    /// `events(...)`, flattened in.
    #[graphql(flatten)]
    async fn events_field(&self) -> EventsOfAgency {
        EventsOfAgency(Scope::Of(Via::Agency, self.0.id))
    }
}
