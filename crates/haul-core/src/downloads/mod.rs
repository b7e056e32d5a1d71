//! Plain HTTP(S) downloads: the service behind `core.downloads()`.

mod request;
mod runner;

use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::sync::Arc;

use haul_download::{ExpectedHash, HashAlgorithm, filename};
use haul_store::downloads::{DownloadRow, NewDownload};
use serde::Serialize;
use specta_typescript::Number;
use tokio::sync::broadcast::error::RecvError;

pub(crate) use request::set_mtime;
pub(crate) use runner::Runner;

use crate::Shared;
use crate::error::{Error, ErrorCode, Result};
use crate::events::CoreEvent;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, specta::Type)]
#[serde(rename_all = "lowercase")]
pub enum DownloadState {
    Queued,
    Active,
    Paused,
    /// All bytes arrived; the checksum is being checked.
    Verifying,
    Completed,
    Failed,
    Cancelled,
}

impl DownloadState {
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Queued => "queued",
            Self::Active => "active",
            Self::Paused => "paused",
            Self::Verifying => "verifying",
            Self::Completed => "completed",
            Self::Failed => "failed",
            Self::Cancelled => "cancelled",
        }
    }

    /// Nothing more happens to it without a user action.
    pub const fn is_settled(self) -> bool {
        !matches!(self, Self::Queued | Self::Active | Self::Verifying)
    }
}

impl FromStr for DownloadState {
    type Err = Error;

    fn from_str(text: &str) -> Result<Self> {
        Ok(match text {
            "queued" => Self::Queued,
            "active" => Self::Active,
            "paused" => Self::Paused,
            "verifying" => Self::Verifying,
            "completed" => Self::Completed,
            "failed" => Self::Failed,
            "cancelled" => Self::Cancelled,
            other => {
                return Err(Error::new(
                    ErrorCode::Database,
                    format!("The database holds an unknown download state {other:?}."),
                ));
            }
        })
    }
}

/// A download as the UI and CLI see it. 64-bit integers export to TypeScript as
/// `number`: ids and byte counts stay far below 2^53.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct DownloadView {
    #[specta(type = Number)]
    pub id: i64,
    pub url: String,
    /// The final file name once known; before the first response, the name the URL
    /// suggests.
    pub file_name: String,
    pub dir: String,
    /// Connections this download may open.
    pub connections: u8,
    /// The expected SHA-256, when one was given.
    pub sha256: Option<String>,
    #[specta(type = Option<Number>)]
    pub total_bytes: Option<u64>,
    #[specta(type = Number)]
    pub received_bytes: u64,
    pub state: DownloadState,
    pub error: Option<Error>,
    /// Unix time in milliseconds.
    #[specta(type = Number)]
    pub created_at: i64,
}

impl DownloadView {
    pub(crate) fn from_row(row: DownloadRow) -> Result<Self> {
        let state = row.state.parse()?;
        let error = match (row.error_code.as_deref(), row.error_message) {
            (Some(code), Some(message)) => Some(Error::new(parse_code(code), message)),
            _ => None,
        };
        let file_name = row.file_name.unwrap_or_else(|| {
            url::Url::parse(&row.url)
                .ok()
                .and_then(|url| filename::from_url(&url))
                .map(|raw| filename::sanitize(&raw))
                .unwrap_or_else(|| row.url.clone())
        });
        Ok(Self {
            id: row.id,
            url: row.url,
            file_name,
            dir: row.dir,
            connections: u8::try_from(row.connections).unwrap_or(1),
            sha256: row.sha256,
            total_bytes: row.total_bytes.and_then(|t| u64::try_from(t).ok()),
            received_bytes: u64::try_from(row.received_bytes).unwrap_or(0),
            state,
            error,
            created_at: row.created_at,
        })
    }

    /// Where the finished file is (or will be).
    pub fn path(&self) -> Option<PathBuf> {
        filename::path_inside(Path::new(&self.dir), &self.file_name)
    }
}

pub(crate) fn parse_code(code: &str) -> ErrorCode {
    serde_json::from_value(serde_json::Value::String(code.to_string()))
        .unwrap_or(ErrorCode::Internal)
}

pub(crate) fn error_code_name(code: ErrorCode) -> String {
    match serde_json::to_value(code) {
        Ok(serde_json::Value::String(name)) => name,
        _ => "Internal".to_string(),
    }
}

