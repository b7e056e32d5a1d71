//! Haul's application core. Everything the desktop app and the `haul` CLI can do
//! goes through [`Core`]; neither holds business logic of its own.

pub mod accounts;
mod allow_list;
pub mod desktop;
pub mod diagnostics;
pub mod downloads;
pub mod error;
pub mod events;
pub mod faces;
pub mod history;
pub mod history_stats;
pub mod launch;
pub mod library;
pub mod logging;
pub mod notifications;
pub mod paths;
pub mod secrets;
pub mod settings;
pub mod sources;
pub mod tasks;

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, PoisonError, RwLock};

use haul_store::Store;

pub use accounts::{AccountView, Accounts, LoginMethod, LoginPrompt, LoginStatus};
pub use downloads::{
    AddOptions, DownloadState, DownloadView, Downloads, MoveDirection, ProgressSnapshot,
    SegmentProgress, TransferProgress,
};
pub use error::{Error, ErrorCode, Result};
pub use events::{CoreEvent, EventBus};
pub use secrets::{KeyringStore, MemoryStore, ProviderOverrides, SecretStore};
pub use settings::{
    DebridSettings, DesktopSettings, FacesSettings, FileRules, LibrarySettings, Provider, Settings,
    Theme, UpdateSettings,
};
pub use tasks::{AddTaskOptions, FileSelection, TaskFileView, TaskState, TaskView, Tasks};

use accounts::Providers;
use downloads::Runner;
use paths::DataDirLock;
use tasks::TaskRunner;
pub use tasks::driver_timings::TaskTimings;

/// How a [`Core`] is opened.
#[derive(Clone, Copy, Debug)]
pub enum OpenMode {
    /// Owns the data folder (an exclusive lock) and runs downloads. With
    /// `autostart`, downloads that were queued or running when the last process
    /// stopped start again at once; without it, only downloads this process adds or
    /// resumes run.
    Worker { autostart: bool },
    /// Reads the data folder beside a running worker; changes are refused.
    ReadOnly,
}

/// The application: built from a data folder, dropped or [`Core::shutdown`] to stop.
/// Dropping it without `shutdown` abandons running transfers as a crash would; they
/// resume from their last checkpoint next time.
pub struct Core {
    shared: Arc<Shared>,
    notifier: std::sync::Mutex<Option<tokio::task::JoinHandle<()>>>,
    /// The library's background work (catch-up, scans, periodic purge): it holds
    /// the shared state, so it ends with the core.
    library_work: Option<tokio::task::JoinHandle<()>>,
}

pub(crate) struct Shared {
    data_dir: PathBuf,
    store: Store,
    settings: RwLock<Settings>,
    events: EventBus,
    client: reqwest::Client,
    runner: Runner,
    tasks: TaskRunner,
    providers: Providers,
    /// Threads for hashing, decoding and thumbnails: never the async runtime's.
    media: haul_media::MediaPool,
    faces: faces::FaceState,
    sources: sources::SourcesState,
    /// The library's background work waits while this is true.
    library_paused: tokio::sync::watch::Sender<bool>,
    /// Held from "is this content already here?" to "recorded": two files that
    /// finish together still find each other.
    library_ingest: tokio::sync::Mutex<()>,
    revision: AtomicU64,
    shutting_down: AtomicBool,
    /// Held while anything may write this data folder's downloads.
    lock: Option<DataDirLock>,
}

const DATABASE_FILE: &str = "haul.db";
const SETTINGS_FILE: &str = "settings.json";

/// The database file of a data folder (for tools that read it beside a
/// running worker, like `haul serve token`).
pub fn database_path(data_dir: &Path) -> PathBuf {
    data_dir.join(DATABASE_FILE)
}

/// What a [`Core`] is built with besides its data folder.
pub struct CoreOptions {
    /// Where API keys and tokens are kept.
    pub secrets: Arc<dyn SecretStore>,
    /// Provider URLs and keys from outside the settings (the environment).
    pub overrides: ProviderOverrides,
    pub task_timings: TaskTimings,
}

