//! `statement`: Something a named person said, as a source quotes it.

use sea_orm::entity::prelude::*;

/// Something a named person said, as a source quotes it.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "statement")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    /// Stable identity, unique in the table: what its global ID is made from.
    pub uid: String,
    pub person_id: i32,
    pub event_id: Option<i32>,
    pub source_id: i32,
    pub quote: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
