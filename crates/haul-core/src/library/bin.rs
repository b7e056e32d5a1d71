//! The recycle bin. Every move is recorded before the file moves and finished
//! after; a move is a hard link then an unlink (or a rename that checks the
//! target is free), so it never overwrites anything and at every instant the
//! file exists under at least one of its two names. Start-up settles any move a
//! stop interrupted, in whichever direction the disk says it got.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use haul_store::bin::BinRow;

use super::views::BinEntryView;
use crate::error::{Error, ErrorCode, Result};
use crate::{CoreEvent, Shared};

const DAY_MS: i64 = 24 * 60 * 60 * 1000;

fn io_error(context: String) -> impl FnOnce(std::io::Error) -> Error {
    move |e| Error::from_io(&context, &e)
}

/// Moves `from` to `to` without ever replacing a file at `to`.
fn move_no_replace(from: &Path, to: &Path) -> std::io::Result<()> {
    match std::fs::hard_link(from, to) {
        Ok(()) => {
            if let Err(error) = std::fs::remove_file(from) {
                let _ = std::fs::remove_file(to);
                return Err(error);
            }
            Ok(())
        }
        Err(error) if error.kind() == std::io::ErrorKind::AlreadyExists => Err(error),
        Err(_) => {
            // No hard links here (FAT, some network shares): a rename, after
            // checking the target is free.
            if to.symlink_metadata().is_ok() {
                return Err(std::io::Error::from(std::io::ErrorKind::AlreadyExists));
            }
            std::fs::rename(from, to)
        }
    }
}

/// [`move_no_replace`] on the blocking pool: the outer error is a lost task,
/// the inner one the file system's answer.
async fn move_off_runtime(from: PathBuf, to: PathBuf) -> Result<std::io::Result<()>> {
    tokio::task::spawn_blocking(move || move_no_replace(&from, &to))
        .await
        .map_err(Error::internal)
}

#[cfg(unix)]
fn device(path: &Path) -> Option<u64> {
    use std::os::unix::fs::MetadataExt;
    std::fs::metadata(path).ok().map(|m| m.dev())
}

#[cfg(not(unix))]
fn device(path: &Path) -> Option<u64> {
    // The drive or share the path is on stands in for the device.
    use std::hash::{Hash, Hasher};
    let prefix = path.components().next()?;
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    prefix.hash(&mut hasher);
    Some(hasher.finish())
}

/// A bin folder on the file's own file system: the data folder's `bin` when it
/// shares one, else a `.haul-bin` folder beside the file.
fn bin_dir_for(shared: &Shared, file: &Path) -> Result<PathBuf> {
    let main = shared.data_dir.join("bin");
    std::fs::create_dir_all(&main).map_err(io_error(format!(
        "Cannot create the bin folder {}",
        main.display()
    )))?;
    let parent = file.parent().unwrap_or(Path::new("."));
    if device(&main).is_some() && device(&main) == device(parent) {
        return Ok(main);
    }
    let beside = parent.join(".haul-bin");
    std::fs::create_dir_all(&beside).map_err(io_error(format!(
        "Cannot create the bin folder {}",
        beside.display()
    )))?;
    Ok(beside)
}

/// The original path if free, else "name (n).ext" beside it.
fn free_path(original: &Path) -> PathBuf {
    if original.symlink_metadata().is_err() {
        return original.to_path_buf();
    }
    let stem = original
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let extension = original
        .extension()
        .map(|e| format!(".{}", e.to_string_lossy()))
        .unwrap_or_default();
    (1..)
        .map(|n| original.with_file_name(format!("{stem} ({n}){extension}")))
        .find(|candidate| candidate.symlink_metadata().is_err())
        .unwrap_or_else(|| original.to_path_buf())
}

fn exists(path: &str) -> bool {
    Path::new(path).symlink_metadata().is_ok()
}

#[cfg(unix)]
fn same_inode(a: &str, b: &str) -> bool {
    use std::os::unix::fs::MetadataExt;
    match (std::fs::metadata(a), std::fs::metadata(b)) {
        (Ok(a), Ok(b)) => a.dev() == b.dev() && a.ino() == b.ino(),
        _ => false,
    }
}

