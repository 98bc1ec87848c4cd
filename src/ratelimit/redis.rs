//! The budget shared by every instance: `gcra.lua`, run in Redis (EVALSHA, loaded on first
//! use), one key per client. A Redis that does not answer within `TIMEOUT` makes the caller
//! fall back to its own budget for `BACKOFF` (so an outage costs requests no waiting) before
//! Redis is tried again; the change is logged once each way.

use super::{Outcome, Settings, SetupError};
use redis::aio::{ConnectionManager, ConnectionManagerConfig};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Mutex, OnceLock};
use std::time::{Duration, Instant};

/// How long a charge waits for Redis before the instance uses its own budget.
const TIMEOUT: Duration = Duration::from_millis(250);
/// How long the instance keeps to its own budgets after Redis failed to answer.
const BACKOFF: Duration = Duration::from_secs(2);
/// The prefix of every key the limiter writes.
const PREFIX: &str = "scam-atlas:ratelimit:";

/// The budget in Redis.
pub struct Shared {
    client: redis::Client,
    /// Made on first use, inside the runtime (`new` may run outside one).
    manager: OnceLock<Option<ConnectionManager>>,
    script: redis::Script,
    /// Whether the last charge fell back to the local budget.
    degraded: AtomicBool,
    /// Until when Redis is not asked, after a failure.
    skip_until: Mutex<Option<Instant>>,
}

impl Shared {
    pub fn new(url: &str) -> Result<Shared, SetupError> {
        let client = redis::Client::open(url).map_err(|e| SetupError::RedisUrl(e.to_string()))?;
        Ok(Shared {
            client,
            manager: OnceLock::new(),
            script: redis::Script::new(include_str!("gcra.lua")),
            degraded: AtomicBool::new(false),
            skip_until: Mutex::new(None),
        })
    }

    fn manager(&self) -> Option<ConnectionManager> {
        self.manager
            .get_or_init(|| {
                let config = ConnectionManagerConfig::new()
                    .set_connection_timeout(Some(TIMEOUT))
                    .set_response_timeout(Some(TIMEOUT))
                    .set_number_of_retries(1)
                    .set_max_delay(Duration::from_secs(1));
                match ConnectionManager::new_lazy_with_config(self.client.clone(), config) {
                    Ok(manager) => Some(manager),
                    Err(e) => {
                        tracing::error!(error = %e, "rate limits: cannot use Redis; budgets are per instance");
                        None
                    }
                }
            })
            .clone()
    }

    /// Charges `cost` to `client` in Redis; None when Redis did not answer in time.
    pub async fn charge(&self, client: &str, cost: u32, settings: Settings) -> Option<Outcome> {
        let skip_until = *self.skip_until.lock().unwrap_or_else(|p| p.into_inner());
        if skip_until.is_some_and(|until| Instant::now() < until) {
            return None;
        }
        let mut manager = self.manager()?;
        let interval_ms = 60_000.0 / f64::from(settings.cost_per_minute.get());
        let mut invocation = self.script.key(format!("{PREFIX}{client}"));
        invocation
            .arg(interval_ms)
            .arg(settings.burst.get())
            .arg(cost);
        let answer = tokio::time::timeout(
            TIMEOUT,
            invocation.invoke_async::<(i64, i64, i64, i64)>(&mut manager),
        )
        .await;
        let (allowed, remaining, retry_ms, full_ms) = match answer {
            Ok(Ok(answer)) => answer,
            failed => {
                let reason = match failed {
                    Ok(Err(e)) => e.to_string(),
                    _ => format!("no answer within {} ms", TIMEOUT.as_millis()),
                };
                *self.skip_until.lock().unwrap_or_else(|p| p.into_inner()) =
                    Some(Instant::now() + BACKOFF);
                if !self.degraded.swap(true, Ordering::Relaxed) {
                    tracing::warn!(%reason, "rate limits: Redis is unreachable; falling back to this instance's budgets");
                }
                return None;
            }
        };
        if self.degraded.swap(false, Ordering::Relaxed) {
            tracing::info!("rate limits: Redis answers again; budgets are shared");
        }
        let ms = |v: i64| Duration::from_millis(u64::try_from(v).unwrap_or(0));
        Some(Outcome {
            allowed: allowed == 1,
            cost,
            limit: settings.burst.get(),
            remaining: u32::try_from(remaining.max(0)).unwrap_or(u32::MAX),
            retry_after: ms(retry_ms),
            full_in: ms(full_ms),
            restore_per_second: f64::from(settings.cost_per_minute.get()) / 60.0,
        })
    }
}
