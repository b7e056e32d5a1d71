//! What a URL says about the file behind it: whether its path names a media file
//! (by extension), which kind, its file name, and the normalised form used as a
//! media id where a platform has none.

use percent_encoding::percent_decode_str;
use url::Url;

use crate::model::MediaKind;

const IMAGE_EXTS: &[&str] = &[
    "jpg", "jpeg", "jpe", "jfif", "png", "gif", "webp", "avif", "bmp", "tif", "tiff", "heic",
    "heif", "jxl",
];
const VIDEO_EXTS: &[&str] = &[
    "mp4", "webm", "mkv", "mov", "m4v", "avi", "wmv", "flv", "3gp", "ogv", "mpg", "mpeg",
];
const AUDIO_EXTS: &[&str] = &["mp3", "m4a", "ogg", "oga", "opus", "flac", "wav", "aac"];
/// Files a user points Haul at to keep, though they are not pictures or sound.
const OTHER_EXTS: &[&str] = &[
    "zip", "rar", "7z", "tar", "gz", "tgz", "bz2", "xz", "pdf", "epub", "cbz", "cbr", "psd",
];

/// The kind of a known file extension (lowercase, without the dot).
pub(crate) fn kind_for_ext(ext: &str) -> Option<MediaKind> {
    let ext = ext.to_ascii_lowercase();
    let ext = ext.as_str();
    if IMAGE_EXTS.contains(&ext) {
        Some(MediaKind::Image)
    } else if VIDEO_EXTS.contains(&ext) {
        Some(MediaKind::Video)
    } else if AUDIO_EXTS.contains(&ext) {
        Some(MediaKind::Audio)
    } else if OTHER_EXTS.contains(&ext) {
        Some(MediaKind::Other)
    } else {
        None
    }
}

/// The known media extension of a file name (`photo.JPG` → `jpg`).
pub(crate) fn ext_of_name(name: &str) -> Option<String> {
    let (stem, ext) = name.rsplit_once('.')?;
    if stem.is_empty() {
        return None;
    }
    let ext = ext.trim().to_ascii_lowercase();
    kind_for_ext(&ext).map(|_| ext)
}

/// The last non-empty path segment, percent-decoded.
pub(crate) fn file_name(url: &Url) -> Option<String> {
    let segment = url.path_segments()?.rev().find(|s| !s.is_empty())?;
    let decoded = percent_decode_str(segment).decode_utf8_lossy().into_owned();
    (!decoded.is_empty()).then_some(decoded)
}

/// The known media extension of the URL's path (the query is not looked at).
pub(crate) fn ext_of_url(url: &Url) -> Option<String> {
    // The last segment only: `/a.jpg/` (a trailing slash) names a page, not a file.
    let last = url.path_segments()?.next_back()?;
    ext_of_name(&percent_decode_str(last).decode_utf8_lossy())
}

/// The extension and kind when the URL's path names a media file.
pub(crate) fn media_ext(url: &Url) -> Option<(String, MediaKind)> {
    let ext = ext_of_url(url)?;
    let kind = kind_for_ext(&ext)?;
    Some((ext, kind))
}

/// Only web URLs are fetched: no `data:`, `blob:`, `javascript:` or `file:`.
pub(crate) fn is_web(url: &Url) -> bool {
    matches!(url.scheme(), "http" | "https") && url.host_str().is_some()
}

/// Resolves `raw` (as found in markup, possibly relative) against `base`; only web
/// URLs, with the fragment dropped since it never changes what is fetched.
pub(crate) fn resolve(base: &Url, raw: &str) -> Option<Url> {
    let raw = raw.trim();
    if raw.is_empty() || raw.starts_with('#') {
        return None;
    }
    let mut url = base.join(raw).ok()?;
    if !is_web(&url) {
        return None;
    }
    url.set_fragment(None);
    Some(url)
}

/// The normalised text of a URL: no fragment, no empty query (the `url` crate has
/// already lowercased the host and dropped a default port).
pub(crate) fn normalise(url: &Url) -> String {
    let mut url = url.clone();
    url.set_fragment(None);
    if url.query() == Some("") {
        url.set_query(None);
    }
    url.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn url(s: &str) -> Url {
        Url::parse(s).unwrap_or_else(|e| panic!("{s}: {e}"))
    }

    #[test]
    fn extensions_and_kinds() {
        assert_eq!(
            media_ext(&url("https://a.b/x/Photo.JPG?w=1")),
            Some(("jpg".into(), MediaKind::Image))
        );
        assert_eq!(
            media_ext(&url("https://a.b/v.webm")),
            Some(("webm".into(), MediaKind::Video))
        );
        assert_eq!(
            media_ext(&url("https://a.b/s.opus")),
            Some(("opus".into(), MediaKind::Audio))
        );
        assert_eq!(
            media_ext(&url("https://a.b/f.zip")),
            Some(("zip".into(), MediaKind::Other))
        );
        assert_eq!(media_ext(&url("https://a.b/page.html")), None);
        assert_eq!(media_ext(&url("https://a.b/dir.jpg/")), None);
        assert_eq!(media_ext(&url("https://a.b/.jpg")), None);
        assert_eq!(media_ext(&url("https://a.b/")), None);
    }

    #[test]
    fn file_names_are_decoded() {
        assert_eq!(
            file_name(&url("https://a.b/x/My%20Photo%20%C3%A9.jpg")),
            Some("My Photo é.jpg".into())
        );
        assert_eq!(file_name(&url("https://a.b/")), None);
    }

    #[test]
    fn resolve_keeps_web_urls_only() {
        let base = url("https://forum.example/threads/t.1/page-2");
        assert_eq!(
            resolve(&base, "/data/a.jpg#x").map(|u| u.to_string()),
            Some("https://forum.example/data/a.jpg".into())
        );
        assert_eq!(
            resolve(&base, "//cdn.example/b.png").map(|u| u.to_string()),
            Some("https://cdn.example/b.png".into())
        );
        assert_eq!(resolve(&base, "data:image/gif;base64,R0lGOD"), None);
        assert_eq!(resolve(&base, "javascript:alert(1)"), None);
        assert_eq!(resolve(&base, "  "), None);
        assert_eq!(resolve(&base, "#post-1"), None);
    }

    #[test]
    fn normalise_drops_fragment_and_empty_query() {
        assert_eq!(
            normalise(&url("HTTPS://Example.COM:443/a.jpg?#frag")),
            "https://example.com/a.jpg"
        );
        assert_eq!(
            normalise(&url("https://e.com/a.jpg?x=1#f")),
            "https://e.com/a.jpg?x=1"
        );
    }
}
