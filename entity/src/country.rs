//! `country`: A country: a nationality, a place, and an end of a deportation flow.

use sea_orm::entity::prelude::*;

/// A country: a nationality, a place, and an end of a deportation flow.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "country")]
pub struct Model {
    /// ISO 3166-1 alpha-2 code, upper case (Taiwan is `TW`).
    #[sea_orm(primary_key, auto_increment = false)]
    pub code: String,
    /// English short name.
    pub name: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
