//! Thumbnails, made on the media pool under strict limits and cached by content
//! hash in the data folder, so copies share one and a rescan never redoes one.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use haul_media::DecodeLimits;

use super::views::MediaKind;
use crate::Shared;
use crate::error::{Error, ErrorCode, Result};

/// A decode that takes longer than this is given up (its size is bounded by the
/// decode limits, so the thread finishes soon after anyway).
const DECODE_BUDGET: Duration = Duration::from_secs(15);

static NEXT_TEMPORARY: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);

fn cache_path(shared: &Shared, blake3: &str) -> PathBuf {
    let prefix = blake3.get(..2).unwrap_or("00");
    shared
        .data_dir
        .join("thumbnails")
        .join(prefix)
        .join(format!("{blake3}.jpg"))
}

/// Caches a content's thumbnail: written under a temporary name, then renamed,
/// so a cache file is whole or absent. A failure only costs a later remake.
pub(crate) fn store(shared: &Shared, blake3: &str, bytes: &[u8]) {
    let cached = cache_path(shared, blake3);
    let Some(parent) = cached.parent() else {
        return;
    };
    // Unique per write: two requests for one thumbnail never share a file.
    let n = NEXT_TEMPORARY.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let temporary = cached.with_extension(format!("tmp{}-{n}", std::process::id()));
    let written = std::fs::create_dir_all(parent)
        .and_then(|()| std::fs::write(&temporary, bytes))
        .and_then(|()| std::fs::rename(&temporary, &cached));
    if let Err(error) = written {
        let _ = std::fs::remove_file(&temporary);
        tracing::warn!(%error, "cannot cache a thumbnail");
    }
}

/// Removes a content's cached thumbnail.
pub(crate) fn forget(shared: &Shared, blake3: &str) {
    let _ = std::fs::remove_file(cache_path(shared, blake3));
}

/// The JPEG thumbnail of a present item.
pub(crate) async fn thumbnail(shared: &Arc<Shared>, id: i64) -> Result<Vec<u8>> {
    let item = shared
        .store
        .library()
        .get(id)
        .await?
        .filter(|item| item.state == "present")
        .ok_or_else(|| {
            Error::new(
                ErrorCode::NotFound,
                format!("There is no library item #{id}."),
            )
        })?;
    let cached = cache_path(shared, &item.blake3);
    if let Ok(bytes) = tokio::fs::read(&cached).await {
        return Ok(bytes);
    }
    let kind = super::views::LibraryItemView::from_row(item.clone())?.kind;
    let path = PathBuf::from(&item.path);
    let what = path.display().to_string();
    let limits = DecodeLimits::default();
    let bytes = match kind {
        MediaKind::Image => {
            shared
                .media
                .run_within(DECODE_BUDGET, &what, move || {
                    haul_media::image_thumbnail(&path, &limits)
                })
                .await?
        }
        MediaKind::Video => {
            shared
                .media
                .run(move || {
                    let ffmpeg = haul_media::find_ffmpeg(
                        std::env::var_os("HAUL_FFMPEG").map(PathBuf::from),
                    )?;
                    haul_media::video_thumbnail(&ffmpeg, &path, DECODE_BUDGET, &limits)
                })
                .await?
        }
        MediaKind::Audio | MediaKind::Other => {
            return Err(Error::new(
                ErrorCode::MediaUnsupported,
                format!("{what} has no picture to preview."),
            ));
        }
    };
    store(shared, &item.blake3, &bytes);
    Ok(bytes)
}
