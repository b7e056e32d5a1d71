//! The tray icon: what runs and how fast, quick add, pause/resume all, open, quit.
//! On Linux it is an AppIndicator (libayatana-appindicator, loaded at run time);
//! without that library Haul runs without a tray and closing the window quits.

use std::panic::AssertUnwindSafe;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use haul_core::desktop::tray_summary;
use tauri::menu::{Menu, MenuItem, PredefinedMenuItem};
use tauri::tray::{MouseButton, MouseButtonState, TrayIconBuilder, TrayIconEvent};
use tauri::{AppHandle, Manager, Wry};

use crate::{AppState, quick_add, updates, windows};

const TRAY_ID: &str = "haul";
const REFRESH: Duration = Duration::from_secs(1);

/// Whether the tray exists; closing the window hides it only then, or the user
/// could not get it back.
#[derive(Default)]
pub struct TrayPresence(AtomicBool);

impl TrayPresence {
    pub fn is_present(&self) -> bool {
        self.0.load(Ordering::Relaxed)
    }
}

/// Builds the tray. A missing AppIndicator library makes the tray crate panic
/// while it loads the library; that is caught here and reported, never shown.
pub fn install(app: &AppHandle) {
    app.manage(TrayPresence::default());
    let built = std::panic::catch_unwind(AssertUnwindSafe(|| build(app)));
    match built {
        Ok(Ok(status)) => {
            app.state::<TrayPresence>().0.store(true, Ordering::Relaxed);
            spawn_refresh(app.clone(), status);
        }
        Ok(Err(error)) => tracing::warn!(%error, "no tray icon"),
        Err(_) => tracing::warn!(
            "no tray icon: the AppIndicator library (libayatana-appindicator3) is missing"
        ),
    }
}

fn build(app: &AppHandle) -> tauri::Result<MenuItem<Wry>> {
    let status = MenuItem::with_id(app, "status", "Haul", false, None::<&str>)?;
    let quick = MenuItem::with_id(app, "quick-add", "Quick add…", true, None::<&str>)?;
    let pause = MenuItem::with_id(app, "pause-all", "Pause all", true, None::<&str>)?;
    let resume = MenuItem::with_id(app, "resume-all", "Resume all", true, None::<&str>)?;
    let updates = MenuItem::with_id(app, "updates", "Check for updates…", true, None::<&str>)?;
    let open = MenuItem::with_id(app, "open", "Open Haul", true, None::<&str>)?;
    let quit = MenuItem::with_id(app, "quit", "Quit Haul", true, None::<&str>)?;
    let separator = PredefinedMenuItem::separator(app)?;
    let separator2 = PredefinedMenuItem::separator(app)?;
    let menu = Menu::with_items(
        app,
        &[
            &status,
            &separator,
            &quick,
            &pause,
            &resume,
            &separator2,
            &updates,
            &open,
            &quit,
        ],
    )?;
    let mut builder = TrayIconBuilder::with_id(TRAY_ID)
        .tooltip("Haul")
        .menu(&menu)
        .show_menu_on_left_click(false)
        .on_menu_event(|app, event| on_menu(app, event.id.as_ref()))
        .on_tray_icon_event(|tray, event| {
            // Windows and macOS: a left click opens the window, the menu is on the right.
            if let TrayIconEvent::Click {
                button: MouseButton::Left,
                button_state: MouseButtonState::Up,
                ..
            } = event
            {
                windows::show_main(tray.app_handle());
            }
        });
    if let Some(icon) = app.default_window_icon() {
        builder = builder.icon(icon.clone());
    }
    builder.build(app)?;
    Ok(status)
}

fn on_menu(app: &AppHandle, id: &str) {
    match id {
        "quick-add" => quick_add::open(app),
        "open" => windows::show_main(app),
        "quit" => app.exit(0),
        "updates" => updates::check_from_menu(app),
        "pause-all" | "resume-all" => {
            let app = app.clone();
            let pause = id == "pause-all";
            tauri::async_runtime::spawn(async move {
                let state = app.state::<AppState>();
                let downloads = state.core.downloads();
                let result = if pause {
                    downloads.pause_all().await
                } else {
                    downloads.resume_all().await
                };
                if let Err(error) = result {
                    tracing::warn!(code = ?error.code, message = %error.message, "tray action failed");
                }
            });
        }
        _ => {}
    }
}

/// Keeps the status line (Linux shows no tooltips) and the tooltip current.
fn spawn_refresh(app: AppHandle, status: MenuItem<Wry>) {
    tauri::async_runtime::spawn(async move {
        let mut ticker = tokio::time::interval(REFRESH);
        ticker.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Skip);
        let mut last = String::new();
        loop {
            ticker.tick().await;
            let summary = tray_summary(&app.state::<AppState>().core.downloads().snapshot());
            if summary == last {
                continue;
            }
            if let Err(error) = status.set_text(&summary) {
                tracing::debug!(%error, "cannot update the tray menu");
            }
            if let Some(tray) = app.tray_by_id(TRAY_ID)
                && let Err(error) = tray.set_tooltip(Some(&summary))
            {
                tracing::debug!(%error, "cannot update the tray tooltip");
            }
            last = summary;
        }
    });
}
