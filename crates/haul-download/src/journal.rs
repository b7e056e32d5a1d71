//! The hand-over journal: `<name>.part.blocks` lists byte ranges that were handed
//! to the OS (written, not yet covered by an fsync), under the identity of the
//! running OS boot. A killed process loses none of those bytes: the kernel keeps
//! them in its page cache and writes them out. Only a restart of the OS (a power
//! cut, a crash) can lose them, and that changes the boot identity. So on resume,
//! ranges journalled in this boot are kept (and fsynced before they are recorded);
//! ranges from another boot are fetched again. The journal never weakens what the
//! recorded progress promises, and costs one small append per `STEP` of progress.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, OnceLock, PoisonError};

use crate::Error;
use crate::filename::path_inside;
use crate::segments::Segment;

/// A connection journals its progress each time it has handed this much more.
/// This bounds what a kill costs per connection, beside the chunk being read.
pub(crate) const STEP: u64 = 128 * 1024;
const MAGIC: &[u8; 8] = b"HAULJRN2";
const RECORD_LEN: usize = 16;

fn journal_path(dir: &Path, name: &str) -> Result<PathBuf, Error> {
    let file = format!("{name}.part.blocks");
    path_inside(dir, &file).ok_or(Error::UnsafePath(file))
}

/// What identifies this boot of the OS; `None` where it cannot be known (the
/// journal is then not kept, and a kill costs what the last fsync did not cover).
fn boot_identity() -> Option<&'static [u8]> {
    static IDENTITY: OnceLock<Option<Vec<u8>>> = OnceLock::new();
    IDENTITY.get_or_init(read_boot_identity).as_deref()
}

#[cfg(target_os = "linux")]
fn read_boot_identity() -> Option<Vec<u8>> {
    let id = std::fs::read("/proc/sys/kernel/random/boot_id").ok()?;
    let id = id.trim_ascii().to_vec();
    (!id.is_empty() && id.len() <= 255).then_some(id)
}

/// macOS: the boot time, to the microsecond.
#[cfg(target_os = "macos")]
fn read_boot_identity() -> Option<Vec<u8>> {
    let output = std::process::Command::new("/usr/sbin/sysctl")
        .args(["-n", "kern.boottime"])
        .output()
        .ok()?;
    let id = output.stdout.trim_ascii().to_vec();
    (output.status.success() && !id.is_empty() && id.len() <= 255).then_some(id)
}

#[cfg(not(any(target_os = "linux", target_os = "macos")))]
fn read_boot_identity() -> Option<Vec<u8>> {
    None
}

fn header(identity: &[u8]) -> Vec<u8> {
    let mut header = MAGIC.to_vec();
    // boot_identity() keeps identities within 255 bytes.
    header.push(u8::try_from(identity.len()).unwrap_or(u8::MAX));
    header.extend_from_slice(identity);
    header
}

/// Appends records; shared by the connections of one transfer. The file is
/// created (anew) with the first record: the ranges an earlier journal listed were
/// recovered before this transfer began, and a transfer that hands over less
/// than a step never has one.
pub(crate) struct Journal {
    path: PathBuf,
    identity: &'static [u8],
    file: Mutex<Option<std::fs::File>>,
}

impl Journal {
    /// `None` where the OS's boot cannot be identified.
    pub(crate) fn at(dir: &Path, name: &str) -> Result<Option<Self>, Error> {
        let path = journal_path(dir, name)?;
        Ok(boot_identity().map(|identity| Self {
            path,
            identity,
            file: Mutex::new(None),
        }))
    }

    /// Records that the bytes `from..to` were handed to the OS. A failure only
    /// costs a re-fetch after a kill, so it is logged, not raised.
    pub(crate) fn handed(&self, from: u64, to: u64) {
        let mut record = [0u8; RECORD_LEN];
        record[..8].copy_from_slice(&from.to_le_bytes());
        record[8..].copy_from_slice(&to.to_le_bytes());
        let mut file = self.file.lock().unwrap_or_else(PoisonError::into_inner);
        if file.is_none() {
            let created = std::fs::File::create(&self.path).and_then(|mut created| {
                created.write_all(&header(self.identity))?;
                Ok(created)
            });
            match created {
                Ok(created) => *file = Some(created),
                Err(error) => {
                    tracing::debug!(%error, path = %self.path.display(), "cannot start the hand-over journal");
                    return;
                }
            }
        }
        if let Some(file) = file.as_mut()
            && let Err(error) = file.write_all(&record)
        {
            tracing::debug!(%error, "cannot append to the hand-over journal");
        }
    }
}

/// One connection's view: journals its progress once per `STEP`.
pub(crate) struct HandOver {
    from: u64,
    journalled: u64,
}

impl HandOver {
    /// For a fetch continuing from the durable position `from`.
    pub(crate) fn new(from: u64) -> Self {
        Self {
            from,
            journalled: from,
        }
    }

