//! A token bucket shared by the connections it limits; its rate can change while
//! they run.

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use tokio::time::Instant;

use tokio::sync::Mutex;

/// Bytes per second; 0 means unlimited.
#[derive(Debug)]
pub struct RateLimiter {
    rate: AtomicU64,
    bucket: Mutex<Bucket>,
}

#[derive(Debug)]
struct Bucket {
    /// May go negative: a debt the next callers wait off.
    tokens: f64,
    refilled: Instant,
}

/// A quarter second of traffic may pass at once, so bursts stay short.
const BURST_SECONDS: f64 = 0.25;
const MIN_BURST: f64 = 64.0 * 1024.0;

impl RateLimiter {
    pub fn new(bytes_per_second: u64) -> Self {
        Self {
            rate: AtomicU64::new(bytes_per_second),
            bucket: Mutex::new(Bucket {
                tokens: 0.0,
                refilled: Instant::now(),
            }),
        }
    }

    pub fn set_rate(&self, bytes_per_second: u64) {
        self.rate.store(bytes_per_second, Ordering::Relaxed);
    }

    pub fn rate(&self) -> u64 {
        self.rate.load(Ordering::Relaxed)
    }

    /// Waits until `bytes` may pass.
    pub async fn acquire(&self, bytes: u64) {
        let rate = self.rate();
        if rate == 0 {
            return;
        }
        let rate = rate as f64;
        let wait = {
            let mut bucket = self.bucket.lock().await;
            let now = Instant::now();
            let burst = (rate * BURST_SECONDS).max(MIN_BURST);
            let elapsed = now.duration_since(bucket.refilled).as_secs_f64();
            bucket.tokens = (bucket.tokens + elapsed * rate).min(burst);
            bucket.refilled = now;
            bucket.tokens -= bytes as f64;
            (bucket.tokens < 0.0).then(|| Duration::from_secs_f64(-bucket.tokens / rate))
        };
        if let Some(wait) = wait {
            tokio::time::sleep(wait).await;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test(start_paused = true)]
    async fn the_bucket_spreads_bytes_over_time() {
        let limiter = RateLimiter::new(1024 * 1024);
        let started = tokio::time::Instant::now();
        for _ in 0..16 {
            limiter.acquire(256 * 1024).await;
        }
        // 4 MiB at 1 MiB/s: about 4 s of (virtual) time, less the first burst.
        let elapsed = started.elapsed();
        assert!(elapsed >= Duration::from_millis(3700), "{elapsed:?}");
        assert!(elapsed <= Duration::from_millis(4100), "{elapsed:?}");

        limiter.set_rate(0);
        let before = tokio::time::Instant::now();
        limiter.acquire(u64::MAX / 2).await;
        assert_eq!(before.elapsed(), Duration::ZERO, "0 means unlimited");
    }
}
