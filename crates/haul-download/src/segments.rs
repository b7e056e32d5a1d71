//! The segment table: which byte ranges are done, which connection fetches what,
//! and how a free connection takes half of the largest remaining range.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::{Duration, Instant};

use serde::{Deserialize, Serialize};

/// The end of a range whose length the server did not tell.
pub const UNBOUNDED: u64 = u64::MAX;

/// One byte range `start..end` of the file, of which `received` bytes from `start`
/// are durably on disk.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Segment {
    pub start: u64,
    pub end: u64,
    pub received: u64,
}

impl Segment {
    pub fn position(&self) -> u64 {
        self.start + self.received
    }

    pub fn is_done(&self) -> bool {
        self.position() >= self.end
    }
}

/// Splits `0..total` into `parts` nearly equal segments of at least `min_size`
/// bytes each (one segment when the length is unknown).
pub fn plan(total: Option<u64>, parts: usize, min_size: u64) -> Vec<Segment> {
    let Some(total) = total else {
        return vec![Segment {
            start: 0,
            end: UNBOUNDED,
            received: 0,
        }];
    };
    let by_size = (total / min_size.max(1)).max(1);
    let parts = (parts.max(1) as u64).min(by_size);
    let size = total / parts;
    (0..parts)
        .map(|i| Segment {
            start: i * size,
            end: if i + 1 == parts {
                total
            } else {
                (i + 1) * size
            },
            received: 0,
        })
        .collect()
}

/// Re-plans what is left of `segments` for `parts` connections before any of them
/// starts (on resume). A kill leaves ranges of very unequal length; a connection
/// that finishes early would then cut a running request in two, and a cut wastes
/// what the server had already sent on it. So a remaining range longer than half an
/// even share is cut now, while nothing is in flight, into pieces of about that
/// size; connections that finish early take whole pieces (the speeds of
/// connections to one server can differ threefold). Received bytes stay where they
/// are; the segments still cover the file exactly once.
pub fn balance(segments: &[Segment], parts: usize, min_size: u64) -> Vec<Segment> {
    let remaining = |s: &Segment| s.end.saturating_sub(s.position());
    if parts <= 1 || segments.iter().any(|s| s.end == UNBOUNDED) {
        return segments.to_vec();
    }
    // A finished range is folded into the one right after it, so the list stays as
    // long as the ranges still open, however often the download was resumed.
    let mut folded: Vec<Segment> = Vec::with_capacity(segments.len());
    for segment in segments {
        match folded.last_mut() {
            Some(done) if done.is_done() && done.end == segment.start => {
                *done = Segment {
                    start: done.start,
                    end: segment.end,
                    received: segment.position() - done.start,
                };
            }
            _ => folded.push(*segment),
        }
    }
    let left: u64 = folded.iter().map(remaining).sum();
    let share = left.div_ceil(2 * parts as u64).max(min_size.max(1));
    let mut balanced = Vec::with_capacity(folded.len() + parts);
    for segment in &folded {
        let left = remaining(segment);
        // Rounded to the nearest count of shares, and no piece below `min_size`.
        let pieces = ((left + share / 2) / share)
            .min(left / min_size.max(1))
            .max(1);
        let piece = left / pieces;
        // The first piece keeps what was received; the last ends where the range did.
        let mut current = *segment;
        for i in 1..pieces {
            let cut = segment.position() + i * piece;
            balanced.push(Segment {
                end: cut,
                ..current
            });
            current = Segment {
                start: cut,
                end: segment.end,
                received: 0,
            };
        }
        balanced.push(current);
    }
    balanced
}

/// A live row of the table. `end` may shrink while a connection works on it (when
/// another connection takes its tail); `written` is what was received, `handed` what
/// of it the OS has (written, not yet necessarily flushed); `durable` is what is
/// flushed and recorded.
#[derive(Debug)]
struct Slot {
    start: u64,
    end: Arc<AtomicU64>,
    written: Arc<AtomicU64>,
    handed: Arc<AtomicU64>,
    durable: u64,
    owned: bool,
    /// When and from where its connection began: its speed so far.
    claimed_at: Instant,
    claimed_from: u64,
}

impl Slot {
    fn new(start: u64, end: u64, durable: u64, owned: bool) -> Self {
        Self {
            start,
            end: Arc::new(AtomicU64::new(end)),
            written: Arc::new(AtomicU64::new(durable)),
            handed: Arc::new(AtomicU64::new(durable)),
            durable,
            owned,
            claimed_at: Instant::now(),
            claimed_from: durable,
        }
    }

