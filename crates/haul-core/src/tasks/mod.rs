//! Debrid tasks: a magnet or .torrent resolved on a provider, then its chosen
//! files downloaded by the engine. The service behind `core.tasks()`.

mod driver;
pub(crate) mod rules;

use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::sync::Arc;

use haul_debrid::magnet::Magnet;
use haul_debrid::torrent::{MAX_TORRENT_LEN, Torrent};
use haul_store::tasks::{NewTask, TaskFileRow, TaskRow};
use serde::{Deserialize, Serialize};
use specta_typescript::Number;
use tokio::sync::broadcast::error::RecvError;

pub(crate) use driver::TaskRunner;

/// How often task drivers ask providers.
pub mod driver_timings {
    pub use super::driver::TaskTimings;
}

use crate::Shared;
use crate::downloads::{DownloadState, DownloadView, error_code_name};
use crate::error::{Error, ErrorCode, Result};
use crate::events::CoreEvent;
use crate::settings::Provider;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, specta::Type)]
#[serde(rename_all = "lowercase")]
pub enum TaskState {
    /// Waiting to be sent to the provider.
    Queued,
    /// On the provider: fetching metadata, downloading, or preparing links.
    Resolving,
    /// The files to download must be chosen.
    Selecting,
    /// Files are downloading to disk.
    Downloading,
    /// Checking downloaded files.
    Verifying,
    Completed,
    Paused,
    Failed,
    Cancelled,
}

impl TaskState {
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Queued => "queued",
            Self::Resolving => "resolving",
            Self::Selecting => "selecting",
            Self::Downloading => "downloading",
            Self::Verifying => "verifying",
            Self::Completed => "completed",
            Self::Paused => "paused",
            Self::Failed => "failed",
            Self::Cancelled => "cancelled",
        }
    }

    /// Nothing more happens without a user action.
    pub const fn is_settled(self) -> bool {
        matches!(
            self,
            Self::Selecting | Self::Completed | Self::Paused | Self::Failed | Self::Cancelled
        )
    }

    /// A driver works on it.
    const fn is_running(self) -> bool {
        matches!(
            self,
            Self::Queued | Self::Resolving | Self::Downloading | Self::Verifying
        )
    }
}

impl FromStr for TaskState {
    type Err = Error;

    fn from_str(text: &str) -> Result<Self> {
        Ok(match text {
            "queued" => Self::Queued,
            "resolving" => Self::Resolving,
            "selecting" => Self::Selecting,
            "downloading" => Self::Downloading,
            "verifying" => Self::Verifying,
            "completed" => Self::Completed,
            "paused" => Self::Paused,
            "failed" => Self::Failed,
            "cancelled" => Self::Cancelled,
            other => {
                return Err(Error::new(
                    ErrorCode::Database,
                    format!("The database holds an unknown task state {other:?}."),
                ));
            }
        })
    }
}

/// How a task's files are chosen.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase", tag = "mode")]
pub enum FileSelection {
    /// By the rules in the settings.
    #[default]
    Auto,
    /// By the user, from the file list.
    Manual,
    /// The files any of these glob patterns match.
    Globs { globs: Vec<String> },
}

/// Choices for a new task; unset fields come from the settings.
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase", default)]
pub struct AddTaskOptions {
    pub dir: Option<String>,
    pub label: Option<String>,
    pub provider: Option<Provider>,
    pub selection: FileSelection,
}

/// A task as the UI and CLI see it.
#[derive(Clone, Debug, PartialEq, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct TaskView {
    #[specta(type = Number)]
    pub id: i64,
    pub info_hash: String,
    pub name: String,
    pub provider: Provider,
    pub state: TaskState,
    pub label: Option<String>,
    pub dir: String,
    /// The provider's words for where it is ("Downloading", "Ready").
    pub provider_status: Option<String>,
    /// 0.0–1.0 of the provider's own download.
    pub provider_progress: f64,
    #[specta(type = Number)]
    pub provider_speed: u64,
    pub seeders: Option<u32>,
    /// Bytes of the chosen files (all files until chosen).
    #[specta(type = Option<Number>)]
    pub total_bytes: Option<u64>,
    /// Bytes of the chosen files durably on disk.
    #[specta(type = Number)]
    pub received_bytes: u64,
    pub files: Vec<TaskFileView>,
    pub error: Option<Error>,
    #[specta(type = Number)]
    pub created_at: i64,
}

