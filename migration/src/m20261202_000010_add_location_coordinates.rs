//! Coordinates for the gazetteer: each place's WGS84 latitude and longitude, with how
//! precisely they place it. A country's place carries its centroid.

use crate::build::*;
use sea_orm_migration::{prelude::*, schema::*};

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261202_000010_add_location_coordinates"
    }
}

/// Columns added to `location`, dropped again by `down`. All three are null together: a
/// generated gazetteer has no coordinates.
const COLUMNS: &[&str] = &["latitude", "longitude", "coordinate_precision"];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let columns = [
            double_null(n("latitude")),
            double_null(n("longitude")),
            label_null("coordinate_precision"),
        ];
        // SQLite alters one column a statement.
        for column in columns {
            manager
                .alter_table(
                    Table::alter()
                        .table(n("location"))
                        .add_column(column)
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for column in COLUMNS.iter().rev() {
            manager
                .alter_table(
                    Table::alter()
                        .table(n("location"))
                        .drop_column(n(column))
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }
}