#[cfg(not(unix))]
fn same_inode(_: &str, _: &str) -> bool {
    // Without inodes, two names means the link was made and the unlink was not.
    true
}

/// Moves items to the bin; returns their ids (a bin entry is named by its
/// item's id). Items already binned or unknown are an error.
pub(crate) async fn remove(shared: &Arc<Shared>, item_ids: &[i64]) -> Result<Vec<i64>> {
    shared.ensure_writable()?;
    let mut entries = Vec::new();
    for &id in item_ids {
        let item = shared
            .store
            .library()
            .get(id)
            .await?
            .filter(|item| item.state == "present")
            .ok_or_else(|| {
                Error::new(
                    ErrorCode::NotFound,
                    format!("There is no library item #{id} to remove."),
                )
            })?;
        let original = PathBuf::from(&item.path);
        let bin_dir = bin_dir_for(shared, &original)?;
        let Some(entry) = shared
            .store
            .bin()
            .begin_binning(id, &bin_dir.display().to_string())
            .await?
        else {
            continue;
        };
        let moved = move_off_runtime(original.clone(), PathBuf::from(&entry.bin_path)).await?;
        match moved {
            Ok(()) => {
                shared.store.bin().finish_binning(&entry).await?;
                entries.push(id);
            }
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => {
                // The file was already gone: the item goes to the bin as a record
                // only, so the library stops showing a file that is not there.
                shared.store.bin().cancel(entry.id).await?;
                shared.store.library().delete(id).await?;
            }
            Err(error) => {
                shared.store.bin().cancel(entry.id).await?;
                return Err(Error::from_io(
                    &format!("Cannot move {} to the bin", original.display()),
                    &error,
                ));
            }
        }
    }
    shared.events.publish(CoreEvent::LibraryChanged);
    Ok(entries)
}

/// Puts binned files back where they were (a free name beside it if taken).
pub(crate) async fn restore(shared: &Arc<Shared>, item_ids: &[i64]) -> Result<Vec<String>> {
    shared.ensure_writable()?;
    let mut restored = Vec::new();
    for &id in item_ids {
        let entry = shared
            .store
            .bin()
            .for_item(id)
            .await?
            .filter(|e| e.state == "binned")
            .ok_or_else(|| {
                Error::new(
                    ErrorCode::NotFound,
                    format!("Item #{id} is not in the recycle bin."),
                )
            })?;
        let original = PathBuf::from(&entry.original_path);
        if let Some(parent) = original.parent() {
            std::fs::create_dir_all(parent).map_err(io_error(format!(
                "Cannot recreate the folder {}",
                parent.display()
            )))?;
        }
        let target = free_path(&original);
        let target_text = target.display().to_string();
        let Some(entry) = shared
            .store
            .bin()
            .begin(entry.id, Some(&target_text))
            .await?
        else {
            continue;
        };
        let moved = move_off_runtime(PathBuf::from(&entry.bin_path), target.clone()).await?;
        if let Err(error) = moved {
            shared.store.bin().back_to_binned(entry.id).await?;
            return Err(Error::from_io(
                &format!("Cannot restore {}", original.display()),
                &error,
            ));
        }
        let name = target
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        shared
            .store
            .bin()
            .finish_restore(&entry, &target_text, &name)
            .await?;
        restored.push(target_text);
    }
    shared.events.publish(CoreEvent::LibraryChanged);
    Ok(restored)
}

/// Deletes binned files for good: the ones given, or (with `older_than`) every
/// one removed longer ago than that.
pub(crate) async fn purge(shared: &Arc<Shared>, entries: Vec<BinRow>) -> Result<u32> {
    shared.ensure_writable()?;
    let mut purged = 0;
    for entry in entries {
        let Some(entry) = shared.store.bin().begin(entry.id, None).await? else {
            continue;
        };
        finish_purge(shared, &entry).await?;
        purged += 1;
    }
    shared.events.publish(CoreEvent::LibraryChanged);
    Ok(purged)
}

