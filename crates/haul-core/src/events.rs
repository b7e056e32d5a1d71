//! The core's broadcast event bus. Subscribers that fall behind lose old events
//! (they see `Lagged`) and should re-read state from the core.

use tokio::sync::broadcast;

use crate::downloads::DownloadState;
use crate::tasks::TaskState;

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CoreEvent {
    DownloadChanged {
        id: i64,
        state: DownloadState,
    },
    DownloadRemoved {
        id: i64,
    },
    /// Progress up to `received_bytes` is durable (flushed and recorded).
    DownloadCheckpoint {
        id: i64,
        received_bytes: u64,
    },
    TaskChanged {
        id: i64,
        state: TaskState,
    },
    TaskRemoved {
        id: i64,
    },
    /// Library items were added, changed, binned, restored or purged.
    LibraryChanged,
    /// The library's background work moved on.
    LibraryProgress(crate::library::LibraryProgress),
    /// Faces were found, grouped or corrected: people changed.
    PeopleChanged,
    /// A source was added, edited, checked or removed.
    SourceChanged {
        id: i64,
    },
    /// Files were added to the history.
    HistoryChanged,
}

#[derive(Clone, Debug)]
pub struct EventBus {
    sender: broadcast::Sender<CoreEvent>,
}

const CAPACITY: usize = 1024;

impl Default for EventBus {
    fn default() -> Self {
        Self {
            sender: broadcast::channel(CAPACITY).0,
        }
    }
}

impl EventBus {
    pub fn subscribe(&self) -> broadcast::Receiver<CoreEvent> {
        self.sender.subscribe()
    }

    pub(crate) fn publish(&self, event: CoreEvent) {
        // No subscriber is fine: events are notifications, not the source of truth.
        let _ = self.sender.send(event);
    }
}
