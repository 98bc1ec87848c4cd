//! Runs a request's DataLoader fetches in waves, inside the request's own task.
//!
//! With `tokio::spawn` as the DataLoader's spawner, a fetch may start on another worker
//! thread before sibling resolvers have queued their keys, so one relation can take several
//! statements, more as pages grow (measured: 1,987 statements for a page of 100 events). The
//! default 1 ms delay hides this at a cost to every request (async-graphql issue #1306).
//! Here the resolver tree runs until every branch waits on a loader; then all queued fetches
//! run together; then the tree resumes. Each wave holds every key of its relations, so the
//! statements a request runs follow the query's shape, not the number of rows. Every read a
//! request makes — page and count queries too (`Waves::read`) — runs in a wave, so the tree
//! never holds a connection while it waits, and a wave never waits on the tree. A tree that
//! is pending but woke itself (async-graphql resolves lists with `FuturesUnordered`, which
//! yields after 32 items) is not waiting yet: it is polled again before a wave starts.

use futures_util::future::{BoxFuture, FutureExt};
use futures_util::stream::{self, StreamExt};
use std::future::Future;
use std::pin::pin;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, OnceLock};
use std::task::{Context, Poll, Wake, Waker};

/// A waker that notes whether it was woken, and passes the wake on.
struct Noting {
    woken: AtomicBool,
    inner: Waker,
}

impl Wake for Noting {
    fn wake(self: Arc<Self>) {
        self.wake_by_ref();
    }

    fn wake_by_ref(self: &Arc<Self>) {
        self.woken.store(true, Ordering::SeqCst);
        self.inner.wake_by_ref();
    }
}

/// Polls that a request may take in a row, waking itself, before it must let other tasks run.
const YIELDS_IN_A_ROW: usize = 10_000;

/// Reads one request may run at once: its share of the pool. A wave of many fetches (sixteen
/// aliased searches, say) queues behind this many connections instead of taking every one
/// and locking other clients out.
pub const READS_AT_ONCE: usize = 2;

/// The fetches a request's DataLoader has queued, and the loop that runs them.
#[derive(Clone, Default)]
pub struct Waves {
    queued: Arc<Mutex<Vec<BoxFuture<'static, ()>>>>,
    /// Reads running or waiting for a connection, across requests (`observe::metrics`).
    in_flight: Arc<OnceLock<Arc<AtomicUsize>>>,
}

/// Holds one read in the count of reads in flight, however it ends (dropped with its request).
struct InFlight(Option<Arc<AtomicUsize>>);

impl InFlight {
    fn new(counter: Option<Arc<AtomicUsize>>) -> Self {
        if let Some(counter) = &counter {
            counter.fetch_add(1, Ordering::Relaxed);
        }
        InFlight(counter)
    }
}

impl Drop for InFlight {
    fn drop(&mut self) {
        if let Some(counter) = &self.0 {
            counter.fetch_sub(1, Ordering::Relaxed);
        }
    }
}

impl Waves {
    /// Counts this request's reads, while they run, in `counter` (set once, before any runs).
    pub fn count_in(&self, counter: Arc<AtomicUsize>) {
        let _ = self.in_flight.set(counter);
    }

    /// The DataLoader's spawner: queues a fetch for the next wave.
    pub fn spawner(&self) -> impl Fn(BoxFuture<'static, ()>) + Send + Sync + 'static {
        let queued = self.queued.clone();
        move |fetch| {
            queued
                .lock()
                .unwrap_or_else(|poisoned| poisoned.into_inner())
                .push(fetch)
        }
    }

    fn take(&self) -> Vec<BoxFuture<'static, ()>> {
        std::mem::take(
            &mut *self
                .queued
                .lock()
                .unwrap_or_else(|poisoned| poisoned.into_inner()),
        )
    }

    /// Runs a database read in the next wave and returns its result.
    pub async fn read<T: Send + 'static>(
        &self,
        read: impl Future<Output = T> + Send + 'static,
    ) -> Option<T> {
        let (tx, rx) = tokio::sync::oneshot::channel();
        self.spawner()(Box::pin(async move {
            let _ = tx.send(read.await);
        }));
        // Cancelled only when the whole request is dropped.
        rx.await.ok()
    }

    /// Runs `request` to completion, running queued fetches a wave at a time.
    pub async fn run<F: Future>(&self, request: F) -> F::Output {
        let mut request = pin!(request);
        let mut wave: Option<BoxFuture<'static, ()>> = None;
        std::future::poll_fn(|cx| {
            loop {
                if let Some(running) = &mut wave {
                    if running.poll_unpin(cx).is_pending() {
                        return Poll::Pending;
                    }
                    wave = None;
                }
                // Poll until the request waits for real (it did not wake itself).
                let mut spins = 0;
                loop {
                    let noting = Arc::new(Noting {
                        woken: AtomicBool::new(false),
                        inner: cx.waker().clone(),
                    });
                    let waker = Waker::from(noting.clone());
                    if let Poll::Ready(output) =
                        request.as_mut().poll(&mut Context::from_waker(&waker))
                    {
                        return Poll::Ready(output);
                    }
                    if !noting.woken.load(Ordering::SeqCst) {
                        break;
                    }
                    spins += 1;
                    if spins == YIELDS_IN_A_ROW {
                        return Poll::Pending;
                    }
                }
                let fetches = self.take();
                if fetches.is_empty() {
                    // Waiting on nothing of ours (reads all go through `read`): a stray await.
                    return Poll::Pending;
                }
                let counter = self.in_flight.get().cloned();
                let counted = fetches.into_iter().map(move |fetch| {
                    let counter = counter.clone();
                    async move {
                        let _in_flight = InFlight::new(counter);
                        fetch.await
                    }
                });
                wave = Some(
                    stream::iter(counted)
                        .buffer_unordered(READS_AT_ONCE)
                        .for_each(|()| async {})
                        .boxed(),
                );
            }
        })
        .await
    }
}
