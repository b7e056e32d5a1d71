//! The block journal: `<name>.part.blocks` lists (offset, length, hash) of blocks
//! handed to the OS but not yet covered by an fsync. After a kill, the bytes of
//! those blocks are usually still there (the page cache outlives the process), but
//! nothing proves it: on resume each listed block is read back and hashed, and
//! only blocks whose bytes match are kept — then fsynced before they are recorded.
//! After a power cut the hashes do not match and the blocks are fetched again, so
//! the journal never weakens what the recorded progress promises.

use std::io::{Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};
use std::sync::{Mutex, PoisonError};

use xxhash_rust::xxh3::{Xxh3, xxh3_64};

use crate::Error;
use crate::filename::path_inside;
use crate::segments::Segment;

/// Bytes per journal record. With the write buffer this bounds what a kill costs
/// per connection.
pub(crate) const BLOCK: u64 = 512 * 1024;
const RECORD_LEN: usize = 20;

fn journal_path(dir: &Path, name: &str) -> Result<PathBuf, Error> {
    let file = format!("{name}.part.blocks");
    path_inside(dir, &file).ok_or(Error::UnsafePath(file))
}

/// Appends records; shared by the connections of one transfer.
pub(crate) struct Journal {
    file: Mutex<std::fs::File>,
}

impl Journal {
    pub(crate) fn open(dir: &Path, name: &str) -> Result<Self, Error> {
        let path = journal_path(dir, name)?;
        let file = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(&path)
            .map_err(|e| Error::io(format!("cannot open {}", path.display()), e))?;
        Ok(Self {
            file: Mutex::new(file),
        })
    }

    /// Records a block whose bytes were handed to the OS. A failure only costs a
    /// re-fetch after a crash, so it is logged, not raised.
    fn append(&self, start: u64, len: u32, hash: u64) {
        let mut record = [0u8; RECORD_LEN];
        record[..8].copy_from_slice(&start.to_le_bytes());
        record[8..12].copy_from_slice(&len.to_le_bytes());
        record[12..].copy_from_slice(&hash.to_le_bytes());
        let mut file = self.file.lock().unwrap_or_else(PoisonError::into_inner);
        if let Err(error) = file.write_all(&record) {
            tracing::debug!(%error, "cannot append to the block journal");
        }
    }
}

/// One connection's view: hashes what it writes and records whole blocks once
/// they left the write buffer.
pub(crate) struct BlockHasher {
    block_start: u64,
    hashed_to: u64,
    hasher: Xxh3,
    /// Blocks complete but maybe still in the write buffer.
    pending: Vec<(u64, u32, u64)>,
}

impl BlockHasher {
    pub(crate) fn new(position: u64) -> Self {
        Self {
            block_start: position,
            hashed_to: position,
            hasher: Xxh3::new(),
            pending: Vec::new(),
        }
    }

    /// Feeds bytes written at the current position.
    pub(crate) fn update(&mut self, mut bytes: &[u8]) {
        while !bytes.is_empty() {
            let room = BLOCK - (self.hashed_to - self.block_start);
            let take = bytes.len().min(usize::try_from(room).unwrap_or(usize::MAX));
            let (head, rest) = bytes.split_at(take);
            self.hasher.update(head);
            self.hashed_to += take as u64;
            bytes = rest;
            if self.hashed_to - self.block_start == BLOCK {
                self.pending.push((
                    self.block_start,
                    u32::try_from(BLOCK).unwrap_or(u32::MAX),
                    self.hasher.digest(),
                ));
                self.hasher.reset();
                self.block_start = self.hashed_to;
            }
        }
    }

    /// Journals the pending blocks that end at or before `handed_to` (the bytes
    /// the OS has).
    pub(crate) fn handed(&mut self, journal: &Journal, handed_to: u64) {
        self.pending.retain(|&(start, len, hash)| {
            if start + u64::from(len) <= handed_to {
                journal.append(start, len, hash);
                false
            } else {
                true
            }
        });
    }
}

