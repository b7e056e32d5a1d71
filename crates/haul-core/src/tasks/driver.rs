//! One driver per running task: it walks the task through the provider (add,
//! wait, list files, choose, unlock) and then watches its downloads, saving each
//! step so a restart continues from there. Every step reads the task from the
//! database and does the next thing, so the driver holds no state that a crash
//! could lose.

use std::collections::{HashMap, HashSet};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::Duration;

use haul_debrid::magnet::Magnet;
use haul_debrid::{DebridProvider, DirectLink, RemoteFile, RemotePhase, Unlocked};
use haul_store::downloads::NewDownload;
use haul_store::tasks::{NewTaskFile, ProviderProgress, TaskFileRow, TaskRow};
use tokio::sync::{broadcast, watch};

use super::rules::{self, Candidate};
use super::{FileSelection, TaskState, destinations, file_path, provider_of, set_task_state};
use crate::Shared;
use crate::allow_list::AllowList;
use crate::downloads::{DownloadState, Runner};
use crate::error::{Error, ErrorCode, Result};
use crate::events::CoreEvent;

/// Transient provider failures are retried this many times in a row.
const MAX_TRANSIENT_RETRIES: u32 = 8;
/// An expired link is unlocked again at most this often per file and run.
const MAX_RELINKS: u32 = 3;
/// A delayed link is given this long.
const DELAYED_LINK_LIMIT: Duration = Duration::from_secs(15 * 60);

/// How often the driver asks the provider; tests shorten these.
#[derive(Clone, Copy, Debug)]
pub struct TaskTimings {
    pub status_poll: Duration,
    pub delayed_poll: Duration,
    pub retry_base: Duration,
}

impl Default for TaskTimings {
    fn default() -> Self {
        Self {
            status_poll: Duration::from_secs(2),
            delayed_poll: Duration::from_secs(5),
            retry_base: Duration::from_secs(2),
        }
    }
}

pub(crate) struct TaskRunner {
    drivers: Mutex<HashMap<i64, Driver>>,
    allowed: AllowList,
    pub(crate) timings: TaskTimings,
}

struct Driver {
    stop: watch::Sender<bool>,
    done: watch::Receiver<bool>,
    /// Set when the task was started again while its driver was finishing: the
    /// driver then goes on instead of ending.
    rerun: Arc<AtomicBool>,
    handle: tokio::task::JoinHandle<()>,
}

fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

/// What the driver does after a step.
enum Next {
    Continue,
    /// Ask the provider again after a pause.
    Poll,
    /// Wait until one of the task's downloads changes.
    WatchDownloads,
    /// Nothing to do until the user acts.
    Done,
}

/// The driver was asked to stop in the middle of a step.
struct Stopped;

enum StepError {
    Stopped,
    Failed(Error),
}

impl From<Error> for StepError {
    fn from(error: Error) -> Self {
        Self::Failed(error)
    }
}

impl From<haul_debrid::DebridError> for StepError {
    fn from(error: haul_debrid::DebridError) -> Self {
        Self::Failed(error.into())
    }
}

impl From<haul_store::StoreError> for StepError {
    fn from(error: haul_store::StoreError) -> Self {
        Self::Failed(error.into())
    }
}

impl From<Stopped> for StepError {
    fn from(_: Stopped) -> Self {
        Self::Stopped
    }
}

type StepResult<T> = std::result::Result<T, StepError>;

impl TaskRunner {
    pub(crate) fn new(autostart: bool, timings: TaskTimings) -> Self {
        Self {
            drivers: Mutex::default(),
            allowed: AllowList::new(autostart),
            timings,
        }
    }

    pub(crate) fn allow(&self, id: i64) {
        self.allowed.allow(id);
    }

    pub(crate) fn forget(&self, id: i64) {
        self.allowed.forget(id);
    }

    /// Starts a driver for the task unless one runs.
    pub(crate) fn start(shared: &Arc<Shared>, id: i64) {
        if shared.is_shutting_down() || !shared.tasks.allowed.allows(id) {
            return;
        }
        // The driver marks itself done under this lock, so a start either reaches
        // a running driver or finds it done.
        let mut drivers = lock(&shared.tasks.drivers);
        if let Some(driver) = drivers.get(&id)
            && !*driver.done.borrow()
            && !*driver.stop.borrow()
        {
            driver.rerun.store(true, Ordering::SeqCst);
            return;
        }
        let (stop, stop_rx) = watch::channel(false);
        let (done_tx, done) = watch::channel(false);
        let rerun = Arc::new(AtomicBool::new(false));
        // Subscribed before the first step, so no download change is missed.
        let events = shared.events.subscribe();
        let handle = tokio::spawn(drive(
            Arc::clone(shared),
            id,
            stop_rx,
            done_tx,
            Arc::clone(&rerun),
            events,
        ));
        drivers.insert(
            id,
            Driver {
                stop,
                done,
                rerun,
                handle,
            },
        );
    }

