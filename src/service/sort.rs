//! Orderings, each defined once as a `Sort`: the column it sorts by, which way, and the name
//! its cursors carry. The root connection and every nested one reading in an ordering use the
//! same `Sort`, so the SQL, a row's position and the check of a cursor cannot drift apart.
//!
//! Null sort keys (an UNKNOWN date, an event without a people count) sort lowest: last when
//! descending, first when ascending.

use chrono::{Datelike, NaiveDate};
use sea_orm::{ColumnTrait, ColumnType, EntityTrait, ModelTrait, Value};
use serde::{Deserialize, Serialize};

/// A sort key's value, as a cursor remembers it.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum SortValue {
    Null,
    Date(NaiveDate),
    Int(i64),
    Text(String),
}

impl From<Value> for SortValue {
    /// The value of a column of one of the types `KeyKind::of` knows; any other is Null, and
    /// the tests refuse a `Sort` over such a column.
    fn from(value: Value) -> Self {
        match value {
            Value::ChronoDate(Some(d)) => SortValue::Date(d),
            Value::Int(Some(n)) => SortValue::Int(n.into()),
            Value::BigInt(Some(n)) => SortValue::Int(n),
            Value::String(Some(s)) => SortValue::Text(s),
            _ => SortValue::Null,
        }
    }
}

impl SortValue {
    /// The value bound into SQL; None for Null.
    pub fn to_value(&self) -> Option<Value> {
        match self {
            SortValue::Null => None,
            SortValue::Date(d) => Some((*d).into()),
            SortValue::Int(n) => Some((*n).into()),
            SortValue::Text(s) => Some(s.clone().into()),
        }
    }
}

/// A position in an ordering: the sort key and id of the row a page starts after.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Position {
    pub key: SortValue,
    pub id: i32,
}

/// What a sort column holds, and so what a cursor's key must be.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum KeyKind {
    Date,
    Int,
    Text,
}

impl KeyKind {
    /// The kind of a column type; None for types no ordering sorts by.
    pub fn of(column_type: &ColumnType) -> Option<KeyKind> {
        match column_type {
            ColumnType::Date => Some(KeyKind::Date),
            ColumnType::Integer | ColumnType::BigInteger => Some(KeyKind::Int),
            ColumnType::String(_) | ColumnType::Text => Some(KeyKind::Text),
            _ => None,
        }
    }
}

/// A row with an integer id, which breaks ties in every ordering.
pub trait Keyed {
    fn id(&self) -> i32;
}

macro_rules! keyed {
    ($($table:ident),* $(,)?) => {$(
        impl Keyed for entity::$table::Model {
            fn id(&self) -> i32 {
                self.id
            }
        }
    )*};
}

keyed!(
    agency,
    change,
    proposal,
    citation,
    deportation_flow,
    event,
    location,
    participant_group,
    person,
    source,
    statement,
    statistic,
);

/// One ordering of `E` rows: by `column`, then by id.
#[derive(Debug)]
pub struct Sort<E: EntityTrait> {
    /// The name its cursors carry, so that a cursor is read only in the ordering it came from.
    pub name: &'static str,
    /// The column sorted by.
    pub column: E::Column,
    /// Largest (latest) first.
    pub descending: bool,
}

// By hand: a derive would ask for `E: Copy`, which entities are not (their columns are).
impl<E: EntityTrait> Clone for Sort<E> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<E: EntityTrait> Copy for Sort<E> {}

impl<E: EntityTrait> Sort<E> {
    /// Where `row` lies in this ordering.
    pub fn position(&self, row: &E::Model) -> Position
    where
        E::Model: Keyed,
    {
        Position {
            key: row.get(self.column).into(),
            id: row.id(),
        }
    }

    /// What the sort column holds; None for a column no cursor can name (a tested mistake).
    pub fn kind(&self) -> Option<KeyKind> {
        KeyKind::of(self.column.def().get_column_type())
    }

