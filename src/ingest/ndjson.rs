//! NDJSON events read back in: the lines `GET /export/events.ndjson` and `export --format
//! ndjson` write (one event record a line, every figure with its claims and quotes), turned
//! into the `events.toml` the loader and the write path read, so an NDJSON import is checked
//! by exactly their rules and no other.
//!
//! NDJSON carries events only. Their sources (with the articles every quote must be in),
//! places, agencies and people come from the database (an import through the write path) or
//! from the `data/` files sent beside it (`sources.toml`, `articles/…`); an import that names
//! one neither holds says which (`write::import`).

use super::IngestError;
use super::format as f;

/// The name an NDJSON file of events has in a dataset (and in an export).
pub const FILE: &str = "events.ndjson";

/// Characters of a bad line an error shows, at most.
const SHOWN: usize = 60;

/// The event records of `text`, one a line (blank lines skipped); the first bad line is an
/// error naming its number.
pub fn events(text: &str) -> Result<Vec<f::Event>, IngestError> {
    let mut events = Vec::new();
    for (n, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let event = serde_json::from_str::<f::Event>(line).map_err(|e| {
            let start: String = line.chars().take(SHOWN).collect();
            IngestError::Invalid {
                file: FILE.to_string(),
                record: format!("line {}", n + 1),
                message: format!("not an event record ({e}): {start}…"),
            }
        })?;
        events.push(event);
    }
    Ok(events)
}

/// The text of `events.toml` holding the events of the NDJSON `text`, in its order.
pub fn to_events_toml(text: &str) -> Result<String, IngestError> {
    let file = f::EventsFile {
        event: events(text)?,
    };
    toml::to_string(&file).map_err(|e| IngestError::Invalid {
        file: FILE.to_string(),
        record: "events".to_string(),
        message: format!("cannot be written as events.toml: {e}"),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_bad_line_is_named_by_its_number_and_shown_short() {
        let long = format!("{{\"key\": \"{}\"}}", "x".repeat(500));
        let Err(IngestError::Invalid {
            record, message, ..
        }) = events(&format!("\n{long}\n"))
        else {
            panic!("a bad line is refused");
        };
        assert_eq!(record, "line 2");
        assert!(message.len() < 300, "{message}");
    }

    #[test]
    fn no_lines_are_no_events() {
        assert_eq!(
            to_events_toml("\n\n").expect("empty is fine"),
            "event = []\n"
        );
    }
}
