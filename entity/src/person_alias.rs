//! `person_alias`: Another spelling of a person's name, as a source writes it.

use sea_orm::entity::prelude::*;

/// Another spelling of a person's name, as a source writes it.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "person_alias")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    /// Stable identity, unique in the table: what its global ID is made from.
    pub uid: String,
    pub person_id: i32,
    pub name: String,
    pub source_id: i32,
    pub quote: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
