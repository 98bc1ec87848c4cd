//! Dates: the `Date` scalar and the `DateSpan` every dated thing carries.

use super::enums::DatePrecision;
use async_graphql::{InputValueError, InputValueResult, Scalar, ScalarType, SimpleObject, Value};
use chrono::NaiveDate;

/// A calendar date, `YYYY-MM-DD`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
pub struct Date(pub NaiveDate);

/// A calendar date written `YYYY-MM-DD` (ISO 8601), e.g. `2017-08-02`.
#[Scalar(
    name = "Date",
    specified_by_url = "https://scalars.graphql.org/andimarek/local-date.html"
)]
impl ScalarType for Date {
    fn parse(value: Value) -> InputValueResult<Self> {
        match &value {
            Value::String(s) => strict_date(s).map(Date).ok_or_else(|| {
                InputValueError::custom(format!(
                    "{} is not a date of the form YYYY-MM-DD (years 0001 to 9999)",
                    crate::graphql::ids::shown(s)
                ))
            }),
            _ => Err(InputValueError::expected_type(value)),
        }
    }

    fn to_value(&self) -> Value {
        Value::String(self.0.format("%Y-%m-%d").to_string())
    }
}

/// A date written exactly `YYYY-MM-DD`: four-digit year from 0001, two-digit month and day.
/// chrono alone also takes `2025-1-1`, ` 2025-01-01`, `+99999-01-01` and year 0.
fn strict_date(text: &str) -> Option<NaiveDate> {
    let b = text.as_bytes();
    let shaped = b.len() == 10
        && b[4] == b'-'
        && b[7] == b'-'
        && b.iter()
            .enumerate()
            .all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit());
    if !shaped || text.starts_with("0000") {
        return None;
    }
    NaiveDate::parse_from_str(text, "%Y-%m-%d").ok()
}

/// When something happened, as precisely as the sources allow: it happened on some day
/// between `start` and `end` inclusive.
#[derive(SimpleObject, Clone, Debug)]
pub struct DateSpan {
    /// First day it may have happened; null when the date is UNKNOWN.
    pub start: Option<Date>,
    /// Last day it may have happened; null when the date is UNKNOWN.
    pub end: Option<Date>,
    /// How precisely the date is known (a MONTH span covers the whole month).
    pub precision: DatePrecision,
    /// True when the date was worked out from relative words in a source ("last month",
    /// "on Wednesday") rather than stated outright.
    pub derived: bool,
}

#[cfg(test)]
mod tests {
    use super::strict_date;

    #[test]
    fn dates_are_exactly_yyyy_mm_dd() {
        assert!(strict_date("2025-01-01").is_some());
        assert!(strict_date("0001-12-31").is_some());
        for bad in [
            "2025-1-1",
            " 2025-01-01",
            "2025-01-01 ",
            "+99999-01-01",
            "0000-01-01",
            "2025-02-30",
            "2025/01/01",
            "20250101",
            "",
            "٢٠٢٥-01-01",
        ] {
            assert!(strict_date(bad).is_none(), "{bad:?}");
        }
    }
}

impl DateSpan {
    /// A span from stored columns.
    pub fn new(
        start: Option<NaiveDate>,
        end: Option<NaiveDate>,
        precision: entity::enums::DatePrecision,
        derived: bool,
    ) -> Self {
        DateSpan {
            start: start.map(Date),
            end: end.map(Date),
            precision: precision.into(),
            derived,
        }
    }
}

/// A whole number: people, items, sites or units of a currency.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Count(pub i64);

/// A whole number of people, items, sites or currency units, written as a JSON integer. It is
/// not an `Int` because amounts of money exceed GraphQL's 32-bit `Int`; values stay below 2^53
/// (the interoperable range of RFC 8259's section 6), so JavaScript reads them exactly.
#[Scalar(
    name = "Count",
    specified_by_url = "https://www.rfc-editor.org/rfc/rfc8259#section-6"
)]
impl ScalarType for Count {
    fn parse(value: Value) -> InputValueResult<Self> {
        match &value {
            Value::Number(n) => n
                .as_i64()
                .map(Count)
                .ok_or_else(|| InputValueError::custom("expected a whole number")),
            _ => Err(InputValueError::expected_type(value)),
        }
    }

    fn to_value(&self) -> Value {
        Value::Number(self.0.into())
    }
}
