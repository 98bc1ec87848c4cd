//! `event_relation`: A source's link between two events.

use crate::enums::*;
use sea_orm::entity::prelude::*;

/// A source's link between two events.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "event_relation")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    /// Stable identity, unique in the table: what its global ID is made from.
    pub uid: String,
    pub event_id: i32,
    pub related_event_id: i32,
    pub relation: EventRelation,
    pub source_id: i32,
    pub quote: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
