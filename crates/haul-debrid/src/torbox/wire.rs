//! TorBox's JSON as documented for API v1: the `{success, error, detail, data}`
//! envelope and the torrent objects of `mylist`. Numbers are decoded leniently and
//! everything but ids is optional.

use crate::lenient::{flag, id_text, lenient_f64, lenient_i64, lenient_u64, optional_id};
use serde::Deserialize;

/// Every field optional: a validation failure answers `{"detail": [...]}` alone.
#[derive(Deserialize)]
pub(super) struct Envelope {
    pub success: Option<bool>,
    pub error: Option<String>,
    #[serde(default)]
    pub detail: serde_json::Value,
    #[serde(default)]
    pub data: serde_json::Value,
}

/// `createtorrent` data: `{torrent_id, hash, auth_id}`.
#[derive(Deserialize)]
pub(super) struct Created {
    #[serde(default, alias = "id", deserialize_with = "optional_id")]
    pub torrent_id: Option<String>,
}

/// One torrent of `mylist`.
#[derive(Debug, Deserialize)]
pub(super) struct Torrent {
    pub name: Option<String>,
    #[serde(default, deserialize_with = "lenient_u64")]
    pub size: Option<u64>,
    /// 0.0 to 1.0.
    #[serde(default, deserialize_with = "lenient_f64")]
    pub progress: Option<f64>,
    #[serde(default, deserialize_with = "lenient_u64")]
    pub download_speed: Option<u64>,
    #[serde(default, deserialize_with = "lenient_u64")]
    pub seeds: Option<u64>,
    pub download_state: Option<String>,
    #[serde(default, deserialize_with = "flag")]
    pub download_finished: bool,
    #[serde(default, deserialize_with = "flag")]
    pub download_present: bool,
    pub files: Option<Vec<TorrentFile>>,
}

#[derive(Debug, Deserialize)]
pub(super) struct TorrentFile {
    #[serde(deserialize_with = "id_text")]
    pub id: String,
    /// The full path, root folder included.
    #[serde(default)]
    pub name: String,
    pub short_name: Option<String>,
    #[serde(default, deserialize_with = "lenient_u64")]
    pub size: Option<u64>,
}

/// `user/me` data.
#[derive(Deserialize)]
pub(super) struct User {
    pub email: Option<String>,
    /// 0 is the free plan.
    #[serde(default, deserialize_with = "lenient_i64")]
    pub plan: Option<i64>,
    pub premium_expires_at: Option<String>,
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn torrents_decode_leniently() {
        let torrent: Torrent = serde_json::from_str(
            r#"{"id": 5, "name": "x", "progress": 1, "download_finished": true,
                "download_present": 1, "files": [{"id": 0, "name": "x/a", "size": "3"}]}"#,
        )
        .unwrap();
        assert!(torrent.download_finished && torrent.download_present);
        let files = torrent.files.unwrap();
        assert_eq!(files[0].id, "0");
        assert_eq!(files[0].size, Some(3));

        let envelope: Envelope =
            serde_json::from_str(r#"{"detail":[{"type":"missing","loc":["query","token"]}]}"#)
                .unwrap();
        assert_eq!(envelope.success, None);
        assert!(envelope.detail.is_array());
    }
}
