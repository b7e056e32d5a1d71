//! Media sources and subscriptions: follow a thread, an account or a page, check
//! it on a schedule, and fetch each new media item exactly once (a per-platform
//! archive of media ids, across sources and after a file was deleted).

mod check;
pub(crate) mod cookies;
mod extractors;
pub mod naming;
mod queue;
pub mod schedule;
mod scheduler;
pub mod settings;
mod throttle;
mod views;

use std::path::{Path, PathBuf};
use std::sync::Arc;

use haul_store::sources::{NewSource, SourceEdit};
use serde::{Deserialize, Serialize};

pub use check::CheckReport;
pub use extractors::ToolStatus;
pub use haul_sources::MAX_COOKIE_FILE_BYTES;
pub use schedule::Schedule;
pub(crate) use scheduler::SourcesState;
pub use views::{PreviewItem, SourcePreview, SourceState, SourceView};

use crate::error::{Error, ErrorCode, Result};
use crate::{CoreEvent, Shared};

/// Per-source options beyond the schedule; none: the settings' values.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase", default)]
pub struct SourceOptions {
    pub template: Option<String>,
    pub stop_after_known: Option<u32>,
    /// The first check takes at most this many posts.
    pub first_limit: Option<u32>,
}

/// What a new source is made of; everything but the URL is optional.
#[derive(Clone, Debug, Default, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase", default)]
pub struct AddSource {
    pub url: String,
    pub name: Option<String>,
    pub schedule: Option<Schedule>,
    pub dir: Option<String>,
    pub account: Option<String>,
    /// Overrides the extractor the URL's platform maps to (e.g. gallery-dl for a page).
    pub extractor: Option<String>,
    pub options: SourceOptions,
}

/// What may be changed on a source.
#[derive(Clone, Debug, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct EditSource {
    pub name: String,
    pub schedule: Schedule,
    pub dir: Option<String>,
    pub account: Option<String>,
    pub extractor: String,
    pub options: SourceOptions,
}

pub(crate) fn parse_schedule(json: &str) -> Schedule {
    serde_json::from_str(json).unwrap_or(Schedule::Every { seconds: 3600 })
}

/// The stored name of an error code (as serialised).
pub(crate) fn code_name(code: ErrorCode) -> String {
    crate::downloads::error_code_name(code)
}

const DEFAULT_SCHEDULE: Schedule = Schedule::Every { seconds: 3600 };

/// The sources service; borrow it with `core.sources()`.
pub struct Sources<'a> {
    pub(crate) shared: &'a Arc<Shared>,
}

