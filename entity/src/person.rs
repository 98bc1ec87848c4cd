//! `person`: A public official or publicly charged principal; never a worker or a victim.

use crate::enums::*;
use sea_orm::entity::prelude::*;

/// A public official or publicly charged principal; never a worker or a victim.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "person")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub key: String,
    /// The name used across the dataset.
    pub name: String,
    /// Optimistic concurrency: 1 when written, one more with every change; a change made
    /// against an older version fails.
    pub version: i32,
    /// Why the person may be named: a public official or a publicly charged principal
    /// (unknown for people loaded before it was recorded).
    pub standing: Option<PersonStanding>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
