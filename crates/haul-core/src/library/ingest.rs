//! Bringing files into the library: each is hashed (BLAKE3, streaming), its kind
//! sniffed from the content, an image's size and perceptual hash taken at reduced
//! scale; a file Haul fetched whose content is already in the library becomes a
//! hard link to the existing copy. Folder scans skip files whose size and
//! modification time have not changed.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant, UNIX_EPOCH};

use futures_util::StreamExt;
use haul_media::{DecodeLimits, MediaKind as SniffedKind};
use haul_store::library::{ItemRow, NewItem};

use super::views::{LibraryProgress, MediaKind, ScanFailure, ScanReport};
use crate::error::{Error, ErrorCode, Result};
use crate::{CoreEvent, Shared};

/// Where a file came from, as recorded with it.
#[derive(Clone, Debug, Default)]
pub(crate) struct Origin {
    pub kind: &'static str,
    pub download_id: Option<i64>,
    pub task_id: Option<i64>,
    pub folder_id: Option<i64>,
    pub url: Option<String>,
    pub posted_at: Option<i64>,
    pub platform: Option<String>,
    /// The source's name.
    pub source: Option<String>,
}

/// What reading a file told us.
struct Probe {
    size: u64,
    mtime: i64,
    blake3: String,
    kind: MediaKind,
    mime: Option<String>,
    width: Option<u32>,
    height: Option<u32>,
    phash: Option<haul_media::PerceptualHash>,
    /// Made from the same decode as the perceptual hash, cached at once.
    thumbnail: Option<Vec<u8>>,
    media_error: Option<String>,
}

