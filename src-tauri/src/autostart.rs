//! Start at login, kept in step with the setting (tauri-plugin-autostart: an XDG
//! autostart entry on Linux, a launch agent on macOS, the Run key on Windows).

use haul_core::{Error, ErrorCode};
use tauri::AppHandle;
use tauri_plugin_autostart::ManagerExt;

/// Makes the system's start-at-login entry match `enabled`.
pub fn apply(app: &AppHandle, enabled: bool) -> Result<(), Error> {
    let manager = app.autolaunch();
    if manager.is_enabled().unwrap_or(!enabled) == enabled {
        return Ok(());
    }
    let result = if enabled {
        manager.enable()
    } else {
        manager.disable()
    };
    result.map_err(|error| {
        Error::new(
            ErrorCode::SystemIntegration,
            format!(
                "Cannot {} start at login: {error}.",
                if enabled { "turn on" } else { "turn off" }
            ),
        )
    })
}
