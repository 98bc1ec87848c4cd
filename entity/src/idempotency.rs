//! `idempotency`: The first result of a mutation sent with an idempotency key, for its retries.

use sea_orm::entity::prelude::*;

/// The first result of a mutation sent with an idempotency key, for its retries.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "idempotency")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub idempotency_key: String,
    /// Hex SHA-256 of the mutation's name and input: a retry must send the same.
    pub payload_hash: String,
    /// What the first call wrote, as JSON (the proposal's id).
    pub response: String,
    pub created_at: DateTimeUtc,
    pub key_id: i32,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