async fn finish_purge(shared: &Arc<Shared>, entry: &BinRow) -> Result<()> {
    let path = PathBuf::from(&entry.bin_path);
    match std::fs::remove_file(&path) {
        Ok(()) => {}
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => {}
        Err(error) => {
            return Err(Error::from_io(
                &format!("Cannot delete {}", path.display()),
                &error,
            ));
        }
    }
    let blake3 = shared
        .store
        .library()
        .get(entry.item_id)
        .await?
        .map(|item| item.blake3);
    shared.store.bin().finish_purge(entry).await?;
    // A hard-linked copy keeps the content alive; its thumbnail goes only with
    // the last item that has this content.
    if let Some(blake3) = blake3
        && !shared.store.library().hash_in_use(&blake3).await?
    {
        super::thumbnails::forget(shared, &blake3);
    }
    Ok(())
}

pub(crate) async fn purge_older_than(shared: &Arc<Shared>, age: Duration) -> Result<u32> {
    let age_ms = i64::try_from(age.as_millis()).unwrap_or(i64::MAX);
    let before = haul_store::now_millis().saturating_sub(age_ms);
    let entries = shared.store.bin().binned_before(before).await?;
    purge(shared, entries).await
}

pub(crate) async fn empty(shared: &Arc<Shared>) -> Result<u32> {
    let entries = shared.store.bin().binned_before(i64::MAX).await?;
    purge(shared, entries).await
}

pub(crate) async fn list(shared: &Arc<Shared>) -> Result<Vec<BinEntryView>> {
    let retention = i64::from(shared.settings().library.bin_retention_days) * DAY_MS;
    shared
        .store
        .bin()
        .list()
        .await?
        .into_iter()
        .map(|(entry, item)| BinEntryView::new(entry, item, retention))
        .collect()
}

/// Settles every move a stop interrupted, by what is on disk: a move whose file
/// reached its new name is finished, one whose file never left is undone.
pub(crate) async fn reconcile(shared: &Arc<Shared>) -> Result<()> {
    for entry in shared.store.bin().unfinished().await? {
        match entry.state.as_str() {
            "binning" => {
                let (at_original, in_bin) = (exists(&entry.original_path), exists(&entry.bin_path));
                if in_bin && (!at_original || same_inode(&entry.original_path, &entry.bin_path)) {
                    if at_original {
                        std::fs::remove_file(&entry.original_path).map_err(io_error(format!(
                            "Cannot finish moving {} to the bin",
                            entry.original_path
                        )))?;
                    }
                    shared.store.bin().finish_binning(&entry).await?;
                    tracing::info!(
                        item = entry.item_id,
                        "finished a move to the bin a stop cut short"
                    );
                } else {
                    shared.store.bin().cancel(entry.id).await?;
                    tracing::info!(
                        item = entry.item_id,
                        "undid a move to the bin a stop cut short"
                    );
                }
            }
            "restoring" => {
                let target = entry.restore_path.clone().unwrap_or_default();
                let (at_target, in_bin) = (exists(&target), exists(&entry.bin_path));
                if at_target && (!in_bin || same_inode(&target, &entry.bin_path)) {
                    if in_bin {
                        std::fs::remove_file(&entry.bin_path)
                            .map_err(io_error(format!("Cannot finish restoring {target}")))?;
                    }
                    let name = Path::new(&target)
                        .file_name()
                        .map(|n| n.to_string_lossy().into_owned())
                        .unwrap_or_default();
                    shared
                        .store
                        .bin()
                        .finish_restore(&entry, &target, &name)
                        .await?;
                    tracing::info!(item = entry.item_id, "finished a restore a stop cut short");
                } else {
                    shared.store.bin().back_to_binned(entry.id).await?;
                    tracing::info!(item = entry.item_id, "undid a restore a stop cut short");
                }
            }
            "purging" => finish_purge(shared, &entry).await?,
            _ => {}
        }
    }
    Ok(())
}

pub(crate) fn retention(shared: &Shared) -> Duration {
    Duration::from_millis(u64::from(shared.settings().library.bin_retention_days) * DAY_MS as u64)
}
