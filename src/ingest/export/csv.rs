//! One event as a CSV row (RFC 4180: CRLF line ends, fields quoted where they hold a comma,
//! a quote or a line break, quotes doubled).

use super::ExportedEvent;
use crate::ingest::format as f;

/// The columns, in order. Lists are joined with `|`.
pub const COLUMNS: &[&str] = &[
    "key",
    "title",
    "kinds",
    "date_start",
    "date_end",
    "date_precision",
    "status",
    "places",
    "country",
    "people_count",
    "agencies",
    "people",
    "sources",
    "summary",
];

/// The header row.
pub fn header(out: &mut Vec<u8>) {
    row(out, COLUMNS.iter().map(|c| c.to_string()));
}

/// One event's row.
pub fn event(out: &mut Vec<u8>, e: &ExportedEvent) {
    let r = &e.record;
    let join = |items: Vec<String>| items.join("|");
    let mut sources: Vec<String> = Vec::new();
    for c in &r.citations {
        if !sources.contains(&c.source) {
            sources.push(c.source.clone());
        }
    }
    row(
        out,
        [
            r.key.clone(),
            r.title.clone(),
            join(r.kinds.iter().map(|k| k.as_str().to_string()).collect()),
            date(e.row.date_start),
            date(e.row.date_end),
            r.date.precision.as_str().to_string(),
            r.status.as_str().to_string(),
            join(r.places.clone()),
            e.row.country_code.clone().unwrap_or_default(),
            e.row
                .people_count
                .map(|n| n.to_string())
                .unwrap_or_default(),
            join(
                r.agencies
                    .iter()
                    .map(|a: &f::AgencyLink| a.agency.clone())
                    .collect(),
            ),
            join(r.people.iter().map(|p| p.person.clone()).collect()),
            join(sources),
            r.summary.clone(),
        ],
    );
}

fn date(d: Option<chrono::NaiveDate>) -> String {
    d.map(|d| d.to_string()).unwrap_or_default()
}

fn row(out: &mut Vec<u8>, fields: impl IntoIterator<Item = String>) {
    for (i, field) in fields.into_iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        if field.contains([',', '"', '\n', '\r']) {
            out.push(b'"');
            out.extend_from_slice(field.replace('"', "\"\"").as_bytes());
            out.push(b'"');
        } else {
            out.extend_from_slice(field.as_bytes());
        }
    }
    out.extend_from_slice(b"\r\n");
}

#[cfg(test)]
mod tests {
    use super::row;

    #[test]
    fn fields_are_quoted_only_where_rfc_4180_needs_it() {
        let mut out = Vec::new();
        row(
            &mut out,
            ["plain", "a, b", "say \"hi\"", "two\nlines", ""].map(String::from),
        );
        assert_eq!(
            String::from_utf8(out).expect("UTF-8"),
            "plain,\"a, b\",\"say \"\"hi\"\"\",\"two\nlines\",\r\n"
        );
    }
}
