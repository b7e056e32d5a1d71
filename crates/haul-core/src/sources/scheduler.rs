//! Runs checks: one at a time per source (asking again joins the running one),
//! and, once started, a loop that checks every due source — including those a
//! crash or a quit interrupted mid-check, which continue from their cursor.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use tokio::sync::{Notify, watch};

use super::check::{self, CheckReport, Mode};
use super::throttle::Throttles;
use crate::Shared;
use crate::error::{Error, Result};

type Outcome = Option<Result<CheckReport>>;

#[derive(Default)]
pub(crate) struct SourcesState {
    pub(crate) throttles: Throttles,
    wake: Notify,
    running: Mutex<HashMap<i64, watch::Receiver<Outcome>>>,
    scheduler: Mutex<Option<tokio::task::JoinHandle<()>>>,
}

impl SourcesState {
    /// Tells the scheduler that sources or their times changed.
    pub(crate) fn wake(&self) {
        self.wake.notify_one();
    }

    pub(crate) fn is_checking(&self, id: i64) -> bool {
        self.running
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .contains_key(&id)
    }

    pub(crate) fn stop(&self) {
        if let Some(task) = self
            .scheduler
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .take()
        {
            task.abort();
        }
    }
}

/// A check in progress.
pub(crate) struct CheckHandle(watch::Receiver<Outcome>);

impl CheckHandle {
    pub(crate) async fn wait(mut self) -> Result<CheckReport> {
        match self.0.wait_for(Option::is_some).await {
            Ok(outcome) => outcome
                .clone()
                .unwrap_or_else(|| Err(Error::internal("a check ended without a result"))),
            Err(_) => Err(Error::internal("the check stopped before it finished")),
        }
    }
}

/// Starts a check of `id` unless one runs; either way returns its handle.
pub(crate) fn start_check(shared: &Arc<Shared>, id: i64, mode: Mode) -> CheckHandle {
    let mut running = shared
        .sources
        .running
        .lock()
        .unwrap_or_else(PoisonError::into_inner);
    if let Some(existing) = running.get(&id) {
        return CheckHandle(existing.clone());
    }
    let (tx, rx) = watch::channel(None);
    running.insert(id, rx.clone());
    drop(running);
    let owned = Arc::clone(shared);
    tokio::spawn(async move {
        let outcome = check::run(&owned, id, mode).await;
        owned
            .sources
            .running
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .remove(&id);
        tx.send_replace(Some(outcome));
    });
    CheckHandle(rx)
}

/// The longest the loop sleeps without looking (a clock change, a missed wake).
const MAX_SLEEP: Duration = Duration::from_secs(60);

pub(crate) fn start(shared: &Arc<Shared>) {
    let owned = Arc::clone(shared);
    let task = tokio::spawn(async move {
        loop {
            if owned.is_shutting_down() {
                return;
            }
            let sleep = match due_now(&owned).await {
                Ok(sleep) => sleep,
                Err(error) => {
                    tracing::error!(%error, "cannot read the sources that are due");
                    MAX_SLEEP
                }
            };
            tokio::select! {
                () = tokio::time::sleep(sleep) => {}
                () = owned.sources.wake.notified() => {}
            }
        }
    });
    if let Some(previous) = shared
        .sources
        .scheduler
        .lock()
        .unwrap_or_else(PoisonError::into_inner)
        .replace(task)
    {
        previous.abort();
    }
}

/// Starts every due check; returns how long to sleep until the next one.
async fn due_now(shared: &Arc<Shared>) -> Result<Duration> {
    let store = shared.store.sources();
    let now = haul_store::now_millis();
    for row in store.due(now).await? {
        if !shared.sources.is_checking(row.id) {
            // Not awaited: each check waits for its platform's turn itself.
            drop(start_check(shared, row.id, Mode::Normal));
        }
    }
    let next = store.next_due_at().await?;
    let wait = next.map_or(MAX_SLEEP, |at| {
        Duration::from_millis(u64::try_from(at - now).unwrap_or(0)).max(Duration::from_secs(1))
    });
    Ok(wait.min(MAX_SLEEP))
}
