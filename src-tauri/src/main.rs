//! Haul's desktop shell. It parses its arguments, opens the core and hands every
//! command to it; behaviour lives in `haul-core`.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

mod bindings;
mod commands;
mod progress;

use std::path::PathBuf;
use std::process::ExitCode;

use haul_core::{Core, OpenMode, paths};

/// What the desktop app was asked to do on its command line.
enum Launch {
    Open { data_dir: Option<PathBuf> },
    ExportBindings(PathBuf),
}

fn parse_args() -> Result<Launch, String> {
    let mut args = std::env::args_os().skip(1);
    let mut data_dir = None;
    while let Some(arg) = args.next() {
        match arg.to_str() {
            Some("--export-bindings") => {
                let path = args.next().ok_or("--export-bindings needs a file path")?;
                return Ok(Launch::ExportBindings(path.into()));
            }
            Some("--data-dir") => {
                data_dir = Some(args.next().ok_or("--data-dir needs a folder")?.into());
            }
            _ => return Err(format!("unknown argument {arg:?}")),
        }
    }
    Ok(Launch::Open { data_dir })
}

pub struct AppState {
    pub core: Core,
}

fn main() -> ExitCode {
    let launch = match parse_args() {
        Ok(launch) => launch,
        Err(message) => {
            eprintln!("haul-desktop: {message}\nusage: haul-desktop [--data-dir DIR]");
            return ExitCode::FAILURE;
        }
    };
    let data_dir = match launch {
        Launch::ExportBindings(path) => {
            return match bindings::export(&path) {
                Ok(()) => ExitCode::SUCCESS,
                Err(message) => {
                    eprintln!("haul-desktop: cannot export bindings: {message}");
                    ExitCode::FAILURE
                }
            };
        }
        Launch::Open { data_dir } => data_dir,
    };
    let custom_data_dir = data_dir.is_some() || std::env::var_os(paths::DATA_DIR_ENV).is_some();
    let data_dir = data_dir.unwrap_or_else(paths::default_data_dir);
    let _log_guard = haul_core::logging::init(&paths::log_dir(&data_dir, custom_data_dir), "info");

    let core = match tauri::async_runtime::block_on(Core::open(
        &data_dir,
        OpenMode::Worker { autostart: true },
    )) {
        Ok(core) => core,
        Err(error) => {
            tracing::error!(code = ?error.code, message = %error.message, "cannot open Haul's data");
            eprintln!("haul-desktop: {}", error.message);
            return ExitCode::FAILURE;
        }
    };

    // Events reach the notifier only while the runtime runs it.
    tauri::async_runtime::block_on(async {
        core.start_notifications(std::sync::Arc::new(
            haul_core::notifications::DesktopNotifications,
        ));
    });
    match run(core) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            tracing::error!(%error, "the window could not run");
            eprintln!("haul-desktop: {error}");
            ExitCode::FAILURE
        }
    }
}

fn run(core: Core) -> tauri::Result<()> {
    let specta = bindings::builder();
    let invoke_handler = specta.invoke_handler();
    let app = tauri::Builder::default()
        .manage(AppState { core })
        .invoke_handler(invoke_handler)
        .setup(move |app| {
            specta.mount_events(app);
            progress::spawn_ticker(app.handle().clone());
            Ok(())
        })
        .build(tauri::generate_context!())?;
    app.run(|handle, event| {
        if let tauri::RunEvent::Exit = event {
            use tauri::Manager;
            let state = handle.state::<AppState>();
            // Transfers stop at a checkpoint and resume at the next start.
            tauri::async_runtime::block_on(state.core.shutdown());
        }
    });
    Ok(())
}
