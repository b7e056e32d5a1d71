//! One URL into one file over several connections, resumable at every checkpoint.

use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::AtomicU64;
use std::time::Duration;

use futures_util::StreamExt;
use futures_util::stream::FuturesUnordered;
use reqwest::header::{self, HeaderMap};
use reqwest::{Client, Response, StatusCode};
use tokio::sync::{Mutex, Notify, watch};
use url::Url;

use crate::fetch::{
    FetchEnd, Shared, Stops, content_range, fetch_segment, keep_durable, parse_content_range,
};
use crate::journal::Journal;
use crate::rate::RateLimiter;
use crate::segments::{self, Claim, Segment, SegmentSnapshot, Table, plan};
use crate::verify::{ExpectedHash, verify};
use crate::{Error, filename, files};

const MAX_ATTEMPTS: u32 = 5;
/// A server whose file changes this often under us is not worth chasing.
const MAX_START_OVERS: u32 = 3;

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
    pub(crate) fn if_range(&self) -> Option<&str> {
        self.etag
            .as_deref()
            .filter(|etag| !etag.starts_with("W/"))
            .or(self.last_modified.as_deref())
    }
}

/// Everything needed to continue a transfer after a restart. The engine hands it to
/// [`Checkpoint::save`] only when the bytes it counts are flushed to disk.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ResumeState {
    /// Chosen from the first response and then fixed, so a restart reuses the same
    /// `.part` file instead of creating "name (1)".
    pub file_name: Option<String>,
    pub total_bytes: Option<u64>,
    pub validator: Validator,
    /// Empty until the first response; then they cover the whole file.
    pub segments: Vec<Segment>,
}

impl ResumeState {
    /// Bytes durably on disk.
    pub fn received_bytes(&self) -> u64 {
        self.segments.iter().map(|s| s.received).sum()
    }

    fn is_complete(&self) -> bool {
        !self.segments.is_empty() && self.segments.iter().all(Segment::is_done)
    }

    fn start_over(&mut self) {
        self.total_bytes = None;
        self.validator = Validator::default();
        self.segments.clear();
    }
}

#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct CheckpointError(pub String);

/// Where the engine records progress; implemented by the caller over its store.
pub trait Checkpoint: Send + Sync {
    fn save(&self, state: &ResumeState)
    -> impl Future<Output = Result<(), CheckpointError>> + Send;

    /// All bytes arrived; the checksum is being checked.
    fn verifying(&self) -> impl Future<Output = Result<(), CheckpointError>> + Send {
        async { Ok(()) }
    }
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

/// Live state that connections update and a progress ticker reads.
#[derive(Debug, Default)]
pub struct LiveCounters {
    pub(crate) table: Table,
    total: std::sync::atomic::AtomicU64,
}

impl LiveCounters {
    /// Bytes written so far (some may not be flushed yet).
    pub fn received(&self) -> u64 {
        self.table.written()
    }

    pub fn total(&self) -> Option<u64> {
        Some(self.total.load(std::sync::atomic::Ordering::Relaxed)).filter(|t| *t != 0)
    }

    /// Every segment with what it has and whether a connection works on it.
    pub fn segments(&self) -> Vec<SegmentSnapshot> {
        self.table.snapshot()
    }

