//! TorBox's JSON as documented for API v1: the `{success, error, detail, data}`
//! envelope and the torrent objects of `mylist`. Numbers are decoded leniently and
//! everything but ids is optional.

use serde::Deserialize;
use serde::de::Deserializer;

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

#[derive(Deserialize)]
#[serde(untagged)]
enum Lenient {
    Integer(i64),
    Float(f64),
    Flag(bool),
    Text(String),
}

impl Lenient {
    fn as_f64(&self) -> Option<f64> {
        match self {
            Self::Integer(n) => Some(*n as f64),
            Self::Float(f) => Some(*f),
            Self::Flag(b) => Some(if *b { 1.0 } else { 0.0 }),
            Self::Text(text) => text.trim().parse().ok(),
        }
    }
}

fn lenient_f64<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<f64>, D::Error> {
    Ok(Option::<Lenient>::deserialize(deserializer)?
        .and_then(|n| n.as_f64())
        .filter(|f| f.is_finite()))
}

fn lenient_u64<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<u64>, D::Error> {
    Ok(lenient_f64(deserializer)?
        .filter(|f| *f >= 0.0)
        .map(|f| f as u64))
}

fn lenient_i64<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<i64>, D::Error> {
    Ok(lenient_f64(deserializer)?.map(|f| f as i64))
}

fn lenient_bool<'de, D: Deserializer<'de>>(deserializer: D) -> Result<bool, D::Error> {
    Ok(lenient_f64(deserializer)?.is_some_and(|f| f != 0.0))
}

/// Ids are integers (0 is a valid file id); strings are accepted too.
fn id_text<'de, D: Deserializer<'de>>(deserializer: D) -> Result<String, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Id {
        Number(u64),
        Text(String),
    }
    Ok(match Id::deserialize(deserializer)? {
        Id::Number(n) => n.to_string(),
        Id::Text(text) => text,
    })
}

fn optional_id<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<String>, D::Error> {
    #[derive(Deserialize)]
    struct Wrapper(#[serde(deserialize_with = "id_text")] String);
    Ok(Option::<Wrapper>::deserialize(deserializer)?.map(|Wrapper(id)| id))
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
    #[serde(default, deserialize_with = "lenient_bool")]
    pub download_finished: bool,
    #[serde(default, deserialize_with = "lenient_bool")]
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
