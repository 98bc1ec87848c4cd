//! Rate limits: each client has a budget of query cost that refills continuously (GCRA, the
//! leaky bucket as a theoretical arrival time), spent by every GraphQL request before it runs
//! (its cost from `graphql::limits`, at least 1). A client is the SHA-256 of its
//! `Authorization: Bearer` token when it sends one (API keys plug in there), else its IP
//! address (an IPv6 client by its /64, which one subscriber usually holds).
//!
//! The budget is kept in process by `governor`; with `--redis-url` it is shared by every
//! instance through one Lua script in Redis (`redis`), and when Redis does not answer the
//! instance falls back to its own budget and says so in the log (it fails open: an outage of
//! Redis does not become an outage of the API).

mod redis;

use axum::http::{HeaderMap, HeaderName, HeaderValue, header};
use governor::clock::{Clock, DefaultClock};
use governor::middleware::StateInformationMiddleware;
use governor::{Quota, RateLimiter};
use sha2::{Digest, Sha256};
use std::net::IpAddr;
use std::num::NonZeroU32;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// How much a client may spend, and how fast the budget refills.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Settings {
    /// Cost restored per minute.
    pub cost_per_minute: NonZeroU32,
    /// The most a full budget holds: the largest burst of cost at once.
    pub burst: NonZeroU32,
}

/// Why the limiter could not be set up.
#[derive(Debug, thiserror::Error)]
pub enum SetupError {
    #[error("the Redis URL is not valid: {0}")]
    RedisUrl(String),
}

type Local = RateLimiter<
    String,
    governor::state::keyed::DefaultKeyedStateStore<String>,
    DefaultClock,
    StateInformationMiddleware,
>;

/// The budgets of every client, in process or shared through Redis.
pub struct Limiter {
    settings: Settings,
    local: Local,
    shared: Option<redis::Shared>,
    /// Charges so far, to sweep idle clients' budgets out of `local` now and then.
    charges: AtomicU64,
}

/// Where a client stands after a charge.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Outcome {
    /// Whether the charge went through (else nothing was spent).
    pub allowed: bool,
    /// The cost charged (or refused).
    pub cost: u32,
    /// The most the budget holds.
    pub limit: u32,
    /// What is left now.
    pub remaining: u32,
    /// How long until the charge would go through (zero when it did).
    pub retry_after: Duration,
    /// How long until the budget is full again.
    pub full_in: Duration,
    /// Cost restored per second.
    pub restore_per_second: f64,
}

impl Limiter {
    /// A limiter with these settings, shared through Redis at `redis_url` when given. Redis
    /// is connected to lazily: a Redis that is down at start is only logged, and used once up.
    pub fn new(settings: Settings, redis_url: Option<&str>) -> Result<Limiter, SetupError> {
        let interval = Duration::from_secs(60) / settings.cost_per_minute.get();
        let quota = Quota::with_period(interval.max(Duration::from_nanos(1)))
            .unwrap_or_else(|| Quota::per_second(NonZeroU32::MIN))
            .allow_burst(settings.burst);
        let shared = redis_url.map(redis::Shared::new).transpose()?;
        Ok(Limiter {
            settings,
            local: RateLimiter::keyed(quota).with_middleware::<StateInformationMiddleware>(),
            shared,
            charges: AtomicU64::new(0),
        })
    }

    /// Its settings.
    pub fn settings(&self) -> Settings {
        self.settings
    }

    /// Charges `cost` to `client`'s budget (through Redis when shared and reachable).
    pub async fn charge(&self, client: &str, cost: u32) -> Outcome {
        let cost = cost.clamp(1, self.settings.burst.get());
        if let Some(shared) = &self.shared
            && let Some(outcome) = shared.charge(client, cost, self.settings).await
        {
            return outcome;
        }
        self.charge_locally(client, cost)
    }

    fn charge_locally(&self, client: &str, cost: u32) -> Outcome {
        if self.charges.fetch_add(1, Ordering::Relaxed) % 10_000 == 9_999 {
            self.local.retain_recent();
        }
        let n = NonZeroU32::new(cost).unwrap_or(NonZeroU32::MIN);
        let interval = Duration::from_secs(60) / self.settings.cost_per_minute.get();
        let limit = self.settings.burst.get();
        let (allowed, remaining, retry_after) = match self.local.check_key_n(&client.to_string(), n)
        {
            Ok(Ok(snapshot)) => (true, snapshot.remaining_burst_capacity(), Duration::ZERO),
            Ok(Err(not_until)) => {
                let wait = not_until.wait_time_from(self.local.clock().now());
                let short = wait.as_nanos().div_ceil(interval.as_nanos().max(1));
                let remaining = u128::from(cost).saturating_sub(short);
                (false, u32::try_from(remaining).unwrap_or(0), wait)
            }
            // `cost` is clamped to the burst: cannot happen; refuse for a full refill.
            Err(_) => (false, 0, interval * limit),
        };
        Outcome {
            allowed,
            cost,
            limit,
            remaining,
            retry_after,
            full_in: interval * limit.saturating_sub(remaining),
            restore_per_second: self.restore_per_second(),
        }
    }

    fn restore_per_second(&self) -> f64 {
        f64::from(self.settings.cost_per_minute.get()) / 60.0
    }
}

