use haul_core::{Error, Settings};
use tauri::State;

use crate::AppState;

#[tauri::command]
#[specta::specta]
pub fn get_settings(state: State<'_, AppState>) -> Result<Settings, Error> {
    Ok(state.core.settings())
}

#[tauri::command]
#[specta::specta]
pub async fn update_settings(
    state: State<'_, AppState>,
    settings: Settings,
) -> Result<Settings, Error> {
    state.core.update_settings(settings).await
}