    /// Starts drivers for every task that was running when the last process stopped.
    pub(crate) async fn resume_all(shared: &Arc<Shared>) -> Result<()> {
        let rows = shared
            .store
            .tasks()
            .list_in_states(&["queued", "resolving", "downloading", "verifying"])
            .await?;
        for row in rows {
            Self::start(shared, row.id);
        }
        Ok(())
    }

    /// Stops the task's driver and waits until it has.
    pub(crate) async fn stop(&self, id: i64) {
        let done = {
            let drivers = lock(&self.drivers);
            let Some(driver) = drivers.get(&id) else {
                return;
            };
            driver.stop.send_replace(true);
            driver.done.clone()
        };
        wait_done(done).await;
    }

    pub(crate) async fn stop_all(&self) {
        let waits: Vec<_> = lock(&self.drivers)
            .values()
            .map(|driver| {
                driver.stop.send_replace(true);
                driver.done.clone()
            })
            .collect();
        for done in waits {
            wait_done(done).await;
        }
    }

    pub(crate) fn abort_all(&self) {
        for driver in lock(&self.drivers).values() {
            driver.handle.abort();
        }
    }
}

async fn wait_done(mut done: watch::Receiver<bool>) {
    // An error means the driver is gone, which is also "done".
    let _ = done.wait_for(|finished| *finished).await;
}

/// Sleeps unless asked to stop first.
async fn pause(
    stop: &mut watch::Receiver<bool>,
    duration: Duration,
) -> std::result::Result<(), Stopped> {
    if *stop.borrow() {
        return Err(Stopped);
    }
    tokio::select! {
        () = tokio::time::sleep(duration) => Ok(()),
        _ = stop.wait_for(|stopped| *stopped) => Err(Stopped),
    }
}

/// Per-run memory that is fine to lose: counts of relinks by file.
#[derive(Default)]
struct RunMemory {
    relinks: HashMap<i64, u32>,
}

async fn drive(
    shared: Arc<Shared>,
    id: i64,
    mut stop: watch::Receiver<bool>,
    done: watch::Sender<bool>,
    rerun: Arc<AtomicBool>,
    mut events: broadcast::Receiver<CoreEvent>,
) {
    loop {
        drive_once(&shared, id, &mut stop, &mut events).await;
        let drivers = lock(&shared.tasks.drivers);
        if *stop.borrow() || !rerun.swap(false, Ordering::SeqCst) {
            done.send_replace(true);
            drop(drivers);
            return;
        }
    }
}

async fn drive_once(
    shared: &Arc<Shared>,
    id: i64,
    stop: &mut watch::Receiver<bool>,
    events: &mut broadcast::Receiver<CoreEvent>,
) {
    let shared = Arc::clone(shared);
    let timings = shared.tasks.timings;
    let mut transient_failures: u32 = 0;
    let mut memory = RunMemory::default();
    loop {
        if *stop.borrow() {
            break;
        }
        let waited = match step(&shared, id, stop, &mut memory).await {
            Ok(Next::Continue) => {
                transient_failures = 0;
                Ok(())
            }
            Ok(Next::Poll) => {
                transient_failures = 0;
                pause(stop, timings.status_poll).await
            }
            Ok(Next::WatchDownloads) => {
                transient_failures = 0;
                watch_downloads(&shared, id, stop, events).await
            }
            Ok(Next::Done) | Err(StepError::Stopped) => break,
            Err(StepError::Failed(error))
                if is_transient(&error) && transient_failures < MAX_TRANSIENT_RETRIES =>
            {
                transient_failures += 1;
                let delay = timings.retry_base * 2u32.saturating_pow(transient_failures - 1);
                let delay = delay.min(Duration::from_secs(120));
                tracing::warn!(id, code = ?error.code, message = %error.message, attempt = transient_failures, "provider call failed; retrying");
                note_status(&shared, id, &format!("Retrying: {}", error.message)).await;
                pause(stop, delay).await
            }
            Err(StepError::Failed(error)) => {
                tracing::warn!(id, code = ?error.code, message = %error.message, "task failed");
                if let Err(record) =
                    set_task_state(&shared, id, TaskState::Failed, Some(&error)).await
                {
                    tracing::error!(id, %record, "cannot record the task's failure");
                }
                break;
            }
        };
        if waited.is_err() {
            break;
        }
    }
}

