//! Sources and the history: the Sources page (follow, edit, pause, check,
//! remove, preview), the History page's search, accounts' cookies and the
//! extractor tools.

use haul_core::Error;
use haul_core::history::{HistoryPage, HistoryQuery};
use haul_core::sources::{AddSource, EditSource, SourcePreview, SourceView, ToolStatus};
use tauri::State;

use crate::AppState;
use crate::commands::faces::RowId;

#[tauri::command]
#[specta::specta]
pub async fn sources_list(state: State<'_, AppState>) -> Result<Vec<SourceView>, Error> {
    state.core.sources().list().await
}

/// Follows a URL; its first check starts at once.
#[tauri::command]
#[specta::specta]
pub async fn source_add(
    state: State<'_, AppState>,
    source: AddSource,
) -> Result<SourceView, Error> {
    state.core.sources().add(&source).await
}

/// What a URL is and its first items, before following it.
#[tauri::command]
#[specta::specta]
pub async fn source_preview(
    state: State<'_, AppState>,
    url: String,
) -> Result<SourcePreview, Error> {
    state.core.sources().preview(&url).await
}

#[tauri::command]
#[specta::specta]
pub async fn source_edit(
    state: State<'_, AppState>,
    id: RowId,
    edit: EditSource,
) -> Result<SourceView, Error> {
    state.core.sources().edit(id.get(), &edit).await
}

#[tauri::command]
#[specta::specta]
pub async fn source_pause(state: State<'_, AppState>, id: RowId) -> Result<SourceView, Error> {
    state.core.sources().pause(id.get()).await
}

#[tauri::command]
#[specta::specta]
pub async fn source_resume(state: State<'_, AppState>, id: RowId) -> Result<SourceView, Error> {
    state.core.sources().resume(id.get()).await
}

/// Starts a check now; `source-changed` events follow its progress.
#[tauri::command]
#[specta::specta]
pub async fn source_check(state: State<'_, AppState>, id: RowId) -> Result<SourceView, Error> {
    state.core.sources().check_now(id.get()).await
}

/// Checks past the usual limits until a known post: fills a reported gap.
#[tauri::command]
#[specta::specta]
pub async fn source_fill_gap(state: State<'_, AppState>, id: RowId) -> Result<SourceView, Error> {
    state.core.sources().fill_gap(id.get()).await
}

/// Stops following a source; with `delete_files`, its files go to the bin.
/// Returns how many files were binned.
#[tauri::command]
#[specta::specta]
pub async fn source_remove(
    state: State<'_, AppState>,
    id: RowId,
    delete_files: bool,
) -> Result<u32, Error> {
    let binned = state.core.sources().remove(id.get(), delete_files).await?;
    Ok(u32::try_from(binned).unwrap_or(u32::MAX))
}

/// Stores an account's cookies (the text of a cookies.txt) in the OS keyring;
/// returns the domains they cover.
#[tauri::command]
#[specta::specta]
pub async fn cookies_import(
    state: State<'_, AppState>,
    account: String,
    text: String,
) -> Result<Vec<String>, Error> {
    state.core.sources().import_cookies(&account, &text).await
}

#[tauri::command]
#[specta::specta]
pub async fn extractors_status(state: State<'_, AppState>) -> Result<Vec<ToolStatus>, Error> {
    Ok(state.core.sources().tools().await)
}

#[tauri::command]
#[specta::specta]
pub async fn extractors_install(state: State<'_, AppState>) -> Result<Vec<ToolStatus>, Error> {
    state.core.sources().install_tools().await
}

/// One page of the history, newest first (`query.cursor` continues a page).
#[tauri::command]
#[specta::specta]
pub async fn history_search(
    state: State<'_, AppState>,
    query: HistoryQuery,
) -> Result<HistoryPage, Error> {
    state.core.history().search(&query).await
}
