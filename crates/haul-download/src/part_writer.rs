//! One connection's writes into the `.part` file, at their offsets, as the chunks
//! came (no copy in between).
//!
//! A write hands bytes to the OS's page cache: a memory copy, done right where the
//! chunk arrived. The chunk is then dropped before the next read, so the HTTP
//! client reuses its read buffer instead of allocating another, and no thread has
//! to be woken. Where a write takes long (the OS is holding writers back for a slow
//! disk), the connection moves its writes to the blocking pool, so the runtime's
//! other tasks never wait for the disk: one batch on its way while the next fills.

use std::sync::Arc;
use std::time::{Duration, Instant};

use bytes::Bytes;
use tokio::task::JoinHandle;

use crate::Error;

/// Small enough that a kill loses little of what was not yet handed to the OS
/// (see the hand-over journal), large enough that the blocking pool is woken rarely.
const BATCH: usize = 64 << 10;
/// A write to the page cache takes microseconds; one that takes this long was
/// held back by the OS, and the next would hold up the runtime as long.
const SLOW_WRITE: Duration = Duration::from_millis(10);
const WRITE_FAILED: &str = "cannot write the partial file";

/// Joins a task of the blocking pool as the engine's error.
pub(crate) async fn joined(
    task: JoinHandle<std::io::Result<()>>,
    context: &'static str,
) -> Result<(), Error> {
    task.await
        .map_err(|e| Error::io(context, std::io::Error::other(e)))?
        .map_err(|e| Error::io(context, e))
}

pub(crate) struct PartWriter {
    file: Arc<std::fs::File>,
    /// Writes happen where the chunks arrive, until one takes `slow_write` or more;
    /// then they go in batches to the blocking pool.
    inline: bool,
    slow_write: Duration,
    batch: Vec<Bytes>,
    batch_len: usize,
    /// Where `batch` goes in the file.
    batch_at: u64,
    /// The batch being written, and where it ends.
    in_flight: Option<(u64, JoinHandle<std::io::Result<()>>)>,
    /// Everything before this offset was written to the file.
    handed: u64,
}

impl PartWriter {
    pub(crate) fn new(file: Arc<std::fs::File>, position: u64) -> Self {
        Self {
            file,
            inline: true,
            slow_write: SLOW_WRITE,
            batch: Vec::new(),
            batch_len: 0,
            batch_at: position,
            in_flight: None,
            handed: position,
        }
    }

    /// The offset below which every byte was written to the file.
    pub(crate) fn handed(&self) -> u64 {
        self.handed
    }

    /// Writes (or queues) bytes that follow those pushed before.
    pub(crate) async fn push(&mut self, bytes: Bytes) -> Result<(), Error> {
        if self.inline {
            // Nothing is queued or in flight while writing inline.
            let started = Instant::now();
            write_all_at(&self.file, &bytes, self.batch_at)
                .map_err(|e| Error::io(WRITE_FAILED, e))?;
            self.batch_at += bytes.len() as u64;
            self.handed = self.batch_at;
            if started.elapsed() >= self.slow_write {
                tracing::debug!(took = ?started.elapsed(), "slow write; writing on the blocking pool from now on");
                self.inline = false;
            }
            return Ok(());
        }
        self.batch_len += bytes.len();
        self.batch.push(bytes);
        if self.batch_len >= BATCH {
            self.start_batch().await?;
        }
        Ok(())
    }

    /// Writes everything queued and waits until the OS has it.
    pub(crate) async fn flush(&mut self) -> Result<u64, Error> {
        self.start_batch().await?;
        self.finish_in_flight().await?;
        Ok(self.handed)
    }

    async fn finish_in_flight(&mut self) -> Result<(), Error> {
        if let Some((end, task)) = self.in_flight.take() {
            joined(task, WRITE_FAILED).await?;
            self.handed = end;
        }
        Ok(())
    }

    async fn start_batch(&mut self) -> Result<(), Error> {
        self.finish_in_flight().await?;
        if self.batch.is_empty() {
            return Ok(());
        }
        let batch = std::mem::take(&mut self.batch);
        let at = self.batch_at;
        let end = at + self.batch_len as u64;
        self.batch_at = end;
        self.batch_len = 0;
        let file = Arc::clone(&self.file);
        let task = tokio::task::spawn_blocking(move || {
            let mut offset = at;
            for chunk in &batch {
                write_all_at(&file, chunk, offset)?;
                offset += chunk.len() as u64;
            }
            Ok(())
        });
        self.in_flight = Some((end, task));
        Ok(())
    }
}

#[cfg(unix)]
fn write_all_at(file: &std::fs::File, bytes: &[u8], offset: u64) -> std::io::Result<()> {
    std::os::unix::fs::FileExt::write_all_at(file, bytes, offset)
}

#[cfg(windows)]
fn write_all_at(file: &std::fs::File, mut bytes: &[u8], mut offset: u64) -> std::io::Result<()> {
    use std::os::windows::fs::FileExt;
    while !bytes.is_empty() {
        match file.seek_write(bytes, offset) {
            Ok(0) => return Err(std::io::ErrorKind::WriteZero.into()),
            Ok(n) => {
                bytes = &bytes[n..];
                offset += n as u64;
            }
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn part_file(dir: &tempfile::TempDir, len: u64) -> (std::path::PathBuf, Arc<std::fs::File>) {
        let path = dir.path().join("f.part");
        let file = std::fs::OpenOptions::new()
            .create(true)
            .truncate(true)
            .read(true)
            .write(true)
            .open(&path)
            .unwrap();
        file.set_len(len).unwrap();
        (path, Arc::new(file))
    }

    #[tokio::test]
    async fn chunks_are_written_as_they_come() {
        let dir = tempfile::tempdir().unwrap();
        let (path, file) = part_file(&dir, 16);
        let mut writer = PartWriter::new(file, 8);
        writer.push(Bytes::from_static(b"abc")).await.unwrap();
        assert_eq!(writer.handed(), 11, "the OS has the chunk at once");
        writer.push(Bytes::from_static(b"de")).await.unwrap();
        assert_eq!(writer.flush().await.unwrap(), 13);
        let written = std::fs::read(&path).unwrap();
        assert_eq!(&written[..13], b"\0\0\0\0\0\0\0\0abcde");
    }

    #[tokio::test]
    async fn after_a_slow_write_chunks_go_in_batches_to_the_blocking_pool() {
        let dir = tempfile::tempdir().unwrap();
        let (path, file) = part_file(&dir, 8 + 3 + 2 * BATCH as u64);
        let mut writer = PartWriter::new(file, 8);
        // Every write counts as slow: the first is made, the next are batched.
        writer.slow_write = Duration::ZERO;
        writer.push(Bytes::from_static(b"a")).await.unwrap();
        assert_eq!(writer.handed(), 9);
        writer.push(Bytes::from_static(b"bc")).await.unwrap();
        assert_eq!(writer.handed(), 9, "a small chunk waits for its batch");
        let big = Bytes::from(vec![7u8; BATCH]);
        writer.push(big.clone()).await.unwrap();
        writer.push(big).await.unwrap();
        assert_eq!(
            writer.handed(),
            8 + 3 + BATCH as u64,
            "the first batch was written"
        );
        assert_eq!(writer.flush().await.unwrap(), 8 + 3 + 2 * BATCH as u64);
        let written = std::fs::read(&path).unwrap();
        assert_eq!(&written[..8], &[0; 8]);
        assert_eq!(&written[8..11], b"abc");
        assert!(written[11..11 + 2 * BATCH].iter().all(|b| *b == 7));
    }
}