/// Who is charged: the SHA-256 of a bearer token, else the client's address.
pub fn client_key(headers: &HeaderMap, peer: Option<IpAddr>) -> String {
    let bearer = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| {
            v.strip_prefix("Bearer ")
                .or_else(|| v.strip_prefix("bearer "))
        })
        .map(str::trim)
        .filter(|t| !t.is_empty());
    if let Some(token) = bearer {
        let digest = Sha256::digest(token.as_bytes());
        let hex: String = digest[..16].iter().map(|b| format!("{b:02x}")).collect();
        return format!("key:{hex}");
    }
    match peer {
        Some(IpAddr::V6(v6)) if v6.to_ipv4_mapped().is_none() => {
            let s = v6.segments();
            format!("ip:{:x}:{:x}:{:x}:{:x}::/64", s[0], s[1], s[2], s[3])
        }
        Some(IpAddr::V6(v6)) => format!(
            "ip:{}",
            v6.to_ipv4_mapped().map_or(IpAddr::V6(v6), IpAddr::V4)
        ),
        Some(ip) => format!("ip:{ip}"),
        None => "ip:unknown".to_string(),
    }
}

/// One request's charge: the client it is charged to and, once charged, where it stands.
pub struct Meter {
    limiter: Arc<Limiter>,
    client: String,
    outcome: Mutex<Option<Outcome>>,
}

impl Meter {
    /// A meter for `client` on `limiter`.
    pub fn new(limiter: Arc<Limiter>, client: String) -> Meter {
        Meter {
            limiter,
            client,
            outcome: Mutex::new(None),
        }
    }

    /// Charges `cost`, once per request (a second charge returns the first's outcome).
    pub async fn charge(&self, cost: u32) -> Outcome {
        if let Some(outcome) = self.outcome() {
            return outcome;
        }
        let outcome = self.limiter.charge(&self.client, cost).await;
        *self.outcome.lock().unwrap_or_else(|p| p.into_inner()) = Some(outcome);
        outcome
    }

    /// The outcome of the charge, if it was made.
    pub fn outcome(&self) -> Option<Outcome> {
        *self.outcome.lock().unwrap_or_else(|p| p.into_inner())
    }
}

/// `x-ratelimit-limit`, `-remaining`, `-used` and `-reset` (GitHub's: the UTC epoch second at
/// which the budget is full again), and `retry-after` (seconds) on a refusal.
pub fn headers(outcome: &Outcome) -> Vec<(HeaderName, HeaderValue)> {
    let reset = SystemTime::now()
        .checked_add(outcome.full_in)
        .and_then(|t| t.duration_since(UNIX_EPOCH).ok())
        .map_or(0, |d| d.as_secs() + u64::from(d.subsec_nanos() > 0));
    let mut headers = vec![
        (
            HeaderName::from_static("x-ratelimit-limit"),
            outcome.limit.into(),
        ),
        (
            HeaderName::from_static("x-ratelimit-remaining"),
            outcome.remaining.into(),
        ),
        (
            HeaderName::from_static("x-ratelimit-used"),
            outcome.limit.saturating_sub(outcome.remaining).into(),
        ),
        (HeaderName::from_static("x-ratelimit-reset"), reset.into()),
    ];
    if !outcome.allowed {
        let seconds =
            outcome.retry_after.as_secs() + u64::from(outcome.retry_after.subsec_nanos() > 0);
        headers.push((header::RETRY_AFTER, seconds.max(1).into()));
    }
    headers
}

#[cfg(test)]
mod tests {
    use super::*;

    fn limiter(per_minute: u32, burst: u32) -> Limiter {
        let settings = Settings {
            cost_per_minute: NonZeroU32::new(per_minute).expect("non-zero"),
            burst: NonZeroU32::new(burst).expect("non-zero"),
        };
        Limiter::new(settings, None).expect("a local limiter")
    }

    #[tokio::test]
    async fn a_budget_is_spent_refused_and_told() {
        let limiter = limiter(60, 100);
        let first = limiter.charge("ip:1", 70).await;
        assert!(first.allowed);
        assert_eq!((first.limit, first.remaining), (100, 30));
        let refused = limiter.charge("ip:1", 40).await;
        assert!(!refused.allowed);
        assert_eq!(refused.remaining, 30);
        // 10 more at 1 a second.
        assert!(
            (9..=10).contains(&refused.retry_after.as_secs()),
            "{refused:?}"
        );
        // Another client has its own budget.
        assert!(limiter.charge("ip:2", 100).await.allowed);
    }

    #[test]
    fn clients_are_keys_or_addresses() {
        let mut headers = HeaderMap::new();
        let v4: IpAddr = "10.1.2.3".parse().expect("an address");
        assert_eq!(client_key(&headers, Some(v4)), "ip:10.1.2.3");
        let v6: IpAddr = "2001:db8:1:2:3:4:5:6".parse().expect("an address");
        assert_eq!(client_key(&headers, Some(v6)), "ip:2001:db8:1:2::/64");
        headers.insert(
            header::AUTHORIZATION,
            HeaderValue::from_static("Bearer s3cret"),
        );
        let key = client_key(&headers, Some(v4));
        assert!(key.starts_with("key:") && !key.contains("s3cret"), "{key}");
    }
}
