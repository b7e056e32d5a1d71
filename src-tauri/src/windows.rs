//! The main window outside its own content: brought back from the tray, hidden
//! instead of closed while the tray keeps Haul running.

use tauri::{AppHandle, Manager, Window, WindowEvent};

use crate::AppState;
use crate::tray::TrayPresence;

pub const MAIN: &str = "main";

pub fn show_main(app: &AppHandle) {
    if let Some(window) = app.get_webview_window(MAIN) {
        let _ = window.show();
        let _ = window.unminimize();
        let _ = window.set_focus();
    }
}

/// Closing the main window hides it when the setting asks for it and a tray icon
/// exists to bring it back; otherwise it closes and Haul quits.
pub fn on_window_event(window: &Window, event: &WindowEvent) {
    let WindowEvent::CloseRequested { api, .. } = event else {
        return;
    };
    if window.label() != MAIN {
        return;
    }
    let app = window.app_handle();
    let to_tray = app
        .try_state::<AppState>()
        .is_some_and(|state| state.core.settings().desktop.close_to_tray);
    let tray = app
        .try_state::<TrayPresence>()
        .is_some_and(|tray| tray.is_present());
    if to_tray && tray {
        api.prevent_close();
        if let Err(error) = window.hide() {
            tracing::warn!(%error, "cannot hide the window");
        }
    }
}
