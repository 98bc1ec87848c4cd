//! `person_title`: A title a person held as of a date, per a source.

use sea_orm::entity::prelude::*;

/// A title a person held as of a date, per a source.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "person_title")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    /// Stable identity, unique in the table: what its global ID is made from.
    pub uid: String,
    pub person_id: i32,
    pub title: String,
    pub agency_id: Option<i32>,
    pub as_of: Date,
    pub source_id: i32,
    pub quote: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
