//! Client-side request limits: a service's documented rate is kept before it has
//! to refuse us. Each window allows `max` requests in any `period`.

use std::collections::VecDeque;
use std::time::Duration;

use tokio::sync::Mutex;
use tokio::time::Instant;

pub struct RequestLimiter {
    windows: Vec<(usize, Duration)>,
    /// When recent requests were sent, oldest first. Holding the lock while
    /// waiting keeps callers in arrival order.
    sent: Mutex<VecDeque<Instant>>,
}

impl RequestLimiter {
    /// `windows`: pairs of (requests, period), e.g. 12 per second and 600 per minute.
    pub fn new(windows: &[(usize, Duration)]) -> Self {
        Self {
            windows: windows
                .iter()
                .copied()
                .filter(|(max, _)| *max > 0)
                .collect(),
            sent: Mutex::new(VecDeque::new()),
        }
    }

    /// Waits until one more request fits every window, and counts it.
    pub async fn acquire(&self) {
        let longest = self
            .windows
            .iter()
            .map(|(_, period)| *period)
            .max()
            .unwrap_or_default();
        let mut sent = self.sent.lock().await;
        loop {
            let now = Instant::now();
            while sent
                .front()
                .is_some_and(|at| now.duration_since(*at) >= longest)
            {
                sent.pop_front();
            }
            // The earliest moment every full window has room again.
            let ready_at = self
                .windows
                .iter()
                .filter_map(|(max, period)| {
                    let in_window = sent
                        .iter()
                        .rev()
                        .take_while(|at| now.duration_since(**at) < *period)
                        .count();
                    // The request that must age out is the `max`-th newest.
                    (in_window >= *max)
                        .then(|| sent.get(sent.len() - *max).map(|at| *at + *period))
                        .flatten()
                })
                .max();
            match ready_at {
                Some(at) if at > now => tokio::time::sleep_until(at).await,
                _ => {
                    sent.push_back(now);
                    return;
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test(start_paused = true)]
    async fn keeps_every_window() {
        let limiter =
            RequestLimiter::new(&[(12, Duration::from_secs(1)), (600, Duration::from_secs(60))]);
        let start = Instant::now();
        for _ in 0..12 {
            limiter.acquire().await;
        }
        assert_eq!(start.elapsed(), Duration::ZERO, "the first 12 go at once");
        limiter.acquire().await;
        assert_eq!(
            start.elapsed(),
            Duration::from_secs(1),
            "the 13th waits a second"
        );

        // 600 in a minute, then the 601st waits for the minute to pass.
        for _ in 13..600 {
            limiter.acquire().await;
        }
        assert!(start.elapsed() < Duration::from_secs(60));
        limiter.acquire().await;
        assert!(start.elapsed() >= Duration::from_secs(60));
    }
}
