//! Database reads behind the API: no GraphQL types here, and every function takes
//! `&impl ConnectionTrait` so it runs as well inside a transaction.

pub mod catalog;
pub mod changes;
pub mod event;
pub mod flow;
pub mod ordering;
pub mod page;
pub mod relation;
pub mod rows;
pub mod search;
pub mod sort;
pub mod totals;
pub mod version;

use sea_orm::sea_query::{
    Alias, Expr, ExprTrait, Func, LikeExpr, Query, SelectStatement, SimpleExpr,
};
use sea_orm::{Condition, EntityTrait, Value};

/// The case-insensitive pattern matching `word` anywhere, its `\`, `%` and `_` taken
/// literally (a search for `50%` finds "50%", not "50 suspects").
pub fn contains_word(word: &str) -> LikeExpr {
    let escaped = word
        .to_lowercase()
        .replace('\\', "\\\\")
        .replace('%', "\\%")
        .replace('_', "\\_");
    LikeExpr::new(format!("%{escaped}%")).escape('\\')
}

/// Every word of `text` occurs (case-insensitively) in at least one of `columns`.
pub fn words_match(text: &str, columns: &[SimpleExpr]) -> Condition {
    text.split_whitespace().fold(Condition::all(), |all, word| {
        let pattern = contains_word(word);
        all.add(columns.iter().fold(Condition::any(), |any, column| {
            any.add(Expr::expr(Func::lower(column.clone())).like(pattern.clone()))
        }))
    })
}

/// `column IN (values)`, or no condition at all for no values.
pub fn any_of<V: Into<Value>>(
    column: SimpleExpr,
    values: impl IntoIterator<Item = V>,
) -> Condition {
    let values: Vec<Value> = values.into_iter().map(Into::into).collect();
    if values.is_empty() {
        Condition::all()
    } else {
        Condition::all().add(Expr::expr(column).is_in(values))
    }
}

/// `SELECT id FROM <entity> WHERE key IN (keys)`: the rows a filter names by their stable
/// keys (what global IDs hold), as a subquery, so a filter costs no look-up of its own.
pub fn ids_of<E: EntityTrait + Default>(keys: &[String]) -> SelectStatement {
    Query::select()
        .column((E::default(), Alias::new("id")))
        .from(E::default())
        .and_where(Expr::col((E::default(), Alias::new("key"))).is_in(keys.to_vec()))
        .to_owned()
}