impl Sources<'_> {
    /// Follows a URL. Its first check is due at once.
    pub async fn add(&self, add: &AddSource) -> Result<SourceView> {
        let shared = self.shared;
        shared.ensure_writable()?;
        let recognised = haul_sources::recognise(add.url.trim()).map_err(Error::from)?;
        let url = add.url.trim();
        let extractor = match &add.extractor {
            Some(name) => name.parse::<haul_sources::ExtractorKind>().map_err(|_| {
                Error::new(ErrorCode::InvalidInput, format!("{name:?} is not an extractor: use direct, web, reddit, yt-dlp or gallery-dl."))
            })?,
            None => recognised.extractor,
        };
        let schedule = add.schedule.clone().unwrap_or(DEFAULT_SCHEDULE);
        schedule.validate()?;
        self.check_options(&add.options)?;
        if let Some(account) = &add.account {
            cookies::check_account(account)?;
        }
        let dir = add.dir.as_deref().map(absolute_dir).transpose()?;
        let name = add
            .name
            .clone()
            .filter(|n| !n.trim().is_empty())
            .unwrap_or(recognised.suggested_name);
        let row = shared
            .store
            .sources()
            .insert(&NewSource {
                url,
                name: name.trim(),
                platform: &recognised.platform,
                extractor: extractor.as_str(),
                account: add.account.as_deref(),
                dir: dir.as_deref(),
                schedule: &serde_json::to_string(&schedule).map_err(Error::internal)?,
                options: &serde_json::to_string(&add.options).map_err(Error::internal)?,
                next_check_at: Some(haul_store::now_millis()),
            })
            .await?;
        tracing::info!(id = row.id, platform = %row.platform, extractor = %row.extractor, "source added");
        shared
            .events
            .publish(CoreEvent::SourceChanged { id: row.id });
        shared.sources.wake();
        self.get(row.id).await
    }

    fn check_options(&self, options: &SourceOptions) -> Result<()> {
        if let Some(template) = &options.template {
            naming::Template::parse(template)
                .map_err(|e| Error::new(ErrorCode::InvalidInput, format!("File naming: {e}")))?;
        }
        if options.stop_after_known == Some(0) || options.first_limit == Some(0) {
            return Err(Error::new(
                ErrorCode::InvalidInput,
                "Limits must be at least 1 (leave them empty for the settings' values).",
            ));
        }
        Ok(())
    }

    pub async fn get(&self, id: i64) -> Result<SourceView> {
        let row = self
            .shared
            .store
            .sources()
            .get(id)
            .await?
            .ok_or_else(|| not_found(id))?;
        views::view(self.shared, row).await
    }

    pub async fn list(&self) -> Result<Vec<SourceView>> {
        let mut out = Vec::new();
        for row in self.shared.store.sources().list().await? {
            out.push(views::view(self.shared, row).await?);
        }
        Ok(out)
    }

    pub async fn edit(&self, id: i64, edit: &EditSource) -> Result<SourceView> {
        self.shared.ensure_writable()?;
        edit.schedule.validate()?;
        self.check_options(&edit.options)?;
        edit.extractor
            .parse::<haul_sources::ExtractorKind>()
            .map_err(|_| {
                Error::new(
                    ErrorCode::InvalidInput,
                    format!("{:?} is not an extractor.", edit.extractor),
                )
            })?;
        if let Some(account) = &edit.account {
            cookies::check_account(account)?;
        }
        let dir = edit.dir.as_deref().map(absolute_dir).transpose()?;
        if edit.name.trim().is_empty() {
            return Err(Error::new(
                ErrorCode::InvalidInput,
                "A source needs a name.",
            ));
        }
        let changed = self
            .shared
            .store
            .sources()
            .edit(
                id,
                &SourceEdit {
                    name: edit.name.trim(),
                    account: edit.account.as_deref(),
                    dir: dir.as_deref(),
                    schedule: &serde_json::to_string(&edit.schedule).map_err(Error::internal)?,
                    options: &serde_json::to_string(&edit.options).map_err(Error::internal)?,
                    extractor: &edit.extractor,
                },
            )
            .await?;
        if !changed {
            return Err(not_found(id));
        }
        self.shared.events.publish(CoreEvent::SourceChanged { id });
        self.shared.sources.wake();
        self.get(id).await
    }

    pub async fn pause(&self, id: i64) -> Result<SourceView> {
        self.shared.ensure_writable()?;
        if !self
            .shared
            .store
            .sources()
            .set_state(id, "paused", None)
            .await?
        {
            return Err(not_found(id));
        }
        self.shared.events.publish(CoreEvent::SourceChanged { id });
        self.get(id).await
    }

    /// Resumes a paused (or failing, or gone) source; its next check is due at once.
    pub async fn resume(&self, id: i64) -> Result<SourceView> {
        self.shared.ensure_writable()?;
        let now = haul_store::now_millis();
        if !self
            .shared
            .store
            .sources()
            .set_state(id, "active", Some(now))
            .await?
        {
            return Err(not_found(id));
        }
        self.shared.events.publish(CoreEvent::SourceChanged { id });
        self.shared.sources.wake();
        self.get(id).await
    }

    /// Starts a check now (or joins the one running) and returns at once.
    pub async fn check_now(&self, id: i64) -> Result<SourceView> {
        self.shared.ensure_writable()?;
        self.get(id).await?;
        scheduler::start_check(self.shared, id, check::Mode::Normal);
        self.get(id).await
    }

    /// Checks past every limit until a known post is met: fills a gap a check reported.
    pub async fn fill_gap(&self, id: i64) -> Result<SourceView> {
        self.shared.ensure_writable()?;
        self.get(id).await?;
        scheduler::start_check(self.shared, id, check::Mode::FillGap);
        self.get(id).await
    }

    /// Checks a source now and waits for the check; with `downloads`, also for
    /// every download it started to end.
    pub async fn check_and_wait(&self, id: i64, downloads: bool) -> Result<CheckReport> {
        self.shared.ensure_writable()?;
        self.get(id).await?;
        let report = scheduler::start_check(self.shared, id, check::Mode::Normal)
            .wait()
            .await?;
        let mut report = report;
        if downloads {
            let service = crate::downloads::Downloads {
                shared: self.shared,
            };
            for download in &report.downloads {
                let view = service.wait(*download).await?;
                if view.state != crate::DownloadState::Completed {
                    report.failed_downloads += 1;
                }
            }
        }
        Ok(report)
    }

    /// Stops following a source; with `delete_files`, its fetched files go to
    /// the recycle bin. The archive forgets its items only with the files gone
    /// (so following it again does not fetch what was kept).
    pub async fn remove(&self, id: i64, delete_files: bool) -> Result<u64> {
        let shared = self.shared;
        shared.ensure_writable()?;
        let store = shared.store.sources();
        store.get(id).await?.ok_or_else(|| not_found(id))?;
        let mut binned = 0;
        if delete_files {
            let mut items = Vec::new();
            for media in store.media_of_source(id).await? {
                if media.state != "done" {
                    continue;
                }
                let path = Path::new(&media.dir).join(&media.file_name);
                if let Some(item) = shared
                    .store
                    .library()
                    .present_at(&path.display().to_string())
                    .await?
                {
                    items.push(item.id);
                }
            }
            let library = crate::library::Library { shared };
            binned = library.remove(&items).await?.len() as u64;
        }
        store.remove(id).await?;
        tracing::info!(id, binned, "source removed");
        shared.events.publish(CoreEvent::SourceChanged { id });
        Ok(binned)
    }

    /// A one-off extraction and download of everything behind `url` (nothing
    /// already fetched is fetched again); returns when every download ended.
    pub async fn fetch(&self, url: &str, dir: Option<&str>) -> Result<CheckReport> {
        let view = self
            .add(&AddSource {
                url: url.to_string(),
                dir: dir.map(str::to_string),
                ..AddSource::default()
            })
            .await?;
        let id = view.id;
        // Held out of the scheduler: only this call checks it.
        self.shared
            .store
            .sources()
            .set_state(id, "paused", None)
            .await?;
        let outcome = scheduler::start_check(self.shared, id, check::Mode::FillGap)
            .wait()
            .await;
        let result = match outcome {
            Ok(mut report) => {
                let service = crate::downloads::Downloads {
                    shared: self.shared,
                };
                for download in &report.downloads {
                    let view = service.wait(*download).await?;
                    if view.state != crate::DownloadState::Completed {
                        report.failed_downloads += 1;
                    }
                }
                Ok(report)
            }
            Err(error) => Err(error),
        };
        // The archive keeps what was fetched; the one-off source goes.
        self.shared.store.sources().remove(id).await?;
        self.shared.events.publish(CoreEvent::SourceChanged { id });
        result
    }

    /// What a URL is and its first few media, without following it or
    /// recording anything.
    pub async fn preview(&self, url: &str) -> Result<SourcePreview> {
        views::preview(self.shared, url.trim()).await
    }

    /// Stores an account's cookies (a Netscape cookies.txt) in the OS keyring.
    pub async fn import_cookies(&self, account: &str, text: &str) -> Result<Vec<String>> {
        let shared = Arc::clone(self.shared);
        let (account, text) = (account.to_string(), text.to_string());
        tokio::task::spawn_blocking(move || cookies::import(&shared, &account, &text))
            .await
            .map_err(Error::internal)?
    }

    pub async fn remove_cookies(&self, account: &str) -> Result<()> {
        let shared = Arc::clone(self.shared);
        let account = account.to_string();
        tokio::task::spawn_blocking(move || cookies::remove(&shared, &account))
            .await
            .map_err(Error::internal)?
    }

    pub async fn tools(&self) -> Vec<ToolStatus> {
        extractors::status(self.shared).await
    }

    pub async fn install_tools(&self) -> Result<Vec<ToolStatus>> {
        extractors::install(self.shared).await
    }

    /// Checks due sources in the background until the core stops.
    pub fn start_scheduler(&self) {
        scheduler::start(self.shared);
    }
}

/// Private cookie copies handed to a tool are removed after its run; a crash
/// in the middle leaves one behind, removed at the next start.
pub(crate) fn remove_stale_cookie_copies(shared: &Shared) {
    let dir = extractors::cookie_dir(shared);
    let Ok(entries) = std::fs::read_dir(&dir) else {
        return;
    };
    for entry in entries.flatten() {
        if entry.path().is_file() && std::fs::remove_file(entry.path()).is_ok() {
            tracing::info!("removed a cookie copy a stopped tool run left behind");
        }
    }
}

fn not_found(id: i64) -> Error {
    Error::new(ErrorCode::NotFound, format!("There is no source #{id}."))
}

fn absolute_dir(dir: &str) -> Result<String> {
    let path = PathBuf::from(dir.trim());
    if !path.is_absolute() {
        return Err(Error::new(
            ErrorCode::InvalidInput,
            format!("The folder must be an absolute path, not {dir:?}."),
        ));
    }
    Ok(path.display().to_string())
}
