//! The clipboard: read once for quick add, and watched (only while the setting is
//! on) for magnets and links to offer. Nothing is added without the user's click.

use std::sync::Mutex;
use std::time::Duration;

use haul_core::desktop::{ClipboardOffer, clipboard_offer};
use serde::Serialize;
use tauri::{AppHandle, Manager};
use tauri_specta::Event;

use crate::AppState;

const POLL: Duration = Duration::from_secs(1);

/// A magnet or link the user copied; the window asks whether to add it.
#[derive(Clone, Debug, Serialize, specta::Type, Event)]
pub struct ClipboardOfferEvent(pub ClipboardOffer);

/// The clipboard's text now, if it holds text and the desktop lets us read it.
pub fn read_text() -> Option<String> {
    match arboard::Clipboard::new().and_then(|mut clipboard| clipboard.get_text()) {
        Ok(text) => Some(text),
        Err(arboard::Error::ContentNotAvailable) => None,
        Err(error) => {
            tracing::debug!(%error, "cannot read the clipboard");
            None
        }
    }
}

/// What quick add offers: the clipboard's magnet or link, if it holds one.
pub async fn current_offer() -> Option<ClipboardOffer> {
    let text = tokio::task::spawn_blocking(read_text)
        .await
        .ok()
        .flatten()?;
    clipboard_offer(&text)
}

/// The clipboard text last seen while watching; a change from it is offered.
#[derive(Default)]
pub struct WatchBaseline(Mutex<Option<String>>);

impl WatchBaseline {
    fn lock(&self) -> std::sync::MutexGuard<'_, Option<String>> {
        // Only a String inside: a panic elsewhere cannot leave it half-written.
        self.0
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

/// Called when watching is turned on: what is on the clipboard now is not
/// offered, only what is copied after.
pub async fn start_watching(app: &AppHandle) {
    let text = tokio::task::spawn_blocking(read_text)
        .await
        .ok()
        .flatten()
        .unwrap_or_default();
    *app.state::<WatchBaseline>().lock() = Some(text);
}

/// Polls the clipboard once a second while watching is on. What is on the
/// clipboard when watching starts (or Haul starts with it on) is not offered.
pub fn spawn_watcher(app: AppHandle) {
    app.manage(WatchBaseline::default());
    std::thread::Builder::new()
        .name("clipboard-watch".into())
        .spawn(move || watch(&app))
        .map_err(|error| tracing::warn!(%error, "cannot watch the clipboard"))
        .ok();
}

fn watch(app: &AppHandle) {
    let mut clipboard = None;
    loop {
        std::thread::sleep(POLL);
        let enabled = app
            .try_state::<AppState>()
            .is_some_and(|state| state.core.settings().desktop.watch_clipboard);
        if !enabled {
            // Closed, so the desktop's clipboard is not held open for nothing.
            clipboard = None;
            continue;
        }
        let reader = match clipboard.as_mut() {
            Some(reader) => reader,
            None => match arboard::Clipboard::new() {
                Ok(reader) => clipboard.insert(reader),
                Err(error) => {
                    tracing::debug!(%error, "no clipboard to watch");
                    continue;
                }
            },
        };
        let text = reader.get_text().unwrap_or_default();
        let baseline = app.state::<WatchBaseline>();
        let changed = {
            let mut last = baseline.lock();
            let changed = last.as_ref().is_some_and(|last| *last != text);
            *last = Some(text.clone());
            changed
        };
        if changed
            && let Some(offer) = clipboard_offer(&text)
            && let Err(error) = ClipboardOfferEvent(offer).emit(app)
        {
            tracing::warn!(%error, "cannot tell the window about the clipboard");
        }
    }
}
