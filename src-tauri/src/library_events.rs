//! Tells the window when the library changed (at most a few times a second),
//! how its background work is going, and when people, sources or the history
//! changed.

use std::time::Duration;

use haul_core::CoreEvent;
use haul_core::library::LibraryProgress;
use serde::Serialize;
use tauri::{AppHandle, Manager};
use tauri_specta::Event;

use crate::AppState;

/// `library-changed`: items were added, edited, binned, restored or purged.
#[derive(Clone, Debug, Serialize, specta::Type, Event)]
pub struct LibraryChangedEvent;

/// `library-progress`: a scan's progress, for the status bar.
#[derive(Clone, Debug, Serialize, specta::Type, Event)]
pub struct LibraryProgressEvent(pub LibraryProgress);

/// `people-changed`: faces were found, grouped or corrected.
#[derive(Clone, Debug, Serialize, specta::Type, Event)]
pub struct PeopleChangedEvent;

/// `sources-changed`: a source was added, edited, checked or removed.
#[derive(Clone, Debug, Serialize, specta::Type, Event)]
pub struct SourcesChangedEvent;

/// `history-changed`: files were added to the history.
#[derive(Clone, Debug, Serialize, specta::Type, Event)]
pub struct HistoryChangedEvent;

/// Changes that arrive together are told once.
const SETTLE: Duration = Duration::from_millis(300);

pub fn spawn_bridge(app: AppHandle) {
    let mut events = app.state::<AppState>().core.events().subscribe();
    tauri::async_runtime::spawn(async move {
        use tokio::sync::broadcast::error::RecvError;
        let mut changed = false;
        loop {
            let event = if changed {
                match tokio::time::timeout(SETTLE, events.recv()).await {
                    Ok(event) => event,
                    Err(_) => {
                        changed = false;
                        let _ = LibraryChangedEvent.emit(&app);
                        continue;
                    }
                }
            } else {
                events.recv().await
            };
            match event {
                Ok(CoreEvent::LibraryChanged) | Err(RecvError::Lagged(_)) => changed = true,
                Ok(CoreEvent::LibraryProgress(progress)) => {
                    let _ = LibraryProgressEvent(progress).emit(&app);
                }
                Ok(CoreEvent::PeopleChanged) => {
                    let _ = PeopleChangedEvent.emit(&app);
                }
                Ok(CoreEvent::SourceChanged { .. }) => {
                    let _ = SourcesChangedEvent.emit(&app);
                }
                Ok(CoreEvent::HistoryChanged) => {
                    let _ = HistoryChangedEvent.emit(&app);
                }
                Ok(_) => {}
                Err(RecvError::Closed) => break,
            }
        }
    });
}
