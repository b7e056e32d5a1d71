//! What gallery-dl's keywords mean per category: which key holds the post id,
//! the author, the date, the text, and the platform's id for each file.
//!
//! Read from gallery-dl 1.32's extractors: `instagram.py` (`_parse_post_rest`:
//! `post_id`, `post_shortcode`, `post_url`, `username`, `owner_id`, `post_date`,
//! `description`; per file `media_id`, `num`, `video_url`), `twitter.py`
//! (`_transform_tweet`: `tweet_id`, `author`/`user` objects with `name`,
//! `content`, `date`), `tiktok.py` (the `itemStruct`: `id`, `author.uniqueId`,
//! `desc`, `createTime`, per file `type`, `num`) and `reddit.py` (the submission:
//! `id`, `author`, `title`, `selftext`, `permalink`, `date`).

use serde_json::Value;

use crate::tools::common::{first_text, text, unix_seconds};

/// Haul's platform name for a gallery-dl category.
pub fn platform(category: &str) -> String {
    match category {
        "twitter" => "x".into(),
        "directlink" => "direct".into(),
        "" => "gallery-dl".into(),
        other => other.to_string(),
    }
}

/// A post's fields as the keywords give them.
#[derive(Debug, Default)]
pub struct PostFields {
    pub id: Option<String>,
    pub account: Option<String>,
    pub posted_at: Option<i64>,
    pub title: Option<String>,
    pub caption: Option<String>,
    pub url: Option<String>,
}

pub fn post_fields(platform: &str, kw: &Value) -> PostFields {
    match platform {
        "instagram" => PostFields {
            // The shortcode is the id in the post's URL and what yt-dlp calls
            // the post's id, so both tools name a post alike.
            id: first_text(kw, &["post_shortcode", "post_id"]),
            account: first_text(kw, &["username", "owner_id", "user.username"]),
            posted_at: date(kw, &["post_date", "date"]),
            title: None,
            caption: first_text(kw, &["description"]),
            url: first_text(kw, &["post_url"]),
        },
        "x" => {
            let id = first_text(kw, &["tweet_id"]);
            let account = first_text(kw, &["author.name", "user.name"]);
            let url = match (&account, &id) {
                (Some(a), Some(i)) => Some(format!("https://x.com/{a}/status/{i}")),
                (None, Some(i)) => Some(format!("https://x.com/i/web/status/{i}")),
                _ => None,
            };
            PostFields {
                id,
                account,
                posted_at: date(kw, &["date"]),
                title: None,
                caption: first_text(kw, &["content"]),
                url,
            }
        }
        "tiktok" => {
            let id = first_text(kw, &["id"]);
            // `user` is the author's handle as a string in TikTok's keywords.
            let account = first_text(kw, &["author.uniqueId", "user"]);
            let url = match (&account, &id) {
                (Some(a), Some(i)) => Some(format!("https://www.tiktok.com/@{a}/video/{i}")),
                _ => None,
            };
            PostFields {
                id,
                account,
                posted_at: date(kw, &["createTime", "date"]),
                title: None,
                caption: first_text(kw, &["desc"]),
                url,
            }
        }
        "reddit" => PostFields {
            id: first_text(kw, &["id"]),
            account: first_text(kw, &["author"]),
            posted_at: date(kw, &["date", "created_utc"]),
            title: first_text(kw, &["title"]),
            caption: first_text(kw, &["selftext"]),
            url: first_text(kw, &["permalink"]).map(|p| {
                if p.starts_with('/') {
                    format!("https://www.reddit.com{p}")
                } else {
                    p
                }
            }),
        },
        // directlink has no post of its own: the file's URL stands in.
        "direct" => PostFields::default(),
        _ => PostFields {
            id: first_text(kw, &["post_id", "id", "tweet_id", "gallery_id"]),
            account: first_text(
                kw,
                &[
                    "username",
                    "author.name",
                    "author",
                    "user.name",
                    "user",
                    "uploader",
                    "artist",
                ],
            ),
            posted_at: date(kw, &["date"]),
            title: first_text(kw, &["title"]),
            caption: first_text(kw, &["description", "content", "desc"]),
            url: first_text(kw, &["post_url"]),
        },
    }
}

fn date(kw: &Value, keys: &[&str]) -> Option<i64> {
    keys.iter().find_map(|k| unix_seconds(kw.get(*k)))
}

/// A file's id: the platform's media id when the keywords give one, else the
/// post id and position, else the URL. Platform-prefixed, like yt-dlp's ids
/// ("tiktok:7301…"), so the same video found through either tool is one item.
pub fn media_id(platform: &str, post_id: Option<&str>, kw: &Value, url: &str) -> String {
    let num = text(kw.get("num")).unwrap_or_else(|| "1".into());
    match (platform, post_id) {
        ("direct", _) => return url.to_string(),
        ("x", Some(post)) => return format!("x:{post}_{num}"),
        ("tiktok", Some(post)) => {
            return match kw.get("type").and_then(Value::as_str) {
                Some("video") => format!("tiktok:{post}"),
                Some("audio") => format!("tiktok:{post}_audio"),
                _ => format!("tiktok:{post}_{num}"),
            };
        }
        _ => {}
    }
    // i.redd.it / v.redd.it names are Reddit's media ids: the same picture
    // crossposted elsewhere keeps its name.
    if platform == "reddit"
        && let Some(name) = text(kw.get("filename"))
    {
        return format!("reddit:{name}");
    }
    if let Some(m) = text(kw.get("media_id")) {
        return format!("{platform}:{m}");
    }
    match post_id {
        Some(post) if kw.get("num").is_some() => format!("{platform}:{post}_{num}"),
        _ => url.to_string(),
    }
}
