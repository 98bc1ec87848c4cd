//! Orderings as SQL: the `ORDER BY` a page reads in, and where a page after a cursor starts,
//! as conditions an index on (key, id) seeks to (`Seek`).

use super::sort::{Position, Sort};
use sea_orm::sea_query::{Alias, Expr, ExprTrait, NullOrdering, SimpleExpr};
use sea_orm::{ColumnTrait, Condition, DbBackend, EntityTrait, Order};

/// Which way a page reads: forward (`first`/`after`) or backward (`last`/`before`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Direction {
    Forward,
    Backward,
}

/// An ordering as SQL: a sort expression (`key`) with the id as tie-breaker, and its
/// direction. Made only from a `Sort`.
#[derive(Clone, Debug)]
pub struct Ordering {
    pub key: SimpleExpr,
    pub id: SimpleExpr,
    pub descending: bool,
    /// Whether the key can be null (nulls sort lowest).
    pub nullable: bool,
}

/// Where a page starts, as conditions an index on (key, id) seeks to instead of filtering by.
/// One condition `key < v OR (key = v AND id < x) OR key IS NULL` is no range: both databases
/// read the index from its start and filtered every row before the cursor (PostgreSQL, the
/// filtered page 50 pages in: 3.3 ms against 0.45 ms seeking, `EXPLAIN ANALYZE`).
#[derive(Clone, Debug)]
pub struct Seek {
    /// The rows after the position on its side of the nulls, one range of the index: a row
    /// comparison `(key, id) < (v, x)`, or `key IS NULL AND id < x` after a null key.
    pub head: Condition,
    /// The rows on the other side of the nulls, which all come after the head's in the order
    /// read: every null key after a non-null position read descending, every non-null key
    /// after a null one read ascending. None where there are none.
    pub tail: Option<Condition>,
}

impl Seek {
    /// All the rows after the position, in one condition.
    pub fn all(self) -> Condition {
        match self.tail {
            Some(tail) => Condition::any().add(self.head).add(tail),
            None => self.head,
        }
    }
}

impl Ordering {
    /// The keyset ordering `sort` reads in.
    pub fn of<E: EntityTrait>(sort: &Sort<E>) -> Self {
        let table = E::default();
        Ordering {
            key: Expr::col((table, sort.column)),
            id: Expr::col((table, Alias::new("id"))),
            descending: sort.descending,
            nullable: sort.column.def().is_null(),
        }
    }

    /// The direction actually read: a backward page reads the ordering reversed.
    fn reads_descending(&self, direction: Direction) -> bool {
        self.descending ^ (direction == Direction::Backward)
    }

    /// `ORDER BY` terms for reading in `direction`: (expression, order, nulls).
    /// PostgreSQL is told where nulls go; SQLite already sorts them lowest, and an explicit
    /// NULLS clause there only costs (79 ms against 40 ms for a page of a million events).
    pub fn order_by(
        &self,
        direction: Direction,
        backend: DbBackend,
    ) -> Vec<(SimpleExpr, Order, Option<NullOrdering>)> {
        let desc = self.reads_descending(direction);
        let (order, nulls) = if desc {
            (Order::Desc, NullOrdering::Last)
        } else {
            (Order::Asc, NullOrdering::First)
        };
        let nulls = (backend == DbBackend::Postgres).then_some(nulls);
        vec![
            (self.key.clone(), order.clone(), nulls),
            (self.id.clone(), order, None),
        ]
    }

    /// Where the rows after `from` lie, reading in `direction`; None for a page from the
    /// start.
    pub fn seek(&self, direction: Direction, from: Option<&Position>) -> Option<Seek> {
        let from = from?;
        let key = || Expr::expr(self.key.clone());
        let desc = self.reads_descending(direction);
        Some(match from.key.to_value() {
            Some(v) => {
                let here = Expr::tuple([self.key.clone(), self.id.clone()]);
                let there = Expr::tuple([Expr::val(v), Expr::val(from.id)]);
                let head = if desc { here.lt(there) } else { here.gt(there) };
                Seek {
                    head: Condition::all().add(head),
                    tail: (desc && self.nullable).then(|| Condition::all().add(key().is_null())),
                }
            }
            None => {
                let id = Expr::expr(self.id.clone());
                let beyond = if desc { id.lt(from.id) } else { id.gt(from.id) };
                Seek {
                    head: Condition::all().add(key().is_null()).add(beyond),
                    tail: (!desc).then(|| Condition::all().add(key().is_not_null())),
                }
            }
        })
    }
}