    /// What its connection still has to fetch, when it is fetching a bounded
    /// range with at least `2 * min_size` left: enough to be split.
    fn splittable_remainder(&self, min_size: u64) -> Option<u64> {
        let end = self.end.load(Ordering::SeqCst);
        let remaining = end.saturating_sub(self.written.load(Ordering::SeqCst));
        (self.owned && end != UNBOUNDED && remaining >= 2 * min_size.max(1)).then_some(remaining)
    }

    /// How long its connection would need for `remaining` bytes at the speed it
    /// had so far. One that received nothing counts as just begun until `worth`
    /// has passed, then as never finishing.
    fn time_for(&self, remaining: u64, worth: Duration) -> Duration {
        let done = self
            .written
            .load(Ordering::SeqCst)
            .saturating_sub(self.claimed_from);
        if done == 0 {
            return if self.claimed_at.elapsed() >= worth {
                Duration::MAX
            } else {
                Duration::ZERO
            };
        }
        let seconds = self.claimed_at.elapsed().as_secs_f64() * remaining as f64 / done as f64;
        Duration::try_from_secs_f64(seconds).unwrap_or(Duration::MAX)
    }

    fn claim(&self, index: usize) -> Claim {
        Claim {
            index,
            end: Arc::clone(&self.end),
            written: Arc::clone(&self.written),
            handed: Arc::clone(&self.handed),
        }
    }
}

/// A connection's claim on one slot.
#[derive(Clone, Debug)]
pub(crate) struct Claim {
    pub index: usize,
    pub end: Arc<AtomicU64>,
    pub written: Arc<AtomicU64>,
    /// Set only once the bytes below it were written to the file.
    pub handed: Arc<AtomicU64>,
}

/// What one segment looks like right now, for progress displays.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SegmentSnapshot {
    pub start: u64,
    pub end: u64,
    /// Bytes written from `start`.
    pub received: u64,
    /// A connection is fetching it.
    pub active: bool,
}

#[derive(Debug, Default)]
pub(crate) struct Table {
    slots: Mutex<Vec<Slot>>,
}

fn lock(slots: &Mutex<Vec<Slot>>) -> MutexGuard<'_, Vec<Slot>> {
    // Every update leaves the table consistent; a panic elsewhere does not poison it.
    slots.lock().unwrap_or_else(PoisonError::into_inner)
}

impl Table {
    pub(crate) fn reset(&self, segments: &[Segment]) {
        *lock(&self.slots) = segments
            .iter()
            .map(|s| Slot::new(s.start, s.end, s.position(), false))
            .collect();
    }

    /// Claims the first unfinished segment nobody is fetching.
    pub(crate) fn claim(&self) -> Option<Claim> {
        let mut slots = lock(&self.slots);
        let (index, slot) = slots
            .iter_mut()
            .enumerate()
            .find(|(_, s)| !s.owned && s.durable < s.end.load(Ordering::SeqCst))?;
        slot.owned = true;
        slot.claimed_at = Instant::now();
        slot.claimed_from = slot.durable;
        slot.written.store(slot.durable, Ordering::SeqCst);
        slot.handed.store(slot.durable, Ordering::SeqCst);
        Some(slot.claim(index))
    }

    /// Takes the second half of the largest range another connection still has
    /// to fetch, if it is at least `2 * min_size` long and that connection would
    /// need at least `worth` to finish it.
    pub(crate) fn steal(&self, min_size: u64, worth: Duration) -> Option<Claim> {
        let mut slots = lock(&self.slots);
        let (victim, remaining) = slots
            .iter()
            .enumerate()
            .filter_map(|(i, s)| Some((i, s.splittable_remainder(min_size)?)))
            .filter(|&(i, remaining)| slots[i].time_for(remaining, worth) >= worth)
            .max_by_key(|(_, remaining)| *remaining)?;
        let slot = &slots[victim];
        let old_end = slot.end.load(Ordering::SeqCst);
        let middle = old_end - remaining / 2;
        // The owner reads `end` before every write and stops there.
        slot.end.store(middle, Ordering::SeqCst);
        slots.push(Slot::new(middle, old_end, middle, true));
        Some(slots.last()?.claim(slots.len() - 1))
    }

