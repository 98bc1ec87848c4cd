//! `claim`: One source's statement of a figure, with the quote it rests on.

use crate::enums::*;
use sea_orm::entity::prelude::*;

/// One source's statement of a figure, with the quote it rests on.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "claim")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    /// Stable identity, unique in the table: what its global ID is made from.
    pub uid: String,
    pub figure_id: i32,
    pub value: Option<i64>,
    /// Upper end of a stated range.
    pub high: Option<i64>,
    pub qualifier: Qualifier,
    pub derived: bool,
    pub note: Option<String>,
    pub source_id: i32,
    pub quote: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
