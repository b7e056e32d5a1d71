use haul_core::{AccountView, Error, LoginPrompt, LoginStatus, Provider};
use tauri::State;

use crate::AppState;

/// A login's id from `start_login`; a JavaScript number on the other side.
#[derive(Clone, Copy, Debug, serde::Deserialize, specta::Type)]
#[serde(transparent)]
pub struct LoginId(#[specta(type = specta_typescript::Number)] u64);

/// Every provider and whether it has a credential; no network.
#[tauri::command]
#[specta::specta]
pub async fn list_accounts(state: State<'_, AppState>) -> Result<Vec<AccountView>, Error> {
    state.core.accounts().list().await
}

/// Asks the provider who the stored credential belongs to.
#[tauri::command]
#[specta::specta]
pub async fn check_account(
    state: State<'_, AppState>,
    provider: Provider,
) -> Result<AccountView, Error> {
    state.core.accounts().check(provider).await
}

#[tauri::command]
#[specta::specta]
pub async fn start_login(
    state: State<'_, AppState>,
    provider: Provider,
) -> Result<LoginPrompt, Error> {
    state.core.accounts().start_login(provider).await
}

/// One poll; the UI calls it every `pollIntervalSeconds`.
#[tauri::command]
#[specta::specta]
pub async fn poll_login(
    state: State<'_, AppState>,
    login_id: LoginId,
) -> Result<LoginStatus, Error> {
    state.core.accounts().poll_login(login_id.0).await
}

#[tauri::command]
#[specta::specta]
pub async fn set_api_key(
    state: State<'_, AppState>,
    provider: Provider,
    key: String,
) -> Result<AccountView, Error> {
    state.core.accounts().set_api_key(provider, &key).await
}

#[tauri::command]
#[specta::specta]
pub async fn logout(state: State<'_, AppState>, provider: Provider) -> Result<AccountView, Error> {
    state.core.accounts().logout(provider).await
}
