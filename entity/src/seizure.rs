//! `seizure`: Items seized in an event.

use sea_orm::entity::prelude::*;

/// Items seized in an event.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "seizure")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    /// Stable identity, unique in the table: what its global ID is made from.
    pub uid: String,
    pub event_id: i32,
    pub item: String,
    pub quantity_figure_id: i32,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