    /// Whether a running range is long enough to be split if it turns out slow.
    pub(crate) fn may_split_later(&self, min_size: u64) -> bool {
        lock(&self.slots)
            .iter()
            .any(|s| s.splittable_remainder(min_size).is_some())
    }

    /// Records that `position` of slot `index` is flushed to disk.
    pub(crate) fn record(&self, index: usize, position: u64) {
        if let Some(slot) = lock(&self.slots).get_mut(index) {
            let end = slot.end.load(Ordering::SeqCst);
            slot.durable = slot.durable.max(position.min(end));
        }
    }

    /// The slots whose handed bytes go beyond what is recorded: what a flush of
    /// the file now would make durable, as (index, position).
    pub(crate) fn handed(&self) -> Vec<(usize, u64)> {
        lock(&self.slots)
            .iter()
            .enumerate()
            .map(|(i, s)| (i, s.handed.load(Ordering::SeqCst), s.durable))
            .filter(|&(_, handed, durable)| handed > durable)
            .map(|(i, handed, _)| (i, handed))
            .collect()
    }

    /// Where slot `index` continues from: its durable position.
    pub(crate) fn position(&self, index: usize) -> u64 {
        lock(&self.slots).get(index).map_or(0, |s| s.durable)
    }

    /// Ends an unbounded slot where its body ended: the file's real length.
    pub(crate) fn close_unbounded(&self, index: usize, length: u64) {
        if let Some(slot) = lock(&self.slots).get_mut(index) {
            slot.end.store(length, Ordering::SeqCst);
        }
    }

    pub(crate) fn release(&self, index: usize) {
        if let Some(slot) = lock(&self.slots).get_mut(index) {
            slot.owned = false;
        }
    }

    /// The durable state of every segment, in file order.
    pub(crate) fn durable(&self) -> Vec<Segment> {
        let mut segments: Vec<Segment> = lock(&self.slots)
            .iter()
            .map(|s| Segment {
                start: s.start,
                end: s.end.load(Ordering::SeqCst),
                received: s.durable - s.start,
            })
            .collect();
        segments.sort_by_key(|s| s.start);
        segments
    }

    pub(crate) fn snapshot(&self) -> Vec<SegmentSnapshot> {
        let mut segments: Vec<SegmentSnapshot> = lock(&self.slots)
            .iter()
            .map(|s| {
                let end = s.end.load(Ordering::SeqCst);
                let written = s.written.load(Ordering::SeqCst).max(s.durable).min(end);
                SegmentSnapshot {
                    start: s.start,
                    end,
                    received: written - s.start,
                    active: s.owned,
                }
            })
            .collect();
        segments.sort_by_key(|s| s.start);
        segments
    }

    pub(crate) fn all_done(&self) -> bool {
        lock(&self.slots)
            .iter()
            .all(|s| s.durable >= s.end.load(Ordering::SeqCst))
    }

