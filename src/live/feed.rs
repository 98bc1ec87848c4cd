//! A subscription's own sequence of changes: gap-free and without repeats, whether it starts
//! now or from a cursor in the past, and whether or not it falls behind the broadcast.

use super::{Batch, Receiver};
use crate::service::changes;
use entity::change;
use sea_orm::{DatabaseConnection, DbErr};
use std::sync::Arc;
use tokio::sync::broadcast::error::RecvError;

/// Changes read from the table at a time while catching up.
const CATCH_UP_AT_ONCE: u64 = 100;

/// Every change after a position, in commit order, as they commit.
pub struct Feed {
    db: DatabaseConnection,
    /// The last change handed out (or the starting position).
    last: i32,
    batches: tokio::sync::broadcast::Receiver<Arc<Batch>>,
    /// Reading from the table: behind the broadcast (a cursor in the past, or lagged).
    catching_up: bool,
}

impl Feed {
    /// The changes after `after` (a change's position), or, without one, those committed from
    /// the moment `receiver` was made.
    pub fn new(db: DatabaseConnection, receiver: Receiver, after: Option<i32>) -> Self {
        Feed {
            db,
            last: after.unwrap_or(receiver.from),
            batches: receiver.batches,
            // From a cursor, the table first (what both the table and a batch hold is
            // skipped by position).
            catching_up: after.is_some(),
        }
    }

    /// The next changes, in commit order, waiting for them; None once the hub closes.
    pub async fn next(&mut self) -> Option<Result<Vec<change::Model>, DbErr>> {
        loop {
            if self.catching_up {
                // The receiver has been collecting since before this read: whatever the read
                // does not see, a batch brings (and what both see is skipped below).
                let read = match changes::after(&self.db, self.last, CATCH_UP_AT_ONCE).await {
                    Ok(read) => read,
                    Err(e) => return Some(Err(e)),
                };
                if (read.len() as u64) < CATCH_UP_AT_ONCE {
                    self.catching_up = false;
                }
                if let Some(newest) = read.last() {
                    self.last = newest.id;
                    return Some(Ok(read));
                }
                continue;
            }
            match self.batches.recv().await {
                Ok(batch) => {
                    let fresh: Vec<_> = batch
                        .changes
                        .iter()
                        .filter(|c| c.id > self.last)
                        .cloned()
                        .collect();
                    if let Some(newest) = fresh.last() {
                        self.last = newest.id;
                        return Some(Ok(fresh));
                    }
                }
                // Batches were dropped while this subscriber was slow: read them instead.
                Err(RecvError::Lagged(_)) => self.catching_up = true,
                Err(RecvError::Closed) => return None,
            }
        }
    }
}
