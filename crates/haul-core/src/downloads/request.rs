//! What a download sends besides the URL, and what it does to the finished file:
//! a source's headers (a Referer), its account's cookies read from the keyring at
//! the moment the download starts (never stored with the download), and the
//! post's date as the file's modification time.

use std::path::Path;
use std::time::{Duration, UNIX_EPOCH};

use haul_store::downloads::DownloadRow;
use reqwest::header::{COOKIE, HeaderMap, HeaderName, HeaderValue};

use crate::Shared;

/// The headers a stored download sends. A header that does not parse is
/// dropped (and said so); cookies that cannot be read are left out, and the
/// server's answer then says what is missing.
pub(crate) fn request_headers(shared: &Shared, row: &DownloadRow, url: &url::Url) -> HeaderMap {
    let mut headers = HeaderMap::new();
    let pairs: Vec<(String, String)> = row
        .headers
        .as_deref()
        .and_then(|json| serde_json::from_str(json).ok())
        .unwrap_or_default();
    for (name, value) in pairs {
        // Cookies come only from the keyring, below.
        if name.eq_ignore_ascii_case("cookie") {
            continue;
        }
        match (
            HeaderName::from_bytes(name.as_bytes()),
            HeaderValue::from_str(&value),
        ) {
            (Ok(name), Ok(value)) => {
                headers.insert(name, value);
            }
            _ => {
                tracing::warn!(id = row.id, header = %name, "a stored header is not valid; left out")
            }
        }
    }
    if let Some(account) = row.account.as_deref() {
        match crate::sources::cookies::load(shared, account) {
            Ok(Some(cookies)) => {
                if let Some(header) = cookies.header_for(url)
                    && let Ok(mut value) = HeaderValue::from_str(&header)
                {
                    // Printed as "Sensitive" by every Debug.
                    value.set_sensitive(true);
                    headers.insert(COOKIE, value);
                }
            }
            Ok(None) => tracing::warn!(id = row.id, account, "no cookies stored for this account"),
            Err(error) => {
                tracing::warn!(id = row.id, account, %error, "cannot read the account's cookies")
            }
        }
    }
    headers
}

/// Gives a finished file its post's date (Unix seconds) as modification time.
pub(crate) fn set_mtime(path: &Path, seconds: i64) {
    let Ok(seconds) = u64::try_from(seconds) else {
        return;
    };
    let time = UNIX_EPOCH + Duration::from_secs(seconds);
    let result = std::fs::File::options()
        .write(true)
        .open(path)
        .and_then(|file| file.set_modified(time));
    if let Err(error) = result {
        tracing::warn!(path = %path.display(), %error, "cannot set the file's date to the post's");
    }
}