fn is_transient(error: &Error) -> bool {
    matches!(
        error.code,
        ErrorCode::ProviderUnavailable | ErrorCode::Network
    )
}

async fn note_status(shared: &Shared, id: i64, status: &str) {
    let Ok(Some(row)) = shared.store.tasks().get(id).await else {
        return;
    };
    let progress = ProviderProgress {
        status,
        progress: row.provider_progress,
        speed: 0,
        seeders: row.seeders,
        total_bytes: None,
    };
    if shared
        .store
        .tasks()
        .set_provider_progress(id, &progress)
        .await
        .is_ok()
    {
        shared.task_changed(id, row.state.parse().unwrap_or(TaskState::Resolving));
    }
}

/// Waits for a change to one of the task's downloads (or any change, when events
/// were lost), or a stop.
async fn watch_downloads(
    shared: &Shared,
    id: i64,
    stop: &mut watch::Receiver<bool>,
    events: &mut broadcast::Receiver<CoreEvent>,
) -> std::result::Result<(), Stopped> {
    let mine: HashSet<i64> = match shared.store.downloads().list_for_task(id).await {
        Ok(rows) => rows.iter().map(|row| row.id).collect(),
        Err(_) => HashSet::new(),
    };
    loop {
        tokio::select! {
            event = events.recv() => match event {
                Ok(CoreEvent::DownloadChanged { id: changed, .. }) if mine.contains(&changed) => return Ok(()),
                Ok(CoreEvent::DownloadRemoved { id: removed }) if mine.contains(&removed) => return Ok(()),
                Ok(_) => {}
                Err(broadcast::error::RecvError::Lagged(_)) => return Ok(()),
                Err(broadcast::error::RecvError::Closed) => return Err(Stopped),
            },
            _ = stop.wait_for(|stopped| *stopped) => return Err(Stopped),
        }
    }
}

async fn set_state_if(shared: &Shared, row: &TaskRow, state: TaskState) -> Result<()> {
    if row.state != state.as_str() || row.error_code.is_some() {
        set_task_state(shared, row.id, state, None).await?;
    }
    Ok(())
}

async fn record_remote(
    shared: &Shared,
    row: &TaskRow,
    status: &haul_debrid::RemoteStatus,
) -> Result<()> {
    let progress = ProviderProgress {
        status: &status.message,
        progress: status.progress,
        speed: i64::try_from(status.bytes_per_second).unwrap_or(i64::MAX),
        seeders: status.seeders.map(i64::from),
        total_bytes: status.size.and_then(|size| i64::try_from(size).ok()),
    };
    shared
        .store
        .tasks()
        .set_provider_progress(row.id, &progress)
        .await?;
    shared.task_changed(row.id, row.state.parse().unwrap_or(TaskState::Resolving));
    Ok(())
}

fn remote_failed(client: &dyn DebridProvider, status: &haul_debrid::RemoteStatus) -> Error {
    Error::new(
        ErrorCode::ProviderFailed,
        format!(
            "{} could not fetch the torrent: {}. Retry to try again.",
            client.kind().label(),
            status.message
        ),
    )
}

