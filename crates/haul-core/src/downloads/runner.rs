//! The job runner: starts queued downloads up to the active limit, one worker task
//! each, and records how each one ends.

use std::collections::{HashMap, VecDeque};
use std::path::PathBuf;
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::{Duration, Instant};

use haul_download::{
    Checkpoint, CheckpointError, ExpectedHash, HashAlgorithm, LiveCounters, Options, Outcome,
    RateLimiter, ResumeState, Segment, Signal, Transfer, Validator,
};
use haul_store::downloads::{DownloadRow, ResumeRecord};
use tokio::sync::watch;
use tokio::task::JoinHandle;

use super::{DownloadState, ProgressSnapshot, SegmentProgress, TransferProgress, error_code_name};
use crate::Shared;
use crate::allow_list::AllowList;
use crate::error::{Error, ErrorCode};
use crate::events::CoreEvent;

/// Speed is averaged over this window.
const SPEED_WINDOW: Duration = Duration::from_secs(3);
/// Queued rows read per page beyond the free slots (rows the allow-list skips).
const QUEUE_PAGE_SLACK: usize = 16;

pub(crate) struct Runner {
    workers: Mutex<HashMap<i64, Worker>>,
    allowed: AllowList,
    /// One scheduling pass at a time, so no download starts twice.
    scheduling: tokio::sync::Mutex<()>,
    /// The settings' limit for all downloads together.
    global_limit: Arc<RateLimiter>,
}

struct Worker {
    control: watch::Sender<Signal>,
    done: watch::Receiver<bool>,
    live: Arc<LiveCounters>,
    verifying: Arc<AtomicBool>,
    own_limit: Arc<RateLimiter>,
    /// The whole transfer's speed, and each segment's by its start.
    speed: Mutex<(SpeedMeter, HashMap<u64, SpeedMeter>)>,
    handle: JoinHandle<()>,
}

fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    // A panicking holder cannot leave these maps half-updated in a harmful way.
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

impl Runner {
    pub(crate) fn new(autostart: bool, speed_limit: u64) -> Self {
        Self {
            workers: Mutex::default(),
            allowed: AllowList::new(autostart),
            scheduling: tokio::sync::Mutex::default(),
            global_limit: Arc::new(RateLimiter::new(speed_limit)),
        }
    }

    pub(crate) fn set_global_limit(&self, bytes_per_second: u64) {
        self.global_limit.set_rate(bytes_per_second);
    }

    pub(crate) fn set_speed_limit(&self, id: i64, bytes_per_second: u64) {
        if let Some(worker) = lock(&self.workers).get(&id) {
            worker.own_limit.set_rate(bytes_per_second);
        }
    }

    pub(crate) fn allow(&self, id: i64) {
        self.allowed.allow(id);
    }

    pub(crate) fn forget(&self, id: i64) {
        self.allowed.forget(id);
    }