    fn set_total(&self, total: Option<u64>) {
        self.total
            .store(total.unwrap_or(0), std::sync::atomic::Ordering::Relaxed);
    }
}

/// One download: where from, where to, and how far it got.
#[derive(Clone, Debug)]
pub struct Transfer {
    pub url: Url,
    pub dir: PathBuf,
    pub state: ResumeState,
    /// Sent with every request (a Referer, a platform account's cookies). Never
    /// logged: it may hold secrets.
    pub headers: reqwest::header::HeaderMap,
}

/// How a transfer is fetched.
#[derive(Clone, Debug)]
pub struct Options {
    /// Connections at once (1–16).
    pub connections: usize,
    /// No segment is split below this many bytes.
    pub min_split: u64,
    /// A connection that finishes takes half of another's range only when that
    /// one would need longer than this to finish it alone. A split cuts the other
    /// request short, and what the server had already sent past the new end is
    /// lost: on a fast link that is whatever filled the socket buffers, tens of
    /// MiB on loopback. Two seconds saves at least a second each time.
    pub split_after: Duration,
    /// How often a connection with nothing to do looks again for a range worth
    /// splitting (it also looks each time another connection lets go of a range).
    pub split_recheck: Duration,
    pub expected_hash: Option<ExpectedHash>,
    /// Every byte passes each of these (e.g. a global and a per-download limit).
    pub limiters: Vec<Arc<RateLimiter>>,
    /// A connection with no byte for this long is dropped and retried.
    pub stall_timeout: Duration,
}

pub const MAX_CONNECTIONS: usize = 16;

impl Default for Options {
    fn default() -> Self {
        Self {
            connections: 8,
            min_split: 1 << 20,
            split_after: Duration::from_secs(2),
            split_recheck: Duration::from_millis(200),
            expected_hash: None,
            limiters: Vec::new(),
            stall_timeout: Duration::from_secs(20),
        }
    }
}

#[derive(Debug, PartialEq, Eq)]
pub enum Outcome {
    /// The file is complete (and verified) under `path`, its final name.
    Completed { path: PathBuf, bytes: u64 },
    /// Stopped on request; the state is checkpointed and the `.part` file kept.
    Stopped(Signal),
}

/// Downloads `transfer` until it completes, fails, or `control` asks it to stop.
/// Transient faults are retried with exponential backoff.
pub async fn run(
    client: &Client,
    transfer: &mut Transfer,
    control: &Control,
    live: &LiveCounters,
    checkpoint: &impl Checkpoint,
    options: &Options,
) -> Result<Outcome, Error> {
    let mut failures = 0;
    let mut start_overs = 0;
    loop {
        let before = transfer.state.received_bytes();
        let error = match attempt(client, transfer, control, live, checkpoint, options).await {
            Ok(Step::Done(outcome)) => return Ok(outcome),
            Ok(Step::StartOver) => {
                start_overs += 1;
                if start_overs > MAX_START_OVERS {
                    return Err(Error::KeepsChanging(start_overs));
                }
                continue;
            }
            Err(error) => error,
        };
        if transfer.state.received_bytes() > before {
            failures = 0;
        }
        failures += 1;
        if !error.is_transient() || failures >= MAX_ATTEMPTS {
            return Err(error);
        }
        let delay = backoff(failures).max(error.retry_after().unwrap_or_default());
        tracing::warn!(url = %transfer.url, %error, ?delay, "transfer interrupted; retrying");
        // Kept alive: a closed abort channel would end the wait at once.
        let (_abort, abort) = watch::channel(false);
        let mut stops = Stops {
            control: control.clone(),
            abort,
        };
        tokio::select! {
            () = tokio::time::sleep(delay) => {}
            end = stops.requested() => if let FetchEnd::Stopped(signal) = end {
                return Ok(Outcome::Stopped(signal));
            },
        }
    }
}

/// Exponential backoff with jitter: 0.5 s, 1 s, 2 s, … ± 25 %.
fn backoff(failures: u32) -> Duration {
    let base = 500u64 << failures.min(6);
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.subsec_nanos())
        .unwrap_or(0);
    let jitter = u64::from(nanos % 500) * base / 1000; // 0–50 % of base
    Duration::from_millis(base * 3 / 4 + jitter)
}

enum Step {
    Done(Outcome),
    /// The remote file changed under us: the state was reset to nothing received.
    StartOver,
}

/// With several connections, the first request asks for this much only. A
/// request that runs past where its connection stops (here: the first segment's
/// end) makes the server send what fills the socket buffers, for nothing.
const PROBE_BYTES: u64 = 1 << 20;

