//! `participant_link`: a source's word that a participant group's people are the same people
//! as (or part of) a group of another event.

use crate::enums::*;
use sea_orm::entity::prelude::*;

/// A source's word that the people of `group_id` are the same people as, or part of, the
/// people of `linked_group_id`, a group of another event. Linked groups form one body of
/// people, which totals count once.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "participant_link")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    /// Stable identity, unique in the table: what its global ID is made from.
    pub uid: String,
    /// At most one link per group.
    pub group_id: i32,
    pub linked_group_id: i32,
    pub relation: CohortRelation,
    pub source_id: i32,
    pub quote: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
