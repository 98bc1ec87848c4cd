//! `citation_fact`: A descriptive fact of an event that a citation supports.

use crate::enums::*;
use sea_orm::entity::prelude::*;

/// A descriptive fact of an event that a citation supports.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "citation_fact")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub citation_id: i32,
    pub fact: CitedFact,
    pub kind: Option<EventKind>,
    pub location_id: Option<i32>,
    pub agency_id: Option<i32>,
    pub person_id: Option<i32>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
