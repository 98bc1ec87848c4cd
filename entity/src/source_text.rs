//! `source_text`: The full text of a source's article, which every quote from it must be in.

use sea_orm::entity::prelude::*;

/// The full text of a source's article, which every quote from it must be in.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "source_text")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub source_id: i32,
    pub text: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
