//! Batched reads that every relation shares: rows by primary key, and children grouped by
//! their parent's id, each in one statement however many keys are asked for.

use sea_orm::{ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder, Value};
use std::collections::HashMap;
use std::hash::Hash;

/// Rows of `E` whose `column` is one of `keys`, in key column order then `order` order.
pub async fn where_in<E, K>(
    db: &impl ConnectionTrait,
    column: E::Column,
    keys: impl IntoIterator<Item = K>,
    order: E::Column,
) -> Result<Vec<E::Model>, DbErr>
where
    E: EntityTrait,
    K: Into<Value>,
{
    E::find()
        .filter(column.is_in(keys))
        .order_by_asc(order)
        .all(db)
        .await
}

/// Rows of `E` whose `column` is one of `keys`, grouped by that key, each group in `order`.
pub async fn grouped<E, K>(
    db: &impl ConnectionTrait,
    column: E::Column,
    keys: &[K],
    order: E::Column,
    key_of: impl Fn(&E::Model) -> K,
) -> Result<HashMap<K, Vec<E::Model>>, DbErr>
where
    E: EntityTrait,
    K: Into<Value> + Clone + Eq + Hash,
{
    let mut groups: HashMap<K, Vec<E::Model>> = HashMap::new();
    for row in where_in::<E, K>(db, column, keys.iter().cloned(), order).await? {
        groups.entry(key_of(&row)).or_default().push(row);
    }
    Ok(groups)
}
