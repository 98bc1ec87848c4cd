//! `Country` and `Location`: the gazetteer.

use super::enums::LocationLevel;
use crate::graphql::ids;
use crate::graphql::loaders::{CountryCode, LocationId};
use crate::graphql::{load, load_required};
use async_graphql::{Context, ID, Object, Result};
use entity::{country, location};

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
    /// ISO 3166-1 alpha-2 code, e.g. `KH`; Taiwan is `TW`.
    async fn code(&self) -> &str {
        &self.0.code
    }

    /// English short name.
    async fn name(&self) -> &str {
        &self.0.name
    }
}

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
    /// Opaque global ID.
    async fn id(&self) -> ID {
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
}
