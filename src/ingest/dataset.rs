//! Where a dataset's files come from: the copy built into the binary, or a folder on disk.

use super::IngestError;
use sha2::{Digest, Sha256};
use std::path::Path;

/// The data files (`*.toml`) and article texts of a dataset, by file name.
#[derive(Clone, Debug)]
pub struct Dataset {
    /// `(file name, TOML text)`, e.g. `("events.toml", …)`.
    pub files: Vec<(String, String)>,
    /// `(file name, article text)`, the files of `data/articles/`.
    pub articles: Vec<(String, String)>,
}

macro_rules! embed {
    ($($name:literal),* $(,)?) => { vec![$(($name.to_string(), include_str!(concat!("../../data/", $name)).to_string())),*] };
}

impl Dataset {
    /// The curated dataset as built into this binary from `data/`.
    pub fn curated() -> Self {
        Dataset {
            files: embed!(
                "countries.toml",
                "sources.toml",
                "places.toml",
                "agencies.toml",
                "people.toml",
                "events.toml",
                "statistics.toml",
            ),
            articles: embed!(
                "articles/000_db11796588d82904.txt",
                "articles/001_0caa9320781007a5.txt",
                "articles/002_ec234e32542d451d.txt",
                "articles/003_b30884ff8ca44e1a.txt",
                "articles/004_89219bb67bf45fba.txt",
            )
            .into_iter()
            .map(|(name, text)| (name.trim_start_matches("articles/").to_string(), text))
            .collect(),
        }
    }

    /// A dataset laid out like `data/`: `*.toml` files and an `articles/` folder.
    pub fn from_dir(dir: &Path) -> Result<Self, IngestError> {
        let read = |dir: &Path, ext: &str| -> Result<Vec<(String, String)>, IngestError> {
            let unreadable =
                |e: std::io::Error| IngestError::Unreadable(format!("{}: {e}", dir.display()));
            let mut files = Vec::new();
            for entry in std::fs::read_dir(dir).map_err(unreadable)? {
                let path = entry.map_err(unreadable)?.path();
                if path.extension().and_then(|e| e.to_str()) == Some(ext) {
                    let name = path
                        .file_name()
                        .and_then(|n| n.to_str())
                        .unwrap_or_default()
                        .to_string();
                    files.push((name, std::fs::read_to_string(&path).map_err(unreadable)?));
                }
            }
            files.sort();
            Ok(files)
        };
        let mut dataset = Dataset {
            files: read(dir, "toml")?,
            articles: read(&dir.join("articles"), "txt")?,
        };
        let ndjson = dir.join(super::ndjson::FILE);
        if ndjson.is_file() {
            let text = std::fs::read_to_string(&ndjson)
                .map_err(|e| IngestError::Unreadable(format!("{}: {e}", ndjson.display())))?;
            dataset.add(super::ndjson::FILE, text)?;
            dataset.files.sort();
        }
        Ok(dataset)
    }

    /// A dataset without files, to [`add`](Dataset::add) them to.
    pub fn empty() -> Self {
        Dataset {
            files: Vec::new(),
            articles: Vec::new(),
        }
    }

    /// Adds the file `name` of the `data/` layout: `articles/<file>` is an article,
    /// `events.ndjson` the events as NDJSON (read into the `events.toml` they stand for), any
    /// other name a data file. A file given twice is refused.
    pub fn add(&mut self, name: &str, text: String) -> Result<(), IngestError> {
        let (name, text, list) = if let Some(article) = name.strip_prefix("articles/") {
            (article, text, &mut self.articles)
        } else if name == super::ndjson::FILE {
            (
                "events.toml",
                super::ndjson::to_events_toml(&text)?,
                &mut self.files,
            )
        } else {
            (name, text, &mut self.files)
        };
        if list.iter().any(|(n, _)| n == name) {
            let shown: String = name.chars().take(60).collect();
            return Err(IngestError::Unreadable(format!(
                "{shown} is given twice (events.ndjson stands for events.toml: send one of them)"
            )));
        }
        list.push((name.to_string(), text));
        Ok(())
    }

    /// SHA-256 over every file's name and text: equal digests mean equal datasets.
    pub fn digest(&self) -> String {
        let mut hash = Sha256::new();
        for (name, text) in self.files.iter().chain(&self.articles) {
            hash.update(name.as_bytes());
            hash.update([0]);
            hash.update(text.as_bytes());
            hash.update([0]);
        }
        hash.finalize().iter().map(|b| format!("{b:02x}")).collect()
    }
}