    /// Whether `key` could be a row's key in this ordering: of the column's type (so a forged
    /// cursor never reaches the database as a comparison PostgreSQL refuses), null only where
    /// the column is nullable, a date within years 1 to 9999 (PostgreSQL's dates stop at 4713
    /// BC), text without NUL (which PostgreSQL's text cannot hold).
    pub fn admits(&self, key: &SortValue) -> bool {
        match (self.kind(), key) {
            (_, SortValue::Null) => self.column.def().is_null(),
            (Some(KeyKind::Date), SortValue::Date(d)) => (1..=9999).contains(&d.year()),
            (Some(KeyKind::Int), SortValue::Int(_)) => true,
            (Some(KeyKind::Text), SortValue::Text(s)) => !s.contains('\0'),
            _ => false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use entity::*;

    #[test]
    fn a_key_must_match_the_column() {
        let date = Sort::<event::Entity> {
            name: "t",
            column: event::Column::DateStart,
            descending: true,
        };
        let day = NaiveDate::from_ymd_opt(2025, 7, 5).expect("a date");
        assert!(date.admits(&SortValue::Date(day)));
        assert!(date.admits(&SortValue::Null), "date_start is nullable");
        assert!(!date.admits(&SortValue::Text("2025-07-05".into())));
        assert!(!date.admits(&SortValue::Int(20250705)));
        let ancient = NaiveDate::from_ymd_opt(-5000, 1, 1).expect("a date");
        assert!(!date.admits(&SortValue::Date(ancient)));

        let name = Sort::<agency::Entity> {
            name: "t",
            column: agency::Column::Name,
            descending: false,
        };
        assert!(name.admits(&SortValue::Text("Interpol".into())));
        assert!(!name.admits(&SortValue::Text("a\0b".into())));
        assert!(!name.admits(&SortValue::Int(3)));
        assert!(!name.admits(&SortValue::Null), "name is not nullable");

        let count = Sort::<event::Entity> {
            name: "t",
            column: event::Column::PeopleCount,
            descending: true,
        };
        assert!(count.admits(&SortValue::Int(1_000_000)));
        assert!(!count.admits(&SortValue::Date(day)));
    }

    #[test]
    fn every_ordering_sorts_by_a_column_a_cursor_can_name_under_a_name_of_its_own() {
        use crate::service::catalog::*;
        use crate::service::event::EventOrder::{Date, PeopleCount};
        use crate::service::flow::FLOWS_BY_DATE;
        use crate::service::relation::{CitationsFrom, NationalsOf, Relation, StatementsBy};
        let sorts = [
            (AGENCIES_BY_NAME.name, AGENCIES_BY_NAME.kind()),
            (PEOPLE_BY_NAME.name, PEOPLE_BY_NAME.kind()),
            (LOCATIONS_BY_NAME.name, LOCATIONS_BY_NAME.kind()),
            (SOURCES_BY_PUBLISHED.name, SOURCES_BY_PUBLISHED.kind()),
            (STATISTICS_BY_PERIOD.name, STATISTICS_BY_PERIOD.kind()),
            (FLOWS_BY_DATE.name, FLOWS_BY_DATE.kind()),
            (NationalsOf.sort().name, NationalsOf.sort().kind()),
            (StatementsBy.sort().name, StatementsBy.sort().kind()),
            (CitationsFrom.sort().name, CitationsFrom.sort().kind()),
            (Date.sort(true).name, Date.sort(true).kind()),
            (Date.sort(false).name, Date.sort(false).kind()),
            (PeopleCount.sort(true).name, PeopleCount.sort(true).kind()),
            (PeopleCount.sort(false).name, PeopleCount.sort(false).kind()),
            (
                crate::service::changes::CHANGES_IN_ORDER.name,
                crate::service::changes::CHANGES_IN_ORDER.kind(),
            ),
            (
                crate::service::changes::PROPOSALS_BY_ID.name,
                crate::service::changes::PROPOSALS_BY_ID.kind(),
            ),
        ];
        for (name, kind) in &sorts {
            assert!(
                kind.is_some(),
                "{name} sorts by a column no cursor can name"
            );
        }
        let mut names: Vec<&str> = sorts.iter().map(|(name, _)| *name).collect();
        names.sort();
        names.dedup();
        assert_eq!(names.len(), sorts.len(), "two orderings share a name");
    }

    #[test]
    fn a_value_read_from_a_row_is_its_key() {
        let day = NaiveDate::from_ymd_opt(2017, 8, 2).expect("a date");
        assert_eq!(SortValue::from(Value::from(day)), SortValue::Date(day));
        assert_eq!(SortValue::from(Value::Int(Some(7))), SortValue::Int(7));
        assert_eq!(
            SortValue::from(Value::BigInt(Some(1 << 40))),
            SortValue::Int(1 << 40)
        );
        assert_eq!(
            SortValue::from(Value::from("Poipet")),
            SortValue::Text("Poipet".into())
        );
        assert_eq!(SortValue::from(Value::ChronoDate(None)), SortValue::Null);
    }
}
