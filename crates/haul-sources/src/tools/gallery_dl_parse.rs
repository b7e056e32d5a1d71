//! gallery-dl's `--dump-json`/`--resolve-json` output into posts.
//!
//! The output is one JSON array of messages (gallery-dl's `DataJob`):
//! `[2, {keywords}]` starts a post (directory), `[3, "url", {keywords}]` is a
//! file, `[6, "url", {keywords}]` a URL no extractor took, and
//! `[-1, {"error": "NotFoundError", "message": "…"}]` an extraction error (the
//! exit status is still 0). Files are grouped into posts by their post id.

use std::collections::HashMap;

use serde_json::Value;

use crate::error::SourceError;
use crate::model::{Media, Page, Post, Tool};
use crate::tools::common::{
    ext_from_url, headers_without_cookies, kind_from_ext, malformed, mentions_status, text,
};
use crate::tools::gallery_dl_keywords::{PostFields, media_id, platform, post_fields};

const TOOL: &str = "gallery-dl";

/// Everything one run printed: posts in output order and the error entries.
#[derive(Debug, Default)]
pub struct GalleryDlOutput {
    pub posts: Vec<Post>,
    /// (error class, message) of each `-1` entry.
    pub errors: Vec<(String, String)>,
}

/// Parses the output into a page: the posts when there are any (errors of
/// other parts are logged), else the first error entry mapped to its kind.
pub fn parse_gallery_dl(json: &[u8]) -> Result<Page, SourceError> {
    let out = parse_messages(json)?;
    if out.posts.is_empty()
        && let Some((class, message)) = out.errors.first()
    {
        return Err(map_error(class, message));
    }
    for (class, message) in &out.errors {
        tracing::warn!(
            class,
            message,
            "gallery-dl reported an error for part of the source"
        );
    }
    Ok(Page {
        posts: out.posts,
        ..Page::default()
    })
}

/// Maps a gallery-dl exception class (see its `exception.py`) to a typed error.
pub fn map_error(class: &str, message: &str) -> SourceError {
    let message = message.trim().to_string();
    match class {
        "AuthorizationError" | "AuthRequired" | "AuthenticationError" => {
            SourceError::LoginRequired(message)
        }
        "NotFoundError" => SourceError::Gone(message),
        "ChallengeError" => SourceError::Blocked(message),
        "NoExtractorError" => SourceError::Unsupported(message),
        "HttpError" if mentions_status(&message, 429) => SourceError::RateLimited {
            site: site_in(&message).unwrap_or_else(|| TOOL.into()),
            retry_after: None,
        },
        "HttpError" if mentions_status(&message, 403) => SourceError::Blocked(message),
        "HttpError" if mentions_status(&message, 404) || mentions_status(&message, 410) => {
            SourceError::Gone(message)
        }
        "HttpError" if is_network(&message) => SourceError::Network(message),
        _ => SourceError::ToolFailed {
            tool: TOOL,
            message: format!("{class}: {message}"),
        },
    }
}

/// Connection failures gallery-dl wraps in `HttpError` (requests' exception
/// names appear in the message).
fn is_network(message: &str) -> bool {
    [
        "NameResolutionError",
        "ConnectionError",
        "ConnectTimeout",
        "ReadTimeout",
        "Max retries",
        "timed out",
    ]
    .iter()
    .any(|m| message.contains(m))
}

/// The host of the first quoted URL in a message ("… for 'https://host/…'").
fn site_in(message: &str) -> Option<String> {
    let start = message.find("'http")? + 1;
    let rest = &message[start..];
    let end = rest.find('\'').unwrap_or(rest.len());
    url::Url::parse(&rest[..end])
        .ok()?
        .host_str()
        .map(str::to_string)
}

/// Parses every message; a structural surprise is `Malformed`, naming where.
pub fn parse_messages(json: &[u8]) -> Result<GalleryDlOutput, SourceError> {
    let root: Value =
        serde_json::from_slice(json).map_err(|e| malformed(TOOL, format!("not JSON: {e}")))?;
    let Value::Array(messages) = root else {
        return Err(malformed(TOOL, "the output is not an array of messages"));
    };
    let mut builder = Builder::default();
    for (i, msg) in messages.iter().enumerate() {
        let Some(parts) = msg.as_array() else {
            return Err(malformed(TOOL, format!("message {i} is not an array")));
        };
        let code = parts.first().and_then(Value::as_i64);
        match (code, parts.get(1), parts.get(2)) {
            (Some(2), Some(kw @ Value::Object(_)), None) => builder.directory(kw),
            (Some(3), Some(Value::String(url)), Some(kw @ Value::Object(_))) => {
                builder.file(url, kw)
            }
            (Some(6), Some(Value::String(url)), Some(kw @ Value::Object(_))) => {
                builder.queue(url, kw)
            }
            (Some(-1), Some(err @ Value::Object(_)), None) => builder.output.errors.push((
                text(err.get("error")).unwrap_or_else(|| "Error".into()),
                text(err.get("message")).unwrap_or_default(),
            )),
            (Some(c @ (2 | 3 | 6 | -1)), _, _) => {
                return Err(malformed(
                    TOOL,
                    format!("message {i} (type {c}) does not have the expected fields"),
                ));
            }
            (Some(other), _, _) => {
                // Obsolete or future message types (headers, cookies) carry nothing Haul uses.
                tracing::debug!(
                    index = i,
                    kind = other,
                    "ignoring a gallery-dl message type"
                );
            }
            (None, _, _) => {
                return Err(malformed(TOOL, format!("message {i} has no numeric type")));
            }
        }
    }
    Ok(builder.output)
}