/// One step of the task's life; see the module documentation.
async fn step(
    shared: &Arc<Shared>,
    id: i64,
    stop: &mut watch::Receiver<bool>,
    memory: &mut RunMemory,
) -> StepResult<Next> {
    let Some(row) = shared.store.tasks().get(id).await? else {
        return Ok(Next::Done);
    };
    let state: TaskState = row.state.parse()?;
    if !state.is_running() {
        return Ok(Next::Done);
    }
    let provider = provider_of(&row)?;
    let client = shared.providers.get(shared, provider).await?;

    // 1. Hand the torrent to the provider.
    let Some(remote_id) = row.remote_id.clone() else {
        set_state_if(shared, &row, TaskState::Resolving).await?;
        let added = match &row.torrent {
            Some(bytes) => {
                client
                    .add_torrent(&format!("{}.torrent", row.info_hash), bytes)
                    .await?
            }
            None => {
                let magnet = Magnet::parse(&row.magnet).map_err(Error::from)?;
                client.add_magnet(&magnet).await?
            }
        };
        tracing::info!(id, remote_id = %added.remote_id, ready = added.ready, "provider accepted the torrent");
        let name = added.name.as_deref().filter(|n| !n.trim().is_empty());
        // A name from the magnet's dn stays; a bare hash takes the provider's name.
        let name = name.filter(|_| row.name == row.info_hash);
        shared
            .store
            .tasks()
            .set_remote(id, Some(&added.remote_id), name)
            .await?;
        return Ok(Next::Continue);
    };

    // 2. Wait until the provider lists the files.
    let files = shared.store.tasks().files(id).await?;
    if files.is_empty() {
        set_state_if(shared, &row, TaskState::Resolving).await?;
        let status = client.status(&remote_id).await?;
        record_remote(shared, &row, &status).await?;
        return match status.phase {
            RemotePhase::Failed => Err(remote_failed(client.as_ref(), &status).into()),
            RemotePhase::Ready | RemotePhase::WaitingSelection => {
                let listed = client.files(&remote_id).await?;
                save_files(shared, id, &listed).await?;
                tracing::info!(id, files = listed.len(), "provider listed the files");
                Ok(Next::Continue)
            }
            _ => Ok(Next::Poll),
        };
    }

    // 3. Choose the files.
    if !row.files_chosen {
        let selection: FileSelection = serde_json::from_str(&row.selection).unwrap_or_default();
        let paths: Vec<String> = files.iter().map(|f| file_path(f).join("/")).collect();
        let candidates: Vec<Candidate<'_>> = files
            .iter()
            .zip(&paths)
            .map(|(file, path)| Candidate {
                path,
                size: u64::try_from(file.size).unwrap_or(0),
            })
            .collect();
        let chosen = match &selection {
            FileSelection::Manual => Vec::new(),
            FileSelection::Auto => rules::by_rules(&shared.settings().debrid.rules, &candidates)?,
            FileSelection::Globs { globs } => {
                let chosen = rules::by_globs(globs, &candidates)?;
                if chosen.is_empty() {
                    return Err(Error::new(
                        ErrorCode::InvalidInput,
                        format!(
                            "No file of this torrent matches {}; its files are: {}.",
                            globs.join(", "),
                            summarize(&paths)
                        ),
                    )
                    .into());
                }
                chosen
            }
        };
        if chosen.is_empty() {
            // Nothing chosen by rule: the user picks.
            set_state_if(shared, &row, TaskState::Selecting).await?;
            return Ok(Next::Done);
        }
        let chosen: Vec<i64> = chosen
            .iter()
            .filter_map(|index| files.get(*index).map(|f| f.idx))
            .collect();
        shared.store.tasks().choose_files(id, &chosen).await?;
        return Ok(Next::Continue);
    }
    let chosen: Vec<&TaskFileRow> = files.iter().filter(|f| f.selected).collect();

    // 4. Providers that download only chosen files are told which.
    let capabilities = client.capabilities();
    if capabilities.preselect_files && !row.remote_selected {
        let ids: Vec<String> = chosen.iter().map(|f| f.remote_id.clone()).collect();
        client.select_files(&remote_id, &ids).await?;
        shared.store.tasks().set_remote_selected(id).await?;
        return Ok(Next::Continue);
    }

    // 5. Unlock the chosen files and queue their downloads.
    let missing: Vec<&TaskFileRow> = chosen
        .iter()
        .copied()
        .filter(|f| f.download_id.is_none())
        .collect();
    if !missing.is_empty() {
        set_state_if(shared, &row, TaskState::Resolving).await?;
        let status = client.status(&remote_id).await?;
        record_remote(shared, &row, &status).await?;
        match status.phase {
            RemotePhase::Ready => {}
            RemotePhase::Failed => return Err(remote_failed(client.as_ref(), &status).into()),
            _ => return Ok(Next::Poll),
        }
        if capabilities.preselect_files && missing.iter().any(|f| f.link.is_none()) {
            // Links appear once the provider has the chosen files.
            let listed = client.files(&remote_id).await?;
            save_files(shared, id, &listed).await?;
            let files = shared.store.tasks().files(id).await?;
            if files
                .iter()
                .any(|f| f.selected && f.download_id.is_none() && f.link.is_none())
            {
                return Err(Error::new(
                    ErrorCode::ProviderProtocol,
                    format!(
                        "{} is ready but gave no link for some chosen files.",
                        client.kind().label()
                    ),
                )
                .into());
            }
            return Ok(Next::Continue);
        }
        let all_paths: Vec<Vec<String>> = files.iter().map(file_path).collect();
        let targets = destinations(std::path::Path::new(&row.dir), &row.name, &all_paths);
        for file in missing {
            let target = files
                .iter()
                .position(|f| f.idx == file.idx)
                .and_then(|position| targets.get(position).cloned().flatten())
                .ok_or_else(|| {
                    Error::new(
                        ErrorCode::InvalidInput,
                        format!(
                            "The file name {:?} cannot be used safely.",
                            file_path(file).join("/")
                        ),
                    )
                })?;
            let link = direct_link(shared, client.as_ref(), &remote_id, file, stop).await?;
            queue_download(shared, &row, file, &target, &link).await?;
        }
        set_state_if(shared, &row, TaskState::Downloading).await?;
        Runner::schedule(shared).await;
        return Ok(Next::Continue);
    }

    // 6. Watch the downloads.
    watch_step(
        shared,
        &row,
        client.as_ref(),
        &remote_id,
        &chosen,
        stop,
        memory,
    )
    .await
}