/// One file of a task.
#[derive(Clone, Debug, PartialEq, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct TaskFileView {
    pub index: u32,
    /// As the provider lists it, folders joined with `/`.
    pub path: String,
    #[specta(type = Number)]
    pub size: u64,
    pub selected: bool,
    pub download: Option<DownloadView>,
}

/// The tasks service; borrow it with `core.tasks()`.
pub struct Tasks<'a> {
    pub(crate) shared: &'a Arc<Shared>,
}

fn provider_of(row: &TaskRow) -> Result<Provider> {
    Provider::from_id(&row.provider).ok_or_else(|| {
        Error::new(
            ErrorCode::Database,
            format!("The database holds an unknown provider {:?}.", row.provider),
        )
    })
}

fn file_path(row: &TaskFileRow) -> Vec<String> {
    serde_json::from_str(&row.path).unwrap_or_else(|_| vec![row.path.clone()])
}

fn not_found(id: i64) -> Error {
    Error::new(ErrorCode::NotFound, format!("There is no task #{id}."))
}

fn wrong_state(action: &str, id: i64, state: TaskState) -> Error {
    Error::new(
        ErrorCode::InvalidState,
        format!("Task #{id} is {}; it cannot {action}.", state.as_str()),
    )
}

impl Tasks<'_> {
    /// Adds a task from a magnet link, or from the path of a .torrent file. One
    /// task per torrent: adding one that exists returns it (resumed if it was
    /// paused or failed).
    pub async fn add(&self, source: &str, options: &AddTaskOptions) -> Result<TaskView> {
        let source = source.trim();
        if source.len() >= 7 && source[..7].eq_ignore_ascii_case("magnet:") {
            let magnet = Magnet::parse(source)?;
            return self.add_parsed(&magnet, None, options).await;
        }
        let path = Path::new(source);
        let looks_like_torrent = path
            .extension()
            .is_some_and(|ext| ext.eq_ignore_ascii_case("torrent"));
        if !looks_like_torrent {
            return Err(Error::new(
                ErrorCode::InvalidMagnet,
                format!(
                    "{:?} is neither a magnet link nor a .torrent file.",
                    truncate(source, 120)
                ),
            ));
        }
        let bytes = read_torrent(path).await?;
        self.add_torrent(&bytes, options).await
    }

    /// Adds a task from a .torrent file's bytes.
    pub async fn add_torrent(&self, bytes: &[u8], options: &AddTaskOptions) -> Result<TaskView> {
        let torrent = Torrent::parse(bytes)?;
        let magnet = torrent.magnet();
        let mut magnet = magnet;
        if magnet.display_name.is_none() {
            magnet.display_name = Some(torrent.name.clone());
        }
        self.add_parsed(&magnet, Some(bytes), options).await
    }

    async fn add_parsed(
        &self,
        magnet: &Magnet,
        torrent: Option<&[u8]>,
        options: &AddTaskOptions,
    ) -> Result<TaskView> {
        let shared = self.shared;
        shared.ensure_writable()?;
        if let FileSelection::Globs { globs } = &options.selection {
            if globs.is_empty() {
                return Err(Error::new(
                    ErrorCode::InvalidInput,
                    "Give at least one file pattern to select.",
                ));
            }
            rules::check_globs(globs)?;
        }
        let settings = shared.settings();
        let dir = match options
            .dir
            .as_deref()
            .map(str::trim)
            .filter(|d| !d.is_empty())
        {
            Some(dir) => std::path::absolute(dir)
                .map_err(|e| Error::from_io(&format!("The folder {dir} cannot be used"), &e))?,
            None => settings.download_dir(),
        };
        let provider = options.provider.unwrap_or(settings.debrid.provider);
        let info_hash = magnet.info_hash().to_hex();
        let name = magnet
            .display_name
            .clone()
            .filter(|n| !n.trim().is_empty())
            .unwrap_or_else(|| info_hash.clone());
        let label = options
            .label
            .as_deref()
            .map(str::trim)
            .filter(|l| !l.is_empty());
        let selection = serde_json::to_string(&options.selection).map_err(Error::internal)?;
        let uri = magnet.to_uri();
        let dir_text = dir.display().to_string();
        let inserted = shared
            .store
            .tasks()
            .insert(&NewTask {
                info_hash: &info_hash,
                name: &name,
                provider: provider.id(),
                magnet: &uri,
                torrent,
                dir: &dir_text,
                label,
                selection: &selection,
            })
            .await?;
        let Some(row) = inserted else {
            let existing = shared
                .store
                .tasks()
                .find_by_hash(&info_hash)
                .await?
                .ok_or_else(|| Error::internal("a task vanished while it was added"))?;
            tracing::info!(id = existing.id, %info_hash, "torrent already added; reusing its task");
            let state: TaskState = existing.state.parse()?;
            return match state {
                TaskState::Paused | TaskState::Failed => self.resume(existing.id).await,
                _ => {
                    shared.tasks.allow(existing.id);
                    self.get(existing.id).await
                }
            };
        };
        tracing::info!(id = row.id, %info_hash, provider = provider.id(), "task added");
        shared.tasks.allow(row.id);
        shared.task_changed(row.id, TaskState::Queued);
        TaskRunner::start(shared, row.id);
        self.get(row.id).await
    }

    pub async fn get(&self, id: i64) -> Result<TaskView> {
        let row = self
            .shared
            .store
            .tasks()
            .get(id)
            .await?
            .ok_or_else(|| not_found(id))?;
        self.view(row).await
    }

    /// Newest first.
    pub async fn list(&self) -> Result<Vec<TaskView>> {
        let rows = self.shared.store.tasks().list().await?;
        let mut views = Vec::with_capacity(rows.len());
        for row in rows {
            views.push(self.view(row).await?);
        }
        Ok(views)
    }

    async fn view(&self, row: TaskRow) -> Result<TaskView> {
        let store = &self.shared.store;
        let files = store.tasks().files(row.id).await?;
        let downloads = store.downloads().list_for_task(row.id).await?;
        let mut file_views = Vec::with_capacity(files.len());
        let mut received: u64 = 0;
        for file in &files {
            let download = match file.download_id {
                Some(id) => downloads
                    .iter()
                    .find(|d| d.id == id)
                    .cloned()
                    .map(DownloadView::from_row)
                    .transpose()?,
                None => None,
            };
            if let Some(download) = &download {
                received = received.saturating_add(download.received_bytes);
            }
            file_views.push(TaskFileView {
                index: u32::try_from(file.idx).unwrap_or(u32::MAX),
                path: file_path(file).join("/"),
                size: u64::try_from(file.size).unwrap_or(0),
                selected: file.selected,
                download,
            });
        }
        let error = match (row.error_code.as_deref(), row.error_message.clone()) {
            (Some(code), Some(message)) => {
                Some(Error::new(crate::downloads::parse_code(code), message))
            }
            _ => None,
        };
        Ok(TaskView {
            id: row.id,
            provider: provider_of(&row)?,
            state: row.state.parse()?,
            info_hash: row.info_hash,
            name: row.name,
            label: row.label,
            dir: row.dir,
            provider_status: row.provider_status,
            provider_progress: row.provider_progress.clamp(0.0, 1.0),
            provider_speed: u64::try_from(row.provider_speed).unwrap_or(0),
            seeders: row.seeders.and_then(|s| u32::try_from(s).ok()),
            total_bytes: row.total_bytes.and_then(|t| u64::try_from(t).ok()),
            received_bytes: received,
            files: file_views,
            error,
            created_at: row.created_at,
        })
    }

    /// Chooses the files to download (by index) and continues the task.
    pub async fn select_files(&self, id: i64, indexes: &[u32]) -> Result<TaskView> {
        let shared = self.shared;
        shared.ensure_writable()?;
        let view = self.get(id).await?;
        if !matches!(
            view.state,
            TaskState::Selecting | TaskState::Paused | TaskState::Failed
        ) || view.files.iter().any(|f| f.download.is_some())
        {
            return Err(Error::new(
                ErrorCode::InvalidState,
                format!(
                    "Task #{id} is {}; its files can be chosen only before they download.",
                    view.state.as_str()
                ),
            ));
        }
        if indexes.is_empty() {
            return Err(Error::new(
                ErrorCode::InvalidInput,
                "Choose at least one file.",
            ));
        }
        if let Some(bad) = indexes
            .iter()
            .find(|i| !view.files.iter().any(|f| f.index == **i))
        {
            return Err(Error::new(
                ErrorCode::InvalidInput,
                format!("Task #{id} has no file number {bad}."),
            ));
        }
        let chosen: Vec<i64> = indexes.iter().map(|i| i64::from(*i)).collect();
        shared.store.tasks().choose_files(id, &chosen).await?;
        tracing::info!(id, files = chosen.len(), "files chosen");
        self.set_state(id, TaskState::Queued, None).await?;
        shared.tasks.allow(id);
        TaskRunner::start(shared, id);
        self.get(id).await
    }

    /// Stops work on the provider and pauses the task's downloads.
    pub async fn pause(&self, id: i64) -> Result<TaskView> {
        let shared = self.shared;
        shared.ensure_writable()?;
        let view = self.get(id).await?;
        if !view.state.is_running() && view.state != TaskState::Selecting {
            if view.state == TaskState::Paused {
                return Ok(view);
            }
            return Err(wrong_state("pause", id, view.state));
        }
        shared.tasks.stop(id).await;
        for download in self
            .downloads_in(id, &["queued", "active", "verifying"])
            .await?
        {
            self.downloads().pause(download).await?;
        }
        self.set_state(id, TaskState::Paused, None).await?;
        self.get(id).await
    }

    /// Continues a paused or failed task where it stopped.
    pub async fn resume(&self, id: i64) -> Result<TaskView> {
        let shared = self.shared;
        shared.ensure_writable()?;
        let view = self.get(id).await?;
        match view.state {
            TaskState::Paused | TaskState::Failed => {}
            state if state.is_running() => {
                shared.tasks.allow(id);
                TaskRunner::start(shared, id);
                return Ok(view);
            }
            other => return Err(wrong_state("resume", id, other)),
        }
        for download in self.downloads_in(id, &["paused", "failed"]).await? {
            shared.runner.allow(download);
            self.downloads().resume(download).await?;
        }
        self.set_state(id, TaskState::Queued, None).await?;
        shared.tasks.allow(id);
        TaskRunner::start(shared, id);
        self.get(id).await
    }

    /// Tries a failed task again. When the provider gave up on the torrent, it is
    /// restarted there (or added again where restarting is not offered).
    pub async fn retry(&self, id: i64) -> Result<TaskView> {
        let shared = self.shared;
        shared.ensure_writable()?;
        let row = shared
            .store
            .tasks()
            .get(id)
            .await?
            .ok_or_else(|| not_found(id))?;
        let state: TaskState = row.state.parse()?;
        if state != TaskState::Failed {
            return self.resume(id).await;
        }
        let files = shared.store.tasks().files(id).await?;
        let remote_failed = files.iter().all(|f| f.download_id.is_none());
        if remote_failed && let Some(remote_id) = row.remote_id.as_deref() {
            let provider = provider_of(&row)?;
            let client = shared.providers.get(shared, provider).await?;
            let restarted = client.capabilities().restart
                && row.error_code.as_deref() == Some("ProviderFailed")
                && client.restart(remote_id).await.is_ok();
            if !restarted {
                if let Err(error) = client.delete(remote_id).await {
                    tracing::info!(id, %error, "could not delete the failed torrent on the provider");
                }
                shared.store.tasks().set_remote(id, None, None).await?;
                shared.store.tasks().clear_files(id).await?;
            }
        }
        self.resume(id).await
    }

    /// Stops the task for good: its partial files are deleted and the torrent is
    /// removed from the provider.
    pub async fn cancel(&self, id: i64) -> Result<TaskView> {
        let shared = self.shared;
        shared.ensure_writable()?;
        let view = self.get(id).await?;
        if matches!(view.state, TaskState::Completed | TaskState::Cancelled) {
            return Err(wrong_state("cancel", id, view.state));
        }
        shared.tasks.stop(id).await;
        for file in &view.files {
            if let Some(download) = &file.download
                && !matches!(
                    download.state,
                    DownloadState::Completed | DownloadState::Cancelled
                )
            {
                self.downloads().cancel(download.id).await?;
            }
        }
        self.delete_remote(id).await;
        self.set_state(id, TaskState::Cancelled, None).await?;
        self.get(id).await
    }

    /// Removes the task from the list and from the provider. Partial files always
    /// go; finished files only with `delete_files`.
    pub async fn remove(&self, id: i64, delete_files: bool) -> Result<()> {
        let shared = self.shared;
        shared.ensure_writable()?;
        let view = self.get(id).await?;
        shared.tasks.stop(id).await;
        for file in &view.files {
            if let Some(download) = &file.download {
                self.downloads().remove(download.id, delete_files).await?;
            }
        }
        if view.state != TaskState::Completed {
            self.delete_remote(id).await;
        }
        shared.store.tasks().delete(id).await?;
        shared.tasks.forget(id);
        shared.bump_revision();
        shared.events.publish(CoreEvent::TaskRemoved { id });
        tracing::info!(id, delete_files, "task removed");
        Ok(())
    }

    /// Waits until the task needs nobody (completed, failed, cancelled, paused, or
    /// waiting for files to be chosen) and returns it.
    pub async fn wait(&self, id: i64) -> Result<TaskView> {
        let mut events = self.shared.events.subscribe();
        loop {
            let view = self.get(id).await?;
            if view.state.is_settled() {
                return Ok(view);
            }
            loop {
                match events.recv().await {
                    Ok(CoreEvent::TaskChanged { id: changed, .. }) if changed == id => break,
                    Ok(CoreEvent::TaskRemoved { id: removed }) if removed == id => {
                        return Err(not_found(id));
                    }
                    Ok(_) => {}
                    Err(RecvError::Lagged(_)) => break,
                    Err(RecvError::Closed) => return Err(Error::internal("event bus closed")),
                }
            }
        }
    }

    fn downloads(&self) -> crate::downloads::Downloads<'_> {
        crate::downloads::Downloads {
            shared: self.shared,
        }
    }

    async fn delete_remote(&self, id: i64) {
        let shared = self.shared;
        let Ok(Some(row)) = shared.store.tasks().get(id).await else {
            return;
        };
        let (Some(remote_id), Ok(provider)) = (row.remote_id.as_deref(), provider_of(&row)) else {
            return;
        };
        match shared.providers.get(shared, provider).await {
            Ok(client) => {
                if let Err(error) = client.delete(remote_id).await {
                    tracing::info!(id, %error, "could not delete the torrent on the provider");
                }
            }
            Err(error) => tracing::info!(id, %error, "no provider client to delete the torrent"),
        }
    }

    async fn downloads_in(&self, id: i64, states: &[&str]) -> Result<Vec<i64>> {
        let rows = self.shared.store.downloads().list_for_task(id).await?;
        Ok(rows
            .into_iter()
            .filter(|row| states.contains(&row.state.as_str()))
            .map(|row| row.id)
            .collect())
    }

    async fn set_state(&self, id: i64, state: TaskState, error: Option<&Error>) -> Result<()> {
        set_task_state(self.shared, id, state, error).await
    }
}

