//! How fields are read and written where serde's defaults do not do: defaults, when a default
//! is left out of what is written, and dates written either way.

use chrono::NaiveDate;
use entity::enums::{Qualifier, Status};
use serde::{Deserialize, Deserializer};

pub(super) fn completed() -> Status {
    Status::Completed
}

pub(super) fn is_completed(status: &Status) -> bool {
    *status == Status::Completed
}

pub(super) fn is_false(b: &bool) -> bool {
    !*b
}

pub(super) fn exact() -> Qualifier {
    Qualifier::Exact
}

pub(super) fn is_exact(q: &Qualifier) -> bool {
    *q == Qualifier::Exact
}

/// A date written as a TOML local date (`2017-08-02`) or as a string (`"2017-08-02"`).
pub(super) fn date<'de, D: Deserializer<'de>>(deserializer: D) -> Result<NaiveDate, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Written {
        Toml(toml::value::Datetime),
        Text(String),
    }
    let text = match Written::deserialize(deserializer)? {
        Written::Toml(d) if d.time.is_none() && d.offset.is_none() => d.to_string(),
        Written::Toml(d) => {
            return Err(serde::de::Error::custom(format!(
                "{d} is not a plain date (YYYY-MM-DD)"
            )));
        }
        Written::Text(s) => s,
    };
    NaiveDate::parse_from_str(&text, "%Y-%m-%d")
        .map_err(|_| serde::de::Error::custom(format!("\"{text}\" is not a date (YYYY-MM-DD)")))
}

pub(super) fn optional_date<'de, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<Option<NaiveDate>, D::Error> {
    date(deserializer).map(Some)
}
