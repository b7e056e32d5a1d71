//! Small helpers both tool adapters share: reading loosely typed JSON values,
//! dates, media kinds, headers and the cookie-file argument.

use std::path::Path;

use serde_json::Value;

use crate::cookies::PrivateCookieFile;
use crate::error::SourceError;
use crate::extractor::Cookies;
use crate::model::MediaKind;

/// A string or a number as a string (ids come as either, depending on the
/// platform and the tool's version); `None` for null, empty or other types.
pub fn text(v: Option<&Value>) -> Option<String> {
    match v? {
        Value::String(s) if !s.trim().is_empty() => Some(s.clone()),
        Value::Number(n) => Some(match (n.as_i64(), n.as_u64(), n.as_f64()) {
            (Some(i), _, _) => i.to_string(),
            (_, Some(u), _) => u.to_string(),
            // Whole floats (1.7e9) print without a fraction.
            (_, _, Some(f)) if f.fract() == 0.0 && f.abs() < 1e18 => format!("{}", f as i64),
            _ => n.to_string(),
        }),
        _ => None,
    }
}

/// Follows a dotted path ("author.uniqueId") into nested objects.
pub fn path<'a>(v: &'a Value, dotted: &str) -> Option<&'a Value> {
    dotted.split('.').try_fold(v, |cur, key| cur.get(key))
}

/// The first of several dotted paths holding a non-empty string or number.
pub fn first_text(v: &Value, paths: &[&str]) -> Option<String> {
    paths.iter().find_map(|p| text(path(v, p)))
}

/// Unix seconds from a number (int or float), a numeric string, a naive UTC
/// "YYYY-MM-DD HH:MM:SS[.ffffff]" (gallery-dl's dates) or "YYYYMMDD" (yt-dlp's
/// `upload_date`).
pub fn unix_seconds(v: Option<&Value>) -> Option<i64> {
    match v? {
        Value::Number(n) => n
            .as_i64()
            .or_else(|| n.as_f64().filter(|f| f.is_finite()).map(|f| f as i64)),
        Value::String(s) => parse_date_text(s.trim()),
        _ => None,
    }
}

fn parse_date_text(s: &str) -> Option<i64> {
    if s.is_empty() {
        return None;
    }
    if s.len() == 8 && s.bytes().all(|b| b.is_ascii_digit()) {
        return utc_seconds(num(s, 0, 4)?, num(s, 4, 2)?, num(s, 6, 2)?, 0, 0, 0);
    }
    if let Ok(n) = s.parse::<i64>() {
        return Some(n);
    }
    if let Ok(f) = s.parse::<f64>() {
        return f.is_finite().then_some(f as i64);
    }
    // "2024-05-01 12:00:00" (or with a "T"), optionally followed by fractional
    // seconds; gallery-dl's dates are naive UTC.
    let b = s.as_bytes();
    if b.len() < 19
        || b[4] != b'-'
        || b[7] != b'-'
        || !matches!(b[10], b' ' | b'T')
        || b[13] != b':'
        || b[16] != b':'
    {
        return None;
    }
    utc_seconds(
        num(s, 0, 4)?,
        num(s, 5, 2)?,
        num(s, 8, 2)?,
        num(s, 11, 2)?,
        num(s, 14, 2)?,
        num(s, 17, 2)?,
    )
}

fn num(s: &str, at: usize, len: usize) -> Option<i32> {
    let part = s.get(at..at + len)?;
    if !part.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    part.parse().ok()
}

fn utc_seconds(
    year: i32,
    month: i32,
    day: i32,
    hour: i32,
    minute: i32,
    second: i32,
) -> Option<i64> {
    let month = time::Month::try_from(u8::try_from(month).ok()?).ok()?;
    let date = time::Date::from_calendar_date(year, month, u8::try_from(day).ok()?).ok()?;
    let clock = time::Time::from_hms(
        u8::try_from(hour).ok()?,
        u8::try_from(minute).ok()?,
        u8::try_from(second).ok()?,
    )
    .ok()?;
    Some(date.with_time(clock).assume_utc().unix_timestamp())
}

/// The media kind an extension implies.
pub fn kind_from_ext(ext: Option<&str>) -> MediaKind {
    match ext.map(str::to_ascii_lowercase).as_deref() {
        Some(
            "jpg" | "jpeg" | "jpe" | "png" | "gif" | "webp" | "avif" | "heic" | "heif" | "bmp"
            | "tif" | "tiff" | "jxl",
        ) => MediaKind::Image,
        Some(
            "mp4" | "m4v" | "webm" | "mkv" | "mov" | "avi" | "flv" | "ts" | "m3u8" | "mpd" | "3gp"
            | "wmv",
        ) => MediaKind::Video,
        Some("mp3" | "m4a" | "aac" | "ogg" | "oga" | "opus" | "wav" | "flac" | "weba") => {
            MediaKind::Audio
        }
        _ => MediaKind::Other,
    }
}

