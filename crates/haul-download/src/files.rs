//! The `.part` file and the final name: reserving a name, opening the partial file,
//! publishing it without ever replacing someone else's file.

use std::io;
use std::path::{Path, PathBuf};

use tokio::fs::{File, OpenOptions};

use crate::Error;
use crate::filename::{numbered, path_inside};

const MAX_NAME_ALTERNATIVES: u32 = 1000;

pub(crate) fn part_path(dir: &Path, name: &str) -> Result<PathBuf, Error> {
    let part = format!("{name}.part");
    path_inside(dir, &part).ok_or(Error::UnsafePath(part))
}

async fn exists(path: &Path) -> Result<bool, Error> {
    tokio::fs::try_exists(path)
        .await
        .map_err(|e| Error::io(format!("cannot inspect {}", path.display()), e))
}

async fn create_dir(dir: &Path) -> Result<(), Error> {
    tokio::fs::create_dir_all(dir)
        .await
        .map_err(|e| Error::io(format!("cannot create {}", dir.display()), e))
}

/// Claims a name in `dir` that neither a finished file nor another transfer's
/// `.part` uses, by creating its `.part` file exclusively.
pub(crate) async fn reserve_name(dir: &Path, name: &str) -> Result<String, Error> {
    create_dir(dir).await?;
    for n in 0..MAX_NAME_ALTERNATIVES {
        let candidate = numbered(name, n);
        let path =
            path_inside(dir, &candidate).ok_or_else(|| Error::UnsafePath(candidate.clone()))?;
        if exists(&path).await? {
            continue;
        }
        let part = part_path(dir, &candidate)?;
        match OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&part)
            .await
        {
            Ok(_) => return Ok(candidate),
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => continue,
            Err(e) => return Err(Error::io(format!("cannot create {}", part.display()), e)),
        }
    }
    Err(Error::UnsafePath(name.to_string()))
}

/// Opens the `.part` file for writing (creating it if it vanished).
pub(crate) async fn open_part(dir: &Path, name: &str) -> Result<File, Error> {
    create_dir(dir).await?;
    let path = part_path(dir, name)?;
    OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(false)
        .open(&path)
        .await
        .map_err(|e| Error::io(format!("cannot open {}", path.display()), e))
}

/// The length of the `.part` file, or `None` if it is missing.
pub(crate) async fn part_len(dir: &Path, name: &str) -> Result<Option<u64>, Error> {
    let path = part_path(dir, name)?;
    match tokio::fs::metadata(&path).await {
        Ok(meta) => Ok(Some(meta.len())),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(Error::io(format!("cannot inspect {}", path.display()), e)),
    }
}

/// A crash between the final rename and the caller's record leaves a complete file
/// and no `.part`: recognise it instead of fetching it again.
pub(crate) async fn already_published(dir: &Path, name: &str, total: u64) -> Option<PathBuf> {
    let path = path_inside(dir, name)?;
    let part = part_path(dir, name).ok()?;
    let part_exists = tokio::fs::try_exists(&part).await.ok()?;
    let len = tokio::fs::metadata(&path).await.ok()?.len();
    (!part_exists && len == total).then_some(path)
}

/// Gives the complete `.part` file its final name without ever replacing a file
/// that appeared meanwhile: a hard link fails if the name is taken.
pub(crate) async fn publish(dir: &Path, name: &str) -> Result<(String, PathBuf), Error> {
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
