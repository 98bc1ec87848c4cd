//! A small vocabulary for writing tables: columns, foreign keys and indexes by name, so each
//! migration reads as the list of what it creates.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema;

/// The identifier for a table or column name.
pub fn n(name: &str) -> Alias {
    Alias::new(name)
}

/// An auto-increment integer primary key named `id`.
pub fn id() -> ColumnDef {
    schema::pk_auto(n("id"))
}

/// A text column holding a value of a closed vocabulary (stored as its SCREAMING_CASE name).
pub fn label(name: &str) -> ColumnDef {
    schema::string_len(n(name), 32)
}

/// A nullable vocabulary column.
pub fn label_null(name: &str) -> ColumnDef {
    schema::string_len_null(n(name), 32)
}

/// A not-null reference to `table.id`, or to `table.code` for countries.
pub fn reference(table: &mut TableCreateStatement, column: &str, target: &str, nullable: bool) {
    let (target_column, def) = if target == "country" {
        (
            "code",
            if nullable {
                schema::string_len_null(n(column), 2)
            } else {
                schema::string_len(n(column), 2)
            },
        )
    } else {
        (
            "id",
            if nullable {
                schema::integer_null(n(column))
            } else {
                schema::integer(n(column))
            },
        )
    };
    table.col(def).foreign_key(
        ForeignKey::create()
            .from_col(n(column))
            .to(n(target), n(target_column))
            .on_delete(ForeignKeyAction::Cascade),
    );
}

/// A new table statement.
pub fn table(name: &str) -> TableCreateStatement {
    Table::create().table(n(name)).to_owned()
}

/// Creates tables, then one index per listed column set (`idx_<table>_<cols>`).
pub async fn create(
    manager: &SchemaManager<'_>,
    tables: Vec<TableCreateStatement>,
    indexes: &[(&str, &[&str])],
) -> Result<(), DbErr> {
    for table in tables {
        manager.create_table(table).await?;
    }
    for (table, columns) in indexes {
        let mut index = Index::create();
        index
            .name(format!("idx_{table}_{}", columns.join("_")))
            .table(n(table));
        for column in *columns {
            index.col(n(column));
        }
        manager.create_index(index).await?;
    }
    Ok(())
}

/// Drops tables in the order given (children first).
pub async fn drop(manager: &SchemaManager<'_>, tables: &[&str]) -> Result<(), DbErr> {
    for table in tables {
        manager
            .drop_table(Table::drop().table(n(table)).to_owned())
            .await?;
    }
    Ok(())
}
