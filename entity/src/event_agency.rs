//! `event_agency`: An agency's part in an event.

use crate::enums::*;
use sea_orm::entity::prelude::*;

/// An agency's part in an event.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "event_agency")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    /// Stable identity, unique in the table: what its global ID is made from.
    pub uid: String,
    pub event_id: i32,
    pub agency_id: i32,
    pub role: AgencyRole,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
