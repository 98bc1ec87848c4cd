//! The data version: a number every publish raises, read from the database (never a process
//! cache) so that every instance agrees on it. HTTP `ETag`s are made from it.
//!
//! Writers call [`bump`] inside the transaction that publishes: the loader does in
//! `ingest::write`, and so must every other write path, or clients keep serving what they
//! cached before the write.

use sea_orm::sea_query::{Alias, Expr, ExprTrait, OnConflict, Query};
use sea_orm::{ConnectionTrait, DbErr};

fn table() -> Alias {
    Alias::new("data_version")
}

/// The current data version: 0 before anything was published.
pub async fn current(db: &impl ConnectionTrait) -> Result<i64, DbErr> {
    let select = Query::select()
        .column(Alias::new("version"))
        .from(table())
        .and_where(Expr::col(Alias::new("id")).eq(1))
        .to_owned();
    match db.query_one(&select).await? {
        Some(row) => row.try_get("", "version"),
        None => Ok(0),
    }
}

/// Raises the data version by one. Call it inside the publishing transaction, so the new
/// version becomes visible with the data it describes (and concurrent publishes each count:
/// the upsert takes the row's lock).
pub async fn bump(db: &impl ConnectionTrait) -> Result<(), DbErr> {
    let mut upsert = Query::insert();
    upsert
        .into_table(table())
        .columns([Alias::new("id"), Alias::new("version")])
        .values([1.into(), 1i64.into()])
        .map_err(|e| DbErr::Custom(e.to_string()))?
        .on_conflict(
            OnConflict::column(Alias::new("id"))
                .value(
                    Alias::new("version"),
                    Expr::col((table(), Alias::new("version"))).add(1),
                )
                .to_owned(),
        );
    db.execute(&upsert).await?;
    Ok(())
}
