//! `location_closure`: Closure of the place hierarchy: one row per (ancestor, descendant) pair, itself included at depth 0.

use sea_orm::entity::prelude::*;

/// Closure of the place hierarchy: one row per (ancestor, descendant) pair, itself included at depth 0.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "location_closure")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub ancestor_id: i32,
    #[sea_orm(primary_key, auto_increment = false)]
    pub descendant_id: i32,
    /// Levels between the two; 0 for a place and itself.
    pub depth: i32,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