fn mtime_millis(metadata: &std::fs::Metadata) -> i64 {
    metadata
        .modified()
        .ok()
        .and_then(|t| t.duration_since(UNIX_EPOCH).ok())
        .map(|d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
        .unwrap_or(0)
}

fn probe(path: &Path) -> haul_media::Result<Probe> {
    let io = |e| haul_media::MediaError::Io {
        path: path.display().to_string(),
        source: e,
    };
    let before = std::fs::metadata(path).map_err(io)?;
    let sniffed = haul_media::sniff_file(path)?;
    let limits = DecodeLimits::default();
    let image = sniffed.kind == SniffedKind::Image;
    // An image is read once: the bytes in memory serve the hash and the decode.
    let bytes = if image && before.len() <= limits.max_file_bytes {
        Some(haul_media::read_limited(path, &limits)?)
    } else {
        None
    };
    let hashed = match &bytes {
        Some(bytes) => haul_media::hash_bytes(bytes),
        None => haul_media::hash_file(path)?,
    };
    let after = std::fs::metadata(path).map_err(io)?;
    if before.len() != after.len()
        || mtime_millis(&before) != mtime_millis(&after)
        || hashed.size != after.len()
    {
        return Err(haul_media::MediaError::Io {
            path: path.display().to_string(),
            source: std::io::Error::other("the file changed while it was hashed"),
        });
    }
    let mut probe = Probe {
        size: hashed.size,
        mtime: mtime_millis(&after),
        blake3: hashed.to_hex(),
        kind: MediaKind::from_media(sniffed.kind),
        mime: sniffed.mime.map(str::to_string),
        width: None,
        height: None,
        phash: None,
        thumbnail: None,
        media_error: None,
    };
    if image {
        let measured = match &bytes {
            // One decode, at the thumbnail's scale, serves the perceptual hash too.
            Some(bytes) => haul_media::dimensions(path, bytes).and_then(|dims| {
                let side = u16::try_from(haul_media::THUMBNAIL_SIDE).unwrap_or(u16::MAX);
                let image = haul_media::decode_bytes(path, bytes, side, &limits)?;
                probe.thumbnail = haul_media::thumbnail_of(path, &image).ok();
                Ok((dims, haul_media::perceptual_hash_of(&image)))
            }),
            None => Err(haul_media::MediaError::Limit {
                path: path.display().to_string(),
                what: format!(
                    "images over {} MiB are not previewed",
                    limits.max_file_bytes >> 20
                ),
            }),
        };
        match measured {
            Ok((dims, phash)) => {
                probe.width = Some(dims.width);
                probe.height = Some(dims.height);
                probe.phash = Some(phash);
            }
            Err(error) => probe.media_error = Some(error.to_string()),
        }
    }
    Ok(probe)
}

#[cfg(unix)]
fn same_file(a: &std::fs::Metadata, b: &std::fs::Metadata) -> bool {
    use std::os::unix::fs::MetadataExt;
    a.dev() == b.dev() && a.ino() == b.ino()
}

#[cfg(not(unix))]
fn same_file(_: &std::fs::Metadata, _: &std::fs::Metadata) -> bool {
    false
}

/// Replaces `path` by a hard link to an existing library copy of the same
/// content, when one is still unchanged on disk and on the same file system.
/// Returns the modification time the file has afterwards.
fn link_to_copy(path: &Path, copies: &[ItemRow], size: u64) -> Option<i64> {
    let ours = std::fs::metadata(path).ok()?;
    for copy in copies {
        let copy_path = Path::new(&copy.path);
        if copy_path == path {
            continue;
        }
        let Ok(theirs) = std::fs::metadata(copy_path) else {
            continue;
        };
        // Only a copy that has not changed since it was hashed has this content.
        if theirs.len() != size || mtime_millis(&theirs) != copy.file_mtime {
            continue;
        }
        if same_file(&ours, &theirs) {
            return Some(copy.file_mtime);
        }
        let name = path.file_name()?.to_string_lossy().into_owned();
        let temporary = path.with_file_name(format!(".{name}.haul-link-{}", std::process::id()));
        let _ = std::fs::remove_file(&temporary);
        if let Err(error) = std::fs::hard_link(copy_path, &temporary) {
            // Another file system, or one without hard links: both copies stay
            // and the Duplicates page lists them.
            tracing::info!(path = %path.display(), %error, "duplicate kept as a copy");
            continue;
        }
        // The rename replaces our copy with the link in one step: the path never
        // lacks a complete file.
        if let Err(error) = std::fs::rename(&temporary, path) {
            tracing::warn!(path = %path.display(), %error, "cannot replace a duplicate by a link");
            let _ = std::fs::remove_file(&temporary);
            continue;
        }
        tracing::info!(path = %path.display(), copy = %copy_path.display(), "duplicate replaced by a hard link");
        return Some(copy.file_mtime);
    }
    None
}

/// Hashes and records one file; with `dedupe`, a copy of content already in the
/// library becomes a hard link to it.
pub(crate) async fn ingest(
    shared: &Arc<Shared>,
    path: &Path,
    origin: Origin,
    dedupe: bool,
) -> Result<ItemRow> {
    let owned = path.to_path_buf();
    let mut probed = shared.media.run(move || probe(&owned)).await?;
    // Hashing runs in parallel; looking for a copy and recording do not.
    let _recording = shared.library_ingest.lock().await;
    if dedupe {
        let copies = shared
            .store
            .library()
            .present_with_hash(&probed.blake3)
            .await?;
        if !copies.is_empty() {
            let owned = path.to_path_buf();
            let size = probed.size;
            let linked = tokio::task::spawn_blocking(move || link_to_copy(&owned, &copies, size))
                .await
                .map_err(Error::internal)?;
            if let Some(mtime) = linked {
                probed.mtime = mtime;
            }
        }
    }
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let new = NewItem {
        path: path.display().to_string(),
        name,
        size: i64::try_from(probed.size).unwrap_or(i64::MAX),
        kind: probed.kind.as_str().to_string(),
        mime: probed.mime,
        width: probed.width.map(i64::from),
        height: probed.height.map(i64::from),
        blake3: probed.blake3,
        // Stored as the bit pattern of the u64.
        phash: probed.phash.map(|p| p.hash as i64),
        phash_mirror: probed.phash.map(|p| p.mirrored as i64),
        media_error: probed.media_error,
        file_mtime: probed.mtime,
        posted_at: origin.posted_at,
        origin: origin.kind.to_string(),
        download_id: origin.download_id,
        task_id: origin.task_id,
        folder_id: origin.folder_id,
        url: origin.url,
        platform: origin.platform,
        source: origin.source,
    };
    let row = shared.store.library().upsert(&new).await?;
    if let Some(thumbnail) = probed.thumbnail {
        let blake3 = row.blake3.clone();
        let owned = Arc::clone(shared);
        // Off the runtime: a small file write, but a write all the same.
        let _ = tokio::task::spawn_blocking(move || {
            super::thumbnails::store(&owned, &blake3, &thumbnail);
        })
        .await;
    }
    shared.events.publish(CoreEvent::LibraryChanged);
    Ok(row)
}

/// Records a finished download's file (a plain download, a task's file or a
/// source's media item) in the library and the history.
pub(crate) async fn ingest_download(shared: &Arc<Shared>, id: i64, path: &Path) -> Result<()> {
    let row = shared
        .store
        .downloads()
        .get(id)
        .await?
        .ok_or_else(|| Error::not_found(id))?;
    if let Some(media) = shared.store.sources().media_by_download(id).await? {
        return crate::history::record_source_file(shared, &media, path).await;
    }
    let origin = Origin {
        kind: if row.task_id.is_some() {
            "task"
        } else {
            "download"
        },
        download_id: Some(id),
        task_id: row.task_id,
        url: row.task_id.is_none().then_some(row.url.clone()),
        ..Origin::default()
    };
    let item = ingest(shared, path, origin, true).await?;
    let download = crate::history::FinishedDownload {
        id: Some(row.id),
        task_id: row.task_id,
        url: &row.url,
    };
    crate::history::record(shared, &item, &download, None).await
}

/// Records finished downloads a stop left out of the library.
pub(crate) async fn catch_up(shared: &Arc<Shared>) -> Result<()> {
    let missing = shared.store.library().completed_downloads_missing().await?;
    for (id, dir, file_name, _, _) in missing {
        let Some(file_name) = file_name else { continue };
        let path = Path::new(&dir).join(file_name);
        if !path.is_file() {
            continue;
        }
        if let Err(error) = ingest_download(shared, id, &path).await {
            tracing::warn!(id, %error, "cannot add a finished download to the library");
        }
    }
    Ok(())
}

/// Folders whose names mark Haul's own or hidden working files.
fn skipped(entry: &walkdir::DirEntry) -> bool {
    let name = entry.file_name().to_string_lossy();
    name == ".haul-bin" || name.ends_with(".part") || name.contains(".haul-link-")
}

/// Scans `folder` into the library: new and changed files are hashed (several at
/// once, on the media pool), unchanged ones skipped, vanished ones forgotten.
pub(crate) async fn scan_folder(shared: &Arc<Shared>, folder: &Path) -> Result<ScanReport> {
    let canonical = std::fs::canonicalize(folder)
        .map_err(|e| Error::from_io(&format!("Cannot add the folder {}", folder.display()), &e))?;
    if !canonical.is_dir() {
        return Err(Error::new(
            ErrorCode::InvalidInput,
            format!("{} is not a folder.", folder.display()),
        ));
    }
    let bin = shared.data_dir.join("bin");
    let folder_text = canonical.display().to_string();
    let folder_id = shared.store.library().add_folder(&folder_text).await?;
    let known: std::collections::HashMap<String, (i64, i64, i64)> = shared
        .store
        .library()
        .folder_items(folder_id)
        .await?
        .into_iter()
        .map(|(id, path, size, mtime)| (path, (id, size, mtime)))
        .collect();
    let walk_root = canonical.clone();
    let files: Vec<(PathBuf, u64, i64)> = tokio::task::spawn_blocking(move || {
        walkdir::WalkDir::new(&walk_root)
            .follow_links(false)
            .into_iter()
            .filter_entry(|e| !skipped(e) && !e.path().starts_with(&bin))
            .filter_map(|e| e.ok())
            .filter(|e| e.file_type().is_file())
            .filter_map(|e| {
                let metadata = e.metadata().ok()?;
                Some((e.into_path(), metadata.len(), mtime_millis(&metadata)))
            })
            .collect()
    })
    .await
    .map_err(Error::internal)?;

    let mut report = ScanReport {
        folder_id,
        ..ScanReport::default()
    };
    let mut seen = std::collections::HashSet::new();
    let mut work = Vec::new();
    for (path, size, mtime) in files {
        let text = path.display().to_string();
        match known.get(&text) {
            Some(&(_, known_size, known_mtime))
                if known_size == i64::try_from(size).unwrap_or(-1) && known_mtime == mtime =>
            {
                report.unchanged += 1;
            }
            Some(_) => work.push((path, true)),
            None => work.push((path, false)),
        }
        seen.insert(text);
    }
    let total = u32::try_from(work.len()).unwrap_or(u32::MAX);
    let progress = |done: u32, running: bool| {
        shared
            .events
            .publish(CoreEvent::LibraryProgress(LibraryProgress {
                job: "scan".into(),
                done,
                total,
                running,
                paused: *shared.library_paused.borrow(),
            }));
    };
    progress(0, true);
    let threads = shared.media.threads();
    let mut results =
        futures_util::stream::iter(work.into_iter().map(|(path, known)| async move {
            // A paused scan holds here; what it recorded so far stays recorded.
            let _ = shared
                .library_paused
                .subscribe()
                .wait_for(|paused| !paused)
                .await;
            let origin = Origin {
                kind: "folder",
                folder_id: Some(folder_id),
                ..Origin::default()
            };
            // The user's own folder: duplicates are listed, never rewritten as links.
            let result = ingest(shared, &path, origin, false).await;
            (path, known, result)
        }))
        .buffer_unordered(threads);
    let mut done = 0u32;
    let mut last_report = Instant::now();
    while let Some((path, known, result)) = results.next().await {
        done += 1;
        match result {
            Ok(_) if known => report.updated += 1,
            Ok(_) => report.added += 1,
            Err(error) => report.failed.push(ScanFailure {
                path: path.display().to_string(),
                error,
            }),
        }
        if last_report.elapsed() > Duration::from_millis(200) {
            progress(done, true);
            last_report = Instant::now();
        }
    }
    for (path, (id, _, _)) in known {
        if !seen.contains(&path) && !Path::new(&path).exists() {
            shared.store.library().delete(id).await?;
            report.removed += 1;
        }
    }
    shared.store.library().finish_folder_scan(folder_id).await?;
    progress(done, false);
    shared.events.publish(CoreEvent::LibraryChanged);
    Ok(report)
}
