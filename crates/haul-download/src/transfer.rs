//! One URL streamed into one file, resumable at every checkpoint.

use std::io::{self, SeekFrom};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use futures_util::StreamExt;
use reqwest::header::{self, HeaderMap};
use reqwest::{Client, Response, StatusCode};
use tokio::fs::{File, OpenOptions};
use tokio::io::{AsyncSeekExt, AsyncWriteExt, BufWriter};
use tokio::sync::watch;
use url::Url;

use crate::Error;
use crate::filename::{self, numbered, path_inside};

/// Progress is recorded at least this often while bytes arrive, and after this many
/// bytes, whichever comes first: it bounds what a crash can make us fetch again.
const CHECKPOINT_BYTES: u64 = 8 << 20;
const CHECKPOINT_INTERVAL: Duration = Duration::from_secs(1);
const WRITE_BUFFER: usize = 1 << 20;
const MAX_ATTEMPTS: u32 = 5;
const MAX_NAME_ALTERNATIVES: u32 = 1000;

/// What identifies one version of the remote file.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Validator {
    pub etag: Option<String>,
    pub last_modified: Option<String>,
}

impl Validator {
    fn from_headers(headers: &HeaderMap) -> Self {
        let text = |name| {
            headers
                .get(name)
                .and_then(|v: &header::HeaderValue| v.to_str().ok())
                .map(str::to_string)
        };
        Self {
            etag: text(header::ETAG),
            last_modified: text(header::LAST_MODIFIED),
        }
    }

    /// The `If-Range` value: a strong ETag, else Last-Modified. A weak ETag cannot
    /// be used with If-Range (RFC 9110 §13.1.5).
    fn if_range(&self) -> Option<&str> {
        self.etag
            .as_deref()
            .filter(|etag| !etag.starts_with("W/"))
            .or(self.last_modified.as_deref())
    }
}

/// Everything needed to continue a transfer after a restart. The engine hands it to
/// [`Checkpoint::save`] only when `received_bytes` are flushed to disk.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ResumeState {
    /// Chosen from the first response and then fixed, so a restart reuses the same
    /// `.part` file instead of creating "name (1)".
    pub file_name: Option<String>,
    pub total_bytes: Option<u64>,
    pub received_bytes: u64,
    pub validator: Validator,
}

#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct CheckpointError(pub String);

/// Where the engine records progress; implemented by the caller over its store.
pub trait Checkpoint: Send + Sync {
    fn save(&self, state: &ResumeState)
    -> impl Future<Output = Result<(), CheckpointError>> + Send;
}

/// What the owner of a transfer asks of it; checked between chunks.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Signal {
    Run,
    Pause,
    Cancel,
}

/// The receiving end of the owner's [`Signal`]s. A dropped sender counts as Pause.
pub type Control = watch::Receiver<Signal>;

/// Live counters that the worker bumps and a progress ticker reads.
#[derive(Debug)]
pub struct LiveCounters {
    received: AtomicU64,
    total: AtomicU64,
}

const UNKNOWN_TOTAL: u64 = u64::MAX;

impl Default for LiveCounters {
    fn default() -> Self {
        Self {
            received: AtomicU64::new(0),
            total: AtomicU64::new(UNKNOWN_TOTAL),
        }
    }
}

impl LiveCounters {
    pub fn received(&self) -> u64 {
        self.received.load(Ordering::Relaxed)
    }

    pub fn total(&self) -> Option<u64> {
        Some(self.total.load(Ordering::Relaxed)).filter(|t| *t != UNKNOWN_TOTAL)
    }

    fn set(&self, received: u64, total: Option<u64>) {
        self.received.store(received, Ordering::Relaxed);
        self.total
            .store(total.unwrap_or(UNKNOWN_TOTAL), Ordering::Relaxed);
    }
}

/// One download: where from, where to, and how far it got.
#[derive(Clone, Debug)]
pub struct Transfer {
    pub url: Url,
    pub dir: PathBuf,
    pub state: ResumeState,
}

