//! yt-dlp's `--dump-single-json` info dict into posts, and its error lines into
//! typed errors.
//!
//! The dict is read leniently (unknown fields ignored, ids and timestamps as
//! strings, ints or floats): a single video, or a `playlist`/`multi_video`
//! with `entries` (nested, possibly null). Entries that share their playlist's
//! page (an Instagram carousel, a tweet with several videos) or that belong to
//! a `multi_video` are one post; other entries (a channel's videos) are posts
//! of their own.

use std::collections::HashMap;

use serde_json::Value;

use crate::error::SourceError;
use crate::model::{Media, MediaKind, Page, Post, Tool};
use crate::tools::common::{
    first_text, headers_without_cookies, kind_from_ext, malformed, mentions_status, text,
    unix_seconds,
};

const TOOL: &str = "yt-dlp";

/// Playlists nest (a channel's tabs hold playlists); deeper is a loop or a bug.
const MAX_DEPTH: usize = 8;

/// Parses yt-dlp's JSON for a run on `original_url`.
pub fn parse_ytdlp(json: &[u8], original_url: &str) -> Result<Page, SourceError> {
    let root: Value =
        serde_json::from_slice(json).map_err(|e| malformed(TOOL, format!("not JSON: {e}")))?;
    if !root.is_object() {
        return Err(malformed(
            TOOL,
            "the output is not an info dict (an object)",
        ));
    }
    let mut posts = Posts::default();
    walk(&root, None, original_url, 0, &mut posts)?;
    let title = is_playlist(&root)
        .then(|| first_text(&root, &["title", "playlist_title"]))
        .flatten();
    Ok(Page {
        posts: posts.list,
        title,
        ..Page::default()
    })
}

fn is_playlist(info: &Value) -> bool {
    matches!(
        info.get("_type").and_then(Value::as_str),
        Some("playlist" | "multi_video")
    )
}

#[derive(Default)]
struct Posts {
    list: Vec<Post>,
    index: HashMap<(String, String), usize>,
}

fn walk(
    info: &Value,
    parent: Option<&Value>,
    original_url: &str,
    depth: usize,
    posts: &mut Posts,
) -> Result<(), SourceError> {
    if depth > MAX_DEPTH {
        return Err(malformed(
            TOOL,
            format!("playlists nested deeper than {MAX_DEPTH}"),
        ));
    }
    match info.get("_type").and_then(Value::as_str) {
        Some("playlist" | "multi_video") => {
            let entries = match info.get("entries") {
                Some(Value::Array(entries)) => entries,
                None | Some(Value::Null) => return Ok(()),
                Some(_) => {
                    return Err(malformed(
                        TOOL,
                        format!("`entries` of {} is not a list", describe(info)),
                    ));
                }
            };
            for (i, entry) in entries.iter().enumerate() {
                match entry {
                    Value::Null => tracing::debug!(index = i, "skipping a null playlist entry"),
                    Value::Object(_) => walk(entry, Some(info), original_url, depth + 1, posts)?,
                    _ => {
                        return Err(malformed(
                            TOOL,
                            format!("entry {i} of {} is not an object", describe(info)),
                        ));
                    }
                }
            }
            Ok(())
        }
        _ => {
            add_video(info, parent, original_url, posts);
            Ok(())
        }
    }
}

fn describe(info: &Value) -> String {
    match text(info.get("id")) {
        Some(id) => format!("playlist {id}"),
        None => "the playlist".into(),
    }
}