impl CoreOptions {
    /// The OS keyring, with `HAUL_<PROVIDER>_URL` / `_API_KEY` from the environment.
    pub fn from_env() -> Self {
        Self {
            secrets: Arc::new(KeyringStore),
            overrides: ProviderOverrides::from_env(),
            task_timings: TaskTimings::default(),
        }
    }
}

impl Core {
    /// Opens with the OS keyring and the environment's provider overrides.
    pub async fn open(data_dir: &Path, mode: OpenMode) -> Result<Self> {
        Self::open_with(data_dir, mode, CoreOptions::from_env()).await
    }

    pub async fn open_with(data_dir: &Path, mode: OpenMode, options: CoreOptions) -> Result<Self> {
        std::fs::create_dir_all(data_dir).map_err(|e| {
            Error::from_io(
                &format!("Cannot create the data folder {}", data_dir.display()),
                &e,
            )
        })?;
        let (lock, autostart) = match mode {
            OpenMode::Worker { autostart } => {
                (Some(DataDirLock::acquire(data_dir).await?), autostart)
            }
            OpenMode::ReadOnly => (None, false),
        };
        let database = data_dir.join(DATABASE_FILE);
        let store = match mode {
            OpenMode::Worker { .. } => Store::open(&database).await?,
            // The owner creates and migrates the database; until it has, there is
            // nothing to read.
            OpenMode::ReadOnly => match Store::open_existing(&database).await? {
                Some(store) => store,
                None => Store::open_empty().await?,
            },
        };
        let settings = settings::load(&data_dir.join(SETTINGS_FILE));
        let speed_limit = settings.speed_limit;
        let settings_faces_threads = settings.faces.thread_count();
        let media = haul_media::MediaPool::new(settings.library.thread_count())
            .map_err(|e| Error::from_io("Cannot start the library's worker threads", &e))?;
        let shared = Arc::new(Shared {
            data_dir: data_dir.to_path_buf(),
            store,
            settings: RwLock::new(settings),
            events: EventBus::default(),
            client: haul_download::http_client().map_err(Error::from)?,
            runner: Runner::new(autostart, speed_limit),
            tasks: TaskRunner::new(autostart, options.task_timings),
            providers: Providers::new(options.overrides, options.secrets),
            media,
            faces: faces::FaceState::new(settings_faces_threads)?,
            sources: sources::SourcesState::default(),
            library_paused: tokio::sync::watch::Sender::new(false),
            library_ingest: tokio::sync::Mutex::new(()),
            revision: AtomicU64::new(1),
            shutting_down: AtomicBool::new(false),
            lock,
        });
        let mut library_work = None;
        if shared.lock.is_some() {
            // Whatever was running when the last process stopped was interrupted.
            let resumed = shared
                .store
                .downloads()
                .move_states("active", "queued")
                .await?;
            if resumed > 0 {
                tracing::info!(resumed, "re-queued downloads interrupted by the last stop");
            }
            library_work = Some(library::start(&shared).await?);
            sources::remove_stale_cookie_copies(&shared);
            Runner::schedule(&shared).await;
            TaskRunner::resume_all(&shared).await?;
        }
        tracing::info!(data_dir = %data_dir.display(), ?mode, "core opened");
        Ok(Self {
            shared,
            notifier: std::sync::Mutex::new(None),
            library_work,
        })
    }

    pub fn data_dir(&self) -> &Path {
        &self.shared.data_dir
    }

    /// The database, for a shell's own tables (`haul serve`'s accounts and
    /// sessions): one pool per process, not one per layer.
    pub fn store(&self) -> &Store {
        &self.shared.store
    }

