//! Downloads, debrid tasks, accounts and settings.

use std::path::PathBuf;

use haul_core::{
    AddOptions, AddTaskOptions, DownloadView, ErrorCode, MoveDirection, Provider, Settings,
};
use serde_json::Value;

use super::{arg, id, reply};
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;

/// The folder a remote request named, held to the allowed ones.
pub(crate) fn allowed_dir(state: &AppState, dir: Option<String>) -> ApiResult<Option<String>> {
    let Some(dir) = dir.filter(|d| !d.trim().is_empty()) else {
        return Ok(None);
    };
    let download_dir = PathBuf::from(state.core.settings().download_dir);
    let real = state.dirs.check(&dir, &download_dir)?;
    Ok(Some(real.to_string_lossy().into_owned()))
}

/// Settings a remote client may not change: the download folder only within
/// the allowed folders, and nothing that names a program to run (that would
/// let a browser run any executable on the server).
fn guard_settings(state: &AppState, mut wanted: Settings) -> ApiResult<Settings> {
    let current = state.core.settings();
    if wanted.download_dir != current.download_dir {
        let download_dir = PathBuf::from(&current.download_dir);
        let real = state.dirs.check(&wanted.download_dir, &download_dir)?;
        wanted.download_dir = real.to_string_lossy().into_owned();
    }
    if wanted.sources.yt_dlp_path != current.sources.yt_dlp_path
        || wanted.sources.gallery_dl_path != current.sources.gallery_dl_path
    {
        return Err(ApiError::new(
            ErrorCode::InvalidSetting,
            "The yt-dlp and gallery-dl paths can only be changed on the server itself.",
        ));
    }
    // The server's own desktop integration is not the browser's to change.
    wanted.desktop = current.desktop;
    Ok(wanted)
}

/// Adds a link for a remote client, into an allowed folder only (the command
/// and `POST /api/downloads`).
pub(crate) async fn add_download(
    state: &AppState,
    url: &str,
    dir: Option<String>,
) -> ApiResult<DownloadView> {
    let options = AddOptions {
        dir: allowed_dir(state, dir)?.map(PathBuf::from),
        ..AddOptions::default()
    };
    Ok(state.core.downloads().add(url, &options).await?)
}

fn provider(args: &Value) -> ApiResult<Provider> {
    arg(args, "provider")
}

fn task_options(state: &AppState, args: &Value) -> ApiResult<AddTaskOptions> {
    let mut options: AddTaskOptions =
        arg::<Option<AddTaskOptions>>(args, "options")?.unwrap_or_default();
    options.dir = allowed_dir(state, options.dir.take())?;
    Ok(options)
}

fn is_magnet(text: &str) -> bool {
    text.trim_start()
        .get(..7)
        .is_some_and(|s| s.eq_ignore_ascii_case("magnet:"))
}

/// `Ok(None)`: not a command of this area.
pub async fn call(state: &AppState, name: &str, args: &Value) -> Option<ApiResult<Value>> {
    run(state, name, args).await.transpose()
}

async fn run(state: &AppState, name: &str, args: &Value) -> ApiResult<Option<Value>> {
    let core = &state.core;
    let downloads = core.downloads();
    let tasks = core.tasks();
    let accounts = core.accounts();
    let value = match name {
        "add_download" => reply(Ok(add_download(
            state,
            &arg::<String>(args, "url")?,
            arg(args, "dir")?,
        )
        .await?))?,
        "list_downloads" => reply(downloads.list().await)?,
        "pause_download" => reply(downloads.pause(id(args)?).await)?,
        "resume_download" => reply(downloads.resume(id(args)?).await)?,
        "cancel_download" => reply(downloads.cancel(id(args)?).await)?,
        "remove_download" => reply(downloads.remove(id(args)?, arg(args, "deleteFile")?).await)?,
        "move_download" => {
            let direction: MoveDirection = arg(args, "direction")?;
            reply(downloads.move_in_queue(id(args)?, direction).await)?
        }
        "pause_all" => reply(downloads.pause_all().await)?,
        "resume_all" => reply(downloads.resume_all().await)?,
        "get_settings" => reply(Ok(core.settings()))?,
        "update_settings" => {
            let wanted: Settings = arg(args, "settings")?;
            wanted.validate()?;
            let wanted = guard_settings(state, wanted)?;
            reply(core.update_settings(wanted).await)?
        }
        "add_task" => {
            let source: String = arg(args, "source")?;
            if !is_magnet(&source) {
                return Err(ApiError::new(
                    ErrorCode::InvalidMagnet,
                    "Over the network a task comes from a magnet link or a .torrent file's \
                     contents, never a path on the server.",
                ));
            }
            reply(tasks.add(&source, &task_options(state, args)?).await)?
        }
        "add_torrent" => {
            let bytes: Vec<u8> = arg(args, "bytes")?;
            reply(tasks.add_torrent(&bytes, &task_options(state, args)?).await)?
        }
        "list_tasks" => reply(tasks.list().await)?,
        "select_task_files" => {
            let indexes: Vec<u32> = arg(args, "indexes")?;
            reply(tasks.select_files(id(args)?, &indexes).await)?
        }
        "pause_task" => reply(tasks.pause(id(args)?).await)?,
        "resume_task" => reply(tasks.resume(id(args)?).await)?,
        "retry_task" => reply(tasks.retry(id(args)?).await)?,
        "cancel_task" => reply(tasks.cancel(id(args)?).await)?,
        "remove_task" => reply(tasks.remove(id(args)?, arg(args, "deleteFiles")?).await)?,
        "list_accounts" => reply(accounts.list().await)?,
        "check_account" => reply(accounts.check(provider(args)?).await)?,
        "start_login" => reply(accounts.start_login(provider(args)?).await)?,
        "poll_login" => reply(accounts.poll_login(arg(args, "loginId")?).await)?,
        "set_api_key" => {
            let key: String = arg(args, "key")?;
            reply(accounts.set_api_key(provider(args)?, &key).await)?
        }
        "logout" => reply(accounts.logout(provider(args)?).await)?,
        _ => return Ok(None),
    };
    Ok(Some(value))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_magnets_name_tasks() {
        assert!(is_magnet("magnet:?xt=urn:btih:abc"));
        assert!(is_magnet("  MAGNET:?xt"));
        assert!(!is_magnet("/etc/passwd.torrent"));
        assert!(!is_magnet("mag"));
    }
}
