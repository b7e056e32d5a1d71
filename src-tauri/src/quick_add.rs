//! The quick-add window: a small window with one field, opened from the tray or by
//! `haul-desktop --quick-add`, pre-filled from the clipboard.

use tauri::{AppHandle, Manager, WebviewUrl, WebviewWindowBuilder};

pub const QUICK_ADD: &str = "quick-add";

pub fn open(app: &AppHandle) {
    if let Some(window) = app.get_webview_window(QUICK_ADD) {
        let _ = window.show();
        let _ = window.set_focus();
        return;
    }
    let built = WebviewWindowBuilder::new(
        app,
        QUICK_ADD,
        WebviewUrl::App("index.html#/quick-add".into()),
    )
    .title("Add to Haul")
    .inner_size(560.0, 210.0)
    .resizable(false)
    .always_on_top(true)
    .skip_taskbar(true)
    .center()
    .focused(true)
    .build();
    if let Err(error) = built {
        tracing::warn!(%error, "cannot open the quick-add window");
    }
}

pub fn close(app: &AppHandle) {
    if let Some(window) = app.get_webview_window(QUICK_ADD)
        && let Err(error) = window.close()
    {
        tracing::warn!(%error, "cannot close the quick-add window");
    }
}
