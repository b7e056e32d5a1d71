//! New media become work: a download in the engine (with the source's headers,
//! its account for cookies, and the post date for the file's time), or, where
//! separate streams must be merged, a run of yt-dlp into the same folder.

use std::path::Path;
use std::sync::Arc;

use haul_store::downloads::NewDownload;
use haul_store::sources::MediaRow;

use super::check::CheckReport;
use crate::Shared;
use crate::downloads::{DownloadState, Runner};
use crate::error::{Error, Result};

/// Hands one archived media item to whoever fetches it. Errors are recorded on
/// the item, never lost: the item stays in the archive with its reason.
pub(crate) async fn queue(
    shared: &Arc<Shared>,
    media: &MediaRow,
    account: Option<&str>,
    report: &mut CheckReport,
) {
    let store = shared.store.sources();
    if media.kind == "post" {
        let _ = store.set_media_state(media.id, "done", None, None).await;
        return;
    }
    let result = match media.via_tool.as_deref() {
        Some(_) => fetch_with_tool(shared, media, account).await.map(|()| {
            report.tool_fetched += 1;
        }),
        None => add_download(shared, media, account).await.map(|id| {
            report.downloads.push(id);
        }),
    };
    if let Err(error) = result {
        tracing::warn!(media = media.id, code = ?error.code, message = %error.message, "cannot fetch a source's media item");
        if media.via_tool.is_some() {
            report.tool_failed += 1;
        }
        let _ = store
            .set_media_state(media.id, "failed", None, Some(&error.message))
            .await;
    }
}

async fn add_download(
    shared: &Arc<Shared>,
    media: &MediaRow,
    account: Option<&str>,
) -> Result<i64> {
    let settings = shared.settings();
    let row = shared
        .store
        .downloads()
        .insert(&NewDownload {
            url: &media.url,
            dir: &media.dir,
            connections: i64::from(settings.connections_per_download.min(4)),
            speed_limit: None,
            sha256: None,
            file_name: Some(&media.file_name),
            task_id: None,
            account,
            headers: Some(&media.headers),
            mtime: media.posted_at,
        })
        .await?;
    shared
        .store
        .sources()
        .set_media_state(media.id, "queued", Some(row.id), None)
        .await?;
    shared.runner.allow(row.id);
    shared.changed(row.id, DownloadState::Queued);
    Runner::schedule(shared).await;
    Ok(row.id)
}

async fn fetch_with_tool(
    shared: &Arc<Shared>,
    media: &MediaRow,
    account: Option<&str>,
) -> Result<()> {
    let cookies = match account {
        Some(account) => super::cookies::load(shared, account)?,
        None => None,
    };
    let tool = super::extractors::yt_dlp(shared)?;
    let dir = Path::new(&media.dir);
    std::fs::create_dir_all(dir)
        .map_err(|e| Error::from_io(&format!("Cannot create {}", dir.display()), &e))?;
    let (stem, _) = haul_download::filename::split_extension(&media.file_name);
    let id = media.id;
    let path = tool
        .download(&media.url, dir, stem, cookies.as_ref(), |progress| {
            tracing::debug!(media = id, ?progress, "yt-dlp progress");
        })
        .await?;
    if let Some(at) = media.posted_at {
        crate::downloads::set_mtime(&path, at);
    }
    crate::history::record_source_file(shared, media, &path).await?;
    Ok(())
}
