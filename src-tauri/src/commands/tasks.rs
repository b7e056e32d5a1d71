use haul_core::{AddTaskOptions, Error, TaskView};
use tauri::State;

use crate::AppState;

/// A task's id; a JavaScript number on the other side (ids stay below 2^53).
#[derive(Clone, Copy, Debug, serde::Deserialize, specta::Type)]
#[serde(transparent)]
pub struct TaskId(#[specta(type = specta_typescript::Number)] i64);

/// Adds a task from a magnet link or the path of a .torrent file.
#[tauri::command]
#[specta::specta]
pub async fn add_task(
    state: State<'_, AppState>,
    source: String,
    options: AddTaskOptions,
) -> Result<TaskView, Error> {
    state.core.tasks().add(&source, &options).await
}

/// Adds a task from a .torrent file's bytes (dropped on the window).
#[tauri::command]
#[specta::specta]
pub async fn add_torrent(
    state: State<'_, AppState>,
    bytes: Vec<u8>,
    options: AddTaskOptions,
) -> Result<TaskView, Error> {
    state.core.tasks().add_torrent(&bytes, &options).await
}

#[tauri::command]
#[specta::specta]
pub async fn list_tasks(state: State<'_, AppState>) -> Result<Vec<TaskView>, Error> {
    state.core.tasks().list().await
}

#[tauri::command]
#[specta::specta]
pub async fn select_task_files(
    state: State<'_, AppState>,
    id: TaskId,
    indexes: Vec<u32>,
) -> Result<TaskView, Error> {
    state.core.tasks().select_files(id.0, &indexes).await
}

#[tauri::command]
#[specta::specta]
pub async fn pause_task(state: State<'_, AppState>, id: TaskId) -> Result<TaskView, Error> {
    state.core.tasks().pause(id.0).await
}

#[tauri::command]
#[specta::specta]
pub async fn resume_task(state: State<'_, AppState>, id: TaskId) -> Result<TaskView, Error> {
    state.core.tasks().resume(id.0).await
}

#[tauri::command]
#[specta::specta]
pub async fn retry_task(state: State<'_, AppState>, id: TaskId) -> Result<TaskView, Error> {
    state.core.tasks().retry(id.0).await
}

#[tauri::command]
#[specta::specta]
pub async fn cancel_task(state: State<'_, AppState>, id: TaskId) -> Result<TaskView, Error> {
    state.core.tasks().cancel(id.0).await
}

#[tauri::command]
#[specta::specta]
pub async fn remove_task(
    state: State<'_, AppState>,
    id: TaskId,
    delete_files: bool,
) -> Result<(), Error> {
    state.core.tasks().remove(id.0, delete_files).await
}