    /// Starts queued downloads, in queue order, until the active limit is reached.
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
        // Page through the queue instead of reading all of it: with thousands
        // queued, each download's end would otherwise read every row again.
        let (mut position, mut id) = (i64::MIN, i64::MIN);
        loop {
            let free = limit.saturating_sub(lock(&runner.workers).len());
            if free == 0 {
                return Ok(());
            }
            let page = free.saturating_add(QUEUE_PAGE_SLACK);
            let queued = shared
                .store
                .downloads()
                .queued_after(position, id, i64::try_from(page).unwrap_or(i64::MAX))
                .await?;
            let Some(last) = queued.last() else {
                return Ok(());
            };
            (position, id) = (last.position, last.id);
            for row in queued {
                if lock(&runner.workers).len() >= limit {
                    return Ok(());
                }
                if !runner.allowed.allows(row.id) || lock(&runner.workers).contains_key(&row.id) {
                    continue;
                }
                Self::start(shared, row).await?;
            }
        }
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
        let segments = match row
            .segments
            .as_deref()
            .map(serde_json::from_str::<Vec<Segment>>)
        {
            Some(Ok(segments)) => segments,
            Some(Err(error)) => {
                // Unreadable progress is refetched rather than trusted.
                tracing::warn!(id, %error, "stored segments unreadable; starting the file over");
                Vec::new()
            }
            None => Vec::new(),
        };
        let headers = super::request::request_headers(shared, &row, &url);
        let transfer = Transfer {
            url,
            dir: PathBuf::from(&row.dir),
            state: ResumeState {
                file_name: row.file_name.clone(),
                total_bytes: row.total_bytes.and_then(|t| u64::try_from(t).ok()),
                validator: Validator {
                    etag: row.etag.clone(),
                    last_modified: row.last_modified.clone(),
                },
                segments,
            },
            headers,
        };
        let own_limit = Arc::new(RateLimiter::new(
            row.speed_limit
                .and_then(|l| u64::try_from(l).ok())
                .unwrap_or(0),
        ));
        let expected_hash = row
            .sha256
            .as_deref()
            .map(|hex| ExpectedHash::parse(HashAlgorithm::Sha256, hex))
            .transpose()
            .map_err(Error::from)?;
        let options = Options {
            connections: usize::try_from(row.connections).unwrap_or(1),
            expected_hash,
            limiters: vec![
                Arc::clone(&shared.runner.global_limit),
                Arc::clone(&own_limit),
            ],
            ..Options::default()
        };
        shared
            .store
            .downloads()
            .set_state(id, DownloadState::Active.as_str(), None)
            .await?;
        let (control, control_rx) = watch::channel(Signal::Run);
        let (done_tx, done) = watch::channel(false);
        let live = Arc::new(LiveCounters::default());
        let verifying = Arc::new(AtomicBool::new(false));
        let job = Job {
            id,
            mtime: row.mtime,
            transfer,
            options,
            control: control_rx,
            live: Arc::clone(&live),
            verifying: Arc::clone(&verifying),
        };
        let handle = tokio::spawn(work(Arc::clone(shared), job, done_tx));
        lock(&shared.runner.workers).insert(
            id,
            Worker {
                control,
                done,
                live,
                verifying,
                own_limit,
                speed: Mutex::new((SpeedMeter::default(), HashMap::new())),
                handle,
            },
        );
        shared.changed(id, DownloadState::Active);
        tracing::info!(id, "download started");
        Ok(())
    }

    /// Pauses a download that is still queued, holding the scheduler off so it
    /// cannot start it meanwhile. False when it is no longer queued.
    pub(crate) async fn pause_if_queued(shared: &Arc<Shared>, id: i64) -> Result<bool, Error> {
        let _pass = shared.runner.scheduling.lock().await;
        let queued = shared
            .store
            .downloads()
            .get(id)
            .await?
            .is_some_and(|row| row.state == DownloadState::Queued.as_str());
        if queued {
            shared
                .store
                .downloads()
                .set_state(id, DownloadState::Paused.as_str(), None)
                .await?;
            shared.changed(id, DownloadState::Paused);
        }
        Ok(queued)
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
                let live_segments = worker.live.segments();
                let mut meters = lock(&worker.speed);
                let (overall, by_segment) = &mut *meters;
                let speed = overall.sample(now, received);
                by_segment
                    .retain(|start, _| live_segments.iter().any(|s| s.start == *start && s.active));
                let segments: Vec<SegmentProgress> = live_segments
                    .iter()
                    .map(|segment| SegmentProgress {
                        start: segment.start,
                        end: segment.end,
                        received: segment.received,
                        active: segment.active,
                        bytes_per_second: if segment.active {
                            by_segment
                                .entry(segment.start)
                                .or_default()
                                .sample(now, segment.received)
                        } else {
                            0
                        },
                    })
                    .collect();
                let eta_seconds = match (total, speed) {
                    (Some(total), speed) if speed > 0 => {
                        Some(total.saturating_sub(received).div_ceil(speed))
                    }
                    _ => None,
                };
                let state = if worker.verifying.load(Ordering::Relaxed) {
                    DownloadState::Verifying
                } else {
                    DownloadState::Active
                };
                TransferProgress {
                    id: *id,
                    state,
                    received_bytes: received,
                    total_bytes: total,
                    bytes_per_second: speed,
                    eta_seconds,
                    connections: u32::try_from(segments.iter().filter(|s| s.active).count())
                        .unwrap_or(u32::MAX),
                    segments,
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

/// Everything one worker task owns.
struct Job {
    id: i64,
    /// The finished file's modification time (a post's date), Unix seconds.
    mtime: Option<i64>,
    transfer: Transfer,
    options: Options,
    control: watch::Receiver<Signal>,
    live: Arc<LiveCounters>,
    verifying: Arc<AtomicBool>,
}

async fn work(shared: Arc<Shared>, mut job: Job, done: watch::Sender<bool>) {
    let id = job.id;
    let checkpoint = StoreCheckpoint {
        shared: &shared,
        id,
        verifying: &job.verifying,
    };
    let result = haul_download::run(
        &shared.client,
        &mut job.transfer,
        &job.control,
        &job.live,
        &checkpoint,
        &job.options,
    )
    .await;
    let mut completed_path = None;
    let (state, error) = match result {
        Ok(Outcome::Completed { path, bytes }) => {
            tracing::info!(id, path = %path.display(), bytes, "download completed");
            if let Some(mtime) = job.mtime {
                super::request::set_mtime(&path, mtime);
            }
            completed_path = Some(path);
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
    // Into the library before anyone waiting hears it is done: `haul get` then
    // exits with the file hashed and, if a copy was already there, linked.
    if let Some(path) = completed_path
        && let Err(error) = crate::library::ingest_download(&shared, id, &path).await
    {
        tracing::warn!(id, %error, "cannot add the finished file to the library");
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
    verifying: &'a AtomicBool,
}

impl Checkpoint for StoreCheckpoint<'_> {
    async fn save(&self, state: &ResumeState) -> Result<(), CheckpointError> {
        let to_i64 = |n: u64| {
            i64::try_from(n)
                .map_err(|_| CheckpointError(format!("{n} bytes is too large to record")))
        };
        let segments =
            serde_json::to_string(&state.segments).map_err(|e| CheckpointError(e.to_string()))?;
        let received = state.received_bytes();
        let record = ResumeRecord {
            file_name: state.file_name.as_deref(),
            total_bytes: state.total_bytes.map(to_i64).transpose()?,
            received_bytes: to_i64(received)?,
            segments: Some(&segments),
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
            received_bytes: received,
        });
        Ok(())
    }

    async fn verifying(&self) -> Result<(), CheckpointError> {
        self.verifying.store(true, Ordering::Relaxed);
        self.shared
            .store
            .downloads()
            .set_state(self.id, DownloadState::Verifying.as_str(), None)
            .await
            .map_err(|e| CheckpointError(e.to_string()))?;
        self.shared.changed(self.id, DownloadState::Verifying);
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
