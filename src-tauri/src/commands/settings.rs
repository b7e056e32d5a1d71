use haul_core::{Error, Settings};
use tauri::{AppHandle, State};

use crate::AppState;

#[tauri::command]
#[specta::specta]
pub fn get_settings(state: State<'_, AppState>) -> Result<Settings, Error> {
    Ok(state.core.settings())
}

/// Saves the settings; start at login is changed on the system first, so a
/// refusal there leaves the saved settings as they were. Turning clipboard
/// watching on takes what the clipboard holds now as already seen.
#[tauri::command]
#[specta::specta]
pub async fn update_settings(
    app: AppHandle,
    state: State<'_, AppState>,
    settings: Settings,
) -> Result<Settings, Error> {
    settings.validate()?;
    let before = state.core.settings().desktop;
    let wanted = settings.desktop.clone();
    if before.start_at_login != wanted.start_at_login {
        crate::autostart::apply(&app, wanted.start_at_login)?;
    }
    let saved = state.core.update_settings(settings).await?;
    if wanted.watch_clipboard && !before.watch_clipboard {
        crate::clipboard::start_watching(&app).await;
    }
    Ok(saved)
}
