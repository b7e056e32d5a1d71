//! `POST /api/rpc/{command}`: every command the window uses, by the same name
//! and with the same arguments (a JSON object, camelCase keys, as Tauri gets
//! them), so the UI's generated client works over HTTP unchanged. What only a
//! desktop can do (tray, clipboard, quick-add window, self-update) is not here.
//! Arguments that name folders are held to the allowed folders; none names a
//! file to read.

mod library;
mod sources;
mod transfers;

pub(crate) use transfers::add_download;

use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;

use haul_core::{Error, ErrorCode};

use crate::error::{ApiError, ApiResult};
use crate::state::AppState;

/// A command: its name and what it does (for the OpenAPI document).
pub struct Command {
    pub name: &'static str,
    pub summary: &'static str,
}

macro_rules! commands {
    ($($name:literal => $summary:literal),* $(,)?) => {
        pub const COMMANDS: &[Command] = &[$(Command { name: $name, summary: $summary }),*];
    };
}

commands! {
    "add_download" => "Adds a link: {url, dir?}",
    "list_downloads" => "Every download",
    "pause_download" => "Pauses a download: {id}",
    "resume_download" => "Resumes a download: {id}",
    "cancel_download" => "Cancels a download: {id}",
    "remove_download" => "Removes a download: {id, deleteFile}",
    "move_download" => "Moves a download in the queue: {id, direction}",
    "pause_all" => "Pauses every download",
    "resume_all" => "Resumes every download",
    "get_settings" => "The settings",
    "update_settings" => "Saves the settings: {settings}",
    "add_task" => "Adds a debrid task from a magnet link: {source, options}",
    "add_torrent" => "Adds a debrid task from a .torrent's bytes: {bytes, options}",
    "list_tasks" => "Every debrid task",
    "select_task_files" => "Chooses a task's files: {id, indexes}",
    "pause_task" => "Pauses a task: {id}",
    "resume_task" => "Resumes a task: {id}",
    "retry_task" => "Retries a failed task: {id}",
    "cancel_task" => "Cancels a task: {id}",
    "remove_task" => "Removes a task: {id, deleteFiles}",
    "list_accounts" => "Debrid accounts (no network)",
    "check_account" => "Asks a provider about its account: {provider}",
    "start_login" => "Starts a PIN or device login: {provider}",
    "poll_login" => "Polls a login: {loginId}",
    "set_api_key" => "Stores an API key: {provider, key}",
    "logout" => "Forgets a provider's credential: {provider}",
    "library_list" => "A page of the library: {query}",
    "library_count" => "Items matching a filter: {filter}",
    "library_months" => "Items per month: {filter}",
    "library_update_details" => "Edits an item's details: {id, details}",
    "library_duplicates" => "Groups of identical files",
    "library_similar" => "Groups of similar photos: {distance?}",
    "library_remove" => "Moves items to the recycle bin: {ids}",
    "library_add_folder" => "Adds an allowed folder to the library: {path}",
    "library_set_paused" => "Pauses or resumes the library's background work: {paused}",
    "bin_list" => "The recycle bin",
    "bin_restore" => "Restores bin entries: {ids}",
    "bin_purge" => "Deletes bin entries for good: {ids}",
    "bin_empty" => "Empties the recycle bin",
    "faces_status" => "Face analysis: models and progress",
    "faces_fetch_models" => "Fetches the face models",
    "faces_scan" => "Analyses photos not analysed yet",
    "faces_regroup" => "Groups every face again (corrections stay)",
    "people_list" => "People: {includeHidden}",
    "person_faces" => "A person's faces: {id, limit}",
    "item_faces" => "A photo's faces: {itemId}",
    "person_rename" => "Names a person: {id, name}",
    "person_set_hidden" => "Hides or shows a person: {id, hidden}",
    "people_merge" => "Merges two people: {from, into}",
    "face_move" => "Moves a face to a person or nobody: {faceId, personId}",
    "face_reject" => "Not this person: {faceId}",
    "person_add_reference" => "This photo is NAME: {name, itemId}",
    "face_name" => "This face is NAME: {faceId, name}",
    "sources_list" => "Every source",
    "source_add" => "Follows a URL: {source}",
    "source_preview" => "What a URL is and its first items: {url}",
    "source_edit" => "Edits a source: {id, edit}",
    "source_pause" => "Pauses a source: {id}",
    "source_resume" => "Resumes a source: {id}",
    "source_check" => "Checks a source now: {id}",
    "source_fill_gap" => "Checks past the limits to fill a gap: {id}",
    "source_remove" => "Stops following a source: {id, deleteFiles}",
    "cookies_import" => "Stores an account's cookies.txt: {account, text}",
    "extractors_status" => "yt-dlp, gallery-dl and ffmpeg",
    "extractors_install" => "Installs the pinned extractors",
    "history_search" => "A page of the history: {query}",
    "history_stats" => "Statistics over the last days: {days}",
    "diagnostics" => "Readiness checks",
}

/// Commands of the desktop app that a browser cannot use.
const DESKTOP_ONLY: &[&str] = &[
    "clipboard_suggestion",
    "open_quick_add",
    "close_quick_add",
    "check_for_update",
    "pending_update",
    "download_update",
    "install_update",
];

/// A command name as a path parameter: lower-case words and underscores.
pub fn valid_name(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= 64
        && name.bytes().all(|b| b.is_ascii_lowercase() || b == b'_')
}

/// The argument `key` of a call (absent reads as `null`, which an `Option` takes).
pub(crate) fn arg<T: DeserializeOwned>(args: &Value, key: &str) -> ApiResult<T> {
    let value = args.get(key).cloned().unwrap_or(Value::Null);
    serde_json::from_value(value).map_err(|e| {
        ApiError::new(
            ErrorCode::InvalidInput,
            format!("The argument {key:?} is missing or not valid: {e}"),
        )
    })
}

/// The usual `id` argument.
pub(crate) fn id(args: &Value) -> ApiResult<i64> {
    arg(args, "id")
}

pub(crate) fn reply<T: Serialize>(result: Result<T, Error>) -> ApiResult<Value> {
    let value = result?;
    serde_json::to_value(value)
        .map_err(|e| ApiError::new(ErrorCode::Internal, format!("Cannot encode the reply: {e}")))
}

pub async fn dispatch(state: &AppState, name: &str, args: Value) -> ApiResult<Value> {
    if !args.is_object() && !args.is_null() {
        return Err(ApiError::new(
            ErrorCode::InvalidInput,
            "The body must be a JSON object of the command's arguments.",
        ));
    }
    if let Some(result) = transfers::call(state, name, &args).await {
        return result;
    }
    if let Some(result) = library::call(state, name, &args).await {
        return result;
    }
    if let Some(result) = sources::call(state, name, &args).await {
        return result;
    }
    let message = if DESKTOP_ONLY.contains(&name) {
        format!("{name} is only in the desktop app.")
    } else {
        format!("There is no command {name}.")
    };
    Err(ApiError::new(ErrorCode::NotFound, message))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_plain() {
        assert!(valid_name("list_downloads"));
        for bad in ["", "../x", "List", "a-b", "a/b", &"a".repeat(65)] {
            assert!(!valid_name(bad), "{bad}");
        }
        for command in COMMANDS {
            assert!(valid_name(command.name), "{}", command.name);
        }
    }
}
