//! The batched reads an export is made of: rows by a column's values (chunked, so a page's
//! lists stay under both databases' bound-parameter limits), stable keys by id, and figures'
//! claims, in the order a record gives its parts.

use crate::ingest::format as f;
use chrono::NaiveDate;
use entity::enums::DatePrecision;
use entity::*;
use sea_orm::sea_query::{Alias, Expr, ExprTrait};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder, QuerySelect,
};
use std::collections::{BTreeSet, HashMap};

/// Most values in one `IN (…)` list.
const CHUNK: usize = 10_000;

/// Rows of `E` whose `column` is one of `values`, in `order` (within each chunk of values).
pub async fn rows_in<E: EntityTrait>(
    db: &impl ConnectionTrait,
    column: E::Column,
    values: impl IntoIterator<Item = i32>,
    order: E::Column,
) -> Result<Vec<E::Model>, DbErr> {
    let values: Vec<i32> = values
        .into_iter()
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    let mut rows = Vec::new();
    for chunk in values.chunks(CHUNK) {
        rows.extend(
            E::find()
                .filter(column.is_in(chunk.to_vec()))
                .order_by_asc(order)
                .all(db)
                .await?,
        );
    }
    Ok(rows)
}

/// Rows grouped by the parent id `parent_of` gives, each group in read order.
pub fn by_parent<M>(rows: Vec<M>, parent_of: impl Fn(&M) -> i32) -> HashMap<i32, Vec<M>> {
    let mut groups: HashMap<i32, Vec<M>> = HashMap::new();
    for row in rows {
        groups.entry(parent_of(&row)).or_default().push(row);
    }
    groups
}

/// The place of a part in its record, read from its uid: `key/participants[2]` is 2,
/// `key/flows[0].by_nationality[1]` is 1 (a generated `gen/claims/17`, 17). Parts are written
/// back in this order, so that a reload gives each the uid it had.
pub fn position(uid: &str) -> u64 {
    let digits = uid.trim_end_matches(']');
    // ASCII digits are one byte each, so this cut lies on a character boundary.
    let n = digits.bytes().rev().take_while(u8::is_ascii_digit).count();
    digits[digits.len() - n..].parse().unwrap_or(u64::MAX)
}

/// Sorts parts by their place in the record (`position` of `uid_of`), ties by id.
pub fn in_record_order<M>(rows: &mut [M], uid_of: impl Fn(&M) -> (&str, i32)) {
    rows.sort_by_cached_key(|row| {
        let (uid, id) = uid_of(row);
        (position(uid), id)
    });
}

/// Stable keys by id, of the rows of `E` (a table with `id` and `key` columns) among `ids`.
pub async fn keys<E: EntityTrait + Default>(
    db: &impl ConnectionTrait,
    ids: impl IntoIterator<Item = i32>,
) -> Result<Keys, DbErr> {
    let ids: Vec<i32> = ids
        .into_iter()
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    let mut keys = HashMap::new();
    for chunk in ids.chunks(CHUNK) {
        let rows: Vec<(i32, String)> = E::find()
            .select_only()
            .column_as(Expr::col((E::default(), Alias::new("id"))), "id")
            .column_as(Expr::col((E::default(), Alias::new("key"))), "key")
            .filter(Expr::col((E::default(), Alias::new("id"))).is_in(chunk.to_vec()))
            .into_tuple()
            .all(db)
            .await?;
        keys.extend(rows);
    }
    Ok(Keys {
        table: E::default().table_name().to_string(),
        keys,
    })
}

/// Keys by id of one table.
#[derive(Debug, Default)]
pub struct Keys {
    table: String,
    keys: HashMap<i32, String>,
}

impl Keys {
    /// The key of row `id`; a row that is not there is a broken reference, reported as such.
    pub fn of(&self, id: i32) -> Result<String, DbErr> {
        self.keys
            .get(&id)
            .cloned()
            .ok_or_else(|| DbErr::RecordNotFound(format!("{} {id} (referenced)", self.table)))
    }
}

/// The claims of `figures`, each figure's in record order, with their sources' keys.
pub async fn claims(
    db: &impl ConnectionTrait,
    figures: impl IntoIterator<Item = i32>,
) -> Result<HashMap<i32, Vec<f::Claim>>, DbErr> {
    let rows =
        rows_in::<claim::Entity>(db, claim::Column::FigureId, figures, claim::Column::Id).await?;
    let sources = keys::<source::Entity>(db, rows.iter().map(|c| c.source_id)).await?;
    let mut grouped = by_parent(rows, |c| c.figure_id);
    let mut claims = HashMap::new();
    for (figure, rows) in &mut grouped {
        in_record_order(rows, |c| (&c.uid, c.id));
        let list = rows
            .iter()
            .map(|c| {
                Ok(f::Claim {
                    value: c.value,
                    high: c.high,
                    qualifier: c.qualifier,
                    derived: c.derived,
                    note: c.note.clone(),
                    source: sources.of(c.source_id)?,
                    quote: c.quote.clone(),
                })
            })
            .collect::<Result<Vec<_>, DbErr>>()?;
        claims.insert(*figure, list);
    }
    Ok(claims)
}

/// The claims of figure `id` (none for no figure).
pub fn claims_of(claims: &HashMap<i32, Vec<f::Claim>>, id: Option<i32>) -> Vec<f::Claim> {
    id.and_then(|id| claims.get(&id))
        .cloned()
        .unwrap_or_default()
}

/// A stored date span as the file writes it: the end only where it is not the start (the
/// loader defaults it to the start).
pub fn span(
    start: Option<NaiveDate>,
    end: Option<NaiveDate>,
    precision: DatePrecision,
    derived: bool,
) -> f::DateSpan {
    f::DateSpan {
        start,
        end: end.filter(|e| Some(*e) != start),
        precision,
        derived,
    }
}

#[cfg(test)]
mod tests {
    use super::position;

    #[test]
    fn a_part_s_position_is_its_uid_s_last_index() {
        assert_eq!(position("raid/participants[2]"), 2);
        assert_eq!(position("raid/flows[0].by_nationality[11]"), 11);
        assert_eq!(position("raid/participants[0].count[3]"), 3);
        assert_eq!(position("gen/claims/17"), 17);
        // Whatever a uid holds, no panic: a part without an index sorts last.
        assert_eq!(position("é"), u64::MAX);
        assert_eq!(position("é[]"), u64::MAX);
        assert_eq!(position(""), u64::MAX);
    }
}
