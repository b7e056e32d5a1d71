//! The clipboard: read once for quick add, and watched (only while the setting is
//! on) for magnets and links to offer. Nothing is added without the user's click.

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

/// Polls the clipboard once a second while watching is on. What is on the
/// clipboard when watching starts is not offered: only what is copied after.
pub fn spawn_watcher(app: AppHandle) {
    std::thread::Builder::new()
        .name("clipboard-watch".into())
        .spawn(move || watch(&app))
        .map_err(|error| tracing::warn!(%error, "cannot watch the clipboard"))
        .ok();
}

fn watch(app: &AppHandle) {
    let mut clipboard = None;
    let mut last: Option<String> = None;
    loop {
        std::thread::sleep(POLL);
        let enabled = app
            .try_state::<AppState>()
            .is_some_and(|state| state.core.settings().desktop.watch_clipboard);
        if !enabled {
            // Dropped, so a later change of mind starts from what is there then.
            clipboard = None;
            last = None;
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
        let text = reader.get_text().ok();
        let Some(previous) = last.replace(text.clone().unwrap_or_default()) else {
            continue;
        };
        let Some(text) = text.filter(|text| *text != previous) else {
            continue;
        };
        if let Some(offer) = clipboard_offer(&text)
            && let Err(error) = ClipboardOfferEvent(offer).emit(app)
        {
            tracing::warn!(%error, "cannot tell the window about the clipboard");
        }
    }
}