    pub fn downloads(&self) -> Downloads<'_> {
        Downloads {
            shared: &self.shared,
        }
    }

    pub fn tasks(&self) -> Tasks<'_> {
        Tasks {
            shared: &self.shared,
        }
    }

    pub fn library(&self) -> library::Library<'_> {
        library::Library {
            shared: &self.shared,
        }
    }

    pub fn faces(&self) -> faces::Faces<'_> {
        faces::Faces {
            shared: &self.shared,
        }
    }

    pub fn sources(&self) -> sources::Sources<'_> {
        sources::Sources {
            shared: &self.shared,
        }
    }

    pub fn history(&self) -> history::History<'_> {
        history::History {
            shared: &self.shared,
        }
    }

    pub fn diagnostics(&self) -> diagnostics::Diagnostics<'_> {
        diagnostics::Diagnostics {
            shared: &self.shared,
        }
    }

    pub fn accounts(&self) -> Accounts<'_> {
        Accounts {
            shared: &self.shared,
        }
    }

    /// Shows a notification through `sink` when downloads and tasks finish or fail
    /// (grouped when many end together), while the `notifications` setting is on.
    pub fn start_notifications(&self, sink: Arc<dyn notifications::NotificationSink>) {
        let task = tokio::spawn(notifications::run(Arc::clone(&self.shared), sink));
        let mut notifier = self.notifier.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(previous) = notifier.replace(task) {
            previous.abort();
        }
    }

    pub fn events(&self) -> &EventBus {
        &self.shared.events
    }

    pub fn settings(&self) -> Settings {
        self.shared.settings()
    }

    /// Validates, saves atomically, then applies the new settings.
    pub async fn update_settings(&self, settings: Settings) -> Result<Settings> {
        self.shared.ensure_writable()?;
        settings.validate()?;
        settings::save(&self.shared.data_dir.join(SETTINGS_FILE), &settings)?;
        *self
            .shared
            .settings
            .write()
            .unwrap_or_else(PoisonError::into_inner) = settings.clone();
        self.shared.runner.set_global_limit(settings.speed_limit);
        // Provider addresses may have changed.
        self.shared.providers.forget(None).await;
        tracing::info!("settings saved");
        // A higher limit may let queued downloads start.
        Runner::schedule(&self.shared).await;
        Ok(settings)
    }

    /// Stops every transfer at a checkpoint; they resume at the next start.
    pub async fn shutdown(&self) {
        self.shared.shutting_down.store(true, Ordering::SeqCst);
        if let Some(work) = &self.library_work {
            work.abort();
        }
        self.shared.faces.stop_background();
        self.shared.sources.stop();
        self.shared.tasks.stop_all().await;
        self.shared.runner.stop_all().await;
        tracing::info!("core shut down");
    }
}

impl Drop for Core {
    fn drop(&mut self) {
        if let Some(notifier) = self
            .notifier
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .take()
        {
            notifier.abort();
        }
        if let Some(work) = &self.library_work {
            work.abort();
        }
        self.shared.faces.stop_background();
        self.shared.sources.stop();
        self.shared.tasks.abort_all();
        self.shared.runner.abort_all();
    }
}

impl Shared {
    fn settings(&self) -> Settings {
        self.settings
            .read()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }

    fn revision(&self) -> u64 {
        self.revision.load(Ordering::SeqCst)
    }

    fn bump_revision(&self) {
        self.revision.fetch_add(1, Ordering::SeqCst);
    }

    /// Records that a download changed state: bumps the revision and tells subscribers.
    fn changed(&self, id: i64, state: DownloadState) {
        self.bump_revision();
        self.events
            .publish(CoreEvent::DownloadChanged { id, state });
    }

    /// Records that a task changed: bumps the revision and tells subscribers.
    fn task_changed(&self, id: i64, state: TaskState) {
        self.bump_revision();
        self.events.publish(CoreEvent::TaskChanged { id, state });
    }

    fn is_shutting_down(&self) -> bool {
        self.shutting_down.load(Ordering::SeqCst)
    }

    fn ensure_writable(&self) -> Result<()> {
        if self.lock.is_none() {
            return Err(Error::new(
                ErrorCode::InvalidState,
                "This Haul was opened read-only; changes go through the running instance.",
            ));
        }
        if self.is_shutting_down() {
            return Err(Error::new(
                ErrorCode::InvalidState,
                "Haul is shutting down.",
            ));
        }
        Ok(())
    }
}