#[derive(Debug, PartialEq, Eq)]
pub enum Outcome {
    /// The file is complete under `path`, its final name.
    Completed { path: PathBuf, bytes: u64 },
    /// Stopped on request; the state is checkpointed and the `.part` file kept.
    Stopped(Signal),
}

/// Downloads `transfer` until it completes, fails, or `control` asks it to stop.
/// Transient faults are retried with exponential backoff.
pub async fn run(
    client: &Client,
    transfer: &mut Transfer,
    control: &mut Control,
    live: &LiveCounters,
    checkpoint: &impl Checkpoint,
) -> Result<Outcome, Error> {
    let mut failures = 0;
    loop {
        let before = transfer.state.received_bytes;
        let error = match attempt(client, transfer, control, live, checkpoint).await {
            Ok(Step::Done(outcome)) => return Ok(outcome),
            Ok(Step::StartOver) => continue,
            Err(error) => error,
        };
        if transfer.state.received_bytes > before {
            failures = 0;
        }
        failures += 1;
        if !error.is_transient() || failures >= MAX_ATTEMPTS {
            return Err(error);
        }
        let delay = Duration::from_millis(500 << failures.min(6));
        tracing::warn!(url = %transfer.url, %error, ?delay, "transfer interrupted; retrying");
        tokio::select! {
            () = tokio::time::sleep(delay) => {}
            signal = stop_requested(control) => return Ok(Outcome::Stopped(signal)),
        }
    }
}

enum Step {
    Done(Outcome),
    /// The remote file changed under us: the state was reset to nothing received.
    StartOver,
}

async fn attempt(
    client: &Client,
    transfer: &mut Transfer,
    control: &mut Control,
    live: &LiveCounters,
    checkpoint: &impl Checkpoint,
) -> Result<Step, Error> {
    let signal = *control.borrow_and_update();
    if signal != Signal::Run {
        return Ok(Step::Done(Outcome::Stopped(signal)));
    }
    let dir = transfer.dir.clone();
    let state = &mut transfer.state;

    let mut part = match state.file_name.clone() {
        Some(name) => {
            if let Some(done) = already_finished(&dir, &name, state).await {
                return Ok(Step::Done(done));
            }
            Some(open_part(&dir, &name, state).await?)
        }
        None => None,
    };

    let mut request = client.get(transfer.url.clone());
    if state.received_bytes > 0 {
        request = request.header(header::RANGE, format!("bytes={}-", state.received_bytes));
        if let Some(value) = state.validator.if_range() {
            request = request.header(header::IF_RANGE, value);
        }
    }
    let response = tokio::select! {
        response = request.send() => response.map_err(Error::Network)?,
        signal = stop_requested(control) => return Ok(Step::Done(Outcome::Stopped(signal))),
    };

    let status = response.status();
    match status {
        StatusCode::PARTIAL_CONTENT => {
            let asked = state.received_bytes;
            let range = response
                .headers()
                .get(header::CONTENT_RANGE)
                .and_then(|v| v.to_str().ok())
                .unwrap_or("");
            let (start, total) =
                parse_content_range(range).ok_or_else(|| Error::RangeMismatch {
                    asked,
                    got: range.to_string(),
                })?;
            if asked == 0 || start != asked {
                return Err(Error::RangeMismatch {
                    asked,
                    got: range.to_string(),
                });
            }
            if let (Some(known), Some(now)) = (state.total_bytes, total)
                && known != now
            {
                // No validator caught it, but the size did: never splice versions.
                tracing::info!(url = %transfer.url, known, now, "remote file changed size; starting over");
                reset(state, part.as_mut()).await?;
                checkpoint.save(state).await?;
                return Ok(Step::StartOver);
            }
            state.total_bytes = total.or(state.total_bytes);
        }
        StatusCode::OK => {
            if state.received_bytes > 0 {
                tracing::info!(url = %transfer.url, "server sent the whole file instead of a range; starting over");
            }
            state.received_bytes = 0;
            state.total_bytes = response.content_length();
            state.validator = Validator::from_headers(response.headers());
        }
        StatusCode::RANGE_NOT_SATISFIABLE if state.received_bytes > 0 => {
            // Our offset is past the end: the file shrank or changed.
            reset(state, part.as_mut()).await?;
            checkpoint.save(state).await?;
            return Ok(Step::StartOver);
        }
        StatusCode::FORBIDDEN | StatusCode::GONE => {
            return Err(Error::LinkRefused(status.as_u16()));
        }
        other => return Err(Error::HttpStatus(other.as_u16())),
    }

    let file = match part {
        Some(file) => file,
        None => {
            let (name, file) = reserve_name(&dir, &suggested_name(&response)).await?;
            state.file_name = Some(name);
            file
        }
    };
    file.set_len(state.received_bytes)
        .await
        .map_err(|e| Error::io("cannot prepare the partial file", e))?;
    // The name, size and validator are recorded before the first byte is written.
    checkpoint.save(state).await?;
    live.set(state.received_bytes, state.total_bytes);

    if let Some(signal) = stream_body(response, file, state, control, live, checkpoint).await? {
        return Ok(Step::Done(Outcome::Stopped(signal)));
    }
    if let Some(expected) = state.total_bytes
        && state.received_bytes != expected
    {
        return Err(Error::Truncated {
            received: state.received_bytes,
            expected,
        });
    }
    let name = state.file_name.clone().unwrap_or_default();
    let (final_name, path) = publish(&dir, &name).await?;
    if final_name != name {
        state.file_name = Some(final_name);
        checkpoint.save(state).await?;
    }
    Ok(Step::Done(Outcome::Completed {
        path,
        bytes: state.received_bytes,
    }))
}

