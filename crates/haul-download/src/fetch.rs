//! One connection fetching one segment: request its range, stream it to the
//! `.part` file, checkpoint as it goes.

use std::io::SeekFrom;
use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::Duration;

use futures_util::StreamExt;
use reqwest::header::{self, HeaderMap};
use reqwest::{Client, Response, StatusCode};
use tokio::fs::File;
use tokio::io::{AsyncSeekExt, AsyncWriteExt, BufWriter};
use tokio::sync::{Mutex, watch};
use url::Url;

use crate::journal::{BlockHasher, Journal};
use crate::rate::RateLimiter;
use crate::segments::{Claim, UNBOUNDED};
use crate::transfer::{Checkpoint, LiveCounters, ResumeState, Signal, Validator};
use crate::{Error, files};

/// A background fsync starts after this many new bytes (or each interval) when none
/// is running; what it covers is recorded when it finishes. Writing never waits
/// for it, and a crash re-fetches at most what arrived since the last one.
const SYNC_BYTES: u64 = 4 << 20;
const CHECKPOINT_INTERVAL: Duration = Duration::from_secs(1);
/// Small enough that a kill loses little of what was not yet handed to the OS
/// (see the block journal), large enough that writes stay few.
const WRITE_BUFFER: usize = 256 << 10;

/// What every connection of one transfer shares.
pub(crate) struct Shared<'a, C> {
    pub client: &'a Client,
    pub url: &'a Url,
    pub dir: &'a std::path::Path,
    pub name: String,
    pub total: Option<u64>,
    pub validator: Validator,
    pub live: &'a LiveCounters,
    pub checkpoint: &'a C,
    pub limiters: &'a [Arc<RateLimiter>],
    /// A connection with no byte for this long is dropped and retried.
    pub stall_timeout: Duration,
    /// One save at a time, so an older table never overwrites a newer one.
    pub save_lock: Mutex<()>,
    /// Where blocks handed to the OS are listed, for recovery after a kill.
    pub journal: Option<Journal>,
}

impl<C: Checkpoint> Shared<'_, C> {
    /// Records the durable state of every segment.
    pub(crate) async fn save(&self) -> Result<(), Error> {
        let _one_at_a_time = self.save_lock.lock().await;
        let state = ResumeState {
            file_name: Some(self.name.clone()),
            total_bytes: self.total,
            validator: self.validator.clone(),
            segments: self.live.table.durable(),
        };
        self.checkpoint.save(&state).await?;
        Ok(())
    }
}

/// How a connection's work on a segment ended.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum FetchEnd {
    Done,
    Stopped(Signal),
    /// Another connection failed; this one stopped at a checkpoint.
    Aborted,
    /// The server sent another version of the file (or no range): start over.
    Changed,
}

/// The signals a connection stops for: the owner's, and the transfer's own abort.
pub(crate) struct Stops {
    pub control: watch::Receiver<Signal>,
    pub abort: watch::Receiver<bool>,
}

impl Stops {
    /// Resolves when the owner asks to stop (a dropped owner counts as Pause) or
    /// the transfer aborts.
    pub(crate) async fn requested(&mut self) -> FetchEnd {
        loop {
            let signal = *self.control.borrow_and_update();
            if signal != Signal::Run {
                return FetchEnd::Stopped(signal);
            }
            if *self.abort.borrow_and_update() {
                return FetchEnd::Aborted;
            }
            tokio::select! {
                changed = self.control.changed() => if changed.is_err() {
                    return FetchEnd::Stopped(Signal::Pause);
                },
                changed = self.abort.changed() => if changed.is_err() {
                    return FetchEnd::Aborted;
                },
            }
        }
    }
}

fn range_header(from: u64, end: u64) -> String {
    if end == UNBOUNDED {
        format!("bytes={from}-")
    } else {
        format!("bytes={from}-{}", end - 1)
    }
}

