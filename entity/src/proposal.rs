//! `proposal`: A change a contributor submitted, stored until an editor publishes or rejects it.

use crate::enums::*;
use sea_orm::entity::prelude::*;

/// A change a contributor submitted, stored until an editor publishes or rejects it.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "proposal")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    /// Which mutation it is (`CREATE_EVENT`).
    pub kind: String,
    pub status: ProposalStatus,
    /// The mutation's input, as JSON: what publishing applies.
    pub input: String,
    /// One line saying what it changes.
    pub summary: String,
    /// The name of the key that submitted it.
    pub author: String,
    pub created_at: DateTimeUtc,
    pub reviewer: Option<String>,
    pub reviewed_at: Option<DateTimeUtc>,
    pub note: Option<String>,
    pub author_key_id: i32,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