/// The post a file belongs to: its platform and post id.
type PostKey = (String, String);

#[derive(Default)]
struct Builder {
    output: GalleryDlOutput,
    index: HashMap<PostKey, usize>,
    /// The last directory without a post id (directlink): its first file's URL
    /// becomes the post id, and later files without an id join that post.
    pending: Option<(String, PostFields)>,
    current_anonymous: Option<usize>,
}

impl Builder {
    fn directory(&mut self, kw: &Value) {
        let platform = platform_of(kw);
        let fields = post_fields(&platform, kw);
        self.current_anonymous = None;
        match fields.id.clone() {
            Some(id) => {
                self.post_for(&platform, &id, fields);
            }
            None => self.pending = Some((platform, fields)),
        }
    }

    fn file(&mut self, url: &str, kw: &Value) {
        let platform = platform_of(kw);
        let fields = post_fields(&platform, kw);
        let post_index = match fields.id.clone() {
            Some(id) => self.post_for(&platform, &id, fields),
            None => self.anonymous_post(&platform, url, fields),
        };
        let post = &mut self.output.posts[post_index];
        let id = media_id(
            &platform,
            Some(post.id.as_str()).filter(|_| platform != "direct"),
            kw,
            url,
        );
        if post.media.iter().any(|m| m.id == id) {
            tracing::debug!(%id, "skipping a repeated file in one post");
            return;
        }
        let media = media_for(url, kw, id, post.url.as_deref(), post.media.len() + 1);
        post.media.push(media);
    }

    fn queue(&mut self, url: &str, kw: &Value) {
        let platform = platform_of(kw);
        let fields = post_fields(&platform, kw);
        // A link no extractor handles: recorded on its post (or as a post of its
        // own) with the URL in the caption, so the user sees what was skipped.
        let post_index = match fields.id.clone() {
            Some(id) => self.post_for(&platform, &id, fields),
            None => {
                let mut fields = fields;
                fields.url = Some(url.to_string());
                self.post_for(&platform, url, fields)
            }
        };
        let post = &mut self.output.posts[post_index];
        post.caption = Some(match post.caption.take() {
            Some(c) if c.contains(url) => c,
            Some(c) => format!("{c}\n{url}"),
            None => url.to_string(),
        });
    }

    fn anonymous_post(&mut self, platform: &str, url: &str, fields: PostFields) -> usize {
        if let Some(i) = self.current_anonymous {
            return i;
        }
        let base = match self.pending.take() {
            Some((p, f)) if p == platform => f,
            _ => fields,
        };
        let mut base = base;
        base.url = base.url.or_else(|| Some(url.to_string()));
        let i = self.post_for(platform, url, base);
        self.current_anonymous = Some(i);
        i
    }

    fn post_for(&mut self, platform: &str, id: &str, fields: PostFields) -> usize {
        let key = (platform.to_string(), id.to_string());
        if let Some(&i) = self.index.get(&key) {
            return i;
        }
        self.output.posts.push(Post {
            platform: platform.to_string(),
            id: id.to_string(),
            account: fields.account,
            posted_at: fields.posted_at,
            title: fields.title,
            caption: fields.caption,
            url: fields.url,
            media: Vec::new(),
        });
        let i = self.output.posts.len() - 1;
        self.index.insert(key, i);
        i
    }
}

fn platform_of(kw: &Value) -> String {
    platform(
        kw.get("category")
            .and_then(Value::as_str)
            .unwrap_or_default(),
    )
}

/// One file. gallery-dl's `ytdl:` pseudo-URLs (DASH videos it leaves to
/// yt-dlp) become tool media on the post's page, unless the keywords hold a
/// direct progressive URL (Instagram's `video_url`).
fn media_for(url: &str, kw: &Value, id: String, post_url: Option<&str>, index: usize) -> Media {
    let name = text(kw.get("filename"));
    let ext = text(kw.get("extension"))
        .map(|e| e.to_ascii_lowercase())
        .or_else(|| ext_from_url(url));
    let name_hint = match (&name, &ext) {
        (Some(n), Some(e)) => Some(format!("{n}.{e}")),
        (Some(n), None) => Some(n.clone()),
        _ => None,
    };
    let headers = headers_without_cookies(kw.get("_http_headers"));
    let (url, via_tool) = match url.strip_prefix("ytdl:") {
        None => (url.to_string(), None),
        Some(inner) => match text(kw.get("video_url")).filter(|u| u.starts_with("http")) {
            Some(direct) => (direct, None),
            None => (post_url.unwrap_or(inner).to_string(), Some(Tool::YtDlp)),
        },
    };
    Media {
        id,
        url,
        kind: kind_from_ext(ext.as_deref()),
        name_hint,
        ext,
        index: u32::try_from(index).unwrap_or(u32::MAX),
        headers,
        via_tool,
    }
}