    /// The OS now has every byte from `from` to `handed`. (Where a fetch ends,
    /// a flush and record follow: the journal need not have the rest.)
    pub(crate) fn advance(&mut self, journal: &Journal, handed: u64) {
        if handed >= self.journalled.saturating_add(STEP) {
            journal.handed(self.from, handed);
            self.journalled = handed;
        }
    }
}

/// The ranges journalled in this boot; none from another boot or an unreadable file.
fn read_records(path: &Path) -> Vec<(u64, u64)> {
    let Some(identity) = boot_identity() else {
        return Vec::new();
    };
    let Ok(bytes) = std::fs::read(path) else {
        return Vec::new();
    };
    let Some(records) = bytes.strip_prefix(header(identity).as_slice()) else {
        return Vec::new();
    };
    records
        .chunks_exact(RECORD_LEN)
        .filter_map(|record| {
            let from = u64::from_le_bytes(record.get(..8)?.try_into().ok()?);
            let to = u64::from_le_bytes(record.get(8..16)?.try_into().ok()?);
            (from < to).then_some((from, to))
        })
        .collect()
}

/// Extends each segment's received bytes by the ranges journalled in this boot
/// that continue it, and makes those bytes durable. Returns the bytes gained (0
/// when nothing could be kept and synced; `segments` is then unchanged).
pub(crate) fn recover(dir: &Path, name: &str, part: &Path, segments: &mut [Segment]) -> u64 {
    let Ok(path) = journal_path(dir, name) else {
        return 0;
    };
    let records = read_records(&path);
    if records.is_empty() {
        return 0;
    }
    let mut extended = segments.to_vec();
    let mut gained = 0;
    for segment in &mut extended {
        // Ranges chain when a connection retried from a later durable position;
        // one may pass the segment's end when another connection took its tail.
        while let Some(to) = records
            .iter()
            .map(|&(from, to)| (from, to.min(segment.end)))
            .filter(|&(from, to)| from <= segment.position() && segment.position() < to)
            .map(|(_, to)| to)
            .max()
        {
            gained += to - segment.position();
            segment.received = to - segment.start;
        }
    }
    if gained == 0 {
        return 0;
    }
    // Durable before recorded, as everywhere else.
    let synced = std::fs::OpenOptions::new()
        .write(true)
        .open(part)
        .and_then(|file| file.sync_data());
    if let Err(error) = synced {
        tracing::debug!(%error, "cannot flush the recovered bytes");
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
        tracing::debug!(%error, "cannot remove the hand-over journal");
    }
}

#[cfg(all(test, target_os = "linux"))]
mod tests {
    use super::*;

    const MIB: u64 = 1 << 20;

    fn one_segment(received: u64) -> Vec<Segment> {
        vec![Segment {
            start: 0,
            end: 8 * MIB,
            received,
        }]
    }

    #[test]
    fn ranges_handed_in_this_boot_are_kept_up_to_the_last_step() {
        let dir = tempfile::tempdir().unwrap();
        let part = dir.path().join("f.part");
        std::fs::write(&part, vec![1u8; (8 * MIB) as usize]).unwrap();
        let journal = Journal::at(dir.path(), "f").unwrap().unwrap();
        let mut connection = HandOver::new(1000);
        connection.advance(&journal, 1000 + STEP - 1);
        assert!(
            !journal_path(dir.path(), "f").unwrap().exists(),
            "less than a step: nothing yet"
        );
        connection.advance(&journal, 1000 + 3 * STEP);
        connection.advance(&journal, 1000 + 3 * STEP + 10);
        // A retry continued from a later durable position.
        let mut retry = HandOver::new(1000 + 3 * STEP);
        retry.advance(&journal, 1000 + 5 * STEP);
        drop(journal);

        let mut segments = one_segment(1000);
        let gained = recover(dir.path(), "f", &part, &mut segments);
        assert_eq!(segments[0].received, 1000 + 5 * STEP);
        assert_eq!(gained, 5 * STEP);

        // A range that does not continue the segment is not taken.
        let mut segments = one_segment(10);
        assert_eq!(recover(dir.path(), "f", &part, &mut segments), 0);
        assert_eq!(segments[0].received, 10);
    }

    #[test]
    fn ranges_from_another_boot_are_fetched_again() {
        let dir = tempfile::tempdir().unwrap();
        let part = dir.path().join("f.part");
        std::fs::write(&part, vec![1u8; (8 * MIB) as usize]).unwrap();
        let mut journal = header(b"00000000-another-boot");
        journal.extend_from_slice(&0u64.to_le_bytes());
        journal.extend_from_slice(&(4 * MIB).to_le_bytes());
        std::fs::write(journal_path(dir.path(), "f").unwrap(), journal).unwrap();
        let mut segments = one_segment(0);
        assert_eq!(recover(dir.path(), "f", &part, &mut segments), 0);
        assert_eq!(segments[0].received, 0);

        clear(dir.path(), "f");
        assert!(!journal_path(dir.path(), "f").unwrap().exists());
    }
}
