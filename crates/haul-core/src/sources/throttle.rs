//! Per-platform manners: one check at a time per platform, requests spaced to
//! the settings' rate, and a pause for the whole platform when it says 429.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use tokio::time::Instant;

#[derive(Default)]
pub(crate) struct Throttles {
    platforms: Mutex<HashMap<String, Arc<Platform>>>,
}

#[derive(Default)]
struct Platform {
    /// Held for the length of a check.
    check: Arc<tokio::sync::Mutex<()>>,
    /// When the next request may go.
    next_request: Mutex<Option<Instant>>,
}

/// Held while a check of one platform runs.
pub(crate) struct CheckSlot {
    _guard: tokio::sync::OwnedMutexGuard<()>,
}

impl Throttles {
    fn platform(&self, name: &str) -> Arc<Platform> {
        let mut map = self
            .platforms
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        Arc::clone(map.entry(name.to_string()).or_default())
    }

    /// Waits until no other check of `platform` runs.
    pub(crate) async fn check_slot(&self, platform: &str) -> CheckSlot {
        let check = Arc::clone(&self.platform(platform).check);
        CheckSlot {
            _guard: check.lock_owned().await,
        }
    }

    /// Waits until the platform may be asked again, then books the next slot.
    pub(crate) async fn request(&self, platform: &str, per_minute: u32) {
        let platform = self.platform(platform);
        let spacing = Duration::from_millis(60_000 / u64::from(per_minute.max(1)));
        let wait_until = {
            let mut next = platform
                .next_request
                .lock()
                .unwrap_or_else(PoisonError::into_inner);
            let now = Instant::now();
            let at = next.map_or(now, |n| n.max(now));
            *next = Some(at + spacing);
            at
        };
        tokio::time::sleep_until(wait_until).await;
    }

    /// The platform asked us to wait: no request goes before `after` has passed.
    pub(crate) fn back_off(&self, platform: &str, after: Duration) {
        let platform = self.platform(platform);
        let mut next = platform
            .next_request
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        let until = Instant::now() + after;
        *next = Some(next.map_or(until, |n| n.max(until)));
    }
}
