//! Live updates: every published change, as it commits, to this instance's subscribers.
//!
//! The `change` table (the audit trail, in commit order) is the truth; notifications only say
//! "read it again". On PostgreSQL a writer sends `NOTIFY` inside its transaction ([`notify`]),
//! which PostgreSQL delivers at commit to every instance's feeder, its own included; on SQLite
//! (one process) it wakes its process's feeder after it commits ([`committed`]). The feeder then reads the changes after the last one
//! it sent and broadcasts them as one batch. Since a notification carries nothing the feeder
//! needs, a lost one costs nothing but latency: after its listener reconnects, and every few
//! seconds anyway, the feeder reads the table again. Subscriptions (`graphql::subscription`)
//! read their own gap-free sequence of changes from here (`Feed`).

mod feed;
mod feeder;
pub mod quota;

pub use feed::Feed;
pub use quota::{Quota, QuotaError, Session, Ticket};

use entity::change;
use sea_orm::{ConnectionTrait, DatabaseConnection, DbBackend, DbErr};
use std::sync::atomic::{AtomicI32, Ordering};
use std::sync::{Arc, LazyLock, Mutex};
use tokio::sync::{broadcast, watch};

/// The PostgreSQL channel writers notify and feeders listen on.
pub const CHANNEL: &str = "scam_atlas_changes";

/// Batches a subscriber may fall behind by before it must catch up from the table.
const BACKLOG: usize = 256;

/// How long [`Hub::start`] waits for the feeder to read where the changes stand.
const READY_WITHIN: std::time::Duration = std::time::Duration::from_secs(5);

/// The changes one commit (or several, read together) published, in commit order.
#[derive(Debug)]
pub struct Batch {
    pub changes: Vec<change::Model>,
}

/// Counts this process's commits: feeders watch it, so a commit is never missed between
/// two reads (a `watch` keeps the latest value; a `Notify` would drop a wake-up sent while
/// the feeder was reading).
static COMMITS: LazyLock<watch::Sender<u64>> = LazyLock::new(|| watch::channel(0).0);

/// Tells this process's feeders that a write committed. Writers call it after `commit`.
pub fn committed() {
    COMMITS.send_modify(|n| *n = n.wrapping_add(1));
}

/// Inside a publishing transaction on PostgreSQL: tells every instance's feeder, at commit,
/// that changes up to `latest` are there to read. (SQLite has one process: [`committed`].)
pub async fn notify(txn: &impl ConnectionTrait, latest: i32) -> Result<(), DbErr> {
    if txn.get_database_backend() == DbBackend::Postgres {
        let statement = sea_orm::Statement::from_sql_and_values(
            DbBackend::Postgres,
            "SELECT pg_notify($1, $2)",
            [CHANNEL.into(), latest.to_string().into()],
        );
        txn.execute_raw(statement).await?;
    }
    Ok(())
}

/// This instance's live changes: the feeder and its subscribers.
pub struct Hub {
    db: DatabaseConnection,
    sender: broadcast::Sender<Arc<Batch>>,
    /// The last change broadcast; a new receiver gets every change after it.
    sent: Arc<AtomicI32>,
    /// Held while the feeder broadcasts and while a subscriber subscribes, so that a
    /// subscriber's starting position and its receiver agree.
    sending: Arc<Mutex<()>>,
    /// Flips to true once the feeder knows where the table stands.
    ready: Arc<watch::Sender<bool>>,
    started: std::sync::OnceLock<()>,
    stop: watch::Sender<bool>,
    /// How often the feeder reads the table without being woken, in milliseconds.
    resync_every_ms: std::sync::atomic::AtomicU64,
    /// Subscriptions per connection and per client.
    pub quota: Quota,
}

/// A subscriber's place in the changes: every batch broadcast after `from`.
pub struct Receiver {
    pub from: i32,
    pub batches: broadcast::Receiver<Arc<Batch>>,
}

impl Hub {
    /// A hub over `db` (the primary: changes are read where they are written). Its feeder
    /// starts with the first [`Hub::start`].
    pub fn new(db: DatabaseConnection, quota: Quota) -> Self {
        let (sender, _) = broadcast::channel(BACKLOG);
        Hub {
            db,
            sender,
            sent: Arc::new(AtomicI32::new(0)),
            sending: Arc::new(Mutex::new(())),
            ready: Arc::new(watch::channel(false).0),
            started: std::sync::OnceLock::new(),
            stop: watch::channel(false).0,
            resync_every_ms: std::sync::atomic::AtomicU64::new(
                feeder::RESYNC_EVERY.as_millis() as u64
            ),
            quota,
        }
    }

    /// How often the feeder reads the table without being woken (before it starts): the
    /// bound on how late a change whose notification was lost arrives.
    pub fn set_resync_every(&self, every: std::time::Duration) {
        let ms = u64::try_from(every.as_millis()).unwrap_or(u64::MAX).max(1);
        self.resync_every_ms.store(ms, Ordering::SeqCst);
    }

    /// The database changes are read from.
    pub fn db(&self) -> &DatabaseConnection {
        &self.db
    }

    /// Starts the feeder (once) and waits until it knows where the changes stand, for at
    /// most `READY_WITHIN`: from then on, every commit reaches the receivers.
    pub async fn start(&self) {
        if self.started.set(()).is_ok() {
            let feeder = feeder::Feeder {
                db: self.db.clone(),
                sender: self.sender.clone(),
                sent: self.sent.clone(),
                sending: self.sending.clone(),
                ready: self.ready.clone(),
                commits: COMMITS.subscribe(),
                stop: self.stop.subscribe(),
                resync_every: std::time::Duration::from_millis(
                    self.resync_every_ms.load(Ordering::SeqCst),
                ),
            };
            tokio::spawn(feeder.run());
        }
        let mut ready = self.ready.subscribe();
        let waited = tokio::time::timeout(READY_WITHIN, ready.wait_for(|r| *r)).await;
        if waited.is_err() {
            tracing::warn!("the changes feeder is not ready yet (is the database up?)");
        }
    }

    /// A receiver of every batch broadcast from now on, and the position it starts after.
    pub fn receiver(&self) -> Receiver {
        let _sending = self.sending.lock().unwrap_or_else(|p| p.into_inner());
        Receiver {
            from: self.sent.load(Ordering::SeqCst),
            batches: self.sender.subscribe(),
        }
    }

    /// Stops the feeder (at shutdown); open subscriptions end.
    pub fn close(&self) {
        let _ = self.stop.send(true);
    }
}