/// Parses `bytes START-END/TOTAL` (TOTAL may be `*`) into (START, TOTAL).
pub(crate) fn parse_content_range(value: &str) -> Option<(u64, Option<u64>)> {
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

pub(crate) fn content_range(headers: &HeaderMap) -> &str {
    headers
        .get(header::CONTENT_RANGE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
}

/// Fetches `claim` from its durable position to its (possibly shrinking) end.
/// `initial` is a response already streaming from that position (the probe).
pub(crate) async fn fetch_segment<C: Checkpoint>(
    shared: &Shared<'_, C>,
    claim: &Claim,
    initial: Option<Response>,
    file: &mut Option<File>,
    stops: &mut Stops,
) -> Result<FetchEnd, Error> {
    let table = &shared.live.table;
    let from = table.position(claim.index);
    let end = claim.end.load(Ordering::SeqCst);
    if from >= end {
        return Ok(FetchEnd::Done);
    }
    let response = match initial {
        Some(response) => response,
        None => {
            let mut request = shared
                .client
                .get(shared.url.clone())
                .header(header::RANGE, range_header(from, end));
            if let Some(value) = shared.validator.if_range() {
                request = request.header(header::IF_RANGE, value);
            }
            let response = tokio::select! {
                response = request.send() => response.map_err(Error::Network)?,
                end = stops.requested() => return Ok(end),
            };
            match response.status() {
                StatusCode::PARTIAL_CONTENT => {
                    let range = content_range(response.headers());
                    let (start, total) =
                        parse_content_range(range).ok_or_else(|| Error::RangeMismatch {
                            asked: from,
                            got: range.to_string(),
                        })?;
                    if start != from {
                        return Err(Error::RangeMismatch {
                            asked: from,
                            got: range.to_string(),
                        });
                    }
                    if total.is_some() && total != shared.total {
                        tracing::info!(url = %shared.url, ?total, known = ?shared.total, "remote file changed size; starting over");
                        return Ok(FetchEnd::Changed);
                    }
                }
                // A full body (If-Range did not match, or ranges are not supported)
                // or an offset past the end: this is not the file we had.
                StatusCode::OK | StatusCode::RANGE_NOT_SATISFIABLE => {
                    tracing::info!(url = %shared.url, status = %response.status(), "server did not continue the range; starting over");
                    return Ok(FetchEnd::Changed);
                }
                other => return Err(Error::from_status(other, response.headers())),
            }
            response
        }
    };

    if file.is_none() {
        *file = Some(files::open_part(shared.dir, &shared.name).await?);
    }
    let Some(handle) = file.as_mut() else {
        return Err(Error::io(
            "the partial file is not open",
            std::io::ErrorKind::NotFound.into(),
        ));
    };
    handle
        .seek(SeekFrom::Start(from))
        .await
        .map_err(|e| Error::io("cannot seek in the partial file", e))?;
    // A second handle on the same file, for fsyncs that run beside the writes.
    let syncer = Arc::new(
        handle
            .try_clone()
            .await
            .map_err(|e| Error::io("cannot open the partial file twice", e))?
            .into_std()
            .await,
    );
    let mut writer = BufWriter::with_capacity(WRITE_BUFFER, handle);
    let mut blocks = BlockHasher::new(from);
    let mut position = from;
    let mut synced_from = from;
    let mut in_flight: Option<Sync> = None;
    let mut body = response.bytes_stream();
    let mut ticker = tokio::time::interval(CHECKPOINT_INTERVAL);
    ticker.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    let stall = tokio::time::sleep(shared.stall_timeout);
    tokio::pin!(stall);

    // Write → fsync → record, inline: for the end of a range and for stops.
    let persist = async |writer: &mut BufWriter<&mut File>,
                         in_flight: &mut Option<Sync>,
                         position: u64|
           -> Result<(), Error> {
        writer
            .flush()
            .await
            .map_err(|e| Error::io("cannot write the partial file", e))?;
        if let Some(sync) = in_flight.take() {
            sync.finish().await?;
        }
        writer
            .get_ref()
            .sync_data()
            .await
            .map_err(|e| Error::io("cannot flush the partial file to disk", e))?;
        table.record(claim.index, position);
        shared.save().await
    };

    loop {
        tokio::select! {
            biased;
            end = stops.requested() => {
                persist(&mut writer, &mut in_flight, position).await?;
                return Ok(end);
            }
            covered = Sync::wait(&mut in_flight) => {
                table.record(claim.index, covered?);
                shared.save().await?;
            }
            chunk = body.next() => match chunk {
                Some(Ok(mut bytes)) => {
                    let end = claim.end.load(Ordering::SeqCst);
                    let room = end.saturating_sub(position);
                    if (bytes.len() as u64) > room {
                        // Another connection took our tail, or the server sent more
                        // than asked: keep only our part.
                        bytes.truncate(room as usize);
                    }
                    for limiter in shared.limiters {
                        limiter.acquire(bytes.len() as u64).await;
                    }
                    writer.write_all(&bytes).await.map_err(|e| Error::io("cannot write the partial file", e))?;
                    position += bytes.len() as u64;
                    blocks.update(&bytes);
                    if let Some(journal) = &shared.journal {
                        blocks.handed(journal, position - writer.buffer().len() as u64);
                    }
                    stall.as_mut().reset(tokio::time::Instant::now() + shared.stall_timeout);
                    claim.written.store(position, Ordering::SeqCst);
                    if position >= end {
                        persist(&mut writer, &mut in_flight, position).await?;
                        return Ok(FetchEnd::Done);
                    }
                    if in_flight.is_none() && position - synced_from >= SYNC_BYTES {
                        in_flight = Some(Sync::start(&mut writer, &syncer, position).await?);
                        synced_from = position;
                    }
                }
                Some(Err(error)) => {
                    persist(&mut writer, &mut in_flight, position).await?;
                    return Err(Error::Network(error));
                }
                None => break,
            },
            () = &mut stall => {
                persist(&mut writer, &mut in_flight, position).await?;
                return Err(Error::Stalled(shared.stall_timeout));
            }
            _ = ticker.tick() => {
                if in_flight.is_none() && position > synced_from {
                    in_flight = Some(Sync::start(&mut writer, &syncer, position).await?);
                    synced_from = position;
                }
            }
        }
    }
    let end = claim.end.load(Ordering::SeqCst);
    if end == UNBOUNDED {
        table.close_unbounded(claim.index, position);
    }
    persist(&mut writer, &mut in_flight, position).await?;
    if end != UNBOUNDED && position < end {
        return Err(Error::Truncated {
            received: position,
            expected: end,
        });
    }
    Ok(FetchEnd::Done)
}

/// The result of a finished sync task as the engine's error.
fn joined(result: Result<std::io::Result<()>, tokio::task::JoinError>) -> Result<(), Error> {
    result
        .map_err(|e| Error::io("the disk sync stopped", std::io::Error::other(e)))?
        .map_err(|e| Error::io("cannot flush the partial file to disk", e))
}

/// An fsync running on the blocking pool, covering everything written up to
/// `covers`.
struct Sync {
    covers: u64,
    task: tokio::task::JoinHandle<std::io::Result<()>>,
}

impl Sync {
    /// Hands the buffered bytes to the OS, then syncs them in the background.
    async fn start(
        writer: &mut BufWriter<&mut File>,
        syncer: &Arc<std::fs::File>,
        covers: u64,
    ) -> Result<Self, Error> {
        writer
            .flush()
            .await
            .map_err(|e| Error::io("cannot write the partial file", e))?;
        let syncer = Arc::clone(syncer);
        Ok(Self {
            covers,
            task: tokio::task::spawn_blocking(move || syncer.sync_data()),
        })
    }

    async fn finish(mut self) -> Result<u64, Error> {
        joined((&mut self.task).await)?;
        Ok(self.covers)
    }

    /// Resolves when the running sync finishes (never, if none runs), with the
    /// position it made durable.
    async fn wait(in_flight: &mut Option<Self>) -> Result<u64, Error> {
        let Some(sync) = in_flight.as_mut() else {
            return std::future::pending().await;
        };
        let done = joined((&mut sync.task).await);
        let covers = sync.covers;
        *in_flight = None;
        done.map(|()| covers)
    }
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
    fn ranges_are_closed_unless_the_length_is_unknown() {
        assert_eq!(range_header(10, 20), "bytes=10-19");
        assert_eq!(range_header(10, UNBOUNDED), "bytes=10-");
    }
}
