//! The job runner: starts queued downloads up to the active limit, one worker task
//! each, and records how each one ends.

use std::collections::{HashMap, HashSet, VecDeque};
use std::path::PathBuf;
use std::pin::Pin;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::{Duration, Instant};

use haul_download::{
    Checkpoint, CheckpointError, LiveCounters, Outcome, ResumeState, Signal, Transfer, Validator,
};
use haul_store::downloads::{DownloadRow, ResumeRecord};
use tokio::sync::watch;
use tokio::task::JoinHandle;

use super::{DownloadState, ProgressSnapshot, TransferProgress, error_code_name};
use crate::Shared;
use crate::error::{Error, ErrorCode};
use crate::events::CoreEvent;

/// Speed is averaged over this window.
const SPEED_WINDOW: Duration = Duration::from_secs(3);

#[derive(Default)]
pub(crate) struct Runner {
    workers: Mutex<HashMap<i64, Worker>>,
    /// `None`: every queued download may start. `Some`: only these (a CLI run
    /// works on its own links, not on everything queued in the data folder).
    allowed: Mutex<Option<HashSet<i64>>>,
    /// One scheduling pass at a time, so no download starts twice.
    scheduling: tokio::sync::Mutex<()>,
}

struct Worker {
    control: watch::Sender<Signal>,
    done: watch::Receiver<bool>,
    live: Arc<LiveCounters>,
    speed: Mutex<SpeedMeter>,
    handle: JoinHandle<()>,
}

fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    // A panicking holder cannot leave these maps half-updated in a harmful way.
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

impl Runner {
    pub(crate) fn new(autostart: bool) -> Self {
        Self {
            allowed: Mutex::new((!autostart).then(HashSet::new)),
            ..Self::default()
        }
    }

    pub(crate) fn allow(&self, id: i64) {
        if let Some(allowed) = lock(&self.allowed).as_mut() {
            allowed.insert(id);
        }
    }

    pub(crate) fn forget(&self, id: i64) {
        if let Some(allowed) = lock(&self.allowed).as_mut() {
            allowed.remove(&id);
        }
    }

    fn is_allowed(&self, id: i64) -> bool {
        lock(&self.allowed)
            .as_ref()
            .is_none_or(|allowed| allowed.contains(&id))
    }

    /// Starts queued downloads, oldest first, until the active limit is reached.
    ///
    /// Boxed with an explicit `Send` bound: workers call it when they end, and the
    /// compiler cannot see through that cycle (worker → schedule → worker) otherwise.
    pub(crate) fn schedule(shared: &Arc<Shared>) -> Pin<Box<dyn Future<Output = ()> + Send + '_>> {
        Box::pin(async move {
            if let Err(error) = Self::try_schedule(shared).await {
                tracing::error!(%error, "cannot start queued downloads");
            }
        })
    }

    async fn try_schedule(shared: &Arc<Shared>) -> Result<(), Error> {
        let runner = &shared.runner;
        let _pass = runner.scheduling.lock().await;
        if shared.is_shutting_down() {
            return Ok(());
        }
        let limit = shared.settings().max_active_downloads as usize;
        let queued = shared.store.downloads().list_in_states(&["queued"]).await?;
        for row in queued {
            if lock(&runner.workers).len() >= limit {
                break;
            }
            if !runner.is_allowed(row.id) || lock(&runner.workers).contains_key(&row.id) {
                continue;
            }
            Self::start(shared, row).await?;
        }
        Ok(())
    }

    async fn start(shared: &Arc<Shared>, row: DownloadRow) -> Result<(), Error> {
        let id = row.id;
        let url = match url::Url::parse(&row.url) {
            Ok(url) => url,
            Err(e) => {
                let error = Error::new(
                    ErrorCode::InvalidUrl,
                    format!("Stored link is invalid: {e}"),
                );
                return record_end(shared, id, DownloadState::Failed, Some(&error)).await;
            }
        };
        let transfer = Transfer {
            url,
            dir: PathBuf::from(&row.dir),
            state: ResumeState {
                file_name: row.file_name.clone(),
                total_bytes: row.total_bytes.and_then(|t| u64::try_from(t).ok()),
                received_bytes: u64::try_from(row.received_bytes).unwrap_or(0),
                validator: Validator {
                    etag: row.etag.clone(),
                    last_modified: row.last_modified.clone(),
                },
            },
        };
        shared
            .store
            .downloads()
            .set_state(id, DownloadState::Active.as_str(), None)
            .await?;
        let (control, control_rx) = watch::channel(Signal::Run);
        let (done_tx, done) = watch::channel(false);
        let live = Arc::new(LiveCounters::default());
        let handle = tokio::spawn(work(
            Arc::clone(shared),
            id,
            transfer,
            control_rx,
            Arc::clone(&live),
            done_tx,
        ));
        lock(&shared.runner.workers).insert(
            id,
            Worker {
                control,
                done,
                live,
                speed: Mutex::new(SpeedMeter::default()),
                handle,
            },
        );
        shared.changed(id, DownloadState::Active);
        tracing::info!(id, "download started");
        Ok(())
    }

    /// Signals a running download and waits until its worker has recorded the end.
    pub(crate) async fn stop(&self, id: i64, signal: Signal) {
        let done = {
            let workers = lock(&self.workers);
            let Some(worker) = workers.get(&id) else {
                return;
            };
            worker.control.send_replace(signal);
            worker.done.clone()
        };
        wait_done(done).await;
    }

    /// Asks every worker to stop and waits for them; their downloads stay "active"
    /// in the database so the next start resumes them.
    pub(crate) async fn stop_all(&self) {
        let waits: Vec<_> = lock(&self.workers)
            .values()
            .map(|worker| {
                worker.control.send_replace(Signal::Pause);
                worker.done.clone()
            })
            .collect();
        for done in waits {
            wait_done(done).await;
        }
    }

    /// Abandons every worker at its next await point, as a crash would.
    pub(crate) fn abort_all(&self) {
        for worker in lock(&self.workers).values() {
            worker.handle.abort();
        }
    }

    pub(crate) fn snapshot(&self, revision: u64) -> ProgressSnapshot {
        let now = Instant::now();
        let workers = lock(&self.workers);
        let mut transfers: Vec<TransferProgress> = workers
            .iter()
            .map(|(id, worker)| {
                let received = worker.live.received();
                let total = worker.live.total();
                let speed = lock(&worker.speed).sample(now, received);
                let eta_seconds = match (total, speed) {
                    (Some(total), speed) if speed > 0 => {
                        Some(total.saturating_sub(received).div_ceil(speed))
                    }
                    _ => None,
                };
                TransferProgress {
                    id: *id,
                    state: DownloadState::Active,
                    received_bytes: received,
                    total_bytes: total,
                    bytes_per_second: speed,
                    eta_seconds,
                }
            })
            .collect();
        transfers.sort_by_key(|t| t.id);
        ProgressSnapshot {
            revision,
            transfers,
        }
    }
}

