//! The import jobs this process is running, with their progress as the import reports it:
//! what the heartbeat writes to the job's row, and what a read on this instance shows before
//! the row catches up (on SQLite the import's transaction holds the only write lock, so the
//! row can take no progress until it commits). One table per process, as the write lock is
//! (`lock`): an instance is a process.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, LazyLock, Mutex};

/// How far one running import has come.
#[derive(Debug, Default)]
pub struct Live {
    written: AtomicU64,
    total: AtomicU64,
}

impl Live {
    /// Records that `written` of `total` rows are done; never moves backwards.
    pub fn advance(&self, written: u64, total: u64) {
        self.total.fetch_max(total, Ordering::Relaxed);
        self.written.fetch_max(written, Ordering::Relaxed);
    }

    /// Rows done and rows in all (0 before the checks have passed).
    pub fn progress(&self) -> (u64, u64) {
        (
            self.written.load(Ordering::Relaxed),
            self.total.load(Ordering::Relaxed),
        )
    }
}

/// By job uid (random, so jobs of different databases in one process never meet).
static RUNNING: LazyLock<Mutex<HashMap<String, Arc<Live>>>> = LazyLock::new(Default::default);

/// A job registered as running here for as long as this value lives (a task that ends, or
/// unwinds, takes its job off the table, and the staleness rule takes over).
pub struct Registered {
    uid: String,
    pub live: Arc<Live>,
}

/// Registers the job `uid` as running in this process.
pub fn register(uid: &str) -> Registered {
    let live = Arc::new(Live::default());
    if let Ok(mut running) = RUNNING.lock() {
        running.insert(uid.to_string(), live.clone());
    }
    Registered {
        uid: uid.to_string(),
        live,
    }
}

impl Drop for Registered {
    fn drop(&mut self) {
        if let Ok(mut running) = RUNNING.lock() {
            running.remove(&self.uid);
        }
    }
}

/// The progress of the job `uid` if this process runs it.
pub fn get(uid: &str) -> Option<Arc<Live>> {
    RUNNING.lock().ok()?.get(uid).cloned()
}