/// The first response: tells the length, whether ranges work, and the name.
struct Probe {
    response: Response,
    ranges: bool,
    total: Option<u64>,
    /// The body ends here, before the file's end: it was asked for the first
    /// `PROBE_BYTES` only.
    covers: Option<u64>,
}

/// Asks for the first `bound` bytes (everything when `None`). A server that
/// answers a bounded request without the file's length is asked again for all.
async fn probe(
    client: &Client,
    url: &Url,
    headers: &reqwest::header::HeaderMap,
    bound: Option<u64>,
    stops: &mut Stops,
) -> Result<Result<Probe, FetchEnd>, Error> {
    for bound in [bound, None] {
        let range = bound.map_or_else(|| "bytes=0-".to_string(), |b| format!("bytes=0-{}", b - 1));
        let request = client
            .get(url.clone())
            .headers(headers.clone())
            .header(header::RANGE, range);
        let response = tokio::select! {
            response = request.send() => response.map_err(Error::Network)?,
            end = stops.requested() => return Ok(Err(end)),
        };
        let (ranges, total) = match response.status() {
            StatusCode::PARTIAL_CONTENT => {
                let range = content_range(response.headers());
                match parse_content_range(range) {
                    Some((0, None)) if bound.is_some() => continue,
                    Some((0, total)) => (total.is_some(), total),
                    _ => {
                        return Err(Error::RangeMismatch {
                            asked: 0,
                            got: range.to_string(),
                        });
                    }
                }
            }
            StatusCode::OK => (false, response.content_length()),
            other => return Err(Error::from_status(other, response.headers())),
        };
        let covers = match (bound, total) {
            (Some(bound), Some(total)) if ranges && bound < total => Some(bound),
            _ => None,
        };
        return Ok(Ok(Probe {
            response,
            ranges,
            total,
            covers,
        }));
    }
    Err(Error::RangeMismatch {
        asked: 0,
        got: "a partial answer without the file's length".to_string(),
    })
}

