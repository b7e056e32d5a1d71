//! Events for browsers: the same names and payloads the desktop window gets
//! over Tauri (`progress-snapshot-event`, `library-changed-event`, …), made
//! once per server and fanned out to every event stream.

use std::sync::Arc;
use std::time::Duration;

use haul_core::{Core, CoreEvent};
use tokio::sync::broadcast;

/// One message for every stream: the event's name and its JSON payload.
#[derive(Clone, Debug)]
pub struct ServerEvent {
    pub name: &'static str,
    pub data: Arc<str>,
}

pub struct EventHub {
    sender: broadcast::Sender<ServerEvent>,
}

const CAPACITY: usize = 256;
/// How often progress is published while something transfers (as the window).
const TICK: Duration = Duration::from_millis(250);
/// Library changes that arrive together are told once.
const SETTLE: Duration = Duration::from_millis(300);

impl EventHub {
    pub fn subscribe(&self) -> broadcast::Receiver<ServerEvent> {
        self.sender.subscribe()
    }

    fn publish(&self, name: &'static str, data: String) {
        let _ = self.sender.send(ServerEvent {
            name,
            data: data.into(),
        });
    }

    /// Starts the progress ticker and the core-event bridge.
    pub fn start(core: &Arc<Core>) -> Arc<Self> {
        let hub = Arc::new(Self {
            sender: broadcast::channel(CAPACITY).0,
        });
        tokio::spawn(progress_ticker(Arc::clone(core), Arc::clone(&hub)));
        tokio::spawn(bridge(core.events().subscribe(), Arc::clone(&hub)));
        hub
    }
}

async fn progress_ticker(core: Arc<Core>, hub: Arc<EventHub>) {
    let mut ticker = tokio::time::interval(TICK);
    ticker.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Skip);
    let mut last_revision = None;
    loop {
        ticker.tick().await;
        let snapshot = core.downloads().snapshot();
        if snapshot.transfers.is_empty() && last_revision == Some(snapshot.revision) {
            continue;
        }
        last_revision = Some(snapshot.revision);
        if hub.sender.receiver_count() == 0 {
            continue;
        }
        match serde_json::to_string(&snapshot) {
            Ok(json) => hub.publish("progress-snapshot-event", json),
            Err(error) => tracing::warn!(%error, "cannot encode a progress snapshot"),
        }
    }
}

async fn bridge(mut events: broadcast::Receiver<CoreEvent>, hub: Arc<EventHub>) {
    use broadcast::error::RecvError;
    let mut library_changed = false;
    loop {
        let event = if library_changed {
            match tokio::time::timeout(SETTLE, events.recv()).await {
                Ok(event) => event,
                Err(_) => {
                    library_changed = false;
                    hub.publish("library-changed-event", "null".into());
                    continue;
                }
            }
        } else {
            events.recv().await
        };
        match event {
            Ok(CoreEvent::LibraryChanged) | Err(RecvError::Lagged(_)) => library_changed = true,
            Ok(CoreEvent::LibraryProgress(progress)) => {
                if let Ok(json) = serde_json::to_string(&progress) {
                    hub.publish("library-progress-event", json);
                }
            }
            Ok(CoreEvent::PeopleChanged) => hub.publish("people-changed-event", "null".into()),
            Ok(CoreEvent::SourceChanged { .. }) => {
                hub.publish("sources-changed-event", "null".into());
            }
            Ok(CoreEvent::HistoryChanged) => hub.publish("history-changed-event", "null".into()),
            Ok(_) => {}
            Err(RecvError::Closed) => break,
        }
    }
}