/// Live numbers of one active transfer, for progress displays.
#[derive(Clone, Debug, PartialEq, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct TransferProgress {
    #[specta(type = Number)]
    pub id: i64,
    pub state: DownloadState,
    #[specta(type = Number)]
    pub received_bytes: u64,
    #[specta(type = Option<Number>)]
    pub total_bytes: Option<u64>,
    #[specta(type = Number)]
    pub bytes_per_second: u64,
    #[specta(type = Option<Number>)]
    pub eta_seconds: Option<u64>,
    /// Connections open now.
    pub connections: u32,
    /// Byte ranges in file order; together they cover the file.
    pub segments: Vec<SegmentProgress>,
}

/// One byte range of an active download.
#[derive(Clone, Debug, PartialEq, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct SegmentProgress {
    #[specta(type = Number)]
    pub start: u64,
    /// Exclusive.
    #[specta(type = Number)]
    pub end: u64,
    /// Bytes done from `start`.
    #[specta(type = Number)]
    pub received: u64,
    /// A connection is fetching it now.
    pub active: bool,
    #[specta(type = Number)]
    pub bytes_per_second: u64,
}

/// Where to move a download in the queue.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Deserialize, specta::Type)]
#[serde(rename_all = "lowercase")]
pub enum MoveDirection {
    Up,
    Down,
}

/// Choices for one new download; unset fields come from the settings.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct AddOptions {
    pub dir: Option<PathBuf>,
    pub connections: Option<u8>,
    /// Expected SHA-256 as hex; the file is verified before it takes its name.
    pub sha256: Option<String>,
    /// Bytes per second for this download alone.
    pub speed_limit: Option<u64>,
}

/// Every active transfer in one message. `revision` changes whenever a download is
/// added, removed or changes state: a consumer re-reads the list when it differs.
#[derive(Clone, Debug, PartialEq, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct ProgressSnapshot {
    #[specta(type = Number)]
    pub revision: u64,
    pub transfers: Vec<TransferProgress>,
}

/// The downloads service; borrow it with `core.downloads()`.
pub struct Downloads<'a> {
    pub(crate) shared: &'a Arc<Shared>,
}

/// States in which adding the same link again means "this one".
const REUSABLE_STATES: &[&str] = &["queued", "active", "paused", "failed"];
/// States whose order in the queue still matters.
const UNFINISHED_STATES: &[&str] = &["queued", "active", "paused", "verifying", "failed"];

fn to_i64(n: u64) -> Result<i64> {
    i64::try_from(n).map_err(|_| Error::new(ErrorCode::InvalidInput, format!("{n} is too large.")))
}