/// The first segment is what the probe covers; the rest is planned as usual.
fn plan_after_probe(probe: &Probe, connections: usize, min_split: u64) -> Vec<Segment> {
    let (Some(covers), Some(total)) = (probe.covers, probe.total) else {
        return plan(probe.total, connections, min_split);
    };
    let first = Segment {
        start: 0,
        end: covers,
        received: 0,
    };
    std::iter::once(first)
        .chain(
            plan(Some(total - covers), connections, min_split)
                .into_iter()
                .map(|s| Segment {
                    start: s.start + covers,
                    end: s.end + covers,
                    received: 0,
                }),
        )
        .collect()
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

/// Empties the partial file, then reserves `len` bytes for a new version: bytes
/// and journalled ranges of an earlier one must never be taken for this one's.
/// Returns the file, open for writing.
async fn fresh_part(dir: &std::path::Path, name: &str, len: u64) -> Result<std::fs::File, Error> {
    crate::journal::clear(dir, name);
    let file = files::open_part(dir, name).await?.into_std().await;
    tokio::task::spawn_blocking(move || {
        file.set_len(0)
            .map_err(|e| Error::io("cannot empty the partial file", e))?;
        size_part(&file, len)?;
        Ok(file)
    })
    .await
    .map_err(|e| Error::io("cannot size the partial file", std::io::Error::other(e)))?
}

/// Reserves the file's blocks where the file system can (fallocate on Linux,
/// F_PREALLOCATE on macOS, the allocation size on Windows), so the download does
/// not fragment and most of a full disk shows at once. Where it cannot, or the
/// disk lacks the space right now, the file is only sized (sparse): a full disk is
/// then met, and paused on, when it is reached, and the user may free space first.
fn size_part(file: &std::fs::File, len: u64) -> Result<(), Error> {
    if len > 0
        && let Err(error) = fs4::fs_std::FileExt::allocate(file, len)
    {
        tracing::debug!(%error, len, "no preallocation; the partial file stays sparse");
    }
    // Also shrinks a longer file, which allocation never does.
    file.set_len(len)
        .map_err(|e| Error::io("cannot size the partial file", e))
}

async fn attempt(
    client: &Client,
    transfer: &mut Transfer,
    control: &Control,
    live: &LiveCounters,
    checkpoint: &impl Checkpoint,
    options: &Options,
) -> Result<Step, Error> {
    let (abort_tx, abort_rx) = watch::channel(false);
    let new_stops = || Stops {
        control: control.clone(),
        abort: abort_rx.clone(),
    };
    let mut stops = new_stops();
    if let FetchEnd::Stopped(signal) = now_or_never(&mut stops) {
        return Ok(Step::Done(Outcome::Stopped(signal)));
    }
    let dir = transfer.dir.clone();
    let state = &mut transfer.state;
    let wanted_connections = options.connections.clamp(1, MAX_CONNECTIONS);

    if let (Some(name), Some(total)) = (&state.file_name, state.total_bytes)
        && state.is_complete()
        && let Some(path) = files::already_published(&dir, name, total).await
    {
        return Ok(Step::Done(Outcome::Completed { path, bytes: total }));
    }

    let mut first: Option<Response> = None;
    let ranges;
    // Opened once here when the file starts anew, else below.
    let mut part = None;
    if state.segments.is_empty() || state.file_name.is_none() {
        let bound = (wanted_connections > 1).then_some(PROBE_BYTES);
        let probe = match probe(client, &transfer.url, &transfer.headers, bound, &mut stops).await?
        {
            Ok(probe) => probe,
            Err(FetchEnd::Stopped(signal)) => return Ok(Step::Done(Outcome::Stopped(signal))),
            Err(_) => return Ok(Step::StartOver),
        };
        let name = match state.file_name.clone() {
            Some(name) => name,
            None => files::reserve_name(&dir, &suggested_name(&probe.response)).await?,
        };
        state.file_name = Some(name.clone());
        state.total_bytes = probe.total;
        state.validator = Validator::from_headers(probe.response.headers());
        let connections = if probe.ranges { wanted_connections } else { 1 };
        state.segments = plan_after_probe(&probe, connections, options.min_split);
        // Reserved (or sparse): the segments write anywhere in it.
        part = Some(fresh_part(&dir, &name, probe.total.unwrap_or(0)).await?);
        checkpoint.save(state).await?;
        ranges = probe.ranges;
        first = Some(probe.response);
    } else {
        let name = state.file_name.clone().unwrap_or_default();
        let furthest = state
            .segments
            .iter()
            .filter(|s| s.received > 0)
            .map(Segment::position)
            .max()
            .unwrap_or(0);
        let on_disk = files::part_len(&dir, &name).await?;
        let unbounded = state
            .segments
            .iter()
            .any(|s| s.end == crate::segments::UNBOUNDED);
        if on_disk.is_none_or(|len| len < furthest) || (unbounded && furthest > 0) {
            // The partial file lost bytes we recorded, or a stream of unknown length
            // cannot be continued: fetch it again from the start.
            tracing::info!(url = %transfer.url, ?on_disk, furthest, "partial file cannot be continued; starting over");
            state.start_over();
            fresh_part(&dir, &name, 0).await?;
            checkpoint.save(state).await?;
            return Ok(Step::StartOver);
        }
        let part = files::part_path(&dir, &name)?;
        let mut segments = state.segments.clone();
        let (journal_dir, journal_name) = (dir.clone(), name.clone());
        let recovered = tokio::task::spawn_blocking(move || {
            let gained = crate::journal::recover(&journal_dir, &journal_name, &part, &mut segments);
            (gained, segments)
        })
        .await;
        if let Ok((gained, segments)) = recovered
            && gained > 0
        {
            tracing::info!(url = %transfer.url, gained, "kept journalled bytes that were still on disk");
            state.segments = segments;
            checkpoint.save(state).await?;
        }
        ranges = state.total_bytes.is_some();
        if ranges {
            state.segments =
                segments::balance(&state.segments, wanted_connections, options.min_split);
        }
    }
    live.table.reset(&state.segments);
    live.set_total(state.total_bytes);

    let part = match part {
        Some(part) => part,
        None => {
            files::open_part(&dir, state.file_name.as_deref().unwrap_or_default())
                .await?
                .into_std()
                .await
        }
    };
    let shared = Shared {
        client,
        url: &transfer.url,
        headers: &transfer.headers,
        name: state.file_name.clone().unwrap_or_default(),
        part: Arc::new(part),
        total: state.total_bytes,
        validator: state.validator.clone(),
        live,
        checkpoint,
        limiters: &options.limiters,
        stall_timeout: options.stall_timeout,
        save_lock: Mutex::new(()),
        journal: match Journal::at(&dir, state.file_name.as_deref().unwrap_or_default()) {
            Ok(journal) => journal,
            Err(error) => {
                // Only recovery after a kill is lost without it.
                tracing::debug!(%error, "no hand-over journal");
                None
            }
        },
        unflushed: AtomicU64::new(0),
        flush_wanted: Notify::new(),
        range_released: Notify::new(),
    };
    let connections = if ranges { wanted_connections } else { 1 };
    let mut first = first.and_then(|response| live.table.claim().map(|claim| (claim, response)));
    let mut workers: FuturesUnordered<_> = (0..connections)
        .map(|_| connection(&shared, first.take(), new_stops(), ranges, options))
        .collect();
    let (finished_tx, finished_rx) = watch::channel(false);
    let connections_end = async {
        let mut ends = Vec::new();
        while let Some(end) = workers.next().await {
            if !matches!(end, Ok(FetchEnd::Done)) {
                // One connection stopping stops the others at their next chunk.
                abort_tx.send_replace(true);
            }
            ends.push(end);
        }
        finished_tx.send_replace(true);
        ends
    };
    let flushing = async {
        let flushed = keep_durable(&shared, finished_rx).await;
        if flushed.is_err() {
            abort_tx.send_replace(true);
        }
        flushed
    };
    let (mut ends, flushed) = tokio::join!(connections_end, flushing);
    drop(workers);
    if let Err(error) = flushed {
        ends.push(Err(error));
    }
    state.segments = live.table.durable();

    let mut first_error = None;
    let mut changed = false;
    let mut stopped = None;
    for end in ends {
        match end {
            Err(error) => {
                first_error.get_or_insert(error);
            }
            Ok(FetchEnd::Changed) => changed = true,
            Ok(FetchEnd::Stopped(signal)) => stopped = Some(signal),
            Ok(FetchEnd::Done | FetchEnd::Aborted) => {}
        }
    }
    if let Some(signal) = stopped {
        return Ok(Step::Done(Outcome::Stopped(signal)));
    }
    if let Some(error) = first_error {
        return Err(error);
    }
    let name = shared.name.clone();
    if changed {
        state.start_over();
        fresh_part(&dir, &name, 0).await?;
        checkpoint.save(state).await?;
        return Ok(Step::StartOver);
    }
    if !live.table.all_done() {
        return Err(Error::Truncated {
            received: state.received_bytes(),
            expected: state.total_bytes.unwrap_or(0),
        });
    }
    let length = state.segments.iter().map(|s| s.end).max().unwrap_or(0);
    state.total_bytes = Some(length);
    state.segments = vec![Segment {
        start: 0,
        end: length,
        received: length,
    }];
    checkpoint.save(state).await?;

    if let Some(expected) = &options.expected_hash {
        checkpoint.verifying().await?;
        if let Err(mismatch) = verify(&files::part_path(&dir, &name)?, expected).await {
            // These bytes are wrong: a retry fetches the file again.
            state.start_over();
            fresh_part(&dir, &name, 0).await?;
            checkpoint.save(state).await?;
            return Err(mismatch);
        }
    }
    let (final_name, path) = files::publish(&dir, &name).await?;
    crate::journal::clear(&dir, &name);
    if final_name != name {
        state.file_name = Some(final_name);
        checkpoint.save(state).await?;
    }
    Ok(Step::Done(Outcome::Completed {
        path,
        bytes: length,
    }))
}

/// The stop already requested, without waiting.
fn now_or_never(stops: &mut Stops) -> FetchEnd {
    let signal = *stops.control.borrow_and_update();
    if signal == Signal::Run {
        FetchEnd::Done
    } else {
        FetchEnd::Stopped(signal)
    }
}

/// One connection: fetches segments until none is left to claim or split.
async fn connection<C: Checkpoint>(
    shared: &Shared<'_, C>,
    mut first: Option<(Claim, Response)>,
    mut stops: Stops,
    ranges: bool,
    options: &Options,
) -> Result<FetchEnd, Error> {
    let table = &shared.live.table;
    loop {
        let (claim, mut response) = match first.take() {
            Some((claim, response)) => (claim, Some(response)),
            None => {
                // Listening before looking, so a release in between is not missed.
                let released = shared.range_released.notified();
                tokio::pin!(released);
                released.as_mut().enable();
                let claim = table.claim().or_else(|| {
                    ranges
                        .then(|| table.steal(options.min_split, options.split_after))
                        .flatten()
                });
                match claim {
                    Some(claim) => (claim, None),
                    None if ranges && table.may_split_later(options.min_split) => {
                        // A range still running may turn out slow: look again soon.
                        tokio::select! {
                            () = tokio::time::sleep(options.split_recheck) => continue,
                            () = released => continue,
                            end = stops.requested() => return Ok(end),
                        }
                    }
                    None => return Ok(FetchEnd::Done),
                }
            }
        };
        let mut failures = 0;
        let end = loop {
            let before = table.position(claim.index);
            match fetch_segment(shared, &claim, response.take(), &mut stops).await {
                Ok(end) => break end,
                Err(error) if error.is_transient() && failures + 1 < MAX_ATTEMPTS => {
                    if table.position(claim.index) > before {
                        failures = 0;
                    }
                    failures += 1;
                    let delay = backoff(failures).max(error.retry_after().unwrap_or_default());
                    tracing::warn!(url = %shared.url, %error, ?delay, "connection interrupted; retrying its range");
                    tokio::select! {
                        () = tokio::time::sleep(delay) => {}
                        end = stops.requested() => break end,
                    }
                }
                Err(error) => {
                    table.release(claim.index);
                    shared.range_released.notify_waiters();
                    return Err(error);
                }
            }
        };
        table.release(claim.index);
        shared.range_released.notify_waiters();
        if end != FetchEnd::Done {
            return Ok(end);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Linux file systems that Haul downloads to (ext4, xfs, btrfs, tmpfs) all
    /// reserve blocks; the file is full length and its blocks are allocated.
    #[cfg(target_os = "linux")]
    #[tokio::test]
    async fn the_partial_file_is_reserved_then_emptied_for_a_new_version() {
        use std::os::unix::fs::MetadataExt;
        const LEN: u64 = 64 << 20;
        let dir = tempfile::tempdir().unwrap();
        let path = files::part_path(dir.path(), "big.bin").unwrap();
        fresh_part(dir.path(), "big.bin", LEN).await.unwrap();
        let meta = std::fs::metadata(&path).unwrap();
        assert_eq!(meta.len(), LEN);
        assert!(
            meta.blocks() * 512 >= LEN,
            "only {} bytes reserved",
            meta.blocks() * 512
        );
        fresh_part(dir.path(), "big.bin", 0).await.unwrap();
        assert_eq!(std::fs::metadata(&path).unwrap().len(), 0);
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

    #[test]
    fn backoff_grows_and_stays_jittered() {
        for failures in 1..6 {
            let base = 500u64 << failures;
            let delay = backoff(failures).as_millis() as u64;
            assert!(
                delay >= base * 3 / 4 && delay <= base * 5 / 4,
                "{failures}: {delay}"
            );
        }
    }
}
