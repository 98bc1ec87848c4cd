//! `Person`: public officials and publicly charged principals.

use crate::graphql::ids;
use crate::graphql::load_required;
use crate::graphql::loaders::PersonId;
use async_graphql::{Context, ID, Object, Result};
use entity::person;

/// A public official or a publicly charged principal. Workers and victims are never named.
#[derive(Clone, Debug)]
pub struct Person(pub person::Model);

impl Person {
    /// Loads a person that a foreign key points at.
    pub async fn load(ctx: &Context<'_>, id: i32) -> Result<Self> {
        Ok(Person(load_required(ctx, PersonId(id)).await?))
    }
}

/// A public official or a publicly charged principal. Workers and victims are never named.
#[Object]
impl Person {
    /// Opaque global ID.
    async fn id(&self) -> ID {
        ids::encode("Person", self.0.id)
    }

    /// Stable key in the curated dataset.
    async fn key(&self) -> &str {
        &self.0.key
    }

    /// The name used across the dataset; other spellings are aliases.
    async fn name(&self) -> &str {
        &self.0.name
    }
}