impl Downloads<'_> {
    /// Adds a download of `url` and queues it. The same link into the same folder
    /// that is not finished yet is not added twice: that download is returned (and
    /// resumed if it was paused or failed).
    pub async fn add(&self, url: &str, options: &AddOptions) -> Result<DownloadView> {
        let shared = self.shared;
        shared.ensure_writable()?;
        let url = parse_http_url(url)?;
        let settings = shared.settings();
        let dir = match &options.dir {
            Some(dir) => absolute_dir(dir)?,
            None => settings.download_dir(),
        };
        let connections = options
            .connections
            .map(u32::from)
            .unwrap_or(settings.connections_per_download);
        if !(1..=crate::settings::MAX_CONNECTIONS).contains(&connections) {
            return Err(Error::new(
                ErrorCode::InvalidInput,
                format!(
                    "Connections must be between 1 and {}, not {connections}.",
                    crate::settings::MAX_CONNECTIONS
                ),
            ));
        }
        let sha256 = options
            .sha256
            .as_deref()
            .map(|hex| ExpectedHash::parse(HashAlgorithm::Sha256, hex).map(|h| h.hex))
            .transpose()
            .map_err(Error::from)?;
        let speed_limit = options.speed_limit.filter(|limit| *limit > 0);
        let speed_limit = speed_limit.map(to_i64).transpose()?;
        let dir_text = dir.display().to_string();
        let store = shared.store.downloads();
        if let Some(existing) = store
            .find_by_url(url.as_str(), &dir_text, REUSABLE_STATES)
            .await?
        {
            tracing::info!(id = existing.id, "link already added; reusing its download");
            shared.runner.allow(existing.id);
            return match existing.state.parse::<DownloadState>()? {
                DownloadState::Paused | DownloadState::Failed => self.resume(existing.id).await,
                _ => {
                    Runner::schedule(shared).await;
                    self.get(existing.id).await
                }
            };
        }
        let row = store
            .insert(&NewDownload {
                url: url.as_str(),
                dir: &dir_text,
                connections: i64::from(connections),
                speed_limit,
                sha256: sha256.as_deref(),
                file_name: None,
                task_id: None,
                account: None,
                headers: None,
                mtime: None,
            })
            .await?;
        tracing::info!(id = row.id, url = %url, dir = %dir_text, connections, "download added");
        shared.runner.allow(row.id);
        shared.changed(row.id, DownloadState::Queued);
        Runner::schedule(shared).await;
        self.get(row.id).await
    }

    pub async fn get(&self, id: i64) -> Result<DownloadView> {
        let row = self.shared.store.downloads().get(id).await?;
        DownloadView::from_row(row.ok_or_else(|| Error::not_found(id))?)
    }

    pub async fn list(&self) -> Result<Vec<DownloadView>> {
        let rows = self.shared.store.downloads().list().await?;
        rows.into_iter().map(DownloadView::from_row).collect()
    }

    /// Stops a queued or active download, keeping what it has for a later resume.
    pub async fn pause(&self, id: i64) -> Result<DownloadView> {
        let shared = self.shared;
        shared.ensure_writable()?;
        let view = self.get(id).await?;
        match view.state {
            DownloadState::Active | DownloadState::Verifying => {
                // The worker records "paused" (or "completed", if it finished first).
                shared.runner.stop(id, haul_download::Signal::Pause).await;
            }
            DownloadState::Queued => {
                if !Runner::pause_if_queued(shared, id).await? {
                    // The scheduler started it meanwhile.
                    shared.runner.stop(id, haul_download::Signal::Pause).await;
                }
            }
            DownloadState::Paused => {}
            other => return Err(wrong_state("pause", id, other)),
        }
        self.get(id).await
    }

    /// Queues a paused or failed download again; it continues from the bytes on disk.
    pub async fn resume(&self, id: i64) -> Result<DownloadView> {
        let shared = self.shared;
        shared.ensure_writable()?;
        let view = self.get(id).await?;
        match view.state {
            DownloadState::Paused | DownloadState::Failed => {
                shared.runner.allow(id);
                self.set_state(id, DownloadState::Queued).await?;
                Runner::schedule(shared).await;
            }
            DownloadState::Queued | DownloadState::Active | DownloadState::Verifying => {}
            other => return Err(wrong_state("resume", id, other)),
        }
        self.get(id).await
    }

    /// Stops a download for good and deletes its partial file.
    pub async fn cancel(&self, id: i64) -> Result<DownloadView> {
        let shared = self.shared;
        shared.ensure_writable()?;
        let view = self.get(id).await?;
        match view.state {
            DownloadState::Active | DownloadState::Verifying => {
                shared.runner.stop(id, haul_download::Signal::Cancel).await;
            }
            DownloadState::Queued | DownloadState::Paused | DownloadState::Failed => {}
            other => return Err(wrong_state("cancel", id, other)),
        }
        let view = self.get(id).await?;
        if view.state != DownloadState::Completed {
            remove_partial(&view).await?;
            self.set_state(id, DownloadState::Cancelled).await?;
        }
        self.get(id).await
    }

    /// Removes a download from the list. Its partial file always goes; the finished
    /// file only with `delete_file`.
    pub async fn remove(&self, id: i64, delete_file: bool) -> Result<()> {
        let shared = self.shared;
        shared.ensure_writable()?;
        let view = self.get(id).await?;
        if matches!(view.state, DownloadState::Active | DownloadState::Verifying) {
            shared.runner.stop(id, haul_download::Signal::Cancel).await;
        }
        let view = self.get(id).await?;
        remove_partial(&view).await?;
        if delete_file
            && view.state == DownloadState::Completed
            && let Some(path) = view.path()
        {
            remove_if_present(&path).await?;
        }
        shared.store.downloads().delete(id).await?;
        shared.runner.forget(id);
        shared.bump_revision();
        shared.events.publish(CoreEvent::DownloadRemoved { id });
        tracing::info!(id, delete_file, "download removed");
        Ok(())
    }

    /// Moves a download that has not finished one place up or down the queue.
    pub async fn move_in_queue(&self, id: i64, direction: MoveDirection) -> Result<()> {
        let shared = self.shared;
        shared.ensure_writable()?;
        let view = self.get(id).await?;
        if view.state.is_settled() && view.state != DownloadState::Paused {
            return Err(wrong_state("move", id, view.state));
        }
        let earlier = direction == MoveDirection::Up;
        if shared
            .store
            .downloads()
            .move_in_queue(id, earlier, UNFINISHED_STATES)
            .await?
        {
            shared.bump_revision();
            Runner::schedule(shared).await;
        }
        Ok(())
    }

    /// Pauses every queued and active download: the queued ones first, so stopping
    /// an active one does not start the next.
    pub async fn pause_all(&self) -> Result<()> {
        for states in [&["queued"][..], &["active", "verifying"][..]] {
            for id in self.ids_in(states).await? {
                self.pause(id).await?;
            }
        }
        Ok(())
    }

    /// Resumes every paused and failed download.
    pub async fn resume_all(&self) -> Result<()> {
        for id in self.ids_in(&["paused", "failed"]).await? {
            self.resume(id).await?;
        }
        Ok(())
    }

    async fn ids_in(&self, states: &[&str]) -> Result<Vec<i64>> {
        self.shared.ensure_writable()?;
        let rows = self.shared.store.downloads().list_in_states(states).await?;
        Ok(rows.iter().map(|row| row.id).collect())
    }

    /// Sets (or with `None` clears) this download's own speed limit; it applies at
    /// once if the download is running.
    pub async fn set_speed_limit(&self, id: i64, limit: Option<u64>) -> Result<DownloadView> {
        self.shared.ensure_writable()?;
        self.get(id).await?;
        let limit = limit.filter(|l| *l > 0);
        self.shared
            .store
            .downloads()
            .set_speed_limit(id, limit.map(to_i64).transpose()?)
            .await?;
        self.shared.runner.set_speed_limit(id, limit.unwrap_or(0));
        self.get(id).await
    }

    /// Waits until the download is settled (completed, failed, paused or cancelled)
    /// and returns it.
    pub async fn wait(&self, id: i64) -> Result<DownloadView> {
        let mut events = self.shared.events.subscribe();
        loop {
            let view = self.get(id).await?;
            if view.state.is_settled() {
                return Ok(view);
            }
            loop {
                match events.recv().await {
                    Ok(CoreEvent::DownloadChanged { id: changed, .. }) if changed == id => break,
                    Ok(CoreEvent::DownloadRemoved { id: removed }) if removed == id => {
                        return Err(Error::not_found(id));
                    }
                    Ok(_) => {}
                    Err(RecvError::Lagged(_)) => break,
                    Err(RecvError::Closed) => return Err(Error::internal("event bus closed")),
                }
            }
        }
    }

    /// The live numbers of every active transfer.
    pub fn snapshot(&self) -> ProgressSnapshot {
        self.shared.runner.snapshot(self.shared.revision())
    }

    async fn set_state(&self, id: i64, state: DownloadState) -> Result<()> {
        self.shared
            .store
            .downloads()
            .set_state(id, state.as_str(), None)
            .await?;
        self.shared.changed(id, state);
        Ok(())
    }
}

