//! `api_key`: A key partners write with; only its SHA-256 is stored.

use crate::enums::*;
use sea_orm::entity::prelude::*;

/// A key partners write with; only its SHA-256 is stored.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "api_key")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    /// Who holds it ("Org X"): what the audit trail names.
    pub name: String,
    pub role: Role,
    /// The key's first characters (`sa_live_ab12`), to tell keys apart without the secret.
    pub prefix: String,
    /// Hex SHA-256 of the whole key.
    pub hash: String,
    pub created_at: DateTimeUtc,
    pub last_used_at: Option<DateTimeUtc>,
    pub revoked_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
