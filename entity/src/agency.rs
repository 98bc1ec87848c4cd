//! `agency`: A body that acted or spoke: police, ministries, foreign governments, NGOs, UN bodies.

use crate::enums::*;
use sea_orm::entity::prelude::*;

/// A body that acted or spoke: police, ministries, foreign governments, NGOs, UN bodies.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "agency")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub key: String,
    pub name: String,
    pub short_name: Option<String>,
    pub kind: AgencyKind,
    /// None for international bodies.
    pub country_code: Option<String>,
    pub parent_id: Option<i32>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
