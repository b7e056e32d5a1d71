//! Haul's desktop shell. It parses its arguments, opens the core and hands every
//! command to it; behaviour lives in `haul-core`.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

mod autostart;
mod bindings;
mod clipboard;
mod commands;
mod launch;
mod library_events;
mod media_scheme;
mod progress;
mod quick_add;
mod tray;
mod updates;
mod windows;

use std::path::PathBuf;
use std::process::ExitCode;

use haul_core::{Core, OpenMode, paths};

use crate::launch::Start;

/// What the desktop app was asked to do on its command line. Anything that is not
/// one of its own options is a request (a magnet, a .torrent, a link) that the
/// running instance checks and shows if refused.
enum Launch {
    Open {
        data_dir: Option<PathBuf>,
        start: Start,
    },
    ExportBindings(PathBuf),
}

fn parse_args() -> Result<Launch, String> {
    let args: Vec<String> = std::env::args_os()
        .skip(1)
        .map(|arg| arg.to_string_lossy().into_owned())
        .collect();
    // Only exactly `--export-bindings PATH`: a link handed to Haul can never make
    // it write a file.
    if let [flag, path] = args.as_slice()
        && flag == "--export-bindings"
    {
        return Ok(Launch::ExportBindings(path.into()));
    }
    let mut data_dir = None;
    let mut iter = args.iter();
    while let Some(arg) = iter.next() {
        if arg == "--data-dir" {
            data_dir = Some(iter.next().ok_or("--data-dir needs a folder")?.into());
        }
    }
    Ok(Launch::Open {
        data_dir,
        start: Start::parse(&args),
    })
}

pub struct AppState {
    pub core: Core,
}

fn main() -> ExitCode {
    let launch = match parse_args() {
        Ok(launch) => launch,
        Err(message) => {
            eprintln!(
                "haul-desktop: {message}\nusage: haul-desktop [--data-dir DIR] [--quick-add] [--minimized] [MAGNET|FILE.torrent|URL...]"
            );
            return ExitCode::FAILURE;
        }
    };
    let (data_dir, start) = match launch {
        Launch::ExportBindings(path) => {
            return match bindings::export(&path) {
                Ok(()) => ExitCode::SUCCESS,
                Err(message) => {
                    eprintln!("haul-desktop: cannot export bindings: {message}");
                    ExitCode::FAILURE
                }
            };
        }
        Launch::Open { data_dir, start } => (data_dir, start),
    };
    let custom_data_dir = data_dir.is_some() || std::env::var_os(paths::DATA_DIR_ENV).is_some();
    let data_dir = data_dir.unwrap_or_else(paths::default_data_dir);
    let _log_guard = haul_core::logging::init(&paths::log_dir(&data_dir, custom_data_dir), "info");

    match run(data_dir, start) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            tracing::error!(%error, "the window could not run");
            eprintln!("haul-desktop: {error}");
            ExitCode::FAILURE
        }
    }
}

/// Opens the core once this is the only instance: a second launch hands its
/// arguments to the first one (in the single-instance plugin's setup, before any
/// data is touched) and exits.
fn run(data_dir: PathBuf, start: Start) -> tauri::Result<()> {
    let specta = bindings::builder();
    let invoke_handler = specta.invoke_handler();
    let app = tauri::Builder::default()
        .plugin(tauri_plugin_single_instance::init(|app, argv, cwd| {
            launch::forwarded(
                app,
                argv.get(1..).unwrap_or_default(),
                std::path::Path::new(&cwd),
            );
        }))
        .plugin(tauri_plugin_deep_link::init())
        .plugin(tauri_plugin_updater::Builder::new().build())
        .plugin(
            tauri_plugin_autostart::Builder::new()
                .arg(launch::MINIMIZED_FLAG)
                .build(),
        )
        .plugin(
            // Size and position are remembered; visibility is not, or quitting
            // from the tray would start Haul hidden next time.
            tauri_plugin_window_state::Builder::new()
                .with_state_flags(
                    tauri_plugin_window_state::StateFlags::all()
                        - tauri_plugin_window_state::StateFlags::VISIBLE,
                )
                .with_denylist(&[quick_add::QUICK_ADD])
                .build(),
        )
        .invoke_handler(invoke_handler)
        .register_asynchronous_uri_scheme_protocol(media_scheme::SCHEME, media_scheme::handle)
        .on_window_event(windows::on_window_event)
        .setup(move |app| {
            let core = tauri::async_runtime::block_on(async {
                let core = Core::open(&data_dir, OpenMode::Worker { autostart: true }).await?;
                // Events reach the notifier only while the runtime runs it.
                core.start_notifications(std::sync::Arc::new(
                    haul_core::notifications::DesktopNotifications,
                ));
                // Faces are found in the background, on the runtime like the notifier.
                core.faces().start_background();
                core.sources().start_scheduler();
                Ok::<_, haul_core::Error>(core)
            })
            .map_err(|error| {
                tracing::error!(code = ?error.code, message = %error.message, "cannot open Haul's data");
                error.message
            })?;
            use tauri::Manager;
            use tauri_plugin_deep_link::DeepLinkExt;
            let start_at_login = core.settings().desktop.start_at_login;
            app.manage(AppState { core });
            app.manage(updates::PendingUpdate::default());
            specta.mount_events(app);
            let handle = app.handle();
            progress::spawn_ticker(handle.clone());
            library_events::spawn_bridge(handle.clone());
            tray::install(handle);
            clipboard::spawn_watcher(handle.clone());
            if let Err(error) = autostart::apply(handle, start_at_login) {
                tracing::warn!(message = %error.message, "start at login");
            }
            let deep_links = handle.clone();
            app.deep_link()
                .on_open_url(move |event| launch::open_urls(&deep_links, event.urls()));
            if start.minimized
                && handle.state::<tray::TrayPresence>().is_present()
                && let Some(window) = app.get_webview_window(windows::MAIN)
            {
                let _ = window.hide();
            }
            if start.quick_add {
                quick_add::open(handle);
            }
            let cwd = std::env::current_dir().unwrap_or_default();
            launch::open(handle, start.requests.clone(), &cwd);
            updates::check_on_start(handle);
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
