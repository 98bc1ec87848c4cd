//! `dataset_load`: A record of a dataset loaded into this database.

use sea_orm::entity::prelude::*;

/// A record of a dataset loaded into this database.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "dataset_load")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub name: String,
    /// SHA-256 of the dataset files, to make a second load a no-op.
    pub digest: String,
    pub loaded_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