    /// Bytes written so far over all segments.
    pub(crate) fn written(&self) -> u64 {
        lock(&self.slots)
            .iter()
            .map(|s| {
                let end = s.end.load(Ordering::SeqCst);
                s.written.load(Ordering::SeqCst).max(s.durable).min(end) - s.start
            })
            .sum()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const MIB: u64 = 1 << 20;

    #[test]
    fn balancing_cuts_long_remainders_into_pieces_and_keeps_what_was_received() {
        // After a kill: five ranges nearly done, three barely begun (in MiB).
        let mut segments = Vec::new();
        for (i, received) in [200, 200, 34, 200, 34, 200, 34, 200]
            .into_iter()
            .enumerate()
        {
            let start = i as u64 * 256 * MIB;
            segments.push(Segment {
                start,
                end: start + 256 * MIB,
                received: received * MIB,
            });
        }
        let balanced = balance(&segments, 8, MIB);
        // 5 × 56 + 3 × 222 = 946 MiB left, half an even share is 59.1 MiB: each
        // long remainder becomes four pieces of 55.5 MiB.
        assert_eq!(balanced.len(), 5 + 3 * 4);
        let left = |s: &Segment| s.end - s.position();
        assert!(balanced.iter().all(|s| left(s) <= 56 * MIB), "{balanced:?}");
        for pair in balanced.windows(2) {
            assert_eq!(pair[0].end, pair[1].start, "no gap, no overlap");
        }
        assert_eq!(balanced[0].start, 0);
        assert_eq!(balanced[16].end, 8 * 256 * MIB);
        let received = |list: &[Segment]| list.iter().map(|s| s.received).sum::<u64>();
        assert_eq!(received(&balanced), received(&segments));
        for original in &segments {
            assert!(
                balanced
                    .iter()
                    .any(|s| s.start == original.start && s.received == original.received),
                "the received part of {original:?} stays in its segment"
            );
        }

        assert_eq!(balance(&segments, 1, MIB), segments, "one connection");
        let done_then_open = [
            Segment {
                start: 0,
                end: MIB,
                received: MIB,
            },
            Segment {
                start: MIB,
                end: 2 * MIB,
                received: 3,
            },
        ];
        assert_eq!(
            balance(&done_then_open, 8, MIB),
            [Segment {
                start: 0,
                end: 2 * MIB,
                received: MIB + 3,
            }],
            "a finished range is folded into the next"
        );
        let even = plan(Some(64 * MIB), 16, MIB);
        assert_eq!(
            balance(&even, 8, MIB),
            even,
            "already in pieces of half a share"
        );
    }

    #[test]
    fn plans_cover_the_file_exactly() {
        let segments = plan(Some(10 * MIB + 3), 4, MIB);
        assert_eq!(segments.len(), 4);
        assert_eq!(segments[0].start, 0);
        assert_eq!(segments[3].end, 10 * MIB + 3);
        for pair in segments.windows(2) {
            assert_eq!(pair[0].end, pair[1].start);
        }
        assert_eq!(
            plan(Some(MIB / 2), 8, MIB).len(),
            1,
            "small files use one connection"
        );
        assert_eq!(plan(None, 8, MIB)[0].end, UNBOUNDED);
    }

    #[test]
    fn a_free_connection_takes_half_of_the_largest_remainder() {
        let table = Table::default();
        table.reset(&plan(Some(8 * MIB), 2, MIB));
        let first = table.claim().unwrap();
        let second = table.claim().unwrap();
        assert!(table.claim().is_none());
        first.written.store(4 * MIB, Ordering::SeqCst); // first finished
        table.record(first.index, 4 * MIB);
        table.release(first.index);
        second.written.store(5 * MIB, Ordering::SeqCst); // second is slow: 3 MiB left

        let stolen = table.steal(MIB, Duration::ZERO).unwrap();
        assert_eq!(table.position(stolen.index), 6 * MIB + MIB / 2);
        assert_eq!(second.end.load(Ordering::SeqCst), 6 * MIB + MIB / 2);
        assert_eq!(stolen.end.load(Ordering::SeqCst), 8 * MIB);

        let durable = table.durable();
        assert_eq!(durable.len(), 3);
        assert_eq!(durable[2].start, 6 * MIB + MIB / 2);
        assert!(!table.all_done());
    }

    #[test]
    fn ranges_about_to_finish_or_just_begun_are_left_alone() {
        let table = Table::default();
        table.reset(&plan(Some(16 * MIB), 2, MIB));
        let fast = table.claim().unwrap();
        let fresh = table.claim().unwrap();
        // Half of the first range arrived at once: the rest is as quick. The
        // second has received nothing yet, so its speed is not known.
        fast.written.store(4 * MIB, Ordering::SeqCst);
        assert!(table.steal(MIB, Duration::from_secs(1)).is_none());
        // Where any split is worth it, the largest remainder is halved.
        let stolen = table.steal(MIB, Duration::ZERO).unwrap();
        assert_eq!(stolen.end.load(Ordering::SeqCst), 16 * MIB);
        assert_eq!(fresh.end.load(Ordering::SeqCst), 12 * MIB);
    }

    #[test]
    fn small_remainders_are_not_split() {
        let table = Table::default();
        table.reset(&plan(Some(3 * MIB), 1, MIB));
        let only = table.claim().unwrap();
        only.written.store(2 * MIB, Ordering::SeqCst);
        assert!(table.steal(MIB, Duration::ZERO).is_none());
    }

    #[test]
    fn recorded_progress_never_passes_the_end() {
        let table = Table::default();
        table.reset(&plan(Some(4 * MIB), 1, MIB));
        let claim = table.claim().unwrap();
        table.record(claim.index, 9 * MIB);
        assert_eq!(table.durable()[0].received, 4 * MIB);
        assert!(table.all_done());
    }
}