fn read_records(path: &Path) -> Vec<(u64, u64, u64)> {
    let Ok(bytes) = std::fs::read(path) else {
        return Vec::new();
    };
    bytes
        .chunks_exact(RECORD_LEN)
        .filter_map(|record| {
            let start = u64::from_le_bytes(record.get(..8)?.try_into().ok()?);
            let len = u32::from_le_bytes(record.get(8..12)?.try_into().ok()?);
            let hash = u64::from_le_bytes(record.get(12..20)?.try_into().ok()?);
            Some((start, u64::from(len), hash))
        })
        .collect()
}

/// Extends each segment's received bytes by the journalled blocks that follow it
/// and whose bytes on disk still match, and makes those bytes durable. Returns the
/// bytes gained (0 when nothing could be proven and synced; `segments` is then
/// unchanged).
pub(crate) fn recover(dir: &Path, name: &str, part: &Path, segments: &mut [Segment]) -> u64 {
    let Ok(path) = journal_path(dir, name) else {
        return 0;
    };
    let records = read_records(&path);
    if records.is_empty() {
        return 0;
    }
    let Ok(mut file) = std::fs::OpenOptions::new()
        .read(true)
        .write(true)
        .open(part)
    else {
        return 0;
    };
    let mut extended = segments.to_vec();
    let mut gained = 0;
    let mut buffer = Vec::new();
    for segment in &mut extended {
        loop {
            let position = segment.position();
            if position >= segment.end {
                break;
            }
            let Some(&(start, len, hash)) = records.iter().find(|(start, len, _)| {
                *start <= position && position < start + len && start + len <= segment.end
            }) else {
                break;
            };
            buffer.resize(usize::try_from(len).unwrap_or(0), 0);
            let read = file
                .seek(SeekFrom::Start(start))
                .and_then(|_| file.read_exact(&mut buffer));
            if read.is_err() || xxh3_64(&buffer) != hash {
                break;
            }
            gained += start + len - position;
            segment.received = start + len - segment.start;
        }
    }
    // Claimed only once durable.
    if gained == 0 || file.sync_data().is_err() {
        return 0;
    }
    segments.copy_from_slice(&extended);
    gained
}

/// Removes the journal (the file starts over or is complete).
pub(crate) fn clear(dir: &Path, name: &str) {
    if let Ok(path) = journal_path(dir, name)
        && let Err(error) = std::fs::remove_file(&path)
        && error.kind() != std::io::ErrorKind::NotFound
    {
        tracing::debug!(%error, "cannot remove the block journal");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_blocks_whose_bytes_match_are_recovered() {
        let dir = tempfile::tempdir().unwrap();
        let part = dir.path().join("f.part");
        let data: Vec<u8> = (0..(3 * BLOCK + 100))
            .map(|i| (i * 7 % 251) as u8)
            .collect();
        std::fs::write(&part, &data).unwrap();

        let journal = Journal::open(dir.path(), "f").unwrap();
        let mut hasher = BlockHasher::new(0);
        hasher.update(&data[..(3 * BLOCK + 100) as usize]);
        // Only two blocks left the write buffer.
        hasher.handed(&journal, 2 * BLOCK + 10);
        drop(journal);

        let mut segments = vec![Segment {
            start: 0,
            end: data.len() as u64,
            received: 1000,
        }];
        let gained = recover(dir.path(), "f", &part, &mut segments);
        assert_eq!(segments[0].received, 2 * BLOCK);
        assert_eq!(gained, 2 * BLOCK - 1000);

        // A block whose bytes changed on disk (a power cut) is not trusted.
        let mut damaged = data.clone();
        damaged[(BLOCK + 5) as usize] ^= 1;
        std::fs::write(&part, &damaged).unwrap();
        let mut segments = vec![Segment {
            start: 0,
            end: data.len() as u64,
            received: 0,
        }];
        recover(dir.path(), "f", &part, &mut segments);
        assert_eq!(segments[0].received, BLOCK);

        clear(dir.path(), "f");
        let mut segments = vec![Segment {
            start: 0,
            end: data.len() as u64,
            received: 0,
        }];
        assert_eq!(recover(dir.path(), "f", &part, &mut segments), 0);
    }
}
