use haul_core::Error;
use haul_core::desktop::ClipboardOffer;
use tauri::AppHandle;

use crate::updates::{self, UpdateOffer};
use crate::{clipboard, quick_add};

/// The magnet or link on the clipboard, for the quick-add field; none when the
/// clipboard holds anything else.
#[tauri::command]
#[specta::specta]
pub async fn clipboard_suggestion() -> Result<Option<ClipboardOffer>, Error> {
    Ok(clipboard::current_offer().await)
}

#[tauri::command]
#[specta::specta]
pub fn open_quick_add(app: AppHandle) -> Result<(), Error> {
    quick_add::open(&app);
    Ok(())
}

#[tauri::command]
#[specta::specta]
pub fn close_quick_add(app: AppHandle) -> Result<(), Error> {
    quick_add::close(&app);
    Ok(())
}

/// Asks the update endpoint; `null` means Haul is up to date.
#[tauri::command]
#[specta::specta]
pub async fn check_for_update(app: AppHandle) -> Result<Option<UpdateOffer>, Error> {
    updates::check(&app).await
}

/// The update found at start-up, if any: the window asks once it is listening.
#[tauri::command]
#[specta::specta]
pub fn pending_update(app: AppHandle) -> Result<Option<UpdateOffer>, Error> {
    Ok(updates::offered(&app))
}

/// Downloads the offered update and verifies its signature.
#[tauri::command]
#[specta::specta]
pub async fn download_update(app: AppHandle) -> Result<(), Error> {
    updates::download(&app).await
}

/// Installs the verified update and restarts Haul.
#[tauri::command]
#[specta::specta]
pub fn install_update(app: AppHandle) -> Result<(), Error> {
    updates::install(&app)
}
