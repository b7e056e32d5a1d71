use haul_core::{Error, Settings};
use tauri::{AppHandle, State};

use crate::AppState;

#[tauri::command]
#[specta::specta]
pub fn get_settings(state: State<'_, AppState>) -> Result<Settings, Error> {
    Ok(state.core.settings())
}

/// Saves the settings; start at login is changed on the system first, so a
/// refusal there leaves the saved settings as they were.
#[tauri::command]
#[specta::specta]
pub async fn update_settings(
    app: AppHandle,
    state: State<'_, AppState>,
    settings: Settings,
) -> Result<Settings, Error> {
    settings.validate()?;
    let before = state.core.settings().desktop.start_at_login;
    let wanted = settings.desktop.start_at_login;
    if before != wanted {
        crate::autostart::apply(&app, wanted)?;
    }
    state.core.update_settings(settings).await
}
