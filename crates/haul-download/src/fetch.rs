//! One connection fetching one segment: request its range, stream it to the
//! `.part` file, checkpoint as it goes.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use futures_util::StreamExt;
use reqwest::header::{self, HeaderMap};
use reqwest::{Client, Response, StatusCode};
use tokio::sync::{Mutex, Notify, watch};
use url::Url;

use crate::Error;
use crate::journal::{HandOver, Journal};
use crate::part_writer::{PartWriter, joined};
use crate::rate::RateLimiter;
use crate::segments::{Claim, UNBOUNDED};
use crate::transfer::{Checkpoint, LiveCounters, ResumeState, Signal, Validator};

/// A flush of the file starts after this many new bytes over all connections (or
/// each interval) when none is running; what it covers is recorded when it
/// finishes. One flush covers every connection, and writing never waits for it: a
/// kill loses only what the hand-over journal had not listed yet, a power cut at
/// most what arrived since the last flush.
const SYNC_BYTES: u64 = 32 << 20;
const CHECKPOINT_INTERVAL: Duration = Duration::from_secs(1);

/// What every connection of one transfer shares.
pub(crate) struct Shared<'a, C> {
    pub client: &'a Client,
    pub url: &'a Url,
    pub headers: &'a reqwest::header::HeaderMap,
    pub name: String,
    /// The `.part` file, written at offsets by every connection.
    pub part: Arc<std::fs::File>,
    pub total: Option<u64>,
    pub validator: Validator,
    pub live: &'a LiveCounters,
    pub checkpoint: &'a C,
    pub limiters: &'a [Arc<RateLimiter>],
    /// A connection with no byte for this long is dropped and retried.
    pub stall_timeout: Duration,
    /// One save at a time, so an older table never overwrites a newer one.
    pub save_lock: Mutex<()>,
    /// Where ranges handed to the OS are listed, for recovery after a kill.
    pub journal: Option<Journal>,
    /// Bytes handed to the OS since the last flush started.
    pub unflushed: AtomicU64,
    /// Told when `unflushed` passed `SYNC_BYTES`.
    pub flush_wanted: Notify,
    /// Told when a connection lets go of a range: idle connections look again
    /// at once (and leave when nothing is left) instead of at their next recheck.
    pub range_released: Notify,
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

    /// Flushes the file, then records what every segment had handed to the OS
    /// before the flush began (write → fsync → record).
    pub(crate) async fn make_durable(&self) -> Result<(), Error> {
        self.unflushed.store(0, Ordering::SeqCst);
        let handed = self.live.table.handed();
        if handed.is_empty() {
            return Ok(());
        }
        let part = Arc::clone(&self.part);
        joined(
            tokio::task::spawn_blocking(move || part.sync_data()),
            "cannot flush the partial file to disk",
        )
        .await?;
        for (index, position) in handed {
            self.live.table.record(index, position);
        }
        self.save().await
    }

    /// Counts bytes a connection handed to the OS; asks for a flush when enough
    /// piled up.
    fn handed(&self, bytes: u64) {
        if self.unflushed.fetch_add(bytes, Ordering::SeqCst) + bytes >= SYNC_BYTES {
            self.flush_wanted.notify_one();
        }
    }
}

/// Flushes and records progress in the background until `finished` turns true.
/// A failure here (the disk refused) stops the transfer like a connection's.
pub(crate) async fn keep_durable<C: Checkpoint>(
    shared: &Shared<'_, C>,
    mut finished: watch::Receiver<bool>,
) -> Result<(), Error> {
    let mut ticker = tokio::time::interval_at(
        tokio::time::Instant::now() + CHECKPOINT_INTERVAL,
        CHECKPOINT_INTERVAL,
    );
    ticker.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        if *finished.borrow_and_update() {
            return Ok(());
        }
        tokio::select! {
            changed = finished.changed() => if changed.is_err() {
                return Ok(());
            },
            () = shared.flush_wanted.notified() => shared.make_durable().await?,
            _ = ticker.tick() => shared.make_durable().await?,
        }
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
                .headers(shared.headers.clone())
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

    let mut writer = PartWriter::new(Arc::clone(&shared.part), from);
    let mut hand_over_log = HandOver::new(from);
    let mut position = from;
    let mut body = response.bytes_stream();
    let stall = tokio::time::sleep(shared.stall_timeout);
    tokio::pin!(stall);

    // Everything received goes to the OS, then write → fsync → record, inline: for
    // the end of a range and for stops.
    let persist = async |writer: &mut PartWriter, log: &mut HandOver| -> Result<(), Error> {
        let before = writer.handed();
        let handed = writer.flush().await?;
        hand_over(shared, claim, log, handed, before);
        shared.make_durable().await
    };

    loop {
        tokio::select! {
            biased;
            end = stops.requested() => {
                persist(&mut writer, &mut hand_over_log).await?;
                return Ok(end);
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
                    position += bytes.len() as u64;
                    let before = writer.handed();
                    writer.push(bytes).await?;
                    hand_over(shared, claim, &mut hand_over_log, writer.handed(), before);
                    stall.as_mut().reset(tokio::time::Instant::now() + shared.stall_timeout);
                    claim.written.store(position, Ordering::SeqCst);
                    if position >= end {
                        persist(&mut writer, &mut hand_over_log).await?;
                        return Ok(FetchEnd::Done);
                    }
                    // The connections of a transfer share one task, and a write
                    // rarely waits: without this, one connection whose socket always
                    // has data would starve the others until the runtime's budget
                    // ran out. Unequal ranges mean splits later (after a resume too),
                    // and each split wastes what the cut request had in flight.
                    tokio::task::yield_now().await;
                }
                Some(Err(error)) => {
                    persist(&mut writer, &mut hand_over_log).await?;
                    return Err(Error::Network(error));
                }
                None => break,
            },
            () = &mut stall => {
                persist(&mut writer, &mut hand_over_log).await?;
                return Err(Error::Stalled(shared.stall_timeout));
            }
        }
    }
    let end = claim.end.load(Ordering::SeqCst);
    if end == UNBOUNDED {
        shared.live.table.close_unbounded(claim.index, position);
    }
    persist(&mut writer, &mut hand_over_log).await?;
    if end != UNBOUNDED && position < end {
        return Err(Error::Truncated {
            received: position,
            expected: end,
        });
    }
    Ok(FetchEnd::Done)
}

/// Publishes that the OS has this claim's bytes up to `handed` (they were up to
/// `before`): for the next flush, and in the hand-over journal.
fn hand_over<C: Checkpoint>(
    shared: &Shared<'_, C>,
    claim: &Claim,
    log: &mut HandOver,
    handed: u64,
    before: u64,
) {
    if handed == before {
        return;
    }
    claim.handed.store(handed, Ordering::SeqCst);
    if let Some(journal) = &shared.journal {
        log.advance(journal, handed);
    }
    shared.handed(handed - before);
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
