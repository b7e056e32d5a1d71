//! Signed updates through tauri-plugin-updater: check the endpoint from the
//! settings, download and verify against the public key in `tauri.conf.json`,
//! then install and restart when the user says so. An update whose signature does
//! not verify is refused and nothing is installed.

use std::sync::Mutex;
use std::time::{Duration, Instant};

use haul_core::notifications::{DesktopNotifications, Notification, NotificationSink};
use haul_core::{Error, ErrorCode};
use serde::Serialize;
use tauri::{AppHandle, Manager};
use tauri_plugin_updater::{Update, UpdaterExt};
use tauri_specta::Event;

use crate::AppState;

const CHECK_TIMEOUT: Duration = Duration::from_secs(30);
const PROGRESS_EVERY: Duration = Duration::from_millis(200);

/// A debug build's stand-in for the public key, so tests can sign updates with a
/// key of their own. Release builds always use the key in `tauri.conf.json`.
#[cfg(debug_assertions)]
const TEST_PUBKEY_ENV: &str = "HAUL_UPDATER_PUBKEY";

/// A newer version the endpoint offers.
#[derive(Clone, Debug, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct UpdateOffer {
    pub version: String,
    pub current_version: String,
    /// Release notes as plain text.
    pub notes: Option<String>,
    /// Publication date, RFC 3339.
    pub date: Option<String>,
}

/// Found at start-up (or from the tray): the window shows the prompt.
#[derive(Clone, Debug, Serialize, specta::Type, Event)]
pub struct UpdateAvailableEvent(pub UpdateOffer);

/// Download progress of the update.
#[derive(Clone, Debug, Serialize, specta::Type, Event)]
#[serde(rename_all = "camelCase")]
pub struct UpdateProgressEvent {
    #[specta(type = specta_typescript::Number)]
    pub downloaded: u64,
    #[specta(type = Option<specta_typescript::Number>)]
    pub total: Option<u64>,
}

/// The offered update, and its verified bytes once downloaded.
#[derive(Default)]
pub struct PendingUpdate(Mutex<Option<(Update, Option<Vec<u8>>)>>);

pub async fn check(app: &AppHandle) -> Result<Option<UpdateOffer>, Error> {
    let endpoint = app
        .state::<AppState>()
        .core
        .settings()
        .updates
        .endpoint_url()?;
    let builder = app
        .updater_builder()
        .timeout(CHECK_TIMEOUT)
        .endpoints(vec![endpoint])
        .map_err(unavailable)?;
    #[cfg(debug_assertions)]
    let builder = match std::env::var(TEST_PUBKEY_ENV) {
        Ok(key) => builder.pubkey(key),
        Err(_) => builder,
    };
    let update = builder
        .build()
        .map_err(unavailable)?
        .check()
        .await
        .map_err(unavailable)?;
    let Some(update) = update else {
        *pending(app) = None;
        return Ok(None);
    };
    let offer = offer_of(&update);
    *pending(app) = Some((update, None));
    Ok(Some(offer))
}

/// The update already offered (found at start-up before the window listened).
pub fn offered(app: &AppHandle) -> Option<UpdateOffer> {
    pending(app).as_ref().map(|(update, _)| offer_of(update))
}

fn offer_of(update: &Update) -> UpdateOffer {
    UpdateOffer {
        version: update.version.clone(),
        current_version: update.current_version.clone(),
        notes: update.body.clone(),
        date: update.date.and_then(|date| {
            date.format(&time::format_description::well_known::Rfc3339)
                .ok()
        }),
    }
}

/// Checks at start-up when the setting asks for it; failures are logged only.
pub fn check_on_start(app: &AppHandle) {
    if !app
        .state::<AppState>()
        .core
        .settings()
        .updates
        .check_on_start
    {
        return;
    }
    let app = app.clone();
    tauri::async_runtime::spawn(async move {
        match check(&app).await {
            Ok(Some(offer)) => {
                if let Err(error) = UpdateAvailableEvent(offer).emit(&app) {
                    tracing::warn!(%error, "cannot tell the window about the update");
                }
            }
            Ok(None) => tracing::info!("Haul is up to date"),
            Err(error) => tracing::info!(message = %error.message, "update check failed"),
        }
    });
}