/// The lowercase extension of a URL's last path segment, when it looks like one.
pub fn ext_from_url(url: &str) -> Option<String> {
    let parsed = url::Url::parse(url).ok()?;
    let last = parsed.path_segments()?.next_back()?;
    let (_, ext) = last.rsplit_once('.')?;
    (!ext.is_empty() && ext.len() <= 5 && ext.bytes().all(|b| b.is_ascii_alphanumeric()))
        .then(|| ext.to_ascii_lowercase())
}

/// Header pairs from a JSON object, without any `Cookie` header: the core adds
/// the account's cookies at fetch time and a tool's copy must not leak into the
/// database.
pub fn headers_without_cookies(v: Option<&Value>) -> Vec<(String, String)> {
    let Some(Value::Object(map)) = v else {
        return Vec::new();
    };
    let mut headers: Vec<(String, String)> = map
        .iter()
        .filter(|(k, _)| !k.eq_ignore_ascii_case("cookie"))
        .filter_map(|(k, v)| v.as_str().map(|v| (k.clone(), v.to_string())))
        .collect();
    // Sorted, so records compare equal across runs whatever the map's order.
    headers.sort();
    headers
}

/// Writes the cookies to a private file for one run (deleted when dropped);
/// `None` when there are no cookies.
pub fn cookie_file(
    tool: &'static str,
    cookies: Option<&Cookies>,
    cookie_dir: Option<&Path>,
) -> Result<Option<PrivateCookieFile>, SourceError> {
    let Some(cookies) = cookies.filter(|c| !c.is_empty()) else {
        return Ok(None);
    };
    let dir = cookie_dir
        .map(Path::to_path_buf)
        .unwrap_or_else(std::env::temp_dir);
    PrivateCookieFile::create(&dir, cookies)
        .map(Some)
        .map_err(|e| {
            SourceError::Io(format!(
                "{tool}: cannot write the cookie file in {}: {e}",
                dir.display()
            ))
        })
}

/// A `Malformed` error for a tool's JSON.
pub fn malformed(tool: &str, message: impl Into<String>) -> SourceError {
    SourceError::Malformed {
        what: format!("{tool} JSON"),
        message: message.into(),
    }
}

/// Whether a message names an HTTP status the way the tools write it
/// ("'429 Too Many Requests'", "HTTP Error 403", "(403 Forbidden)").
pub fn mentions_status(message: &str, code: u16) -> bool {
    let c = code.to_string();
    message.contains(&format!("'{c} "))
        || message.contains(&format!("({c} "))
        || message.contains(&format!("Error {c}"))
        || message.contains(&format!("status {c}"))
        || message.trim_start().starts_with(&format!("{c} "))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn dates_in_every_shape() {
        let want = 1_714_564_800; // 2024-05-01 12:00:00 UTC
        for v in [
            json!("2024-05-01 12:00:00"),
            json!("2024-05-01 12:00:00.250000"),
            json!("2024-05-01T12:00:00"),
            json!(want),
            json!(1_714_564_800.7),
            json!("1714564800"),
        ] {
            assert_eq!(unix_seconds(Some(&v)), Some(want), "{v}");
        }
        assert_eq!(unix_seconds(Some(&json!("20240501"))), Some(1_714_521_600));
        assert_eq!(unix_seconds(Some(&json!(null))), None);
        assert_eq!(unix_seconds(Some(&json!("soon"))), None);
    }

    #[test]
    fn text_takes_strings_and_numbers() {
        assert_eq!(text(Some(&json!(12))).as_deref(), Some("12"));
        assert_eq!(text(Some(&json!(1.7e9))).as_deref(), Some("1700000000"));
        assert_eq!(text(Some(&json!(" "))), None);
        assert_eq!(
            first_text(&json!({"a": {"b": "x"}}), &["z", "a.b"]).as_deref(),
            Some("x")
        );
    }

    #[test]
    fn statuses_and_extensions() {
        assert!(mentions_status(
            "'429 Too Many Requests' for 'https://x/429'",
            429
        ));
        assert!(!mentions_status("failed for 'https://x/p/429'", 429));
        assert!(mentions_status("ERROR: HTTP Error 403: Forbidden", 403));
        assert_eq!(
            ext_from_url("https://a/b/c.JPG?x=1").as_deref(),
            Some("jpg")
        );
        assert_eq!(ext_from_url("https://a/b/c"), None);
        assert_eq!(kind_from_ext(Some("webm")), MediaKind::Video);
    }
}
