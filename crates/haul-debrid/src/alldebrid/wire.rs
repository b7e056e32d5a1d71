//! AllDebrid's JSON as documented for API v4/v4.1. Every field but ids is optional
//! where the docs or real replies leave it out.

use crate::lenient::{id_text, lenient_u64, optional_id};
use serde::Deserialize;

#[derive(Deserialize)]
pub(super) struct Envelope<T> {
    pub status: String,
    pub data: Option<T>,
    pub error: Option<ApiError>,
}

#[derive(Clone, Deserialize)]
pub(super) struct ApiError {
    pub code: String,
    #[serde(default)]
    pub message: String,
}

#[derive(Deserialize)]
pub(super) struct PinGet {
    pub pin: String,
    pub check: String,
    pub expires_in: u64,
    pub user_url: String,
}

#[derive(Deserialize)]
pub(super) struct PinCheck {
    pub activated: bool,
    pub apikey: Option<String>,
}

#[derive(Deserialize)]
pub(super) struct UserData {
    pub user: User,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct User {
    pub username: String,
    #[serde(default)]
    pub is_premium: bool,
    #[serde(default, deserialize_with = "lenient_u64")]
    pub premium_until: Option<u64>,
}

#[derive(Deserialize)]
pub(super) struct Uploaded {
    #[serde(alias = "files")]
    pub magnets: Vec<UploadedItem>,
}

#[derive(Deserialize)]
pub(super) struct UploadedItem {
    #[serde(default, deserialize_with = "optional_id")]
    pub id: Option<String>,
    pub name: Option<String>,
    #[serde(default)]
    pub ready: bool,
    pub error: Option<ApiError>,
}

/// `/v4.1/magnet/status`: an array, or one object when an id was asked, or (in
/// some replies) a map keyed by id.
#[derive(Deserialize)]
pub(super) struct StatusData {
    #[serde(default)]
    pub magnets: serde_json::Value,
    pub counter: Option<u64>,
    #[serde(default)]
    pub fullsync: bool,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct MagnetStatus {
    pub filename: Option<String>,
    #[serde(default, deserialize_with = "lenient_u64")]
    pub size: Option<u64>,
    pub status: Option<String>,
    pub status_code: Option<u32>,
    #[serde(default, deserialize_with = "lenient_u64")]
    pub downloaded: Option<u64>,
    #[serde(default, deserialize_with = "lenient_u64")]
    pub seeders: Option<u64>,
    #[serde(default, deserialize_with = "lenient_u64")]
    pub download_speed: Option<u64>,
}

#[derive(Deserialize)]
pub(super) struct FilesData {
    pub magnets: Vec<MagnetFiles>,
}

#[derive(Deserialize)]
pub(super) struct MagnetFiles {
    #[serde(deserialize_with = "id_text")]
    pub id: String,
    #[serde(default)]
    pub files: Vec<FileNode>,
    pub error: Option<ApiError>,
}

/// A folder has `e` (entries); a file has `s` (size) and `l` (link).
#[derive(Deserialize)]
pub(super) struct FileNode {
    pub n: String,
    #[serde(default, deserialize_with = "lenient_u64")]
    pub s: Option<u64>,
    pub l: Option<String>,
    pub e: Option<Vec<FileNode>>,
}

#[derive(Deserialize)]
pub(super) struct Unlock {
    #[serde(default)]
    pub link: String,
    pub filename: Option<String>,
    #[serde(default, deserialize_with = "lenient_u64")]
    pub filesize: Option<u64>,
    #[serde(default, deserialize_with = "optional_id")]
    pub delayed: Option<String>,
}

#[derive(Deserialize)]
pub(super) struct Delayed {
    pub status: u32,
    pub link: Option<String>,
}