/// The tray's "Check for updates…": an update opens the window's prompt; "up to
/// date" or a failure is said in a notification, since the window may be hidden.
pub fn check_from_menu(app: &AppHandle) {
    let app = app.clone();
    tauri::async_runtime::spawn(async move {
        let said = match check(&app).await {
            Ok(Some(offer)) => {
                crate::windows::show_main(&app);
                if let Err(error) = UpdateAvailableEvent(offer).emit(&app) {
                    tracing::warn!(%error, "cannot tell the window about the update");
                }
                return;
            }
            Ok(None) => Notification {
                summary: "Haul is up to date".into(),
                body: format!("Version {}", app.package_info().version),
                folder: None,
                failure: false,
            },
            Err(error) => Notification {
                summary: "Update check failed".into(),
                body: error.message,
                folder: None,
                failure: true,
            },
        };
        // A D-Bus round trip: off the async workers.
        let shown = tauri::async_runtime::spawn_blocking(move || DesktopNotifications.show(&said));
        if let Ok(Err(error)) = shown.await {
            tracing::warn!(message = %error.message, "cannot show the update check's result");
        }
    });
}

/// Downloads the offered update and verifies its signature; the bytes are kept
/// for `install` only when they verify.
pub async fn download(app: &AppHandle) -> Result<(), Error> {
    let update = pending(app)
        .as_ref()
        .map(|(update, _)| update.clone())
        .ok_or_else(no_update)?;
    let mut downloaded = 0u64;
    let mut last_sent = Instant::now() - PROGRESS_EVERY;
    let bytes = update
        .download(
            |chunk, total| {
                downloaded += chunk as u64;
                if last_sent.elapsed() >= PROGRESS_EVERY || Some(downloaded) == total {
                    last_sent = Instant::now();
                    let _ = UpdateProgressEvent { downloaded, total }.emit(app);
                }
            },
            || {},
        )
        .await
        .map_err(|error| refused_or_unavailable(&update.version, error))?;
    tracing::info!(version = %update.version, bytes = bytes.len(), "update downloaded and verified");
    *pending(app) = Some((update, Some(bytes)));
    Ok(())
}

/// Installs the verified update and restarts Haul.
pub fn install(app: &AppHandle) -> Result<(), Error> {
    let Some((update, Some(bytes))) = pending(app).take() else {
        return Err(no_update());
    };
    update
        .install(&bytes)
        .map_err(|error| refused_or_unavailable(&update.version, error))?;
    app.restart()
}

fn pending(app: &AppHandle) -> std::sync::MutexGuard<'_, Option<(Update, Option<Vec<u8>>)>> {
    let state = app.state::<PendingUpdate>().inner();
    // A panic while holding this lock leaves only a stale offer behind.
    state
        .0
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

fn no_update() -> Error {
    Error::new(
        ErrorCode::InvalidState,
        "No update is waiting: check for updates first.",
    )
}

fn unavailable(error: tauri_plugin_updater::Error) -> Error {
    use tauri_plugin_updater::Error as E;
    let message = match &error {
        E::ReleaseNotFound => "the update server gave no release".to_string(),
        E::TargetsNotFound(targets) => {
            format!(
                "the release has no build for this system ({})",
                targets.join(", ")
            )
        }
        E::Serialization(e) => format!("the update server's answer cannot be read ({e})"),
        other => other.to_string(),
    };
    Error::new(
        ErrorCode::UpdateUnavailable,
        format!("Cannot check for updates: {message}."),
    )
}

/// A signature problem refuses the update; anything else means it could not be
/// fetched or installed.
fn refused_or_unavailable(version: &str, error: tauri_plugin_updater::Error) -> Error {
    use tauri_plugin_updater::Error as E;
    let why = match &error {
        E::Minisign(e) => Some(format!(
            "its signature does not verify against Haul's public key ({e})"
        )),
        E::Base64(_) | E::SignatureUtf8(_) => Some("its signature cannot be read".to_string()),
        E::SignedVersionMismatch { signed, announced } => Some(format!(
            "it was signed as version {signed}, but offered as {announced}"
        )),
        E::MissingSignedVersion => Some("its signature does not name a version".to_string()),
        _ => None,
    };
    match why {
        Some(why) => Error::new(
            ErrorCode::UpdateRefused,
            format!("The update to {version} was refused: {why}. Nothing was installed."),
        ),
        None => Error::new(
            ErrorCode::UpdateUnavailable,
            format!("The update to {version} could not be downloaded or installed: {error}."),
        ),
    }
}