/// Streams the body after `state.received_bytes`. Returns the signal that stopped
/// it early, or `None` when the body ended.
async fn stream_body(
    response: Response,
    mut file: File,
    state: &mut ResumeState,
    control: &mut Control,
    live: &LiveCounters,
    checkpoint: &impl Checkpoint,
) -> Result<Option<Signal>, Error> {
    file.seek(SeekFrom::Start(state.received_bytes))
        .await
        .map_err(|e| Error::io("cannot seek in the partial file", e))?;
    let mut writer = BufWriter::with_capacity(WRITE_BUFFER, file);
    let mut written = state.received_bytes;
    let mut body = response.bytes_stream();
    let mut ticker = tokio::time::interval(CHECKPOINT_INTERVAL);
    ticker.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);

    loop {
        tokio::select! {
            biased;
            signal = stop_requested(control) => {
                persist(&mut writer, state, written, checkpoint).await?;
                return Ok(Some(signal));
            }
            chunk = body.next() => match chunk {
                Some(Ok(bytes)) => {
                    writer.write_all(&bytes).await.map_err(|e| Error::io("cannot write the partial file", e))?;
                    written += bytes.len() as u64;
                    live.set(written, state.total_bytes);
                    if written - state.received_bytes >= CHECKPOINT_BYTES {
                        persist(&mut writer, state, written, checkpoint).await?;
                    }
                }
                Some(Err(error)) => {
                    persist(&mut writer, state, written, checkpoint).await?;
                    return Err(Error::Network(error));
                }
                None => break,
            },
            _ = ticker.tick() => {
                if written > state.received_bytes {
                    persist(&mut writer, state, written, checkpoint).await?;
                }
            }
        }
    }
    persist(&mut writer, state, written, checkpoint).await?;
    Ok(None)
}

/// Write → fsync → record: recorded progress never runs ahead of the disk.
async fn persist(
    writer: &mut BufWriter<File>,
    state: &mut ResumeState,
    written: u64,
    checkpoint: &impl Checkpoint,
) -> Result<(), Error> {
    writer
        .flush()
        .await
        .map_err(|e| Error::io("cannot write the partial file", e))?;
    writer
        .get_ref()
        .sync_data()
        .await
        .map_err(|e| Error::io("cannot flush the partial file to disk", e))?;
    state.received_bytes = written;
    checkpoint.save(state).await?;
    Ok(())
}