/// One video (or an unresolved `url` entry) as a media of its post.
fn add_video(info: &Value, parent: Option<&Value>, original_url: &str, posts: &mut Posts) {
    let platform = platform_of(info, parent);
    let page_url = first_text(info, &["webpage_url", "original_url"]);
    let grouped = parent.filter(|p| {
        p.get("_type").and_then(Value::as_str) == Some("multi_video")
            || (page_url.is_some() && first_text(p, &["webpage_url"]) == page_url)
    });
    let post_source = grouped.unwrap_or(info);
    let post_id = match grouped {
        Some(p) => text(p.get("id")),
        // A web page's "id" is yt-dlp's guess from its URL; the URL is the id.
        None if platform == "web" => page_url.clone(),
        None => first_text(info, &["display_id", "id"]),
    }
    .or_else(|| page_url.clone())
    .unwrap_or_else(|| original_url.to_string());

    let key = (platform.clone(), post_id.clone());
    let at = match posts.index.get(&key) {
        Some(&i) => i,
        None => {
            posts.list.push(Post {
                platform: platform.clone(),
                id: post_id,
                account: account(&platform, post_source).or_else(|| account(&platform, info)),
                posted_at: posted_at(post_source).or_else(|| posted_at(info)),
                title: first_text(post_source, &["title"]).or_else(|| first_text(info, &["title"])),
                caption: first_text(post_source, &["description"])
                    .or_else(|| first_text(info, &["description"])),
                url: first_text(post_source, &["webpage_url"]).or_else(|| page_url.clone()),
                media: Vec::new(),
            });
            posts.index.insert(key, posts.list.len() - 1);
            posts.list.len() - 1
        }
    };
    let post = &mut posts.list[at];
    let media = media_for(
        info,
        &platform,
        page_url.as_deref().unwrap_or(original_url),
        post.media.len() + 1,
    );
    if post.media.iter().any(|m| m.id == media.id) {
        tracing::debug!(id = %media.id, "skipping a repeated entry in one post");
        return;
    }
    post.media.push(media);
}

/// Haul's platform name for a yt-dlp extractor key ("TikTok" → "tiktok",
/// "Twitter" → "x", "Generic" → "web").
pub fn platform(extractor_key: &str) -> String {
    let key = extractor_key.to_ascii_lowercase();
    let key = key.split(':').next().unwrap_or_default();
    for (prefix, name) in [
        ("twitter", "x"),
        ("tiktok", "tiktok"),
        ("instagram", "instagram"),
        ("reddit", "reddit"),
        ("youtube", "youtube"),
    ] {
        if key.starts_with(prefix) {
            return name.into();
        }
    }
    match key {
        "generic" | "html5mediaembed" | "" => "web".into(),
        other => other.to_string(),
    }
}

fn platform_of(info: &Value, parent: Option<&Value>) -> String {
    let key = first_text(info, &["extractor_key", "ie_key", "extractor"])
        .or_else(|| parent.and_then(|p| first_text(p, &["extractor_key", "extractor"])));
    platform(key.as_deref().unwrap_or_default())
}

/// The account as the platform names it: the handle where yt-dlp has one
/// (X's `uploader_id`, Instagram's `channel`), matching gallery-dl's.
fn account(platform: &str, info: &Value) -> Option<String> {
    let keys: &[&str] = match platform {
        "x" => &["uploader_id", "uploader"],
        "instagram" => &["channel", "uploader_id", "uploader"],
        _ => &["uploader", "uploader_id", "channel", "creator"],
    };
    first_text(info, keys)
}

fn posted_at(info: &Value) -> Option<i64> {
    unix_seconds(info.get("timestamp")).or_else(|| unix_seconds(info.get("upload_date")))
}

