//! The library, its duplicates and its recycle bin.

use std::path::PathBuf;

use haul_core::Error;
use haul_core::library::{
    BinEntryView, ItemDetails, LibraryFilter, LibraryItemView, LibraryPage, LibraryQuery,
    MonthCount, ScanReport,
};
use tauri::State;

use crate::AppState;

/// A library item's or bin entry's id; a JavaScript number (ids stay below 2^53).
#[derive(Clone, Copy, Debug, serde::Deserialize, serde::Serialize, specta::Type)]
#[serde(transparent)]
pub struct ItemId(#[specta(type = specta_typescript::Number)] i64);

fn ids(list: &[ItemId]) -> Vec<i64> {
    list.iter().map(|id| id.0).collect()
}

#[tauri::command]
#[specta::specta]
pub async fn library_list(
    state: State<'_, AppState>,
    query: LibraryQuery,
) -> Result<LibraryPage, Error> {
    state.core.library().list(&query).await
}

#[tauri::command]
#[specta::specta]
pub async fn library_count(
    state: State<'_, AppState>,
    filter: LibraryFilter,
) -> Result<u32, Error> {
    let n = state.core.library().count(&filter).await?;
    Ok(u32::try_from(n).unwrap_or(u32::MAX))
}

#[tauri::command]
#[specta::specta]
pub async fn library_months(
    state: State<'_, AppState>,
    filter: LibraryFilter,
) -> Result<Vec<MonthCount>, Error> {
    state.core.library().months(&filter).await
}

#[tauri::command]
#[specta::specta]
pub async fn library_update_details(
    state: State<'_, AppState>,
    id: ItemId,
    details: ItemDetails,
) -> Result<LibraryItemView, Error> {
    state.core.library().update_details(id.0, &details).await
}

#[tauri::command]
#[specta::specta]
pub async fn library_duplicates(
    state: State<'_, AppState>,
) -> Result<Vec<Vec<LibraryItemView>>, Error> {
    state.core.library().duplicates().await
}

#[tauri::command]
#[specta::specta]
pub async fn library_similar(
    state: State<'_, AppState>,
    distance: Option<u32>,
) -> Result<Vec<Vec<LibraryItemView>>, Error> {
    let distance = distance.unwrap_or(haul_core::library::DEFAULT_SIMILAR_DISTANCE);
    state.core.library().similar(distance).await
}

/// Moves items to the recycle bin; returns their ids (which name their bin entries).
#[tauri::command]
#[specta::specta]
pub async fn library_remove(
    state: State<'_, AppState>,
    ids: Vec<ItemId>,
) -> Result<Vec<ItemId>, Error> {
    let entries = state.core.library().remove(&self::ids(&ids)).await?;
    Ok(entries.into_iter().map(ItemId).collect())
}

#[tauri::command]
#[specta::specta]
pub async fn library_add_folder(
    state: State<'_, AppState>,
    path: String,
) -> Result<ScanReport, Error> {
    state.core.library().add_folder(&PathBuf::from(path)).await
}

#[tauri::command]
#[specta::specta]
pub async fn bin_list(state: State<'_, AppState>) -> Result<Vec<BinEntryView>, Error> {
    state.core.library().bin_list().await
}

/// Puts bin entries back; returns where each file went.
#[tauri::command]
#[specta::specta]
pub async fn bin_restore(
    state: State<'_, AppState>,
    ids: Vec<ItemId>,
) -> Result<Vec<String>, Error> {
    state.core.library().restore(&self::ids(&ids)).await
}

/// Deletes bin entries for good; returns how many.
#[tauri::command]
#[specta::specta]
pub async fn bin_purge(state: State<'_, AppState>, ids: Vec<ItemId>) -> Result<u32, Error> {
    state.core.library().purge_entries(&self::ids(&ids)).await
}

#[tauri::command]
#[specta::specta]
pub async fn bin_empty(state: State<'_, AppState>) -> Result<u32, Error> {
    state.core.library().empty_bin().await
}

/// Pauses (true) or resumes (false) the library's background work.
#[tauri::command]
#[specta::specta]
pub fn library_set_paused(state: State<'_, AppState>, paused: bool) {
    state.core.library().set_paused(paused);
}
