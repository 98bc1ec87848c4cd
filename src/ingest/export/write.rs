//! Records written out: the events in a format, page by page, and the reference files.

use super::{ExportError, ExportedEvent, Format, PAGE, Sink, csv, page, reference};
use crate::ingest::format as f;
use crate::service::event::EventFilter;
use bytes::Bytes;
use entity::event;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QuerySelect};
use serde::Serialize;
use std::collections::{BTreeSet, HashSet};

pub use super::csv::COLUMNS as CSV_COLUMNS;

/// Writes every event matching `filter` to `sink` in `format` (`Toml`: the text of
/// `events.toml`), a page at a time; returns how many.
pub async fn events(
    db: &impl ConnectionTrait,
    filter: &EventFilter,
    format: Format,
    sink: &mut impl Sink,
) -> Result<u64, ExportError> {
    let mut written = 0;
    let mut after: Option<String> = None;
    if format == Format::Csv {
        let mut header = Vec::new();
        csv::header(&mut header);
        sink.write(Bytes::from(header)).await?;
    }
    loop {
        let mut events = page(db, filter, after.as_deref(), PAGE).await?;
        if matches!(format, Format::Toml | Format::Tar) && *filter != EventFilter::default() {
            within(db, filter, &mut events).await?;
        }
        let Some(last) = events.last() else {
            break;
        };
        after = Some(last.row.key.clone());
        let mut chunk = Vec::with_capacity(events.len() * 2048);
        for e in &events {
            encode(&mut chunk, e, format, written == 0)?;
            written += 1;
        }
        sink.write(Bytes::from(chunk)).await?;
        if (events.len() as u64) < PAGE {
            break;
        }
    }
    if written == 0 && matches!(format, Format::Toml | Format::Tar) {
        // The loader needs the array even when it is empty.
        sink.write(Bytes::from_static(b"event = []\n")).await?;
    }
    Ok(written)
}

/// Drops the links (`related`, a group's `cohort`) to events that `filter` leaves out, so that
/// a filtered dataset loads on its own.
async fn within(
    db: &impl ConnectionTrait,
    filter: &EventFilter,
    events: &mut [ExportedEvent],
) -> Result<(), ExportError> {
    let named: BTreeSet<String> = events
        .iter()
        .flat_map(|e| {
            let related = e.record.related.iter().map(|r| r.event.clone());
            let cohorts = e.record.participants.iter();
            related.chain(cohorts.filter_map(|g| Some(g.cohort.as_ref()?.event.clone())))
        })
        .collect();
    if named.is_empty() {
        return Ok(());
    }
    let kept: HashSet<String> = event::Entity::find()
        .select_only()
        .column(event::Column::Key)
        .filter(filter.condition())
        .filter(event::Column::Key.is_in(named))
        .into_tuple()
        .all(db)
        .await?
        .into_iter()
        .collect();
    for e in events {
        e.record.related.retain(|r| kept.contains(&r.event));
        for group in &mut e.record.participants {
            if group
                .cohort
                .as_ref()
                .is_some_and(|c| !kept.contains(&c.event))
            {
                group.cohort = None;
            }
        }
    }
    Ok(())
}

/// One event in `format`.
fn encode(
    out: &mut Vec<u8>,
    e: &ExportedEvent,
    format: Format,
    first: bool,
) -> Result<(), ExportError> {
    match format {
        Format::Ndjson => {
            serde_json::to_writer(&mut *out, &e.record)
                .map_err(|err| ExportError::Encode(format!("event {}: {err}", e.row.key)))?;
            out.push(b'\n');
        }
        Format::Csv => csv::event(out, e),
        Format::Toml | Format::Tar => {
            #[derive(Serialize)]
            struct One<'a> {
                event: &'a [f::Event],
            }
            if !first {
                out.push(b'\n');
            }
            let text = toml(&One {
                event: std::slice::from_ref(&e.record),
            })?;
            out.extend_from_slice(text.as_bytes());
        }
    }
    Ok(())
}

fn toml(value: &impl Serialize) -> Result<String, ExportError> {
    toml::to_string(value).map_err(|e| ExportError::Encode(e.to_string()))
}

/// The `data/` files other than `events.toml`, by name, in the order the loader reads them:
/// the reference tables, whole (they are small beside the events).
pub async fn reference_files(
    db: &impl ConnectionTrait,
) -> Result<Vec<(&'static str, String)>, ExportError> {
    Ok(vec![
        ("countries.toml", toml(&reference::countries(db).await?)?),
        ("sources.toml", toml(&reference::sources(db).await?)?),
        ("places.toml", toml(&reference::places(db).await?)?),
        ("agencies.toml", toml(&reference::agencies(db).await?)?),
        ("people.toml", toml(&reference::people(db).await?)?),
        ("statistics.toml", toml(&reference::statistics(db).await?)?),
    ])
}
