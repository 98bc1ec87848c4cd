//! `money_figure`: An amount of money in an event.

use crate::enums::*;
use sea_orm::entity::prelude::*;

/// An amount of money in an event.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "money_figure")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    /// Stable identity, unique in the table: what its global ID is made from.
    pub uid: String,
    pub event_id: i32,
    pub measure: MoneyMeasure,
    /// ISO 4217 code.
    pub currency: String,
    pub amount_figure_id: i32,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
