//! Real-Debrid's JSON as documented for REST 1.0 and OAuth v2. Numbers are decoded
//! leniently (the docs call `progress` an int, clients see floats), and every field
//! the docs mark as conditional is optional.

use crate::lenient::{flag, id_text, lenient_f64, lenient_i64, lenient_u64};
use serde::Deserialize;

/// `{ "error": "bad_token", "error_code": 8 }`, sent with a 4xx/5xx status.
#[derive(Clone, Debug, Default, Deserialize)]
pub(super) struct ApiError {
    #[serde(default)]
    pub error: String,
    #[serde(default, deserialize_with = "lenient_i64")]
    pub error_code: Option<i64>,
    pub error_details: Option<String>,
}

/// `201 { "id", "uri" }` from addMagnet and addTorrent.
#[derive(Deserialize)]
pub(super) struct Created {
    #[serde(deserialize_with = "id_text")]
    pub id: String,
}

/// `GET /torrents/info/{id}`: one object.
#[derive(Debug, Deserialize)]
pub(super) struct TorrentInfo {
    pub filename: Option<String>,
    pub original_filename: Option<String>,
    #[serde(default, deserialize_with = "lenient_u64")]
    pub bytes: Option<u64>,
    #[serde(default, deserialize_with = "lenient_u64")]
    pub original_bytes: Option<u64>,
    #[serde(default, deserialize_with = "lenient_f64")]
    pub progress: Option<f64>,
    #[serde(default)]
    pub status: String,
    pub files: Option<Vec<TorrentFile>>,
    pub links: Option<Vec<String>>,
    #[serde(default, deserialize_with = "lenient_u64")]
    pub speed: Option<u64>,
    #[serde(default, deserialize_with = "lenient_u64")]
    pub seeders: Option<u64>,
}

#[derive(Debug, Deserialize)]
pub(super) struct TorrentFile {
    #[serde(deserialize_with = "id_text")]
    pub id: String,
    #[serde(default)]
    pub path: String,
    #[serde(default, deserialize_with = "lenient_u64")]
    pub bytes: Option<u64>,
    #[serde(default, deserialize_with = "flag")]
    pub selected: bool,
}

/// `POST /unrestrict/link`.
#[derive(Deserialize)]
pub(super) struct Unrestricted {
    #[serde(default)]
    pub download: String,
    pub filename: Option<String>,
    #[serde(default, deserialize_with = "lenient_u64")]
    pub filesize: Option<u64>,
}

/// `GET /user`.
#[derive(Deserialize)]
pub(super) struct User {
    #[serde(default)]
    pub username: String,
    #[serde(rename = "type")]
    pub kind: Option<String>,
    /// Seconds of premium left.
    #[serde(default, deserialize_with = "lenient_u64")]
    pub premium: Option<u64>,
    pub expiration: Option<String>,
}

/// `GET /oauth/v2/device/code`.
#[derive(Deserialize)]
pub(super) struct DeviceCode {
    pub device_code: String,
    pub user_code: String,
    #[serde(default, deserialize_with = "lenient_u64")]
    pub interval: Option<u64>,
    #[serde(default, deserialize_with = "lenient_u64")]
    pub expires_in: Option<u64>,
    pub verification_url: String,
}

/// `GET /oauth/v2/device/credentials` once the user confirmed; an `error` while not.
#[derive(Deserialize)]
pub(super) struct DeviceCredentials {
    pub client_id: Option<String>,
    pub client_secret: Option<String>,
    pub error: Option<serde_json::Value>,
}

/// `POST /oauth/v2/token`.
#[derive(Deserialize)]
pub(super) struct Token {
    pub access_token: String,
    pub refresh_token: Option<String>,
}

/// The credential Haul keeps after a device login (JSON in the keyring).
#[derive(Deserialize)]
pub(super) struct StoredCredential {
    pub client_id: String,
    pub client_secret: String,
    pub access_token: String,
    pub refresh_token: String,
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn numbers_decode_leniently() {
        let info: TorrentInfo = serde_json::from_str(
            r#"{"status":"downloading","progress":42.5,"bytes":"100","speed":7,
                "files":[{"id":1,"path":"/a","bytes":3,"selected":1},
                         {"id":"2","path":"/b","bytes":4,"selected":false}],
                "links":[]}"#,
        )
        .unwrap();
        assert_eq!(info.progress, Some(42.5));
        assert_eq!(info.bytes, Some(100));
        let files = info.files.unwrap();
        assert!(files[0].selected);
        assert!(!files[1].selected);
        assert_eq!(files[1].id, "2");

        let error: ApiError =
            serde_json::from_str(r#"{"error":"bad_token","error_code":8}"#).unwrap();
        assert_eq!(error.error_code, Some(8));
    }
}