async fn watch_step(
    shared: &Arc<Shared>,
    row: &TaskRow,
    client: &dyn DebridProvider,
    remote_id: &str,
    chosen: &[&TaskFileRow],
    stop: &mut watch::Receiver<bool>,
    memory: &mut RunMemory,
) -> StepResult<Next> {
    let id = row.id;
    let downloads = shared.store.downloads().list_for_task(id).await?;
    let mut states = Vec::with_capacity(downloads.len());
    for download in &downloads {
        shared.runner.allow(download.id);
        let state: DownloadState = download.state.parse()?;
        if state == DownloadState::Failed && download.error_code.as_deref() == Some("LinkRefused") {
            // An expired or refused link is unlocked again, not failed.
            let relinks = memory.relinks.entry(download.id).or_default();
            *relinks += 1;
            if *relinks <= MAX_RELINKS
                && let Some(file) = chosen.iter().find(|f| f.download_id == Some(download.id))
            {
                tracing::info!(
                    id,
                    download = download.id,
                    "link refused; unlocking it again"
                );
                let link = direct_link(shared, client, remote_id, file, stop).await?;
                shared
                    .store
                    .downloads()
                    .set_url(download.id, &link.url)
                    .await?;
                shared
                    .store
                    .downloads()
                    .set_state(download.id, DownloadState::Queued.as_str(), None)
                    .await?;
                shared.changed(download.id, DownloadState::Queued);
                Runner::schedule(shared).await;
                return Ok(Next::Continue);
            }
        }
        states.push((state, download));
    }
    if let Some((_, failed)) = states.iter().find(|(s, _)| *s == DownloadState::Failed) {
        let message = failed
            .error_message
            .clone()
            .unwrap_or_else(|| "a file failed to download".to_string());
        let code = failed
            .error_code
            .as_deref()
            .map(crate::downloads::parse_code)
            .unwrap_or(ErrorCode::Internal);
        let name = failed.file_name.clone().unwrap_or_default();
        return Err(Error::new(code, format!("{name}: {message}")).into());
    }
    let all_done = !states.is_empty()
        && states
            .iter()
            .all(|(s, _)| matches!(s, DownloadState::Completed));
    if all_done {
        set_state_if(shared, row, TaskState::Completed).await?;
        tracing::info!(id, files = states.len(), "task completed");
        return Ok(Next::Done);
    }
    let moving = states.iter().any(|(s, _)| {
        matches!(
            s,
            DownloadState::Queued | DownloadState::Active | DownloadState::Verifying
        )
    });
    if !moving {
        // Every unfinished file is paused (by the user, or a full disk).
        let error = states
            .iter()
            .find_map(|(_, d)| d.error_code.as_deref().zip(d.error_message.as_deref()))
            .map(|(code, message)| Error::new(crate::downloads::parse_code(code), message));
        set_task_state(shared, id, TaskState::Paused, error.as_ref()).await?;
        return Ok(Next::Done);
    }
    let verifying = states.iter().any(|(s, _)| *s == DownloadState::Verifying);
    let state = if verifying {
        TaskState::Verifying
    } else {
        TaskState::Downloading
    };
    set_state_if(shared, row, state).await?;
    Ok(Next::WatchDownloads)
}