fn wrong_state(action: &str, id: i64, state: DownloadState) -> Error {
    Error::new(
        ErrorCode::InvalidState,
        format!("Download #{id} is {}; it cannot {action}.", state.as_str()),
    )
}

/// Deletes the partial file and its hand-over journal.
async fn remove_partial(view: &DownloadView) -> Result<()> {
    for suffix in [".part", ".part.blocks"] {
        if let Some(path) =
            filename::path_inside(Path::new(&view.dir), &format!("{}{suffix}", view.file_name))
        {
            remove_if_present(&path).await?;
        }
    }
    Ok(())
}

/// Deletes a file; one that is already gone is not an error.
async fn remove_if_present(path: &Path) -> Result<()> {
    match tokio::fs::remove_file(path).await {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(Error::from_io(
            &format!("Cannot delete {}", path.display()),
            &e,
        )),
    }
}

/// Accepts only absolute http(s) URLs with a host.
pub fn parse_http_url(text: &str) -> Result<url::Url> {
    let text = text.trim();
    let invalid = |why: &str| {
        Error::new(
            ErrorCode::InvalidUrl,
            format!("{text:?} is not a download link: {why}."),
        )
    };
    if text.is_empty() {
        return Err(invalid("it is empty"));
    }
    let url = url::Url::parse(text).map_err(|e| invalid(&e.to_string()))?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err(invalid("only http and https links can be downloaded"));
    }
    if url.host_str().is_none_or(str::is_empty) {
        return Err(invalid("it has no host"));
    }
    Ok(url)
}

fn absolute_dir(dir: &Path) -> Result<PathBuf> {
    std::path::absolute(dir)
        .map_err(|e| Error::from_io(&format!("The folder {} cannot be used", dir.display()), &e))
}
