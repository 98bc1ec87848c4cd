//! The dataset as one tar archive in the `data/` layout, streamed: the reference files,
//! `articles/`, then `events.toml`. A tar header states its entry's size before the entry, so
//! `events.toml` is written twice over the export's snapshot: once counted, once sent. That
//! costs a second read of the events but keeps memory flat (buffering the file would hold the
//! whole dataset). Headers come from the `tar` crate; its `Builder` writes to a blocking
//! `Write` with the entry in hand, so the entries' bytes are sent here.

use super::articles::{self, Article};
use super::sink::Counter;
use super::write::{events, reference_files};
use super::{ExportError, Format, Sink};
use crate::service::event::EventFilter;
use bytes::Bytes;
use sea_orm::ConnectionTrait;

const BLOCK: u64 = 512;

/// Writes the dataset's tar archive (events matching `filter`) to `sink`; returns how many
/// events it holds. `db` should be a snapshot (`export::snapshot`): the two passes over the
/// events must read the same rows.
pub async fn dataset(
    db: &impl ConnectionTrait,
    filter: &EventFilter,
    sink: &mut impl Sink,
) -> Result<u64, ExportError> {
    for (name, text) in reference_files(db).await? {
        file(sink, name, Bytes::from(text)).await?;
    }
    let mut after: Option<String> = None;
    loop {
        let page = articles::page(db, after.as_deref(), articles::PAGE).await?;
        for Article {
            file: name, text, ..
        } in &page
        {
            file(sink, &format!("articles/{name}"), Bytes::from(text.clone())).await?;
        }
        match page.last() {
            Some(last) if page.len() as u64 == articles::PAGE => after = Some(last.source.clone()),
            _ => break,
        }
    }
    let mut counted = Counter::default();
    events(db, filter, Format::Tar, &mut counted).await?;
    sink.write(header("events.toml", counted.0)?).await?;
    let mut checked = Checked { sink, written: 0 };
    let n = events(db, filter, Format::Tar, &mut checked).await?;
    if checked.written != counted.0 {
        return Err(ExportError::Encode(
            "events.toml changed between its two passes (the export was not a snapshot)".into(),
        ));
    }
    sink.write(padding(counted.0)).await?;
    // The end of the archive: two zero blocks.
    sink.write(Bytes::from(vec![0; 2 * BLOCK as usize])).await?;
    Ok(n)
}

/// One entry: header, bytes, padding to the block.
async fn file(sink: &mut impl Sink, path: &str, bytes: Bytes) -> Result<(), ExportError> {
    let size = bytes.len() as u64;
    sink.write(header(path, size)?).await?;
    sink.write(bytes).await?;
    sink.write(padding(size)).await
}

/// A regular file's ustar header, dated 0 so the same data gives the same bytes.
fn header(path: &str, size: u64) -> Result<Bytes, ExportError> {
    let mut h = tar::Header::new_ustar();
    h.set_path(path)
        .map_err(|e| ExportError::Encode(format!("{path}: {e}")))?;
    h.set_size(size);
    h.set_mode(0o644);
    h.set_mtime(0);
    h.set_entry_type(tar::EntryType::Regular);
    h.set_cksum();
    Ok(Bytes::copy_from_slice(h.as_bytes()))
}

fn padding(size: u64) -> Bytes {
    Bytes::from(vec![0; ((BLOCK - size % BLOCK) % BLOCK) as usize])
}

/// Passes bytes on, counting them.
struct Checked<'s, S> {
    sink: &'s mut S,
    written: u64,
}

impl<S: Sink> Sink for Checked<'_, S> {
    async fn write(&mut self, chunk: Bytes) -> Result<(), ExportError> {
        self.written += chunk.len() as u64;
        self.sink.write(chunk).await
    }
}