/// Resolves when the owner asks to stop; a dropped owner counts as Pause.
async fn stop_requested(control: &mut Control) -> Signal {
    loop {
        let signal = *control.borrow_and_update();
        if signal != Signal::Run {
            return signal;
        }
        if control.changed().await.is_err() {
            return Signal::Pause;
        }
    }
}

async fn reset(state: &mut ResumeState, part: Option<&mut File>) -> Result<(), Error> {
    state.received_bytes = 0;
    state.total_bytes = None;
    state.validator = Validator::default();
    if let Some(file) = part {
        file.set_len(0)
            .await
            .map_err(|e| Error::io("cannot truncate the partial file", e))?;
    }
    Ok(())
}

fn part_path(dir: &Path, name: &str) -> Result<PathBuf, Error> {
    let part = format!("{name}.part");
    path_inside(dir, &part).ok_or(Error::UnsafePath(part))
}

/// A crash between the final rename and the caller's record leaves a complete file
/// and no `.part`: recognise it instead of fetching it again.
async fn already_finished(dir: &Path, name: &str, state: &ResumeState) -> Option<Outcome> {
    let total = state.total_bytes?;
    if state.received_bytes != total {
        return None;
    }
    let path = path_inside(dir, name)?;
    let part_exists = tokio::fs::try_exists(part_path(dir, name).ok()?)
        .await
        .ok()?;
    let len = tokio::fs::metadata(&path).await.ok()?.len();
    (!part_exists && len == total).then_some(Outcome::Completed { path, bytes: total })
}

/// Opens the known `.part` file and makes the state agree with the disk: bytes past
/// the recorded progress are discarded; if the disk holds less, we trust the disk.
async fn open_part(dir: &Path, name: &str, state: &mut ResumeState) -> Result<File, Error> {
    tokio::fs::create_dir_all(dir)
        .await
        .map_err(|e| Error::io(format!("cannot create {}", dir.display()), e))?;
    let path = part_path(dir, name)?;
    let file = OpenOptions::new()
        .read(true)
        .write(true)
        .create(true)
        .truncate(false)
        .open(&path)
        .await
        .map_err(|e| Error::io(format!("cannot open {}", path.display()), e))?;
    let on_disk = file
        .metadata()
        .await
        .map_err(|e| Error::io(format!("cannot read {}", path.display()), e))?
        .len();
    if on_disk < state.received_bytes {
        tracing::warn!(path = %path.display(), on_disk, recorded = state.received_bytes, "partial file is shorter than recorded; continuing from what is on disk");
        state.received_bytes = on_disk;
    }
    Ok(file)
}

fn suggested_name(response: &Response) -> String {
    let raw = response
        .headers()
        .get(header::CONTENT_DISPOSITION)
        // Servers send raw UTF-8 here although HTTP says ASCII.
        .map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned())
        .and_then(|v| filename::from_content_disposition(&v))
        .or_else(|| filename::from_url(response.url()))
        .unwrap_or_default();
    filename::sanitize(&raw)
}

/// Claims a name in `dir` that neither a finished file nor another transfer's
/// `.part` uses, by creating its `.part` file exclusively.
async fn reserve_name(dir: &Path, name: &str) -> Result<(String, File), Error> {
    tokio::fs::create_dir_all(dir)
        .await
        .map_err(|e| Error::io(format!("cannot create {}", dir.display()), e))?;
    for n in 0..MAX_NAME_ALTERNATIVES {
        let candidate = numbered(name, n);
        let path =
            path_inside(dir, &candidate).ok_or_else(|| Error::UnsafePath(candidate.clone()))?;
        if exists(&path).await? {
            continue;
        }
        let part = part_path(dir, &candidate)?;
        match OpenOptions::new()
            .read(true)
            .write(true)
            .create_new(true)
            .open(&part)
            .await
        {
            Ok(file) => return Ok((candidate, file)),
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => continue,
            Err(e) => return Err(Error::io(format!("cannot create {}", part.display()), e)),
        }
    }
    Err(Error::UnsafePath(name.to_string()))
}