async fn wait_done(mut done: watch::Receiver<bool>) {
    // An error means the worker is gone, which is also "done".
    let _ = done.wait_for(|finished| *finished).await;
}

async fn work(
    shared: Arc<Shared>,
    id: i64,
    mut transfer: Transfer,
    mut control: watch::Receiver<Signal>,
    live: Arc<LiveCounters>,
    done: watch::Sender<bool>,
) {
    let checkpoint = StoreCheckpoint {
        shared: &shared,
        id,
    };
    let result = haul_download::run(
        &shared.client,
        &mut transfer,
        &mut control,
        &live,
        &checkpoint,
    )
    .await;
    let (state, error) = match result {
        Ok(Outcome::Completed { path, bytes }) => {
            tracing::info!(id, path = %path.display(), bytes, "download completed");
            (Some(DownloadState::Completed), None)
        }
        Ok(Outcome::Stopped(Signal::Cancel)) => (Some(DownloadState::Cancelled), None),
        Ok(Outcome::Stopped(_)) if shared.is_shutting_down() => (None, None),
        Ok(Outcome::Stopped(_)) => (Some(DownloadState::Paused), None),
        Err(error) => {
            let error = Error::from(error);
            tracing::warn!(id, code = ?error.code, message = %error.message, "download stopped by an error");
            // A full disk or a refused folder is fixed by the user, then resumed.
            let state = match error.code {
                ErrorCode::DiskFull | ErrorCode::PermissionDenied => DownloadState::Paused,
                _ => DownloadState::Failed,
            };
            (Some(state), Some(error))
        }
    };
    if let Some(state) = state
        && let Err(error) = record_end(&shared, id, state, error.as_ref()).await
    {
        tracing::error!(id, %error, "cannot record how the download ended");
    }
    lock(&shared.runner.workers).remove(&id);
    done.send_replace(true);
    if let Some(state) = state {
        shared.changed(id, state);
    }
    Runner::schedule(&shared).await;
}

async fn record_end(
    shared: &Shared,
    id: i64,
    state: DownloadState,
    error: Option<&Error>,
) -> Result<(), Error> {
    let code = error.map(|e| error_code_name(e.code));
    let error = error
        .zip(code.as_deref())
        .map(|(e, code)| (code, e.message.as_str()));
    shared
        .store
        .downloads()
        .set_state(id, state.as_str(), error)
        .await?;
    Ok(())
}

struct StoreCheckpoint<'a> {
    shared: &'a Shared,
    id: i64,
}

impl Checkpoint for StoreCheckpoint<'_> {
    async fn save(&self, state: &ResumeState) -> Result<(), CheckpointError> {
        let to_i64 = |n: u64| {
            i64::try_from(n)
                .map_err(|_| CheckpointError(format!("{n} bytes is too large to record")))
        };
        let record = ResumeRecord {
            file_name: state.file_name.as_deref(),
            total_bytes: state.total_bytes.map(to_i64).transpose()?,
            received_bytes: to_i64(state.received_bytes)?,
            etag: state.validator.etag.as_deref(),
            last_modified: state.validator.last_modified.as_deref(),
        };
        self.shared
            .store
            .downloads()
            .save_resume(self.id, &record)
            .await
            .map_err(|e| CheckpointError(e.to_string()))?;
        self.shared.events.publish(CoreEvent::DownloadCheckpoint {
            id: self.id,
            received_bytes: state.received_bytes,
        });
        Ok(())
    }
}

/// Bytes per second over the last few seconds of samples.
#[derive(Default)]
struct SpeedMeter {
    samples: VecDeque<(Instant, u64)>,
}

impl SpeedMeter {
    fn sample(&mut self, now: Instant, received: u64) -> u64 {
        self.samples.push_back((now, received));
        while self
            .samples
            .front()
            .is_some_and(|(at, _)| now.duration_since(*at) > SPEED_WINDOW)
        {
            self.samples.pop_front();
        }
        let Some(&(first_at, first_bytes)) = self.samples.front() else {
            return 0;
        };
        let elapsed = now.duration_since(first_at).as_secs_f64();
        if elapsed < 0.2 {
            return 0;
        }
        (received.saturating_sub(first_bytes) as f64 / elapsed) as u64
    }
}
