//! Desktop notifications when downloads and tasks finish or fail. Events that come
//! close together are grouped into one notification, so a finished season is one
//! message, not twenty. Where the platform has actions, a finished download offers
//! "Open folder".

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use tokio::sync::broadcast::error::RecvError;

use crate::Shared;
use crate::downloads::{DownloadState, DownloadView};
use crate::error::{Error, ErrorCode, Result};
use crate::events::CoreEvent;
use crate::tasks::TaskState;

/// Events within this window after the first one become one notification.
const GROUP_WINDOW: Duration = Duration::from_millis(1500);
/// Names listed in a grouped notification before "and N more".
const NAMES_SHOWN: usize = 5;

/// One message for the desktop.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Notification {
    pub summary: String,
    pub body: String,
    /// Offered as "Open folder" where the platform has actions.
    pub folder: Option<PathBuf>,
    pub failure: bool,
}

/// Where notifications go: the desktop's notification service, or a test's list.
pub trait NotificationSink: Send + Sync + 'static {
    fn show(&self, notification: &Notification) -> Result<()>;
}

/// The platform's notifications through `notify-rust` (D-Bus on Linux, the
/// notification center on macOS, toasts on Windows).
pub struct DesktopNotifications;

impl NotificationSink for DesktopNotifications {
    fn show(&self, notification: &Notification) -> Result<()> {
        let mut message = notify_rust::Notification::new();
        message
            .appname("Haul")
            .summary(&notification.summary)
            .body(&notification.body);
        #[cfg(all(unix, not(target_os = "macos")))]
        {
            message.urgency(if notification.failure {
                notify_rust::Urgency::Critical
            } else {
                notify_rust::Urgency::Normal
            });
            if notification.folder.is_some() {
                message.action("open-folder", "Open folder");
            }
        }
        let handle = message.show().map_err(|e| {
            Error::new(
                ErrorCode::Internal,
                format!("Cannot show a notification: {e}"),
            )
        })?;
        #[cfg(all(unix, not(target_os = "macos")))]
        if let Some(folder) = notification.folder.clone() {
            // Waiting for the action blocks until the notification closes.
            std::thread::spawn(move || {
                handle.wait_for_action(|action| {
                    if action == "open-folder" {
                        open_folder(&folder);
                    }
                });
            });
        }
        #[cfg(not(all(unix, not(target_os = "macos"))))]
        drop(handle);
        Ok(())
    }
}

/// Opens a folder in the file manager, without a shell.
fn open_folder(folder: &Path) {
    let program = if cfg!(target_os = "macos") {
        "open"
    } else if cfg!(windows) {
        "explorer"
    } else {
        "xdg-open"
    };
    if let Err(error) = std::process::Command::new(program).arg(folder).spawn() {
        tracing::warn!(%error, folder = %folder.display(), "cannot open the folder");
    }
}

/// Something that finished, for a notification.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Outcome {
    Finished {
        name: String,
        bytes: u64,
        folder: PathBuf,
    },
    Failed {
        name: String,
        message: String,
    },
}

/// Follows the core's events and shows notifications until the core goes away.
pub(crate) async fn run(shared: Arc<Shared>, sink: Arc<dyn NotificationSink>) {
    let mut events = shared.events.subscribe();
    loop {
        let first = match next_outcome(&shared, &mut events).await {
            Some(Some(outcome)) => outcome,
            Some(None) => continue,
            None => return,
        };
        let mut batch = vec![first];
        let window = tokio::time::sleep(GROUP_WINDOW);
        tokio::pin!(window);
        loop {
            tokio::select! {
                () = &mut window => break,
                next = next_outcome(&shared, &mut events) => match next {
                    Some(Some(outcome)) => batch.push(outcome),
                    Some(None) => {}
                    None => break,
                },
            }
        }
        if !shared.settings().notifications {
            continue;
        }
        for notification in group(&batch) {
            let sink = Arc::clone(&sink);
            let shown = tokio::task::spawn_blocking(move || sink.show(&notification)).await;
            match shown {
                Ok(Ok(())) => {}
                Ok(Err(error)) => tracing::warn!(%error, "notification not shown"),
                Err(error) => tracing::warn!(%error, "notification task failed"),
            }
        }
    }
}

/// The next event worth a notification: `None` when the bus closed, `Some(None)`
/// for an event that is not one.
async fn next_outcome(
    shared: &Shared,
    events: &mut tokio::sync::broadcast::Receiver<CoreEvent>,
) -> Option<Option<Outcome>> {
    let event = match events.recv().await {
        Ok(event) => event,
        Err(RecvError::Lagged(_)) => return Some(None),
        Err(RecvError::Closed) => return None,
    };
    Some(match event {
        CoreEvent::DownloadChanged { id, state } => download_outcome(shared, id, state).await,
        CoreEvent::TaskChanged { id, state } => task_outcome(shared, id, state).await,
        _ => None,
    })
}

async fn download_outcome(shared: &Shared, id: i64, state: DownloadState) -> Option<Outcome> {
    if !matches!(state, DownloadState::Completed | DownloadState::Failed) {
        return None;
    }
    let row = shared.store.downloads().get(id).await.ok()??;
    // A task's files are announced with their task.
    if row.task_id.is_some() || row.state != state.as_str() {
        return None;
    }
    let view = DownloadView::from_row(row).ok()?;
    Some(match (state, view.error) {
        (DownloadState::Failed, error) => Outcome::Failed {
            name: view.file_name,
            message: error.map(|e| e.message).unwrap_or_default(),
        },
        _ => Outcome::Finished {
            folder: PathBuf::from(&view.dir),
            bytes: view.received_bytes,
            name: view.file_name,
        },
    })
}