async fn exists(path: &Path) -> Result<bool, Error> {
    tokio::fs::try_exists(path)
        .await
        .map_err(|e| Error::io(format!("cannot inspect {}", path.display()), e))
}

/// Gives the complete `.part` file its final name without ever replacing a file
/// that appeared meanwhile: a hard link fails if the name is taken.
async fn publish(dir: &Path, name: &str) -> Result<(String, PathBuf), Error> {
    let part = part_path(dir, name)?;
    for n in 0..MAX_NAME_ALTERNATIVES {
        let candidate = numbered(name, n);
        let path =
            path_inside(dir, &candidate).ok_or_else(|| Error::UnsafePath(candidate.clone()))?;
        match tokio::fs::hard_link(&part, &path).await {
            Ok(()) => {
                tokio::fs::remove_file(&part)
                    .await
                    .map_err(|e| Error::io(format!("cannot remove {}", part.display()), e))?;
                sync_dir(dir).await;
                return Ok((candidate, path));
            }
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => continue,
            Err(_) if !exists(&path).await? => {
                // File systems without hard links (FAT, some network shares).
                tokio::fs::rename(&part, &path)
                    .await
                    .map_err(|e| Error::io(format!("cannot rename to {}", path.display()), e))?;
                sync_dir(dir).await;
                return Ok((candidate, path));
            }
            Err(_) => continue,
        }
    }
    Err(Error::UnsafePath(name.to_string()))
}

/// Makes the rename itself durable on Unix; elsewhere a no-op.
async fn sync_dir(dir: &Path) {
    #[cfg(unix)]
    if let Ok(handle) = File::open(dir).await
        && let Err(error) = handle.sync_all().await
    {
        tracing::debug!(%error, "could not sync the download folder");
    }
    #[cfg(not(unix))]
    let _ = dir;
}

/// Parses `bytes START-END/TOTAL` (TOTAL may be `*`) into (START, TOTAL).
fn parse_content_range(value: &str) -> Option<(u64, Option<u64>)> {
    let rest = value.trim().strip_prefix("bytes ")?;
    let (range, total) = rest.split_once('/')?;
    let (start, end) = range.split_once('-')?;
    let start: u64 = start.trim().parse().ok()?;
    let end: u64 = end.trim().parse().ok()?;
    if end < start {
        return None;
    }
    let total = match total.trim() {
        "*" => None,
        digits => {
            let total: u64 = digits.parse().ok()?;
            if end >= total {
                return None;
            }
            Some(total)
        }
    };
    Some((start, total))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn content_range_is_parsed_and_checked() {
        assert_eq!(
            parse_content_range("bytes 100-199/1000"),
            Some((100, Some(1000)))
        );
        assert_eq!(parse_content_range("bytes 0-0/*"), Some((0, None)));
        assert_eq!(parse_content_range("bytes 100-99/1000"), None);
        assert_eq!(parse_content_range("bytes 100-1000/1000"), None);
        assert_eq!(parse_content_range("items 1-2/3"), None);
    }

    #[test]
    fn weak_etags_are_not_used_for_if_range() {
        let weak = Validator {
            etag: Some("W/\"abc\"".into()),
            last_modified: Some("Tue, 01 Jan 2030 00:00:00 GMT".into()),
        };
        assert_eq!(weak.if_range(), Some("Tue, 01 Jan 2030 00:00:00 GMT"));
        let strong = Validator {
            etag: Some("\"abc\"".into()),
            last_modified: None,
        };
        assert_eq!(strong.if_range(), Some("\"abc\""));
    }
}
