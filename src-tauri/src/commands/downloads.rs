use std::path::PathBuf;

use haul_core::{AddOptions, DownloadView, Error, MoveDirection};
use tauri::State;

use crate::AppState;

/// A download's id; a JavaScript number on the other side (ids stay below 2^53).
#[derive(Clone, Copy, Debug, serde::Deserialize, specta::Type)]
#[serde(transparent)]
pub struct DownloadId(#[specta(type = specta_typescript::Number)] i64);

#[tauri::command]
#[specta::specta]
pub async fn add_download(
    state: State<'_, AppState>,
    url: String,
    dir: Option<String>,
) -> Result<DownloadView, Error> {
    let options = AddOptions {
        dir: dir.map(PathBuf::from),
        ..AddOptions::default()
    };
    state.core.downloads().add(&url, &options).await
}

#[tauri::command]
#[specta::specta]
pub async fn list_downloads(state: State<'_, AppState>) -> Result<Vec<DownloadView>, Error> {
    state.core.downloads().list().await
}

#[tauri::command]
#[specta::specta]
pub async fn pause_download(
    state: State<'_, AppState>,
    id: DownloadId,
) -> Result<DownloadView, Error> {
    state.core.downloads().pause(id.0).await
}

#[tauri::command]
#[specta::specta]
pub async fn resume_download(
    state: State<'_, AppState>,
    id: DownloadId,
) -> Result<DownloadView, Error> {
    state.core.downloads().resume(id.0).await
}

#[tauri::command]
#[specta::specta]
pub async fn cancel_download(
    state: State<'_, AppState>,
    id: DownloadId,
) -> Result<DownloadView, Error> {
    state.core.downloads().cancel(id.0).await
}

#[tauri::command]
#[specta::specta]
pub async fn remove_download(
    state: State<'_, AppState>,
    id: DownloadId,
    delete_file: bool,
) -> Result<(), Error> {
    state.core.downloads().remove(id.0, delete_file).await
}

#[tauri::command]
#[specta::specta]
pub async fn move_download(
    state: State<'_, AppState>,
    id: DownloadId,
    direction: MoveDirection,
) -> Result<(), Error> {
    state.core.downloads().move_in_queue(id.0, direction).await
}

#[tauri::command]
#[specta::specta]
pub async fn pause_all(state: State<'_, AppState>) -> Result<(), Error> {
    state.core.downloads().pause_all().await
}

#[tauri::command]
#[specta::specta]
pub async fn resume_all(state: State<'_, AppState>) -> Result<(), Error> {
    state.core.downloads().resume_all().await
}
