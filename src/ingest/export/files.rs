//! An export written to a folder (the CLI): `events.ndjson`, `events.csv`, `dataset.tar`, or
//! the `data/` layout itself (`*.toml` and `articles/`), which `import` reads back.

use super::articles::{self, Article};
use super::sink::File;
use super::write::{events, reference_files};
use super::{ExportError, Format};
use crate::service::event::EventFilter;
use sea_orm::ConnectionTrait;
use std::io::Write;
use std::path::Path;

/// Writes the export of events matching `filter` in `format` into `dir` (created if need
/// be); returns how many events it holds.
pub async fn to_dir(
    db: &impl ConnectionTrait,
    filter: &EventFilter,
    format: Format,
    dir: &Path,
) -> Result<u64, ExportError> {
    std::fs::create_dir_all(dir)?;
    let create = |name: &str| -> Result<File, ExportError> {
        Ok(File(std::io::BufWriter::new(std::fs::File::create(
            dir.join(name),
        )?)))
    };
    let (n, mut sink) = match format {
        Format::Ndjson | Format::Csv => {
            let name = if format == Format::Csv {
                "events.csv"
            } else {
                "events.ndjson"
            };
            let mut sink = create(name)?;
            (events(db, filter, format, &mut sink).await?, sink)
        }
        Format::Tar => {
            let mut sink = create("dataset.tar")?;
            (super::tar::dataset(db, filter, &mut sink).await?, sink)
        }
        Format::Toml => {
            for (name, text) in reference_files(db).await? {
                std::fs::write(dir.join(name), text)?;
            }
            let folder = dir.join("articles");
            std::fs::create_dir_all(&folder)?;
            let mut after: Option<String> = None;
            loop {
                let page = articles::page(db, after.as_deref(), articles::PAGE).await?;
                for Article { file, text, .. } in &page {
                    std::fs::write(folder.join(safe(file)?), text)?;
                }
                match page.last() {
                    Some(last) if page.len() as u64 == articles::PAGE => {
                        after = Some(last.source.clone())
                    }
                    _ => break,
                }
            }
            let mut sink = create("events.toml")?;
            (events(db, filter, format, &mut sink).await?, sink)
        }
    };
    sink.0.flush()?;
    Ok(n)
}

/// An article's file name, refused when it would leave `articles/` (`../x`, `a/b`).
fn safe(name: &str) -> Result<&str, ExportError> {
    if name.is_empty() || name.contains(['/', '\\']) || name == "." || name == ".." {
        return Err(ExportError::Encode(format!(
            "article file name {:?} is not a plain file name",
            name.chars().take(80).collect::<String>()
        )));
    }
    Ok(name)
}
