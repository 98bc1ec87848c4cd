//! `redirect`: Where a record merged into another now lives.

use sea_orm::entity::prelude::*;

/// Where a record merged into another now lives.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "redirect")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub node_type: String,
    pub from_key: String,
    pub to_key: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