async fn task_outcome(shared: &Shared, id: i64, state: TaskState) -> Option<Outcome> {
    if !matches!(state, TaskState::Completed | TaskState::Failed) {
        return None;
    }
    let row = shared.store.tasks().get(id).await.ok()??;
    if row.state != state.as_str() {
        return None;
    }
    Some(match state {
        TaskState::Failed => Outcome::Failed {
            name: row.name,
            message: row.error_message.unwrap_or_default(),
        },
        _ => Outcome::Finished {
            bytes: row
                .total_bytes
                .and_then(|b| u64::try_from(b).ok())
                .unwrap_or(0),
            folder: PathBuf::from(&row.dir),
            name: row.name,
        },
    })
}

/// One notification for the finished ones and one for the failed ones.
fn group(batch: &[Outcome]) -> Vec<Notification> {
    let finished: Vec<(&str, u64, &Path)> = batch
        .iter()
        .filter_map(|o| match o {
            Outcome::Finished {
                name,
                bytes,
                folder,
            } => Some((name.as_str(), *bytes, folder.as_path())),
            Outcome::Failed { .. } => None,
        })
        .collect();
    let failed: Vec<(&str, &str)> = batch
        .iter()
        .filter_map(|o| match o {
            Outcome::Failed { name, message } => Some((name.as_str(), message.as_str())),
            Outcome::Finished { .. } => None,
        })
        .collect();
    let mut notifications = Vec::new();
    match finished.as_slice() {
        [] => {}
        [(name, bytes, folder)] => notifications.push(Notification {
            summary: format!("Downloaded {name}"),
            body: format!("{} · {}", human_bytes(*bytes), folder.display()),
            folder: Some(folder.to_path_buf()),
            failure: false,
        }),
        many => {
            let total: u64 = many.iter().map(|(_, bytes, _)| bytes).sum();
            let folder = many
                .iter()
                .all(|(_, _, f)| *f == many[0].2)
                .then(|| many[0].2.to_path_buf());
            notifications.push(Notification {
                summary: format!("{} downloads finished", many.len()),
                body: format!(
                    "{} · {}",
                    names(many.iter().map(|(name, _, _)| *name)),
                    human_bytes(total)
                ),
                folder,
                failure: false,
            });
        }
    }
    match failed.as_slice() {
        [] => {}
        [(name, message)] => notifications.push(Notification {
            summary: format!("Download failed: {name}"),
            body: (*message).to_string(),
            folder: None,
            failure: true,
        }),
        many => notifications.push(Notification {
            summary: format!("{} downloads failed", many.len()),
            body: names(many.iter().map(|(name, _)| *name)),
            folder: None,
            failure: true,
        }),
    }
    notifications
}

fn names<'a>(names: impl ExactSizeIterator<Item = &'a str>) -> String {
    let count = names.len();
    let mut text = names.take(NAMES_SHOWN).collect::<Vec<_>>().join(", ");
    if count > NAMES_SHOWN {
        text.push_str(&format!(" and {} more", count - NAMES_SHOWN));
    }
    text
}

/// Binary units with one decimal, as everywhere in Haul.
pub(crate) fn human_bytes(bytes: u64) -> String {
    const UNITS: [&str; 5] = ["B", "KiB", "MiB", "GiB", "TiB"];
    let mut value = bytes as f64;
    let mut unit = 0;
    while value >= 1024.0 && unit + 1 < UNITS.len() {
        value /= 1024.0;
        unit += 1;
    }
    if unit == 0 {
        format!("{bytes} B")
    } else {
        format!("{value:.1} {}", UNITS[unit])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn finished(name: &str, bytes: u64) -> Outcome {
        Outcome::Finished {
            name: name.into(),
            bytes,
            folder: PathBuf::from("/dl"),
        }
    }

    #[test]
    fn many_finishing_together_are_one_notification() {
        let batch: Vec<Outcome> = (1..=7)
            .map(|n| finished(&format!("f{n}.bin"), 1 << 20))
            .collect();
        let shown = group(&batch);
        assert_eq!(shown.len(), 1);
        assert_eq!(shown[0].summary, "7 downloads finished");
        assert_eq!(
            shown[0].body,
            "f1.bin, f2.bin, f3.bin, f4.bin, f5.bin and 2 more · 7.0 MiB"
        );
        assert_eq!(shown[0].folder.as_deref(), Some(Path::new("/dl")));
    }

    #[test]
    fn one_of_each_names_the_file_and_the_error() {
        let batch = vec![
            finished("movie.mkv", 3 << 30),
            Outcome::Failed {
                name: "iso".into(),
                message: "The server answered 404 Not Found.".into(),
            },
        ];
        let shown = group(&batch);
        assert_eq!(shown[0].summary, "Downloaded movie.mkv");
        assert_eq!(shown[0].body, "3.0 GiB · /dl");
        assert_eq!(shown[1].summary, "Download failed: iso");
        assert!(shown[1].failure);
        assert!(shown[1].body.contains("404"));
    }
}
