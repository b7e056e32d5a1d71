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

/// The arguments of a launch that are not Haul's own options.
pub fn requests(arguments: &[String]) -> Vec<String> {
    let mut out = Vec::new();
    let mut iter = arguments.iter();
    while let Some(argument) = iter.next() {
        if argument == "--data-dir" {
            iter.next();
            continue;
        }
        out.push(argument.clone());
    }
    out
}

/// Acts on each argument, or tells the window why not.
pub fn open(app: &AppHandle, arguments: Vec<String>, cwd: &Path) {
    if arguments.is_empty() {
        return;
    }
    if let Some(window) = app.get_webview_window("main") {
        let _ = window.unminimize();
        let _ = window.set_focus();
    }
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