/// The media of one entry: fetched by Haul's engine when yt-dlp chose one
/// plain HTTP(S) file, else left to yt-dlp (separate streams to merge, HLS,
/// DASH, or an entry yt-dlp did not resolve).
fn media_for(info: &Value, platform: &str, page_url: &str, index: usize) -> Media {
    let ext = text(info.get("ext")).map(|e| e.to_ascii_lowercase());
    let separate_streams = info
        .get("requested_formats")
        .and_then(Value::as_array)
        .is_some_and(|f| f.len() > 1);
    let protocol = info.get("protocol").and_then(Value::as_str).unwrap_or("");
    let direct_url =
        text(info.get("url")).filter(|u| u.starts_with("http://") || u.starts_with("https://"));
    let unresolved = matches!(
        info.get("_type").and_then(Value::as_str),
        Some("url" | "url_transparent")
    );
    let plain_http = matches!(protocol, "http" | "https");
    let (url, headers, via_tool) = match direct_url {
        Some(u) if plain_http && !separate_streams && !unresolved => {
            (u, headers_without_cookies(info.get("http_headers")), None)
        }
        Some(u) if unresolved => (u, Vec::new(), Some(Tool::YtDlp)),
        _ => (page_url.to_string(), Vec::new(), Some(Tool::YtDlp)),
    };
    let yt_id = text(info.get("id"));
    let id = match (platform, yt_id) {
        // Pages without a platform: the file's URL is its identity (as for the
        // web extractor); a stream left to the tool is named by page and id.
        ("web", Some(yt_id)) if via_tool.is_some() => format!("{page_url}#{yt_id}"),
        ("web", _) => url.clone(),
        (_, Some(yt_id)) => format!("{platform}:{yt_id}"),
        (_, None) => url.clone(),
    };
    Media {
        id,
        url,
        kind: kind(info, ext.as_deref()),
        name_hint: None,
        ext,
        index: u32::try_from(index).unwrap_or(u32::MAX),
        headers,
        via_tool,
    }
}

fn kind(info: &Value, ext: Option<&str>) -> MediaKind {
    let vcodec = info.get("vcodec").and_then(Value::as_str);
    let acodec = info.get("acodec").and_then(Value::as_str);
    if vcodec == Some("none") && acodec.is_some_and(|a| a != "none") {
        return MediaKind::Audio;
    }
    match kind_from_ext(ext) {
        // yt-dlp is a video tool: an unknown container is still a video.
        MediaKind::Other => MediaKind::Video,
        k => k,
    }
}

/// The error a failed run's stderr describes (its `ERROR:` lines).
pub fn map_stderr(stderr: &str, url: &str) -> SourceError {
    let line = stderr
        .lines()
        .rev()
        .find(|l| l.starts_with("ERROR:"))
        .or_else(|| stderr.lines().rev().find(|l| !l.trim().is_empty()))
        .unwrap_or("yt-dlp failed without a message")
        .trim();
    let message = line
        .strip_prefix("ERROR:")
        .unwrap_or(line)
        .trim()
        .to_string();
    let lower = message.to_ascii_lowercase();
    let has = |needles: &[&str]| needles.iter().any(|n| lower.contains(n));
    if lower.contains("requested format") {
        SourceError::ToolFailed {
            tool: TOOL,
            message,
        }
    } else if lower.contains("unsupported url") {
        SourceError::Unsupported(url.to_string())
    } else if mentions_status(&message, 429)
        || (has(&["rate-limit", "rate limit", "too many requests"]) && !has(&["login required"]))
    {
        SourceError::RateLimited {
            site: url::Url::parse(url)
                .ok()
                .and_then(|u| u.host_str().map(str::to_string))
                .unwrap_or_else(|| TOOL.into()),
            retry_after: None,
        }
    } else if has(&[
        "login required",
        "sign in",
        "log in",
        "cookies",
        "registered users",
        "private account",
        "this account is private",
        "authentication",
    ]) {
        SourceError::LoginRequired(message)
    } else if mentions_status(&message, 404)
        || mentions_status(&message, 410)
        || has(&[
            "video unavailable",
            "has been removed",
            "no longer available",
            "not available",
            "does not exist",
            "been deleted",
            "private video",
        ])
    {
        SourceError::Gone(message)
    } else if mentions_status(&message, 403) || has(&["captcha", "blocked", "forbidden"]) {
        SourceError::Blocked(message)
    } else if has(&[
        "unable to download webpage",
        "connection",
        "timed out",
        "name resolution",
        "network is unreachable",
        "temporary failure",
    ]) {
        SourceError::Network(message)
    } else {
        SourceError::ToolFailed {
            tool: TOOL,
            message,
        }
    }
}