async fn save_files(shared: &Shared, id: i64, listed: &[RemoteFile]) -> Result<()> {
    let paths: Vec<String> = listed
        .iter()
        .map(|f| serde_json::to_string(&f.path))
        .collect::<std::result::Result<_, _>>()
        .map_err(Error::internal)?;
    let rows: Vec<NewTaskFile<'_>> = listed
        .iter()
        .zip(&paths)
        .map(|(file, path)| NewTaskFile {
            remote_id: &file.id,
            path,
            size: i64::try_from(file.size).unwrap_or(i64::MAX),
            link: file.link.as_deref(),
        })
        .collect();
    shared.store.tasks().save_files(id, &rows).await?;
    Ok(())
}

/// A direct link for one file, waiting out a delayed one.
async fn direct_link(
    shared: &Shared,
    client: &dyn DebridProvider,
    remote_id: &str,
    file: &TaskFileRow,
    stop: &mut watch::Receiver<bool>,
) -> StepResult<DirectLink> {
    let remote_file = RemoteFile {
        id: file.remote_id.clone(),
        path: file_path(file),
        size: u64::try_from(file.size).unwrap_or(0),
        link: file.link.clone(),
    };
    let delayed_id = match client.unlock(remote_id, &remote_file).await? {
        Unlocked::Ready(link) => return Ok(link),
        Unlocked::Delayed { id } => id,
    };
    tracing::info!(
        task = file.task_id,
        "the provider prepares the link; waiting"
    );
    let poll = shared.tasks.timings.delayed_poll;
    let started = tokio::time::Instant::now();
    while started.elapsed() < DELAYED_LINK_LIMIT {
        pause(stop, poll).await?;
        if let Some(link) = client.delayed(&delayed_id).await? {
            return Ok(link);
        }
    }
    Err(Error::new(
        ErrorCode::ProviderUnavailable,
        format!(
            "{} did not prepare the link within 15 minutes.",
            client.kind().label()
        ),
    )
    .into())
}

async fn queue_download(
    shared: &Arc<Shared>,
    row: &TaskRow,
    file: &TaskFileRow,
    target: &std::path::Path,
    link: &DirectLink,
) -> Result<()> {
    let url = crate::downloads::parse_http_url(&link.url).map_err(|_| {
        Error::new(
            ErrorCode::ProviderProtocol,
            format!(
                "The provider's link for {} is not an http(s) link.",
                file_path(file).join("/")
            ),
        )
    })?;
    let (Some(dir), Some(name)) = (target.parent(), target.file_name().and_then(|n| n.to_str()))
    else {
        return Err(Error::internal("a task file has no folder or name"));
    };
    tokio::fs::create_dir_all(dir)
        .await
        .map_err(|e| Error::from_io(&format!("Cannot create {}", dir.display()), &e))?;
    let settings = shared.settings();
    let dir_text = dir.display().to_string();
    // A crash between the insert and recording it must not queue the file twice.
    let existing = shared
        .store
        .downloads()
        .list_for_task(row.id)
        .await?
        .into_iter()
        .find(|d| d.dir == dir_text && d.file_name.as_deref() == Some(name));
    let download = match existing {
        Some(download) => download,
        None => {
            shared
                .store
                .downloads()
                .insert(&NewDownload {
                    url: url.as_str(),
                    dir: &dir_text,
                    connections: i64::from(settings.connections_per_download),
                    speed_limit: None,
                    sha256: None,
                    file_name: Some(name),
                    task_id: Some(row.id),
                    account: None,
                    headers: None,
                    mtime: None,
                })
                .await?
        }
    };
    shared
        .store
        .tasks()
        .set_file_download(row.id, file.idx, download.id)
        .await?;
    shared.runner.allow(download.id);
    shared.changed(download.id, DownloadState::Queued);
    tracing::info!(task = row.id, download = download.id, "task file queued");
    Ok(())
}

fn summarize(paths: &[String]) -> String {
    const SHOWN: usize = 5;
    let mut text = paths
        .iter()
        .take(SHOWN)
        .cloned()
        .collect::<Vec<_>>()
        .join(", ");
    if paths.len() > SHOWN {
        text.push_str(&format!(" and {} more", paths.len() - SHOWN));
    }
    text
}
