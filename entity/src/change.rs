//! `change`: One published change to one record: the audit trail, in commit order.

use crate::enums::*;
use sea_orm::entity::prelude::*;

/// One published change to one record: the audit trail, in commit order.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "change")]
pub struct Model {
    /// Commit order: writes are serialised, so a later id committed later.
    #[sea_orm(primary_key)]
    pub id: i64,
    pub at: DateTimeUtc,
    /// The name of the key that made (or published) it.
    pub actor: String,
    pub action: ChangeAction,
    /// The changed record's GraphQL type (`Event`).
    pub node_type: String,
    /// The changed record's global ID.
    pub node_id: String,
    /// The record before the change, as JSON; null for a creation.
    pub before: Option<String>,
    /// The record after it, as JSON; null for a retraction (a tombstone).
    pub after: Option<String>,
    pub reason: Option<String>,
    pub proposal_id: Option<i32>,
    pub key_id: Option<i32>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
