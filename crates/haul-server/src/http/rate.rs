//! Per-client, per-route-class token buckets: a client that floods one kind of
//! route is slowed there (429 with Retry-After) without starving the others.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::Mutex;
use std::time::Instant;

use haul_core::ErrorCode;

use crate::error::{ApiError, ApiResult};

/// Kinds of routes with their own budget.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum RouteClass {
    /// `POST /api/session`: on top of the lockout.
    Login,
    /// The API's reads and commands.
    Api,
    /// Thumbnails and files.
    Media,
    /// Opening an event stream.
    Events,
}

impl RouteClass {
    /// (sustained per second, burst)
    fn budget(self) -> (f64, f64) {
        match self {
            Self::Login => (0.2, 10.0),
            Self::Api => (2000.0, 4000.0),
            Self::Media => (1000.0, 2000.0),
            Self::Events => (50.0, 400.0),
        }
    }
}

#[derive(Clone, Copy)]
struct Bucket {
    tokens: f64,
    at: Instant,
}

const MAX_KEYS: usize = 50_000;

#[derive(Default)]
pub struct RateLimits {
    buckets: Mutex<HashMap<(IpAddr, RouteClass), Bucket>>,
}

impl RateLimits {
    pub fn check(&self, client: IpAddr, class: RouteClass) -> ApiResult<()> {
        self.check_at(client, class, Instant::now())
    }

    fn check_at(&self, client: IpAddr, class: RouteClass, now: Instant) -> ApiResult<()> {
        let (rate, burst) = class.budget();
        let mut buckets = self
            .buckets
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if buckets.len() >= MAX_KEYS {
            // Full buckets carry no state worth keeping.
            buckets.retain(|(_, c), b| {
                let (rate, burst) = c.budget();
                b.tokens + now.duration_since(b.at).as_secs_f64() * rate < burst
            });
        }
        let bucket = buckets.entry((client, class)).or_insert(Bucket {
            tokens: burst,
            at: now,
        });
        bucket.tokens =
            (bucket.tokens + now.duration_since(bucket.at).as_secs_f64() * rate).min(burst);
        bucket.at = now;
        if bucket.tokens >= 1.0 {
            bucket.tokens -= 1.0;
            return Ok(());
        }
        let wait = ((1.0 - bucket.tokens) / rate).ceil() as u64;
        Err(ApiError::new(
            ErrorCode::TooManyRequests,
            "Too many requests from this client: slow down.",
        )
        .retry_after(wait))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_burst_then_the_rate() {
        let limits = RateLimits::default();
        let client: IpAddr = "192.0.2.1".parse().unwrap();
        let now = Instant::now();
        for _ in 0..10 {
            limits.check_at(client, RouteClass::Login, now).unwrap();
        }
        let refused = limits.check_at(client, RouteClass::Login, now).unwrap_err();
        assert_eq!(refused.error.code, ErrorCode::TooManyRequests);
        assert_eq!(refused.retry_after, Some(5));
        // Another class and another client have their own budgets.
        limits.check_at(client, RouteClass::Api, now).unwrap();
        limits
            .check_at("192.0.2.2".parse().unwrap(), RouteClass::Login, now)
            .unwrap();
        let later = now + std::time::Duration::from_secs(5);
        limits.check_at(client, RouteClass::Login, later).unwrap();
    }
}
