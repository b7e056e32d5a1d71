//! Requests from outside the window: the arguments of this launch, and those a
//! second launch forwards to this instance (single instance over D-Bus on Linux).
//! Each argument is parsed into a typed request by the core; a refused one is shown
//! in the window, never acted on.

use std::path::Path;

use haul_core::launch::{LaunchRequest, parse_argument};
use haul_core::{AddOptions, AddTaskOptions};
use serde::Serialize;
use tauri::{AppHandle, Manager};
use tauri_specta::Event;

use crate::AppState;

/// An argument Haul refused, with why: the window shows it.
#[derive(Clone, Debug, Serialize, specta::Type, Event)]
#[serde(rename_all = "camelCase")]
pub struct LaunchRejectedEvent {
    pub message: String,
}

/// Opens the quick-add window (for a desktop shortcut or a global hotkey).
pub const QUICK_ADD_FLAG: &str = "--quick-add";
/// Starts with the window hidden in the tray (start at login uses it).
pub const MINIMIZED_FLAG: &str = "--minimized";

/// What a launch asks for once the window is up: the requests (magnets,
/// .torrent files, links), the quick-add window, or staying in the tray.
pub struct Start {
    pub requests: Vec<String>,
    pub quick_add: bool,
    pub minimized: bool,
}

impl Start {
    /// Reads a launch's arguments (without the program name); `--data-dir` and
    /// its value are the caller's.
    pub fn parse(arguments: &[String]) -> Self {
        let mut start = Self {
            requests: Vec::new(),
            quick_add: false,
            minimized: false,
        };
        let mut iter = arguments.iter();
        while let Some(argument) = iter.next() {
            match argument.as_str() {
                "--data-dir" => {
                    iter.next();
                }
                QUICK_ADD_FLAG => start.quick_add = true,
                MINIMIZED_FLAG => start.minimized = true,
                _ => start.requests.push(argument.clone()),
            }
        }
        start
    }
}

/// What a second launch asks of the running instance: its requests, and the
/// quick-add window if it was started with `--quick-add`.
pub fn forwarded(app: &AppHandle, arguments: &[String], cwd: &Path) {
    let start = Start::parse(arguments);
    if start.quick_add {
        crate::quick_add::open(app);
    } else if start.requests.is_empty() {
        // A plain second start: show the window that is already there.
        crate::windows::show_main(app);
    }
    open(app, start.requests, cwd);
}

/// Links the system hands over while Haul runs (macOS sends magnets and opened
/// .torrent files as events, not arguments).
pub fn open_urls(app: &AppHandle, urls: Vec<tauri::Url>) {
    let arguments = urls
        .into_iter()
        .map(|url| match url.to_file_path() {
            Ok(path) if url.scheme() == "file" => path.display().to_string(),
            _ => url.to_string(),
        })
        .collect();
    let cwd = std::env::current_dir().unwrap_or_default();
    open(app, arguments, &cwd);
}

/// Acts on each argument, or tells the window why not.
pub fn open(app: &AppHandle, arguments: Vec<String>, cwd: &Path) {
    if arguments.is_empty() {
        return;
    }
    crate::windows::show_main(app);
    let app = app.clone();
    let cwd = cwd.to_path_buf();
    tauri::async_runtime::spawn(async move {
        for argument in arguments {
            let core = &app.state::<AppState>().core;
            let result = match parse_argument(&argument, &cwd) {
                Ok(LaunchRequest::Magnet(magnet)) => core
                    .tasks()
                    .add(&magnet, &AddTaskOptions::default())
                    .await
                    .map(drop),
                Ok(LaunchRequest::TorrentFile(path)) => core
                    .tasks()
                    .add(&path.to_string_lossy(), &AddTaskOptions::default())
                    .await
                    .map(drop),
                Ok(LaunchRequest::Link(url)) => core
                    .downloads()
                    .add(url.as_str(), &AddOptions::default())
                    .await
                    .map(drop),
                Err(error) => Err(error),
            };
            if let Err(error) = result {
                tracing::warn!(code = ?error.code, message = %error.message, "launch argument refused");
                let event = LaunchRejectedEvent {
                    message: error.message,
                };
                if let Err(error) = event.emit(&app) {
                    tracing::warn!(%error, "cannot tell the window");
                }
            }
        }
    });
}
