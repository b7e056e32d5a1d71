//! The Statistics and Diagnostics pages.

use haul_core::Error;
use haul_core::diagnostics::Readiness;
use haul_core::history_stats::HistoryStats;
use tauri::State;

use crate::AppState;

/// Volume per day, speed per hour and top sources over the last `days` days.
#[tauri::command]
#[specta::specta]
pub async fn history_stats(state: State<'_, AppState>, days: u32) -> Result<HistoryStats, Error> {
    state.core.history().stats(days).await
}

/// The readiness checks `haul serve` answers `/ready` with.
#[tauri::command]
#[specta::specta]
pub async fn diagnostics(state: State<'_, AppState>) -> Result<Readiness, Error> {
    Ok(state.core.diagnostics().readiness().await)
}
