//! How many subscriptions one connection, and one client (an API key, or an address without
//! one), may hold open at once.

use std::collections::HashMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

/// The limits, and the subscriptions each client holds now.
#[derive(Clone)]
pub struct Quota {
    inner: Arc<Inner>,
}

struct Inner {
    per_connection: AtomicUsize,
    per_client: AtomicUsize,
    clients: Mutex<HashMap<String, usize>>,
}

/// One connection's subscriptions, and the client it belongs to (its session data).
#[derive(Clone, Debug)]
pub struct Session {
    pub client: String,
    open: Arc<AtomicUsize>,
}

impl Session {
    /// A new connection of `client`.
    pub fn new(client: String) -> Self {
        Session {
            client,
            open: Arc::new(AtomicUsize::new(0)),
        }
    }
}

/// Why a subscription was refused.
#[derive(Debug, thiserror::Error)]
pub enum QuotaError {
    #[error("this connection holds {0} subscriptions, the most one may; complete one first")]
    Connection(usize),
    #[error("this client holds {0} subscriptions, the most one may; complete one first")]
    Client(usize),
}

/// A subscription counted against its connection and client until dropped.
pub struct Ticket {
    quota: Quota,
    session: Session,
}

impl Drop for Ticket {
    fn drop(&mut self) {
        self.session.open.fetch_sub(1, Ordering::SeqCst);
        let mut clients = self.quota.clients();
        if let Some(n) = clients.get_mut(&self.session.client) {
            *n -= 1;
            if *n == 0 {
                clients.remove(&self.session.client);
            }
        }
    }
}

impl Quota {
    /// At most `per_connection` subscriptions per connection and `per_client` per client.
    pub fn new(per_connection: usize, per_client: usize) -> Self {
        Quota {
            inner: Arc::new(Inner {
                per_connection: AtomicUsize::new(per_connection),
                per_client: AtomicUsize::new(per_client),
                clients: Mutex::new(HashMap::new()),
            }),
        }
    }

    /// Changes the limits (from the server's configuration); subscriptions already open stay.
    pub fn set(&self, per_connection: usize, per_client: usize) {
        self.inner
            .per_connection
            .store(per_connection, Ordering::SeqCst);
        self.inner.per_client.store(per_client, Ordering::SeqCst);
    }

    fn clients(&self) -> std::sync::MutexGuard<'_, HashMap<String, usize>> {
        self.inner.clients.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// The subscriptions open now, over every client.
    pub fn open(&self) -> usize {
        self.clients().values().sum()
    }

    /// Counts one more subscription of `session`, or says why not.
    pub fn admit(&self, session: &Session) -> Result<Ticket, QuotaError> {
        let mut clients = self.clients();
        let per_client = self.inner.per_client.load(Ordering::SeqCst);
        let per_connection = self.inner.per_connection.load(Ordering::SeqCst);
        let held = clients.get(&session.client).copied().unwrap_or(0);
        if held >= per_client {
            return Err(QuotaError::Client(per_client));
        }
        if session.open.load(Ordering::SeqCst) >= per_connection {
            return Err(QuotaError::Connection(per_connection));
        }
        session.open.fetch_add(1, Ordering::SeqCst);
        *clients.entry(session.client.clone()).or_insert(0) += 1;
        Ok(Ticket {
            quota: self.clone(),
            session: session.clone(),
        })
    }
}

impl Default for Quota {
    fn default() -> Self {
        Quota::new(DEFAULT_PER_CONNECTION, DEFAULT_PER_CLIENT)
    }
}

/// Subscriptions one connection may hold by default.
pub const DEFAULT_PER_CONNECTION: usize = 25;
/// Subscriptions one client may hold by default, over all its connections to this instance.
pub const DEFAULT_PER_CLIENT: usize = 100;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn limits_hold_and_free_on_drop() {
        let quota = Quota::new(2, 3);
        let (a, b) = (Session::new("k".into()), Session::new("k".into()));
        let a1 = quota.admit(&a).expect("first");
        let _a2 = quota.admit(&a).expect("second");
        assert!(matches!(quota.admit(&a), Err(QuotaError::Connection(2))));
        let _b1 = quota.admit(&b).expect("the client's third");
        assert!(matches!(quota.admit(&b), Err(QuotaError::Client(3))));
        drop(a1);
        let _b2 = quota.admit(&b).expect("freed by the drop");
        let other = Session::new("other".into());
        let _o = quota
            .admit(&other)
            .expect("another client has its own count");
    }
}
