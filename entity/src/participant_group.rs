//! `participant_group`: People in an event with one nationality, role and status.

use crate::enums::*;
use sea_orm::entity::prelude::*;

/// People in an event with one nationality, role and status.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "participant_group")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    /// Stable identity, unique in the table: what its global ID is made from.
    pub uid: String,
    pub event_id: i32,
    /// None when the sources do not say.
    pub nationality_code: Option<String>,
    pub role: ParticipantRole,
    pub status: ParticipantStatus,
    pub count_figure_id: i32,
    pub women_figure_id: Option<i32>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
