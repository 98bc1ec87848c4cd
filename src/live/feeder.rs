//! The feeder: one task per instance that reads published changes after the last it sent and
//! broadcasts them, whenever a commit may have added some.

use super::{Batch, CHANNEL};
use crate::service::changes;
use sea_orm::sqlx::postgres::PgListener;
use sea_orm::{DatabaseConnection, DbBackend};
use std::sync::atomic::{AtomicI32, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::sync::{broadcast, watch};

/// The feeder reads the table this often even without a notification, by default: it
/// catches a commit by another process on SQLite, or one whose notification was lost.
pub const RESYNC_EVERY: Duration = Duration::from_secs(5);

/// Changes read (and broadcast) at a time.
const READ_AT_ONCE: u64 = 500;

/// How long the feeder waits before trying again after the database failed it.
const RETRY_AFTER: Duration = Duration::from_secs(1);

pub(super) struct Feeder {
    pub db: DatabaseConnection,
    pub sender: broadcast::Sender<Arc<Batch>>,
    pub sent: Arc<AtomicI32>,
    pub sending: Arc<Mutex<()>>,
    pub ready: Arc<watch::Sender<bool>>,
    /// This process's commits (`live::committed`).
    pub commits: watch::Receiver<u64>,
    pub stop: watch::Receiver<bool>,
    pub resync_every: Duration,
}

impl Feeder {
    pub async fn run(mut self) {
        // Listen before reading where the table stands, so no commit falls in between.
        let (wake, mut woken) = watch::channel(0u64);
        let listener = match self.db.get_database_backend() {
            DbBackend::Postgres => {
                let (listening, listens) = tokio::sync::oneshot::channel();
                let task = tokio::spawn(listen(self.db.clone(), wake, listening));
                // Should the database be away, the periodic resync covers the gap.
                let _ = tokio::time::timeout(self.resync_every, listens).await;
                Some(task)
            }
            _ => None,
        };
        let mut last = loop {
            match changes::latest(&self.db).await {
                Ok(latest) => break latest,
                Err(e) => {
                    tracing::warn!(error = %e, "the changes feeder cannot read the changes");
                    tokio::select! {
                        () = tokio::time::sleep(RETRY_AFTER) => {}
                        _ = self.stop.changed() => return,
                    }
                }
            }
        };
        self.sent.store(last, Ordering::SeqCst);
        let _ = self.ready.send(true);
        let mut every = tokio::time::interval(self.resync_every);
        every.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        // On PostgreSQL every commit is notified, this process's too; this process's own
        // wake-ups are for SQLite.
        let local = listener.is_none();
        loop {
            tokio::select! {
                changed = self.commits.changed(), if local => if changed.is_err() { break },
                changed = woken.changed() => if changed.is_err() { woken = watch::channel(0).1 },
                _ = every.tick() => {}
                _ = self.stop.changed() => break,
            }
            if *self.stop.borrow() {
                break;
            }
            last = self.drain(last).await;
        }
        if let Some(listener) = listener {
            listener.abort();
        }
    }

    /// Broadcasts every change after `last`; returns the last one sent.
    async fn drain(&self, mut last: i32) -> i32 {
        loop {
            let read = match changes::after(&self.db, last, READ_AT_ONCE).await {
                Ok(read) => read,
                Err(e) => {
                    // The next wake-up or resync reads them.
                    tracing::warn!(error = %e, "the changes feeder could not read the changes");
                    return last;
                }
            };
            let Some(newest) = read.last().map(|c| c.id) else {
                return last;
            };
            let full = read.len() as u64 == READ_AT_ONCE;
            {
                let _sending = self.sending.lock().unwrap_or_else(|p| p.into_inner());
                self.sent.store(newest, Ordering::SeqCst);
                // No receivers is not an error: nobody subscribes.
                let _ = self.sender.send(Arc::new(Batch { changes: read }));
            }
            last = newest;
            if !full {
                return last;
            }
        }
    }
}

/// Listens on PostgreSQL for commits (this instance's and every other's) and wakes the feeder
/// for each. A listener whose connection was lost is made again, LISTEN first, and only then
/// wakes the feeder: what committed while it was away is in the table the feeder then reads,
/// and what commits after is notified. Ends when the pool closes.
async fn listen(
    db: DatabaseConnection,
    wake: watch::Sender<u64>,
    listening: tokio::sync::oneshot::Sender<()>,
) {
    let pool = db.get_postgres_connection_pool().clone();
    let wake = move || wake.send_modify(|n| *n = n.wrapping_add(1));
    let mut listening = Some(listening);
    loop {
        let mut listener = loop {
            let connected = async {
                let mut listener = PgListener::connect_with(&pool).await?;
                listener.listen(CHANNEL).await?;
                Ok::<_, sea_orm::sqlx::Error>(listener)
            };
            match connected.await {
                Ok(listener) => break listener,
                Err(sea_orm::sqlx::Error::PoolClosed) => return,
                Err(e) => {
                    tracing::warn!(error = %e, "cannot listen for changes; trying again");
                    tokio::time::sleep(RETRY_AFTER).await;
                }
            }
        };
        match listening.take() {
            Some(listening) => {
                let _ = listening.send(());
            }
            // Made again after a loss: read what committed meanwhile.
            None => wake(),
        }
        loop {
            match listener.try_recv().await {
                Ok(Some(_)) => wake(),
                // The connection was lost and sqlx made it again (listening again): some
                // notifications may be lost, so read the table.
                Ok(None) => wake(),
                Err(sea_orm::sqlx::Error::PoolClosed) => return,
                Err(e) => {
                    tracing::warn!(error = %e, "listening for changes failed; listening again");
                    break;
                }
            }
        }
    }
}