pub(crate) async fn set_task_state(
    shared: &Shared,
    id: i64,
    state: TaskState,
    error: Option<&Error>,
) -> Result<()> {
    let code = error.map(|e| error_code_name(e.code));
    let recorded = error
        .zip(code.as_deref())
        .map(|(e, code)| (code, e.message.as_str()));
    shared
        .store
        .tasks()
        .set_state(id, state.as_str(), recorded)
        .await?;
    shared.task_changed(id, state);
    Ok(())
}

async fn read_torrent(path: &Path) -> Result<Vec<u8>> {
    let context = format!("Cannot read {}", path.display());
    let metadata = tokio::fs::metadata(path)
        .await
        .map_err(|e| Error::from_io(&context, &e))?;
    if metadata.len() > MAX_TORRENT_LEN as u64 {
        return Err(Error::new(
            ErrorCode::InvalidTorrent,
            format!("{} is larger than a .torrent file can be.", path.display()),
        ));
    }
    tokio::fs::read(path)
        .await
        .map_err(|e| Error::from_io(&context, &e))
}

fn truncate(text: &str, max: usize) -> String {
    match text.char_indices().nth(max) {
        Some((cut, _)) => format!("{}…", &text[..cut]),
        None => text.to_string(),
    }
}

/// Where a task's files go: a folder named after the torrent when it has several
/// files, and inside it each file's sanitized path (a root folder all files share
/// is dropped, as the task folder already is one).
pub(crate) fn destinations(
    dir: &Path,
    task_name: &str,
    paths: &[Vec<String>],
) -> Vec<Option<PathBuf>> {
    let shared_root = matches!(
        paths.first().and_then(|p| p.first()),
        Some(root) if paths.iter().all(|p| p.len() > 1 && p.first() == Some(root))
    );
    let base = if paths.len() > 1 {
        let folder = haul_download::filename::sanitize(task_name);
        haul_download::filename::path_inside(dir, &folder)
    } else {
        Some(dir.to_path_buf())
    };
    paths
        .iter()
        .map(|path| {
            let parts = if shared_root { &path[1..] } else { &path[..] };
            let relative = haul_download::filename::relative_path(parts)?;
            let base = base.as_ref()?;
            // relative_path only yields sanitized normal components.
            let mut out = base.clone();
            for component in relative.components() {
                let part = component.as_os_str().to_str()?;
                out = haul_download::filename::path_inside(&out, part)?;
            }
            Some(out)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn paths(list: &[&str]) -> Vec<Vec<String>> {
        list.iter()
            .map(|p| p.split('/').map(str::to_string).collect())
            .collect()
    }

    #[test]
    fn files_land_inside_the_task_folder() {
        let dir = Path::new("/dl");
        let out = destinations(
            dir,
            "Show S01",
            &paths(&["Show/e01.mkv", "Show/Subs/en.srt"]),
        );
        assert_eq!(out[0].as_deref(), Some(Path::new("/dl/Show S01/e01.mkv")));
        assert_eq!(
            out[1].as_deref(),
            Some(Path::new("/dl/Show S01/Subs/en.srt"))
        );

        let out = destinations(dir, "movie", &paths(&["movie.mkv"]));
        assert_eq!(out[0].as_deref(), Some(Path::new("/dl/movie.mkv")));

        let out = destinations(
            dir,
            "../../x",
            &paths(&["../../etc/passwd", "a/CON", "..", "b\u{202E}gpj.exe"]),
        );
        assert_eq!(out[0].as_deref(), Some(Path::new("/dl/x/etc/passwd")));
        assert_eq!(out[1].as_deref(), Some(Path::new("/dl/x/a/_CON")));
        assert_eq!(out[2], None);
        assert_eq!(out[3].as_deref(), Some(Path::new("/dl/x/bgpj.exe")));
    }
}
