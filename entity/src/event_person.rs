//! `event_person`: A named person's part in an event.

use crate::enums::*;
use sea_orm::entity::prelude::*;

/// A named person's part in an event.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "event_person")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    /// Stable identity, unique in the table: what its global ID is made from.
    pub uid: String,
    pub event_id: i32,
    pub person_id: i32,
    pub role: PersonRole,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
