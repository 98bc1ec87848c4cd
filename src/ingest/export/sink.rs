//! Where an export's bytes go: a file, an HTTP body (through a bounded channel, so a slow
//! client slows the export rather than growing memory), or a counter.

use super::ExportError;
use bytes::Bytes;
use std::io::Write;

/// Takes an export's bytes, chunk by chunk.
pub trait Sink: Send {
    /// Takes one chunk; an error stops the export.
    fn write(&mut self, chunk: Bytes) -> impl Future<Output = Result<(), ExportError>> + Send;
}

/// Counts bytes (what a tar header needs to know before the entry is written).
#[derive(Debug, Default)]
pub struct Counter(pub u64);

impl Sink for Counter {
    async fn write(&mut self, chunk: Bytes) -> Result<(), ExportError> {
        self.0 += chunk.len() as u64;
        Ok(())
    }
}

/// Collects bytes in memory (tests, and the small reference files).
impl Sink for Vec<u8> {
    async fn write(&mut self, chunk: Bytes) -> Result<(), ExportError> {
        self.extend_from_slice(&chunk);
        Ok(())
    }
}

/// Writes to a file (the CLI; a blocking write, on the CLI's own runtime).
pub struct File(pub std::io::BufWriter<std::fs::File>);

impl Sink for File {
    async fn write(&mut self, chunk: Bytes) -> Result<(), ExportError> {
        Ok(self.0.write_all(&chunk)?)
    }
}

/// Sends chunks to an HTTP body; fails with `Closed` once the body is dropped.
pub struct Channel(pub tokio::sync::mpsc::Sender<Result<Bytes, std::io::Error>>);

impl Sink for Channel {
    async fn write(&mut self, chunk: Bytes) -> Result<(), ExportError> {
        self.0
            .send(Ok(chunk))
            .await
            .map_err(|_| ExportError::Closed)
    }
}
