//! `location`: A place in the gazetteer: country > province > district > commune/city > site.

use crate::enums::*;
use sea_orm::entity::prelude::*;

/// A place in the gazetteer: country > province > district > commune/city > site.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "location")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    /// Stable slug, unique; a country's place has its ISO code as key.
    pub key: String,
    pub name: String,
    pub level: LocationLevel,
    pub parent_id: Option<i32>,
    /// The country the place is in.
    pub country_code: String,
    /// WGS84 latitude in degrees (north positive); null when the place has no coordinates.
    pub latitude: Option<f64>,
    /// WGS84 longitude in degrees (east positive).
    pub longitude: Option<f64>,
    /// How precisely the coordinates place it.
    pub coordinate_precision: Option<CoordinatePrecision>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
